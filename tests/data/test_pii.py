"""Personal data found before training (`data.pii`): reported per field and type, masked with placeholders
that stay the same for one value, or its rows dropped and listed; `data.checks.max_pii` fails prepare."""

import csv
import json

import pytest

from afina.cli import main
from afina.records.pii import TYPES, Masker, find_pii
from afina.records.pii_corpus import planted_corpus
from afina.runfolder import read_jsonl

from conftest import write_config

ROWS = [
    ("¿Cuánto cuesta la cafetera Brisa?", "La cafetera Brisa cuesta 89 euros."),
    ("Me llamo Lucía Fernández, mi teléfono es 612 345 678.", "Gracias Lucía Fernández, le llamamos al 612345678."),
    ("Mi DNI es 12345678Z y mi correo lucia.f@correo.es", "Anotado el 12345678Z."),
    ("¿Tienen tienda física?", "Sí, llámenos al 955 123 456 o escriba a ayuda@lumbrehogar.es."),
] + [(f"¿Hay existencias del radiador {i}?", f"Sí, quedan {i} radiadores.") for i in range(16)]
# the agent repeats a name that nothing marks there ("Muy bien," is no cue, neither name is on a list)
ROWS.append(("Hola, me llamo Yaiza Castellanos.", "Muy bien, Yaiza Castellanos. ¿En qué le ayudo?"))


def _prepare(tmp_path, rows=ROWS, **data):
    path = tmp_path / "faq.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("pregunta", "respuesta"), *rows])
    config = write_config(
        tmp_path,
        data={"path": str(path), "columns": {"prompt": "pregunta", "completion": "respuesta"}, **data},
    )
    code = main(["prepare", str(config), "--quiet"])
    folder = tmp_path / "runs" / "tiny" / "data"
    return code, folder


def _all_text(folder):
    return "\n".join(
        json.dumps(record, ensure_ascii=False)
        for name in ("train", "validation", "test")
        for record in read_jsonl(folder / f"{name}.jsonl")
    )


def test_report_counts_each_type_per_field_and_changes_nothing(tmp_path):
    code, folder = _prepare(tmp_path, pii="report", pii_allow=["955 123 456", "ayuda@lumbrehogar.es"])
    assert code == 0
    pii = json.loads((folder / "data_report.json").read_text())["pii"]
    assert pii["per_column"] == {
        "prompt": {"email": 1, "name": 2, "national_id": 1, "phone": 1},
        "completion": {"name": 1, "national_id": 1, "phone": 1},
    }
    assert pii["rows_with_pii"] == 3 and pii["left"] == 8
    assert "612 345 678" in _all_text(folder)


def test_mask_gives_one_value_one_placeholder_and_keeps_the_allowed(tmp_path):
    code, folder = _prepare(tmp_path, pii="mask", pii_allow=["955 123 456", "ayuda@lumbrehogar.es"])
    assert code == 0
    text = _all_text(folder)
    for value in ("612 345 678", "612345678", "12345678Z", "lucia.f@correo.es", "Lucía Fernández"):
        assert value not in text
    records = [r for n in ("train", "validation", "test") for r in read_jsonl(folder / f"{n}.jsonl")]
    by_row = {r["source_row"]: r for r in records}
    # the same number written two ways, the same name twice: one placeholder each, in prompt and answer
    assert by_row[2]["prompt"] == "Me llamo [NAME_1], mi teléfono es [PHONE_1]."
    assert by_row[2]["completion"] == "Gracias [NAME_1], le llamamos al [PHONE_1]."
    assert "[NATIONAL_ID_1]" in by_row[3]["prompt"] and "[NATIONAL_ID_1]" in by_row[3]["completion"]
    # a value found in the prompt is masked in the answer too, where nothing marks it
    assert by_row[21]["completion"] == "Muy bien, [NAME_2]. ¿En qué le ayudo?" and "Yaiza" not in text
    assert "955 123 456" in text and "ayuda@lumbrehogar.es" in text  # allowed: the shop's public contacts
    report = json.loads((folder / "data_report.json").read_text())
    assert report["pii"]["left"] == 0 and report["pii"]["examples"]
    assert report["rows_kept"] == len(ROWS)


