"""`mt-toolkit score` prints the figures the sacrebleu command line prints on the same files."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app

runner = CliRunner()

EN_WORDS = (
    "the government said on Monday that the president will visit Jakarta in July to discuss "
    "economic cooperation , security and new investment worth 3.5 billion dollars ; officials "
    "did not confirm whether the minister must attend or may send a deputy ."
).split()
ZH_CHARS = list("政府星期一表示主席将于七月访问雅加达讨论经济合作安全和新的投资价值三十五亿美元官员没有证实部长是否必须出席")


def _corpus(rng: random.Random, n: int, zh: bool = False) -> list[str]:
    if zh:
        return ["".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(8, 30))) + "。" for _ in range(n)]
    return [" ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(5, 25))) for _ in range(n)]


def _perturb(lines: list[str], rng: random.Random, zh: bool = False) -> list[str]:
    """A 'system output': drop, swap and change units so scores sit well between 0 and 100."""
    out = []
    for line in lines:
        units = list(line) if zh else line.split()
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(units))
            action = rng.random()
            if action < 0.3 and len(units) > 2:
                del units[i]
            elif action < 0.6:
                j = rng.randrange(len(units))
                units[i], units[j] = units[j], units[i]
            else:
                units[i] = rng.choice(ZH_CHARS if zh else EN_WORDS)
        out.append(("" if zh else " ").join(units))
    return out


@pytest.fixture()
def files(tmp_path) -> dict[str, Path]:
    rng = random.Random(7)
    ref = _corpus(rng, 120)
    ref2 = _perturb(ref, rng)
    hyp, hyp_b = _perturb(ref, rng), _perturb(ref, rng)
    zh_ref = _corpus(rng, 80, zh=True)
    zh_hyp = _perturb(zh_ref, rng, zh=True)
    paths = {}
    for name, lines in [("ref", ref), ("ref2", ref2), ("hyp", hyp), ("hyp_b", hyp_b), ("zh_ref", zh_ref), ("zh_hyp", zh_hyp)]:
        paths[name] = tmp_path / f"{name}.txt"
        # a trailing space on some lines: sacrebleu strips it, so must we
        paths[name].write_text("\n".join(l + (" " if i % 7 == 0 else "") for i, l in enumerate(lines)) + "\n", encoding="utf-8")
    return paths


def sacrebleu_cli(*args: object) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "sacrebleu", *map(str, args), "-q", "--no-color"],
        capture_output=True, text=True, check=True, env={"PATH": "", "SACREBLEU_SEED": "12345"},
    )
    return proc.stdout


def ours(*args: object) -> dict | list:
    result = runner.invoke(app, ["score", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


# (our metric, sacrebleu's arguments for it)
CORPUS_CASES = [
    ("bleu", ["-m", "bleu"]),
    ("chrf", ["-m", "chrf"]),
    ("chrf++", ["-m", "chrf", "--chrf-word-order", "2"]),
    ("ter", ["-m", "ter"]),
]


@pytest.mark.parametrize("metric, sb_args", CORPUS_CASES)
def test_corpus_scores_equal_sacrebleu_cli(files, metric, sb_args):
    (expected,) = [json.loads(sacrebleu_cli(files["ref"], files["ref2"], "-i", files["hyp"], *sb_args, "-w", 4, "-f", "json"))]
    (got,) = ours(files["hyp"], files["ref"], files["ref2"], "--metrics", metric)
    assert got["metric"] == expected["name"]
    assert round(got["value"], 4) == expected["score"]
    assert got["signature"] == expected["signature"]
    assert 0 < got["value"] < 100


def test_chinese_bleu_and_ter_equal_sacrebleu_cli_with_zh_settings(files):
    expected = json.loads(sacrebleu_cli(
        files["zh_ref"], "-i", files["zh_hyp"], "-m", "bleu", "chrf", "ter", "--tokenize", "zh",
        "--ter-asian-support", "-w", 4, "-f", "json",
    ))
    got = ours(files["zh_hyp"], files["zh_ref"], "--metrics", "bleu,chrf,ter", "--lang", "zh")
    assert [(g["metric"], round(g["value"], 4), g["signature"]) for g in got] == [
        (e["name"], e["score"], e["signature"]) for e in expected
    ]
    assert "tok:zh" in got[0]["signature"]


@pytest.mark.parametrize("metric, sb_args", CORPUS_CASES)
def test_sentence_scores_equal_sacrebleu_sentence_level(files, metric, sb_args):
    expected = [float(x) for x in sacrebleu_cli(files["ref"], "-i", files["hyp"], *sb_args, "--sentence-level", "-b", "-w", 4).split()]
    got = ours(files["hyp"], files["ref"], "--metrics", metric, "--sentence")
    assert [round(s["scores"][next(iter(s["scores"]))], 4) for s in got["sentences"]] == expected
    assert len(got["signatures"]) == 1


def test_confidence_interval_equals_sacrebleu_confidence(files):
    expected = json.loads(sacrebleu_cli(files["ref"], "-i", files["hyp"], "-m", "bleu", "chrf", "--confidence", "-w", 4, "-f", "json"))
    got = ours(files["hyp"], files["ref"], "--metrics", "bleu,chrf", "--confidence")
    for mine, theirs in zip(got, expected):
        assert mine["signature"] == theirs["signature"] and "bs:1000" in mine["signature"]
        assert round(mine["value"], 4) == theirs["score"]
        # same resampling and seed; allow for bootstrap noise all the same
        assert mine["mean"] == pytest.approx(theirs["confidence_mean"], abs=0.05)
        assert mine["ci"] == pytest.approx(theirs["confidence_var"], abs=0.05)


def test_tokenize_override_is_passed_to_bleu(files):
    (got,) = ours(files["zh_hyp"], files["zh_ref"], "--metrics", "bleu", "--lang", "zh", "--tokenize", "char")
    expected = json.loads(sacrebleu_cli(files["zh_ref"], "-i", files["zh_hyp"], "-m", "bleu", "--tokenize", "char", "-w", 4, "-f", "json"))
    assert round(got["value"], 4) == expected["score"] and "tok:char" in got["signature"]


def _parse_paired_text(text: str) -> tuple[list[tuple[float, ...]], list[float]]:
    """Scores (with bootstrap mean and CI when shown) and p-values, in table order, from
    sacrebleu's text table (its JSON writer fails on --paired-bs in 2.6: float32 values)."""
    table = text.split("\n\n")[0]
    p_values = [float(x) for x in re.findall(r"\(p = (\d+\.\d+)\)", table)]
    table = re.sub(r"\(p = \d+\.\d+\)", "", table)
    scores = [
        tuple(float(x) for x in m if x)
        for m in re.findall(r"(\d+\.\d+)(?: \((\d+\.\d+) ± (\d+\.\d+)\))?", table)
    ]
    return scores, p_values


