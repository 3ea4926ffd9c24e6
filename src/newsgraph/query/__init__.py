"""Queries over the store: each returns pydantic rows; list functions return a ``Page``."""

from newsgraph.query import models, queries
from newsgraph.query.models import *  # noqa: F403  (the row models: models.__all__)
from newsgraph.query.queries import *  # noqa: F403  (the query functions: queries.__all__)
from newsgraph.store import IngestReport, Store

__all__ = ["IngestReport", "Store"]
__all__ += models.__all__
__all__ += queries.__all__
