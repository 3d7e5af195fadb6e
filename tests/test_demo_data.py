"""The alignment demo's transcripts: the FAQ's training questions, each answered the shop's way or with one
of the agents' habits at about its share; and the checked-in files are what the generator writes."""

import csv
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("make_faq", ROOT / "examples" / "make_faq.py")
make_faq = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_faq)


def test_transcripts_carry_each_habit_at_its_share():
    faq, chats = make_faq.faq_rows()[0], make_faq.transcript_rows()
    assert [q for q, _ in chats] == [q for q, _ in faq]
    kinds = {"shop": 0, "curt": 0, "leak": 0}
    for (_, answer), (_, said) in zip(faq, chats):
        if said == answer:
            kinds["shop"] += 1
        elif said.startswith(answer) and said[len(answer) + 1 :] in make_faq.INTERNAL:
            kinds["leak"] += 1
        else:
            assert len(said) < len(answer) and (said in make_faq.BRUSH_OFFS or said[:-1] in answer), said
            kinds["curt"] += 1
    for habit, share in make_faq.HABITS.items():
        assert abs(kinds[habit] / len(chats) - share) < 0.05, kinds


def test_the_checked_in_transcripts_are_the_generators():
    with open(ROOT / "examples" / "data" / "chats_soporte.csv", encoding="utf-8") as f:
        rows = [tuple(r) for r in csv.reader(f)][1:]
    assert rows == make_faq.transcript_rows()


def test_the_customer_conversations_carry_details_the_test_requests_do_not():
    """The personal-data demo's data (examples/make_customers.py): every training conversation gives a
    customer's details and the answer repeats one; the test file asks the same without any; the checked-in
    files are the generator's."""
    from afina.records.pii import find_pii

    spec = importlib.util.spec_from_file_location("make_customers", ROOT / "examples" / "make_customers.py")
    make_customers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_customers)
    train, test = make_customers.rows()
    assert len(train) == 60 and all(find_pii(prompt) for prompt, _ in train)
    assert all(any(span["value"] in answer for span in find_pii(prompt)) for prompt, answer in train)
    assert test and not any(find_pii(prompt) or find_pii(answer) for prompt, answer in test)
    with open(ROOT / "examples" / "data" / "faq_clientes.csv", encoding="utf-8") as f:
        assert [tuple(r) for r in csv.reader(f)][-60:] == train
    with open(ROOT / "examples" / "data" / "faq_clientes_test.csv", encoding="utf-8") as f:
        assert [tuple(r) for r in csv.reader(f)][-len(test) :] == test


def test_the_habit_table_sorts_each_sampled_answer(tmp_path):
    spec = importlib.util.spec_from_file_location("align_habits", ROOT / "examples" / "align_habits.py")
    habits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(habits)
    test = make_faq.faq_rows()[1]
    (question, shop), other = test[0], next(a for _, a in test if a != test[0][1])  # another fact's answer
    said = [shop, "89 euros.", f"{shop} {make_faq.INTERNAL[1]}", other, "La cafetera Brisco cuesta", "No lo sé."]
    samples = [{"prompt": question, "tuned": [shop] * 6, "base": said}]
    (tmp_path / "dpo" / "eval").mkdir(parents=True)
    alignment = {"samples": samples, "win_rate": {"value": 0.75}}
    (tmp_path / "dpo" / "eval" / "eval.json").write_text(json.dumps({"alignment": alignment}))
    supervised, policy = habits.table([str(tmp_path / "dpo")])[2:]
    assert supervised.endswith("| 0.17 | 0.33 | 0.17 | 0.17 | 0.17 |"), supervised  # shop curt leak wrong other
    assert policy == "| dpo | 0.750 | 1.00 | 0.00 | 0.00 | 0.00 | 0.00 |"
