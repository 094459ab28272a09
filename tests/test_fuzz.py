"""The fuzz harness (``scripts/fuzz.py``) inside the test suite, with a short budget so
that CI runs it: about 20 s in all (4 s per target). Longer runs: ``python scripts/fuzz.py --seconds 600``.

FUZZ TESTS: a fixed seed keeps CI reproducible; set CLEANER_FUZZ_SECONDS to change the
budget per target and CLEANER_FUZZ_SEED to explore other inputs. A failure writes the
shrunk input to a temporary directory, never into the repository (a CI run must leave the
checkout as it found it), and the failure message names it: copy it to
``fixtures/crashes/`` and commit it with the fix.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the harness runs for about 24 s

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("CLEANER_FUZZ_SECONDS", 4))
SEED = int(os.environ.get("CLEANER_FUZZ_SEED", 20261124))


def _harness():
    spec = importlib.util.spec_from_file_location("cleaner_fuzz", ROOT / "scripts" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


fuzz = _harness()


@pytest.mark.parametrize(
    "target",
    [
        "document",
        "bytes",
        "unicode",
        "model",
        "idempotence",
        "fidelity",
    ],
)
def test_fuzz(target, tmp_path):
    report = io.StringIO()
    status = fuzz.fuzz(SECONDS, [target], seed_value=SEED, out=report, crash_dir=tmp_path)
    assert status == 0, f"{report.getvalue()}(copy the input to tests/fixtures/crashes/ and commit it with the fix)"
    assert "no failure" in report.getvalue()


def test_a_failing_fuzz_test_leaves_the_repository_alone(tmp_path, monkeypatch):
    def broken(data):
        assert b"<" not in data

    monkeypatch.setattr(fuzz, "check_document", broken)
    before = sorted(fuzz.CRASHES.iterdir())
    with pytest.raises(AssertionError) as failed:
        test_fuzz("bytes", tmp_path)
    assert sorted(fuzz.CRASHES.iterdir()) == before
    [written] = list(tmp_path.iterdir())
    assert str(written) in str(failed.value)


def test_a_failure_is_written_as_a_fixture(tmp_path, monkeypatch):
    # The harness itself: a check that fails on some input must leave a shrunk fixture.
    def broken(data):
        assert "<" not in (data if isinstance(data, str) else data.decode("latin-1"))

    monkeypatch.setattr(fuzz, "check_document", broken)
    monkeypatch.setattr(fuzz, "_without_idempotence", broken)
    report = io.StringIO()
    assert fuzz.fuzz(20, ["bytes"], crash_dir=tmp_path, seed_value=SEED, out=report) == 1
    [written] = list(tmp_path.iterdir())
    assert written.suffix == ".bin" and written.read_bytes() == b"<"
    assert "FAILED" in report.getvalue()
