"""Personal data in Spanish and English text, found by patterns and checked where a check exists, or replaced
by typed placeholders.

Types: e-mails; phone numbers (Spanish, US, UK, and any written with an international prefix); DNI/NIE with
their control letter; Spanish social security numbers (NSS, mod-97 control digits); US social security
numbers; passport numbers (near the word "passport"/"pasaporte", or in its paragraph when they have letters);
IBANs (mod-97 checksum); card numbers (Luhn); postal addresses (a street type with a name and a number:
"Calle Mayor 12", "221B Baker Street", with floor, door, postcode and city); person names, after a cue ("me
llamo", "Sr.", "my name is", "Hola", a record's label such as "Cliente:"), in the places records and letters
put them (a signature, the line above an address, "SURNAME, NAME" in capitals) or as a known first name or a
common surname among capitalised words. Names are found without a language model (none can be installed
here): a name in none of these places, with no listed first name and no listed surname, is missed;
docs/data-safety.md measures what is reached.

Used by the prepare stage (`data.pii`), the evaluation (PII in a model's answers) and the server (its request
log is redacted)."""

from __future__ import annotations

import re
import unicodedata

_UPPER = "A-ZÁÉÍÓÚÑÜÇ"
_LOWER = "a-záéíóúñüçàèìòùïâêôãõîûëöäå"
_WORD = rf"(?:Ma?c|O['’])?[{_UPPER}][{_LOWER}]+(?:['’-][{_UPPER}]?[{_LOWER}]+)*"  # a capitalised word; "O'Neill" too
# what may stand between the parts of a name: particles ("de la", "i", "Ó"), initials ("E.")
_PARTICLE = r"(?:de|del|de la|de las|de los|da|das|do|dos|i|van|von|der|den|al|el|El|bin|Ó|Ní|Mac|Mc|Le|La)"
_TITLE = r"(?:Sr|Sra|Srta|Dña|Dr|Dra|Mr|Mrs|Ms|Mx)\.?|(?:Don|Doña|Señor|Señora|Miss)"


