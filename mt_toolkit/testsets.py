"""Test sets for model evaluation: where the source and reference sentences of a pair live.

Multi-way sets (FLORES-200, NTREX-128, TICO-19) are a folder with one file per language; each
layout names its files its own way, so each lists the file-name patterns it accepts (the plain
copies in /work/shared/data and the upstream names). Other data is a plain pair of line-parallel
files. Named sets are described in a TOML file; the one shipped with the package
(``mt_toolkit/data/testsets.toml``, found with `default_testsets_file`) names FLORES-200, NTREX-128,
TICO-19 and NusaX under ``$MT_TOOLKIT_DATA``, the folder holding their plain-text copies::

    [flores200-dev]
    layout = "flores200"          # flores200 | ntrex128 | tico19 | plain
    path = "$MT_TOOLKIT_DATA/flores200"
    split = "dev"

    [nusax-test]
    layout = "plain"
    source = "$MT_TOOLKIT_DATA/nusax_mt/test.ind.txt"
    reference = "$MT_TOOLKIT_DATA/nusax_mt/test.eng.txt"
    src_lang = "id"
    tgt_lang = "en"

Paths may use environment variables (expanded when the set is read, never at import) and may be
relative to the TOML file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from mt_toolkit.errors import ConfigError, InputError, MtToolkitError
from mt_toolkit.languages import Language, get_language, normalize
from mt_toolkit.textio import check_same_length, read_lines

# File-name patterns per layout, tried in order. Fields: split, iso3 (ISO 639-3: ind, zho),
# nllb (FLORES-200 code: ind_Latn), code (canonical: id, zh).
LAYOUTS: dict[str, tuple[str, ...]] = {
    # plain copies: dev.ind.txt; upstream FLORES-200 tarball: dev/ind_Latn.dev
    "flores200": ("{split}.{iso3}.txt", "{split}/{nllb}.{split}", "{nllb}.{split}"),
    # plain copies: ind.txt; upstream NTREX-128: newstest2019-ref.ind.txt (English: -src.eng)
    "ntrex128": ("{iso3}.txt", "newstest2019-ref.{iso3}.txt", "newstest2019-src.{iso3}.txt"),
    # plain copies: test.ind.txt; OPUS-MT-testsets: tico19-test.id
    "tico19": ("{split}.{iso3}.txt", "tico19-{split}.{code}"),
}
DEFAULT_SPLITS = {"flores200": "dev", "ntrex128": "", "tico19": "test"}
PLAIN = "plain"


@dataclass(frozen=True)
class EvalSet:
    """A test set: a multi-way folder in a known layout, or a plain pair of files.

    Attributes:
        name: how reports refer to it (``flores200-dev``).
        layout: a key of `LAYOUTS`, or ``plain``.
        path: the folder of a multi-way set.
        split: ``dev``/``devtest``/``test`` where the layout has splits.
        source, reference: the two files of a plain pair.
        src_lang, tgt_lang: the language pair of a plain pair.
    """

    name: str
    layout: str
    path: Path | None = None
    split: str = ""
    source: Path | None = None
    reference: Path | None = None
    src_lang: str | None = None
    tgt_lang: str | None = None

    def file_for(self, lang: str) -> Path:
        """The file holding ``lang``'s side of a multi-way set.

        Raises:
            InputError: the folder is missing or has no file for ``lang``, naming what was tried.
        """
        language = get_language(lang)
        if self.layout == PLAIN or self.path is None:
            raise InputError(f"test set {self.name} is a plain file pair, not a multi-way folder")
        _check_expanded(self.path, name=self.name)
        if not self.path.is_dir():
            raise InputError(f"test set {self.name}: folder {self.path} does not exist")
        patterns = LAYOUTS[self.layout]
        if language.code != language.base:
            # zh-Hant: a file named by ISO 639-3 alone (dev.zho.txt) holds the language's usual
            # script (Simplified), so only names that carry the script can be this side.
            patterns = tuple(p for p in patterns if "{iso3}" not in p)
        tried = [self.path / pattern.format(**_fields(language, self.split)) for pattern in patterns]
        for candidate in tried:
            if candidate.is_file():
                return candidate
        raise InputError(
            f"test set {self.name} has no {language.name} ({language.code}) file in {self.path}; "
            f"looked for {', '.join(p.name if p.parent == self.path else str(p.relative_to(self.path)) for p in tried)}"
        )


@dataclass(frozen=True)
class EvalData:
    """The sentences of one language pair of a test set, read and checked."""

    testset: str
    src_lang: str
    tgt_lang: str
    sources: tuple[str, ...]
    references: tuple[str, ...]
    source_path: Path
    reference_path: Path


def _fields(language: Language, split: str) -> dict[str, str]:
    return {"split": split, "iso3": language.iso639_3, "nllb": language.nllb, "code": language.code}


def _expand(value: str, *, base: Path) -> Path:
    """Expand ``~`` and environment variables; an unset variable stays ``$NAME`` until the set is used."""
    path = Path(os.path.expandvars(os.path.expanduser(value)))
    return path if path.is_absolute() or str(path).startswith("$") else base / path


def _check_expanded(path: Path, *, name: str) -> Path:
    """Refuse a path whose environment variable was not set when the set was read."""
    if "$" in str(path):
        raise ConfigError(
            f"test set {name}: path {path} uses an environment variable that is not set "
            f"(e.g. export MT_TOOLKIT_DATA=/path/to/data)"
        )
    return path


def default_testsets_file() -> Path:
    """The test-set file shipped inside the package, so named sets work from any folder."""
    return Path(str(resources.files("mt_toolkit").joinpath("data", "testsets.toml")))


def load_testsets(path: str | os.PathLike[str]) -> dict[str, EvalSet]:
    """Read named test sets from a TOML file (see the module docstring for its shape).

    Raises:
        ConfigError: the file is missing or malformed, or an entry lacks what its layout needs,
            has a key its layout does not know or a value of the wrong type.
    """
    sets, broken = read_testsets_file(path)
    if broken:
        raise next(iter(broken.values()))
    return sets


def read_testsets_file(path: str | os.PathLike[str]) -> tuple[dict[str, EvalSet], dict[str, ConfigError]]:
    """The good entries of a test-set file, and the error of each bad one, by name.

    One bad entry should not stop a user from running the others, so an entry's error is raised
    only when that entry is asked for (`resolve_testset`).

    Raises:
        ConfigError: the file itself is missing, unreadable or not valid TOML.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"test-set file {file} does not exist")
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{file} is not valid TOML: {err}") from None
    sets: dict[str, EvalSet] = {}
    broken: dict[str, ConfigError] = {}
    for name, entry in table.items():
        try:
            if not isinstance(entry, dict):
                raise ConfigError(f"{file}: [{name}] must be a table with a layout")
            sets[name] = _entry(name, entry, base=file.parent, origin=str(file))
        except ConfigError as err:
            broken[name] = err
    return sets, broken


