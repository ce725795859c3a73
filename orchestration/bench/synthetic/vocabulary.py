# ruff: noqa: E501  (the templates and sentences are prose; wrapping them hurts reading)
"""Words the synthetic posts are made of: channels, countries and leaders in four languages,
headline templates and body sentences in the MFA channels' style.

Leaders come from the project's reference list (orchestration/reference/leaders.yaml), spelled
the way each language writes them; country names are the forms the reference aliases match, so
the entity matcher finds what the generator planted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from orchestration.entities.lexicon import ENGLISH_MONTHS
from orchestration.entities.reference import flag_emoji, reference_leaders

LANGUAGES = ("en", "ru", "es", "fr")


@dataclass(frozen=True)
class Channel:
    username: str
    title: str
    language: str
    description: str


# The four MFA channels, titles as in orchestration/reference/channels.csv (plus the flag the
# real headers show; titles are compared without emoji).
MFA_CHANNELS = (
    Channel(
        "mfa_russia",
        "Russian MFA 🇷🇺",
        "en",
        "Official channel of the Ministry of Foreign Affairs of the Russian Federation",
    ),
    Channel(
        "MID_Russia",
        "МИД России 🇷🇺",
        "ru",
        "Официальный канал Министерства иностранных дел Российской Федерации",
    ),
    Channel(
        "MAERusia",
        "MAE Rusia 🇷🇺",
        "es",
        "Canal oficial del Ministerio de Asuntos Exteriores de la Federación de Rusia",
    ),
    Channel(
        "MAErusse",
        "MAE Russie 🇷🇺",
        "fr",
        "Chaîne officielle du ministère des Affaires étrangères de la Fédération de Russie",
    ),
)

# Other channels: embassies and missions. Their titles are Latin-script so that the channel name
# a parser derives from a title (Desktop exports and text copies carry only the title) is the
# username itself: slugify("Russian Embassy in India") == "russian_embassy_in_india".
_OTHER_TITLES = (
    ("Russian Embassy in India", "en"),
    ("Russian Embassy in Egypt", "en"),
    ("Russia at the UN", "en"),
    ("Russian Embassy in Kazakhstan", "ru"),
    ("Embajada de Rusia en Argentina", "es"),
    ("Ambassade de Russie au Mali", "fr"),
    ("Russian Embassy in China", "en"),
    ("Russian Embassy in Serbia", "ru"),
    ("Russian Embassy in Turkey", "en"),
    ("Embajada de Rusia en Cuba", "es"),
    ("Ambassade de Russie en Algerie", "fr"),
    ("Russian Embassy in Belarus", "ru"),
    ("Russian Embassy in Pakistan", "en"),
    ("Russian Embassy in Vietnam", "ru"),
    ("Embajada de Rusia en Venezuela", "es"),
    ("Ambassade de Russie au Senegal", "fr"),
    ("Russian Embassy in Indonesia", "en"),
    ("Russian Embassy in Armenia", "ru"),
    ("Russian Embassy in Brazil", "en"),
    ("Embajada de Rusia en Nicaragua", "es"),
    ("Ambassade de Russie en Tunisie", "fr"),
    ("Russian Embassy in Uzbekistan", "ru"),
    ("Russian Embassy in Ethiopia", "en"),
    ("Russian Embassy in Laos", "ru"),
    ("Embajada de Rusia en Bolivia", "es"),
    ("Ambassade de Russie au Maroc", "fr"),
    ("Russian Embassy in Iran", "ru"),
    ("Russian Embassy in Mongolia", "ru"),
    ("Russian Embassy in Malaysia", "en"),
    ("Russian Embassy in Nigeria", "en"),
)

_DESCRIPTIONS = {
    "en": "Official channel of the Embassy of the Russian Federation",
    "ru": "Официальный канал Посольства Российской Федерации",
    "es": "Canal oficial de la Embajada de la Federación de Rusia",
    "fr": "Chaîne officielle de l'Ambassade de la Fédération de Russie",
}


def channels(count: int) -> tuple[Channel, ...]:
    """The first `count` channels: the four MFA ones, then embassies (numbered past the list)."""
    found = list(MFA_CHANNELS[:count])
    index = 0
    while len(found) < count:
        title, language = _OTHER_TITLES[index % len(_OTHER_TITLES)]
        round_ = index // len(_OTHER_TITLES)
        if round_:
            title = f"{title} {round_ + 1}"
        username = re.sub(r"\W+", "_", title.casefold()).strip("_")[:32]
        found.append(Channel(username, title, language, _DESCRIPTIONS[language]))
        index += 1
    return tuple(found)


# iso2, English, Russian (nominative), Spanish, French; order = how often the channels name
# them (RU-China, RU-US, Ukraine first, as in the sample), Zipf-weighted by the generator.
COUNTRIES = (
    ("CN", "China", "Китай", "China", "Chine"),
    ("US", "United States", "США", "Estados Unidos", "États-Unis"),
    ("UA", "Ukraine", "Украина", "Ucrania", "Ukraine"),
    ("IN", "India", "Индия", "India", "Inde"),
    ("TR", "Turkey", "Турция", "Turquía", "Turquie"),
    ("BY", "Belarus", "Белоруссия", "Bielorrusia", "Biélorussie"),
    ("FR", "France", "Франция", "Francia", "France"),
    ("GB", "United Kingdom", "Великобритания", "Reino Unido", "Royaume-Uni"),
    ("DE", "Germany", "Германия", "Alemania", "Allemagne"),
    ("IR", "Iran", "Иран", "Irán", "Iran"),
    ("EG", "Egypt", "Египет", "Egipto", "Égypte"),
    ("BR", "Brazil", "Бразилия", "Brasil", "Brésil"),
    ("VN", "Vietnam", "Вьетнам", "Vietnam", "Viêt Nam"),
    ("KZ", "Kazakhstan", "Казахстан", "Kazajistán", "Kazakhstan"),
    ("SY", "Syria", "Сирия", "Siria", "Syrie"),
    ("PS", "Palestine", "Палестина", "Palestina", "Palestine"),
    ("IL", "Israel", "Израиль", "Israel", "Israël"),
    ("SA", "Saudi Arabia", "Саудовская Аравия", "Arabia Saudí", "Arabie saoudite"),
    ("RS", "Serbia", "Сербия", "Serbia", "Serbie"),
    ("ZA", "South Africa", "ЮАР", "Sudáfrica", "Afrique du Sud"),
    ("UZ", "Uzbekistan", "Узбекистан", "Uzbekistán", "Ouzbékistan"),
    ("AM", "Armenia", "Армения", "Armenia", "Arménie"),
    ("AZ", "Azerbaijan", "Азербайджан", "Azerbaiyán", "Azerbaïdjan"),
    ("ID", "Indonesia", "Индонезия", "Indonesia", "Indonésie"),
    ("PK", "Pakistan", "Пакистан", "Pakistán", "Pakistan"),
    ("CU", "Cuba", "Куба", "Cuba", "Cuba"),
    ("VE", "Venezuela", "Венесуэла", "Venezuela", "Venezuela"),
    ("LY", "Libya", "Ливия", "Libia", "Libye"),
    ("ML", "Mali", "Мали", "Malí", "Mali"),
    ("BF", "Burkina Faso", "Буркина-Фасо", "Burkina Faso", "Burkina Faso"),
    ("HU", "Hungary", "Венгрия", "Hungría", "Hongrie"),
    ("JP", "Japan", "Япония", "Japón", "Japon"),
    ("AE", "United Arab Emirates", "ОАЭ", "Emiratos Árabes Unidos", "Émirats arabes unis"),
    ("AF", "Afghanistan", "Афганистан", "Afganistán", "Afghanistan"),
    ("IQ", "Iraq", "Ирак", "Irak", "Irak"),
    ("SD", "Sudan", "Судан", "Sudán", "Soudan"),
    ("ET", "Ethiopia", "Эфиопия", "Etiopía", "Éthiopie"),
    ("DZ", "Algeria", "Алжир", "Argelia", "Algérie"),
    ("MA", "Morocco", "Марокко", "Marruecos", "Maroc"),
    ("NI", "Nicaragua", "Никарагуа", "Nicaragua", "Nicaragua"),
    ("MX", "Mexico", "Мексика", "México", "Mexique"),
    ("AR", "Argentina", "Аргентина", "Argentina", "Argentine"),
    ("BO", "Bolivia", "Боливия", "Bolivia", "Bolivie"),
    ("MN", "Mongolia", "Монголия", "Mongolia", "Mongolie"),
    ("TJ", "Tajikistan", "Таджикистан", "Tayikistán", "Tadjikistan"),
    ("KG", "Kyrgyzstan", "Киргизия", "Kirguistán", "Kirghizistan"),
    ("PL", "Poland", "Польша", "Polonia", "Pologne"),
    ("FI", "Finland", "Финляндия", "Finlandia", "Finlande"),
    ("IT", "Italy", "Италия", "Italia", "Italie"),
    ("ES", "Spain", "Испания", "España", "Espagne"),
    ("NG", "Nigeria", "Нигерия", "Nigeria", "Nigeria"),
    ("ZW", "Zimbabwe", "Зимбабве", "Zimbabue", "Zimbabwe"),
    ("MZ", "Mozambique", "Мозамбик", "Mozambique", "Mozambique"),
    ("TH", "Thailand", "Таиланд", "Tailandia", "Thaïlande"),
    ("MY", "Malaysia", "Малайзия", "Malasia", "Malaisie"),
    ("QA", "Qatar", "Катар", "Catar", "Qatar"),
    ("LA", "Laos", "Лаос", "Laos", "Laos"),
    ("SN", "Senegal", "Сенегал", "Senegal", "Sénégal"),
    ("TN", "Tunisia", "Тунис", "Túnez", "Tunisie"),
    ("CF", "Central African Republic", "ЦАР", "República Centroafricana", "Centrafrique"),
)
RUSSIA = {"en": "Russia", "ru": "Россия", "es": "Rusia", "fr": "Russie"}
_LANG_COLUMN = {"en": 1, "ru": 2, "es": 3, "fr": 4}


def country_name(index: int, language: str) -> str:
    return COUNTRIES[index][_LANG_COLUMN[language]]


@cache
def flag_of(iso2: str) -> str:
    return flag_emoji(iso2)


@cache
def country_flag(index: int) -> str:
    return flag_emoji(COUNTRIES[index][0])


@cache
def country_hashtag(index: int, language: str) -> str:
    """#RussiaEgypt, #РоссияЕгипет, #RusiaEgipto, #RussieÉgypte (CamelCase, as the channels do)."""
    name = country_name(index, language)
    words = re.split(r"[\s\-]+", name)
    joined = "".join(w[:1].upper() + w[1:] for w in words if w)
    return f"#{RUSSIA[language]}{joined}"


