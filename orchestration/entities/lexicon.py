"""The words a reader relies on, in English, Russian, Spanish and French: titles of offices,
words that may stand between a title and its country, and the verbs that report an event.

Phrases are written as they appear in texts, lower case; they pass through people.haystack
like the texts, so Russian case endings and accents need not be spelled out. A trailing '*'
makes a stem (no closing word boundary).
"""

from __future__ import annotations

# (office, phrase). "counterpart" takes the office of the person it is the counterpart of.
TITLES = {
    "head_of_state": [
        "president", "president of the republic", "king", "queen", "emir", "amir", "sultan",
        "head of state", "leader", "supreme leader", "crown prince",
        "президент", "глава государства", "лидер", "король", "эмир", "султан", "верховный лидер",
        "наследный принц",
        "presidente", "presidenta", "jefe de estado", "lider", "mandatario", "rey", "emir",
        "sultan", "lider supremo",
        "president", "presidente", "chef de l etat", "dirigeant", "leader", "roi", "emir",
        "guide supreme",
    ],
    "head_of_government": [
        "prime minister", "premier", "chancellor", "head of government",
        "премьер министр", "премьер", "канцлер", "председатель правительства",
        "primer ministro", "primera ministra", "jefe del gobierno", "jefe de gobierno",
        "canciller federal",
        "premier ministre", "premiere ministre", "chancelier", "chanceliere",
    ],
    "foreign_minister": [
        "foreign minister", "minister of foreign affairs", "minister for foreign affairs",
        "foreign secretary", "secretary of state", "foreign affairs minister", "diplomacy",
        "top diplomat",
        "министр иностранных дел", "глава мид", "дипломатии",
        "canciller", "ministro de asuntos exteriores", "ministra de asuntos exteriores",
        "ministro de relaciones exteriores", "ministra de relaciones exteriores",
        "asuntos exteriores", "relaciones exteriores", "diplomacia",
        "ministre des affaires etrangeres", "affaires etrangeres", "diplomatie",
    ],
    "head_of_organisation": [
        "secretary general", "general secretary", "генеральный секретарь", "генсек",
        "secretario general", "secretaria general", "secretaire general", "chief", "head",
        "president", "президент", "presidente", "presidenta", "presidente",
    ],
    "counterpart": ["counterpart", "коллега", "homologo", "homologa", "homologue"],
}
# Titles whose office depends on the country: Spanish "canciller" of Germany is its chancellor.
CHANCELLOR_COUNTRIES = ("DE", "AT")
# Foreign-affairs words that are a minister's title only after a minister word ("ministry of
# foreign affairs" is no person).
MINISTRY_CORES = ("asuntos exteriores", "relaciones exteriores", "affaires etrangeres")
MINISTER_WORDS = ("minister", "ministre", "ministro", "ministra", "министр")
# Titles that name their country themselves (seats of power).
FIXED_TITLES = [
    ("head_of_state", "US", "глава белого дома"),
    ("head_of_state", "US", "хозяин белого дома"),
    ("head_of_state", "US", "locataire de la maison blanche"),
    ("head_of_state", "US", "inquilino de la casa blanca"),
    ("head_of_state", "US", "occupant of the white house"),
    ("head_of_state", "UA", "head of the kiev regime"),
    ("head_of_state", "UA", "глава киевского режима"),
    ("head_of_state", "UA", "chef du regime de kiev"),
    ("head_of_state", "UA", "jefe del regimen de kiev"),
    ("head_of_state", "VA", "pope"),
    ("head_of_state", "VA", "папа римский"),
    ("head_of_state", "VA", "понтифик"),
    ("head_of_state", "VA", "sumo pontifice"),
    ("head_of_state", "VA", "papa"),
    ("head_of_state", "VA", "pape"),
    ("head_of_state", "VA", "souverain pontife"),
]
# Words that may stand between a title and its country ("President of the State of Palestine",
# "ministre des Affaires étrangères du Sénégal", "Türkiye's President").
GAP_WORDS = (
    "of", "the", "s", "de", "del", "la", "le", "l", "d", "du", "des", "and", "et", "y", "и",
    "state", "republic", "kingdom", "federation", "sultanate", "islamic", "arab", "people s",
    "estado", "republica", "reino", "federacion", "etat", "republique", "royaume", "federation",
    "государства", "республики", "королевства", "федерации", "султаната", "new", "current",
    "новый", "нынешний", "nuevo", "nouveau", "actual", "actuel",
)
# Words a name may follow without being a given name (a surname after them is still the
# surname: "President Traoré", "capitaine Ibrahim Traoré").
HONORIFICS = (
    "mr", "mrs", "ms", "dr", "sir", "sheikh", "sayyid", "h e", "his excellency", "her excellency",
    "general", "marshal", "captain", "capitaine", "capitan", "prince", "emir", "comrade",
    "господин", "г н", "шейх", "генерал", "маршал", "капитан", "senor", "senora", "don", "dona",
    "monsieur", "madame", "cheikh", "jeque",
)

