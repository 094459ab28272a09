"""Running EPUBCheck (the Debian package ``epubcheck``, a Java program) on a book, for the
tests and for ``scripts/epubcheck.py``. Tests that need it skip with a clear message when
it is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where the Debian package puts the jar (its /usr/bin/epubcheck is the jar itself, which
#: needs binfmt_misc to run as a command: ``java -jar`` does not).
JARS = ("/usr/share/java/epubcheck.jar",)


def epubcheck_command() -> list[str] | None:
    jar = os.environ.get("CLEANER_EPUBCHECK_JAR") or next((path for path in JARS if Path(path).is_file()), None)
    java = shutil.which("java")
    if jar and java:
        return [java, "-jar", jar]
    return None


def require_epubcheck() -> list[str]:
    command = epubcheck_command()
    if command is None:
        pytest.skip("EPUBCheck not installed (apt-get install -y epubcheck, or set CLEANER_EPUBCHECK_JAR to its jar)")
    return command


@dataclass(frozen=True)
class Report:
    fatals: int
    errors: int
    warnings: int
    messages: list[str]
    version: str

    @property
    def ok(self) -> bool:
        return self.fatals == 0 and self.errors == 0


def epubcheck(command: list[str], book: Path) -> Report:
    """EPUBCheck's verdict on ``book``, from its JSON report."""
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "report.json"
        subprocess.run([*command, str(book), "--json", str(report_path)], capture_output=True, text=True, timeout=600)
        report = json.loads(report_path.read_text(encoding="utf-8"))
    severities = [message["severity"] for message in report["messages"]]
    messages = [f"{message['severity']} {message['ID']}: {message['message']} ({', '.join(str(location.get('path')) + ':' + str(location.get('line')) for location in message.get('locations', []))})" for message in report["messages"]]
    return Report(severities.count("FATAL"), severities.count("ERROR"), severities.count("WARNING"), messages, report["checker"]["checkerVersion"])
