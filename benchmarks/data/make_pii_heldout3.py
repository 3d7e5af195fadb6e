#!/usr/bin/env python3
"""Generate the third held-out PII evaluation corpus, ``pii_heldout3.jsonl``.

The corpus is about 450 synthetic customer messages (about 55 % Spanish, 45 % English) drawn from more than 200
hand-written templates (live chats, WhatsApp-style chats, formal e-mails, web-form dumps, CRM notes in capitals,
letters, voice transcripts, complaints, delivery notes, HR/payroll, bank, travel, insurance, tenancy, medical,
marketplace and customs messages).  Every personal value in a message is listed in ``planted`` with one of ten
types: email, phone, national_id (Spanish DNI/NIE), social_security (Spanish NSS), ssn (US), passport, card,
iban, address and name.  About 15 % of the messages carry no personal data, only look-alikes (order, invoice and
ticket numbers, tracking codes, prices, dates, postcodes alone, product references, flight numbers, street names
without a number, company and brand names, and DNI/NIE/card/IBAN/NSS numbers that fail their checksums); look-alikes
also appear inside the messages that do carry personal data.

It was written blind: without reading the detector, its tests, its documentation or the earlier corpora, from a
specification of the ten types only.

Each output line is ``{"text", "lang", "planted": [{"type", "value"}], "template", "half"}``; every planted value is an
exact substring of its text and is listed once.  The script is standard-library only and deterministic (fixed
seed).  After writing it verifies the file (substrings, checksums of DNI/NIE, NSS, SSN ranges, Luhn, IBAN mod 97,
and that no unlisted checksum-valid DNI/NIE/NSS/card/IBAN is left in any text) and prints the planted counts.

Run from the repository root::

    python3 benchmarks/data/make_pii_heldout3.py          # generate, verify, print the table
    python3 benchmarks/data/make_pii_heldout3.py --check  # re-verify the written file only
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SEED = 20250611
OUT = Path(__file__).resolve().with_name("pii_heldout3.jsonl")

EMAIL, PHONE, NID, NSS, SSN, PASSPORT, CARD, IBAN, ADDRESS, NAME = (
    "email",
    "phone",
    "national_id",
    "social_security",
    "ssn",
    "passport",
    "card",
    "iban",
    "address",
    "name",
)
TYPES = (EMAIL, PHONE, NID, NSS, SSN, PASSPORT, CARD, IBAN, ADDRESS, NAME)


def _words(block: str) -> list[str]:
    """Split a whitespace-separated block into entries; '_' stands for a space inside an entry."""
    return [w.replace("_", " ") for w in block.split()]


# ----------------------------------------------------------------------------------------------- name pools

ES_FIRST = _words("""
Alejandro Álvaro Adrián Aitana Alba Amparo Andrés Ángela Antonio Araceli Arturo Asunción Aurora Beatriz Benito
Blanca Borja Bruno Carmen Candela Carlos Casimiro Catalina Cayetana Celia César Claudia Concepción Consuelo
Cristina Dámaso Daniel David Diego Dolores Domingo Dulce Eduardo Elena Eloy Elvira Emilio Encarnación Enrique
Esperanza Esteban Eugenia Eusebio Fabián Fátima Federico Felipe Fernando Fidel Florencia Francisco Gabriel Gerardo
Gloria Gonzalo Gregorio Guadalupe Guillermo Gustavo Hugo Ignacio Inés Inmaculada Irene Isabel Ismael Jacinto Jaime
Javier Jesús Jimena Joaquín Jorge José Josefa Juan Julia Julián Leonor Leticia Lidia Lorena Lorenzo Lucía Luis
Lourdes Macarena Manuel Manuela Marcos Margarita María Marina Mario Marta Martín Matías Mercedes Miguel Milagros
Mónica Natalia Nicolás Noelia Octavio Olga Óscar Pablo Paloma Patricia Paula Pedro Pilar Purificación Rafael
Ramiro Ramón Raquel Remedios Ricardo Roberto Rocío Rodrigo Rosario Rubén Salvador Samuel Sandra Santiago Sara
Sebastián Sergio Silvia Sofía Soledad Susana Teodoro Teresa Tomás Trinidad Valentín Valeria Vanesa Vicente Victoria
Virginia Yolanda Zacarías Ximena Maximino Eulalia Herminia Baltasar Covadonga Abril Mateo Lola Agustín Ambrosio
Anselmo Bernardo Celestino Cipriano Delfina Eladio Emiliano Estefanía Evaristo Filomena Genoveva Gumersindo Heriberto
Hortensia Leandro Marcelino Modesto Nieves Pascual Petra Rosalía Saturnino Tadeo Begoña Yeray Dayana Jonatan
Nayara Izan Thiago Valentina Brenda Alexis
""")
ES_COMPOUND = _words("""
María_José José_Luis Juan_Carlos María_del_Carmen José_Antonio Ana_Belén Francisco_Javier María_Ángeles
Juan_Manuel Luis_Miguel María_Teresa Miguel_Ángel Mari_Carmen José_María Rosa_María Juan_Pablo María_Dolores
Ana_Isabel Carlos_Alberto María_Pilar José_Ignacio Ana_María Juan_José María_Luisa
""")
ES_SUR = _words("""
García López Martínez Sánchez Pérez Gómez Martín Jiménez Hernández Ruiz Díaz Moreno Muñoz Álvarez Romero Gutiérrez
Alonso Navarro Torres Domínguez Ramos Vázquez Gil Serrano Molina Blanco Suárez Castro Ortega Delgado Ortiz Marín
Rubio Núñez Medina Sanz Castillo Iglesias Cortés Garrido Santos Guerrero Lozano Cano Cruz Méndez Flores Prieto
Herrera Peña León Márquez Cabrera Gallego Calvo Vidal Campos Reyes Vega Fuentes Carrasco Díez Aguilar Caballero
Nieto Santana Vargas Pascual Giménez Herrero Hidalgo Montero Benítez Durán Ibáñez Arias Mora Ferrer Carmona Rojas
Soto Crespo Román Pastor Velasco Parra Sáez Moya Bravo Rivera Gallardo Soler Pardo Mendoza Villar Quintana Espinosa
Sierra Bermúdez Salazar Heredia Aranda Carrión Escudero Zamora Galindo Salas Toledo Manzano Palomo Barrios Calderón
Villanueva Cuesta Pizarro Maldonado Luque Rosales Valero Bueno Esteve Ojeda Sancho Trujillo Alarcón Bautista
Barroso Casado Cuenca Cifuentes Echeverría Figueroa Godoy Hurtado Lara Llorente Mesa Miranda Montes Olmedo Orozco
Paredes Quiroga Robles Salgado Tejada Ureña Valverde Zapata Arroyo Bustamante Carvajal Dávila Escobar Ferrándiz
Izquierdo Jurado Lastra Mejía Naranjo Ocaña Peinado Quesada Recio Segura Tapia Vallejo Yagüe de_la_Fuente del_Río
de_los_Santos San_Martín Montoya Anguita Villalba Becerra Chacón Cordero Jaén Lucena Melgar Muriel Padilla Soriano
""")

EN_FIRST = _words("""
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond
Jack Dennis Jerry Tyler Aaron Henry Douglas Peter Nathan Zachary Kyle Walter Harold Carl Arthur Gerald Roger Keith
Lawrence Terry Sean Austin Noah Dylan Ethan Harvey Rupert Nigel Clive Alistair Callum Declan Rhys Owen Gareth
Hamish Fergus Angus Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty
Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon
Laura Cynthia Kathleen Amy Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Rachel
Carolyn Janet Catherine Heather Diane Ruth Julie Olivia Joyce Kelly Lauren Christina Joan Evelyn Judith Megan
Andrea Cheryl Hannah Jacqueline Martha Ann Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace
Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Lori
Siobhan Imogen Philippa Harriet Gemma Kirsty Niamh Eilidh Bethany Poppy Tamsin Felicity Rosalind Gwen Maisie
Delia Tobias Crispin Barnaby Jasper Ewan Lachlan Seamus Cormac Tristan Wendell Clifford Marvin Darnell Tyrone
Jamal Shaniqua Latoya Keisha DeShawn Brooke Courtney Whitney Chelsea Dakota Savannah Trevor Colin Malcolm
""")
EN_SUR = _words("""
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson
White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter
Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan
Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price
Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman Simmons Patterson
Jordan Reynolds Hamilton Graham Wallace West Cole Hayes Gibson Ellis Stevens Murray Ford Marshall Owens McDonald
Harrison Kennedy Wells Griffin Hawkins Dunn Pearce Holloway Ashworth Fairbairn Whitfield Pemberton Cartwright
Blackwood Thornton Kershaw Oakley Hargreaves Lockwood Greenhalgh Ramsbottom Featherstone Winterbottom Haworth
Brierley Crowther Sutcliffe Entwistle Pickering Barraclough Atherton Fitzgerald O'Brien O'Connor McAllister
MacLeod Drummond Galbraith Llewellyn Pritchard Vaughan Prosser Trelawney Penhaligon Carmichael Abernathy Babcock
Whitaker Hollis Kowalski Novak Schultz Lindqvist Donnelly Gallagher Quinn Doyle Brennan Farrell Byrne Hennessy
Kavanagh Moynihan Rourke Tierney Walsh Yates Dalton Fenwick Gresham Holt Ingram Jarvis Kemp Lyle Mercer Nash
Osborne Pryce Radcliffe Slater Tolley Underwood Vance Whitmore
""")

OTHER: dict[str, tuple[list[str], list[str]]] = {
    "ca": (
        _words("Jordi Montserrat Pere Núria Oriol Roser Arnau Mireia Joan Mercè Xavier Laia Pol Neus Ferran Martí"),
        _words("Puig Vilaró Casals Roca Pujol Vilanova Bosch Serra Font Riera Camps Sala Rovira Masdeu Ribas Grau"),
    ),
    "eu": (
        _words("Iñaki Itziar Aitor Nekane Koldo Amaia Gorka Edurne Jon Miren Xabier Arantza Ander Maialen Urko"),
        _words(
            "Etxeberria Goikoetxea Aguirre Urrutia Arrieta Zubizarreta Garmendia Olaizola Larrañaga Elizondo "
            "Bengoetxea Aranburu Zabaleta Iturbe Mendizabal"
        ),
    ),
    "gl": (
        _words("Xoán Uxía Brais Antía Xurxo Iria Breixo Sabela Anxo Noa Xiana Roi"),
        _words("Outeiro Vilas Seoane Lamas Pazos Rial Carballo Souto Freire Fraga Piñeiro Louro Regueiro Bouzas"),
    ),
    "pt": (
        _words("João Inês Gonçalo Tiago Mariana Rui Duarte Catarina Afonso Matilde Vasco Leonor"),
        _words("Ferreira Pereira Oliveira Costa Rodrigues Sousa Fernandes Gonçalves Marques Almeida Ribeiro Teixeira"),
    ),
    "it": (
        _words("Giuseppe Francesca Alessandro Chiara Giulia Federica Stefano Davide Serena Luca Elisa Marco"),
        _words("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Conti De_Luca Mancini Rizzo"),
    ),
    "de": (
        _words("Klaus Sabine Jürgen Ursula Matthias Katrin Wolfgang Heike Florian Anke Dieter Birgit Lukas"),
        _words("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Koch Richter Krüger"),
    ),
    "fr": (
        _words("Étienne Camille Amélie Guillaume Sébastien Margaux Thibault Océane Loïc Clémence Benoît Élodie"),
        _words("Dubois Lefèvre Moreau Laurent Girard Bonnet Dupont Lambert Fontaine Rousseau Mercier Guérin"),
    ),
    "ro": (
        _words("Andrei Ioana Mihai Bogdan Alexandra Cristian Roxana Florin Gabriela Radu Mihaela Vlad Oana Sorin"),
        _words("Popescu Ionescu Popa Dumitrescu Stoica Gheorghe Munteanu Constantinescu Dobre Marinescu Lungu"),
    ),
    "ar": (
        _words("Mohamed Fatima Youssef Khadija Omar Aicha Hassan Nadia Karim Samira Rachid Leila Mustafa Zineb Hamza"),
        _words("El_Amrani Benali Bouzid Haddad Mansouri Chaoui El_Idrissi Benjelloun Tazi Belkacem Alaoui Rahmani"),
    ),
    "zh": (
        _words("Wei Xiaoling Hao Mei Jian Yan Zhiwei Lihua Xin Jing Yong Qian"),
        _words("Wang Zhang Liu Chen Yang Huang Zhao Zhou Xu Sun Zhu Guo Lin"),
    ),
    "in": (
        _words("Arjun Priya Rahul Ananya Vikram Deepika Sanjay Kavita Rohan Sneha Aditya Lakshmi Suresh Meera"),
        _words("Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Mehta Chatterjee Banerjee Desai Joshi Pillai"),
    ),
    "ng": (
        _words("Chinedu Ngozi Oluwaseun Adaeze Emeka Funmilayo Tunde Chioma Ifeanyi Yetunde Obinna Amaka Folake"),
        _words("Okafor Adeyemi Okonkwo Eze Nwosu Balogun Ogunleye Adebayo Chukwu Olawale Nwachukwu Afolabi Ibekwe"),
    ),
}
OTHER_FIRST = sorted({n for firsts, _ in OTHER.values() for n in firsts})
OTHER_LAST = sorted({n for _, lasts in OTHER.values() for n in lasts})
PARTICLES = {"de", "del", "la", "las", "los", "da", "do", "dos", "di", "van", "von", "el"}


# --------------------------------------------------------------------------------------------- text helpers


def low(s: str) -> str:
    """Lower-case and strip accents, as people type in chats."""
    nfd = unicodedata.normalize("NFD", s)
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn").lower()


def caps(s: str) -> str:
    """Upper-case without accents, as in CRM notes."""
    return low(s).upper()


def slug(s: str) -> str:
    """ASCII letters and digits only, for e-mail local parts."""
    return re.sub(r"[^a-z0-9]", "", low(s))


def digits(r: random.Random, n: int) -> str:
    """n random decimal digits (may start with 0)."""
    return "".join(r.choice("0123456789") for _ in range(n))


def fill(r: random.Random, pattern: str) -> str:
    """Replace '#' with a digit, 'L' with a capital letter and 'x' with a letter or digit."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(r.choice("0123456789"))
        elif ch == "L":
            out.append(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
        elif ch == "x":
            out.append(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))
        else:
            out.append(ch)
    return "".join(out)


MESES = _words("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
MONTHS = _words("January February March April May June July August September October November December")


def date_es(r: random.Random) -> str:
    """A date in a Spanish spelling."""
    d, m = r.randint(1, 28), r.randint(1, 12)
    return r.choice([f"{d} de {MESES[m - 1]}", f"{d:02d}/{m:02d}/2025", f"{d}/{m}/25", f"{d:02d}-{m:02d}-2025"])


def date_en(r: random.Random) -> str:
    """A date in an English spelling."""
    d, m = r.randint(1, 28), r.randint(1, 12)
    return r.choice([f"{d} {MONTHS[m - 1]}", f"{MONTHS[m - 1]} {d}", f"{m:02d}/{d:02d}/2025", f"{d:02d}/{m:02d}/2025"])


def hour(r: random.Random, lang: str = "es") -> str:
    """A clock time."""
    h, mi = r.randint(8, 20), r.choice([0, 15, 30, 45])
    if lang == "en":
        return r.choice([f"{h}:{mi:02d}", f"{(h - 1) % 12 + 1}:{mi:02d}{'pm' if h >= 12 else 'am'}"])
    return r.choice([f"{h}:{mi:02d}", f"{h}.{mi:02d} h", f"{h}:{mi:02d} h"])


def eur(r: random.Random) -> str:
    """A price in euros, Spanish style."""
    v = r.randint(3, 2400)
    c = r.choice(["00", "90", "95", "50", "99", "45"])
    amount = f"{v // 1000}.{v % 1000:03d}" if v >= 1000 else str(v)
    return r.choice([f"{amount},{c} €", f"{amount},{c}€", f"{amount} euros", f"€{amount},{c}"])


def money_en(r: random.Random) -> str:
    """A price in pounds or dollars, English style."""
    v = r.randint(3, 2400)
    return r.choice([f"£{v:,}.{r.randint(0, 99):02d}", f"${v:,}.{r.choice(['00', '99', '49'])}", f"£{v}", f"${v}"])


def greet_es(r: random.Random) -> str:
    """A Spanish greeting without a name."""
    return r.choice(["Hola", "Buenas tardes", "Buenos días", "Buenas", "Hola, buenas"])


def greet_en(r: random.Random) -> str:
    """An English greeting without a name."""
    return r.choice(["Hi", "Hello", "Good morning", "Hi there", "Good afternoon"])


# ------------------------------------------------------------------------------------------------- people


@dataclass(frozen=True)
class Person:
    """A generated person: given name(s), surnames and an optional middle initial."""

    first: str
    surnames: tuple[str, ...]
    middle: str = ""
    surname_first: bool = False

    @property
    def last(self) -> str:
        """All surnames."""
        return " ".join(self.surnames)

    @property
    def full(self) -> str:
        """The name as usually written."""
        if self.surname_first:
            return f"{self.last} {self.first}"
        return " ".join(x for x in (self.first, self.middle, self.last) if x)

    @property
    def short(self) -> str:
        """First given name and first surname."""
        if self.surname_first:
            return self.full
        return f"{self.first.split()[0]} {self.surnames[0]}"

    @property
    def given(self) -> str:
        """First given name only."""
        return self.first.split()[0] if not self.first.startswith(("María del", "Mari ")) else self.first

    @property
    def inverted(self) -> str:
        """Surnames, comma, given names (as in registers)."""
        return f"{self.last}, {' '.join(x for x in (self.first, self.middle) if x)}"

    @property
    def sur1(self) -> str:
        """First surname without particles, for e-mail addresses."""
        words = [w for w in self.surnames[0].split() if w.lower() not in PARTICLES]
        return words[0] if words else self.surnames[0]


def es_person(r: random.Random) -> Person:
    """A Spanish person: one or two given names and usually two surnames."""
    first = r.choice(ES_COMPOUND) if r.random() < 0.18 else r.choice(ES_FIRST)
    s1 = r.choice(ES_SUR)
    if r.random() < 0.75:
        s2 = r.choice(ES_SUR)
        if s2 != s1:
            return Person(first, (s1, s2))
    return Person(first, (s1,))


def en_person(r: random.Random, middle: float = 0.2) -> Person:
    """An English-speaking person, sometimes with a middle initial."""
    first = r.choice(EN_FIRST)
    last = r.choice(EN_SUR)
    if r.random() < 0.05:
        last = f"{last}-{r.choice(EN_SUR)}"
    mid = f"{r.choice('ABCDEFGHJKLMNPRSTW')}." if r.random() < middle else ""
    return Person(first, (last,), mid)


def other_person(r: random.Random, family: str | None = None) -> Person:
    """A person from another language family (Catalan, Basque, Arabic, Chinese, Nigerian...)."""
    fam = family or r.choice(sorted(OTHER))
    firsts, lasts = OTHER[fam]
    first, s1 = r.choice(firsts), r.choice(lasts)
    if fam in ("ca", "eu", "gl", "pt") and r.random() < 0.6:
        s2 = r.choice(lasts + ES_SUR[:40])
        if s2 != s1:
            return Person(first, (s1, s2))
    if fam == "zh" and r.random() < 0.4:
        return Person(first, (s1,), surname_first=True)
    return Person(first, (s1,))


def mixed_es(r: random.Random) -> Person:
    """A person writing to a Spanish company: mostly Spanish names, some from elsewhere."""
    return es_person(r) if r.random() < 0.72 else other_person(r)


def mixed_en(r: random.Random) -> Person:
    """A person writing in English: mostly English names, some from elsewhere."""
    return en_person(r) if r.random() < 0.72 else other_person(r)


# ----------------------------------------------------------------------------------------------------- e-mail

DOMAINS_ES = _words("""
gmail.com hotmail.com hotmail.es yahoo.es outlook.es outlook.com icloud.com telefonica.net movistar.es gmx.es
protonmail.com terra.es ono.com live.com msn.com
""")
DOMAINS_EN = _words("""
gmail.com yahoo.com outlook.com hotmail.co.uk btinternet.com icloud.com aol.com live.co.uk sky.com comcast.net
verizon.net me.com proton.me virginmedia.com fastmail.com
""")
DOMAINS_INTL = _words("""
gmx.de web.de orange.fr free.fr libero.it sapo.pt yahoo.com.mx eircom.net qq.com 163.com rediffmail.com
yahoo.co.in hotmail.fr t-online.de yahoo.ro
""")
COMPANY_DOMAINS_ES = _words("""
construcciones-alba.es grupoiberlux.com alumnos.uni-sevilla.es estudiante.ucm.es ayto-valdemorillo.org
talleres-sur.com clinicadentalsonrisa.es asesoria-norte.es correo.ugr.es logistica-mediterraneo.com
viveroselolmo.es inmo-costablanca.com bufete-arenal.es fundacion-alba.org hospitalsanrafael.es
""")
COMPANY_DOMAINS_EN = _words("""
acme-logistics.co.uk harbourgate.io dept.ox.ac.uk brightwater-homes.com northstar.consulting lakesidedental.com
pinecrest-realty.net fenwick-legal.co.uk mail.kestrel-analytics.com bluefinch.org hr.tillman-group.com
sales.greyhollow.co cs.rivermouth.ac.uk redwood-payroll.us
""")


def email_for(r: random.Random, p: Person, pool: list[str] | None = None, tag: bool | None = None) -> str:
    """An e-mail address built from the person's name on a personal or company domain."""
    f, s = slug(p.first.split()[0]), slug(p.sur1)
    n = r.randint(1, 99)
    local = r.choice(
        [f"{f}.{s}", f"{f[0]}{s}", f"{f}{s}{n}", f"{f}_{s}", f"{s}.{f}", f"{f}-{s}", f"{f}.{s}{n}", f"{f[0]}.{s}"]
    )
    if tag or (tag is None and r.random() < 0.15):
        local += "+" + r.choice(["compras", "facturas", "shop", "news", "banco", "pedidos", "work", "travel"])
    domain = r.choice(pool or DOMAINS_ES)
    if r.random() < 0.1:
        local = ".".join(x.capitalize() for x in local.split("."))
        domain = domain.capitalize()
    return f"{local}@{domain}"


def email_any(r: random.Random, p: Person, lang: str) -> str:
    """An e-mail address on a domain that fits the language and the person."""
    pool = r.choice([DOMAINS_ES, DOMAINS_ES, DOMAINS_INTL, COMPANY_DOMAINS_ES])
    if lang == "en":
        pool = r.choice([DOMAINS_EN, DOMAINS_EN, DOMAINS_INTL, COMPANY_DOMAINS_EN])
    return email_for(r, p, pool)


# ------------------------------------------------------------------------------------------------------ phones

ES_LAND_PREFIXES = _words("""
91 93 954 955 963 961 944 946 976 952 981 985 983 968 948 942 928 922 971 958 957 956 959 987 925 967 979 986 974
881 876 858 871 822 828 848 843 854 865 886
""")


def es_digits(r: random.Random, kind: str = "mobile") -> str:
    """Nine national digits of a Spanish mobile or landline."""
    if kind == "mobile":
        return "6" + digits(r, 8) if r.random() < 0.8 else "7" + r.choice("1234") + digits(r, 7)
    pre = r.choice(ES_LAND_PREFIXES)
    return pre + digits(r, 9 - len(pre))


def es_phone(r: random.Random, kind: str | None = None, style: str | None = None, prefix: str | None = None) -> str:
    """A Spanish phone number in one of the common spellings."""
    kind = kind or ("mobile" if r.random() < 0.75 else "land")
    d = es_digits(r, kind)
    style = (
        style or r.choices(["333", "3222", "plain", "dots", "dash", "3222dots", "2322"], [30, 22, 20, 7, 7, 4, 10])[0]
    )
    if style == "2322" and d[:2] not in ("91", "93"):
        style = "3222"
    s = {
        "333": f"{d[:3]} {d[3:6]} {d[6:]}",
        "3222": f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}",
        "2322": f"{d[:2]} {d[2:5]} {d[5:7]} {d[7:]}",
        "plain": d,
        "dots": f"{d[:3]}.{d[3:6]}.{d[6:]}",
        "dash": f"{d[:3]}-{d[3:6]}-{d[6:]}",
        "3222dots": f"{d[:3]}.{d[3:5]}.{d[5:7]}.{d[7:]}",
    }[style]
    if prefix is None:
        prefix = r.choices(["", "+34 ", "+34", "0034 ", "(+34) ", "+34-"], [55, 20, 7, 8, 8, 2])[0]
    if prefix == "+34" and style != "plain":
        prefix = "+34 "
    return prefix + s


