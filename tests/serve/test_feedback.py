"""Feedback through the API (what the page sends), refused when it names nothing or too much, and feedback
rows turned into training records: nothing dropped without being counted."""

from __future__ import annotations

import types

import openai
import pytest

from afina.align.feedback import feedback_records

CHAT = [{"role": "user", "content": "¿Cuánto cuesta la cafetera Brisa?"}]


def _post(client, body):
    return client.post("/feedback", body=body, cast_to=dict)


def test_feedback_names_a_recent_chat_answer_and_one_kind(client):
    answer = client.chat.completions.create(model="a", messages=CHAT, n=2, temperature=1.0, seed=3, max_tokens=5)
    other = client.chat.completions.create(model="b", messages=CHAT, max_tokens=5)
    assert _post(client, {"completion_id": answer.id, "choice": 1, "rating": "down"})["kind"] == "rating"
    assert _post(client, {"completion_id": answer.id, "rejected_completion_id": other.id})["kind"] == "preference"
    with pytest.raises(openai.NotFoundError):
        _post(client, {"completion_id": "chatcmpl-nothing", "rating": "up"})
    with pytest.raises(openai.BadRequestError):  # there is no third answer
        _post(client, {"completion_id": answer.id, "choice": 2, "rating": "up"})
    with pytest.raises(openai.UnprocessableEntityError):  # none of the three kinds
        _post(client, {"completion_id": answer.id})
    with pytest.raises(openai.UnprocessableEntityError):  # two of them
        _post(client, {"completion_id": answer.id, "rating": "up", "correction": "89 euros."})
    elsewhere = client.chat.completions.create(model="b", messages=[{"role": "user", "content": "Hola"}], max_tokens=3)
    with pytest.raises(openai.BadRequestError):  # a choice between answers to different prompts
        _post(client, {"completion_id": answer.id, "rejected_completion_id": elsewhere.id})
    raw = client.completions.create(model="a", prompt="Hola", max_tokens=3)
    with pytest.raises(openai.NotFoundError):  # feedback is kept on chat answers
        _post(client, {"completion_id": raw.id, "rating": "up"})


def _row(kind, answer, prompt=CHAT, **fields):
    return types.SimpleNamespace(kind=kind, prompt=prompt, answer=answer, **fields)


def test_feedback_rows_become_chat_records_and_pairs():
    rows = [
        _row("rating", "89 euros.", rating=1),
        _row("rating", "No sé.", rating=-1),
        _row("rating", "No sé.", rating=-1),  # the same pair twice is written once
        _row("rating", "Cuesta 89 euros.", rating=1),
        _row("correction", "Cuesta 80.", correction="La cafetera Brisa cuesta 89 euros."),
        _row("preference", "La cafetera Brisa cuesta 89 euros.", rejected_answer="Pregunte en tienda."),
        _row("preference", "Igual.", rejected_answer="Igual."),  # nothing to learn: not a pair
        _row(
            "preference",
            "Sí.",
            prompt=[*CHAT, {"role": "assistant", "content": "89."}, {"role": "user", "content": "¿Seguro?"}],
            rejected_answer="No.",
        ),  # fmt: skip
    ]
    exported = feedback_records(rows)
    corrected = {"role": "assistant", "content": "La cafetera Brisa cuesta 89 euros."}
    assert exported.sft == [{"messages": [*CHAT, corrected]}]
    pairs = {(p["chosen"], p["rejected"]) for p in exported.preferences}
    assert pairs == {
        ("89 euros.", "No sé."),
        ("Cuesta 89 euros.", "No sé."),
        ("La cafetera Brisa cuesta 89 euros.", "Cuesta 80."),
        ("La cafetera Brisa cuesta 89 euros.", "Pregunte en tienda."),
    }
    assert all(p["prompt"] == CHAT[0]["content"] for p in exported.preferences)
    assert exported.counts == {"corrections": 1, "from_choices": 1, "from_corrections": 1, "from_ratings": 2,
                               "not_single_message": 1}  # fmt: skip
