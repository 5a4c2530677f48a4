"""`mt-toolkit eval`: translate a test set with one or more models, score them, compare them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from mt_toolkit.cli._common import (
    BackendOption,
    BatchSizeOption,
    BeamOption,
    ComputeTypeOption,
    DeviceOption,
    MaxLengthOption,
    progress_bar,
    user_errors,
)
from mt_toolkit.metrics import DEFAULT_METRICS


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "system"


@user_errors
def eval_command(
    testset: Annotated[str, typer.Argument(help="A test-set name from --testsets, or a folder (FLORES-200, NTREX-128 or TICO-19 layout).", show_default=False)],
    model: Annotated[list[str], typer.Option("--model", "-m", help="A system, repeatable: Hugging Face id or local folder, A+B (two hops through --pivot), 'registry', each optionally NAME=...; the first is the baseline.", show_default=False)],
    src: Annotated[Optional[str], typer.Option("--src", "-s", help="Source language (multi-way test sets).")] = None,
    tgt: Annotated[Optional[str], typer.Option("--tgt", "-t", help="Target language (multi-way test sets).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for results.json, report.md and the translations. Default: mt-eval/TESTSET.SRC-TGT.")] = None,
    metrics: Annotated[str, typer.Option(help="Comma-separated: bleu, chrf, chrf++, ter, spbleu.")] = ",".join(DEFAULT_METRICS),
    tokenize: Annotated[Optional[str], typer.Option(help="Override the BLEU tokenizer chosen for the target language.")] = None,
    testsets: Annotated[Optional[Path], typer.Option(help="TOML file naming test sets. Default: the one shipped with mt-toolkit.")] = None,
    layout: Annotated[Optional[str], typer.Option(help="Layout of a test-set folder: flores200, ntrex128 or tico19 (default: recognised).")] = None,
    split: Annotated[Optional[str], typer.Option(help="Split of a FLORES-200/TICO-19 folder (dev, devtest, test).")] = None,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    device: DeviceOption = "auto",
    backend: BackendOption = "auto",
    compute_type: ComputeTypeOption = "auto",
    pivot: Annotated[str, typer.Option(help="Pivot language for A+B systems and registry routes.")] = "en",
    cache: Annotated[Optional[Path], typer.Option(help="Translation cache file. Default: $MT_TOOLKIT_CACHE_DIR or ~/.cache/mt-toolkit/translations.sqlite3.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Translate everything afresh and store nothing.")] = False,
    paired: Annotated[str, typer.Option(help="Significance test against the first system: bs (bootstrap) or ar (randomisation).")] = "bs",
    paired_n: Annotated[int, typer.Option(help="Resamples (bs) or trials (ar); 0 = sacrebleu's default.")] = 0,
) -> None:
    """Evaluate translation models on a test set: sacrebleu scores with signatures, speed, significance.

    Translations are cached (SQLite) by model, revision, decoding settings and source sentence,
    so adding one more model to an evaluation translates only with that model.

    Example:

        mt-toolkit eval flores200-dev --src id --tgt en -m Helsinki-NLP/opus-mt-id-en -m nllb=facebook/nllb-200-distilled-600M
    """
    from mt_toolkit.errors import InputError
    from mt_toolkit.evaluate import SystemSpec, evaluate
    from mt_toolkit.metrics import PAIRED_TESTS, parse_metrics
    from mt_toolkit.testsets import read_testdata, resolve_testset
    from mt_toolkit.translate.base import DecodingOptions

    # everything a user can get wrong is checked before any model loads
    names = parse_metrics(metrics)
    if paired not in PAIRED_TESTS:
        raise InputError(f"unknown paired test {paired!r}; choose bs (bootstrap) or ar (randomisation)")
    specs = [SystemSpec.parse(spec) for spec in model]
    evalset = resolve_testset(testset, testsets_file=testsets, layout=layout, split=split, src_lang=src)
    data = read_testdata(evalset, src_lang=src, tgt_lang=tgt)
    out_dir = out if out is not None else Path("mt-eval") / f"{_slug(data.testset)}.{data.src_lang}-{data.tgt_lang}"

    from mt_toolkit.report.evaluation import render_json, render_markdown, render_table
    from mt_toolkit.textio import write_text
    from mt_toolkit.translate.cache import TranslationCache

    store = None if no_cache else TranslationCache(cache)
    options = DecodingOptions(beam_size=beam, max_length=max_length, batch_size=batch_size)
    try:
        with progress_bar(f"Translating with {len(specs)} system(s)") as on_progress:
            evaluation = evaluate(
                data, specs, metrics=names, options=options, device=device, backend=backend,
                compute_type=compute_type, pivot=pivot, cache=store, paired=paired,
                paired_samples=paired_n, tokenize=tokenize, on_progress=on_progress,
            )
    finally:
        if store is not None:
            store.close()

    used: set[str] = set()
    for system in evaluation.systems:
        slug = _slug(system.name)
        while slug in used:
            slug += "_"
        used.add(slug)
        write_text(out_dir / "translations" / f"{slug}.{data.tgt_lang}.txt", "\n".join(system.hypotheses) + "\n")
    write_text(out_dir / "results.json", render_json(evaluation))
    write_text(out_dir / "report.md", render_markdown(evaluation))

    from rich.console import Console

    console = Console(width=max(Console().width, 100))
    console.print(render_table(evaluation))
    for score in evaluation.systems[0].scores:
        console.print(f"{score.metric}|{score.signature}", soft_wrap=True, highlight=False)
    console.print(f"wrote {out_dir / 'results.json'}, {out_dir / 'report.md'} and {out_dir / 'translations'}/", soft_wrap=True, highlight=False)