@pytest.mark.parametrize("test, flag", [("bs", "--paired-bs"), ("ar", "--paired-ar")])
def test_paired_significance_matches_sacrebleu_paired_test(files, test, flag):
    n = "300"
    text = sacrebleu_cli(
        files["ref"], "-i", files["hyp"], files["hyp_b"], "-m", "bleu", "chrf", flag,
        "--paired-bs-n" if test == "bs" else "--paired-ar-n", n, "-w", 4, "-f", "text",
    )
    expected_scores, expected_p = _parse_paired_text(text)
    got = ours(files["ref"], "--system", f"a={files['hyp']}", "--system", f"b={files['hyp_b']}",
               "--metrics", "bleu,chrf", "--paired", test, "--paired-n", n)
    assert got["test"] == test and got["n_samples"] == 300 and got["baseline"] == "a"
    mine_scores, mine_p = [], []
    for system in got["systems"]:
        for metric in ("BLEU", "chrF2"):
            cell = system[metric]
            shown = (cell["score"],) if cell["mean"] is None else (cell["score"], cell["mean"], cell["ci"])
            mine_scores.append(shown)
            if cell["p_value"] is not None:
                mine_p.append(cell["p_value"])
    assert len(mine_scores) == len(expected_scores) == 4 and len(mine_p) == len(expected_p) == 2
    for mine, theirs in zip(mine_scores, expected_scores):
        assert len(mine) == len(theirs) == (3 if test == "bs" else 1)
        assert mine[0] == pytest.approx(theirs[0], abs=1e-4)  # the score itself is exact
        # bootstrap mean and CI: same implementation and seed, but allow sampling noise
        assert mine[1:] == pytest.approx(theirs[1:], abs=0.2)
    assert mine_p == pytest.approx(expected_p, abs=0.02)
    assert f"{test}:300" in got["signatures"]["BLEU"] and "seed:12345" in got["signatures"]["BLEU"]


