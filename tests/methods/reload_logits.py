"""In a fresh process: reload each trained run's result the way afina does and save its probe logits."""

import json
import sys
from pathlib import Path

import torch

from afina.config import load_config
from afina.methods import load_result
from afina.runfolder import RunFolder

from tiny_families import probe_logits

if __name__ == "__main__":
    for run in json.loads(Path(sys.argv[1]).read_text()):
        config = load_config(run["config"])
        folder = RunFolder(Path(run["run_dir"]))
        model, tokenizer = load_result(folder, config.model, config.seed)
        torch.save(probe_logits(model, tokenizer, folder.read_train_summary().head), folder.root / "reloaded_logits.pt")
