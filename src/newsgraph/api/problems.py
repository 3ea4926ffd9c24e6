"""Errors as RFC 9457 problem details (``application/problem+json``): type, title, status, detail."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://newsgraph.invalid/problems/"


class Problem(Exception):
    """Raise from anywhere in a request to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None, title: str | None = None,
                 headers: Mapping[str, str] | None = None, extra: Mapping[str, object] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or _slug(status)
        self.title = title or HTTPStatus(status).phrase
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(status: int, detail: str, *, kind: str | None = None, title: str | None = None,
                     headers: Mapping[str, str] | None = None, instance: str | None = None,
                     extra: Mapping[str, object] | None = None) -> JSONResponse:
    body: dict[str, object] = {
        "type": PROBLEM_TYPE_BASE + (kind or _slug(status)),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE)


def _validation_detail(errors: list[dict]) -> tuple[str, list[dict[str, object]]]:
    """One readable sentence plus a machine-readable list: where (query/body/path + field) and what."""
    items: list[dict[str, object]] = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        items.append({"location": ".".join(loc), "message": err.get("msg", "invalid"),
                      "input": err.get("input") if isinstance(err.get("input"), str | int | float) else None})
    parts = [f"{i['location'] or 'request'}: {i['message']}" for i in items]
    return "Invalid request: " + "; ".join(parts), items


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, kind=exc.kind, title=exc.title, headers=exc.headers,
                                instance=request.url.path, extra=exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and request.url.path.startswith("/static/vendor/"):
            detail = (f"Front-end library {request.url.path} is not installed; run `make setup` "
                      "(or scripts/build-web.sh) in the newsgraph checkout.")
        elif exc.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.url.path}; the API lives under /api (see /docs)."
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None),
                                instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, items = _validation_detail(list(exc.errors()))
        return problem_response(422, detail, kind="validation-error", title="Invalid request",
                                instance=request.url.path, extra={"errors": items})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never leak internals; the server log has the traceback.
        return problem_response(500, "The server failed to handle this request; see the server log.",
                                instance=request.url.path)
