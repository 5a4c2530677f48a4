"""Test-set folders and TOML entries: the right file per language, clear errors when it is missing."""

from __future__ import annotations

import pytest

from mt_toolkit.errors import ConfigError, InputError
from mt_toolkit.testsets import (
    EvalSet,
    default_testsets_file,
    folder_testset,
    load_testsets,
    read_testdata,
    resolve_testset,
)


def _write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture()
def flores(tmp_path):
    folder = tmp_path / "flores200"
    _write(folder / "dev.ind.txt", ["Kami siap.", "Dia pergi. "])
    _write(folder / "dev.eng.txt", ["We are ready.", "He left."])
    _write(folder / "dev.zho.txt", ["我们准备好了。"])
    return folder


def test_flores_folder_reads_pair_in_order(flores):
    data = read_testdata(folder_testset(flores, src_lang="id"), src_lang="ind_Latn", tgt_lang="English")
    assert (data.src_lang, data.tgt_lang) == ("id", "en")
    assert data.sources == ("Kami siap.", "Dia pergi.")  # trailing space dropped, as sacrebleu reads
    assert data.references == ("We are ready.", "He left.")
    assert data.source_path.name == "dev.ind.txt"


@pytest.mark.parametrize(
    "layout, files, split",
    [
        ("flores200", ["devtest/ind_Latn.devtest", "devtest/eng_Latn.devtest"], "devtest"),
        ("ntrex128", ["ind.txt", "eng.txt"], None),
        ("ntrex128", ["newstest2019-ref.ind.txt", "newstest2019-src.eng.txt"], None),
        ("tico19", ["test.ind.txt", "test.eng.txt"], None),
    ],
)
def test_layouts_find_their_file_names(tmp_path, layout, files, split):
    for name in files:
        _write(tmp_path / name, ["x"])
    evalset = folder_testset(tmp_path, layout=layout, split=split)
    assert evalset.file_for("id") == tmp_path / files[0]
    assert evalset.file_for("en") == tmp_path / files[1]


def test_missing_language_file_names_what_was_looked_for(flores):
    with pytest.raises(InputError, match=r"no Russian \(ru\) file in .*looked for dev\.rus\.txt"):
        read_testdata(folder_testset(flores, layout="flores200"), src_lang="ru", tgt_lang="en")


def test_traditional_chinese_is_not_read_from_the_simplified_file(flores):
    evalset = folder_testset(flores, layout="flores200")
    assert evalset.file_for("zh").name == "dev.zho.txt"
    with pytest.raises(InputError, match=r"no Chinese \(Traditional\) \(zh-Hant\) file .*zho_Hant\.dev"):
        evalset.file_for("zh-Hant")
    _write(flores / "dev" / "zho_Hant.dev", ["我們準備好了。"])
    assert evalset.file_for("zh-TW") == flores / "dev" / "zho_Hant.dev"


def test_line_count_mismatch_is_an_input_error(flores):
    with pytest.raises(InputError, match="has 2 lines but .*dev.zho.txt has 1"):
        read_testdata(folder_testset(flores, layout="flores200"), src_lang="id", tgt_lang="zh")


def test_toml_entries_expand_env_and_relative_paths(tmp_path, flores, monkeypatch):
    monkeypatch.setenv("MY_DATA", str(flores.parent))
    toml = tmp_path / "eval" / "testsets.toml"
    _write(tmp_path / "eval" / "pair" / "a.id", ["Satu.", "Dua."])
    _write(tmp_path / "eval" / "pair" / "a.en", ["One.", "Two."])
    toml.write_text(
        '[fl]\nlayout = "flores200"\npath = "$MY_DATA/flores200"\nsplit = "dev"\n\n'
        '[mine]\nlayout = "plain"\nsource = "pair/a.id"\nreference = "pair/a.en"\nsrc_lang = "ind"\ntgt_lang = "eng"\n',
        encoding="utf-8",
    )
    sets = load_testsets(toml)
    assert sets["fl"].path == flores
    data = read_testdata(resolve_testset("mine", testsets_file=toml))
    assert (data.src_lang, data.tgt_lang, data.references) == ("id", "en", ("One.", "Two."))
    with pytest.raises(InputError, match="is id→en, not en→id"):
        read_testdata(sets["mine"], src_lang="en", tgt_lang="id")


@pytest.mark.parametrize(
    "text, message",
    [
        ('[x]\nlayout = "wmt"\npath = "."\n', "layout 'wmt'"),
        ('[x]\nlayout = "flores200"\n', "needs a path"),
        ('[x]\nlayout = "plain"\nsource = "a"\n', "needs reference, src_lang, tgt_lang"),
        ("[x\n", "not valid TOML"),
        ('[x]\nlayout = "flores200"\npath = "."\nsplits = "dev"\n', r"\[x\] has unknown key 'splits'"),
        ('[x]\nlayout = "flores200"\npath = 5\n', r"\[x\] path = 5 should be a string"),
        ('[x]\nlayout = "plain"\nsource = "a"\nreference = "b"\nsrc_lang = "id"\ntgt_lang = "klingon"\n', r"\[x\]: .*klingon"),
        ("x = 3\n", r"\[x\] must be a table"),
    ],
)
def test_malformed_toml_is_a_config_error(tmp_path, text, message):
    toml = tmp_path / "t.toml"
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_testsets(toml)


def test_unset_variable_fails_only_when_the_set_is_used(tmp_path, flores):
    toml = tmp_path / "t.toml"
    toml.write_text(
        '[unset]\nlayout = "flores200"\npath = "$SURELY_NOT_SET_ANYWHERE/f"\n'
        f'[fine]\nlayout = "flores200"\npath = "{flores}"\n', encoding="utf-8",
    )
    assert resolve_testset("fine", testsets_file=toml).path == flores
    with pytest.raises(ConfigError, match=r"SURELY_NOT_SET_ANYWHERE/f uses an environment variable that is not set"):
        read_testdata(resolve_testset("unset", testsets_file=toml), src_lang="id", tgt_lang="en")


def test_unknown_name_and_not_a_folder(tmp_path):
    toml = tmp_path / "t.toml"
    toml.write_text('[fl]\nlayout = "flores200"\npath = "."\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown test set 'nope'.*known: fl"):
        resolve_testset("nope", testsets_file=toml)


def test_multiway_set_needs_a_pair(flores):
    with pytest.raises(InputError, match="give the pair"):
        read_testdata(EvalSet(name="f", layout="flores200", path=flores, split="dev"))


def test_one_bad_entry_breaks_only_itself(tmp_path, flores):
    toml = tmp_path / "t.toml"
    toml.write_text(f'[typo]\nlayout = "flores200"\npth = "x"\n[fine]\nlayout = "flores200"\npath = "{flores}"\n', encoding="utf-8")
    assert resolve_testset("fine", testsets_file=toml).path == flores
    with pytest.raises(ConfigError, match=r"t.toml: \[typo\] has unknown key 'pth'"):
        resolve_testset("typo", testsets_file=toml)


def test_shipped_testsets_resolve_from_any_folder(tmp_path, flores, monkeypatch):
    """The named sets ship inside the package and find their data through $MT_TOOLKIT_DATA."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("MT_TOOLKIT_DATA", str(flores.parent))
    assert default_testsets_file().is_file()
    assert {"flores200-dev", "flores200-devtest", "ntrex128", "tico19-test", "nusax-test"} <= set(
        load_testsets(default_testsets_file())
    )
    data = read_testdata(resolve_testset("flores200-dev"), src_lang="id", tgt_lang="en")
    assert data.source_path == flores / "dev.ind.txt"
    assert data.references == ("We are ready.", "He left.")
