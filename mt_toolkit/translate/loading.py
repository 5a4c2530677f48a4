"""Finding a model on disk or in the Hugging Face cache, with errors a user can act on.

A model is named by a Hugging Face id (`Helsinki-NLP/opus-mt-id-en`, with an optional pinned
`revision`) or by a local folder in the same layout. A model already in the cache (`HF_HOME`) is
loaded without touching the network, so batch jobs start fast and work offline; a model that is
absent is downloaded unless `HF_HUB_OFFLINE=1`, and if that fails the user gets one line saying
how to get it.
"""

from __future__ import annotations

import hashlib
import json
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


def model_fingerprint(model: str | os.PathLike[str]) -> str | None:
    """A short digest of a local model folder's file names, sizes and modification times.

    A local folder has no revision, so this stands in for one wherever a model's identity decides
    what may be reused (the translation cache key, the CTranslate2 conversion's folder name):
    retraining or re-converting a model in place gives a new fingerprint. None when ``model`` is
    not a folder on disk (a hub id).
    """
    folder = Path(model).expanduser()
    try:
        if not folder.is_dir():
            return None
        entries = sorted(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()
        )
    except OSError:
        return None
    return hashlib.sha256(json.dumps(entries).encode("utf-8")).hexdigest()[:16]


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


def hub_endpoint() -> str:
    """The hub's address: ``$HF_ENDPOINT`` (read now, not at import), else huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


# Seconds the connectivity probe waits. The hub client itself retries a refused or timed-out
# connection with back-off (about 50 s of "Retrying in Ns" lines) before its one useful error.
PROBE_TIMEOUT_S = 3.0


def hub_unreachable(timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the hub cannot be reached right now (None if a TCP connection to it opens).

    Only a TCP connect, no request, run in a thread so a hanging name lookup also ends at
    ``timeout``. Behind a proxy (``HTTPS_PROXY`` and friends) a direct connect says nothing, so
    the probe is skipped and the hub client decides.
    """
    import socket
    import threading
    from urllib.parse import urlsplit

    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")):
        return None
    url = urlsplit(hub_endpoint())
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    outcome: list[str | None] = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append(None)
        except OSError as err:
            outcome.append(err.strerror or type(err).__name__)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    if not outcome:
        return f"no answer within {timeout:g} s"
    return outcome[0] if outcome[0] is None else outcome[0].lower()


def require_hub(name: str, *, revision: str | None = None, flag: str = "--model") -> None:
    """Fail at once, in one line, when ``name`` must come from the hub and the hub is unreachable.

    Raises:
        ModelNotFoundError: the hub did not answer the probe.
    """
    reason = hub_unreachable()
    if reason is not None:
        raise not_found(name, revision=revision, flag=flag,
                        cause=ConnectionError(f"the hub at {hub_endpoint()} cannot be reached: {reason}"))


def check_model_config(folder: Path, *, name: str) -> None:
    """Refuse a model folder whose config.json is not a JSON object (a truncated download, an
    edit gone wrong): every loader would otherwise fail deep inside with a traceback.

    Raises:
        InputError: config.json exists but does not parse as a JSON object.
    """
    import json

    config = folder / "config.json"
    if not config.is_file():
        return
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (ValueError, OSError) as err:
        raise InputError(f"{name}: config.json is not valid JSON ({str(err).splitlines()[0]}); re-download or fix it") from None
    if not isinstance(data, dict):
        raise InputError(f"{name}: config.json should hold a JSON object; re-download or fix it")


def resolve_model(name: str, *, revision: str | None = None) -> ModelSource:
    """Decide how to load ``name``.

    Raises:
        InputError: a folder that does not exist or is not a model folder.
        ModelNotFoundError: a hub model that is not cached while the hub cannot be reached.
    """
    if looks_like_path(name):
        folder = Path(name).expanduser()
        if not folder.is_dir():
            what = "is a file, not a model folder" if folder.exists() else "does not exist"
            raise InputError(f"model folder {name} {what}")
        if not (folder / "config.json").is_file() and not (folder / "model.bin").is_file():
            raise InputError(
                f"{name} is not a model folder (no config.json); give a Hugging Face id or a folder "
                f"saved with save_pretrained"
            )
        check_model_config(folder, name=name)
        return ModelSource(name, str(folder), revision, True, True)
    cached = is_cached(name, revision)
    if not cached and not hub_offline():
        require_hub(name, revision=revision)
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
    return ModelNotFoundError(
        f"model {name}{rev} is not in the local cache and could not be loaded from the hub{detail}; {how} "
        f"(HF_HUB_OFFLINE=1 skips the hub)"
    )
