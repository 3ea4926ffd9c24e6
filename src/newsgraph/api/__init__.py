"""REST API and web UI server (``newsgraph serve``)."""

from newsgraph.api.app import create_app

__all__ = ["create_app"]
