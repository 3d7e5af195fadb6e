"""The server through the official openai client: model listing, chat and completions whole and streamed, n,
seeds, stop sequences, log-probabilities (checked against the model's own), echo; and its request log."""

from __future__ import annotations

import json

import pytest
import torch

from serving import KEY

CHAT = [{"role": "user", "content": "¿Cuánto cuesta la cafetera Brisa?"}]


def test_models_lists_each_adapter_on_its_base_and_the_base(client):
    cards = {m.id: m for m in client.models.list().data}
    assert set(cards) == {"a", "b", "endless", "afina:tiny-test"}
    assert cards["a"].parent == cards["b"].parent == "afina:tiny-test"
    assert cards["afina:tiny-test"].kind == "base" and cards["endless"].kind == "model"
    assert client.models.retrieve("a").id == "a"


def test_chat_whole_and_streamed_give_the_same_greedy_answer(client):
    whole = client.chat.completions.create(model="a", messages=CHAT, temperature=0, max_tokens=12)
    choice = whole.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert whole.usage.completion_tokens <= 12 and whole.usage.prompt_tokens > 5
    assert whole.id.startswith("chatcmpl-") and whole.model == "a"

    chunks = list(client.chat.completions.create(model="a", messages=CHAT, temperature=0, max_tokens=12, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == choice.message.content
    assert chunks[-1].choices[0].finish_reason == choice.finish_reason
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens  # usage on the last chunk

    with_usage = list(
        client.chat.completions.create(
            model="a", messages=CHAT, temperature=0, max_tokens=12, stream=True, stream_options={"include_usage": True}
        )
    )
    assert with_usage[-1].choices == [] and with_usage[-1].usage.total_tokens == whole.usage.total_tokens


def test_two_adapters_and_the_base_answer_differently(client):
    ask = lambda m: client.chat.completions.create(model=m, messages=CHAT, temperature=0, max_tokens=10)  # noqa: E731
    answers = {m: ask(m).choices[0].message.content for m in ("a", "b", "afina:tiny-test")}
    assert len(set(answers.values())) == 3, answers


def test_n_answers_repeat_with_a_seed(client):
    ask = lambda seed: client.chat.completions.create(  # noqa: E731
        model="b", messages=CHAT, n=3, temperature=1.0, seed=seed, max_tokens=10
    )
    first, again, other = ask(7), ask(7), ask(8)
    texts = lambda r: [c.message.content for c in r.choices]  # noqa: E731
    assert [c.index for c in first.choices] == [0, 1, 2]
    assert texts(first) == texts(again)
    assert texts(first) != texts(other)
    assert len(set(texts(first))) > 1  # each answer draws its own tokens
    streamed = list(
        client.chat.completions.create(
            model="b", messages=CHAT, n=3, temperature=1.0, seed=7, max_tokens=10, stream=True
        )
    )
    joined = ["".join(c.choices[0].delta.content or "" for c in streamed if c.choices and c.choices[0].index == i)
              for i in range(3)]  # fmt: skip
    assert joined == texts(first)


def _direct_logprobs(path, ids: list[int]) -> torch.Tensor:
    """Each token's log-probability given those before, from the model itself (the first gets none)."""
    from peft import AutoPeftModelForCausalLM

    model = AutoPeftModelForCausalLM.from_pretrained(path).eval()
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0].float()
    return torch.log_softmax(logits[:-1], -1).gather(1, torch.tensor(ids[1:])[:, None])[:, 0]


def test_chat_logprobs_are_the_models_with_alternatives(client):
    r = client.chat.completions.create(
        model="a", messages=CHAT, temperature=0, max_tokens=6, logprobs=True, top_logprobs=3
    )
    content = r.choices[0].logprobs.content
    assert len(content) == r.usage.completion_tokens
    for entry in content:
        assert len(entry.top_logprobs) == 3 and entry.logprob <= 0
        assert entry.token == entry.top_logprobs[0].token  # greedy picks the most probable
        assert entry.logprob == pytest.approx(entry.top_logprobs[0].logprob)
    assert "".join(e.token for e in content) == r.choices[0].message.content


def test_completion_echo_scores_the_prompt_as_the_model_does(client, models, tiny_base):
    from transformers import AutoTokenizer

    prompt = "La cafetera Brisa cuesta 89 euros."
    r = client.completions.create(model="a", prompt=prompt, max_tokens=0, echo=True, logprobs=2, temperature=0)
    lp = r.choices[0].logprobs
    assert r.choices[0].text == prompt and r.usage.completion_tokens == 0
    assert lp.token_logprobs[0] is None and lp.top_logprobs[0] is None
    ids = AutoTokenizer.from_pretrained(tiny_base)(prompt)["input_ids"]
    expected = _direct_logprobs(models["a"], ids)
    assert torch.allclose(torch.tensor(lp.token_logprobs[1:]), expected, atol=1e-4)
    assert "".join(lp.tokens) == prompt and lp.text_offset[-1] == len(prompt) - len(lp.tokens[-1])
    assert all(len(top) <= 2 for top in lp.top_logprobs[1:])


def test_completions_stop_n_and_lists_of_prompts(client):
    full = client.completions.create(model="endless", prompt="Hola", max_tokens=20, temperature=0).choices[0]
    assert full.finish_reason == "length"
    stop = full.text[8:11]
    cut = client.completions.create(model="endless", prompt="Hola", max_tokens=20, temperature=0, stop=[stop])
    assert cut.choices[0].text == full.text[: full.text.index(stop)] and cut.choices[0].finish_reason == "stop"
    streamed = client.completions.create(
        model="endless", prompt="Hola", max_tokens=20, temperature=0, stop=stop, stream=True
    )
    assert "".join(c.choices[0].text for c in streamed if c.choices) == cut.choices[0].text  # held back, then cut
    long_stop = full.text[8:16]  # one string of more characters than the four stop sequences a list may hold
    longer = client.completions.create(model="endless", prompt="Hola", max_tokens=20, temperature=0, stop=long_stop)
    assert longer.choices[0].text == full.text[: full.text.index(long_stop)]

    many = client.completions.create(model="a", prompt=["Hola", "Adiós"], n=2, max_tokens=5, temperature=0)
    assert [c.index for c in many.choices] == [0, 1, 2, 3]
    assert many.choices[0].text == many.choices[1].text  # greedy: the same answer twice per prompt


def test_the_request_log_redacts_personal_data(client, server):
    client.chat.completions.create(
        model="a", messages=[{"role": "user", "content": "Soy ana.garcia@example.com, DNI 12345678Z"}], max_tokens=3
    )
    settings = server[1].state.settings
    lines = [json.loads(line) for line in settings.request_log.read_text().splitlines()]
    last = lines[-1]
    assert "ana.garcia@example.com" not in json.dumps(lines) and "12345678Z" not in json.dumps(lines)
    assert "[EMAIL]" in last["prompt"] and "[NATIONAL_ID]" in last["prompt"]
    assert last["model"] == "a" and last["status"] == 200 and last["completion_tokens"] <= 3


def test_metrics_count_requests_and_tokens_per_model(client, server):
    import httpx2 as httpx

    client.chat.completions.create(model="b", messages=CHAT, max_tokens=4)
    text = httpx.get(server[0] + "/metrics", headers={"Authorization": f"Bearer {KEY}"}).text
    assert 'afina_requests_total{model="b",route="chat",status="200"}' in text
    assert 'afina_generated_tokens_total{model="b"}' in text
    assert 'afina_time_to_first_token_seconds_bucket{le="0.01",model="b"}' in text
    assert 'afina_queue_depth{model="a"} 0.0' in text
