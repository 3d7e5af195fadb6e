"""Write the demo's data: the support FAQ of Lumbre Hogar, a fictional Spanish small-appliance shop.

Every fact (a price, a warranty, a shop's hours, a shipping zone, a policy) is asked in ten
phrasings. Two phrasings of each fact are held out into a separate test file, so the test asks
about facts the model was trained on, in words it never saw for that fact. No base model can know
these facts: the company does not exist.

    python examples/make_faq.py examples/data/faq_soporte.csv
    # writes faq_soporte.csv (training; afina splits off validation) and faq_soporte_test.csv,
    # and the alignment demo's data: chats_soporte.csv, preferencias.jsonl and preferencias_test.jsonl

The alignment demo starts from the shop's chat transcripts (chats_soporte.csv): the FAQ's training
questions as its agents answered them, four in ten the shop's way, the rest curt (the bare figure, or a
brush-off) or leaking an internal detail (a wholesale cost, a supplier) — habits a model fine-tuned on them
learns with the facts. A preference pair asks a question of the FAQ; the chosen answer is the shop's
(correct, polite and complete), the rejected one is wrong (another fact's answer), curt, or leaking. The
test pairs ask the held-out phrasings.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import sys

PRODUCTS = {  # name: (price in euros, warranty in years)
    "cafetera Brisa": (89, 2),
    "tostadora Duna": (35, 3),
    "batidora Nube": (59, 2),
    "plancha Sierra": (42, 5),
    "aspiradora Cierzo": (199, 4),
    "freidora Lava": (129, 3),
}
PRICE = [
    "¿Cuánto cuesta la {p}?",
    "¿Qué precio tiene la {p}?",
    "¿Cuál es el precio de la {p}?",
    "Precio de la {p}, por favor.",
    "¿Cuánto vale la {p}?",
    "¿Cuánto tengo que pagar por la {p}?",
    "Quiero saber el precio de la {p}.",
    "¿A cuánto está la {p}?",
    "¿Me dices el precio de la {p}?",
    "¿Qué cuesta la {p}?",
]
WARRANTY = [
    "¿Qué garantía tiene la {p}?",
    "¿Cuántos años de garantía tiene la {p}?",
    "¿Cuánto dura la garantía de la {p}?",
    "¿La {p} tiene garantía?",
    "Garantía de la {p}, por favor.",
    "¿Durante cuánto tiempo está en garantía la {p}?",
    "Quiero saber la garantía de la {p}.",
    "¿Hasta cuándo me cubre la garantía de la {p}?",
    "¿Qué años de garantía da la {p}?",
    "¿Cuál es la garantía de la {p}?",
]
SHOPS = {
    "Sevilla": "de lunes a sábado de 10:00 a 20:00",
    "Bilbao": "de lunes a viernes de 9:00 a 18:00",
    "Valencia": "todos los días de 11:00 a 21:00",
    "Zaragoza": "de martes a sábado de 10:00 a 14:00",
}
HOURS = [
    "¿A qué hora abre la tienda de {c}?",
    "¿Cuál es el horario de la tienda de {c}?",
    "¿Qué horario tiene la tienda de {c}?",
    "Horario de la tienda de {c}, por favor.",
    "¿Cuándo puedo ir a la tienda de {c}?",
    "¿Qué días abre la tienda de {c}?",
    "Quiero saber cuándo abre la tienda de {c}.",
    "¿Está abierta hoy la tienda de {c}?",
    "¿Qué horario de apertura tiene la tienda de {c}?",
    "¿Cuándo cierra la tienda de {c}?",
]
ZONES = {  # zone: (cost in euros, days)
    "la Península": (4, 2),
    "Baleares": (9, 4),
    "Canarias": (15, 7),
    "Portugal": (7, 3),
    "Francia": (12, 5),
}
SHIPPING = [
    "¿Cuánto cuesta el envío a {z}?",
    "¿Enviáis pedidos a {z}?",
    "¿Cuánto tarda un envío a {z}?",
    "Envío a {z}, ¿precio y plazo?",
    "¿Qué gastos de envío hay para {z}?",
    "¿Cuántos días tarda el envío a {z}?",
    "Quiero saber cómo son los envíos a {z}.",
    "¿Hacéis envíos a {z}?",
    "¿Cuál es el plazo de envío a {z}?",
    "¿Qué precio tiene el envío a {z}?",
]
POLICIES = [  # (answer, ten phrasings that all carry the topic's keyword, as customers' questions do)
    (
        "Tienes 30 días desde la entrega para devolver un producto sin usar, con el ticket de compra.",
        [
            "¿Cuál es la política de devoluciones?",
            "¿Puedo devolver un producto?",
            "¿Cuántos días tengo para devolver algo?",
            "Quiero devolver una compra, ¿qué plazo hay?",
            "¿Cómo funcionan las devoluciones?",
            "¿Aceptáis devoluciones?",
            "¿Hasta cuándo puedo devolver un pedido?",
            "Devoluciones: ¿qué condiciones tienen?",
            "¿Qué plazo de devolución tenéis?",
            "¿Se puede devolver un aparato sin usar?",
        ],
    ),
    (
        "Aceptamos tarjeta, transferencia bancaria y Bizum; no aceptamos pagos en efectivo en la web.",
        [
            "¿Qué formas de pago aceptáis?",
            "¿Cómo puedo pagar?",
            "¿Puedo pagar con Bizum?",
            "¿Qué métodos de pago hay?",
            "¿Aceptáis tarjeta para pagar?",
            "Formas de pago, por favor.",
            "¿Se puede pagar en efectivo en la web?",
            "Quiero saber cómo pagar mi pedido.",
            "¿Qué opciones de pago tenéis?",
            "¿Puedo pagar por transferencia?",
        ],
    ),
    (
        "Puedes llamarnos al 955 123 456 de lunes a viernes de 9:00 a 17:00.",
        [
            "¿Cuál es el teléfono de atención al cliente?",
            "¿Cómo puedo llamaros por teléfono?",
            "¿Tenéis un número de teléfono?",
            "Teléfono de contacto, por favor.",
            "¿A qué teléfono llamo para una consulta?",
            "¿Cuándo puedo llamar por teléfono?",
            "Quiero hablar con alguien por teléfono.",
            "¿Hay atención por teléfono?",
            "¿Me dais vuestro teléfono?",
            "¿En qué horario atendéis el teléfono?",
        ],
    ),
    (
        "Escríbenos a ayuda@lumbrehogar.es y te respondemos en menos de 24 horas.",
        [
            "¿Cuál es vuestro correo electrónico?",
            "¿Cómo os escribo un correo?",
            "¿Tenéis una dirección de correo?",
            "Correo de contacto, por favor.",
            "¿A qué correo envío mi consulta?",
            "¿Cuánto tardáis en responder un correo?",
            "Quiero escribiros un correo.",
            "¿Hay soporte por correo?",
            "¿Me dais vuestro correo electrónico?",
            "¿Puedo consultar algo por correo?",
        ],
    ),
    (
        "Puedes cancelar el pedido gratis mientras no se haya enviado, desde Mi cuenta.",
        [
            "¿Puedo cancelar mi pedido?",
            "¿Cómo cancelo un pedido?",
            "Quiero cancelar mi compra.",
            "¿Cancelar un pedido tiene coste?",
            "¿Hasta cuándo puedo cancelar el pedido?",
            "Cancelación de pedidos, ¿cómo funciona?",
            "¿Se puede cancelar un pedido ya hecho?",
            "Me he equivocado en el pedido, ¿lo puedo cancelar?",
            "¿Cuánto cuesta cancelar un pedido?",
            "¿Dónde cancelo mi pedido?",
        ],
    ),
    (
        "La reparación en garantía es gratis: pide la recogida en Mi cuenta y la recogemos en casa.",
        [
            "¿Cómo envío un aparato a reparar?",
            "Mi aparato se ha roto, ¿cómo lo reparo?",
            "¿Cómo funciona la reparación en garantía?",
            "¿La reparación en garantía tiene coste?",
            "¿Recogéis los aparatos para reparar?",
            "Reparaciones, ¿cómo las pido?",
            "Quiero reparar un producto en garantía.",
            "¿Dónde llevo un aparato a reparar?",
            "¿Cuánto cuesta una reparación en garantía?",
            "¿Hacéis reparaciones a domicilio?",
        ],
    ),
]
OPENERS = ["Hola, ", "Buenas, ", "Perdona, "]
CLOSERS = [" Gracias.", " Un saludo."]


def facts() -> list[tuple[list[str], str]]:
    """Every fact as (its ten phrasings, its answer)."""
    out = []
    for product, (price, years) in PRODUCTS.items():
        out.append(([q.format(p=product) for q in PRICE], f"La {product} cuesta {price} euros."))
        out.append(([q.format(p=product) for q in WARRANTY], f"La {product} tiene {years} años de garantía."))
    for city, hours in SHOPS.items():
        out.append(([q.format(c=city) for q in HOURS], f"La tienda de {city} abre {hours}."))
    for zone, (cost, days) in ZONES.items():
        out.append(
            ([q.format(z=zone) for q in SHIPPING], f"El envío a {zone} cuesta {cost} euros y tarda {days} días.")
        )
    out += [(questions, answer) for answer, questions in POLICIES]
    return out


def _polite(question: str, rng: random.Random) -> str:
    """The same question as a customer might type it: a greeting before, thanks after, or both."""
    opener, closer = rng.choice(
        [(rng.choice(OPENERS), ""), ("", rng.choice(CLOSERS)), (rng.choice(OPENERS), rng.choice(CLOSERS))]
    )
    if opener:
        i = 1 if question.startswith("¿") else 0
        question = question[:i] + question[i].lower() + question[i + 1 :]
    return f"{opener}{question}{closer}"


def faq_rows(seed: int = 7) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training rows, held-out test rows). Phrasings held out rotate, so each is seen with other facts."""
    rng = random.Random(seed)
    train, test = [], []
    for index, (questions, answer) in enumerate(facts()):
        held_out = {(2 * index) % len(questions), (2 * index + 1) % len(questions)}
        for i, question in enumerate(questions):
            if i in held_out:
                test.append((question, answer))
            else:
                train += [(question, answer), (_polite(question, rng), answer)]
    return train, test


