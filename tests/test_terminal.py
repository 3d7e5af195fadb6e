"""Quiet, readable output: where the output goes to a file (CI, nohup), progress is one plain line per
logged step, with no bar redraws and no raw metric dicts; warnings a user cannot act on are not shown."""

import subprocess
import sys

import pytest

from afina.terminal import progress_mode

from conftest import write_config


def test_progress_follows_the_output_and_the_environment(monkeypatch):
    monkeypatch.delenv("AFINA_PROGRESS", raising=False)
    assert progress_mode(quiet=True) == "none"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert progress_mode(quiet=False) == "lines"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert progress_mode(quiet=False) == "bars"
    monkeypatch.setenv("AFINA_PROGRESS", "lines")
    assert progress_mode(quiet=False) == "lines"


@pytest.mark.slow
def test_a_run_logged_to_a_file_reads_as_plain_lines(tiny_base, tmp_path):
    config = write_config(tmp_path, train={"max_steps": 8, "eval_steps": 4}, evaluate={"max_new_tokens": 4})
    done = subprocess.run(
        [sys.executable, "-m", "afina", "run", str(config)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    log = done.stdout + done.stderr
    assert "\r" not in log  # no progress bar redraws
    assert "{'loss'" not in log and "'eval_loss'" not in log  # no raw metric dicts
    assert "training: 8 steps" in done.stdout and "step 4/8: loss" in done.stdout and "eval_loss" in done.stdout
    assert "pip install kernels" not in log
    assert "Report:" in done.stdout