def _luhn(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def _dni(text: str) -> bool:
    text = re.sub(r"[\s.-]", "", text.upper())
    number, letter = text[:-1], text[-1]
    number = number.replace("X", "0").replace("Y", "1").replace("Z", "2")  # NIE: the letter stands for a digit
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == letter


def _iban(text: str) -> bool:
    text = re.sub(r"\s", "", text.upper())
    digits = "".join(str(int(c, 36)) for c in text[4:] + text[:4])  # letters as 10..35, the country moved last
    return int(digits) % 97 == 1


def _nss(text: str) -> bool:
    """Spanish social security number: province (2), number (8), control (2) = the first ten mod 97; a number
    below 10^7 counts from the province times 10^7."""
    digits = re.sub(r"\D", "", text)
    province, number, control = int(digits[:2]), int(digits[2:10]), int(digits[10:])
    base = number + province * 10**7 if number < 10**7 else int(digits[:10])
    return base % 97 == control


def _ssn(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common first names and surnames (Spanish, Catalan, Basque, Galician, Latin American, English, Irish, and
# of the largest immigrant communities in Spain): a name without a cue is found when it starts with one of
# these first names, or has one of these surnames after a capitalised word.
_FIRST_NAMES = _names(
    """
    Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro Miguel Rafael Pedro Pablo Ángel
    Sergio Fernando Jorge Luis Alberto Álvaro Adrián Diego Raúl Enrique Ramón Vicente Iván Rubén Óscar Andrés
    Joaquín Santiago Eduardo Víctor Roberto Jaime Mario Ignacio Alfonso Marcos Hugo Martín Lucas Mateo Leo Gonzalo
    Héctor Emilio Julián Tomás Agustín Salvador Guillermo Nicolás Gabriel Samuel Aitor Rodrigo Felipe Marcelo
    María Carmen Ana Isabel Laura Cristina Marta Dolores Lucía Pilar Elena Sara Paula Raquel Rosa Manuela Mercedes
    Beatriz Julia Patricia Silvia Irene Nuria Andrea Rocío Teresa Montserrat Alba Sonia Eva Claudia Inmaculada
    Noelia Alicia Sofía Carla Lorena Natalia Verónica Ángela Marina Nerea Olga Esther Susana Concepción Yolanda
    Nieves Luz Lourdes Amparo Encarnación Victoria Gloria Belén Miriam Ainara Valeria Daniela Martina Jimena Vega
    Jordi Josep Joan Pau Arnau Marc Oriol Pol Xavier Enric Lluís Ramon Montse Meritxell Núria Laia Mireia Neus
    Roser Anna Gemma Iker Unai Aitor Iñaki Asier Gorka Mikel Xabier Koldo Ander Eneko Ibai Ainhoa Izaskun Itziar
    Nerea Amaia Leire Maite Miren Edurne Garazi Xoán Xosé Brais Anxo Iago Iria Uxía Antía Sabela Noa Xiana Breixo
    Brayan Jhon Yeison Wilson Edwin Jairo Fredy Alexis Kevin Anderson Yuliana Dayana Yesenia Leidy Marisol Luz
    Gisela Ximena Camila Valentina Guadalupe Esperanza Milagros Florencia Agustina Thiago Santino Benjamín Maximiliano
    James John Robert Michael William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Steven
    Paul Andrew Joshua Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric
    Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Alexander Patrick Peter Oliver Harry
    Jack Noah Liam Ethan Nathan Graham Simon Ian Colin Neil Stuart Gavin Alan Keith Adam Luke Callum Jamie Owen
    Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra
    Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Cynthia Kathleen
    Amy Angela Helen Anna Brenda Emma Olivia Sophie Charlotte Grace Chloe Lucy Hannah Alice Megan Fiona Rachel
    Claire Lauren Holly Jade Ellie Zoe Abigail Victoria Louise Catherine Joanne Nicola Gemma Kirsty Natalie
    Seán Sean Pádraig Padraig Ciarán Cian Oisín Eoin Darragh Conor Niall Róisín Roisin Siobhán Siobhan Aoife
    Caoimhe Niamh Saoirse Orla Sinéad Sinead Clodagh Aisling Máire Eimear Declan Brendan Colm Fergal
    Mohamed Mohammed Muhammad Ahmed Ahmad Youssef Yusuf Omar Ali Hassan Hamza Karim Rachid Said Mustafa Ibrahim
    Fatima Fátima Aicha Khadija Amina Salma Nadia Leila Yasmina Zahra Meryem Hanane Naima Samira
    Ioana Andrei Mihai Alexandru Elena Florin Gabriela Cristian Bogdan Vasile Adriana Oana Irina Olena Oksana
    Dmitri Sergei Natalia Tatiana Svetlana Mei Wei Li Jing Ying Xin Hui Chen Yan Lin Ngozi Chinedu Oluwaseun
    Amadou Moussa Mamadou Aminata Fatou Ousmane Ikram Priya Raj Arjun Anil Sunita Deepak Joao João Tiago Gonçalo
    Inês Beatriz Francisca Rui Nuno Duarte Giulia Marco Luca Francesca Alessandro Matteo Chiara Pierre Marie
    Camille Jean Louis Hans Klaus Anke Jürgen Katrin
    """
)
_SURNAMES = _names(
    """
    García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz
    Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco
    Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo
    Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña Flores Cabrera
    Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero Hidalgo
    Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona Crespo Román Pastor Soto Sáez
    Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Pardo Merino Franco Espinosa Izquierdo Lara Rivas
    Silva Rivera Casado Camacho Arroyo Redondo Luque Montes Vila Vilanova Puig Roig Pujol Serra Font Riera Sala
    Casas Costa Bosch Ferrer Mas Vidal Batlle Camps Rovira Agirre Aguirre Etxeberria Garmendia Arrieta Elorza
    Zubizarreta Goikoetxea Urrutia Mendizabal Otxoa Larrañaga Pazos Seoane Louzao Vilariño Castro Fraga Lema
    Rey Otero Varela Piñeiro Souto Barreiro Mamani Quispe Huamán Restrepo Cárdenas Chávez Mendoza Rojas Zapata
    Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson White Harris Clark
    Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Mitchell Roberts Carter
    Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed
    Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Patel Khan
    Thompson Davies Thomas Roberts Walsh Byrne Ryan Doyle Kennedy Lynch Murray Quinn Doherty Brennan Fitzgerald
    Gallagher Kavanagh McCarthy O'Brien O'Neill O'Connor O'Sullivan Harrington Pemberton Harrison Fletcher
    Okonkwo Okafor Adeyemi Popescu Ionescu Popa Kowalski Nowak Müller Schmidt Schneider Fischer Weber Rossi Russo
    Ferrari Bianchi Dubois Martin Bernard Pereira Oliveira Ferreira Costa Rodrigues Almeida Zhou Wang Zhang Liu
    Chen Yang Huang Zhao Wu Sun Li Kumar Singh Sharma Gupta Idrissi Alaoui Benali
    """
)
# capitalised words that start sentences or name things, never a first name before a surname
_NOT_FIRST = _names(
    """
    El La Los Las Un Una Mi Su Tu Al Del En De Por Para Con Sin Hola Buenas Gracias Calle Avenida Plaza Paseo
    Señor Señora Pedido Cafetera Tienda Familia Casa Banco Hospital Colegio Hotel Restaurante Farmacia Santa San
    The A An My Your His Her Our Their Hi Hello Dear Thanks Mr Mrs Ms Street Road Avenue Order Bank Saint St
    Atentamente Saludos Regards Cheers Firmado Signed Contact Contacto Nombre Name Titular Ordenante
    Customer Team Support Sales Equipo Departamento Servicio Atención Soporte Ventas
    Buenos Buen Good Feliz Muchas Kind Best Valued Cliente Amigo Friend No Sí Si Ok Yes Gold Silver Oficina
    Office Central Error Follow
    """
)
# what a cue ("I'm", "Dear") may be followed by that is no name: a title (the name follows it), a nationality,
# a word that starts a sentence or names a thing
_NOT_NAME = (
    rf"(?:{_TITLE}|Irish|British|English|Scottish|Welsh|American|Canadian|Spanish|French|German|Italian|Portuguese"
    rf"|Chinese|Indian|Sir|Madam|Care|All|Everyone|Todos|{'|'.join(sorted(_NOT_FIRST))})\b"
)
_NAME = rf"(?!{_NOT_NAME}){_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_WORD}|[{_UPPER}]\.)){{0,4}}"
# what introduces a person's name: the name is the capitalised words after it (a signature's, on the next line)
_CUE_WORDS = (
    r"\b(?i:me llamo|mi nombre es|soy|somos|we're|we are|se llama|a nombre de|titular(?: de la (?:cuenta|tarjeta))?"
    r"|nombre(?: y apellidos)?|ordenante"
    r"|beneficiari[oa]|asegurad[oa]|trabajador(?:a)?|cliente|firmado|a la atenci[oó]n de|de parte de|familiar"
    r"|pareja|my name is|this is|i am|i'm|it's|its|name|contact(?: person)?|on behalf of|authori[sz]e|attn"
    # who a person is to the message: a role in a record ("Caller:"), a relative ("mi marido,")
    r"|beneficiary|(?:account )?holder|paciente|called back|arrendatari[oa]|inquilin[oa]|llamar a"
    r"|entrevista(?: telef[oó]nica)? con|hola|hi|hey|hiya|hello|dear|querid[oa]|estimad[oa]|caller|claimant"
    r"|applicant|tenant|main driver|dependant|empleada del hogar)"
)
# a record's labels, followed by a colon: a person's role ("Caller:"), the fields of a form ("Surname:")
_LABEL_WORDS = (
    r"\b(?i:member|patient|customer|employee|travell?er(?: \d+)?|surnames?|given names?|apellidos?|ship to"
    r"|dependent|name on (?:the )?card|nombre en la tarjeta|full name|destinatari[oa]|remitente|interesad[oa]"
    r"|empleador(?:a)?|denunciante|tomador(?:a)?|beneficiari(?:o|a|os|as)|guest|insured|owner|(?:other )?driver"
    r"|passenger|pasajer[oa]|hu[eé]sped|propietari[oa]|comprador(?:a)?|vendedor(?:a)?|conductor(?:a)?"
    r"|next of kin|para el registro|for the police registration)"
)
# a relative, with a comma after ("mi marido, Graciela Bermúdez"): without one the word names things too ("mi
# hija Bluetooth no conecta")
_RELATIVE = (
    r"\b(?i:marido|mujer|esposo|esposa|hij[oa]|sobrin[oa]|herman[oa]|madre|padre|husband|wife|daughter|son)"
    r"[ \t]*,[ \t]*"
)
# a signature's sign-off (the name may be on the next line), "I, ...", a title
_SIGN_OFF = (
    r"\b(?i:atentamente|un saludo|saludos|regards|kind regards|best|thanks|thank you|cheers|sincerely|signed|gracias)"
    r"[ \t]*,?\s+"
    rf"|\b(?:I|Yo),[ \t]+|\b(?:{_TITLE})[ \t]+"
)
# a lowercase name after a cue that says a name follows, when it starts with a known first name
_STOP = (  # words that end a name in lower case
    r"(?:con|y|de|del|que|desde|para|por|aqui|aquí|and|the|with|from|here|again|at|on|in|to|lol|can|u|pls|thx"
    r"|is|was|will|just|ya|q|xq|es|otra|vez|not|no|un|una|el|la|mi|my|su|pedido|numero|número|order)"
)
_FIRST = "|".join(sorted(_FIRST_NAMES))
_ACRONYM = r"(?:SSN|DNI|NIE|NIF|NSS|IBAN|ID|N/A|CIF)\b"  # what a label may be followed by that is no name
_CAPS_CUE = r"(?:SOY|SOMOS|ME|LLAMO|NOMBRE|CLIENTE|TITULAR|NAME|CUSTOMER|IM)\b"  # a cue, in a text in capitals
_PLACE = r"Santiago de (?:Compostela|Chile)\b"  # a first name that starts a place's name
_FIRST_CAPS = "|".join(sorted({n.upper() for n in _FIRST_NAMES} | {_unaccented(n).upper() for n in _FIRST_NAMES}))
_CAPS = rf"(?!{_ACRONYM})(?:[{_UPPER}]['’])?[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*"
_CAPS_NAME = (
    rf"{_CAPS}(?:[ \t]+(?:{_CAPS}|[{_UPPER}]\.)){{0,3}}(?:,[ \t]+{_CAPS}(?:[ \t]+(?:{_CAPS}|[{_UPPER}]\.)){{0,2}})?"
)
# at least two words, none of them a word that starts a sentence or names a thing
_NAME2 = (
    rf"(?!(?:{'|'.join(sorted(_NOT_FIRST))})\b){_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_WORD}|[{_UPPER}]\.)){{1,4}}"
)
_LOWER_NAME = rf"(?:{_FIRST.lower()})(?:[ \t]+(?!{_STOP}\b)(?:[a-z]\.|[{_LOWER}]{{2,}})){{0,3}}"
_ANY_LOWER_NAME = rf"(?!{_STOP}\b)[{_LOWER}]{{2,}}(?:[ \t]+(?!{_STOP}\b)(?:[a-z]\.|[{_LOWER}]{{2,}})){{1,3}}"

_STREET_ES = (
    r"(?i:C/\.?|\bC\.(?=[ \t]+del?\b)|Calle|Avda\.?|Avenida|Av\.|Avinguda|R[uú]e|Plaza|Pza\.|Plaça|Praza|Paseo"
    r"|Passeig|Pº|Ronda|Camino|Camí|Carretera"
    r"|Ctra\.|Travesía|Travesa|Vía|Rambla|Carrer|R[úu]a|Urb\.|Urbanización|Glorieta|Bulevar|Cuesta|Callejón)"
)
_STREET_EN = (
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Court|Ct\.?|Place|Pl\.?|Way"
    r"|Square|Sq\.?|Gardens|Terrace|Crescent|Close|Quay|Row|Mews|Parade|Grove|Walk|Park|Rise|Hill|Green|Vale)"
)
_CITY = (  # "A Coruña", "L'Hospitalet de Llobregat"
    rf"(?:(?:A|O|As|Os|La|El|Les|Els)[ \t]+|L['’])?{_WORD}"
    rf"(?:[ \t]+(?:(?:de|del|la|las|los|el)[ \t]+){{0,2}}{_WORD}){{0,4}}"
)
_POSTCODE_EN = (
    # a state and ZIP; a UK postcode; an Irish Eircode
    r"(?:[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}|[A-Z]\d[\dW][ \t]?[A-Z\d]{4}\b)"
)
_PROVINCE = (
    rf"(?:[ \t]*\({_WORD}(?:[ \t]+(?:de[ \t]+)?{_WORD}){{0,2}}\))?"  # after a city, in brackets: "Paterna (Valencia)"
)
_CAPS_CITY = rf"[{_UPPER}]{{3,}}(?:[ \t]+(?:(?:DE|DEL|LA|LAS|LOS|EL)[ \t]+)?[{_UPPER}]{{3,}}){{0,3}}\b"
# what follows a Spanish street's number: floor and door ("3º B", "1r 2a", "bajo", "piso 2 puerta 3")
_FLOOR = (
    r"\.?(?:[ \t]*[,-][ \t]*|[ \t]+)(?:\d{1,2}\.?[ \t]*[º°ªrtna]\.?(?:\d{1,2}[º°ªa])?"
    r"(?:[ \t]?(?i:izq(?:da)?|izda|dcha|dta|izquierda|derecha|centro|esq|dto)\b\.?|[ \t]?[A-Za-z]\b)?\.?"
    r"(?:[ \t]+planta)?|\d{1,2}[ \t]+(?i:izq(?:da)?|izda|dcha|dta|izquierda|derecha|centro)\b\.?"
    r"|bajo|baixos?|behea|pral\.?|entlo\.?|[áa]tico|(?:piso|puerta|portal|local|bloque|planta)[ \t]+\d+"
    r"|esc\.?[ \t]*\w+|(?i:dcha|dta|izda|izq)\b\.?|\d{1,2}-[A-Z]\b|[A-Z]\b)"
)
_ADDRESS_ES = (
    rf"(?:{_STREET_ES}[ \t]+[^\W\d][\w'-]*(?:[ \t]+(?!(?:el|en|desde|hasta|hace)\b)[^\W\d][\w'-]*){{0,6}}?"
    rf"|\b{_WORD}(?:weg|straße|strasse|gasse|platz|allee|kalea|kale)|\b{_WORD}[ \t]+kalea)"
    rf",?[ \t]+(?:n\.?[ \t]*[º°o]\.?[ \t]*|n[ \t]+(?=\d)|(?:número|portal|bloque)[ \t]+)?"
    rf"\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?\b"
    rf"(?:{_FLOOR}){{0,4}}"
    rf"(?:(?:(?:[ \t]*[,.-][ \t]*|[ \t]+)(?:\d{{5}}|\d{{4}}-\d{{3}})"
    rf"|[ \t]*,[ \t]*(?!(?:19|20)\d\d\b)\d{{4}}(?=[ \t]+[{_UPPER}]))"  # four digits (Belgium ...), not a year
    rf"(?:[ \t]*,?[ \t]+(?:{_CITY}|{_CAPS_CITY}|[{_LOWER}]{{3,}}\b){_PROVINCE})?"
    rf"|[ \t]*,?[ \t]*\n\d{{5}}[ \t]+(?:{_CITY}|{_CAPS_CITY}){_PROVINCE}"  # the postcode and city on the next line
    rf"|[ \t]*,[ \t]*(?:{_CITY}|{_CAPS_CITY}){_PROVINCE})?"
)
# in lower case, as chats write it: a number, one to three words, an unambiguous street type, a flat, and a city
# only with the postcode after it ("54 orchard rise london sw2 0qn")
_LOWER_STREET = (
    r"(?:[a-z]{2,}[ \t]+){1,3}"
    r"(?:street|st|road|rd|lane|ln|avenue|ave|boulevard|blvd|drive|dr|court|ct|rise|crescent|terrace|gardens|grove)\b"
)
_LOWER_UNIT = r",?[ \t]*(?:apt|apartment|flat|unit|suite)\.?[ \t]*\w+"
_LOWER_TAIL = (
    r",?[ \t]+[a-z]{3,}(?:[ \t]+[a-z]{3,})?,?[ \t]+(?:[a-z]{2}[ \t]+\d{5}|[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2})\b"
)
# in lower case, as chats write it, only with what marks it as an address beyond "a number and a street word"
# ("my 500 gb hard drive"): a compass point, a flat, or the city and postcode after it
_ADDRESS_EN_LOWER = (
    rf"\b\d{{1,5}}[a-z]?[ \t]+(?:(?:n|s|e|w|ne|nw|se|sw)[ \t]+{_LOWER_STREET}(?:{_LOWER_UNIT})?(?:{_LOWER_TAIL})?"
    rf"|{_LOWER_STREET}(?:{_LOWER_UNIT}(?:{_LOWER_TAIL})?|{_LOWER_TAIL}))"
)
_ADDRESS_EN = (
    rf"(?:\b(?i:Flat|Apartment|Apt|Unit|Suite)\.?[ \t]*\w+,[ \t]*)?"  # a flat before the house number
    rf"\b\d{{1,5}}[A-Za-z]?[ \t]+(?:[NSEW][ \t]+)?(?:(?:{_WORD}|[A-Z]{{2,}}|\d{{1,3}}(?:st|nd|rd|th))[ \t]+){{1,3}}"
    rf"(?:{_STREET_EN}|{_STREET_EN.upper()})(?:[ \t]+(?:Upper|Lower|North|South|East|West|NW|NE|SW|SE))?(?!\w)"
    rf"(?:[ \t]*#[ \t]*\w+|,?[ \t]*(?i:Apt|Apartment|Flat|Unit|Suite)\.?[ \t]*\w+)?"
    rf"(?:(?:,[ \t]*|\n(?=(?:{_CITY}|{_CAPS_CITY})(?:,?[ \t]+|\n){_POSTCODE_EN}))(?:{_CITY}|{_CAPS_CITY})"
    rf"(?:[ \t]+\d{{1,2}}(?=,))?){{0,2}}"
    rf"(?:(?:,?[ \t]+|\n)"
    rf"(?:{_POSTCODE_EN}|\d{{1,2}}\b))?"
)

# the words for an NSS, in its sentence
_NSS_CUE = r"(?i:seguridad social|social security|NUSS|NSS|afiliaci[oó]n|\bS\.[ \t]?S\.)"
# a passport number: Spanish (three letters, six digits; older, two), others (a letter, eight; nine digits;
# nine letters and digits, as German and French ones)
_PASSPORT_ES = r"[A-Z]{3}\d{6}|[a-z]{3}\d{6}"
_PASSPORT = r"[A-Z]{1,3}\d{6,8}|\d{9}|(?=[A-Z\d]{0,8}\d)(?=[A-Z\d]{0,8}[A-Z])[A-Z\d]{9}"

# Each type: its pattern and the check a match must pass (Luhn for cards, the control letter for DNI/NIE, the
# mod-97 digits for IBAN and NSS), which keeps order numbers and prices from being taken for PII. A pattern
# with a group takes the group as the value (the cue before it is not personal data).
PII_PATTERNS: dict[str, tuple[re.Pattern, object]] = {
    "email": (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), None),
    "phone": (
        re.compile(
            r"(?<![\w+])(?:(?:(?:\+|00)34|\(\+34\))[\s-]?)?[6789]\d{2}(?:[\s.-]?\d{3}[\s.-]?\d{3}"
            r"|[\s.-]\d{2}[\s.-]\d{2}[\s.-]\d{2})\b"
            r"|(?<![\w+])(?:(?:(?:\+|00)34|\(\+34\))[\s-]?)?[6789]\d[\s.-]\d{3}[\s.-]\d{2}[\s.-]\d{2}\b"
            r"|(?<![\w+])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"
            r"|(?<![\w+])(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
            r"|(?<![\w+])(?<!\d[\s-])0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}\b"  # UK, written nationally
            r"|(?<![\w+])07\d{9}\b"  # a UK mobile, in one piece
            # UK, eleven digits in groups of two or more, as said aloud ("07 700 900 123"), not "0 2 4 6 8 10"
            r"|(?<![\w+])(?<!\d[\s-])(?=0(?:[\s-]?\d){10}(?![\s-]?\d))0\d{1,4}(?:[\s-]\d{2,4}){1,4}(?![\s-]?\d)"
            # ten digits together, only after the words for a phone ("text me on 6192960963")
            r"|\b(?i:text me on|call me on|phone|tel\.?|cell|mobile|m[oó]vil|tel[eé]fono)[ \t]*:?[ \t]*([2-9]\d{9})\b"
            r"|(?<![\w+])(?<!\d[\s-])(?:\+|00)(?!34|1\b|44)\d{2,3}(?:[\s-]?\(0\))?(?:[\s.-]?\d{1,4}){2,5}\b"
        ),
        None,
    ),
    "national_id": (
        re.compile(
            r"\b(?:[XYZxyz][\s-]?\d{7}|\d{8})[\s-]?[A-Za-z]\b"
            # grouped as thousands are written ("12.345.678 y pico"): only with a capital control letter
            r"|\b(?:\d{2}\.\d{3}\.\d{3}|\d{2} \d{3} \d{3})[\s-]?[A-Z]\b"
            r"|\b\d{2}\.\d{3}\.\d{3}-?[a-z]\b"  # dotted, the letter in lower case joined to it
        ),
        _dni,
    ),
    "social_security": (
        re.compile(
            # its parts set apart, in whichever places: the control digits keep other numbers out
            r"\b\d{2}[\s/-]\d{8}[\s/-]\d{2}\b|\b\d{2}[\s/-]\d{10}\b|\b\d{10}[\s/-]\d{2}\b"
            r"|\b\d{2}[\s/-]\d{4}[\s/-]?\d{4}[\s/-]\d{2}\b"
            rf"|{_NSS_CUE}[^\n.?!]{{0,60}}?\b(\d{{12}})\b"
            rf"|\b(\d{{12}})\b(?=[^\n.?!]{{0,40}}?{_NSS_CUE})"
        ),
        _nss,
    ),
    "ssn": (
        re.compile(
            r"\b\d{3}[- ]\d{2}[- ]\d{4}\b"
            # nine digits together, only after the words for it
            r"|(?i:\bssn|social security(?: number| no\.?| #)?|\bss#|\btin\b|\btax id\b)[^\n\d]{0,20}?\b(\d{9})\b"
            r"|\b(\d{9})\b(?=[^\n\d.?!]{0,25}?(?i:\bssn\b|social security))"  # or before them, in one sentence
        ),
        _ssn,
    ),
    "passport": (
        re.compile(
            # after the word: Spanish (three letters, six digits; older, two), others (a letter, eight), US (9)
            r"(?i:pasaportes?|passports?|travel document|documento de viaje)"
            r"(?:\W{1,3}(?:[^\W\d]{1,10}|(?:19|20)\d\d)){0,6}?\W{1,3}"
            rf"({_PASSPORT}|\d{{8}})\b"
            # before the word, with letters in it ("TK9778602 es el número de mi pasaporte")
            rf"|\b((?=[A-Z\d]*[A-Z])(?:{_PASSPORT}))\b(?=[^\n.]{{0,40}}?(?i:pasaporte|passport))"
        ),
        None,
    ),
    "card": (re.compile(r"\b[1-9](?:[ -]?\d){12,18}\b"), _luhn),  # no card number starts with 0
    "iban": (
        re.compile(
            r"\b[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]{4}){3,7}(?:[ \t]?[A-Z0-9]{1,3})?\b"
            # in lower case, groups after the bank's code with a digit (a lowercase word after it is no group)
            r"|\b[a-z]{2}\d{2}[ \t]?[a-z0-9]{4}(?:[ \t]?(?=[a-z]{0,3}\d)[a-z0-9]{4}){2,6}(?:[ \t]?\d{1,3})?\b"
        ),
        _iban,
    ),
    "address": (re.compile(rf"{_ADDRESS_ES}|{_ADDRESS_EN}|{_ADDRESS_EN_LOWER}"), None),
    "name": (
        re.compile(
            # after a cue; in capitals after a label ("Cliente: TEJADA URIARTE, LUCÍA"), not an acronym ("SSN"),
            # or surname first ("el cliente PRADO ROS, ELOY"); each cue's words are tried once
            rf"{_CUE_WORDS}(?:(?:[ \t]*[:,=][ \t]*|[ \t]+)({_NAME})"
            rf"|[ \t]+({_CAPS}(?:[ \t]+{_CAPS}){{0,2}},[ \t]+{_CAPS}(?:[ \t]+{_CAPS})?)\b"
            rf"|[ \t]*[:=][ \t]*(?!{_ACRONYM})({_CAPS_NAME})\b)"
            rf"|{_LABEL_WORDS}[ \t]*[:=][ \t]*(?:({_NAME})|(?!{_ACRONYM})({_CAPS_NAME})\b)"
            rf"|(?:{_SIGN_OFF}|{_RELATIVE})({_NAME})"
            rf"|\b(?:{_TITLE})[ \t]+((?:de la|del|de)[ \t]+{_WORD}(?:[ \t]+{_WORD}){{0,2}})"  # "Sr. del Río"
            # in capitals after the holder's word, up to what is not a name ("TITULAR LOURDES VILLANUEVA NIF ...")
            rf"|(?i:titular|name on (?:the )?card|nombre en la tarjeta)[ \t]+({_CAPS}(?:[ \t]+{_CAPS}){{1,3}})\b"
            # surname first in capitals, with a known first name ("TAMAYO PEDRAZA, AITOR")
            rf"|\b((?!{_CAPS_CUE}){_CAPS}(?:[ \t]+{_CAPS}){{0,2}},[ \t]+(?:{_FIRST_CAPS})(?:[ \t]+{_CAPS})?)\b"
            # or any, at the start of a record's line ("FARRELL, CALLUM M.\tcallum@...")
            rf"|(?:^|\n)[ \t]*({_CAPS}(?:[ \t]+{_CAPS}){{0,2}},[ \t]+{_CAPS}(?:[ \t]+(?:{_CAPS}|[{_UPPER}]\.))?)"
            rf"(?=[ \t]*(?:\t|[;(|]))"
            # a mail's sender ("Ana Ruiz <ana@...>"), a signature after "--"
            rf"|\b({_NAME})(?=[ \t]*<[^<>\s]+@)|(?:^|\n)--[ \t]*\n({_NAME})"
            rf"|(?i:soy|me llamo|se llama|my name is|it's|its|i'm|name|titular)[ \t]*:?[ \t]+({_LOWER_NAME})\b"
            # in lower case after the words that can only be followed by a name, any name
            rf"|(?i:me llamo|mi nombre es|my name is|a nombre de|se llama)[ \t]+({_ANY_LOWER_NAME})\b"
            # who writes, at the start of a sentence ("Hola, ramón gonzález aquí", "Tyler Lindqvist here")
            rf"|(?:^|[,!.][ \t]+)({_NAME}|{_LOWER_NAME})[ \t]+(?i:here|aqu[ií])\b"
            # a line that is a name alone, above an address (a street's number or type first)
            rf"|(?:^|\n)({_NAME2}|{_CAPS}(?:[ \t]+{_CAPS}){{1,3}})[ \t]*\n"
            rf"(?=[ \t]*(?:\d{{1,5}}[A-Za-z]?[ \t]+[{_UPPER}]|{_STREET_ES}[ \t]))"
            rf"|\b((?!{_PLACE})(?:{_FIRST})(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_WORD}|[{_UPPER}]\.)){{1,4}})"
            rf"|\b((?!(?:{'|'.join(sorted(_NOT_FIRST))})\b){_WORD}(?:[ \t]+{_WORD})?[ \t]+"
            rf"(?:{'|'.join(sorted(_SURNAMES))})(?:[ \t]+{_WORD})?)\b"
        ),
        None,
    ),
}
TYPES = tuple(PII_PATTERNS)
# the next value of a list after one found by its cue ("passports X and Y", "es X y el de mi mujer, Y")
_LISTED = {
    "passport": re.compile(rf"(?:[ \t]*,)?[ \t]+(?:and|y|e|&)[ \t]+({_PASSPORT})\b"),
    # the mod-97 check keeps a few words between ("y el de mi mujer, ...")
    "social_security": re.compile(r"(?:[ \t]*,)?[ \t]+(?:and|y|e|&)[ \t]+(?:[^\W\d]+[ \t,]+){0,5}?(\d{12})\b"),
}
# a paragraph (text between blank lines) that holds a type's word, and the values of that type taken anywhere in
# it: a passport's forms with letters in them are distinctive enough to be taken further from the word than a
# bare number ("passport numbers:\n- Ann Lee, HKR275226\n- ..."), an NSS's control digits check it
_IN_PARAGRAPH = {
    "passport": (
        re.compile(r"(?i:pasaportes?|passports?|travel documents?|documentos? de viaje)"),
        re.compile(rf"\b({_PASSPORT_ES}|[A-Z]{{1,2}}\d{{7,8}})\b"),
    ),
    # twelve digits together, in a paragraph that speaks of social security (the control digits check them)
    "social_security": (re.compile(_NSS_CUE), re.compile(r"\b(\d{12})\b")),
}
_PARAGRAPHS = re.compile(r"(?:(?!\n[ \t]*\n)[\s\S])+")  # text between blank lines
# what a number right after is not: an order's, an invoice's ("Pedido 742306985" is no phone)
_ORDER = (
    r"(?i:\b(?:pedido|order|factura|invoice|ref(?:erencia)?|ticket|tracking|albar[aá]n|expediente|incidencia"
    r"|localizador|booking)\W{0,3}(?:n[º°o]\.?|#|number|n[uú]mero)?\W{0,3}$)"
)
_NOT_AFTER = {
    "phone": re.compile(_ORDER),
    "ssn": re.compile(_ORDER),
    "social_security": re.compile(_ORDER),
    # a passport's forms are a flight's, a model's, a user name's too: not with those words just before
    "passport": re.compile(
        rf"{_ORDER}|(?i:\b(?:vuelo|flight|modelo|model|usuario|user(?:name)?|serial|serie|pedido|order)\b)"
        r"[^\n]{0,25}$"
    ),
}
# unless a phone's word is just before: "Phone number for the order: 612 345 678" is a phone
_PHONE_WORD = re.compile(r"(?i:\b(?:phone|tel[eé]fono|tel|m[oó]vil|mobile|contact|llamar|call)\b)[^\n]{0,40}$")
# where two types claim the same span, the one with the stronger evidence (a cue, a check) keeps it
_PRIORITY = ("email", "iban", "card", "national_id", "social_security", "ssn", "passport", "phone", "address", "name")


def _belongs_elsewhere(kind: str, text: str, start: int) -> bool:
    """Whether the value at `start` follows words that make it an order's, a flight's ... (`_NOT_AFTER`)."""
    not_after = _NOT_AFTER.get(kind)
    if not not_after or not not_after.search(text, max(0, start - 30), start):
        return False
    return not (kind == "phone" and _PHONE_WORD.search(text, max(0, start - 45), start))


def find_pii(text: str) -> list[dict]:
    """Every PII span in text, {type, value, start, end}, in order; where spans overlap the longest is kept
    (an IBAN's digits are not also a card, a card's not a phone)."""
    found = []
    for kind, (pattern, check) in PII_PATTERNS.items():
        for match in pattern.finditer(text):
            group = next((i for i in range(1, (pattern.groups or 0) + 1) if match.group(i)), 0)
            start, end = match.span(group)
            value = text[start:end].rstrip(" ,")
            if not (kind == "name" and re.search(r"\b[A-Z]\.$", value)):  # a name's last initial keeps its dot
                value = value.rstrip(".")
            end = start + len(value)
            if _belongs_elsewhere(kind, text, start):
                continue
            if value and (check is None or check(value)):
                found.append({"type": kind, "value": value, "start": start, "end": end})
    seen = {(f["type"], f["start"]) for f in found}

    def take(kind: str, match: re.Match) -> None:
        """The match's first group that took part as a value of `kind`, unless seen or failing its check."""
        group = next(i for i in range(1, match.re.groups + 1) if match.group(i))
        check = PII_PATTERNS[kind][1]
        if (kind, match.start(group)) not in seen and (check is None or check(match.group(group))):
            seen.add((kind, match.start(group)))
            found.append(
                {"type": kind, "value": match.group(group), "start": match.start(group), "end": match.end(group)}
            )

    for paragraph in _PARAGRAPHS.finditer(text):
        for kind, (cue, value) in _IN_PARAGRAPH.items():
            if cue.search(paragraph.group()):
                for match in value.finditer(text, paragraph.start(), paragraph.end()):
                    if not _belongs_elsewhere(kind, text, match.start(1)):
                        take(kind, match)
    for span in found:  # grows as it goes: a list's third value follows its second
        listed = _LISTED.get(span["type"])
        match = listed.match(text, span["end"]) if listed else None
        if match:
            take(span["type"], match)
    kept: list[dict] = []
    for span in sorted(found, key=lambda f: (f["start"] - f["end"], _PRIORITY.index(f["type"]), f["start"])):
        if all(span["end"] <= k["start"] or span["start"] >= k["end"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda f: f["start"])


def redact(text: str) -> str:
    """The text with every PII span replaced by its type in brackets ("[EMAIL]", "[PHONE]" ...)."""
    for span in reversed(find_pii(text)):
        text = text[: span["start"]] + f"[{span['type'].upper()}]" + text[span["end"] :]
    return text


def _key(kind: str, value: str) -> str:
    """One value however it is written: digits and letters only for numbers, case-folded."""
    if kind in ("email", "name", "address"):
        return f"{kind}:{value.casefold()}"
    return f"{kind}:{re.sub(r'[^0-9A-Za-z]', '', value).upper()}"


class Masker:
    """Replaces PII with typed, numbered placeholders that stay the same for one value everywhere it appears
    ("[PHONE_1]" each time the same number is written, however spaced), so a conversation stays readable.
    A value found once is masked wherever it is written again, found there or not (a name the agent repeats
    after "Hola," where no cue marks it); `learn` the whole data first so that the earlier rows get it too.
    Values in `allow` (a shop's public phone) are left as they are."""

    def __init__(self, allow: list[str] = ()):
        self.allow = {a.strip().casefold() for a in allow} | {re.sub(r"[^0-9a-z]", "", a.casefold()) for a in allow}
        self.placeholders: dict[str, str] = {}  # a value's key -> its placeholder
        self.written: dict[str, str] = {}  # each value as written -> its placeholder
        self.counts: dict[str, int] = {}
        # the values masked wherever they are written, by their first three characters: a text is compared
        # with those its own three-character pieces name, not with every value learnt
        self._by_start: dict[str, list[str]] = {}
        self._learnt_order: dict[str, int] = {}  # ties among values of one length go as they were learnt

    def allowed(self, value: str) -> bool:
        folded = value.strip().casefold()
        return folded in self.allow or re.sub(r"[^0-9a-z]", "", folded) in self.allow

    def spans(self, text: str) -> list[dict]:
        """The PII in text that is not allowed."""
        return [span for span in find_pii(text) if not self.allowed(span["value"])]

    def learn(self, text: str) -> list[dict]:
        """Give each value in text its placeholder, numbered in the order values are first met; its spans."""
        spans = self.spans(text)
        self._register(spans)
        return spans

    def _register(self, spans: list[dict]) -> None:
        for span in spans:
            key = _key(span["type"], span["value"])
            if key not in self.placeholders:
                self.counts[span["type"]] = self.counts.get(span["type"], 0) + 1
                self.placeholders[key] = f"[{span['type'].upper()}_{self.counts[span['type']]}]"
            value = span["value"]
            if value not in self.written:
                self.written[value] = self.placeholders[key]
                self._learnt_order[value] = len(self._learnt_order)
                # not a lone word ("Victoria" found after a cue once is also a street): several words, digits, @
                if " " in value.strip() or re.search(r"[\d@]", value):
                    self._by_start.setdefault(value[:3], []).append(value)

    def mask(self, text: str, spans: list[dict] | None = None) -> str:
        """The text masked; `spans`: its spans where the caller has them already (`spans(text)`)."""
        spans = self.spans(text) if spans is None else spans
        self._register(spans)
        for span in reversed(spans):
            text = text[: span["start"]] + self.written[span["value"]] + text[span["end"] :]
        named = {text[i : i + n] for n in (1, 2, 3) for i in range(len(text))} & self._by_start.keys()
        order = self._learnt_order
        elsewhere = sorted((v for start in named for v in self._by_start[start]), key=lambda v: (-len(v), order[v]))
        for value in elsewhere:  # the values learnt elsewhere, longest first
            if value in text:
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", self.written[value], text)
        return text
