#!/usr/bin/env python3
"""Held-out PII evaluation corpus no. 4: Spanish and English customer text with every personal value listed.

Writes ``pii_heldout4.jsonl`` beside this file: about 400 synthetic messages (live chat, informal messaging,
formal e-mails, web-form dumps, CRM notes, letters, call transcripts, HR, banking, travel, insurance, rental,
medical, marketplace, customs, school, gym, utilities, telecom, legal notices), one JSON object per line::

    {"text": ..., "lang": "es"|"en", "planted": [{"type": T, "value": V}, ...], "template": <int>}

``planted`` lists every personal value in the text (types: name, email, phone, national_id, social_security,
ssn, passport, card, iban, address); each value is an exact substring of the text, listed once. About 15% of
the messages carry no personal data, only look-alikes (order, invoice and ticket numbers, tracking codes,
prices, dates, times, lone postcodes, product references, serials, flight numbers, street names without a
number, company names, and DNI / card / IBAN / NSS numbers that fail their checks); look-alikes also sit
inside the messages that do carry personal data.

This corpus was written blind: without reading the detector, its tests, its docs or any earlier corpus,
from a specification of the types and their value conventions only.

Value conventions: names without titles (Sr., Dña., Mr, Dr) or greetings, as written (lowercase in chats,
capitals in CRM notes, "Surname, First" forms); phones as written including "+34" / "0034" / "(+34)" / "+44"
prefixes; DNI/NIE, NSS, SSN, cards and IBANs as written (dots, dashes, spaces, lowercase kept); passports the
number only; addresses from the street type or house number (or "Flat N,") to the floor/door, plus postcode,
city and region when they follow directly (comma-separated or on the next lines of an address block). Street
names that put the type last (Basque "... kalea", German "...straße", Dutch "...straat") start at the name.

Run (standard library only, deterministic, fixed seed)::

    python benchmarks/data/make_pii_heldout4.py          # generate, verify, write, print counts
    python benchmarks/data/make_pii_heldout4.py --check  # re-verify the written file only
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

SEED = 4_0404
OUT_PATH = Path(__file__).with_name("pii_heldout4.jsonl")
TYPES = ("name", "email", "phone", "national_id", "social_security", "ssn", "passport", "card", "iban", "address")
DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
IBAN_LEN = {
    "ES": 24,
    "DE": 22,
    "FR": 27,
    "IT": 27,
    "PT": 25,
    "GB": 22,
    "IE": 22,
    "NL": 18,
    "BE": 16,
    "AT": 20,
    "CH": 21,
    "PL": 28,
    "LU": 20,
}


def pool(text: str) -> list[str]:
    """Split a comma-separated pool literal into its stripped items."""
    return [item.strip() for item in text.split(",") if item.strip()]


# ----------------------------------------------------------------------------------------------- name pools
ES_FIRST = pool("""
Lucía, María, Carmen, Ana, Laura, Marta, Elena, Sara, Paula, Cristina, Isabel, Raquel, Patricia, Beatriz, Nuria,
Silvia, Rocío, Irene, Alicia, Claudia, Andrea, Noelia, Sonia, Eva, Natalia, Inés, Julia, Teresa, Rosa, Dolores,
Consuelo, Inmaculada, Encarnación, Montse, Begoña, Ainhoa, Itziar, Maite, Nerea, Aitana, Lorena, Verónica,
Yolanda, Esther, Miriam, Susana, Vanesa, Gemma, Olga, Celia, Lidia, Adriana, Ángela, Carla, Daniela, Valeria,
Jimena, Martina, Noa, Olivia, Candela, Macarena, Amparo, Remedios, Soledad, Fátima, Milagros, María José,
María Teresa, Ana Belén, Mari Carmen, Rosa María, Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel,
Carlos, Jesús, Alejandro, Miguel, Rafael, Pablo, Pedro, Ángel, Sergio, Fernando, Jorge, Luis, Alberto, Álvaro,
Adrián, Diego, Raúl, Iván, Rubén, Óscar, Enrique, Ramón, Andrés, Vicente, Joaquín, Víctor, Eduardo, Roberto,
Jaime, Ignacio, Marcos, Mario, Hugo, Gonzalo, Íñigo, Aitor, Unai, Iker, Jon, Xabier, Jordi, Pau, Oriol, Arnau,
Xavier, Borja, Guillermo, Ricardo, Emilio, Julián, Agustín, Salvador, Tomás, Nicolás, Gabriel, Samuel, Héctor,
Félix, Cristian, Marc, Alfonso, Sebastián, Mateo, Bruno, Izan, Gorka, José Luis, Juan Carlos, José Antonio,
Francisco Javier, Juan Manuel, Xosé, Uxía, Iria, Antía, Leire, Ane, Maialen, Estíbaliz, Nahia, Ohiane
""")
ES_LAST = pool("""
García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz,
Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos,
Gil, Ramírez, Serrano, Blanco, Molina, Morales, Suárez, Ortega, Delgado, Castro, Ortiz, Rubio, Marín, Sanz,
Núñez, Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano, Guerrero, Cano, Prieto, Méndez, Calvo,
Gallego, Herrera, Márquez, Peña, Cabrera, Campos, Vega, Fuentes, Carrasco, Diez, Caballero, Reyes, Nieto,
Aguilar, Pascual, Santana, Herrero, Montero, Lorenzo, Hidalgo, Giménez, Ibáñez, Ferrer, Durán, Benítez, Vargas,
Vicente, Arias, Carmona, Crespo, Román, Pastor, Sáez, Velasco, Moya, Soler, Parra, Esteban, Bravo, Gallardo,
Rojas, Pardo, Merino, Espinosa, Izquierdo, Lara, Rivas, Silva, Rivera, Casado, Arroyo, Redondo, Camacho, Vera,
Otero, Luque, Galán, Montes, Ríos, Segura, Carrillo, Soriano, Mendoza, Robles, Bernal, Vidal, Valero, Beltrán,
Palacios, Expósito, Salazar, Benito, Quintero, Rosales, Escobar, Ferrero, Vallejo, Aguirre, Figueroa, Manzano,
Acosta, Ballesteros, Cuesta, Barrios, Gordillo, Echeverría, Urquijo, Etxeberria, Goikoetxea, Arrieta,
Zubizarreta, Puig, Vilalta, Casals, Roig, Castells, Pujol, Codina, Font, Rovira, Sala, Bosch, Feijoo, Outeiral,
Piñeiro, Couto, de la Torre, San Martín, Lafuente, Tejedor, Villanueva
""")
EN_FIRST = pool("""
Oliver, George, Harry, Jack, Jacob, Noah, Charlie, Thomas, Oscar, William, James, Henry, Leo, Alfie, Joshua,
Freddie, Archie, Ethan, Isaac, Alexander, Joseph, Edward, Samuel, Max, Daniel, Arthur, Lucas, Logan, Theo,
Harrison, Benjamin, Mason, Sebastian, Finley, Adam, Dylan, Zachary, Riley, Teddy, Matthew, Luke, Ryan, Connor,
Liam, Aidan, Ciarán, Seán, Patrick, Declan, Eoin, Cormac, Michael, David, John, Robert, Christopher, Andrew,
Kevin, Brian, Gary, Mark, Paul, Stephen, Peter, Simon, Richard, Anthony, Nathan, Tyler, Brandon, Justin, Kyle,
Aaron, Jeremy, Caleb, Olivia, Amelia, Isla, Ava, Emily, Sophia, Grace, Mia, Poppy, Ella, Lily, Evie, Isabella,
Sophie, Ivy, Freya, Harper, Isabelle, Daisy, Rosie, Phoebe, Scarlett, Matilda, Ruby, Chloe, Jessica, Hannah,
Lauren, Megan, Rebecca, Charlotte, Eleanor, Harriet, Imogen, Abigail, Bethany, Niamh, Aoife, Saoirse, Siobhán,
Orla, Róisín, Ciara, Caoimhe, Emma, Sarah, Rachel, Laura, Helen, Karen, Susan, Linda, Margaret, Patricia,
Jennifer, Elizabeth, Barbara, Nancy, Deborah, Stephanie, Brittany, Kayla, Madeline, Tiffany, Courtney,
Danielle, Heather, Melissa, Amanda, Kimberly, Nicole, Samantha, Alison, Kirsty, Fiona, Morag, Ailsa, Gareth,
Rhys, Dafydd, Owain, Bronwen, Cerys, Siân, Graham, Neil, Ian, Alistair, Hamish, Callum, Wayne, Shaun
""")
EN_LAST = pool("""
Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson, Thompson,
Wright, Walker, White, Edwards, Hughes, Hall, Lewis, Harris, Clarke, Patel, Jackson, Turner, Martin, Cooper,
Ward, Morris, Moore, Clark, Lee, Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker,
Bennett, Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy,
Miller, Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson, Foster,
Chapman, Powell, Webb, Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, Matthews, Owen, Palmer, Holmes, Mills,
Barnes, Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins, Murray, Dixon, Harvey, Graham,
Pearson, Ahmed, Fletcher, Walsh, Kaur, Gibson, Howard, Andrews, Stewart, Elliott, Reynolds, Saunders, Payne,
Fox, Pearce, Lawrence, Cole, Atkinson, Bradley, Spencer, Gill, Dawson, Ball, Burton, O'Brien, Watts, Booth,
Perry, Grant, Wells, Armstrong, Francis, Rees, Hayes, Hart, Hudson, Newman, Barrett, Gregory, Lowe, O'Connor,
O'Sullivan, McCarthy, Byrne, Doyle, Kennedy, Gallagher, Quinn, McLaughlin, Fitzgerald, Nolan, MacDonald,
McKenzie, Fraser, Henderson, Ferguson, Sutherland, Sullivan, Peterson, Reed, Sanders, Ross, Simmons, Bryant,
Griffin, Myers, Wallace, Tucker, Porter, Hunter, Hicks, Crawford, Boyd, Warren, Burns, Gordon, Rice, Robertson,
Daniels, Nichols, Hawkins, Dunn, Perkins, Gardner, Stephens, Pierce, Berry, Arnold, Willis, Watkins, Olson,
Carroll, Duncan, Snyder, Cunningham
""")
# (first names, surnames, family name written first)
X_GROUPS = [
    (
        pool(
            "Youssef, Mohamed, Hamza, Karim, Omar, Rachid, Said, Mustafa, Bilal, Ayoub, Fatima, Khadija, Amina, "
            "Salma, Nadia, Samira, Houda, Zineb, Imane, Leila"
        ),
        pool(
            "El Amrani, Benali, Haddad, El Idrissi, Bouzid, Chaoui, Mansouri, Tahiri, Alaoui, Benjelloun, Ziani, "
            "Belkacem, Saidi, Hamdi, Khalil"
        ),
        False,
    ),
    (
        pool("Andrei, Mihai, Ionuț, Alexandru, Florin, Bogdan, Ioana, Andreea, Mihaela, Alina, Roxana, Gabriela"),
        pool("Popescu, Ionescu, Dumitru, Stan, Stoica, Gheorghe, Constantin, Munteanu, Moldovan, Radu, Lungu"),
        False,
    ),
    (
        pool("Giulia, Francesca, Chiara, Alessia, Federica, Matteo, Giuseppe, Alessandro, Davide, Riccardo, Simone"),
        pool("Rossi, Bianchi, Ricci, Romano, Colombo, Esposito, Russo, Gallo, Conti, De Luca, Mancini, Greco"),
        False,
    ),
    (
        pool(
            "Amélie, Camille, Chloé, Manon, Léa, Théo, Mathieu, Julien, Guillaume, Antoine, Baptiste, Élodie, Margaux"
        ),
        pool(
            "Dubois, Lefèvre, Moreau, Laurent, Girard, Lambert, Fontaine, Rousseau, Blanchard, Mercier, Chevalier, "
            "Bertrand, Faure"
        ),
        False,
    ),
    (
        pool("Jürgen, Lukas, Stefan, Matthias, Tobias, Florian, Anke, Katrin, Sabine, Jana, Lena, Johanna, Maximilian"),
        pool(
            "Müller, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Schäfer, Koch, Richter, Klein, "
            "Schröder, Neumann"
        ),
        False,
    ),
    (
        pool("João, Gonçalo, Tiago, Rodrigo, Mariana, Leonor, Thiago, Larissa, Luana, Caio, Vinícius"),
        pool("Ferreira, Pereira, Oliveira, Rodrigues, Martins, Sousa, Almeida, Carvalho, Ribeiro, Pinto"),
        False,
    ),
    (
        pool("Agnieszka, Katarzyna, Małgorzata, Magdalena, Krzysztof, Piotr, Tomasz, Paweł, Michał, Łukasz"),
        pool("Nowak, Kowalski, Wiśniewska, Wójcik, Kamińska, Lewandowski, Zieliński, Szymańska, Woźniak, Dąbrowski"),
        False,
    ),
    (
        pool("Oleksandr, Olena, Dmytro, Iryna, Andriy, Nataliya, Yulia, Serhiy, Tetiana, Bohdan"),
        pool("Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Boyko, Oliynyk, Petrenko"),
        False,
    ),
    (
        pool("Wei, Fang, Jing, Lei, Xiaoling, Jun, Mei, Hao, Yan, Ming, Xiu, Tao"),
        pool("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Lin"),
        True,
    ),
    (
        pool("Priya, Ananya, Aarav, Arjun, Rahul, Rohan, Sneha, Kavya, Vikram, Deepa, Anjali, Sanjay"),
        pool("Sharma, Gupta, Reddy, Iyer, Nair, Mehta, Joshi, Kapoor, Rao, Menon, Desai, Bose"),
        False,
    ),
    (
        pool("Chinedu, Ngozi, Oluwaseun, Adaeze, Emeka, Chiamaka, Tunde, Folake, Ifeanyi, Yetunde"),
        pool("Okafor, Adeyemi, Eze, Okonkwo, Balogun, Nwosu, Adebayo, Obi, Chukwu, Ogunleye"),
        False,
    ),
    (
        pool("Sanne, Femke, Daan, Bram, Jeroen, Sven, Lotte, Anouk"),
        pool("de Vries, van den Berg, Jansen, Bakker, Visser, Smit, de Jong, Mulder"),
        False,
    ),
    (pool("Emre, Mehmet, Elif, Zeynep, Burak, Ayşe"), pool("Yılmaz, Kaya, Demir, Şahin, Çelik, Aydın"), False),
    (pool("Minh, Linh, Thanh, Huong, Quang"), pool("Nguyen, Tran, Pham, Hoang, Vu"), False),
]
TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "ı": "i", "đ": "d", "æ": "ae"})


def deaccent(text: str) -> str:
    """Drop accents and diacritics (as people typing fast on a phone do)."""
    text = text.translate(TRANSLIT)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits only, for e-mail local parts."""
    return re.sub(r"[^a-z0-9]", "", deaccent(text).lower())


