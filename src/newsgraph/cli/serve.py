"""``newsgraph serve``: the REST API and the web UI on uvicorn."""

from __future__ import annotations

from pathlib import Path

import typer

from newsgraph.cli.options import DbOption
from newsgraph.config import Settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
    private: bool = typer.Option(False, "--private", help="Require an API key for reads too."),
    config: Path = typer.Option(None, "--config", exists=True, dir_okay=False,
                                help="TOML config file (default: NEWSGRAPH_CONFIG or ./newsgraph.toml)."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the REST API under /api, its reference at /docs and the web UI at /."""
    import uvicorn

    from newsgraph.api.app import STATIC_DIR, create_app, missing_vendor_files

    settings = Settings.load(config_file=config)
    if db:
        settings = settings.updated({"db": db})
    if not settings.api_keys:
        typer.echo("newsgraph serve: no API keys configured, so writes (ingest from the UI, POST /api/…) are "
                   "refused; set NEWSGRAPH_API_KEYS=<key>[,<key>…] to allow them.", err=True)
    elif private:
        typer.echo("newsgraph serve: private mode, every /api request needs an API key.", err=True)
    missing = missing_vendor_files(STATIC_DIR)
    if missing:
        typer.echo(f"newsgraph serve: web UI libraries missing ({', '.join(missing)}); run `make setup` "
                   "(scripts/build-web.sh). The API works without them.", err=True)
    app = create_app(settings, db=settings.db, private=private)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"newsgraph serve: store {settings.db}; UI http://{shown}:{port}/ , API docs http://{shown}:{port}/docs",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