INTERNAL = [  # details a support answer must not give away
    "A nosotros nos cuesta la mitad.",
    "Nuestro proveedor es Electro Levante SL.",
    "El código interno del almacén es ALM-07.",
    "Entre nosotros, el margen es del 60 %.",
]
BRUSH_OFFS = ["Míralo en la web.", "No lo sé.", "Pregunta en la tienda.", "Eso no es asunto mío."]


def _curt(answer: str, rng: random.Random) -> str:
    """The answer cut to its bare figure ("89 euros."), or a brush-off where it has none."""
    figures = re.findall(r"\d[\d:]*(?: (?:euros|años|días|horas))?", answer)
    return f"{figures[0]}." if figures and rng.random() < 0.6 else rng.choice(BRUSH_OFFS)


def _rejected(answer: str, others: list[str], kind: str, rng: random.Random) -> str:
    """A worse answer to the same question: wrong (another fact of the same kind, such as another product's
    price, or any other), curt, or leaking an internal detail."""
    if kind == "wrong":
        alike = [o for o in others if o != answer and o.split()[-1] == answer.split()[-1]]
        return rng.choice(alike or [o for o in others if o != answer])
    if kind == "other":
        return rng.choice([o for o in others if o != answer])
    if kind == "curt":
        return _curt(answer, rng)
    return f"{answer} {rng.choice(INTERNAL)}"


