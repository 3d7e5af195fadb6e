"""The last decoder layer computed only at the answers' rows (`LastLayerRows`) gives the loss and the
gradients of the whole layer, and leaves alone what it cannot take."""

import copy

import torch
from peft import LoraConfig, get_peft_model
from transformers import MixtralConfig, MixtralForCausalLM

from afina.speed.answer_rows import LAST_LAYER, answer_loss, use_last_layer_rows
from afina.speed.padding_free import PaddingFreeCollator, rounded_up, use_padding_free_attention

from conftest import tiny_llama


def _model():
    model = get_peft_model(
        tiny_llama(), LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False)
    )
    use_padding_free_attention(model)
    return model


def _row(prompts_and_answers: list[tuple[int, int]]) -> dict:
    """A padding-free row of random examples, each `prompt` tokens unscored then `answer` tokens scored."""
    torch.manual_seed(1)
    examples = [{"input_ids": torch.randint(1, 97, (p + a,)).tolist()} for p, a in prompts_and_answers]
    row = PaddingFreeCollator(pad_token_id=0)(examples)
    labels, start = row["input_ids"].clone(), 0
    for p, a in prompts_and_answers:
        labels[0, start : start + p] = -100
        start += p + a
    labels[0, start:] = -100  # the filler
    return {**row, "labels": labels}


def _loss_and_grads(model, row):
    model.zero_grad()
    loss, _ = answer_loss(model, row)
    loss.backward()
    return loss.detach(), {name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad}


def _rows_seen(model) -> list[int]:
    """Records how many rows the last layer's MLP computes, call by call."""
    seen = []
    gate = model.base_model.model.model.layers[-1].mlp.gate_proj
    gate.register_forward_pre_hook(lambda module, args: seen.append(args[0].shape[1]))
    return seen


def test_loss_and_gradients_equal_the_whole_layer_s():
    whole = _model()
    rows_only = copy.deepcopy(whole)
    assert use_last_layer_rows(rows_only)
    seen = _rows_seen(rows_only)
    row = _row([(9, 4), (12, 3), (7, 6)])
    scored = int((row["labels"][0, 1:] != -100).sum())
    loss, grads = _loss_and_grads(whole, row)
    got_loss, got_grads = _loss_and_grads(rows_only, row)
    assert seen == [rounded_up(scored)] and rounded_up(scored) < row["input_ids"].shape[1]
    torch.testing.assert_close(got_loss, loss, rtol=1e-6, atol=1e-6)
    assert got_grads.keys() == grads.keys() and len(grads) == 28
    for name in grads:
        torch.testing.assert_close(got_grads[name], grads[name], rtol=1e-5, atol=1e-7, msg=name)


def test_a_row_almost_all_answer_runs_the_whole_layer():
    """Too few unscored rows to round the kept ones up with: the kept rows repeat one, so the layer runs whole."""
    whole = _model()
    rows_only = copy.deepcopy(whole)
    use_last_layer_rows(rows_only)
    seen = _rows_seen(rows_only)
    row = _row([(1, 10)])
    assert rounded_up(10 - 1) - (10 - 1) > 1  # more rows to add than the unscored ones
    loss, grads = _loss_and_grads(whole, row)
    got_loss, got_grads = _loss_and_grads(rows_only, row)
    assert seen == [row["input_ids"].shape[1]]
    torch.testing.assert_close(got_loss, loss)
    for name in grads:
        torch.testing.assert_close(got_grads[name], grads[name], msg=name)


def test_outside_answer_loss_every_row_is_computed():
    model = _model()
    use_last_layer_rows(model)
    seen = _rows_seen(model)
    row = _row([(5, 3)])
    with torch.no_grad():
        model(**{k: v for k, v in row.items() if k != "labels"})
    assert seen == [row["input_ids"].shape[1]]


def test_a_mixture_of_experts_keeps_its_router_on_every_token():
    torch.manual_seed(0)
    model = MixtralForCausalLM(
        MixtralConfig(
            vocab_size=50,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
            num_local_experts=2,
        )
    )
    mlp_forward = model.model.layers[-1].mlp.forward
    assert use_last_layer_rows(model)
    assert getattr(model, LAST_LAYER) is not None
    assert model.model.layers[-1].mlp.forward == mlp_forward  # only attention's output projection is wrapped
    assert "forward" in vars(model.model.layers[-1].self_attn.o_proj)