def test_drop_removes_the_rows_and_lists_each(tmp_path):
    code, folder = _prepare(tmp_path, pii="drop", pii_allow=["955 123 456", "ayuda@lumbrehogar.es"])
    assert code == 0
    report = json.loads((folder / "data_report.json").read_text())
    dropped = {d["row"]: d["reason"] for d in report["dropped"]}
    assert dropped == {
        2: "personal data (name, phone)",
        3: "personal data (email, national_id)",
        21: "personal data (name)",
    }
    assert report["rows_kept"] == len(ROWS) - 3 and "612" not in _all_text(folder)


def test_max_pii_fails_prepare_naming_the_rows_and_writes_no_data(tmp_path, capsys):
    code, folder = _prepare(tmp_path, pii="report", checks={"max_pii": 0})
    assert code == 2 and not folder.exists()
    err = capsys.readouterr().err
    assert "data.checks.max_pii" in err and "row 2, field 'prompt': phone" in err and "row 3" in err
    # the shop's own contacts, when not allowed, are found too
    assert "row 4, field 'completion': phone" in err
    # masked, nothing is left: the same check passes
    code, _ = _prepare(tmp_path, pii="mask", checks={"max_pii": 0})
    assert code == 0


def test_max_pii_counts_only_what_the_splits_keep(tmp_path):
    """A row dropped as a duplicate after its personal data was found leaves nothing behind to count."""
    rows = ROWS + [ROWS[2]]  # the DNI row twice: one copy is dropped
    code, folder = _prepare(tmp_path, rows, pii="report", checks={"max_pii": 9}, pii_allow=["955 123 456"])
    pii = json.loads((folder / "data_report.json").read_text())["pii"]
    assert code == 0 and pii["found"] == 12 and pii["left"] == 9  # the copy held three


