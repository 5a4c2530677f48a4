"""The embedding space (option (c) of the aligner): a sentence-transformers model on disk.

A tiny random encoder (`scripts/build_tiny_models.py`, `build_sentence_embedder`) is saved in
sentence-transformers' layout and loaded by path, exactly as a downloaded LaBSE is loaded. Its
vectors mean nothing across languages, but identical sentences get identical vectors, so a
document aligned with an edited copy of itself shows that the vectors reach the aligner in
order and decide the beads. What LaBSE adds on real text is measured by
``eval/bench_align.py accuracy --embeddings`` where the model is available.
"""

import json
import sys

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app

from align_fixtures import GERMAN

pytest.importorskip("sentence_transformers")  # the `embeddings` extra (in `dev`, so CI runs these)

runner = CliRunner()


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    from conftest import _load_builder

    root = tmp_path_factory.mktemp("tiny-encoder")
    return _load_builder().build_sentence_embedder(root / "encoder", root / "work")


@pytest.fixture()
def edited(tmp_path):
    """GERMAN, and a copy without its 4th sentence and with a new one after its 8th."""
    copy = GERMAN[:3] + GERMAN[4:8] + ["Ein völlig neuer Satz über das Wetter am Gipfel."] + GERMAN[8:]
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(copy) + "\n", encoding="utf-8")
    return src, tgt


def _expected_beads() -> list[str]:
    beads = [f"[{i}]:[{i}]" for i in range(3)] + ["[3]:[]"]
    beads += [f"[{i}]:[{i - 1}]" for i in range(4, 8)] + ["[]:[7]"]
    beads += [f"[{i}]:[{i}]" for i in range(8, len(GERMAN))]
    return beads


def test_align_with_embeddings_only(edited, encoder):
    src, tgt = edited
    # Two language codes and no translation: the embedding space is the only comparison.
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "nl",
                                 "--no-translate", "--embeddings", str(encoder)])
    assert result.exit_code == 0, result.output
    beads = [":".join(line.split(":")[:2]) for line in result.stdout.splitlines()]
    assert beads == _expected_beads()


def test_library_averages_embeddings_with_translations(encoder):
    from mt_toolkit.align import align_sentences
    from mt_toolkit.align.spaces import comparable_spaces

    spaces = comparable_spaces(GERMAN, GERMAN, src_lang="de", tgt_lang="nl", src_mt=GERMAN,
                               embeddings=str(encoder), translate=False)
    assert [s.name.split(":")[0] for s in spaces] == ["ngram", "embedding"]
    calls = []
    beads = align_sentences(GERMAN, [GERMAN[-1]] + GERMAN[1:], src_lang="de", tgt_lang="nl",
                            src_mt=GERMAN, embeddings=str(encoder), translate=False,
                            on_prepare_progress=lambda done, total: calls.append((done, total)))
    assert [(b.src, b.tgt) for b in beads][1:] == [((i,), (i,)) for i in range(1, len(GERMAN))]
    assert calls[-1] == (2 * len(GERMAN), 2 * len(GERMAN))  # both sides embedded, progress reported


def test_locate_with_embeddings(tmp_path, encoder):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text(f"{GERMAN[5]}\n{GERMAN[6]}\n", encoding="utf-8")
    original.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "de", "--tgt", "nl",
                                 "--no-translate", "--embeddings", str(encoder), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["original_indices"] for r in rows] == [[5], [6]]
    assert all(r["found"] for r in rows)


@pytest.mark.parametrize("folder, message", [
    ("no-such-model", "embedding model folder"),
    ("empty", "cannot load embedding model from"),
])
def test_missing_or_empty_model_folder_exits_2(edited, tmp_path, folder, message):
    (tmp_path / "empty").mkdir()
    src, tgt = edited
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "nl",
                                 "--no-translate", "--embeddings", str(tmp_path / folder)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stdout == ""


def test_hub_name_offline_exits_2(edited):
    # conftest sets HF_HUB_OFFLINE=1 and an empty HF_HOME: a hub name is neither cached nor fetched.
    src, tgt = edited
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "nl",
                                 "--no-translate", "--embeddings", "sentence-transformers/LaBSE"])
    assert result.exit_code == 2, result.output
    assert "sentence-transformers/LaBSE is not in the local cache" in result.stderr
    assert "--embeddings DIR" in result.stderr
    assert result.stderr.count("\n") == 1


def test_without_the_extra_exits_2(edited, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails as if not installed
    src, tgt = edited
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "nl",
                                 "--no-translate", "--embeddings", "sentence-transformers/LaBSE"])
    assert result.exit_code == 2, result.output
    assert "mt-toolkit[embeddings]" in result.stderr
    assert result.stderr.count("\n") == 1


def test_encoder_is_loaded_once_for_many_calls(encoder, monkeypatch):
    import sentence_transformers

    from mt_toolkit.align import similarity

    similarity._load_encoder.cache_clear()
    loads = []
    real = sentence_transformers.SentenceTransformer

    def counting(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", counting)
    for quote in GERMAN[:3]:
        similarity.embedding_space([quote], GERMAN, model=str(encoder))
    assert len(loads) == 1
