"""The FastAPI application: REST API under /api, the web UI at /, a CDN-free /docs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph import __version__
from newsgraph.api.problems import install_problem_handlers
from newsgraph.api.security import (
    BodyLimitMiddleware,
    RateLimiter,
    SecurityHeadersMiddleware,
    accepted_digests,
)
from newsgraph.api.services import (
    ExtractorFactory,
    PageFetcher,
    Services,
    default_extractor_factory,
    default_fetcher,
)
from newsgraph.config import Settings

STATIC_DIR = Path(__file__).resolve().parents[1] / "web" / "static"
# Files the UI cannot work without; scripts/build-web.sh (run by `make setup`) puts them there.
VENDOR_FILES = ("vendor/cytoscape.esm.min.js", "vendor/leaflet.js", "vendor/leaflet.markercluster.js",
                "vendor/topojson-client.min.js", "vendor/countries-50m.json")

# Same-origin only: the UI loads nothing from elsewhere (no CDN), and the browser enforces it.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
    "Referrer-Policy": "no-referrer",
}


class NewsgraphAPI(FastAPI):
    """FastAPI with the security headers outside Starlette's outermost error handler, so that every
    response carries them: 500s, 413s from the body limit and static files included."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(super().build_middleware_stack(), headers=SECURITY_HEADERS)

MISSING_VENDOR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsgraph: web UI not installed</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The web UI's libraries are not installed</h1>
<p>Missing: {missing}.</p>
<p>Run <code>make setup</code> (or <code>scripts/build-web.sh</code>) in the newsgraph checkout: it installs
the front-end libraries from npm (<code>npm ci</code>) and copies them into
<code>src/newsgraph/web/static/vendor/</code>. Then reload this page.</p>
<p>The REST API works without them: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>
"""


class HeadAsGetMiddleware:
    """Answer HEAD as GET without the body. HTTP expects it of every GET resource (``curl -I``, uptime
    checks, link checkers), and FastAPI routes only take the methods they declare, so it would be a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def missing_vendor_files(static_dir: Path) -> list[str]:
    return [f for f in VENDOR_FILES if not (static_dir / f).is_file()]


def create_app(settings: Settings, *, store: Any = None, db: str | None = None, private: bool = False,
               extractor_factory: ExtractorFactory = default_extractor_factory,
               fetcher: PageFetcher = default_fetcher, static_dir: Path = STATIC_DIR) -> FastAPI:
    """Build the app. Pass an open ``store`` (left open) or a ``db`` path (opened and closed with the app)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = None
        if app.state.services.store is None:
            from newsgraph.query import Store

            opened = Store.open(db or settings.db)
            app.state.services.store = opened
        try:
            yield
        finally:
            if opened is not None:
                opened.close()
                app.state.services.store = None

    app = NewsgraphAPI(title="newsgraph", version=__version__, lifespan=lifespan,
                  description="Sourced, structured intelligence from geopolitical news: articles, actors, "
                              "quotes, events, networks. Errors are application/problem+json.",
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.private = private
    app.state.api_key_digests = accepted_digests(settings.api_keys)
    app.state.rate_limiter = RateLimiter(settings.api_rate_limit)
    app.state.services = Services(settings, store, extractor_factory, fetcher)
    install_problem_handlers(app)

    from newsgraph.api.routes import router

    app.include_router(router)

    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["Location", "Retry-After", "X-Newsgraph-Article-Id"])
    app.add_middleware(HeadAsGetMiddleware)
    # Outermost, so an oversized body is refused before anything reads it.
    app.add_middleware(BodyLimitMiddleware, limit=settings.api_body_limit)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        missing = missing_vendor_files(static_dir)
        if missing:
            return HTMLResponse(MISSING_VENDOR_PAGE.format(missing=", ".join(missing)), status_code=503)
        return FileResponse(static_dir / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return FileResponse(static_dir / "docs.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api", include_in_schema=False)
    def api_index() -> dict[str, Any]:
        return {"name": "newsgraph", "version": __version__, "openapi": "/openapi.json", "docs": "/docs",
                "private": private}

    app.mount("/static", StaticFiles(directory=static_dir, check_dir=False), name="static")
    return app
