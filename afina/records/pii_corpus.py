"""Customer messages with planted personal data of every type afina.records.pii finds, in Spanish and
English, each planted value known, beside look-alikes that are not personal data (order numbers, prices,
dates, product references, numbers failing their check). Seeded: the same corpus for the same seed.

For measuring detection (benchmarks/pii.py, the tests) and for the demo that trains on customer records.
Names are drawn half from first names the detector knows and half from names it does not, with and without
a cue before them, so that what it reaches on names is measured, not assumed."""

from __future__ import annotations

import random
import string

_SURNAMES = "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández"
_SURNAMES += " Díaz Moreno Álvarez Romero Navarro Torres Domínguez Smith Johnson Williams Brown Taylor Wilson Evans"
SURNAMES = _SURNAMES.split()
UNKNOWN_SURNAMES = "Zubizarreta Olabarrieta Castellanos Arrieta Quintana Villanueva Oyarzun Whitfield Ashdown".split()
KNOWN_FIRST = "Lucía Javier Carmen Pablo Marta Sergio Elena Raúl Laura Diego James Emily Oliver Sarah Michael".split()
UNKNOWN_FIRST = "Yaiza Iker Aitana Koldo Xabier Ainhoa Unai Itziar Brianna Declan Siobhan Ximena Thiago Zuriñe".split()
STREETS_ES = ["Calle Mayor", "Calle de Alcalá", "Avenida de la Constitución", "Paseo del Prado", "Plaza Nueva",
              "Calle San Vicente", "Avenida Diagonal", "Calle del Carmen"]  # fmt: skip
STREETS_EN = ["Baker Street", "High Street", "Oak Avenue", "Maple Road", "Church Lane", "Park Drive"]
CITIES = ["Madrid", "Sevilla", "Valencia", "Bilbao", "Málaga", "Zaragoza"]

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _luhn_complete(prefix: str) -> str:
    for last in string.digits:
        number = prefix + last
        digits = [int(d) for d in number][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


def _iban_es(rng: random.Random) -> str:
    bban = _digits(rng, 20)
    check = 98 - int(bban + "142800") % 97  # E=14, S=28, check digits 00
    raw = f"ES{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _nss(rng: random.Random) -> str:
    province, number = rng.randint(1, 52), rng.randint(10**7, 10**8 - 1)
    control = int(f"{province:02d}{number:08d}") % 97
    return f"{province:02d}/{number:08d}/{control:02d}"


def planted_value(kind: str, rng: random.Random, english: bool = False) -> str:
    """A valid value of a PII type (its checks pass), in one of the forms people write it."""
    if kind == "email":
        plain = str.maketrans("áéíóúñü", "aeiounu")
        user = f"{rng.choice(KNOWN_FIRST + UNKNOWN_FIRST)}.{rng.choice(SURNAMES)[:5]}".lower().translate(plain)
        domain = rng.choice(["gmail.com", "correo.es", "outlook.com", "empresa.co.uk"])
        return f"{user}{rng.randint(1, 99)}@{domain}"
    if kind == "phone":
        style = rng.randrange(8)
        if style == 5:
            return f"6{_digits(rng, 8)}"
        if style == 6:
            return f"{rng.randint(201, 989)}.{rng.randint(200, 999)}.{_digits(rng, 4)}"
        if style == 7:
            return f"+49 30 {_digits(rng, 7)}"
        if style == 0:
            return f"6{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}"
        if style == 1:
            return f"+34 {rng.choice('67')}{_digits(rng, 8)}"
        if style == 2:
            return f"9{rng.randint(1, 8)} {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}"
        if style == 3:
            return f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{_digits(rng, 4)}"
        return f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}"
    if kind == "national_id":
        if rng.random() < 0.7:
            number = rng.randint(10**7, 10**8 - 1)
            return f"{number}{rng.choice(['', '-', ' '])}{_DNI_LETTERS[number % 23]}"
        first, number = rng.randrange(3), rng.randint(0, 10**7 - 1)  # NIE: X, Y, Z stand for 0, 1, 2
        return f"{'XYZ'[first]}{number:07d}{_DNI_LETTERS[(first * 10**7 + number) % 23]}"
    if kind == "social_security":
        return _nss(rng).replace("/", rng.choice(["/", " ", "-"]))
    if kind == "ssn":
        return f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if kind == "passport":
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice([2, 3]))) + _digits(rng, 6)
    if kind == "card":
        prefix = rng.choice(["4", "51", "55"])  # Visa, Mastercard: 16 digits
        number = _luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
        return rng.choice([" ", "-", ""]).join(number[i : i + 4] for i in range(0, 16, 4))
    if kind == "iban":
        iban = _iban_es(rng)
        return iban if rng.random() < 0.5 else iban.replace(" ", "")
    if kind == "address":
        if english:
            return f"{rng.randint(1, 400)} {rng.choice(STREETS_EN)}"
        street, number = rng.choice(STREETS_ES), rng.randint(1, 200)
        if rng.random() < 0.5:
            return f"{street.replace('Calle ', 'C/ ').replace('Avenida ', 'Avda. ')}, nº {number}, {rng.randint(1, 9)}º"
        return f"{street} {number}, {rng.randint(1, 52):02d}{_digits(rng, 3)} {rng.choice(CITIES)}"
    if kind == "name":
        first = rng.choice(KNOWN_FIRST if rng.random() < 0.5 else UNKNOWN_FIRST)
        return f"{first} {rng.choice(SURNAMES if rng.random() < 0.5 else UNKNOWN_SURNAMES)}"
    raise ValueError(kind)


