"""Renderers for a `mt_toolkit.evaluate.Evaluation`: JSON, Markdown, and a rich table for terminals.

Each is a pure function of the evaluation; writing files is the caller's business. Every score is
shown with its sacrebleu signature, and every system with its models, revisions, backend,
device and speed, so a reader can reproduce any row.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from mt_toolkit.evaluate import Evaluation, SystemResult
from mt_toolkit.translate.records import hop_record


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain data (what `render_json` writes), hypotheses left out."""
    systems = []
    for index, system in enumerate(evaluation.systems):
        entry: dict[str, Any] = {
            "name": system.name,
            "hops": [hop_record(hop) for hop in system.hops],
            "scores": [asdict(score) for score in system.scores],
            "translated_this_run": system.translated,
            "sentences_per_second": system.sentences_per_second,
            "speed_from_cache": system.speed_from_cache,
        }
        if evaluation.significance is not None:
            entry["significance"] = {
                metric: {
                    "p_value": evaluation.significance.results[metric][index].p_value,
                    "mean": evaluation.significance.results[metric][index].score.mean,
                    "ci": evaluation.significance.results[metric][index].score.ci,
                    "signature": evaluation.significance.results[metric][index].score.signature,
                }
                for metric in evaluation.significance.metrics
            }
        systems.append(entry)
    return {
        "testset": evaluation.testset,
        "src_lang": evaluation.src_lang,
        "tgt_lang": evaluation.tgt_lang,
        "sentences": evaluation.n_sentences,
        "decoding": asdict(evaluation.options),
        "metrics": list(evaluation.metrics),
        "baseline": evaluation.systems[0].name,
        "significance_test": None if evaluation.significance is None else {
            "test": evaluation.significance.test, "n_samples": evaluation.significance.n_samples,
        },
        "systems": systems,
        "notes": list(evaluation.notes),
    }


def render_json(evaluation: Evaluation) -> str:
    """JSON with every score, signature, hop record, speed and p-value."""
    return json.dumps(evaluation_dict(evaluation), indent=1, ensure_ascii=False) + "\n"


def _metric_names(evaluation: Evaluation) -> list[str]:
    return [score.metric for score in evaluation.systems[0].scores]


def _cell(evaluation: Evaluation, index: int, column: int, *, width: int = 1) -> str:
    score = evaluation.systems[index].scores[column]
    text = f"{score.value:.{width}f}"
    if evaluation.significance is not None and index > 0:
        results = evaluation.significance.results.get(score.metric)
        if results is not None:
            p_value = results[index].p_value
            text += f" (p={p_value:.3f}{'*' if results[index].significant() else ''})"
    return text


def _speed(system: SystemResult) -> str:
    if system.sentences_per_second is None:
        return "n/a"
    return f"{system.sentences_per_second:.1f}" + (" (cached)" if system.speed_from_cache else "")


def _models(system: SystemResult) -> str:
    parts = []
    for hop in system.hops:
        revision = f"@{hop.revision[:12]}" if hop.revision else ""
        parts.append(f"{hop.src_lang}→{hop.tgt_lang}: {hop.model}{revision}")
    return "; ".join(parts)


def _runtime(system: SystemResult) -> str:
    hop = system.hops[0]
    return f"{hop.backend}/{hop.device}/{hop.compute_type}"


def render_markdown(evaluation: Evaluation) -> str:
    """A Markdown report: the scores table, significance, signatures and how each system ran."""
    metrics = _metric_names(evaluation)
    opts = evaluation.options
    lines = [
        f"# Evaluation: {evaluation.testset}, {evaluation.src_lang}→{evaluation.tgt_lang}",
        "",
        f"{evaluation.n_sentences} sentences; decoding: beam {opts.beam_size}, max length {opts.max_length}, "
        f"length penalty {opts.length_penalty}, batch {opts.batch_size}.",
        "",
        "| system | " + " | ".join(metrics) + " | sentences/s | run on | models |",
        "| --- | " + " | ".join("---:" for _ in metrics) + " | ---: | --- | --- |",
    ]
    for index, system in enumerate(evaluation.systems):
        name = f"{system.name} (baseline)" if index == 0 and len(evaluation.systems) > 1 else system.name
        cells = [_cell(evaluation, index, column) for column in range(len(metrics))]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {_speed(system)} | {_runtime(system)} | {_models(system)} |"
        )
    lines.append("")
    if evaluation.significance is not None:
        sig = evaluation.significance
        kind = "paired bootstrap resampling" if sig.test == "bs" else "paired approximate randomisation"
        lines += [
            f"p-values: {kind} ({sig.n_samples} {'resamples' if sig.test == 'bs' else 'trials'}) against "
            f"{sig.baseline}; * = p < 0.05 (the difference is unlikely to be chance; it says nothing "
            f"about which is better).",
            "",
        ]
    lines.append("Signatures:")
    lines.append("")
    for score in evaluation.systems[0].scores:
        lines.append(f"- {score.metric}: `{score.signature}`")
    if evaluation.significance is not None:
        for metric in evaluation.significance.metrics:
            lines.append(f"- {metric} (test): `{evaluation.significance.results[metric][0].score.signature}`")
    lines.append("")
    lines.append(
        "Speed: sentences per second over the sentences each system translated, model loading excluded; "
        "'(cached)' = measured when the translations were made and cached, in an earlier run."
    )
    for note in evaluation.notes:
        lines += ["", f"Note: {note}"]
    return "\n".join(lines) + "\n"


def render_table(evaluation: Evaluation):
    """A `rich.table.Table` of the scores, p-values and speeds, for the terminal."""
    from rich.table import Table

    metrics = _metric_names(evaluation)
    table = Table(title=f"{evaluation.testset} {evaluation.src_lang}→{evaluation.tgt_lang} ({evaluation.n_sentences} sentences)")
    table.add_column("system")
    for metric in metrics:
        table.add_column(metric, justify="right")
    table.add_column("sent/s", justify="right")
    table.add_column("translated", justify="right")
    for index, system in enumerate(evaluation.systems):
        name = f"{system.name} (baseline)" if index == 0 and len(evaluation.systems) > 1 else system.name
        table.add_row(
            name, *(_cell(evaluation, index, c) for c in range(len(metrics))), _speed(system), str(system.translated)
        )
    return table
