"""What republishing adds around the text: the page's header and language, images where
they stood, Markdown front matter, a stylesheet of your own, and the templates to start from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SEED
from markdown_it import MarkdownIt
from typer.testing import CliRunner

import cleaner
from cleaner import Article, Author, LineSpan, Media, MediaType, Metadata, Paragraph
from cleaner.cli import app
from cleaner.render import RENDERERS
from cleaner.render.html import builtin_template_dir
from cleaner.render.templates import TEMPLATES

_MD = MarkdownIt("commonmark")


def _article(**fields) -> Article:
    body = (
        Paragraph(text="First paragraph of the story.", lines=LineSpan(1, 1)),
        Paragraph(text="Second paragraph.", lines=LineSpan(3, 3)),
    )
    return Article(**{"title": "A headline", "body": body, **fields})


def soup_of(article: Article, **options) -> BeautifulSoup:
    return BeautifulSoup(cleaner.render(article, "html", **options), "html.parser")


# --- the page: language, header, head ------------------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [("ru", "ru"), ("pt-BR", "pt-BR"), ("pt_BR", "pt-BR"), (None, "und"), ("", "und"), ('en" onload="x', "und"), ("123", "und")])
def test_lang_comes_from_the_model_and_is_never_made_up(language, expected):
    soup = soup_of(_article(metadata=Metadata(language=language)))
    assert soup.html["lang"] == expected


def test_the_header_has_title_author_date_and_source():
    article = _article(author=Author("Maya Mailer", None), metadata=Metadata(url="https://www.independent.co.uk/voices/isis.html", published="2016-10-31T09:30:00+00:00", language="en"))
    soup = soup_of(article)
    header = soup.select_one("article > header")
    assert header.h1.get_text() == "A headline" and "visually-hidden" not in header.h1.get("class", [])
    assert header.select_one(".author").get_text() == "Maya Mailer"
    assert header.time["datetime"] == "2016-10-31T09:30:00+00:00" and header.time.get_text() == "31 October 2016"
    assert header.select_one(".kicker a")["href"] == "https://www.independent.co.uk/voices/isis.html"
    assert header.select_one(".kicker").get_text() == "independent.co.uk"
    assert soup.find("link", rel="canonical")["href"] == "https://www.independent.co.uk/voices/isis.html"


def test_dates_for_people_and_sites_by_name():
    russian = _article(metadata=Metadata(published="2016-10-31", language="ru", site="Коммерсантъ", url="javascript:alert(1)"))
    header = soup_of(russian).select_one("article > header")
    assert header.time["datetime"] == "2016-10-31" and header.time.get_text() == "2016-10-31"  # no English month names
    assert header.select_one(".kicker").get_text() == "Коммерсантъ" and header.select_one(".kicker a") is None
    undated = soup_of(_article(metadata=Metadata(published="last Tuesday")))
    assert undated.time.get_text() == "last Tuesday" and not undated.time.has_attr("datetime")


def test_landmarks_and_one_h1_even_without_a_title():
    soup = soup_of(_article(title=None, author=Author("Maya Mailer", "Maya Mailer is head of policy at Oxfam.", (9,))))
    assert soup.find("main") and soup.select_one("main > article > header")
    headings = soup.find_all("h1")
    assert len(headings) == 1 and "visually-hidden" in headings[0]["class"]
    assert soup.title.get_text() == "First paragraph of the story."
    assert soup.select_one("footer.author-bio")["aria-label"] == "About the author"
    assert soup.select_one(".byline .author").get_text() == "Maya Mailer"


def test_the_seed_page_looks_the_part():
    html = cleaner.render(cleaner.clean(SEED.read_bytes()), "html")
    css = (builtin_template_dir() / "style.css").read_text(encoding="utf-8")
    assert "clamp(" in css and "@media print" in css and "prefers-color-scheme: dark" in css
    assert "text-transform: uppercase" not in css.split(".credit")[1].split("}")[0]  # credits are not shouted
    soup = BeautifulSoup(html, "html.parser")
    gallery = soup.select_one("section.gallery")
    assert gallery.select_one("h2").get_text() == "Gallery Mosul offensive"
    assert gallery.select_one(".gallery-count").get_text() == "22 photos"
    assert [figure.select_one(".index").get_text() for figure in gallery.select("figure")] == [str(n) for n in range(1, 23)]


# --- images where they stood ---------------------------------------------------------------


def _with_images() -> Article:
    return _article(
        media=(
            Media(MediaType.IMAGE, "Smoke over Aleppo", 1, LineSpan(2, 2), "Smoke over Aleppo", "AFP/Getty"),
            Media(MediaType.IMAGE, "A map", 2, LineSpan(4, 4), "A map of the front", None, "https://example.com/map.png"),
            Media(MediaType.VIDEO, "Isis video purports to show fighting", 1, LineSpan(5, 5)),
            Media(MediaType.IMAGE, "x", 0, LineSpan(6, 6), None, None, "javascript:alert(1)"),
        )
    )


def test_images_stand_where_they_stood_in_html():
    article = _with_images()
    soup = soup_of(article)
    children = [child for child in soup.select_one("article").find_all(recursive=False)]
    names = [child.name for child in children]
    assert names == ["header", "figure", "p", "figure", "p", "figure"]
    empty, caption_only, with_image = children[1], children[3], children[5]
    assert empty.find("img") is None and empty.find("figcaption") is None  # an unsafe address is not shown
    assert caption_only.select_one(".caption").get_text() == "Smoke over Aleppo" and caption_only.select_one(".credit").get_text() == "AFP/Getty"
    assert "figure-caption-only" in caption_only["class"]
    assert with_image.img["src"] == "https://example.com/map.png" and with_image.img["alt"] == ""
    assert "Isis video" not in soup.get_text()  # video labels stay out of the body


def test_images_in_markdown_and_not_in_text():
    article = _with_images()
    markdown = cleaner.render(article, "md")
    assert "*Smoke over Aleppo (AFP/Getty)*\n\nSecond paragraph." in markdown
    assert "![A map of the front](<https://example.com/map.png>)\n\n*A map of the front*" in markdown
    assert "javascript" not in markdown and "Isis video" not in markdown
    # Plain text must clean to itself: a caption, its neighbours gone, could read as a gallery item.
    assert cleaner.render(article, "txt") == "A headline\n\nFirst paragraph of the story.\n\nSecond paragraph.\n"


def test_the_fuzz_find_that_kept_images_out_of_text():
    text = "In pictures: Mosul offensive\nRead more: the story so far\nthe the the the the the?\nthe\n1/1 the Getty\n"
    once = cleaner.render(cleaner.clean(text), "txt")
    assert cleaner.render(cleaner.clean(once), "txt") == once


# --- front matter --------------------------------------------------------------------------


def _front_matter(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n")
    head, _, body = markdown[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def test_front_matter_for_static_site_generators():
    article = _article(author=Author("Maya Mailer", None), metadata=Metadata(url="https://e.com/a", published="2016-10-31", language="en", site="The Independent", tags=("Iraq", "Isis")))
    data, body = _front_matter(cleaner.render(article, "md", front_matter=True))
    assert data == {"title": "A headline", "author": "Maya Mailer", "date": "2016-10-31", "lang": "en", "source_url": "https://e.com/a", "site": "The Independent", "tags": ["Iraq", "Isis"]}
    assert body.lstrip("\n") == cleaner.render(article, "md")
    assert not cleaner.render(article, "md").startswith("---")  # opt-in


@pytest.mark.parametrize("hostile", ['"quoted" and \\ backslash', "line\n---\nbreak: yes", "# not a comment", "- not: a list", "{not: a map}", "&anchor *alias !tag", "\x85\u2028\ufeff"])
def test_front_matter_values_stay_values(hostile):
    article = _article(title=hostile, author=Author(hostile, None), metadata=Metadata(url="javascript:alert(1)", site=hostile, tags=(hostile,)))
    data, _ = _front_matter(cleaner.render(article, "md", front_matter=True))
    assert data == {"title": hostile, "author": hostile, "site": hostile, "tags": [hostile]}  # an unsafe URL is left out


# --- --css and templates -------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_css_adds_a_stylesheet_after_the_built_in_one(tmp_path):
    css = tmp_path / "mine.css"
    css.write_text("body > main { max-width: 50rem; } /* mine */", encoding="utf-8")
    out = tmp_path / "a.html"
    result = _run("convert", str(SEED), "-o", str(out), "--css", str(css))
    assert result.exit_code == 0, result.output
    styles = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").find_all("style")
    assert len(styles) == 2 and styles[1].string.strip() == "body > main { max-width: 50rem; } /* mine */"  # not escaped: it is CSS
    (tmp_path / "bad.css").write_text("a{}</style><script>alert(1)</script>", encoding="utf-8")
    result = _run("convert", str(SEED), "--to", "html", "--css", str(tmp_path / "bad.css"))
    assert result.exit_code == 2 and "</style" in result.output
    result = _run("convert", str(SEED), "--to", "html", "--css", str(tmp_path / "missing.css"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_templates_dump_writes_every_built_in_template(tmp_path):
    target = tmp_path / "mine"
    result = _run("templates", "--dump", str(target))
    assert result.exit_code == 0, result.output
    shipped = sorted(path.relative_to(builtin_template_dir()).as_posix() for path in builtin_template_dir().rglob("*") if path.is_file())
    assert sorted(name for name, _ in TEMPLATES) == shipped  # the table lists every template there is
    assert sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()) == shipped
    # Unchanged copies render exactly what the built-in templates do.
    article = cleaner.clean(SEED.read_bytes())
    assert cleaner.render(article, "html", template_dir=target) == cleaner.render(article, "html")
    # Never over your own edits without --force.
    result = _run("templates", "--dump", str(target))
    assert result.exit_code == 2 and "--force" in result.output
    assert _run("templates", "--dump", str(target), "--force").exit_code == 0
    listing = _run("templates")
    assert listing.exit_code == 0 and "article.html.j2" in listing.output and "--dump" in listing.output


def test_an_edited_template_changes_the_output(tmp_path):
    assert _run("templates", "--dump", str(tmp_path)).exit_code == 0
    article_template = tmp_path / "article.html.j2"
    article_template.write_text(article_template.read_text(encoding="utf-8").replace('<article class="cleaner-article">', '<article class="cleaner-article mine">'), encoding="utf-8")
    html = cleaner.render(cleaner.clean(SEED.read_bytes()), "html", template_dir=tmp_path)
    assert '<article class="cleaner-article mine">' in html


def test_help_lists_every_format_from_the_table():
    result = _run("convert", "--help")
    for fmt in RENDERERS:
        assert f"{fmt}:" in " ".join(result.output.split())


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_stylesheet_colours_have_enough_contrast_light_and_dark():
    import re

    css = (builtin_template_dir() / "style.css").read_text(encoding="utf-8")
    light = dict(re.findall(r"--(\w+): (#[0-9a-f]{6})", css.split("@media (prefers-color-scheme: dark)")[0]))
    dark = {**light, **dict(re.findall(r"--(\w+): (#[0-9a-f]{6})", css.split("@media (prefers-color-scheme: dark)")[1].split("}")[0]))}
    for palette in (light, dark):
        for text in ("ink", "muted", "accent"):
            for ground in ("paper", "panel"):
                assert _contrast(palette[text], palette[ground]) >= 4.5, (text, ground, palette)  # WCAG AA, small text
