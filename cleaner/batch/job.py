"""What a batch run is asked to do (``BatchJob``) and what it did (``Summary``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import Settings
from ..render import Format, RenderOptions

#: How many failures the summary lists by name; the manifest has them all.
SHOWN_FAILURES = 10
#: Failed records after which a run stops: far more than a healthy corpus fails, few
#: enough that a small gzip of garbage lines cannot write a manifest of gigabytes.
DEFAULT_MAX_ERRORS = 10_000


@dataclass(frozen=True)
class BatchJob:
    """One batch job. Picklable and small: it travels to every worker with each chunk.

    ``settings`` configure each worker's ``Cleaner``; they hold the text of each
    ``--rules`` pack, read once by the parent, so workers on other machines (Dask) need
    no access to the files. ``follow_symlinks`` reads files that are links out of the
    input trees (refused by default); ``fsync`` makes outputs and manifest durable at
    each chunk (slower); ``max_errors`` stops the run once that many records have failed
    (0: never).

    The output side: ``render`` holds the options every render uses (templates, the
    ``--css`` stylesheet's text, front matter); ``with_model`` puts the model in JSONL
    records; ``site`` builds a browsable site (index, feed) over the HTML pages; ``book``
    is the path of one EPUB of every article; ``collection_title`` names both.
    """

    inputs: tuple[Path, ...]
    out: Path
    formats: tuple[Format, ...] = (Format.MD,)
    globs: tuple[str, ...] = ("*.txt",)
    text_field: str = "text"
    id_field: str = "id"
    body_only: bool = False
    settings: Settings = Settings()
    follow_symlinks: bool = False
    fsync: bool = False
    max_errors: int = DEFAULT_MAX_ERRORS
    render: RenderOptions = RenderOptions()
    with_model: bool = False
    site: bool = False
    book: Path | None = None
    collection_title: str | None = None

    @property
    def collects(self) -> bool:
        """Whether records are gathered for a whole-batch output (site, book)."""
        return self.site or self.book is not None


@dataclass
class Summary:
    """Running totals, shown at the end of a run; ``exit_code`` follows ``cleaner.errors``."""

    ok: int = 0
    failed: int = 0
    already_done: int = 0
    bytes: int = 0
    seconds: float = 0.0
    removed: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    #: records the run being resumed had already listed as failed
    failed_before: int = 0
    #: why the run stopped before the end (--max-errors), if it did
    stopped: str | None = None
    #: what was built from the whole batch at the end ("site: DIR/index.html, 90 articles")
    published: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.ok + self.failed

    def add_failures(self, failures: list[tuple[str, str]]) -> None:
        room = SHOWN_FAILURES - len(self.failures)
        if room > 0:
            self.failures.extend(failures[:room])

    @property
    def failed_in_all(self) -> int:
        """Failed records of the whole run, the parts before a --resume included."""
        return self.failed + self.failed_before

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed_in_all or self.stopped else 0
