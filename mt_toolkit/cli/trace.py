"""`mt-toolkit trace`: how each sentence of an article changed from its candidate originals.

A thin layer over `mt_toolkit.trace`: parses the ``FILE:LANG:LABEL`` and ``LABEL=FILE`` options,
reads the files (a saved ``.html`` page is reduced to its main text, a missing language is
identified, as the web workbench does), calls `trace`, and writes the reports (atomically) or
prints a summary.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from mt_toolkit.cli._common import BackendOption, DeviceOption, progress_bar, user_errors
from mt_toolkit.errors import InputError, UnknownLanguageError
from mt_toolkit.fidelity import Thresholds, Verdict
from mt_toolkit.languages import normalize
from mt_toolkit.text.detect import require_language
from mt_toolkit.text.extract import extract_main_text, looks_like_html
from mt_toolkit.textio import read_lines, read_text, write_text
from mt_toolkit.trace import ARTICLE_LABEL, TraceInput, TraceResult, trace

_VERDICT_STYLE = {
    Verdict.FAITHFUL: "green",
    Verdict.PARAPHRASED: "blue",
    Verdict.CHANGED: "bold red",
    Verdict.NOT_FOUND: "dim",
}


def parse_original(spec: str) -> tuple[str, str | None, str]:
    """``FILE:LANG:LABEL``, ``FILE:LANG``, ``FILE::LABEL`` or ``FILE`` into (file, lang, label).

    A missing label is the file name; a missing language is None (identified from the text
    later). The spec is split from the right, so a file path may itself contain colons; a spec
    that names an existing file is that file.

    Raises:
        InputError: an empty file name or label, or an unknown language.
    """
    parts = spec.rsplit(":", 2)
    if os.path.exists(spec) or len(parts) == 1:
        path, lang, label = spec, "", ""
    elif len(parts) == 3 and parts[0]:
        path, lang, label = parts
    else:
        path, _, lang = spec.rpartition(":")
        label = ""
    label = label.strip() or path.rsplit("/", 1)[-1]
    if not path or not label:
        raise InputError(f"--original expects FILE:LANG:LABEL (e.g. tass.ru.txt:ru:TASS), got {spec!r}")
    if not lang.strip():
        return path, None, label
    try:
        lang = normalize(lang)
    except UnknownLanguageError as err:  # say which option the code came from
        raise UnknownLanguageError(f"--original {spec!r}: {err}") from None
    return path, lang, label.strip()


def parse_translations(specs: list[str], labels: list[str]) -> dict[str, str]:
    """``LABEL=FILE`` options into {label: file}, every label checked against the inputs.

    Raises:
        InputError: a spec without ``=``, a label given twice or not among ``labels``.
    """
    found: dict[str, str] = {}
    for spec in specs:
        label, sep, path = spec.partition("=")
        label, path = label.strip(), path.strip()
        if not sep or not label or not path:
            raise InputError(f"--translation expects LABEL=FILE (e.g. TASS=tass.en.txt), got {spec!r}")
        if label not in labels:
            raise InputError(f"--translation {spec!r}: no input is labelled {label!r}; labels are {', '.join(labels)}")
        if label in found:
            raise InputError(f"--translation for {label!r} is given twice")
        found[label] = path
    return found


@user_errors
def trace_command(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="The derived article: raw text ('-' reads standard input).", show_default=False)],
    lang: Annotated[str | None, typer.Option("--lang", "-l", metavar="LANG", help="The article's language (id, ru, zh, ...); identified from the text when left out.", show_default=False)] = None,
    original: Annotated[
        list[str],
        typer.Option("--original", "-o", metavar="FILE:LANG:LABEL", help="FILE:LANG:LABEL, repeatable, upstream first (e.g. xinhua.zh.txt:zh:Xinhua); without LANG the language is identified; .html pages are reduced to their main text.", show_default=False),
    ] = ...,
    translation: Annotated[
        list[str] | None,
        typer.Option("--translation", "-t", metavar="LABEL=FILE", help="LABEL=FILE: a pivot-language translation, one line per sentence; the article's label is 'article'."),
    ] = None,
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Inputs are one sentence per line: do not segment them.")
    ] = False,
    pivot: Annotated[str, typer.Option(help="The language all texts are compared in.")] = "en",
    model: Annotated[str | None, typer.Option(help="Model for texts without a supplied translation (default: the registry's route).")] = None,
    device: DeviceOption = "auto",
    backend: BackendOption = "auto",
    not_found_chrf: Annotated[float, typer.Option(min=0, max=100, help="Below this chrF a sentence is 'not found'.")] = Thresholds.not_found_chrf,
    faithful_chrf: Annotated[float, typer.Option(min=0, max=100, help="At or above this chrF, without flags, a sentence is 'faithful'.")] = Thresholds.faithful_chrf,
    min_clause: Annotated[int, typer.Option(min=1, help="Fewest words an omitted or added clause has.")] = Thresholds.min_clause_tokens,
    cache: Annotated[str | None, typer.Option(metavar="FILE", help="Translation cache file. Default: $MT_TOOLKIT_CACHE_DIR or ~/.cache/mt-toolkit/translations.sqlite3.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Translate afresh and store nothing.")] = False,
    html: Annotated[str | None, typer.Option("--html", metavar="FILE", help="Write the self-contained HTML report here.")] = None,
    json_out: Annotated[str | None, typer.Option("--json", metavar="FILE", help="Write the JSON report here ('-' for standard output).")] = None,
    markdown: Annotated[str | None, typer.Option("--markdown", metavar="FILE", help="Write the Markdown report here ('-' for standard output).")] = None,
) -> None:
    """Trace every sentence of an ARTICLE back into candidate originals in other languages.

    Each sentence is located in every original, scored (chrF, BLEU, TER on the pivot-language
    texts), flagged (numbers, names, negation, modality, dropped or added clauses) and given a
    verdict: faithful, paraphrased, changed or not found. The originals are ranked by how likely
    the article was translated from them. Without --html/--json/--markdown a summary is printed.

    Examples:

        mt-toolkit trace article.id.txt --lang id --original tass.ru.txt:ru:TASS --translation article=article.en.txt --translation TASS=tass.en.txt --html trace.html

        mt-toolkit trace article.id.txt --lang id --original statement.en.txt:en:Official --json -
    """
    article_lang = normalize(lang) if lang else None
    thresholds = Thresholds(not_found_chrf=not_found_chrf, faithful_chrf=faithful_chrf, min_clause_tokens=min_clause)
    specs = [parse_original(spec) for spec in original]
    labels = [ARTICLE_LABEL] + [label for _, _, label in specs]
    supplied = parse_translations(translation or [], labels)

    def read_input(path: str, text_lang: str | None, label: str) -> TraceInput:
        given = tuple(read_lines(supplied[label])) if label in supplied else None
        text = read_text(path)
        if looks_like_html(text, path):
            text = extract_main_text(text, source=path)
        if text_lang is None:
            hint = "give it with --lang" if label == ARTICLE_LABEL else "write it as FILE:LANG:LABEL"
            text_lang = require_language(text, what=path, hint=hint)
        return TraceInput(label, text_lang, text, presegmented=sentences, translation=given)

    article_input = read_input(article, article_lang, ARTICLE_LABEL)
    original_inputs = [read_input(path, text_lang, label) for path, text_lang, label in specs]
    inputs = [article_input] + original_inputs
    needs_model = any(i.translation is None and normalize(i.lang) != normalize(pivot) for i in inputs)
    store = None
    if needs_model and not no_cache:  # only a model run has anything to cache
        from mt_toolkit.translate.cache import TranslationCache

        store = TranslationCache(cache)
    try:
        with progress_bar("Tracing") as on_progress:
            result = trace(article_input, original_inputs, pivot=pivot, model=model, device=device,
                           backend=backend, cache=store, on_progress=on_progress, thresholds=thresholds)
    finally:
        if store is not None:
            store.close()
    _write_reports(result, html=html, json_out=json_out, markdown=markdown)


def _write_reports(result: TraceResult, *, html: str | None, json_out: str | None, markdown: str | None) -> None:
    if not (html or json_out or markdown):
        print_summary(result)
        return
    from mt_toolkit.report import render_html, render_json, render_markdown

    for path, render in ((html, render_html), (json_out, render_json), (markdown, render_markdown)):
        if path:
            write_text(path, render(result))
            if path != "-":
                typer.echo(f"wrote {path}", err=True)


def print_summary(result: TraceResult) -> None:
    """A readable summary on standard output: the likely source, then one row per sentence."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    source = result.likely_source
    console.print(f"[bold]Most likely source:[/bold] {escape(source)}" if source else "[bold]No original matches the article.[/bold]")
    ranking = Table(title="Originals", title_justify="left", show_edge=False)
    for column in ("original", "lang", "best for", "found", "mean chrF"):
        ranking.add_column(column, justify="right" if column in ("best for", "found", "mean chrF") else "left")
    for r in result.ranking:
        ranking.add_row(escape(r.label), r.lang, str(r.best_for), f"{r.found}/{len(result.sentences)}", f"{r.mean_chrf:.1f}")
    console.print(ranking)
    console.print("[bold]Sentences[/bold] (verdict against the most likely source)")
    width = max(20, console.width - 40)
    for s in result.sentences:
        best = s.best
        text = s.text if len(s.text) <= width else s.text[: width - 1] + "…"
        verdict = s.verdict.value.replace("_", " ")
        where = f"{escape(best.label)} chrF {best.chrf:.1f}" if best else "-"
        console.print(f"{s.index + 1:>3}  [{_VERDICT_STYLE[s.verdict]}]{verdict:<11}[/] {where:<22} {escape(text)}")
        for flag in best.flags if best else ():
            console.print(f"       {flag.kind.value}: {escape(flag.detail)}")
        for hop in s.chain:
            if hop.verdict is Verdict.CHANGED:
                what = "; ".join(f"{f.kind.value}: {f.detail}" for f in hop.flags)
                console.print(f"       [dim]changed at {escape(hop.source)} → {escape(hop.target)}: {escape(what)}[/dim]")
    for signature in result.signatures:
        console.print(f"[dim]{escape(signature)}[/dim]")
