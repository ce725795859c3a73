"""How match_posts reads titles, speakers and event verbs: one batch of short posts in the
channels' four languages, each test checking one rule a careful reader applies."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from orchestration.entities.match import match_posts

POSTS = {
    "passive_host": "Le président tchadien Mahamat Idriss Déby Itno a été reçu au Kremlin par "
    "Vladimir Poutine.",
    "passive_host_later_en": "Sergey Lavrov held talks with Hakan Fidan in Ankara. On the same "
    "day, the Minister was received by President Recep Tayyip Erdogan.",
    "passive_host_later_es": "Serguéi Lavrov llegó a Ankara. Ese mismo día, fue recibido por el "
    "presidente Recep Tayyip Erdogan.",
    "passive_host_later_fr": "Sergueï Lavrov est arrivé à Ankara. Le même jour, il a été reçu par "
    "le président Recep Tayyip Erdogan.",
    "passive_host_later_ru": "Сергей Лавров прибыл в Анкару. Вечером Министр был принят "
    "Президентом Турции Реджепом Тайипом Эрдоганом.",
    "implicit_subject": "Sergey Lavrov arrived in Pyongyang. In Wonsan, the Minister will hold "
    "talks with DPRK Foreign Minister Choe Son Hui.",
    "colon_criticism": "Maria Zakharova: The US Secretary of State's tour of the Middle East has "
    "changed nothing on the ground.",
    "colon_same_country": "Peskov: Putin will meet Trump in Alaska.",
    "colon_later_line": "Talks in the Kremlin.\n\n💬 President Putin: Our Chinese friends came to "
    "Moscow.",
    "negated": "Ким Ё Чжон заявила, что Ким Чен Ын не намерен вести переговоры с Сеулом.",
    "credentials": "President of the Republic of Guinea Mamadi Doumbouya received the credentials "
    "of the Russian Ambassador in Conakry.",
    "seat_of_power": "The Kremlin said Bankova was not ready for peace.",
    "capital_is_place": "La delegación belarusa llegó a Moscú para las consultas.",
    "capitals_as_actors": "Moscou et Bamako ont signé un accord de coopération.",
    "cyrillic_spelling": "Владимир Путин провёл переговоры с Президентом Узбекистана Шавкатом "
    "Мирзиёевым.",
    "spanish_spelling": "Vladímir Putin se reunió con el presidente del Estado de Palestina, "
    "Mahmud Abás.",
    "envoy": "Спецпосланник президента США Стив Уиткофф прибыл в Москву.",
    "aide_genitive": "Слова помощника Президента России Юрия Ушакова привели журналисты.",
    "possessive_envoy": "The US President's Special Envoy Steve Witkoff arrived in Moscow.",
    "spokesperson_of": "Le porte-parole du président russe, Dmitri Peskov, a déclaré que le "
    "sommet était possible.",
    "office_alone": "El presidente ruso recibió a Steve Witkoff en el Kremlin.",
    "parliament": "Viacheslav Volodin met in Moscow with Chairman of the National Assembly of "
    "Vietnam Tran Thanh Man.",
    "counterpart": "El presidente ruso y su homólogo estadounidense conversaron por teléfono.",
    "plural_signing": "Vladimir Putin and Xi Jinping held talks in the Kremlin.\n\nFollowing the "
    "talks, the leaders signed a Joint Statement.",
    "delegation_heads": "Russian-Turkish talks were held in Ankara on Monday. The Turkish "
    "delegation was headed by Foreign Minister Hakan Fidan, the Russian one by Sergey Lavrov.",
    "side_represented": "Российско-вьетнамские консультации прошли в Ханое. Вьетнамскую сторону "
    "представлял Министр иностранных дел Вьетнама Буй Тхань Шон.",
    "two_heads_of_a_side": "Sergey Lavrov held consultations with the Indian side in Moscow. "
    "Narendra Modi and Subrahmanyam Jaishankar sent their greetings to the participants.",
    "talks_between_both": "Serguéi Lavrov y Wang Yi firmaron un plan de consultas. La firma "
    "siguió a las conversaciones entre ambos cancilleres.",
    "their_talks_signed": "L'accord a été signé par Sergueï Lavrov et Hakan Fidan à l'issue de "
    "leurs entretiens.",
    "interlocutors_discussed": "Состоялся телефонный разговор Сергея Лаврова с Министром "
    "иностранных дел Турции Хаканом Фиданом. Собеседники обсудили ситуацию в Сирии.",
    "sides_discussed": "Sergey Lavrov received the Ambassador of Brazil. The sides discussed "
    "bilateral trade with Argentina.",
    "mandatarios_signed": "Vladímir Putin se reunió en el Kremlin con Luiz Inácio Lula da Silva. "
    "Tras el encuentro, los mandatarios firmaron una declaración.",
    "their_call_reported": "Сергей Лавров и Хакан Фидан договорились продолжить контакты. Об "
    "этом рассказала Мария Захарова по итогам их телефонного разговора.",
    "envoy_of_a_side": "Сергей Лавров принял Посла Сенегала. Посол передал послание Президента "
    "Сенегала Бассиру Диомая Фая.",
    "article_is_no_title_country": "Sergueï Lavrov a rencontré à Moscou le président de la "
    "Commission de l'Union africaine, Mahmoud Ali Youssouf.",
    "deputy_titles": "Sergey Ryabkov met with the Deputy Foreign Minister of Iran. Sergey Lavrov "
    "met with the Deputy Prime Minister of Serbia.",
    "any_minister": "Sergey Shoigu met with Minister of Defence of Niger Salifou Mody.",
    "passive_agent": "Kaja Kallas was accused by Maria Zakharova of sabotaging any peace "
    "initiative.",
    "object_first": "Уиткоффа принял в Кремле Владимир Путин.",
    "feminine_verb": "Мария Захарова обвинила Каю Каллас в срыве мирных инициатив.",
    "intent_english": "Prime Minister of India Narendra Modi will pay an official visit to Russia.",
    "listed_en": "Vladimir Putin held separate talks with Prime Minister of Slovakia Robert Fico "
    "and President of Serbia Aleksandar Vucic.",
    "listed_es": "Vladímir Putin se reunió por separado con el primer ministro de Eslovaquia, "
    "Robert Fico, y con el presidente serbio, Aleksandar Vucic.",
    "listed_fr": "Vladimir Poutine s'est entretenu avec Robert Fico et Aleksandar Vucic.",
    "listed_ru": "Сергей Лавров провёл переговоры с Министром иностранных дел Китая Ван И и с "
    "Министром иностранных дел Турции Хаканом Фиданом.",
    "listed_then_a_verb": "Sergey Lavrov met with Hakan Fidan and conveyed greetings from "
    "President Recep Tayyip Erdogan.",
    "listed_one_side": "Владимир Путин провёл переговоры с Президентом Ирана Масудом Пезешкианом "
    "и Министром иностранных дел Ирана Аббасом Аракчи.",
    "listed_trilateral": "Vladimir Putin held trilateral talks with President of Türkiye Recep "
    "Tayyip Erdogan and President of Iran Masoud Pezeshkian.",
    "intent_spanish": "El canciller ruso, Serguéi Lavrov, sostendrá conversaciones con su homólogo "
    "chino, Wang Yi, en Pekín.",
    "capital_as_object": "Сергей Лавров обвинил Лондон в срыве мирных переговоров.",
    "elected_office": "Vladimir Putin congratulated Karol Nawrocki on his election as President of "
    "Poland.",
    "judging_word": "Maria Zakharova called the remarks of Kaja Kallas absurd.",
    "former_en": "The former US President said that the sanctions do not work.",
    "former_ru": "Экс-премьер Великобритании сорвал переговоры в Стамбуле.",
    "former_es": "El ex primer ministro británico saboteó las negociaciones.",
    "former_fr": "L'ancien Premier ministre britannique a saboté les négociations.",
    "former_named": "Бывший президент США Обама выступил в Берлине.",
    "newly_elected_ru": "Новоизбранный президент Польши принёс присягу.",
    "impersonal_ru": "Бывший президент Грузии Михаил Саакашвили остается в заключении, сообщили"
    " в Тбилиси.",
    "joint_plural_ru": "Сергей Лавров и Ван И заявили в Пекине о единстве подходов.",
    "acronym_question_ru": "Макрон и Лула провели встречу на полях саммита БРИКС? Нет, в Рио"
    " Макрона не было.",
    "colon_circumstance": "💬 М.В.Захарова: После бегства Асада из страны Россия поддерживает"
    " контакты со всеми сирийскими сторонами.",
    "title_then_surname_ru": "Президент Польши Навроцкий принял участие в церемонии.",
    "given_name_sharing_the_surnames_consonants": "Посол России Игорь Громыко вручил "
    "верительные грамоты.",
    "namesake_of_another_country": "Премьер-министр Эфиопии Али Юсуф Хасан посетил Аддис-Абебу.",
    "known_person_of_the_title_country": "Министр иностранных дел Джибути Махмуд Али Юсуф "
    "прибыл в Москву.",
    "joined_titles_ru": "Президент Франции и канцлер Германии провели встречу в Париже.",
    "judging_no_one": "The situation in the region remains absurd.",
    "denial_ru": "Мария Захарова опровергла слухи о том, что Сергей Лавров встретился с Марко "
    "Рубио.",
    "denial_en": "Dmitry Peskov denied that Vladimir Putin had met Donald Trump in Riyadh.",
    "question_heading": "❓ Question: Will Sergey Lavrov hold talks with Wang Yi in Beijing?\n\n"
    "💬 Maria Zakharova: The schedule is being worked out.",
    "naming_ru": "Мария Захарова назвала заявление Лондона пропагандой.",
    "naming_fr": "Sergueï Lavrov a qualifié de constructif le dialogue avec Pékin.",
    "announced_after": "Sergueï Lavrov se rendra à Pyongyang la semaine prochaine, a annoncé le "
    "Kremlin.",
    "dated_visit_to_come": "Сергей Лавров 12-13 октября посетит Социалистическую Республику "
    "Вьетнам с официальным рабочим визитом.",
    "condolences_later": "☎️ Состоялся телефонный разговор Сергея Лаврова с Министром "
    "иностранных дел Турции Хаканом Фиданом.\n\nСергей Лавров выразил соболезнования в связи с "
    "жертвами наводнения.",
    "condolences_to_counterpart": "Vladimir Putin spoke by phone with President of Iran Masoud "
    "Pezeshkian. In the conversation with his Iranian counterpart, Vladimir Putin expressed "
    "condolences over the victims of the earthquake.",
    "condemned_after_condolences": "Sergueï Lavrov a présenté ses condoléances au ministre turc "
    "Hakan Fidan et a condamné les frappes de l'Ukraine.",
    "condemned_before_condolences": "Sergey Lavrov condemned the bombing and sent condolences to "
    "Turkish Foreign Minister Hakan Fidan.",
    "reported_after_long_title": "Лавров и Рубио договорились о новой встрече. Об этом сообщил "
    "пресс-секретарь президента РФ Дмитрий Песков по итогам их телефонного разговора.",
    "interlocutors_after_call": "☎️ Состоялся телефонный разговор Сергея Лаврова с Министром "
    "иностранных дел Египта Бадром Абдель Ати.\n\nСобеседники обсудили ситуацию вокруг иранской "
    "ядерной программы.",
    "sides_after_meeting": "Sergey Lavrov met with Foreign Minister of Egypt Badr Abdelatty. The "
    "sides also discussed the Iranian nuclear programme.",
    "second_speaker": "Sergey Lavrov said the dialogue was useful, and Wang Yi noted the progress "
    "in relations.",
    "noted_after_continue": "Sergey Lavrov said the dialogue would continue, and Wang Yi noted "
    "the progress in relations.",
    "office_after_comma": "Sergueï Lavrov a reçu Marco Rubio, a indiqué la porte-parole de la "
    "diplomatie russe Maria Zakharova.",
    "said_at_the_talks": "Sergey Lavrov called the partnership strong at the talks with Wang Yi "
    "in Moscow.",
    "statement_after_talks": "Press statement by Sergey Lavrov following Russian-Chinese talks "
    "with Wang Yi.",
    "question_mark_es": "¿Se reunirá Serguéi Lavrov con Marco Rubio en Ginebra?",
    "question_then_event": "Will Sergey Lavrov meet Marco Rubio again? Lavrov met Rubio in Moscow.",
    "asked_whether": "Sergey Lavrov was asked whether he would meet Marco Rubio.",
    "particle_li": "Журналисты спросили, посетит ли Сергей Лавров Вашингтон.",
    "will_not_take_place": "The meeting between Sergey Lavrov and Marco Rubio will not take place.",
    "visit_takes_place_later": "Визит Сергея Лаврова в Турцию состоится 14-15 ноября.",
    "visit_due": "Sergey Lavrov is due to visit Türkiye on November 14-15.",
    "quote_dash_speaker": "«Переговоры с Ван И прошли конструктивно», — заявила Мария Захарова.",
    "dash_speaker": "Встреча Лаврова и Рубио пока не планируется — сообщил Дмитрий Песков.",
    "speaker_after_reporters": "Кремль не будет комментировать приговор бывшему президенту "
    "Бразилии Жаиру Болсонару, заявил журналистам Дмитрий Песков.",
    "meeting_deemed_possible": "Встреча Сергея Лаврова и Марко Рубио возможна в ближайшее время.",
    "speaker_closes_the_sentence": "Sergey Lavrov will hold talks with Wang Yi in Beijing, Maria "
    "Zakharova told reporters.",
    "reported_after": "Путин и Си Цзиньпин договорились о встрече. Об этом сообщил помощник "
    "президента Юрий Ушаков по итогам их телефонного разговора.",
    "month_only": "Sergey Lavrov recalled that he had a good meeting with Wang Yi last October.",
    "one_meeting": "Russian-Vietnamese talks (May 10, 2025). The talks we have just had with "
    "Comrade To Lam were useful, Vladimir Putin said. We discussed Russian-Vietnamese "
    "cooperation.",
    "family_name_first": "President Xi received Prime Minister of Japan Ishiba Shigeru.",
    "given_name_case_form": "Владимир Путин направил послание Ибрагиму Траоре.",
    "speaker_far_after": "The Russian Embassy said the new sanctions would not change Moscow's "
    "course, recalling Donald Trump's earlier promises.",
    "intent_in_a_month": "Sergey Lavrov will visit Minsk in October.",
    "intent_to_a_capital": "Министр иностранных дел Таиланда Марис Сангиампонгса прибудет в "
    "Москву с рабочим визитом 12 июня.",
    "readiness_to_meet": "Лукашенко выразил готовность встретиться с Зеленским.",
    "guest_on_a_visit": "Vladimir Putin received President of Mongolia Ukhnaagiin Khurelsukh, "
    "who is in Russia on a state visit.",
    "topic_country": "Sergey Lavrov had a telephone conversation with Wang Yi. The two ministers "
    "also discussed the situation in Afghanistan.",
    "congratulating_present": "МИД России поздравляет народ Вьетнама с Национальным праздником.",
    "congratulating_noun": "El presidente ruso envió una felicitación a Gustavo Petro.",
    "adverb_in_a_french_verb": "La Russie a vivement critiqué la décision de la Pologne.",
    "declined_title_country": "Сергей Шойгу встретился с Секретарём Высшего совета национальной "
    "безопасности Ирана Али Лариджани.",
    "shared_office": "Заместитель Министра иностранных дел России провёл консультации в Каире.",
    "spelling_of_the_text": "Mikhail Mishustin met with Prime Minister of Belarus Alexander "
    "Turchin.",
    "reported_speech": "Sergey Ryabkov told RIA Novosti that the consultations would continue.",
    "second_verb_of_saying": "In an interview with Izvestia, Deputy Foreign Minister Alexander "
    "Grushko said NATO was preparing for a war.",
    "future_host": "Vladimir Poutine recevra au Kremlin le président brésilien Luiz Inácio Lula "
    "da Silva.",
    "acronym_after_title": "Владимир Путин принял Президента ЛНДР Тхонглуна Сисулита.",
    "coordinated_targets": "Maria Zakharova condemned Warsaw and Vilnius for the closure of the "
    "border.",
    "two_letter_name_ends_a_sentence": "Mr. Lavrov met with Wang Yi. Lavrov noted that relations "
    "were at their highest level.",
    "meeting_to_come_in_a_capital": "Sergey Lavrov will take part in a meeting of the CSTO "
    "Council of Foreign Ministers in Minsk.",
    "state_form_before_a_name": "Сергей Лавров провёл переговоры с Министром иностранных дел "
    "Алжирской Народной Демократической Республики Ахмедом Аттафом.",
    "hard_c_and_doubled_letters": "Сергей Лавров встретился с министром иностранных дел Конго "
    "Жан-Клодом Гакосо. Le président égyptien Abdel Fattah al-Sissi a reçu Sergueï Lavrov.",
    "admitted": "Foreign Minister of Hungary Péter Szijjártó admitted that the sanctions had "
    "failed.",
    "spoke_out": "Глава МИД Турции Хакан Фидан высказался за прекращение огня.",
    "pleaded_for": "Le ministre chinois des Affaires étrangères, Wang Yi, a plaidé pour le "
    "dialogue.",
    "flew_to": "Сергей Лавров прилетел в Минск.",
    "expected_on_a_visit": "Le ministre indien des Affaires étrangères, Subrahmanyam Jaishankar, "
    "est attendu à Moscou pour une visite de travail.",
    "trip_and_talks": "Sergey Lavrov will travel to Minsk, where he will hold talks with "
    "Maxim Ryzhenkov.",
    "visit_told_from_a_capital": "The Kremlin said that Vladimir Putin would travel to Beijing.",
    "guest_on_a_visit_after_talks": "Sergey Lavrov held talks with Foreign Minister of Egypt "
    "Badr Abdelatty, who is in Moscow on an official visit.",
    "at_the_invitation_of": "À l'invitation du président Xi Jinping, Vladimir Poutine "
    "effectuera une visite officielle en Chine.",
    "called_a_provocation": "Мария Захарова назвала провокацией заявления Каи Каллас.",
    "hit_out_at": "Sergey Lavrov hit out at Tokyo over the new sanctions.",
    "colon_judging": "💬 Maria Zakharova: The remarks of Polish Foreign Minister Radosław "
    "Sikorski are another example of russophobic hysteria.",
    "colon_judging_a_country": "Zakharova: The Kiev regime's strike on the hospital is a war "
    "crime.",
    "colon_seat_of_power": "⚡️ Кремль: Россия остаётся открытой для диалога.",
    "colon_heading_on": "Peskov on Zelensky's statement: Moscow is open to contacts.",
    "office_after_a_comma": "Sergey Lavrov congratulated Valdrack Jaentschke, Minister of "
    "Foreign Affairs of Nicaragua, on his appointment.",
    "office_after_an_election": "Владимир Путин направил поздравление Думе Боко в связи с "
    "избранием на пост Президента Республики Ботсвана.",
    "long_form_inside_a_title": "Sergey Lavrov was received by the President of the Republic "
    "of Angola.",
    "spoke_of_a_meeting": "Hakan Fidan spoke of a possible meeting between the presidents.",
    "invited_to_visit": "Токаев пригласил российского лидера посетить Астану.",
    "counted_visits": "Sergey Lavrov has visited Beijing more than ten times. Lula visitó Moscú "
    "en varias ocasiones.",
    "listed_after_a_place": "💬 Lavrov: We discussed the situation in Syria, Libya and Sudan.",
    "target_after_the_verb": "Сергей Лавров на встрече с бразильской делегацией осудил действия "
    "Израиля.",
    "person_of_whom": "Kim Yo Jong, sister of Kim Jong Un, condemned Seoul's drills.",
    "place_after_a_preposition": "Sergey Lavrov and Kiev's top diplomat Andrii Sybiha held "
    "talks in Geneva.",
    "russian_subject_after_the_verb": "Делегацию парламента Монголии принял Вячеслав Володин.",
    "title_between_a_title_and_a_country": "El ministro de Asuntos Exteriores de Rusia y su "
    "homólogo de Turquía, Hakan Fidan, celebraron conversaciones.",
    "house_speaker_and_the_pontiff": "US House Speaker Mike Johnson met the Pontiff.",
    "joined_speakers": "Senator Lindsey Graham and US House Speaker Mike Johnson both spoke in "
    "favour of new sanctions.",
    "speaker_after_a_comma": "Владимир Путин не планирует поездку в Вашингтон, заявил Дмитрий "
    "Песков. El presidente Lula no asistirá a la cumbre del G20 en Johannesburgo, informó el "
    "Planalto.",
    "met_at_the_airport": "В аэропорту Владимира Путина встретил Президент Узбекистана Шавкат "
    "Мирзиёев.",
    "clause_of_intent": "Il est prévu que le président du Kirghizistan, Sadyr Japarov, visite "
    "Moscou en mai.",
    "joint_statement": "Россия и Китай подчеркнули важность многополярного мира.",
    "passive_of_saying": "The leaders discussed the initiative of the President of Russia, which "
    "was proposed on May 11.",
    "denied_meeting": "Ninguna reunión entre Vladímir Putin y Donald Trump está prevista.",
    "declined_state_form": "Владимир Путин провёл переговоры с Президентом Республики "
    "Сьерра-Леоне Джулиусом Маада Био.",
    "negated_plan_past_a_comma": "Лукашенко не планирует, во всяком случае в ближайшее время, "
    "переговоры с Зеленским. Marco Rubio no tiene previsto, por ahora, reunirse con Sergey Lavrov.",
    "meeting_held_off": "Встреча Владимира Путина и Реджепа Тайипа Эрдогана может состояться, если "
    "позволит график. A visit of Narendra Modi to Russia is not on the agenda.",
    "possible_meeting": "Hakan Fidan said he could meet Abbas Araghchi if Tehran agreed.",
    "future_passive_host": "Le ministre indien Subrahmanyam Jaishankar se rendra à Moscou, où il "
    "sera reçu par Sergueï Lavrov.",
    "named_after": "Моряки награждены орденом Ушакова. Sailors received the Order of Ushakov.",
    "russian_names_of_small_states": "Послы Коста-Рики, Малави и Сейшельских Островов вручили "
    "копии верительных грамот.",
    "given_names": "Lawmaker Chad Whitmore thanked analyst Georgia Hendricks, who flew Kenya "
    "Airways.",
    "country_before_a_name": "Sergey Lavrov met Minister of Foreign Affairs of Chad Abdoulaye "
    "Sabre Fadoul, India Today reported.",
    "us_state": "Donald Trump's rally in Georgia followed a debate in Savannah, Georgia, and the "
    "Georgia state legislature met the governor of Georgia over Georgia's Senate seats.",
    "us_state_fr": "L'État américain de Géorgie attend l'ouragan.",
    "country_georgia": "Georgia's state border with Russia stays open; a rally in Georgia "
    "drew thousands.",
    "lao_minister_russian": "Посол России вручил Тхонгсавану Фомвихану приглашение. Тхонгсаван "
    "Помвихан его принял.",
    "lao_minister_english": "Thongsavanh Phomvihane thanked the Russian side.",
    "speaker_russian": "Чан Тхань Ман поблагодарил российских парламентариев.",
    "speaker_by_office": "The Chairman of the National Assembly of Vietnam thanked the Russian "
    "deputies.",
    "past_president": "In 1990, George H. W. Bush met Mikhail Gorbachev. Джордж Буш-старший "
    "вспоминал об этом.",
    "years_ago": "20 years ago, on 9 May, Vladimir Putin received George W. Bush in the Kremlin. "
    "30 лет назад Борис Ельцин провёл переговоры с Биллом Клинтоном. Hace 40 años, Mijaíl "
    "Gorbachov se reunió con Ronald Reagan en Ginebra.",
    "recalled_years_ago": "Sergey Lavrov recalled that 20 years ago Vladimir Putin met George W. "
    "Bush.",
    "reporting_clause": "Министр иностранных дел Египта Бадр Абдель Ати посетит Москву. Как "
    "заявил Сергей Рябков, в ходе визита пройдут переговоры с Сергеем Лавровым.",
    "reporting_clause_fr": "Selon Dmitri Peskov, Vladimir Poutine rencontrera Donald Trump.",
    "second_verb_of_a_bare_subject": "Sergey Lavrov arrived in Beijing. The Minister will hold "
    "talks with Chinese Foreign Minister Wang Yi and will be received by President Xi Jinping.",
    "external_affairs_minister": "Sergey Lavrov met with India's External Affairs Minister in "
    "Moscow.",
    "external_affairs_minister_fr": "Sergueï Lavrov a reçu le ministre des Affaires extérieures "
    "de l'Inde.",
    "external_affairs_abbreviated": "EAM held talks with Wang Yi in Beijing.",
    "planned_talks_fr": "Le ministre chinois des Affaires étrangères Wang Yi arrivera à Moscou. "
    "Des entretiens avec Sergueï Lavrov sont prévus.",
    "planned_talks_en": "Chinese Foreign Minister Wang Yi arrived in Moscow. Talks with Sergey "
    "Lavrov are scheduled for Monday.",
    "planned_talks_es": "El canciller chino, Wang Yi, llegó a Moscú. Las conversaciones con "
    "Serguéi Lavrov están previstas para el lunes.",
    "planned_talks_ru": "Предстоят переговоры Сергея Лаврова с Ван И.",
    "planned_after_a_meeting": "Sergey Lavrov met Wang Yi, and further contacts are planned.",
}


@pytest.fixture(scope="module")
def found():
    frame = pl.DataFrame(
        {
            "post_key": list(POSTS),
            "text": list(POSTS.values()),
            "channel": ["mfa_russia"] * len(POSTS),
            "published_at": [dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)] * len(POSTS),
        }
    )
    return match_posts(frame)


def events(found, key: str) -> set[tuple]:
    rows = found.diplomatic_events.filter(pl.col("post_key") == key)
    return {
        (
            r["event_type"],
            r["actor1_leader_key"] or r["actor1_iso2"],
            r["actor2_leader_key"] or r["actor2_iso2"],
        )
        for r in rows.iter_rows(named=True)
    }


def countries(found, key: str) -> set[str]:
    return set(found.country_mentions.filter(pl.col("post_key") == key)["iso2"])


def leaders(found, key: str) -> set[str]:
    return set(found.leader_mentions.filter(pl.col("post_key") == key)["leader_key"])


def test_the_agent_of_a_passive_host_verb_is_the_host(found):
    assert events(found, "passive_host") == {("043", "vladimir-putin", "mahamat-idriss-deby")}


def test_a_passive_hosts_guest_named_in_an_earlier_sentence_is_the_posts_person(found):
    for lang in ("en", "es", "fr", "ru"):
        found_events = events(found, f"passive_host_later_{lang}")
        assert ("043", "recep-tayyip-erdogan", "sergey-lavrov") in found_events, lang


def test_the_post_subject_is_the_implicit_subject_of_a_later_sentence(found):
    assert ("036", "sergey-lavrov", "choe-son-hui") in events(found, "implicit_subject")
    # the acronym ends the first sentence: the visit is not outranked by the intent
    assert ("042", "sergey-lavrov", "KP") in events(found, "implicit_subject")


def test_a_speaker_whose_words_open_with_a_foreign_person_criticises_them(found):
    # (the US Secretary of State on the post's date)
    assert events(found, "colon_criticism") == {("111", "maria-zakharova", "marco-rubio")}
    # words opening with the speaker's compatriot are a statement, and the colon ends a sentence
    assert ("010", "dmitry-peskov", None) in events(found, "colon_same_country")
    assert ("036", "vladimir-putin", "donald-trump") in events(found, "colon_same_country")
    assert ("010", "vladimir-putin", None) in events(found, "colon_later_line")


def test_negated_verbs_and_credential_ceremonies_report_no_event(found):
    assert events(found, "negated") == {("010", "kim-yo-jong", None)}
    assert events(found, "credentials") == set()


def test_a_negated_plan_calls_off_the_meeting_however_far_it_stands(found):
    assert events(found, "negated_plan_past_a_comma") == set()


def test_a_meeting_only_possible_or_denied_after_its_noun_is_none(found):
    assert events(found, "meeting_held_off") == set()
    # (the statement stays once the meeting it spoke of is gone)
    assert events(found, "possible_meeting") == {("010", "hakan-fidan", None)}


def test_a_reception_to_come_is_the_guests_intent_to_meet_the_host(found):
    assert ("036", "subrahmanyam-jaishankar", "sergey-lavrov") in events(
        found, "future_passive_host"
    )
    assert ("036", "sergey-lavrov", "subrahmanyam-jaishankar") not in events(
        found, "future_passive_host"
    )


def test_a_bare_subject_is_the_subject_of_its_sentences_second_verb(found):
    found_events = events(found, "second_verb_of_a_bare_subject")
    assert ("036", "sergey-lavrov", "wang-yi") in found_events
    assert ("036", "sergey-lavrov", "xi-jinping") in found_events
    assert ("036", "wang-yi", "xi-jinping") not in found_events


def test_a_surname_a_thing_is_named_after_is_no_mention_of_the_official(found):
    assert leaders(found, "named_after") == set()


def test_a_country_named_given_name_before_a_surname_is_a_person(found):
    # (Kenya before a word that follows a country's name stays the country)
    assert countries(found, "given_names") == {"KE"}
    assert countries(found, "country_before_a_name") == {"RU", "TD", "IN"}


def test_georgia_the_us_state_is_no_country(found):
    assert countries(found, "us_state") == {"US"}
    assert countries(found, "us_state_fr") == {"US"}
    # a possessive before "state", a rally without a US politician: the country
    assert countries(found, "country_georgia") == {"GE", "RU"}


def test_office_holders_are_one_person_in_every_script_and_spelling(found):
    assert leaders(found, "lao_minister_russian") == {"thongsavanh-phomvihane"}
    assert leaders(found, "lao_minister_english") == {"thongsavanh-phomvihane"}
    assert leaders(found, "speaker_russian") == {"tran-thanh-man"}
    # the office alone names its holder on the post's date
    assert leaders(found, "speaker_by_office") == {"tran-thanh-man"}
    assert leaders(found, "past_president") >= {"george-h-w-bush"}
    assert "george-w-bush" not in leaders(found, "past_president")


def test_small_states_are_found_by_their_russian_names(found):
    mentions = found.country_mentions.filter(pl.col("post_key") == "russian_names_of_small_states")
    assert set(mentions["iso2"]) == {"CR", "MW", "SC"}


def test_countries_alone_as_actors(found):
    assert events(found, "seat_of_power") == {("010", "RU", None)}
    assert events(found, "capital_is_place") == {("042", "BY", "RU")}
    assert events(found, "capitals_as_actors") == {("057", "RU", "ML")}


def test_a_known_person_spelt_another_way_after_a_title_is_that_person(found):
    assert "shavkat-mirziyoyev" in leaders(found, "cyrillic_spelling")
    assert "mahmoud-abbas" in leaders(found, "spanish_spelling")
    assert not {"shavkat-mirzieev", "mahmud-abas"} & (
        leaders(found, "cyrillic_spelling") | leaders(found, "spanish_spelling")
    )


def test_an_office_that_qualifies_another_title_mentions_no_one_but_its_bearer(found):
    assert leaders(found, "envoy") == {"steve-witkoff"}
    assert events(found, "envoy") == {("042", "steve-witkoff", "RU")}
    assert leaders(found, "aide_genitive") == {"yury-ushakov"}
    assert leaders(found, "possessive_envoy") == {"steve-witkoff"}
    assert leaders(found, "spokesperson_of") == {"dmitry-peskov"}
    assert ("010", "dmitry-peskov", None) in events(found, "spokesperson_of")
    # the office alone still names its holder on the post's date
    assert leaders(found, "office_alone") == {"vladimir-putin", "steve-witkoff"}


def test_titles_of_parliaments_counterparts_and_plural_subjects(found):
    assert ("040", "vyacheslav-volodin", "tran-thanh-man") in events(found, "parliament")
    assert events(found, "counterpart") == {("041", "vladimir-putin", "donald-trump")}
    assert ("057", "vladimir-putin", "xi-jinping") in events(found, "plural_signing")


def test_talks_between_delegations_are_between_their_heads(found):
    # (the side a country stands for is the one person of that country the post names)
    assert {frozenset(e[1:]) for e in events(found, "delegation_heads")} == {
        frozenset({"hakan-fidan", "sergey-lavrov"})
    }
    assert events(found, "side_represented") == {("040", "bui-thanh-son", "RU")}
    # (two persons of the side: which one headed it the post does not say)
    assert events(found, "two_heads_of_a_side") == {("040", "sergey-lavrov", "IN")}
    # (an ambassador stands for the side, not the head of state whose message they bring)
    assert events(found, "envoy_of_a_side") == {("043", "sergey-lavrov", "SN")}


def test_the_two_persons_as_a_group_meet_and_sign(found):
    # (talks between them or theirs are a meeting of its own beside their signing)
    assert events(found, "talks_between_both") == {
        ("057", "sergey-lavrov", "wang-yi"),
        ("046", "sergey-lavrov", "wang-yi"),
    }
    assert events(found, "their_talks_signed") == {
        ("057", "sergey-lavrov", "hakan-fidan"),
        ("040", "sergey-lavrov", "hakan-fidan"),
    }
    assert ("057", "vladimir-putin", "luiz-inacio-lula-da-silva") in events(
        found, "mandatarios_signed"
    )
    # (what the sides of a meeting told before discussed is that meeting; a country the
    # discussion is about is no counterpart)
    assert events(found, "interlocutors_discussed") == {("041", "sergey-lavrov", "hakan-fidan")}
    assert events(found, "sides_discussed") == {("043", "sergey-lavrov", "BR")}
    # (their call is the two persons', not the reporter's)
    assert ("041", "sergey-lavrov", "hakan-fidan") in events(found, "their_call_reported")


def test_a_place_before_an_article_is_no_title_country(found):
    assert "vladimir-putin" not in leaders(found, "article_is_no_title_country")


def test_a_deputys_title_names_no_holder_of_the_office_it_contains(found):
    assert leaders(found, "deputy_titles") == {"sergey-ryabkov", "sergey-lavrov"}


def test_a_minister_of_any_portfolio_is_found_by_the_name_after_the_title(found):
    assert "salifou-mody" in leaders(found, "any_minister")
    assert ("040", "sergey-shoigu", "salifou-mody") in events(found, "any_minister")


def test_the_agent_of_a_passive_and_the_subject_after_an_object_first_verb(found):
    assert events(found, "passive_agent") == {("112", "maria-zakharova", "kaja-kallas")}
    assert events(found, "object_first") == {("043", "vladimir-putin", "steve-witkoff")}
    # a feminine verb may follow a feminine nominative ("Захарова"): the order stands
    assert events(found, "feminine_verb") == {("112", "maria-zakharova", "kaja-kallas")}


def test_counterparts_joined_by_and_are_met_each(found):
    for key, kind in (("listed_en", "046"), ("listed_es", "040"), ("listed_fr", "040")):
        assert events(found, key) == {
            (kind, "vladimir-putin", "robert-fico"),
            (kind, "vladimir-putin", "aleksandar-vucic"),
        }, key
    assert events(found, "listed_ru") == {
        ("046", "sergey-lavrov", "wang-yi"),
        ("046", "sergey-lavrov", "hakan-fidan"),
    }
    # ("and" then another verb: the person after it is no counterpart)
    assert events(found, "listed_then_a_verb") == {("040", "sergey-lavrov", "hakan-fidan")}
    # (two of one country are its delegation, the first its head; three parties are no pair)
    assert events(found, "listed_one_side") == {("046", "vladimir-putin", "masoud-pezeshkian")}
    assert ("046", "vladimir-putin", "masoud-pezeshkian") not in events(found, "listed_trilateral")


def test_a_future_before_a_visit_or_talks_is_an_intent_to_meet(found):
    assert events(found, "intent_english") == {("036", "narendra-modi", "RU")}
    assert events(found, "intent_spanish") == {("036", "sergey-lavrov", "wang-yi")}


def test_a_capital_after_a_one_way_verb_stands_for_its_country(found):
    assert events(found, "capital_as_object") == {("112", "sergey-lavrov", "GB")}


def test_an_office_someone_was_elected_to_is_not_its_holders(found):
    assert leaders(found, "elected_office") == {"vladimir-putin", "karol-nawrocki"}


def test_a_former_office_is_not_its_holder_on_the_posts_date(found):
    for lang in ("en", "ru", "es", "fr"):
        assert leaders(found, f"former_{lang}") == set(), lang
    assert leaders(found, "former_named") == {"barack-obama"}
    assert leaders(found, "newly_elected_ru") == set()


def test_they_said_in_a_place_is_no_statement_of_the_sentences_one_person(found):
    assert events(found, "impersonal_ru") == set()
    assert events(found, "joint_plural_ru") == {
        ("010", "sergey-lavrov", None),
        ("010", "wang-yi", None),
    }


def test_a_question_mark_after_an_acronym_ends_a_question(found):
    assert events(found, "acronym_question_ru") == set()


def test_a_colon_speakers_words_opening_with_a_circumstance_criticise_no_one(found):
    assert events(found, "colon_circumstance") == {("010", "maria-zakharova", None)}


def test_a_title_followed_by_someones_surname_is_that_persons_not_the_days_holders(found):
    # (on the posts' date, 2025-06-01, Andrzej Duda was still President of Poland)
    assert leaders(found, "title_then_surname_ru") == {"karol-nawrocki"}


def test_a_known_persons_shorter_name_opening_a_longer_one_of_another_country_is_someone_new(
    found,
):
    # "Али Юсуф" is Mahmoud Ali Youssouf's shorter name; he never served Ethiopia
    assert leaders(found, "namesake_of_another_country") == {"ali-yusuf-khasan"}
    assert leaders(found, "known_person_of_the_title_country") == {"mahmoud-ali-youssouf"}


def test_a_given_name_with_the_surnames_own_consonants_still_contradicts(found):
    # "Игорь" (igor: g r) shares its consonants with "Громыко", not with Andrei
    assert leaders(found, "given_name_sharing_the_surnames_consonants") == set()


def test_a_country_right_after_a_title_is_not_the_next_titles_across_and(found):
    assert leaders(found, "joined_titles_ru") == {"emmanuel-macron", "friedrich-merz"}


def test_a_speaker_named_after_a_verb_of_saying_stands_right_after_it(found):
    assert events(found, "speaker_far_after") == set()


def test_a_given_name_in_a_case_form_is_not_another_persons_surname(found):
    # "Ибрагиму" is Ibrahim Traoré's given name, not Anwar Ibrahim's surname
    assert leaders(found, "given_name_case_form") == {"vladimir-putin", "ibrahim-traore"}


def test_family_names_first_and_names_in_either_order(found):
    assert leaders(found, "family_name_first") == {"xi-jinping", "shigeru-ishiba"}


def test_a_word_that_judges_criticises_whom_the_sentence_names(found):
    assert events(found, "judging_word") == {("111", "maria-zakharova", "kaja-kallas")}
    assert events(found, "judging_no_one") == set()


def test_a_reporting_clause_names_the_source_not_an_actor(found):
    found_events = events(found, "reporting_clause")
    assert ("036", "badr-abdelatty", "sergey-lavrov") in found_events
    assert ("010", "sergey-ryabkov", None) in found_events
    assert not {e for e in found_events if e[0] != "010" and "sergey-ryabkov" in e}
    found_events = events(found, "reporting_clause_fr")
    assert ("036", "vladimir-putin", "donald-trump") in found_events
    assert not {e for e in found_events if e[0] != "010" and "dmitry-peskov" in e}


def test_what_a_speaker_denies_or_a_question_asks_is_no_event(found):
    assert events(found, "denial_ru") == {("010", "maria-zakharova", None)}
    assert events(found, "denial_en") == {("010", "dmitry-peskov", None)}
    asked = events(found, "question_heading")
    assert asked and not {e for e in asked if e[0] != "010"}


def test_a_meeting_asked_about_or_called_off_is_none(found):
    for key in ("question_mark_es", "asked_whether", "particle_li", "will_not_take_place"):
        assert events(found, key) == set(), key
    # (a question's sentence only: the next one reports)
    assert events(found, "question_then_event") == {("040", "sergey-lavrov", "marco-rubio")}


def test_a_speaker_after_a_quote_and_a_dash_speaks(found):
    assert ("010", "maria-zakharova", None) in events(found, "quote_dash_speaker")
    assert events(found, "dash_speaker") == {("010", "dmitry-peskov", None)}
    assert events(found, "speaker_after_reporters") == {("010", "dmitry-peskov", None)}
    assert events(found, "meeting_deemed_possible") == set()


def test_calling_something_a_name_is_a_statement(found):
    assert events(found, "naming_ru") == {("010", "maria-zakharova", None)}
    assert events(found, "naming_fr") == {("010", "sergey-lavrov", None)}


def test_a_statement_said_after_its_report_stands_beside_the_event(found):
    assert events(found, "announced_after") == {("036", "sergey-lavrov", "KP"), ("010", "RU", None)}
    found_events = events(found, "reported_after")
    assert ("010", "yury-ushakov", None) in found_events
    assert not {e for e in found_events if e[0] != "010" and "yury-ushakov" in e}
    # (a title in lower case after the comma's verb opens its speaker's name)
    assert events(found, "office_after_comma") == {
        ("043", "sergey-lavrov", "marco-rubio"),
        ("010", "maria-zakharova", None),
    }
    # (a speaker and their verb that close the sentence, the English order)
    assert events(found, "speaker_closes_the_sentence") == {
        ("036", "sergey-lavrov", "wang-yi"),
        ("010", "maria-zakharova", None),
    }
    # (however long the title between the reporting verb and its source)
    found_events = events(found, "reported_after_long_title")
    assert ("010", "dmitry-peskov", None) in found_events
    assert ("036", "sergey-lavrov", "marco-rubio") in found_events


def test_a_visits_noun_after_a_visit_to_come_is_that_visit_to_come(found):
    assert events(found, "dated_visit_to_come") == {("036", "sergey-lavrov", "VN")}
    # (and a visit that will take place, however far the predicate; one a person is due to make)
    assert events(found, "visit_takes_place_later") == {("036", "sergey-lavrov", "TR")}
    assert events(found, "visit_due") == {("036", "sergey-lavrov", "TR")}


def test_condolences_naming_no_one_go_to_whom_the_sender_spoke_with(found):
    assert ("condolences", "sergey-lavrov", "hakan-fidan") in events(found, "condolences_later")
    found_events = events(found, "condolences_to_counterpart")
    assert ("condolences", "vladimir-putin", "masoud-pezeshkian") in found_events
    assert ("condolences", "vladimir-putin", "IR") not in found_events


def test_a_denunciation_is_of_whom_its_own_clause_names(found):
    assert events(found, "condemned_after_condolences") == {
        ("condolences", "sergey-lavrov", "hakan-fidan"),
        ("111", "sergey-lavrov", "UA"),
    }
    assert events(found, "condemned_before_condolences") == {
        ("condolences", "sergey-lavrov", "hakan-fidan"),
        ("010", "sergey-lavrov", None),
    }


def test_what_the_sides_discussed_is_the_content_of_the_meeting_told_before(found):
    assert events(found, "interlocutors_after_call") == {("041", "sergey-lavrov", "badr-abdelatty")}
    assert events(found, "sides_after_meeting") == {("040", "sergey-lavrov", "badr-abdelatty")}


def test_a_second_speaker_after_and_makes_a_statement_of_their_own(found):
    assert events(found, "second_speaker") == {
        ("010", "sergey-lavrov", None),
        ("010", "wang-yi", None),
    }
    # (words of talks not held, "would continue", deny no verb of saying after them)
    assert ("010", "wang-yi", None) in events(found, "noted_after_continue")


def test_words_said_at_a_meeting_are_a_statement_beside_it(found):
    assert events(found, "said_at_the_talks") == {
        ("046", "sergey-lavrov", "wang-yi"),
        ("010", "sergey-lavrov", None),
    }
    # (or after it)
    assert events(found, "statement_after_talks") == {
        ("046", "sergey-lavrov", "wang-yi"),
        ("010", "sergey-lavrov", None),
    }


def test_an_event_placed_years_back_is_history_not_news(found):
    assert events(found, "years_ago") == set()
    # (the statement that recalls it is of the post's day)
    assert events(found, "recalled_years_ago") == {("010", "sergey-lavrov", None)}


def test_an_event_dated_by_a_month_only_is_not_reported(found):
    # (the speaker's statement stays)
    assert events(found, "month_only") == {("010", "sergey-lavrov", None)}


def test_a_meeting_told_in_several_sentences_is_one_event(found):
    meetings = {(e[0], frozenset(e[1:])) for e in events(found, "one_meeting") if e[0] != "010"}
    assert meetings == {("046", frozenset({"vladimir-putin", "to-lam"}))}


def test_an_intent_is_dated_by_its_post_and_names_its_host_as_a_visit_does(found):
    # (a month names when the visit will be, not a past event: the intent stays)
    assert events(found, "intent_in_a_month") == {("036", "sergey-lavrov", "BY")}
    assert events(found, "intent_to_a_capital") == {("036", "maris-sangiampongsa", "RU")}
    dates = found.diplomatic_events.filter(pl.col("post_key") == "intent_to_a_capital")
    assert dates["event_date"].to_list() == [dt.date(2025, 6, 1)]
    # (a meeting to come in a capital has no host: an organisation's meeting is no event)
    assert events(found, "meeting_to_come_in_a_capital") == set()
    assert events(found, "readiness_to_meet") == {
        ("036", "alexander-lukashenko", "volodymyr-zelensky")
    }


def test_a_hosts_guest_on_a_visit_is_no_visit_of_the_host(found):
    assert events(found, "guest_on_a_visit") == {("043", "vladimir-putin", "ukhnaagiin-khurelsukh")}


def test_a_country_after_a_preposition_of_place_is_a_topic_not_an_actor(found):
    assert events(found, "topic_country") == {("041", "sergey-lavrov", "wang-yi")}


def test_every_form_of_congratulating_and_criticising(found):
    assert events(found, "congratulating_present") == {("congratulations", "RU", "VN")}
    assert events(found, "congratulating_noun") == {
        ("congratulations", "vladimir-putin", "gustavo-petro")
    }
    assert events(found, "adverb_in_a_french_verb") == {("111", "RU", "PL")}


def test_a_states_long_form_opens_no_discovered_name(found):
    assert leaders(found, "state_form_before_a_name") == {"sergey-lavrov", "ahmed-attaf"}


def test_a_name_after_a_declined_title_country_is_found(found):
    # (the title's country "Ирана" is a stem: the title ends inside the word; the name is
    # transliterated from the Cyrillic)
    assert leaders(found, "declined_title_country") == {"sergey-shoigu", "ali-larijani"}


def test_an_office_several_hold_at_once_pins_down_no_one(found):
    assert leaders(found, "shared_office") == set()


def test_a_latin_name_keeps_its_spelling_over_the_office_tables(found):
    # (the office table spells him as Wikidata's label does, "Alexandre Tourchine")
    assert leaders(found, "spelling_of_the_text") == {"mikhail-mishustin", "alexander-turchin"}


def test_a_meeting_in_what_a_speaker_says_is_their_statement(found):
    assert events(found, "reported_speech") == {("010", "sergey-ryabkov", None)}


def test_a_sentence_may_name_its_speaker_at_its_second_verb_of_saying(found):
    assert events(found, "second_verb_of_saying") == {("010", "alexander-grushko", None)}


def test_a_hosts_future_is_an_intent(found):
    assert events(found, "future_host") == {("036", "vladimir-putin", "luiz-inacio-lula-da-silva")}


def test_an_acronym_after_a_title_opens_no_name(found):
    assert leaders(found, "acronym_after_title") == {"vladimir-putin", "thongloun-sisoulith"}


def test_a_one_way_act_aimed_at_joined_countries_is_one_event_each(found):
    assert events(found, "coordinated_targets") == {
        ("111", "maria-zakharova", "PL"),
        ("111", "maria-zakharova", "LT"),
    }


def test_a_two_letter_name_ends_its_sentence(found):
    # (so the meeting does not outrank the next sentence's statement; "Mr." ends none)
    assert events(found, "two_letter_name_ends_a_sentence") == {
        ("040", "sergey-lavrov", "wang-yi"),
        ("010", "sergey-lavrov", None),
    }


def test_a_states_long_form_in_a_russian_case_stands_between_a_title_and_its_country(found):
    # ("Республики" is "республик" in the haystack, which cuts Russian endings; the office
    # table has no Russian name of him, so only the title finds him)
    assert leaders(found, "declined_state_form") == {"vladimir-putin", "julius-maada-bio"}


def test_spellings_agree_on_a_hard_c_and_on_letters_written_once_or_twice(found):
    # ("Клод" is Claude, "Гакосо" Gakosso, "al-Sissi" el-Sisi)
    assert leaders(found, "hard_c_and_doubled_letters") == {
        "sergey-lavrov",
        "jean-claude-gakosso",
        "abdel-fattah-el-sisi",
    }


def test_more_verbs_of_saying_in_the_four_languages(found):
    assert events(found, "admitted") == {("010", "peter-szijjarto", None)}
    assert events(found, "spoke_out") == {("010", "hakan-fidan", None)}
    assert events(found, "pleaded_for") == {("010", "wang-yi", None)}


def test_flying_there_is_a_visit_and_being_expected_there_an_intent(found):
    assert events(found, "flew_to") == {("042", "sergey-lavrov", "BY")}
    assert events(found, "expected_on_a_visit") == {("036", "subrahmanyam-jaishankar", "RU")}


def test_a_visit_to_come_and_talks_to_come_are_two_intents(found):
    # (the visit's host is the country of its place, not the person the sentence names next)
    assert events(found, "trip_and_talks") == {
        ("036", "sergey-lavrov", "BY"),
        ("036", "sergey-lavrov", "maxim-ryzhenkov"),
    }


def test_no_one_visits_their_own_country(found):
    # (the Kremlin is in Moscow, the place of the statement; Beijing is the host's)
    assert events(found, "visit_told_from_a_capital") == {("036", "vladimir-putin", "CN")}
    # the visit the sentence places in the subject's country is the guest's
    assert events(found, "guest_on_a_visit_after_talks") == {
        ("046", "sergey-lavrov", "badr-abdelatty"),
        ("042", "badr-abdelatty", "RU"),
    }


def test_whose_invitation_it_is_names_no_actor(found):
    assert events(found, "at_the_invitation_of") == {("036", "vladimir-putin", "CN")}
    assert "xi-jinping" in leaders(found, "at_the_invitation_of")


def test_what_the_channels_call_the_doings_they_denounce_criticises_them(found):
    assert events(found, "called_a_provocation") == {("111", "maria-zakharova", "kaja-kallas")}
    assert events(found, "hit_out_at") == {("111", "sergey-lavrov", "JP")}


def test_a_colon_speakers_words_that_judge_criticise_whom_they_name(found):
    assert events(found, "colon_judging") == {("111", "maria-zakharova", "radoslaw-sikorski")}
    assert events(found, "colon_judging_a_country") == {("111", "maria-zakharova", "UA")}


def test_a_seat_of_power_or_a_speaker_on_a_subject_opens_a_colon_line(found):
    assert events(found, "colon_seat_of_power") == {("010", "RU", None)}
    # (the statement the heading names is what the speaker speaks of)
    assert events(found, "colon_heading_on") == {("010", "dmitry-peskov", None)}


def test_an_office_after_a_name_is_that_persons(found):
    # (joined by a comma, or by the words of an election; the holder on the post's date is not
    # named)
    assert leaders(found, "office_after_a_comma") == {"sergey-lavrov", "valdrack-jaentschke"}
    assert events(found, "office_after_a_comma") == {
        ("congratulations", "sergey-lavrov", "valdrack-jaentschke")
    }
    assert leaders(found, "office_after_an_election") == {"vladimir-putin", "duma-boko"}
    assert events(found, "office_after_an_election") == {
        ("congratulations", "vladimir-putin", "duma-boko")
    }


def test_a_countrys_long_form_may_begin_inside_its_title(found):
    # ("president of the republic" and "Republic of Angola")
    assert "joao-lourenco" in leaders(found, "long_form_inside_a_title")


def test_a_meeting_no_one_held_does_not_outrank_a_statement(found):
    assert events(found, "spoke_of_a_meeting") == {("010", "hakan-fidan", None)}


def test_the_visit_an_invitation_names_is_no_intent_of_the_inviters(found):
    assert events(found, "invited_to_visit") == {("036", "kassym-jomart-tokayev", "vladimir-putin")}


def test_visits_counted_are_no_event(found):
    assert events(found, "counted_visits") == set()


def test_countries_listed_after_a_preposition_of_place_are_no_actors(found):
    assert events(found, "listed_after_a_place") == {("010", "sergey-lavrov", None)}


def test_a_denunciation_is_aimed_at_the_country_after_its_verb(found):
    found_events = events(found, "target_after_the_verb")
    assert ("111", "sergey-lavrov", "IL") in found_events
    assert ("111", "sergey-lavrov", "BR") not in found_events


def test_a_person_named_after_of_before_the_verb_is_no_actor(found):
    assert events(found, "person_of_whom") == {("111", "kim-yo-jong", "KR")}


def test_a_place_after_a_preposition_is_where_a_meeting_was(found):
    # (not Kiev, which stands for Ukraine: the talks were at a third location)
    assert events(found, "place_after_a_preposition") == {("044", "sergey-lavrov", "andrii-sybiha")}


def test_a_russian_subject_after_its_verb_with_a_country_as_the_other_actor(found):
    assert events(found, "russian_subject_after_the_verb") == {("043", "vyacheslav-volodin", "MN")}


def test_a_country_after_another_title_is_not_the_first_titles(found):
    # (Türkiye is the counterpart's country; the first title is Russia's foreign minister)
    assert "sergey-lavrov" in leaders(found, "title_between_a_title_and_a_country")
    assert events(found, "title_between_a_title_and_a_country") == {
        ("046", "sergey-lavrov", "hakan-fidan")
    }


def test_the_chamber_a_speaker_presides_and_the_pontiff(found):
    assert leaders(found, "house_speaker_and_the_pontiff") == {"mike-johnson", "pope-leo-xiv"}


def test_speakers_joined_by_and_make_a_statement_each(found):
    assert events(found, "joined_speakers") == {
        ("010", "lindsey-graham", None),
        ("010", "mike-johnson", None),
    }


def test_a_verb_of_saying_after_a_comma_is_the_speakers_who_follows_it(found):
    # (a person, else a seat of power: whoever the words before it name)
    assert events(found, "speaker_after_a_comma") == {
        ("010", "dmitry-peskov", None),
        ("010", "BR", None),
    }


def test_meeting_someone_at_the_airport_is_hosting_them(found):
    # (object first: the host is the subject after the verb)
    assert events(found, "met_at_the_airport") == {("043", "shavkat-mirziyoyev", "vladimir-putin")}


def test_a_clause_of_intent_makes_what_its_sentence_says_next_a_plan(found):
    assert events(found, "clause_of_intent") == {("036", "sadyr-japarov", "RU")}


def test_two_countries_joined_by_and_speak_together_not_one_of_them(found):
    assert events(found, "joint_statement") == set()


def test_the_passive_of_a_verb_of_saying_names_no_speaker(found):
    assert events(found, "passive_of_saying") == set()


def test_a_determiner_that_denies_a_meeting_reports_none(found):
    assert events(found, "denied_meeting") == set()


def test_indias_external_affairs_minister_is_its_foreign_minister(found):
    # (the holder on the post's date, also under the title's abbreviation)
    assert events(found, "external_affairs_minister") == {
        ("040", "sergey-lavrov", "subrahmanyam-jaishankar")
    }
    assert "subrahmanyam-jaishankar" in leaders(found, "external_affairs_minister_fr")
    assert events(found, "external_affairs_abbreviated") == {
        ("046", "subrahmanyam-jaishankar", "wang-yi")
    }


def test_talks_said_to_be_planned_are_an_intent_to_meet(found):
    for key in ("planned_talks_fr", "planned_talks_en", "planned_talks_es"):
        assert ("036", "wang-yi", "sergey-lavrov") in events(found, key), key
        assert not {e for e in events(found, key) if e[0] in {"040", "046"}}, key
    assert events(found, "planned_talks_ru") == {("036", "sergey-lavrov", "wang-yi")}
    # (a meeting its subject held stays one, though more are planned after it)
    assert events(found, "planned_after_a_meeting") == {("040", "sergey-lavrov", "wang-yi")}


def _read(texts: dict[str, str]):
    frame = pl.DataFrame(
        {
            "post_key": list(texts),
            "text": list(texts.values()),
            "channel": ["mfa_russia"] * len(texts),
            "published_at": [dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)] * len(texts),
        }
    )
    return match_posts(frame)


def test_a_seat_of_powers_head_and_spokesperson_are_its_office_holders():
    found = _read(
        {
            "en": "The Kremlin chief received the Hungarian Prime Minister on Friday.",
            "ru": "Глава Кремля провёл телефонный разговор с президентом Египта.",
            "es": "El jefe del Kremlin se reunió con el primer ministro indio.",
            "fr": "Le chef du Kremlin a reçu le président de l'Ouzbékistan.",
            "spokesman_en": "The Kremlin spokesman told reporters that no date had been set.",
            "spokesman_fr": "Le porte-parole de la présidence russe a démenti ces informations.",
            "spokesman_ru": "Пресс-секретарь Президента России ответил на вопросы журналистов.",
            "chief_of_staff": "The Kremlin chief of staff met the delegation.",
        }
    )
    for key in ("en", "ru", "es", "fr"):
        assert "vladimir-putin" in leaders(found, key), key
    for key in ("spokesman_en", "spokesman_fr", "spokesman_ru"):
        assert leaders(found, key) == {"dmitry-peskov"}, key
    # (a chief of staff serves the head; the head is not mentioned)
    assert leaders(found, "chief_of_staff") == set()


def test_a_country_before_its_own_title_is_not_an_earlier_titles():
    found = _read(
        {
            "en": "The Russian President and the French President spoke by phone.",
            "es": "El presidente ruso y el presidente francés hablaron por teléfono.",
        }
    )
    for key in ("en", "es"):
        assert leaders(found, key) == {"vladimir-putin", "emmanuel-macron"}, key
        calls = {(e[0], frozenset(e[1:])) for e in events(found, key)}
        assert calls == {("041", frozenset({"vladimir-putin", "emmanuel-macron"}))}, key


def test_heads_of_government_and_seats_of_power_named_without_a_name():
    found = _read(
        {
            "ru": "Глава правительства Индии провёл переговоры с Сергеем Лавровым.",
            "fr": "Le chef du gouvernement indien a reçu Sergueï Lavrov.",
            "elysee_fr": "Le locataire de l'Élysée a reçu Sergueï Lavrov.",
            "elysee_ru": "Хозяин Елисейского дворца принял Сергея Лаврова.",
        }
    )
    for key in ("ru", "fr"):
        assert leaders(found, key) == {"narendra-modi", "sergey-lavrov"}, key
    for key in ("elysee_fr", "elysee_ru"):
        assert leaders(found, key) == {"emmanuel-macron", "sergey-lavrov"}, key


def test_speakers_joined_by_and_after_a_stemmed_surname_speak_each():
    found = _read({"ru": "Лавров и Захарова заявили, что контакты продолжатся."})
    assert events(found, "ru") == {("010", "sergey-lavrov", None), ("010", "maria-zakharova", None)}