def uk_phone(r: random.Random, mobile: bool | None = None, intl: bool | None = None) -> str:
    """A UK mobile or landline, national or with +44 / 0044."""
    mobile = r.random() < 0.65 if mobile is None else mobile
    intl = r.random() < 0.4 if intl is None else intl
    if mobile:
        nat = "7" + r.choice("3456789") + digits(r, 8)
        a, b = nat[:4], nat[4:]
        if not intl:
            return r.choice([f"0{a} {b}", f"0{a}{b}", f"0{a} {b[:3]} {b[3:]}"])
        return r.choice([f"+44 {a} {b}", f"+44 (0){a} {b}", f"0044 {a} {b}", f"+44{a}{b}"])
    area = r.choice(["20", "113", "161", "131", "117", "121", "141", "29", "114", "151"])
    rest = digits(r, 10 - len(area))
    if len(area) == 2:
        a, b = rest[:4], rest[4:]
    else:
        a, b = rest[:3], rest[3:]
    return f"+44 {area} {a} {b}" if intl else f"0{area} {a} {b}"


US_AREAS = _words("212 718 415 510 303 720 617 312 773 206 512 713 305 404 602 615 614 608 619 919 612 503 702 801 215")


def us_phone(r: random.Random, style: int | None = None) -> str:
    """A US number in one of the usual spellings."""
    a = r.choice(US_AREAS)
    while True:
        ex = r.choice("23456789") + digits(r, 2)
        if ex != "555" and ex[1:] != "11":
            break
    ln = digits(r, 4)
    forms = [
        f"({a}) {ex}-{ln}",
        f"{a}-{ex}-{ln}",
        f"{a}.{ex}.{ln}",
        f"+1 {a} {ex} {ln}",
        f"+1 ({a}) {ex}-{ln}",
        f"1-{a}-{ex}-{ln}",
        f"{a}{ex}{ln}",
        f"+1-{a}-{ex}-{ln}",
    ]
    return forms[style] if style is not None else r.choice(forms)


INTL_PHONES = {
    "FR": "+33 6 ## ## ## ##",
    "DE": "+49 15# ########",
    "IT": "+39 34# ### ####",
    "PT": "+351 91# ### ###",
    "MX": "+52 55 #### ####",
    "AR": "+54 9 11 ####-####",
    "CO": "+57 31# ### ####",
    "RO": "+40 7## ### ###",
    "MA": "+212 6 ## ## ## ##",
    "CN": "+86 13# #### ####",
    "IN": "+91 9#### #####",
    "NG": "+234 80# ### ####",
    "IE": "+353 8# ### ####",
    "NL": "+31 6 ########",
    "BE": "+32 47# ## ## ##",
    "CH": "+41 79 ### ## ##",
    "BR": "+55 11 9####-####",
    "PE": "+51 9## ### ###",
    "EC": "+593 9# ### ####",
    "UA": "+380 67 ### ####",
}


def intl_phone(r: random.Random, cc: str | None = None) -> str:
    """A phone number of another country with a + or 00 prefix."""
    s = fill(r, INTL_PHONES[cc or r.choice(sorted(INTL_PHONES))])
    return "00" + s[1:] if r.random() < 0.25 else s


# -------------------------------------------------------------------------------------- Spanish identifiers

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(r: random.Random, style: str | None = None) -> str:
    """A valid DNI in one of the usual spellings."""
    n = r.randint(1_000_000, 79_999_999)
    s, letter = f"{n:08d}", DNI_LETTERS[n % 23]
    style = (
        style or r.choices(["plain", "dash", "dots", "dotsnd", "space", "groups", "lower"], [40, 14, 14, 6, 8, 6, 8])[0]
    )
    return {
        "plain": f"{s}{letter}",
        "dash": f"{s}-{letter}",
        "dots": f"{s[:2]}.{s[2:5]}.{s[5:]}-{letter}",
        "dotsnd": f"{s[:2]}.{s[2:5]}.{s[5:]}{letter}",
        "space": f"{s} {letter}",
        "groups": f"{s[:2]} {s[2:5]} {s[5:]} {letter}",
        "lower": f"{s}{letter.lower()}",
    }[style]


def nie(r: random.Random, style: str | None = None) -> str:
    """A valid NIE (X/Y/Z + 7 digits + letter) in one of the usual spellings."""
    p = r.choice("XXYYZ")
    body = digits(r, 7)
    letter = DNI_LETTERS[int(str("XYZ".index(p)) + body) % 23]
    style = style or r.choices(["plain", "dashes", "space", "lower", "lowerall", "dashend"], [45, 15, 12, 10, 6, 12])[0]
    return {
        "plain": f"{p}{body}{letter}",
        "dashes": f"{p}-{body}-{letter}",
        "space": f"{p} {body} {letter}",
        "lower": f"{p}{body}{letter.lower()}",
        "lowerall": f"{p.lower()}{body}{letter.lower()}",
        "dashend": f"{p}{body}-{letter}",
    }[style]


def es_id(r: random.Random, style: str | None = None) -> str:
    """A DNI (mostly) or a NIE."""
    return dni(r, style) if r.random() < 0.75 else nie(r)


def nss(r: random.Random, style: str | None = None) -> str:
    """A valid Spanish social security number (province, 8 digits, 2 control digits)."""
    prov, num = r.randint(1, 52), r.randint(10_000_000, 99_999_999)
    p, n, c = f"{prov:02d}", str(num), f"{int(f'{prov:02d}{num}') % 97:02d}"
    style = style or r.choices(["plain", "slash", "dash", "space", "slash2"], [30, 30, 15, 18, 7])[0]
    return {
        "plain": p + n + c,
        "slash": f"{p}/{n}/{c}",
        "dash": f"{p}-{n}-{c}",
        "space": f"{p} {n} {c}",
        "slash2": f"{p}/{n}{c}",
    }[style]


# ------------------------------------------------------------------------------------------- other numbers


def ssn(r: random.Random, style: str | None = None) -> str:
    """A valid-format US social security number."""
    while True:
        area = r.randint(1, 899)
        if area != 666:
            break
    a, g, s = f"{area:03d}", f"{r.randint(1, 99):02d}", f"{r.randint(1, 9999):04d}"
    style = style or r.choices(["dash", "space", "plain"], [65, 20, 15])[0]
    return {"dash": f"{a}-{g}-{s}", "space": f"{a} {g} {s}", "plain": a + g + s}[style]


PASSPORTS = {
    # code: (Spanish name, English name, patterns)
    "ES": ("español", "Spanish", ["LLL######"]),
    "GB": ("británico", "UK", ["#########"]),
    "US": ("estadounidense", "US", ["#########", "L########"]),
    "FR": ("francés", "French", ["##LL#####"]),
    "DE": ("alemán", "German", ["Cxxxxxxx#"]),
    "IT": ("italiano", "Italian", ["LL#######"]),
    "PT": ("portugués", "Portuguese", ["L######"]),
    "MX": ("mexicano", "Mexican", ["L########"]),
    "IN": ("indio", "Indian", ["L#######"]),
    "CN": ("chino", "Chinese", ["E########", "EL#######"]),
    "NG": ("nigeriano", "Nigerian", ["A########"]),
    "RO": ("rumano", "Romanian", ["########"]),
    "MA": ("marroquí", "Moroccan", ["LL#######"]),
    "CA": ("canadiense", "Canadian", ["LL######"]),
    "IE": ("irlandés", "Irish", ["LL#######"]),
    "AR": ("argentino", "Argentine", ["LLL######"]),
    "CO": ("colombiano", "Colombian", ["LL#######"]),
    "BR": ("brasileño", "Brazilian", ["LL######"]),
    "UA": ("ucraniano", "Ukrainian", ["LL######"]),
    "NL": ("neerlandés", "Dutch", ["LLxxxxxx#"]),
}


def passport(r: random.Random, cc: str | None = None) -> str:
    """A passport number in the format of the given (or a random) country."""
    cc = cc or r.choice(sorted(PASSPORTS))
    while True:
        v = fill(r, r.choice(PASSPORTS[cc][2]))
        if v[0] != "0" and any(c.isdigit() for c in v):
            return v


def luhn_ok(num: str) -> bool:
    """True when the digits of num pass the Luhn check."""
    ds = [int(c) for c in num if c.isdigit()][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(ds))
    return total % 10 == 0


