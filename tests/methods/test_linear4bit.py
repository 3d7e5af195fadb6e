import copy
import threading

import bitsandbytes as bnb
import pytest
import torch

from afina.methods.linear4bit import BufferedLinear4bit, dequantize, reuse_buffer


def _layer(nested, compute_dtype, bias, out_features=96, in_features=256, checkpoint_dtype=torch.bfloat16):
    plain = torch.nn.Linear(in_features, out_features, bias=bias).to(checkpoint_dtype)
    layer = bnb.nn.Linear4bit(
        in_features, out_features, bias=bias, compute_dtype=compute_dtype, compress_statistics=nested, quant_type="nf4"
    )
    layer.load_state_dict(plain.state_dict())
    layer.weight.data = plain.weight.data.clone()  # in the checkpoint's dtype, which the quantisation records
    layer = layer.to("cpu")  # quantises
    assert layer.weight.quant_state.dtype == checkpoint_dtype
    layer.support_avx512bf16_for_cpu = False  # as afina's QLoRA sets it
    return layer


@pytest.mark.parametrize("nested", [True, False])
@pytest.mark.parametrize("compute_dtype", [torch.bfloat16, torch.float32])
@pytest.mark.parametrize("checkpoint_dtype", [torch.bfloat16, torch.float16, torch.float32])
@pytest.mark.parametrize("autocast", [False, True])
def test_the_buffered_layer_computes_what_bitsandbytes_computes(nested, compute_dtype, checkpoint_dtype, autocast):
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(_layer(nested, compute_dtype, True, checkpoint_dtype=checkpoint_dtype))
    ours = reuse_buffer(copy.deepcopy(theirs))
    assert type(ours[0]) is BufferedLinear4bit and isinstance(ours[0], bnb.nn.Linear4bit)
    x = torch.randn(3, 5, 256, requires_grad=True)
    x_ours = x.detach().clone().requires_grad_()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        y, y_ours = theirs(x), ours(x_ours)
    grad = torch.randn_like(y)
    y.backward(grad)
    y_ours.backward(grad)
    assert y_ours.dtype == y.dtype and torch.equal(y_ours, y)
    assert torch.equal(x_ours.grad, x.grad)


def test_a_trained_bias_gets_its_gradient():
    layer = reuse_buffer(torch.nn.Sequential(_layer(True, torch.float32, bias=True)))[0]
    layer.bias.requires_grad_(True)
    x = torch.randn(4, 3, 256)
    layer(x).sum().backward()
    assert torch.allclose(layer.bias.grad, torch.full((96,), 12.0))


def test_every_layer_dequantises_into_one_buffer_per_thread():
    big, small = _layer(True, torch.bfloat16, False, 192, 256), _layer(True, torch.bfloat16, False, 64, 128)
    first = dequantize(big.weight, torch.bfloat16)
    reference = bnb.functional.dequantize_4bit(big.weight.data, big.weight.quant_state).to(torch.bfloat16)
    assert torch.equal(first, reference)
    pointer = first.data_ptr()
    assert dequantize(small.weight, torch.bfloat16).data_ptr() == pointer
    assert dequantize(big.weight, torch.bfloat16).data_ptr() == pointer
    # another thread (a server's worker) has its own, so two requests never share one
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(dequantize(big.weight, torch.bfloat16).data_ptr()))
    thread.start()
    thread.join()
    assert elsewhere and elsewhere[0] != pointer
