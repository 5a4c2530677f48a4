"""Over-long sentences: split within the model's limit, pieces translated, translations joined."""

from __future__ import annotations

import re

import pytest

from mt_toolkit.errors import MtToolkitWarning
from mt_toolkit.translate.base import DecodingOptions
from mt_toolkit.translate.long_input import split_text

FAST = DecodingOptions(beam_size=1, max_length=3)


def words(pieces: list[str]) -> list[int]:
    """A stand-in tokenizer: one token per word (CJK: per character)."""
    return [len(re.findall(r"[\u4e00-\u9fff]|[^\s\u4e00-\u9fff]+", p)) for p in pieces]


def test_clause_punctuation_first_then_commas_then_spaces():
    text = "a b c; d e f g, h i j k l m n"
    assert split_text(text, 4, words) == ["a b c;", "d e f g,", "h i j k", "l m n"]


def test_text_without_spaces_is_cut_by_characters_and_nothing_is_lost():
    text = "我们" * 30 + "，" + "他们" * 5
    pieces = split_text(text, 16, words)
    assert all(n <= 16 for n in words(pieces)) and "".join(pieces) == text


def test_pieces_fit_and_rebuild_the_text():
    text = ", ".join(f"item {k} of the list; see also {k}" for k in range(200))
    pieces = split_text(text, 50, words)
    assert all(n <= 50 for n in words(pieces))
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


LONG = "kami siap berangkat ke kota besar hari ini bersama keluarga, " * 120  # ~1400 words, no full stop


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_over_long_sentence_is_split_translated_and_joined_on_both_backends(tiny_models, backend):
    if backend == "ct2":
        pytest.importorskip("ctranslate2")
    from mt_toolkit.translate.engine import load_translator, translate_sentences

    translator = load_translator(str(tiny_models["marian"]), backend=backend, device="cpu")
    assert translator.max_source_tokens == 512  # the tiny Marian's max_position_embeddings
    assert translator.count_tokens([LONG])[0] > 512
    with pytest.warns(MtToolkitWarning, match=r"1 sentence longer than the model's 512-token limit was split into \d+ pieces"):
        [long, short] = translate_sentences([LONG, "Kami siap."], src_lang="id", tgt_lang="en",
                                            model=str(tiny_models["marian"]), backend=backend, device="cpu", options=FAST)
    # each piece gave up to 3 tokens of (random) output: the joined text is far longer than one piece's
    assert len(long.text.split()) > 3 and short.text
    assert long.hops[0].source == LONG
