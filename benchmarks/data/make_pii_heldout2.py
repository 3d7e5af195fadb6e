#!/usr/bin/env python3
"""Second held-out evaluation corpus for the PII detector (pii_heldout2.jsonl).

About 400 synthetic customer-support messages (chats, e-mails, forms, CRM notes,
letters, signatures) in Spanish and English, with planted personal data of ten
types; about 15% carry no personal data at all, only look-alikes (order ids,
prices, dates, bad-checksum numbers...).

This file was written WITHOUT reading the detector, its tests, its docs or the
first held-out set, from a written specification of the PII types only. All
templates, names, streets and cities below were made up for this file.
Standard library only, fixed seed, deterministic.

Usage:
    python make_pii_heldout2.py          # generate, write, verify, print table
    python make_pii_heldout2.py --check  # only re-verify the written file
"""

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20250611
OUT = Path(__file__).with_name("pii_heldout2.jsonl")
N_ES, N_EN = 220, 180
TYPES = ["email", "phone", "national_id", "social_security", "ssn", "passport", "card", "iban", "address", "name"]
MIN_PER_TYPE = {t: 40 for t in TYPES}
MIN_PER_TYPE["name"] = 80
MIN_TEMPLATES_PER_TYPE = 15

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


# --------------------------------------------------------------------------
# Checksums
# --------------------------------------------------------------------------