@dataclass
class Person:
    """One invented person; rendered in several written forms."""

    first: str
    last: str
    last2: str = ""
    middle: str = ""
    family_first: bool = False


def make_person(rng: random.Random, origin: str) -> Person:
    """Invent a person of the given origin: 'es', 'en' or 'x' (elsewhere)."""
    if origin == "es":
        last = rng.choice(ES_LAST)
        last2 = rng.choice([s for s in ES_LAST if s != last]) if rng.random() < 0.75 else ""
        return Person(rng.choice(ES_FIRST), last, last2)
    if origin == "en":
        first = rng.choice(EN_FIRST)
        return Person(first, rng.choice(EN_LAST), middle=rng.choice([n for n in EN_FIRST if n != first]))
    firsts, lasts, family_first = rng.choice(X_GROUPS)
    return Person(rng.choice(firsts), rng.choice(lasts), middle=rng.choice(UPPER), family_first=family_first)


def render_name(p: Person, variant: str) -> str:
    """Write a person's name in one of the forms used in the templates."""
    surnames = f"{p.last} {p.last2}".strip()
    full = f"{p.last} {p.first}" if p.family_first else f"{p.first} {surnames}"
    short = f"{p.last} {p.first}" if p.family_first else f"{p.first} {p.last}"
    surfirst = f"{surnames}, {p.first}"
    forms = {
        "full": full,
        "short": short,
        "first": p.first,
        "last": p.last,
        "surnames": surnames,
        "surfirst": surfirst,
        "upper": full.upper(),
        "uppersurfirst": surfirst.upper(),
        "lower": deaccent(short).lower(),
        "firstlower": deaccent(p.first).lower(),
        "mid": f"{p.first} {p.middle[0]}. {p.last}" if p.middle and not p.family_first else full,
        "initial": f"{p.first[0]}. {p.last}",
    }
    return forms[variant]


# ----------------------------------------------------------------------------------------------- e-mail
PERSONAL_DOMAINS = {
    "es": pool(
        "gmail.com, gmail.com, gmail.com, hotmail.com, hotmail.es, yahoo.es, outlook.es, outlook.com, "
        "icloud.com, telefonica.net, gmx.es, protonmail.com, live.com"
    ),
    "en": pool(
        "gmail.com, gmail.com, gmail.com, yahoo.co.uk, btinternet.com, outlook.com, hotmail.co.uk, "
        "icloud.com, aol.com, comcast.net, me.com, eircom.net, proton.me, sky.com"
    ),
    "x": pool(
        "gmail.com, gmail.com, outlook.com, orange.fr, libero.it, web.de, sapo.pt, wp.pl, ukr.net, "
        "yahoo.com, mail.ru, hotmail.fr"
    ),
}
CORP_DOMAINS = {
    "es": pool(
        "construccionesbetica.es, mail.logisticanorte.es, asesoriaprieto.com, clinicadentalsur.es, "
        "gruporiberamedia.com, ayto-villanueva.es, correo.hospitalvaldemar.es, alumnos.uvigo-ejemplo.es, "
        "ventas.ibericaseguros.es, transportes-levante.com"
    ),
    "en": pool(
        "northwindtraders.co.uk, mail.brightsparkenergy.com, hr.acmeholdings.com, kettering-partners.co.uk, "
        "blueharbour.ie, lakeviewdental.com, students.wessex-college.ac.uk, greenfield-solicitors.co.uk, "
        "ops.redkitelogistics.com, finance.oakhurst-group.com"
    ),
}
HANDLES = pool(
    "gatito, surfer.vlc, la_moto_roja, pepe.reformas, kiko-bcn, runner.girl, bluebird, tecnico.pc, "
    "mama.de.tres, elcanario, cheeky.monkey, footy.fan, mrbluesky, dj-nightowl, gamer.dad, yogi.bear, "
    "the.real.dmac, piruleta, chispas, sunnyside.up, lalunallena, moto-gp-fan"
)


def email_for(rng: random.Random, p: Person | None, domain_kind: str, lang: str) -> str:
    """Make an address derived from a person's name (or a free handle) on a personal or company domain."""
    if p is None:
        local = rng.choice(HANDLES) + rng.choice(["", str(rng.randint(1, 99)), str(rng.randint(1970, 2006))])
    else:
        f, last = slug(p.first.split()[0]), slug(p.last)
        local = rng.choice(
            [
                f"{f}.{last}",
                f"{f[0]}{last}",
                f"{f}{last}{rng.randint(1, 99)}",
                f"{last}.{f}",
                f"{f}_{last}",
                f"{f}.{last}{rng.randint(60, 99)}",
                f"{f}{last[0]}",
                f"{f}-{last}",
                f"{f[0]}.{last}",
                f"{f}.{slug(p.last2)}" if p.last2 else f"{last}{f[0]}",
            ]
        )
        if rng.random() < 0.12:
            local += "+" + rng.choice(["compras", "amazon", "news", "facturas", "shop", "work", "banco"])
        if rng.random() < 0.12:
            local = ".".join(part.capitalize() for part in local.split("."))
    if domain_kind == "corp":
        domain = rng.choice(CORP_DOMAINS["es" if lang == "es" else "en"])
    else:
        domain = rng.choice(PERSONAL_DOMAINS[lang])
    return f"{local}@{domain}"


# ----------------------------------------------------------------------------------------------- phones
def digits(rng: random.Random, n: int) -> str:
    """n random decimal digits."""
    return "".join(rng.choice(DIGITS) for _ in range(n))


def grouped(number: str, sizes: tuple[int, ...], sep: str) -> str:
    """Split a digit string into groups of the given sizes joined by sep."""
    out, i = [], 0
    for size in sizes:
        out.append(number[i : i + size])
        i += size
    return sep.join(out)


def phone_es(rng: random.Random, kind: str) -> str:
    """A Spanish mobile ('m') or landline ('l') in one of the spellings people use."""
    if kind == "m":
        first = rng.choice("66667")
        number = first + (rng.choice("1234") if first == "7" else rng.choice(DIGITS)) + digits(rng, 7)
    else:
        number = rng.choice(["91", "93", "95", "96", "94", "98", "97", "92", "88", "81", "83", "85", "86"]) + digits(
            rng, 7
        )
    sizes = rng.choice([(3, 3, 3), (3, 3, 3), (3, 2, 2, 2), (2, 3, 2, 2), (9,)])
    body = number if sizes == (9,) else grouped(number, sizes, rng.choice([" ", " ", " ", ".", "-"]))
    prefix = rng.choice(["", "", "", "", "+34 ", "+34 ", "0034 ", "(+34) ", "+34", "0034"])
    if prefix in ("+34", "0034") and sizes != (9,):
        prefix += " "
    return prefix + body


def phone_uk(rng: random.Random) -> str:
    """A UK mobile or landline, national or international spelling."""
    if rng.random() < 0.6:
        n = "7" + rng.choice("4579") + digits(rng, 8)
        return rng.choice(
            [
                f"0{n[:4]} {n[4:]}",
                f"0{n[:4]} {n[4:7]} {n[7:]}",
                f"+44 {n[:4]} {n[4:]}",
                f"+44 (0){n[:4]} {n[4:]}",
                f"0044 {n[:4]} {n[4:7]} {n[7:]}",
                f"0{n}",
                f"+44{n}",
            ]
        )
    area = rng.choice(["20", "161", "113", "117", "121", "131", "141", "151", "114", "29", "1865", "1223"])
    rest = digits(rng, 10 - len(area))
    if len(area) == 2:
        body = f"{area} {rest[:4]} {rest[4:]}"
    elif len(area) == 3:
        body = f"{area} {rest[:3]} {rest[3:]}"
    else:
        body = f"{area} {rest}"
    return rng.choice(["0", "0", "+44 "]) + body


def phone_us(rng: random.Random) -> str:
    """A US number in one of the usual spellings."""
    a = rng.choice(["212", "415", "312", "617", "206", "512", "305", "404", "503", "720", "615", "646", "718", "619"])
    e, n = str(rng.randint(201, 989)), digits(rng, 4)
    return rng.choice(
        [
            f"({a}) {e}-{n}",
            f"{a}-{e}-{n}",
            f"{a}.{e}.{n}",
            f"+1 {a} {e} {n}",
            f"+1 ({a}) {e}-{n}",
            f"1-{a}-{e}-{n}",
            f"{a}{e}{n}",
            f"({a}) {e}-{n}",
        ]
    )


def phone_ie(rng: random.Random) -> str:
    """An Irish mobile or Dublin landline."""
    if rng.random() < 0.7:
        x, d = rng.choice("35679"), digits(rng, 7)
        return rng.choice([f"08{x} {d[:3]} {d[3:]}", f"+353 8{x} {d[:3]} {d[3:]}", f"00353 8{x}{d}", f"08{x}{d}"])
    d = digits(rng, 7)
    return rng.choice([f"01 {d[:3]} {d[3:]}", f"+353 1 {d[:3]} {d[3:]}"])


def phone_intl(rng: random.Random) -> str:
    """A number from another country, with + or 00."""
    cc, lead, sizes = rng.choice(
        [
            ("33", "6", (1, 2, 2, 2, 2)),
            ("33", "7", (1, 2, 2, 2, 2)),
            ("49", "151", (3, 8)),
            ("39", "347", (3, 3, 4)),
            ("351", "91", (3, 3, 3)),
            ("52", "55", (2, 4, 4)),
            ("212", "6", (3, 3, 3)),
            ("40", "72", (3, 3, 3)),
            ("57", "310", (3, 3, 4)),
            ("48", "50", (3, 3, 3)),
            ("380", "67", (2, 3, 2, 2)),
            ("86", "138", (3, 4, 4)),
            ("91", "98", (5, 5)),
            ("234", "803", (3, 3, 4)),
            ("31", "6", (1, 8)),
            ("61", "4", (3, 3, 3)),
            ("41", "79", (2, 3, 2, 2)),
            ("593", "9", (2, 3, 4)),
        ]
    )
    total = sum(sizes)
    number = lead + digits(rng, total - len(lead))
    body = grouped(number, sizes, rng.choice([" ", " ", " ", "-"]))
    return (f"+{cc} " if rng.random() < 0.75 else f"00{cc} ") + body


# ----------------------------------------------------------------------------------------------- identifiers
def dni_letter(number: str) -> str:
    """Control letter of a DNI number or of an NIE with X/Y/Z already turned into 0/1/2."""
    return DNI_LETTERS[int(number) % 23]


def make_dni(rng: random.Random, kind: str, bad: bool = False) -> str:
    """A DNI ('dni') or NIE ('nie') in a common spelling; bad=True gives a wrong letter."""
    if kind == "nie":
        p, n = rng.choice("XYZ"), digits(rng, 7)
        letter = dni_letter(str("XYZ".index(p)) + n)
    else:
        n = f"{rng.randint(1_000_000, 79_999_999):08d}"
        letter = dni_letter(n)
    if bad:
        letter = rng.choice([c for c in DNI_LETTERS if c != letter])
    if rng.random() < 0.1:
        letter = letter.lower()
    if kind == "nie":
        return rng.choice(
            [
                f"{p}{n}{letter}",
                f"{p}{n}{letter}",
                f"{p}-{n}-{letter}",
                f"{p} {n} {letter}",
                f"{p}{n}-{letter}",
                f"{p.lower()}{n}{letter}",
            ]
        )
    dotted = f"{n[:2]}.{n[2:5]}.{n[5:]}"
    return rng.choice(
        [
            f"{n}{letter}",
            f"{n}{letter}",
            f"{n}-{letter}",
            f"{n} {letter}",
            f"{dotted}-{letter}",
            f"{dotted}{letter}",
            f"{dotted} {letter}",
        ]
    )


def make_nss(rng: random.Random, bad: bool = False) -> str:
    """A Spanish social security number (province + 8 digits + control) in a common spelling."""
    prov, num = f"{rng.randint(1, 52):02d}", str(rng.randint(10_000_000, 99_999_999))
    control = int(prov + num) % 97
    if bad:
        control = (control + rng.randint(1, 96)) % 97
    c = f"{control:02d}"
    return rng.choice(
        [
            f"{prov}{num}{c}",
            f"{prov}/{num}/{c}",
            f"{prov}-{num}-{c}",
            f"{prov} {num} {c}",
            f"{prov}/{num}{c}",
            f"{prov} {num}/{c}",
            f"{prov}/{num}-{c}",
            f"{prov}{num}{c}",
        ]
    )


