"""Finding a model on disk or in the Hugging Face cache, with errors a user can act on.

A model is named by a Hugging Face id (`Helsinki-NLP/opus-mt-id-en`, with an optional pinned
`revision`) or by a local folder in the same layout. A model already in the cache (`HF_HOME`) is
loaded without touching the network, so batch jobs start fast and work offline; a model that is
absent is downloaded unless `HF_HUB_OFFLINE=1`, and if that fails the user gets one line saying
how to get it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mt_toolkit.errors import InputError, ModelNotFoundError, missing_extra


@dataclass(frozen=True)
class ModelSource:
    """Where `from_pretrained` should load from, and what to record about it."""

    name: str  # as the user named it (id or folder)
    location: str  # what from_pretrained receives
    revision: str | None
    local_files_only: bool
    is_local_folder: bool


def looks_like_path(name: str) -> bool:
    """Folders are told from hub ids by a leading ./ ../ / ~ or by existing on disk."""
    return name.startswith(("/", "./", "../", "~")) or Path(name).expanduser().exists() or name.count("/") > 1


def is_cached(model_id: str, revision: str | None = None) -> bool:
    """Whether the model's config is in the local Hugging Face cache (no network).

    Raises:
        BackendUnavailable: huggingface_hub (it comes with the ``hf`` extra) is not installed.
    """
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        raise missing_extra("huggingface_hub", "hf") from None

    found = try_to_load_from_cache(model_id, "config.json", revision=revision)
    return isinstance(found, str)


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def resolve_model(name: str, *, revision: str | None = None) -> ModelSource:
    """Decide how to load ``name``.

    Raises:
        InputError: a folder that does not exist or is not a model folder.
    """
    if looks_like_path(name):
        folder = Path(name).expanduser()
        if not folder.is_dir():
            raise InputError(f"model folder {name} does not exist")
        if not (folder / "config.json").is_file() and not (folder / "model.bin").is_file():
            raise InputError(
                f"{name} is not a model folder (no config.json); give a Hugging Face id or a folder "
                f"saved with save_pretrained"
            )
        return ModelSource(name, str(folder), revision, True, True)
    cached = is_cached(name, revision)
    return ModelSource(name, name, revision, cached or hub_offline(), False)


def not_found(
    name: str, *, revision: str | None, cause: BaseException | None = None, flag: str = "--model"
) -> ModelNotFoundError:
    """The one-line error for a model that is neither local nor downloadable right now.

    ``flag``: the command-line option that takes a local copy instead.
    """
    rev = f" at revision {revision}" if revision else ""
    how = (
        f"run `mt-toolkit models fetch {name}` on a connected machine (it lands in HF_HOME), "
        f"or pass {flag} DIR with a local copy"
    )
    if hub_offline():
        return ModelNotFoundError(f"model {name}{rev} is not in the local cache and HF_HUB_OFFLINE is set; {how}")
    detail = ""
    if cause is not None:
        text = str(cause).strip().splitlines()
        detail = f" ({text[0][:160]})" if text else ""
    return ModelNotFoundError(f"model {name}{rev} could not be loaded from the hub{detail}; {how}")