def luhn_ok(digits):
    """True if the digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_complete(partial):
    """Append the Luhn check digit to a partial card number."""
    for c in "0123456789":
        if luhn_ok(partial + c):
            return partial + c
    raise AssertionError("unreachable")


def dni_letter(number):
    """Control letter of a DNI number (int)."""
    return DNI_LETTERS[number % 23]


def national_id_ok(value):
    """True if value is a valid DNI or NIE in any of the accepted spellings."""
    s = re.sub(r"[\s.\-]", "", value).upper()
    m = re.fullmatch(r"(\d{8})([A-Z])", s)
    if m:
        return dni_letter(int(m.group(1))) == m.group(2)
    m = re.fullmatch(r"([XYZ])(\d{7})([A-Z])", s)
    if m:
        num = int(str("XYZ".index(m.group(1))) + m.group(2))
        return dni_letter(num) == m.group(3)
    return False


def nss_control(province, number):
    """Control digits of a Spanish social security number."""
    return int(f"{province:02d}{number:08d}") % 97


def nss_ok(value):
    """True if value (any separators) is a valid 12-digit Spanish NSS."""
    d = re.sub(r"\D", "", value)
    if len(d) != 12:
        return False
    prov, num, ctl = int(d[:2]), int(d[2:10]), int(d[10:])
    return 1 <= prov <= 52 and nss_control(prov, num) == ctl


def ssn_ok(value):
    """True if value is a structurally valid US SSN."""
    d = re.sub(r"\D", "", value)
    if len(d) != 9:
        return False
    area, group, serial = int(d[:3]), int(d[3:5]), int(d[5:])
    return area not in (0, 666) and area < 900 and group != 0 and serial != 0


IBAN_LENGTHS = {"ES": 24, "DE": 22, "FR": 27, "IT": 27, "PT": 25, "GB": 22, "NL": 18, "BE": 16, "IE": 22}


def iban_numeric(s):
    """Letters to numbers as in ISO 13616 (A=10 ... Z=35)."""
    return "".join(str(int(ch, 36)) for ch in s)


def iban_check_digits(country, bban):
    """The two check digits for country + bban."""
    return f"{98 - int(iban_numeric(bban + country + '00')) % 97:02d}"


def iban_ok(value):
    """True if value (spaces allowed, any case) is a valid IBAN of known length."""
    s = value.replace(" ", "").upper()
    if IBAN_LENGTHS.get(s[:2]) != len(s):
        return False
    return int(iban_numeric(s[4:] + s[:4])) % 97 == 1


# --------------------------------------------------------------------------
# Word lists (invented for this file)
# --------------------------------------------------------------------------

ES_FIRST = """
Lucía Ana Remedios Eulalia Begoña Itziar Maialen Iratxe Leire Nerea Ainhoa
Covadonga Amparo Ximena Yolanda Inmaculada Jacinta Leocadia Nuria Olvido Pilar
Teodora Visitación Zoraida Araceli Brígida Candela Dolores Encarnación
Fuensanta Gadea Herminia Irene Josefa Lourdes Macarena Montserrat Noelia
Paloma Rocío Soledad Trinidad Valvanera Xiomara Yaiza Zuriñe Almudena Arantxa
Carmela Consuelo Genoveva Guadalupe Milagros Purificación Rosalía Sagrario
Tamara Úrsula Vanesa Estíbaliz Idoia Oihane Uxue Ariadna Berta Cayetana Eider
Florencia Graciela Maite Nélida Rufina Sabela Telma Xana Alba Ángeles Ester
Guillermina Ofelia Eufemia Petronila Fermín Nicasio Baltasar Casimiro
Eustaquio Hermenegildo Rosendo Saturnino Wenceslao Xabier Aitor Iñaki Unai
Gorka Asier Íker Mikel Joseba Eneko Patxi Abelardo Anselmo Benigno Ceferino
Demetrio Eladio Faustino Gervasio Higinio Isidoro Jacinto Leandro Marcelino
Nemesio Octavio Prudencio Quintín Rigoberto Segismundo Tadeo Ulises Valeriano
Zacarías Pablo Sergio Álvaro Rodrigo Gonzalo Ignacio Borja Íñigo Cayetano
Bruno Darío Emiliano Fabián Germán Hugo Joaquín Lisandro Mateo Nahuel Omar
Ramiro Teodoro Vicente Xosé Yago Amadeo Bernabé Crisanto Desiderio Evaristo
Feliciano Gumersindo Hilario Inocencio Lorenzo Maximiliano Norberto Olegario
Pelayo Renato Tomás Wilfredo Agustín Brais Xoán Iago Martiño Jordi Oriol Arnau
""".split()

ES_COMPOUND_FIRST = [
    "María José",
    "Juan Carlos",
    "José Luis",
    "Juan Pablo",
    "Luis Miguel",
    "Francisco Javier",
    "José Ramón",
    "María del Mar",
    "Ana Belén",
    "María Jesús",
    "Mari Carmen",
    "Rosa María",
    "José Antonio",
    "María Teresa",
    "Juan Manuel",
    "María Ángeles",
    "Pedro Pablo",
    "Miguel Ángel",
]

ES_SURNAMES = """
Aldecoa Barrionuevo Cuadrado Echeverría Figueroa Garmendia Hinojosa Iturbe
Jaramillo Lasheras Noguera Ochoa Pedraza Quintanilla Rebollo Sepúlveda Urquijo
Valdivieso Zubizarreta Arrieta Belmonte Carrasco Domínguez Escudero Fajardo
Galindo Herrero Ibarra Jiménez Lozano Maldonado Navarrete Olmedo Palomino
Quesada Robles Salcedo Tejada Ugarte Villalobos Yáñez Zamorano Abellán
Bermúdez Cifuentes Duarte Esparza Ferrándiz Gallardo Huertas Iglesias Juárez
Lacasa Montoya Nieto Orozco Rivas Sarmiento Uriarte Vallejo Zapata Alcántara
Barrientos Castañeda Doval Eguren Fonseca Gaitán Holgado Ezquerra Landa
Mancebo Nebreda Olabarría Pinedo Recio Solana Tamayo Urrutia Varela Zorrilla
Aguirre Bustamante Cervera Dávila Espinosa Fuentes Hurtado Illescas Jurado
Larrañaga Medrano Moya Nogales Orellana Pizarro Rosales Sotomayor Trujillo
Ulloa Vidal Zabala Arteaga Bengoechea Carballo Diéguez Estévez Feijoo Gondar
Lamas Mouriño Outeiral Piñeiro Rañó Souto Vilar Porras Cabello Chaves Ocaña
Mejías Cisneros Benavides Almansa Bravo Caballero Cortés Delgado Expósito
Ferrer Garrido Guerrero Lorente Marín Miranda Ortuño Peralta Prieto Ramírez
Sanz Serrano Téllez Valero Villar Aranda Barros Calvo Cano Díez Osorio
Paredes Quiroga Rueda Tovar Sobrino Almagro Baeza Cuenca Ruipérez Sandoval
""".split()

ES_PARTICLE_SURNAMES = [
    "de la Fuente",
    "del Río",
    "de la Cruz",
    "de los Santos",
    "del Pozo",
    "de la Torre",
    "de Castro",
    "del Valle",
    "de la Vega",
    "de Miguel",
    "de la Peña",
    "del Olmo",
]

EN_FIRST = """
Sarah James Mary-Jane Oliver Harriet Niamh Siobhan Callum Hamish Eleanor
Barnaby Rupert Imogen Tobias Phoebe Declan Aoife Cormac Rhys Gwen Bronwyn
Dwayne LaToya Tyrone Brandon Kayleigh Courtney Ezekiel Thaddeus Mildred Agnes
Winifred Cuthbert Percival Ophelia Rosalind Delilah Jebediah Marcus Ethan
Brooke Travis Tanner Garrett Colleen Maeve Fergus Alistair Euan Morag Isla
Ainsley Beatrix Clementine Jasper Felix Leopold Miles Nigel Quentin Reginald
Theodore Wilfred Yvonne Zachary Priya Aarav Kwame Chidi Lorna Gideon Hattie
Ivor Lettie Mabel Ned Otis Peregrine
""".split()

EN_SURNAMES = """
O'Connor McAllister Watson Fitzgerald Pemberton Ashworth Blackwood Cartwright
Dunmore Ellsworth Fairbanks Gallagher Hollister Ingram Jenkins Kowalczyk
Lockhart MacLeod Nightingale Oakley Prendergast Quigley Rutherford Sinclair
Thistlewood Underhill Vance Whitlock Yardley Abernathy Brennan Callaghan
Delaney Hargreaves Kilbride Mulcahy O'Sullivan Pritchard Thornbury
Winterbottom Crenshaw Dawkins Holloway Kessler Lindqvist Montgomery Okafor
Patel Ramsbottom Stroud Tillman Upton Vickers Wainwright Beaumont Caldwell
Everhart Goldberg Hutchinson Jablonski Kavanagh Llewellyn McGillicuddy
Nakamura Ogilvie Pennington Rourke Threlfall Ashby Birtwistle Coggins Dempsey
Fenwick Greenhalgh Haddock Iverson Jowett Kirkpatrick Lomax Merriweather
Nugent Osei Pickering Quayle Rigby Scanlon Trelawney Varga Wolcott
""".split()

INTL_NAMES = {
    "pt": (
        ["João", "Conceição", "Gonçalo", "Inês", "Rui", "Leonor", "Tiago", "Filipa", "Duarte", "Beatriz"],
        [
            "Pereira da Silva",
            "Antunes",
            "Magalhães",
            "Carvalho",
            "Gouveia",
            "Rebelo",
            "Quaresma",
            "Sampaio",
            "Teixeira",
            "Figueiredo",
        ],
    ),
    "fr": (
        ["Amélie", "Jean-Baptiste", "Gaëlle", "Théo", "Margaux", "Loïc", "Solène", "Benoît", "Clémence", "Yannick"],
        [
            "Dubois",
            "Lefèvre",
            "Rousseau",
            "Marchand",
            "Girardot",
            "Fontaine",
            "Lemaire",
            "Brossard",
            "Chevalier",
            "Perrin",
        ],
    ),
    "de": (
        ["Jürgen", "Annika", "Lukas", "Friederike", "Matthias", "Svenja", "Dietrich", "Katrin", "Florian", "Wiebke"],
        [
            "Müller-Hoffmann",
            "Schäfer",
            "Brandt",
            "Krüger",
            "Vogel",
            "Oberhauser",
            "Zimmermann",
            "Wendt",
            "Hartmann",
            "Eichhorn",
        ],
    ),
    "ro": (
        ["Ionuț", "Mihaela", "Andrei", "Ioana", "Bogdan", "Corina", "Florin", "Raluca", "Sorin", "Alina"],
        [
            "Popescu",
            "Dumitrescu",
            "Ionescu",
            "Munteanu",
            "Constantinescu",
            "Vasilescu",
            "Stoica",
            "Rădulescu",
            "Georgescu",
            "Marinescu",
        ],
    ),
    "ma": (
        ["Youssef", "Fatima Zahra", "Mohamed Amine", "Khadija", "Hamza", "Salma", "Mehdi", "Zineb", "Anouar", "Hafsa"],
        [
            "El Amrani",
            "Benali",
            "Bennani",
            "El Idrissi",
            "Tazi",
            "Alaoui",
            "Chraibi",
            "Berrada",
            "Ouazzani",
            "El Fassi",
        ],
    ),
    "cn": (
        ["Xiaoming", "Meiling", "Jianguo", "Yufei", "Haoran", "Xinyi", "Zihan", "Weijie"],
        ["Wang", "Zhang", "Liu", "Chen", "Zhao", "Huang", "Zhou", "Xu"],
    ),
    "ua": (
        ["Oleksandr", "Olena", "Dmytro", "Kateryna", "Bohdan", "Iryna", "Taras", "Yuliia", "Mykola", "Oksana"],
        [
            "Kovalenko",
            "Shevchuk",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Lysenko",
            "Hnatiuk",
            "Savchenko",
            "Boiko",
        ],
    ),
}

# (city, postcode prefix, street style)
ES_CITIES = [
    ("Madrid", "28", "es"),
    ("Barcelona", "08", "ca"),
    ("Valencia", "46", "es"),
    ("Sevilla", "41", "es"),
    ("Zaragoza", "50", "es"),
    ("Málaga", "29", "es"),
    ("Bilbao", "48", "es"),
    ("Valladolid", "47", "es"),
    ("Vigo", "36", "gl"),
    ("A Coruña", "15", "gl"),
    ("Santiago de Compostela", "15", "gl"),
    ("Granada", "18", "es"),
    ("Murcia", "30", "es"),
    ("Alicante", "03", "es"),
    ("Córdoba", "14", "es"),
    ("Oviedo", "33", "es"),
    ("Gijón", "33", "es"),
    ("Pamplona", "31", "es"),
    ("Salamanca", "37", "es"),
    ("Burgos", "09", "es"),
    ("León", "24", "es"),
    ("Logroño", "26", "es"),
    ("Santander", "39", "es"),
    ("Cáceres", "10", "es"),
    ("Badajoz", "06", "es"),
    ("Almería", "04", "es"),
    ("Cádiz", "11", "es"),
    ("Jaén", "23", "es"),
    ("Huelva", "21", "es"),
    ("Toledo", "45", "es"),
    ("Cuenca", "16", "es"),
    ("Teruel", "44", "es"),
    ("Huesca", "22", "es"),
    ("Lleida", "25", "ca"),
    ("Girona", "17", "ca"),
    ("Tarragona", "43", "ca"),
    ("Castellón de la Plana", "12", "es"),
    ("Palma", "07", "es"),
    ("Las Palmas de Gran Canaria", "35", "es"),
    ("Santa Cruz de Tenerife", "38", "es"),
    ("Vitoria-Gasteiz", "01", "es"),
    ("San Sebastián", "20", "es"),
    ("Lugo", "27", "gl"),
    ("Ourense", "32", "gl"),
    ("Pontevedra", "36", "gl"),
    ("Albacete", "02", "es"),
    ("Ciudad Real", "13", "es"),
    ("Ávila", "05", "es"),
    ("Segovia", "40", "es"),
    ("Soria", "42", "es"),
    ("Zamora", "49", "es"),
    ("Palencia", "34", "es"),
    ("Alcalá de Henares", "28", "es"),
    ("Móstoles", "28", "es"),
    ("Sabadell", "08", "ca"),
    ("Terrassa", "08", "ca"),
    ("Elche", "03", "es"),
    ("Cartagena", "30", "es"),
    ("Jerez de la Frontera", "11", "es"),
    ("Marbella", "29", "es"),
]

ES_STREET_TYPES = [
    "Calle",
    "Calle",
    "Calle",
    "C/",
    "C/",
    "Avenida",
    "Avda.",
    "Plaza",
    "Pza.",
    "Paseo",
    "Pº",
    "Camino",
    "Travesía",
    "Ronda",
    "Glorieta",
    "Callejón",
]
ES_STREET_NAMES = [
    "Mayor",
    "de la Paz",
    "de los Almendros",
    "Río Esla",
    "de las Cigüeñas",
    "de los Alfareros",
    "de San Bartolomé",
    "Nueva",
    "de los Tejares",
    "del Olivar",
    "de la Alameda",
    "Real",
    "de Santa Engracia",
    "de los Mártires",
    "del Carmen",
    "de la Estación",
    "de las Huertas",
    "del Molino",
    "de la Fragua",
    "de los Herreros",
    "del Sol",
    "de la Luna",
    "de la Constitución",
    "de Andalucía",
    "de Portugal",
    "de América",
    "del Mediterráneo",
    "de la Ermita",
    "de las Acacias",
    "del Roble",
    "de la Cañada",
    "del Pilar",
    "de la Marina",
    "Nueva del Puerto",
    "de Zurbarán",
    "del Progreso",
    "de la Industria",
    "de los Tilos",
    "de la Hispanidad",
    "de los Reyes Católicos",
    "Viejo de Hortaleza",
    "de las Lavanderas",
    "del Cierzo",
    "de la Vendimia",
    "de los Pescadores",
    "de Toledo",
    "de España",
    "de los Castaños",
    "del Infante",
]
CA_STREET_TYPES = ["Carrer", "Carrer", "C.", "Avinguda", "Av.", "Passeig", "Plaça", "Rambla"]
CA_STREET_NAMES = [
    "de les Oliveres",
    "del Rec",
    "de la Riera",
    "Major",
    "dels Ferrers",
    "de Sant Pere",
    "de la Muntanya",
    "del Bosc",
    "de l'Estació",
    "dels Tallers",
    "de la Font",
    "del Cardener",
    "de les Moreres",
]
GL_STREET_TYPES = ["Rúa", "Rúa", "Avenida", "Praza", "Camiño", "Travesa"]
GL_STREET_NAMES = [
    "do Franco",
    "da Raíña",
    "dos Loureiros",
    "Nova",
    "de San Pedro",
    "das Hortas",
    "do Vilar",
    "da Estrela",
    "dos Muíños",
    "do Pombal",
    "das Camelias",
    "do Hórreo",
]
ES_FLOORS = [
    "",
    "",
    ", 3º B",
    ", 2º Izda.",
    " bajo",
    " 4ºIzq",
    ", ático 1ª",
    ", 1º 2ª",
    ", esc. B, 5º C",
    ", portal 3, 2º D",
    ", local 4",
    " 3ºA",
    ", 6ª planta",
]
CA_FLOORS = ["", ", 2n 1a", ", 3r 2a", ", baixos", ", àtic", " 4t 3a"]
GL_FLOORS = ["", ", 3º esq.", ", baixo", ", 2º dta.", " 1ºA"]

UK_STREETS = [
    "Baker",
    "Oak",
    "Willow",
    "Ashgrove",
    "Kingfisher",
    "Marlborough",
    "Elmtree",
    "Foxhollow",
    "Larkspur",
    "Thornfield",
    "Cresswell",
    "Primrose",
    "Bramble",
    "Juniper",
    "Chestnut",
    "Orchard",
    "Millbrook",
    "Ravenscroft",
    "Heathfield",
    "Copperfield",
    "High",
    "Station",
    "Church",
    "Mill",
    "Granby",
    "Bellhouse",
    "Tanners",
]
UK_SUFFIX = [
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Close",
    "Crescent",
    "Drive",
    "Gardens",
    "Terrace",
    "Way",
    "Place",
    "Mews",
    "Grove",
    "Rd",
    "St",
]
UK_CITIES = [
    ("London", ["NW1", "SE15", "E8", "N7", "SW11", "W5", "EC1V"]),
    ("Manchester", ["M1", "M14", "M20"]),
    ("Oxford", ["OX1", "OX4"]),
    ("Leeds", ["LS6", "LS2"]),
    ("Bristol", ["BS1", "BS8"]),
    ("Bath", ["BA1", "BA2"]),
    ("Edinburgh", ["EH3", "EH8"]),
    ("Glasgow", ["G12", "G41"]),
    ("Cardiff", ["CF10", "CF24"]),
    ("Belfast", ["BT7", "BT9"]),
    ("York", ["YO1", "YO31"]),
    ("Brighton", ["BN1", "BN2"]),
    ("Norwich", ["NR2", "NR3"]),
    ("Liverpool", ["L8", "L17"]),
    ("Nottingham", ["NG7", "NG1"]),
    ("Cambridge", ["CB1", "CB4"]),
]
UK_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

US_STREETS = [
    "Maple",
    "Cedar",
    "Elm",
    "2nd",
    "5th",
    "Sycamore",
    "Magnolia",
    "Hawthorne",
    "Lakeview",
    "Ridgecrest",
    "Sunset",
    "Willow Creek",
    "Pinecrest",
    "Pennsylvania",
    "Oakridge",
    "Bluebonnet",
    "Harbor",
    "Mesa Verde",
    "Prospect",
    "Chestnut Hill",
]
US_SUFFIX = ["St", "Ave", "Blvd", "Rd", "Dr", "Ln", "Ct", "Way", "Pl", "Street", "Avenue", "Drive"]
US_CITIES = [
    ("Austin", "TX", "787"),
    ("Portland", "OR", "972"),
    ("Denver", "CO", "802"),
    ("Chicago", "IL", "606"),
    ("Boston", "MA", "021"),
    ("Seattle", "WA", "981"),
    ("Miami", "FL", "331"),
    ("Phoenix", "AZ", "850"),
    ("Atlanta", "GA", "303"),
    ("Nashville", "TN", "372"),
    ("Columbus", "OH", "432"),
    ("Sacramento", "CA", "958"),
    ("San Diego", "CA", "921"),
    ("Minneapolis", "MN", "554"),
    ("Raleigh", "NC", "276"),
    ("Albuquerque", "NM", "871"),
    ("Washington", "DC", "200"),
]

EN_CITIES = [
    "Leicester",
    "Swindon",
    "Aberdeen",
    "Dundee",
    "Exeter",
    "Tulsa",
    "Boise",
    "Savannah",
    "Spokane",
    "Reno",
    "Galway",
    "Cork",
]
LATAM_CITIES = ["Rosario", "Medellín", "Guadalajara", "Valparaíso", "Cusco"]

EMAIL_DOMAINS = [
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "hotmail.com",
    "hotmail.es",
    "yahoo.es",
    "yahoo.com",
    "outlook.es",
    "outlook.com",
    "icloud.com",
    "protonmail.com",
    "proton.me",
    "telefonica.net",
    "movistar.es",
    "gmx.de",
    "gmx.net",
    "btinternet.com",
    "yahoo.co.uk",
    "live.co.uk",
    "aol.com",
    "comcast.net",
    "orange.fr",
    "sapo.pt",
    "talleresbaztan.es",
    "clinica-solrisa.com",
    "grupo-norte.es",
    "mail.fincaslosolivos.es",
    "abogadosferriz.com",
    "acmelogistics.co.uk",
    "brightwater-dental.com",
    "estudio-arquitrabe.es",
    "correo.ayto-villanueva.es",
    "northfield.ac.uk",
    "lavanderiaelsol.net",
]

COMPANIES_ES = [
    "Grupo Norte SL",
    "Transportes Levante SL",
    "Suministros Eléctricos del Sur SA",
    "Hostal Miramar",
    "Reformas Arquitrabe SL",
    "Clínica Solrisa",
    "Talleres Baztán Hermanos",
    "Frutas El Olivar SC",
    "Gestoría Alcázar",
    "Construcciones Peñarroya SA",
]
COMPANIES_EN = [
    "Northfield Logistics Ltd",
    "Brightwater Dental LLC",
    "Acme Roofing Inc.",
    "Harbourside Lettings",
    "Bluebell Software Ltd",
    "Redwood Plumbing Co.",
]
PRODUCTS = [
    "Everest 2000",
    "zapatillas Trailmaster",
    "aspiradora Ciclón 3",
    "colchón Nube Plus",
    "Aurora S7",
    "cafetera Brisa",
    "Kappa 350",
    "robot Limpio X",
    "bici Montaña Pro",
]
PRODUCTS_EN = [
    "Everest 2000",
    "Trailmaster boots",
    "Cyclone 3 vacuum",
    "CloudRest mattress",
    "Aurora S7",
    "Breeze kettle",
    "Kappa 350",
]
MODELS = ["XR-5000", "TX-9 Pro", "DL-2200X", "Kappa 350", "Aurora S7", "WM-814", "HX 40", "Everest 2000", "Q7 Lite"]
MONTHS_ES = [
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
MONTHS_EN = [
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


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def digits(rng, n):
    """n random decimal digits as a string."""
    return "".join(rng.choice("0123456789") for _ in range(n))


def letters(rng, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    """n random letters from alphabet."""
    return "".join(rng.choice(alphabet) for _ in range(n))


def slug(s):
    """ASCII lowercase with only letters and digits (for e-mail local parts)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def group4(s, sep=" "):
    """Split a string into groups of four characters."""
    return sep.join(s[i : i + 4] for i in range(0, len(s), 4))


