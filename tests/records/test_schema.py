import pytest

from afina.errors import DataError, DataErrors
from afina.records.schema import as_conversation, as_pair, infer_schema, pairs_from_ratings, to_records


@pytest.mark.parametrize(
    "columns, kind",
    [
        (["text"], "text"),
        (["prompt", "completion"], "prompt_completion"),
        (["question", "answer"], "prompt_completion"),
        (["instruction", "input", "output"], "prompt_completion"),
        (["messages"], "chat"),
        (["text", "label"], "classification"),
        (["prompt", "chosen", "rejected"], "preference"),
        (["prompt", "chosen", "rejected", "margin"], "preference"),
        (["prompt", "response", "rating"], "preference"),
    ],
)
def test_recognises_record_kind_from_columns(columns, kind):
    assert infer_schema(columns, {}, "f.csv").kind == kind


def test_explicit_mapping_wins_and_missing_mapped_column_is_named():
    schema = infer_schema(["pregunta", "respuesta"], {"prompt": "pregunta", "completion": "respuesta"}, "f.csv")
    assert schema.columns == {"prompt": "pregunta", "completion": "respuesta"}
    with pytest.raises(DataError) as info:
        infer_schema(["pregunta", "respuesta"], {"prompt": "question"}, "f.csv")
    assert info.value.column == "question" and "pregunta, respuesta" in str(info.value)


def test_unrecognised_columns_list_what_is_expected():
    with pytest.raises(DataError, match="prompt, completion"):
        infer_schema(["foo", "bar"], {}, "f.csv")


def test_alpaca_rows_become_prompt_completion():
    rows = [
        (1, {"instruction": "Traduce", "input": "hola", "output": "hello"}),
        (2, {"instruction": "Saluda", "input": "", "output": "hola"}),
    ]
    _, records = to_records(rows, {}, "f.json", None)
    assert records[0]["prompt"] == "Traduce\n\nhola" and records[1]["prompt"] == "Saluda"


def test_empty_prompt_names_row_and_column():
    rows = [(1, {"prompt": "a", "completion": "b"}), (2, {"prompt": "  ", "completion": "c"})]
    with pytest.raises(DataError) as info:
        to_records(rows, {}, "f.csv", None)
    assert (info.value.row, info.value.column) == (2, "prompt") and "empty" in str(info.value)


def test_every_bad_row_is_reported_together():
    rows = [(1, {"prompt": "", "completion": "b"}), (2, {"prompt": "a", "completion": ""})]
    with pytest.raises(DataErrors) as info:
        to_records(rows, {}, "f.csv", None)
    assert [(e.row, e.column) for e in info.value.errors] == [(1, "prompt"), (2, "completion")]


def test_label_outside_label_set_is_refused():
    rows = [(1, {"text": "bien", "label": "pos"}), (2, {"text": "mal", "label": "negativo"})]
    with pytest.raises(DataError) as info:
        to_records(rows, {}, "f.csv", ["pos", "neg"])
    assert (info.value.row, info.value.column) == (2, "label") and "pos, neg" in str(info.value)


def test_chat_must_end_with_the_assistant():
    rows = [(1, {"messages": [{"role": "user", "content": "hola"}]})]
    with pytest.raises(DataError, match="assistant"):
        to_records(rows, {}, "f.jsonl", None)


def test_json_row_missing_a_key_is_named():
    rows = [(1, {"prompt": "a", "completion": "b"}), (2, {"prompt": "c"})]
    with pytest.raises(DataError) as info:
        to_records(rows, {}, "f.jsonl", None)
    assert (info.value.row, info.value.column) == (2, "completion") and "missing" in str(info.value)


