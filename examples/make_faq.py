"""Write the demo's data: the support FAQ of Lumbre Hogar, a fictional Spanish small-appliance shop.

Each fact (a price, a warranty, a shop's hours, a shipping zone, a policy) is asked in several
paraphrased ways, so that the test split asks about facts the model was trained on, in words it
never saw. No base model can know these facts: the company does not exist.

    python examples/make_faq.py examples/data/faq_soporte.csv
"""

from __future__ import annotations

import csv
import os
import sys

PRODUCTS = {  # name: (price in euros, warranty in years)
    "cafetera Brisa": (89, 2), "tostadora Duna": (35, 3), "batidora Nube": (59, 2),
    "plancha Sierra": (42, 5), "aspiradora Cierzo": (199, 4), "freidora Lava": (129, 3),
}
PRICE_QUESTIONS = [
    "¿Cuánto cuesta la {p}?", "¿Qué precio tiene la {p}?", "¿Cuál es el precio de la {p}?", "Precio de la {p}, por favor.",
    "¿Cuánto vale la {p}?", "¿Cuánto tengo que pagar por la {p}?", "Quiero saber el precio de la {p}.", "¿A cuánto está la {p}?",
]
WARRANTY_QUESTIONS = [
    "¿Qué garantía tiene la {p}?", "¿Cuántos años de garantía tiene la {p}?", "¿Cuánto dura la garantía de la {p}?",
    "¿La {p} tiene garantía?", "Garantía de la {p}, por favor.", "¿Durante cuánto tiempo está cubierta la {p}?",
    "Quiero saber la garantía de la {p}.", "¿Hasta cuándo me cubre la garantía de la {p}?",
]
SHOPS = {
    "Sevilla": "de lunes a sábado de 10:00 a 20:00", "Bilbao": "de lunes a viernes de 9:00 a 18:00",
    "Valencia": "todos los días de 11:00 a 21:00", "Zaragoza": "de martes a sábado de 10:00 a 14:00",
}
SHOP_QUESTIONS = [
    "¿A qué hora abre la tienda de {c}?", "¿Cuál es el horario de la tienda de {c}?", "¿Qué horario tiene la tienda de {c}?",
    "Horario de la tienda de {c}, por favor.", "¿Cuándo puedo ir a la tienda de {c}?", "¿Qué días abre la tienda de {c}?",
    "Quiero saber cuándo abre la tienda de {c}.", "¿Está abierta la tienda de {c} hoy?",
]
ZONES = {  # zone: (cost in euros, days)
    "la Península": (4, 2), "Baleares": (9, 4), "Canarias": (15, 7), "Portugal": (7, 3), "Francia": (12, 5),
}
ZONE_QUESTIONS = [
    "¿Cuánto cuesta el envío a {z}?", "¿Enviáis pedidos a {z}?", "¿Cuánto tarda un pedido en llegar a {z}?",
    "Envío a {z}, ¿precio y plazo?", "¿Qué gastos de envío hay para {z}?", "¿Cuántos días tarda el envío a {z}?",
    "Quiero saber cómo son los envíos a {z}.", "¿Hacéis entregas en {z}?",
]
POLICIES = [
    ("Tienes 30 días desde la entrega para devolver un producto sin usar, con el ticket de compra.", [
        "¿Cuál es la política de devoluciones?", "¿Puedo devolver un producto?", "¿Cuántos días tengo para devolver algo?",
        "Quiero devolver una compra, ¿qué plazo hay?", "¿Cómo funcionan las devoluciones?", "¿Aceptáis devoluciones?",
        "¿Hasta cuándo puedo devolver un pedido?", "Devoluciones: ¿qué condiciones tienen?"]),
    ("Aceptamos tarjeta, transferencia bancaria y Bizum; no aceptamos pagos en efectivo en la web.", [
        "¿Qué formas de pago aceptáis?", "¿Cómo puedo pagar?", "¿Puedo pagar con Bizum?", "¿Qué métodos de pago hay?",
        "¿Aceptáis tarjeta de crédito?", "Formas de pago, por favor.", "¿Se puede pagar en efectivo en la web?",
        "Quiero saber cómo pagar mi pedido."]),
    ("Puedes llamarnos al 955 123 456 de lunes a viernes de 9:00 a 17:00.", [
        "¿Cuál es el teléfono de atención al cliente?", "¿Cómo puedo llamaros?", "¿Tenéis un número de teléfono?",
        "Teléfono de contacto, por favor.", "¿A qué número llamo para una consulta?", "¿Cuándo puedo llamar por teléfono?",
        "Quiero hablar con alguien por teléfono.", "¿Hay atención telefónica?"]),
    ("Escríbenos a ayuda@lumbrehogar.es y te respondemos en menos de 24 horas.", [
        "¿Cuál es vuestro correo electrónico?", "¿Cómo os escribo un email?", "¿Tenéis una dirección de correo?",
        "Correo de contacto, por favor.", "¿A qué email envío mi consulta?", "¿Cuánto tardáis en responder un correo?",
        "Quiero escribiros un correo.", "¿Hay soporte por email?"]),
    ("Puedes cancelar el pedido gratis mientras no se haya enviado, desde Mi cuenta.", [
        "¿Puedo cancelar mi pedido?", "¿Cómo cancelo un pedido?", "Quiero anular mi compra.", "¿Cancelar un pedido tiene coste?",
        "¿Hasta cuándo puedo cancelar el pedido?", "Cancelación de pedidos, ¿cómo funciona?", "¿Se puede anular un pedido ya hecho?",
        "Me he equivocado en el pedido, ¿lo puedo cancelar?"]),
    ("La reparación en garantía es gratis: pide la recogida en Mi cuenta y la recogemos en casa.", [
        "¿Cómo envío un aparato a reparar?", "Mi producto se ha roto, ¿qué hago?", "¿Cómo funciona la reparación en garantía?",
        "¿Tengo que pagar la reparación en garantía?", "¿Recogéis los aparatos averiados?", "Reparaciones, ¿cómo las pido?",
        "Quiero reparar un producto en garantía.", "¿Dónde llevo un aparato estropeado?"]),
]


def faq_rows() -> list[tuple[str, str]]:
    rows = []
    for product, (price, years) in PRODUCTS.items():
        rows += [(q.format(p=product), f"La {product} cuesta {price} euros.") for q in PRICE_QUESTIONS]
        rows += [(q.format(p=product), f"La {product} tiene {years} años de garantía.") for q in WARRANTY_QUESTIONS]
    for city, hours in SHOPS.items():
        rows += [(q.format(c=city), f"La tienda de {city} abre {hours}.") for q in SHOP_QUESTIONS]
    for zone, (cost, days) in ZONES.items():
        rows += [(q.format(z=zone), f"El envío a {zone} cuesta {cost} euros y tarda {days} días.") for q in ZONE_QUESTIONS]
    for answer, questions in POLICIES:
        rows += [(q, answer) for q in questions]
    return rows


def write_csv(path: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["pregunta", "respuesta"])
        writer.writerows(faq_rows())
    os.replace(tmp, path)


if __name__ == "__main__":
    write_csv(sys.argv[1] if len(sys.argv) > 1 else "examples/data/faq_soporte.csv")
