"""The workbench in the browser: the trace form, a running trace, the report, the history.

Pages are Jinja2 templates (``mt_toolkit/serve/templates``) over the report's own templates, so
the report shown here is the one `trace --html` writes. Everything is autoescaped; the only
script is ``/static/app.js``. A form error re-shows the form with what was typed and the message.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from mt_toolkit.errors import InputError, MtToolkitError, summary
from mt_toolkit.languages import get_language, known_codes, normalize
from mt_toolkit.serve.inputs import GivenText
from mt_toolkit.serve.security import API_KEY_COOKIE
from mt_toolkit.text.extract import looks_like_html
from mt_toolkit.textio import decode_text

router = APIRouter(include_in_schema=False)

MAX_ORIGINALS = 20


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from mt_toolkit.report.templating import report_environment

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("mt_toolkit.serve", "templates"),
                                    jinja2.PackageLoader("mt_toolkit.report", "templates")]),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined,
    )
    env.filters.update(report_environment().filters)
    env.filters["datetime"] = lambda t: _dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M")
    return env


def _page(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(_environment().get_template(name).render(**context), status_code=status)


def _languages() -> list[tuple[str, str]]:
    return sorted(((c, get_language(c).name) for c in known_codes()), key=lambda x: x[1])


@dataclass
class _Values:
    """What the form held, to show it again after an error."""

    label: str = ""
    lang: str = "auto"
    text: str = ""
    url: str = ""
    translation: str = ""


def _form_page(request: Request, *, values: dict | None = None, error: str | None = None, status: int = 200):
    service = request.app.state.translator
    values = values or {"article": _Values(label="article"), "originals": [_Values() for _ in range(3)],
                        "pivot": request.app.state.settings.pivot, "model": ""}
    return _page("index.html.j2", status, values=values, error=error, languages=_languages(),
                 models=service.allowed_models())


@router.get("/", response_class=HTMLResponse)
async def index(request: Request):
    return _form_page(request)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)


@router.get("/assets/report.css")
async def report_stylesheet() -> Response:
    from mt_toolkit.report.templating import report_css

    return Response(str(report_css()), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


def _block_values(form, prefix: str) -> _Values:
    """What one text block of the form held (to show again after an error)."""

    def field(name: str) -> str:
        value = form.get(f"{prefix}_{name}")
        return value if isinstance(value, str) else ""

    return _Values(field("label").strip(), field("lang") or "auto", field("text"), field("url").strip(),
                   field("translation"))


async def _given(form, prefix: str, values: _Values) -> GivenText | None:
    """The text one block gives (None when it was left empty)."""
    upload = form.get(f"{prefix}_file")
    html = None
    name = ""
    text = values.text if values.text.strip() else None
    if isinstance(upload, UploadFile) and upload.filename:
        name = upload.filename
        content = decode_text(await upload.read(), name=name)  # binary and non-UTF-8 files refused
        if text is not None:
            raise InputError(f"{values.label or prefix}: give the text, a file or a URL, not several")
        if looks_like_html(content, name):  # kept apart so the history records a page, not its markup
            html = content
        else:
            text = content
    if text is None and html is None and not values.url:
        if values.label or values.translation.strip():
            raise InputError(f"{values.label or prefix}: no text given; paste it, upload a file or give a URL")
        return None
    if sum(x is not None and x != "" for x in (text, html, values.url or None)) > 1:
        raise InputError(f"{values.label or prefix}: give the text, a file or a URL, not several")
    translation = tuple(values.translation.splitlines()) if values.translation.strip() else None
    lang = normalize(values.lang) if values.lang != "auto" else None  # unknown: the form says so now
    if values.url and urlsplit(values.url).scheme not in ("http", "https"):
        raise InputError(f"{values.label or prefix}: only http and https URLs can be fetched")
    label = values.label or ("article" if prefix == "article" else f"original {int(prefix[8:]) + 1}")
    return GivenText(label, text=text, html=html, url=values.url or None, lang=lang, translation=translation, name=name)


@router.post("/trace")
async def start_trace(request: Request):
    form = await request.form()
    prefixes = [f"original{k}" for k in range(MAX_ORIGINALS)
                if any(key.startswith(f"original{k}_") for key in form.keys())]
    values: dict = {"pivot": form.get("pivot") or "en", "model": form.get("model") or "",
                    "article": _block_values(form, "article"),
                    "originals": [_block_values(form, p) for p in prefixes]}
    values["originals"] += [_Values() for _ in range(3 - len(values["originals"]))]
    try:
        article = await _given(form, "article", values["article"])
        originals = [g for g in [await _given(form, p, v) for p, v in zip(prefixes, values["originals"])] if g]
        if article is None:
            raise InputError("paste the article, upload it or give its URL")
        if not originals:
            raise InputError("give at least one candidate original")
        pivot = normalize(str(values["pivot"]))
        model = request.app.state.translator.check_model(str(values["model"]) or None)
    except MtToolkitError as err:
        return _form_page(request, values=values, error=summary(err), status=400)
    job = request.app.state.jobs.start(article, originals, pivot=pivot, model=model)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(job_id: str, request: Request):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        return _page("index.html.j2", 404, values={"article": _Values(label="article"), "originals": [_Values()] * 3},
                     error="That trace is no longer running here (the server may have restarted); see the history.",
                     languages=_languages(), models=())
    if job.state == "done" and job.trace_id:
        return RedirectResponse(f"/traces/{job.trace_id}", status_code=303)
    return _page("job.html.j2", job=job)


@router.get("/traces/{trace_id}", response_class=HTMLResponse)
async def trace_page(trace_id: str, request: Request):
    history = request.app.state.history
    record = history.get(trace_id)
    if record is None:
        return _page("history.html.j2", 404, records=history.list(), path=history.path)
    # the fragment was rendered (and escaped) by the report templates when the trace finished
    body = Markup(history.output(trace_id, "body_html"))
    return _page("report.html.j2", record=record, body=body)


_DOWNLOADS = {"html": ("html", "text/html; charset=utf-8"), "json": ("json", "application/json"),
              "md": ("markdown", "text/markdown; charset=utf-8")}


@router.get("/traces/{trace_id}/report.{ext}")
async def download(trace_id: str, ext: str, request: Request):
    if ext not in _DOWNLOADS:
        raise InputError(f"no {ext!r} download; html, json and md exist")
    column, media = _DOWNLOADS[ext]
    text = request.app.state.history.output(trace_id, column)
    if text is None:
        return Response('{"error": "no such trace"}', status_code=404, media_type="application/json")
    return Response(text, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="trace-{trace_id}.{ext}"'})


@router.post("/traces/{trace_id}/delete")
async def delete_trace(trace_id: str, request: Request):
    request.app.state.history.delete(trace_id)
    return RedirectResponse("/history", status_code=303)


@router.get("/history", response_class=HTMLResponse)
async def history_page(request: Request):
    history = request.app.state.history
    return _page("history.html.j2", records=history.list(), path=history.path)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request):
    return _page("login.html.j2")


@router.post("/login")
async def login(request: Request):
    import hmac

    form = await request.form()
    key = form.get("api_key")
    expected = request.app.state.settings.api_key
    if not expected:
        return RedirectResponse("/", status_code=303)
    if not isinstance(key, str) or not hmac.compare_digest(key.encode(), expected.encode()):
        return _page("login.html.j2", 403, error="That is not this server's key.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(API_KEY_COOKIE, key, httponly=True, samesite="strict")
    return response
