"""The local engine: ``--jobs 1`` runs inline, ``--jobs N`` runs N worker processes.

What the runner asks of an engine (this one, or ``DaskEngine``): use as a context
manager; ``submit(function, *args)`` returns a future; ``slots`` says how many chunks
run at once; ``stop()`` drops queued work (Ctrl-C); ``workers_write_files`` says whether
workers write per-file outputs themselves. The runner decides what to submit and in which
order it collects the results; it never sees processes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor


class InlineEngine:
    """Runs each chunk at once in this process: no start-up cost and no copying."""

    slots = 1
    workers_write_files = False  # the same path as ProcessEngine: outputs written by the runner

    def __enter__(self) -> InlineEngine:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        future.set_result(function(*args))
        return future

    def stop(self) -> None:
        pass


class ProcessEngine:
    """N worker processes (spawned fresh: no fork of a process that runs threads).

    Workers clean and render; this process writes the per-file outputs. Creating files
    from several processes at once contends in the file system (on ext4 here, two
    processes creating files each ran 3 times slower than one alone), and one writer
    keeps up with many workers.
    """

    workers_write_files = False

    def __init__(self, jobs: int) -> None:
        self.slots = jobs
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessEngine:
        self._executor = ProcessPoolExecutor(
            self.slots,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def submit(self, function, *args) -> Future:
        return self._executor.submit(function, *args)

    def stop(self) -> None:
        """Drop the queued chunks and wait for the running ones (each takes well under a second)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _start_worker(parent: int) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed with -9 cannot tell its workers; they notice and leave on their own.
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