def luhn_digit(body: str) -> str:
    """The Luhn check digit to append to body."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError(body)


CARD_KINDS = {
    "visa": (["4"], 16),
    "mc": (["51", "52", "53", "54", "55"], 16),
    "mc2": ([str(x) for x in range(2221, 2721, 37)], 16),
    "amex": (["34", "37"], 15),
    "visa13": (["4"], 13),
    "visa19": (["4"], 19),
    "discover": (["6011", "65"], 16),
}


def group_card(num: str, sep: str) -> str:
    """Group card digits the way they are printed (Amex 4-6-5, others by 4)."""
    if not sep:
        return num
    if len(num) == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i : i + 4] for i in range(0, len(num), 4))


def card(r: random.Random, kind: str | None = None, sep: str | None = None) -> str:
    """A Luhn-valid card number of the given kind, grouped by spaces, dashes or not."""
    kind = kind or r.choices(list(CARD_KINDS), [40, 22, 8, 14, 4, 5, 7])[0]
    prefixes, length = CARD_KINDS[kind]
    body = r.choice(prefixes)
    body += digits(r, length - len(body) - 1)
    num = body + luhn_digit(body)
    sep = r.choices([" ", "", "-"], [55, 30, 15])[0] if sep is None else sep
    return group_card(num, sep)


# --------------------------------------------------------------------------------------------------- IBAN

IBAN_LEN = {"ES": 24, "DE": 22, "FR": 27, "IT": 27, "PT": 25, "GB": 22, "NL": 18, "BE": 16, "IE": 22, "AT": 20}
IBAN_LEN |= {"LU": 20, "CH": 21}


def _es_dc(ten: str) -> str:
    """One control digit of a Spanish bank account (CCC)."""
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    d = 11 - sum(int(c) * w for c, w in zip(ten, weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(d, d))


def _it_cin(s: str) -> str:
    """The Italian CIN letter over ABI + CAB + account."""
    odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
    total = 0
    for i, ch in enumerate(s):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        total += odd[v] if i % 2 == 0 else v
    return chr(65 + total % 26)


def _bban(r: random.Random, cc: str) -> str:
    """A national account number (BBAN) with its national check digits where there are any."""
    if cc == "ES":
        bank = r.choice(["2100", "0049", "0182", "0081", "2038", "0075", "1465", "0128", "3058", "2080", "0487"])
        branch, acc = digits(r, 4), digits(r, 10)
        return bank + branch + _es_dc("00" + bank + branch) + _es_dc(acc) + acc
    if cc == "DE":
        return r.choice(["37040044", "10070000", "50010517", "20041133", "70150000", "12030000"]) + digits(r, 10)
    if cc == "FR":
        bank, desk, acc = r.choice(["30004", "20041", "30003", "10278", "18206", "30002"]), digits(r, 5), digits(r, 11)
        key = 97 - (89 * int(bank) + 15 * int(desk) + 3 * int(acc)) % 97
        return f"{bank}{desk}{acc}{key:02d}"
    if cc == "IT":
        rest = r.choice(["03069", "02008", "05034", "03062", "01030"]) + digits(r, 5) + digits(r, 12)
        return _it_cin(rest) + rest
    if cc == "PT":
        body = r.choice(["0033", "0035", "0007", "0010", "0018", "0036"]) + digits(r, 4) + digits(r, 11)
        return f"{body}{98 - int(body) * 100 % 97:02d}"
    if cc in ("GB", "IE"):
        banks = ["NWBK", "BARC", "LOYD", "HBUK", "MIDL"] if cc == "GB" else ["AIBK", "BOFI", "IPBS", "ULSB"]
        return r.choice(banks) + digits(r, 14)
    if cc == "NL":
        while True:
            acc = digits(r, 10)
            if sum(int(c) * (10 - i) for i, c in enumerate(acc)) % 11 == 0:
                return r.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB"]) + acc
    if cc == "BE":
        first = digits(r, 10)
        return f"{first}{int(first) % 97 or 97:02d}"
    if cc == "CH":
        return digits(r, 17)
    return digits(r, IBAN_LEN[cc] - 4)


def iban_digits(s: str) -> int:
    """The integer that mod-97 is computed on (letters as 10..35)."""
    return int("".join(str(int(ch, 36)) for ch in s))


def iban_check(cc: str, bban: str) -> str:
    """The two IBAN check digits for a country and a BBAN."""
    return f"{98 - iban_digits(bban + cc + '00') % 97:02d}"


def iban_ok(s: str) -> bool:
    """True when s (spaced or not, any case) is an IBAN of the right length with valid check digits."""
    c = re.sub(r"\s", "", s).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", c) or IBAN_LEN.get(c[:2]) != len(c):
        return False
    return iban_digits(c[4:] + c[:4]) % 97 == 1


def fmt_iban(c: str, style: str) -> str:
    """Write a compact IBAN grouped by four, unspaced, or in lower case."""
    grouped = " ".join(c[i : i + 4] for i in range(0, len(c), 4))
    return {"group": grouped, "compact": c, "lower": grouped.lower(), "lowercompact": c.lower()}[style]


def iban(r: random.Random, cc: str | None = None, style: str | None = None) -> str:
    """A valid IBAN of the given (or a random) country."""
    cc = cc or r.choices(list(IBAN_LEN), [40, 9, 8, 7, 7, 8, 6, 5, 5, 2, 1, 2])[0]
    bban = _bban(r, cc)
    c = cc + iban_check(cc, bban) + bban
    style = style or r.choices(["group", "compact", "lower", "lowercompact"], [60, 30, 6, 4])[0]
    return fmt_iban(c, style)


# ---------------------------------------------------------------------------------------------- addresses

ES_GENERIC = _words("""
Mayor de_Alcalá del_Doctor_Fleming de_la_Constitución Real San_Bernardo de_Goya Sierra_de_Cazorla
de_los_Reyes_Católicos Menéndez_Pelayo del_Carmen de_las_Huertas de_Blasco_Ibáñez del_Pintor_Sorolla
de_la_Albufera de_Andalucía Virgen_del_Pilar Conde_de_Peñalver Arzobispo_Mayoral de_Santa_Clara de_Colón
del_Gran_Capitán de_la_Paz de_Cervantes de_la_Libertad de_Extremadura del_Mar de_los_Almendros de_Ramón_y_Cajal
de_Isaac_Peral de_Galicia de_la_Estación del_Sol de_Joaquín_Costa de_Portugal de_Zurbarán del_Doctor_Esquerdo
de_la_Princesa de_Bravo_Murillo de_la_Marina Juan_de_Austria de_Pío_XII de_América de_los_Olivos de_la_Castellana
del_Prado de_Sagasta de_Aragón de_las_Acacias de_San_Vicente_Mártir de_Triana de_la_Florida de_Valencia
""")
ES_TYPES = [
    ("Calle", 22),
    ("C/", 16),
    ("C/.", 3),
    ("Avenida", 8),
    ("Avda.", 7),
    ("Av.", 3),
    ("Paseo", 4),
    ("Pº", 2),
    ("Plaza", 4),
    ("Pza.", 3),
    ("Camino", 2),
    ("Carretera", 2),
    ("Ctra.", 2),
    ("Ronda", 3),
    ("Travesía", 2),
    ("Glorieta", 1),
    ("Carrer", 6),
    ("Rúa", 4),
    ("kalea", 4),
]
ES_SPECIAL = {
    "Camino": _words("de_Ronda Viejo_de_Málaga de_los_Vinateros del_Pozo de_Santiago"),
    "Carretera": _words("de_Burgos de_Castilla de_Valencia de_la_Esclusa de_Cádiz de_Circunvalación"),
    "Ctra.": _words("de_Burgos de_Castilla de_Valencia de_la_Esclusa de_Cádiz de_Circunvalación"),
    "Carrer": _words(
        "de_Mallorca de_Provença del_Consell_de_Cent de_Sants Major_de_Sarrià de_la_Riera_Alta de_Pau_Claris "
        "del_Rosselló de_Verdi Gran_de_Gràcia de_Balmes"
    ),
    "Rúa": _words("do_Vilar Nova de_San_Pedro do_Franco da_Raíña de_Santiago_de_Chile do_Hórreo de_Rosalía_de_Castro"),
    "kalea": _words("Nagusia Urdaneta Zabalbide Autonomia Iturribide Errekalde Foruen Hondarribia"),
}
REGION = {"Carrer": "cat", "Rúa": "gal", "kalea": "eus"}
ES_FLOORS = {
    "es": _words(
        "3º_B 2ª_izq. bajo bajo_A 1º_2ª 4º_dcha. portal_2,_esc._dcha.,_5º_C ático_1ª entlo._2ª 5º-A piso_3,_puerta_7 "
        "esc._B,_2º_D 3º_izda. 1ºD 6º_1ª 2º_centro bloque_4,_1º_A 3.º_C planta_2,_puerta_5 7º_F 2º_izquierda"
    ),
    "cat": _words("3r_2a baixos pral._1a 4t_1a 2n_3a àtic 1r_1a 5è_2a"),
    "gal": _words("2º_esq. baixo 3º_dta. 1º_A 5º_B 4º_izq."),
    "eus": _words("3._eskuina 2._ezkerra 1._A 4._B behea 5._C"),
    "informal": _words("3b 2_izq bajo 1º2ª 4_dcha 5a 3_izda atico 2d 1ºb 4ºc"),
}
# (postcode or 3-digit prefix, town, province, region)
ES_TOWNS = [
    ("280", "Madrid", "Madrid", "es"),
    ("080", "Barcelona", "Barcelona", "cat"),
    ("460", "Valencia", "Valencia", "es"),
    ("410", "Sevilla", "Sevilla", "es"),
    ("480", "Bilbao", "Bizkaia", "eus"),
    ("500", "Zaragoza", "Zaragoza", "es"),
    ("290", "Málaga", "Málaga", "es"),
    ("150", "A Coruña", "A Coruña", "gal"),
    ("362", "Vigo", "Pontevedra", "gal"),
    ("300", "Murcia", "Murcia", "es"),
    ("470", "Valladolid", "Valladolid", "es"),
    ("330", "Oviedo", "Asturias", "es"),
    ("332", "Gijón", "Asturias", "es"),
    ("310", "Pamplona", "Navarra", "es"),
    ("200", "Donostia", "Gipuzkoa", "eus"),
    ("180", "Granada", "Granada", "es"),
    ("030", "Alicante", "Alicante", "es"),
    ("070", "Palma", "Illes Balears", "es"),
    ("350", "Las Palmas de Gran Canaria", "Las Palmas", "es"),
    ("370", "Salamanca", "Salamanca", "es"),
    ("090", "Burgos", "Burgos", "es"),
    ("240", "León", "León", "es"),
    ("110", "Cádiz", "Cádiz", "es"),
    ("140", "Córdoba", "Córdoba", "es"),
    ("260", "Logroño", "La Rioja", "es"),
    ("390", "Santander", "Cantabria", "es"),
    ("450", "Toledo", "Toledo", "es"),
    ("060", "Badajoz", "Badajoz", "es"),
    ("170", "Girona", "Girona", "cat"),
    ("430", "Tarragona", "Tarragona", "cat"),
    ("250", "Lleida", "Lleida", "cat"),
    ("120", "Castellón de la Plana", "Castellón", "es"),
    ("020", "Albacete", "Albacete", "es"),
    ("210", "Huelva", "Huelva", "es"),
    ("040", "Almería", "Almería", "es"),
    ("270", "Lugo", "Lugo", "gal"),
    ("320", "Ourense", "Ourense", "gal"),
    ("010", "Vitoria-Gasteiz", "Álava", "eus"),
    ("380", "Santa Cruz de Tenerife", "Santa Cruz de Tenerife", "es"),
    ("28100", "Alcobendas", "Madrid", "es"),
    ("28901", "Getafe", "Madrid", "es"),
    ("08172", "Sant Cugat del Vallès", "Barcelona", "cat"),
    ("41700", "Dos Hermanas", "Sevilla", "es"),
    ("28850", "Torrejón de Ardoz", "Madrid", "es"),
    ("46980", "Paterna", "Valencia", "es"),
    ("03203", "Elche", "Alicante", "es"),
    ("29601", "Marbella", "Málaga", "es"),
    ("15142", "Arteixo", "A Coruña", "gal"),
    ("48990", "Getxo", "Bizkaia", "eus"),
    ("08901", "L'Hospitalet de Llobregat", "Barcelona", "cat"),
    ("30800", "Lorca", "Murcia", "es"),
    ("11403", "Jerez de la Frontera", "Cádiz", "es"),
    ("15705", "Santiago de Compostela", "A Coruña", "gal"),
    ("20301", "Irun", "Gipuzkoa", "eus"),
    ("33402", "Avilés", "Asturias", "es"),
]


def es_town(r: random.Random, region: str | None = None) -> tuple[str, str, str]:
    """A (postcode, town, province) triple, optionally from one region."""
    towns = [t for t in ES_TOWNS if region in (None, "es", t[3])]
    base, town, prov, _ = r.choice(towns)
    cp = base if len(base) == 5 else base + f"{r.randint(1, 49):02d}"
    return cp, town, prov


def es_street(r: random.Random, informal: bool = False) -> tuple[str, str]:
    """A Spanish street line with number and floor, and its region."""
    kinds, weights = zip(*ES_TYPES, strict=True)
    kind = r.choices(kinds, weights)[0]
    name = r.choice(ES_SPECIAL.get(kind, ES_GENERIC))
    region = REGION.get(kind, "es")
    n = r.randint(1, 180)
    street = f"{name} kalea" if kind == "kalea" else f"{kind} {name}"
    if informal:
        short = {"C/.": "c/", "Avenida": "avda", "Avda.": "avda", "Av.": "av", "Pza.": "plaza", "Pº": "paseo"}
        street = low(f"{short.get(kind, kind)} {name}" if kind != "kalea" else street)
        num = r.choice([f" {n}", f" {n}", f" n {n}", f", {n}"])
        floor = r.choice(ES_FLOORS["informal"] + [""])
        return f"{street}{num}" + (f" {floor}" if floor else ""), region
    num = r.choice([f" {n}", f", {n}", f", nº {n}", f" nº {n}", f" n.º {n}", f", {n}", f" {n}"])
    if r.random() < 0.05:
        num = f" {n}-{n + 2}"
    floor = r.choice(ES_FLOORS[region] + ([""] if r.random() < 0.25 else []))
    sep = r.choice([", ", ", ", " "])
    return street + num + (sep + floor if floor else ""), region


def es_address(r: random.Random, city: bool = True, block: bool = False, informal: bool = False) -> str:
    """A Spanish postal address: street line, optionally with postcode, town and province."""
    line, region = es_street(r, informal)
    if not city:
        return line
    cp, town, prov = es_town(r, region)
    if informal:
        return f"{line}, {low(town)}" if r.random() < 0.6 else f"{line}, {cp} {low(town)}"
    tail = f"{cp} {town}"
    if prov != town and r.random() < 0.35:
        tail += f" ({prov})"
    if block:
        if prov != town and "(" not in tail and r.random() < 0.5:
            return f"{line}\n{tail}\n{prov}"
        return f"{line}\n{tail}"
    sep = r.choice([", ", ", ", " - ", ". "])
    return line + (", " if sep == ". " and line.endswith(".") else sep) + tail


UK_STREETS = _words("""
Harbour_Lane Albert_Road Queen's_Drive Mill_Street Church_Lane Victoria_Terrace Elm_Grove Station_Road Kingsway
Beech_Avenue Marlborough_Crescent Clifton_Gardens Hawthorn_Close Priory_Walk St_Mary's_Road Brunswick_Place
Holly_Mews Chapel_Row Oakfield_Drive Canal_Street Park_View Granby_Row Windsor_Court Tennyson_Way Rowan_Close
Heather_Bank Westgate Ferry_Road Orchard_Rise
""")
UK_TOWNS = [
    ("Leeds", "LS"),
    ("Manchester", "M"),
    ("Bristol", "BS"),
    ("Edinburgh", "EH"),
    ("Glasgow", "G"),
    ("Cardiff", "CF"),
    ("Birmingham", "B"),
    ("Newcastle upon Tyne", "NE"),
    ("Liverpool", "L"),
    ("Oxford", "OX"),
    ("Cambridge", "CB"),
    ("Sheffield", "S"),
    ("Nottingham", "NG"),
    ("Brighton", "BN"),
    ("York", "YO"),
    ("Norwich", "NR"),
    ("Belfast", "BT"),
    ("Exeter", "EX"),
    ("Bath", "BA"),
    ("Aberdeen", "AB"),
    ("London", "SW"),
    ("London", "N"),
    ("London", "E"),
    ("Leicester", "LE"),
]


def uk_postcode(r: random.Random, area: str) -> str:
    """A UK postcode for a postcode area."""
    district = r.randint(1, 40 if len(area) == 1 else 20)
    return f"{area}{district} {r.randint(0, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def uk_address(r: random.Random, block: bool = False, informal: bool = False, town: bool = True) -> str:
    """A UK address: optional flat, number and street, town and postcode."""
    num, street = r.randint(1, 240), r.choice(UK_STREETS)
    flat = r.choice(
        [
            "",
            "",
            "",
            f"Flat {r.randint(1, 12)}, ",
            f"Flat {r.randint(1, 6)}{r.choice('ABCD')}, ",
            f"{r.randint(1, 40)}A ",
        ]
    )
    line = f"{flat}{num} {street}" if not flat.endswith("A ") else f"{num}A {street}"
    if not town:
        return low(line) if informal else line
    tname, area = r.choice(UK_TOWNS)
    pc = uk_postcode(r, area)
    if informal:
        return low(f"{line} {tname} {pc}")
    if block:
        parts = [flat.rstrip(", "), f"{num} {street}"] if flat.startswith("Flat") else [line]
        return "\n".join(parts + [tname, pc])
    return r.choice([f"{line}, {tname} {pc}", f"{line}, {tname}, {pc}", f"{line}, {tname}\n{pc}"])


US_STREETS = _words("""
Elm Maple Oak Cedar Pine Washington Lake Hill Sunset Highland Jefferson Franklin Madison Lincoln Park Willow
Magnolia Cherry Ridge Spring Bayview Fairmount Chestnut Walnut Grand Juniper Aspen
""")
US_SUFFIX = _words("St St. Street Ave Avenue Blvd Rd Road Dr Drive Ln Lane Way Ct Pl Terrace")
US_CITIES = [
    ("Denver", "CO", "802"),
    ("Austin", "TX", "787"),
    ("Portland", "OR", "972"),
    ("Seattle", "WA", "981"),
    ("Boston", "MA", "021"),
    ("Chicago", "IL", "606"),
    ("Brooklyn", "NY", "112"),
    ("Miami", "FL", "331"),
    ("Phoenix", "AZ", "850"),
    ("Nashville", "TN", "372"),
    ("Columbus", "OH", "432"),
    ("Madison", "WI", "537"),
    ("San Diego", "CA", "921"),
    ("Raleigh", "NC", "276"),
    ("Minneapolis", "MN", "554"),
    ("Atlanta", "GA", "303"),
    ("Albuquerque", "NM", "871"),
    ("Boise", "ID", "837"),
    ("Burlington", "VT", "054"),
    ("Ann Arbor", "MI", "481"),
    ("Tucson", "AZ", "857"),
    ("Sacramento", "CA", "958"),
    ("Pittsburgh", "PA", "152"),
]


def us_address(r: random.Random, block: bool = False, informal: bool = False, city: bool = True) -> str:
    """A US address: number, street, optional unit, city, state and ZIP."""
    num = r.randint(10, 9899)
    d = r.choice(["", "", "N ", "S ", "E ", "W ", "NE ", "SW "])
    street = f"{num} {d}{r.choice(US_STREETS)} {r.choice(US_SUFFIX)}"
    unit = r.choice(
        [
            "",
            "",
            f" Apt {r.randint(1, 30)}",
            f", Apt. {r.randint(1, 9)}{r.choice('ABCD')}",
            f" Unit {r.randint(1, 12)}",
            f" #{r.randint(2, 40)}",
            f", Suite {r.randint(100, 450)}",
        ]
    )
    cname, st, z = r.choice(US_CITIES)
    zipc = z + digits(r, 2) + (f"-{digits(r, 4)}" if r.random() < 0.15 else "")
    if not city:
        return street + unit
    if informal:
        return low(f"{street}{unit} {cname} {st} {zipc}")
    if block:
        return f"{street}{unit}\n{cname}, {st} {zipc}"
    return f"{street}{unit}, {cname}, {st} {zipc}"


def world_address(r: random.Random, cc: str | None = None) -> str:
    """An address from France, Germany, Italy, Portugal, the Netherlands, Ireland, Mexico, Argentina or Belgium."""
    cc = cc or r.choice(["FR", "DE", "IT", "PT", "NL", "IE", "MX", "AR", "BE"])
    n = r.randint(1, 160)
    if cc == "FR":
        street = r.choice(
            [
                "rue des Lilas",
                "avenue Jean Jaurès",
                "boulevard Voltaire",
                "rue de la République",
                "rue Sainte-Catherine",
            ]
        )
        cp, town = r.choice(
            [("69003", "Lyon"), ("75011", "Paris"), ("33000", "Bordeaux"), ("31000", "Toulouse"), ("44000", "Nantes")]
        )
        return f"{n} {street}, {cp} {town}"
    if cc == "DE":
        street = r.choice(
            ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Goethestraße", "Kastanienweg", "Schillerplatz"]
        )
        cp, town = r.choice(
            [("10827", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg"), ("70173", "Stuttgart")]
        )
        return f"{street} {n}, {cp} {town}"
    if cc == "IT":
        street = r.choice(["Via Garibaldi", "Via Giuseppe Verdi", "Via dei Mille", "Corso Cavour", "Via Mazzini"])
        cp, town = r.choice(
            [("20121", "Milano"), ("00184", "Roma"), ("40126", "Bologna"), ("10121", "Torino"), ("50122", "Firenze")]
        )
        return f"{street} {n}, {cp} {town}"
    if cc == "PT":
        street = r.choice(["Rua Augusta", "Rua de Santa Catarina", "Avenida da Liberdade", "Rua do Carmo"])
        cp, town = r.choice(
            [("1100-053", "Lisboa"), ("4000-322", "Porto"), ("3000-150", "Coimbra"), ("8000-234", "Faro")]
        )
        return f"{street} {n}, {r.choice(['2º Esq.', '3º Dto.', '1º'])}, {cp} {town}"
    if cc == "NL":
        street = r.choice(["Keizersgracht", "Prinsengracht", "Oudegracht", "Witte de Withstraat"])
        cp, town = r.choice(
            [("1015 CW", "Amsterdam"), ("3011 AD", "Rotterdam"), ("3511 LX", "Utrecht"), ("2513 AA", "Den Haag")]
        )
        return f"{street} {n}, {cp} {town}"
    if cc == "IE":
        street = r.choice(["Abbey Street Lower", "Clanbrassil Street", "Leeson Park", "Rathmines Road Upper"])
        return f"{n} {street}, Dublin {r.randint(1, 8)}, {fill(r, 'D0# L#L#')}"
    if cc == "MX":
        street = r.choice(["Av. Insurgentes Sur", "Calle Durango", "Av. Revolución", "Calle Tonalá"])
        return (
            f"{street} {n}, Int. {r.randint(1, 9)}, Col. {r.choice(['Roma Norte', 'Del Valle', 'Condesa'])}, "
            f"0{r.randint(3000, 6999)} Ciudad de México"
        )
    if cc == "AR":
        return (
            f"Av. Corrientes {r.randint(1000, 5000)}, piso {r.randint(1, 12)} depto. {r.choice('ABCD')}, "
            f"C1{digits(r, 3)} CABA"
        )
    return f"Rue de la Loi {n}, 1040 Bruxelles"


# ------------------------------------------------------------------------------------------- look-alikes


def bad_dni(r: random.Random) -> str:
    """A DNI-shaped number whose letter is wrong."""
    n = r.randint(1_000_000, 79_999_999)
    letter = DNI_LETTERS[(n + r.randint(1, 22)) % 23]
    return r.choice([f"{n:08d}{letter}", f"{n:08d}-{letter}"])


def bad_nie(r: random.Random) -> str:
    """A NIE-shaped value whose letter is wrong."""
    p, body = r.choice("XYZ"), digits(r, 7)
    good = int(str("XYZ".index(p)) + body) % 23
    return f"{p}{body}{DNI_LETTERS[(good + r.randint(1, 22)) % 23]}"


def bad_card(r: random.Random) -> str:
    """A 16-digit card-shaped number that fails the Luhn check."""
    good = card(r, r.choice(["visa", "mc"]), sep="")
    num = good[:-1] + str((int(good[-1]) + r.randint(1, 9)) % 10)
    return group_card(num, r.choice([" ", "", "-"]))


def bad_iban(r: random.Random, cc: str | None = None) -> str:
    """An IBAN-shaped value with wrong check digits."""
    cc = cc or r.choice(["ES", "ES", "DE", "FR", "GB", "IT", "PT"])
    bban = _bban(r, cc)
    good = int(iban_check(cc, bban))
    wrong = (good + r.randint(1, 80)) % 97
    wrong = wrong if wrong >= 2 else wrong + 2
    if wrong == good:
        wrong = good + 1 if good < 98 else good - 1
    return fmt_iban(f"{cc}{wrong:02d}{bban}", r.choice(["group", "compact"]))


def bad_nss(r: random.Random) -> str:
    """An NSS-shaped number with wrong control digits."""
    prov, num = r.randint(1, 52), r.randint(10_000_000, 99_999_999)
    cc = (int(f"{prov:02d}{num}") % 97 + r.randint(1, 90)) % 97
    return r.choice([f"{prov:02d}/{num}/{cc:02d}", f"{prov:02d}{num}{cc:02d}", f"{prov:02d} {num} {cc:02d}"])


def order_no(r: random.Random) -> str:
    """An order number."""
    return fill(
        r,
        r.choice(
            [
                "PED-######",
                "#########",
                "###-#######-#######",
                "2025/######",
                "A#####-LL",
                "ORD-####-####",
                "#LL-######",
            ]
        ),
    )


def invoice_no(r: random.Random) -> str:
    """An invoice number."""
    return fill(r, r.choice(["FAC-2025-#####", "F2025/####", "INV-######", "FV-##-#####", "2025-A-####"]))


def ticket_no(r: random.Random) -> str:
    """A support ticket or incident number."""
    return fill(r, r.choice(["INC00#####", "#######", "TCK-2025-####", "CAS-#####-LLL", "SR#######"]))


def tracking_no(r: random.Random) -> str:
    """A parcel tracking code."""
    return fill(r, r.choice(["1Zxxxxxx##########", "LL#########ES", "JJD00039######", "PQ#LL#####00##", "#####LL####"]))


def flight_no(r: random.Random) -> str:
    """A flight number."""
    return (
        r.choice(["IB", "VY", "UX", "BA", "FR", "U2", "LH", "AF", "KL", "TP", "I2", "V7"])
        + r.choice(["", " "])
        + str(r.randint(100, 8999))
    )


def booking_ref(r: random.Random) -> str:
    """An airline or hotel booking reference."""
    return fill(r, r.choice(["LxLxLx", "LLLxxL", "x#L#LL", "HB-#######"]))


def product_ref(r: random.Random) -> str:
    """A product reference, SKU or model."""
    return fill(r, r.choice(["REF. ####-L", "SKU LL-####-LL", "mod. LL-####", "art. ######", "EAN 84#########"]))


def serial_no(r: random.Random) -> str:
    """A device serial number."""
    return fill(r, r.choice(["S/N #LL####xxxx", "SN: LLLxxx#####", "nº de serie xxxxxxxxxxxx", "serial ##LL####L"]))


def policy_no(r: random.Random) -> str:
    """An insurance policy or case file number."""
    return fill(r, r.choice(["####-######-##", "POL-LL-#######", "###/2025/#####", "EXP-2025-####"]))


def cif(r: random.Random) -> str:
    """A company tax code (CIF), which is not personal."""
    return fill(r, r.choice(["B########", "A########", "B-########"]))


COMPANIES_ES = _words("""
Mercadona El_Corte_Inglés Telefónica Iberdrola Endesa Mapfre Zara Movistar Vodafone Orange Correos SEUR MRW
Leroy_Merlin Decathlon Renfe Iberia Vueling Talleres_Hermanos_Gil_S.L. Reformas_Ortega_e_Hijos
Construcciones_Alba_S.A. Clínica_Dental_Sonrisa Inmobiliaria_Costa_Blanca Asesoría_Norte Fontanería_Muñoz_S.L.
Pescados_Ruiz Farmacia_del_Carmen Autoescuela_Goya Muebles_Castillo
""")
COMPANIES_EN = _words("""
Amazon Tesco Sainsbury's British_Gas Vodafone EE Royal_Mail DPD Hermes Argos John_Lewis Currys Walmart Target
Costco FedEx UPS Verizon Comcast Chase Bank_of_America Harrison_&_Webb_Ltd Fenwick_Legal Brightwater_Homes
Miller_Brothers_Plumbing Kestrel_Analytics Lakeside_Dental Pinecrest_Realty Bluefinch_Foundation
""")


def company_es(r: random.Random) -> str:
    """A Spanish company or brand name (not personal)."""
    return r.choice(COMPANIES_ES)


def company_en(r: random.Random) -> str:
    """An English-speaking company or brand name (not personal)."""
    return r.choice(COMPANIES_EN)


def said(r: random.Random, value: str) -> str:
    """Digits regrouped in twos and threes, as a number is read out on the phone."""
    ds, out = re.sub(r"\D", "", value), []
    while ds:
        k = r.choice([2, 3]) if len(ds) > 3 else len(ds)
        out.append(ds[:k])
        ds = ds[k:]
    return " ".join(out)


def es_said_phone(r: random.Random) -> str:
    """A Spanish mobile dictated in groups."""
    return said(r, es_digits(r, "mobile" if r.random() < 0.8 else "land"))


def phone_any_en(r: random.Random) -> str:
    """A UK or US number, sometimes one of another country."""
    return r.choices([uk_phone, us_phone, intl_phone], [45, 40, 15])[0](r)


def addr_en(r: random.Random, block: bool = False, informal: bool = False) -> str:
    """A UK or US address."""
    return (uk_address if r.random() < 0.55 else us_address)(r, block=block, informal=informal)


# ------------------------------------------------------------------------------------------ message builder


class Msg:
    """Collects the values a template plants, and the look-alikes it uses, while it writes its text."""

    def __init__(self) -> None:
        self.planted: list[tuple[str, str]] = []
        self.fakes: list[tuple[str, str]] = []

    def __call__(self, typ: str, value: str) -> str:
        """Plant value as typ and return it for the text."""
        if (typ, value) not in self.planted:
            self.planted.append((typ, value))
        return value

    def fake(self, typ: str, value: str) -> str:
        """Record a look-alike of typ that must fail that type's check, and return it."""
        self.fakes.append((typ, value))
        return value


Template = Callable[[random.Random, Msg], str]
TEMPLATES: list[tuple[str, int, Template]] = []


def tpl(lang: str, n: int = 2) -> Callable[[Template], Template]:
    """Register a template for a language, to be instantiated n times."""

    def deco(fn: Template) -> Template:
        TEMPLATES.append((lang, n, fn))
        return fn

    return deco


# ----------------------------------------------------------------------------------- Spanish templates: no PII


@tpl("es", 3)
def es0_pedido_retraso(r: random.Random, m: Msg) -> str:
    """Late order, tracking code and price only."""
    return (
        f"Hola, mi pedido {order_no(r)} sigue sin llegar. El seguimiento {tracking_no(r)} pone 'en reparto' desde el "
        f"{date_es(r)}. Pagué {eur(r)} por envío urgente y no es normal. ¿Me decís algo?"
    )


@tpl("es")
def es0_factura(r: random.Random, m: Msg) -> str:
    """Duplicate invoice request for a company."""
    return (
        f"Buenos días:\n\nNecesitamos un duplicado de la factura {invoice_no(r)} por importe de {eur(r)}, emitida a "
        f"{company_es(r)} (CIF {cif(r)}) el {date_es(r)}.\n\nUn saludo,\nDepartamento de Compras"
    )


@tpl("es")
def es0_tienda_calle(r: random.Random, m: Msg) -> str:
    """Shop on a street with no number."""
    street = r.choice(
        ["la calle Mayor", "la calle Real", "la avenida de América", "la plaza del Carmen", "el paseo de Gracia"]
    )
    return (
        f"{greet_es(r)}, ¿la tienda de {street} abre el sábado por la tarde? Quería recoger el {product_ref(r)} "
        f"que reservé, cuesta {eur(r)}."
    )


@tpl("es")
def es0_dni_mal(r: random.Random, m: Msg) -> str:
    """A DNI with the wrong letter that the web form rejects."""
    return (
        f"No me deja registrarme, pongo el DNI {m.fake(NID, bad_dni(r))} y sale 'documento no válido'. "
        f"También he probado con el NIE antiguo {m.fake(NID, bad_nie(r))} y nada. ¿Es un fallo de la web?"
    )


@tpl("es")
def es0_tarjeta_rechazada(r: random.Random, m: Msg) -> str:
    """WhatsApp: a mistyped card that fails Luhn."""
    return (
        f"ola me rechaza la tarjeta {m.fake(CARD, bad_card(r))} al pagar el pedido {order_no(r)}, "
        f"sera q la e escrito mal? son {eur(r)} xfa mirarlo"
    )


@tpl("es")
def es0_iban_erroneo(r: random.Random, m: Msg) -> str:
    """Supplier IBAN with wrong check digits."""
    return (
        f"El IBAN que figura en su factura {invoice_no(r)}, {m.fake(IBAN, bad_iban(r, 'ES'))}, da error de dígito de "
        f"control al ordenar la transferencia de {eur(r)}. Rogamos lo revisen."
    )


@tpl("es")
def es0_nss_mal(r: random.Random, m: Msg) -> str:
    """An NSS with wrong control digits rejected by the online office."""
    return (
        f"Buenas, el número de afiliación que me dieron en la gestoría ({m.fake(NSS, bad_nss(r))}) no lo acepta la "
        "sede electrónica de la Seguridad Social, dice que los dígitos de control no cuadran. Expediente "
        f"{policy_no(r)}."
    )


