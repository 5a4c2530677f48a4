"""LibreTranslate-compatible endpoints, so existing clients (libretranslatepy, browser add-ons,
newsroom scripts) can use the toolkit's models unchanged.

The shapes follow LibreTranslate's API: requests as JSON or as form fields; ``q`` a string or a
list of strings; ``source`` a code or ``"auto"``; ``format`` ``"text"`` or ``"html"``; ``api_key``
in the body (checked by `mt_toolkit.serve.security.Guard`); answers ``{"translatedText": ...}``
(a list for a list ``q``) with ``detectedLanguage`` for ``"auto"``; errors ``{"error": "..."}``
with status 400 (bad request) or 403 (API key). Translation goes through the server's shared,
batched translator, paragraph breaks kept and, for HTML, the markup kept around translated text.
"""

from __future__ import annotations

import asyncio
import json
from html import escape
from html.parser import HTMLParser

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mt_toolkit.errors import InputError, UnknownLanguageError
from mt_toolkit.languages import get_language, known_codes, normalize
from mt_toolkit.text.detect import detect_language
from mt_toolkit.text.segment import Document, segment_document, sentence_joiner

router = APIRouter(tags=["LibreTranslate-compatible"])


async def _fields(request: Request) -> dict:
    """The request's fields, from a JSON body, a form, or the query string."""
    ctype = request.headers.get("content-type", "")
    if "json" in ctype:
        try:
            data = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise InputError("Invalid request: the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise InputError("Invalid request: the JSON body must be an object")
        return data
    if "form" in ctype:
        form = await request.form()
        out: dict = {}
        for key in form.keys():
            values = [v for v in form.getlist(key) if isinstance(v, str)]
            out[key] = values if key == "q" and len(values) > 1 else (values[0] if values else None)
        return out
    return dict(request.query_params)


def _require(fields: dict, name: str):
    value = fields.get(name)
    if value is None or (isinstance(value, str) and not value.strip() and name != "q"):
        raise InputError(f"Invalid request: missing {name} parameter")
    return value


def _language(code: str, role: str) -> str:
    try:
        return normalize(str(code))
    except UnknownLanguageError:
        raise InputError(f"{code} is not supported ({role} language); GET /languages lists the codes") from None


def _detected(text: str) -> dict:
    guess = detect_language(text)
    if guess.lang is None:
        raise InputError("Invalid request: cannot detect the language of an empty or unknown text; give source")
    return {"confidence": round(guess.confidence * 100, 1), "language": guess.lang}


class _HtmlText(HTMLParser):
    """Splits HTML into markup (kept) and text runs (translated), script and style left alone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []  # ("markup" | "text", value)
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.parts.append(("markup", self.get_starttag_text() or f"<{tag}>"))
        self._skip += tag in ("script", "style")

    def handle_startendtag(self, tag, attrs):
        self.parts.append(("markup", self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0
        self.parts.append(("markup", f"</{tag}>"))

    def handle_data(self, data):
        kind = "markup" if self._skip or not data.strip() else "text"
        self.parts.append((kind, data if kind == "text" else escape(data, quote=False)))

    def handle_comment(self, data):
        self.parts.append(("markup", f"<!--{data}-->"))

    def handle_decl(self, decl):
        self.parts.append(("markup", f"<!{decl}>"))


async def _translate_texts(service, texts: list[str], src: str, tgt: str, *, html: bool) -> list[str]:
    """Translate texts through the shared queue (one submission for all of them)."""
    if src == tgt:
        return list(texts)
    # every text → its pieces (paragraph lines, or HTML text runs) → sentences
    plans: list[tuple[list[tuple[str, str]] | None, list[Document]]] = []
    sentences: list[str] = []
    for text in texts:
        if html:
            parser = _HtmlText()
            parser.feed(text)
            parser.close()
            runs = [value for kind, value in parser.parts if kind == "text"]
            # a run is one stretch of text: a line break in the HTML source is only a wrap
            # (segment_document would take it for a paragraph break and cut the sentence there)
            docs = [segment_document(" ".join(run.split()), src) for run in runs]
            plans.append((parser.parts, docs))
        else:
            docs = [segment_document(text, src)]
            plans.append((None, docs))
        for doc in docs:
            sentences.extend(doc.sentences)
    translations = await asyncio.wrap_future(service.submit(sentences, src_lang=src, tgt_lang=tgt))
    out_texts = [t.text for t in translations]
    joiner = sentence_joiner(tgt)
    pos = 0
    results = []
    for parts, docs in plans:
        rebuilt = []
        for doc in docs:
            n = len(doc.sentences)
            rebuilt.append("\n".join(doc.rebuild(out_texts[pos:pos + n], joiner=joiner)))
            pos += n
        if parts is None:
            results.append(rebuilt[0])
            continue
        it = iter(rebuilt)
        pieces = []
        for kind, value in parts:
            if kind == "markup":
                pieces.append(value)
            else:
                lead = value[: len(value) - len(value.lstrip())]
                trail = value[len(value.rstrip()):]
                pieces.append(lead + escape(next(it), quote=False) + trail)
        results.append("".join(pieces))
    return results


@router.post("/translate", summary="Translate text (LibreTranslate-compatible)")
async def translate(request: Request) -> JSONResponse:
    """Fields: ``q`` (string or list), ``source`` (code or ``auto``), ``target``, ``format``
    (``text`` or ``html``), ``api_key``, ``alternatives`` (answered with an empty list: the
    toolkit gives one translation). JSON or form-encoded."""
    fields = await _fields(request)
    q = _require(fields, "q")
    source = str(_require(fields, "source"))
    target = _language(_require(fields, "target"), "target")
    fmt = str(fields.get("format") or "text")
    if fmt not in ("text", "html"):
        raise InputError(f"Invalid request: format must be text or html, not {fmt!r}")
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(t, str) for t in texts):
        raise InputError("Invalid request: q must be a string or a list of strings")
    if batch and not texts:
        raise InputError("Invalid request: q is an empty list")
    service = request.app.state.translator
    detected = None
    if source == "auto":
        detected = [_detected(t) for t in texts]
        by_lang: dict[str, list[int]] = {}
        for i, d in enumerate(detected):
            by_lang.setdefault(d["language"], []).append(i)
        translated: list[str] = [""] * len(texts)
        for lang, indices in by_lang.items():
            outs = await _translate_texts(service, [texts[i] for i in indices], lang, target, html=fmt == "html")
            for i, text in zip(indices, outs):
                translated[i] = text
    else:
        translated = await _translate_texts(service, texts, _language(source, "source"), target, html=fmt == "html")
    body: dict = {"translatedText": translated if batch else translated[0]}
    if detected is not None:
        body["detectedLanguage"] = detected if batch else detected[0]
    try:
        wanted = int(fields.get("alternatives") or 0)
    except (TypeError, ValueError):
        raise InputError("Invalid request: alternatives must be a number") from None
    if wanted > 0:
        body["alternatives"] = [[] for _ in texts] if batch else []
    return JSONResponse(body)


@router.post("/detect", summary="Identify the language of a text (LibreTranslate-compatible)")
async def detect(request: Request) -> JSONResponse:
    """``[{"confidence": 92.3, "language": "id"}, ...]``, most likely first (confidence 0-100)."""
    fields = await _fields(request)
    q = _require(fields, "q")
    text = "\n".join(q) if isinstance(q, list) else str(q)
    guess = detect_language(text)
    if guess.lang is None:
        return JSONResponse([])
    rows = [(guess.lang, guess.confidence), *guess.alternatives]
    return JSONResponse([{"confidence": round(p * 100, 1), "language": lang} for lang, p in rows])


@router.get("/languages", summary="Languages and their targets (LibreTranslate-compatible)")
async def languages(request: Request) -> JSONResponse:
    """``[{"code": "id", "name": "Indonesian", "targets": ["en", ...]}]``: every language a
    model of this server (or the registry's routes through the pivot) can translate from."""
    service = request.app.state.translator
    codes = known_codes()
    if service.models or service.registry.fallback:
        targets = {c: [t for t in codes if t != c] for c in codes}
    else:
        direct: dict[str, set[str]] = {}
        for spec in service.registry.models:
            for a, b in spec.pairs:
                direct.setdefault(a, set()).add(b)
        targets = {}
        for a, outs in direct.items():
            reach = set(outs)
            for mid in outs:
                if mid == service.pivot:
                    reach |= direct.get(mid, set())
            reach.discard(a)
            targets[a] = sorted(reach)
    return JSONResponse([
        {"code": c, "name": get_language(c).name, "targets": targets[c]} for c in codes if targets.get(c)
    ])
