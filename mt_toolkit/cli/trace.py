"""`mt-toolkit trace`: how each sentence of an article changed from its candidate originals.

A thin layer over `mt_toolkit.trace`: parses the ``FILE:LANG:LABEL`` and ``LABEL=FILE`` options,
reads the files, calls `trace`, and writes the reports (atomically) or prints a summary.
"""

from __future__ import annotations

from typing import Annotated

import typer

from mt_toolkit.cli._common import BackendOption, DeviceOption, progress_bar, user_errors
from mt_toolkit.errors import InputError, UnknownLanguageError
from mt_toolkit.fidelity import Thresholds, Verdict
from mt_toolkit.languages import normalize
from mt_toolkit.textio import read_lines, read_text, write_text
from mt_toolkit.trace import ARTICLE_LABEL, TraceInput, TraceResult, trace

_VERDICT_STYLE = {
    Verdict.FAITHFUL: "green",
    Verdict.PARAPHRASED: "blue",
    Verdict.CHANGED: "bold red",
    Verdict.NOT_FOUND: "dim",
}


def parse_original(spec: str) -> tuple[str, str, str]:
    """``FILE:LANG:LABEL`` (or ``FILE:LANG``, labelled by the file name) into (file, lang, label).

    The spec is split from the right, so a file path may itself contain colons.

    Raises:
        InputError: fewer than two fields, or an unknown language.
    """
    parts = spec.rsplit(":", 2)
    if len(parts) == 3 and parts[0]:
        path, lang, label = parts
    else:
        path, _, lang = spec.rpartition(":")
        label = path.rsplit("/", 1)[-1]
    if not path or not lang.strip() or not label.strip():
        raise InputError(f"--original expects FILE:LANG:LABEL (e.g. tass.ru.txt:ru:TASS), got {spec!r}")
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
    lang: Annotated[str, typer.Option("--lang", "-l", metavar="LANG", help="The article's language (id, ru, zh, ...).", show_default=False)],
    original: Annotated[
        list[str],
        typer.Option("--original", "-o", metavar="FILE:LANG:LABEL", help="FILE:LANG:LABEL, repeatable, in any order (e.g. xinhua.zh.txt:zh:Xinhua).", show_default=False),
    ],
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
    chain: Annotated[str | None, typer.Option("--chain", metavar="A,B,...", help="Assert the order of derivation (labels, upstream first; the article is last) instead of inferring it.")] = None,
) -> None:
    """Trace every sentence of an ARTICLE back into candidate originals in other languages.

    Each sentence is located in every original, scored (chrF, BLEU, TER on the pivot-language
    texts), flagged (numbers, names, negation, modality, dropped or added clauses) and given a
    verdict: faithful, paraphrased, changed or not found. The likely source, overall and per
    sentence, is decided by evidence of descent (the changes the article shares with a version),
    and the derivation tree of the versions is inferred from the texts (the order of --original
    plays no part; --chain asserts one). Without --html/--json/--markdown a summary is printed.

    Examples:

        mt-toolkit trace article.id.txt --lang id --original tass.ru.txt:ru:TASS --translation article=article.en.txt --translation TASS=tass.en.txt --html trace.html

        mt-toolkit trace article.id.txt --lang id --original statement.en.txt:en:Official --json -
    """
    article_lang = normalize(lang)
    thresholds = Thresholds(not_found_chrf=not_found_chrf, faithful_chrf=faithful_chrf, min_clause_tokens=min_clause)
    specs = [parse_original(spec) for spec in original]
    labels = [ARTICLE_LABEL] + [label for _, _, label in specs]
    supplied = parse_translations(translation or [], labels)

    def read_input(path: str, text_lang: str, label: str) -> TraceInput:
        given = tuple(read_lines(supplied[label])) if label in supplied else None
        return TraceInput(label, text_lang, read_text(path), presegmented=sentences, translation=given)

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
                           backend=backend, cache=store, on_progress=on_progress, thresholds=thresholds,
                           chain=[c.strip() for c in chain.split(",") if c.strip()] if chain else None)
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
    console.print("[bold]Sentences[/bold] (verdict against each sentence's likely source)")
    width = max(20, console.width - 40)
    for s in result.sentences:
        best = s.best
        text = s.text if len(s.text) <= width else s.text[: width - 1] + "…"
        verdict = s.verdict.value.replace("_", " ")
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
