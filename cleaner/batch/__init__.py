"""``cleaner batch``: clean whole corpora (file trees and JSONL dumps), in parallel, safely.

    from cleaner.batch import BatchJob, ProcessEngine, run_batch

    summary = run_batch(BatchJob(inputs=(Path("corpus"),), out=Path("cleaned")), ProcessEngine(4))
    summary.exit_code  # 0, or 1 when some record failed (listed in cleaned/manifest.jsonl)

Modules: ``sources`` walks the inputs, ``runner`` drives the work in order through an
engine (``local``: inline or processes; ``dask_engine``), ``worker`` cleans one chunk,
``outputs`` and ``manifest`` write results so that a killed run can be resumed.
"""

from .dask_engine import DaskEngine
from .job import BatchJob, Summary
from .local import InlineEngine, ProcessEngine
from .manifest import MANIFEST_NAME
from .runner import WorkerError, run_batch

__all__ = ["MANIFEST_NAME", "BatchJob", "DaskEngine", "InlineEngine", "ProcessEngine", "Summary", "WorkerError", "run_batch"]
