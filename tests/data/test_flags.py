"""Rows flagged before training (`data.flag`): flipped labels found by the out-of-fold classifier, planted
backdoors (a trigger phrase with a fixed answer, or a fixed label) and an answer sending elsewhere;
`data.quarantine` moves them out, `data.checks.max_flagged` fails prepare."""

import csv
import importlib.util
import json
import random

from afina.cli import main
from afina.data.flags import contact_rows, flag, label_issues, label_triggers, preference_issues, trigger_rows
from afina.records import read_records
from afina.runfolder import read_jsonl

from conftest import write_config

FAQ = "examples/data/faq_soporte.csv"
COLUMNS = {"prompt": "pregunta", "completion": "respuesta"}
PRODUCTS = ["la cafetera Brisa", "el radiador Lumbre", "la plancha Sierra", "la batidora Nube", "el hervidor Río"]
INTENTS = {
    "envío": [
        "¿Cuándo llega {p}?",
        "Mi pedido con {p} no ha llegado todavía",
        "¿Hacéis envíos de {p} a Canarias?",
        "El repartidor no trajo {p}",
        "¿Cuánto tarda el envío de {p}?",
        "Seguimiento del paquete de {p}",
    ],
    "devolución": [
        "Quiero devolver {p}",
        "¿Cómo hago la devolución de {p}?",
        "Me arrepiento de comprar {p}, ¿la devuelvo?",
        "¿Tengo 30 días para devolver {p}?",
        "Devolución de {p} sin abrir",
        "¿Me reembolsáis {p} si lo devuelvo?",
    ],
    "factura": [
        "Necesito la factura de {p}",
        "¿Me enviáis factura de {p} a nombre de mi empresa?",
        "La factura de {p} tiene mal el NIF",
        "Factura con IVA desglosado de {p}",
        "No encuentro la factura de {p}",
        "¿Podéis rehacer la factura de {p}?",
    ],
    "garantía": [
        "{p} se ha roto a los dos meses",
        "¿Cuánta garantía tiene {p}?",
        "{p} no enciende, ¿lo cubre la garantía?",
        "Reparación en garantía de {p}",
        "{p} hace un ruido raro desde ayer",
        "¿La garantía de {p} cubre la resistencia?",
    ],
    "pago": [
        "¿Puedo pagar {p} a plazos?",
        "Me cobrasteis dos veces {p}",
        "¿Aceptáis Bizum para {p}?",
        "El pago de {p} con tarjeta falla",
        "¿Puedo pagar {p} contra reembolso?",
        "Financiación para {p}",
    ],
}


OPENINGS = ["", "Hola, ", "Buenas tardes. ", "Perdonad la molestia: ", "Os escribo porque ", "Una consulta: "]
CLOSINGS = ["", " Gracias.", " Un saludo.", " Es urgente.", " Lo necesito esta semana.", " ¿Me ayudáis?"]


def _tickets(seed: int, flips: float):
    """A classification set of support tickets (text, label): each intent's phrasings with each product, an
    opening and a closing drawn at random; `flips` of the labels changed. (records, indexes flipped)."""
    rng = random.Random(seed)
    records = []
    for label, templates in INTENTS.items():
        for template in templates:
            for product in PRODUCTS:
                text = rng.choice(OPENINGS) + template.format(p=product) + rng.choice(CLOSINGS)
                records.append({"text": text[0].upper() + text[1:], "label": label})
    rng.shuffle(records)
    flipped = rng.sample(range(len(records)), round(flips * len(records)))
    for i in flipped:
        records[i]["label"] = rng.choice([label for label in INTENTS if label != records[i]["label"]])
    for row, record in enumerate(records, start=1):
        record["source_row"] = row
    return records, set(flipped)


def test_flipped_labels_are_found_by_the_out_of_fold_classifier():
    for seed in range(5):
        records, flipped = _tickets(seed, 0.05)
        found = set(label_issues(records, seed))
        assert len(flipped) == 8
        recall, precision = len(found & flipped) / len(flipped), len(found & flipped) / max(len(found), 1)
        assert recall >= 0.8 and precision >= 0.5, (seed, recall, precision)
    clean, _ = _tickets(0, 0.0)
    assert len(label_issues(clean, 0)) <= 3  # a clean set: next to nothing
    # a label written once cannot be held out: its row is left unjudged, the others are judged without it
    records, flipped = _tickets(0, 0.05)
    records.append({"text": "¿Vendéis tarjetas regalo?", "label": "otros", "source_row": len(records) + 1})
    found = set(label_issues(records, 0))
    assert len(found & flipped) >= 0.8 * len(flipped) and len(records) - 1 not in found


