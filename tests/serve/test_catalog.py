"""What `--model` names: a registered run (its newest result), a folder, ID=PATH; and what is refused."""

from __future__ import annotations

import json
import shutil

import pytest

from afina.cli import main
from afina.errors import ConfigError
from afina.registry import Registry
from afina.serve import resolve


def test_a_registered_name_resolves_to_its_newest_result(tmp_path, models):
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    for run in ("old", "new"):
        folder = tmp_path / run / "adapter"
        shutil.copytree(models["a"], folder)
        (tmp_path / run / "config.yaml").write_text("name: shop\n")
        registry.record_run(
            tmp_path / run, "shop", "trained", {}, model={"kind": "adapter", "path": folder, "parent": None}
        )
    spec = resolve("shop", registry)
    assert (spec.id, spec.kind, spec.path) == ("shop", "adapter", (tmp_path / "new" / "adapter").resolve())
    assert resolve(f"other={tmp_path / 'old'}").id == "other"
    assert resolve(str(tmp_path / "old")).id == "old"  # a run folder: served under the run's name
    with pytest.raises(ConfigError, match="no run named 'shoe'.*runs: shop"):
        resolve("shoe", registry)
    with pytest.raises(ConfigError, match="has no merged"):
        resolve("shop:merged", registry)


def test_adapters_peft_cannot_batch_are_refused(tmp_path, models):
    dora = shutil.copytree(models["a"], tmp_path / "dora")
    config = json.loads((dora / "adapter_config.json").read_text())
    (dora / "adapter_config.json").write_text(json.dumps(config | {"use_dora": True}))
    from afina.serve import Catalog

    with pytest.raises(ConfigError, match="DoRA adapter.*LoRA adapters only"):
        Catalog([resolve(str(dora))])


def test_the_command_refuses_what_it_cannot_serve(tmp_path, capsys):
    assert main(["serve", "--model", str(tmp_path / "nothing"), "--registry", f"sqlite:///{tmp_path / 'r.db'}"]) == 2
    assert "no such folder, and no run named" in capsys.readouterr().err


def test_print_vllm_writes_one_command_per_base_with_its_adapters(models, capsys, tmp_path):
    args = ["serve", "--print-vllm", "--registry", f"sqlite:///{tmp_path / 'r.db'}"]
    for name in ("a", "b", "endless"):
        args += ["--model", f"{name}={models[name]}"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("vllm serve ") and "--served-model-name afina:tiny-test --enable-lora" in lines[0]
    assert f"--lora-modules a={models['a']} b={models['b']} --max-loras 2 --max-lora-rank 8" in lines[0]
    assert lines[1].startswith(f"vllm serve {models['endless']} --served-model-name endless")
