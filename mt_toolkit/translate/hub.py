"""Talking to the Hugging Face hub: what is cached locally, and fetching a model for offline use."""

from __future__ import annotations

from mt_toolkit.errors import ModelNotFoundError, missing_extra
from mt_toolkit.translate.loading import (
    hub_endpoint,
    hub_offline,
    hub_unreachable,
    is_cached,
    looks_like_path,
)


def is_present(model: str, revision: str | None = None) -> bool:
    """Whether ``model`` can be loaded without the network (a folder, or in the HF cache)."""
    from pathlib import Path

    if looks_like_path(model):
        return (Path(model).expanduser() / "config.json").is_file()
    return is_cached(model, revision)


def fetch_model(model: str, *, revision: str | None = None) -> str:
    """Download a model into the Hugging Face cache (`HF_HOME`) and return its local folder.

    Raises:
        ModelNotFoundError: offline mode is on, the hub is unreachable, or the id is unknown.
    """
    if hub_offline():
        raise ModelNotFoundError(
            f"cannot fetch {model}: HF_HUB_OFFLINE is set; unset it on a machine that reaches the hub"
        )
    reason = hub_unreachable()
    if reason is not None:
        raise ModelNotFoundError(f"cannot fetch {model}: the hub at {hub_endpoint()} cannot be reached ({reason})")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise missing_extra("huggingface_hub", "hf") from None

    try:
        return snapshot_download(model, revision=revision)
    except Exception as err:  # the hub client raises many unrelated types for "could not get it"
        first = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        raise ModelNotFoundError(f"could not fetch {model} from the Hugging Face hub: {first}") from None
