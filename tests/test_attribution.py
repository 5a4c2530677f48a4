"""Source attribution by evidence of descent, the inferred derivation tree and "changed at".

The case is the one surface similarity gets wrong: an official English text (already in the pivot
language, so compared without translation noise), a Russian wire made from it that changes a
figure, drops a date, adds a lead sentence and attribution, and drops a sentence, and an
Indonesian article that follows the wire (its changes included) while its English translation
happens to share much of the official wording. A Chinese original of the statement stands beside.
"""

from __future__ import annotations

import itertools

import pytest

from mt_toolkit.errors import InputError
from mt_toolkit.fidelity import FlagKind
from mt_toolkit.trace import TraceInput, trace

OFFICIAL = [
    "At the invitation of the Government of Indonesia, I will pay an official visit to Jakarta from 14 to 16 August 2026.",
    "Last year, trade between our two countries reached 147.5 billion US dollars, an increase of 3.5 percent.",
    "We must jointly uphold peace and stability in the region.",
    "The two sides will sign 12 cooperation agreements covering agriculture, fisheries and the digital economy.",
    "China is ready to offer more scholarships to Indonesian students.",
    "Young people are the future of our friendship.",
]
STATEMENT_ZH = [  # the Chinese original's English translation: close to the official text
    "At the invitation of the Indonesian government, I will pay an official visit to Jakarta from 14 to 16 August 2026.",
    "Last year, trade between the two countries reached 147.5 billion US dollars, up 3.5 percent.",
    "We must jointly safeguard regional peace and stability.",
    "The two sides will sign 12 cooperation agreements covering agriculture, fisheries and the digital economy.",
    "China is willing to provide more scholarships to Indonesian students.",
    "Young people are the future of the friendship between our countries.",
]
WIRE = [
    "Chinese Foreign Minister Wang Lianfeng published an article in an Indonesian newspaper ahead of his visit.",
    "At the invitation of the Indonesian government, the minister will pay an official visit to Jakarta in 2026, he wrote.",
    "According to him, last year trade between the two countries reached 174.5 billion US dollars, up 3.5 percent.",
    "We must jointly maintain peace and stability in the region, Wang stressed.",
    "The sides will sign 12 cooperation agreements in agriculture, fisheries and the digital economy.",
    "China is ready to give Indonesian students more scholarships.",
]
ARTICLE = [
    "Chinese Foreign Minister Wang Lianfeng published an article in an Indonesian newspaper before his visit.",
    "At the invitation of the Government of Indonesia, I will make an official visit to Jakarta in 2026, Wang wrote.",
    "According to Wang, last year trade between our two countries reached 174.5 billion US dollars, an increase of 3.5 percent.",
    "We must jointly uphold peace and stability in the region, he stressed.",
    "The two sides will sign 12 cooperation agreements covering agriculture, fisheries and the digital economy.",
    "The weather in Jakarta is expected to be sunny during the visit.",
]


def _text(lines: list[str]) -> str:
    return "\n".join(lines)


def official() -> TraceInput:
    return TraceInput("Official-EN", "en", _text(OFFICIAL), presegmented=True)


def statement() -> TraceInput:
    # its own-language text is not compared (the translation is supplied); one line per sentence
    return TraceInput("Statement-ZH", "zh", _text([f"句子{i}。" for i in range(len(STATEMENT_ZH))]),
                      presegmented=True, translation=tuple(STATEMENT_ZH))


def wire() -> TraceInput:
    return TraceInput("Wire-RU", "ru", _text([f"Предложение {i}." for i in range(len(WIRE))]),
                      presegmented=True, translation=tuple(WIRE))


def article(lines: list[str] = ARTICLE) -> TraceInput:
    return TraceInput("article", "id", _text([f"Kalimat {i}." for i in range(len(lines))]),
                      presegmented=True, translation=tuple(lines))


@pytest.fixture(scope="module")
def result():
    return trace(article(), [official(), statement(), wire()])


