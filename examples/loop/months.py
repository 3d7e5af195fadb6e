"""Write the loop demo's data: the next months of Lumbre Hogar (examples/make_faq.py's shop).

Prices and opening hours change, a new product line arrives, and customers ask about it, some of them in
English. The shop's newest FAQ export holds only what changed and what is new, asked in the same ten
phrasings per fact as before (so a changed fact's old rows are superseded by prompt) with the same two held
out into a test file. The customers' questions of the months make the window `afina monitor` compares with
the training data, and the user's corrections of wrong answers the feedback `afina retrain` learns from.

    python examples/loop/months.py examples/data/loop
    # writes novedades.csv and novedades_test.csv (the newest data), consultas.jsonl (the months' questions,
    # each with the answer a customer knows to be right), correcciones_rotas.jsonl (a broken corrections
    # file) and facts.json (what changed)

A corrections file can break: correcciones_rotas.jsonl is the support team's review of the FAQ's unchanged
answers (four phrasings of each) as a spreadsheet exports it once a formula broke, every answer "#¡REF!": a
retrain on it learns the new facts and unlearns the old ones, which its non-regression check must catch.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import make_faq  # noqa: E402  (the shop's FAQ: its facts, templates and held-out rotation)

PRICES = {"cafetera Brisa": 95, "freidora Lava": 119, "aspiradora Cierzo": 179}  # new prices
HOURS = {"Bilbao": "de lunes a sábado de 9:00 a 19:00", "Zaragoza": "de martes a domingo de 10:00 a 14:00"}
NEW_PRODUCTS = {"olla Siroco": (149, 3), "licuadora Tramontana": (69, 2), "yogurtera Levante": (39, 2)}
ENGLISH = [  # tourists on the Canaries ask about the new line; the shop answers in Spanish
    "How much is the {p}?",
    "What warranty does the {p} have?",
    "Do you sell the {p}?",
    "Is the {p} in stock?",
]
NEW_STYLE = [  # questions the FAQ never asked of any product
    "¿La {p} sirve para inducción?",
    "¿Cuántos litros tiene la {p}?",
    "¿La {p} se puede lavar en el lavavajillas?",
    "¿De qué color es la {p}?",
]


def changed_and_new() -> list[tuple[int, list[str], str, str]]:
    """Every changed or new fact as (its index in the FAQ's rotation, its ten phrasings, its answer, what it is):
    a changed fact keeps its index, so its phrasings are held out as they were."""
    old = make_faq.facts()
    by_answer = {answer: i for i, (_, answer) in enumerate(old)}
    out = []
    for product, price in PRICES.items():
        before = make_faq.PRODUCTS[product][0]
        i = by_answer[f"La {product} cuesta {before} euros."]
        out.append((i, old[i][0], f"La {product} cuesta {price} euros.", f"price changed ({before} → {price})"))
    for city, hours in HOURS.items():
        i = by_answer[f"La tienda de {city} abre {make_faq.SHOPS[city]}."]
        out.append((i, old[i][0], f"La tienda de {city} abre {hours}.", "hours changed"))
    i = len(old)
    for product, (price, years) in NEW_PRODUCTS.items():
        out.append((i, [q.format(p=product) for q in make_faq.PRICE], f"La {product} cuesta {price} euros.", "new"))
        out.append((i + 1, [q.format(p=product) for q in make_faq.WARRANTY],
                    f"La {product} tiene {years} años de garantía.", "new"))  # fmt: skip
        i += 2
    return out


def newest_data(seed: int = 17) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training rows, held-out test rows) of the changed and new facts, as make_faq splits its own."""
    rng = random.Random(seed)
    train, test = [], []
    for index, questions, answer, _ in changed_and_new():
        held_out = {(2 * index) % len(questions), (2 * index + 1) % len(questions)}
        for i, question in enumerate(questions):
            if i in held_out:
                test.append((question, answer))
            else:
                train += [(question, answer), (make_faq._polite(question, rng), answer)]
    return train, test


def questions(seed: int = 19) -> list[dict]:
    """The months' customers' questions: the changed and new facts as customers type them (a greeting, a
    thanks), the unchanged ones less often, and about the new line in English and in ways the FAQ never
    asked. Each carries the answer the customer knows to be right, where the shop's data has one."""
    rng = random.Random(seed)
    changed = changed_and_new()
    unchanged = [f for f in make_faq.facts() if f[1] not in {a for _, _, a, _ in changed}]
    rows = []
    for index, phrasings, answer, what in changed:
        held_out = {(2 * index) % len(phrasings), (2 * index + 1) % len(phrasings)}
        trained = [q for i, q in enumerate(phrasings) if i not in held_out]
        rows += [{"prompt": make_faq._polite(q, rng), "answer": answer, "fact": what} for q in rng.sample(trained, 3)]
    for phrasings, answer in rng.sample(unchanged, 12):
        rows.append({"prompt": make_faq._polite(rng.choice(phrasings), rng), "answer": answer, "fact": "unchanged"})
    for product in NEW_PRODUCTS:
        rows += [{"prompt": q.format(p=product), "answer": None, "fact": "new, not in the FAQ"} for q in ENGLISH]
        rows += [{"prompt": q.format(p=product), "answer": None, "fact": "new, not in the FAQ"} for q in NEW_STYLE]
    rng.shuffle(rows)
    return rows


BROKEN = "#¡REF!"  # what a spreadsheet shows where a formula lost its cell


def broken_review(per_fact: int = 4) -> list[dict]:
    """Four training phrasings of every unchanged fact as chat records (sft.jsonl), each answered BROKEN (the
    rest stay replayable: a retrain replays none of production's rows that its data asks anew)."""
    changed = {i for i, *_ in changed_and_new()}
    chat = lambda q: {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": BROKEN}]}  # noqa: E731
    trained = {q for q, _ in make_faq.faq_rows()[0]}
    unchanged = [qs for i, (qs, _) in enumerate(make_faq.facts()) if i not in changed]
    return [chat(q) for qs in unchanged for q in [q for q in qs if q in trained][:per_fact]]


def write_months(folder: str) -> tuple[str, ...]:
    os.makedirs(folder, exist_ok=True)
    train, test = newest_data()
    names = ("novedades.csv", "novedades_test.csv", "consultas.jsonl", "correcciones_rotas.jsonl")
    paths = [os.path.join(folder, name) for name in names]
    make_faq._write(paths[0], train)
    make_faq._write(paths[1], test)
    make_faq._write_jsonl(paths[2], questions())
    make_faq._write_jsonl(paths[3], broken_review())
    facts = os.path.join(folder, "facts.json")
    tmp = f"{facts}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump([{"answer": a, "what": w} for _, _, a, w in changed_and_new()], f, ensure_ascii=False, indent=1)
    os.replace(tmp, facts)
    return (*paths, facts)


if __name__ == "__main__":
    print("wrote", *write_months(sys.argv[1] if len(sys.argv) > 1 else "examples/data/loop"))
