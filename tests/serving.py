"""The serve tests' fixtures (a plugin of tests/conftest.py: a conftest.py in tests/serve would shadow the
root one for `from conftest import`): two LoRA adapters of different random weights on the tiny base, a random
model that never ends its answers, and a live server of them behind uvicorn on a free loopback port."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

import pytest

KEY = "test-key-123"


def lora_adapter(base: Path, out: Path, seed: int) -> Path:
    """A LoRA adapter on the base with random A and B (init_lora_weights=False), so it changes the answers."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(base)
    config = LoraConfig(r=4, lora_alpha=32, target_modules="all-linear", init_lora_weights=False)
    get_peft_model(model, config).save_pretrained(out)
    return out


def endless_model(base: Path, out: Path) -> Path:
    """A random model of the base's vocabulary whose end-of-answer token can never win greedy decoding (its
    output row is zero and the others are not), for tests that need an answer to run as long as asked."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(base)
    torch.manual_seed(0)
    model = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=len(tokenizer),
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=4096,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )  # fmt: skip
    )
    with torch.no_grad():
        model.lm_head.weight.normal_(std=2.0)
        model.lm_head.weight[tokenizer.eos_token_id] = 0
        model.model.norm.weight.fill_(1.0)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@contextlib.contextmanager
def live(app):
    """Serve an ASGI app on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def models(tiny_base, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("served")
    return {
        "a": lora_adapter(tiny_base, root / "a", seed=1),
        "b": lora_adapter(tiny_base, root / "b", seed=2),
        "endless": endless_model(tiny_base, root / "endless"),
    }


@pytest.fixture(scope="module")
def server(models, tmp_path_factory):
    """(base URL, app) of a server of adapters a and b on the tiny base (served as afina:tiny-test), and endless;
    its feedback goes to a registry of its own."""
    from afina.registry import Registry
    from afina.serve import Catalog, Settings, create_app, hash_key, resolve

    specs = [resolve(f"{name}={path}") for name, path in models.items()]
    catalog = Catalog(specs, max_batch=8, max_waiting=8)
    folder = tmp_path_factory.mktemp("server")
    settings = Settings(key_hashes=frozenset({hash_key(KEY)}), max_tokens=512, request_log=folder / "requests.jsonl")
    app = create_app(catalog, settings, Registry(f"sqlite:///{folder / 'registry.db'}"))
    with live(app) as url:
        yield url, app
    catalog.close()


@pytest.fixture(scope="module")
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=server[0] + "/v1", api_key=KEY, max_retries=0, timeout=60)