def make_ssn(rng: random.Random) -> str:
    """A US social security number with a valid area, group and serial."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    a, g, s = f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"
    return rng.choice([f"{a}-{g}-{s}", f"{a}-{g}-{s}", f"{a} {g} {s}", f"{a}{g}{s}"])


def letters(rng: random.Random, n: int, alphabet: str = UPPER) -> str:
    """n random characters from alphabet (uppercase letters by default)."""
    return "".join(rng.choice(alphabet) for _ in range(n))


PASSPORT_SHAPES = {
    "ES": lambda r: letters(r, 3) + digits(r, 6),
    "GB": lambda r: digits(r, 9),
    "US": lambda r: digits(r, 9),
    "FR": lambda r: digits(r, 2) + letters(r, 2) + digits(r, 5),
    "DE": lambda r: r.choice("CFGHJK") + letters(r, 8, "CFGHJKLMNPRTVWXYZ0123456789"),
    "IT": lambda r: letters(r, 2) + digits(r, 7),
    "PT": lambda r: r.choice("CLNP") + digits(r, 6),
    "MX": lambda r: r.choice("GNP") + digits(r, 8),
    "CA": lambda r: letters(r, 2) + digits(r, 6),
    "IN": lambda r: r.choice("JKLMNPRSTUVZ") + digits(r, 7),
    "CN": lambda r: r.choice("EG") + digits(r, 8),
    "BR": lambda r: letters(r, 2) + digits(r, 6),
    "AR": lambda r: letters(r, 3) + digits(r, 6),
    "MA": lambda r: letters(r, 2) + digits(r, 7),
    "NG": lambda r: "A" + digits(r, 8),
    "RO": lambda r: digits(r, 8),
    "CO": lambda r: "AX" + digits(r, 7),
    "UA": lambda r: letters(r, 2) + digits(r, 6),
    "IE": lambda r: letters(r, 2) + digits(r, 7),
    "NL": lambda r: letters(r, 2) + letters(r, 7, UPPER[:8] + DIGITS),
}


def make_passport(rng: random.Random, variant: str, lang: str) -> str:
    """A passport number of the given country code, 'x' (not ES/GB/US) or a language-weighted random one."""
    foreign = [c for c in PASSPORT_SHAPES if c not in ("ES", "GB", "US")]
    if variant in PASSPORT_SHAPES:
        country = variant
    elif variant == "x":
        country = rng.choice(foreign)
    elif rng.random() < 0.55:
        country = "ES" if lang == "es" else rng.choice(["GB", "US", "IE"])
    else:
        country = rng.choice(list(PASSPORT_SHAPES))
    return PASSPORT_SHAPES[country](rng)


def luhn_ok(number: str) -> bool:
    """Luhn checksum of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def make_card(rng: random.Random, brand: str, bad: bool = False) -> str:
    """A Luhn-valid (or, bad=True, Luhn-failing) card number of a brand, grouped as people write it."""
    if not brand:
        brand = rng.choice(["visa", "visa", "visa", "mc", "mc", "amex", "visa13", "19", "disc"])
    prefix, length = {
        "visa": ("4", 16),
        "visa13": ("4", 13),
        "amex": (rng.choice(["34", "37"]), 15),
        "mc": (rng.choice(["51", "52", "53", "54", "55", str(rng.randint(2221, 2720))]), 16),
        "19": (rng.choice(["4", "62", "6759"]), 19),
        "disc": ("6011", 16),
    }[brand]
    body = prefix + digits(rng, length - len(prefix) - 1)
    check = next(c for c in DIGITS if luhn_ok(body + c))
    if bad:
        check = rng.choice([c for c in DIGITS if c != check])
    number = body + check
    sep = rng.choice([" ", " ", "-", ""])
    sizes = {16: (4, 4, 4, 4), 15: (4, 6, 5), 13: (4, 4, 5), 19: (4, 4, 4, 4, 3)}[length]
    return grouped(number, sizes, sep) if sep else number


ES_BANKS = pool("2100, 0049, 0182, 0081, 0128, 1465, 2085, 3058, 0075, 2080, 0239, 1491, 0487, 3035")


def es_control(ten: str) -> int:
    """One Spanish CCC control digit over ten digits."""
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    r = 11 - sum(int(d) * w for d, w in zip(ten, weights)) % 11
    return 0 if r == 11 else 1 if r == 10 else r


