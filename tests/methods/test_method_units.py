"""What individual methods promise, checked on tiny models built from config."""

import pytest
import torch
from transformers import AutoModelForSequenceClassification, T5Config, T5ForConditionalGeneration

from afina.errors import ConfigError
from afina.methods import adapter, freeze, trainable_parameters
from afina.methods.adapter import AdapterMethod
from afina.methods.freeze import FreezeMethod
from afina.models.heads import CAUSAL_LM, SEQUENCE_CLASSIFICATION

from conftest import tiny_llama


def _llama():
    return tiny_llama(vocab_size=100, num_hidden_layers=3, num_attention_heads=2, tie_word_embeddings=False)


def test_freeze_trains_only_the_last_blocks_and_the_head():
    model = freeze.prepare_model(_llama(), FreezeMethod(trainable_layers=1), CAUSAL_LM)
    trainable = {
        n.split(".")[0] + "." + n.split(".")[1] if n.startswith("model.layers") else n.split(".")[0]
        for n, p in model.named_parameters()
        if p.requires_grad
    }
    assert trainable == {"model.layers", "lm_head"}
    assert all(".layers.2." in n or n.startswith("lm_head") for n, p in model.named_parameters() if p.requires_grad)


def test_freeze_finds_both_stacks_of_an_encoder_decoder():
    model = T5ForConditionalGeneration(
        T5Config(vocab_size=100, d_model=32, d_ff=64, d_kv=16, num_layers=2, num_heads=2)
    )
    stacks = freeze.block_stacks(model)
    assert len(stacks) == 2 and all(len(s) == 2 for s in stacks)


def test_bottleneck_adapter_starts_as_the_base_model_and_trains_only_itself():
    base = _llama()
    x = torch.randint(0, 100, (2, 7))
    with torch.no_grad():
        before = base(input_ids=x).logits.clone()
    model = adapter.prepare_model(base, AdapterMethod(reduction_factor=4, placement="houlsby"), CAUSAL_LM)
    with torch.no_grad():
        assert torch.equal(model(input_ids=x).logits, before)  # up-projections start at zero
    wrapped = [m for m in model.modules() if isinstance(m, adapter.Bottleneck)]
    assert len(wrapped) == 6  # 3 blocks × (attention + feed-forward)
    params = trainable_parameters(model)
    # per adapter: down 32→8 (weights + bias) and up 8→32; plus the untied LM head
    assert params["trainable"] == 6 * ((32 * 8 + 8) + (8 * 32 + 32)) + 100 * 32


def test_bottleneck_adapter_on_a_classifier_trains_the_head():
    from transformers import BertConfig

    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_config(
        BertConfig(
            vocab_size=100,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_labels=3,
        )
    )
    model = adapter.prepare_model(model, AdapterMethod(), SEQUENCE_CLASSIFICATION)
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    assert {"classifier.weight", "classifier.bias"} <= names
    assert all("classifier" in n or ".down." in n or ".up." in n for n in names)


def test_lora_trains_the_modules_to_save_in_full_and_they_reload_and_merge(tiny_base, tmp_path):
    """`modules_to_save: [model.norm]`: the final norm is trained beside the adapter (through afina's training,
    speed switches on), saved in the adapter folder, and the reloaded adapter and its merge both carry it; the
    layers' own norms stay the base's."""
    import json

    import yaml
    from transformers import AutoModelForCausalLM

    from afina.config import load_config
    from afina.export import merge_adapters
    from afina.methods import load_result, lora
    from afina.methods.peft_common import start_from
    from afina.pipeline import Options, stage_prepare, stage_train
    from afina.runfolder import RunFolder
    from afina.serve.adapters import adapter_base

    from conftest import tiny_config

    path = tmp_path / "config.yaml"
    method = {"name": "lora", "r": 4, "alpha": 8, "modules_to_save": ["model.norm"]}
    path.write_text(yaml.safe_dump(tiny_config(tmp_path, method=method, train={"max_steps": 6, "eval_steps": 6})))
    config = load_config(path)
    stage_prepare(config, Options(quiet=True))
    stage_train(config, Options(quiet=True))
    run = RunFolder(config.run_dir)
    adapter_dir = run.result(run.read_train_summary())
    assert json.loads((adapter_dir / "adapter_config.json").read_text())["modules_to_save"] == ["model.norm"]

    base = AutoModelForCausalLM.from_pretrained(tiny_base)
    model, tokenizer = load_result(run, config.model, config.seed)
    ids = tokenizer(["¿Cuánto cuesta la cafetera Brisa?"], return_tensors="pt")
    with torch.no_grad():
        logits = model(**ids).logits
        merged = model.merge_and_unload()
        torch.testing.assert_close(merged(**ids).logits, logits, atol=1e-5, rtol=1e-5)
    assert not torch.equal(merged.model.norm.weight, base.model.norm.weight)  # trained, saved, reloaded
    for layer, original in zip(merged.model.layers, base.model.layers):
        assert torch.equal(layer.input_layernorm.weight, original.input_layernorm.weight)
    with pytest.raises(ConfigError, match="serve the merged model"):  # the server batches plain LoRA only
        adapter_base(adapter_dir)
    merging = load_config(None, [f"merge.adapters=[{adapter_dir}, {adapter_dir}]"])
    with pytest.raises(ConfigError, match="a weighted merge combines low-rank updates only"):
        merge_adapters(merging, tmp_path / "merged")
    plain = lora.prepare_model(
        AutoModelForCausalLM.from_pretrained(tiny_base), lora.LoraMethod(r=4, alpha=8), CAUSAL_LM
    )
    with pytest.raises(ConfigError, match="method.modules_to_save must be the same"):  # init_from
        start_from(plain, adapter_dir)


def test_lora_refuses_modules_to_save_that_name_no_module_or_a_tied_output_layer():
    from afina.methods import lora

    with pytest.raises(ConfigError, match="no module of the model is named 'model.nrom'") as caught:
        lora.prepare_model(_llama(), lora.LoraMethod(modules_to_save=["model.nrom"]), CAUSAL_LM)
    assert caught.value.key == "method.modules_to_save"
    tied = tiny_llama(vocab_size=100, num_hidden_layers=1, num_attention_heads=2, tie_word_embeddings=True)
    with pytest.raises(ConfigError, match="shares its weights with its input embeddings"):
        lora.prepare_model(tied, lora.LoraMethod(modules_to_save=["lm_head"]), CAUSAL_LM)


def _classifier():
    from transformers import LlamaForSequenceClassification

    llama = tiny_llama(num_labels=3, pad_token_id=0)
    return LlamaForSequenceClassification(llama.config)


def test_peft_adding_a_classifier_head_leaves_the_settings_as_written():
    from afina.methods import lora

    params = lora.LoraMethod(r=4, alpha=8, modules_to_save=["model.norm"])
    for _ in range(2):  # peft appends the head's names to the list it is given: it must be a copy
        lora.prepare_model(_classifier(), params, SEQUENCE_CLASSIFICATION)
    assert params.modules_to_save == ["model.norm"]
