"""In a fresh process: reload each trained run's result the way afina does and save its probe logits."""

import json
import sys
from pathlib import Path

import torch

from afina.config import load_config
from afina.models.generate import load_trained
from tiny_families import probe_logits

if __name__ == "__main__":
    for run in json.loads(Path(sys.argv[1]).read_text()):
        config = load_config(run["config"])
        summary = json.loads((Path(run["run_dir"]) / "train_summary.json").read_text())
        model, tokenizer = load_trained(Path(run["run_dir"]) / summary["artifact"], config, summary["task"],
                                        summary["labels"])
        torch.save(probe_logits(model, tokenizer, summary["task"]), Path(run["run_dir"]) / "reloaded_logits.pt")