def make_bban(rng: random.Random, cc: str) -> str:
    """A plausible domestic account number (BBAN) for an IBAN country."""
    if cc == "ES":
        bank, branch, account = rng.choice(ES_BANKS), digits(rng, 4), digits(rng, 10)
        return f"{bank}{branch}{es_control('00' + bank + branch)}{es_control(account)}{account}"
    if cc == "FR":
        bank, branch, account = digits(rng, 5), digits(rng, 5), digits(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        return f"{bank}{branch}{account}{key:02d}"
    if cc == "BE":
        first = digits(rng, 10)
        return f"{first}{int(first) % 97 or 97:02d}"
    if cc == "IT":
        return rng.choice(UPPER) + digits(rng, 22)
    if cc == "DE":
        return rng.choice(["10070000", "37040044", "50010517", "70020270", "20050550", "43060967"]) + digits(rng, 10)
    if cc == "GB":
        return rng.choice(["NWBK", "BARC", "HBUK", "LOYD", "MIDL", "MONZ"]) + digits(rng, 14)
    if cc == "IE":
        return rng.choice(["AIBK", "BOFI", "IPBS"]) + digits(rng, 14)
    if cc == "NL":
        return rng.choice(["INGB", "ABNA", "RABO", "TRIO", "BUNQ"]) + digits(rng, 10)
    return digits(rng, IBAN_LEN[cc] - 4)


def iban_check_digits(cc: str, bban: str) -> str:
    """The two ISO 13616 check digits for a country code and BBAN."""
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    return f"{98 - int(num) % 97:02d}"


def make_iban(rng: random.Random, cc: str, lang: str, bad: bool = False) -> str:
    """An IBAN (valid, or bad=True with wrong check digits), in groups of four or unspaced, maybe lowercase."""
    if cc not in IBAN_LEN:
        cc = "ES" if (lang == "es" and rng.random() < 0.7) else rng.choice(list(IBAN_LEN))
    bban = make_bban(rng, cc)
    check = iban_check_digits(cc, bban)
    if bad:
        check = f"{(int(check) + rng.randint(1, 96)) % 97:02d}"
    compact = cc + check + bban
    text = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if rng.random() < 0.6 else compact
    return text.lower() if rng.random() < 0.15 else text


# ----------------------------------------------------------------------------------------------- addresses
ES_CITIES = [
    ("Madrid", "28", ""),
    ("Getafe", "28", "Madrid"),
    ("Alcalá de Henares", "28", "Madrid"),
    ("Móstoles", "28", "Madrid"),
    ("Leganés", "28", "Madrid"),
    ("Valencia", "46", ""),
    ("Gandia", "46", "Valencia"),
    ("Sevilla", "41", ""),
    ("Dos Hermanas", "41", "Sevilla"),
    ("Zaragoza", "50", ""),
    ("Málaga", "29", ""),
    ("Marbella", "29", "Málaga"),
    ("Murcia", "30", ""),
    ("Cartagena", "30", "Murcia"),
    ("Alicante", "03", ""),
    ("Elche", "03", "Alicante"),
    ("Valladolid", "47", ""),
    ("Granada", "18", ""),
    ("Córdoba", "14", ""),
    ("Salamanca", "37", ""),
    ("Burgos", "09", ""),
    ("Oviedo", "33", "Asturias"),
    ("Gijón", "33", "Asturias"),
    ("Santander", "39", "Cantabria"),
    ("Logroño", "26", "La Rioja"),
    ("Pamplona", "31", "Navarra"),
    ("Cáceres", "10", ""),
    ("Badajoz", "06", ""),
    ("Palma", "07", "Illes Balears"),
    ("Las Palmas de Gran Canaria", "35", "Las Palmas"),
    ("Almería", "04", ""),
    ("Santa Cruz de Tenerife", "38", ""),
    ("Huelva", "21", ""),
    ("Jaén", "23", ""),
    ("Cádiz", "11", ""),
    ("Jerez de la Frontera", "11", "Cádiz"),
    ("Albacete", "02", ""),
    ("Toledo", "45", ""),
    ("Huesca", "22", ""),
    ("Castellón de la Plana", "12", "Castellón"),
    ("Guadalajara", "19", ""),
    ("Segovia", "40", ""),
    ("Ávila", "05", ""),
    ("Ciudad Real", "13", ""),
    ("Palencia", "34", ""),
    ("Soria", "42", ""),
    ("Melilla", "52", ""),
    ("Ceuta", "51", ""),
]
CAT_CITIES = [
    ("Barcelona", "08"),
    ("Girona", "17"),
    ("Lleida", "25"),
    ("Tarragona", "43"),
    ("Sabadell", "08"),
    ("Terrassa", "08"),
    ("Mataró", "08"),
    ("Reus", "43"),
]
GAL_CITIES = [
    ("A Coruña", "15"),
    ("Vigo", "36"),
    ("Lugo", "27"),
    ("Ourense", "32"),
    ("Pontevedra", "36"),
    ("Ferrol", "15"),
    ("Santiago de Compostela", "15"),
]
EUS_CITIES = [
    ("Bilbao", "48"),
    ("Donostia", "20"),
    ("Vitoria-Gasteiz", "01"),
    ("Getxo", "48"),
    ("Barakaldo", "48"),
    ("Irun", "20"),
]
ES_STREETS = {
    "Calle": pool(
        "Mayor, de Alcalá, del Doctor Esquerdo, de la Princesa, Real, Nueva, del Carmen, de San Bernardo, "
        "de Atocha, del General Ricardos, de las Flores, de Hortaleza, de Ferraz, de Embajadores, "
        "de Cervantes, de Colón, de la Libertad, de Castilla, del Puerto, de San Fernando, de la Estación, "
        "de las Huertas, de la Reina, Gran Vía, de Goya, de Toledo, Sierpes, Larios, del Olmo, de los Almendros"
    ),
    "Avenida": pool(
        "de América, de la Constitución, de Andalucía, de Europa, del Mediterráneo, de Portugal, "
        "de la Libertad, de la Ilustración, de los Reyes Católicos, de Burgos, del Cid"
    ),
    "Paseo": pool("de la Castellana, del Prado, de Extremadura, Marítimo, de las Delicias, de Zorrilla, de la Habana"),
    "Plaza": pool("Mayor, de España, del Ayuntamiento, de la Constitución, de la Villa, de los Fueros"),
    "Camino": pool("de los Molinos, de la Fuente, Viejo, de Ronda, del Cementerio Viejo"),
    "Carretera": pool("de Valencia, de Castilla, de Extremadura, de Andalucía, de Circunvalación"),
    "Ronda": pool("de Toledo, de Segovia, de Atocha, del Carmen"),
    "Travesía": pool("del Conde, de la Industria, de las Huertas, del Arenal"),
    "Glorieta": pool("de Bilbao, de Cuatro Caminos, de Embajadores"),
}
ES_TYPE_SPELLINGS = {
    "Calle": ["Calle", "Calle", "C/", "C/", "C/", "c/", "Cl."],
    "Avenida": ["Avenida", "Avda.", "Av."],
    "Paseo": ["Paseo", "Pº", "P.º"],
    "Plaza": ["Plaza", "Pza.", "Pl."],
    "Camino": ["Camino"],
    "Carretera": ["Carretera", "Ctra."],
    "Ronda": ["Ronda"],
    "Travesía": ["Travesía", "Trav."],
    "Glorieta": ["Glorieta"],
}
ES_TYPE_WEIGHTS = (
    ["Calle"] * 8 + ["Avenida"] * 3 + ["Paseo"] * 2 + ["Plaza", "Camino", "Carretera", "Ronda", "Travesía", "Glorieta"]
)
ES_FLOORS = pool(
    "3º B, 2ª izq., bajo, bajo A, 1º 2ª, 4º dcha., 5º D, ático, entlo. 2ª, 2º izda., 7º C, "
    "esc. B 3º 1ª, piso 4 puerta 12, 1º A, 3º, 2º 3ª, bajo izq., 6º F, 1º dcha., 3ºB, 4ºA"
)
ES_FLOORS_LOWER = pool("2b, 3 izq, bajo, 4 dcha, 1a, 5d, 2 izda, 3c, atico, 1 2, bajo b")
CAT_STREETS = pool(
    "Carrer de Provença, Carrer Major, Carrer de la Riera, Carrer de Sants, Carrer del Consell de Cent, "
    "Carrer de Balmes, Carrer de Muntaner, Passeig de Sant Joan, Avinguda Diagonal, "
    "Rambla de Catalunya, Carrer Gran de Gràcia, Carrer de la Indústria"
)
CAT_FLOORS = pool("1r 2a, 3r 1a, baixos, àtic, 2n 4a, entl. 1a, 4t 2a, pral. 1a")
GAL_STREETS = pool(
    "Rúa do Franco, Rúa Nova, Rúa de San Pedro, Rúa Real, Rúa da Raíña, Rúa do Príncipe, Rúa Galera, "
    "Rúa das Hortas, Avenida de Castelao"
)
EUS_STREETS = pool(
    "San Frantzisko kalea, Urkixo zumarkalea, Askatasun etorbidea, Kale Nagusia, Erribera kalea, "
    "Zabalbide kalea, Gernikako Arbola kalea, Iparraguirre kalea"
)
EUS_FLOORS = pool("3. ezk., 2. esk., 1. A, 4. B, 5. ezk., behea")
UK_CITIES = [
    ("London", pool("SW11, E8, N1, SE15, NW5, W12, E17")),
    ("Manchester", pool("M14, M20, M4")),
    ("Leeds", pool("LS6, LS8")),
    ("Bristol", pool("BS7, BS3")),
    ("Glasgow", pool("G12, G41")),
    ("Edinburgh", pool("EH3, EH9")),
    ("Cardiff", pool("CF24, CF11")),
    ("Birmingham", pool("B13, B29")),
    ("Liverpool", pool("L17, L15")),
    ("Sheffield", pool("S10, S7")),
    ("Brighton", pool("BN2, BN1")),
    ("Oxford", pool("OX4, OX2")),
    ("Cambridge", pool("CB1, CB4")),
    ("Newcastle upon Tyne", pool("NE6, NE2")),
    ("Nottingham", pool("NG7, NG5")),
    ("Belfast", pool("BT9, BT7")),
    ("Norwich", pool("NR2")),
]
UK_STREETS = pool(
    "Beaumont, Church, Station, Mill, Park, Highfield, Granville, Elm, Cedar, Oakwood, Windsor, Lime, "
    "Chestnut, Hawthorn, Meadow, Brook, Albion, Ashgrove, Beech, Belmont, Cavendish, Clarence, "
    "Devonshire, Fairfield, Grosvenor, Holly, Lansdowne, Manor, Orchard, Priory, Rectory, Sycamore, "
    "Tennyson, Warwick, Willow, York"
)
UK_SUFFIX = pool("Road, Road, Street, Avenue, Lane, Close, Drive, Gardens, Crescent, Way, Terrace, Grove, Place, Mews")
US_CITIES = [
    ("Austin", "TX", "787"),
    ("Portland", "OR", "972"),
    ("Denver", "CO", "802"),
    ("Chicago", "IL", "606"),
    ("Seattle", "WA", "981"),
    ("Boston", "MA", "021"),
    ("Miami", "FL", "331"),
    ("San Diego", "CA", "921"),
    ("Brooklyn", "NY", "112"),
    ("New York", "NY", "100"),
    ("Columbus", "OH", "432"),
    ("Atlanta", "GA", "303"),
    ("Phoenix", "AZ", "850"),
    ("Philadelphia", "PA", "191"),
    ("Minneapolis", "MN", "554"),
    ("Nashville", "TN", "372"),
    ("Oakland", "CA", "946"),
    ("Raleigh", "NC", "276"),
]
US_STREETS = pool(
    "Maple, Oak, Pine, Cedar, Elm, Lake, Sunset, Main, Walnut, Highland, Ridge, Spring, Forest, "
    "Mission, Prospect, Magnolia, Cherry, Birch, Sycamore, Grand, 2nd, 5th, W 34th, E 12th, Hawthorne"
)
US_SUFFIX = pool("St, Street, Ave, Avenue, Blvd, Rd, Dr, Ln, Ct, Way, Pl")
IE_AREAS = [
    ("Rathmines", "Dublin 6", "D06"),
    ("Drumcondra", "Dublin 9", "D09"),
    ("Ballsbridge", "Dublin 4", "D04"),
    ("Clontarf", "Dublin 3", "D03"),
    ("Phibsborough", "Dublin 7", "D07"),
    ("Douglas", "Co. Cork", "T12"),
    ("Salthill", "Galway", "H91"),
    ("Castletroy", "Co. Limerick", "V94"),
    ("Bray", "Co. Wicklow", "A98"),
]
IE_STREETS = pool(
    "Seaview Terrace, Griffith Avenue, Main Street, Ashfield Park, Ranelagh Road, Meadow Grove, "
    "Castle Road, Church View, Oakley Road, Beechwood Avenue"
)
EIR = "ACDEFHKNPRTVWXY0123456789"


def es_street_line(rng: random.Random) -> str:
    """Street type, name, number and usually floor/door of a Spanish address."""
    kind = rng.choice(ES_TYPE_WEIGHTS)
    street = f"{rng.choice(ES_TYPE_SPELLINGS[kind])} {rng.choice(ES_STREETS[kind])}"
    number = str(rng.randint(1, 160))
    number = rng.choice([number, number, f"nº {number}", f"núm. {number}"])
    line = street + rng.choice([" ", ", "]) + number
    if rng.random() < 0.8:
        line += rng.choice([", ", ", ", " "]) + rng.choice(ES_FLOORS)
    return line


def es_address(rng: random.Random, variant: str) -> str:
    """A Spanish (Castilian, Catalan, Galician or Basque) address in the requested layout."""
    if variant in ("cat", "gal", "eus"):
        streets, cities, floors = {
            "cat": (CAT_STREETS, CAT_CITIES, CAT_FLOORS),
            "gal": (GAL_STREETS, GAL_CITIES, ES_FLOORS),
            "eus": (EUS_STREETS, EUS_CITIES, EUS_FLOORS),
        }[variant]
        city, prov = rng.choice(cities)
        line = f"{rng.choice(streets)}{rng.choice([' ', ', '])}{rng.randint(1, 220)}, {rng.choice(floors)}"
        return f"{line}, {prov}{rng.randint(1, 990):03d} {city}" if rng.random() < 0.8 else line
    if variant == "eslower":
        kind = rng.choice(["Calle", "Calle", "Avenida", "Paseo", "Plaza"])
        typ = {
            "Calle": rng.choice(["c/", "calle", "c/"]),
            "Avenida": rng.choice(["avda", "av"]),
            "Paseo": "paseo",
            "Plaza": "plaza",
        }[kind]
        name = deaccent(rng.choice(ES_STREETS[kind])).lower()
        line = f"{typ} {name} {rng.randint(1, 160)}{rng.choice([' ', ', '])}{rng.choice(ES_FLOORS_LOWER)}"
        if rng.random() < 0.5:
            city, prov, _ = rng.choice(ES_CITIES)
            line += f" {prov}{rng.randint(1, 990):03d} {deaccent(city).lower()}"
        return line
    line = es_street_line(rng)
    if variant == "es":
        variant = rng.choice(["esline", "esfull", "esfull"])
    if variant == "esupper":
        variant = rng.choice(["esline", "esfull"])
        return es_address(rng, variant).upper() if variant == "esfull" else line.upper()
    if variant == "esline":
        return line
    city, prov, province = rng.choice(ES_CITIES)
    place = f"{prov}{rng.randint(1, 990):03d} {city}"
    if variant == "eslines":
        return f"{line}\n{place}" + (f"\n{province or city}" if rng.random() < 0.3 else "")
    if province and rng.random() < 0.5:
        place += f" ({province})"
    return f"{line}, {place}"


def uk_postcode(rng: random.Random, outward: str) -> str:
    """A UK postcode with the given outward code."""
    return f"{outward} {rng.randint(1, 9)}{letters(rng, 2, 'ABDEFGHJLNPQRSTUWXYZ')}"


def uk_address(rng: random.Random, lines: bool) -> str:
    """A UK address, inline or as an address block."""
    city, outwards = rng.choice(UK_CITIES)
    pc = uk_postcode(rng, rng.choice(outwards))
    flat = rng.choice(["", "", "", f"Flat {rng.randint(1, 12)}, ", f"Flat {rng.randint(1, 5)}{rng.choice('ABC')}, "])
    line = f"{flat}{rng.randint(1, 240)} {rng.choice(UK_STREETS)} {rng.choice(UK_SUFFIX)}"
    if lines:
        return f"{line}\n{city}\n{pc}"
    return rng.choice([f"{line}, {city} {pc}", f"{line}, {city}, {pc}", f"{line}, {city}"])


def us_address(rng: random.Random, lines: bool) -> str:
    """A US address, inline or with the city line below."""
    city, state, zip3 = rng.choice(US_CITIES)
    zipcode = f"{zip3}{rng.randint(1, 99):02d}" + (f"-{digits(rng, 4)}" if rng.random() < 0.15 else "")
    n = rng.randint(1, 20)
    unit = rng.choice(
        ["", "", f", Apt {n}{rng.choice('ABCD')}", f" Apt. {n}", f", Unit {n}", f" #{n}", f", Suite {n}00"]
    )
    line = f"{rng.randint(10, 9899)} {rng.choice(US_STREETS)} {rng.choice(US_SUFFIX)}{unit}"
    return f"{line}\n{city}, {state} {zipcode}" if lines else f"{line}, {city}, {state} {zipcode}"


def ie_address(rng: random.Random) -> str:
    """An Irish address, with or without its Eircode."""
    area, district, key = rng.choice(IE_AREAS)
    line = f"{rng.randint(1, 150)} {rng.choice(IE_STREETS)}, {area}, {district}"
    return f"{line}, {key} {letters(rng, 4, EIR)}" if rng.random() < 0.6 else line


def x_address(rng: random.Random) -> str:
    """An address from France, Germany, Italy, Portugal, Mexico, Argentina or the Netherlands."""
    n = rng.randint(1, 199)
    return rng.choice(
        [
            lambda: (
                f"{n} {rng.choice(['rue des Lilas', 'boulevard Voltaire', 'rue de la République', 'rue Oberkampf', 'allée des Tilleuls'])}, "
                + rng.choice(
                    [
                        f"750{rng.randint(1, 20):02d} Paris",
                        f"6900{rng.randint(1, 9)} Lyon",
                        f"130{rng.randint(1, 16):02d} Marseille",
                    ]
                )
            ),
            lambda: (
                f"{rng.choice(['Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Lindenallee', 'Bergstraße'])} {n}, "
                + rng.choice(
                    [
                        f"10{digits(rng, 3)} Berlin",
                        f"80{digits(rng, 3)} München",
                        f"20{digits(rng, 3)} Hamburg",
                        f"50{digits(rng, 3)} Köln",
                    ]
                )
            ),
            lambda: (
                f"Via {rng.choice(['Roma', 'Garibaldi', 'dei Mille', 'Nazionale', 'della Spiga'])} {n}, "
                + rng.choice(
                    [
                        f"201{digits(rng, 2)} Milano",
                        f"001{digits(rng, 2)} Roma",
                        f"101{digits(rng, 2)} Torino",
                        f"401{digits(rng, 2)} Bologna",
                    ]
                )
            ),
            lambda: (
                f"Rua {rng.choice(['Augusta', 'da Prata', 'do Carmo', 'de Santa Catarina'])} {n}, "
                f"{rng.choice(['2º Esq.', '3º Dto.', 'R/C'])}, "
                + rng.choice(
                    [f"1100-{digits(rng, 3)} Lisboa", f"4000-{digits(rng, 3)} Porto", f"4700-{digits(rng, 3)} Braga"]
                )
            ),
            lambda: (
                f"Av. Insurgentes Sur {n * 10}, Col. {rng.choice(['Del Valle', 'Roma Norte', 'Narvarte'])}, "
                f"0{rng.randint(3000, 6999)} Ciudad de México"
            ),
            lambda: (
                f"Av. Corrientes {n * 10}, piso {rng.randint(1, 12)}, depto. {rng.choice('ABCD')}, "
                f"C{rng.randint(1000, 1499)}{letters(rng, 3)} CABA"
            ),
            lambda: (
                f"{rng.choice(['Kerkstraat', 'Oudegracht', 'Stationsweg', 'Laan van Meerdervoort'])} {n}, "
                f"{rng.randint(1011, 3599)} {letters(rng, 2)} {rng.choice(['Amsterdam', 'Utrecht', 'Den Haag'])}"
            ),
        ]
    )()


def make_address(rng: random.Random, variant: str, lang: str) -> str:
    """An address of the requested variant (defaults follow the message language)."""
    if not variant:
        variant = "es" if lang == "es" else "en"
    if variant.startswith("es") or variant in ("cat", "gal", "eus"):
        return es_address(rng, variant)
    if variant in ("en", "enlower", "enupper"):
        text = rng.choice([uk_address(rng, False), uk_address(rng, False), us_address(rng, False), ie_address(rng)])
        return text.lower() if variant == "enlower" else text.upper() if variant == "enupper" else text
    return {
        "uk": lambda: uk_address(rng, False),
        "uklines": lambda: uk_address(rng, True),
        "uklower": lambda: uk_address(rng, False).lower(),
        "us": lambda: us_address(rng, False),
        "uslines": lambda: us_address(rng, True),
        "ie": lambda: ie_address(rng),
        "x": lambda: x_address(rng),
    }[variant]()


def make_phone(rng: random.Random, variant: str, lang: str) -> str:
    """A phone number of the requested variant (defaults follow the message language)."""
    if not variant:
        r = rng.random()
        variant = "intl" if r < 0.1 else ("es" if lang == "es" else rng.choice(["uk", "uk", "us", "us", "ie"]))
    if variant == "es":
        variant = "esm" if rng.random() < 0.65 else "esl"
    if variant == "en":
        variant = rng.choice(["uk", "us", "ie"])
    return {
        "esm": lambda: phone_es(rng, "m"),
        "esl": lambda: phone_es(rng, "l"),
        "uk": lambda: phone_uk(rng),
        "us": lambda: phone_us(rng),
        "ie": lambda: phone_ie(rng),
        "intl": lambda: phone_intl(rng),
    }[variant]()


# ----------------------------------------------------------------------------------------------- look-alikes
ES_MONTHS = pool("enero, febrero, marzo, abril, mayo, junio, julio, agosto, septiembre, octubre, noviembre, diciembre")
EN_MONTHS = pool("January, February, March, April, May, June, July, August, September, October, November, December")
SHAPES = {  # look-alike codes: (Spanish shapes, English shapes)
    "order": (
        ["PED-<Y>-<d6>", "#<d7>", "A<d9>", "WEB<d8>", "<d3>-<d7>"],
        ["#<d7>", "ORD-<d6>", "<d3>-<d7>-<d7>", "W<d9>"],
    ),
    "invoice": (["F<Y>/<d5>", "FAC-<d6>", "<Y>-FV-<d4>", "A-<Y>-<d5>"], ["INV-<Y>-<d4>", "INV<d6>", "<d4>/<Y>"]),
    "ticket": (["#<d5>", "INC<d7>", "TCK-<d6>", "EXP-<Y>-<d4>"], ["#<d5>", "INC<d7>", "CAS-<d5>-<L4><d1>", "SR<d8>"]),
    "tracking": (
        ["<L2><d9>ES", "1Z<A6><d10>", "JJD<d18>", "<d14>"],
        ["<L2><d9>GB", "1Z<A6><d10>", "JJD<d18>", "9400<d18>"],
    ),
    "ref": (
        ["REF. <d4>-<L2>-<d2>", "SKU <L2>-<d5>", "Mod. <L1><d4>", "Art. <d6>"],
        ["SKU <L2>-<d5>", "<L3><d3>/<L1>", "model <L1><d4>", "item <d6>"],
    ),
    "serial": (["S/N <A12>", "SN<L2><d8>", "<L3><d2><L2><d6>"], ["S/N <A12>", "SN<L2><d8>", "<L3><d2><L2><d6>"]),
    "booking": (["<A6>"], ["<A6>"]),
    "policy": (["POL-<d8>", "<d3>/<d7>", "<L2>-<d6>-<d2>"], ["POL<d8>", "<L3>-<d7>", "<d2>/<d6>/<L1>"]),
    "contract": (["CTR-<d7>", "C<Y><d5>", "<d10>"], ["CON-<d7>", "AC<d8>"]),
    "cups": (["ES0021<d12><L2>", "ES0031<d12><L2>0F"], ["ES0021<d12><L2>"]),
    "cif": (["B<d8>", "A<d8>", "B-<d8>"], ["B<d8>"]),
    "member": (["SOC-<d5>", "M<d6>", "<L2><d5>"], ["M<d6>", "GYM-<d5>", "<d8>"]),
    "opref": (["OP-<d8>", "TX<d10>", "<L3><d6>"], ["TXN-<d8>", "TX<d10>", "<L3><d6>"]),
    "gate": (["<L1><d2>"], ["<L1><d2>"]),
    "seat": (["<d2>C", "<d2>A", "<d1>F"], ["<d2>C", "<d2>A", "<d1>F"]),
    "promo": (["VERANO<d2>", "BIENVENIDA<d2>", "<L4><d2>"], ["SAVE<d2>", "WELCOME<d2>", "BF<Y>"]),
    "pickup": (["<d6>"], ["<d6>"]),
    "mandate": (["ES<d2>ZZZB<d8>"], ["ES<d2>ZZZB<d8>"]),
    "meter": (["<d5>"], ["<d5>"]),
    "account": (["CLI-<d6>"], ["CUST-<d6>", "AC-<d7>"]),
    "pac": (["<L3><d6>"], ["<L3><d6>"]),
    "gatecode": (["#<d4>"], ["#<d4>"]),
    "row": (["<d2>"], ["<d2>"]),
    "room": (["<d3>"], ["<d3>"]),
}
PICKS = {  # look-alike words: (Spanish, English)
    "company": (
        pool(
            "Movistar, Vodafone, Orange, Iberdrola, Endesa, Naturgy, Mapfre, Mutua Madrileña, Sanitas, Adeslas, "
            "Mercadona, El Corte Inglés, Zara, Decathlon, IKEA, Amazon, Wallapop, Glovo, Renfe, Iberia, "
            "Vueling, CaixaBank, BBVA, Correos, SEUR, MRW, PcComponentes, MediaMarkt, Leroy Merlin, Carrefour, "
            "Securitas Direct, Holaluz, Pepephone, Cabify"
        ),
        pool(
            "Tesco, Sainsbury's, Argos, British Gas, Octopus Energy, EDF, Sky, BT, Virgin Media, Vodafone, EE, "
            "Royal Mail, DPD, Evri, Amazon, eBay, Vinted, Etsy, Monzo, Barclays, Aviva, Direct Line, Ryanair, "
            "easyJet, British Airways, Comcast, Verizon, AT&T, Geico, FedEx, UPS, Walmart, Target, Best Buy"
        ),
    ),
    "gym": (
        pool("Basic-Fit, McFit, Altafit, Anytime Fitness, Viva Gym, GO fit, Synergym"),
        pool("PureGym, The Gym Group, Anytime Fitness, David Lloyd Clubs, Planet Fitness, Nuffield Health"),
    ),
    "product": (
        pool(
            "robot aspirador, cafetera de cápsulas, auriculares inalámbricos, patinete eléctrico, "
            "freidora de aire, colchón viscoelástico, móvil reacondicionado, silla de oficina"
        ),
        pool(
            "air fryer, wireless earbuds, robot vacuum, standing desk, kettle, e-scooter, baby monitor, smart doorbell"
        ),
    ),
    "jobtitle": (
        pool(
            "Responsable de Compras, Jefa de Administración, Técnico de Mantenimiento, Directora Comercial, "
            "Asesor Fiscal, Coordinadora de Proyectos"
        ),
        pool(
            "Head of Operations, Account Manager, Senior Analyst, Office Manager, Project Coordinator, Finance Director"
        ),
    ),
    "month": (ES_MONTHS, EN_MONTHS),
    "country": (
        pool("China, Estados Unidos, Reino Unido, Turquía, Marruecos, México"),
        pool("China, United States, Turkey, Germany, India"),
    ),
    "nationality": (
        pool("colombiana, marroquí, rumana, ucraniana, venezolana, china, peruana"),
        pool("Nigerian, Indian, Polish, Brazilian, Romanian, Chinese, Ukrainian"),
    ),
    "bic": (pool("CAIXESBBXXX, BSCHESMM, BBVAESMMXXX, NWBKGB2L, DEUTDEFF, BOFIIE2D, INGBNL2A, BNPAFRPP"),) * 2,
    "classname": (pool("3º B, 5º A, 2º ESO C, 1º Bach. A"), pool("4B, Year 6 Oak, 5C, Year 3 Willow")),
    "city": ([c[0] for c in ES_CITIES], [c[0] for c in UK_CITIES] + [c[0] for c in US_CITIES] + ["Dublin", "Cork"]),
}


def shape(rng: random.Random, pattern: str) -> str:
    """Expand a code shape such as 'PED-<Y>-<d6>' (d digits, L letters, A letters or digits, Y a year)."""

    def one(m: re.Match) -> str:
        kind, n = m.group(1), int(m.group(2) or 1)
        if kind == "Y":
            return str(rng.randint(2023, 2025))
        return letters(rng, n, {"d": DIGITS, "L": UPPER, "A": UPPER + DIGITS}[kind])

    return re.sub(r"<([dLAY])(\d*)>", one, pattern)


def lookalike(rng: random.Random, kind: str, lang: str) -> str:
    """One look-alike value (never personal data) of the given kind."""
    es = lang == "es"
    if kind in SHAPES:
        return shape(rng, rng.choice(SHAPES[kind][0 if es else 1]))
    if kind in PICKS:
        return rng.choice(PICKS[kind][0 if es else 1])
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2024, 2025])
    if kind == "price":
        n, c = rng.choice([rng.randint(3, 99), rng.randint(100, 2500)]), rng.randint(0, 99)
        if es:
            whole = f"{n // 1000}.{n % 1000:03d}" if n >= 1000 else str(n)
            return rng.choice([f"{whole},{c:02d} €", f"{whole} €", f"{n},{c:02d}€", f"{whole} euros", f"€{n},{c:02d}"])
        return rng.choice([f"£{n}.{c:02d}", f"${n:,}.{c:02d}", f"€{n}", f"{n} EUR", f"£{n}"])
    if kind == "date":
        if es:
            return rng.choice(
                [
                    f"{d:02d}/{m:02d}/{y}",
                    f"{d} de {ES_MONTHS[m - 1]}",
                    f"{d} de {ES_MONTHS[m - 1]} de {y}",
                    f"{d}-{m}-{y % 100:02d}",
                    f"{d}/{m}",
                ]
            )
        return rng.choice(
            [
                f"{d} {EN_MONTHS[m - 1]} {y}",
                f"{EN_MONTHS[m - 1]} {d}",
                f"{m:02d}/{d:02d}/{y}",
                f"{d}/{m}/{y}",
                f"{EN_MONTHS[m - 1][:3]} {d}, {y}",
            ]
        )
    if kind == "time":
        h, mm = rng.randint(8, 20), rng.choice([0, 15, 30, 45])
        if es:
            return rng.choice([f"{h}:{mm:02d}", f"{h}.{mm:02d} h", f"{h}:00"])
        h12, ampm = (h - 12 if h > 12 else h), ("pm" if h >= 12 else "am")
        return rng.choice([f"{h}:{mm:02d}", f"{h12}{ampm}", f"{h12}:{mm:02d} {ampm}"])
    if kind == "expiry":
        return f"{m:02d}/{rng.randint(26, 30)}"
    if kind == "last4":
        return rng.choice(
            [f"acabada en {digits(rng, 4)}", f"**** {digits(rng, 4)}", f"XXXX-XXXX-XXXX-{digits(rng, 4)}"]
        )
    if kind == "weight":
        return f"{rng.randint(1, 30)},{rng.randint(0, 9)} kg"
    if kind == "flight":
        code = rng.choice(pool("IB, VY, UX, FR, U2, BA, LH, AF, KL, EI, AA, DL, TP, V7, I2"))
        return f"{code}{rng.choice(['', ' '])}{rng.randint(100, 8999)}"
    if kind == "cp":
        return f"{rng.choice(ES_CITIES)[1]}{rng.randint(1, 990):03d}"
    if kind == "zip":
        city, outwards = rng.choice(UK_CITIES)
        return rng.choice(
            [
                uk_postcode(rng, rng.choice(outwards)),
                rng.choice(US_CITIES)[2] + digits(rng, 2),
                f"{rng.choice(IE_AREAS)[2]} {letters(rng, 4, EIR)}",
            ]
        )
    if kind == "street":
        if es:
            k = rng.choice(ES_TYPE_WEIGHTS)
            return rng.choice(["la ", "", ""]) + f"{rng.choice(ES_TYPE_SPELLINGS[k][:1])} {rng.choice(ES_STREETS[k])}"
        return rng.choice(
            [f"{rng.choice(UK_STREETS)} {rng.choice(UK_SUFFIX)}", f"{rng.choice(US_STREETS)} {rng.choice(US_SUFFIX)}"]
        )
    if kind == "baddni":
        return make_dni(rng, rng.choice(["dni", "dni", "nie"]), bad=True)
    if kind == "badcard":
        return make_card(rng, "", bad=True)
    if kind == "badiban":
        return make_iban(rng, "ES" if es else "", lang, bad=True)
    if kind == "badnss":
        return make_nss(rng, bad=True)
    raise KeyError(kind)