_PLAIN_KEYS = ("layout", "source", "reference", "src_lang", "tgt_lang")
_FOLDER_KEYS = ("layout", "path", "split")


def _entry(name: str, entry: dict[str, Any], *, base: Path, origin: str) -> EvalSet:
    layout = entry.get("layout")
    known = _PLAIN_KEYS if layout == PLAIN else _FOLDER_KEYS
    for key, value in entry.items():
        if key not in known:
            raise ConfigError(f"{origin}: [{name}] has unknown key {key!r}; a {layout} entry has {', '.join(known)}")
        if not isinstance(value, str):
            raise ConfigError(f"{origin}: [{name}] {key} = {value!r} should be a string")
    if layout == PLAIN:
        missing = [k for k in ("source", "reference", "src_lang", "tgt_lang") if k not in entry]
        if missing:
            raise ConfigError(f"{origin}: [{name}] (plain) needs {', '.join(missing)}")
        try:
            src_lang, tgt_lang = normalize(entry["src_lang"]), normalize(entry["tgt_lang"])
        except MtToolkitError as err:
            raise ConfigError(f"{origin}: [{name}]: {err}") from None
        return EvalSet(
            name=name, layout=PLAIN,
            source=_expand(entry["source"], base=base),
            reference=_expand(entry["reference"], base=base),
            src_lang=src_lang, tgt_lang=tgt_lang,
        )
    if layout not in LAYOUTS:
        raise ConfigError(f"{origin}: [{name}] has layout {layout!r}; use {', '.join([*LAYOUTS, PLAIN])}")
    if "path" not in entry:
        raise ConfigError(f"{origin}: [{name}] needs a path (the folder of the {layout} files)")
    return EvalSet(
        name=name, layout=layout, path=_expand(entry["path"], base=base),
        split=str(entry.get("split", DEFAULT_SPLITS[layout])),
    )