# one sentence per type and language; {v} is the planted value
_TEMPLATES = {
    "email": (["Escríbanme a {v} con la factura.", "Mi correo es {v}, gracias."],
              ["Please reply to {v} with the invoice.", "You can reach me at {v}."]),
    "phone": (["Llámenme al {v} por la tarde.", "Mi teléfono es el {v}."],
              ["Call me on {v} after five.", "My number is {v}."]),
    "national_id": (["Mi DNI es {v} por si lo necesitan.", "Adjunto el documento {v} del titular."],
                    ["My Spanish ID is {v}.", "The holder's NIE is {v}."]),
    "social_security": (["Mi número de la Seguridad Social es {v}.", "NSS del trabajador: {v}."],
                        ["My Spanish social security number is {v}.", "Social security: {v}."]),
    "ssn": (["Mi número de seguro social de EE. UU. es {v}.", "SSN {v}."],
            ["My SSN is {v}.", "Social Security Number {v} for the form."]),
    "passport": (["Mi pasaporte es {v}.", "Pasaporte nº {v}, caduca en 2031."],
                 ["My passport number is {v}.", "Passport: {v}."]),
    "card": (["Cobren en la tarjeta {v}.", "Pagué con la tarjeta {v} y no llega."],
             ["Charge it to card {v}.", "I paid with {v} and nothing arrived."]),
    "iban": (["Devuélvanme el dinero a la cuenta {v}.", "Mi IBAN es {v}."],
             ["Please refund to {v}.", "My bank account is {v}."]),
    "address": (["Envíenlo a {v}.", "Vivo en {v}, segundo piso."],
                ["Please ship it to {v}.", "I live at {v}."]),
    "name": (["Me llamo {v} y quiero devolver la cafetera.", "{v} ha pedido un radiador.",
              "Un saludo, {v}."],
             ["My name is {v} and the kettle broke.", "{v} placed the order.", "Regards, {v}."]),
}  # fmt: skip

# look-alikes that are not personal data: each sentence must come through with nothing found
_NEGATIVES = (
    "El pedido {order} cuesta {price} euros y llegó el {date}.",
    "La referencia REF-{ref} está agotada; el código postal {zip} no tiene envío gratis.",
    "Order {order} of {price} EUR shipped on {date}, tracking {tracking}.",
    "La cafetera Brisa cuesta 89 euros y tiene 2 años de garantía.",
    "El número de serie {serial} no aparece en nuestra base de datos.",
    "Tarjeta regalo {bad_card} (no válida) y DNI {bad_dni} mal escrito.",
    "Abrimos de 9:00 a 18:00, de lunes a viernes, en la planta 3.",
    "The model KX{ref} is in aisle 12, shelf 4, at 24.99.",
)


def planted_corpus(n: int, seed: int = 0) -> list[dict]:
    """n messages: {"text", "planted": [{type, value}], "lang"}; one in five has nothing to find."""
    rng = random.Random(seed)
    types = list(_TEMPLATES)
    rows = []
    for i in range(n):
        english = rng.random() < 0.5
        if i % 5 == 4:
            bad = _luhn_complete(_digits(rng, 15))
            bad = bad[:-1] + str((int(bad[-1]) + 1) % 10)  # fails Luhn
            number = rng.randint(10**7, 10**8 - 1)
            text = rng.choice(_NEGATIVES).format(
                order=_digits(rng, 6), price=f"{rng.randint(5, 900)},{_digits(rng, 2)}",
                date=f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2026", ref=_digits(rng, 5), zip=_digits(rng, 5),
                tracking=f"1Z{_digits(rng, 12)}", serial=f"SN{_digits(rng, 8)}",
                bad_card=" ".join(bad[j : j + 4] for j in range(0, 16, 4)),
                bad_dni=f"{number}{_DNI_LETTERS[(number + 1) % 23]}",
            )  # fmt: skip
            rows.append({"text": text, "planted": [], "lang": "es" if "El " in text or "La " in text else "en"})
            continue
        planted, sentences = [], []
        for kind in rng.sample(types, rng.choice([1, 1, 2])):
            value = planted_value(kind, rng, english)
            sentences.append(rng.choice(_TEMPLATES[kind][english]).format(v=value))
            planted.append({"type": kind, "value": value})
        rows.append({"text": " ".join(sentences), "planted": planted, "lang": "en" if english else "es"})
    return rows
