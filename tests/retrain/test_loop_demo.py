"""The loop demo (examples/loop/run_loop.py, `make demo-loop`) end to end on the tiny base: the same steps
and the same expected exit codes (drift flagged, the broken retrain refused, the good one promoted and
served without a restart, rollback served), in a minute or two."""

from __future__ import annotations

import pytest

from afina.registry import Registry

from conftest import ROOT


@pytest.mark.slow
def test_the_loop_demo_runs_end_to_end(tiny_base, tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "examples" / "loop"))
    import run_loop

    out = tmp_path / "loop"
    assert run_loop.main(["--smoke", str(tiny_base), "--out", str(out), "--data", str(tmp_path / "data")]) == 0
    printed = capsys.readouterr().out
    assert "| lumbre-v2-rota (broken corrections) |" in printed and "refused |" in printed, printed
    registry = Registry(f"sqlite:///{out / 'registry.db'}")
    assert registry.pointer("lumbre").path == str((out / "lumbre-v1" / "adapter").resolve())  # rolled back
