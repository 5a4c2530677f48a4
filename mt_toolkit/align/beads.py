"""Alignment beads and every way they are written and read.

A bead links a run of source sentences to a run of target sentences (either run may be empty:
an insertion or deletion). Formats:

``beads``  ``[i, j]:[k]:score`` one bead per line, 0-based indices, the score optional: the format
           Vecalign and Bertalign write, so their gold files and scorers work unchanged.
``jsonl``  one JSON object per bead: ``src``, ``tgt`` (index lists), ``score``, ``src_text``,
           ``tgt_text`` (the sentences joined).
``tsv``    a header line, then ``src  tgt  score  src_text  tgt_text`` per bead (the JSONL keys), ids
           comma-separated; tabs and newlines inside text become spaces.
``tmx``    TMX 1.4 for CAT tools: one ``<tu>`` per bead with text on both sides (insertions and
           deletions are not translation units: they are left out, with an `MtToolkitWarning`
           giving their count), ``xml:lang`` on each ``<tuv>``, and the indices and score kept
           as ``<prop>`` so the file can be read back as beads.
"""

from __future__ import annotations

import json
import math
import os
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mt_toolkit import textio
from mt_toolkit.errors import InputError, MtToolkitWarning
from mt_toolkit.languages import get_language
from mt_toolkit.text.segment import sentence_joiner

__all__ = [
    "FORMATS",
    "Bead",
    "beads_to_text",
    "format_from_path",
    "parse_beads",
    "read_beads",
    "write_beads",
]

FORMATS = ("beads", "jsonl", "tsv", "tmx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$")
# Characters XML 1.0 cannot carry at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TSV_HEADER = "src\ttgt\tscore\tsrc_text\ttgt_text"  # the JSONL keys, in the same order