def test_baseline_option_reorders_and_text_table_marks_it(files):
    result = runner.invoke(app, [
        "score", str(files["ref"]), "--system", f"a={files['hyp']}", "--system", f"b={files['hyp_b']}",
        "--baseline", "b", "--metrics", "bleu", "--paired-n", "100",
    ])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("b (baseline)") and lines[3].startswith("a ")
    assert "p=" in lines[3]
    assert any(line.startswith("BLEU|nrefs:1|bs:100|seed:12345") for line in lines)


def test_text_output_shows_signature_per_metric(files):
    result = runner.invoke(app, ["score", str(files["hyp"]), str(files["ref"]), "--metrics", "bleu,ter"])
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()
    assert first.startswith("BLEU|nrefs:1|case:mixed|eff:no|tok:13a") and " = " in first
    assert second.startswith("TER|nrefs:1|case:lc|tok:tercom")


def test_reads_hypothesis_from_stdin(files):
    result = runner.invoke(app, ["score", "-", str(files["ref"]), "--metrics", "bleu", "--json"], input=files["hyp"].read_text())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == ours(files["hyp"], files["ref"], "--metrics", "bleu")


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda f, t: [f["hyp"], f["zh_ref"]], "has 120 lines but"),
        (lambda f, t: [t, f["ref"]], "is empty"),
        (lambda f, t: [f["hyp"], f["ref"], "--metrics", "bleu,rouge"], "unknown metric 'rouge'"),
        (lambda f, t: [f["hyp"], t.parent / "missing.txt"], "no such file"),
        (lambda f, t: [f["hyp"]], "at least one reference"),
        (lambda f, t: [f["hyp"], f["ref"], "--lang", "klingon"], "unknown language 'klingon'"),
        (lambda f, t: [f["ref"], "--system", f"a={f['hyp']}"], "at least two systems"),
        (lambda f, t: [f["ref"], "--system", f"a={f['hyp']}", "--system", "b"], "NAME=FILE"),
        (lambda f, t: [f["ref"], "--system", f"a={f['hyp']}", "--system", f"b={f['zh_hyp']}"], "has 80 lines but"),
        (lambda f, t: [f["ref"], "--system", f"a={f['hyp']}", "--system", f"b={f['hyp_b']}", "--baseline", "c"], "not one of the systems"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(files, tmp_path, make_args, message):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["score", *map(str, make_args(files, empty))])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


@pytest.mark.parametrize("blank", ["\n\n\n", " \n\t\n  \n"])
def test_all_blank_hypothesis_is_scored_like_sacrebleu(tmp_path, blank):
    import sacrebleu

    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text(blank)
    ref.write_text("Kami siap.\nDia datang.\nSelesai.\n")
    result = runner.invoke(app, ["score", str(hyp), str(ref), "--metrics", "bleu", "--json"])
    assert result.exit_code == 0, result.stderr
    expected = sacrebleu.corpus_bleu([line.rstrip() for line in blank.split("\n")[:3]], [ref.read_text().split("\n")[:3]])
    assert json.loads(result.stdout)[0]["value"] == pytest.approx(expected.score) == 0.0