# --------------------------------------------------------------------------
# Generators for planted values
# --------------------------------------------------------------------------


def gen_first_es(rng):
    """Spanish / Latin American first name, sometimes compound."""
    if rng.random() < 0.22:
        return rng.choice(ES_COMPOUND_FIRST)
    return rng.choice(ES_FIRST)


def gen_surname_es(rng):
    """One Spanish surname, sometimes with a particle."""
    if rng.random() < 0.12:
        return rng.choice(ES_PARTICLE_SURNAMES)
    return rng.choice(ES_SURNAMES)


def gen_surnames_es(rng):
    """Two Spanish surnames."""
    a = gen_surname_es(rng)
    b = rng.choice(ES_SURNAMES)
    while b == a:
        b = rng.choice(ES_SURNAMES)
    return f"{a} {b}"


def gen_name_es(rng):
    """First name plus one or two surnames."""
    first = gen_first_es(rng)
    if rng.random() < 0.7:
        return f"{first} {gen_surnames_es(rng)}"
    return f"{first} {gen_surname_es(rng)}"


def gen_name_es_crm(rng):
    """CRM style: 'SURNAME SURNAME, FIRST' in capitals."""
    first = rng.choice(ES_FIRST + ES_COMPOUND_FIRST)
    return f"{gen_surnames_es(rng).upper()}, {first.upper()}"


def gen_first_en(rng):
    """English first name."""
    return rng.choice(EN_FIRST)


def gen_surname_en(rng):
    """English surname."""
    return rng.choice(EN_SURNAMES)


def gen_name_en(rng):
    """English full name, occasionally with a middle initial."""
    first, last = rng.choice(EN_FIRST), rng.choice(EN_SURNAMES)
    if rng.random() < 0.12:
        return f"{first} {letters(rng, 1, 'ABCDEFGHJKLMNPRSTW')}. {last}"
    return f"{first} {last}"


def gen_name_en_crm(rng):
    """CRM style: 'SURNAME, FIRST' in capitals."""
    return f"{rng.choice(EN_SURNAMES).upper()}, {rng.choice(EN_FIRST).upper()}"


def gen_name_intl(rng, origin=None):
    """Name from another country (PT, FR, DE, RO, MA, CN, UA)."""
    origin = origin or rng.choice(sorted(INTL_NAMES))
    firsts, lasts = INTL_NAMES[origin]
    first, last = rng.choice(firsts), rng.choice(lasts)
    if origin == "cn" and rng.random() < 0.6:
        return f"{last} {first}"
    return f"{first} {last}"


def gen_email(rng):
    """Personal e-mail address built from invented name parts."""
    first = slug(rng.choice(ES_FIRST + EN_FIRST + ES_COMPOUND_FIRST).split()[0])
    last = slug(rng.choice(ES_SURNAMES + EN_SURNAMES))
    yy, nn = f"{rng.randint(60, 99)}", str(rng.randint(1, 999))
    tag = rng.choice(["pedidos", "compras", "facturas", "news", "shop"])
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first[0]}.{last}{yy}",
            f"{first}{last}{nn}",
            f"{first}_{last}",
            f"{last}.{first}",
            f"{first}.{last}+{tag}",
            f"{first}{yy}",
            f"{first[0]}{last}",
            f"{first}-{last}",
            f"{last}{first[0]}{nn}",
        ]
    )
    domain = rng.choice(EMAIL_DOMAINS)
    if rng.random() < 0.08:
        local = ".".join(p.capitalize() for p in local.split("."))
        domain = domain.capitalize()
    return f"{local}@{domain}"


def es_phone_digits(rng, kind):
    """Nine-digit Spanish number: 'mob' (6/7) or 'fix' (8/9)."""
    if kind == "mob":
        p = rng.choice(["6", "6", "6", "7" + rng.choice("1234")])
    else:
        p = rng.choice(
            [
                "91",
                "93",
                "94",
                "95",
                "96",
                "98",
                "971",
                "972",
                "976",
                "983",
                "928",
                "922",
                "954",
                "981",
                "881",
                "876",
                "865",
            ]
        )
    return p + digits(rng, 9 - len(p))


def fmt_es_phone(rng, d, kind):
    """Write a Spanish number in one of the usual spellings."""
    s332 = f"{d[:3]} {d[3:6]} {d[6:]}"
    s3222 = f"{d[:3]} {d[3:5]} {d[5:7]} {d[7:]}"
    styles = [
        d,
        d,
        s3222,
        s332,
        s332,
        f"+34 {s332}",
        f"+34{d}",
        f"0034 {s332}",
        f"(+34) {s3222}",
        f"+34 {s3222}",
        f"{d[:3]}.{d[3:6]}.{d[6:]}",
    ]
    if kind == "fix" and d[:2] in ("91", "93", "94", "95", "96", "98"):
        styles += [f"{d[:2]} {d[2:5]} {d[5:7]} {d[7:]}"] * 3
    return rng.choice(styles)


def gen_phone_es(rng):
    """Spanish phone, mostly mobile."""
    kind = "mob" if rng.random() < 0.75 else "fix"
    return fmt_es_phone(rng, es_phone_digits(rng, kind), kind)


def gen_phone_es_fix(rng):
    """Spanish landline."""
    return fmt_es_phone(rng, es_phone_digits(rng, "fix"), "fix")


def gen_phone_uk(rng):
    """UK mobile or landline in a common spelling."""
    r = rng.random()
    if r < 0.55:
        mob = "7" + rng.choice("134579") + digits(rng, 8)
        if rng.random() < 0.3:
            mob = "7700900" + digits(rng, 3)
        return rng.choice([f"+44 {mob[:4]} {mob[4:]}", f"0{mob[:4]} {mob[4:]}", f"0{mob}", f"+44{mob}"])
    if r < 0.85:
        n = digits(rng, 8)
        return rng.choice([f"+44 (0)20 {n[:4]} {n[4:]}", f"020 {n[:4]} {n[4:]}", f"+44 20 {n[:4]} {n[4:]}"])
    n = digits(rng, 7)
    return rng.choice([f"0161 {n[:3]} {n[3:]}", f"+44 (0)113 {n[:3]} {n[3:]}"])


def gen_phone_us(rng):
    """US number in a common spelling."""
    area = rng.choice(
        ["212", "415", "312", "617", "206", "512", "305", "702", "503", "404", "646", "718", "213", "310", "720", "919"]
    )
    exch = str(rng.randint(2, 9)) + digits(rng, 2)
    if rng.random() < 0.25:
        exch = "555"
    line = digits(rng, 4)
    return rng.choice(
        [
            f"({area}) {exch}-{line}",
            f"{area}-{exch}-{line}",
            f"+1 {area} {exch} {line}",
            f"{area}.{exch}.{line}",
            f"+1 ({area}) {exch}-{line}",
            f"1-{area}-{exch}-{line}",
            f"({area}) {exch}-{line}",
        ]
    )


def gen_phone_intl(rng):
    """Phone from another country with its + prefix."""
    d = lambda n: digits(rng, n)  # noqa: E731
    return rng.choice(
        [
            f"+33 {rng.choice('67')} {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+49 30 {d(8)}",
            f"+49 {rng.choice(['151', '160', '172', '176'])} {d(8)}",
            f"+351 9{rng.choice('1236')}{d(1)} {d(3)} {d(3)}",
            f"+40 7{d(2)} {d(3)} {d(3)}",
            f"+212 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+52 55 {d(4)} {d(4)}",
            f"+54 9 11 {d(4)}-{d(4)}",
            f"+39 3{d(2)} {d(3)} {d(4)}",
            f"+353 8{rng.choice('3567')} {d(3)} {d(4)}",
            f"+57 3{d(2)} {d(3)} {d(4)}",
        ]
    )


def gen_dni(rng):
    """Valid DNI in one of the accepted spellings."""
    n = rng.randint(1_000_000, 99_999_999)
    s, letter = f"{n:08d}", dni_letter(n)
    if rng.random() < 0.15:
        letter = letter.lower()
    return rng.choice(
        [
            f"{s}{letter}",
            f"{s}{letter}",
            f"{s}{letter}",
            f"{s}-{letter}",
            f"{s[:2]}.{s[2:5]}.{s[5:]}-{letter}",
            f"{s[:2]} {s[2:5]} {s[5:]} {letter}",
        ]
    )


def gen_nie(rng):
    """Valid NIE (X/Y/Z)."""
    p = rng.choice("XYZ")
    body = digits(rng, 7)
    letter = dni_letter(int(str("XYZ".index(p)) + body))
    return rng.choice([f"{p}{body}{letter}", f"{p}{body}{letter}", f"{p}-{body}-{letter}", f"{p}{body}-{letter}"])


def gen_docid(rng):
    """DNI or NIE."""
    return gen_dni(rng) if rng.random() < 0.7 else gen_nie(rng)


def gen_nss(rng):
    """Valid Spanish social security number."""
    prov, num = rng.randint(1, 52), rng.randint(10_000_000, 99_999_999)
    p, n, c = f"{prov:02d}", f"{num:08d}", f"{nss_control(prov, num):02d}"
    return rng.choice([f"{p}{n}{c}", f"{p}{n}{c}", f"{p} {n} {c}", f"{p}/{n}/{c}", f"{p}-{n}-{c}"])