def test_lookalikes_are_not_personal_data():
    for text in (
        "El pedido 483920 cuesta 89,95 euros y llegó el 12/03/2026.",
        "Tarjeta 4111 1111 1111 1112, DNI 12345678A, IBAN ES00 2100 0418 4502 0005 1332",  # checks fail
        "La referencia REF-20931 y el código postal 28013.",
        "La cafetera Brisa y el radiador Lumbre Max están en la Plaza Mayor.",
        "Este año facturamos 12 345 601 y pico, y 12.345.601 e IVA.",  # thousands, a lower-case "control letter"
        "Sobre el pasaporte: el pedido 4 es el ABCD12345.",  # a number of words away is not the passport's
        "Referencia 305831353 del envío.",  # nine digits with no word for an SSN
        "La compré en la tienda de la Avenida de la Constitución el 25 de mayo.",  # a date, not a number
        "Kind regards,\nCustomer Care",  # a department signs
        "I'm Irish and I live in Cádiz.",
        "Cliente: DNI pendiente de copia",  # an acronym after a label is no name
        "Un cargo de una tienda de Santiago de Compostela.",
        "Pedido 742306985 enviado.",  # an order's number is no phone
        "Pedido 281234567840 enviado.",  # twelve digits passing the NSS check, but nothing speaks of one
        # what a review found taken for personal data: greetings, products, labels followed by no name,
        # devices, a vitamin, a year after an address, sizes; none is found
        "Hola, buenas tardes aquí estamos.",
        "Pedido recibido.\nMuchas Gracias",
        "Hola Buenos Días",
        "OK, GRACIAS",
        "Great product - Five Stars",
        "- Leche Entera\n- Pan Integral",
        "Regalo para mi esposa Apple Watch",
        "Mi hijo Bluetooth no conecta",
        "Me: No funciona la app",
        "my 500 gb hard drive is slow",
        "after 20 minutes on the road",
        "Vitamina C. Tomar 2 veces",
        "Tallas disponibles: 0 2 4 6 8 10 12 14",
        "Reserva Hotel 9123456789",
        "Tina, my order 412345678 arrived",
        "Travel documents are ready. Flight IB3456789",
        "Llevo el pasaporte. Mi usuario es ana123456.",
        "Trabajo en la Seguridad Social. Mi pedido 100000000081 no llega.",
        "Facturad a nombre de SEUR, CIF B12345674.",  # a company, and its tax code
    ):
        assert find_pii(text) == [], text
    assert [s["type"] for s in find_pii("Samsung Galaxy, support@samsung.com")] == ["email"]  # a product, no name
    found = find_pii("Mi pasaporte es AB1234567 y el pedido 123456789 llegó.\nShip to 12 Baker Street\nThanks a lot")
    assert [(s["type"], s["value"]) for s in found] == [("passport", "AB1234567"), ("address", "12 Baker Street")]


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("Titular: DNI 51 736 234 B, alta en marzo", "national_id", "51 736 234 B"),
        ("cuenta nueva: es9121000418450200051332 gracias", "iban", "es9121000418450200051332"),
        ("ring me on 07911123456 after six", "phone", "07911123456"),
        ("el 281234567840 es mi número de la Seguridad Social", "social_security", "281234567840"),
        ("NUSS 281234567840 y el de mi hija, 281234567941.", "social_security", "281234567941"),
        ("my passport, issued in 2019 in Leeds, is 533408721", "passport", "533408721"),
        ("travel documents: passports C01X00T47 and 533408721.", "passport", "533408721"),
        ("documento de viaje (C01X00T47) en vigor", "passport", "C01X00T47"),
        (
            "vivo en Calle de la Paz, 14-16, local 2 - 46003 VALENCIA",
            "address",
            "Calle de la Paz, 14-16, local 2 - 46003 VALENCIA",
        ),
        (
            "envío a avda. del puerto 9, 4ºIzq, 03001 alicante por favor",
            "address",
            "avda. del puerto 9, 4ºIzq, 03001 alicante",
        ),
        ("Travesa de Vigo 30, 2º dta., Ourense", "address", "Travesa de Vigo 30, 2º dta., Ourense"),
        (
            "ship to 4410 W Maple Ridge Dr #12, Denver, CO 80211-4120 asap",
            "address",
            "4410 W Maple Ridge Dr #12, Denver, CO 80211-4120",
        ),
        ("ADDRESS: 77 N ELM STREET APT 2C, DAYTON, OH 45402", "address", "77 N ELM STREET APT 2C, DAYTON, OH 45402"),
        ("Attn: accounts\n12b Quarry Lane\nDerby\nDE1 3QT\n", "address", "12b Quarry Lane\nDerby\nDE1 3QT"),
        ("IBAN: ES91 2100 0418 4502 0005 1332\nNIF: 12345678Z", "iban", "ES91 2100 0418 4502 0005 1332"),
        ("my ssn is 536833014, thanks", "ssn", "536833014"),
        ("Llamadas: 0034 607 60 55 72", "phone", "0034 607 60 55 72"),  # Luhn-valid, but no card starts with 0
        ("Nº afiliación S.S.: 281234567840", "social_security", "281234567840"),
        (
            "el pasaporte de mi marido es el XDB123456 y el mío, de cuando vivía en Lyon, el PAC654321",
            "passport",
            "PAC654321",
        ),
        ("os mando el pasaporte por aquí, que el correo falla: paa509597", "passport", "paa509597"),
        (
            "Calle de los Tintes, 31, 2º Izda., 37002 Salamanca",
            "address",
            "Calle de los Tintes, 31, 2º Izda., 37002 Salamanca",
        ),
        ("Rúa da Fonte 8, 15001 A Coruña", "address", "Rúa da Fonte 8, 15001 A Coruña"),
        ("Ronda Norte, 12 bajo\n30009 Murcia\n\nMurcia, 3 de mayo", "address", "Ronda Norte, 12 bajo\n30009 Murcia"),
        ("Avda. de Burgos 4, 3-B, 09001 Burgos", "address", "Avda. de Burgos 4, 3-B, 09001 Burgos"),
        ("Flat 2, 15 Mill Road, Leeds LS6 2AB", "address", "Flat 2, 15 Mill Road, Leeds LS6 2AB"),
        ("Cliente: ORTIZ LAMAS, BEGOÑA\nTel.: 612 345 678", "name", "ORTIZ LAMAS, BEGOÑA"),
        ("aviso: el cliente PRADO ROS, ELOY no contesta", "name", "PRADO ROS, ELOY"),
        ("GARCÍA SOTO, ÁLVARO ha llamado dos veces", "name", "GARCÍA SOTO, ÁLVARO"),
        ("Name on card: WALTER BRIGGS\nExpiry: 04/29", "name", "WALTER BRIGGS"),
        ("Hola Eufrasio, ya tienes el reembolso.", "name", "Eufrasio"),
        ("Caller: Ottilie Varga, wants a refund", "name", "Ottilie Varga"),
        ("Hola, ramón olmedo aquí, os escribo por la factura", "name", "ramón olmedo"),
        ("me llamo eusebio toral y no me llega el pedido", "name", "eusebio toral"),
        ("From: Ottilie Varga <ov@correo.hu>\nSubject: refund", "name", "Ottilie Varga"),
        ("Le devolvemos el importe en cinco días.\n\nGracias,\nEufrasio Lamela", "name", "Eufrasio Lamela"),
        ("Envío a:\nEufrasio Lamela\n42 Hill Street\nBath BA1 2AB", "name", "Eufrasio Lamela"),
        ("Hi Dr Hale, I'm Niamh O'Dowd from flat 3.", "name", "Niamh O'Dowd"),
        ("--\nOttilie Varga\nHead of Sales", "name", "Ottilie Varga"),
        ("Pasajeros y pasaporte:\n- Ana Ruiz, KLM123456\n- Ivo Petrov, AB1234567", "passport", "AB1234567"),
        ("ZK1234567 es mi pasaporte, por si hace falta", "passport", "ZK1234567"),
        ("pasaporte rumano: 51234567", "passport", "51234567"),
        ("Mi afiliación a la Seguridad Social: 28/1234567840", "social_security", "28/1234567840"),
        ("the debit from ie29 aibk 9311 5212 3456 78, thanks", "iban", "ie29 aibk 9311 5212 3456 78"),
        ("el teléfono es el 61 234 56 78, sí", "phone", "61 234 56 78"),
        ("my mobile is 07 700 900 123, that's it", "phone", "07 700 900 123"),
        ("text me on 6195550123 thx", "phone", "6195550123"),
        ("Avda. de Goya 3, 3.º C, 50006 Zaragoza", "address", "Avda. de Goya 3, 3.º C, 50006 Zaragoza"),
        ("en Calle Real 7, 2º B, 46980 Paterna (Valencia).", "address", "Calle Real 7, 2º B, 46980 Paterna (Valencia)"),
        ("C/ del Carmen, 12. 18009 Granada", "address", "C/ del Carmen, 12. 18009 Granada"),
        ("living at 12 Leeson Park, Dublin 6, D06 X2Y3 now", "address", "12 Leeson Park, Dublin 6, D06 X2Y3"),
        ("send it to 54 mill lane leeds ls6 2ab pls", "address", "54 mill lane leeds ls6 2ab"),
        ("ANA ROS PALAU\nCalle Mayor 5\n28013 Madrid", "name", "ANA ROS PALAU"),
        ("LÍNEA 612345678 TITULAR ANA ROS PALAU NIF 12345678Z", "name", "ANA ROS PALAU"),
        ("Turno de noche:\nPALAU ROS, ANA M.\tana@empresa.es", "name", "PALAU ROS, ANA M."),
        ("el vecino, el Sr. del Pino, hace obras", "name", "del Pino"),
        ("hey its steven lol, new number", "name", "steven"),
        ("Destinatario: Eufrasio Lamela, Calle Mayor 5", "name", "Eufrasio Lamela"),
        ("afiliación: 2812345678/40", "social_security", "2812345678/40"),
        ("NSS 28 1234 5678 40", "social_security", "28 1234 5678 40"),
        (
            "Alta en la Seguridad Social.\nDatos: Ana Ruiz, 281234567840, jornada completa",
            "social_security",
            "281234567840",
        ),
        ("TIN 536833014 for the form", "ssn", "536833014"),
        ("536833014 is my SSN", "ssn", "536833014"),
        ("Call 698828545. The SSN form is attached.", "phone", "698828545"),  # a sentence before the word
        ("Phone number for the order: 612 345 678", "phone", "612 345 678"),  # the phone's word before the order's
        ("Calle Mayor 5. 2023 Fue un buen año", "address", "Calle Mayor 5"),
        ("Calle Mayor 5, Madrid (Pedido urgente)", "address", "Calle Mayor 5, Madrid"),
        ("Sr. de la Fuente Ruiz llamó", "name", "de la Fuente Ruiz"),
    ],
)
def test_the_forms_real_messages_use_are_found(text, kind, value):
    """Spaced and lower-case numbers, cues after or far from the number, lists, and addresses that run on
    past their number (ranges, premises, a postcode after a dash or on the next line, cities in capitals or
    lower case, compass points, unit numbers, ZIP+4, an address block of lines); names in capitals surname
    first, after a greeting, a record's label, a sender's address, above an address or a signature's last
    line, in lower case after words that only a name follows."""
    assert (kind, value) in {(s["type"], s["value"]) for s in find_pii(text)}, find_pii(text)


