"""Russian case forms against the reference: a full name whose surname ends in -ей in every
case, and a country whose stem would take an unrelated word."""

from __future__ import annotations

import datetime as dt

import polars as pl

from orchestration.entities.match import match_posts


def _found(texts: list[str]):
    posts = pl.DataFrame({"post_key": [str(i) for i in range(len(texts))], "text": texts})
    return match_posts(posts)


def _by_post(frame: pl.DataFrame, column: str) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in frame.group_by("post_key").agg(column).rows()}


def test_a_full_name_ending_in_ei_is_the_listed_person_in_every_case():
    found = _found(
        [
            "Хавьер Милей прибыл в Москву.",
            "Сергей Лавров провёл переговоры с президентом Аргентины Хавьером Милеем.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["javier-milei"]
    assert leaders["1"] == ["javier-milei", "sergey-lavrov"]
    # (not a person on no list, named by the stem "Миле")
    assert found.discovered.height == 0


def test_qatar_in_its_cases_but_not_a_given_name_that_begins_like_it():
    found = _found(
        [
            "Катарина Бок выступила на концерте в Москве.",
            "Лавров заявил о сотрудничестве с Катаром.",
            "Лавров побывал в Катаре.",
        ]
    )
    countries = _by_post(found.country_mentions, "iso2")
    assert "QA" not in countries.get("0", [])
    assert "QA" in countries["1"]
    assert "QA" in countries["2"]


def _dated(
    texts: list[str],
    published_at: list[dt.datetime] | None = None,
    channel: str = "MID_Russia",
):
    """The texts as posts of one channel, published on 2025-05-10 unless dated otherwise."""
    posts = pl.DataFrame(
        {
            "post_key": [str(i) for i in range(len(texts))],
            "text": texts,
            "channel": [channel] * len(texts),
            "published_at": published_at
            or [dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)] * len(texts),
        }
    )
    return match_posts(posts)


def test_initials_before_a_surname_are_the_persons_own_in_any_spacing_and_case():
    found = _dated(
        [
            "Переговоры провели С.В.Лавров и М.Рубио.",
            "Делегацию возглавлял А. Ю. Руденко.",
            "Письмо Ф.Рузвельта и У.Черчилля хранится в архиве.",
            "Г.Бердымухамедов прибыл в Ашхабад.",
            "С.Бердымухамедов прибыл в Ашхабад.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["marco-rubio", "sergey-lavrov"]
    assert leaders["1"] == ["andrey-rudenko"]
    assert leaders["2"] == ["franklin-d-roosevelt", "winston-churchill"]
    # (a surname two leaders share: the initial says which)
    assert leaders["3"] == ["gurbanguly-berdimuhamedov"]
    assert leaders["4"] == ["serdar-berdimuhamedov"]


def test_a_country_before_a_surname_is_no_given_name():
    found = _dated(
        [
            "Госсекретарь США Рубио прибыл в Эр-Рияд.",
            "Заместитель Министра иностранных дел России Руденко принял посла.",
            "Государственный секретарь США провёл переговоры с Министром иностранных дел России.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["marco-rubio"]
    assert leaders["1"] == ["andrey-rudenko"]
    # (the Russian title of the US Secretary of State, without a name)
    assert leaders["2"] == ["marco-rubio", "sergey-lavrov"]


def test_a_surname_that_ends_a_place_name_is_no_mention_of_the_person():
    found = _dated(
        [
            "A fire broke out at the oil terminal in Bandar Abbas on Monday.",
            "Пожар на нефтяном терминале в Бандар-Аббасе потушен.",
            "Пожар в Бандар-Аббасе потушен, сообщил Аббас.",
            "В Ялте Сталин принял Черчилля.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert "0" not in leaders
    assert "1" not in leaders
    # (the surname alone later on is the person; a place before the surname is still a place)
    assert leaders["2"] == ["mahmoud-abbas"]
    assert leaders["3"] == ["joseph-stalin", "winston-churchill"]


def test_a_leaders_surname_that_opens_someone_elses_name_is_no_mention():
    found = _dated(
        [
            "Картину Ван Гога показали в Эрмитаже.",
            "Карл Маркс писал о Лондоне.",
            "Вечер памяти Хасана Рухани прошёл в Тегеране.",
            # (the person's own given name after the surname, and a list of surnames)
            "Путин Владимир Владимирович подписал указ.",
            "Лавров, Захарова и Песков прокомментировали визит.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert "0" not in leaders
    assert "1" not in leaders
    # (Hassan Rouhani himself, named in full: "Хасана" names no Hasan of the table)
    assert leaders["2"] == ["hassan-rouhani"]
    assert leaders["3"] == ["vladimir-putin"]
    assert leaders["4"] == ["dmitry-peskov", "maria-zakharova", "sergey-lavrov"]


def test_function_words_and_place_names_are_no_leaders_surnames():
    found = _dated(
        [
            "То, что случилось, не меняет позиции Москвы.",
            "To this end, the sides agreed on a roadmap.",
            "Sergueï Lavrov a reçu Wang Yi. Son homologue a remercié la partie russe.",
            "The consulate in San Francisco reopened.",
            # (the full names still match)
            "Генеральный секретарь ЦК КПВ То Лам принял делегацию.",
            "Sergueï Lavrov a rencontré Bui Thanh Son.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert "0" not in leaders
    assert "1" not in leaders
    assert leaders["2"] == ["sergey-lavrov", "wang-yi"]
    assert "3" not in leaders
    assert leaders["4"] == ["to-lam"]
    assert leaders["5"] == ["bui-thanh-son", "sergey-lavrov"]


def test_a_russian_title_split_by_its_countrys_adjective_is_the_office():
    found = _dated(
        [
            "Глава российского государства провёл совещание.",
            "Глава турецкого МИД прибыл в Москву.",
            "Руководитель российского внешнеполитического ведомства выступил на форуме.",
            # (a deputy's, a department's or a delegation's head is none of them)
            "Заместитель главы российского МИД выступил на форуме.",
            "Глава департамента российского МИД выступил на форуме.",
            "Глава российской делегации выступил на форуме.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["vladimir-putin"]
    assert leaders["1"] == ["hakan-fidan"]
    assert leaders["2"] == ["sergey-lavrov"]
    for key in ("3", "4", "5"):
        assert key not in leaders, key


def test_a_dynastys_name_after_a_full_name_ends_that_name():
    texts = [
        "Sergey Lavrov met Faisal bin Farhan Al Saud in Riyadh.",
        # (later in the channel: Al Saud here is no mention of the minister named before)
        "Vladimir Putin spoke by phone with Mohammed bin Salman Al Saud.",
        "Сергей Лавров встретился с Фейсалом бен Фарханом Аль Саудом.",
    ]
    posts = pl.DataFrame(
        {
            "post_key": [str(i) for i in range(len(texts))],
            "text": texts,
            "channel": ["mfa_russia"] * len(texts),
            "published_at": [dt.datetime(2025, 5, 10 + i, 9, tzinfo=dt.UTC) for i in range(3)],
        }
    )
    leaders = _by_post(match_posts(posts).leader_mentions, "leader_key")
    assert leaders["0"] == ["faisal-bin-farhan", "sergey-lavrov"]
    assert leaders["1"] == ["mohammed-bin-salman", "vladimir-putin"]
    assert leaders["2"] == ["faisal-bin-farhan", "sergey-lavrov"]


def test_a_square_or_an_embankment_named_after_a_leader_is_no_mention():
    found = _dated(
        [
            "Митинг прошёл на площади Ленина.",
            "Делегация прошла по набережной Черчилля к посольству.",
            "Ленин и Черчилль не встречались.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert "0" not in leaders
    assert "1" not in leaders
    assert leaders["2"] == ["vladimir-lenin", "winston-churchill"]


def test_a_word_that_is_no_case_form_of_the_surname_names_nobody():
    found = _dated(
        [
            "Мода на российское образование растёт в Африке.",
            "Дары волхвов доставили в Москву.",
            "Касса взаимопомощи отметила юбилей.",
            "Таня и Коля победили в конкурсе переводчиков.",
            "Нина Смирнова передала архив в музей.",
            # the same surnames, in the forms Russian gives them
            "Моди заявил, что Индия продолжит закупать нефть.",
            "После бегства Асада Россия поддерживает контакты с сирийскими сторонами.",
            "Путина и Макрона ждут на саммите.",
            "Зеленского раскритиковали в Брюсселе.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert all(str(i) not in leaders for i in range(5)), leaders
    assert leaders["5"] == ["narendra-modi"]
    assert leaders["6"] == ["bashar-al-assad"]
    assert leaders["7"] == ["emmanuel-macron", "vladimir-putin"]
    assert leaders["8"] == ["volodymyr-zelensky"]


def test_a_channel_that_named_the_person_does_not_make_another_word_their_surname():
    found = _dated(
        [
            "Президент России Владимир Путин провёл переговоры с Премьер-министром Индии"
            " Нарендрой Моди.",
            "Мода на российское образование растёт в Индии.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert "narendra-modi" in leaders["0"]
    assert "1" not in leaders


def test_the_arabic_article_before_a_sun_letter_is_part_of_the_name():
    found = _dated(
        [
            "Премьер-министр Ирака Мухаммед Шиа ас-Судани встретился с Владимиром Путиным.",
            "Министр иностранных дел Бахрейна Абдель Латиф аз-Зайяни прибыл в Москву.",
            "Президент Египта Абдель Фаттах ас-Сиси призвал к прекращению огня.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["mohammed-shia-al-sudani", "vladimir-putin"]
    assert leaders["1"] == ["abdullatif-bin-rashid-al-zayani"]
    assert leaders["2"] == ["abdel-fattah-el-sisi"]


def test_a_question_line_read_as_a_heading_does_not_break_the_batch():
    """A colon after a line's first words makes them a heading, whose speaker's pattern may end
    inside the doubled spaces or not: reading on from there once raised invalid UTF-8."""
    found = _dated(
        [
            "Макрон и Лула обсудили повестку на полях саммита БРИКС? Нет: Макрона в Рио не"
            " было, уточнили в Елисейском дворце."
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["emmanuel-macron", "luiz-inacio-lula-da-silva"]


def test_a_family_name_after_a_fathers_name_is_no_one_elses_surname():
    found = _dated(
        [
            "Президент ОАЭ шейх Мухаммед бен Зайед Аль Нахайян прибыл в Москву.",
            "Министр иностранных дел ОАЭ Абдалла бен Заид Аль Нахайян прибыл в Москву.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    # (however "Zayed" is spelt, "Аль Нахайян" is not Abdullah bin Zayed's alone)
    assert leaders["0"] == ["mohamed-bin-zayed"]
    assert leaders["1"] == ["abdullah-bin-zayed"]


def test_a_russian_spelling_no_table_writes_links_to_the_office_holder_it_transliterates():
    """ "Хименэс" is in no name table; its sounds are Trinidad Jiménez's, Spain's foreign
    minister that day (a Spanish "j" is a Russian "х"), not someone new."""
    found = _dated(
        ["Министр иностранных дел Испании Тринидад Хименэс провела переговоры с Сергеем Лавровым."],
        [dt.datetime(2011, 1, 10, 9, tzinfo=dt.UTC)],
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["sergey-lavrov", "trinidad-jimenez"]
    assert found.discovered.height == 0


def test_a_person_on_no_list_keeps_one_key_across_scripts_whatever_the_hissing_letters():
    """ "Лучич" and "Lucic" differ in the strict skeleton ("ch" against "c"): the same person
    of the same country, keyed by the Latin spelling."""
    found = _dated(
        [
            "Deputy Minister of Foreign Affairs of Croatia Zdenko Lucic held consultations in"
            " Moscow.",
            "Заместитель Министра иностранных дел Хорватии Зденко Лучич провёл консультации в"
            " Москве.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders == {"0": ["zdenko-lucic"], "1": ["zdenko-lucic"]}


def test_a_spanish_second_surname_names_no_one_alone():
    """ "Roberto Álvarez Gil" is Roberto Álvarez: "Gil", a surname later in the channel, is
    Yván Gil, whom the channel named just before, not the Dominican minister."""
    found = _dated(
        [
            "El canciller dominicano, Roberto Álvarez Gil, llegó a Moscú.",
            "El canciller venezolano, Yván Gil, denunció el despliegue de buques.",
            "Gil afirmó que Caracas no cederá ante las presiones.",
        ],
        [dt.datetime(2025, 8, 29, h, tzinfo=dt.UTC) for h in (8, 9, 10)],
        channel="MAERusia",
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["roberto-alvarez"]
    assert leaders["2"] == ["yvan-gil"]


def test_offices_dated_in_the_past_chairs_and_articles_name_no_one_of_today():
    found = _dated(
        [
            # years of a term after the title: a past office, not today's holder's
            "Юбилей Евгения Примакова – Министра иностранных дел России (1996–1998).",
            # "Председатель Республики Куба" is Cuba's head of state, not its speaker
            "Путин поздравил Председателя Республики Куба.",
            # an Arabic article before "Ахмед": an Arabic family's name, not Abiy Ahmed's
            "Путин поздравил шейха Мишаалю аль-Ахмеду.",
            "Министр иностранных дел России прибыл в Минск.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["yevgeny-primakov"]
    assert leaders["1"] == ["vladimir-putin"]
    assert leaders["2"] == ["vladimir-putin"]
    assert leaders["3"] == ["sergey-lavrov"]


def test_two_titles_side_by_side_share_the_country_a_place_before_them_is_not_theirs():
    found = _dated(
        [
            "Путин принял в Кремле Премьер-министра, Министра иностранных дел Государства Катар.",
            "Путин принял в Кремле Премьер-министра Индии.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["mohammed-bin-abdulrahman-al-thani", "vladimir-putin"]
    assert leaders["1"] == ["narendra-modi", "vladimir-putin"]
