"""`mt-toolkit score`: BLEU, chrF, chrF++ and TER of translations against references.

A thin layer over `mt_toolkit.metrics`: reads the files, calls one library function, prints.
Lines are read as sacrebleu's command line reads them (trailing whitespace dropped), so the
figures equal ``sacrebleu REF -i HYP`` on the same files.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from mt_toolkit import metrics as _metrics
from mt_toolkit.cli._common import PairedTest, format_option, user_errors
from mt_toolkit.errors import InputError
from mt_toolkit.textio import read_lines, refuse_reading_stdin_twice


# Spellings of earlier releases, still accepted for one release and hidden from --help.
ALIASES = {"--json": "--format json"}
REMOVED = {"-m": "-m was --metrics; -m means --model in every command now, so write --metrics NAMES"}


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


def read_segments(path: str) -> list[str]:
    """One segment per line with trailing whitespace removed, as the sacrebleu CLI reads them."""
    return [line.rstrip() for line in read_lines(path, allow_blank=True)]


def parse_systems(specs: list[str], *, baseline: str | None) -> list[tuple[str, str]]:
    """``NAME=FILE`` options into (name, path) pairs, the baseline first.

    Raises:
        InputError: a spec without ``=``, a repeated name, or a baseline that is not a system.
    """
    systems: list[tuple[str, str]] = []
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise InputError(f"--system expects NAME=FILE, got {spec!r}")
        if any(name.strip() == other for other, _ in systems):
            raise InputError(f"system name {name.strip()!r} is given twice")
        systems.append((name.strip(), path.strip()))
    if baseline is not None:
        names = [name for name, _ in systems]
        if baseline not in names:
            raise InputError(f"--baseline {baseline!r} is not one of the systems ({', '.join(names)})")
        systems.sort(key=lambda item: item[0] != baseline)
    return systems


@user_errors
def score_command(
    files: Annotated[
        list[str],
        typer.Argument(
            help="HYP REF [REF ...]: the hypothesis file then one or more reference files "
            "('-' reads standard input). With --system, every file given here is a reference.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    metrics: Annotated[
        str, typer.Option("--metrics", metavar="NAMES", help="Comma-separated: bleu, chrf, chrf++, ter, spbleu.")
    ] = ",".join(_metrics.DEFAULT_METRICS),
    lang: Annotated[
        str,
        typer.Option("--lang", "-l", metavar="LANG", help="Target language: picks the BLEU tokenizer (zh for Chinese, 13a else) and TER's Asian-script support."),
    ] = "en",
    tokenize: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Override the BLEU tokenizer (13a, zh, intl, char, flores200, none, ...)."),
    ] = None,
    sentence: Annotated[
        bool, typer.Option("--sentence", help="Score every line on its own instead of the corpus.")
    ] = False,
    confidence: Annotated[
        bool,
        typer.Option("--confidence", help="Add a 95% bootstrap confidence interval (1000 resamples)."),
    ] = False,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system",
            metavar="NAME=FILE",
            help="NAME=FILE, repeatable: compare several systems by a paired significance test.",
        ),
    ] = None,
    baseline: Annotated[
        str | None, typer.Option(metavar="NAME", help="Name of the system the others are compared with (default: the first).")
    ] = None,
    paired: Annotated[
        PairedTest, typer.Option(help="Paired test: bs (bootstrap resampling) or ar (approximate randomisation).")
    ] = PairedTest.bs,
    paired_n: Annotated[
        int, typer.Option(metavar="N", help="Resamples (bs) or trials (ar); 0 = sacrebleu's default (1000 / 10000).")
    ] = 0,
    fmt: Annotated[ScoreFormat, format_option("text, or json (the same figures with their signatures).")] = ScoreFormat.text,
    width: Annotated[int, typer.Option("--width", "-w", metavar="N", min=0, help="Decimals in text output.")] = 1,
) -> None:
    """Score translations with sacrebleu: every figure is printed with its signature.

    Examples:

        mt-toolkit score hyp.en ref.en --metrics bleu,chrf,ter

        mt-toolkit score hyp.zh ref.zh --lang zh

        mt-toolkit score ref.en --system base=a.en --system new=b.en --paired bs
    """
    _score(
        files, metrics=metrics, lang=lang, tokenize=tokenize, sentence=sentence, confidence=confidence,
        systems=system or [], baseline=baseline, paired=paired.value, paired_n=paired_n,
        as_json=fmt is ScoreFormat.json,
        width=width,
    )


def _score(
    files: list[str], *, metrics: str, lang: str, tokenize: str | None, sentence: bool,
    confidence: bool, systems: list[str], baseline: str | None, paired: str, paired_n: int,
    as_json: bool, width: int,
) -> None:
    names = _metrics.parse_metrics(metrics)
    refuse_reading_stdin_twice([*files, *(spec.partition("=")[2].strip() for spec in systems)])
    if sentence and confidence:
        raise InputError("--confidence is a corpus-level interval; --sentence scores lines one by one: drop one of them")
    _metrics.check_paired_options(paired, paired_n)
    if systems:
        if sentence:
            raise InputError("--sentence scores one system; drop it or give a single HYP file")
        refs_list = [read_segments(path) for path in files]
        named = [(name, read_segments(path)) for name, path in parse_systems(systems, baseline=baseline)]
        _check_lengths(named, refs_list, files)
        table = _metrics.paired_significance(
            named, refs_list, metrics=names, lang=lang, tokenize=tokenize, test=paired.lower(),
            n_samples=paired_n,
        )
        typer.echo(_significance_json(table) if as_json else _significance_text(table, width=width))
        return
    if baseline is not None:
        raise InputError("--baseline needs several systems given with --system NAME=FILE")
    if len(files) < 2:
        raise InputError("give a hypothesis file and at least one reference file (HYP REF [REF ...])")
    hyp_path, ref_paths = files[0], files[1:]
    hyps = read_segments(hyp_path)
    refs_list = [read_segments(path) for path in ref_paths]
    _check_lengths([(hyp_path, hyps)], refs_list, ref_paths)
    if sentence:
        rows = _metrics.segment_scores(hyps, refs_list, metrics=names, lang=lang, tokenize=tokenize)
        typer.echo(_sentence_json(rows) if as_json else _sentence_text(rows, width=width))
        return
    scores = _metrics.corpus_scores(
        hyps, refs_list, metrics=names, lang=lang, tokenize=tokenize,
        n_bootstrap=1000 if confidence else 1,
    )
    if as_json:
        typer.echo(json.dumps([_score_dict(s) for s in scores], indent=1, ensure_ascii=False))
    else:
        typer.echo("\n".join(s.format(width=width) for s in scores))


def _check_lengths(named: list[tuple[str, list[str]]], refs_list: list[list[str]], ref_paths: list[str]) -> None:
    from mt_toolkit.textio import check_same_length

    if not refs_list:
        raise InputError("give at least one reference file")
    def shown(path: str) -> str:
        return "standard input" if path == "-" else path

    for name, hyps in named:
        for path, refs in zip(ref_paths, refs_list):
            check_same_length(hyps, refs, name_a=shown(name), name_b=shown(path))


def _score_dict(score: _metrics.Score) -> dict:
    return {
        "metric": score.metric,
        "value": score.value,
        "signature": score.signature,
        "ci": score.ci,
        "mean": score.mean,
        "detail": score.detail,
    }


def _sentence_text(rows: list[list[_metrics.Score]], *, width: int) -> str:
    first = rows[0]
    lines = [f"# {s.metric}|{s.signature}" for s in first]
    lines.append("\t".join(["line (from 1)", *(s.metric for s in first)]))
    for number, row in enumerate(rows, 1):
        lines.append("\t".join([str(number), *(f"{s.value:.{width}f}" for s in row)]))
    return "\n".join(lines)


def _sentence_json(rows: list[list[_metrics.Score]]) -> str:
    payload = {
        "signatures": {s.metric: s.signature for s in rows[0]},
        "sentences": [
            {"line": index, "scores": {s.metric: s.value for s in row}}  # 0-based, as everywhere
            for index, row in enumerate(rows)
        ],
    }
    return json.dumps(payload, indent=1, ensure_ascii=False)


def _significance_json(table: _metrics.SignificanceTable) -> str:
    systems = []
    for index, system in enumerate(table.systems):
        entry: dict = {"system": system, "baseline": index == 0}
        for metric in table.metrics:
            result = table.results[metric][index]
            entry[metric] = {
                "score": result.score.value,
                "mean": result.score.mean,
                "ci": result.score.ci,
                "p_value": result.p_value,
            }
        systems.append(entry)
    payload = {
        "test": table.test,
        "n_samples": table.n_samples,
        "baseline": table.baseline,
        "systems": systems,
        "signatures": {m: table.results[m][0].score.signature for m in table.metrics},
    }
    return json.dumps(payload, indent=1, ensure_ascii=False)


def _significance_text(table: _metrics.SignificanceTable, *, width: int) -> str:
    """A plain aligned table (stable in pipes and tests), then the test and the signatures."""
    header = ["System", *table.metrics]
    body = []
    for index, system in enumerate(table.systems):
        cells = [f"{system} (baseline)" if index == 0 else system]
        for metric in table.metrics:
            result = table.results[metric][index]
            cell = f"{result.score.value:.{width}f}"
            if result.score.mean is not None and result.score.ci is not None:
                cell += f" ({result.score.mean:.{width}f} ± {result.score.ci:.{width}f})"
            if result.p_value is not None:
                cell += f" p={result.p_value:.4f}" + ("*" if result.significant() else "")
            cells.append(cell)
        body.append(cells)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    name = "paired bootstrap resampling" if table.test == "bs" else "paired approximate randomisation"
    unit = "resamples" if table.test == "bs" else "trials"
    lines += [
        "",
        f"{name}, {table.n_samples} {unit}; * = p < 0.05 against {table.baseline} "
        f"(significantly different, not necessarily better)",
    ]
    if table.test == "bs":
        lines.append("scores as: actual (bootstrap mean ± 95% CI)")
    lines += [f"{m}|{table.results[m][0].score.signature}" for m in table.metrics]
    return "\n".join(lines)