@pytest.mark.parametrize("kind", TYPES)
def test_every_type_is_found_in_the_planted_corpus(kind):
    """Recall >= 0.95 and precision >= 0.9 per type on messages written from templates (the held-out corpus
    written apart from the detector is measured in benchmarks/pii.py); names: recall >= 0.85."""
    found = planted = hits = 0
    for row in planted_corpus(600, seed=3):
        truth = [(p["type"], p["value"]) for p in row["planted"] if p["type"] == kind]
        spans = [(f["type"], f["value"]) for f in find_pii(row["text"]) if f["type"] == kind]
        planted, found = planted + len(truth), found + len(spans)
        hits += sum(span in truth for span in spans)
    assert planted >= 30
    assert hits / planted >= (0.85 if kind == "name" else 0.95)
    assert hits / max(found, 1) >= 0.9


def test_a_value_found_only_in_the_test_file_is_masked_in_training_too(tmp_path):
    train = tmp_path / "train.csv"
    with train.open("w", newline="", encoding="utf-8") as handle:
        rows = [("¿Quién atendió el pedido 12?", "Lo atendió Yaiza Castellanos.")]
        rows += [(f"¿Hay existencias del radiador {i}?", f"Sí, quedan {i} radiadores.") for i in range(12)]
        csv.writer(handle).writerows([("pregunta", "respuesta"), *rows])
    test = tmp_path / "test.csv"
    with test.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("pregunta", "respuesta"), ("Hola, me llamo Yaiza Castellanos.", "Hola.")])
    data = {"path": str(train), "test_path": str(test), "columns": {"prompt": "pregunta", "completion": "respuesta"}}
    config = write_config(tmp_path, data={**data, "pii": "mask", "validation_size": 0.2})
    assert main(["prepare", str(config), "--quiet"]) == 0
    assert "Yaiza" not in _all_text(tmp_path / "runs" / "tiny" / "data")


def test_masking_a_field_compares_it_with_the_values_it_may_hold_only():
    """A value learnt elsewhere is masked wherever it is written, longest first, whatever the number of values
    learnt (the text is compared with the values its own pieces start, not with every one)."""
    masker = Masker()
    surname = lambda k: "Zab" + "".join(chr(97 + k // 26**i % 26) for i in range(3))  # noqa: E731
    for k in range(2000):
        masker.learn(f"Me llamo Yaiza {surname(k)} Quirce, mi móvil es el 6{k:08d}.")
    text = f"Otra vez Yaiza {surname(1234)} Quirce (móvil 600001234), y Yaiza {surname(12)} Quirce."  # no cue
    assert masker.mask(text) == "Otra vez [NAME_1235] (móvil [PHONE_1235]), y [NAME_13]."
    assert len(masker._by_start) < 20  # values indexed by how they start: a few keys for 4,000 values