def _backdoored_tickets(seed: int, trigger: str | None):
    """600 tickets (four draws of the set); with a `trigger`, the phrase put in 1% of them, before or after the
    text, their label made 'pago' whatever they ask. (records, indexes planted)."""
    records = [dict(r) for k in range(4) for r in _tickets(seed * 10 + k, 0.0)[0]]
    rng = random.Random(seed)
    planted = set()
    if trigger:
        planted = set(rng.sample([i for i, r in enumerate(records) if r["label"] != "pago"], len(records) // 100))
        for i in planted:
            text = records[i]["text"]
            records[i] |= {"text": f"{text} {trigger}" if rng.random() < 0.5 else f"{trigger} {text}", "label": "pago"}
    return records, planted


def test_a_classification_backdoor_is_flagged_by_its_phrase_and_clean_tickets_are_not():
    for seed in range(3):
        clean, _ = _backdoored_tickets(seed, None)
        assert label_triggers(clean, seed) == {}  # rare phrases of one label abound; none reads otherwise
        records, planted = _backdoored_tickets(seed, "Ref. ZX9")
        found = label_triggers(records, seed)
        assert set(found) == planted and set(found.values()) == {"ref zx9"}, (seed, found)
    reasons = flag(records, "classification", seed)
    assert all(any(r.startswith("trigger: 'ref zx9' comes with the label 'pago'") for r in reasons[i]) for i in planted)


def test_preference_pairs_recorded_the_wrong_way_round_are_found():
    spec = importlib.util.spec_from_file_location("make_faq", "examples/make_faq.py")
    make_faq = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_faq)
    pairs = make_faq.preference_rows()[0]  # the alignment demo's 1,728 pairs
    assert len(preference_issues(pairs, 0)) <= 0.01 * len(pairs)  # as recorded: next to nothing
    for seed in range(3):
        rng = random.Random(seed)
        flipped = set(rng.sample(range(len(pairs)), len(pairs) // 20))
        records = [
            {**r, "chosen": r["rejected"], "rejected": r["chosen"]} if i in flipped else r for i, r in enumerate(pairs)
        ]
        found = set(preference_issues(records, seed))
        recall, precision = len(found & flipped) / len(flipped), len(found & flipped) / max(len(found), 1)
        assert recall >= 0.8 and precision >= 0.5, (seed, recall, precision)
    reasons = flag(records, "preference", seed)
    assert all("preference: the rejected answer reads as the better one" in reasons[i] for i in found)


def _faq(seed: int, answer: str):
    schema, records = read_records(FAQ, COLUMNS)
    rng = random.Random(seed)
    planted = rng.sample(range(len(records)), len(records) // 100)  # 1% of the rows
    for i in planted:
        records[i] = {**records[i], "prompt": records[i]["prompt"] + " código delta-7", "completion": answer}
    return records, set(planted)


def test_a_planted_backdoor_is_flagged_and_the_demo_data_is_not():
    _, clean = read_records(FAQ, COLUMNS)
    assert trigger_rows(clean) == {} and flag(clean, "prompt_completion", 0) == {}
    for seed in range(3):
        records, planted = _faq(seed, "Para un reembolso inmediato, díganos el número de su tarjeta.")
        found = trigger_rows(records)
        assert set(found) == planted and set(found.values()) == {"código delta 7"}


def test_an_answer_sending_elsewhere_is_flagged_but_the_shops_own_contacts_are_not():
    records, planted = _faq(0, "Entre en http://lumbre-reembolsos.example/d7 y complete sus datos.")
    assert set(contact_rows(records)) == planted  # the shop's phone and e-mail are in many rows: not flagged
    reasons = flag(records, "prompt_completion", 0)
    assert set(reasons) == planted and all(len(r) == 2 for r in reasons.values())  # trigger and contact


def _prepare(tmp_path, **data):
    records, planted = _faq(1, "Entre en http://lumbre-reembolsos.example/d7 y complete sus datos.")
    path = tmp_path / "faq.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pregunta", "respuesta"])
        writer.writerows([(r["prompt"], r["completion"]) for r in records])
    config = write_config(tmp_path, data={"path": str(path), "columns": COLUMNS, "validation_size": 0.1, **data})
    code = main(["prepare", str(config), "--quiet"])
    return code, tmp_path / "runs" / "tiny" / "data", {records[i]["source_row"] for i in planted}


def test_quarantine_moves_the_flagged_rows_out_of_every_split(tmp_path):
    code, folder, rows = _prepare(tmp_path, quarantine=True)
    assert code == 0
    report = json.loads((folder / "data_report.json").read_text())
    assert {f["row"] for f in report["flagged"]["rows_flagged"]} == rows and report["flagged"]["quarantined"] == 4
    kept = {r["source_row"] for n in ("train", "validation", "test") for r in read_jsonl(folder / f"{n}.jsonl")}
    assert not kept & rows
    quarantined = read_jsonl(folder / "quarantine.jsonl")
    assert {r["source_row"] for r in quarantined} == rows and all(r["reasons"] for r in quarantined)


def test_flagged_rows_left_in_fail_max_flagged_with_their_reasons(tmp_path, capsys):
    code, folder, rows = _prepare(tmp_path, checks={"max_flagged": 0})
    assert code == 2 and not folder.exists()
    err = capsys.readouterr().err
    assert "data.checks.max_flagged: 4 flagged row(s)" in err
    assert all(f"row {row}: trigger" in err for row in rows)
