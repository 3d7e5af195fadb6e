"""A general-purpose text corpus that afina generates itself, in Spanish and English.

Nothing can be downloaded here and no third-party text is copied into the project, so the demo's
base model learns language from sentences composed from small hand-written vocabularies: everyday
facts, arithmetic, calendars, short stories and dialogues. It knows nothing about any company.
"""

from __future__ import annotations

import random

_ES = {
    "name": ["Ana", "Luis", "María", "Carlos", "Lucía", "Jorge", "Elena", "Pablo", "Sofía", "Diego", "Marta", "Andrés"],
    "city": ["Madrid", "Lima", "Bogotá", "Quito", "Sevilla", "Valencia", "Santiago", "Montevideo", "Bilbao", "Córdoba"],
    "animal": ["el perro", "el gato", "el caballo", "la vaca", "el pájaro", "la oveja", "el conejo", "la tortuga"],
    "food": ["pan", "arroz", "fruta", "sopa", "queso", "pescado", "verduras", "café", "té", "chocolate"],
    "place": ["la plaza", "el mercado", "la biblioteca", "el parque", "la escuela", "el museo", "la playa", "el río"],
    "color": ["rojo", "azul", "verde", "amarillo", "blanco", "negro", "gris", "naranja"],
    "object": ["libro", "coche", "sombrero", "reloj", "paraguas", "lápiz", "vaso", "abrigo"],
    "day": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "month": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "verb": ["camina", "lee", "cocina", "trabaja", "estudia", "canta", "pinta", "corre", "escribe", "descansa"],
    "weather": ["hace sol", "llueve", "hace frío", "hace calor", "hay niebla", "nieva", "hace viento"],
}
_EN = {
    "name": ["Anna", "Tom", "Mary", "Peter", "Lucy", "George", "Helen", "Paul", "Sophie", "David", "Emma", "Jack"],
    "city": ["London", "Dublin", "Boston", "Sydney", "Toronto", "Denver", "Leeds", "Austin", "Glasgow", "Perth"],
    "animal": ["the dog", "the cat", "the horse", "the cow", "the bird", "the sheep", "the rabbit", "the turtle"],
    "food": ["bread", "rice", "fruit", "soup", "cheese", "fish", "vegetables", "coffee", "tea", "chocolate"],
    "place": ["the square", "the market", "the library", "the park", "the school", "the museum", "the beach"],
    "color": ["red", "blue", "green", "yellow", "white", "black", "grey", "orange"],
    "object": ["book", "car", "hat", "watch", "umbrella", "pencil", "glass", "coat"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "verb": ["walks", "reads", "cooks", "works", "studies", "sings", "paints", "runs", "writes", "rests"],
    "weather": ["it is sunny", "it rains", "it is cold", "it is hot", "it is foggy", "it snows", "it is windy"],
}
_NUM_ES = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"]
_NUM_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _spanish(rng: random.Random) -> str:
    w = {k: rng.choice(v) for k, v in _ES.items()}
    a, b = rng.randint(0, 5), rng.randint(0, 5)
    i = _ES["day"].index(w["day"])
    m = _ES["month"].index(w["month"])
    templates = [
        f"{w['name']} vive en {w['city']} y cada {w['day']} {w['verb']} en {w['place']}.",
        f"En {w['city']} {w['weather']} en {w['month']}, y la gente compra {w['food']} en {w['place']}.",
        f"{w['animal'].capitalize()} come {w['food']} por la mañana y duerme por la noche.",
        f"{a} más {b} son {a + b}. {_NUM_ES[a].capitalize()} más {_NUM_ES[b]} son {_NUM_ES[a + b]}.",
        f"Después del {w['day']} viene el {_ES['day'][(i + 1) % 7]}.",
        f"Después de {w['month']} viene {_ES['month'][(m + 1) % 12]}.",
        f"El {w['object']} de {w['name']} es {w['color']}. {w['name']} lo usa todos los días.",
        f"—¿Dónde está {w['name']}? —Está en {w['place']}, cerca del centro de {w['city']}.",
        f"—¿Qué te gusta comer? —Me gusta el {w['food']}, sobre todo cuando {w['weather']}.",
        f"Pregunta: ¿cuánto son {a} más {b}? Respuesta: {a + b}.",
        f"Pregunta: ¿qué día va después del {w['day']}? Respuesta: el {_ES['day'][(i + 1) % 7]}.",
        f"Había una vez {w['animal']} que vivía en {w['place']}. Un {w['day']} encontró un {w['object']} "
        f"{w['color']} y se lo llevó a {w['name']}.",
    ]
    return rng.choice(templates)


def _english(rng: random.Random) -> str:
    w = {k: rng.choice(v) for k, v in _EN.items()}
    a, b = rng.randint(0, 5), rng.randint(0, 5)
    i = _EN["day"].index(w["day"])
    templates = [
        f"{w['name']} lives in {w['city']} and every {w['day']} {w['verb']} at {w['place']}.",
        f"In {w['city']} {w['weather']} today, so people buy {w['food']} at {w['place']}.",
        f"{w['animal'].capitalize()} eats {w['food']} in the morning and sleeps at night.",
        f"{a} plus {b} is {a + b}. {_NUM_EN[a].capitalize()} plus {_NUM_EN[b]} is {_NUM_EN[a + b]}.",
        f"After {w['day']} comes {_EN['day'][(i + 1) % 7]}.",
        f"The {w['object']} of {w['name']} is {w['color']}. {w['name']} uses it every day.",
        f'"Where is {w["name"]}?" "At {w["place"]}, near the centre of {w["city"]}."',
        f"Question: what is {a} plus {b}? Answer: {a + b}.",
        f"Once upon a time {w['animal']} lived near {w['place']}. One {w['day']} it found a {w['color']} "
        f"{w['object']} and took it to {w['name']}.",
    ]
    return rng.choice(templates)


def generate_corpus(sentences: int, seed: int) -> list[str]:
    """Paragraphs of 1-4 generated sentences, about two thirds Spanish and one third English."""
    rng = random.Random(seed)
    paragraphs, made = [], 0
    while made < sentences:
        size = rng.randint(1, 4)
        writer = _spanish if rng.random() < 0.67 else _english
        paragraphs.append(" ".join(writer(rng) for _ in range(size)))
        made += size
    return paragraphs


def generate_dialogues(
    count: int, seed: int, facts: bool = False
) -> list[tuple[str, str]] | list[tuple[str, str, str]]:
    """General-knowledge question/answer pairs (arithmetic, calendar, colours) for chat-formatted text.

    They teach the base model the chat format, not any fact of the fine-tuning data. With `facts`, each pair
    comes with the fact it asks about, the same in either language ("sum 5 3", "day 0"), so that a question
    and its translation can be told to be one (the draws are the same either way).
    """
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        a, b = rng.randint(0, 5), rng.randint(0, 5)
        day = rng.randrange(7)
        month = rng.randrange(12)
        name, obj, color = rng.choice(_ES["name"]), rng.choice(_ES["object"]), rng.choice(_ES["color"])
        choices = [
            (f"¿Cuánto son {a} más {b}?", f"{a} más {b} son {a + b}.", f"sum {a} {b}"),
            (
                f"¿Qué día va después del {_ES['day'][day]}?",
                f"Después del {_ES['day'][day]} va el {_ES['day'][(day + 1) % 7]}.",
                f"day {day}",
            ),
            (
                f"¿Qué mes viene después de {_ES['month'][month]}?",
                f"Después de {_ES['month'][month]} viene {_ES['month'][(month + 1) % 12]}.",
                f"month {month}",
            ),
            (
                f"El {obj} de {name} es {color}. ¿De qué color es el {obj} de {name}?",
                f"Es {color}.",
                f"colour {obj} {name} {color}",
            ),
            (f"What is {a} plus {b}?", f"{a} plus {b} is {a + b}.", f"sum {a} {b}"),
            (
                f"What day comes after {_EN['day'][day]}?",
                f"After {_EN['day'][day]} comes {_EN['day'][(day + 1) % 7]}.",
                f"day {day}",
            ),
        ]
        question, answer, fact = rng.choice(choices)
        pairs.append((question, answer, fact) if facts else (question, answer))
    return pairs
