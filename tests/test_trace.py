"""The trace pipeline on an invented example with supplied translations: no model involved.

The example (examples/trace/, also what the README runs) is an invented Indonesian article about
a made-up ministerial visit, traced into a Chinese statement, its official English version and a
Russian wire report. Against the originals it changes a number (147.5 → 174.5 billion), softens a
modal (must → can), drops a clause (via the wire), swaps a name (Sugandi → Sugiarto), inserts a
negation, and adds two sentences of its own that no original holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mt_toolkit.errors import InputError
from mt_toolkit.fidelity import FlagKind, Verdict
from mt_toolkit.text.quotes import SentenceKind
from mt_toolkit.textio import read_lines, read_text
from mt_toolkit.trace import TraceInput, TraceResult, trace

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trace"


def example_inputs() -> tuple[TraceInput, list[TraceInput]]:
    def given(name: str) -> tuple[str, ...]:
        return tuple(read_lines(EXAMPLE / name))

    article = TraceInput("article", "id", read_text(EXAMPLE / "article.id.txt"), translation=given("article.en.txt"))
    originals = [
        TraceInput("Statement-ZH", "zh", read_text(EXAMPLE / "statement.zh.txt"), translation=given("statement.zh.en.txt")),
        TraceInput("Official-EN", "en", read_text(EXAMPLE / "statement.en.txt")),
        TraceInput("Vostok-RU", "ru", read_text(EXAMPLE / "wire.ru.txt"), translation=given("wire.ru.en.txt")),
    ]
    return article, originals


@pytest.fixture(scope="module")
def result() -> TraceResult:
    article, originals = example_inputs()
    return trace(article, originals)


def flags_of(result: TraceResult, index: int, label: str | None = None) -> dict[FlagKind, list[str]]:
    s = result.sentences[index]
    match = s.best if label is None else next(m for m in s.matches if m.label == label)
    out: dict[FlagKind, list[str]] = {}
    for f in match.flags:
        out.setdefault(f.kind, []).append(f.detail)
    return out


def test_every_article_sentence_is_traced(result):
    assert len(result.sentences) == 10
    assert [len(o.sentences) for o in result.originals] == [9, 9, 9]
    assert result.article.origin == "supplied"
    assert result.originals[1].origin == "pivot language"  # English original used as it is


def test_changed_number_is_flagged(result):
    s = result.sentences[2]
    assert s.verdict is Verdict.CHANGED
    assert flags_of(result, 2)[FlagKind.NUMBER] == ["147.5 billion → 174.5 billion"]


def test_inserted_negation_is_flagged(result):
    assert result.sentences[6].verdict is Verdict.CHANGED
    assert flags_of(result, 6) == {FlagKind.NEGATION: ["'not' added"]}


def test_swapped_name_is_flagged(result):
    assert flags_of(result, 5) == {FlagKind.NAME: ["Sugandi → Sugiarto"]}


def test_softened_modal_is_flagged(result):
    assert flags_of(result, 3) == {FlagKind.MODALITY: ["must → can"]}


def test_dropped_clause_is_flagged_against_the_statement_and_located_at_its_hop(result):
    s = result.sentences[4]
    omission = flags_of(result, 4, "Official-EN")[FlagKind.OMISSION]
    assert "vocational and technical college" in omission[0]
    # The wire dropped the clause and the article followed the wire: faithful to its source,
    # changed one hop upstream.
    assert s.best.label == "Vostok-RU" and s.verdict is Verdict.FAITHFUL
    assert s.changed_at == ("Official-EN → Vostok-RU",)


def test_unrelated_sentences_are_not_found(result):
    for index in (8, 9):
        s = result.sentences[index]
        assert s.verdict is Verdict.NOT_FOUND and s.best is None
        assert all(not m.found and not m.flags for m in s.matches)


def test_faithful_sentences_have_no_flags(result):
    for index in (0, 1):
        assert result.sentences[index].verdict is Verdict.FAITHFUL
        assert result.sentences[index].best.flags == ()


def test_the_wire_is_ranked_the_most_likely_source(result):
    assert result.likely_source == "Vostok-RU"
    assert [r.label for r in result.ranking][0] == "Vostok-RU"
    assert result.ranking[0].best_for > result.ranking[1].best_for


def test_matches_carry_scores_with_signatures(result):
    best = result.sentences[2].best
    metrics = [s.metric for s in best.scores]
    assert metrics[0].startswith("chrF") and "BLEU" in metrics and "TER" in metrics
    assert all("version:" in s.signature for s in best.scores)
    assert any(sig.startswith("chrF") for sig in result.signatures)


def test_quotes_and_reported_speech_are_marked(result):
    assert result.sentences[1].kind is SentenceKind.QUOTE
    assert result.sentences[1].quotes[0].startswith("Atas undangan")
    assert result.sentences[2].kind is SentenceKind.REPORTED  # "Menurut Wang"


def test_similarity_maps_follow_the_chosen_matches(result):
    wire = next(m for m in result.maps if m.label == "Vostok-RU")
    assert len(wire.matrix) == 10 and len(wire.matrix[0]) == 9
    assert (4, 4) in wire.path and not any(i in (8, 9) for i, _ in wire.path)


def test_translation_with_wrong_line_count_names_both_counts():
    article, originals = example_inputs()
    short = TraceInput("article", "id", article.text, translation=article.translation[:-1])
    with pytest.raises(InputError, match=r"9 lines but article segments into 10 sentences.*--sentences"):
        trace(short, originals)


def test_presegmented_input_is_not_resegmented():
    article = TraceInput("article", "en", "We must act now. Together.\nThe talks ended.\n", presegmented=True)
    original = TraceInput("src", "en", "We must act now. Together.\nThe talks ended.\n", presegmented=True)
    result = trace(article, [original])
    assert [s.text for s in result.sentences] == ["We must act now. Together.", "The talks ended."]
    assert all(s.verdict is Verdict.FAITHFUL for s in result.sentences)


def test_labels_must_be_unique():
    article, originals = example_inputs()
    with pytest.raises(InputError, match="repeated: Statement-ZH"):
        trace(article, [originals[0], originals[0]])


def test_at_least_one_original_is_needed():
    article, _ = example_inputs()
    with pytest.raises(InputError, match="--original"):
        trace(article, [])


def test_tiny_models_translate_what_is_not_supplied(tiny_models):
    """Mechanics with a real (random-weight) model: gibberish text, real hop records."""
    from mt_toolkit.translate.base import DecodingOptions

    model = str(tiny_models["m2m100"])
    article = TraceInput("article", "id", "Kami siap bekerja sama. Presiden tiba di Jakarta pada 2 Juli.")
    originals = [
        TraceInput("Official", "en", "We are ready to cooperate. The president arrived in Jakarta on 2 July."),
        TraceInput("Wire", "ru", "Мы готовы сотрудничать.", translation=("We are ready to cooperate.",)),
    ]
    result = trace(article, originals, model=model, options=DecodingOptions(beam_size=1, max_length=8), device="cpu")
    assert result.article.origin == model
    assert len(result.article.pivot) == len(result.sentences) == 2
    hops = [t.hops for t in result.article.translations]
    assert all(len(h) == 1 and (h[0].src_lang, h[0].tgt_lang, h[0].model) == ("id", "en", model) for h in hops)
    assert [o.origin for o in result.originals] == ["pivot language", "supplied"]
    assert all(len(s.matches) == 2 for s in result.sentences)
    assert all(s.verdict in set(Verdict) for s in result.sentences)
    from mt_toolkit.report import render_json

    data = json.loads(render_json(result))
    assert data["article"]["translations"][0]["hops"][0]["model"] == model


def test_a_sentence_merging_two_original_sentences_matches_both():
    article = TraceInput("article", "en", "Both sides must respect the border, and the talks will resume in Astana next month.")
    original = TraceInput("src", "en", "Both sides must respect the border. The talks will resume in Astana next month. Weather was fine.")
    [s] = trace(article, [original]).sentences
    assert s.best.indices == (0, 1)
    assert s.best.text == "Both sides must respect the border. The talks will resume in Astana next month."
    assert s.verdict is Verdict.FAITHFUL


def test_changes_by_hop_says_where_each_change_happened(result):
    hops = {(h.source, h.target): h for h in result.changes_by_hop()}
    last = hops[("Vostok-RU", "article")]
    assert last.sentences == (2, 3, 5, 6)
    assert dict(last.kinds) == {"modality": 1, "name": 1, "negation": 1, "number": 1}
    assert 4 in hops[("Official-EN", "Vostok-RU")].sentences