def folder_testset(folder: str | os.PathLike[str], *, layout: str | None = None, split: str | None = None,
                   src_lang: str | None = None) -> EvalSet:
    """A test set from a folder, its layout given or recognised from the source-language file.

    Raises:
        InputError: not a folder, or no layout's file names match.
    """
    path = Path(folder)
    if not path.is_dir():
        raise InputError(f"{path} is neither a test-set name nor a folder")
    if layout is not None:
        if layout not in LAYOUTS:
            raise InputError(f"unknown layout {layout!r}; use {', '.join(LAYOUTS)}")
        return EvalSet(name=path.name, layout=layout, path=path, split=split if split is not None else DEFAULT_SPLITS[layout])
    for name in LAYOUTS:
        candidate = EvalSet(name=path.name, layout=name, path=path, split=split if split is not None else DEFAULT_SPLITS[name])
        if src_lang is None:
            return candidate
        try:
            candidate.file_for(src_lang)
        except InputError:
            continue
        return candidate
    assert src_lang is not None  # without a language the first layout was returned above
    if split is not None:
        language = get_language(src_lang)
        plain = f"{split}.{language.iso639_3}.txt and " if language.code == language.base else ""
        raise InputError(
            f"{path}: no {src_lang} file of split {split!r}; looked for e.g. {plain}{split}/{language.nllb}.{split} "
            "(FLORES-200 splits: dev, devtest; TICO-19: test)"
        )
    raise InputError(
        f"{path}: no file of a known layout for {src_lang}; expected e.g. dev.{get_language(src_lang).iso639_3}.txt "
        f"(flores200), {get_language(src_lang).iso639_3}.txt (ntrex128); pass --layout to say which"
    )


def resolve_testset(spec: str, *, testsets_file: str | os.PathLike[str] | None = None, layout: str | None = None,
                    split: str | None = None, src_lang: str | None = None) -> EvalSet:
    """A test set by name (from ``testsets_file``, default: `default_testsets_file`) or by folder path.

    Raises:
        InputError: neither a known name nor a folder.
        ConfigError: the test-set file is not valid TOML, or the entry asked for is malformed
            (other entries' faults do not matter).
    """
    if testsets_file is None:
        testsets_file = default_testsets_file()
    if Path(testsets_file).is_file():
        known, broken = read_testsets_file(testsets_file)
        if spec in broken:
            raise broken[spec]
        if spec in known:
            found = known[spec]
            if split is not None and found.layout != PLAIN:
                found = EvalSet(name=found.name, layout=found.layout, path=found.path, split=split)
            return found
    else:
        known = {}
    if Path(spec).is_dir():
        return folder_testset(spec, layout=layout, split=split, src_lang=src_lang)
    names = f" (known: {', '.join(sorted(known))})" if known else ""
    raise InputError(f"unknown test set {spec!r}: not a name in {testsets_file}{names} and not a folder")


def read_testdata(testset: EvalSet, *, src_lang: str | None = None, tgt_lang: str | None = None) -> EvalData:
    """Read and check the sentences of one language pair.

    Args:
        testset: the set.
        src_lang, tgt_lang: the pair (required for multi-way sets; plain pairs have their own).

    Raises:
        InputError: a missing or empty file, line counts that differ, a pair not given.
    """
    if testset.layout == PLAIN:
        src = normalize(src_lang) if src_lang else testset.src_lang
        tgt = normalize(tgt_lang) if tgt_lang else testset.tgt_lang
        if (src, tgt) != (testset.src_lang, testset.tgt_lang):
            raise InputError(f"test set {testset.name} is {testset.src_lang}→{testset.tgt_lang}, not {src}→{tgt}")
        source_path, reference_path = testset.source, testset.reference
    else:
        if not src_lang or not tgt_lang:
            raise InputError(f"test set {testset.name} is multi-way: give the pair (--src and --tgt)")
        src, tgt = normalize(src_lang), normalize(tgt_lang)
        source_path, reference_path = testset.file_for(src), testset.file_for(tgt)
    if source_path is None or reference_path is None or src is None or tgt is None:
        raise ConfigError(f"test set {testset.name} (plain) needs a source, a reference file and their languages")
    _check_expanded(source_path, name=testset.name)
    _check_expanded(reference_path, name=testset.name)
    sources = [line.rstrip() for line in read_lines(source_path)]
    references = [line.rstrip() for line in read_lines(reference_path)]
    check_same_length(sources, references, name_a=str(source_path), name_b=str(reference_path))
    return EvalData(
        testset=testset.name, src_lang=src, tgt_lang=tgt, sources=tuple(sources),
        references=tuple(references), source_path=source_path, reference_path=reference_path,
    )
