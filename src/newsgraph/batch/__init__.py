"""Scale-out: the extraction pipeline over shards, on local worker processes or a Ray cluster.

``extract_shard`` is the pure core; ``run_batch`` drives an engine over a whole input and writes
Parquet (or JSONL) shards; ``read_extractions`` loads them back (for ``newsgraph ingest
--from-parquet``). Ray is optional and imported only when ``--engine ray`` is asked for.
"""

from __future__ import annotations

from .core import BatchError, ShardSpec, default_extractor_factory, extract_shard, plan_shards
from .load import load_shards
from .runner import BatchOptions, BatchSummary, ShardRecord, run_batch
from .shards import read_extractions, read_items, read_table, write_shard

__all__ = [
    "BatchError", "BatchOptions", "BatchSummary", "ShardRecord", "ShardSpec", "default_extractor_factory",
    "extract_shard", "load_shards", "plan_shards", "read_extractions", "read_items", "read_table",
    "run_batch", "write_shard",
]
