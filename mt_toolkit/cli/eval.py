"""`mt-toolkit eval`: translate a test set with one or more models, score them, compare them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

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
    Layout,
    MaxLengthOption,
    PairedTest,
    open_cache,
    progress_bar,
    user_errors,
)
from mt_toolkit.metrics import DEFAULT_METRICS

# Spellings of earlier releases, still accepted for one release and hidden from --help.
ALIASES = {"--out": "--output-dir"}
REMOVED = {"-o": "-o was the results folder; -o is an output file in every command now, so write --output-dir DIR"}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "system"


@user_errors
def eval_command(
    testset: Annotated[str, typer.Argument(metavar="TESTSET", help="A test-set name from --testsets, or a folder (FLORES-200, NTREX-128 or TICO-19 layout).", show_default=False)],
    model: Annotated[list[str], typer.Option("--model", "-m", metavar="[NAME=]MODEL", help="A system, repeatable: Hugging Face id or local folder, A+B (two hops through --pivot), 'registry', each optionally NAME=...; the first is the baseline.", show_default=False)],
    src: Annotated[Optional[str], typer.Option("--src", "-s", metavar="LANG", help="Source language (multi-way test sets).", show_default=False)] = None,
    tgt: Annotated[Optional[str], typer.Option("--tgt", "-t", metavar="LANG", help="Target language (multi-way test sets).", show_default=False)] = None,
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", metavar="DIR", help="Folder for results.json, report.md and the translations. Default: mt-eval/TESTSET.SRC-TGT.", show_default=False)] = None,
    metrics: Annotated[str, typer.Option(metavar="NAMES", help="Comma-separated: bleu, chrf, chrf++, ter, spbleu.")] = ",".join(DEFAULT_METRICS),
    tokenize: Annotated[Optional[str], typer.Option(metavar="NAME", help="Override the BLEU tokenizer chosen for the target language.", show_default=False)] = None,
    testsets: Annotated[Optional[Path], typer.Option(metavar="FILE", help="TOML file naming test sets. Default: the one shipped with mt-toolkit.", show_default=False)] = None,
    layout: Annotated[Optional[Layout], typer.Option(help="Layout of a test-set folder (default: recognised).", show_default=False)] = None,
    split: Annotated[Optional[str], typer.Option(metavar="NAME", help="Split of a FLORES-200/TICO-19 folder (dev, devtest, test).", show_default=False)] = None,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    compute_type: ComputeTypeOption = ComputeType.auto,
    pivot: Annotated[str, typer.Option(metavar="LANG", help="Pivot language for A+B systems and registry routes.")] = "en",
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
    paired: Annotated[PairedTest, typer.Option(help="Significance test against the first system: bs (bootstrap) or ar (randomisation).")] = PairedTest.bs,
    paired_n: Annotated[int, typer.Option(metavar="N", help="Resamples (bs) or trials (ar); 0 = sacrebleu's default.")] = 0,
) -> None:
    """Evaluate translation models on a test set: sacrebleu scores with signatures, speed, significance.

    Translations are cached (SQLite) by model, revision, decoding settings and source sentence,
    so adding one more model to an evaluation translates only with that model.

    Example:

        mt-toolkit eval flores200-dev --src id --tgt en -m Helsinki-NLP/opus-mt-id-en -m nllb=facebook/nllb-200-distilled-600M
    """
    from mt_toolkit.evaluate import SystemSpec, evaluate
    from mt_toolkit.metrics import parse_metrics
    from mt_toolkit.testsets import read_testdata, resolve_testset
    from mt_toolkit.translate.base import DecodingOptions

    # everything a user can get wrong is checked before any model loads
    names = parse_metrics(metrics)
    specs = [SystemSpec.parse(spec) for spec in model]
    evalset = resolve_testset(testset, testsets_file=testsets, layout=layout.value if layout else None, split=split, src_lang=src)
    data = read_testdata(evalset, src_lang=src, tgt_lang=tgt)
    out_dir = output_dir if output_dir is not None else Path("mt-eval") / f"{_slug(data.testset)}.{data.src_lang}-{data.tgt_lang}"

    from mt_toolkit.report.evaluation import render_json, render_markdown, render_table
    from mt_toolkit.textio import check_output, write_text

    check_output(out_dir, folder=True)

    store = open_cache(cache, cache_file)
    options = DecodingOptions(beam_size=beam, max_length=max_length, batch_size=batch_size)
    try:
        with progress_bar(f"Translating with {len(specs)} system(s)") as on_progress:
            evaluation = evaluate(
                data, specs, metrics=names, options=options, device=device.value, backend=backend.value,
                compute_type=compute_type.value, pivot=pivot, cache=store, paired=paired.value,
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