# Russian officials who speak in the posts, by language (leader_key, name per language).
SPEAKERS = (
    ("sergey-lavrov", "Sergey Lavrov", "Сергей Лавров", "Serguéi Lavrov", "Sergueï Lavrov"),
    ("vladimir-putin", "Vladimir Putin", "Владимир Путин", "Vladímir Putin", "Vladimir Poutine"),
    ("maria-zakharova", "Maria Zakharova", "Мария Захарова", "María Zajárova", "Maria Zakharova"),
    ("sergey-ryabkov", "Sergey Ryabkov", "Сергей Рябков", "Sergey Ryabkov", "Sergey Ryabkov"),
    (
        "alexander-grushko",
        "Alexander Grushko",
        "Александр Грушко",
        "Alexander Grushko",
        "Alexander Grushko",
    ),
    ("mikhail-galuzin", "Mikhail Galuzin", "Михаил Галузин", "Mikhail Galuzin", "Mikhail Galuzin"),
    ("andrey-rudenko", "Andrey Rudenko", "Андрей Руденко", "Andrey Rudenko", "Andrey Rudenko"),
    (
        "mikhail-mishustin",
        "Mikhail Mishustin",
        "Михаил Мишустин",
        "Mijaíl Mishustin",
        "Mikhaïl Michoustine",
    ),
)
# Zipf-like weights: Lavrov, Putin, Zakharova dominate (22/16/11 mentions in the sample).
SPEAKER_WEIGHTS = (0.34, 0.26, 0.18, 0.06, 0.05, 0.04, 0.04, 0.03)
ZAKHAROVA = 2