LOOKALIKE_KINDS = (
    set(SHAPES)
    | set(PICKS)
    | {
        "price",
        "date",
        "time",
        "expiry",
        "last4",
        "weight",
        "flight",
        "cp",
        "zip",
        "street",
        "baddni",
        "badcard",
        "badiban",
        "badnss",
    }
)
PLACEHOLDER_TYPE = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "dni": "national_id",
    "nss": "social_security",
    "ssn": "ssn",
    "passport": "passport",
    "card": "card",
    "iban": "iban",
    "addr": "address",
}
TOKEN = re.compile(r"\{\{|\}\}|\{(\w+)(?:\.(\w+))?(?::(\w+))?\}")


# ----------------------------------------------------------------------------------------------- templates
# Placeholders: {type[.key][:variant]}. The key names a person (name/email) or fixes a value reused in the text;
# keys starting with s/e/x make a Spanish/English/foreign person. Look-alikes are never planted.
TEMPLATES_ES = [
    "Hola, soy {name} y quería saber qué pasa con el pedido {order}. Os escribí desde {email} pero nadie me contesta. Mi móvil: {phone:esm}",
    "Cliente: buenas tardes\nCliente: me llamo {name:short}, con DNI {dni}\nAgente ({name.b:first}): Gracias, {name:first}. ¿En qué puedo ayudarle?\nCliente: me habéis cobrado dos veces {price} en la tarjeta {card}\nAgente ({name.b:first}): Lo reviso ahora mismo.",
    "ey soy {name:lower}!! te paso mi num {phone:esm} y me escribes cuando llegues. vivo en {addr:eslower}, el timbre no va asi q llama",
    "q tal! mñn a las {time} en la puerta del {company}? si no me ves llamame al {phone:esm}, bss",
    "Estimados señores:\n\nMe dirijo a ustedes para solicitar la devolución de {price} correspondientes a la factura {invoice}. Les ruego que realicen el abono en la cuenta {iban:ES}, de la que soy titular.\n\nAtentamente,\n\n{name}\nDNI: {dni}\nTel.: {phone}",
    "--- Formulario de contacto ---\nnombre: {name:first}\napellidos: {name:surnames}\nnif: {dni}\nemail: {email}\ntelefono: {phone}\ndireccion: {addr:esfull}\nmensaje: quiero darme de baja del servicio de {product}",
    "LLAMA {name:upper} ({dni}). RECLAMA CARGO DUPLICADO DE {price} EN FRA. {invoice}. SE VERIFICA CUENTA {iban:ES}. ABIERTA INCIDENCIA {ticket}. RELLAMAR AL {phone} ANTES DE LAS {time}.",
    "Alta de nuevo empleado\nNombre completo: {name}\nNIF: {dni}\nNº afiliación Seguridad Social: {nss}\nCuenta nómina: {iban:ES}\nDomicilio: {addr:esfull}\nFecha de incorporación: {date}",
    "Hola {name.b:first},\n\nte adjunto el contrato de {name.a}. Me falta confirmar su número de la Seguridad Social; según la copia de la tarjeta es el {nss}, pero compruébalo con ella. Su DNI es {dni}.\n\nUn saludo,\n{name.c:short}\nRRHH – {company}",
    "Paciente: {name:uppersurfirst}\nDNI/NIE: {dni:nie}\nNUSS: {nss}\nTeléfono de contacto: {phone}\nCita: {date} {time}\nObservaciones: alergia a la penicilina",
    "Entregar en {addr:esfull}. Si no hay nadie, dejar al portero o llamar a {name:first} al {phone:esm}. Pedido {order}.",
    "Buenos días, solicito el reembolso de {price} del recibo {invoice} en mi cuenta {iban:ES}. Titular: {name}.",
    "Reserva {booking} – vuelo {flight} del {date}\nPasajero 1: {name.a:upper}, pasaporte {passport.a:ES}\nPasajero 2: {name.b:upper}, pasaporte {passport.b:ES}\nContacto: {email.a}",
    "Hola, necesito cambiar el titular de la reserva {booking}. Donde pone {name.a:short} debería poner {name.b:short}; su documento de viaje es el {passport.b}. Gracias.",
    "Parte de siniestro nº {policy}\nTomador: {name}\nNIF: {dni}\nDomicilio del riesgo: {addr:esfull}\nTeléfono: {phone}\nDescripción: rotura de tubería en la cocina el {date}.",
    "Contrato de arrendamiento de la vivienda sita en {addr:esfull}, entre {name.a} (DNI {dni.a}), como arrendador, y {name.b} (NIE {dni.b:nie}), como arrendatario. Renta mensual: {price}. Fianza: dos mensualidades.",
    "hola!! sigue disponible la bici? te doy {price} y la recojo yo. mi whatsapp {phone:esm}, pregunta x {name:firstlower}",
    "Solicitud de despacho aduanero\nDestinatario: {name.x}\nDocumento: pasaporte {passport:x}\nEnvío: {tracking}\nValor declarado: {price}\nTeléfono: {phone:intl}",
    "Ficha de inscripción – curso 2024/25\nAlumno/a: {name.a}\nPadre/madre/tutor: {name.b}\nDNI del tutor: {dni}\nMóvil: {phone}\nEmail: {email.b}\nDomicilio: {addr:esfull}",
    "¡Bienvenido/a a {gym}, {name:first}! Tu cuota mensual de {price} se cargará en la cuenta {iban:ES}. Número de socio: {member}.",
    "Solicito el cambio de titularidad del suministro con CUPS {cups} a nombre de {name}, con DNI {dni}. Dirección de suministro: {addr:esfull}. Domiciliación bancaria: {iban:ES}.",
    "Portabilidad del número {phone.a:esm} de {company} a {company}. Titular: {name}, NIE {dni:nie}. Teléfono alternativo: {phone.b}.",
    "NOTIFICACIÓN\n\nPor la presente se comunica a D./Dña. {name}, con DNI {dni} y domicilio en {addr:esfull}, que dispone de un plazo de diez días hábiles desde el {date} para formular alegaciones al expediente {ticket}.",
    "[00:01] Agente: {company}, le atiende {name.b:first}, ¿en qué puedo ayudarle?\n[00:05] Cliente: Hola, llamo por la factura {invoice}. Soy {name.a:short}.\n[00:09] Agente: ¿Me confirma su DNI, por favor?\n[00:12] Cliente: Sí, {dni}.\n[00:20] Agente: Gracias. ¿Y un teléfono de contacto?\n[00:23] Cliente: El {phone}.",
    "HOJA DE RECLAMACIONES\nReclamante: {name}\nDNI: {dni}\nDomicilio: {addr:esfull}\nHechos: el {date} compré en {company} el artículo {ref} por {price} y se rompió a la semana. Solicito la devolución del importe.",
    "{name}\n{addr:eslines}\n\n{city}, {date}\n\nMuy señores míos:\n\nLes escribo para comunicarles que no deseo seguir recibiendo publicidad de {company}. Ruego den de baja mis datos.\n\nAtentamente.",
    "oye te paso mi numero de la seguridad social xq lo pide la gestoria: {nss}. el dni ya lo tienen. gracias!! {name:firstlower}",
    "Para tramitar la baja por incapacidad temporal necesito que me confirméis el NUSS {nss} y el DNI {dni}. Gracias.\n{name:first}",
    "Trabajador: {name:surfirst}\nNº de afiliación: {nss}\nEmpresa: {company} (CIF {cif})\nContrato: {contract}\nFecha de alta: {date}",
    "Buenas, el pedido {order} venía con la referencia {ref} pero me ha llegado otra talla. ¿Podéis cambiarlo? La factura es la {invoice}.",
    "Recordatorio: su cita está programada para el {date} a las {time} en nuestra oficina de {street}. Traiga el resguardo {ticket}.",
    "Me sale error al poner el DNI {baddni} en la web, ¿será que la letra está mal? El pedido es el {order}.",
    "La tarjeta {last4} ha sido rechazada. Importe: {price}. Referencia de la operación: {opref}.",
    "El número {badcard} que aparece en el extracto no corresponde a ninguna tarjeta, es un identificador interno del TPV. Consulta {ticket}.",
    "El IBAN {badiban} que figura en la factura {invoice} no es correcto, no valida. ¿Pueden revisarlo?",
    "Nota interna: el número {badnss} del expediente {ticket} no es un NSS válido (dígitos de control incorrectos). Pendiente de revisar.",
    "Vuelo {flight} con salida a las {time} por la puerta {gate}. El embarque se cierra 20 minutos antes.",
    "Oferta {company}: {product} por solo {price}. Válido hasta el {date}. Código promocional {promo}.",
    "¿Hacéis envíos al {cp}? Es en {city}, cerca de {street}.",
    "Buenos días,\n\nAdjunto el justificante de la transferencia de {price} para la reserva {booking}. Cualquier cosa me podéis llamar al {phone.a:esl} (oficina) o al {phone.b:esm}.\n\nSaludos cordiales,\n\n{name}\n{jobtitle}\n{company}\n{email:corp}",
    "Hola {name.b:first}, para la renta te paso los datos de mi pareja: {name.a}, DNI {dni}, y su cuenta para la devolución {iban:ES}. Lo mío ya lo tienes.",
    "Buenas, me llamo {name.e}, soy del Reino Unido y vivo en {city}. Mi NIE es {dni:nie} y mi pasaporte el {passport:GB}. Necesito empadronarme, ¿qué documentos hacen falta?",
    "Estimada familia: les recordamos que la excursión del {date} cuesta {price}.\nAlumno/a: {name.a}\nAutoriza: {name.b}, con DNI {dni}\nFirma:",
    "CLTE {name:uppersurfirst} SOLICITA CAMBIO DE DOMICILIO A {addr:esupper}. TLF CONTACTO {phone}. EMAIL {email:upper}. PTE CONFIRMAR.",
    "xfa mandalo a {addr:eslower} q esta semana estoy en casa de mi madre. a nombre de {name:lower}",
    "Lectura del contador: {meter} kWh. Contrato {contract}. Titular: {name:surfirst}. Teléfono: {phone:esl}.",
    "Hola, quiero dar de alta una línea nueva. Soy {name}, NIE {dni:nie}, y quiero domiciliar en {iban:ES}. La instalación de fibra sería en {addr:esfull}. Gracias.",
    "Póliza {policy}\nTomador: {name}\nDNI: {dni}\nCuenta de cargo: {iban:ES}\nPróximo recibo: {date} por {price}",
    "Recordatorio: {name.a:first}, tiene cita con el Dr. {name.b:last} el {date} a las {time} en el centro de salud de {street}. Para anular, responda NO.",
    "Vendo sofá de tres plazas, {price}. Recogida en {addr:esline} (sin ascensor). Preguntar por {name:first}: {phone:esm}",
    "Buenas tardes. Denuncio la pérdida de mi pasaporte número {passport:ES} en el aeropuerto el {date}. Nombre: {name}. Teléfono de contacto: {phone}.",
    "{passport:ES} — ese es el número que aparece en la página de datos, no el del DNI. Lo digo porque en la reserva {booking} pusieron mal el documento de viaje. Gracias, {name:short}.",
    "Solicitante: {name.x:uppersurfirst}\nNacionalidad: {nationality}\nPasaporte nº: {passport:x}\nDomicilio en España: {addr:esfull}\nCorreo electrónico: {email.x}",
    "Para pagar por teléfono me pidieron la tarjeta, es la {card} con caducidad {expiry}. ¿Es seguro dar eso? {name:first}",
    "Solicito la anulación del cargo de {price} realizado el {date} con la tarjeta {card:amex} en {company}. No reconozco la operación {opref}. Titular: {name}, DNI {dni}.",
    "Reserva confirmada a nombre de {name:short} – habitación {room}, del {date} al {date}. Garantía: tarjeta {card}. Llegada prevista: {time}.",
    "Conductor principal: {name}\nDNI: {dni}\nPasaporte: {passport}\nTarjeta de garantía: {card}\nRecogida en aeropuerto, vuelo {flight}",
    "hola soy la mama de {name.a:firstlower}, os paso el movil de su padre {name.b:lower} x si no me localizais: {phone:esm}. gracias!!",
    "Quiero darme de baja del gimnasio. Socio {member}, {name:surfirst}. Dejad de pasar los recibos a la cuenta {iban:ES}, por favor.",
    "Llevo tres días sin luz en {addr:esfull} y nadie de {company} me da solución. Contrato {contract}. Soy {name}, {phone}.",
    "Buenas, en la nómina de {month} me han ingresado {price} menos. Mi NSS es {nss} y la cuenta {iban:ES}. {name:short}, departamento de logística.",
    "JUZGADO DE PRIMERA INSTANCIA\nProcedimiento {ticket}\nDemandado: {name}, con DNI {dni}, domiciliado en {addr:esfull}.\nDemandante: {company}, con CIF {cif}.",
    "Agente: ¿Me dice su número de la Seguridad Social?\nCliente: Sí, espere... {nss}.\nAgente: ¿Y su nombre completo?\nCliente: {name}.\nAgente: Gracias, le llegará un SMS al {phone:esm}.",
    "{nss} es mi número, viene en el documento de afiliación que me dio la empresa. Lo necesitáis para la mutua, ¿no? {name:first}",
    "Asistentes confirmados a la reunión del {date}:\n- {name.a}\n- {name.b}\n- {name.c}\n- {name.d:surfirst}\nSala {room}, a las {time}.",
    "NOTA: CLIENTE {name.a:upper} INDICA QUE EL PAQUETE {tracking} SE ENTREGÓ POR ERROR EN {addr:esupper}. LO TIENE EL VECINO {name.b:upper}.",
    "me pides el dni pa la reserva? el mio es {dni.a} y el de mi hermana {dni.b}, a nombre de {name.a:lower} y {name.b:lower}",
    "bizum no me va, te paso la cuenta: {iban:ES} a nombre de {name:firstlower}. son {price} lo de la cena",
    '{{"nombre": "{name}", "dni": "{dni}", "telefono": "{phone}", "email": "{email}", "pedido": "{order}"}}',
    "Asunto: Queja – factura {invoice}\n\nMe han cobrado {price} por un servicio que no contraté. Ya llamé el {date} y me atendió {name.b:first}, que me dijo que se anularía. Sigo igual.\n\n{name.a}\nTel. {phone}",
    "Instrucciones de entrega:\n{addr:eslines}\nDejar en conserjería. Contacto: {name:first} {phone:esm}. No llamar antes de las {time}.",
    "Comprador: hola, me interesa el {product}\nVendedor: hola! son {price}, envío con {company}\nComprador: vale, envíalo a {name:short}, {addr:esfull}\nVendedor: perfecto, mañana lo mando",
    "Importador: {name}\nNIF: {dni}\nDirección: {addr:esfull}\nBulto {tracking}, peso {weight}, valor {price}\nOrigen: {country}",
    "Envíen la documentación a {addr:cat}, a la atención de {name}.",
    "Mi dirección nueva es {addr:gal}. Cambiádmela en la ficha, por favor. {name:short}",
    "Helbidea / Dirección: {addr:eus}\nTeléfono: {phone}\nEskerrik asko, {name:first}",
    "{name}\n{addr:eslines}\n\nAsunto: solicitud de certificado de empadronamiento\n\nSolicito un certificado de empadronamiento. Nº de registro {ticket}.",
    "necesito q me cambieis el numero de contacto, el nuevo es {phone.a}. el antiguo {phone.b} ya no lo uso. titular {name:lower}",
    "Apertura de cuenta\nTitular 1: {name.a} – {dni.a}\nTitular 2: {name.b} – {dni.b:nie}\nIBAN asignado: {iban:ES}\nTarjeta de débito: {card}",
    "Hola, vivo fuera y mi número es {phone:intl}. Podéis escribirme a {email.x}. Pedido {order}. Saludos, {name.x}",
    "Alumno de intercambio: {name.x}. Pasaporte {passport:x}. Familia de acogida: {name.b}, {addr:esfull}, tel. {phone}.",
    "Tengo la nacionalidad estadounidense y vivo en {city}. Para el formulario W-9 me piden el SSN: {ssn}. ¿Lo pongo aquí? {name.e}",
    "El banco americano me pide mi número de la seguridad social de EE. UU. (SSN) {ssn} y mi dirección allí: {addr:us}. Me llamo {name.e:short}.",
    "Su paquete {tracking} está en el punto de recogida de {street}. Horario: de {time} a {time}. Código de recogida: {pickup}.",
    "Factura {invoice} – importe {price} – vencimiento {date}. Forma de pago: domiciliación. Referencia del mandato: {mandate}.",
    "Hola! el {product} con ref {ref} y número de serie {serial} no enciende. Lo compré el {date} en {company}.",
    "tengo el vuelo {flight} mñn a las {time}, llego a {city} sobre las {time}. q ganas!!",
    "Precio final: {price} (IVA incluido). Envío gratuito a partir de {price}. Entrega en 24/48 h en el CP {cp}.",
    "La incidencia {ticket} queda cerrada. Si el problema persiste, responda a este mensaje indicando el pedido {order}.",
    "No me deja pagar, dice que el IBAN {badiban} es incorrecto. Lo he copiado tal cual de la factura {invoice}.",
    "En el sistema aparece el NSS {badnss}, pero la aplicación lo rechaza por los dígitos de control. Expediente {ticket}.",
    "TPV: operación {opref} denegada. Tarjeta {badcard}. Motivo: número no válido.",
    "Oficina de {company} en {street}, junto a la estación. Abrimos de lunes a viernes de {time} a {time}.",
    "Soy {name}. En la web puse el DNI {baddni} pero me equivoqué de letra; el bueno es {dni}.",
    "Mi tarjeta es la {card}; la {badcard} que aparece en el pedido {order} no es mía. {name:first}",
    "Os di mal el IBAN: no es {badiban} sino {iban:ES}. Perdón por las molestias. {name:short}",
    "El {badnss} que os pasé estaba mal copiado. El número de afiliación correcto es {nss}. {name:first}, de {company}",
    "NÓMINA {month}\nEmpleado: {name:uppersurfirst}\nNIF: {dni}\nNº S.S.: {nss}\nIBAN: {iban:ES}\nLíquido a percibir: {price}",
    "Solicitud de reembolso de gastos médicos. Asegurado: {name}. Póliza {policy}. Importe {price}. Cuenta para el abono: {iban}.",
    "D./Dña. {name}, mayor de edad, con DNI {dni} y domicilio a efectos de notificaciones en {addr:esfull}, EXPONE: que el día {date} solicitó licencia de obra menor (expediente {ticket}) sin haber recibido respuesta.",
    "[10:02] Agente: Necesito el número de su documento de viaje.\n[10:02] Cliente: ¿El del pasaporte? Es {passport}.\n[10:03] Agente: Gracias, señor {name:last}. ¿Me confirma un correo?\n[10:03] Cliente: {email}",
    "Lista de pasajeros – vuelo {flight}\n1. {name.a:uppersurfirst} – {passport.a}\n2. {name.b:uppersurfirst} – {passport.b}\n3. {name.c:uppersurfirst} – {passport.c}",
    "Hola equipo,\n\nOs presento a {name.b}, que se incorpora el {date} como {jobtitle}. Su correo será {email.b:corp}.\n\nUn abrazo,\n{name.a:first}",
    "tengo 2 entradas para el concierto, fila {row}, asientos {seat}. si las quieres escribeme a {email:free}",
    "Hola! mi hija vive en Inglaterra, ¿podéis enviar a {addr:uk}? A nombre de {name.x}.",
    "Solicitud de tarjeta sanitaria europea\nTitular: {name}\nNº de la Seguridad Social: {nss}\nDomicilio: {addr:esfull}\nCorreo: {email}",
    "en la mutua me piden el nº de la ss del niño, es {nss}, esta a mi cargo. {name:firstlower}",
    "CERTIFICADO DE EMPRESA. Trabajador: {name:upper}. NAF {nss}. Alta: {date}. Baja: {date}. Causa: fin de contrato.",
    "Hago la compra por teléfono: tarjeta {card:mc}, caducidad {expiry}. Envío a {addr:esfull}. Gracias, {name}.",
    "TARJETA {card} BLOQUEADA POR ROBO. TITULAR {name:upper}. NUEVA TARJETA A {addr:esupper}. AVISADO AL {phone}.",
    "Contactos obra {street}:\n{name.a} {phone.a}\n{name.b} {phone.b}\n{name.c} {phone.c}",
    "Consulta: ¿el modelo {ref} es compatible con el {product}? Lo vi en {company} por {price}.",
    "Su reserva {booking} para el {date} ha sido modificada. Nuevo vuelo: {flight}, salida {time}.",
    "aviso: mñn cortan el agua en {street} de {time} a {time}, lo ha dicho el del {company}",
    "Hola {name.b:first}! Soy {name.a:first}, del {gym}. Te paso mi correo {email.a} para lo del entreno personal 💪",
    "Llamadme al {phone.a:esl} por las mañanas o al {phone.b:esm} por la tarde. Ref. presupuesto {invoice}. {name:initial}",
    "Datos del titular del seguro de mascota: {name}, {phone}, {email}. Dirección: {addr:esfull}. Póliza {policy}.",
    "PACIENTE {name:upper} — TEL {phone} — DNI {dni} — ACUDE A URGENCIAS EL {date} A LAS {time}.",
]
TEMPLATES_EN = [
    "Hi, I'm {name} and my order {order} still hasn't arrived. You can reach me on {phone} or at {email}.",
    "Customer: hello?\nAgent {name.b:first}: Hi there, how can I help?\nCustomer: I was charged twice, {price}, on my card {card}\nAgent {name.b:first}: Sorry about that. Can I take your full name?\nCustomer: {name.a:mid}",
    "hey its {name:firstlower} lol new number {phone}, save it pls. also im at {addr:enlower} now",
    "u still coming tmrw? meet outside {company} at {time}. text me on {phone} if ur late",
    "Dear Sir or Madam,\n\nI am writing to request a refund of {price} for invoice {invoice}. Please transfer the amount to my account, IBAN {iban:GB}.\n\nYours faithfully,\n\n{name}\n{addr:uklines}",
    "first_name: {name:first}\nlast_name: {name:last}\nemail: {email}\nphone: {phone}\naddress: {addr:en}\nmessage: please cancel my subscription ({member})",
    "CUST {name:upper} CALLED RE BILLING. ID&V PASSED. ACCT {account}. WANTS CALLBACK ON {phone} AFTER {time}. TICKET {ticket}.",
    "New hire: {name:mid}\nSSN: {ssn}\nStart date: {date}\nHome address: {addr:us}\nPersonal email: {email}",
    "Hi {name.b:first},\n\nPlease update {name.a}'s payroll record; the social security number on file is wrong. The correct SSN is {ssn}.\n\nThanks,\n{name.c}\nPayroll, {company}",
    "Patient: {name:surfirst}\nPhone: {phone:us}\nSS#: {ssn}\nReason for visit: follow-up, {date}",
    "Please leave the parcel with the neighbour at {addr:uk} if I'm out. Any issues, call {name:first} on {phone:uk}. Tracking {tracking}.",
    "Please refund {price} to {name}, account {iban}. Reference {opref}.",
    "Booking ref {booking}\nPassenger: {name:upper}\nPassport: {passport:GB}\nFlight: {flight} on {date}\nEmergency contact: {name.b} {phone}",
    "Your travel document number ({passport}) must match the one used at booking. Passenger {name} – please check before arriving at the airport.",
    "Claim no. {policy}\nPolicyholder: {name}\nAddress: {addr:en}\nPhone: {phone}\nIncident: water damage on {date}",
    "Tenancy agreement for {addr:uk} between {name.a} (landlord) and {name.b} (tenant). Rent {price} per calendar month, payable by standing order to {iban:GB}.",
    "hi is the pram still available? can pay {price} cash, collect sat. my number is {phone}, ask for {name:firstlower}",
    "Customs declaration – consignee: {name.x}, {addr:x}. Passport {passport:x}. Contents: {product}, value {price}.",
    "Dear parents,\n\n{name.a:first} in class {classname} was absent on {date}. Please contact {name.b}, our attendance officer, on {phone}.\n\nKind regards,\n{name.c:short}",
    "Welcome to {gym}, {name:first}! Your membership {member} is active. The monthly fee of {price} will be collected by direct debit from {iban:GB}.",
    "Meter reading {meter}. Account holder: {name}. Supply address: {addr:uk}. Contact: {email}.",
    "Port request: number {phone:uk} from {company} to {company}. Account holder {name}. PAC code {pac}.",
    "NOTICE OF INTENDED PROSECUTION\nRegistered keeper: {name}\nAddress:\n{addr:uklines}\nOffence date: {date} at {time}\nReference: {ticket}",
    "[00:00:03] AGENT: Thanks for calling {company}, my name is {name.b:first}.\n[00:00:06] CALLER: Hi, it's {name.a} calling about my bill.\n[00:00:10] AGENT: Can I take your social security number to verify?\n[00:00:14] CALLER: Sure, it's {ssn}.\n[00:00:20] AGENT: Thank you, {name.a:first}.",
    "I am extremely unhappy. Order {order} arrived broken and your courier was rude. I expect a full refund of {price}.\n{name}\n{email}",
    "{name.a}\n{addr:uklines}\n\n{date}\n\nDear Mr {name.b:last},\n\nFurther to our telephone conversation, I enclose the signed form for reference {ticket}.\n\nYours sincerely,\n{name.a:short}",
    "{name}\n{addr:uslines}\n\n{date}\n\nTo whom it may concern:\n\nI am disputing the charge of {price} on invoice {invoice}. Please contact me at {email}.",
    "For the W-9, my TIN is my SSN: {ssn}. Name as shown on return: {name:mid}. Address: {addr:us}.",
    "my ss# is {ssn} if u need it for the lease app. thx - {name:firstlower}",
    "APPLICANT: {name:upper}\nSOCIAL SECURITY NO: {ssn}\nEMPLOYER: {company}\nMONTHLY INCOME: {price}\nPHONE: {phone:us}",
    "Hi, I moved to Spain last year. My NIE is {dni:nie} and my Spanish social security number is {nss}. Can you register me with a GP? {name}, {phone:es}",
    "NIE {dni:nie} / passport {passport:GB} – {name:short}. I need the padrón certificate for my residency appointment on {date}.",
    "Your order {order} has shipped! Track it with {tracking}. Estimated delivery: {date}.",
    "Invoice {invoice} for {price} is now overdue. Please pay by {date} to avoid a late fee.",
    "Flight {flight} to {city} departs from gate {gate} at {time}. Boarding closes 30 minutes before departure.",
    "Ticket {ticket} has been escalated to tier 2. Product: {product}, serial {serial}.",
    "Is {zip} in your delivery area? We're just off {street}.",
    "The card number {badcard} on the receipt isn't valid – it fails the checksum, so it's probably the terminal ID.",
    "Payment failed: the IBAN {badiban} has invalid check digits. Reference {opref}.",
    "Reminder: your appointment is on {date} at {time}. Reference {booking}. Please arrive 10 minutes early.",
    "{company} Black Friday: {product} now {price} (was {price}). Use code {promo} at checkout.",
    "hey did u see {company} are doing {price} off?? ends {date} lol",
    "Room {room} is booked for the workshop on {date}, {time}–{time}. Catering by {company}.",
    "Hi all,\n\nAttached are the minutes from {date}. Action items are on page 2.\n\nBest regards,\n{name}\n{jobtitle} | {company}\nM: {phone}\nE: {email:corp}",
    "Hello {name.b:first},\n\nThanks for the quick reply. My new address is {addr:us} and my cell is {phone:us}.\n\nCheers,\n{name.a:short}",
    "Hi, could you update my address to {addr:ie}? Account {account}. Thanks, {name}",
    "Ring me on {phone:ie} after 6, or email {email}. – {name:first}",
    "Passport renewal application\nSurname: {name:last}\nGiven names: {name:first}\nCurrent passport number: {passport:GB}\nContact number: {phone:uk}",
    "I lost my passport (no. {passport:US}) on the trip to {city}. Can the embassy issue an emergency travel document? My name is {name} and I'm staying at {addr:x}.",
    "Hi, please charge the deposit to my Amex {card:amex}, expiry {expiry}. Name on card: {name:upper}.",
    "I don't recognise a payment of {price} on {date} at {company}. Card: {card}. Please block it.\n{name}",
    "Attendees:\n* {name.a}\n* {name.b:mid}\n* {name.c}\n* {name.d:surfirst}\nApologies: {name.e:first}",
    "NOTE: SPOKE TO {name:upper} RE DIRECT DEBIT. NEW IBAN {iban}. OLD ACCOUNT CLOSED. CONFIRMATION SENT TO {email}.",
    "Buyer: {name}\nShip to:\n{addr:uslines}\nPhone: {phone:us}\nItem: {product} ({ref})",
    "Rental application – {name:mid}\nSSN: {ssn}\nCurrent address: {addr:us}\nCurrent landlord: {name.b}, {phone:us}",
    "Policy {policy} – insured: {name}. Social security number for verification: {ssn}. Mailing address: {addr:us}.",
    "Patient {name}, {addr:uk}, mobile {phone:uk}. Referred to physiotherapy on {date}. Seen by Dr {name.b:last}.",
    "Taxpayer: {name.a}\nSpouse: {name.b}\nTaxpayer SSN: {ssn.a}\nSpouse SSN: {ssn.b}\nFiling status: married filing jointly",
    "mum said send it to nan's: {addr:uklower} x",
    "Hello, I am in {city} now, my whatsapp is {phone:intl}. Please send the documents to {email.x}. Kind regards, {name.x}",
    "I'm a Spanish client, please use my Spanish account {iban:ES} for the refund. Name: {name.s}. DNI {dni}.",
    "Traveller details\nFull name (as in passport): {name.x:upper}\nPassport number: {passport:x}\nNationality: {nationality}\nMobile: {phone:intl}",
    "Permission slip – {name.a} may attend the trip on {date}. Parent/guardian: {name.b}. Emergency phone: {phone}.",
    "pls cancel my membership, been trying for weeks. {name:lower}, member no {member}, email {email}",
    "Service transfer: from {addr.a:us} to {addr.b:us}. Account holder {name}. Start date {date}.",
    "my sim stopped working?? number is {phone}, account under {name:short}. pls sort asap",
    "IN THE COUNTY COURT\nClaimant: {name}, of {addr:uk}\nDefendant: {company}\nClaim no. {ticket}",
    "Parcel {tracking} is being held by customs. The recipient, {name}, must pay {price} import VAT. Contact: {phone:uk}, {email}.",
    "Beneficiary: {name}\nIBAN: {iban}\nBIC: {bic}\nAmount: {price}\nReference: {opref}",
    "Payroll change – {name:surfirst}: new bank details IBAN {iban:GB}; home address {addr:uk}; personal email {email}.",
    "Re: visa appointment\n\nThe number you need is {passport} – it's on the photo page of my passport, not the ID card. Appointment {booking} on {date}.\n{name}",
    "{ssn} – that's the number printed on my social security card. Please correct it on the 1099 you sent. {name:short}",
    "agent asked for my social, sent {ssn}. was that ok?? - {name:firstlower}",
    "Hi, my Spanish ID (DNI) is {dni:dni} – the booking system rejects it. Name: {name.s}. Phone {phone:es}.",
    "Número de afiliación / NSS: {nss}. That's my Spanish social security number for the A1 certificate. {name}",
    "It's not a gift card, it's a debit card: {card:19}. Please don't store it. {name:first}",
    "Old Visa {card:visa13} still on file – please remove it. Regards, {name}",
    "Deliver to the back door: {addr:us}. Gate code {gatecode}. Call {name:first} at {phone:us}.",
    "Forwarding address from next month: {addr:x}. Email stays {email.x}. {name.x}",
    "Ship to:\n{name}\n{addr:uslines}\n\nGift message: happy birthday!",
    "Chat started with {name.b:first} (agent)\n{name.a:firstlower}: hi my parcel {tracking} says delivered but its not here\n{name.b:first}: Sorry to hear that! Can you confirm the address?\n{name.a:firstlower}: {addr:enlower}",
    "ACCT {account} / {name:uppersurfirst} / ID VERIFIED / PH {phone} / ADDR {addr:enupper} / WANTS PAPER BILLS",
    "Leave request from {name.a} for {date}. Cover: {name.b:short}. Emergency contact: {name.c} ({phone}).",
    "my nie is {dni:nie} and my passport {passport} lmk if u need anything else x",
    "Pre-arrival form\nGuest: {name:mid}\nTravel document: {passport}\nArriving: {flight}, {date}",
    "Ref {ref} – size 42 – colour navy. Out of stock at the {street} store; next delivery {date}.",
    "Parcel {tracking}: delivery attempted at {time}. Please rebook online with code {pickup}.",
    "Order {order} – 2 x {product} @ {price}. Postcode {zip} qualifies for free delivery.",
    "Hi {name.b:first}, for the dependent care form I need both kids' SSNs: {name.c:first} {ssn.a} and {name.d:first} {ssn.b}. Thanks! {name.a:first}",
    "Employee {member} / {name:uppersurfirst} / SSN {ssn} / {addr:us}",
    '{{"firstName": "{name:first}", "lastName": "{name:last}", "ssn": "{ssn}", "email": "{email}"}}',
    "Please charge my card {card} for order {order}. Billing address: {addr:en}. Thanks, {name}",
    'POST /checkout card_number={card} holder="{name:upper}" email={email} amount={price}',
    "Emergency contacts: {name.a} – {phone.a}; {name.b} – {phone.b}.",
    "Your {company} statement is ready. Balance: {price}. Minimum payment due {date}.",
    "Seat {seat} confirmed on {flight}. Bag drop closes at {time}.",
    "We could not validate card {badcard}; please re-enter the number. Order {order} is on hold.",
    "Hey {name.b:first}! It's {name.a:first} from the gym – my email is {email.a} if you want the training plan.",
    "Cardholder: {name:mid}\nCard: {card}\nExp: {expiry}\nBilling: {addr:us}",
    "I'm staying with my cousin {name.b} at {addr:ie} until {date}. You can call me on {phone:intl}. – {name.a}",
]
TEMPLATES = [("es", t) for t in TEMPLATES_ES] + [("en", t) for t in TEMPLATES_EN]
RARE = {"ssn", "nss", "card"}


