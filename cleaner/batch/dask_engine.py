"""The Dask engine: the same chunks, run on a Dask cluster (``pip install cleaner[dask]``).

Without ``--scheduler`` a ``LocalCluster`` of ``--jobs`` single-threaded worker processes
is started for the run. With a scheduler address, the workers must see the inputs and
``--out`` at the same paths (a shared file system); JSONL lines travel with the chunks.
"""

from __future__ import annotations

from ..errors import UsageError


class DaskEngine:
    #: Workers on other machines write their outputs to the shared file system themselves.
    workers_write_files = True

    def __init__(self, *, scheduler: str | None = None, jobs: int = 1, client=None) -> None:
        self.scheduler = scheduler
        self.jobs = jobs
        self.client = client
        self._owned: list = []  # the client and cluster this engine started, closed on exit
        self.slots = 1

    def __enter__(self) -> DaskEngine:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--engine dask needs Dask: pip install 'cleaner[dask]'") from None
        if self.client is None:
            if self.scheduler:
                try:
                    self.client = Client(self.scheduler, timeout="10s")
                except OSError as error:
                    raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None
            else:
                cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
                self.client = Client(cluster)
                self._owned.append(cluster)
            self._owned.insert(0, self.client)
        threads = sum(self.client.nthreads().values())
        self.slots = max(1, threads)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        for resource in self._owned:
            resource.close()
        self._owned.clear()

    def submit(self, function, *args):
        return self.client.submit(function, *args, pure=False)

    def stop(self) -> None:
        pass  # the runner cancels its own futures; the cluster closes on exit