# Russian stems in leaders.yaml that are not words by themselves: the spelled-out form to use.
_RU_STEM_FIXES = {
    "Мнангагв": "Мнангагва",
    "Обам": "Обама",
    "Ахундзад": "Ахундзада",
    "Дбейб": "Дбейба",
    "Мединск": "Мединский",
}
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_SPANISH = re.compile(r"[áéíóúñ]")
_FRENCH = re.compile(r"[ïëçèôû]")


def _russian_form(aliases: list[str]) -> str | None:
    cyrillic = [a for a in aliases if _CYRILLIC.search(a)]
    ordered = (
        [a for a in cyrillic if " " in a and "*" not in a]
        + [a for a in cyrillic if " " in a]
        + [a for a in cyrillic if "*" not in a]
        + cyrillic
    )
    if not ordered:
        return None
    form = ordered[0].rstrip("*")
    return _RU_STEM_FIXES.get(form, form)


def _latin_form(name: str, aliases: list[str], accents: re.Pattern) -> str:
    full = [a for a in aliases if " " in a and accents.search(a) and not _CYRILLIC.search(a)]
    return full[0] if full else name


@cache
def foreign_leaders() -> tuple[tuple[str, str, str | None, tuple[str, str, str, str]], ...]:
    """(leader_key, role, country_iso2, names in en/ru/es/fr) of every non-Russian reference
    leader that has a Russian spelling."""
    speakers = {row[0] for row in SPEAKERS}
    found = []
    for row in reference_leaders().iter_rows(named=True):
        if row["country_iso2"] == "RU" or row["leader_key"] in speakers:
            continue
        aliases = [a for a in row["aliases"] if a != row["name"]]
        russian = _russian_form(aliases)
        if russian is None:
            continue
        names = (
            row["name"],
            russian,
            _latin_form(row["name"], aliases, _SPANISH),
            _latin_form(row["name"], aliases, _FRENCH),
        )
        found.append((row["leader_key"], row["role"], row["country_iso2"], names))
    return tuple(found)