def ssn_parts(rng):
    """Random valid (area, group, serial) strings."""
    area = rng.randint(1, 899)
    while area == 666:
        area = rng.randint(1, 899)
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def gen_ssn(rng):
    """US SSN with dashes (sometimes spaces)."""
    a, g, s = ssn_parts(rng)
    return f"{a}-{g}-{s}" if rng.random() < 0.85 else f"{a} {g} {s}"


def gen_ssn_spaced(rng):
    a, g, s = ssn_parts(rng)
    return f"{a} {g} {s}"


def gen_ssn_plain(rng):
    a, g, s = ssn_parts(rng)
    return f"{a}{g}{s}"


def gen_pass_es(rng):
    """Spanish passport: three letters and six digits."""
    prefix = rng.choice(
        [
            "PAA",
            "PAB",
            "PAC",
            "PAD",
            "PAE",
            "PAF",
            "PAG",
            "PAH",
            "PAJ",
            "PAK",
            "AAA",
            "AAB",
            "AAC",
            "AAD",
            "AAF",
            "XDA",
            "XDB",
        ]
    )
    return prefix + digits(rng, 6)


def gen_pass_uk(rng):
    return str(rng.randint(1, 5)) + digits(rng, 8)


def gen_pass_us(rng):
    return str(rng.randint(1, 5)) + digits(rng, 8)


def gen_pass_fr(rng):
    return digits(rng, 2) + letters(rng, 2) + digits(rng, 5)


def gen_pass_de(rng):
    alphabet = "CFGHJKLMNPRTVWXYZ0123456789"
    return rng.choice("CFGHJK") + "".join(rng.choice(alphabet) for _ in range(8))


def gen_pass_it(rng):
    return rng.choice(["YA", "YB", "YC", "AA", "AB"]) + digits(rng, 7)


def gen_pass_other(rng):
    return rng.choice([gen_pass_uk, gen_pass_us, gen_pass_fr, gen_pass_de, gen_pass_it])(rng)


def card_digits(rng, brand):
    """Luhn-valid card number digits for 'visa', 'mc' or 'amex'."""
    if brand == "visa":
        return luhn_complete("4" + digits(rng, 14))
    if brand == "mc":
        if rng.random() < 0.7:
            return luhn_complete(str(rng.randint(51, 55)) + digits(rng, 13))
        return luhn_complete(str(rng.randint(2221, 2720)) + digits(rng, 11))
    return luhn_complete(rng.choice(["34", "37"]) + digits(rng, 12))


def fmt_card(rng, d):
    """Write a card number with spaces, dashes or nothing."""
    sep = rng.choice([" ", " ", "-", ""])
    if len(d) == 15:
        return sep.join([d[:4], d[4:10], d[10:]])
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


def gen_card(rng):
    """Visa or Mastercard, occasionally Amex."""
    brand = rng.choice(["visa", "visa", "mc", "mc", "amex"])
    return fmt_card(rng, card_digits(rng, brand))


def gen_card_amex(rng):
    return fmt_card(rng, card_digits(rng, "amex"))


def es_bban_check(ten_digits):
    """One Spanish CCC control digit over ten digits."""
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    r = 11 - sum(int(c) * k for c, k in zip(ten_digits, w)) % 11
    return 0 if r == 11 else 1 if r == 10 else r


def bban(rng, country):
    """A plausible BBAN for the country, with national checks where cheap."""
    if country == "ES":
        bank = rng.choice(
            ["2100", "0049", "0182", "0081", "2038", "0128", "1465", "3058", "2080", "0075", "0487", "3035"]
        )
        branch, acc = digits(rng, 4), digits(rng, 10)
        dc = f"{es_bban_check('00' + bank + branch)}{es_bban_check(acc)}"
        return bank + branch + dc + acc
    if country == "DE":
        return digits(rng, 8) + digits(rng, 10)
    if country == "FR":
        bank = rng.choice(["30004", "30003", "20041", "10278", "30002", "17515"])
        branch, acc = digits(rng, 5), digits(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acc)) % 97
        return f"{bank}{branch}{acc}{key:02d}"
    if country == "IT":
        body = rng.choice(["03069", "02008", "05034", "03062"]) + digits(rng, 5) + digits(rng, 12)
        return italian_cin(body) + body
    if country == "PT":
        body = rng.choice(["0033", "0035", "0007", "0010"]) + digits(rng, 4) + digits(rng, 11)
        nib = body + f"{98 - (int(body) * 100) % 97:02d}"
        assert iban_check_digits("PT", nib) == "50", nib
        return nib
    if country in ("GB", "IE"):
        codes = ["NWBK", "BARC", "LOYD", "HBUK", "MIDL"] if country == "GB" else ["AIBK", "BOFI", "IPBS"]
        return rng.choice(codes) + digits(rng, 6) + digits(rng, 8)
    if country == "NL":
        while True:
            acc = digits(rng, 10)
            if sum(int(c) * w for c, w in zip(acc, range(10, 0, -1))) % 11 == 0:
                break
        return rng.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB"]) + acc
    if country == "BE":
        first = digits(rng, 10)
        return first + f"{(int(first) % 97) or 97:02d}"
    raise ValueError(country)


def italian_cin(body):
    """Italian CIN letter for ABI+CAB+account (22 chars)."""
    odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
    total = 0
    for i, ch in enumerate(body):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        total += odd[v] if i % 2 == 0 else v
    return chr(65 + total % 26)


def make_iban(rng, country):
    """Compact valid IBAN."""
    b = bban(rng, country)
    s = country + iban_check_digits(country, b) + b
    assert iban_ok(s), s
    return s


def fmt_iban(rng, s):
    return s if rng.random() < 0.4 else group4(s)


def gen_iban_es(rng):
    return fmt_iban(rng, make_iban(rng, "ES"))


def gen_iban_x(rng):
    """IBAN from another country."""
    c = rng.choice(["DE", "FR", "IT", "PT", "GB", "NL", "BE", "IE"])
    return fmt_iban(rng, make_iban(rng, c))


def gen_iban_gb(rng):
    return fmt_iban(rng, make_iban(rng, "GB"))


def gen_iban_ie(rng):
    return fmt_iban(rng, make_iban(rng, "IE"))


def gen_iban_pt(rng):
    return fmt_iban(rng, make_iban(rng, "PT"))


def es_street(rng, style):
    """(street type + name) for a Spanish, Catalan or Galician city."""
    if style == "ca":
        return f"{rng.choice(CA_STREET_TYPES)} {rng.choice(CA_STREET_NAMES)}"
    if style == "gl":
        return f"{rng.choice(GL_STREET_TYPES)} {rng.choice(GL_STREET_NAMES)}"
    return f"{rng.choice(ES_STREET_TYPES)} {rng.choice(ES_STREET_NAMES)}"


def es_addr_parts(rng):
    """Pieces of a Spanish address."""
    city, prefix, style = rng.choice(ES_CITIES)
    floors = {"es": ES_FLOORS, "ca": CA_FLOORS, "gl": GL_FLOORS}[style]
    num = str(rng.randint(1, 180))
    if rng.random() < 0.06:
        num = f"{num}-{int(num) + 2}"
    cp = prefix + f"{rng.randint(1, 99):03d}"
    return es_street(rng, style), num, rng.choice(floors), cp, city


def gen_addr_es(rng):
    """Full Spanish address through postcode/city."""
    street, num, floor, cp, city = es_addr_parts(rng)
    return rng.choice(
        [
            f"{street} {num}{floor}, {cp} {city}",
            f"{street}, {num}{floor}, {cp} {city}",
            f"{street}, nº {num}{floor}, {cp} {city}",
            f"{street} {num}{floor}, {city}",
            f"{street} {num}{floor} - {cp} {city}",
            f"{street}, {num}{floor}, {cp} {city}",
        ]
    )


def gen_addr_es_short(rng):
    """Spanish street and number without city."""
    street, num, floor, _, _ = es_addr_parts(rng)
    return rng.choice([f"{street} {num}", f"{street}, {num}{floor}", f"{street} {num}{floor}", f"{street}, nº {num}"])


def gen_addr_es_ml(rng):
    """Spanish address on two lines."""
    street, num, floor, cp, city = es_addr_parts(rng)
    return f"{street}, {num}{floor}\n{cp} {city}"


def uk_postcode(rng, outward):
    return f"{outward} {rng.randint(1, 9)}{letters(rng, 2, UK_INWARD_LETTERS)}"


def uk_addr_parts(rng):
    num = str(rng.randint(1, 240))
    if rng.random() < 0.12:
        num += rng.choice("ABab")
    street = f"{rng.choice(UK_STREETS)} {rng.choice(UK_SUFFIX)}"
    city, outs = rng.choice(UK_CITIES)
    return num, street, city, uk_postcode(rng, rng.choice(outs))


def gen_addr_uk(rng):
    """UK address."""
    num, street, city, pc = uk_addr_parts(rng)
    return rng.choice(
        [
            f"{num} {street}, {city} {pc}",
            f"{num} {street}, {city}, {pc}",
            f"Flat {rng.randint(1, 12)}, {num} {street}, {city} {pc}",
            f"{num} {street}, {city}",
            f"{num} {street}, {city} {pc}",
        ]
    )


def gen_addr_uk_ml(rng):
    num, street, city, pc = uk_addr_parts(rng)
    return rng.choice([f"{num} {street}\n{city}\n{pc}", f"{num} {street}\n{city} {pc}"])


def us_addr_parts(rng):
    num = str(rng.randint(10, 9800))
    pre = rng.choice(["", "", "", "W ", "N ", "E ", "S "])
    post = " NW" if rng.random() < 0.08 else ""
    unit = rng.choice(["", "", "", " Apt 4B", ", Apt 12", " Suite 210", " #3", f" Unit {rng.randint(1, 40)}"])
    street = f"{pre}{rng.choice(US_STREETS)} {rng.choice(US_SUFFIX)}{post}{unit}"
    city, st, zp = rng.choice(US_CITIES)
    z = zp + digits(rng, 2)
    if rng.random() < 0.15:
        z += "-" + digits(rng, 4)
    return num, street, city, st, z


def gen_addr_us(rng):
    """US address."""
    num, street, city, st, z = us_addr_parts(rng)
    return rng.choice([f"{num} {street}, {city}, {st} {z}", f"{num} {street}, {city} {st} {z}"])


def gen_addr_us_ml(rng):
    num, street, city, st, z = us_addr_parts(rng)
    return f"{num} {street}\n{city}, {st} {z}"


# --------------------------------------------------------------------------
# Generators for look-alikes (never planted)
# --------------------------------------------------------------------------


def gen_bad_dni(rng):
    """8 digits + a WRONG control letter."""
    n = rng.randint(1_000_000, 99_999_999)
    good = dni_letter(n)
    bad = rng.choice([c for c in DNI_LETTERS if c != good])
    return rng.choice([f"{n:08d}{bad}", f"{n:08d}-{bad}"])


