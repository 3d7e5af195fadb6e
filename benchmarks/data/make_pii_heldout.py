"""Generate the held-out PII evaluation corpus ``pii_heldout.jsonl``.

Independence note: this script and its templates were written WITHOUT reading
the detector (nothing under ``afina/`` or ``tests/`` was opened, grepped or
read while writing it).  The corpus is built only from the written
specification of the entity types, so measuring the detector on it is an
honest held-out measurement.

Each output line is a JSON object::

    {"text": "...", "lang": "es" | "en",
     "planted": [{"type": "...", "value": "..."}]}

Every planted value is an exact substring of ``text``.  Checksum-bearing
values (DNI/NIE, Spanish NSS, US SSN rules, Luhn cards, mod-97 IBANs) are
computed here and re-verified before writing.  Roughly 60 lines carry no PII
at all, only look-alikes (order numbers, invoices, prices, dates, product
references, tracking codes, serials, postcodes alone, street names without a
number, and numbers that deliberately FAIL the checksums).

Standard library only, deterministic (seeded).  Run::

    python benchmarks/data/make_pii_heldout.py            # writes the JSONL
    python benchmarks/data/make_pii_heldout.py --check    # only verify file
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

SEED = 20240611
OUT = Path(__file__).resolve().parent / "pii_heldout.jsonl"
REPEATS = 2  # each template is instantiated this many times

TYPES = ("email", "phone", "national_id", "social_security", "ssn", "passport", "card", "iban", "address", "name")


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


# ---------------------------------------------------------------------------
# checksums
# ---------------------------------------------------------------------------

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_letter(n: int) -> str:
    return DNI_LETTERS[n % 23]


def valid_national_id(v: str) -> bool:
    s = re.sub(r"[.\-\s]", "", v).upper()
    m = re.fullmatch(r"(\d{8})([A-Z])", s)
    if m:
        return dni_letter(int(m.group(1))) == m.group(2)
    m = re.fullmatch(r"([XYZ])(\d{7})([A-Z])", s)
    if m:
        n = int(str("XYZ".index(m.group(1))) + m.group(2))
        return dni_letter(n) == m.group(3)
    return False


def nss_control(prov: int, number: int) -> int:
    if number < 10_000_000:
        return (number + prov * 10_000_000) % 97
    return int(f"{prov:02d}{number:08d}") % 97


def valid_nss(v: str) -> bool:
    d = re.sub(r"\D", "", v)
    if len(d) != 12 or re.fullmatch(r"[\d/ \-]+", v) is None:
        return False
    prov, num, ctrl = int(d[:2]), int(d[2:10]), int(d[10:])
    return 1 <= prov <= 53 and nss_control(prov, num) == ctrl


def valid_ssn(v: str) -> bool:
    m = re.fullmatch(r"(\d{3})[- ](\d{2})[- ](\d{4})", v)
    if not m:
        return False
    a, g, s = m.groups()
    return a not in ("000", "666") and a[0] != "9" and g != "00" and s != "0000"


def luhn_ok(digits: str) -> bool:
    tot = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def luhn_digit(partial: str) -> str:
    for c in "0123456789":
        if luhn_ok(partial + c):
            return c
    raise AssertionError


def valid_card(v: str) -> bool:
    if re.fullmatch(r"[\d \-]+", v) is None:
        return False
    d = re.sub(r"\D", "", v)
    if not luhn_ok(d):
        return False
    if d[0] == "4":
        return len(d) == 16
    if d[:2] in ("51", "52", "53", "54", "55"):
        return len(d) == 16
    if d[:2] in ("34", "37"):
        return len(d) == 15
    return False


IBAN_LEN = {"ES": 24, "PT": 25, "FR": 27, "DE": 22, "GB": 22}


def iban_mod(s: str) -> int:
    r = s[4:] + s[:4]
    num = "".join(str(int(c, 36)) for c in r)
    return int(num) % 97


def valid_iban(v: str) -> bool:
    s = v.replace(" ", "").upper()
    return IBAN_LEN.get(s[:2]) == len(s) and iban_mod(s) == 1


def valid_passport(v: str) -> bool:
    s = v.replace(" ", "").upper()
    return bool(re.fullmatch(r"[A-Z]{3}\d{6}|\d{9}|[A-Z]\d{8}", s))


def valid_phone(v: str) -> bool:
    d = re.sub(r"\D", "", v)
    return 9 <= len(d) <= 14 and re.fullmatch(r"[\d +().\-]+", v) is not None


CHECKS = {
    "national_id": valid_national_id,
    "social_security": valid_nss,
    "ssn": valid_ssn,
    "card": valid_card,
    "iban": valid_iban,
    "passport": valid_passport,
    "phone": valid_phone,
    "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", v) is not None,
    "name": lambda v: len(v.split()) >= 2 or "," in v,
    "address": lambda v: len(v) >= 8,
}


# ---------------------------------------------------------------------------
# value generators
# ---------------------------------------------------------------------------


class Gen:
    def __init__(self, rng: random.Random):
        self.r = rng
        self.name_parts: list[str] | None = None

    # -- helpers ----------------------------------------------------------
    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def pick(self, seq):
        return self.r.choice(seq)

    # -- names ------------------------------------------------------------
    ES_FIRST = [
        "María",
        "José",
        "Antonio",
        "Carmen",
        "Manuel",
        "Lucía",
        "Javier",
        "Ana",
        "Francisco",
        "Isabel",
        "Rocío",
        "Álvaro",
        "Inmaculada",
        "Macarena",
        "Jesús",
        "Pilar",
        "David",
        "Raquel",
        "Sergio",
        "Paula",
        "Alejandro",
        "Cristina",
        "Juan Carlos",
        "María José",
        "José Luis",
        "Fernando",
        "Concepción",
        "Rafael",
        "Mercedes",
        "Óscar",
        "Begoña",
        "Guadalupe",
        "Ramón",
        "Encarnación",
        "Tomás",
        "Nieves",
    ]
    ES_LAST = [
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Muñoz",
        "Álvarez",
        "Romero",
        "Navarro",
        "Domínguez",
        "Gil",
        "Vázquez",
        "Ramos",
        "Serrano",
        "Molina",
        "Morales",
        "Ortega",
        "Delgado",
        "Castro",
        "Rubio",
        "Marín",
        "Sanz",
        "Núñez",
        "Iglesias",
        "Garrido",
        "Cortés",
        "Lozano",
        "Cano",
        "Prieto",
        "Méndez",
        "Calvo",
        "Márquez",
        "Herrera",
        "Peña",
        "Cabrera",
        "Fuentes",
        "Carrasco",
        "Caballero",
        "Nieto",
        "Aguilar",
        "Pascual",
        "Montero",
        "Hidalgo",
        "Ibáñez",
        "Durán",
        "Benítez",
        "Carmona",
        "Crespo",
        "Pastor",
        "Sáez",
        "Gallardo",
        "de la Fuente",
        "del Río",
        "de los Santos",
        "Ordóñez",
    ]
    EU_FIRST = ["Iñaki", "Aitor", "Nerea", "Itziar", "Garazi", "Unai", "Ainhoa", "Koldo", "Amaia", "Xabier", "Izaskun"]
    EU_LAST = [
        "Etxeberria",
        "Goikoetxea",
        "Urrutia",
        "Agirre",
        "Zubizarreta",
        "Arrieta",
        "Elorza",
        "Iturbe",
        "Larrañaga",
        "Uriarte",
        "Bengoetxea",
        "Arregi",
        "Otxoa",
    ]
    CA_FIRST = [
        "Jordi",
        "Montserrat",
        "Núria",
        "Pau",
        "Laia",
        "Oriol",
        "Meritxell",
        "Arnau",
        "Queralt",
        "Roser",
        "Joan",
    ]
    CA_LAST = [
        "Puig",
        "Vilaró",
        "Casals",
        "Pujol",
        "Masó",
        "Riera",
        "Bosch",
        "Roig",
        "Vilanova",
        "Sabaté",
        "Coll",
        "Ferrer",
        "Soler",
        "Grau",
    ]
    GL_FIRST = ["Xoán", "Uxía", "Brais", "Antía", "Xurxo", "Iria", "Breixo", "Sabela"]
    GL_LAST = [
        "Outeiro",
        "Rivas",
        "Lamas",
        "Seoane",
        "Piñeiro",
        "Carballo",
        "Castiñeira",
        "Vilariño",
        "Pazos",
        "Souto",
        "Louzao",
    ]
    LA_FIRST = [
        "Yuliana",
        "Wilmer",
        "Yesenia",
        "Brayan",
        "Maricruz",
        "Jhon Fredy",
        "Dayana",
        "Edwin",
        "Yessica",
        "Luz Marina",
        "Anyelo",
    ]
    LA_LAST = [
        "Quispe",
        "Mamani",
        "Huamán",
        "Condori",
        "Cárdenas",
        "Villca",
        "Chávez",
        "Mendoza",
        "Paredes",
        "Restrepo",
        "Ocampo",
        "Castañeda",
    ]
    EN_FIRST = [
        "James",
        "Oliver",
        "Sarah",
        "Emma",
        "Michael",
        "Jennifer",
        "Chloe",
        "Harry",
        "Megan",
        "Tyler",
        "Brittany",
        "Graham",
        "Fiona",
        "Rhys",
        "Gareth",
        "Hannah",
        "Liam",
        "Olivia",
        "Nathan",
        "Abigail",
        "Trevor",
    ]
    EN_LAST = [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Taylor",
        "Davies",
        "Evans",
        "Wilson",
        "Thompson",
        "Walker",
        "Robinson",
        "Wright",
        "Hughes",
        "Edwards",
        "Clarke",
        "Fitzgerald",
        "Harrington",
        "Whitaker",
        "Pemberton",
        "Ashby-Clarke",
        "Okafor",
        "Lindqvist",
    ]
    IE_FIRST = ["Siobhán", "Niamh", "Aoife", "Caoimhe", "Seán", "Ciarán", "Pádraig", "Oisín", "Declan", "Róisín"]
    IE_LAST = [
        "O'Sullivan",
        "Ó Briain",
        "McCarthy",
        "O'Neill",
        "Byrne",
        "Kavanagh",
        "Mac Giolla Phádraig",
        "Ní Bhriain",
        "Doherty",
        "Ó Súilleabháin",
    ]
    OTHER = [
        ("Oluwaseun", "Adeyemi"),
        ("Priya", "Raghavan"),
        ("Wojciech", "Nowak"),
        ("Mei Lin", "Zhou"),
        ("Anh", "Nguyen"),
        ("Dmitri", "Volkov"),
        ("Fatima Zahra", "El Idrissi"),
        ("Giulia", "Bianchi"),
        ("Hans-Peter", "Müller"),
        ("João", "Pereira da Silva"),
        ("Kwame", "Mensah"),
        ("Ahmed", "Benali"),
        ("Ioana", "Popescu"),
        ("Sven", "Halvorsen"),
        ("Ngozi", "Okonkwo"),
    ]

    def _name_parts(self, lang: str) -> list[str]:
        r = self.r
        roll = r.random()
        if lang == "es":
            if roll < 0.45:
                f, l1, l2 = self.ES_FIRST, self.ES_LAST, self.ES_LAST
            elif roll < 0.57:
                f, l1, l2 = self.EU_FIRST, self.EU_LAST, self.EU_LAST + self.ES_LAST
            elif roll < 0.69:
                f, l1, l2 = self.CA_FIRST, self.CA_LAST, self.CA_LAST
            elif roll < 0.79:
                f, l1, l2 = self.GL_FIRST, self.GL_LAST, self.GL_LAST + self.ES_LAST
            elif roll < 0.91:
                f, l1, l2 = self.LA_FIRST, self.LA_LAST, self.LA_LAST
            else:
                first, last = r.choice(self.OTHER)
                return [first, last]
            first, a = r.choice(f), r.choice(l1)
            if r.random() < 0.7:
                b = r.choice([x for x in l2 if x != a])
                if f is self.CA_FIRST and r.random() < 0.3:
                    return [first, a, "i", b]
                return [first, a, b]
            return [first, a]
        # english
        if roll < 0.5:
            first, last = r.choice(self.EN_FIRST), r.choice(self.EN_LAST)
            if r.random() < 0.2:
                return [first, r.choice("ABCDEJKLMRST") + ".", last]
            return [first, last]
        if roll < 0.7:
            return [r.choice(self.IE_FIRST), r.choice(self.IE_LAST)]
        if roll < 0.85:
            return list(r.choice(self.OTHER))
        return [r.choice(self.ES_FIRST + self.LA_FIRST), r.choice(self.ES_LAST + self.LA_LAST)]

    def name(self, lang, style="normal"):
        parts = self._name_parts(lang)
        self.name_parts = parts
        full = " ".join(parts)
        if style == "lc":
            full = full.lower()
            if self.r.random() < 0.6:
                full = strip_accents(full)
        elif style == "caps":
            up = [strip_accents(p).upper() for p in parts]
            if len(up) >= 3 and up[-2] != "I" and self.r.random() < 0.5:
                full = " ".join(up[1:]) + ", " + up[0]
            else:
                full = " ".join(up)
        elif self.r.random() < 0.15:
            full = strip_accents(full)
        return full

    # -- e-mail -------------------------------------------------------------
    ES_DOMAINS = [
        "gmail.com",
        "gmail.com",
        "hotmail.com",
        "hotmail.es",
        "yahoo.es",
        "outlook.es",
        "telefonica.net",
        "icloud.com",
        "movistar.es",
        "gmx.es",
        "construccionesruiz.es",
        "ayto-utrera.es",
        "us.es",
    ]
    EN_DOMAINS = [
        "gmail.com",
        "gmail.com",
        "outlook.com",
        "yahoo.co.uk",
        "btinternet.com",
        "icloud.com",
        "hotmail.co.uk",
        "aol.com",
        "protonmail.com",
        "hollinspratt.co.uk",
        "brightside-cafes.com",
        "tcd.ie",
    ]
    HANDLES = {
        "es": [
            "lacasitaazul",
            "cafeteramaniaca",
            "pepe_1975",
            "tuvecino.del5",
            "info",
            "administracion",
            "compras",
            "mama.y.papa",
            "pedidos.casa",
            "xx_dani_xx",
            "lamerinera82",
        ],
        "en": [
            "kettlefan99",
            "the.grumpy.barista",
            "info",
            "accounts",
            "noreply.sucks",
            "coffee.addict.uk",
            "bigmike_77",
        ],
    }

    def email(self, lang):
        r = self.r
        dom = r.choice(self.ES_DOMAINS if lang == "es" else self.EN_DOMAINS)
        if self.name_parts and r.random() < 0.75:
            ps = [re.sub(r"[^a-z]", "", strip_accents(p).lower()) for p in self.name_parts]
            ps = [p for p in ps if p and p != "i"]
            f, last = ps[0], ps[1]
            local = r.choice(
                [
                    f"{f}.{last}",
                    f"{f}{last}",
                    f"{f[0]}.{last}",
                    f"{f}_{last}",
                    f"{f}.{last}{r.randint(1, 99)}",
                    f"{f}{last[0]}{r.randint(60, 99)}",
                    f"{last}.{f}",
                    f"{f}-{last}",
                    f"{f}+pedidos",
                    f"{f[0]}{last}{r.randint(1970, 2004)}",
                ]
            )
        else:
            local = r.choice(self.HANDLES[lang])
            corporate = (
                "construccionesruiz.es",
                "ayto-utrera.es",
                "us.es",
                "hollinspratt.co.uk",
                "brightside-cafes.com",
                "tcd.ie",
            )
            if dom in corporate and local not in ("info", "administracion", "compras", "accounts"):
                dom = r.choice(["gmail.com", "hotmail.com", "outlook.com"])
        addr = f"{local}@{dom}"
        if r.random() < 0.07:  # people sometimes capitalise their address
            addr = addr[0].upper() + addr[1:].replace("@gmail", "@Gmail")
        return addr

    # -- phones -------------------------------------------------------------
    def _es9(self, d):
        r = self.r
        f = r.randrange(9)
        if f == 0:
            return d
        if f == 1:
            return f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}"
        if f == 2:
            return f"{d[:3]} {d[3:6]} {d[6:]}"
        if f == 3:
            return f"{d[:3]}-{d[3:6]}-{d[6:]}"
        if f == 4:
            return f"{d[:3]}.{d[3:5]}.{d[5:7]}.{d[7:]}"
        if f == 5:
            return f"+34 {d[:3]} {d[3:6]} {d[6:]}"
        if f == 6:
            return f"+34{d}"
        if f == 7:
            return f"0034 {d[:3]} {d[3:5]} {d[5:7]} {d[7:]}"
        return f"(+34) {d}"

    def phone_es_mob(self, lang=None):
        d = self.pick(["6", "6", "6", "7"])
        d += self.pick("1234") if d == "7" else self.pick("0123456789")
        return self._es9(d + self.digits(7))

    def phone_es_land(self, lang=None):
        r = self.r
        while True:
            pre = r.choice(
                ["91", "93", "954", "954", "956", "957", "958", "952", "963", "944", "981", "985", "976", "968"]
            )
            d = pre + self.digits(9 - len(pre))
            if d != "955123456":
                break
        if len(pre) == 2 and r.random() < 0.6:
            s = f"{d[:2]} {d[2:5]} {d[5:7]} {d[7:]}"
            return ("+34 " + s) if r.random() < 0.2 else s
        if r.random() < 0.4:
            return f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}"
        return self._es9(d)

    def phone_es(self, lang=None):
        return self.phone_es_mob() if self.r.random() < 0.7 else self.phone_es_land()

    def phone_us(self, lang=None):
        r = self.r
        a = r.choice(["212", "305", "415", "617", "718", "312", "503", "512", "646", "202", "555"])
        e = r.choice(["555", str(r.randint(201, 989))])
        if e[1:] == "11":
            e = "555"
        n = self.digits(4)
        return r.choice(
            [
                f"{a}-{e}-{n}",
                f"({a}) {e}-{n}",
                f"{a}.{e}.{n}",
                f"+1 {a} {e} {n}",
                f"+1 ({a}) {e}-{n}",
                f"1-{a}-{e}-{n}",
                f"+1-{a}-{e}-{n}",
            ]
        )

    def phone_uk(self, lang=None):
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return f"07700 900{self.digits(3)}"
        if k == 1:
            return f"+44 7{self.pick('456789')}{self.digits(2)} {self.digits(6)}"
        if k == 2:
            return f"+44 (0)7700 900{self.digits(3)}"
        if k == 3:
            return f"+44 20 7946 0{self.digits(3)}"
        if k == 4:
            return f"020 7946 0{self.digits(3)}"
        if k == 5:
            return f"0161 496 0{self.digits(3)}"
        return f"+44 113 496 0{self.digits(3)}"

    def phone_ie(self, lang=None):
        return self.pick(
            [
                f"+353 87 {self.digits(3)} {self.digits(4)}",
                f"087 {self.digits(3)} {self.digits(4)}",
                f"+353 1 {self.digits(3)} {self.digits(4)}",
            ]
        )

    def phone_pt(self, lang=None):
        return self.pick(
            [
                f"+351 91{self.digits(1)} {self.digits(3)} {self.digits(3)}",
                f"+351 21 {self.digits(3)} {self.digits(4)}",
                f"+35193{self.digits(7)}",
            ]
        )

    def phone_de(self, lang=None):
        return self.pick(
            [
                f"+49 30 {self.digits(8)}",
                f"+49 151 {self.digits(8)}",
                f"+49 (0)89 {self.digits(7)}",
                f"+49 160 {self.digits(4)} {self.digits(4)}",
            ]
        )

    def phone_intl(self, lang=None):
        r = self.r
        k = r.randrange(10)
        d = self.digits
        if k == 0:
            return f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}"
        if k == 1:
            return f"+33{r.choice('67')}{d(8)}"
        if k == 2:
            return self.phone_de()
        if k == 3:
            return self.phone_pt()
        if k == 4:
            return f"+39 3{d(2)} {d(3)} {d(4)}"
        if k == 5:
            return f"+31 6 {d(8)}"
        if k == 6:
            return f"+52 55 {d(4)} {d(4)}"
        if k == 7:
            return f"+54 9 11 {d(4)}-{d(4)}"
        if k == 8:
            return f"+57 3{d(2)} {d(3)} {d(4)}"
        return f"+41 79 {d(3)} {d(2)} {d(2)}"

    def phone(self, lang):
        x = self.r.random()
        if lang == "es":
            if x < 0.55:
                return self.phone_es_mob()
            if x < 0.8:
                return self.phone_es_land()
            return self.phone_intl()
        if x < 0.3:
            return self.phone_es()
        if x < 0.55:
            return self.phone_uk()
        if x < 0.8:
            return self.phone_us()
        return self.phone_intl()

    # -- Spanish national id -----------------------------------------------
    def _dni_raw(self):
        n = self.r.randint(100000, 99999999)
        return f"{n:08d}", dni_letter(n)

    def dni_only(self, lang=None, lower=False):
        num, let = self._dni_raw()
        if lower:
            let = let.lower()
        k = self.r.randrange(8)
        if k <= 2:
            return num + let
        if k == 3:
            return f"{num}-{let}"
        if k == 4:
            return f"{num[:2]}.{num[2:5]}.{num[5:]}-{let}"
        if k == 5:
            return f"{num} {let}"
        if k == 6:
            return num + let.lower()
        return f"{num[:2]}.{num[2:5]}.{num[5:]}{let}"

    def dni_lc(self, lang=None):
        return self.dni_only(lower=True)

    def nie(self, lang=None):
        p = self.r.choice("XXYYZ")
        body = self.digits(7)
        let = dni_letter(int(str("XYZ".index(p)) + body))
        k = self.r.randrange(6)
        if k <= 2:
            return f"{p}{body}{let}"
        if k == 3:
            return f"{p}-{body}-{let}"
        if k == 4:
            return f"{p.lower()}{body}{let.lower()}"
        return f"{p} {body} {let}"

    def dni(self, lang=None):
        return self.nie() if self.r.random() < 0.2 else self.dni_only()

    # -- NSS ----------------------------------------------------------------
    def nss(self, lang=None):
        r = self.r
        prov = r.randint(1, 52)
        num = r.randint(10_000_000, 99_999_999) if r.random() < 0.8 else r.randint(100_000, 9_999_999)
        ctl = nss_control(prov, num)
        p, n, c = f"{prov:02d}", f"{num:08d}", f"{ctl:02d}"
        return r.choice([f"{p}/{n}/{c}", f"{p} {n} {c}", f"{p}{n}{c}", f"{p}{n}{c}", f"{p}-{n}-{c}", f"{p}/{n}-{c}"])

    # -- US SSN ---------------------------------------------------------------
    def ssn(self, lang=None, spaced=False):
        r = self.r
        while True:
            a = r.randint(1, 899)
            if a != 666:
                break
        g, s = r.randint(1, 99), r.randint(1, 9999)
        sep = " " if spaced or r.random() < 0.2 else "-"
        return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"

    def ssn_spaced(self, lang=None):
        return self.ssn(spaced=True)

    # -- passports ----------------------------------------------------------
    def passport_es(self, lang=None):
        r = self.r
        pre = r.choice(["PA", "PA", "PB", "XD", "AA", "AB"]) + r.choice("ABCDEFGHJKLMN")
        num = self.digits(6)
        k = r.random()
        if k < 0.15:
            return f"{pre} {num}"
        if k < 0.25:
            return (pre + num).lower()
        return pre + num

    def passport_us(self, lang=None):
        r = self.r
        if r.random() < 0.3:
            return r.choice("ACEFGHJK") + self.digits(8)
        return str(r.randint(1, 9)) + self.digits(8)

    def passport_uk(self, lang=None):
        return str(self.r.randint(1, 9)) + self.digits(8)

    def passport(self, lang):
        x = self.r.random()
        if lang == "es":
            return self.passport_es() if x < 0.6 else (self.passport_us() if x < 0.8 else self.passport_uk())
        return self.passport_es() if x < 0.25 else (self.passport_us() if x < 0.6 else self.passport_uk())

    # -- cards --------------------------------------------------------------
    def _card_fmt(self, d):
        k = self.r.randrange(5)
        if len(d) == 15:
            if k <= 1:
                return f"{d[:4]} {d[4:10]} {d[10:]}"
            if k == 2:
                return f"{d[:4]}-{d[4:10]}-{d[10:]}"
            return d
        if k <= 1:
            return " ".join(d[i : i + 4] for i in range(0, 16, 4))
        if k == 2:
            return "-".join(d[i : i + 4] for i in range(0, 16, 4))
        return d

    def card_visa(self, lang=None):
        p = "4" + self.digits(14)
        return self._card_fmt(p + luhn_digit(p))

    def card_mc(self, lang=None):
        p = "5" + self.pick("12345") + self.digits(13)
        return self._card_fmt(p + luhn_digit(p))

    def amex(self, lang=None):
        p = "3" + self.pick("47") + self.digits(12)
        return self._card_fmt(p + luhn_digit(p))

    def card(self, lang=None):
        x = self.r.random()
        return self.card_visa() if x < 0.5 else (self.card_mc() if x < 0.82 else self.amex())

    # -- IBAN ---------------------------------------------------------------
    def _ccc_dc(self, ten: str) -> str:
        w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
        d = 11 - sum(int(c) * x for c, x in zip(ten, w)) % 11
        return str({11: 0, 10: 1}.get(d, d))

    def _iban(self, cc, bban):
        chk = 98 - iban_mod(cc + "00" + bban)
        s = f"{cc}{chk:02d}{bban}"
        if self.r.random() < 0.55:
            return " ".join(s[i : i + 4] for i in range(0, len(s), 4))
        return s

    def iban_es(self, lang=None, plain=False):
        bank = self.pick(["2100", "0049", "0182", "2038", "0081", "1465", "0075", "3058", "2085", "0128"])
        branch, acct = self.digits(4), self.digits(10)
        dc = self._ccc_dc("00" + bank + branch) + self._ccc_dc(acct)
        bban = bank + branch + dc + acct
        if plain:
            chk = 98 - iban_mod("ES00" + bban)
            return f"ES{chk:02d}{bban}"
        return self._iban("ES", bban)

    def iban_es_plain(self, lang=None):
        return self.iban_es(plain=True)

    def iban_pt(self, lang=None):
        return self._iban("PT", self.pick(["0035", "0033", "0007", "0010"]) + self.digits(17))

    def iban_fr(self, lang=None):
        bank, br, acct = self.digits(5), self.digits(5), self.digits(11)
        key = 97 - (89 * int(bank) + 15 * int(br) + 3 * int(acct)) % 97
        return self._iban("FR", f"{bank}{br}{acct}{key:02d}")

    def iban_de(self, lang=None):
        return self._iban("DE", self.digits(18))

    def iban_gb(self, lang=None):
        return self._iban("GB", self.pick(["NWBK", "BARC", "HBUK", "LOYD", "MIDL"]) + self.digits(14))

    def iban_x(self, lang=None):
        return self.pick([self.iban_pt, self.iban_fr, self.iban_de, self.iban_gb])()

    def iban(self, lang):
        return self.iban_es() if self.r.random() < 0.6 else self.iban_x()

    # -- addresses ------------------------------------------------------------
    ES_CITIES = [
        ("Madrid", "280"),
        ("Sevilla", "410"),
        ("Valencia", "460"),
        ("Málaga", "290"),
        ("Zaragoza", "500"),
        ("Granada", "180"),
        ("Cádiz", "110"),
        ("Murcia", "300"),
        ("Oviedo", "330"),
        ("Palma", "070"),
        ("Valladolid", "470"),
        ("Pamplona", "310"),
        ("Córdoba", "140"),
        ("Alicante", "030"),
        ("Santander", "390"),
        ("Huelva", "210"),
        ("Dos Hermanas", "417"),
        ("Jerez de la Frontera", "114"),
        ("Alcalá de Guadaíra", "415"),
        ("Las Palmas de Gran Canaria", "350"),
    ]
    ES_TYPES = [
        "C/",
        "C/",
        "Calle",
        "Calle",
        "c/",
        "Avda.",
        "Avenida",
        "Av.",
        "Plaza",
        "Pza.",
        "Paseo",
        "Ronda",
        "Camino",
        "Travesía",
    ]
    ES_STREETS = [
        "Mayor",
        "Real",
        "San Vicente",
        "de la Constitución",
        "del Carmen",
        "de la Feria",
        "Nueva",
        "del Sol",
        "de las Flores",
        "Ancha",
        "Santa Clara",
        "de Andalucía",
        "de la Libertad",
        "del Pilar",
        "de los Remedios",
        "de la Estación",
        "de Extremadura",
        "de la Paz",
        "del Mar",
        "de San Fernando",
        "de la Iglesia",
        "Alfarería",
        "Pureza",
        "Asunción",
        "República Argentina",
        "de los Olivos",
        "del Parque",
        "Doce de Octubre",
        "de las Moreras",
        "Lepanto",
        "Goya",
        "Zurbarán",
    ]
    ES_FLOORS = [
        "3ºB",
        "2º izq.",
        "1º 2ª",
        "bajo A",
        "4-D",
        "3º dcha.",
        "ático",
        "esc. 2, 5ºC",
        "2ºA",
        "piso 2 puerta 3",
        "1ºD",
        "5º 1ª",
        "bajo",
    ]

    def _es_num(self):
        n = str(self.r.choice([self.r.randint(1, 40), self.r.randint(1, 180)]))
        return self.r.choice([n, n, n, f"nº {n}", f"n.º {n}", f"número {n}"]), n

    def _cp(self, pre):
        return pre + f"{self.r.randint(1, 29):02d}"

    def addr_es(self, lang=None):
        r = self.r
        k = r.randrange(12)
        city, pre = r.choice(self.ES_CITIES)
        cp = self._cp(pre)
        typ, st = r.choice(self.ES_TYPES), r.choice(self.ES_STREETS)
        numtxt, n = self._es_num()
        fl = r.choice(self.ES_FLOORS)
        if k in (0, 1):
            return f"{typ} {st} {n}, {fl}, {cp} {city}"
        if k == 2:
            return f"{typ} {st}, {n}"
        if k == 3:
            s = f"calle {st.lower()} {numtxt}"
            return strip_accents(s) if r.random() < 0.5 else s
        if k == 4:
            return f"{typ} {st} {numtxt} {fl}"
        if k == 5:
            return f"{typ} {st}, {n} - {fl} {cp} {city}"
        if k == 6:
            return f"{typ} {st} {n}, {cp} {city}"
        if k == 7:
            cat = r.choice(
                ["de Mallorca", "de Sant Joan", "del Rosselló", "de Provença", "Gran de Gràcia", "de la Marina"]
            )
            fc = r.choice(["4t 2a", "1r 1a", "pral. 2a", "baixos", "3r 4a"])
            return f"Carrer {cat} {n}, {fc}, 080{r.randint(1, 42):02d} Barcelona"
        if k == 8:
            gl = r.choice(["do Vilar", "da Raíña", "Nova", "do Franco", "de San Pedro", "Real", "das Hortas"])
            gc, gp = r.choice(
                [("Santiago de Compostela", "157"), ("A Coruña", "150"), ("Vigo", "362"), ("Lugo", "270")]
            )
            return f"Rúa {gl} {n}, {fl}, {gp}{r.randint(1, 9):02d} {gc}"
        if k == 9:
            eu = r.choice(["Kale Nagusia", "Zabalbide kalea", "Artekale", "Barrenkale", "Nafarroa kalea"])
            ec, ep = r.choice([("Bilbao", "480"), ("Durango", "482"), ("Tolosa", "204"), ("Donostia", "200")])
            return f"{eu} {n}, {fl}, {ep}{r.randint(1, 9):02d} {ec}"
        if k == 10:
            u = r.choice(["Los Pinos", "El Mirador", "Las Adelfas", "Santa Ana"])
            return f"Urb. {u}, portal {r.randint(1, 9)}, {fl}, {cp} {city}"
        return f"{typ} {st} {n} {fl}, {city}"

    UK_STREETS = [
        "Oak",
        "Baker",
        "Church",
        "Mill",
        "Park",
        "Station",
        "Queen's",
        "Highfield",
        "Manor",
        "Willow",
        "Elm",
        "Chapel",
        "Hawthorn",
        "Beech",
        "Albert",
        "Westgate",
    ]
    UK_SUF = ["Street", "Road", "Avenue", "Lane", "Close", "Crescent", "Gardens", "Drive", "Way", "Terrace"]
    UK_CITIES = [
        ("Leeds", "LS"),
        ("Manchester", "M"),
        ("Birmingham", "B"),
        ("London", "SW"),
        ("London", "N"),
        ("Bristol", "BS"),
        ("Edinburgh", "EH"),
        ("Glasgow", "G"),
        ("Cardiff", "CF"),
        ("Liverpool", "L"),
        ("Brighton", "BN"),
        ("York", "YO"),
        ("Norwich", "NR"),
    ]

    def _ukpc(self, area):
        L = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{area}{self.r.randint(1, 20)} {self.r.randint(1, 9)}{self.r.choice(L)}{self.r.choice(L)}"

    def addr_uk(self, lang=None):
        r = self.r
        n = str(r.randint(1, 240))
        if r.random() < 0.15:
            n += r.choice("ABC")
        st = f"{r.choice(self.UK_STREETS)} {r.choice(self.UK_SUF)}"
        city, area = r.choice(self.UK_CITIES)
        k = r.randrange(5)
        if k == 0:
            return f"{n} {st}"
        if k == 1:
            return f"Flat {r.randint(1, 12)}, {n} {st}, {city} {self._ukpc(area)}"
        if k == 2:
            return f"{n} {st}, {city}"
        return f"{n} {st}, {city} {self._ukpc(area)}"

    def addr_us(self, lang=None):
        r = self.r
        st = (
            f"{r.choice(['Maple', 'Elm', 'Oak', 'Pine', 'Cedar', 'Lakeview', 'Sunset', 'Hillcrest', 'Main', 'Spring'])} "
            f"{r.choice(['St', 'Street', 'Ave', 'Avenue', 'Blvd', 'Dr', 'Road', 'Ln'])}"
        )
        city, stt, zp = r.choice(
            [
                ("Springfield", "IL", "627"),
                ("Boston", "MA", "021"),
                ("Austin", "TX", "787"),
                ("Portland", "OR", "972"),
                ("Brooklyn", "NY", "112"),
                ("Miami", "FL", "331"),
                ("San Diego", "CA", "921"),
                ("Denver", "CO", "802"),
            ]
        )
        z = zp + f"{r.randint(1, 99):02d}"
        n = r.randint(10, 9999)
        if r.random() < 0.4:
            return f"{n} {st}, Apt {r.randint(1, 12)}{r.choice('ABCD')}, {city}, {stt} {z}"
        return f"{n} {st}, {city}, {stt} {z}"

    def addr_ie(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"{r.randint(1, 60)} Ormond Quay Upper, Dublin 7",
                f"Apartment {r.randint(1, 40)}, The Maltings, Cork",
                f"{r.randint(1, 90)} Main Street, Killarney, Co. Kerry",
                f"{r.randint(1, 30)} Seaview Terrace, Salthill, Galway",
            ]
        )

    def addr_de(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"Hauptstraße {r.randint(1, 120)}, 10115 Berlin",
                f"Lindenweg {r.randint(1, 40)}a, 80331 München",
                f"Bahnhofstraße {r.randint(1, 99)}, 60329 Frankfurt am Main",
                f"Am Markt {r.randint(1, 20)}, 50667 Köln",
            ]
        )

    def addr_en(self, lang=None):
        x = self.r.random()
        return self.addr_uk() if x < 0.5 else (self.addr_us() if x < 0.85 else self.addr_ie())

    def addr(self, lang):
        return self.addr_es() if lang == "es" else self.addr_en()

    # -- look-alikes (never planted) ----------------------------------------
    def order(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"PED-2024-{self.digits(6)}",
                f"#{r.randint(100000, 999999)}",
                f"{r.randint(100, 999)}-{self.digits(7)}-{self.digits(4)}",
                f"ES-{r.randint(100000, 999999)}",
                f"2024/{r.randint(10000, 99999)}",
                f"nº {r.randint(10000, 99999)}",
                f"WEB{self.digits(8)}",
            ]
        )

    def price(self, lang=None):
        r = self.r
        e, c = r.randint(9, 649), r.choice(["95", "99", "00", "50", "90"])
        if lang == "en":
            return r.choice([f"€{e}.{c}", f"{e},{c} €", f"£{e}.{c}", f"{e} EUR", f"${e}.{c}"])
        return r.choice(
            [
                f"{e},{c} €",
                f"{e},{c}€",
                f"{e} euros",
                f"{e},{c} EUR",
                f"{e},{c} €",
                f"€{e},{c}",
                f"1.{r.randint(100, 499)},00 €" if r.random() < 0.3 else f"{e},{c}€",
            ]
        )

    price2 = price

    def date(self, lang=None):
        r = self.r
        d, m = r.randint(1, 28), r.randint(1, 12)
        es_m = [
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
        ]
        return r.choice(
            [
                f"{d:02d}/{m:02d}/2024",
                f"{d} de {es_m[m - 1]}",
                f"2024-{m:02d}-{d:02d}",
                f"{d}-{m}-24",
                f"{d}/{m}",
                f"{d} de {es_m[m - 1]} de 2023",
            ]
        )

    def date_en(self, lang=None):
        r = self.r
        mo = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        d, m = r.randint(1, 28), r.randint(1, 12)
        return r.choice(
            [f"{mo[m - 1]} {d}", f"{d} {mo[m - 1]} 2024", f"{m:02d}/{d:02d}/2024", f"{mo[m - 1][:3]} {d}th"]
        )

    def time(self, lang=None):
        r = self.r
        h, m = r.randint(8, 20), r.choice([0, 15, 30, 45, 10, 50])
        return r.choice([f"{h}:{m:02d}", f"{h}:{m:02d}h", f"{h}.{m:02d}", f"{h:02d}:{m:02d}"])

    time2 = time

    def ref(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"REF-{r.randint(10000, 99999)}",
                f"KX-{r.randint(1, 9)}00",
                f"CF-{r.randint(1000, 1999)}/B",
                f"Ref. {r.randint(10000, 99999)}",
                f"HV{r.randint(100, 999)}-{r.choice('ABCW')}",
            ]
        )

    MODELS = [
        "Milano Duo",
        "Brisa 300",
        "Nórdico Plus",
        "Aurora 1.7",
        "Everest 2000",
        "Roma Express",
        "Victoria",
        "Lisboa Slim",
        "Atlas Pro",
        "KX-200",
        "Termo Sol 80L",
        "Oslo Turbo",
        "Caribe Inox",
        "Valencia Classic",
    ]

    def model(self, lang=None):
        return self.r.choice(self.MODELS)

    def track(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"1Z{r.randint(100, 999)}AA1{self.digits(10)}",
                f"ES04{self.digits(11)}",
                f"JD0146000{self.digits(11)}",
                f"LX{self.digits(9)}ES",
                f"SEUR {self.digits(11)}",
                f"CX{self.digits(9)}ES",
            ]
        )

    track_ups = track

    def serial(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"SN-{self.digits(4)}-{self.digits(4)}-{self.digits(4)}",
                f"CFM2023{self.digits(6)}",
                f"S/N {self.digits(4)}-AB-{self.digits(3)}",
                f"KX200{self.digits(4)}B",
            ]
        )

    def invoice(self, lang=None):
        r = self.r
        return r.choice(
            [
                f"FAC-2024/{self.digits(5)}",
                f"F24-{r.randint(1000, 9999)}",
                f"INV-2024-{self.digits(4)}",
                f"A-{self.digits(6)}",
            ]
        )

    def ticket(self, lang=None):
        return f"T-{self.digits(5)}-{self.digits(2)}"

    def cp(self, lang=None):
        return self.r.choice(["41003", "28013", "21410", "08012", "46001", "11500", "41700", "29002", "35007"])

    def exp(self, lang=None):
        return f"{self.r.randint(1, 12):02d}/{self.r.randint(25, 30)}"

    def dob(self, lang=None):
        return f"{self.r.randint(1, 12):02d}/{self.r.randint(1, 28):02d}/19{self.r.randint(50, 99)}"

    def nationality(self, lang=None):
        return self.r.choice(["británica", "estadounidense", "francesa", "alemana", "irlandesa", "mexicana"])

    # numbers that deliberately FAIL the checksums ---------------------------
    def bad_card(self, lang=None):
        while True:
            d = "4" + self.digits(15)
            if not luhn_ok(d):
                return " ".join(d[i : i + 4] for i in range(0, 16, 4))

    def bad_dni(self, lang=None):
        n = self.r.randint(10_000_000, 99_999_999)
        good = dni_letter(n)
        return f"{n}{self.r.choice([c for c in DNI_LETTERS if c != good])}"

    def bad_nss(self, lang=None):
        while True:
            d = f"{self.r.randint(1, 52):02d}" + self.digits(10)
            if not valid_nss(d):
                return d

    def bad_iban(self, lang=None):
        while True:
            s = "ES" + self.digits(22)
            if iban_mod(s) != 1:
                return " ".join(s[i : i + 4] for i in range(0, 24, 4))

    def bad_ssn(self, lang=None):
        return self.r.choice(
            [
                f"000-{self.digits(2)}-{self.digits(4)}",
                f"666-{self.digits(2)}-{self.digits(4)}",
                f"9{self.digits(2)}-{self.digits(2)}-{self.digits(4)}",
                f"{self.r.randint(100, 599)}-00-{self.digits(4)}",
            ]
        )


# placeholder -> (planted type or None, generator method name)
SLOTS = {
    "name": ("name", None),
    "name_lc": ("name", "lc"),
    "name_caps": ("name", "caps"),
    "email": ("email", "email"),
    "phone": ("phone", "phone"),
    "phone_es": ("phone", "phone_es"),
    "phone_es_mob": ("phone", "phone_es_mob"),
    "phone_es_land": ("phone", "phone_es_land"),
    "phone_us": ("phone", "phone_us"),
    "phone_uk": ("phone", "phone_uk"),
    "phone_intl": ("phone", "phone_intl"),
    "phone_ie": ("phone", "phone_ie"),
    "phone_pt": ("phone", "phone_pt"),
    "phone_de": ("phone", "phone_de"),
    "dni": ("national_id", "dni"),
    "dni_lc": ("national_id", "dni_lc"),
    "nie": ("national_id", "nie"),
    "nss": ("social_security", "nss"),
    "ssn": ("ssn", "ssn"),
    "ssn_spaced": ("ssn", "ssn_spaced"),
    "passport": ("passport", "passport"),
    "passport_es": ("passport", "passport_es"),
    "passport_us": ("passport", "passport_us"),
    "passport_uk": ("passport", "passport_uk"),
    "card": ("card", "card"),
    "card_visa": ("card", "card_visa"),
    "card_mc": ("card", "card_mc"),
    "amex": ("card", "amex"),
    "iban_es": ("iban", "iban_es"),
    "iban_es_plain": ("iban", "iban_es_plain"),
    "iban_x": ("iban", "iban_x"),
    "iban_pt": ("iban", "iban_pt"),
    "iban_fr": ("iban", "iban_fr"),
    "iban_de": ("iban", "iban_de"),
    "iban_gb": ("iban", "iban_gb"),
    "iban": ("iban", "iban"),
    "addr": ("address", "addr"),
    "addr_es": ("address", "addr_es"),
    "addr_en": ("address", "addr_en"),
    "addr_us": ("address", "addr_us"),
    "addr_uk": ("address", "addr_uk"),
    "addr_ie": ("address", "addr_ie"),
    "addr_de": ("address", "addr_de"),
}
LOOKALIKES = [
    "order",
    "price",
    "price2",
    "date",
    "date_en",
    "time",
    "time2",
    "ref",
    "model",
    "track",
    "track_ups",
    "serial",
    "invoice",
    "ticket",
    "cp",
    "exp",
    "dob",
    "nationality",
    "bad_card",
    "bad_dni",
    "bad_nss",
    "bad_iban",
    "bad_ssn",
]


# ---------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------

ES_PII = [
    "Hola, me llamo {name} y hice el pedido {order} el {date}. La cafetera {model} llegó con el depósito roto. Mi teléfono es {phone}, llamadme cuando podáis.",
    "buenas, soy {name_lc}, os escribo xq el hervidor no calienta. mi movil {phone_es_mob}",
    "Estimados señores:\n\nLes escribo para solicitar el reembolso del pedido {order} ({price}). Les facilito mi IBAN: {iban_es}.\n\nAtentamente,\n{name}",
    "Para la factura a nombre de {name}, DNI {dni}, dirección {addr_es}. Gracias!",
    "Hola!! el repartidor no encontró mi casa, es en {addr_es}. Si hace falta llamad al {phone_es} o escribid a {email}",
    "Quiero financiar el calefactor {model} en 12 meses. Mis datos: {name}, DNI {dni}, nº seguridad social {nss}, cuenta {iban_es}.",
    "Os mando la solicitud para el puesto de dependiente.\nNombre: {name}\nDNI: {dni}\nNº afiliación SS: {nss}\nTel: {phone_es}\nEmail: {email}",
    "El/la cliente {name}, con NIE {nie}, solicita la devolución del importe de {price} a la cuenta {iban_es}.",
    "he pagado con la tarjeta {card} pero me han cobrado dos veces {price}, me lo podeis mirar?? pedido {order}",
    "Buenos días, no vivo en España y compré una cafetera en la tienda de la calle Sierpes. Para el tax free me pidieron el pasaporte: {passport}. ¿Cuándo recibiré el reembolso del IVA? {name}",
    "mi correo es {email} y no me llega la factura {invoice}, ya lo he mirado en spam",
    "Cambiad por favor la dirección de entrega del pedido {order}: antes era {addr_es} y ahora es {addr_es2}.",
    "Hola soy {name} ({email}), el termo que me instalasteis el {date} gotea por abajo. Estoy en {addr_es}, cualquier día por la mañana.",
    "Titular de la tarjeta: {name_caps}\nNúmero: {card}\nCaducidad: {exp}\nCVV lo doy por teléfono",
    "Llamadme mejor al fijo {phone_es_land}, que el móvil ({phone_es_mob}) lo tengo sin batería",
    "Os adjunto mis datos para el alta como cliente profesional:\n- {name}\n- NIF {dni}\n- {addr_es}\n- {phone}\nUn saludo",
    "El calefactor lo compró un familiar, {name}, con mi tarjeta acabada en 4821... bueno la tarjeta entera es {card}. Vive en {addr_es}.",
    "Buenas tardes. El técnico, {name}, vino ayer a las {time} pero no trajo la pieza {ref}. ¿Cuándo vuelve?",
    "Hola, soy {name_lc} con dni {dni_lc}, me podeis decir q pasa con mi pedido {order}? gracias",
    "Devolución del hervidor {model}.\nNombre y apellidos: {name}\nIBAN para el abono: {iban_es_plain}\nMotivo: no funciona el botón",
    "Le confirmo los datos: {name}, {addr_es}, teléfono {phone_es}. Entrega el {date} entre las {time} y las {time2}.",
    "Querría saber si el pasaporte {passport_es} sirve como documento para recoger el pedido en tienda, no tengo el DNI a mano. Soy {name}.",
    "A la atención del departamento de garantías:\nYo, {name}, con DNI {dni}, declaro que la cafetera {model} con nº de serie {serial} presenta un defecto de fábrica.\nFirmado en Sevilla a {date}.",
    "perdon q os escriba tanto pero el numero de la seguridad social de mi pareja es {nss}, lo pedia el formulario del seguro del calefactor",
    "Para el seguro del electrodoméstico: asegurado {name}, NSS {nss}, domicilio {addr_es}.",
    "Hola, me equivoqué al poner el teléfono en el pedido. El bueno es {phone_es}, no el que puse. Mi email {email}.",
    "La persona que recibe el pedido vive fuera, llamad al {phone_intl} y os dice cuándo está en casa. Se llama {name}.",
    "¿Podéis cargar el pago en mi otra tarjeta? {card}. La anterior la cancelé.\nGracias, {name}",
    "Os escribo desde el correo de mi hijo ({email}). Soy {name} y no me aclaro con la web, quiero pedir el hervidor {model}. Vivo en {addr_es}.",
    "Hola, buenas\nEl cargo de {price} de la factura {invoice} no lo reconozco. Mi cuenta es {iban_es} y mi dni {dni}.\nGracias",
    "SOY {name_caps} Y LLEVO TRES SEMANAS ESPERANDO EL REEMBOLSO. LLAMADME AL {phone_es} YA",
    "Buenas! Os paso mi NIE para la factura: {nie}. Y la dirección fiscal: {addr_es}",
    "quiero darme de baja de la newsletter, mi mail es {email}",
    "Hola, trabajo como autónomo instalando termos y me gustaría colaborar con vosotros. Os dejo mis datos: {name}, NSS {nss}, móvil {phone_es_mob}, correo {email}.",
    "Transferencia realizada desde la cuenta {iban_x} (es de mi banco de fuera) por importe de {price}. Ordenante: {name}.",
    "me podeis enviar la factura a {email}? la necesito para el trabajo. a nombre de {name_lc}",
    "El paquete con seguimiento {track} pone entregado pero yo no lo tengo. Vivo en {addr_es} y no había nadie.\n{name}",
    "Hola, os cuento: el {date} compré en vuestra web un calefactor (pedido {order}) y pagué con la tarjeta {card}. Aún no sé nada.",
    "Mis datos para la garantía:\n{name}\n{addr_es}\nTlf. {phone_es}\nDNI: {dni}",
    "Buenas, ¿me confirmáis que tenéis mi número de la SS bien? Es el {nss}. Lo digo porque en la nómina de marzo aparecía mal.",
    "Hola, soy {name} (cliente desde 2019). Me ha llegado un cargo de {price} en la tarjeta {card} que no reconozco. ¿Es del pedido {order}?",
    "Le escribe {name}, de parte de la empresa Cafés del Sur S.L. Necesitamos 6 cafeteras {model}. Mi teléfono directo: {phone_es}; email: {email}.",
    "dni {dni} y pasaporte {passport_es}, cual de los dos pongo en el formulario de financiación??",
    "Buenas noches, mi vecino {name} me dejó el paquete en {addr_es}, que no es mi dirección. La mía es {addr_es2}.",
    "Hola, quería reclamar la garantía del hervidor. Lo compré el {date} en la tienda de la avenida de la Constitución. Me llamo {name}, tel. {phone_es}",
    "Datos del comprador\n----\nNombre: {name}\nDocumento: {passport}\nNacionalidad: {nationality}\nTeléfono: {phone_intl}",
    "El reembolso me lo hacéis mejor a esta cuenta: {iban_es_plain} (titular {name}). La otra está cerrada.",
    "Hola, mi nombre es {name} y mi número de la seguridad social es el {nss}. En la tienda me dijeron que lo mandara para el parte del accidente con el termo.",
    "Cita para el técnico: {date} a las {time}.\nDirección: {addr_es}.\nPreguntar por {name}. Móvil {phone_es_mob}.",
    "ya os mandé el dni ({dni}) tres veces!!! no se que mas quereis",
    "Buenas, escribo en nombre de un familiar, {name}, que tiene 82 años. Su DNI es {dni} y vive en {addr_es}. El calefactor que le vendisteis hace ruido.",
    "Nombre: {name}\nTarjeta: {card}\nIBAN: {iban}\nTeléfono: {phone}",
    "ok, entonces os mando el pasaporte ({passport}) por aquí y el resto por correo a {email}",
    "Hola, {name_lc} aqui. el numero de la seguridad social es {nss} y el dni {dni}, para lo del contrato de verano en el almacen",
    "Confirmo recogida en tienda. Recogerá el pedido mi pareja, {name}, con NIE {nie}.",
    "Dejad el paquete en portería si no estoy. Dirección: {addr_es}. Gracias y perdonad las molestias. {name}",
    "me han llamado del {phone_es} diciendo que eran de vuestra tienda y pidiéndome la tarjeta, es normal??",
    "Buenas, mi número de cuenta: {iban_es}\nmi nss: {nss}\npara el pago de la nómina.\n{name}",
    "Envío urgente a {addr_es}, a la atención de {name}. Contacto: {email} / {phone_es}.",
    "os dejo mi contacto de whatsapp {phone_es_mob} por si es más fácil mandar fotos de la cafetera rota",
    "Hola, mi tarjeta es American Express: {amex}. ¿La aceptáis para pedidos de más de {price}?",
    "Somos {name} y {name2}, os escribimos por el regalo de boda (una cafetera {model}) que nos llegó repetido.",
    "Asunto: Reclamación pedido {order}\n\nSoy {name}, con DNI {dni}. Les envío fotos del calentador. Mi dirección es {addr_es}.\n\nSaludos cordiales",
    "Por favor, usad el correo {email} en vez de {email2}, este último ya no lo uso.",
    "Adjunto parte del accidente laboral: trabajador {name}, NSS {nss}, DNI {dni}. Se quemó con el vapor de la cafetera industrial.",
    "ahí va mi numero de afiliacion {nss} , decidme si falta algo",
    "Soy estadounidense y para la financiación me pedían un número fiscal, puse mi SSN {ssn}. ¿Está bien o necesitáis el NIE {nie}?",
    "mi pareja es de EEUU, su social security es {ssn}, lo pide la financiera para el calefactor. se llama {name_lc}",
    "Pasaporte nº {passport_es}, expedido en Madrid. ¿Lo necesitáis para el tax free? Es que vivo en Andorra.",
]

EN_PII = [
    "Hi, my name is {name} and I ordered a kettle ({order}) on {date_en}. It hasn't arrived yet. You can reach me at {phone} or {email}.",
    "hey its {name_lc}, the coffee machine i bought leaks from the bottom. can someone call me on {phone_uk}?",
    "Dear Sir/Madam,\n\nPlease refund the amount of {price} to my account: {iban_x}.\n\nKind regards,\n{name}",
    "I'm a US citizen living in Spain and the financing form asks for an ID. My SSN is {ssn}, is that OK or do you need my passport ({passport_us})?",
    "Billing details:\nName: {name}\nCard: {card}\nAddress: {addr_en}",
    "Please deliver to {addr_en}. Leave it with the neighbour if I'm out. Thanks, {name}",
    "I tried to pay with my Amex {amex} but the website rejected it twice. Order {order}.",
    "hi, for the tax free form: passport {passport_uk}, name {name}. I bought the heater at your store on Calle Sierpes.",
    "My partner {name} placed the order with the email {email}, but please send updates to mine too: {email2}.",
    "Call me at {phone_us} after 5pm Spanish time, I'm in New York until {date_en}.",
    "For the warranty registration: {name}, {addr_en}, {phone}, serial {serial}.",
    "Why does your form need my social security number?? I put {ssn} but I'm not comfortable with that. Please delete it.",
    "I'm applying for the warehouse job.\nName: {name}\nNIE: {nie}\nSpanish social security no.: {nss}\nMobile: {phone_es}",
    "The courier left the parcel at {addr_en} - that's not my address! Mine is {addr_en2}.",
    "Hello, I'm {name}. I'd like my refund to go to my UK account, IBAN {iban_gb}, not to the card ending 4432.",
    "Hi there! Just moved to Valencia. New address: {addr_es}. Phone still the same: {phone_uk}. Cheers, {name}",
    "SSN: {ssn}\nDOB: {dob}\nName: {name}\n(sorry, copied the wrong template from my tax stuff, please ignore)",
    "The charge of {price} appeared twice on my Visa {card_visa}. Could you reverse one of them? - {name}",
    "hello, my passport number is {passport} and my name is {name_lc}. I want to collect order {order} at the shop",
    "Can you ship to Germany? My address would be {addr_de}, and my mobile is {phone_de}.",
    "I paid by bank transfer from {iban_x} on {date_en}; reference {order}. Nothing yet.",
    "Contact person: {name}\nEmail: {email}\nPhone: {phone_us}\nCompany: Brightside Cafés Ltd",
    "Hi, I'm writing on behalf of an elderly relative, {name}. The DNI is {dni} and the address is {addr_es}. The heater you installed makes a burning smell.",
    "Received the kettle, thanks! But the invoice has the wrong name: it should be {name}, not {name2}.",
    "my ssn {ssn_spaced} was requested by the financing partner, is this legit? they also called me from {phone_us}",
    "Please update my card on file to {card} (exp {exp}). The old one was stolen.",
    "Hi team, {name} here from Dublin. Ring me on {phone_ie} if the courier needs directions to {addr_ie}.",
    "To whom it may concern,\nI, {name}, passport no. {passport_us}, authorise {name2} to collect my order {order} from your Seville store.\nSigned, {name}",
    "Account holder: {name}\nIBAN: {iban_es}\nBIC: CAIXESBBXXX",
    "my number changed, new one is {phone}, old one {phone2} doesn't work anymore",
    "Hi, I'm {name}, an American tourist. For the VAT refund they asked for passport {passport_us}, and my hotel is at {addr_es}.",
    "Your employee asked me for my SSN ({ssn}) over the phone. Is that normal? My email is {email}.",
    "Can you send the invoice to {email}? Name on it: {name}, NIE {nie}, address {addr_es}.",
    "I've got a Mastercard {card_mc} and a Visa {card_visa}; which one did you charge for order {order}?",
    "Hi! My partner {name} ordered the espresso machine but it's registered under my details ({email}). Could you merge the accounts?",
    "Please stop calling {phone_uk}. I already said I don't want the extended warranty.\n{name}",
    "Spanish social security number {nss}, required for the installer contract. Let me know if anything else is missing. {name}",
    "The kettle KX-200 stopped working after 3 weeks. Name: {name}. Address: {addr_en}. Phone: {phone}.",
    "Re: order {order}\n\nHi,\nthe box was empty!! I paid {price} with card {card}. I want my money back to {iban_x} asap.\n\n{name}",
    "Hello from Lisbon! My Portuguese number is {phone_pt} and my bank account is {iban_pt}. Can you refund there? {name}",
    "ssn is {ssn}, dob {dob}, name {name_lc}. sorry for the lowercase, typing on my phone",
    "Hi,\nI need a VAT invoice. Company: Oakridge Trading Ltd, contact {name}, {addr_en}, VAT GB123456789.",
    "I'm a new employee at your Madrid store (starting {date_en}). HR asked for: SSN from the US {ssn}, Spanish NSS {nss}, and my passport {passport_us}.",
    "My address is {addr_es}, but the courier keeps going to the shop on Avenida de la Palmera. Phone {phone_es}.",
    "Hey! I'm {name} ({email}), do you have the Milano coffee machine in red?",
    "Please note my new email address: {email}. Old: {email2}. Thanks, {name}",
    "I'd like to pay the remaining {price} with my card {card}. Billing address is {addr_en}.",
    "Hi, can the technician come to {addr_en} on Friday? Ask for {name} at reception. Tel {phone_us}.",
    "Do you accept payment by SEPA? Here's my IBAN {iban_de} (German bank).",
    "yes that's me, {name}, ssn {ssn}, you can verify with the bank",
    "The financing application was rejected. Details I entered: {name}, SSN {ssn}, phone {phone_us}, address {addr_us}.",
    "Hi, {name} again. Passport {passport_uk}. I need to change the name on the tax-free form.",
    "Can I use my French account {iban_fr} for the direct debit? I live in Spain now at {addr_es}.",
    "Please find attached PO-88123 for 20 kettles.\n\nRegards,\n\n{name}\nSenior Buyer | Hollins & Pratt Ltd\n{phone_uk} | {email}",
    "my social is {ssn} and card {card}, can we finish the order by email please",
    "I'm a British expat. NIE {nie}, social security number (Spain) {nss}. The plumber needs these for the heater installation grant.",
    "The parcel should go to {addr_en} not {addr_en2}. Sorry about that. {name}",
    "Hi, my name is {name}, US passport {passport_us}, UK phone {phone_uk}. Long story.",
    "We're {name} and {name2}, the couple who bought two heaters yesterday. Our shared email is {email}.",
    "Please contact our office manager {name} at {phone_intl} for the delivery to our Paris branch.",
    "SSN (full, the form wouldn't accept the last 4): {ssn}. Name {name}.",
    "Fwd: W-9 details\nName: {name}\nTIN/SSN: {ssn}\nAddress: {addr_us}",
    "i think i mistyped the ssn earlier, the right one is {ssn} not 123-45-678. thanks",
    "Passport: {passport_uk} (British). Address in Spain: {addr_es}.",
]

ES_NOPII = [
    "Hola, el pedido {order} llegó con la jarra rota. ¿Me mandáis otra? Es la cafetera {model}.",
    "buenas, cuanto cuesta el hervidor {ref}? en la web pone {price} pero en tienda me dijeron {price2}",
    "¿Abrís el sábado la tienda de la calle Sierpes? Quería pasarme sobre las {time}.",
    "Factura {invoice} del {date}, importe {price}. No me cuadra con el ticket {ticket}.",
    "El seguimiento {track} lleva 4 días en 'en reparto'. ¿Sabéis algo?",
    "hacéis envíos al {cp}? es un pueblo pequeño de Huelva",
    "Número de serie {serial}, modelo {model}. La resistencia no calienta desde el {date}.",
    "Quiero 3 unidades del calefactor {model} de 2000 W. ¿Hay descuento por cantidad? El código VERANO15 no me funciona.",
    "En el extracto del banco sale la operación {bad_card} y no sé de qué es, ¿es vuestra?",
    "He recibido el albarán nº {bad_nss} pero falta un termo de los dos.",
    "mi codigo de cliente es {bad_dni}, lo pone en la tarjeta de fidelizacion, pero no me salen los puntos",
    "Pedido {order}\n2 x Hervidor {model}\n1 x Molinillo Lisboa\nTotal {price}. Entrega prevista {date} entre {time} y {time2}.",
    "¿La garantía de la cafetera {model} es de 2 o 3 años? La compré en la tienda de la Avenida de la Constitución el {date}.",
    "la referencia del mandato SEPA que me aparece es {bad_iban}, es correcto?",
    "Hola!! la Brisa 300 hace un ruido raro al calentar, es normal? tiene 6 meses. gracias",
]

EN_NOPII = [
    "Hi, order {order} arrived damaged. The Milano Duo jug is cracked.",
    "What's the difference between the {model} and the KX-300? Both show {price} on the site.",
    "Tracking {track_ups} says delivered on {date_en} at {time} but nothing here.",
    "Invoice {invoice} shows {price} but I paid {price2}. Can you check?",
    "Is the shop on Calle Sierpes open on Sundays? Flying in on {date_en}.",
    "Serial number {serial}. Model {model}. Stopped heating after 2 weeks.",
    "Do you ship to postcode {cp}? Or only mainland Spain?",
    "The transaction ID is {bad_card} according to my bank app, does that match your records?",
    "I need 12 units of the Aurora kettle for our office. Quote please, reference {ref}.",
    "My loyalty number is {bad_dni}, but the discount wasn't applied to order {order}.",
    "Your site says 'Error 502' when I try to pay for order {order}. Tried at 10:42 and 11:15.",
    "Thanks for the quick refund of {price}! Very happy with the Victoria heater.",
    "Batch code {bad_nss} is printed on the box. Is this part of the recall?",
    "The form field shows 'Ref {bad_ssn}' next to my order, is that a bug?",
    "Can I return the Everest 2000 heater after 30 days? Bought {date_en}, receipt {ticket}.",
]

PLACEHOLDER = re.compile(r"\{([a-z_]+?)(\d?)\}")


def fill(template: str, lang: str, gen: Gen):
    keys = [(m.group(1), m.group(1) + m.group(2)) for m in PLACEHOLDER.finditer(template)]
    values: dict[str, str] = {}
    planted: list[dict] = []
    # names first so that e-mails can be derived from them
    order = sorted(dict.fromkeys(keys), key=lambda k: 0 if k[0].startswith("name") else 1)
    gen.name_parts = None
    for base, full in order:
        if base in SLOTS:
            typ, meth = SLOTS[base]
            if typ == "name":
                v = gen.name(lang, style={"name": "normal", "name_lc": "lc", "name_caps": "caps"}[base])
            else:
                v = getattr(gen, meth)(lang)
            values[full] = v
            planted.append((template.index("{" + full + "}"), {"type": typ, "value": v}))
        elif base in LOOKALIKES:
            values[full] = getattr(gen, base)(lang)
        else:
            raise KeyError(base)
    text = PLACEHOLDER.sub(lambda m: values[m.group(1) + m.group(2)], template)
    planted.sort(key=lambda x: x[0])
    return text, [p for _, p in planted]


def build():
    rng = random.Random(SEED)
    gen = Gen(rng)
    rows = []
    index = 0
    for lang, temps in (("es", ES_PII), ("en", EN_PII), ("es", ES_NOPII), ("en", EN_NOPII)):
        for t in temps:
            # templates alternate between a half the detector may be tuned on and a half it never is
            half = "dev" if index % 2 == 0 else "test"
            for _ in range(REPEATS):
                text, planted = fill(t, lang, gen)
                rows.append({"text": text, "lang": lang, "planted": planted, "template": index, "half": half})
            index += 1
    rng.shuffle(rows)
    return rows


def verify(rows):
    problems = []
    counts = collections.Counter()
    nopii = collections.Counter()
    for i, row in enumerate(rows):
        if "{" in row["text"] or "}" in row["text"]:
            problems.append((i, "unfilled placeholder"))
        if not row["planted"]:
            nopii[row["lang"]] += 1
        for p in row["planted"]:
            if p["type"] not in TYPES:
                problems.append((i, "bad type " + p["type"]))
            if p["value"] not in row["text"]:
                problems.append((i, "not a substring: " + p["value"]))
            if not CHECKS[p["type"]](p["value"]):
                problems.append((i, f"check failed {p['type']}: {p['value']}"))
            counts[(p["type"], row["lang"])] += 1
    # the deliberately-broken look-alikes must fail their checks
    g = Gen(random.Random(1))
    for _ in range(200):
        assert not valid_card(g.bad_card())
        assert not valid_national_id(g.bad_dni())
        assert not valid_nss(g.bad_nss())
        assert not valid_iban(g.bad_iban())
        assert not valid_ssn(g.bad_ssn())
    # known-good reference values for the checkers themselves
    assert valid_national_id("12345678Z") and valid_national_id("X1234567L")
    assert valid_iban("ES91 2100 0418 4502 0005 1332") and valid_iban("GB29NWBK60161331926819")
    assert valid_card("4111 1111 1111 1111") and valid_card("378282246310005")
    return problems, counts, nopii


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="only verify the existing file")
    args = ap.parse_args()
    if args.check:
        rows = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        rows = build()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        with OUT.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    problems, counts, nopii = verify(rows)
    n_templates = len(set(ES_PII + EN_PII + ES_NOPII + EN_NOPII))
    langs = collections.Counter(r["lang"] for r in rows)
    print(f"lines: {len(rows)}  es={langs['es']} en={langs['en']}  templates={n_templates}")
    print(f"no-PII lines: es={nopii['es']} en={nopii['en']}")
    print(f"{'type':16s} {'es':>4s} {'en':>4s} {'all':>4s}")
    for t in TYPES:
        es, en = counts[(t, "es")], counts[(t, "en")]
        flag = "" if es + en >= 25 else "  <-- below 25"
        print(f"{t:16s} {es:4d} {en:4d} {es + en:4d}{flag}")
    if problems:
        for p in problems[:30]:
            print("PROBLEM", p)
        sys.exit(1)
    print("all planted values are substrings and pass their checks")


if __name__ == "__main__":
    main()