# ----------------------------------------------------------------------------------------------- filling
class Filler:
    """Fills one template: invents people and values, records planted values and look-alikes."""

    def __init__(self, lang: str, rng: random.Random):
        self.lang, self.rng = lang, rng
        self.people: dict[str, Person] = {}
        self.cache: dict[tuple[str, str], str] = {}
        self.planted: dict[tuple[str, str], None] = {}
        self.lookalikes: list[tuple[str, str]] = []

    def person(self, key: str) -> Person:
        """The person behind a key, invented on first use (origin from the key's first letter or the language)."""
        if key not in self.people:
            origin = {"s": "es", "e": "en", "x": "x"}.get(key[0])
            if origin is None:
                r = self.rng.random()
                home, away = ("es", "en") if self.lang == "es" else ("en", "es")
                origin = home if r < 0.8 else "x" if r < 0.95 else away
            taken = {p.last for p in self.people.values()} | {p.first for p in self.people.values()}
            person = make_person(self.rng, origin)
            while person.last in taken or person.first in taken:
                person = make_person(self.rng, origin)
            self.people[key] = person
        return self.people[key]

    def value(self, kind: str, key: str, variant: str) -> str:
        """A personal value for a placeholder (cached per kind and key, so it can be repeated)."""
        rng, lang = self.rng, self.lang
        if kind == "name":
            return render_name(self.person(key), variant or "full")
        if (kind, key) not in self.cache:
            if kind == "email":
                p = None if variant == "free" else self.person(key)
                origin = "x" if key.startswith("x") else lang
                text = email_for(rng, p, "corp" if variant == "corp" else "personal", origin)
                text = text.upper() if variant == "upper" else text
            elif kind == "dni":
                text = make_dni(rng, variant or ("nie" if rng.random() < 0.2 else "dni"))
            else:
                text = {
                    "phone": lambda: make_phone(rng, variant, lang),
                    "nss": lambda: make_nss(rng),
                    "ssn": lambda: make_ssn(rng),
                    "passport": lambda: make_passport(rng, variant, lang),
                    "card": lambda: make_card(rng, variant),
                    "iban": lambda: make_iban(rng, variant, lang),
                    "addr": lambda: make_address(rng, variant, lang),
                }[kind]()
            self.cache[(kind, key)] = text
        return self.cache[(kind, key)]

    def __call__(self, m: re.Match) -> str:
        """re.sub callback: replace one placeholder."""
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        kind, key, variant = m.group(1), m.group(2) or "a", m.group(3) or ""
        if kind in PLACEHOLDER_TYPE:
            text = self.value(kind, key, variant)
            self.planted[(PLACEHOLDER_TYPE[kind], text)] = None
            return text
        text = lookalike(self.rng, kind, self.lang)
        self.lookalikes.append((kind, text))
        return text


