"""Proof that a change to the hot path changes no decision: a digest of the model's JSON
for every document of the development benchmarks, written once before the change and
compared after it.

    python scripts/check_same_output.py --write before.txt           # on the starting commit
    python scripts/check_same_output.py --compare before.txt         # after each change

The documents: every extractor output of ``../shared/bench/aeb-dev`` and
``../shared/bench/modern-dev`` (text, with the built-in packs and again with ``strict``),
their saved HTML pages through the HTML reader (marks and block markup), and the seed.
A line of the digest file is ``<document>\\t<sha256 of render_json(article)>``; the JSON
holds every block, every removal with its rule and reason, and the notes, so equal
digests mean equal decisions.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import cleaner  # noqa: E402
from cleaner.render.json import render_json  # noqa: E402
from evaluation.benchmark import load_benchmark  # noqa: E402

BENCHMARKS = ("aeb-dev", "modern-dev")
SEED = ROOT / "seeds" / "000_e4caed1a0f944f3c.txt"


def documents(shared: Path, html: bool) -> Iterator[tuple[str, bytes | str, dict]]:
    """(name, input, options to clean with) for every document checked."""
    yield "seed", SEED.read_bytes(), {}
    yield "seed:strict", SEED.read_bytes(), {"rules": ["strict"]}
    for name in BENCHMARKS:
        bench = load_benchmark(shared / name)
        for extractor in sorted(bench.outputs):
            for page, text in sorted(bench.outputs[extractor].items()):
                yield f"{name}/{extractor}/{page}", text, {"from_": "text"}
                yield f"{name}/{extractor}/{page}:strict", text, {"from_": "text", "rules": ["strict"]}
        if html:
            for path in sorted((shared / name / "html").glob("*.html.gz")):
                yield f"{name}/html/{path.name}", gzip.decompress(path.read_bytes()), {"from_": "html"}


def digests(shared: Path, html: bool) -> dict[str, str]:
    found = {}
    for name, data, options in documents(shared, html):
        try:
            text = render_json(cleaner.clean(data, **options))
        except cleaner.CleanerError as error:
            text = f"error: {type(error).__name__}: {error}"
        found[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="write the digests to this file")
    parser.add_argument("--compare", type=Path, help="compare the digests with this file's")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--no-html", action="store_true", help="skip the saved pages (the HTML reader is slow)")
    args = parser.parse_args()
    started = time.perf_counter()
    found = digests(args.shared, not args.no_html)
    print(f"{len(found)} documents cleaned in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.write:
        args.write.write_text("".join(f"{name}\t{digest}\n" for name, digest in found.items()), encoding="utf-8")
    if args.compare:
        expected = dict(line.split("\t") for line in args.compare.read_text(encoding="utf-8").splitlines())
        differ = [name for name in found if name in expected and expected[name] != found[name]]
        missing = sorted(set(expected) - set(found)) if not args.no_html else []
        for name in differ[:50]:
            print(f"differs: {name}")
        print(f"{len(differ)} of {len(found)} documents differ" + (f"; {len(missing)} missing" if missing else ""))
        sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
