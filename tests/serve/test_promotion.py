"""Promotion and rollback move a name's production pointer, and a running server of NAME@production
serves the model it points to within seconds, without a restart."""

from __future__ import annotations

import shutil
import time

import openai
import pytest

from afina.cli import main
from afina.errors import ConfigError
from afina.registry import Registry

from serving import KEY, live

CHAT = [{"role": "user", "content": "¿Cuánto cuesta la cafetera Brisa?"}]


def _register(registry, tmp_path, name, adapter):
    folder = tmp_path / name
    shutil.copytree(adapter, folder / "adapter")
    (folder / "config.yaml").write_text(f"name: {name}\n")
    registry.record_run(folder, name, "gate_passed", {}, model={"kind": "adapter", "path": folder / "adapter",
                                                               "parent": None})  # fmt: skip


def test_the_pointer_moves_forward_and_back(tmp_path, models):
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    for name, adapter in (("v1", "a"), ("v2", "b"), ("v3", "a")):
        _register(registry, tmp_path, name, models[adapter])
    ids = {m.path.split("/")[-2]: m.id for m in registry.models()}
    with pytest.raises(ConfigError, match="nothing is promoted"):
        registry.rollback("shop")
    registry.promote("shop", ids["v1"])
    with pytest.raises(ConfigError, match="no earlier model"):
        registry.rollback("shop")
    registry.promote("shop", ids["v2"])
    registry.promote("shop", ids["v2"])  # again: not a step of its own
    registry.promote("shop", ids["v3"])
    assert registry.rollback("shop").id == ids["v2"]
    assert registry.rollback("shop").id == ids["v1"]  # a rollback of a rollback goes further back
    with pytest.raises(ConfigError, match="no earlier model"):
        registry.rollback("shop")
    assert registry.pointer("shop").id == ids["v1"] and registry.pointer("shop", "staging") is None


def test_a_running_server_follows_promotions_and_rollbacks(tmp_path, models, client, capsys):
    from afina.serve import Catalog, Settings, create_app, hash_key, resolve

    url = f"sqlite:///{tmp_path / 'r.db'}"
    registry = Registry(url)
    for name, adapter in (("v1", "a"), ("v2", "b")):
        _register(registry, tmp_path, name, models[adapter])

    def answer(c, model):
        reply = c.chat.completions.create(model=model, messages=CHAT, temperature=0, max_tokens=10)
        return reply.choices[0].message.content

    expected = {"a": answer(client, "a"), "b": answer(client, "b")}  # the same adapters on another server
    assert expected["a"] != expected["b"]

    assert main(["promote", "v1", "--as", "shop", "--registry", url]) == 0
    catalog = Catalog([resolve("shop@production", registry)], registry, max_batch=4)
    settings = Settings(key_hashes=frozenset({hash_key(KEY)}), promotion_refresh_s=0.1)
    with live(create_app(catalog, settings, registry)) as base:
        shop = openai.OpenAI(base_url=base + "/v1", api_key=KEY, max_retries=0)

        def serves(adapter: str, within: float = 20.0) -> bool:
            deadline = time.monotonic() + within
            while time.monotonic() < deadline:
                if answer(shop, "shop") == expected[adapter]:
                    return True
                time.sleep(0.1)
            return False

        assert serves("a")
        assert main(["promote", "v2", "--as", "shop", "--registry", url]) == 0
        assert serves("b")
        assert len(catalog.engines) == 1  # v2's adapter joined the base already in memory
        assert main(["rollback", "shop", "--registry", url]) == 0
        assert serves("a")
        assert [m.id for m in shop.models.list().data] == ["afina:tiny-test", "shop"]
    catalog.close()