def test_the_wire_wins_over_the_pivot_language_original(result):
    # surface similarity favours the official English text: it needs no translation
    mean = {r.label: r.mean_chrf for r in result.ranking}
    assert mean["Official-EN"] > mean["Wire-RU"]
    # but the article shares the wire's changes, so the wire is its source
    assert result.likely_source == "Wire-RU"
    assert result.ranking[0].label == "Wire-RU"
    wire_support = result.attribution.candidates[0]
    assert wire_support.label == "Wire-RU" and wire_support.share > 0.5
    shared = " ".join(wire_support.shared)
    assert "174.5 billion" in shared and "date August" in shared


def test_the_tree_puts_the_wire_between_the_official_text_and_the_article(result):
    stemma = result.attribution.stemma
    assert stemma.parent("article") == "Wire-RU"
    assert stemma.path("article")[-2:] == ("Wire-RU", "article")
    assert not stemma.asserted
    edge = next(e for e in stemma.edges if e.child == "Wire-RU")
    assert any("174.5 billion" in note for note in edge.evidence)


def test_changes_are_placed_on_the_hop_that_made_them(result):
    into_wire = f"{result.attribution.stemma.parent('Wire-RU')} → Wire-RU"
    figure = result.sentences[2]
    assert figure.sources == ("Wire-RU",)
    assert figure.changed_at == (into_wire,)
    hop = next(h for h in figure.chain if h.target == "Wire-RU")
    assert [f.detail for f in hop.flags if f.kind is FlagKind.NUMBER] == ["147.5 billion → 174.5 billion"]
    date = result.sentences[1]
    assert date.changed_at == (into_wire,)
    assert any(f.detail.startswith("date:") for h in date.chain for f in h.flags)
    lead = result.sentences[0]  # a sentence only the wire has: added on the hop into the wire
    assert lead.sources == ("Wire-RU",) and lead.changed_at == (into_wire,)
    assert result.sentences[4].changed_at == ()  # unchanged through the whole chain


def test_the_articles_own_sentence_has_no_source(result):
    own = result.sentences[5]
    assert own.sources == () and own.changed_at == () and own.best is None


def test_every_order_of_the_originals_gives_the_same_answer(result):
    expected = (
        result.likely_source,
        [(e.parent, e.child) for e in result.attribution.stemma.edges],
        [s.changed_at for s in result.sentences],
        [s.sources for s in result.sentences],
    )
    for order in itertools.permutations([official(), statement(), wire()]):
        other = trace(article(), list(order))
        got = (
            other.likely_source,
            [(e.parent, e.child) for e in other.attribution.stemma.edges],
            [s.changed_at for s in other.sentences],
            [s.sources for s in other.sentences],
        )
        assert got == expected, [o.label for o in order]


def test_a_mixed_source_article_is_reported_sentence_by_sentence():
    # the article also quotes the closing sentence, which only the official text (and the Chinese
    # original) have: the wire dropped it
    lines = ARTICLE[:5] + ["Young people are the future of our friendship, Wang wrote."]
    mixed = trace(article(lines), [wire(), official(), statement()])
    assert mixed.likely_source == "Wire-RU"
    assert mixed.attribution.mixed
    last = mixed.sentences[5]
    assert last.sources and last.sources[0] in ("Official-EN", "Statement-ZH")
    assert "not in Wire-RU" in last.evidence
    assert [s.sources[0] for s in mixed.sentences[:5]] == ["Wire-RU"] * 5
    assert last.chain[-1].source == last.sources[0] and last.chain[-1].target == "article"


def test_an_asserted_chain_is_kept():
    asserted = trace(article(), [official(), wire(), statement()], chain=["Statement-ZH", "Official-EN", "Wire-RU"])
    stemma = asserted.attribution.stemma
    assert stemma.asserted and stemma.root == "Statement-ZH"
    assert stemma.path("article") == ("Statement-ZH", "Official-EN", "Wire-RU", "article")
    assert "asserted" in stemma.rooting


def test_a_chain_naming_an_unknown_version_is_a_user_error():
    with pytest.raises(InputError, match="--chain must name each version once"):
        trace(article(), [official(), wire()], chain=["Official-EN", "TASS"])
