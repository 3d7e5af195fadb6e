"""What keeps the server safe: keys on every route but /health, bodies refused by field, prompts past the
context, a full queue (429), clients that leave (their generation stops), and several adapters batched over
one copy of their base."""

from __future__ import annotations

import threading
import time

import httpx2 as httpx
import openai
import pytest

from serving import KEY, live

CHAT = [{"role": "user", "content": "¿Cuánto cuesta la cafetera Brisa?"}]
ROUTES = [
    ("GET", "/v1/models", None),
    ("GET", "/v1/models/a", None),
    ("GET", "/metrics", None),
    ("GET", "/openapi.json", None),
    ("POST", "/v1/chat/completions", {"model": "a", "messages": CHAT}),
    ("POST", "/v1/completions", {"model": "a", "prompt": "Hola"}),
    ("POST", "/v1/nothing-here", {}),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_every_route_but_health_needs_the_key(server, method, path, body, key):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    r = httpx.request(method, server[0] + path, json=body, headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"
    assert r.headers["www-authenticate"] == "Bearer"
    right = httpx.request(method, server[0] + path, json=body, headers={"Authorization": f"Bearer {KEY}"})
    assert right.status_code == (404 if path.endswith("nothing-here") else 200)
    assert httpx.get(server[0] + "/health").status_code == 200


def test_the_openai_client_without_the_key_is_refused(server):
    bad = openai.OpenAI(base_url=server[0] + "/v1", api_key="nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.models.list()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"messages": None}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages.0.role"),
        ({"temperature": 5}, "temperature"),
        ({"n": 0}, "n"),
        ({"top_p": 0}, "top_p"),
        ({"max_tokens": -3}, "max_tokens"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"presence_penalty": 0.5}, "presence_penalty"),
        ({"functions": []}, "functions"),  # not served: refused by name, never ignored
    ],
)
def test_a_malformed_body_is_refused_naming_the_field(client, change, field):
    body = {"model": "a", "messages": CHAT} | change
    body = {k: v for k, v in body.items() if v is not None}
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.post("/chat/completions", body=body, cast_to=dict)  # the client would refuse some of these itself
    error = caught.value.body
    assert error["param"] == field and field.split(".")[0] in error["message"], error


def test_bodies_that_are_not_json_or_too_large(server):
    auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    r = httpx.post(server[0] + "/v1/chat/completions", content=b"{not json", headers=auth)
    assert r.status_code == 422
    r = httpx.post(server[0] + "/v1/completions", content=b'{"prompt": "' + b"x" * (2 << 20) + b'"}', headers=auth)
    assert r.status_code == 413


def test_a_prompt_past_the_context_and_asks_past_the_limits_get_400(client):
    context = client.models.retrieve("a").model_extra["max_model_len"]
    with pytest.raises(openai.BadRequestError) as caught:
        client.completions.create(model="a", prompt="hola " * (context + 10), max_tokens=1)
    assert caught.value.body["code"] == "context_length_exceeded" and caught.value.body["param"] == "prompt"
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="a", messages=CHAT, max_tokens=100_000)
    assert caught.value.body["param"] == "max_tokens"
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="a", messages=CHAT, n=50)
    assert caught.value.body["param"] == "n"
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="../../etc", messages=CHAT)
    assert caught.value.body["code"] == "model_not_found"


@pytest.fixture(scope="module")
def narrow(models):
    """A server of the endless model with room for one answer and none waiting, and answers of up to 4000 tokens."""
    from afina.serve import Catalog, Settings, create_app, hash_key, resolve

    catalog = Catalog([resolve(f"endless={models['endless']}")], max_batch=1, max_waiting=0)
    app = create_app(catalog, Settings(key_hashes=frozenset({hash_key(KEY)}), max_tokens=4000))
    with live(app) as url:
        yield url, catalog.models["endless"].engine
    catalog.close()


def _stream_lines(url: str, max_tokens: int, lines: int) -> None:
    """Start a streamed completion, read a few of its events, and hang up."""
    body = {"model": "endless", "prompt": "Hola", "max_tokens": max_tokens, "temperature": 0, "stream": True}
    with httpx.stream("POST", url + "/v1/completions", json=body, headers={"Authorization": f"Bearer {KEY}"}) as r:
        assert r.status_code == 200
        for i, _ in enumerate(r.iter_lines()):
            if i >= lines:
                break


def _settle(engine, timeout=10.0) -> int:
    deadline = time.monotonic() + timeout
    while engine.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
    return engine.stats["generated_tokens"]


