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
