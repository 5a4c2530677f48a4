"""Bead records in every format: round trips, TMX validity, malformed input."""

import json
import xml.etree.ElementTree as ET

import pytest

from mt_toolkit.align.beads import FORMATS, Bead, beads_to_text, parse_beads, read_beads, write_beads
from mt_toolkit.errors import InputError

SRC = ["Der Berg ist hoch.", "Er hat\tzwei Gipfel.", "Schnee & Eis <oben>.", "Ende."]
TGT = ["La montagne est haute.", "Elle a deux sommets.", "Neige et glace.", "En haut.", "Fin."]
BEADS = [
    Bead((0,), (0,), 0.91),
    Bead((1,), (1,), 0.5),
    Bead((2,), (2, 3), 0.25),
    Bead((3,), (), 0.0),
    Bead((), (4,), 0.0),
]
LINKED = [b for b in BEADS if b.src and b.tgt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt, tmp_path):
    path = tmp_path / f"out.{fmt}"
    write_beads(BEADS, path, format=fmt, src_sentences=SRC, tgt_sentences=TGT, src_lang="de", tgt_lang="fr")
    back = read_beads(path)
    expected = LINKED if fmt == "tmx" else BEADS  # TMX keeps translation units only
    assert back == expected


def test_beads_format_is_what_vecalign_writes():
    text = beads_to_text(BEADS[:3] + [Bead((3,), ())])
    assert text.splitlines() == ["[0]:[0]:0.9100", "[1]:[1]:0.5000", "[2]:[2, 3]:0.2500", "[3]:[]"]
    gold = parse_beads("[0, 1]:[2]\n[]:[3]\n\n[4]:[]:0.5\n")
    assert gold == [Bead((0, 1), (2,)), Bead((), (3,)), Bead((4,), (), 0.5)]


def test_jsonl_and_tsv_carry_the_texts():
    records = [json.loads(line) for line in beads_to_text(BEADS, format="jsonl", src_sentences=SRC, tgt_sentences=TGT).splitlines()]
    assert records[2] == {"src": [2], "tgt": [2, 3], "score": 0.25, "src_text": SRC[2], "tgt_text": "Neige et glace. En haut."}
    rows = beads_to_text(BEADS, format="tsv", src_sentences=SRC, tgt_sentences=TGT).splitlines()
    assert rows[0].split("\t") == ["src", "tgt", "score", "src_text", "tgt_text"]
    assert rows[2].split("\t") == ["1", "1", "0.5000", "Er hat zwei Gipfel.", "Elle a deux sommets."]


def test_chinese_sentences_are_joined_without_spaces():
    text = beads_to_text([Bead((0,), (0, 1))], format="jsonl", src_sentences=["One."], tgt_sentences=["一。", "二。"], src_lang="en", tgt_lang="zh")
    assert json.loads(text)["tgt_text"] == "一。二。"


def test_tmx_is_valid_xml_with_languages():
    text = beads_to_text(BEADS, format="tmx", src_sentences=SRC, tgt_sentences=TGT, src_lang="deu_Latn", tgt_lang="French")
    root = ET.fromstring(text)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "de"
    units = root.findall("body/tu")
    assert len(units) == len(LINKED)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in units:
        assert [tuv.get(lang) for tuv in tu.findall("tuv")] == ["de", "fr"]
    assert units[2].findall("tuv")[0].find("seg").text == "Schnee & Eis <oben>."
    assert 'xml:lang="de"' in text


def test_tmx_needs_languages():
    with pytest.raises(InputError, match="languages"):
        beads_to_text(BEADS, format="tmx", src_sentences=SRC, tgt_sentences=TGT)


@pytest.mark.parametrize("fmt, text, message", [
    ("beads", "[0]:[0]\n[1]-[1]\n", "line 2"),
    ("beads", "[0]:[0]:high\n", "score"),
    ("jsonl", '{"src": [0]}\n', "line 1"),
    ("tsv", "src_ids\ttgt_ids\n0,x\t1\n", "line 2"),
    ("tmx", "<tmx><body><tu>", "not valid"),
])
def test_malformed_input_is_an_input_error(fmt, text, message):
    with pytest.raises(InputError, match=message):
        parse_beads(text, format=fmt)


def test_unknown_format():
    with pytest.raises(InputError, match="unknown bead format"):
        beads_to_text(BEADS, format="csv")


def test_one_bead_record_from_ranges_and_margins_stay_out_of_files():
    bead = Bead.from_ranges(2, 4, 5, 5, score=0.0)
    assert bead == Bead((2, 3), (), 0.0) and bead.shape == (2, 0)
    passage = Bead.from_ranges(0, 1, 3, 5, margins=(0.42,))
    assert passage.tgt == (3, 4) and passage.margins == (0.42,)
    assert beads_to_text([passage]) == "[0]:[3, 4]\n"
    assert parse_beads(beads_to_text([Bead((0,), (1,), 0.5, (0.5,))])) == [Bead((0,), (1,), 0.5)]


def test_locate_candidates_order_as_their_figures():
    from mt_toolkit.align.locate import Candidate

    weak, strong = Candidate(0.1, 0.2, 7, 9), Candidate(0.3, 0.25, 1, 2)
    assert sorted([strong, weak], reverse=True) == [strong, weak] and weak.indices == (7, 8)


def test_tmx_says_how_many_insertions_and_deletions_it_leaves_out():
    from mt_toolkit.errors import MtToolkitWarning

    with pytest.warns(MtToolkitWarning, match=r"TMX: 2 of 5 beads are insertions or deletions"):
        beads_to_text(BEADS, format="tmx", src_sentences=SRC, tgt_sentences=TGT, src_lang="de", tgt_lang="fr")


def test_warning_is_one_cli_line(capsys):
    import warnings

    from mt_toolkit.errors import MtToolkitWarning, print_warnings_as_lines

    saved = warnings.showwarning
    try:
        print_warnings_as_lines()
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = warnings.showwarning  # catch_warnings restores it on exit
            warnings.warn("3 sentences were split", MtToolkitWarning, stacklevel=1)
    finally:
        warnings.showwarning = saved
    assert capsys.readouterr().err == "mt-toolkit: warning: 3 sentences were split\n"


def test_warning_lines_are_installed_once(capsys):
    import warnings

    from mt_toolkit.errors import MtToolkitWarning, print_warnings_as_lines

    saved = warnings.showwarning
    try:
        for _ in range(3):  # as three in-process CLI runs do
            print_warnings_as_lines()
        assert warnings.showwarning._mt_toolkit_wraps is saved  # one wrapper, not a chain
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = warnings.showwarning
            warnings.warn("2 beads left out", MtToolkitWarning, stacklevel=1)
    finally:
        warnings.showwarning = saved
    assert capsys.readouterr().err == "mt-toolkit: warning: 2 beads left out\n"
