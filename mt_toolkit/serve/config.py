"""The server's settings, in one frozen record with its defaults (the CLI fills it from flags)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mt_toolkit.serve.fetch import FetchLimits
from mt_toolkit.translate.base import DecodingOptions


@dataclass(frozen=True)
class ServeSettings:
    """How `mt-toolkit serve` runs.

    Attributes:
        api_key: required on every request when set (see `mt_toolkit.serve.security.Guard`).
        max_body: the largest request body accepted, in bytes.
        models: models requests may name besides the registry's; the first is the default.
        device, backend: how models are loaded.
        pivot: the default comparison language of traces.
        cache_path: the translation cache file (None: the default; False: none).
        history_path: the history database (None: ``history.sqlite3`` in the user data folder).
        trace_workers: traces run at once (more wait their turn).
        batch_wait: seconds the translation queue waits to gather a batch.
        fetch_urls: whether texts may be given by URL (fetched over public http(s) only).
        fetch: the fetch timeout and size cap.
        options: decoding options of every translation (beam size, maximum length, batch size).
    """

    api_key: str | None = None
    max_body: int = 10_000_000
    models: tuple[str, ...] = ()
    device: str = "auto"
    backend: str = "auto"
    pivot: str = "en"
    cache_path: str | None | bool = None
    history_path: str | None = None
    trace_workers: int = 2
    batch_wait: float = 0.01
    fetch_urls: bool = True
    fetch: FetchLimits = field(default_factory=FetchLimits)
    options: DecodingOptions = field(default_factory=DecodingOptions)
