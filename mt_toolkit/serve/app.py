"""The ASGI app: the workbench pages, the JSON API and the LibreTranslate-compatible endpoints.

`create_app` wires the shared pieces, made once per process and kept in ``app.state``: the
`TranslationService` (models loaded once, requests batched), the `HistoryStore` and the
`JobManager`. Every error a user can fix (`MtToolkitError`, a malformed body) becomes a JSON
``{"error": "..."}`` with a 4xx status; anything else is logged and answered with a 500 that
carries no traceback.

    uvicorn --factory mt_toolkit.serve.app:create_app     # or: mt-toolkit serve
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from mt_toolkit.errors import BackendUnavailable, ConfigError, ModelNotFoundError, MtToolkitError, NoRouteError, UnknownLanguageError, summary
from mt_toolkit.serve.config import ServeSettings
from mt_toolkit.serve.security import BodyLimit, Guard, SecurityHeaders

__all__ = ["create_app"]

log = logging.getLogger("mt_toolkit.serve")

_STATUS = {NoRouteError: 400, UnknownLanguageError: 400, ModelNotFoundError: 503, BackendUnavailable: 503,
           ConfigError: 500}


def status_of(err: MtToolkitError) -> int:
    """The HTTP status for a user-fixable error (400 unless the server's own setup is at fault)."""
    for kind, status in _STATUS.items():
        if isinstance(err, kind):
            return status
    return 400


def _validation_message(err: RequestValidationError) -> str:
    parts = []
    for e in err.errors()[:5]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return "invalid request: " + "; ".join(parts)


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    """The app for ``settings`` (defaults: local use, registry models, default cache and history)."""
    from mt_toolkit import __version__
    from mt_toolkit.serve.history import HistoryStore
    from mt_toolkit.serve.jobs import JobManager
    from mt_toolkit.serve.routers import api, libretranslate, pages
    from mt_toolkit.serve.translation import TranslationService

    settings = settings or ServeSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.close()
        app.state.translator.close()

    app = FastAPI(
        title="mt-toolkit",
        version=__version__,
        description=(
            "Trace how a quote changed across translations, align and score texts, and translate "
            "through a LibreTranslate-compatible API. Errors are JSON `{\"error\": \"...\"}` with a 4xx status."
        ),
        lifespan=lifespan,
    )
    service = TranslationService(models=settings.models, device=settings.device, backend=settings.backend,
                                 cache_path=settings.cache_path, pivot=settings.pivot, options=settings.options,
                                 batch_wait=settings.batch_wait)
    history = HistoryStore(settings.history_path)
    app.state.settings = settings
    app.state.translator = service
    app.state.history = history
    app.state.jobs = JobManager(service=service, history=history, workers=settings.trace_workers,
                                allow_fetch=settings.fetch_urls, fetch_limits=settings.fetch)

    @app.exception_handler(MtToolkitError)
    async def _user_error(request: Request, err: MtToolkitError):
        return JSONResponse({"error": summary(err)}, status_code=status_of(err))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError):
        return JSONResponse({"error": _validation_message(err)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException):
        return JSONResponse({"error": str(err.detail)}, status_code=err.status_code, headers=err.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, err: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": f"internal error ({type(err).__name__}); see the server's log"}, status_code=500)

    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(libretranslate.router)
    from importlib import resources

    static = resources.files("mt_toolkit.serve").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    # outermost last: headers on every answer, then the body limit, then the key and origin checks
    app.add_middleware(Guard, api_key=settings.api_key)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body)
    app.add_middleware(SecurityHeaders)
    return app