_COUNTRY_INDEX = {row[0]: i for i, row in enumerate(COUNTRIES)}


def country_index(iso2: str | None) -> int | None:
    return _COUNTRY_INDEX.get(iso2) if iso2 else None


# Headline templates. {F} flags, {S} Russian speaker, {L} foreign leader, {C} country,
# {D} date, {Z} Zakharova. Keys: "leader" templates name a foreign leader, "country" ones a
# country only, "none" ones nothing matchable.
HEADLINES = {
    "en": {
        "leader": (
            "{F} {S} held talks with {L} ({D})",
            "{F} {S} met with {L} ({D})",
            "{F} Telephone conversation between {S} and {L} ({D})",
            "{F} Russia – {C}: {S} and {L} discussed bilateral cooperation ({D})",
            "{F} {S} and {L} made statements to the press following the talks ({D})",
        ),
        "country": (
            "🎙 Briefing by Foreign Ministry Spokeswoman {Z} ({D})",
            "⚡️ Statement by the Russian Foreign Ministry on the situation in {C}",
            "📰 {S}'s interview with the media of {C} ({D})",
            "📍 The Embassy of Russia in {C} hosted a reception on the occasion of Russia Day",
            "🗓 {D} marks the anniversary of diplomatic relations between Russia and {C}",
            "{F} Russia – {C}: consultations on international security were held in Moscow ({D})",
        ),
        "none": (
            "📄 Consular information: updated rules for submitting visa applications ({D})",
            "⚡️ Comment by the Information and Press Department on statements by Western officials ({D})",
            "🎥 Watch the video of the ceremony ({D})",
        ),
    },
    "ru": {
        "leader": (
            "{F} {S} и {L} провели переговоры ({D})",
            "{F} Встреча: {S} и {L} ({D})",
            "{F} Телефонный разговор: {S} и {L} ({D})",
            "{F} Россия – {C}: {S} и {L} обсудили двустороннее сотрудничество ({D})",
            "{F} {S} и {L} сделали заявления для прессы по итогам переговоров ({D})",
        ),
        "country": (
            "🎙 Брифинг официального представителя МИД России {Z} ({D})",
            "⚡️ Заявление МИД России в связи с ситуацией вокруг страны: {C}",
            "📰 Интервью: {S} ответил на вопросы СМИ, {C} ({D})",
            "📍 Посольство России ({C}) провело приём по случаю Дня России",
            "🗓 {D} – годовщина установления дипломатических отношений. Россия и {C}",
            "{F} Россия – {C}: консультации по вопросам международной безопасности ({D})",
        ),
        "none": (
            "📄 Консульская информация: обновлены правила подачи заявлений на визу ({D})",
            "⚡️ Комментарий Департамента информации и печати по поводу заявлений западных официальных лиц ({D})",
            "🎥 Смотрите видео церемонии ({D})",
        ),
    },
    "es": {
        "leader": (
            "{F} {S} mantuvo conversaciones con {L} ({D})",
            "{F} {S} se reunió con {L} ({D})",
            "{F} Conversación telefónica entre {S} y {L} ({D})",
            "{F} Rusia – {C}: {S} y {L} conversaron sobre la cooperación bilateral ({D})",
            "{F} Declaraciones a la prensa de {S} y {L} tras las conversaciones ({D})",
        ),
        "country": (
            "🎙 Rueda de prensa de la portavoz de la Cancillería rusa, {Z} ({D})",
            "⚡️ Declaración del Ministerio de Asuntos Exteriores de Rusia sobre la situación en {C}",
            "📰 Entrevista de {S} a los medios de {C} ({D})",
            "📍 La Embajada de Rusia en {C} celebró una recepción con motivo del Día de Rusia",
            "🗓 {D}: aniversario del establecimiento de relaciones diplomáticas entre Rusia y {C}",
            "{F} Rusia – {C}: consultas sobre seguridad internacional ({D})",
        ),
        "none": (
            "📄 Información consular: nuevas reglas para presentar solicitudes de visado ({D})",
            "⚡️ Comentario del Departamento de Información y Prensa sobre las declaraciones de funcionarios occidentales ({D})",
            "🎥 Vea el video de la ceremonia ({D})",
        ),
    },
    "fr": {
        "leader": (
            "{F} Entretiens de {S} avec {L} ({D})",
            "{F} {S} a rencontré {L} ({D})",
            "{F} Entretien téléphonique entre {S} et {L} ({D})",
            "{F} Russie – {C} : {S} et {L} ont évoqué la coopération bilatérale ({D})",
            "{F} Déclarations à la presse de {S} et {L} à l'issue des entretiens ({D})",
        ),
        "country": (
            "🎙 Point de presse de la porte-parole de la diplomatie russe, {Z} ({D})",
            "⚡️ Déclaration du ministère russe des Affaires étrangères sur la situation : {C}",
            "📰 Interview de {S} aux médias ({C}, {D})",
            "📍 L'ambassade de Russie ({C}) a organisé une réception à l'occasion de la Journée de la Russie",
            "🗓 Russie – {C} : anniversaire de l'établissement des relations diplomatiques ({D})",
            "{F} Russie – {C} : consultations sur la sécurité internationale ({D})",
        ),
        "none": (
            "📄 Information consulaire : nouvelles règles de dépôt des demandes de visa ({D})",
            "⚡️ Commentaire du Département de l'information et de la presse sur les déclarations de responsables occidentaux ({D})",
            "🎥 Regardez la vidéo de la cérémonie ({D})",
        ),
    },
}