def gen_bad_card(rng):
    """Card-shaped number that fails Luhn."""
    d = card_digits(rng, rng.choice(["visa", "mc"]))
    d = d[:-1] + str((int(d[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(d)
    return fmt_card(rng, d)


def gen_bad_iban(rng):
    """IBAN-shaped string with wrong check digits."""
    good = make_iban(rng, rng.choice(["ES", "ES", "DE"]))
    cd = int(good[2:4])
    bad = rng.choice([x for x in range(2, 99) if x != cd])
    s = f"{good[:2]}{bad:02d}{good[4:]}"
    assert not iban_ok(s)
    return fmt_iban(rng, s)


def gen_bad_nss(rng):
    """NSS-shaped number with a wrong control."""
    prov, num = rng.randint(1, 52), rng.randint(10_000_000, 99_999_999)
    ctl = (nss_control(prov, num) + rng.randint(1, 96)) % 97
    s = f"{prov:02d}{num:08d}{ctl:02d}"
    assert not nss_ok(s)
    return rng.choice([s, f"{s[:2]} {s[2:10]} {s[10:]}", f"{s[:2]}/{s[2:10]}/{s[10:]}"])


def gen_bad_ssn(rng):
    """SSN-shaped with a forbidden area number."""
    area = rng.choice(["000", "666", str(rng.randint(900, 999))])
    return f"{area}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def gen_order(rng):
    return rng.choice(
        [
            f"PED-{rng.randint(2021, 2025)}-{digits(rng, 6)}",
            f"#{digits(rng, 7)}",
            f"ORD{digits(rng, 8)}",
            f"nº {digits(rng, 6)}",
            f"{letters(rng, 2)}-{digits(rng, 7)}",
            f"A{digits(rng, 5)}-{digits(rng, 2)}",
        ]
    )


def gen_invoice(rng):
    return rng.choice(
        [
            f"FAC/{rng.randint(2021, 2025)}/{digits(rng, 5)}",
            f"F-{rng.randint(2021, 2025)}-{digits(rng, 4)}",
            f"INV-{digits(rng, 5)}",
            f"A/{rng.randint(21, 25)}/{digits(rng, 6)}",
        ]
    )


def gen_ticket(rng):
    return rng.choice(
        [
            f"#{digits(rng, 5)}",
            f"TCK-{digits(rng, 7)}",
            f"INC{digits(rng, 7)}",
            f"CAS-{digits(rng, 5)}-{letters(rng, 1)}{digits(rng, 1)}{letters(rng, 2)}",
        ]
    )


def gen_tracking(rng):
    return rng.choice(
        [
            f"1Z{letters(rng, 3)}{digits(rng, 3)}{digits(rng, 10)}",
            f"{rng.choice(['RR', 'PK', 'CX', 'LA'])}{digits(rng, 9)}ES",
            f"JJD{digits(rng, 18)}",
            f"{digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)}",
            f"PQ{digits(rng, 4)}{letters(rng, 2)}{digits(rng, 10)}",
        ]
    )


def gen_price_es(rng):
    e, c = rng.randint(3, 2400), rng.randint(0, 99)
    txt = f"{e:,}".replace(",", ".")
    return rng.choice([f"{txt},{c:02d} €", f"{txt},{c:02d}€", f"{e} euros", f"€{e},{c:02d}"])


def gen_price_en(rng):
    e, c = rng.randint(3, 2400), rng.randint(0, 99)
    return rng.choice([f"${e:,}.{c:02d}", f"£{e:,}.{c:02d}", f"USD {e}", f"€{e}"])


def gen_date_es(rng):
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2022, 2026)
    return rng.choice(
        [
            f"{d:02d}/{m:02d}/{y}",
            f"{d} de {MONTHS_ES[m - 1]} de {y}",
            f"{d:02d}-{m:02d}-{y}",
            f"{d} de {MONTHS_ES[m - 1]}",
        ]
    )


def gen_date_en(rng):
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2026)
    return rng.choice(
        [
            f"{MONTHS_EN[m - 1]} {d}, {y}",
            f"{m:02d}/{d:02d}/{y}",
            f"{d} {MONTHS_EN[m - 1][:3]} {y}",
            f"{y}-{m:02d}-{d:02d}",
        ]
    )


def gen_time(rng):
    h, m = rng.randint(8, 21), rng.choice([0, 15, 30, 45])
    return rng.choice([f"{h}:{m:02d}", f"{h:02d}:{m:02d}", f"{h}:{m:02d}h"])


def gen_pct(rng):
    return rng.choice(
        [f"{rng.randint(2, 95)} %", f"{rng.randint(2, 95)}%", f"{rng.randint(1, 30)},5%", f"{rng.randint(1, 30)}.5%"]
    )


def gen_sku(rng):
    return rng.choice(
        [
            f"{digits(rng, 2)}-{digits(rng, 4)}-{letters(rng, 1)}",
            f"{digits(rng, 4)}/{letters(rng, 2)}",
            f"ART-{digits(rng, 6)}",
        ]
    )


def gen_serial(rng):
    return rng.choice(
        [
            f"SN {digits(rng, 1)}{letters(rng, 1)}{digits(rng, 1)}F-{digits(rng, 2)}A{digits(rng, 1)}",
            f"SN-{rng.randint(2019, 2025)}-{digits(rng, 7)}",
            f"{letters(rng, 3)}{digits(rng, 6)}{letters(rng, 1)}",
        ]
    )


LOOKALIKE_GENS = {
    "order": gen_order,
    "invoice": gen_invoice,
    "ticket": gen_ticket,
    "tracking": gen_tracking,
    "price_es": gen_price_es,
    "price_en": gen_price_en,
    "date_es": gen_date_es,
    "date_en": gen_date_en,
    "time": gen_time,
    "pct": gen_pct,
    "sku": gen_sku,
    "serial": gen_serial,
    "model": lambda r: r.choice(MODELS),
    "product": lambda r: r.choice(PRODUCTS),
    "product_en": lambda r: r.choice(PRODUCTS_EN),
    "company": lambda r: r.choice(COMPANIES_ES),
    "company_en": lambda r: r.choice(COMPANIES_EN),
    "city_es": lambda r: r.choice(ES_CITIES)[0],
    "city_en": lambda r: r.choice(EN_CITIES),
    "city_latam": lambda r: r.choice(LATAM_CITIES),
    "postcode_es": lambda r: r.choice(ES_CITIES)[1] + f"{r.randint(1, 99):03d}",
    "postcode_uk": lambda r: uk_postcode(r, r.choice(r.choice(UK_CITIES)[1])),
    "street_es": lambda r: "la " + es_street(r, "es") if r.random() < 0.5 else es_street(r, "es"),
    "street_en": lambda r: f"{r.choice(UK_STREETS)} {r.choice(UK_SUFFIX)}",
    "month": lambda r: r.choice(MONTHS_ES),
    "month_en": lambda r: r.choice(MONTHS_EN),
    "year": lambda r: str(r.randint(2026, 2034)),
    "last4": lambda r: digits(r, 4),
    "qty": lambda r: str(r.randint(2, 48)),
    "coupon": lambda r: r.choice(["VERANO20", "BIENVENIDA10", "BLACKFRIDAY15", "WELCOME10", "SPRING25", "VUELTA5"]),
    "rma": lambda r: f"RMA-{r.randint(2022, 2025)}-{digits(r, 4)}",
    "flight": lambda r: r.choice(["IB", "VY", "UX", "BA", "FR", "U2"]) + str(r.randint(100, 8999)),
    "booking": lambda r: letters(r, 2) + digits(r, 1) + letters(r, 3),
    "gate": lambda r: letters(r, 1, "ABCDEKS") + str(r.randint(1, 60)),
    "seat": lambda r: f"{r.randint(1, 38)}{letters(r, 1, 'ABCDEF')}",
    "policy": lambda r: f"{digits(r, 4)}-{digits(r, 4)}-{digits(r, 2)}",
    "policy_en": lambda r: f"{letters(r, 3)}{digits(r, 8)}",
    "account_en": lambda r: f"ACC-{digits(r, 8)}",
    "ref": lambda r: f"REF{digits(r, 6)}",
    "formid": lambda r: digits(r, 5),
    "gatecode": lambda r: f"#{digits(r, 4)}",
    "bic": lambda r: r.choice(["CAIXESBBXXX", "BSCHESMMXXX", "BBVAESMM", "DEUTDEFFXXX", "INGBNL2A"]),
    "bank": lambda r: r.choice(["Barclays", "Monzo", "Bank of Ireland", "Deutsche Bank", "ING"]),
    "relation": lambda r: r.choice(["sister", "husband", "mother", "partner", "son", "neighbour"]),
}

BAD_GENS = {
    "bad_dni": gen_bad_dni,
    "bad_card": gen_bad_card,
    "bad_iban": gen_bad_iban,
    "bad_nss": gen_bad_nss,
    "bad_ssn": gen_bad_ssn,
}

PLANTED_GENS = {
    "name_es": ("name", gen_name_es),
    "first_es": ("name", gen_first_es),
    "surname_es": ("name", gen_surname_es),
    "surnames_es": ("name", gen_surnames_es),
    "name_es_crm": ("name", gen_name_es_crm),
    "name_en": ("name", gen_name_en),
    "first_en": ("name", gen_first_en),
    "surname_en": ("name", gen_surname_en),
    "name_en_crm": ("name", gen_name_en_crm),
    "name_intl": ("name", gen_name_intl),
    "name_pt": ("name", lambda r: gen_name_intl(r, "pt")),
    "email": ("email", gen_email),
    "phone_es": ("phone", gen_phone_es),
    "phone_es_fix": ("phone", gen_phone_es_fix),
    "phone_uk": ("phone", gen_phone_uk),
    "phone_us": ("phone", gen_phone_us),
    "phone_intl": ("phone", gen_phone_intl),
    "dni": ("national_id", gen_dni),
    "nie": ("national_id", gen_nie),
    "docid": ("national_id", gen_docid),
    "nss": ("social_security", gen_nss),
    "ssn": ("ssn", gen_ssn),
    "ssn_spaced": ("ssn", gen_ssn_spaced),
    "ssn_plain": ("ssn", gen_ssn_plain),
    "pass_es": ("passport", gen_pass_es),
    "pass_uk": ("passport", gen_pass_uk),
    "pass_us": ("passport", gen_pass_us),
    "pass_fr": ("passport", gen_pass_fr),
    "pass_de": ("passport", gen_pass_de),
    "pass_it": ("passport", gen_pass_it),
    "pass_other": ("passport", gen_pass_other),
    "card": ("card", gen_card),
    "card_amex": ("card", gen_card_amex),
    "iban_es": ("iban", gen_iban_es),
    "iban_x": ("iban", gen_iban_x),
    "iban_gb": ("iban", gen_iban_gb),
    "iban_ie": ("iban", gen_iban_ie),
    "iban_pt": ("iban", gen_iban_pt),
    "addr_es": ("address", gen_addr_es),
    "addr_es_short": ("address", gen_addr_es_short),
    "addr_es_ml": ("address", gen_addr_es_ml),
    "addr_uk": ("address", gen_addr_uk),
    "addr_uk_ml": ("address", gen_addr_uk_ml),
    "addr_us": ("address", gen_addr_us),
    "addr_us_ml": ("address", gen_addr_us_ml),
}


def looks_like_pii(value):
    """True if a look-alike accidentally satisfies a PII pattern/checksum."""
    if "@" in value:
        return True
    runs = [m.group() for m in re.finditer(r"(?<![A-Za-z\d])\d+(?![A-Za-z\d])", value)]
    if not re.search(r"[A-Za-z]", value):
        runs.append(re.sub(r"\D", "", value))
    for d in runs:
        if len(d) == 9 or (len(d) == 12 and nss_ok(d)):
            return True
        if 13 <= len(d) <= 19 and luhn_ok(d):
            return True
    for m in re.finditer(r"(?<!\d)(\d{8})[\s.-]?([A-Za-z])(?![A-Za-z])", value):
        if national_id_ok(m.group(1) + m.group(2)):
            return True
    return False


def gen_lookalike(rng, key):
    """A look-alike value that is guaranteed not to be PII."""
    if key in BAD_GENS:
        return BAD_GENS[key](rng)
    for _ in range(200):
        v = LOOKALIKE_GENS[key](rng)
        if not looks_like_pii(v):
            return v
    raise RuntimeError(f"cannot make a safe look-alike for {key}")


# --------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------

ES_TEMPLATES = [
    "Hola, me llamo {name_es} y quería saber qué pasa con el pedido {order}. Podéis llamarme al {phone_es} por las tardes.",
    "Buenos días:\n\nOs adjunto los datos para la domiciliación.\nTitular: {name_es}\nIBAN: {iban_es}\nDNI: {dni}\n\nGracias.",
    "soy {name_es|lower}, mi dni es {dni|lower} y no me deja entrar en la app desde ayer",
    "Cliente: {name_es_crm}\nDNI: {docid}\nTel.: {phone_es}\nIncidencia {ticket}: cobro duplicado de {price_es}.\nEstado: pendiente de abono.",
    "SOLICITUD DE ALTA\nNOMBRE Y APELLIDOS: {name_es|upper}\nDNI/NIE: {docid}\nDOMICILIO: {addr_es|upper}\nTELÉFONO: {phone_es}\nCORREO ELECTRÓNICO: {email|upper}",
    "Por favor, haced la transferencia a la cuenta {iban_es} (titular: {name_es}). Son {price_es} en total.",
    "Hola {first_es}, te confirmamos que la devolución de {price_es} se hará en la cuenta acabada en {last4} en un plazo de 5 días hábiles.\n\nUn saludo,\n{first_es}\nAtención al Cliente",
    "Mi número de la Seguridad Social es el {nss}, ¿lo necesitáis también para el alta del contrato?",
    "Para la reserva del vuelo {flight}: pasaporte número {pass_es}, a nombre de {name_es}, caduca el {date_es}.",
    "Dirección de envío: {addr_es}. Si no estoy, dejadlo en la portería, por favor.",
    "{email} — ese es mi correo nuevo, el antiguo ya no lo uso. ¡Gracias!",
    "{phone_es} es mi móvil, llamadme cuando llegue el técnico. Vivo en {addr_es}",
    "Estimados señores:\n\nPor la presente solicito la baja del servicio a partir del {date_es}. Titular del contrato: {name_es}, DNI {dni}, con domicilio en {addr_es}.\n\nQuedo a la espera de su confirmación por escrito.\nAtentamente.",
    "Buenas tardes, os escribe {name_es} desde {city_es}. Mi NIE es {nie} y al validarlo me sale que los datos no coinciden. ¿Podéis revisarlo?",
    "Nombre: {name_es}\nNº afiliación S.S.: {nss}\nCuenta para la nómina: {iban_es}\nTeléfono de contacto: {phone_es}",
    "hola!! soy {first_es|lower} 😊 mi número es el {phone_es} escribidme por whatsapp porfa",
    "Os dejo el número de la tarjeta para el pago de la señal: {card}, caducidad 09/27. El titular es {name_es}.",
    "Le informamos de que el paquete {tracking} se entregará en {addr_es} el {date_es} entre las {time} y las {time}.",
    "Nota interna: ha llamado la Sra. {surname_es} preguntando por la factura {invoice}. Deja el teléfono {phone_es} y el correo {email}.",
    "Sr. {name_es}:\n\nLe comunicamos que el recibo del {date_es} ha sido devuelto por su entidad (cuenta {iban_es}). Puede abonarlo en cualquiera de nuestras oficinas indicando la referencia {ref}.",
    "Registro {date_es} {time}\nMotivo: cambio de titularidad\nNuevo titular: {name_es}, NIE {nie}\nObservaciones: aporta copia del pasaporte {pass_es}.",
    "Me llamo {name_es}, soy de {city_latam} pero vivo en {city_es} desde hace tres años. Mi pasaporte italiano es el {pass_it} y todavía no tengo el NIE.",
    "Necesito cambiar la cuenta de cobro, la nueva es {iban_es|lower}",
    "Buenas, el pedido {order} viene a nombre de {name_es} pero la dirección está mal: tiene que ser {addr_es} y no la que pusisteis.",
    "De: {name_es} <{email}>\nPara: Atención al Cliente\nAsunto: Reclamación pedido {order}\n\nNo he recibido nada y ya han pasado tres semanas.",
    "Datos del asegurado\n- Nombre: {name_es}\n- Fecha de nacimiento: {date_es}\n- NSS: {nss}\n- Domicilio: {addr_es}",
    "Te paso mi IBAN para lo del piso: {iban_es}. Son {price_es} cada uno, {first_es}.",
    "Mi marido, {name_es}, y yo ({name_es}) queremos darnos de alta en el plan familiar. Nuestros DNI son {dni} y {dni}.",
    "He intentado pagar con mi tarjeta {card} y me la rechaza. Ya he hablado con el banco y dicen que está todo bien.",
    "Registro de llamada {ticket}\nInterlocutor: {name_es}\nTeléfono: {phone_es}\nResumen: pide duplicado de la factura {invoice} y cambio de domicilio a {addr_es}.",
    "ATENCIÓN: el cliente {name_es_crm} (DNI {dni}) tiene dos cuentas abiertas. Unificar en {iban_es}.",
    "Hola, Sra. {surname_es}: ¿podría confirmarnos el número de pasaporte? En la reserva aparece {pass_es} y en el escaneo no se lee bien.",
    "se puede pagar en efectivo? es que no tengo tarjeta. me llamo {name_es|lower} y mi telefono es {phone_es}",
    "Estimada Dña. {name_es}:\n\nEn respuesta a su reclamación {ticket}, le informamos de que hemos reembolsado {price_es} en la tarjeta {card}.\n\nReciba un cordial saludo.",
    "Nombre del trabajador: {name_es}\nDNI: {dni}\nNúm. Seguridad Social: {nss}\nCategoría: oficial de 1ª\nFecha de alta: {date_es}",
    'Para que me llegue la factura, mi correo es "{email}" (no el del trabajo).',
    "Vivo en {addr_es_short}; el timbre no funciona, así que llamad al {phone_es} cuando estéis abajo.",
    "{name_es}\n{addr_es_ml}\n\n{city_es}, {date_es}\n\nMuy señores míos:\n\nMe dirijo a ustedes para reclamar la devolución del importe de la lavadora {model}, que llegó con el tambor roto.",
    "Datos para la factura: {name_es}, NIF {dni}, {addr_es}. Concepto: {product}.",
    "Buenos días, soy {name_es} ({email}). En mi nómina de {month} aparece un número de la Seguridad Social que no es el mío; el correcto es {nss}.",
    "confirmo: titular {name_es|lower}, tarjeta acabada en {last4}, importe {price_es}",
    "Cambio de domicilio. Antiguo: {addr_es}. Nuevo: {addr_es}. Efectivo desde el {date_es}.",
    "Hola {first_es}!\n¿Me pasas el número de cuenta para lo de la cena? Si no tienes bizum pásame el IBAN.\n— Claro: {iban_es}\n— Perfecto, ahora te lo mando.",
    "La paciente {name_es}, con NSS {nss} y teléfono {phone_es}, solicita cambio de médico de cabecera.",
    "URGENTE: me han robado la tarjeta {card}, necesito bloquearla ya. Soy el titular, {name_es}.",
    "Quería información sobre el seguro de viaje. Viajo con el pasaporte {pass_es}, que caduca en {year}, y mi hija con el {pass_es}.",
    "Os mando los datos de mi padre, {name_es} (NIE {nie}), que vive con nosotros en {addr_es}.",
    "Te llamo luego, estoy en el {phone_es} o en el fijo {phone_es_fix}.",
    "Les agradeceríamos que enviasen el certificado a la atención de {name_es}, {company}, {addr_es}.",
    "formulario web #{formid}\nnombre={first_es}\napellidos={surnames_es}\nemail={email}\ntelefono={phone_es}\nmensaje=quiero darme de baja",
    "Asunto: RE: Documentación pendiente\n\nHola, os reenvío lo que me pedisteis:\nDNI: {dni}\nNSS: {nss}\nIBAN: {iban_es}\n\nUn saludo,\n{first_es}",
    "El cliente indica que su dirección correcta es {addr_es} y no {street_es}, como figura en el sistema.",
    "Pasaporte: {pass_es}\nNacionalidad: española\nFecha de expedición: {date_es}\nLugar de expedición: {city_es}",
    "Hola, soy la madre de {first_es}, el alumno de 3º B. Mi móvil es el {phone_es} y el de su padre, {phone_es}.",
    "Llamar a {name_es} al {phone_intl} (vive fuera, ojo con la diferencia horaria).",
    "Buenas, os escribo desde Oporto. Me llamo {name_pt} y la cuenta donde quiero la devolución es {iban_pt}.",
    "Recibo de alquiler\nArrendatario: {name_es}, DNI {dni}\nInmueble: {addr_es}\nImporte: {price_es}\nMes: {month}",
    "¿Cuánto tarda en llegar un paquete a {addr_es}? Es para el cumple de mi sobrina {first_es}.",
    "Titular de la póliza: {name_es}\nNº póliza: {policy}\nTeléfono: {phone_es}\nCuenta de cargo: {iban_es}",
    "Hola, me habéis cobrado dos veces en la tarjeta {card} el pedido {order}. Adjunto captura.\n{name_es}",
    "Formulario de devolución — Nombre: {name_es} | Email: {email} | Teléfono: {phone_es} | Motivo: talla incorrecta",
    "Al hacer el check-in online me pide el número de documento. El mío es {docid} y el de mi acompañante, {name_intl}, es el pasaporte {pass_fr}.",
    "Entrevista telefónica con {name_es} el {date_es} a las {time}. Contacto: {email} / {phone_es}",
    "Autorizo a {name_es}, con DNI {dni}, a recoger en mi nombre el paquete {tracking}.\nFdo.: {name_es}, DNI {dni}",
    "Por favor, actualizad mi domicilio: ahora estoy en {addr_es}.",
    "NSS {nss} — {name_es_crm} — baja por IT desde el {date_es}",
    "Mi número de afiliación a la Seguridad Social es {nss} y el de mi mujer, {nss}.",
    "Buenas noches. Soy {name_es}. El técnico no vino a la cita del {date_es}. Mi dirección es {addr_es} y el teléfono de contacto, {phone_es}.",
    "*Datos bancarios*\nBeneficiaria: {name_es}\nIBAN {iban_x}\nBIC: {bic}",
    "Envío urgente a: {name_es} · {addr_es} · Tel. {phone_es}",
    "Hola, ¿me podéis decir si está bien mi NIE? Es {nie}. Lo pongo en el formulario y me da error.",
    "Reclamación nº {ticket}\n\nD./Dña. {name_es}, mayor de edad, con DNI {dni} y domicilio a efectos de notificaciones en {addr_es}, EXPONE:\n\nQue el día {date_es} adquirió el producto {product} y que este no funciona.",
    "Te paso el contacto de mi cuñado {first_es}, que es fontanero: {phone_es}",
    "Nº de la S.S.: {nss}\nTrabajador/a: {name_es}\nEmpresa: {company}",
    "Me ha llegado un SMS que dice que mi tarjeta {card} está bloqueada, ¿es vuestro? Soy {name_es}.",
    "A la atención de Dña. {name_es}\n{addr_es_ml}",
    "Pagaré con la American Express: {card_amex}. Nombre en la tarjeta: {name_es|upper}.",
    "Te mando el pasaporte por aquí porque el correo no va: {pass_es}. Caduca en {year}.",
    "Cliente preferente: {name_es}. Contactar solo por email ({email}). NO llamar al {phone_es}.",
    "Queremos presentar una reclamación conjunta: {name_es} (DNI {dni}), {name_es} (DNI {dni}) y {name_es} (NIE {nie}).",
    "buenas, la dirección es {addr_es|lower} pero el repartidor dice que no la encuentra",
    "¡Hola! Soy {first_es}, la del grupo de yoga. Te dejo mi email por si me mandas las fotos: {email}",
    "En el contrato aparece el NSS {nss}, pero el número de documento ({dni}) no es el mío. ¿Pueden revisarlo?",
    "mi numero de la seguridad social es {nss} y mi cuenta {iban_es}, es para lo del paro",
    "DATOS DEL TITULAR\nAPELLIDOS: {surnames_es|upper}\nNOMBRE: {first_es|upper}\nN.I.F.: {dni}\nN.º S.S.: {nss}\nIBAN: {iban_es}",
    "Estoy de viaje en Londres y me han robado la cartera. Mi pasaporte era el {pass_es}. Aquí me podéis llamar al {phone_uk}.",
    "Hola, llamo de parte de {name_es}. Me ha dicho que os dé su correo, {email}, y que os enviará el justificante.",
    "¿El pedido {order} se puede enviar a casa de mi madre? Es en {addr_es}, a nombre de {name_es}.",
    "Un saludo,\n\n{name_es}\nResponsable de Compras | {company}\nTel. {phone_es} · {email}",
    "{name_es_crm} ha llamado tres veces. Pide que le devuelvan la fianza en la cuenta {iban_es}.",
    "Tengo doble nacionalidad; para este viaje uso el pasaporte alemán, {pass_de}, a nombre de {name_intl}.",
    "hola q tal, me pasas tu tlf?\n- claro, {phone_es}\n- y el tuyo?\n- {phone_es}",
    "Buenos días, ¿me confirmáis que el IBAN {iban_es} está dado de alta para los recibos? Gracias, {first_es}.",
    "Para la beca necesito: DNI ({dni}), número de la Seguridad Social ({nss}) y una cuenta a mi nombre ({iban_es}).",
    "He visto un cargo de {price_es} en mi tarjeta {card} de una tienda de {city_es} en la que no he estado nunca.",
    "Tarjeta antigua: {card}\nTarjeta nueva: {card}\nMotivo: caducidad",
    "FORMULARIO DE PAGO\nTITULAR: {name_es|upper}\nNÚMERO DE TARJETA: {card}\nCVV: ***",
    "Cobrar la cuota anual en la tarjeta {card_amex}, a nombre de {name_es}.",
    "oye, el número de la seguridad social es el que viene en la tarjeta sanitaria? el mío es {nss}",
    "Alta en la Seguridad Social: {name_es}, NUSS {nss}, inicio de actividad el {date_es}.",
    "Le escribe {name_es}, vecino de {addr_es_short}. Desde el {date_es} no nos llega el correo.",
    "Para el envío de la muestra: {name_es}, {addr_es} (llamar antes al {phone_es}).",
    "la dirección para la entrega es {addr_es} y el documento del que recoge, {docid}",
    "Nuevo proveedor dado de alta: {name_intl}, móvil {phone_intl}, IBAN {iban_x}",
    "Buenas, soy {name_es}. El número de la Seguridad Social que os di estaba mal: no es {bad_nss}, es {nss}.",
    "Documentación recibida de {name_es}: copia del DNI ({dni}), tarjeta de la Seguridad Social nº {nss} y certificado de empadronamiento.",
    "el de la seguridad social de mi hijo es {nss} y el mío {nss}, ya me diréis si falta algo",
    "Documento de viaje: pasaporte nº {pass_es}, expedido en {city_es} el {date_es}. Titular: {name_es}.",
    "Hola {first_es}, la tarjeta que me pediste es la {card}. Bórralo cuando lo copies, ¿vale?",
    "Seguridad Social (NSS): {nss}\nRégimen: autónomos\nTitular: {name_es}\nFecha de efecto: {date_es}",
    "mira a ver si el {nss} es el número de la seguridad social de tu madre, que a mí no me cuadra",
]

ES_NEGATIVE = [
    "Hola, mi pedido {order} todavía no ha llegado. El seguimiento {tracking} dice que está en reparto desde el {date_es}.",
    "Factura {invoice}\nBase imponible: {price_es}\nIVA ({pct}): incluido\nVencimiento: {date_es}",
    "El {model} no enciende desde el {date_es}. Lo compré en la tienda de {city_es}, ref. {sku}. ¿Entra en garantía?",
    "He metido el DNI {bad_dni} en el formulario y me dice que la letra no es correcta. ¿Qué hago?",
    "Intento pagar con la tarjeta {bad_card} y la web dice «número no válido».",
    "Estamos en {street_es}, junto al mercado (CP {postcode_es}). Horario: de {time} a {time}, sábados hasta las {time}.",
    "Resumen de la semana: {pct} de incidencias resueltas en primer contacto, {qty} tickets abiertos y un tiempo medio de respuesta de {qty} minutos.",
    "¿Tenéis el {product} en la talla 42? En la web pone agotado desde el {date_es}.",
    "Transferencia rechazada: el IBAN {bad_iban} no supera la validación de los dígitos de control.",
    "El número de afiliación {bad_nss} da error de dígito de control en el sistema RED. Revisar con la gestoría.",
    "Pedido {order} | {qty} uds. de {sku} | Total {price_es} | Entrega prevista el {date_es} entre las {time} y las {time}",
    "buenas, el cupón {coupon} no me funciona, me aplica un {pct} en vez del 20 %",
    "Su envío {tracking} está disponible en el punto de recogida de {city_es} (CP {postcode_es}) hasta el {date_es}.",
    "Recordatorio: la revisión del {model} es el {date_es} a las {time}. Presupuesto aproximado: {price_es}.",
    "Lote {sku}, nº de serie {serial}, fabricado el {date_es} en la planta de {city_es}. Devuelto por {company}.",
    "VUELO {flight} RETRASADO. NUEVA HORA DE SALIDA {time}. LOCALIZADOR {booking}. PUERTA {gate}.",
    "El modelo {model} cuesta {price_es} y el {model} {price_es}. ¿Cuál me recomendáis para una cocina de {qty} m²?",
    "Os confirmo la cita del {date_es} a las {time} en la oficina de {city_es}. Traed impreso el resguardo {ref}.",
    "Me cobrasteis {price_es} por el {product} y en el folleto ponía {price_es} con un {pct} de descuento. Pedido {order}.",
    "PRESUPUESTO {invoice}\nCONCEPTO: SUSTITUCIÓN {model}\nIMPORTE: {price_es}\nVALIDEZ: 15 DÍAS",
]

EN_TEMPLATES = [
    "Hi, my name is {name_en} and I'm chasing order {order}. Best number to reach me is {phone_us}.",
    "Please update my billing address to {addr_us}. Thanks, {first_en}",
    "SSN: {ssn}\nDOB: {date_en}\nName: {name_en}\nPhone: {phone_us}",
    "hey its {name_en|lower} again, my card {card} keeps getting declined??",
    "Dear Mrs {surname_en},\n\nThank you for contacting us about ticket {ticket}. We have refunded {price_en} to the card ending {last4}.\n\nKind regards,\n{name_en}\nCustomer Care",
    "APPLICATION FORM\nFULL NAME: {name_en|upper}\nSOCIAL SECURITY NO.: {ssn}\nHOME ADDRESS: {addr_us|upper}\nEMAIL: {email|upper}",
    "My passport (UK) is {pass_uk}, expiring {date_en}. Booking reference {booking}.",
    "Attn: {name_en}\n{addr_uk_ml}\n\nRe: Invoice {invoice}",
    "Can you send the refund to my account? IBAN {iban_gb}, account holder {name_en}.",
    "{email} is my new address, please stop using the old one.",
    "Called back {name_en} on {phone_uk} - wants to cancel; the direct debit is on IBAN {iban_gb}.",
    "I'm moving to Spain next month. My NIE is {nie} and my new address will be {addr_es}.",
    "Social security number {ssn_plain}, please keep it confidential.",
    "Spouse SSN: {ssn} / Employee SSN: {ssn}",
    "Hi Dr {surname_en}, I've attached my insurance card. Member: {name_en}, SSN {ssn}.",
    "The number on my passport, which expires in {year}, is {pass_us}.",
    "Traveller 1: {name_en}, passport no. {pass_uk}\nTraveller 2: {name_intl}, passport no. {pass_fr}",
    "Ship to: {name_en}, {addr_uk}. If I'm out, leave it with the neighbour at no. {qty}.",
    "From: {name_en} <{email}>\nSubject: Complaint re order {order}\n\nNobody has replied in 10 days. Call me on {phone_uk}.",
    "Hi {first_en}, here are my bank details for the deposit: {iban_x} ({name_intl}). Cheers",
    "Per our call, your W-2 will be mailed to {addr_us}. The SSN we have on file is {ssn}; let us know if that's wrong.",
    "Emergency contact: {name_en} ({relation}) - {phone_us}",
    "Hi, I'm {name_intl}, staying at a friend's place at {addr_uk}. My phone from home is {phone_intl}.",
    "Card number: {card}\nExpiry: 11/28\nName on card: {name_en|upper}",
    "Please process a payroll change for {name_en}: new account {iban_x}, SSN {ssn}.",
    "Hiya, me again ({first_en}). Forgot to say my mobile is {phone_uk}, not the landline.",
    "To whom it may concern,\n\nI, {name_en}, holder of passport number {pass_us} issued in {city_en}, authorise {name_en} to collect my documents on my behalf.\n\nSigned, {date_en}",
    "Note: caller {name_en} verified with last 4 of SSN ({last4}) and DOB. Full SSN on file: {ssn}. Address confirmed as {addr_us}.",
    "Can I use my Amex {card_amex} for the deposit or do you only take Visa?",
    "tenant: {name_en} / unit: {addr_us} / phone: {phone_us} / email: {email}",
    "My SSN is {ssn} and my daughter's is {ssn}; she's a dependent on the policy.",
    "Hello, this is {name_en} from {company_en}. I'm calling about the delivery to {addr_uk}. Please ring me back on {phone_uk}.",
    "Good morning, my passport got stuck in the e-gate at the airport. It's an Italian passport, {pass_it}, in the name of {name_intl}.",
    "Mailing address:\n{name_en}\n{addr_us_ml}",
    "paid with my visa {card} but order {order} still says unpaid",
    "We need a copy of the travel document ({pass_de}) for {name_intl} before check-in.",
    "IBAN: {iban_x|lower}\nBank: {bank}\nReference: {invoice}",
    "The applicant, {name_en} (SSN {ssn}), resides at {addr_us} and can be reached at {email}.",
    "I live at {addr_uk} - can you check whether fibre is available? The postcode checker says no.",
    "Just confirming: Mr {name_en}, 2 adults, check-in {date_en}, contact number {phone_intl}.",
    "--\n{name_en}\nSenior Account Manager, {company_en}\nM: {phone_uk} | E: {email}",
    "Hey {first_en}! So good to see you yesterday. My new number is {phone_us}, text me x",
    "SOCIAL SECURITY NUMBER: {ssn}\nEMPLOYER: {company_en|upper}\nCLAIMANT: {name_en|upper}",
    "I was asked for my Spanish social security number for the job in Madrid - it's {nss}. Is that enough or do you need the card too?",
    "Refund to IBAN {iban_x} please, account name {name_intl}. Order {order}.",
    "As per the attached, {name_en}'s new card is {card}.",
    "my ssn is {ssn_plain} and i still havent got my tax refund",
    "Contact details changed: old phone {phone_us}, new phone {phone_us}; old email {email}, new email {email}.",
    "Patient: {name_en_crm}\nDOB: {date_en}\nSSN: {ssn}\nInsurance ID: {policy_en}\nAllergies: penicillin",
    "Please deliver to the back door at {addr_us}. Gate code {gatecode}.",
    "I'm a French national; my passport number is {pass_fr} and it was issued in Lyon in {year}.",
    "Moving from London to Valencia. Old address: {addr_uk}. New address: {addr_es}.",
    "Hi, I'm helping my grandmother, Mrs {name_en}, with her account. Her social security number is {ssn}.",
    "Bank details for the invoice: name {name_en}, IBAN {iban_gb}, ref {invoice}.",
    "We couldn't verify {name_en}'s identity: the SSN provided ({ssn}) doesn't match the name on the account.",
    "I'm Irish but live in Spain - my NIE is {nie} and my Irish IBAN is {iban_ie}.",
    "Reminder from {first_en}: dentist on {date_en} at {time}. Call me on {phone_uk} if you can't make it.",
    "Dear Sir or Madam,\n\nI am writing about my account ending {last4}. The full card number is {card} and the disputed charge is {price_en}.\n\nYours faithfully,\n{name_en}",
    "Passport no.: {pass_uk}\nSurname: {surname_en|upper}\nGiven names: {first_en|upper}\nNationality: British",
    "dm me at {email} or whatsapp {phone_intl}",
    "Employee onboarding - {name_en}\nSSN: {ssn}\nPersonal email: {email}\nHome: {addr_us}",
    "Sorry for the late reply, {first_en}. The holder of the German passport {pass_de} is my husband, {name_intl}.",
    "The customer gave two SSNs on the phone, {ssn} and {ssn_spaced}; please check which one is right.",
    "Customer says her IBAN is {iban_x} - please confirm before sending the refund of {price_en}.",
    "Chargeback on card {card}, holder {name_en}, amount {price_en}.",
    "For the car rental in Málaga they want my DNI, {dni}. Is that OK instead of a passport?",
    "Update the card on file to {card}; the old one ({card}) expired last month.",
    "My Spanish NUSS is {nss} and my NIE is {nie}, in case you need them for the contract.",
    "Hi team, {name_en} here. My US number is {phone_us} and I'm in Barcelona until the 20th on {phone_es}.",
    "Hi {first_en}, welcome aboard! Your travel document number ({pass_us}) is saved on your profile.",
    "CUSTOMER: {name_en_crm}\nACCOUNT: {account_en}\nSSN (LAST 4): {last4}\nNOTES: asked us to send statements to {email}",
    "i'm {name_en|lower}, the one who called earlier about the broken {product_en}. my address is {addr_uk}",
    "Wire details: beneficiary {name_intl}, IBAN {iban_x}, amount {price_en}.",
    "He gave his social security number as {ssn} and his work email as {email}.",
    "Hi, can you change the delivery address on order {order} to {addr_us}? The old one is wrong.",
    "Booking for {name_en} and {name_en}: passports {pass_uk} and {pass_uk}, arriving {date_en}.",
    "Ms. {name_en} asked us to store her card ({card_amex}) for future bookings. Her Spanish tax ID (NIE) is {nie}.",
    "Please send the signed lease to {email} and cc my partner at {email}. Thanks!",
    "Verified SSN: {ssn}. Caller: {name_en}. Callback: {phone_us}.",
    "Joint return - taxpayer SSN {ssn}, spouse SSN {ssn}, dependent: {name_en}.",
]

EN_NEGATIVE = [
    "Hi, order {order} still hasn't shipped. Tracking {tracking} has said 'label created' since {date_en}.",
    "Invoice {invoice}: amount due {price_en}. A {pct} late fee applies after {date_en}.",
    "The {model} stopped charging after the last update. Serial {serial}, bought at the {city_en} store in {month_en}.",
    "Card {bad_card} was declined twice today - is there an outage?",
    "Your transfer to IBAN {bad_iban} was returned: invalid check digits.",
    "Reminder: ticket {ticket} will auto-close on {date_en} at {time} unless you reply.",
    "weekly numbers: {pct} CSAT, {qty} open tickets, median first reply {qty} min",
    "do you ship the {product_en} to {postcode_uk}? checkout keeps saying no",
    "The office moved to {street_en}, two minutes from the station. Hours {time}-{time}.",
    "Promo code {coupon} gives {pct} off orders over {price_en} until {date_en}.",
    "RMA {rma} approved for {qty} x {sku}. Please use the prepaid label; drop-off by {date_en}.",
    "The form rejected SSN {bad_ssn} - is that expected? It says 'invalid area number'.",
    "Flight {flight} delayed to {time}, booking ref {booking}, seat {seat}. Fare difference {price_en}.",
    "Your subscription renews on {date_en} for {price_en}. Plan: {model}. Ref {ref}.",
    "hi, the {product_en} i ordered ({order}) came in the wrong colour, can i swap it? the box says model {model}",
]

TEMPLATES = (
    [("es", t) for t in ES_TEMPLATES]
    + [("es", t) for t in ES_NEGATIVE]
    + [("en", t) for t in EN_TEMPLATES]
    + [("en", t) for t in EN_NEGATIVE]
)

PLACEHOLDER = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
MODIFIERS = {"upper": str.upper, "lower": str.lower}


# --------------------------------------------------------------------------
# Rendering and validation
# --------------------------------------------------------------------------


def half_of(template: int) -> str:
    """Templates alternate between a dev half (whose misses a detector may be improved on) and a test half."""
    return "dev" if template % 2 == 0 else "test"


def render(template, rng):
    """Fill one template; return (text, planted)."""
    planted = []

    def fill(m):
        key, mod = m.group(1), m.group(2)
        if key in PLANTED_GENS:
            typ, fn = PLANTED_GENS[key]
            value = fn(rng)
        else:
            typ, value = None, gen_lookalike(rng, key)
        if mod:
            value = MODIFIERS[mod](value)
        if typ:
            planted.append({"type": typ, "value": value})
        return value

    return PLACEHOLDER.sub(fill, template), planted


def occurrences(text, value):
    """Number of occurrences of value in text not glued to word characters."""
    pat = r"(?<!\w)" + re.escape(value) + r"(?!\w)"
    return len(re.findall(pat, text))


def value_ok(typ, value):
    """Per-type sanity/checksum check of a planted value."""
    if typ == "email":
        return re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value) is not None
    if typ == "phone":
        return 9 <= len(re.sub(r"\D", "", value)) <= 15
    if typ == "national_id":
        return national_id_ok(value)
    if typ == "social_security":
        return nss_ok(value)
    if typ == "ssn":
        return ssn_ok(value)
    if typ == "passport":
        return re.fullmatch(r"[A-Z0-9]{9}", value) is not None
    if typ == "card":
        d = re.sub(r"[ -]", "", value)
        return d.isdigit() and len(d) in (15, 16) and luhn_ok(d)
    if typ == "iban":
        return iban_ok(value)
    if typ == "address":
        return re.search(r"\d", value) is not None
    if typ == "name":
        return re.search(r"\d", value) is None and value[:1].isalpha()
    return False


def message_problems(msg):
    """List of problems with one message (empty if fine)."""
    problems = []
    text = msg["text"]
    for p in msg["planted"]:
        if p["type"] not in TYPES:
            problems.append(f"unknown type {p['type']}")
        if p["value"] not in text:
            problems.append(f"not a substring: {p['value']!r}")
        if not value_ok(p["type"], p["value"]):
            problems.append(f"invalid {p['type']}: {p['value']!r}")
        if occurrences(text, p["value"]) != 1:
            problems.append(f"not exactly one bounded occurrence: {p['value']!r}")
    return problems


def generate():
    """Render all messages deterministically."""
    rng = random.Random(SEED)
    messages = []
    for lang, total in (("es", N_ES), ("en", N_EN)):
        idxs = [i for i, (lg, _) in enumerate(TEMPLATES) if lg == lang]
        base, extra = divmod(total, len(idxs))
        bonus = set(rng.sample(idxs, extra))
        for i in idxs:
            for _ in range(base + (i in bonus)):
                for _attempt in range(500):
                    text, planted = render(TEMPLATES[i][1], rng)
                    msg = {"text": text, "lang": lang, "planted": planted, "template": i, "half": half_of(i)}
                    if not message_problems(msg):
                        break
                else:
                    raise RuntimeError(f"template {i} keeps failing: {message_problems(msg)}")
                messages.append(msg)
    rng.shuffle(messages)
    return messages


def summarize(messages):
    """Print the counts table and return a list of spec violations."""
    langs = Counter(m["lang"] for m in messages)
    per_type = Counter()
    templates_per_type = defaultdict(set)
    for m in messages:
        for p in m["planted"]:
            per_type[p["type"]] += 1
            templates_per_type[p["type"]].add(m["template"])
    n_clean = sum(1 for m in messages if not m["planted"])
    n_templates = len({m["template"] for m in messages})

    print(
        f"messages: {len(messages)}  templates used: {n_templates}  "
        f"without PII: {n_clean} ({100 * n_clean / len(messages):.1f}%)"
    )
    for lang in ("es", "en"):
        print(f"  lang {lang}: {langs[lang]} ({100 * langs[lang] / len(messages):.1f}%)")
    print(f"  {'type':<16}{'planted':>8}{'templates':>11}")
    for t in TYPES:
        print(f"  {t:<16}{per_type[t]:>8}{len(templates_per_type[t]):>11}")
    crm = sum(
        1
        for m in messages
        for p in m["planted"]
        if p["type"] == "name" and re.fullmatch(r"[^a-z,]+, [^a-z]+", p["value"])
    )
    print(f"  (surname-first CRM names: {crm})")

    issues = []
    for t in TYPES:
        if per_type[t] < MIN_PER_TYPE[t]:
            issues.append(f"{t}: only {per_type[t]} planted")
        if len(templates_per_type[t]) < MIN_TEMPLATES_PER_TYPE:
            issues.append(f"{t}: only {len(templates_per_type[t])} templates")
    if n_templates < 150:
        issues.append(f"only {n_templates} templates")
    return issues


def check(path=OUT):
    """Re-verify the written file; exit non-zero on any problem."""
    messages = []
    bad = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            msg = json.loads(line)
            keys_ok = set(msg) == {"text", "lang", "planted", "template", "half"}
            problems = message_problems(msg) + ([] if keys_ok else ["bad keys"])
            if msg.get("lang") not in ("es", "en") or msg.get("half") != half_of(msg.get("template", -1)):
                problems.append("bad lang/half")
            if not 0 <= msg.get("template", -1) < len(TEMPLATES) or TEMPLATES[msg["template"]][0] != msg["lang"]:
                problems.append("bad template index")
            for pr in problems:
                bad += 1
                print(f"line {lineno}: {pr}", file=sys.stderr)
            messages.append(msg)
    issues = summarize(messages)
    for i in issues:
        print(f"spec: {i}", file=sys.stderr)
    if bad or issues:
        sys.exit(1)
    print(f"OK: {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only re-verify the written file")
    args = ap.parse_args()
    if args.check:
        check()
        return
    messages = generate()
    for m in messages:
        problems = message_problems(m)
        if problems:
            raise SystemExit(f"bad message from template {m['template']}: {problems}")
    with open(OUT, "w", encoding="utf-8") as fh:
        for m in messages:
            fh.write(json.dumps(m, ensure_ascii=False) + "\n")
    issues = summarize(messages)
    if issues:
        raise SystemExit("spec not met: " + "; ".join(issues))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
