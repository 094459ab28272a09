"""What a batch run is asked to do (``BatchJob``) and what it did (``Summary``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import Settings
from ..render import Format

#: How many failures the summary lists by name; the manifest has them all.
SHOWN_FAILURES = 10


@dataclass(frozen=True)
class BatchJob:
    """One batch job. Picklable and small: it travels to every worker with each chunk.

    ``settings`` configure each worker's ``Cleaner``; they hold the text of each
    ``--rules`` pack, read once by the parent, so workers on other machines (Dask) need
    no access to the files.
    """

    inputs: tuple[Path, ...]
    out: Path
    formats: tuple[Format, ...] = (Format.MD,)
    globs: tuple[str, ...] = ("*.txt",)
    text_field: str = "text"
    id_field: str = "id"
    body_only: bool = False
    settings: Settings = Settings()


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

    @property
    def records(self) -> int:
        return self.ok + self.failed

    def add_failures(self, failures: list[tuple[str, str]]) -> None:
        room = SHOWN_FAILURES - len(self.failures)
        if room > 0:
            self.failures.extend(failures[:room])

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0