@tpl("es")
def es0_vuelo(r: random.Random, m: Msg) -> str:
    """Flight change with flight number and booking code."""
    return (
        f"Quiero cambiar el vuelo {flight_no(r)} del {date_es(r)} a las {hour(r)} por el de la tarde. "
        f"Localizador {booking_ref(r)}. ¿Cuánto sería la diferencia? En la app pone {eur(r)}."
    )


@tpl("es")
def es0_cp(r: random.Random, m: Msg) -> str:
    """Delivery question with postcodes alone."""
    cps = [es_town(r)[0] for _ in range(2)]
    return f"¿Hacéis envíos al código postal {cps[0]}? ¿Y al {cps[1]}? El carrito me sale por {eur(r)} con portes."


@tpl("es")
def es0_garantia(r: random.Random, m: Msg) -> str:
    """Warranty question with a serial number."""
    return (
        f"Tengo un portátil de {company_es(r)}, {serial_no(r)}, comprado el {date_es(r)} (ticket {ticket_no(r)}). "
        f"¿Sigue en garantía? La pantalla parpadea."
    )


@tpl("es")
def es0_crm_incidencia(r: random.Random, m: Msg) -> str:
    """CRM note in capitals about a router, no customer data."""
    return caps(
        f"INCIDENCIA {ticket_no(r)} - ROUTER {serial_no(r)} SIN SINCRONISMO DESDE {date_es(r)}. "
        f"SE ABRE AVERÍA, TÉCNICO ASIGNADO FRANJA {hour(r)}. REF. PEDIDO {order_no(r)}."
    )


@tpl("es")
def es0_precio_envio(r: random.Random, m: Msg) -> str:
    """WhatsApp question about shipping prices."""
    return f"cuanto cuesta el envio a canarias?? en la web pone {eur(r)} pero en el carrito {eur(r)}, q es lo bueno"


@tpl("es")
def es0_taller(r: random.Random, m: Msg) -> str:
    """Garage appointment with plate-like reference and times."""
    return (
        f"Confirmo la cita en el taller para el {date_es(r)} a las {hour(r)}. Es para la revisión de los "
        f"{r.randint(30, 120)}.000 km, presupuesto {order_no(r)} de {eur(r)}."
    )


@tpl("es")
def es0_poliza(r: random.Random, m: Msg) -> str:
    """Insurance coverage question with policy number."""
    return (
        f"Consulta sobre la póliza {policy_no(r)} de {r.choice(['Mapfre', 'Mutua', 'Línea Directa', 'Allianz'])}: "
        f"¿cubre la rotura de cristales? La franquicia es de {eur(r)}."
    )


@tpl("es")
def es0_bici(r: random.Random, m: Msg) -> str:
    """Marketplace chat with meeting point without a number."""
    place = r.choice(["la plaza de España", "la estación de Atocha", "el parque del Retiro", "la calle Larios"])
    return f"sigue disponible la bici?? t doy {eur(r)} y la recojo mañana a las {hour(r)} en {place}, te parece"


@tpl("es")
def es0_aduana(r: random.Random, m: Msg) -> str:
    """Parcel held at customs, no personal data."""
    return (
        f"El envío {tracking_no(r)} está retenido en aduanas. Me piden pagar {eur(r)} de IVA de importación, "
        f"DUA {fill(r, '##ES########L#')}. ¿Es correcto? El valor declarado era {eur(r)}."
    )


@tpl("es")
def es0_facturar_empresa(r: random.Random, m: Msg) -> str:
    """Company invoice details only."""
    return (
        f"Por favor, facturad el pedido {order_no(r)} a nombre de {company_es(r)}, CIF {cif(r)}. "
        f"Total {eur(r)}, forma de pago transferencia a 30 días."
    )


@tpl("es")
def es0_voz_pedido(r: random.Random, m: Msg) -> str:
    """Voice transcript of an order number read out."""
    return (
        f"[transcripción] sí eh el número de pedido es el {said(r, digits(r, 9))} vale y el importe eran "
        f"{r.randint(20, 300)} euros con {r.randint(10, 99)} ... no no la factura {invoice_no(r)}"
    )


@tpl("es", 1)
def es0_promo(r: random.Random, m: Msg) -> str:
    """Promotion code and gift card balance."""
    return (
        f"Tengo una tarjeta regalo de {company_es(r)} con código {fill(r, 'GC-xxxx-xxxx-xxxx')} y saldo {eur(r)}. "
        f"¿Se puede usar junto con el cupón {fill(r, 'LLLLL##')}?"
    )


# ------------------------------------------------------------------------------- Spanish templates: with PII


@tpl("es", 3)
def es_chat_entrega(r: random.Random, m: Msg) -> str:
    """Live chat: name, delivery address and mobile."""
    p = mixed_es(r)
    return (
        f"Cliente: Hola, soy {m(NAME, p.full)}. El pedido {order_no(r)} no ha llegado.\n"
        f"Agente: Lo siento. ¿Me confirma la dirección de entrega?\n"
        f"Cliente: {m(ADDRESS, es_address(r))}. Mi móvil es el {m(PHONE, es_phone(r, 'mobile'))}."
    )


@tpl("es", 3)
def es_wa_direccion(r: random.Random, m: Msg) -> str:
    """WhatsApp: lowercase name, informal address, phone."""
    p = mixed_es(r)
    return (
        f"hola q tal soy {m(NAME, low(p.short))}, m podeis cambiar la direccion del pedido {order_no(r)}? "
        f"ahora es {m(ADDRESS, es_address(r, informal=True))} . mi tlf {m(PHONE, es_phone(r, 'mobile', 'plain', ''))} "
        "xfa"
    )


@tpl("es")
def es_email_devolucion(r: random.Random, m: Msg) -> str:
    """Formal refund e-mail with IBAN and signature."""
    p = mixed_es(r)
    return (
        f"Estimados señores:\n\nLes escribo para solicitar la devolución del importe del pedido {order_no(r)} "
        f"({eur(r)}), que devolví el {date_es(r)}. Les ruego lo abonen en la cuenta {m(IBAN, iban(r, 'ES'))}, "
        f"de la que soy titular.\n\nAtentamente,\n\n{m(NAME, p.full)}\nDNI {m(NID, es_id(r))}\n"
        f"Tel. {m(PHONE, es_phone(r))}"
    )


@tpl("es", 3)
def es_form_alta(r: random.Random, m: Msg) -> str:
    """Web form dump with separate fields."""
    p = es_person(r)
    cp, town, prov = es_town(r)
    street, _ = es_street(r)
    return (
        f"Nombre: {m(NAME, p.first)}\nApellidos: {m(NAME, p.last)}\nDNI/NIE: {m(NID, es_id(r))}\n"
        f"Teléfono: {m(PHONE, es_phone(r))}\nEmail: {m(EMAIL, email_any(r, p, 'es'))}\n"
        f"Dirección: {m(ADDRESS, street)}\nCódigo postal: {cp}\nLocalidad: {town}\nProvincia: {prov}\n"
        f"Acepto la política de privacidad: Sí"
    )


@tpl("es", 3)
def es_crm_cobro(r: random.Random, m: Msg) -> str:
    """CRM note in capitals with inverted name and DNI."""
    p = es_person(r)
    return (
        f"CLIENTE {m(NAME, caps(p.inverted))} (DNI {m(NID, dni(r, r.choice(['plain', 'dash'])))}) LLAMA POR COBRO "
        f"DUPLICADO DE {eur(r)} EN FACTURA {invoice_no(r)}. CONTACTO {m(PHONE, es_phone(r, style='plain'))}. "
        f"SE ESCALA A FACTURACIÓN."
    )


@tpl("es", 3)
def es_voz_telefono(r: random.Random, m: Msg) -> str:
    """Voice transcript: name spelled and phone in groups."""
    p = es_person(r)
    return (
        f"[Transcripción llamada] ...sí, a nombre de {m(NAME, low(p.short))}, eh... el teléfono es el "
        f"{m(PHONE, es_said_phone(r))}, sí, ese, y el código postal {es_town(r)[0]}... no, sin más."
    )


@tpl("es")
def es_carta_queja(r: random.Random, m: Msg) -> str:
    """Complaint letter with sender address block."""
    p = mixed_es(r)
    return (
        f"{m(NAME, p.full)}\n{m(ADDRESS, es_address(r, block=True))}\n\n{date_es(r).capitalize()}\n\n"
        f"Asunto: Reclamación expediente {ticket_no(r)}\n\nMuy señores míos:\n\nPor la presente presento reclamación "
        f"formal por la factura {invoice_no(r)} de {eur(r)}, que considero indebida.\n\nFirmado: {m(NAME, p.short)}\n"
        f"NIF: {m(NID, dni(r))}"
    )


@tpl("es", 3)
def es_rrhh_nomina(r: random.Random, m: Msg) -> str:
    """HR payroll data change with NSS and IBAN."""
    p = es_person(r)
    return (
        f"Hola {m(NAME, r.choice(ES_FIRST))}, soy {m(NAME, p.short)} (de "
        f"{r.choice(['almacén', 'contabilidad', 'tienda'])}). "
        f"Para la nómina de {r.choice(MESES)} os paso la cuenta nueva: {m(IBAN, iban(r, 'ES'))}. Mi número de la "
        f"Seguridad Social es {m(NSS, nss(r))} y el DNI {m(NID, dni(r))}. Gracias!"
    )


@tpl("es", 3)
def es_baja_medica(r: random.Random, m: Msg) -> str:
    """Sick leave notice with NSS."""
    p = es_person(r)
    return (
        f"Buenos días, os envío el parte de baja de {m(NAME, p.full)}, NSS {m(NSS, nss(r, 'slash'))}, con fecha "
        f"{date_es(r)}. Cualquier cosa me llamáis al {m(PHONE, es_phone(r, 'mobile'))}."
    )


@tpl("es")
def es_cita_medica(r: random.Random, m: Msg) -> str:
    """Medical appointment with patient and doctor names."""
    p, dr = mixed_es(r), es_person(r)
    return (
        f"Le recordamos su cita con la Dra. {m(NAME, dr.surnames[0])} el {date_es(r)} a las {hour(r)}. Paciente: "
        f"{m(NAME, p.full)}. Confirmación enviada a {m(EMAIL, email_for(r, p))}; para anular responda a este "
        f"mensaje. Centro de Salud {r.choice(['Las Delicias', 'San Blas', 'La Alameda'])}."
    )


@tpl("es", 3)
def es_reserva_vuelo(r: random.Random, m: Msg) -> str:
    """Travel booking with passport number."""
    p = mixed_es(r)
    return (
        f"Reserva {booking_ref(r)} - vuelo {flight_no(r)} {date_es(r)}\nPasajero: {m(NAME, caps(p.full))}\n"
        f"Documento: pasaporte {m(PASSPORT, passport(r, 'ES'))}\nContacto: {m(EMAIL, email_any(r, p, 'es'))} / "
        f"{m(PHONE, es_phone(r))}\nImporte: {eur(r)}"
    )


@tpl("es")
def es_hotel_checkin(r: random.Random, m: Msg) -> str:
    """Hotel check-in message from a foreign guest."""
    p = other_person(r)
    cc = r.choice(["IT", "FR", "DE", "PT", "RO", "MA", "CN", "AR", "CO"])
    return (
        f"Buenas tardes, llegaremos al hotel el {date_es(r)} hacia las {hour(r)}. Para el registro: {m(NAME, p.full)}, "
        f"nacionalidad {PASSPORTS[cc][0]}, nº de pasaporte {m(PASSPORT, passport(r, cc))}. Teléfono "
        f"{m(PHONE, intl_phone(r))}."
    )


@tpl("es", 3)
def es_alquiler_fianza(r: random.Random, m: Msg) -> str:
    """Tenant asking for the deposit back."""
    p = mixed_es(r)
    return (
        f"Hola {m(NAME, es_person(r).given)}, te escribo por la fianza del piso de {m(ADDRESS, es_address(r))}. "
        f"Entregué las llaves el {date_es(r)}. ¿Me la puedes devolver a {m(IBAN, iban(r, 'ES', 'compact'))}? "
        f"Un saludo, {m(NAME, p.given)}"
    )


@tpl("es")
def es_seguro_siniestro(r: random.Random, m: Msg) -> str:
    """Home insurance claim with address and policy number."""
    p = es_person(r)
    return (
        f"Comunico siniestro por daños de agua en la vivienda asegurada, póliza {policy_no(r)}. Tomador: "
        f"{m(NAME, p.full)}, con NIF {m(NID, dni(r, 'dots'))}. Dirección del riesgo: {m(ADDRESS, es_address(r))}. "
        f"Teléfono de contacto para el perito: {m(PHONE, es_phone(r))}, mejor por las tardes."
    )


@tpl("es", 3)
def es_wallapop(r: random.Random, m: Msg) -> str:
    """Marketplace chat arranging a pick-up."""
    p = mixed_es(r)
    return (
        f"vale t la dejo en {eur(r)}. pasate x {m(ADDRESS, es_address(r, city=False, informal=True))} mañana "
        f"a las {hour(r)}, pregunta x {m(NAME, low(p.given))}. mi whatsapp {m(PHONE, es_phone(r, 'mobile'))}"
    )


@tpl("es")
def es_aduana_form(r: random.Random, m: Msg) -> str:
    """Customs declaration form with passport and address."""
    p = other_person(r)
    cc = r.choice(["MX", "AR", "CO", "CN", "IN", "US", "GB"])
    return (
        f"DECLARACIÓN DE ADUANA\nDestinatario: {m(NAME, p.full)}\nPasaporte: {m(PASSPORT, passport(r, cc))}\n"
        f"Domicilio: {m(ADDRESS, es_address(r))}\nTeléfono: {m(PHONE, es_phone(r))}\n"
        f"Contenido: ropa usada, valor {eur(r)}\nNº envío: {tracking_no(r)}"
    )


@tpl("es", 3)
def es_tarjeta_robada(r: random.Random, m: Msg) -> str:
    """Stolen card report with card number and DNI."""
    p = es_person(r)
    return (
        f"Me han robado la cartera. Quiero bloquear la tarjeta {m(CARD, card(r))}. Soy {m(NAME, p.full)}, DNI "
        f"{m(NID, dni(r))}. Podéis llamarme al {m(PHONE, es_phone(r))}. El último cargo bueno fue de {eur(r)}."
    )


@tpl("es")
def es_cargo_no_reconocido(r: random.Random, m: Msg) -> str:
    """Unrecognised card charge and IBAN for the refund."""
    p = es_person(r)
    return (
        f"Buenos días. En mi tarjeta terminada en {digits(r, 4)} (número completo {m(CARD, card(r, sep=''))}) aparece "
        "un "
        f"cargo de {eur(r)} de {company_es(r)} que no reconozco. Solicito la retrocesión a la cuenta "
        f"{m(IBAN, iban(r, 'ES'))}.\n{m(NAME, p.full)}"
    )


@tpl("es")
def es_paro(r: random.Random, m: Msg) -> str:
    """Unemployment benefit query with NSS and DNI."""
    p = es_person(r)
    return (
        f"Hola, solicité la prestación por desempleo el {date_es(r)} y no sé nada. Datos: {m(NAME, p.full)}, "
        f"DNI {m(NID, dni(r))}, nº de afiliación a la Seguridad Social {m(NSS, nss(r, 'plain'))}. "
        f"Expediente {policy_no(r)}."
    )


@tpl("es")
def es_empleada_hogar(r: random.Random, m: Msg) -> str:
    """Domestic worker registration with employer and worker data."""
    emp, w = es_person(r), other_person(r, r.choice(["ro", "ar", "pt"]))
    return (
        f"Quiero dar de alta a mi empleada del hogar, {m(NAME, w.full)}, NIE {m(NID, nie(r))}, con número de "
        f"Seguridad Social {m(NSS, nss(r, 'dash'))}. El domicilio de trabajo es {m(ADDRESS, es_address(r))}. "
        f"Empleador: {m(NAME, emp.full)}, {m(NID, dni(r))}."
    )


@tpl("es")
def es_autonomo(r: random.Random, m: Msg) -> str:
    """Self-employed registration with NSS, DNI and IBAN."""
    p = es_person(r)
    return (
        f"ALTA RETA\nTitular: {m(NAME, p.inverted)}\nNIF: {m(NID, dni(r))}\nNUSS: {m(NSS, nss(r, 'space'))}\n"
        f"Domiciliación cuotas: {m(IBAN, iban(r, 'ES'))}\nActividad: fontanería (IAE 504.2)\nFecha alta: {date_es(r)}"
    )


@tpl("es")
def es_accidente_laboral(r: random.Random, m: Msg) -> str:
    """Work accident report with the worker's NSS far from the keyword."""
    p = es_person(r)
    return (
        f"Parte de accidente. Trabajador: {m(NAME, p.full)}. Empresa: {company_es(r)} (CIF {cif(r)}). Se cae de una "
        f"escalera el {date_es(r)} a las {hour(r)}. Para la mutua necesitan su número de la Seguridad Social; me lo "
        f"ha dictado por teléfono y es el {m(NSS, nss(r))}."
    )


