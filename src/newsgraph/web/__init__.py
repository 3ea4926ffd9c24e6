"""The web UI's static files (HTML, CSS, JavaScript modules) live in ``static/``; the API server serves them."""
