"""newsgraph: sourced, structured intelligence from geopolitical news."""

__version__ = "0.1.0"

from newsgraph.contract import SCHEMA_ID, Extraction  # noqa: E402

__all__ = ["SCHEMA_ID", "Extraction", "__version__"]