def fill(template: str, lang: str, rng: random.Random, template_id: int) -> tuple[dict, list[tuple[str, str]]]:
    """Instantiate a template: the JSONL record and the look-alikes it contains."""
    filler = Filler(lang, rng)
    text = TOKEN.sub(filler, template)
    planted = [{"type": t, "value": v} for t, v in filler.planted]
    return {"text": text, "lang": lang, "planted": planted, "template": template_id}, filler.lookalikes


# ----------------------------------------------------------------------------------------------- checks
def dni_ok(value: str) -> bool:
    """A DNI or NIE (any dots, dashes, spaces, letter case) with the right control letter."""
    s = re.sub(r"[\s.\-]", "", value).upper()
    m = re.fullmatch(r"([XYZ]\d{7}|\d{8})([A-Z])", s)
    if not m:
        return False
    num = m.group(1)
    num = str("XYZ".index(num[0])) + num[1:] if num[0] in "XYZ" else num
    return dni_letter(num) == m.group(2)


def nss_ok(value: str) -> bool:
    """A Spanish NSS: province 01-52, eight digits, control = first ten digits mod 97."""
    d = re.sub(r"[\s/.\-]", "", value)
    return bool(re.fullmatch(r"\d{12}", d)) and 1 <= int(d[:2]) <= 52 and int(d[:10]) % 97 == int(d[10:])


