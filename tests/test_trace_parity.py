"""What the CLI shares with the web workbench: language identification, HTML pages, page furniture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app
from mt_toolkit.cli.trace import parse_original
from mt_toolkit.errors import InputError
from mt_toolkit.text.detect import detect_language, require_language
from mt_toolkit.text.extract import extract_main_text, looks_like_html, text_of
from mt_toolkit.text.furniture import furniture_kind, is_furniture
from mt_toolkit.trace import TraceInput, trace

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trace"
runner = CliRunner()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Baca juga: Harga beras naik lagi", True),
        ("BACA JUGA - Harga beras", True),
        ("Read also: Minister arrives", True),
        ("[Read more] : the visit", True),
        ("Читайте также: Визит министра", True),
        ("相关阅读：外长访问雅加达", True),
        ("He urged readers to read also: the report", False),
        ("Relatedly, the minister spoke.", False),
        ("Baca juga buku itu, katanya.", False),
    ],
)
def test_furniture_lines(line, expected):
    assert is_furniture(line) is expected
    assert furniture_kind(line) == ("related link" if expected else None)


def test_language_of_the_example_texts():
    for name, lang in (("article.id.txt", "id"), ("statement.zh.txt", "zh"), ("wire.ru.txt", "ru"),
                       ("statement.en.txt", "en")):
        guess = detect_language((EXAMPLE / name).read_text(encoding="utf-8"))
        assert guess.lang == lang and guess.reliable, (name, guess)


def test_a_short_text_is_not_guessed():
    assert not detect_language("ok").reliable
    assert detect_language("   ").lang is None
    with pytest.raises(InputError, match="cannot tell the language of x.txt"):
        require_language("ok", what="x.txt", hint="write it as FILE:LANG:LABEL")


PAGE = """<!DOCTYPE html><html><head><title>Statement</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>Minister's article</h1>
{paragraphs}
</article><footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>
"""


def test_html_page_is_reduced_to_its_main_text():
    page = PAGE.format(paragraphs="<p>The minister will visit Jakarta in August.</p><p>Read also: Rice prices rise</p>")
    assert looks_like_html(page) and looks_like_html("x", "page.HTML") and not looks_like_html("plain text")
    text = extract_main_text(page)
    assert "The minister will visit Jakarta in August." in text.splitlines()
    assert "Read also: Rice prices rise" in text.splitlines()
    assert "Copyright" not in text and "Business" not in text
    assert text_of("plain <b>text</b>") == "plain <b>text</b>"


def test_empty_page_is_a_user_error():
    with pytest.raises(InputError, match="found no article text in empty.html"):
        extract_main_text("<html><body><nav></nav></body></html>", source="empty.html")


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("dir/wire.txt", ("dir/wire.txt", None, "wire.txt")),
        ("dir/wire.txt::Vostok", ("dir/wire.txt", None, "Vostok")),
        ("dir/wire.txt:ru", ("dir/wire.txt", "ru", "wire.txt")),
    ],
)
def test_parse_original_without_language(spec, parsed):
    assert parse_original(spec) == parsed


def _english_statement_sentences() -> list[str]:
    return [line for line in (EXAMPLE / "statement.en.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_furniture_is_reported_not_traced():
    lines = _english_statement_sentences()[:3]
    article = TraceInput("article", "en", "\n".join([lines[0], "Read also: Rice prices rise in Jakarta", *lines[1:]]),
                         presegmented=True)
    result = trace(article, [TraceInput("Official-EN", "en", "\n".join(lines), presegmented=True)])
    marked = [s for s in result.sentences if s.furniture]
    assert [(s.index, s.furniture) for s in marked] == [(1, "related link")]
    assert all(not m.found and m.indices == () for m in marked[0].matches) and marked[0].chain == ()
    assert all(s.best is not None for s in result.sentences if not s.furniture)


def test_cli_detects_languages_and_reads_html_pages(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in (EXAMPLE / "statement.en.txt").read_text(encoding="utf-8").splitlines()
                   if line.strip())
    body = body.replace("</p><p>", "</p><p>Read also: Rice prices rise in Jakarta</p><p>", 1)
    page = tmp_path / "article.html"
    page.write_text(PAGE.format(paragraphs=body), encoding="utf-8")
    result = runner.invoke(app, [
        "trace", str(page), "--original", str(EXAMPLE / "statement.en.txt"),
        "--original", f"{EXAMPLE / 'wire.ru.txt'}::Vostok-RU",
        "--translation", f"Vostok-RU={EXAMPLE / 'wire.ru.en.txt'}", "--json", "-",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article"]["lang"] == "en"
    assert [(o["label"], o["lang"]) for o in data["originals"]] == [("statement.en.txt", "en"), ("Vostok-RU", "ru")]
    furniture = [s for s in data["sentences"] if s["furniture"]]
    assert [s["text"] for s in furniture] == ["Read also: Rice prices rise in Jakarta"]
    assert "Copyright" not in " ".join(s["text"] for s in data["sentences"])


def test_cli_asks_for_the_language_it_cannot_tell(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("ok\n", encoding="utf-8")
    result = runner.invoke(app, ["trace", str(article), "--original", f"{EXAMPLE / 'statement.en.txt'}:en:X"])
    assert result.exit_code == 2
    assert "cannot tell the language of" in result.stderr and "--lang" in result.stderr
