"""Article identity: canonical URLs and MinHash signatures for near-identical copies (syndication).

Wire stories are republished with small edits (a different headline, a trailing paragraph, a
byline).  Word 5-shingles over normalised text and a 128-value MinHash estimate the Jaccard
similarity; 32 LSH bands of 4 rows find candidates (a pair with Jaccard 0.8 shares a band with
probability > 0.9999) so a new article is compared only with a handful of stored ones.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
DUPLICATE_THRESHOLD = 0.8
_MERSENNE = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1

# Query parameters that track the reader, not the article.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid|ref|ref_src|src)$", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters, no trailing slash, sorted query."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    scheme = parts.scheme.lower()
    if scheme == "http":
        scheme = "https"  # the same page is often linked both ways
    host = host.removesuffix(":443").removesuffix(":80")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def normalise_text(text: str) -> list[str]:
    """Lower-cased word tokens with accents folded."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded.lower())


def _permutations() -> list[tuple[int, int]]:
    # Derived deterministically so signatures are comparable across processes and runs.
    perms = []
    for i in range(NUM_PERM):
        digest = hashlib.sha256(f"newsgraph-minhash-{i}".encode()).digest()
        a, b = struct.unpack("<QQ", digest[:16])
        perms.append((a % (_MERSENNE - 1) + 1, b % _MERSENNE))
    return perms


@dataclass(frozen=True)
class MinHasher:
    perms: tuple[tuple[int, int], ...] = tuple(_permutations())

    def signature(self, text: str) -> tuple[int, ...] | None:
        """The MinHash of the text's word shingles; None for texts too short to judge."""
        words = normalise_text(text)
        if len(words) < SHINGLE * 4:
            return None
        hashes = {
            int.from_bytes(
                hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=4).digest(), "little"
            )
            for i in range(len(words) - SHINGLE + 1)
        }
        sig = []
        for a, b in self.perms:
            sig.append(min(((a * h + b) % _MERSENNE) & _MAX_HASH for h in hashes))
        return tuple(sig)


def bands(signature: tuple[int, ...]) -> list[tuple[int, str]]:
    """(band number, bucket key) pairs for LSH lookup."""
    out = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS]
        out.append((band, hashlib.blake2b(repr(chunk).encode(), digest_size=10).hexdigest()))
    return out


def similarity(sig_a: tuple[int, ...], sig_b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    same = sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y)
    return same / len(sig_a)


def encode_signature(signature: tuple[int, ...]) -> str:
    return " ".join(str(v) for v in signature)


def decode_signature(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split())


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
