"""The serve stage: an OpenAI-compatible HTTP API over registered runs or model folders, every LoRA adapter of a
base batched over one copy of its weights (continuous batching, afina.serve.engine), with API keys, limits,
metrics and a redacted request log.

`afina serve --model NAME ...` (afina.cli) starts it; `create_app` gives the ASGI app for tests and embedding.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from afina.serve.app import Settings, create_app, hash_key
from afina.serve.catalog import Catalog, plan, resolve, vllm_commands

__all__ = ["Catalog", "Settings", "add_key", "create_app", "hash_key", "print_vllm", "resolve", "serve"]


def add_key(registry, name: str) -> str:
    """Make a new key, store its hash in the registry under `name`, and return the key (shown once)."""
    key = "afk-" + secrets.token_urlsafe(24)
    registry.add_api_key(name, hash_key(key))
    return key


def print_vllm(models: list[str], registry=None) -> None:
    """Print the `vllm serve` commands that serve the same ids on a GPU machine (nothing is loaded here)."""
    for command in vllm_commands(plan([resolve(m, registry) for m in models], registry)):
        print(command)


def serve(
    models: list[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    api_keys: list[str] | None = None,
    no_api_key: bool = False,
    registry=None,
    max_batch: int = 32,
    max_waiting: int = 64,
    adapter_memory_mb: int = 1024,
    request_log: Path | None = None,
    log_pii: bool = False,
    max_tokens: int = 1024,
    max_n: int = 8,
) -> None:
    """Load the models and serve them until interrupted. Keys: --api-key, else AFINA_API_KEY, and the registry's
    named keys (`afina keys add`); with none of them and without --no-api-key, a random key is made and
    printed: the server never starts open by accident."""
    import uvicorn

    keys = list(api_keys or []) or [k for k in [os.environ.get("AFINA_API_KEY")] if k]
    named = registry is not None and any(not k.revoked for k in registry.api_keys())
    if not keys and not named and not no_api_key:
        keys = [secrets.token_urlsafe(24)]
        print(f"API key (made for this run; pass --api-key to choose one): {keys[0]}", file=sys.stderr)
    specs = [resolve(m, registry) for m in models]
    catalog = Catalog(specs, registry, adapter_memory=adapter_memory_mb << 20, max_batch=max_batch,
                      max_waiting=max_waiting)  # fmt: skip
    settings = Settings(
        key_hashes=frozenset(hash_key(k) for k in keys),
        open=no_api_key and not keys and not named,
        max_tokens=max_tokens,
        max_n=max_n,
        request_log=request_log,
        redact_log=not log_pii,
    )
    for served in catalog.models.values():
        print(f"serving {served.id} ({served.kind}{' on ' + served.parent if served.parent else ''})", file=sys.stderr)
    print(f"API: http://{host}:{port}/v1 · chat page: http://{host}:{port}/ · metrics: /metrics", file=sys.stderr)
    try:
        uvicorn.run(create_app(catalog, settings, registry), host=host, port=port, log_level="warning")
    finally:
        catalog.close()