# Body sentences; {C} is a second country, {S} a Russian speaker.
SENTENCES = {
    "en": (
        "The sides discussed the current state and prospects of bilateral relations.",
        "Particular attention was paid to trade, economic and humanitarian cooperation.",
        "The ministers exchanged views on pressing issues of the international and regional agenda.",
        "They reaffirmed their commitment to the principles of the UN Charter in their entirety.",
        "The talks took place in a friendly and constructive atmosphere.",
        "A package of intergovernmental documents was signed following the talks.",
        "The parties agreed to continue close coordination within the BRICS and SCO.",
        "Prospects for implementing joint projects in energy, transport and education were reviewed.",
        "We stand for a political and diplomatic settlement of all disputes.",
        "Attempts to impose unilateral sanctions are illegitimate and counterproductive.",
        "Mutual trade grew by more than 20 percent last year.",
        "The situation in {C} was also discussed.",
        "Russia and {C} share the same approaches to building a multipolar world order.",
        "Contacts with colleagues from {C} will continue at all levels.",
        "Humanitarian aid was delivered to {C} on behalf of the Russian Government.",
    ),
    "ru": (
        "Стороны обсудили текущее состояние и перспективы двусторонних отношений.",
        "Особое внимание было уделено торгово-экономическому и гуманитарному сотрудничеству.",
        "Министры обменялись мнениями по актуальным вопросам международной и региональной повестки дня.",
        "Подтверждена приверженность принципам Устава ООН во всей их совокупности и взаимосвязи.",
        "Переговоры прошли в дружественной и конструктивной атмосфере.",
        "По итогам переговоров подписан пакет межправительственных документов.",
        "Договорились продолжать тесную координацию в рамках БРИКС и ШОС.",
        "Рассмотрены перспективы реализации совместных проектов в энергетике, транспорте и образовании.",
        "Мы выступаем за политико-дипломатическое урегулирование всех споров.",
        "Попытки навязать односторонние санкции нелегитимны и контрпродуктивны.",
        "Взаимный товарооборот в прошлом году вырос более чем на 20 процентов.",
        "Затронута также ситуация в регионе. Страна: {C}.",
        "Россия и {C} придерживаются единых подходов к формированию многополярного миропорядка.",
        "Контакты с коллегами продолжатся на всех уровнях. Партнёр: {C}.",
        "Гуманитарная помощь от имени Правительства России доставлена адресатам. Получатель: {C}.",
    ),
    "es": (
        "Las partes analizaron el estado actual y las perspectivas de las relaciones bilaterales.",
        "Se prestó especial atención a la cooperación comercial, económica y humanitaria.",
        "Los cancilleres intercambiaron opiniones sobre temas candentes de la agenda internacional y regional.",
        "Reafirmaron su compromiso con los principios de la Carta de la ONU en su totalidad.",
        "Las conversaciones transcurrieron en un ambiente amistoso y constructivo.",
        "Tras las conversaciones se firmó un paquete de documentos intergubernamentales.",
        "Las partes acordaron mantener una estrecha coordinación en los BRICS y la OCS.",
        "Se examinaron las perspectivas de proyectos conjuntos en energía, transporte y educación.",
        "Abogamos por un arreglo político y diplomático de todas las controversias.",
        "Los intentos de imponer sanciones unilaterales son ilegítimos y contraproducentes.",
        "El comercio mutuo creció más de un 20 por ciento el año pasado.",
        "También se abordó la situación en {C}.",
        "Rusia y {C} comparten los mismos enfoques para construir un orden mundial multipolar.",
        "Los contactos con los colegas de {C} continuarán a todos los niveles.",
        "Se entregó ayuda humanitaria a {C} en nombre del Gobierno ruso.",
    ),
    "fr": (
        "Les parties ont examiné l'état actuel et les perspectives des relations bilatérales.",
        "Une attention particulière a été accordée à la coopération commerciale, économique et humanitaire.",
        "Les ministres ont échangé leurs vues sur les questions d'actualité de l'agenda international et régional.",
        "Ils ont réaffirmé leur attachement aux principes de la Charte des Nations unies dans leur intégralité.",
        "Les entretiens se sont déroulés dans une atmosphère amicale et constructive.",
        "Un ensemble de documents intergouvernementaux a été signé à l'issue des entretiens.",
        "Les parties sont convenues de poursuivre une étroite coordination au sein des BRICS et de l'OCS.",
        "Les perspectives de projets communs dans l'énergie, les transports et l'éducation ont été examinées.",
        "Nous prônons un règlement politique et diplomatique de tous les différends.",
        "Les tentatives d'imposer des sanctions unilatérales sont illégitimes et contre-productives.",
        "Les échanges commerciaux ont progressé de plus de 20 % l'an dernier.",
        "La situation dans la région a également été abordée ({C}).",
        "La Russie et {C} partagent les mêmes approches de la construction d'un ordre mondial multipolaire.",
        "Les contacts avec les collègues ({C}) se poursuivront à tous les niveaux.",
        "Une aide humanitaire a été livrée au nom du Gouvernement russe ({C}).",
    ),
}
# Sentences of SENTENCES[lang] with a {C} slot start here.
SENTENCES_WITH_COUNTRY_FROM = 11

