"""The three renderers: self-contained HTML (opened in headless Chromium when present), Markdown, JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from mt_toolkit.report import render_html, render_json, render_markdown
from mt_toolkit.report.html import similarity_svg
from mt_toolkit.trace import trace

from test_trace import example_inputs


@pytest.fixture(scope="module")
def result():
    article, originals = example_inputs()
    return trace(article, originals)


def test_html_is_self_contained(result):
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    # no external resource: the only URL is the SVG namespace
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert not re.search(r"""\s(?:src|href)=["'](?!#)""", page)


def test_html_shows_verdicts_flags_and_diff(result):
    page = render_html(result)
    assert "Vostok-RU" in page and "most likely source" in page
    for badge in ("f-number", "f-name", "f-negation", "f-modality", "f-omission"):
        assert f'class="badge {badge}"' in page
    assert "147.5 billion → 174.5 billion" in page
    assert "<del>" in page and "<ins>" in page
    assert page.count('class="sentence ') == 10
    assert "<svg" in page and "chrF" in page


def test_html_escapes_the_texts(result):
    from dataclasses import replace

    article = replace(result.article, label="<b>art</b>")
    page = render_html(replace(result, article=article))
    assert "<b>art</b>" not in page and "&lt;b&gt;art&lt;/b&gt;" in page


def test_similarity_svg_outlines_the_path(result):
    svg = similarity_svg(result.maps[0])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('stroke="#f59e0b"') == len(result.maps[0].path)


def test_json_round_trips_the_result(result):
    data = json.loads(render_json(result))
    assert data["schema"] == 2 and data["likely_source"] == "Vostok-RU"
    third = data["sentences"][2]
    # the article follows the wire: the wire is its source, by the changes they share
    assert third["verdict"] == "changed" and third["best"] == "Vostok-RU" and third["sources"] == ["Vostok-RU"]
    assert data["attribution"]["source"] == "Vostok-RU"
    assert {"parent", "child", "changes", "evidence"} <= set(data["attribution"]["stemma"]["edges"][0])
    assert data["sentences"][8]["verdict"] == "not_found" and data["sentences"][8]["best"] is None
    best = third["matches"][0]
    assert best["verdict"] == "changed"
    assert {"kind": "number", "detail": "147.5 billion → 174.5 billion", "original": "147.5 billion",
            "article": "174.5 billion"} in best["flags"]
    assert all("signature" in s for s in best["scores"])
    assert data["thresholds"]["not_found_chrf"] == 35.0


def test_markdown_has_summary_and_every_sentence(result):
    text = render_markdown(result)
    assert "**Most likely source:** Vostok-RU (ru)" in text
    assert text.count("\n### ") == 10
    assert "**number** 147.5 billion → 174.5 billion" in text
    assert "changed at: Official-EN → Vostok-RU" in text
    assert "chrF2|" in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_html_opens_in_headless_chromium_without_console_errors(result, tmp_path):
    page = tmp_path / "trace.html"
    page.write_text(render_html(result), encoding="utf-8")
    shot = Path(os.environ.get("MT_TOOLKIT_SCREENSHOT", tmp_path / "trace.png"))
    base = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}", "--enable-logging=stderr", "--v=0",
    ]
    run = subprocess.run(
        base + ["--window-size=1480,2400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Uncaught" not in run.stderr and "ERROR:CONSOLE" not in run.stderr
    dom = subprocess.run(base + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Vostok-RU" in dom.stdout and "Uncaught" not in dom.stderr


def test_similarity_svg_fits_its_viewbox(result):
    svg = similarity_svg(result.maps[0])
    height = float(re.search(r'height="([\d.]+)"', svg).group(1))
    bottoms = [float(y) + float(h) for y, h in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)]
    assert bottoms and max(bottoms) <= height


def test_reports_when_no_original_holds_the_article():
    from mt_toolkit.trace import TraceInput

    result = trace(
        TraceInput("article", "en", "The weather in Jakarta was sunny. Markets were calm."),
        [TraceInput("Other", "en", "Rice prices rose sharply in the provinces last winter, officials noted.")],
    )
    assert result.likely_source is None
    assert all(s.verdict.value == "not_found" for s in result.sentences)
    assert "no original holds any article sentence" in render_html(result)
    assert "**No original matches the article.**" in render_markdown(result)
    assert json.loads(render_json(result))["likely_source"] is None


def test_every_json_output_writes_hops_alike(result):
    # translate's JSONL, a corpus job's JSONL and the trace JSON carry the same hop keys and values
    from dataclasses import replace

    from mt_toolkit.corpus import render_record
    from mt_toolkit.corpus.readers import Record
    from mt_toolkit.translate.base import Hop, Translation
    from mt_toolkit.translate.records import translation_record

    hops = (
        Hop("id", "en", "Kami siap.", "We are ready.", "m-id-en", "r1", "transformers", "float32", 4, -0.5),
        Hop("en", "ru", "We are ready.", "Мы готовы.", "m-en-ru", None, "ctranslate2", "int8", 4, None),
    )
    translation = Translation("Kami siap.", "Мы готовы.", "id", "ru", hops)
    from_translate = translation_record(translation)["hops"]
    corpus_line = render_record(Record(0, "Kami siap.", {"text": "Kami siap."}, 0), translation.text, hops,
                                fmt="jsonl", field="text", tgt_lang="ru")
    from_corpus = json.loads(corpus_line)["text_ru_hops"]
    traced = replace(result, article=replace(result.article, translations=(translation,)))
    from_trace = json.loads(render_json(traced))["article"]["translations"][0]
    assert from_trace == json.loads(json.dumps(translation_record(translation), ensure_ascii=False))
    assert from_translate == from_corpus == from_trace["hops"]
    assert list(from_corpus[0]) == ["src_lang", "tgt_lang", "source", "text", "model", "revision",
                                    "backend", "compute_type", "beam_size", "score"]


def test_reports_spell_verdicts_as_fidelity_does(result):
    from mt_toolkit.fidelity import Verdict

    assert Verdict.NOT_FOUND.label == "not found" and Verdict.CHANGED.meaning
    page, text = render_html(result), render_markdown(result)
    for verdict in Verdict:
        assert f">{verdict.label}</span>" in page and f"{verdict.label}: " in text
        assert verdict.meaning in page


def test_reports_show_the_tree_the_evidence_and_each_sentences_source(result):
    html = render_html(result)
    assert 'aria-label="derivation tree, inferred from shared changes"' in html
    assert "Evidence of descent" in html and "source: <b>Vostok-RU</b>" in html
    md = render_markdown(result)
    assert "**Evidence of descent**" in md and "**Derivation tree** (inferred" in md
    assert "- Vostok-RU → article:" in md and "- source: **Vostok-RU**" in md


def test_stemma_svg_escapes_labels():
    from mt_toolkit.report.chain_svg import stemma_svg
    from mt_toolkit.stemma import Stemma, StemmaEdge

    stemma = Stemma("<b>Root</b>", (StemmaEdge("<b>Root</b>", "article", 1.0, ("name <x> added",)),), False, 1.0, "test")
    svg = stemma_svg(stemma, source="<b>Root</b>")
    assert "<b>" not in svg and "&lt;b&gt;Root&lt;/b&gt;" in svg and "name &lt;x&gt; added" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<script" not in svg