@dataclass(frozen=True)
class Bead:
    """Source sentences ``src`` aligned to target sentences ``tgt`` (0-based, ascending).

    The one bead record of the toolkit: the document aligner's DP, the quote locator's passage
    alignment (quote sentences as ``src``, original sentences as ``tgt``) and the bead files
    all use it.

    Attributes:
        src, tgt: the sentences of each side; either may be empty (an insertion or deletion).
        score: the aligner's confidence in [0, 1] (similarity above chance); None when unknown
            (a gold file, a passage bead), 0 for insertions and deletions.
        margins: per ``src`` sentence, its own margin over chance against the ``tgt`` span
            (``1 − d``: 0 for a chance-level pair, 1 for an identical one; 0 when ``tgt`` is
            empty); filled by the passage alignment of quote location, empty elsewhere and
            never written to bead files.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None = None
    margins: tuple[float, ...] = ()

    @classmethod
    def from_ranges(
        cls,
        src_start: int,
        src_stop: int,
        tgt_start: int,
        tgt_stop: int,
        score: float | None = None,
        margins: tuple[float, ...] = (),
    ) -> Bead:
        """A bead from half-open index ranges, as the dynamic programmes produce them."""
        return cls(tuple(range(src_start, src_stop)), tuple(range(tgt_start, tgt_stop)), score, margins)

    @property
    def shape(self) -> tuple[int, int]:
        """(number of source sentences, number of target sentences), e.g. (1, 2)."""
        return len(self.src), len(self.tgt)


def _ids(text: str, *, where: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise InputError(f"{where}: expected comma-separated sentence numbers, got {text!r}") from None


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def _parse_score(text: str | None, *, where: str) -> float | None:
    if text is None or text.strip() == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: score {text!r} is not a number") from None
    if math.isnan(value):
        return None
    return value


def _texts(
    bead: Bead,
    src_sentences: Sequence[str] | None,
    tgt_sentences: Sequence[str] | None,
    src_lang: str | None,
    tgt_lang: str | None,
) -> tuple[str, str]:
    src_text = sentence_joiner(src_lang).join(src_sentences[i] for i in bead.src) if src_sentences else ""
    tgt_text = sentence_joiner(tgt_lang).join(tgt_sentences[j] for j in bead.tgt) if tgt_sentences else ""
    return src_text, tgt_text


def beads_to_text(
    beads: Iterable[Bead],
    *,
    format: str = "beads",
    src_sentences: Sequence[str] | None = None,
    tgt_sentences: Sequence[str] | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> str:
    """Render beads in one of `FORMATS`.

    Args:
        beads: the alignment.
        format: ``beads``, ``jsonl``, ``tsv`` or ``tmx``.
        src_sentences, tgt_sentences: the texts (needed for jsonl, tsv and tmx).
        src_lang, tgt_lang: language codes (for TMX ``xml:lang`` and for joining sentences
            without spaces in Chinese, Japanese, Thai).

    Raises:
        InputError: unknown format, or TMX requested without languages or texts.
    """
    beads = list(beads)
    if format == "beads":
        lines = []
        for bead in beads:
            line = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
            if bead.score is not None:
                line += f":{_score_text(bead.score)}"
            lines.append(line)
        return "".join(line + "\n" for line in lines)
    if format == "jsonl":
        out = []
        for bead in beads:
            src_text, tgt_text = _texts(bead, src_sentences, tgt_sentences, src_lang, tgt_lang)
            record = {"src": list(bead.src), "tgt": list(bead.tgt), "score": bead.score,
                      "src_text": src_text, "tgt_text": tgt_text}
            out.append(json.dumps(record, ensure_ascii=False) + "\n")
        return "".join(out)
    if format == "tsv":
        out = [_TSV_HEADER + "\n"]
        for bead in beads:
            src_text, tgt_text = _texts(bead, src_sentences, tgt_sentences, src_lang, tgt_lang)
            cells = [",".join(map(str, bead.src)), ",".join(map(str, bead.tgt)),
                     _score_text(bead.score), _tsv_clean(src_text), _tsv_clean(tgt_text)]
            out.append("\t".join(cells) + "\n")
        return "".join(out)
    if format == "tmx":
        if src_lang is None or tgt_lang is None:
            raise InputError("TMX output needs both languages (--src and --tgt)")
        if src_sentences is None or tgt_sentences is None:
            raise InputError("TMX output needs the sentences of both sides")
        return _to_tmx(beads, src_sentences, tgt_sentences, src_lang, tgt_lang)
    raise InputError(f"unknown bead format {format!r}; choose one of {', '.join(FORMATS)}")


def _tsv_clean(text: str) -> str:
    return re.sub(r"[\t\n\r]+", " ", text)


def _to_tmx(beads, src_sentences, tgt_sentences, src_lang: str, tgt_lang: str) -> str:
    src_code, tgt_code = get_language(src_lang).code, get_language(tgt_lang).code
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "mt-toolkit", "creationtoolversion": _version(), "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": src_code, "o-tmf": "mt-toolkit",
    })
    body = ET.SubElement(root, "body")
    left_out = sum(1 for bead in beads if not bead.src or not bead.tgt)
    if left_out:
        warnings.warn(
            f"TMX: {left_out} of {len(beads)} beads are insertions or deletions (1-0 or 0-1) with no "
            "translation unit; they are left out (jsonl or tsv keep them)",
            MtToolkitWarning, stacklevel=3,
        )
    for bead in beads:
        if not bead.src or not bead.tgt:
            continue
        src_text, tgt_text = _texts(bead, src_sentences, tgt_sentences, src_code, tgt_code)
        tu = ET.SubElement(body, "tu")
        ET.SubElement(tu, "prop", type="x-src-ids").text = ",".join(map(str, bead.src))
        ET.SubElement(tu, "prop", type="x-tgt-ids").text = ",".join(map(str, bead.tgt))
        if bead.score is not None:
            ET.SubElement(tu, "prop", type="x-score").text = _score_text(bead.score)
        for code, text in ((src_code, src_text), (tgt_code, tgt_text)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: code})
            ET.SubElement(tuv, "seg").text = _XML_ILLEGAL.sub("", text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _version() -> str:
    from mt_toolkit import __version__

    return __version__


def parse_beads(text: str, *, format: str = "beads", name: str = "beads") -> list[Bead]:
    """Parse beads from text in one of `FORMATS` (the inverse of `beads_to_text`).

    Raises:
        InputError: a line or element that is not a bead, naming where.
    """
    if format == "beads":
        beads = []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            match = _BEAD_LINE.match(line)
            where = f"{name}, line {number}"
            if not match:
                raise InputError(f"{where}: expected a bead like [0, 1]:[2] or [0]:[1]:0.9, got {line[:60]!r}")
            beads.append(Bead(_ids(match[1], where=where), _ids(match[2], where=where),
                              _parse_score(match[3], where=where)))
        return beads
    if format == "jsonl":
        beads = []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            where = f"{name}, line {number}"
            try:
                record = json.loads(line)
                beads.append(Bead(tuple(int(i) for i in record["src"]),
                                  tuple(int(j) for j in record["tgt"]), record.get("score")))
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{where}: expected a JSON bead with 'src' and 'tgt' lists") from None
        return beads
    if format == "tsv":
        beads = []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip() or (number == 1 and line.split("\t", 1)[0] in ("src", "src_ids")):
                continue
            where = f"{name}, line {number}"
            cells = line.split("\t")
            if len(cells) < 2:
                raise InputError(f"{where}: expected tab-separated src, tgt, score, texts")
            beads.append(Bead(_ids(cells[0], where=where), _ids(cells[1], where=where),
                              _parse_score(cells[2] if len(cells) > 2 else None, where=where)))
        return beads
    if format == "tmx":
        return _from_tmx(text, name)
    raise InputError(f"unknown bead format {format!r}; choose one of {', '.join(FORMATS)}")


def _from_tmx(text: str, name: str) -> list[Bead]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise InputError(f"{name} is not valid TMX/XML ({err})") from None
    beads = []
    for number, tu in enumerate(root.iter("tu"), 1):
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        if "x-src-ids" not in props or "x-tgt-ids" not in props:
            raise InputError(f"{name}, translation unit {number}: no x-src-ids/x-tgt-ids properties "
                             "(only TMX written by mt-toolkit can be read back as beads)")
        where = f"{name}, translation unit {number}"
        beads.append(Bead(_ids(props["x-src-ids"], where=where), _ids(props["x-tgt-ids"], where=where),
                          _parse_score(props.get("x-score"), where=where)))
    return beads


def format_from_path(path: str | os.PathLike[str]) -> str:
    """Guess the bead format from a file name: .jsonl, .tsv, .tmx, anything else ``beads``."""
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    return suffix if suffix in ("jsonl", "tsv", "tmx") else "beads"


def read_beads(path: str | os.PathLike[str], *, format: str | None = None) -> list[Bead]:
    """Read a bead file (format from its extension unless given).

    Raises:
        InputError: unreadable file or malformed beads.
    """
    fmt = format or format_from_path(path)
    return parse_beads(textio.read_text(path), format=fmt, name=str(path))


def write_beads(
    beads: Iterable[Bead],
    path: str | os.PathLike[str],
    *,
    format: str = "beads",
    src_sentences: Sequence[str] | None = None,
    tgt_sentences: Sequence[str] | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> None:
    """Write beads atomically to ``path`` (``-`` for standard output); see `beads_to_text`."""
    text = beads_to_text(beads, format=format, src_sentences=src_sentences,
                         tgt_sentences=tgt_sentences, src_lang=src_lang, tgt_lang=tgt_lang)
    textio.write_text(path, text)
