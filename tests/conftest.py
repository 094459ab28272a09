from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests run a fixed sequence of examples, as the fuzz test runs a fixed seed:
# the README's test command gives a new user what CI gives, and a red run is reproducible.
# CLEANER_HYPOTHESIS_EXPLORE=1 explores new examples every run (and scripts/fuzz.py
# explores at scale); a case either finds goes to tests/fixtures/crashes/.
settings.register_profile("ci", derandomize=True, deadline=None)
if not os.environ.get("CLEANER_HYPOTHESIS_EXPLORE"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e4caed1a0f944f3c.txt"
GOLDEN = Path(__file__).parent / "golden"
BENCH = Path(os.environ.get("CLEANER_BENCH", ROOT.parent / "shared" / "bench" / "aeb-dev"))


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


def require_bench() -> Path:
    """The shared benchmark, or a clean skip saying where it was looked for."""
    if not (BENCH / "ground-truth.json").is_file():
        pytest.skip(f"shared benchmark not found at {BENCH} (set CLEANER_BENCH to its path)")
    return BENCH
