"""Near-duplicates (`data.near_duplicates`): rows a word apart in prompt and answer, found whatever their casing
and punctuation; across splits they are leaks, listed and refused by `data.checks.max_near_duplicate_leaks`;
`group` keeps each group in one split, `collapse` keeps one row of it."""

import csv
import json
import random

from afina.cli import main
from afina.data.near_duplicates import _bag, _distance, pairs
from afina.records import read_records
from afina.runfolder import read_jsonl

from conftest import write_config

FAQ = "examples/data/faq_soporte.csv"
COLUMNS = {"prompt": "pregunta", "completion": "respuesta"}
FILLERS = ["urgente", "ahora", "porfa", "hoy"]


def _edited(record: dict, rng: random.Random) -> dict:
    """The row with paraphrase-level edits: one word changed, added or removed, casing and punctuation."""
    words = record["prompt"].split()
    edit = rng.randrange(3)
    k = rng.randrange(len(words))
    if edit == 0:
        words[k] = rng.choice(FILLERS)
    elif edit == 1:
        words.insert(k, rng.choice(FILLERS))
    elif len(words) > 2:
        del words[k]
    prompt = " ".join(words)
    prompt = rng.choice([prompt.upper(), prompt.lower(), prompt.replace("¿", "").replace("?", "").replace(",", "")])
    answer = record["completion"].rstrip(".") if rng.random() < 0.5 else record["completion"].lower()
    return {**record, "prompt": prompt, "completion": answer}


def test_paraphrase_level_edits_are_found_and_other_questions_are_not():
    _, rows = read_records("examples/data/faq_soporte_test.csv", COLUMNS)
    rng = random.Random(0)
    edited = [_edited(r, rng) for r in rows]
    found = {(i, j) for i, j in pairs(edited, rows)}
    assert all((i, i) in found for i in range(len(rows)))  # every edited row against its original
    # a word apart in the prompt, but another answer: another question
    bilbao = {"prompt": "¿Qué horario tiene la tienda de Bilbao?", "completion": "De lunes a viernes de 9:00 a 18:00."}
    valencia = {"prompt": "¿Qué horario tiene la tienda de Valencia?", "completion": "Todos los días de 11:00 a 21:00."}
    assert pairs([bilbao], [valencia]) == []
    # two words changed in a short prompt: no longer the same row
    changed = {**rows[0], "prompt": "¿Cuánto vale ahora la cafetera Brisa roja?"}
    assert pairs([changed], [rows[0]]) == [] and rows[0]["prompt"] == "¿Cuánto cuesta la cafetera Brisa?"


def _prepare(tmp_path, test_rows, **data):
    _, train = read_records(FAQ, COLUMNS)
    path = tmp_path / "test.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pregunta", "respuesta"])
        writer.writerows([(r["prompt"], r["completion"]) for r in test_rows])
    data = {"path": FAQ, "columns": COLUMNS, "test_path": str(path), "validation_size": 0.1, **data}
    code = main(["prepare", str(write_config(tmp_path, data=data)), "--quiet"])
    return code, tmp_path / "runs" / "tiny" / "data"


def test_a_test_file_holding_edited_training_rows_is_reported_and_refused_by_the_check(tmp_path, capsys):
    _, train = read_records(FAQ, COLUMNS)
    rng = random.Random(1)
    leaked = [_edited(r, rng) for r in rng.sample(train, 5)]
    fresh = [{"prompt": f"¿Hacéis envíos a la isla número {i}?", "completion": f"Sí, en {i} días."} for i in range(5)]
    code, folder = _prepare(tmp_path, leaked + fresh, checks={"max_near_duplicate_leaks": 0})
    err = capsys.readouterr().err
    assert code == 2 and not folder.exists()
    assert "data.checks.max_near_duplicate_leaks" in err and "test.csv, row 1 (test): like training row" in err
    code, folder = _prepare(tmp_path, leaked + fresh)
    assert code == 0
    report = json.loads((folder / "data_report.json").read_text())["near_duplicates"]
    test_leaks = {leak["row"] for leak in report["leaks"] if leak["split"] == "test"}
    assert test_leaks == {1, 2, 3, 4, 5}  # the edited rows, none of the new questions
    code, folder = _prepare(tmp_path, leaked + fresh, near_duplicates="off")  # not searched: not reported
    assert code == 0 and json.loads((folder / "data_report.json").read_text())["near_duplicates"] is None
    code, _ = _prepare(tmp_path, leaked + fresh, near_duplicates="off", checks={"max_near_duplicate_leaks": 0})
    assert code == 2 and "data.checks.max_near_duplicate_leaks cannot be checked" in capsys.readouterr().err


