"""Screenshots of cleaner's HTML as a reader sees it: headless Chromium, desktop and phone.

Run by hand (not in CI) after changing the templates or the stylesheet, then look at the
PNGs before calling the change done:

    python scripts/screenshots.py                      # the seed and a few benchmark articles
    python scripts/screenshots.py --out /tmp/shots --dark --print

Writes ``docs/screenshots/<name>-<width>.png`` (whole pages, 1280 and 390 CSS pixels
wide) and prints, per page, its height and whether it scrolls sideways (it must not).
Needs Chromium (``apt-get install chromium``); the benchmark articles are read from
``../shared/bench/aeb-dev`` (or ``--bench``) and skipped when it is absent.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from cleaner.render import Format, RenderOptions, render_with  # noqa: E402

SEED = ROOT / "seeds" / "000_e4caed1a0f944f3c.txt"
#: (width, height) in CSS pixels; below 600 the page is laid out as on a phone (mobile viewport).
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("screenshots: Chromium not found (apt-get install -y chromium)")


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
    file descriptors 3 and 4, messages ending in NUL), so that pages can be laid out at a
    phone's width (--window-size cannot go below 500 pixels) and captured whole."""

    def __init__(self, binary: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="cleaner-chromium-")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire() -> None:  # in the child: the protocol's descriptors are 3 and 4
            # Moved out of the way first: either pipe end may itself be 3 or 4.
            high = [fcntl.fcntl(descriptor, fcntl.F_DUPFD, 10) for descriptor in (commands_read, replies_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._process = subprocess.Popen(
            [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def call(self, method: str, *, session: bool = False, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def wait_for(self, event: str) -> None:
        while self._receive().get("method") != event:
            pass

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium went away")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def shoot(self, url: str, png: Path, width: int, height: int, *, dark: bool = False, media: str = "screen") -> tuple[int, int, int]:
        """Lay ``url`` out ``width`` wide and write the whole page to ``png``; returns the
        page's (scroll width, height, viewport width)."""
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
        self.call("Emulation.setEmulatedMedia", session=True, media=media, features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")
        # Lazy images do not hold up the load event: load them all before measuring.
        self.call("Runtime.evaluate", session=True, awaitPromise=True, expression=(
            "Promise.all([...document.images].map(image => { image.loading = 'eager';"
            " return image.complete ? 0 : new Promise(done => { image.onload = image.onerror = done; }); }))"))
        size = self.call("Runtime.evaluate", session=True, returnByValue=True,
                         expression="[document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth]")["result"]["value"]
        shot = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": max(height, size[1]), "scale": 1})
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(base64.b64decode(shot["data"]))
        return size[0], size[1], size[2]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
        os.close(self._commands)
        os.close(self._replies)
        self._profile.cleanup()


def articles(bench: Path, count: int) -> dict[str, cleaner.Article]:
    """The seed; a specimen with every element the templates draw; and benchmark articles
    that show what real text gives them: one with a title and lists, one not in English,
    the longest."""
    found = {"seed": cleaner.clean(SEED.read_bytes()), "specimen": specimen()}
    outputs = bench / "inputs" / "trafilatura.json"
    if not outputs.is_file():
        print(f"screenshots: no benchmark at {bench}; the seed and the specimen only", file=sys.stderr)
        return found
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    cleaned = {}
    for page, record in json.loads(outputs.read_text(encoding="utf-8"))["output"].items():
        text = record["articleBody"]
        # The readers' language detection is another issue's: a guess good enough for a picture.
        cyrillic = sum("\u0400" <= character <= "\u04ff" for character in text) > len(text) / 3
        metadata = cleaner.Metadata(url=truth.get(page, {}).get("url"), language="ru" if cyrillic else "en")
        cleaned[page] = cleaner.clean(text, metadata=metadata)
    titled_with_lists = [page for page, article in cleaned.items() if article.title and any(block.type == "list_item" for block in article.body)]
    not_english = [page for page, article in cleaned.items() if article.metadata.language != "en"]
    longest = sorted(cleaned, key=lambda page: -sum(len(block.text) for block in cleaned[page].paragraphs()))
    picks: list[str] = []
    for group in (titled_with_lists, not_english, longest):
        for page in group:
            if page not in picks:
                picks.append(page)
                break
    for page in picks[:count]:
        found[f"bench-{page[:8]}"] = cleaned[page]
    found.update(saved_pages(bench, count=2))
    return found


def saved_pages(bench: Path, count: int) -> dict[str, cleaner.Article]:
    """Saved pages of the benchmark through the HTML reader: title, author, date, language,
    links and figures from the page itself; the ones with the most figures and links. Their
    images are remote, and this script never fetches: each shows a local placeholder."""
    import dataclasses
    import gzip

    scored = []
    for path in sorted((bench / "html").glob("*.html.gz")):
        try:
            article = cleaner.clean(gzip.decompress(path.read_bytes()), from_="html")
        except cleaner.CleanerError:
            continue
        figures = sum(1 for media in article.media if media.type == "image" and media.url and media.caption)
        links = sum(len(getattr(block, "marks", ())) for block in article.body)
        scored.append((figures, links, path.name[:8], article))
    scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
    found = {}
    for _, _, name, article in scored[:count]:
        media = tuple(dataclasses.replace(item, url=PLACEHOLDER) if item.url else item for item in article.media)
        galleries = tuple(dataclasses.replace(gallery, items=tuple(dataclasses.replace(item, url=PLACEHOLDER) if item.url else item for item in gallery.items)) for gallery in article.galleries)
        found[f"page-{name}"] = dataclasses.replace(article, media=media, galleries=galleries)
    return found


def specimen() -> cleaner.Article:
    """Every element the article template draws, with the model's metadata filled in."""
    from cleaner import Author, GalleryAnchor, Gallery, GalleryItem, Heading, LineSpan, ListItem, Mark, MarkKind, Media, MediaType, Paragraph, Quote, Table

    line = LineSpan(1, 1)
    intro = "Aid agencies say the fighting has displaced more than 140,000 people since October, and that the camps south of the city are full."
    body = (
        Paragraph(text=intro, lines=line, marks=(Mark(MarkKind.LINK, 0, 12, "https://example.org/report"), Mark(MarkKind.EMPHASIS, intro.index("more than"), intro.index(" since")))),
        Paragraph(text="Families interviewed at the checkpoints described weeks without water or power, and a journey of two days on foot.", lines=line),
        Heading(text="What the agencies are asking for", lines=line),
        ListItem(text="Safe routes out of the city for civilians", lines=line, ordered=True, number=1),
        ListItem(text="Water trucking to the new camps", lines=line, ordered=True, number=2),
        ListItem(text="Funding for winter shelter before December", lines=line, ordered=True, number=3),
        Quote(text="We have never seen so many people arrive in so few days.", lines=line),
        Table(rows=(("Camp", "Capacity", "Residents"), ("Khazer", "12,000", "13,410"), ("Hasansham", "6,000", "5,870")), lines=line, header=True),
        GalleryAnchor(gallery=0),
        Paragraph(text="The conditions that allowed the group to grow have not gone away, the report concluded.", lines=line),
    )
    gallery = Gallery("Leaving Mosul", 12, tuple(GalleryItem(n, caption, credit, line) for n, (caption, credit) in enumerate([
        ("Families wait at a checkpoint east of the city", "Ahmad al-Rubaye/AFP/Getty Images"),
        ("A boy carries water back to a tent in Khazer camp", "Reuters"),
        ("Trucks of the Iraqi army on the road to Qayyarah", None),
    ], 1)), line)
    media = (Media(MediaType.IMAGE, "map", 2, line, "The front line on 31 October: the army holds the east bank", "The Example Desk", PLACEHOLDER),)
    return cleaner.Article(
        title="Mosul’s civilians are trapped between the lines, aid agencies warn",
        body=body,
        galleries=(gallery,),
        media=media,
        author=cleaner.Author("Maya Mailer", "Maya Mailer is head of humanitarian policy and campaigns at Oxfam.", (99,)),
        metadata=cleaner.Metadata(url="https://www.example.org/world/mosul-civilians", site="The Example Times", published="2016-10-31T09:30:00+00:00", language="en"),
    )


def site_index(found: dict[str, cleaner.Article]) -> str:
    """The first page of a --site index over the articles (as batch --site makes it)."""
    from cleaner.render.context import display_title, language, published, source_link, summary
    from cleaner.render.site import SiteEntry, newest_first, render_index

    entries = []
    for name, article in found.items():
        when, source = published(article), source_link(article)
        entries.append(SiteEntry(
            page=f"{name}.html", title=display_title(article), has_title=bool(article.title), summary=summary(article),
            author=article.author.name if article.author else None, date=when.iso if when else None,
            date_text=when.text if when else None, timestamp=when.moment.timestamp() if when and when.moment else None,
            site=source.label if source else None, source_url=source.url if source else None, language=language(article),
        ))
    return render_index(newest_first(entries), title="Cleaned this week")[0][1]


#: The images' stand-in, served with the pages by a server on this machine (an absolute
#: address: a relative one would be read against the article's own).
PLACEHOLDER = "http://127.0.0.1:{port}/figure.svg"

FIGURE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">'
              '<rect width="1200" height="675" fill="#d9d3c3"/><path d="M0 480 C 300 380, 500 560, 1200 420 L1200 675 L0 675 Z" fill="#b9ae95"/>'
              '<path d="M640 0 C 600 200, 700 420, 620 675" stroke="#6f8fa8" stroke-width="26" fill="none"/></svg>')


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where the PNGs go (default: docs/screenshots)")
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "aeb-dev")
    parser.add_argument("--count", type=int, default=3, help="benchmark articles to render (default 3)")
    parser.add_argument("--only", help="render only the article of this name (seed, bench-…)")
    parser.add_argument("--dark", action="store_true", help="also in dark mode (NAME-WIDTH-dark.png)")
    parser.add_argument("--print", action="store_true", help="also with the print stylesheet (NAME-print.png, 794 pixels: A4)")
    args = parser.parse_args()
    browser = Browser(chromium())
    try:
        with tempfile.TemporaryDirectory(prefix="cleaner-shots-") as scratch:
            (Path(scratch) / "figure.svg").write_text(FIGURE_SVG, encoding="utf-8")
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=scratch))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            global PLACEHOLDER
            PLACEHOLDER = PLACEHOLDER.format(port=server.server_port)
            found = articles(args.bench, args.count)
            pages = {name: render_with(article, Format.HTML, RenderOptions()) for name, article in found.items()}
            pages["site-index"] = site_index(found)
            for name, html in pages.items():
                if args.only and name != args.only:
                    continue
                page = Path(scratch) / f"{name}.html"
                page.write_text(html, encoding="utf-8")
                url = f"http://127.0.0.1:{server.server_port}/{page.name}"
                shots = [(f"{name}-{width}.png", width, height, False, "screen") for width, height in WIDTHS.values()]
                if args.dark:
                    shots += [(f"{name}-{width}-dark.png", width, height, True, "screen") for width, height in WIDTHS.values()]
                if args.print:
                    shots.append((f"{name}-print.png", 794, 1123, False, "print"))
                for file_name, width, height, dark, media in shots:
                    png = args.out / file_name
                    scroll_width, full_height, viewport = browser.shoot(url, png, width, height, dark=dark, media=media)
                    sideways = "SCROLLS SIDEWAYS" if scroll_width > viewport else "no sideways scroll"
                    shown = png.relative_to(ROOT) if png.is_relative_to(ROOT) else png
                    print(f"{shown}: {viewport}x{full_height}, {sideways}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
