"""API keys, per-client rate limiting and the request body limit."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsgraph.api.problems import Problem, problem_response
from newsgraph.api_keys import hash_key, key_matches


@dataclass(frozen=True)
class Caller:
    """Who is calling: ``identity`` keys the rate limit (a key digest, else the client address)."""

    identity: str
    authenticated: bool


_HEX = frozenset("0123456789abcdef")


def accepted_digests(configured: tuple[str, ...]) -> tuple[str, ...]:
    """SHA-256 digests from ``Settings.api_keys``: digests ("sha256:<hex>" or bare hex) pass through; anything
    else is a key written in clear in a config file, and is hashed here so only digests are kept in memory."""
    out = []
    for entry in configured:
        value = entry.strip()
        if value.startswith("sha256:"):
            out.append(value.removeprefix("sha256:").lower())
        elif len(value) == 64 and set(value.lower()) <= _HEX:
            out.append(value.lower())
        elif value:
            out.append(hash_key(value))
    return tuple(out)


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def identify(authorization: str | None, client_host: str | None, digests: tuple[str, ...], *,
             key_required: bool, purpose: str) -> Caller:
    """Check the ``Authorization`` header. A presented key must be valid even where none is required."""
    challenge = {"WWW-Authenticate": 'Bearer realm="newsgraph"'}
    token = bearer_token(authorization)
    if authorization and token is None:
        raise Problem(401, "Malformed Authorization header; send 'Authorization: Bearer <api key>'.",
                      kind="unauthorized", headers=challenge)
    if token is not None:
        if not digests or not key_matches(token, digests):
            raise Problem(401, "The API key is not valid.", kind="invalid-api-key", headers=challenge)
        return Caller("key:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:16], True)
    if key_required:
        if not digests:
            raise Problem(403, f"{purpose} needs an API key, and this server has none configured; "
                          "set NEWSGRAPH_API_KEYS (comma-separated) or api_keys in the config file.",
                          kind="no-api-keys-configured")
        raise Problem(401, f"{purpose} needs an API key: send 'Authorization: Bearer <api key>'.",
                      kind="api-key-required", headers=challenge)
    return Caller("client:" + (client_host or "unknown"), False)


@dataclass
class RateLimiter:
    """Sliding one-minute window per caller identity; thread-safe (sync endpoints run in a threadpool)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    window: float = 60.0
    max_identities: int = 10_000
    _hits: dict[str, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def check(self, identity: str) -> None:
        """Record one request, or raise a 429 problem with Retry-After (seconds) when over the limit."""
        if self.per_minute <= 0:  # 0 disables the limit
            return
        now = self.clock()
        with self._lock:
            if len(self._hits) > self.max_identities:
                self._prune(now)
            hits = self._hits.setdefault(identity, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.per_minute:
                retry = max(1, math.ceil(hits[0] + self.window - now))
                raise Problem(429, f"Rate limit of {self.per_minute} requests per minute exceeded; "
                              f"retry in {retry} s.", kind="rate-limited",
                              headers={"Retry-After": str(retry)})
            hits.append(now)

    def _prune(self, now: float) -> None:
        for ident in [i for i, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[ident]


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.limit:
                    await self._too_large(scope, receive, send)
                    return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._respond(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._respond(scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(413, f"Request body is larger than the limit of {self.limit:,} bytes "
                                    "(api_body_limit).", kind="body-too-large", instance=scope.get("path"))
        await response(scope, receive, send)


class _BodyTooLarge(HTTPException):
    # FastAPI's HTTPException, which its body parsing re-raises as is (it turns other errors into a 400).
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body is larger than the limit of {limit:,} bytes (api_body_limit).")


class SecurityHeadersMiddleware:
    """Adds fixed headers (CSP, nosniff…) to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
