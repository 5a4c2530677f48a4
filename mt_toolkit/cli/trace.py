"""`mt-toolkit trace`: how each sentence of an article changed from its candidate originals.

A thin layer over `mt_toolkit.trace`: parses the ``FILE:LANG:LABEL`` and ``LABEL=FILE`` options,
reads the files (a saved ``.html`` page is reduced to its main text, a missing language is
identified, as the web workbench does), calls `trace`, and writes the reports (atomically) or
prints a summary.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mt_toolkit.cli._common import (
    Backend,
    BackendOption,
    BatchSizeOption,
    BeamOption,
    CacheFileOption,
    CacheOption,
    ComputeType,
    ComputeTypeOption,
    Device,
    DeviceOption,
    MaxLengthOption,
    RevisionOption,
    format_option,
    model_option,
    note,
    open_cache,
    output_option,
    progress_bar,
    user_errors,
)
from mt_toolkit.errors import InputError, UnknownLanguageError
from mt_toolkit.fidelity import Thresholds, Verdict
from mt_toolkit.languages import normalize
from mt_toolkit.text.detect import require_language
from mt_toolkit.text.extract import extract_main_text, looks_like_html
from mt_toolkit.textio import check_output, read_lines, read_text, refuse_reading_stdin_twice, write_text
from mt_toolkit.translate.base import DecodingOptions

if TYPE_CHECKING:  # the pipeline (numpy, the stemma) is imported when a trace runs, not for --help
    from mt_toolkit.trace import TraceInput, TraceResult

# trace's long names of the previous release are all still current; its -o (--original) now
# means --output, and -t (--translation) is gone: -t is --tgt elsewhere.
ALIASES: dict[str, str] = {}
REMOVED = {"-t": "-t was --translation; -t means --tgt in other commands now, so write --translation LABEL=FILE"}


class ReportFormat(str, Enum):
    html = "html"
    json = "json"
    markdown = "markdown"


_SUFFIX_FORMATS = {".html": ReportFormat.html, ".htm": ReportFormat.html, ".json": ReportFormat.json,
                   ".md": ReportFormat.markdown, ".markdown": ReportFormat.markdown}

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


def parse_models(specs: list[str], *, pivot: str) -> str | dict[str, str] | None:
    """``--model`` options into what `trace` takes: None, one bare model, or {language: model}.

    ``LANG=MODEL`` names the model for one language, ``SRC-PIVOT=MODEL`` (``ru-en=...``) the
    same for one pair into the pivot; a bare ``MODEL`` serves the only language that needs
    translating (`trace` refuses it when there are several).

    Raises:
        InputError: two bare models, a language given twice, a pair not into the pivot, or an
            unknown language.
    """
    bare: list[str] = []
    mapped: dict[str, str] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep:
            bare.append(spec.strip())
            continue
        if not key.strip() or not value.strip():
            raise InputError(f"--model expects MODEL, LANG=MODEL or SRC-{pivot}=MODEL, got {spec!r}")
        lang = _model_language(key.strip(), pivot=pivot, spec=spec)
        if lang in mapped:
            raise InputError(f"--model for {lang!r} is given twice")
        mapped[lang] = value.strip()
    if len(bare) > 1:
        raise InputError("give at most one --model without a language; name the others LANG=MODEL (e.g. --model ru=DIR)")
    if bare and mapped:
        raise InputError(f"--model {bare[0]!r} has no language while others do; write it as LANG={bare[0]}")
    if mapped:
        return mapped
    return bare[0] if bare else None


def _model_language(key: str, *, pivot: str, spec: str) -> str:
    """The source language a ``--model`` key names: ``ru`` or the pair ``ru-en`` into the pivot."""
    head, dash, tail = key.rpartition("-")
    if dash and head:
        try:
            if normalize(tail) == normalize(pivot):
                return normalize(head)
        except UnknownLanguageError:
            pass  # not a pair: zh-TW, pt-BR ...
    try:
        return normalize(key)
    except UnknownLanguageError as err:
        raise UnknownLanguageError(f"--model {spec!r}: {err}") from None


def report_targets(
    *, output: Path | None, fmt: ReportFormat | None, html: str | None, json_out: str | None, markdown: str | None,
) -> dict[ReportFormat, str]:
    """Where each report goes: ``-o FILE`` (format from ``--format`` or the suffix) and --html/--json/--markdown.

    Raises:
        InputError: a format that cannot be told from the file name, a format given twice, or two
            reports sent to one place (both to standard output).
    """
    targets: dict[ReportFormat, str] = {}
    if output is not None:
        chosen = fmt or _SUFFIX_FORMATS.get(output.suffix.lower())
        if chosen is None:
            raise InputError(
                f"cannot tell the report format of {str(output)!r} from its name: add --format html|json|markdown "
                "(-o is the report file; originals are given with --original FILE:LANG:LABEL)"
            )
        targets[chosen] = str(output)
    elif fmt is not None:
        targets[fmt] = "-"
    for kind, path in ((ReportFormat.html, html), (ReportFormat.json, json_out), (ReportFormat.markdown, markdown)):
        if path:
            if kind in targets:
                raise InputError(f"the {kind.value} report is asked for twice")
            targets[kind] = path
    _refuse_shared_targets(targets)
    return targets


def _refuse_shared_targets(targets: dict[ReportFormat, str]) -> None:
    """Two reports into one place would be glued together (stdout) or one would replace the other."""
    seen: dict[str, ReportFormat] = {}
    for kind, path in targets.items():
        key = "-" if path == "-" else os.path.realpath(path)
        if key in seen:
            where = "standard output" if path == "-" else path
            raise InputError(
                f"the {seen[key].value} and {kind.value} reports would both go to {where}; "
                "send at most one report to each place"
            )
        seen[key] = kind


@user_errors
def trace_command(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="The derived article: raw text ('-' reads standard input).", show_default=False)],
    original: Annotated[
        list[str],
        typer.Option("--original", metavar="FILE:LANG:LABEL", help="A candidate original, repeatable, in any order (e.g. xinhua.zh.txt:zh:Xinhua); without LANG the language is identified; .html pages are reduced to their main text.", show_default=False),
    ],
    lang: Annotated[str | None, typer.Option("--lang", "-l", metavar="LANG", help="The article's language (id, ru, zh, ...); identified from the text when left out.", show_default=False)] = None,
    translation: Annotated[
        list[str] | None,
        typer.Option("--translation", metavar="LABEL=FILE", help="A pivot-language translation, one line per sentence; the article's label is 'article'. Repeatable.", show_default=False),
    ] = None,
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Inputs are one sentence per line: do not segment them.")
    ] = False,
    pivot: Annotated[str, typer.Option(metavar="LANG", help="The language all texts are compared in.")] = "en",
    model: Annotated[list[str] | None, model_option("LANG=MODEL (or SRC-PIVOT=MODEL), repeatable: the model translating that language's texts without a supplied translation; others take the registry's route. A bare MODEL only when one language needs translating.")] = None,
    revision: RevisionOption = None,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    compute_type: ComputeTypeOption = ComputeType.auto,
    not_found_chrf: Annotated[float, typer.Option(metavar="NUMBER", min=0, max=100, help="Below this chrF a sentence is 'not found'.")] = Thresholds.not_found_chrf,
    faithful_chrf: Annotated[float, typer.Option(metavar="NUMBER", min=0, max=100, help="At or above this chrF, without flags, a sentence is 'faithful'.")] = Thresholds.faithful_chrf,
    min_clause: Annotated[int, typer.Option(metavar="N", min=1, help="Fewest words an omitted or added clause has.")] = Thresholds.min_clause_tokens,
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
    output: Annotated[Path | None, output_option("Write the report here ('-' for standard output); its format from --format or the suffix (.html, .json, .md).")] = None,
    fmt: Annotated[ReportFormat | None, format_option("Report format for --output (default: from its suffix); alone, the report goes to standard output.")] = None,
    html: Annotated[str | None, typer.Option("--html", metavar="FILE", help="Write the self-contained HTML report here.", show_default=False)] = None,
    json_out: Annotated[str | None, typer.Option("--json", metavar="FILE", help="Write the JSON report here ('-' for standard output).", show_default=False)] = None,
    markdown: Annotated[str | None, typer.Option("--markdown", metavar="FILE", help="Write the Markdown report here ('-' for standard output).", show_default=False)] = None,
    chain: Annotated[str | None, typer.Option("--chain", metavar="A,B,...", help="Assert the order of derivation (labels, upstream first; the article is last) instead of inferring it.", show_default=False)] = None,
) -> None:
    """Trace every sentence of an ARTICLE back into candidate originals in other languages.

    Each sentence is located in every original, scored (chrF, BLEU, TER on the pivot-language
    texts), flagged (numbers, names, negation, modality, dropped or added clauses) and given a
    verdict: faithful, paraphrased, changed or not found. The likely source, overall and per
    sentence, is decided by evidence of descent (the changes the article shares with a version),
    and the derivation tree of the versions is inferred from the texts (the order of --original
    plays no part; --chain asserts one). Without a report option (-o, --format, --html, --json,
    --markdown) a summary is printed; it numbers sentences from 1, the reports from 0.

    Examples:

        mt-toolkit trace article.id.txt --lang id --original tass.ru.txt:ru:TASS --translation article=article.en.txt --translation TASS=tass.en.txt --html trace.html

        mt-toolkit trace article.id.txt --lang id --original statement.en.txt:en:Official -o trace.json

        mt-toolkit trace article.id.txt -l id --original xinhua.zh.txt:zh:Xinhua --original tass.ru.txt:ru:TASS -m zh=DIR -m ru=DIR --beam 2
    """
    article_lang = normalize(lang) if lang else None
    from mt_toolkit.trace import ARTICLE_LABEL, TraceInput, trace

    thresholds = Thresholds(not_found_chrf=not_found_chrf, faithful_chrf=faithful_chrf, min_clause_tokens=min_clause)
    specs = [parse_original(spec) for spec in original]
    labels = [ARTICLE_LABEL] + [label for _, _, label in specs]
    supplied = parse_translations(translation or [], labels)
    models = parse_models(model or [], pivot=pivot)
    targets = report_targets(output=output, fmt=fmt, html=html, json_out=json_out, markdown=markdown)
    read_paths = [article, *(path for path, _, _ in specs), *supplied.values()]
    refuse_reading_stdin_twice(read_paths)
    for path in targets.values():  # before any model loads; never over the article or an original
        check_output(path, inputs=read_paths)

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
    to_translate = {normalize(i.lang) for i in inputs if i.translation is None and normalize(i.lang) != normalize(pivot)}
    needs_model = bool(to_translate)
    # a model that translates nothing is a typo'd language or a forgotten option: say so
    for lang, named in models.items() if isinstance(models, dict) else ():
        if lang not in to_translate:
            note(f"--model {lang}={named} is not used: no {lang} text needs translating")
    if isinstance(models, str) and not to_translate:
        note(f"--model {models} is not used: every text is in {pivot} or has a --translation")
    options = DecodingOptions(beam_size=beam, max_length=max_length, batch_size=batch_size)
    store = open_cache(cache, cache_file) if needs_model else None  # only a model run has anything to cache
    try:
        with progress_bar("Tracing") as on_progress:
            result = trace(article_input, original_inputs, pivot=pivot, model=models, options=options,
                           device=device.value, backend=backend.value, compute_type=compute_type.value,
                           revision=revision, cache=store, on_progress=on_progress, thresholds=thresholds,
                           chain=[c.strip() for c in chain.split(",") if c.strip()] if chain else None)
    finally:
        if store is not None:
            store.close()
    _write_reports(result, targets)


def _write_reports(result: TraceResult, targets: dict[ReportFormat, str]) -> None:
    if not targets:
        print_summary(result)
        return
    from mt_toolkit.report import render_html, render_json, render_markdown

    renderers = {ReportFormat.html: render_html, ReportFormat.json: render_json, ReportFormat.markdown: render_markdown}
    for kind, path in targets.items():
        write_text(path, renderers[kind](result))
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
    att = result.attribution
    if att is not None:
        console.print(f"[bold]Evidence of descent[/bold] (confidence {100 * att.confidence:.0f}%"
                      + ("; the article mixes sources" if att.mixed else "") + ")")
        for c in att.candidates:
            shared = "; ".join(c.shared[:4]) or "no departure of its own with the article"
            console.print(f"  {escape(c.label)} {100 * c.share:.0f}%: shares {escape(shared)}")
        how = "asserted" if att.stemma.asserted else f"inferred, root by {att.stemma.rooting}"
        console.print(f"[bold]Derivation tree[/bold] ({escape(how)})")
        for e in att.stemma.edges:
            console.print(f"  {escape(e.parent)} → {escape(e.child)}: {escape('; '.join(e.evidence[:3]) or 'no typed change')}")
    console.print("[bold]Sentences[/bold] (numbered from 1; verdict against each sentence's likely source)")
    width = max(20, console.width - 40)
    for s in result.sentences:
        best = s.best
        text = s.text if len(s.text) <= width else s.text[: width - 1] + "…"
        verdict = s.verdict.label
        where = f"{escape(best.label)} chrF {best.chrf:.1f}" if best else "-"
        console.print(f"{s.index + 1:>3}  [{_VERDICT_STYLE[s.verdict]}]{verdict:<11}[/] {where:<22} {escape(text)}")
        for flag in best.flags if best else ():
            console.print(f"       {flag.kind.value}: {escape(flag.detail)}")
        if s.sources and s.evidence:
            console.print(f"       [dim]source {escape(', '.join(s.sources))}: {escape('; '.join(s.evidence[:2]))}[/dim]")
        for hop in s.chain:
            if hop.verdict is Verdict.CHANGED:
                what = "; ".join(f"{f.kind.value}: {f.detail}" for f in hop.flags)
                console.print(f"       [dim]changed at {escape(hop.source)} → {escape(hop.target)}: {escape(what)}[/dim]")
    for signature in result.signatures:
        console.print(f"[dim]{escape(signature)}[/dim]")