def test_a_client_that_hangs_up_stops_its_generation(narrow):
    url, engine = narrow
    before = _settle(engine)
    _stream_lines(url, 4000, 5)
    at_hangup = engine.stats["generated_tokens"]
    after = _settle(engine)
    assert after - before < 200, (before, at_hangup, after)  # of the 4000 asked for
    assert engine.stats["finished_cancelled"] >= 1

    cancelled = engine.stats["finished_cancelled"]
    before = _settle(engine)
    impatient = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=0.3)
    with pytest.raises(openai.APITimeoutError):
        impatient.completions.create(model="endless", prompt="Hola", max_tokens=4000, temperature=0)
    after = _settle(engine)
    assert engine.stats["finished_cancelled"] == cancelled + 1 and after - before < 4000


def test_a_full_queue_answers_429_with_retry_after(narrow):
    url, engine = narrow
    _settle(engine)
    busy = threading.Thread(target=_stream_lines, args=(url, 4000, 400))
    busy.start()
    deadline = time.monotonic() + 10
    while not engine.in_flight and time.monotonic() < deadline:
        time.sleep(0.005)
    client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)
    with pytest.raises(openai.RateLimitError) as caught:
        client.completions.create(model="endless", prompt="Hola", max_tokens=5)
    assert int(caught.value.response.headers["retry-after"]) >= 1
    busy.join()
    _settle(engine)  # the hung-up answer leaves the batch at the next step
    assert client.completions.create(model="endless", prompt="Hola", max_tokens=5).choices[0].text


def test_two_adapters_share_one_base_and_one_batch(server, models):
    """Answers of a, b and the base generated in the same steps equal each one's answer alone, and the base's
    weights are in memory once: the engine holds the base plus the two adapters' weights, no more."""
    from transformers import AutoModelForCausalLM

    from afina.serve.engine import BASE, Sampling, Sequence

    catalog = server[1].state.catalog
    engine = catalog.models["a"].engine
    assert catalog.models["b"].engine is engine and catalog.models["afina:tiny-test"].engine is engine
    tokenizer = engine.tokenizer
    ids = tokenizer(tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=False),
                    add_special_tokens=False)["input_ids"]  # fmt: skip

    def answers(names, together):
        out = {n: [] for n in names}
        rows = [Sequence(ids, Sampling(max_tokens=12, temperature=0), out[n].append, adapter=n) for n in names]
        for group in [rows] if together else [[r] for r in rows]:
            engine.submit(*group)
            _settle(engine)
        return {n: "".join(e.text for e in events) for n, events in out.items()}

    names = ["a", "b", BASE]
    mixed = engine.stats["mixed_forwards"]
    together = answers(names, together=True)
    assert engine.stats["mixed_forwards"] > mixed  # one forward held rows of different adapters
    assert together == answers(names, together=False)
    assert len(set(together.values())) == 3

    nbytes = lambda m: sum(p.numel() * p.element_size() for p in m.parameters())  # noqa: E731
    base_bytes = nbytes(AutoModelForCausalLM.from_pretrained(catalog.models["afina:tiny-test"].path))
    lora_bytes = sum(p.numel() * p.element_size() for n, p in engine.model.named_parameters() if "lora_" in n)
    assert nbytes(engine.model) == base_bytes + lora_bytes
    assert lora_bytes < 0.5 * base_bytes  # two adapters served for far less than a second base


def test_named_keys_from_the_registry_work_until_revoked(models, tmp_path, capsys):
    from afina.cli import main
    from afina.registry import Registry
    from afina.serve import Catalog, Settings, create_app, resolve

    url = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["keys", "add", "team", "--registry", url]) == 0
    key = capsys.readouterr().out.strip()
    assert main(["keys", "add", "team", "--registry", url]) == 2  # a name is one key
    registry = Registry(url)
    assert registry.api_keys()[0].hash != key and len(key) > 30  # only its hash is kept
    catalog = Catalog([resolve(f"a={models['a']}")], max_batch=2)
    with live(create_app(catalog, Settings(key_refresh_s=0.05), registry)) as base:
        client = openai.OpenAI(base_url=base + "/v1", api_key=key, max_retries=0)
        assert [m.id for m in client.models.list().data] == ["afina:tiny-test", "a"]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=base + "/v1", api_key="guess", max_retries=0).models.list()
        assert main(["keys", "revoke", "team", "--registry", url]) == 0
        time.sleep(0.1)
        with pytest.raises(openai.AuthenticationError):  # the last key gone: the server takes none, not any
            client.models.list()
    assert main(["keys", "list", "--registry", url]) == 0 and "revoked" in capsys.readouterr().out
    assert main(["keys", "add", "team", "--registry", url]) == 0  # a revoked key's name can be given again
    assert [k.revoked for k in registry.api_keys() if k.name == "team"] == [False]
    catalog.close()