def test_conversation_forms_for_each_kind():
    assert as_conversation({"prompt": "p", "completion": "c"}, "sys") == {
        "prompt": [{"role": "system", "content": "sys"}, {"role": "user", "content": "p"}],
        "completion": [{"role": "assistant", "content": "c"}],
    }
    chat = {"messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]}
    assert as_conversation(chat)["completion"] == [{"role": "assistant", "content": "a"}]
    assert as_conversation({"text": "t", "label": "pos"})["completion"][0]["content"] == "pos"
    assert as_conversation({"text": "t"}) == {"text": "t"}


def test_pairs_for_encoder_decoder_models():
    assert as_pair({"prompt": "p", "completion": "c"}) == ("p", "c")
    assert as_pair({"text": "t", "label": "pos"}) == ("t", "pos")
    chat = {
        "messages": [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "user", "content": "c"},
            {"role": "assistant", "content": "d"},
        ]
    }
    assert as_pair(chat) == ("a\nb\nc", "d")
    with pytest.raises(DataError, match="no target"):
        as_pair({"text": "t"})


def test_a_preference_whose_two_answers_are_the_same_is_refused():
    rows = [
        (1, {"prompt": "¿Horario?", "chosen": "De 9 a 18 h.", "rejected": "No sé."}),
        (2, {"prompt": "¿Envío?", "chosen": "Gratis desde 50 €.", "rejected": " Gratis desde  50 €. "}),
        (3, {"prompt": "¿Pago?", "chosen": "", "rejected": "Con tarjeta."}),
    ]
    with pytest.raises(DataErrors) as info:
        to_records(rows, {}, "prefs.jsonl", None)
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "rejected"), (3, "chosen")]
    assert "same answer as the chosen one" in str(info.value.errors[0]) and "empty" in str(info.value.errors[1])


def test_ratings_become_pairs_with_their_score_difference_as_margin_and_no_row_is_lost():
    rows = [
        (1, {"prompt": "¿Horario?", "response": "De 9 a 18 h.", "rating": "5"}),
        (2, {"prompt": "¿Horario?", "response": "No sé.", "rating": 1}),
        (3, {"prompt": "¿Horario?", "response": "Abrimos a las 9.", "rating": "3,5"}),  # a decimal comma
        (4, {"prompt": "¿Envío?", "response": "Gratis.", "rating": 4}),  # alone: no pair
        (5, {"prompt": "¿Pago?", "response": "Tarjeta.", "rating": 2}),
        (6, {"prompt": "¿Pago?", "response": "Con tarjeta.", "rating": 2}),  # tied with row 5
    ]
    schema, records = to_records(rows, {}, "ratings.csv", None)
    assert schema.kind == "preference" and schema.source_kind == "rating"
    pairs, unpaired = pairs_from_ratings(records)
    got = {(p["chosen"], p["rejected"], p["margin"], tuple(p["source_rows"])) for p in pairs}
    assert got == {
        ("De 9 a 18 h.", "No sé.", 4.0, (1, 2)),
        ("De 9 a 18 h.", "Abrimos a las 9.", 1.5, (1, 3)),
        ("Abrimos a las 9.", "No sé.", 2.5, (3, 2)),
    }
    assert [u["row"] for u in unpaired] == [4, 5, 6]
    assert "only rated response" in unpaired[0]["reason"] and "another score" in unpaired[1]["reason"]


@pytest.mark.parametrize("bad", ["muy bien", "", "nan", "inf", True])
def test_a_rating_that_is_not_a_number_is_refused_with_row_and_column(bad):
    rows = [(1, {"prompt": "a", "response": "b", "score": 3}), (2, {"prompt": "a", "response": "c", "score": bad})]
    with pytest.raises(DataError) as info:
        to_records(rows, {}, "ratings.jsonl", None)
    assert (info.value.row, info.value.column) == (2, "score") and "expected a number" in str(info.value)


def test_a_preference_margin_is_read_as_a_number():
    rows = [(1, {"prompt": "a", "chosen": "b", "rejected": "c", "margin": "2"})]
    assert to_records(rows, {}, "p.csv", None)[1][0]["margin"] == 2.0
    with pytest.raises(DataError, match="expected a number"):
        to_records([(1, {"prompt": "a", "chosen": "b", "rejected": "c", "margin": "mucho"})], {}, "p.csv", None)