# Event verbs: (CAMEO code, phrase). Types follow the guide of tests/data/entity_eval/dev.yaml.
TRIGGERS = [
    # 041 telephone (before 040 and 046: "telephone talks" is a call)
    ("041", "telephone conversation"), ("041", "phone conversation"), ("041", "by phone"),
    ("041", "by telephone"), ("041", "phone call"), ("041", "telephone call"),
    ("041", "spoke on the phone"), ("041", "video link"), ("041", "videoconference"),
    ("041", "телефонный разговор"), ("041", "по телефону"), ("041", "телефонные переговоры"),
    ("041", "телефонный звонок"), ("041", "видеосвяз*"),
    ("041", "conversacion telefonica"), ("041", "por telefono"), ("041", "llamada telefonica"),
    ("041", "videoconferencia"),
    ("041", "entretien telephonique"), ("041", "par telephone"), ("041", "conversation telephonique"),
    ("041", "appel telephonique"), ("041", "visioconference"),
    # 046 negotiation
    ("046", "held talks"), ("046", "hold talks"), ("046", "talks with"), ("046", "negotiations"),
    ("046", "talks in"), ("046", "talks between"),
    ("046", "переговоры"), ("046", "conversaciones"), ("046", "negociaciones"),
    ("046", "pourparlers"), ("046", "negociations"),
    # 036 intent to meet
    ("036", "will visit"), ("036", "will hold talks"), ("036", "will meet"), ("036", "invited"),
    ("036", "agreed to meet"), ("036", "plans to visit"), ("036", "will hold"),
    ("036", "посетит"), ("036", "пригласил*"), ("036", "проведет переговоры"),
    ("036", "проведут переговоры"), ("036", "допустил встречу"), ("036", "встретится"),
    ("036", "visitara"), ("036", "invito"), ("036", "mantendra conversaciones"),
    ("036", "se reunira"),
    ("036", "se rendra"), ("036", "a invite"), ("036", "aura des pourparlers"),
    ("036", "rencontrera"),
    # 042 visit, 043 host
    ("042", "arrived in"), ("042", "arrived on"), ("042", "paid a"), ("042", "visit to"),
    ("042", "is visiting"), ("042", "visited"), ("042", "arrives in"),
    ("042", "прибыл*"), ("042", "посетил*"), ("042", "с визитом"),
    ("042", "llego a"), ("042", "visito"), ("042", "en visita"), ("042", "llega a"),
    ("042", "est arrive"), ("042", "est arrivee"), ("042", "en visite"), ("042", "a visite"),
    ("043", "received"), ("043", "hosted"), ("043", "принял*"), ("043", "recibio"),
    ("043", "a recu"), ("043", "a ete recu"), ("043", "was received"),
    # 040 consult
    ("040", "met with"), ("040", "met"), ("040", "meeting with"), ("040", "meeting between"),
    ("040", "held a meeting"), ("040", "discussed"), ("040", "consultations"), ("040", "meets"),
    ("040", "встретил*"), ("040", "встреч*"), ("040", "обсудил*"), ("040", "консультаци*"),
    ("040", "se reunio"), ("040", "se reune"), ("040", "reunion"), ("040", "se entrevisto"),
    ("040", "consultas"), ("040", "conversaron"), ("040", "converso"),
    ("040", "a rencontre"), ("040", "rencontre"), ("040", "s est entretenu"),
    ("040", "s est entretenue"), ("040", "se sont entretenus"), ("040", "consultations"),
    ("040", "entretien"),
    # 057 sign
    ("057", "signed"), ("057", "подписал*"), ("057", "firmaron"), ("057", "firmo"),
    ("057", "suscribieron"), ("057", "signe"), ("057", "ont signe"), ("057", "a signe"),
    # 111 criticise, 112 accuse
    ("111", "condemned"), ("111", "criticised"), ("111", "criticized"), ("111", "denounced"),
    ("111", "dismissed as"), ("111", "осудил*"), ("111", "раскритиковал*"), ("111", "осуждает"),
    ("111", "condeno"), ("111", "critico"), ("111", "denuncio"), ("111", "a condamne"),
    ("111", "a critique"), ("111", "a denonce"), ("111", "condamne"),
    ("112", "accused"), ("112", "accuses"), ("112", "обвинил*"), ("112", "обвиняет"),
    ("112", "acuso"), ("112", "acusa"), ("112", "a accuse"), ("112", "accuse"),
    # condolences, congratulations
    ("condolences", "condolences"), ("condolences", "condolence"),
    ("condolences", "соболезнован*"), ("condolences", "condolencia*"), ("condolences", "pesame"),
    ("condolences", "condoleances"),
    ("congratulations", "congratulat*"), ("congratulations", "поздрави*"),
    ("congratulations", "поздравлени*"), ("congratulations", "felicito"),
    ("congratulations", "felicitaciones"), ("congratulations", "a felicite"),
    ("congratulations", "felicitations"), ("congratulations", "felicite"),
    # 010 statement
    ("010", "said"), ("010", "stated"), ("010", "says"), ("010", "statement"), ("010", "told"),
    ("010", "called for"), ("010", "interview"), ("010", "remarks"), ("010", "briefing"),
    ("010", "addressed"), ("010", "noted"), ("010", "stressed"), ("010", "emphasised"),
    ("010", "заявил*"), ("010", "сообщил*"), ("010", "отметил*"), ("010", "подчеркнул*"),
    ("010", "призвал*"), ("010", "анонсировал*"), ("010", "интервью"), ("010", "брифинг*"),
    ("010", "afirmo"), ("010", "declaro"), ("010", "dijo"), ("010", "senalo"), ("010", "califico"),
    ("010", "subrayo"), ("010", "entrevista"), ("010", "declaraciones"),
    ("010", "a declare"), ("010", "a affirme"), ("010", "a souligne"), ("010", "a estime"),
    ("010", "a appele"), ("010", "a annonce"), ("010", "declaration"), ("010", "a indique"),
]
SYMMETRIC = ("040", "041", "044", "046", "057")
# CAMEO quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4
# material conflict) and Goldstein score of each type; condolences are CAMEO 018 (empathetic
# comment) and congratulations 051 (praise or endorse).
CAMEO = {
    "010": ("make a public statement", 1, 0.0),
    "036": ("express intent to meet or negotiate", 1, 4.0),
    "040": ("consult", 1, 1.0),
    "041": ("discuss by telephone", 1, 1.0),
    "042": ("make a visit", 1, 1.9),
    "043": ("host a visit", 1, 2.8),
    "044": ("meet at a third location", 1, 2.5),
    "046": ("engage in negotiation", 1, 7.0),
    "057": ("sign a formal agreement", 1, 8.0),
    "111": ("criticize or denounce", 3, -2.0),
    "112": ("accuse", 3, -2.0),
    "condolences": ("express condolences (CAMEO 018)", 1, 3.4),
    "congratulations": ("congratulate (CAMEO 051)", 1, 3.4),
}
# Words that say a meeting took place abroad even where no city is named.
SIDELINES = ("sidelines", "на полях", "al margen", "en marge")

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "ru": ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
           "октябр", "ноябр", "декабр"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre"],
}
YESTERDAY = ("yesterday", "вчера", "ayer", "hier")
