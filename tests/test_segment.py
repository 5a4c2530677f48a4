from mt_toolkit.text.segment import segment_document, sentence_joiner, split_sentences


def test_indonesian_sentences_and_abbreviations():
    text = 'Presiden berkata, "Kami siap." Dia tiba pada 2 Juli. Dr. Budi ikut.'
    assert split_sentences(text, "id") == ['Presiden berkata, "Kami siap."', "Dia tiba pada 2 Juli.", "Dr. Budi ikut."]


def test_chinese_full_stops_and_closing_quotes():
    text = "他说：“我们准备好了。”然后离开了。真的吗？是的！"
    assert split_sentences(text, "zh") == ["他说：“我们准备好了。”", "然后离开了。", "真的吗？", "是的！"]


def test_russian_guillemets_stay_with_their_sentence():
    assert split_sentences("Он сказал: «Мы готовы». Потом ушёл.", "ru") == ["Он сказал: «Мы готовы».", "Потом ушёл."]


def test_document_keeps_paragraphs_and_blank_lines():
    doc = segment_document("One. Two.\n\nThree.\n", "en")
    assert [p.sentences for p in doc.paragraphs] == [("One.", "Two."), (), ("Three.",)]
    assert doc.rebuild(["1.", "2.", "3."]) == ["1. 2.", "", "3."]


def test_presegmented_input_is_not_split():
    doc = segment_document("One. Two.\nThree.", "en", segment=False)
    assert doc.sentences == ["One. Two.", "Three."]


def test_joiner_depends_on_target_script():
    assert sentence_joiner("zh") == "" and sentence_joiner("en") == " "


def test_joiner_for_an_unknown_language_is_a_space():
    assert sentence_joiner(None) == " " and sentence_joiner("ja") == ""


# Hand-written cases for the boundaries sentencex alone misses (issue 14) and the ones it must not add.


def test_chinese_full_stop_before_digit_latin_word_or_opening_quote():
    text = "会议在上午结束。10点以后，代表们离开了。OpenAI公司也发表了声明。“我们很满意，”她说。"
    assert split_sentences(text, "zh") == [
        "会议在上午结束。",
        "10点以后，代表们离开了。",
        "OpenAI公司也发表了声明。",
        "“我们很满意，”她说。",
    ]


def test_chinese_decimal_with_ascii_point_is_not_a_boundary():
    assert split_sentences("预算增加了2.75亿元。第二年又增加了。", "zh") == ["预算增加了2.75亿元。", "第二年又增加了。"]


def test_closing_straight_quote_then_opening_one():
    text = 'The mayor said, "The bridge is closed." "It will reopen in May," she added.'
    assert split_sentences(text, "en") == ['The mayor said, "The bridge is closed."', '"It will reopen in May," she added.']


def test_sentences_inside_a_long_quotation_are_split():
    text = 'Ia berkata, "Jembatan ditutup. Perbaikan dimulai besok. Kami minta maaf." Warga kecewa.'
    assert split_sentences(text, "id") == [
        'Ia berkata, "Jembatan ditutup.',
        "Perbaikan dimulai besok.",
        'Kami minta maaf."',
        "Warga kecewa.",
    ]


def test_unclosed_quotation_does_not_swallow_the_rest_of_the_paragraph():
    text = 'He wrote: "the river rose overnight. Farmers moved their cattle. Roads closed at noon.'
    assert len(split_sentences(text, "en")) == 3


def test_no_cut_before_a_lowercase_word_after_a_quoted_question():
    assert split_sentences('"Where is the ferry?" he asked. Nobody knew.', "en") == [
        '"Where is the ferry?" he asked.',
        "Nobody knew.",
    ]


def test_abbreviations_and_decimals_are_not_split():
    assert split_sentences("Prices rose 4.5 per cent in the U.S. last year. Mr. Lee disagreed.", "en") == [
        "Prices rose 4.5 per cent in the U.S. last year.",
        "Mr. Lee disagreed.",
    ]
    assert split_sentences("Tarif naik 2,5 persen. Pak. Hadi tiba pk. 09.15 di Jl. Merdeka.", "id") == [
        "Tarif naik 2,5 persen.",
        "Pak. Hadi tiba pk. 09.15 di Jl. Merdeka.",
    ]
    assert split_sentences("Цена выросла на 3,2 %, т.е. заметно. Он ушёл.", "ru") == ["Цена выросла на 3,2 %, т.е. заметно.", "Он ушёл."]


def test_guillemets_and_corner_brackets_close_their_sentence():
    assert split_sentences("Он сказал: «Всё готово.» Затем ушёл.", "ru") == ["Он сказал: «Всё готово.»", "Затем ушёл."]
    assert split_sentences("她说：「准备好了。」2点出发。", "zh") == ["她说：「准备好了。」", "2点出发。"]