def test_group_keeps_near_duplicates_in_one_split_and_collapse_keeps_one(tmp_path):
    code, folder = _prepare(tmp_path, [], test_path=None, test_size=0.1)
    assert code == 0
    report = json.loads((folder / "data_report.json").read_text())
    assert report["near_duplicates"]["leak_rows"] > 0  # the FAQ's greetings ("Buenas, ...") split apart
    code, folder = _prepare(tmp_path, [], test_path=None, test_size=0.1, near_duplicates="group")
    report = json.loads((folder / "data_report.json").read_text())
    assert code == 0 and report["near_duplicates"]["leak_rows"] == 0 and report["rows_dropped"] == 0
    code, folder = _prepare(tmp_path, [], test_path=None, test_size=0.1, near_duplicates="collapse")
    report = json.loads((folder / "data_report.json").read_text())
    within = report["near_duplicates"]["within_training"]
    dropped = [d for d in report["dropped"] if d["reason"].startswith("near-duplicate of row")]
    assert code == 0 and within and len(dropped) == report["rows_dropped"] > 0
    kept = {r["source_row"] for n in ("train", "validation", "test") for r in read_jsonl(folder / f"{n}.jsonl")}
    assert not kept & {d["row"] for d in dropped} and report["near_duplicates"]["leak_rows"] == 0


def test_short_texts_must_match_whole_to_be_near_duplicates():
    assert pairs([{"text": "great", "label": "pos"}], [{"text": "nice", "label": "pos"}]) == []
    nine = {"prompt": "¿A qué hora abre la tienda de Bilbao?", "completion": "Abre a las 9."}
    ten = {"prompt": "¿A qué hora abre la tienda de Valencia?", "completion": "Abre a las 10."}
    assert pairs([nine], [ten]) == [] and pairs([nine], [{**nine, "prompt": "¿a que hora abre la tienda de bilbao"}])


def test_group_keeps_rows_sharing_a_prompt_together_with_their_near_duplicates(tmp_path):
    """B is a near-duplicate of A and shares its prompt with C, whose answer differs: all three in one split
    (a group key taken from A alone put B and C apart, and prepare refused its own split)."""
    rows = []
    for k in range(40):
        a = (f"¿Cuánto cuesta el modelo número {k} de cafetera?", f"El modelo {k} cuesta {10 + k} euros en total.")
        b = (f"¿Cuánto cuesta el modelo número {k} de cafeteras?", a[1])
        c = (b[0], f"Ese modelo {k} ya no se vende en la tienda.")
        rows += [a, b, c]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("pregunta", "respuesta"), *rows])
    for seed in range(3):
        data = {"path": str(path), "columns": COLUMNS, "near_duplicates": "group", "quarantine": True}
        config = write_config(tmp_path, data=data, seed=seed, name=f"group{seed}")
        assert main(["prepare", str(config), "--quiet"]) == 0
        report = json.loads((tmp_path / "runs" / f"group{seed}" / "data" / "data_report.json").read_text())
        assert report["near_duplicates"]["leak_rows"] == 0


def test_the_distance_floor_never_rules_out_a_pair_the_full_table_keeps():
    """The floor that spares the quadratic table (words of the longer text the other does not hold) agrees
    with the whole edit distance, repeated words included."""
    rng = random.Random(0)
    for _ in range(2000):
        a = [rng.choice("abcd") for _ in range(rng.randrange(8))]
        b = [rng.choice("abcd") for _ in range(rng.randrange(8))]
        table = list(range(len(b) + 1))  # the edit distance, row by row
        for i, word in enumerate(a, start=1):
            row = [i] + [0] * len(b)
            for j, other in enumerate(b, start=1):
                row[j] = min(table[j] + 1, row[j - 1] + 1, table[j - 1] + (word != other))
            table = row
        for limit in range(4):
            assert _distance(a, b, limit, (_bag(a), _bag(b))) == min(table[-1], limit + 1), (a, b, limit)


def test_group_refuses_to_leave_an_evaluation_split_empty_when_groups_chain(tmp_path, capsys):
    """Rows a word apart chain: "modelo 1", "modelo 2" ... with one canned answer are one group, and a split is
    made of whole groups, so grouping would leave validation and test empty; prepare says so (exit 2)."""
    rows = [(f"¿Tenéis stock del modelo{k} en tienda?", "Consulte el stock en la web.") for k in range(80)]
    rows += [(f"¿Abrís el día {k} de agosto por la tarde?", f"Sí, el {k} abrimos de 17:00 a 21:00.") for k in range(10)]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("pregunta", "respuesta"), *rows])
    data = {"path": str(path), "columns": COLUMNS, "validation_size": 0.1, "test_size": 0.1}
    config = write_config(tmp_path, data={**data, "near_duplicates": "group"}, name="chained")
    assert main(["prepare", str(config), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "group left the validation split 1 row(s) of the 9 asked" in err and "the largest holds 80 of 90 rows" in err
    config = write_config(tmp_path, data={**data, "near_duplicates": "report"}, name="reported")
    assert main(["prepare", str(config), "--quiet"]) == 0
    splits = {n: read_jsonl(tmp_path / "runs" / "reported" / "data" / f"{n}.jsonl") for n in ("validation", "test")}
    assert len(splits["validation"]) == len(splits["test"]) == 9
