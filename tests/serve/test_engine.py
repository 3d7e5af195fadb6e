"""The batching engine alone: rows that join a running batch, prompts of different lengths read together
(packed), and rows that leave, each give the answer it gives alone, the one transformers' generate() gives."""

from __future__ import annotations

import time

import torch

from afina.serve.engine import Engine, Sampling, Sequence, wait_idle

QUESTIONS = [
    "¿Cuánto cuesta la cafetera Brisa?",
    "Hola, buenos días. Les escribo porque quería saber cuál es el horario de la tienda de Bilbao",
    "¿Envíos?",
    "¿Cuánto dura la garantía de la tostadora Duna y qué cubre exactamente si se estropea?",
]


def _setup(models):
    from peft import AutoPeftModelForCausalLM
    from transformers import AutoTokenizer

    model = AutoPeftModelForCausalLM.from_pretrained(models["a"]).eval()
    tokenizer = AutoTokenizer.from_pretrained(model.peft_config["default"].base_model_name_or_path)
    ids = [
        tokenizer(
            tokenizer.apply_chat_template([{"role": "user", "content": q}], add_generation_prompt=True, tokenize=False),
            add_special_tokens=False,
        )["input_ids"]
        for q in QUESTIONS
    ]
    return model, tokenizer, ids


def test_rows_joining_and_leaving_answer_as_they_would_alone(models):
    model, tokenizer, ids = _setup(models)
    with torch.no_grad():
        reference = []
        for prompt in ids:
            out = model.generate(input_ids=torch.tensor([prompt]), max_new_tokens=16, do_sample=False)
            new = out[0, len(prompt) :].tolist()
            reference.append(new[: new.index(tokenizer.eos_token_id)] if tokenizer.eos_token_id in new else new)
    engine = Engine(model, tokenizer)
    assert engine._packed  # SDPA: the prompts are read packed, end to end
    try:

        def run(groups, pause=0.0):
            out = [[] for _ in ids]
            for group in groups:
                engine.submit(*[Sequence(ids[i], Sampling(max_tokens=16, temperature=0), out[i].append) for i in group])
                time.sleep(pause)
            wait_idle(engine)
            return ["".join(e.text for e in events) for events in out]

        expected = [tokenizer.decode(r, skip_special_tokens=True) for r in reference]
        assert run([[0, 1, 2, 3]]) == expected  # four prompts of different lengths in one packed prefill
        assert run([[0], [1, 2], [3]], pause=0.01) == expected  # rows join a running batch
        assert run([[i] for i in range(4)], pause=0.2) == expected
        assert engine.stats["finished_stop"] + engine.stats["finished_length"] == 12
    finally:
        engine.close()


def test_adapters_past_the_memory_budget_are_evicted_least_recently_used_first(models, tmp_path):
    """With room for two adapters, a third evicts the one used longest ago, never one in use, and an evicted
    adapter answers as before once it is loaded again."""
    import shutil

    from transformers import AutoModelForCausalLM

    from afina.serve.adapters import AdapterSet, adapter_base, adapter_bytes

    c = shutil.copytree(models["a"], tmp_path / "c")
    paths = {"a": models["a"], "b": models["b"], "c": c}
    size = adapter_bytes(models["a"])
    base = AutoModelForCausalLM.from_pretrained(adapter_base(models["a"]))
    adapters = AdapterSet(base, paths, budget_bytes=int(2.5 * size))
    _, tokenizer, ids = _setup(models)
    engine = Engine(adapters.model, tokenizer, adapters=adapters)
    try:

        def answer(name):
            out = []
            engine.submit(Sequence(ids[0], Sampling(max_tokens=8, temperature=0), out.append, adapter=name))
            wait_idle(engine)
            return "".join(e.text for e in out)

        first = answer("a")
        answer("b")
        assert list(adapters.loaded) == ["a", "b"]
        answer("c")  # past the budget: a, the least recently used, goes
        assert list(adapters.loaded) == ["b", "c"] and adapters.evictions == 1
        adapters.ensure({"a"}, in_use={"b", "c"})  # every loaded one in use: over the budget rather than evict
        assert set(adapters.loaded) == {"a", "b", "c"}
        assert answer("a") == first and answer("c") == answer("a")  # c is a's copy
    finally:
        engine.close()


def test_a_request_whose_adapter_will_not_load_fails_alone(models, tmp_path):
    from transformers import AutoModelForCausalLM

    from afina.serve.adapters import AdapterSet, adapter_base

    base = AutoModelForCausalLM.from_pretrained(adapter_base(models["a"]))
    adapters = AdapterSet(base, {"a": models["a"]}, budget_bytes=2**30)
    adapters.add("gone", tmp_path / "deleted-after-promotion")
    _, tokenizer, ids = _setup(models)
    engine = Engine(adapters.model, tokenizer, adapters=adapters)
    try:
        good, bad = [], []
        engine.submit(Sequence(ids[1], Sampling(max_tokens=40, temperature=0), good.append, adapter="a"))
        time.sleep(0.05)
        engine.submit(Sequence(ids[0], Sampling(max_tokens=8, temperature=0), bad.append, adapter="gone"))
        wait_idle(engine)
        assert bad[-1].finish_reason == "error" and len(bad) == 1
        assert good[-1].finish_reason in ("stop", "length")
    finally:
        engine.close()