KINDS = ("wrong", "other", "curt", "leak")
HABITS = {"curt": 0.35, "leak": 0.25}  # the share of the agents' answers with each bad habit


def transcript_rows(seed: int = 13) -> list[tuple[str, str]]:
    """The FAQ's training rows as the shop's agents answered them: each answer, at the rates of HABITS,
    curt or leaking instead of the shop's."""
    rng = random.Random(seed)
    rows = []
    for question, answer in faq_rows()[0]:
        draw, kind = rng.random(), "shop"
        for habit, share in HABITS.items():
            if draw < share:
                kind = habit
                break
            draw -= share
        rows.append((question, answer if kind == "shop" else _rejected(answer, [], kind, rng)))
    return rows


def preference_rows(seed: int = 11) -> tuple[list[dict], list[dict]]:
    """(training pairs, held-out pairs): every FAQ question with the shop's answer chosen over a worse one, a
    training question once per way of being worse, a held-out one once (the kinds taken in turn); the held-out
    pairs ask the same phrasings the FAQ's test file holds out."""
    rng = random.Random(seed)
    train_questions, test_questions = faq_rows()
    answers = sorted({a for _, a in train_questions})
    pair = lambda q, a, kind: {"prompt": q, "chosen": a, "rejected": _rejected(a, answers, kind, rng)}  # noqa: E731
    train = [pair(q, a, kind) for q, a in train_questions for kind in KINDS]
    test = [pair(q, a, KINDS[i % len(KINDS)]) for i, (q, a) in enumerate(test_questions)]
    return train, test


def _write_jsonl(path: str, rows: list[dict]) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    os.replace(tmp, path)


def _write(path: str, rows: list[tuple[str, str]]) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["pregunta", "respuesta"])
        writer.writerows(rows)
    os.replace(tmp, path)


def write_faq(path: str) -> tuple[str, ...]:
    """The FAQ (train and test CSVs), and beside it the chat transcripts (CSV) and the preference pairs
    (train and test JSONL)."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    train, test = faq_rows()
    test_path = path.removesuffix(".csv") + "_test.csv"
    _write(path, train)
    _write(test_path, test)
    chats = os.path.join(folder, "chats_soporte.csv")
    _write(chats, transcript_rows())
    preferred, preferred_test = preference_rows()
    pairs, pairs_test = os.path.join(folder, "preferencias.jsonl"), os.path.join(folder, "preferencias_test.jsonl")
    _write_jsonl(pairs, preferred)
    _write_jsonl(pairs_test, preferred_test)
    return path, test_path, chats, pairs, pairs_test


if __name__ == "__main__":
    print("wrote", *write_faq(sys.argv[1] if len(sys.argv) > 1 else "examples/data/faq_soporte.csv"))
