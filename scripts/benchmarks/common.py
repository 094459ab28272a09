"""What the benchmark's sections share: running a command or a measurement in a fresh
process (its time, CPU and peak memory), the machine and the code measured, and the
report's sections, each between markers so that one can be measured again alone."""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "benchmark.py"
SEED = ROOT / "seeds" / "000_e4caed1a0f944f3c.txt"


def cleaner_command() -> list[str]:
    """The ``cleaner`` command a user runs: the console script installed beside this
    Python, else ``python -m cleaner``."""
    script = Path(sys.executable).with_name("cleaner")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cleaner"]


def run(command: list[str], *, sample_tree: bool = False, check: bool = True) -> dict:
    """Run a command; wall time, CPU time, peak RSS of its largest process, and optionally
    the peak of its whole process tree (sampled every 50 ms).

    The peak of the largest process is sampled too (every 50 ms, with psutil): the kernel's
    own figure (``ru_maxrss``) counts the memory this process had when it forked the
    command, which is not the command's (every row of a run read 138 MB, the benchmark's
    own size by then). Without psutil, that figure is all there is.

    Dirty pages are flushed first, so that no run pays for the writes of the one before.
    """
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        finished = threading.Event()
        sampled = [0, 0]  # the whole tree, the largest process
        threading.Thread(target=_sample_tree_rss, args=(process.pid, finished, sampled), daemon=True).start()
        # wait4, not Popen.wait: it also gives the child's resource usage (its peak RSS,
        # or that of its largest descendant, in KiB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        finished.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if check and process.returncode != 0:
            sys.exit(f"benchmark: {' '.join(command)} failed ({process.returncode}):\n{err.read().decode()[-2000:]}")
        return {
            "seconds": seconds,
            "cpu": usage.ru_utime + usage.ru_stime,  # the child's and its reaped workers'
            "stdout": out.read().decode(),
            "peak_mb": sampled[1] / 2**20 if sampled[1] else usage.ru_maxrss / 1024,
            "tree_mb": sampled[0] / 2**20 if sample_tree and sampled[0] else None,
        }


def _sample_tree_rss(pid: int, finished: threading.Event, peak: list[int]) -> None:
    try:
        import psutil
    except ImportError:
        return
    while not finished.is_set():
        try:
            root = psutil.Process(pid)
            sizes = [process.memory_info().rss for process in [root, *root.children(recursive=True)]]
            peak[0] = max(peak[0], sum(sizes))
            peak[1] = max(peak[1], max(sizes))
        except psutil.Error:
            pass
        time.sleep(0.05)


def measure_child(kind: str, **arguments) -> dict:
    """Run the measurement ``kind`` of a section in a fresh process (its memory is its
    own); what it printed as JSON, with the process's peak RSS."""
    result = run([sys.executable, str(SCRIPT), "--measure", kind, "--arguments", json.dumps(arguments, default=str)])
    data = json.loads(result["stdout"])
    data["process_peak_mb"] = data.pop("own_peak_mb", None) or result["peak_mb"]
    return data


def current_rss_mb() -> float:
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started: Linux's VmHWM. (``ru_maxrss``
    also counts what the parent held when it forked this process, even across exec.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def load_now() -> str:
    """The machine's load averages (1, 5, 15 minutes): how busy it was."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def provenance() -> str:
    """One line saying when, on which code and how busy the machine was."""
    return f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, cleaner {code_version()}; load average before (1 / 5 / 15 min): {load_now()} on {os.cpu_count()} CPUs."


def code_version() -> str:
    """Which cleaner was measured: the commit, and whether its code had uncommitted changes."""
    import cleaner

    where = Path(cleaner.__file__).resolve().parents[1]
    try:
        git = ["git", "-C", str(where)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "cleaner", "templates"], capture_output=True, text=True, check=True).stdout.strip()
        return f"at commit {commit}" + (" with uncommitted changes to cleaner/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return f"from {where} (not a git checkout: an export of the commit named in the command)"


def machine() -> str:
    return f"{platform.machine()}, {_cpu_model()}, {os.cpu_count()} CPUs, {_memory_gb():.0f} GiB; {platform.system()} {platform.release()}; Python {platform.python_version()}"


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def file_system(scratch: Path | None) -> str:
    where = os.path.realpath(scratch or tempfile.gettempdir())
    best = ("", "unknown file system")
    try:
        for line in open("/proc/mounts", encoding="utf-8"):
            device, mount, kind = line.split()[:3]
            if (where == mount or where.startswith(mount.rstrip("/") + "/")) and len(mount) > len(best[0]):
                best = (mount, f"{kind} on {device}")
    except OSError:
        pass
    return best[1]


# --- the report's sections -------------------------------------------------------------------


def section_markers(name: str) -> tuple[str, str]:
    return f"<!-- benchmark:{name}:start -->", f"<!-- benchmark:{name}:end -->"


def wrap_section(name: str, text: str) -> str:
    start, end = section_markers(name)
    return f"{start}\n{text.strip()}\n{end}"


def kept_section(existing: str, name: str) -> str | None:
    """Section ``name`` of an earlier report, markers included (None when it has none)."""
    start, end = section_markers(name)
    found = re.search(re.escape(start) + r".*?" + re.escape(end), existing, re.DOTALL)
    return found.group(0) if found else None
