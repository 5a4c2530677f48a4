"""`mt-toolkit serve`: the translator's workbench in the browser and the HTTP API.

A thin layer: checks that the address is safe to listen on (`mt_toolkit.serve.security.check_bind`),
builds `ServeSettings` and runs the app with uvicorn. FastAPI and uvicorn are imported only
here, when the command runs (the `serve` extra).
"""

from __future__ import annotations

from typing import Annotated

import typer

from mt_toolkit.cli._common import (
    Backend,
    BackendOption,
    BatchSizeOption,
    BeamOption,
    CacheFileOption,
    CacheOption,
    Device,
    DeviceOption,
    MaxLengthOption,
    user_errors,
)


@user_errors
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but 127.0.0.1/localhost needs --api-key (or --insecure).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    api_key: Annotated[str | None, typer.Option("--api-key", envvar="MT_TOOLKIT_API_KEY", metavar="KEY", help="Require this key on every request (header 'Authorization: Bearer KEY', X-API-Key, or LibreTranslate's api_key field).", show_default=False)] = None,
    insecure: Annotated[bool, typer.Option("--insecure", help="Allow listening on a non-local address without an API key.")] = False,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", metavar="MODEL", help="A model (Hugging Face id or folder) requests may use besides the registry's; the first is the default for every pair. Repeatable.")] = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    pivot: Annotated[str, typer.Option(help="The default language traces compare in.")] = "en",
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
    history: Annotated[str | None, typer.Option(metavar="FILE", help="Trace history database. Default: history.sqlite3 in $MT_TOOLKIT_DATA_DIR or ~/.local/share/mt-toolkit.")] = None,
    max_body: Annotated[int, typer.Option(min=1024, metavar="BYTES", help="Largest request body accepted.")] = 10_000_000,
    trace_workers: Annotated[int, typer.Option(min=1, help="Traces run at the same time; more wait their turn.")] = 2,
    fetch_urls: Annotated[bool, typer.Option("--fetch-urls/--no-fetch-urls", help="Let users give texts by URL (public http(s) only, 10 s, 5 MB).")] = True,
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
) -> None:
    """Open the workbench: trace articles in the browser, keep a history, serve an HTTP API.

    The API is documented at /docs. /translate, /detect and /languages speak LibreTranslate's
    protocol, so its clients work unchanged.

    Example:

        mt-toolkit serve            # then open http://127.0.0.1:8000
    """
    from mt_toolkit.errors import missing_extra
    from mt_toolkit.serve.security import check_bind

    warning = check_bind(host, api_key=api_key, insecure=insecure)
    try:
        import uvicorn

        from mt_toolkit.serve.app import create_app
        from mt_toolkit.serve.config import ServeSettings
        from mt_toolkit.translate.base import DecodingOptions
    except ImportError as err:
        raise missing_extra(err.name or "fastapi", "serve") from None
    if warning:
        typer.echo(f"mt-toolkit: {warning}", err=True)
    settings = ServeSettings(
        api_key=api_key, max_body=max_body, models=tuple(model or ()), device=device.value, backend=backend.value,
        pivot=pivot, cache_path=False if not cache else (str(cache_file) if cache_file else None), history_path=history,
        trace_workers=trace_workers, fetch_urls=fetch_urls,
        options=DecodingOptions(beam_size=beam, batch_size=batch_size, max_length=max_length),
    )
    app = create_app(settings)
    typer.echo(f"mt-toolkit workbench on http://{'[' + host + ']' if ':' in host else host}:{port}  (API docs: /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)
