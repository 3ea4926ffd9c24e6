"""API keys are kept only as SHA-256 digests; a presented key is hashed and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac


def hash_key(key: str) -> str:
    key = key.strip()
    if key.startswith("sha256:"):  # already hashed (config files may store digests)
        return key.removeprefix("sha256:")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(presented: str, digests: tuple[str, ...]) -> bool:
    digest = hashlib.sha256(presented.encode("utf-8")).hexdigest()
    return any(hmac.compare_digest(digest, d) for d in digests)
