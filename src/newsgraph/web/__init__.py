"""The web UI: static HTML, CSS and JavaScript modules in ``static/``, served by the API server."""
