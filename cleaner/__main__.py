"""The ``cleaner`` command's entry point (and ``python -m cleaner``).

``cleaner --version`` is answered here, before the command line itself (typer, click and
the pipeline its options describe) is imported: a script that checks the version should
not wait for a tenth of a second of imports. Everything else is ``cleaner.cli.main``.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"] and sys.stdout is not None:
        _print_version()
    from .cli import main as run_command_line

    run_command_line()


def _print_version() -> None:
    from . import __version__

    try:
        sys.stdout.write(f"cleaner {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (cleaner --version | true): not an error
        from .cli import _silence_stdout

        _silence_stdout()
    except OSError as error:  # a full disk: one line and the exit code of any output error
        from .errors import OutputError

        print(f"cleaner: error: cannot write to standard output: {error.strerror or error}", file=sys.stderr)
        sys.exit(OutputError.exit_code)
    sys.exit(0)


if __name__ == "__main__":
    main()