@tpl("es", 1)
def es_pension(r: random.Random, m: Msg) -> str:
    """Pension query with NSS in a slash format."""
    p = es_person(r)
    return (
        f"Mi madre, {m(NAME, p.full)}, cobra la pensión de viudedad y este mes no le ha llegado. Su NSS es "
        f"{m(NSS, nss(r, 'slash2'))}. Yo soy su hija, {m(NAME, es_person(r).full)}, teléfono {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_nie_cita(r: random.Random, m: Msg) -> str:
    """Foreigner asking for an appointment, passport and NIE."""
    p = other_person(r)
    cc = r.choice(["MA", "RO", "CO", "UA", "CN", "IN", "NG", "BR"])
    return (
        f"Hola buenas, necesito cita para renovar la tarjeta de residencia. Me llamo {m(NAME, p.full)}, mi NIE es "
        f"{m(NID, nie(r))} y el pasaporte {m(PASSPORT, passport(r, cc))}. Mi correo {m(EMAIL, email_any(r, p, 'es'))}."
    )


@tpl("es")
def es_wa_cumple(r: random.Random, m: Msg) -> str:
    """Informal chat passing a friend's contact."""
    a, b = es_person(r), es_person(r)
    return (
        f"oye t paso el num de {m(NAME, low(a.given))} para lo del cumple: "
        f"{m(PHONE, es_phone(r, 'mobile', '333', ''))}, "
        f"y el de {m(NAME, low(b.short))} es {m(PHONE, es_phone(r, 'mobile', 'plain', ''))} . q no se t olvide el "
        "regalo!!"
    )


@tpl("es")
def es_email_presupuesto(r: random.Random, m: Msg) -> str:
    """Quote request with company signature."""
    p = es_person(r)
    dom = r.choice(COMPANY_DOMAINS_ES)
    return (
        f"Buenas tardes,\n\nSolicitamos presupuesto para la reforma del local de {m(ADDRESS, es_address(r))}. "
        f"Adjunto planos (ref. {product_ref(r)}).\n\nSaludos cordiales,\n\n{m(NAME, p.full)}\nResponsable de obras\n"
        f"{m(EMAIL, email_for(r, p, [dom]))} | {m(PHONE, es_phone(r, 'land'))}"
    )


@tpl("es", 3)
def es_form_contacto(r: random.Random, m: Msg) -> str:
    """Short contact form with message."""
    p = mixed_es(r)
    return (
        f"Nombre y apellidos: {m(NAME, p.full)}\nCorreo electrónico: {m(EMAIL, email_any(r, p, 'es'))}\n"
        f"Teléfono: {m(PHONE, es_phone(r))}\nMensaje: quería saber si tenéis la talla "
        f"{r.choice(['M', 'L', '42', '38'])} "
        f"del {product_ref(r)} en la tienda de la calle {r.choice(['Mayor', 'Real', 'Ancha', 'Nueva'])}."
    )


@tpl("es")
def es_crm_portabilidad(r: random.Random, m: Msg) -> str:
    """Telecom CRM note about a number port."""
    p = es_person(r)
    return (
        f"PORTABILIDAD SOLICITADA LÍNEA {m(PHONE, es_phone(r, 'mobile', 'plain', ''))} TITULAR "
        f"{m(NAME, caps(p.full))} NIF {m(NID, dni(r, 'plain'))}. DONANTE {caps(company_es(r))}. "
        f"VENTANA {date_es(r)}. ICC {digits(r, 19)}."
    )


@tpl("es")
def es_domiciliacion(r: random.Random, m: Msg) -> str:
    """Direct debit mandate."""
    p = es_person(r)
    return (
        f"ORDEN DE DOMICILIACIÓN SEPA\nReferencia del mandato: {fill(r, 'MND-########')}\nDeudor: {m(NAME, p.full)}\n"
        f"Dirección: {m(ADDRESS, es_address(r, block=True))}\nIBAN: {m(IBAN, iban(r))}\nFirma y fecha: {date_es(r)}"
    )


@tpl("es")
def es_gimnasio(r: random.Random, m: Msg) -> str:
    """Gym membership cancellation."""
    p = es_person(r)
    return (
        f"Quiero darme de baja del gimnasio a partir del mes que viene. Socio nº {digits(r, 5)}, {m(NAME, p.full)}, "
        f"DNI {m(NID, dni(r, 'lower'))}. No me paséis más recibos a la cuenta {m(IBAN, iban(r, 'ES', 'group'))}."
    )


@tpl("es")
def es_voz_dni(r: random.Random, m: Msg) -> str:
    """Voice transcript with DNI dictated in groups."""
    p = es_person(r)
    return (
        f"AGENTE: ¿me dice su DNI? CLIENTE: sí, {m(NID, dni(r, 'groups'))} AGENTE: ¿y el nombre del titular? "
        f"CLIENTE: {m(NAME, p.full)} AGENTE: perfecto, ya lo veo, la factura de {eur(r)}..."
    )


@tpl("es")
def es_reparto_instrucciones(r: random.Random, m: Msg) -> str:
    """Delivery instructions with address and neighbour."""
    p, n = es_person(r), es_person(r)
    return (
        f"Instrucciones de entrega: {m(ADDRESS, es_address(r))}. Si no estoy, dejadlo a la vecina del 1º, "
        f"{m(NAME, n.short)}. Llamar antes al {m(PHONE, es_phone(r, 'mobile'))} ({m(NAME, p.given)})."
    )


@tpl("es")
def es_banco_transferencia(r: random.Random, m: Msg) -> str:
    """Bank transfer confirmation between two people."""
    a, b = es_person(r), mixed_es(r)
    return (
        f"Transferencia emitida\nOrdenante: {m(NAME, caps(a.full))}\nCuenta de cargo: {m(IBAN, iban(r, 'ES'))}\n"
        f"Beneficiario: {m(NAME, caps(b.full))}\nCuenta de abono: {m(IBAN, iban(r))}\nImporte: {eur(r)}\n"
        f"Concepto: alquiler {r.choice(MESES)}"
    )


@tpl("es")
def es_colegio(r: random.Random, m: Msg) -> str:
    """School message from a parent."""
    kid, par = es_person(r), es_person(r)
    return (
        f"Buenos días, soy {m(NAME, par.full)}, madre de {m(NAME, kid.given)} (3ºB). Mañana le recoge su abuelo, "
        f"{m(NAME, es_person(r).full)}. Cualquier cosa, mi móvil {m(PHONE, es_phone(r, 'mobile'))}."
    )


@tpl("es")
def es_alquiler_contrato(r: random.Random, m: Msg) -> str:
    """Lease contract header with landlord and tenant."""
    a, b = es_person(r), mixed_es(r)
    return (
        f"CONTRATO DE ARRENDAMIENTO DE VIVIENDA\n\nDe una parte, D. {m(NAME, a.full)}, con DNI "
        f"{m(NID, dni(r, 'dots'))}, "
        f"en calidad de arrendador. De otra, Dña. {m(NAME, b.full)}, con NIE {m(NID, nie(r))}, como arrendataria.\n\n"
        f"Objeto: vivienda sita en {m(ADDRESS, es_address(r))}. Renta mensual: {eur(r)}."
    )


@tpl("es")
def es_mutua_reembolso(r: random.Random, m: Msg) -> str:
    """Health insurance refund request."""
    p = es_person(r)
    return (
        f"Solicito reembolso de la factura {invoice_no(r)} del fisioterapeuta ({eur(r)}). Asegurado: "
        f"{m(NAME, p.full)}, "
        f"póliza {policy_no(r)}. Cuenta: {m(IBAN, iban(r, 'ES', 'compact'))}. Email: {m(EMAIL, email_any(r, p, 'es'))}"
    )


@tpl("es")
def es_extranjero_banco(r: random.Random, m: Msg) -> str:
    """Non-resident opening a bank account."""
    fam = r.choice(["de", "fr", "it", "pt"])
    p, cc = other_person(r, fam), {"de": "DE", "fr": "FR", "it": "IT", "pt": "PT"}
    return (
        f"Buenos días, soy {m(NAME, p.full)}, ciudadano {PASSPORTS[cc[fam]][0]} con residencia en "
        f"{m(ADDRESS, world_address(r, cc[fam]))}. Quisiera abrir una cuenta de no residente. Mi pasaporte es el "
        f"{m(PASSPORT, passport(r, cc[fam]))}. Mi cuenta actual: {m(IBAN, iban(r, cc[fam]))}."
    )


@tpl("es")
def es_queja_vecino(r: random.Random, m: Msg) -> str:
    """Complaint to the homeowners' association about a neighbour."""
    p, v = es_person(r), es_person(r)
    return (
        f"Al administrador de la comunidad: el vecino del 4ºB, el Sr. {m(NAME, v.surnames[0])}, sigue con "
        f"obras los domingos. Ruego lo traten en la junta del {date_es(r)}. {m(NAME, p.full)}, propietaria del 3ºA."
    )


@tpl("es")
def es_wa_recoger(r: random.Random, m: Msg) -> str:
    """WhatsApp about picking someone up."""
    p = es_person(r)
    return (
        f"stoy en la puerta, {m(ADDRESS, es_address(r, city=False, informal=True))}, el portal verde. "
        f"si no m ves llama al {m(PHONE, es_phone(r, 'mobile', r.choice(['plain', '333'])))} q soy "
        f"{m(NAME, low(p.given))}"
    )


@tpl("es")
def es_viaje_grupo(r: random.Random, m: Msg) -> str:
    """Group travel booking with several passengers and passports."""
    ps = [mixed_es(r) for _ in range(r.randint(2, 3))]
    lines = "\n".join(
        f"{i}. {m(NAME, q.full)} - pasaporte {m(PASSPORT, passport(r, r.choice(['ES', 'ES', 'PT', 'FR', 'IT'])))}"
        for i, q in enumerate(ps, 1)
    )
    return (
        f"Hola, os paso los datos de los viajeros para el circuito del {date_es(r)} (reserva {booking_ref(r)}):\n"
        f"{lines}\nPago con la tarjeta {m(CARD, card(r))}."
    )


@tpl("es")
def es_perdida_pasaporte(r: random.Random, m: Msg) -> str:
    """Lost passport report at the consulate."""
    p = mixed_es(r)
    return (
        f"He perdido el pasaporte en el aeropuerto. Datos: {m(NAME, p.full)}, documento de viaje "
        f"{m(PASSPORT, passport(r, 'ES'))}, DNI {m(NID, dni(r))}. Vuelo {flight_no(r)}. Estoy localizable en "
        f"{m(PHONE, '+34 ' + es_phone(r, 'mobile', '333', ''))}."
    )


@tpl("es")
def es_factura_luz(r: random.Random, m: Msg) -> str:
    """Utility contract change of holder."""
    a, b = es_person(r), es_person(r)
    return (
        f"Solicito el cambio de titular del contrato de luz (CUPS ES{digits(r, 16)}{fill(r, 'LL')}) de "
        f"{m(NAME, a.full)} a {m(NAME, b.full)}, NIF {m(NID, dni(r))}, en el suministro de "
        f"{m(ADDRESS, es_address(r))}. "
        f"Nueva cuenta: {m(IBAN, iban(r, 'ES'))}."
    )


@tpl("es")
def es_taxi_recogida(r: random.Random, m: Msg) -> str:
    """Taxi pick-up request."""
    p = es_person(r)
    return (
        f"Necesito un taxi para mañana a las {hour(r)} en {m(ADDRESS, es_address(r))}, para ir al aeropuerto (vuelo "
        f"{flight_no(r)}). A nombre de {m(NAME, p.short)}, tlf {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_crm_fraude(r: random.Random, m: Msg) -> str:
    """Fraud team note with several values in capitals."""
    p = es_person(r)
    return (
        f"ALERTA FRAUDE - OPERACIÓN {ticket_no(r)}. TARJETA {m(CARD, card(r, sep=''))} BLOQUEADA. TITULAR "
        f"{m(NAME, caps(p.inverted))}. EMAIL ASOCIADO {m(EMAIL, email_any(r, p, 'es').upper())}. IMPORTE {eur(r)}."
    )


@tpl("es")
def es_medico_privado(r: random.Random, m: Msg) -> str:
    """Private clinic form with NSS and card."""
    p = es_person(r)
    return (
        f"Ficha de paciente\nNombre: {m(NAME, p.full)}\nFecha de nacimiento: "
        f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/19{r.randint(50, 99)}\n"
        f"Nº Seguridad Social: {m(NSS, nss(r))}\nTeléfono: {m(PHONE, es_phone(r))}\nPago: tarjeta {m(CARD, card(r))}"
    )


@tpl("es")
def es_pedido_regalo(r: random.Random, m: Msg) -> str:
    """Gift order for someone else."""
    p, q = mixed_es(r), mixed_es(r)
    return (
        f"Es un regalo, enviadlo a nombre de {m(NAME, q.full)} a {m(ADDRESS, es_address(r))}, pero la factura a mi "
        f"nombre ({m(NAME, p.full)}, {m(EMAIL, email_any(r, p, 'es'))}). Pedido {order_no(r)}."
    )


@tpl("es")
def es_wa_iban_amigo(r: random.Random, m: Msg) -> str:
    """Friends splitting costs by transfer."""
    p = es_person(r)
    return (
        f"ya stan las entradas, son {eur(r)} cada uno. hacedme bizum al {m(PHONE, es_phone(r, 'mobile', 'plain', ''))} "
        f"o transferencia a {m(IBAN, iban(r, 'ES', r.choice(['lower', 'lowercompact'])))} (titular "
        f"{m(NAME, low(p.full))})"
    )


@tpl("es")
def es_carta_banco(r: random.Random, m: Msg) -> str:
    """Letter to the bank cancelling a card."""
    p = es_person(r)
    return (
        f"{m(NAME, p.full)}\n{m(ADDRESS, es_address(r, block=True))}\n\nA la atención de {company_es(r)}, oficina "
        f"{digits(r, 4)}\n\nPor la presente solicito la cancelación de la tarjeta de crédito nº {m(CARD, card(r))} "
        f"y de la cuenta asociada {m(IBAN, iban(r, 'ES'))}.\n\nEn {es_town(r)[1]}, a {date_es(r)}."
    )


@tpl("es")
def es_inmobiliaria(r: random.Random, m: Msg) -> str:
    """Real-estate visit request."""
    p = mixed_es(r)
    return (
        f"Me interesa el piso de la calle {r.choice(['del Sol', 'de Goya', 'Mayor'])} (ref. {product_ref(r)}). ¿Podría "
        f"visitarlo el {date_es(r)}? Soy {m(NAME, p.full)}, {m(PHONE, es_phone(r))}, {m(EMAIL, email_any(r, p, 'es'))}."
    )


@tpl("es")
def es_seguro_coche(r: random.Random, m: Msg) -> str:
    """Car insurance claim with two drivers."""
    a, b = es_person(r), es_person(r)
    return (
        f"Parte amistoso: vehículo A conducido por {m(NAME, a.full)} (DNI {m(NID, dni(r))}), vehículo B por "
        f"{m(NAME, b.full)} (DNI {m(NID, dni(r))}). Accidente el {date_es(r)} en la rotonda de la avenida de "
        f"{r.choice(['Europa', 'la Paz', 'Andalucía'])}. Póliza {policy_no(r)}."
    )


@tpl("es")
def es_oposicion(r: random.Random, m: Msg) -> str:
    """Exam registration data in capitals."""
    p = es_person(r)
    return (
        f"{m(NAME, caps(p.inverted))}\nDNI: {m(NID, dni(r, 'dash'))}\nDOMICILIO: {m(ADDRESS, caps(es_address(r)))}\n"
        f"TELÉFONO: {m(PHONE, es_phone(r, style='plain'))}\nTASA ABONADA: {eur(r)} (JUSTIFICANTE {digits(r, 13)})"
    )


@tpl("es")
def es_paqueteria_eu(r: random.Random, m: Msg) -> str:
    """Parcel to another EU country with foreign address."""
    p = other_person(r, r.choice(["fr", "de", "it", "pt"]))
    return (
        f"Envío internacional {tracking_no(r)}. Destinatario: {m(NAME, p.full)}, {m(ADDRESS, world_address(r))}. "
        f"Tel. destinatario {m(PHONE, intl_phone(r))}. Remitente: tienda online, {eur(r)}."
    )


@tpl("es")
def es_sms_codigo(r: random.Random, m: Msg) -> str:
    """Customer saying they did not receive the SMS."""
    p = es_person(r)
    return (
        f"No me llega el SMS con el código. Mi número es {m(PHONE, es_phone(r, 'mobile', 'plain', '+34'))} y el "
        f"usuario {m(EMAIL, email_any(r, p, 'es'))}. Ya lo he intentado {r.randint(3, 6)} veces."
    )


@tpl("es")
def es_rrhh_contrato(r: random.Random, m: Msg) -> str:
    """New hire data sent to the payroll firm."""
    p = mixed_es(r)
    return (
        f"Hola, os paso los datos de la nueva incorporación:\n- {m(NAME, p.full)}\n- DNI/NIE: {m(NID, es_id(r))}\n"
        f"- Nº afiliación SS: {m(NSS, nss(r, 'slash'))}\n- Cuenta nómina: {m(IBAN, iban(r, 'ES'))}\n"
        f"- Domicilio: {m(ADDRESS, es_address(r))}\nEmpieza el {date_es(r)}, jornada completa."
    )


@tpl("es")
def es_voz_nss(r: random.Random, m: Msg) -> str:
    """Voice transcript with the social security number read out."""
    p = es_person(r)
    v = nss(r, "plain")
    spoken = f"{v[:2]} {v[2:6]} {v[6:10]} {v[10:]}"
    return (
        f"(llamada) OPERADORA: dígame el número de la seguridad social. USUARIO: a ver... {m(NSS, spoken)}. "
        f"OPERADORA: ¿a nombre de? USUARIO: {m(NAME, p.full)}."
    )


@tpl("es")
def es_tarjeta_sanitaria(r: random.Random, m: Msg) -> str:
    """Health card request with NSS and address."""
    p = es_person(r)
    return (
        f"Para la tarjeta sanitaria de mi hijo {m(NAME, p.given)} necesito saber si vale con mi número de afiliación. "
        f"El mío es {m(NSS, nss(r))}. Vivimos en {m(ADDRESS, es_address(r))}. Gracias. {m(NAME, es_person(r).full)}"
    )


@tpl("es")
def es_devolucion_amazon(r: random.Random, m: Msg) -> str:
    """Return pick-up address with instructions."""
    p = mixed_es(r)
    return (
        f"Devolución del artículo {product_ref(r)} (pedido {order_no(r)}). Recogida en: {m(ADDRESS, es_address(r))}. "
        f"Horario de {hour(r)} a {hour(r)}. Persona de contacto: {m(NAME, p.short)} - {m(PHONE, es_phone(r))}"
    )


@tpl("es")
def es_erasmus(r: random.Random, m: Msg) -> str:
    """Erasmus student with a university e-mail and foreign passport."""
    fam = r.choice(["it", "de", "fr", "pt", "ro"])
    p, cc = other_person(r, fam), {"it": "IT", "de": "DE", "fr": "FR", "pt": "PT", "ro": "RO"}
    return (
        f"Hola! Soy {m(NAME, p.full)}, estudiante Erasmus. Para la matrícula me piden el pasaporte: "
        f"{m(PASSPORT, passport(r, cc[fam]))}. Mi email de la uni es "
        f"{m(EMAIL, email_for(r, p, ['alumnos.uni-sevilla.es', 'estudiante.ucm.es', 'correo.ugr.es']))}."
    )


@tpl("es")
def es_crm_visita(r: random.Random, m: Msg) -> str:
    """Technician visit note."""
    p = es_person(r)
    return (
        f"VISITA TÉCNICA {date_es(r)} {hour(r)} - {m(ADDRESS, caps(es_address(r, city=False)))} - "
        f"CLIENTE {m(NAME, caps(p.short))} - TLF {m(PHONE, es_phone(r, 'land'))} / {m(PHONE, es_phone(r, 'mobile'))}. "
        f"AVERÍA CALDERA {serial_no(r)}."
    )


@tpl("es")
def es_compraventa_coche(r: random.Random, m: Msg) -> str:
    """Private car sale with buyer and seller data."""
    a, b = es_person(r), es_person(r)
    return (
        f"Contrato de compraventa de vehículo con matrícula {fill(r, '####LLL')}. Vendedor: {m(NAME, a.full)}, DNI "
        f"{m(NID, dni(r))}. Comprador: {m(NAME, b.full)}, DNI {m(NID, dni(r))}, con domicilio en "
        f"{m(ADDRESS, es_address(r))}. Precio: {eur(r)}, pagado por transferencia a {m(IBAN, iban(r, 'ES'))}."
    )


@tpl("es")
def es_suscripcion(r: random.Random, m: Msg) -> str:
    """Newsletter unsubscribe with plus-tag e-mail."""
    p = es_person(r)
    return (
        "Por favor, dadme de baja de la newsletter. Sigo recibiendo correos en "
        f"{m(EMAIL, email_for(r, p, DOMAINS_ES, True))} "
        f"aunque lo pedí el {date_es(r)}."
    )


@tpl("es")
def es_expat_ssn(r: random.Random, m: Msg) -> str:
    """US citizen in Spain giving SSN and NIE to a tax adviser."""
    p = en_person(r)
    return (
        f"Hola, soy {m(NAME, p.full)}, estadounidense residente en {es_town(r)[1]}. Para la declaración doble os paso "
        f"mi NIE {m(NID, nie(r))} y mi SSN de Estados Unidos, {m(SSN, ssn(r, 'dash'))}. Mi teléfono: "
        f"{m(PHONE, es_phone(r, 'mobile'))}."
    )


@tpl("es", 1)
def es_gestoria_ssn(r: random.Random, m: Msg) -> str:
    """Tax adviser note mentioning a US social security number."""
    p = en_person(r, 0.5)
    return (
        f"Nota gestoría: el cliente {m(NAME, caps(p.full))} (NIE {m(NID, nie(r, 'plain'))}) aporta número de la "
        f"seguridad social de EE. UU. {m(SSN, ssn(r, 'plain'))} para el convenio de doble imposición. Pendiente W-8BEN."
    )


@tpl("es")
def es_carta_despido(r: random.Random, m: Msg) -> str:
    """Dismissal letter with worker data."""
    p = es_person(r)
    return (
        f"{company_es(r)}\n\n{m(NAME, p.full)}\n{m(ADDRESS, es_address(r, block=True))}\n\nMuy Sr./Sra. nuestro/a:\n\n"
        f"Le comunicamos la extinción de su contrato con efectos del {date_es(r)}. Su liquidación ({eur(r)}) se "
        "abonará "
        f"en la cuenta {m(IBAN, iban(r, 'ES'))}. NSS del trabajador: {m(NSS, nss(r, 'dash'))}."
    )


@tpl("es")
def es_wa_piso_compartido(r: random.Random, m: Msg) -> str:
    """Shared flat chat about a new flatmate."""
    p = mixed_es(r)
    return (
        f"chicos la nueva compi se llama {m(NAME, low(p.full))}, entra el dia 1. el casero quiere su dni "
        f"{m(NID, es_id(r, 'lower') if r.random() < 0.5 else nie(r, 'lowerall'))} para el contrato. su movil "
        f"{m(PHONE, es_phone(r, 'mobile', 'plain', ''))}"
    )


@tpl("es")
def es_reclamacion_aerolinea(r: random.Random, m: Msg) -> str:
    """Airline complaint for lost luggage."""
    p = mixed_es(r)
    return (
        f"Reclamación por equipaje extraviado. Vuelo {flight_no(r)} del {date_es(r)}, etiqueta {fill(r, 'LL######')}. "
        f"Pasajera: {m(NAME, p.full)}, pasaporte nº {m(PASSPORT, passport(r))}. Entregar la maleta en "
        f"{m(ADDRESS, es_address(r))}. Contacto: {m(EMAIL, email_any(r, p, 'es'))}."
    )


@tpl("es")
def es_visado(r: random.Random, m: Msg) -> str:
    """Visa application data block."""
    p = other_person(r, r.choice(["zh", "in", "ng", "ar"]))
    cc = r.choice(["CN", "IN", "NG", "MA"])
    return (
        f"SOLICITUD DE VISADO\nApellidos, nombre: {m(NAME, p.inverted)}\nNacionalidad: {PASSPORTS[cc][0]}\n"
        f"Documento de viaje nº: {m(PASSPORT, passport(r, cc))}\nDomicilio en España: {m(ADDRESS, es_address(r))}\n"
        f"Teléfono: {m(PHONE, intl_phone(r))}\nCorreo: {m(EMAIL, email_for(r, p, DOMAINS_INTL))}"
    )


@tpl("es")
def es_dentista(r: random.Random, m: Msg) -> str:
    """Dental clinic appointment change."""
    p = es_person(r)
    return (
        f"Hola, soy {m(NAME, p.given)}, paciente del Dr. {m(NAME, es_person(r).surnames[0])}. ¿Podéis pasar mi cita "
        f"del {date_es(r)} a otro día? Mejor por la tarde. Mi tlf es {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_mudanza(r: random.Random, m: Msg) -> str:
    """Moving company quote with two addresses."""
    p = es_person(r)
    return (
        f"Presupuesto de mudanza para el {date_es(r)}.\nOrigen: {m(ADDRESS, es_address(r))}\n"
        f"Destino: {m(ADDRESS, es_address(r))}\nContacto: {m(NAME, p.full)} ({m(PHONE, es_phone(r))})\n"
        f"Volumen aproximado: {r.randint(15, 60)} m3"
    )


@tpl("es")
def es_ayuntamiento(r: random.Random, m: Msg) -> str:
    """Town hall registration request."""
    p = mixed_es(r)
    return (
        f"Solicito certificado de empadronamiento. Nombre: {m(NAME, p.full)}. Documento: {m(NID, es_id(r))}. "
        f"Domicilio: {m(ADDRESS, es_address(r))}. Notificaciones a {m(EMAIL, email_any(r, p, 'es'))}."
    )


@tpl("es")
def es_crm_baja_linea(r: random.Random, m: Msg) -> str:
    """Line cancellation note with IBAN for the last bill."""
    p = es_person(r)
    return (
        f"BAJA SERVICIO FIBRA. TITULAR: {m(NAME, caps(p.full))}. DOMICILIO INSTALACIÓN: "
        f"{m(ADDRESS, caps(es_address(r)))}. ÚLTIMA FACTURA A {m(IBAN, iban(r, 'ES', 'compact'))}. "
        f"DEVOLVER ROUTER {serial_no(r)}."
    )


@tpl("es")
def es_seguro_vida(r: random.Random, m: Msg) -> str:
    """Life insurance beneficiaries list."""
    t, b1, b2 = es_person(r), es_person(r), es_person(r)
    return (
        f"Tomador: {m(NAME, t.full)} ({m(NID, dni(r))}).\nBeneficiarios: {m(NAME, b1.full)}, {m(NID, dni(r))}, 50 %; "
        f"{m(NAME, b2.full)}, {m(NID, dni(r))}, 50 %.\nCapital asegurado: {eur(r)}. Póliza {policy_no(r)}."
    )


@tpl("es", 1)
def es_reserva_restaurante(r: random.Random, m: Msg) -> str:
    """Restaurant booking chat."""
    p = es_person(r)
    return (
        f"Hola! Mesa para {r.randint(2, 8)} el sábado a las {hour(r)}, a nombre de {m(NAME, p.short)}. "
        f"Si hay algún problema, {m(PHONE, es_phone(r, 'mobile'))}. Gracias!"
    )


@tpl("es")
def es_cita_previa_extranjeria(r: random.Random, m: Msg) -> str:
    """Immigration appointment with passport and address in Catalonia or Galicia."""
    p = other_person(r, r.choice(["ar", "ro", "ng", "zh"]))
    cc = r.choice(["MA", "RO", "NG", "CN", "UA", "CO"])
    return (
        f"Cita previa: huellas TIE. Interesado: {m(NAME, p.full)}, pasaporte {m(PASSPORT, passport(r, cc))}, NIE "
        f"{m(NID, nie(r))}. Domicilio: {m(ADDRESS, es_address(r))}. Fecha: {date_es(r)} {hour(r)}."
    )


@tpl("es")
def es_compra_tarjeta(r: random.Random, m: Msg) -> str:
    """Phone order paid by card, with expiry date as a look-alike."""
    p = es_person(r)
    return (
        f"Para el pedido por teléfono: tarjeta {m(CARD, card(r, r.choice(['visa', 'mc'])))}, caduca "
        f"{r.randint(1, 12):02d}/{r.randint(26, 31)}, titular {m(NAME, caps(p.full))}. Envío a "
        f"{m(ADDRESS, es_address(r))}."
    )


@tpl("es")
def es_wa_dinero(r: random.Random, m: Msg) -> str:
    """Chat asking a relative for an account number."""
    p = es_person(r)
    return (
        f"mama pasame el numero de cuenta q t hago la transferencia de lo del viaje. vale hijo es "
        f"{m(IBAN, iban(r, 'ES', r.choice(['group', 'lowercompact'])))} a nombre de {m(NAME, low(p.full))}"
    )


@tpl("es")
def es_formulario_beca(r: random.Random, m: Msg) -> str:
    """Scholarship form with two parents."""
    s, f1, f2 = es_person(r), es_person(r), es_person(r)
    return (
        f"SOLICITANTE: {m(NAME, s.full)} - NIF {m(NID, dni(r))}\nPROGENITOR 1: {m(NAME, f1.full)} - NIF "
        f"{m(NID, dni(r))}\n"
        f"PROGENITOR 2: {m(NAME, f2.full)} - NIF {m(NID, dni(r))}\nDOMICILIO FAMILIAR: {m(ADDRESS, es_address(r))}\n"
        f"CUENTA PARA EL PAGO: {m(IBAN, iban(r, 'ES'))}"
    )


@tpl("es")
def es_queja_ruido(r: random.Random, m: Msg) -> str:
    """Noise complaint to the police by e-mail."""
    p = es_person(r)
    return (
        f"Buenas noches. Llevo tres fines de semana sin dormir por la música del bar de la calle "
        f"{r.choice(['Sagasta', 'Mayor', 'del Carmen'])}, sin número visible. Vivo justo enfrente, en "
        f"{m(ADDRESS, es_address(r, city=False))}. {m(NAME, p.full)}, {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_nss_distancia(r: random.Random, m: Msg) -> str:
    """NSS far from its keyword after other details."""
    p = es_person(r)
    return (
        f"Te mando lo que me pediste para el alta en la Seguridad Social: nombre {m(NAME, p.full)}, nacido el "
        f"{date_es(r)} de 19{r.randint(60, 99)}, con domicilio en {m(ADDRESS, es_address(r))}, y el número (el que "
        f"viene en la tarjeta verde) {m(NSS, nss(r))}."
    )


@tpl("es")
def es_ticket_soporte(r: random.Random, m: Msg) -> str:
    """Support ticket body from an app user."""
    p = mixed_es(r)
    return (
        f"Ticket {ticket_no(r)}\nDe: {m(EMAIL, email_any(r, p, 'es'))}\nAsunto: no puedo iniciar sesión\n\n"
        f"Hola, me sale error {r.randint(400, 503)} al entrar. Usuario registrado con el móvil "
        f"{m(PHONE, es_phone(r, 'mobile', prefix='+34 '))}.\n-- \n{m(NAME, p.full)}"
    )


@tpl("es")
def es_comunion(r: random.Random, m: Msg) -> str:
    """Event catering order with people listed."""
    a, b = es_person(r), es_person(r)
    return (
        f"Encargo para la comunión del {date_es(r)}: {r.randint(30, 90)} menús de {eur(r)}. Responsables: "
        f"{m(NAME, a.full)} y {m(NAME, b.full)}. Entrega en {m(ADDRESS, es_address(r))}, a las {hour(r)}."
    )


@tpl("es")
def es_iban_extranjero(r: random.Random, m: Msg) -> str:
    """Refund to a foreign bank account."""
    p = other_person(r)
    cc = r.choice(["DE", "FR", "IT", "PT", "NL", "BE", "IE", "GB"])
    return (
        f"Vivo fuera de España, ¿podéis hacer el reembolso a mi cuenta de aquí? IBAN {m(IBAN, iban(r, cc))}, "
        f"titular {m(NAME, p.full)}. Pedido {order_no(r)}, {eur(r)}."
    )


@tpl("es")
def es_whatsapp_negocio(r: random.Random, m: Msg) -> str:
    """WhatsApp to a small business with address for a repair."""
    p = es_person(r)
    return (
        f"buenas! soy {m(NAME, low(p.given))}, la del portatil q no enciende. m lo podeis recoger en "
        f"{m(ADDRESS, es_address(r, informal=True))}?? stoy de 4 a 8. tlf {m(PHONE, es_phone(r, 'mobile', '3222', ''))}"
    )


@tpl("es")
def es_email_proveedor(r: random.Random, m: Msg) -> str:
    """Supplier e-mail with bank details and signature."""
    p = es_person(r)
    dom = r.choice(COMPANY_DOMAINS_ES)
    return (
        f"Estimado cliente:\n\nLe adjuntamos la factura {invoice_no(r)} ({eur(r)}). Puede abonarla en "
        f"{m(IBAN, iban(r, 'ES'))}.\n\nUn cordial saludo,\n{m(NAME, p.full)}\nAdministración\n"
        f"{m(PHONE, es_phone(r, 'land'))} · {m(EMAIL, email_for(r, p, [dom]))}"
    )


@tpl("es")
def es_nomina_duda(r: random.Random, m: Msg) -> str:
    """Payroll question with NSS in a sentence."""
    p = es_person(r)
    return (
        f"En mi nómina de {r.choice(MESES)} aparece mal el número de la Seguridad Social: pone otro y el mío es "
        f"{m(NSS, nss(r, 'space'))}. ¿Lo podéis corregir? {m(NAME, p.short)} (almacén)"
    )


@tpl("es")
def es_bici_robo(r: random.Random, m: Msg) -> str:
    """Stolen bike report with serial number look-alike."""
    p = es_person(r)
    return (
        f"Denuncia: me robaron la bici ({serial_no(r)}) el {date_es(r)} frente a {m(ADDRESS, es_address(r))}. "
        f"Denunciante: {m(NAME, p.full)}, {m(NID, dni(r))}, tel. {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_voz_tarjeta(r: random.Random, m: Msg) -> str:
    """Voice transcript with a card number in groups of four."""
    p = es_person(r)
    return (
        f"[IVR] cliente: el número de la tarjeta es {m(CARD, card(r, 'visa', ' '))}, eh, caducidad "
        f"{r.randint(1, 12)} {r.randint(26, 30)}. agente: ¿titular? cliente: {m(NAME, low(p.full))}"
    )


@tpl("es")
def es_arrendador_extranjero(r: random.Random, m: Msg) -> str:
    """Holiday rental host writing to a guest."""
    p, g = es_person(r), mixed_en(r)
    return (
        f"Hola {m(NAME, g.given)}, bienvenido. El apartamento está en {m(ADDRESS, es_address(r))}. Las llaves están "
        f"en el cajetín, código {digits(r, 4)}. Para cualquier cosa: {m(NAME, p.given)}, {m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_recibo_devuelto(r: random.Random, m: Msg) -> str:
    """Returned direct debit notice."""
    p = es_person(r)
    return (
        f"Estimado/a {m(NAME, p.full)}: el recibo {invoice_no(r)} de {eur(r)} ha sido devuelto por su entidad. "
        f"Cuenta: {m(IBAN, iban(r, 'ES'))}. Puede pagarlo con tarjeta llamando al teléfono de atención al cliente."
    )


@tpl("es")
def es_lista_asistentes(r: random.Random, m: Msg) -> str:
    """Attendance list of a course with e-mails."""
    ps = [mixed_es(r) for _ in range(3)]
    rows = "\n".join(f"- {m(NAME, q.full)} <{m(EMAIL, email_any(r, q, 'es'))}>" for q in ps)
    return f"Asistentes al curso de prevención del {date_es(r)}:\n{rows}\nAula {r.randint(1, 12)}, {hour(r)}."


@tpl("es")
def es_formulario_seguro_viaje(r: random.Random, m: Msg) -> str:
    """Travel insurance form with passport and card."""
    p = mixed_es(r)
    return (
        f"Seguro de viaje - destino {r.choice(['Tailandia', 'México', 'Perú', 'Japón'])}\nAsegurado: "
        f"{m(NAME, p.full)}\n"
        f"Nº pasaporte: {m(PASSPORT, passport(r, 'ES'))}\nFechas: {date_es(r)} - {date_es(r)}\n"
        f"Pago: {m(CARD, card(r))}\nPrima: {eur(r)}"
    )


@tpl("es")
def es_cv(r: random.Random, m: Msg) -> str:
    """CV header."""
    p = es_person(r)
    return (
        f"{m(NAME, caps(p.full))}\n{m(ADDRESS, es_address(r))}\n{m(PHONE, es_phone(r))} | "
        f"{m(EMAIL, email_any(r, p, 'es'))}\n\nEXPERIENCIA\n2019-2024 Dependienta en {company_es(r)}"
    )


@tpl("es")
def es_dictado_iban(r: random.Random, m: Msg) -> str:
    """Voice transcript with IBAN in groups."""
    p = es_person(r)
    return (
        f"...y la cuenta para la devolución, apunte: {m(IBAN, iban(r, 'ES', 'group'))}. Titular {m(NAME, p.full)}. "
        f"Sí, con la a de Andalucía, exacto."
    )


# ----------------------------------------------------------------------------------- English templates: no PII


@tpl("en", 3)
def en0_where_order(r: random.Random, m: Msg) -> str:
    """Late order with tracking code."""
    return (
        f"Hi, my order {order_no(r)} still hasn't arrived. Tracking {tracking_no(r)} has said 'out for delivery' "
        f"since {date_en(r)}. I paid {money_en(r)} for next-day shipping. Can you check?"
    )


@tpl("en")
def en0_invoice(r: random.Random, m: Msg) -> str:
    """Accounts payable asking for an invoice copy."""
    return (
        f"Hello,\n\nCould you resend invoice {invoice_no(r)} for {money_en(r)}, dated {date_en(r)}, addressed to "
        f"{company_en(r)}? Our PO number is {fill(r, 'PO-#####')}.\n\nThanks,\nAccounts Payable"
    )


@tpl("en")
def en0_store_street(r: random.Random, m: Msg) -> str:
    """Store on a street with no number."""
    street = r.choice(["Oxford Street", "Main Street", "the High Street", "Market Square", "Elm Avenue"])
    return (
        f"{greet_en(r)}, is the store on {street} open on Sunday? I want to pick up item {product_ref(r)} "
        f"({money_en(r)})."
    )


@tpl("en")
def en0_card_declined(r: random.Random, m: Msg) -> str:
    """Mistyped card that fails Luhn."""
    return (
        f"checkout keeps saying invalid card. I typed {m.fake(CARD, bad_card(r))}, maybe I got a digit wrong? "
        f"basket total {money_en(r)}"
    )


@tpl("en")
def en0_bad_iban(r: random.Random, m: Msg) -> str:
    """Supplier IBAN with wrong check digits."""
    return (
        f"Our bank rejected the payment: the IBAN on invoice {invoice_no(r)}, "
        f"{m.fake(IBAN, bad_iban(r, r.choice(['GB', 'DE', 'FR'])))}, fails validation. Please confirm your details."
    )


@tpl("en")
def en0_flight(r: random.Random, m: Msg) -> str:
    """Flight change with booking reference."""
    return (
        f"I'd like to move flight {flight_no(r)} on {date_en(r)} ({hour(r, 'en')}) to the evening one. Booking ref "
        f"{booking_ref(r)}. The app quotes {money_en(r)} for the change."
    )


@tpl("en")
def en0_postcodes(r: random.Random, m: Msg) -> str:
    """Delivery question with postcodes only."""
    a, b = uk_postcode(r, r.choice(["LS", "M", "BS", "EH"])), uk_postcode(r, r.choice(["G", "CF", "NE", "YO"]))
    return f"Do you deliver to {a}? And what about {b}? Your site says free delivery over {money_en(r)}."


@tpl("en")
def en0_warranty(r: random.Random, m: Msg) -> str:
    """Warranty claim with serial number."""
    return (
        f"My {company_en(r)} laptop, {serial_no(r)}, bought {date_en(r)} (receipt {ticket_no(r)}), has a faulty hinge. "
        f"Is it still under warranty?"
    )


@tpl("en")
def en0_crm_ticket(r: random.Random, m: Msg) -> str:
    """CRM note in capitals with no customer data."""
    return (
        f"TICKET {ticket_no(r)} - ROUTER {serial_no(r).upper()} DROPPING CONNECTION SINCE {date_en(r).upper()}. "
        f"ENGINEER SLOT {hour(r, 'en').upper()}. ORDER {order_no(r)}."
    )


@tpl("en")
def en0_pricing(r: random.Random, m: Msg) -> str:
    """Chat about prices."""
    return (
        f"hey why does the app say {money_en(r)} but the checkout says {money_en(r)}?? promo code {fill(r, 'LLLL##')} "
        "not working"
    )


@tpl("en")
def en0_meetup(r: random.Random, m: Msg) -> str:
    """Marketplace meet-up at a landmark."""
    place = r.choice(["the Tesco car park", "King's Cross station", "the library on Park Road", "Union Square"])
    return f"is the sofa still available? I can do {money_en(r)} cash and pick it up at {hour(r, 'en')} outside {place}"


@tpl("en")
def en0_customs(r: random.Random, m: Msg) -> str:
    """Parcel held at customs."""
    return (
        f"Parcel {tracking_no(r)} is held at customs and they want {money_en(r)} in import VAT. Declared value was "
        f"{money_en(r)}, commodity code {fill(r, '########')}. Is that right?"
    )


@tpl("en")
def en0_company_billing(r: random.Random, m: Msg) -> str:
    """Company billing details only."""
    return (
        f"Please bill order {order_no(r)} to {company_en(r)}, VAT reg {fill(r, 'GB### #### ##')}, net 30. "
        f"Total {money_en(r)}."
    )


@tpl("en")
def en0_voice_order(r: random.Random, m: Msg) -> str:
    """Voice transcript reading out an order number."""
    return (
        f"[call transcript] yeah the order number is {said(r, digits(r, 10))} ... and it was {r.randint(20, 300)} "
        f"pounds {r.randint(10, 99)} ... no the invoice is {invoice_no(r)}"
    )


@tpl("en", 1)
def en0_bad_ssn_like(r: random.Random, m: Msg) -> str:
    """Numbers shaped like SSNs that are not valid (area 000, 666 or 9xx)."""
    a = r.choice(["000", "666", f"9{digits(r, 2)}"])
    return (
        f"Test data only: the form rejected {a}-{r.randint(10, 99)}-{digits(r, 4)} as expected. Ticket {ticket_no(r)}, "
        f"build {r.randint(100, 999)}."
    )


# ------------------------------------------------------------------------------- English templates: with PII


@tpl("en", 3)
def en_chat_delivery(r: random.Random, m: Msg) -> str:
    """Live chat: name, address and phone."""
    p = mixed_en(r)
    return (
        f"Customer: Hi, this is {m(NAME, p.full)}. Order {order_no(r)} hasn't arrived.\n"
        f"Agent: Sorry about that! Can you confirm the delivery address?\n"
        f"Customer: {m(ADDRESS, addr_en(r))}. Best number is {m(PHONE, phone_any_en(r))}."
    )


@tpl("en", 3)
def en_text_address(r: random.Random, m: Msg) -> str:
    """Informal text with lowercase name and address."""
    p = en_person(r)
    return (
        f"hey its {m(NAME, low(p.given))} lol can u send the package to {m(ADDRESS, addr_en(r, informal=True))} "
        f"instead. text me on {m(PHONE, uk_phone(r, True, False) if r.random() < 0.5 else us_phone(r, 6))} thx"
    )


@tpl("en")
def en_hr_onboarding(r: random.Random, m: Msg) -> str:
    """HR onboarding with SSN and bank details."""
    p = en_person(r)
    return (
        f"Hi {m(NAME, en_person(r).given)},\n\nHere are my details for payroll: {m(NAME, p.full)}, SSN "
        f"{m(SSN, ssn(r))}, home address {m(ADDRESS, us_address(r))}. Direct deposit details to follow.\n\n"
        f"Thanks,\n{m(NAME, p.given)}"
    )


@tpl("en", 3)
def en_form_signup(r: random.Random, m: Msg) -> str:
    """Web form dump."""
    p = mixed_en(r)
    return (
        f"First name: {m(NAME, p.first)}\nLast name: {m(NAME, p.last)}\nEmail: {m(EMAIL, email_any(r, p, 'en'))}\n"
        f"Phone: {m(PHONE, phone_any_en(r))}\nAddress: {m(ADDRESS, addr_en(r))}\nNewsletter: yes"
    )


@tpl("en", 3)
def en_crm_billing(r: random.Random, m: Msg) -> str:
    """CRM note in capitals."""
    p = en_person(r)
    return (
        f"CUST {m(NAME, caps(p.last + ', ' + p.first))} CALLED RE DOUBLE CHARGE {money_en(r)} ON INV "
        f"{invoice_no(r)}. CB NUMBER {m(PHONE, phone_any_en(r))}. ESCALATED TO BILLING."
    )


@tpl("en")
def en_voice_phone(r: random.Random, m: Msg) -> str:
    """Voice transcript with phone number in groups."""
    p = en_person(r)
    num = "0" + "7" + r.choice("3456789") + digits(r, 8)
    return (
        f"[Transcript] ...yes, it's under {m(NAME, p.full)}, and my mobile is {m(PHONE, said(r, num))}, "
        f"that's right, and the postcode is {uk_postcode(r, 'M')}..."
    )


@tpl("en")
def en_complaint_letter(r: random.Random, m: Msg) -> str:
    """Complaint letter with address block."""
    p = en_person(r)
    return (
        f"{m(NAME, p.full)}\n{m(ADDRESS, uk_address(r, block=True))}\n\n{date_en(r)}\n\nDear Sir or Madam,\n\n"
        f"Re: complaint {ticket_no(r)}\n\nI am writing to complain about the charge of {money_en(r)} on invoice "
        f"{invoice_no(r)}, which I dispute.\n\nYours faithfully,\n{m(NAME, p.short)}"
    )


@tpl("en")
def en_tax_ssn(r: random.Random, m: Msg) -> str:
    """Tax preparer message with SSN and spouse."""
    a, b = en_person(r), en_person(r)
    return (
        f"For the joint return: {m(NAME, a.full)}, SSN {m(SSN, ssn(r))}; spouse {m(NAME, b.full)}, SSN "
        f"{m(SSN, ssn(r))}. Refund by direct deposit please. Address unchanged."
    )


@tpl("en")
def en_w9(r: random.Random, m: Msg) -> str:
    """W-9 style form with TIN."""
    p = en_person(r, 0.5)
    return (
        f"Form W-9\nName: {m(NAME, p.full)}\nAddress: {m(ADDRESS, us_address(r, block=True))}\n"
        f"Taxpayer Identification Number (TIN): {m(SSN, ssn(r, r.choice(['dash', 'space'])))}\nDate: {date_en(r)}"
    )


@tpl("en")
def en_bank_account_open(r: random.Random, m: Msg) -> str:
    """Account opening with SSN and phone."""
    p = en_person(r)
    return (
        f"I'd like to open a checking account. Name: {m(NAME, p.full)}. Social Security number: "
        f"{m(SSN, ssn(r))}. Phone {m(PHONE, us_phone(r))}. Email {m(EMAIL, email_any(r, p, 'en'))}."
    )


@tpl("en")
def en_rental_application(r: random.Random, m: Msg) -> str:
    """Rental application with SSN far from keyword."""
    p = en_person(r)
    return (
        f"Rental application for {m(ADDRESS, us_address(r))}.\nApplicant: {m(NAME, p.full)}\nCurrent employer: "
        f"{company_en(r)}\nMonthly income: {money_en(r)}\nFor the credit check my social security is "
        f"{m(SSN, ssn(r))}."
    )


@tpl("en")
def en_benefits(r: random.Random, m: Msg) -> str:
    """Benefits enrolment with dependants."""
    p, k = en_person(r), en_person(r)
    return (
        f"Benefits enrolment: employee {m(NAME, p.full)} (SS# {m(SSN, ssn(r))}). Add dependant "
        f"{m(NAME, k.first + ' ' + p.last)}, SS# {m(SSN, ssn(r))}, effective {date_en(r)}."
    )


@tpl("en")
def en_voice_ssn(r: random.Random, m: Msg) -> str:
    """Voice transcript with SSN read in groups."""
    p = en_person(r)
    v = ssn(r, "space")
    return (
        f"AGENT: Can I get the last name? CALLER: {m(NAME, p.last)}. AGENT: And your social? CALLER: "
        f"{m(SSN, v)}. AGENT: Thank you, Mr {p.last}, I see the claim from {date_en(r)}."
    )


@tpl("en")
def en_student_loan(r: random.Random, m: Msg) -> str:
    """Student loan query with SSN and e-mail."""
    p = en_person(r)
    return (
        f"Hello, I'm trying to consolidate my student loans but the portal won't accept my SSN ({m(SSN, ssn(r))}). "
        f"Could someone contact me at {m(EMAIL, email_for(r, p, DOMAINS_EN))}? - {m(NAME, p.full)}"
    )


@tpl("en")
def en_medical_billing(r: random.Random, m: Msg) -> str:
    """Medical billing with patient SSN and card."""
    p = en_person(r)
    return (
        f"Patient: {m(NAME, p.full)}\nDOB: {r.randint(1, 12):02d}/{r.randint(1, 28):02d}/19{r.randint(50, 99)}\n"
        f"SSN: {m(SSN, ssn(r))}\nAmount due: {money_en(r)}\nPaid by card {m(CARD, card(r))}"
    )


@tpl("en")
def en_background_check(r: random.Random, m: Msg) -> str:
    """Background check consent form."""
    p = en_person(r, 0.6)
    return (
        f"I, {m(NAME, p.full)}, authorize {company_en(r)} to obtain a consumer report. Social Security No. "
        f"{m(SSN, ssn(r, 'plain'))}. Current address: {m(ADDRESS, us_address(r))}. Signed {date_en(r)}."
    )


@tpl("en")
def en_flight_booking(r: random.Random, m: Msg) -> str:
    """Flight booking with passport."""
    p = mixed_en(r)
    cc = r.choice(["GB", "US", "IE", "CA"])
    return (
        f"Booking {booking_ref(r)} - {flight_no(r)} on {date_en(r)}\nPassenger: {m(NAME, p.full.upper())}\n"
        f"Passport ({PASSPORTS[cc][1]}): {m(PASSPORT, passport(r, cc))}\nContact: {m(EMAIL, email_any(r, p, 'en'))}"
    )


@tpl("en")
def en_hotel(r: random.Random, m: Msg) -> str:
    """Hotel pre-arrival form."""
    p = other_person(r)
    cc = r.choice(["DE", "FR", "IT", "IN", "CN", "NG", "MX", "NL", "BR"])
    return (
        f"Pre-arrival registration\nGuest name: {m(NAME, p.full)}\nNationality: {PASSPORTS[cc][1]}\n"
        f"Passport number: {m(PASSPORT, passport(r, cc))}\nArrival: {date_en(r)}, approx. {hour(r, 'en')}\n"
        f"Mobile: {m(PHONE, intl_phone(r))}"
    )


@tpl("en")
def en_lost_passport(r: random.Random, m: Msg) -> str:
    """Lost passport report."""
    p = en_person(r)
    return (
        f"I lost my passport on the train yesterday. It's a UK passport, number {m(PASSPORT, passport(r, 'GB'))}, in "
        f"the name of {m(NAME, p.full)}. I'm staying at {m(ADDRESS, es_address(r))} until the {r.randint(1, 28)}th."
    )


@tpl("en")
def en_car_rental(r: random.Random, m: Msg) -> str:
    """Car rental with card and passport."""
    p = mixed_en(r)
    return (
        f"Car hire {booking_ref(r)}: main driver {m(NAME, p.full)}, passport "
        f"{m(PASSPORT, passport(r, r.choice(['GB', 'US', 'IE'])))}, "
        f"deposit on card {m(CARD, card(r, r.choice(['visa', 'mc', 'amex'])))}. Pick-up {date_en(r)} {hour(r, 'en')}."
    )


@tpl("en")
def en_customs_form(r: random.Random, m: Msg) -> str:
    """Customs declaration with passport and address."""
    p = mixed_en(r)
    return (
        f"CUSTOMS DECLARATION\nName: {m(NAME, p.full)}\nTravel document no.: {m(PASSPORT, passport(r))}\n"
        f"Address: {m(ADDRESS, addr_en(r))}\nItems: gifts, value {money_en(r)}\nFlight: {flight_no(r)}"
    )


@tpl("en", 3)
def en_stolen_card(r: random.Random, m: Msg) -> str:
    """Stolen card report."""
    p = en_person(r)
    return (
        f"My wallet was stolen. Please block card {m(CARD, card(r))}. I'm {m(NAME, p.full)}, you can reach me on "
        f"{m(PHONE, phone_any_en(r))}. The last genuine transaction was {money_en(r)} at {company_en(r)}."
    )


@tpl("en")
def en_refund_iban(r: random.Random, m: Msg) -> str:
    """Refund to a UK or Irish IBAN."""
    p = en_person(r)
    return (
        f"Dear team,\n\nPlease refund the {money_en(r)} for order {order_no(r)} to IBAN "
        f"{m(IBAN, iban(r, r.choice(['GB', 'IE'])))}, account holder {m(NAME, p.full)}.\n\nKind regards,\n"
        f"{m(NAME, p.given)}"
    )


@tpl("en")
def en_chargeback(r: random.Random, m: Msg) -> str:
    """Card dispute with Amex number."""
    p = en_person(r)
    return (
        f"I want to dispute a charge of {money_en(r)} from {company_en(r)} on my Amex {m(CARD, card(r, 'amex'))}. "
        f"I never received the goods (order {order_no(r)}). {m(NAME, p.full)}, {m(EMAIL, email_any(r, p, 'en'))}"
    )


@tpl("en")
def en_tenancy(r: random.Random, m: Msg) -> str:
    """Tenant writing to landlord about deposit."""
    p, ll = en_person(r), en_person(r)
    return (
        f"Hi {m(NAME, ll.given)}, I moved out of {m(ADDRESS, uk_address(r))} on {date_en(r)}. Could you return the "
        f"deposit to {m(IBAN, iban(r, 'GB'))}? Thanks, {m(NAME, p.given)}"
    )


@tpl("en")
def en_insurance_claim(r: random.Random, m: Msg) -> str:
    """Home insurance claim."""
    p = en_person(r)
    return (
        f"Claim for water damage, policy {policy_no(r)}. Policyholder: {m(NAME, p.full)}. Property: "
        f"{m(ADDRESS, addr_en(r))}. Contact {m(PHONE, phone_any_en(r))} after {hour(r, 'en')}."
    )


@tpl("en")
def en_marketplace(r: random.Random, m: Msg) -> str:
    """Marketplace seller arranging collection."""
    p = en_person(r)
    return (
        f"ok {money_en(r)} is fine. collect from {m(ADDRESS, low(uk_address(r, town=False)))} tomorrow after 6, ask "
        "for "
        f"{m(NAME, low(p.given))}. my number {m(PHONE, uk_phone(r, True, False))}"
    )


@tpl("en")
def en_gp_appointment(r: random.Random, m: Msg) -> str:
    """GP appointment reminder."""
    p, d = en_person(r), en_person(r)
    return (
        f"Reminder: {m(NAME, p.full)}, your appointment with Dr {m(NAME, d.last)} is on {date_en(r)} at "
        f"{hour(r, 'en')}. Reply CANCEL to cancel. Surgery: {company_en(r)} Health Centre."
    )


@tpl("en")
def en_payroll_bank(r: random.Random, m: Msg) -> str:
    """Payroll bank change with several values."""
    p = en_person(r)
    return (
        f"Please update my salary account from next month: IBAN {m(IBAN, iban(r, 'GB', 'compact'))}. Employee "
        f"{m(NAME, p.full)}, ID {fill(r, 'EMP#####')}, phone {m(PHONE, uk_phone(r))}."
    )


@tpl("en")
def en_school(r: random.Random, m: Msg) -> str:
    """Parent message to school."""
    kid, par, g = en_person(r), en_person(r), en_person(r)
    return (
        f"Hi, this is {m(NAME, par.full)}, {m(NAME, kid.given)}'s mum (Year 4). Her grandad {m(NAME, g.full)} will "
        f"collect her today. My mobile: {m(PHONE, uk_phone(r, True))}."
    )


@tpl("en")
def en_signature_email(r: random.Random, m: Msg) -> str:
    """Business e-mail with a long signature."""
    p = en_person(r, 0.4)
    return (
        f"Hi all,\n\nAttached is the revised quote ({invoice_no(r)}). Let me know if you have questions.\n\nBest,\n"
        f"{m(NAME, p.full)}\nAccount Manager | {company_en(r)}\nT: {m(PHONE, phone_any_en(r))}\n"
        f"E: {m(EMAIL, email_for(r, p, COMPANY_DOMAINS_EN))}\n{m(ADDRESS, addr_en(r))}"
    )


@tpl("en")
def en_whatsapp_group(r: random.Random, m: Msg) -> str:
    """Group chat sharing two contacts."""
    a, b = en_person(r), mixed_en(r)
    return (
        f"guys {m(NAME, low(a.given))}'s new number is {m(PHONE, uk_phone(r, True, False))} and "
        f"{m(NAME, low(b.short))} is on {m(PHONE, intl_phone(r))} while abroad"
    )


@tpl("en")
def en_job_application(r: random.Random, m: Msg) -> str:
    """CV header in English."""
    p = mixed_en(r)
    return (
        f"{m(NAME, p.full.upper())}\n{m(ADDRESS, addr_en(r))} | {m(PHONE, phone_any_en(r))} | "
        f"{m(EMAIL, email_any(r, p, 'en'))}\n\nPROFILE\nWarehouse supervisor with 8 years at {company_en(r)}."
    )


@tpl("en")
def en_expat_nie(r: random.Random, m: Msg) -> str:
    """British expat in Spain with NIE, NSS and Spanish address."""
    p = en_person(r)
    return (
        f"Hello, I'm {m(NAME, p.full)}, a UK national living in Spain. My NIE is {m(NID, nie(r))} and my Spanish "
        f"social security number (NSS) is {m(NSS, nss(r, 'slash'))}. Address: {m(ADDRESS, es_address(r))}."
    )


@tpl("en")
def en_expat_work(r: random.Random, m: Msg) -> str:
    """Worker in Spain asking HR in English."""
    p = mixed_en(r)
    return (
        f"Hi HR, my Seguridad Social number on the contract is wrong. The correct one is {m(NSS, nss(r))}; "
        f"my NIE {m(NID, nie(r, 'dashes'))}. Cheers, {m(NAME, p.full)}"
    )


@tpl("en")
def en_spanish_bank(r: random.Random, m: Msg) -> str:
    """Holiday-home owner with a Spanish IBAN and DNI-less NIE."""
    p = en_person(r)
    return (
        f"We own a flat at {m(ADDRESS, es_address(r))} and the community fees should be debited from "
        f"{m(IBAN, iban(r, 'ES'))}. Owner: {m(NAME, p.full)} (NIE {m(NID, nie(r))}), {m(EMAIL, email_any(r, p, 'en'))}."
    )


@tpl("en")
def en_irs_letter(r: random.Random, m: Msg) -> str:
    """Letter to a tax office with SSN."""
    p = en_person(r, 0.5)
    return (
        f"{m(NAME, p.full)}\n{m(ADDRESS, us_address(r, block=True))}\n\n{date_en(r)}\n\nRe: Notice "
        f"CP{r.randint(10, 99)}, "
        f"tax year 2024\nSSN: {m(SSN, ssn(r))}\n\nTo whom it may concern,\n\nI am responding to the notice regarding "
        f"a balance of {money_en(r)}. Payment was made on {date_en(r)}.\n\nSincerely,\n{m(NAME, p.short)}"
    )


@tpl("en")
def en_credit_app(r: random.Random, m: Msg) -> str:
    """Credit application dump."""
    p = en_person(r)
    return (
        f"APPLICANT: {m(NAME, caps(p.full))}\nSSN: {m(SSN, ssn(r, 'plain'))}\nDOB: {date_en(r)} 19{r.randint(55, 99)}\n"
        f"ADDRESS: {m(ADDRESS, caps(us_address(r)))}\nPHONE: {m(PHONE, us_phone(r))}\nINCOME: {money_en(r)}/mo"
    )


@tpl("en")
def en_chat_ssn_verify(r: random.Random, m: Msg) -> str:
    """Chat where agent asks for last digits but customer gives the full SSN."""
    p = en_person(r)
    return (
        f"Agent: For verification, the last 4 of your SSN please.\nCustomer: its {m(SSN, ssn(r))}\nAgent: Thanks "
        f"{m(NAME, p.given)}, just the last four next time! Your balance is {money_en(r)}."
    )


@tpl("en")
def en_unemployment(r: random.Random, m: Msg) -> str:
    """Unemployment claim message."""
    p = en_person(r)
    return (
        f"I filed for unemployment on {date_en(r)} and haven't heard back. Claimant {m(NAME, p.full)}, social "
        f"security number {m(SSN, ssn(r, 'dash'))}, phone {m(PHONE, us_phone(r))}."
    )


@tpl("en")
def en_payroll_crm(r: random.Random, m: Msg) -> str:
    """Payroll CRM note with TIN and address."""
    p = en_person(r)
    return (
        f"EMPLOYEE {m(NAME, caps(p.full))} - TIN {m(SSN, ssn(r))} - W-4 UPDATED {date_en(r).upper()} - MAIL TO "
        f"{m(ADDRESS, caps(us_address(r)))}"
    )


@tpl("en")
def en_visa(r: random.Random, m: Msg) -> str:
    """Visa application with passport and employer."""
    p = other_person(r, r.choice(["in", "zh", "ng"]))
    cc = r.choice(["IN", "CN", "NG"])
    return (
        f"Visa application: {m(NAME, p.full)}, passport no. {m(PASSPORT, passport(r, cc))}, sponsored by "
        f"{company_en(r)}. UK address: {m(ADDRESS, uk_address(r))}. Email: {m(EMAIL, email_for(r, p, DOMAINS_INTL))}."
    )


@tpl("en")
def en_passport_renewal(r: random.Random, m: Msg) -> str:
    """Passport renewal question with number after the keyword at a distance."""
    p = en_person(r)
    return (
        f"Hi, my passport expires on {date_en(r)} and I fly on {flight_no(r)} the week after. The number on my current "
        f"passport (issued 2016) is {m(PASSPORT, passport(r, r.choice(['US', 'GB'])))}. Can I renew fast-track? "
        f"{m(NAME, p.full)}"
    )


@tpl("en")
def en_group_travel(r: random.Random, m: Msg) -> str:
    """Group travel list with passports."""
    ps = [mixed_en(r) for _ in range(r.randint(2, 3))]
    rows = "\n".join(f"- {m(NAME, q.full)}, {m(PASSPORT, passport(r))}" for q in ps)
    return f"Travellers for tour {booking_ref(r)} ({date_en(r)}), name and passport number:\n{rows}"


@tpl("en")
def en_immigration(r: random.Random, m: Msg) -> str:
    """Immigration lawyer intake note."""
    p = other_person(r)
    cc = r.choice(["MX", "CO", "UA", "BR", "MA", "RO"])
    return (
        f"Intake: client {m(NAME, p.full)}. {PASSPORTS[cc][1]} passport {m(PASSPORT, passport(r, cc))}, entered "
        f"{date_en(r)}. Lives at {m(ADDRESS, us_address(r))}. Cell {m(PHONE, us_phone(r))}."
    )


@tpl("en")
def en_amex_phone_order(r: random.Random, m: Msg) -> str:
    """Phone order read-back with card digits in groups."""
    p = en_person(r)
    return (
        f"OK so that's card number {m(CARD, card(r, r.choice(['visa', 'mc', 'discover']), ' '))}, expiry "
        f"{r.randint(1, 12):02d}/{r.randint(26, 31)}, name on card {m(NAME, p.full.upper())}, billing postcode "
        f"{uk_postcode(r, 'LS')}. Total {money_en(r)}."
    )


@tpl("en")
def en_subscription_cancel(r: random.Random, m: Msg) -> str:
    """Subscription cancellation with plus-tag e-mail."""
    p = en_person(r)
    return (
        f"Please cancel my subscription and stop charging card {m(CARD, card(r, sep='-'))}. Account "
        f"{m(EMAIL, email_for(r, p, DOMAINS_EN, True))}."
    )


@tpl("en", 3)
def en_hotel_card(r: random.Random, m: Msg) -> str:
    """Hotel booking guaranteed with a card."""
    p = en_person(r)
    return (
        f"Please guarantee my reservation {booking_ref(r)} with card {m(CARD, card(r, sep=''))}. Guest: "
        f"{m(NAME, p.full)}. Late arrival around {hour(r, 'en')}."
    )


@tpl("en")
def en_euro_refund(r: random.Random, m: Msg) -> str:
    """Refund to a continental IBAN."""
    p = other_person(r)
    return (
        f"Could you send the refund of {money_en(r)} to my account in Europe? IBAN "
        f"{m(IBAN, iban(r, r.choice(['DE', 'FR', 'NL', 'BE', 'IT', 'PT', 'AT'])))}, holder {m(NAME, p.full)}."
    )


@tpl("en")
def en_freelancer_invoice(r: random.Random, m: Msg) -> str:
    """Freelancer invoice footer."""
    p = en_person(r)
    return (
        f"INVOICE {invoice_no(r)}\nFrom: {m(NAME, p.full)}\n{m(ADDRESS, uk_address(r, block=True))}\n"
        f"Amount due: {money_en(r)}\nPay to: {m(IBAN, iban(r, 'GB'))}\nQuestions: "
        f"{m(EMAIL, email_for(r, p, DOMAINS_EN))}"
    )


@tpl("en")
def en_landlord_notice(r: random.Random, m: Msg) -> str:
    """Landlord notice with two tenants."""
    ll, t1, t2 = en_person(r), en_person(r), en_person(r)
    return (
        f"Dear {m(NAME, t1.given)} and {m(NAME, t2.given)},\n\nThis is notice that the rent for "
        f"{m(ADDRESS, uk_address(r))} "
        f"will rise to {money_en(r)} from {date_en(r)}.\n\nRegards,\n{m(NAME, ll.full)}\n{m(PHONE, uk_phone(r))}"
    )


@tpl("en", 1)
def en_dentist(r: random.Random, m: Msg) -> str:
    """Dentist message."""
    p = en_person(r)
    return (
        f"Hi, {m(NAME, p.given)} here - can I move my check-up on {date_en(r)} to later in the week? Call me back on "
        f"{m(PHONE, phone_any_en(r))}."
    )


@tpl("en")
def en_delivery_notes(r: random.Random, m: Msg) -> str:
    """Delivery instructions with neighbour."""
    p, n = en_person(r), en_person(r)
    return (
        f"Delivery notes: {m(ADDRESS, addr_en(r))}. If nobody's in, leave with {m(NAME, n.short)} at number "
        f"{r.randint(1, 90)}. Please call {m(PHONE, phone_any_en(r))} first ({m(NAME, p.given)})."
    )


@tpl("en")
def en_car_accident(r: random.Random, m: Msg) -> str:
    """Car accident details exchange."""
    a, b = en_person(r), en_person(r)
    return (
        f"Other driver: {m(NAME, b.full)}, phone {m(PHONE, phone_any_en(r))}, insurer {company_en(r)}, policy "
        f"{policy_no(r)}. Me: {m(NAME, a.full)}, {m(EMAIL, email_any(r, a, 'en'))}. Happened {date_en(r)}."
    )


@tpl("en")
def en_crm_fraud(r: random.Random, m: Msg) -> str:
    """Fraud team note."""
    p = en_person(r)
    return (
        f"FRAUD ALERT {ticket_no(r)}: CARD {m(CARD, card(r))} BLOCKED. CARDHOLDER {m(NAME, caps(p.full))}. "
        f"SHIPPING ADDR {m(ADDRESS, caps(addr_en(r)))} DOES NOT MATCH BILLING."
    )


@tpl("en")
def en_event_registration(r: random.Random, m: Msg) -> str:
    """Event registration list."""
    ps = [mixed_en(r) for _ in range(3)]
    rows = "\n".join(f"{m(NAME, q.full)} - {m(EMAIL, email_any(r, q, 'en'))}" for q in ps)
    return f"Registrations for the {date_en(r)} workshop:\n{rows}\nRoom {r.randint(1, 9)}, starts {hour(r, 'en')}."


@tpl("en")
def en_plumber(r: random.Random, m: Msg) -> str:
    """Plumber booking text."""
    p = en_person(r)
    return (
        f"hi its {m(NAME, p.full)} from {m(ADDRESS, uk_address(r))}, boiler's gone again. any chance of a visit "
        f"today? {m(PHONE, uk_phone(r, True, False))}"
    )


@tpl("en")
def en_us_pharmacy(r: random.Random, m: Msg) -> str:
    """Pharmacy refill request."""
    p = en_person(r)
    return (
        f"Refill request for {m(NAME, p.full)}, Rx {fill(r, '#######')}. Deliver to {m(ADDRESS, us_address(r))}. "
        f"Call {m(PHONE, us_phone(r))} if there's a copay."
    )


@tpl("en")
def en_voice_card(r: random.Random, m: Msg) -> str:
    """Voice transcript with card read out and name."""
    p = en_person(r)
    return (
        f"[IVR transcript] caller: card number {m(CARD, card(r, 'visa', ' '))} ... expiry {r.randint(1, 12)} "
        f"{r.randint(26, 30)} ... name {m(NAME, low(p.full))}"
    )


@tpl("en")
def en_wire(r: random.Random, m: Msg) -> str:
    """International wire instructions."""
    a, b = en_person(r), other_person(r)
    return (
        f"Wire instructions\nBeneficiary: {m(NAME, b.full)}\nIBAN: {m(IBAN, iban(r))}\nBIC: {fill(r, 'LLLLLLxx')}\n"
        f"Ordering customer: {m(NAME, a.full)}\nAmount: {money_en(r)}\nReference: {invoice_no(r)}"
    )


@tpl("en")
def en_airline_complaint(r: random.Random, m: Msg) -> str:
    """Airline complaint about delay with passenger data."""
    p = en_person(r)
    return (
        f"Flight {flight_no(r)} on {date_en(r)} was delayed 6 hours. I am claiming compensation under UK261. "
        f"Passenger {m(NAME, p.full)}, booking {booking_ref(r)}, passport {m(PASSPORT, passport(r, 'GB'))}. "
        f"Pay to {m(IBAN, iban(r, 'GB'))}."
    )


@tpl("en")
def en_employee_list(r: random.Random, m: Msg) -> str:
    """Employee list with surname-first names."""
    ps = [en_person(r) for _ in range(3)]
    rows = "\n".join(f"{m(NAME, caps(q.inverted))}\t{m(EMAIL, email_for(r, q, COMPANY_DOMAINS_EN))}" for q in ps)
    return f"Night shift roster week {r.randint(1, 52)}:\n{rows}"


@tpl("en", 1)
def en_chat_short(r: random.Random, m: Msg) -> str:
    """One-line chat with e-mail only."""
    p = en_person(r)
    return f"can you send the receipt to {m(EMAIL, email_any(r, p, 'en'))} pls"


@tpl("en")
def en_spanish_holiday(r: random.Random, m: Msg) -> str:
    """Holiday rental guest giving passport and arrival info in Spain."""
    p = en_person(r)
    return (
        f"Hi! We arrive at the apartment on {m(ADDRESS, es_address(r))} on {date_en(r)}. For the police registration: "
        f"{m(NAME, p.full)}, passport {m(PASSPORT, passport(r, r.choice(['GB', 'IE'])))}. My mobile "
        f"{m(PHONE, uk_phone(r, True, True))}."
    )


@tpl("en")
def en_medical_referral(r: random.Random, m: Msg) -> str:
    """Medical referral letter."""
    p, d = en_person(r), en_person(r)
    return (
        f"Dear Dr {m(NAME, d.last)},\n\nRe: {m(NAME, p.full)}, DOB {date_en(r)} 19{r.randint(40, 99)}, "
        f"{m(ADDRESS, uk_address(r))}\n\nThank you for seeing this patient with persistent knee pain.\n\nYours "
        "sincerely,"
        f"\nDr {m(NAME, en_person(r).full)}"
    )


@tpl("en")
def en_utility_move(r: random.Random, m: Msg) -> str:
    """Utility account move with meter reading look-alike."""
    p = en_person(r)
    return (
        f"I'm moving out of {m(ADDRESS, addr_en(r))} on {date_en(r)}. Final meter reading {digits(r, 5)}. Please send "
        f"the final bill to {m(EMAIL, email_any(r, p, 'en'))}. Account holder {m(NAME, p.full)}."
    )


@tpl("en")
def en_seller_payout(r: random.Random, m: Msg) -> str:
    """Marketplace seller payout details."""
    p = en_person(r)
    return (
        f"Seller payout details updated: {m(NAME, p.full)}, "
        f"{m(IBAN, iban(r, r.choice(['GB', 'IE', 'NL']), 'compact'))}. "
        f"Payouts every {r.choice(['Monday', 'Friday'])}. Listing {product_ref(r)}."
    )


@tpl("en")
def en_dm_informal(r: random.Random, m: Msg) -> str:
    """Informal DM with phone and address."""
    p = en_person(r)
    return (
        f"yo {m(NAME, low(p.given))} party at mine sat, {m(ADDRESS, low(us_address(r, city=False)))}, buzz "
        f"{r.randint(1, 30)}. call {m(PHONE, us_phone(r, 2))} if lost"
    )


@tpl("en")
def en_gym(r: random.Random, m: Msg) -> str:
    """Gym cancellation with card ending and full card."""
    p = en_person(r)
    return (
        f"Cancel membership #{digits(r, 6)} please. {m(NAME, p.full)}. Stop charging {m(CARD, card(r, 'mc', ' '))}. "
        f"Thanks"
    )


@tpl("en")
def en_insurance_life(r: random.Random, m: Msg) -> str:
    """Life insurance beneficiary change with SSNs."""
    a, b = en_person(r), en_person(r)
    return (
        f"Change of beneficiary, policy {policy_no(r)}. Insured: {m(NAME, a.full)} (SSN {m(SSN, ssn(r))}). New "
        f"beneficiary: {m(NAME, b.full)}, social security number {m(SSN, ssn(r, 'space'))}, relationship: spouse."
    )


@tpl("en")
def en_intl_contacts(r: random.Random, m: Msg) -> str:
    """Contact sheet with numbers from several countries."""
    ps = [other_person(r) for _ in range(3)]
    rows = "\n".join(f"{m(NAME, q.full)}: {m(PHONE, intl_phone(r))}" for q in ps)
    return f"Emergency contacts for the conference trip:\n{rows}\nCoach leaves {hour(r, 'en')} from the hotel."


@tpl("en")
def en_eu_address(r: random.Random, m: Msg) -> str:
    """Order shipped to continental Europe."""
    p = other_person(r, r.choice(["de", "fr", "it", "pt"]))
    return (
        f"Ship to: {m(NAME, p.full)}, {m(ADDRESS, world_address(r))}\nPhone: {m(PHONE, intl_phone(r))}\n"
        f"Order {order_no(r)} - {money_en(r)} incl. duties"
    )


@tpl("en")
def en_bank_chat(r: random.Random, m: Msg) -> str:
    """Banking chat confirming identity with address and phone."""
    p = en_person(r)
    return (
        f"Bot: Please confirm your registered address.\nUser: {m(ADDRESS, uk_address(r))}\nBot: And the phone number "
        f"on the account?\nUser: {m(PHONE, uk_phone(r))}\nBot: Thanks {m(NAME, p.given)}, you're verified."
    )


@tpl("en")
def en_jury_letter(r: random.Random, m: Msg) -> str:
    """Formal letter with a middle initial and US address."""
    p = en_person(r, 1.0)
    return (
        f"Dear {m(NAME, p.full)},\n\nYou have been summoned for jury service on {date_en(r)}. Please confirm your "
        f"address, {m(ADDRESS, us_address(r))}, and call {m(PHONE, us_phone(r, 0))} with any questions.\n\nClerk of "
        "Court"
    )


@tpl("en")
def en_moving_quote(r: random.Random, m: Msg) -> str:
    """Moving quote with two addresses."""
    p = en_person(r)
    return (
        f"Quote request: move from {m(ADDRESS, uk_address(r))} to {m(ADDRESS, uk_address(r))} on {date_en(r)}. "
        f"Three-bed house. {m(NAME, p.full)}, {m(PHONE, uk_phone(r))}"
    )


@tpl("en")
def en_surname_first(r: random.Random, m: Msg) -> str:
    """Registry extract with surname-first names."""
    a, b = en_person(r), other_person(r, "zh")
    return (
        f"Ward B admissions {date_en(r)}: {m(NAME, a.inverted)} (bed 4); {m(NAME, b.full)} (bed 7). "
        f"Next of kin contact for bed 4: {m(PHONE, uk_phone(r))}."
    )


@tpl("en")
def en_ssn_form_dump(r: random.Random, m: Msg) -> str:
    """New-hire form dump with SSN field."""
    p = en_person(r, 0.5)
    return (
        f"first_name={m(NAME, p.first)}\nlast_name={m(NAME, p.last)}\nssn={m(SSN, ssn(r, 'plain'))}\n"
        f"email={m(EMAIL, email_any(r, p, 'en'))}\nstart_date={date_en(r)}"
    )


@tpl("en")
def en_irish_letter(r: random.Random, m: Msg) -> str:
    """Irish customer with Irish address and IBAN."""
    p = en_person(r)
    return (
        f"Hi, I'm {m(NAME, p.full)}, living at {m(ADDRESS, world_address(r, 'IE'))}. Please set up the direct debit "
        f"from {m(IBAN, iban(r, 'IE'))}. Phone {m(PHONE, intl_phone(r, 'IE'))}."
    )


@tpl("en")
def en_couriers(r: random.Random, m: Msg) -> str:
    """Courier note with tracking and recipient."""
    p = en_person(r)
    return (
        f"{company_en(r)} delivery {tracking_no(r)}: signed for by {m(NAME, p.last.upper())} at {hour(r, 'en')}. "
        f"Left at {m(ADDRESS, uk_address(r))}."
    )


@tpl("en")
def en_tenant_reference(r: random.Random, m: Msg) -> str:
    """Tenant reference request."""
    p, ref = en_person(r), en_person(r)
    return (
        f"Hello Ms {m(NAME, ref.last)}, {m(NAME, p.full)} has applied to rent a flat "
        f"with us and gave you as a referee. Could you confirm the tenancy at {m(ADDRESS, uk_address(r))}?"
    )


@tpl("en")
def en_spanish_worker_payslip(r: random.Random, m: Msg) -> str:
    """English-speaking worker in Spain asking about a payslip with NSS."""
    p = mixed_en(r)
    return (
        f"My payslip shows a different NUSS from mine. Mine is {m(NSS, nss(r, 'dash'))} (affiliation number). "
        f"Please fix before the next payroll. {m(NAME, p.full)}, {m(EMAIL, email_any(r, p, 'en'))}"
    )


@tpl("en", 1)
def en_short_phone(r: random.Random, m: Msg) -> str:
    """Very short message with just a phone number."""
    return f"call me back on {m(PHONE, phone_any_en(r))} when you can"


@tpl("en")
def en_crm_visit(r: random.Random, m: Msg) -> str:
    """Engineer visit note in capitals."""
    p = en_person(r)
    return (
        f"ENGINEER VISIT {date_en(r).upper()} AM - {m(ADDRESS, caps(addr_en(r)))} - CUST {m(NAME, caps(p.full))} - "
        f"MOB {m(PHONE, phone_any_en(r))} - FAULT REF {ticket_no(r)}"
    )


@tpl("en")
def en_us_chat_card(r: random.Random, m: Msg) -> str:
    """US chat paying by card and SSN for a loan pre-check."""
    p = en_person(r)
    return (
        f"Customer: I'm {m(NAME, p.full)}. For the loan pre-check, SSN {m(SSN, ssn(r))}. And pay the fee with "
        f"{m(CARD, card(r, 'visa'))}.\nAgent: Thank you, processing."
    )


@tpl("en")
def en_passport_distance(r: random.Random, m: Msg) -> str:
    """Passport number given before the keyword."""
    p = mixed_en(r)
    cc = r.choice(sorted(PASSPORTS))
    return (
        f"{m(PASSPORT, passport(r, cc))} - that's the number on my {PASSPORTS[cc][1]} passport, in case the travel "
        "agent "
        f"asks. Booking is under {m(NAME, p.full)}."
    )


# ----------------------------------------------------------------------------------- more Spanish templates


@tpl("es", 3)
def es_nss_form(r: random.Random, m: Msg) -> str:
    """Form with NSS field labelled 'Nº afiliación'."""
    p = es_person(r)
    return (
        f"Nombre completo: {m(NAME, p.full)}\nNº afiliación: {m(NSS, nss(r))}\nFecha de alta: {date_es(r)}\n"
        f"Grupo de cotización: {r.randint(1, 11)}\nCentro de trabajo: {company_es(r)}"
    )


@tpl("es", 3)
def es_wa_nss(r: random.Random, m: Msg) -> str:
    """WhatsApp asking for the social security number."""
    p = es_person(r)
    return (
        f"oye {m(NAME, low(p.given))} la gestora m pide tu num de la seg social para el contrato. "
        f"-> vale es el {m(NSS, nss(r, r.choice(['plain', 'space'])))} , lo tienes en la tarjeta"
    )


@tpl("es")
def es_mutua_accidente(r: random.Random, m: Msg) -> str:
    """Mutual insurer form in capitals with NSS."""
    p = es_person(r)
    return (
        f"MUTUA - COMUNICACIÓN DE ACCIDENTE\nTRABAJADOR: {m(NAME, caps(p.inverted))}\nNAF: {m(NSS, nss(r, 'slash'))}\n"
        f"DNI: {m(NID, dni(r, 'plain'))}\nFECHA: {date_es(r)}\nEMPRESA: {caps(company_es(r))}"
    )


@tpl("es")
def es_canarias(r: random.Random, m: Msg) -> str:
    """Delivery to the Canary Islands with landline."""
    p = es_person(r)
    return (
        f"Vivo en {m(ADDRESS, es_address(r))} y me dicen que no envían a Canarias. ¿Es así? {m(NAME, p.full)}, "
        f"teléfono fijo {m(PHONE, es_phone(r, 'land'))}."
    )


@tpl("es")
def es_latam_cliente(r: random.Random, m: Msg) -> str:
    """Latin American customer with foreign phone and address."""
    p = es_person(r)
    cc = r.choice(["MX", "AR"])
    return (
        f"Hola, les escribo desde {'México' if cc == 'MX' else 'Argentina'}. ¿Envían a "
        f"{m(ADDRESS, world_address(r, cc))}? "
        f"Soy {m(NAME, p.full)}, WhatsApp {m(PHONE, intl_phone(r, cc))}."
    )


@tpl("es")
def es_carta_hacienda(r: random.Random, m: Msg) -> str:
    """Letter-style appeal with NIF and address."""
    p = es_person(r)
    return (
        f"A LA AGENCIA TRIBUTARIA\n\nD./Dña. {m(NAME, p.full)}, con NIF {m(NID, dni(r, 'dash'))} y domicilio a efectos "
        f"de notificaciones en {m(ADDRESS, es_address(r))}, EXPONE: que ha recibido liquidación provisional "
        f"{policy_no(r)} por {eur(r)}, y SOLICITA su anulación.\n\nFdo.: {m(NAME, p.short)}"
    )


@tpl("es")
def es_crm_caps_multi(r: random.Random, m: Msg) -> str:
    """CRM note with inverted capitals name, NIE, email and IBAN."""
    p = other_person(r)
    return (
        f"ALTA CLIENTE: {m(NAME, caps(p.inverted))} / NIE {m(NID, nie(r, 'plain'))} / "
        f"{m(EMAIL, email_any(r, p, 'es'))} / CTA {m(IBAN, iban(r, 'ES', 'compact'))} / TARIFA 300MB"
    )


@tpl("es")
def es_veterinario(r: random.Random, m: Msg) -> str:
    """Vet appointment with owner data and microchip look-alike."""
    p = es_person(r)
    return (
        f"Cita para vacunar a Toby (chip {digits(r, 15)}) el {date_es(r)}. Propietaria: {m(NAME, p.full)}, "
        f"{m(PHONE, es_phone(r))}."
    )


@tpl("es")
def es_pasaporte_antes(r: random.Random, m: Msg) -> str:
    """Passport number before its keyword."""
    p = mixed_es(r)
    cc = r.choice(sorted(PASSPORTS))
    return (
        f"{m(PASSPORT, passport(r, cc))} es el número de mi pasaporte {PASSPORTS[cc][0]}, por si lo piden en el "
        f"check-in online. La reserva está a nombre de {m(NAME, p.full)}."
    )


@tpl("es")
def es_ong_donante(r: random.Random, m: Msg) -> str:
    """NGO donor form."""
    p = es_person(r)
    return (
        f"Quiero hacerme socia con una cuota de {eur(r)} al mes. Nombre: {m(NAME, p.full)}. DNI: {m(NID, dni(r))} "
        f"(para el certificado de Hacienda). IBAN: {m(IBAN, iban(r, 'ES'))}. Correo: {m(EMAIL, email_any(r, p, 'es'))}"
    )


@tpl("es")
def es_portugues(r: random.Random, m: Msg) -> str:
    """Portuguese customer with Portuguese address and IBAN."""
    p = other_person(r, "pt")
    return (
        f"Bom dia, perdón por mi español. Soy {m(NAME, p.full)}, vivo en {m(ADDRESS, world_address(r, 'PT'))}. "
        f"El reembolso a {m(IBAN, iban(r, 'PT'))}, por favor."
    )


@tpl("es", 1)
def es_llamada_perdida(r: random.Random, m: Msg) -> str:
    """Short message about a missed call with an international prefix."""
    return (
        f"Tengo una llamada perdida del {m(PHONE, es_phone(r, prefix=r.choice(['0034 ', '+34 ', '(+34) '])))}, ¿son "
        "ustedes?"
    )


@tpl("es", 1)
def es_lista_invitados(r: random.Random, m: Msg) -> str:
    """Guest list with lowercase names."""
    ps = [mixed_es(r) for _ in range(4)]
    return "lista pa la boda mesa 7: " + ", ".join(m(NAME, low(q.short)) for q in ps) + f" y los niños. menu {eur(r)}"


# ------------------------------------------------------------------------------------------------ checks


def nid_ok(v: str) -> bool:
    """True for a DNI or NIE whose control letter is right (dots, dashes, spaces and case ignored)."""
    c = re.sub(r"[\s.\-]", "", v).upper()
    if re.fullmatch(r"\d{8}[A-Z]", c):
        return DNI_LETTERS[int(c[:8]) % 23] == c[8]
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", c):
        return DNI_LETTERS[int(str("XYZ".index(c[0])) + c[1:8]) % 23] == c[8]
    return False


def nss_ok(v: str) -> bool:
    """True for a 12-digit Spanish NSS with a valid province and control digits."""
    d = re.sub(r"\D", "", v)
    return len(d) == 12 and 1 <= int(d[:2]) <= 52 and int(d[:10]) % 97 == int(d[10:])


def ssn_ok(v: str) -> bool:
    """True for a US SSN outside the never-issued ranges."""
    d = re.sub(r"\D", "", v)
    return len(d) == 9 and d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


def card_ok(v: str) -> bool:
    """True for 13 to 19 digits passing Luhn."""
    d = re.sub(r"\D", "", v)
    return 13 <= len(d) <= 19 and luhn_ok(d)


CHECKS: dict[str, Callable[[str], bool]] = {NID: nid_ok, NSS: nss_ok, SSN: ssn_ok, CARD: card_ok, IBAN: iban_ok}


def spans(text: str, value: str) -> list[tuple[int, int]]:
    """All (start, end) positions of value in text."""
    return [(i.start(), i.start() + len(value)) for i in re.finditer(re.escape(value), text)]


def hidden_values(text: str) -> list[tuple[str, str, int, int]]:
    """Checksum-valid DNI/NIE, NSS, card and IBAN strings found anywhere in text, with their spans."""
    found = []
    for rx, typ in (
        (r"(?<![\w.])\d{2}\.?\d{3}\.?\d{3}[\s-]?[A-Za-z](?!\w)", NID),
        (r"(?<!\w)[XYZxyz][\s-]?\d{7}[\s-]?[A-Za-z](?!\w)", NID),
        (r"(?<![\d/])\d{2}[/\s-]?\d{8}[/\s-]?\d{2}(?![\d/])", NSS),
        (r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)", CARD),
    ):
        for mt in re.finditer(rx, text):
            if CHECKS[typ](mt.group()):
                found.append((typ, mt.group(), mt.start(), mt.end()))
    for mt in re.finditer(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}", text):
        i, compact, ends = mt.start(), "", []
        j = i
        while j < len(text) and len(compact) < 34:
            if text[j].isalnum() and text[j].isascii():
                compact += text[j]
                ends.append(j + 1)
            elif not (text[j] == " " and j + 1 < len(text) and text[j + 1].isalnum()):
                break
            j += 1
        for k in range(15, len(compact) + 1):
            if iban_ok(compact[:k]):
                found.append((IBAN, text[i : ends[k - 1]], i, ends[k - 1]))
    return found


def check_message(text: str, planted: list[tuple[str, str]], fakes: list[tuple[str, str]] = ()) -> list[str]:
    """Problems with one message: missing or failing values, clashes between types, hidden valid numbers."""
    errs = []
    by_value: dict[str, set[str]] = defaultdict(set)
    for typ, value in planted:
        by_value[value].add(typ)
        if typ not in TYPES:
            errs.append(f"unknown type {typ}")
        if not value or value not in text:
            errs.append(f"{typ} {value!r} not in text")
        if typ in CHECKS and not CHECKS[typ](value):
            errs.append(f"{typ} {value!r} fails its check")
        if value != value.strip():
            errs.append(f"{typ} {value!r} has surrounding spaces")
    errs += [f"{v!r} planted as {sorted(ts)}" for v, ts in by_value.items() if len(ts) > 1]
    for typ, value in fakes:
        if CHECKS[typ](value):
            errs.append(f"look-alike {typ} {value!r} passes its check")
    for ta, va in planted:
        others = [s for tb, vb in planted if tb != ta and va != vb and va in vb for s in spans(text, vb)]
        if others and all(any(a <= s and e <= b for a, b in others) for s, e in spans(text, va)):
            errs.append(f"{ta} {va!r} only occurs inside a value of another type")
    covered = [s for _, v in planted for s in spans(text, v)]
    for typ, value, s, e in hidden_values(text):
        if not any(a < e and s < b for a, b in covered):
            errs.append(f"unlisted valid {typ} {value!r}")
    return errs


# -------------------------------------------------------------------------------------------------- build


def half_of(template: int) -> str:
    """Templates alternate between a dev half (whose misses a detector may be improved on) and a test half
    (added after the corpus was first measured whole, blind)."""
    return "dev" if template % 2 else "test"


def build() -> list[dict]:
    """Instantiate every template, retrying instances that fail the checks or repeat earlier values."""
    r = random.Random(SEED)
    records, seen_values = [], set()
    for tid, (lang, n, fn) in enumerate(TEMPLATES, 1):
        texts: set[str] = set()
        for _ in range(n):
            for _attempt in range(200):
                m = Msg()
                text = fn(r, m)
                values = {v for _, v in m.planted}
                if text in texts or values & seen_values or check_message(text, m.planted, m.fakes):
                    continue
                break
            else:
                raise SystemExit(f"template {tid} ({fn.__name__}) failed: {check_message(text, m.planted, m.fakes)}")
            texts.add(text)
            seen_values |= values
            planted = [{"type": t, "value": v} for t, v in m.planted]
            records.append({"text": text, "lang": lang, "planted": planted, "template": tid, "half": half_of(tid)})
    r.shuffle(records)
    return records


def verify(records: list[dict]) -> list[str]:
    """Problems with the whole corpus (per message and across messages)."""
    errs = []
    value_types: dict[str, set[str]] = defaultdict(set)
    for i, rec in enumerate(records, 1):
        planted = [(p["type"], p["value"]) for p in rec["planted"]]
        if rec.get("lang") not in ("es", "en") or not isinstance(rec.get("template"), int):
            errs.append(f"line {i}: bad lang or template")
        elif rec.get("half") != half_of(rec["template"]):
            errs.append(f"line {i}: bad half")
        if len(set(planted)) != len(planted):
            errs.append(f"line {i}: duplicate planted value")
        errs += [f"line {i}: {e}" for e in check_message(rec["text"], planted)]
        for t, v in planted:
            value_types[v].add(t)
    errs += [f"{v!r} planted as {sorted(ts)} in different messages" for v, ts in value_types.items() if len(ts) > 1]
    return errs


def table(records: list[dict]) -> str:
    """Planted counts per type and language, templates per type, and message counts."""
    counts: Counter[tuple[str, str]] = Counter()
    tmpl: dict[str, set[int]] = defaultdict(set)
    for rec in records:
        for p in rec["planted"]:
            counts[p["type"], rec["lang"]] += 1
            tmpl[p["type"]].add(rec["template"])
    langs = Counter(rec["lang"] for rec in records)
    empty = Counter(rec["lang"] for rec in records if not rec["planted"])
    lines = [f"{'type':<16}{'es':>6}{'en':>6}{'total':>7}{'templates':>11}"]
    for t in TYPES:
        es, en = counts[t, "es"], counts[t, "en"]
        lines.append(f"{t:<16}{es:>6}{en:>6}{es + en:>7}{len(tmpl[t]):>11}")
    lines.append(f"{'all values':<16}{sum(counts[t, 'es'] for t in TYPES):>6}{sum(counts[t, 'en'] for t in TYPES):>6}")
    lines.append(
        f"messages: {len(records)} (es {langs['es']}, en {langs['en']}); without PII: {sum(empty.values())} "
        f"(es {empty['es']}, en {empty['en']}); templates: {len({rec['template'] for rec in records})}"
    )
    return "\n".join(lines)


def main() -> int:
    """Generate and verify the corpus, or only verify it with --check."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="re-verify the written file only")
    args = ap.parse_args()
    if args.check:
        records = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        records = build()
        with OUT.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        records = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines()]
    errs = verify(records)
    print(table(records))
    if errs:
        print(f"\n{len(errs)} problems:", *errs[:40], sep="\n")
        return 1
    print(f"\n{OUT.name}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
