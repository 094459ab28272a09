"""EPUBCheck on cleaner's books: the seed (``convert --to epub``) and one book of the
benchmark's 90 trafilatura outputs (``batch --book``), the issue's acceptance cases.

    python scripts/check_epub.py                          # print the verdicts
    python scripts/check_epub.py --write docs/epubcheck.md

Needs EPUBCheck (``apt-get install -y epubcheck``: Java and the jar) and the benchmark in
``../shared/bench/aeb-dev`` (or ``--bench``); the tests run the same checks when both are
there (``tests/test_epub.py``), and skip when they are not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from epubcheck import epubcheck, epubcheck_command  # noqa: E402

SEED = ROOT / "seeds" / "000_e4caed1a0f944f3c.txt"


def books(bench: Path, scratch: Path) -> list[tuple[str, Path]]:
    seed = scratch / "seed.epub"
    seed.write_bytes(cleaner.render(cleaner.clean(SEED.read_bytes()), "epub"))
    found = [("the seed (cleaner convert seed.txt -o seed.epub)", seed)]
    outputs = bench / "inputs" / "trafilatura.json"
    if not outputs.is_file():
        print(f"check_epub: no benchmark at {bench}: the seed only", file=sys.stderr)
        return found
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    records = json.loads(outputs.read_text(encoding="utf-8"))["output"]
    dump = scratch / "trafilatura.jsonl"
    dump.write_text("".join(json.dumps({"id": page, "url": truth.get(page, {}).get("url"), "text": record["articleBody"]}) + "\n" for page, record in records.items()), encoding="utf-8")
    book = scratch / "aeb-dev.epub"
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", "batch", str(dump), "--out", str(scratch / "out"), "--to", "txt", "--book", str(book)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"check_epub: cleaner batch failed ({done.returncode}): {done.stderr.strip()}")
    found.append((f"the {len(records)} aeb-dev trafilatura outputs (cleaner batch dump.jsonl --book aeb-dev.epub)", book))
    pages = scratch / "pages.epub"
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", "batch", str(bench / "html"), "--out", str(scratch / "pages"), "--to", "txt", "--book", str(pages)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"check_epub: cleaner batch failed ({done.returncode}): {done.stderr.strip()}")
    count = len(list((bench / "html").glob("*.html.gz")))
    found.append((f"the {count} aeb-dev saved pages, through the HTML reader (links, figures, metadata) (cleaner batch html/ --book pages.epub)", pages))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "aeb-dev")
    parser.add_argument("--write", type=Path, help="record the results in this Markdown file")
    args = parser.parse_args()
    command = epubcheck_command()
    if command is None:
        sys.exit("check_epub: EPUBCheck not found (apt-get install -y epubcheck, or set CLEANER_EPUBCHECK_JAR)")
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="cleaner-epub-") as scratch:
        for what, book in books(args.bench, Path(scratch)):
            report = epubcheck(command, book)
            failed |= not report.ok
            rows.append((what, report, book.stat().st_size))
            print(f"{what}: {report.fatals} fatal, {report.errors} errors, {report.warnings} warnings ({book.stat().st_size:,} bytes)")
            for message in report.messages:
                print(f"  {message}")
    if args.write:
        version = rows[0][1].version if rows else "?"
        lines = [
            "# EPUBCheck results",
            "",
            f"`python scripts/check_epub.py --write {args.write}` on {date.today().isoformat()}, EPUBCheck {version}",
            f"(Debian's `epubcheck` package), cleaner {cleaner.__version__}. `tests/test_epub.py` runs the same checks",
            "whenever EPUBCheck and the benchmark are there (CI installs EPUBCheck: see `.ci/run`).",
            "",
            "| book | fatal | errors | warnings | size |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {what} | {report.fatals} | {report.errors} | {report.warnings} | {size:,} bytes |" for what, report, size in rows]
        messages = [message for _, report, _ in rows for message in report.messages]
        lines += ["", "Messages:" if messages else "No messages: no fatal errors, errors, warnings or notes.", *(f"- {message}" for message in messages), ""]
        args.write.write_text("\n".join(lines), encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
