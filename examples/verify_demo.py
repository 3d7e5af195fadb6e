"""Check that a run's adapter works outside afina: load it with plain peft, merge it and load the
merged model with plain transformers, and compare their greedy answers with afina's (eval.json).

    python examples/verify_demo.py runs/quickstart [N]

Exits 1 on any difference. Uses only transformers and peft, as a user of the adapter would.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import torch
import yaml
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer


def greedy(model, tokenizer, question: str, max_new_tokens: int) -> str:
    """One prompt at a time, no padding: the plainest way to generate."""
    ids = tokenizer.apply_chat_template(
        [{"role": "user", "content": question}], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.inference_mode():
        out = model.generate(**ids, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    return tokenizer.decode(out[0, ids["input_ids"].shape[1] :], skip_special_tokens=True).strip()


def verify(run_dir: Path, count: int = 12) -> dict[str, list[str]]:
    """Answers of plain peft and of the merged plain-transformers model; raises if either differs from afina's."""
    run_dir = Path(run_dir)
    results = json.loads((run_dir / "eval" / "eval.json").read_text())
    config = json.loads((run_dir / "adapter" / "adapter_config.json").read_text())
    max_new_tokens = yaml.safe_load((run_dir / "config.yaml").read_text())["evaluate"]["max_new_tokens"]
    examples = results["examples"][:count]
    expected = [x["tuned"] for x in examples]

    tokenizer = AutoTokenizer.from_pretrained(run_dir / "adapter")
    base = AutoModelForCausalLM.from_pretrained(config["base_model_name_or_path"])
    adapted = PeftModel.from_pretrained(base, run_dir / "adapter").eval()
    answers = {"peft": [greedy(adapted, tokenizer, x["prompt"], max_new_tokens) for x in examples]}
    with tempfile.TemporaryDirectory() as merged_dir:
        adapted.merge_and_unload().save_pretrained(merged_dir)
        merged = AutoModelForCausalLM.from_pretrained(merged_dir).eval()
        answers["merged"] = [greedy(merged, tokenizer, x["prompt"], max_new_tokens) for x in examples]
    for name, got in answers.items():
        for x, want, have in zip(examples, expected, got):
            if want != have:
                raise AssertionError(f"{name} differs from afina on {x['prompt']!r}: {have!r} != {want!r}")
    return answers


if __name__ == "__main__":
    run = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/quickstart")
    try:
        answers = verify(run, int(sys.argv[2]) if len(sys.argv) > 2 else 12)
    except AssertionError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        raise SystemExit(1)
    print(
        f"verify: plain peft and the merged transformers model give afina's greedy answers on "
        f"{len(answers['peft'])} test prompts ({run / 'adapter'})"
    )
