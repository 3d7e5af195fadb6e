"""No telemetry: whatever the environment says, a process that runs afina has the hub client's usage
reporting (which TRL's trainers call) turned off, and a trainer built by afina sends nothing."""

import os
import subprocess
import sys

import pytest

CHECK = """
import sys
{first}
import afina.pipeline
import huggingface_hub.constants as constants
import os
print(os.environ["HF_HUB_DISABLE_TELEMETRY"], constants.HF_HUB_DISABLE_TELEMETRY)
"""


@pytest.mark.parametrize("first", ["", "import huggingface_hub, trl"], ids=["afina first", "hub client first"])
def test_a_run_sees_telemetry_turned_off(first):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_DISABLE_TELEMETRY", "HF_HUB_OFFLINE", "CI")}
    env["HF_HUB_DISABLE_TELEMETRY"] = "0"  # even a user's explicit 0: afina sends nothing
    out = subprocess.run([sys.executable, "-c", CHECK.format(first=first)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["1", "True"]


def test_trl_trainers_built_by_afina_send_no_telemetry(monkeypatch, tmp_path, tiny_base):
    """TRL calls huggingface_hub's send_telemetry from every trainer's __init__ unless CI or offline is set:
    with both unset, nothing may reach the network thread."""
    import huggingface_hub.utils._telemetry as telemetry

    from afina.config import load_config
    from afina.pipeline import Options, stage_prepare
    from afina.train import build_trainer

    from conftest import write_config

    sent = []

    class Queue:
        def put(self, item):
            sent.append(item)

    monkeypatch.setattr(telemetry, "_TELEMETRY_QUEUE", Queue())
    monkeypatch.setattr(telemetry, "_start_telemetry_thread", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(telemetry.constants, "HF_HUB_OFFLINE", False)
    config = load_config(write_config(tmp_path))
    stage_prepare(config, Options(quiet=True))
    build_trainer(config, config.run, quiet=True)
    assert sent == []