QUOTES = {
    "en": (
        "We are ready for dialogue on an equal footing, with due regard for each other's interests.",
        "Our relations are not directed against third countries.",
        "The era of Western hegemony is over, whether some like it or not.",
        "We will continue to strengthen our strategic partnership.",
    ),
    "ru": (
        "Мы готовы к диалогу на равноправной основе, с учётом интересов друг друга.",
        "Наши отношения не направлены против третьих стран.",
        "Эпоха западной гегемонии уходит в прошлое, нравится это кому-то или нет.",
        "Мы продолжим укреплять наше стратегическое партнёрство.",
    ),
    "es": (
        "Estamos dispuestos al diálogo en pie de igualdad, teniendo en cuenta los intereses mutuos.",
        "Nuestras relaciones no están dirigidas contra terceros países.",
        "La era de la hegemonía occidental ha terminado, guste o no a algunos.",
        "Seguiremos fortaleciendo nuestra asociación estratégica.",
    ),
    "fr": (
        "Nous sommes prêts au dialogue sur un pied d'égalité, en tenant compte des intérêts de chacun.",
        "Nos relations ne sont dirigées contre aucun pays tiers.",
        "L'ère de l'hégémonie occidentale est révolue, que cela plaise ou non.",
        "Nous continuerons de renforcer notre partenariat stratégique.",
    ),
}

