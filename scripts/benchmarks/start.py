"""How fast the command line starts: ``cleaner --version``, converting the seed, and a bare
``python -c pass`` beside them for scale, each run many times, in turn (a burst of load
on a shared machine then touches every command alike); medians, with the fastest and
slowest run. Then where a conversion's time goes, inside one process."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from .common import SEED, cleaner_command, median, provenance

#: Targets of issue 13 (median wall time, seconds).
TARGETS = {"cleaner --version": 0.15, "cleaner convert SEED": 0.3}


def commands() -> dict[str, list[str]]:
    cleaner = cleaner_command()
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "cleaner --version": [*cleaner, "--version"],
        "cleaner convert SEED": [*cleaner, "convert", str(SEED)],
        "cleaner convert SEED --to json": [*cleaner, "convert", str(SEED), "--to", "json"],
        "cleaner convert SEED --to html": [*cleaner, "convert", str(SEED), "--to", "html"],
        "cleaner --help": [*cleaner, "--help"],
    }


def phases() -> dict:
    """Inside one ``cleaner convert SEED``: the time of each step, in a fresh process."""
    clock = time.perf_counter
    marks = [("start", clock())]
    import cleaner  # noqa: F401

    marks.append(("import cleaner (errors, model, renderer table)", clock()))
    import cleaner.cli

    marks.append(("import the command line (typer, the pipeline, rules, rule packs' code)", clock()))
    import typer.main

    typer.main.get_command(cleaner.cli.app)
    marks.append(("typer builds the commands", clock()))
    from cleaner import Cleaner, render

    configured = Cleaner()
    marks.append(("Cleaner(): read and compile the rule packs", clock()))
    data = SEED.read_bytes()
    article = configured.clean(data)
    marks.append(("first clean (patterns compiled on first use)", clock()))
    render(article, "md")
    marks.append(("first Markdown render (the renderer's module)", clock()))
    configured.clean(data)
    marks.append(("a second clean, for comparison", clock()))
    return {"phases": [(name, after - before) for (_, before), (name, after) in zip(marks, marks[1:])]}


MEASURES = {"phases": lambda: phases()}


def section(repeats: int) -> str:
    from .common import measure_child

    when = provenance()
    timings: dict[str, list[float]] = {name: [] for name in commands()}
    for _ in range(repeats):
        for name, command in commands().items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            timings[name].append(time.perf_counter() - started)
    split = [measure_child("phases") for _ in range(3)]
    bare = median(timings["python -c pass"])
    lines = [
        "## Start of the command line",
        "",
        when,
        "",
        f"Each command run {repeats} times, in turn, output to /dev/null; wall time in seconds. SEED is `seeds/000_e4caed1a0f944f3c.txt`;"
        " `cleaner` is the installed console script. The machine is shared: compare a row with `python -c pass` of the same run.",
        "",
        "| command | median | fastest | slowest | median beyond `python -c pass` | target | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, values in timings.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("yes" if median(values) <= target else "**no**")
        lines.append(f"| `{name}` | {median(values):.3f} | {min(values):.3f} | {max(values):.3f} | {median(values) - bare:.3f} | {'' if target is None else f'{target:.2f}'} | {verdict} |")
    lines += [
        "",
        "Where `cleaner convert SEED` spends its time, step by step in one process (milliseconds; median of 3 fresh processes):",
        "",
        "| step | ms |",
        "|---|---:|",
    ]
    for index, (name, _) in enumerate(split[0]["phases"]):
        lines.append(f"| {name} | {median([run['phases'][index][1] for run in split]) * 1000:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m benchmarks.start
    print(json.dumps(phases(), indent=2))
