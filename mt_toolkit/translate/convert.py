"""Converting Hugging Face translation models to CTranslate2, once, into a cache.

CTranslate2 runs a model 2-3x faster than PyTorch on a CPU with int8 weights, but it reads its own
format. `convert_model` converts a local folder or a Hugging Face id (already in the HF cache, or
downloadable when the hub is reachable) and stores the result under
``ct2/<model>-<revision>-<quantization>`` in the cache folder (`mt_toolkit.paths.cache_dir`). The
conversion is written into a temporary folder and renamed into place, so an interrupted conversion
never leaves a half model that a later run would load. The tokenizer files travel with the converted model, so loading it needs
neither torch nor transformers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mt_toolkit.errors import InputError, ModelNotFoundError, missing_extra
from mt_toolkit.paths import CACHE_DIR_ENV, cache_dir
from mt_toolkit.textio import cannot_write

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")

# Written beside model.bin: which model this is, so the backend knows its family and tokenizer.
METADATA_FILE = "mt_toolkit.json"

# Tokenizer and generation files a translation model may carry; whichever exist are copied.
# (config.json is not copied: CTranslate2 writes its own file of that name.)
_TOKENIZER_FILES = (
    "source.spm", "target.spm", "vocab.json", "target_vocab.json", "sentencepiece.bpe.model",
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
)


@dataclass(frozen=True)
class ConvertedModel:
    """A CTranslate2 model folder and what it was made from."""

    path: Path
    model: str  # as the user named it: HF id or local folder
    revision: str  # commit hash for hub models, a content fingerprint for local folders
    quantization: str
    family: str  # "marian" | "m2m100" | "nllb" | "other"
    forced_eos: bool  # the model's generation config forces </s> at the last position


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "--", name).strip("-.") or "model"


def resolve_model_folder(model: str, *, revision: str | None = None, download: bool = True) -> tuple[Path, str]:
    """Find the files of ``model`` on disk: a local folder, or a Hugging Face id in the HF cache.

    Args:
        download: fetch a hub model that is not cached (unless HF_HUB_OFFLINE is set); only the
            files a conversion reads, not every weight format a repository may hold.

    Returns:
        (folder, revision): the folder holding config.json and the weights, and the commit hash
        (hub models) or a content fingerprint (local folders).

    Raises:
        ModelNotFoundError: neither a folder nor a model the hub cache holds or can fetch now.
    """
    from mt_toolkit.translate.loading import (
        check_model_config,
        hub_offline,
        looks_like_path,
        model_fingerprint,
        not_found,
        require_hub,
    )

    if looks_like_path(model):
        local = Path(model).expanduser()
        if not local.is_dir():
            what = "is a file, not a model folder" if local.exists() else "does not exist"
            raise ModelNotFoundError(f"model folder {model} {what}")
        if not (local / "config.json").is_file():
            raise ModelNotFoundError(f"{model} is a folder but has no config.json; is it a Hugging Face model folder?")
        check_model_config(local, name=model)
        return local, revision or model_fingerprint(local) or "unknown"
    try:
        from huggingface_hub import snapshot_download, try_to_load_from_cache
    except ImportError:
        raise missing_extra("huggingface_hub", "ct2") from None
    cached = try_to_load_from_cache(model, "config.json", revision=revision)
    if isinstance(cached, str):
        folder = Path(cached).parent
        return folder, folder.name  # snapshot folders are named by commit hash
    if not download or hub_offline():
        raise not_found(model, revision=revision)
    require_hub(model, revision=revision)
    try:
        folder = Path(snapshot_download(
            model, revision=revision,
            allow_patterns=["config.json", "*.safetensors", "*.safetensors.index.json", *_TOKENIZER_FILES],
        ))
    except Exception as err:  # the hub raises a zoo of classes for offline / missing / gated
        raise not_found(model, revision=revision, cause=err) from None
    return folder, folder.name


def converted_path(model: str, revision: str, quantization: str) -> Path:
    """Where the conversion of (model, revision, quantization) lives in the cache."""
    local = Path(model).expanduser()
    name = local.resolve().name if local.is_dir() else model
    return cache_dir() / "ct2" / f"{_safe(name)}-{_safe(revision)}-{quantization}"


def read_converted(path: Path) -> ConvertedModel:
    """Describe a converted folder (one this module wrote, or any CTranslate2 folder)."""
    path = Path(path)
    meta_file = path / METADATA_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    return ConvertedModel(
        path=path,
        model=meta.get("model", str(path)),
        revision=meta.get("revision", "unknown"),
        quantization=meta.get("quantization", "unknown"),
        family=meta.get("family") or _guess_family(path),
        forced_eos=bool(meta.get("forced_eos", False)),
    )


def find_converted(model: str, *, revision: str | None = None, quantizations: tuple[str, ...] = QUANTIZATIONS) -> ConvertedModel | None:
    """The cached conversion of ``model`` in the first of ``quantizations`` that exists, else None.

    A folder that already is a CTranslate2 model (has model.bin) is returned as it is.
    """
    local = Path(model).expanduser()
    if local.is_dir() and (local / "model.bin").is_file():
        return read_converted(local)
    try:
        _, rev = resolve_model_folder(model, revision=revision, download=False)
    except ModelNotFoundError:
        return None
    for quantization in quantizations:
        path = converted_path(model, rev, quantization)
        if (path / "model.bin").is_file():
            return read_converted(path)
    return None


def max_source_positions(path: Path) -> int | None:
    """Source positions of a converted model: recorded at conversion, else the tokenizer's
    ``model_max_length`` (folders converted before it was recorded), else None."""
    meta_file = path / METADATA_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    for value in (meta.get("max_positions"), _read_json(path / "tokenizer_config.json").get("model_max_length")):
        if isinstance(value, int) and 0 < value < 1_000_000:
            return value
    return None


def convert_model(model: str, *, revision: str | None = None, quantization: str = "int8", force: bool = False) -> ConvertedModel:
    """Convert ``model`` to CTranslate2 (or return the cached conversion).

    Args:
        model: a Hugging Face id or a local model folder (Marian/OPUS-MT, M2M100, NLLB, ...).
        revision: hub revision to pin; ignored for local folders.
        quantization: weight type stored on disk; int8 suits CPUs, float16/bfloat16/int8_float16 GPUs.
        force: convert again even when the cache holds this conversion.

    Returns:
        The converted model (folder, revision, quantization, family).

    Raises:
        InputError: an unknown quantization.
        ModelNotFoundError: the model cannot be found.
        BackendUnavailable: ctranslate2 is not installed.
    """
    if quantization not in QUANTIZATIONS:
        raise InputError(f"unknown quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}")
    local = Path(model).expanduser()
    if local.is_dir() and (local / "model.bin").is_file():
        return read_converted(local)  # already a CTranslate2 model
    folder, rev = resolve_model_folder(model, revision=revision)
    target = converted_path(model, rev, quantization)
    if (target / "model.bin").is_file() and not force:
        return read_converted(target)
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        raise missing_extra("ctranslate2", "ct2") from None

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as err:  # the cache folder is read-only, /proc, or a file stands in its way
        raise InputError(f"{cannot_write(target.parent, err)}; point {CACHE_DIR_ENV} at a writable folder") from None
    umask = os.umask(0)  # mkdtemp makes the folder private; a shared cache must be readable
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    try:
        copy = [name for name in _TOKENIZER_FILES if (folder / name).is_file()]
        converter = _converter_class(TransformersConverter)(str(folder), copy_files=copy)
        converter.convert(str(tmp), quantization=quantization, force=True)
        meta = {
            "model": model, "revision": rev, "quantization": quantization,
            "family": _family_from_config(folder), "forced_eos": _forced_eos(folder),
            "max_positions": _read_json(folder / "config.json").get("max_position_embeddings"),
        }
        (tmp / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if target.exists():  # --force, or another process finished first: replace it
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return read_converted(target)


def _converter_class(base):
    """The stock converter, with the M2M100 language tokens put back into the vocabulary.

    transformers 5's M2M100Tokenizer no longer lists ``__en__``-style language tokens in
    ``get_vocab()``, so the stock converter builds a vocabulary 100+ entries short of the model's
    embedding matrix and refuses it. We add the missing tokens at their ids before it looks.
    """

    class Converter(base):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            tokenizer = super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
            codes = getattr(tokenizer, "lang_code_to_token", None)
            if codes:
                vocab = tokenizer.get_vocab()
                missing = {tok: tokenizer.convert_tokens_to_ids(tok) for tok in codes.values() if tok not in vocab}
                if missing:
                    full = {**vocab, **missing}
                    tokenizer.get_vocab = lambda: dict(full)
            return tokenizer

    return Converter


def _read_json(path: Path) -> dict:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def _family_from_config(folder: Path) -> str:
    model_type = _read_json(folder / "config.json").get("model_type", "")
    tokenizer_class = _read_json(folder / "tokenizer_config.json").get("tokenizer_class", "") or ""
    if model_type == "marian":
        return "marian"
    if model_type == "m2m_100":
        return "nllb" if "Nllb" in tokenizer_class else "m2m100"
    return "other"


def _forced_eos(folder: Path) -> bool:
    for name in ("generation_config.json", "config.json"):
        value = _read_json(folder / name).get("forced_eos_token_id")
        if value is not None:
            return True
    return False


def _guess_family(path: Path) -> str:
    if (path / "source.spm").is_file():
        return "marian"
    vocab = path / "shared_vocabulary.json"
    if vocab.is_file():
        tokens = set(json.loads(vocab.read_text(encoding="utf-8")))
        if "eng_Latn" in tokens:
            return "nllb"
        if "__en__" in tokens:
            return "m2m100"
    return "other"