def ssn_ok(value: str) -> bool:
    """A US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    m = re.fullmatch(r"(\d{3})[\s-]?(\d{2})[\s-]?(\d{4})", value)
    return (
        bool(m)
        and m.group(1) not in ("000", "666")
        and m.group(1)[0] != "9"
        and m.group(2) != "00"
        and m.group(3) != "0000"
    )


def card_ok(value: str) -> bool:
    """13-19 digits (spaces or dashes allowed) passing Luhn."""
    return bool(re.fullmatch(r"\d(?:[ -]?\d){12,18}", value)) and luhn_ok(re.sub(r"\D", "", value))


def iban_ok(value: str) -> bool:
    """Right length for its country and ISO 7064 mod-97 remainder 1."""
    s = re.sub(r"\s", "", value).upper()
    if not s.isalnum() or IBAN_LEN.get(s[:2]) != len(s):
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


CHECKS = {
    "national_id": dni_ok,
    "social_security": nss_ok,
    "ssn": ssn_ok,
    "card": card_ok,
    "iban": iban_ok,
    "email": lambda v: bool(re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", v)),
    "phone": lambda v: bool(re.fullmatch(r"[+\d\s().\-]+", v)) and 9 <= len(re.sub(r"\D", "", v)) <= 15,
    "passport": lambda v: bool(re.fullmatch(r"[A-Z0-9]{6,9}", v)),
    "name": lambda v: len(v) >= 2 and not re.search(r"\d", v),
    "address": lambda v: len(v) >= 8 and bool(re.search(r"\d", v)),
}
LOOKALIKE_CHECKS = {"baddni": dni_ok, "badcard": card_ok, "badiban": iban_ok, "badnss": nss_ok}
DNI_RE = re.compile(r"(?<![\w.])(?:\d{2}\.?\d{3}\.?\d{3}|[XYZxyz][ .-]?\d{7})[ .-]?[A-Za-z](?![A-Za-z0-9])")
RUN_RE = re.compile(r"(?<!\d)\d+(?:[ ./-]\d+)*(?!\d)")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){8,32}")
SSN_RE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")


def scan(text: str) -> list[tuple[str, str, bool]]:
    """Checksummed-number shapes in a text: (type, candidate, passes its check)."""
    found = [("national_id", m.group(), dni_ok(m.group())) for m in DNI_RE.finditer(text)]
    for m in RUN_RE.finditer(text):
        d = re.sub(r"\D", "", m.group())
        if 13 <= len(d) <= 19:
            found.append(("card", m.group(), luhn_ok(d)))
        elif len(d) == 12 and 1 <= int(d[:2]) <= 52:
            found.append(("social_security", m.group(), nss_ok(d)))
    for m in IBAN_RE.finditer(text):
        compact = re.sub(r"\s", "", m.group()).upper()
        length = IBAN_LEN.get(compact[:2])
        if length and len(compact) >= length:
            found.append(("iban", m.group(), iban_ok(compact[:length])))
    found += [("ssn", m.group(), ssn_ok(m.group())) for m in SSN_RE.finditer(text)]
    return found


def verify_record(rec: dict) -> list[str]:
    """Problems with one record: missing or unbounded values, failed checks, overlaps, unlisted valid numbers."""
    errors = []
    text, planted = rec.get("text"), rec.get("planted")
    if not isinstance(text, str) or rec.get("lang") not in ("es", "en") or not isinstance(rec.get("template"), int):
        return ["bad record shape"]
    pairs = [(p["type"], p["value"]) for p in planted]
    if len(set(pairs)) != len(pairs):
        errors.append("value listed twice")
    spans = []
    for t, v in pairs:
        if t not in TYPES:
            errors.append(f"unknown type {t}")
            continue
        start = text.find(v)
        if start < 0:
            errors.append(f"{t} {v!r} not in text")
            continue
        end = start + len(v)
        if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            errors.append(f"{t} {v!r} first occurs inside a word")
        if not CHECKS[t](v):
            errors.append(f"{t} {v!r} fails its check")
        spans.append((start, end, t, v))
    for s1, e1, t1, v1 in spans:
        for s2, e2, t2, v2 in spans:
            if t1 != t2 and s1 < e2 and s2 < e1:
                errors.append(f"{t1} {v1!r} overlaps {t2} {v2!r}")
    types_of = defaultdict(set)
    for t, v in pairs:
        types_of[v].add(t)
    errors += [f"{v!r} planted as {sorted(ts)}" for v, ts in types_of.items() if len(ts) > 1]
    masked = text
    for _, v in sorted(pairs, key=lambda p: -len(p[1])):
        masked = masked.replace(v, " \u2592 ")
    errors += [f"unlisted valid {t} {c!r}" for t, c, ok in scan(masked) if ok]
    return errors


# ----------------------------------------------------------------------------------------------- build
def instances(rng: random.Random, template: str, lang: str) -> int:
    """How many messages to make from a template (more for the rarer types, a few more in Spanish)."""
    kinds = {m.group(1) for m in TOKEN.finditer(template) if m.group(1)}
    if kinds & RARE:
        return 3
    if kinds & {"passport", "iban"}:
        return 2
    return rng.choice((1, 2, 2) if lang == "es" else (1, 1, 2))


def build() -> tuple[list[dict], Counter]:
    """Generate and verify every message; returns the records and the look-alike kinds used."""
    rng = random.Random(SEED)
    records, used, value_type, texts = [], Counter(), {}, set()
    for template_id, (lang, template) in enumerate(TEMPLATES, start=1):
        for _ in range(instances(rng, template, lang)):
            for _attempt in range(300):
                rec, lookalikes = fill(template, lang, rng, template_id)
                errors = verify_record(rec)
                errors += [
                    f"look-alike {k} {v!r} passes"
                    for k, v in lookalikes
                    if k in LOOKALIKE_CHECKS and LOOKALIKE_CHECKS[k](v)
                ]
                errors += [
                    f"{p['value']!r} used as another type"
                    for p in rec["planted"]
                    if value_type.get(p["value"], p["type"]) != p["type"]
                ]
                if rec["text"] in texts:
                    errors.append("duplicate text")
                if not errors:
                    break
            else:
                raise RuntimeError(f"template {template_id} keeps failing: {errors}")
            texts.add(rec["text"])
            value_type.update({p["value"]: p["type"] for p in rec["planted"]})
            used.update(k for k, _ in lookalikes)
            records.append(rec)
    rng.shuffle(records)
    return records, used


def verify_corpus(records: list[dict]) -> list[str]:
    """All record problems plus values planted as different types in different records."""
    errors, value_type = [], {}
    for i, rec in enumerate(records, start=1):
        errors += [f"line {i}: {e}" for e in verify_record(rec)]
        for p in rec.get("planted", []):
            if value_type.setdefault(p["value"], p["type"]) != p["type"]:
                errors.append(f"line {i}: {p['value']!r} planted as {p['type']} and {value_type[p['value']]}")
    return errors


def report(records: list[dict], lookalikes: Counter | None) -> None:
    """Print planted counts per type and language, templates per type and look-alike counts."""
    counts, templates = Counter(), defaultdict(set)
    langs = Counter(r["lang"] for r in records)
    for r in records:
        for p in r["planted"]:
            counts[(p["type"], r["lang"])] += 1
            templates[p["type"]].add(r["template"])
    empty = sum(1 for r in records if not r["planted"])
    print(
        f"{len(records)} messages from {len({r['template'] for r in records})} templates: "
        f"es {langs['es']} ({langs['es'] / len(records):.0%}), en {langs['en']}; {empty} without PII "
        f"({empty / len(records):.0%})"
    )
    print(f"{'type':<16}{'es':>6}{'en':>6}{'total':>7}{'templates':>11}")
    for t in TYPES:
        es, en = counts[(t, "es")], counts[(t, "en")]
        print(f"{t:<16}{es:>6}{en:>6}{es + en:>7}{len(templates[t]):>11}")
    print(
        f"{'all':<16}{sum(v for (t, lang), v in counts.items() if lang == 'es'):>6}"
        f"{sum(v for (t, lang), v in counts.items() if lang == 'en'):>6}{sum(counts.values()):>7}"
    )
    shapes = Counter()
    for r in records:
        masked = r["text"]
        for p in sorted(r["planted"], key=lambda p: -len(p["value"])):
            masked = masked.replace(p["value"], " \u2592 ")
        shapes.update(t for t, _, ok in scan(masked) if not ok)
    print(
        "checksum-shaped look-alikes found in the texts (all fail their checks): "
        + ", ".join(f"{t} {n}" for t, n in sorted(shapes.items()))
    )
    if lookalikes:
        print("look-alikes planted: " + ", ".join(f"{k} {n}" for k, n in sorted(lookalikes.items())))


def main() -> int:
    """Generate, verify and write the corpus, or (--check) re-verify the written file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="re-verify the written file only")
    args = parser.parse_args()
    if args.check:
        records = [json.loads(line) for line in OUT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
        lookalikes = None
    else:
        records, lookalikes = build()
    errors = verify_corpus(records)
    if errors:
        print("\n".join(errors[:50]), file=sys.stderr)
        print(f"{len(errors)} problems", file=sys.stderr)
        return 1
    if not args.check:
        with OUT_PATH.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"wrote {OUT_PATH}")
    report(records, lookalikes)
    print("check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