THEME_TAGS = {
    "en": ("#BRICS", "#SCO", "#UN", "#Victory80", "#Diplomacy"),
    "ru": ("#БРИКС", "#ШОС", "#ООН", "#Победа80", "#Дипломатия"),
    "es": ("#BRICS", "#OCS", "#ONU", "#Victoria80", "#Diplomacia"),
    "fr": ("#BRICS", "#OCS", "#ONU", "#Victoire80", "#Diplomatie"),
}
READ_MORE = {"en": "Read more", "ru": "Читать полностью", "es": "Leer más", "fr": "Lire la suite"}
SITE = {
    "en": "https://mid.ru/en/",
    "ru": "https://mid.ru/ru/",
    "es": "https://mid.ru/es/",
    "fr": "https://mid.ru/fr/",
}
FOLLOW = {
    "en": "Follow us in Russian:",
    "ru": "Подписывайтесь на наш канал на английском:",
    "es": "Síganos también en ruso:",
    "fr": "Suivez-nous aussi en russe :",
}
FOLLOW_MENTION = {
    "en": "@MID_Russia",
    "ru": "@mfa_russia",
    "es": "@MID_Russia",
    "fr": "@MID_Russia",
}
MONTHS = {
    "en": ENGLISH_MONTHS,
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "es": (
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
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}


def date_phrase(language: str, year: int, month: int, day: int) -> str:
    name = MONTHS[language][month - 1]
    if language == "en":
        return f"{name} {day}, {year}"
    if language == "ru":
        return f"{day} {name} {year} года"
    if language == "es":
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


# Forward sources: embassy channels (username, title) per language.
FORWARD_SOURCES = {
    "en": (
        ("RusEmbIndia", "Russian Embassy in India 🇷🇺"),
        ("RusEmbPakistan", "Russian Embassy in Pakistan"),
        ("RussiaUN", "Russia at the UN"),
        ("RusEmbUK", "Russian Embassy in the UK"),
    ),
    "ru": (
        ("RusEmbKZ", "Посольство России в Казахстане"),
        ("RusEmbBelarus", "Посольство России в Белоруссии"),
        ("MIDDiplomatic", "Дипломатическая академия МИД России"),
    ),
    "es": (
        ("EmbRusiaEsp", "Embajada de Rusia en España"),
        ("EmbRusiaArg", "Embajada de Rusia en Argentina"),
        ("EmbRusiaCuba", "Embajada de Rusia en Cuba"),
    ),
    "fr": (
        ("AmbRusFrance", "Ambassade de Russie en France"),
        ("AmbRusMali", "Ambassade de Russie au Mali"),
        ("AmbRusAlgerie", "Ambassade de Russie en Algérie"),
    ),
}
AUTHORS = {
    "en": ("Irina Sokolova", "Pavel Orlov", "Anna Belova"),
    "ru": ("Ольга Кравцова", "Дмитрий Соколов", "Елена Морозова"),
    "es": ("Laura Méndez", "Carlos Ruiz", "Ana Torres"),
    "fr": ("Claire Dubois", "Marc Lefèvre", "Sophie Martin"),
}
POLL_QUESTIONS = {
    "en": (
        "Which region should our posts cover more?",
        ("Africa", "Asia", "Latin America", "Middle East"),
    ),
    "ru": (
        "Какому региону уделять больше внимания?",
        ("Африка", "Азия", "Латинская Америка", "Ближний Восток"),
    ),
    "es": (
        "¿Qué región debería recibir más atención?",
        ("África", "Asia", "América Latina", "Oriente Medio"),
    ),
    "fr": (
        "Quelle région devrions-nous couvrir davantage ?",
        ("Afrique", "Asie", "Amérique latine", "Moyen-Orient"),
    ),
}
DOCUMENT_NAMES = (
    "Joint_Statement.pdf",
    "Foreign_Policy_Concept.pdf",
    "Briefing_transcript.pdf",
    "Press_release.docx",
)
REACTION_EMOJI = ("👍", "❤", "🔥", "👏", "🤝", "😁")
# Emoji that open a body paragraph; never a headline's first emoji (see text_copy.py).
QUOTE_MARK = "💬"
