"""A base quantised as it loads, read tensor by tensor (afina.models.streamed): the same model as
transformers' own load, from one file or from shards; the usual load where streaming cannot serve; the
allocator's thresholds put back after it."""

from __future__ import annotations

import json

import pytest
import torch

from afina import malloc
from afina.methods import get_method
from afina.methods.qlora import QloraMethod
from afina.models import ModelConfig, load_model
from afina.models.streamed import checkpoint_files, load_streamed

from tiny_families import model_config


@pytest.fixture(scope="module")
def bf16_bases(tiny_base, tmp_path_factory):
    """A tiny Qwen2 saved in bf16 as hub checkpoints are, once in one file and once in shards."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(model_config("qwen2", tokenizer), dtype=torch.bfloat16)
    model.generation_config.max_new_tokens = 7  # a setting of the checkpoint's own, to be found again
    folders = {}
    for name, shard in (("single", "1GB"), ("sharded", "40KB")):
        folders[name] = tmp_path_factory.mktemp(name)
        model.save_pretrained(folders[name], max_shard_size=shard)
        tokenizer.save_pretrained(folders[name])
    assert (folders["sharded"] / "model.safetensors.index.json").is_file()
    return folders


def _quantised_kwargs() -> dict:
    return get_method("qlora").load_kwargs(QloraMethod(name="qlora"))


@pytest.mark.parametrize("layout", ["single", "sharded"])
def test_the_streamed_load_is_transformers_own(bf16_bases, layout):
    from transformers import AutoModelForCausalLM

    folder = bf16_bases[layout]
    streamed = load_streamed(AutoModelForCausalLM, str(folder), None, False, _quantised_kwargs())
    usual = AutoModelForCausalLM.from_pretrained(folder, **_quantised_kwargs())
    assert streamed is not None and streamed.is_loaded_in_4bit
    ours, theirs = streamed.state_dict(), usual.state_dict()
    assert sorted(ours) == sorted(theirs)
    for key, tensor in theirs.items():  # the 4-bit codes and their scales, the bf16 embeddings and norms
        assert ours[key].dtype == tensor.dtype and torch.equal(ours[key], tensor), key
    ids = torch.tensor([[5, 9, 13, 2, 7]])
    with torch.no_grad():
        assert torch.equal(streamed(input_ids=ids).logits, usual(input_ids=ids).logits)
    assert streamed.generation_config.max_new_tokens == 7
    # the same config, named after its checkpoint (peft writes that name into the adapter as its base)
    assert streamed.config.to_dict() == usual.config.to_dict()
    assert streamed.name_or_path == streamed.config.name_or_path == str(folder)


def test_load_model_streams_a_quantised_base_and_loads_the_rest_as_usual(bf16_bases, monkeypatch):
    import afina.models.streamed as streamed

    calls = []
    real = streamed.load_streamed
    monkeypatch.setattr(streamed, "load_streamed", lambda *a: calls.append(a) or real(*a))
    config = ModelConfig(base_model=str(bf16_bases["single"]))
    assert load_model(str(bf16_bases["single"]), config, **_quantised_kwargs()).is_loaded_in_4bit
    assert len(calls) == 1
    plain = load_model(str(bf16_bases["single"]), config)  # nothing to quantise: transformers' mapped load
    assert len(calls) == 1 and next(plain.parameters()).dtype == torch.bfloat16


def test_what_cannot_stream_is_refused_so_the_usual_load_runs(bf16_bases, tmp_path):
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    folder = str(bf16_bases["single"])
    assert load_streamed(AutoModelForCausalLM, folder, None, False, {**_quantised_kwargs(), "num_labels": 2}) is None
    (tmp_path / "config.json").write_text((bf16_bases["single"] / "config.json").read_text())
    assert checkpoint_files(str(tmp_path), None) is None  # no safetensors (a .bin checkpoint, say)
    assert load_streamed(AutoModelForCausalLM, str(tmp_path), None, False, _quantised_kwargs()) is None
    index = json.loads((bf16_bases["sharded"] / "model.safetensors.index.json").read_text())
    assert len(checkpoint_files(str(bf16_bases["sharded"]), None)) == len(set(index["weight_map"].values())) > 1
    # an Auto class that maps no class to this config: refused, not guessed
    assert load_streamed(AutoModelForSeq2SeqLM, folder, None, False, _quantised_kwargs()) is None
    # a config that names no dtype ("auto" would read the lazy slices), or whose class remote code replaces
    for change in ({"dtype": None}, {"auto_map": {"AutoModelForCausalLM": "modeling_x.XForCausalLM"}}):
        edited = tmp_path / next(iter(change))
        edited.mkdir()
        for file in bf16_bases["single"].iterdir():
            (edited / file.name).symlink_to(file)
        (edited / "config.json").unlink()
        config = json.loads((bf16_bases["single"] / "config.json").read_text()) | change
        (edited / "config.json").write_text(json.dumps(config))
        assert load_streamed(AutoModelForCausalLM, str(edited), None, False, _quantised_kwargs()) is None


@pytest.mark.skipif(not malloc.glibc(), reason="mallopt's thresholds are glibc's")
def test_the_thresholds_set_before_a_streamed_load_are_put_back(monkeypatch):
    monkeypatch.setattr(malloc, "_current", None)
    with malloc.giving_back():
        assert malloc._current == (1024 * 1024, 2 * 1024 * 1024)
    assert malloc._current == (malloc.DEFAULT_MAPPING_THRESHOLD, malloc.DEFAULT_TRIM_THRESHOLD)
    try:
        assert malloc.set_thresholds(32 * 1024 * 1024, 2**31 - 1)  # as training keeps them
        with pytest.raises(RuntimeError), malloc.giving_back():
            raise RuntimeError("a failed load")
        assert malloc._current == (32 * 1024 * 1024, 2**31 - 1)
    finally:
        malloc.set_thresholds(malloc.DEFAULT_MAPPING_THRESHOLD, malloc.DEFAULT_TRIM_THRESHOLD)


def test_qlora_keeps_a_bf16_checkpoints_embeddings_and_casts_its_norms(bf16_bases):
    """peft's preparation would double the embeddings to fp32; they are frozen tables, kept in bf16."""
    from afina.models.heads import CAUSAL_LM

    method = get_method("qlora")
    params = QloraMethod(name="qlora", r=4, alpha=8)
    config = ModelConfig(base_model=str(bf16_bases["single"]))
    model = method.prepare_model(
        load_model(str(bf16_bases["single"]), config, **method.load_kwargs(params)), params, CAUSAL_LM
    )
    dtypes = {name: p.dtype for name, p in model.named_parameters()}
    assert dtypes["base_model.model.model.embed_tokens.weight"] == torch.bfloat16
    norms = [name for name in dtypes if "norm" in name]
    assert norms and all(dtypes[name] == torch.float32 for name in norms)
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in name for name in trainable)
    # under autocast a 4-bit layer returns autocast's dtype, as a plain linear does (bitsandbytes returned its
    # input's, fp32, and every activation after it was kept in fp32); outside autocast, its input's
    import bitsandbytes as bnb

    from afina.methods.linear4bit import BufferedLinear4bit

    layers = [m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    assert layers and all(type(m) is BufferedLinear4bit for m in layers)  # dequantising into one buffer
    layer = layers[0]
    x = torch.randn(3, layer.in_features)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert layer(x).dtype == torch.bfloat16
    assert layer(x).dtype == torch.float32
    # the whole model runs with and without autocast: the bf16 output layer takes the fp32 residual stream
    ids = torch.tensor([[5, 9, 13, 2, 7]])
    with torch.no_grad():
        plain = model(input_ids=ids).logits.float()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            autocast = model(input_ids=ids).logits.float()
    assert plain.shape == autocast.shape and torch.isfinite(plain).all()
    assert torch.allclose(plain, autocast, atol=0.1, rtol=0.05)


def test_a_4bit_layer_computing_in_fp32_keeps_its_input_under_autocast(bf16_bases):
    import bitsandbytes as bnb

    from afina.models.heads import CAUSAL_LM

    method = get_method("qlora")
    params = QloraMethod(name="qlora", r=4, alpha=8, compute_dtype="float32")
    config = ModelConfig(base_model=str(bf16_bases["single"]))
    base = load_model(str(bf16_bases["single"]), config, **method.load_kwargs(params))
    model = method.prepare_model(base, params, CAUSAL_LM)
    layer = next(m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert layer(torch.randn(3, layer.in_features)).dtype == torch.float32  # not rounded to bf16 first
