"""Build the held-out Text+Berg *test* set (7 articles, 1989 yearbook) in the dev set's layout.

The published aligner figures (Vecalign 0.902, Bertalign 0.936, Bleualign 0.748 strict F1) are on
this set; the dev document in ``shared/data/textberg-dev`` is only what we tune on. The files are
GPL v2 (Bleualign data, Copyright 2010 Rico Sennrich) and are not copied into this repository:
clone the two public repositories and run

    git clone https://github.com/thompsonb/vecalign
    git clone https://github.com/rsennrich/Bleualign
    python eval/prepare_textberg_test.py --vecalign vecalign --bleualign Bleualign -o textberg-test
    python eval/bench_align.py accuracy textberg-test

which writes ``textberg-test/test{0..6}/`` with ``de.txt``, ``fr.txt``, ``gold.txt`` (from
Vecalign's ``bleualign_data/test{k}.{de,fr,defr}``) and ``de.mt-google.fr.txt``: Bleualign's
``eval/eval1989.google.fr`` (Google's 2010 German→French MT of all 7 articles, one line per
German sentence) cut at its ``. EOA`` separator lines. Trailing spaces are stripped, as in the dev
set. The script refuses to write anything when an article's MT and German line counts differ.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ARTICLES = 7


def _lines(path: Path) -> list[str]:
    return [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vecalign", type=Path, required=True, help="clone of thompsonb/vecalign")
    parser.add_argument("--bleualign", type=Path, required=True, help="clone of rsennrich/Bleualign")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    data = args.vecalign / "bleualign_data"
    mt_parts: list[list[str]] = [[]]
    for line in _lines(args.bleualign / "eval" / "eval1989.google.fr"):
        if line.strip() == ". EOA":
            mt_parts.append([])
        else:
            mt_parts[-1].append(line)
    if len(mt_parts) != ARTICLES:
        raise SystemExit(f"eval1989.google.fr has {len(mt_parts)} articles, expected {ARTICLES}")
    articles = []
    for k, mt in enumerate(mt_parts):
        de = _lines(data / f"test{k}.de")
        if len(de) != len(mt):
            raise SystemExit(f"article {k}: {len(de)} German lines but {len(mt)} MT lines")
        articles.append((de, _lines(data / f"test{k}.fr"), _lines(data / f"test{k}.defr"), mt))
    for k, (de, fr, gold, mt) in enumerate(articles):
        folder = args.output / f"test{k}"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "de.txt", de)
        _write(folder / "fr.txt", fr)
        _write(folder / "gold.txt", [g for g in gold if g])
        _write(folder / "de.mt-google.fr.txt", mt)
        print(f"{folder}: {len(de)} de, {len(fr)} fr, {len(gold)} beads")


if __name__ == "__main__":
    main()
