"""The JSON API: trace, align, score, and the jobs and history the workbench pages use."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from mt_toolkit.errors import InputError
from mt_toolkit.fidelity import Thresholds
from mt_toolkit.serve.inputs import GivenText
from mt_toolkit.serve.schemas import AlignRequest, ScoreRequest, TraceRequest, TraceText, plain

router = APIRouter(prefix="/api", tags=["API"])


def _given(t: TraceText) -> GivenText:
    translation = t.translation.splitlines() if isinstance(t.translation, str) else t.translation
    return GivenText(t.label, t.text, t.html, t.url, t.lang, tuple(translation) if translation else None,
                     t.presegmented)


def _thresholds(body: TraceRequest) -> Thresholds:
    if body.thresholds is None:
        return Thresholds()
    given = {k: v for k, v in body.thresholds.model_dump().items() if v is not None}
    return Thresholds(**given)


@router.post("/trace", summary="Trace an article into its candidate originals (the `trace --json` document)")
async def api_trace(body: TraceRequest, request: Request) -> JSONResponse:
    """Every article sentence located in each original, scored, flagged and given a verdict;
    the originals ranked. The answer is the document `mt-toolkit trace --json` writes, with
    ``trace_id`` added when the trace was saved in the history."""
    from mt_toolkit.report.json import to_dict

    jobs = request.app.state.jobs
    future = jobs.submit(jobs.run_trace, _given(body.article), [_given(o) for o in body.originals],
                         pivot=body.pivot, model=body.model, thresholds=_thresholds(body), save=body.save)
    outcome = await asyncio.wrap_future(future)
    data = to_dict(outcome.result)
    data["trace_id"] = outcome.trace_id
    return JSONResponse(data)


@router.post("/align", summary="Align two documents sentence by sentence")
async def api_align(body: AlignRequest, request: Request) -> dict:
    """Beads in the Vecalign/Bertalign format (``[0]:[0, 1]:0.83``) and as records. When the
    languages differ and no translation is given, SRC is translated with the server's models."""
    from mt_toolkit.languages import normalize
    from mt_toolkit.text.segment import segment_document

    src_lang, tgt_lang = normalize(body.src_lang), normalize(body.tgt_lang)
    src = segment_document(body.src, src_lang).sentences if isinstance(body.src, str) else body.src
    tgt = segment_document(body.tgt, tgt_lang).sentences if isinstance(body.tgt, str) else body.tgt
    if not src or not tgt:
        raise InputError("src and tgt need at least one sentence each")
    src_mt = body.src_mt
    service = request.app.state.translator
    if src_lang != tgt_lang and src_mt is None and body.tgt_mt is None and body.translate:
        future = service.submit(src, src_lang=src_lang, tgt_lang=tgt_lang, model=body.model)
        src_mt = [t.text for t in await asyncio.wrap_future(future)]

    def align():
        from mt_toolkit.align import align_sentences, beads_to_text

        beads = align_sentences(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, src_mt=src_mt,
                                tgt_mt=body.tgt_mt, translate=False)
        return beads, beads_to_text(beads, format="beads")

    beads, text = await asyncio.wrap_future(request.app.state.jobs.submit(align))
    return {"beads": [{"src": list(b.src), "tgt": list(b.tgt), "score": b.score} for b in beads], "lines": text.splitlines(), "src_sentences": list(src),
            "tgt_sentences": list(tgt)}


@router.post("/score", summary="Score hypotheses against references with sacrebleu")
async def api_score(body: ScoreRequest, request: Request) -> dict:
    """Corpus scores (with their sacrebleu signatures) and, if asked, one set per sentence."""
    from mt_toolkit.metrics import corpus_scores, segment_scores

    refs = [body.references] if body.references and isinstance(body.references[0], str) else body.references
    metrics = list(body.metrics)

    def score():
        corpus = corpus_scores(body.hypotheses, refs, metrics=metrics, lang=body.lang)
        sentences = segment_scores(body.hypotheses, refs, metrics=metrics, lang=body.lang) if body.sentence_level else None
        return corpus, sentences

    corpus, sentences = await asyncio.wrap_future(request.app.state.jobs.submit(score))
    out: dict = {"scores": [plain(s) for s in corpus]}
    if sentences is not None:
        out["sentences"] = [[plain(s) for s in row] for row in sentences]
    return out


@router.get("/models", summary="Models requests may name")
async def api_models(request: Request) -> dict:
    service = request.app.state.translator
    return {"models": list(service.allowed_models()), "default": service.models[0] if service.models else None}


@router.get("/health", summary="Whether the server is up, and what its translator has done")
async def api_health(request: Request) -> dict:
    service = request.app.state.translator
    return {"status": "ok", "translator": dict(service.stats), "cache_error": service.cache_error}


@router.get("/jobs/{job_id}", summary="A workbench trace's progress")
async def api_job(job_id: str, request: Request) -> dict:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise InputError(f"no job {job_id!r} (jobs are forgotten when the server restarts)")
    return job.snapshot()


@router.get("/jobs/{job_id}/events", summary="A workbench trace's progress as server-sent events")
async def api_job_events(job_id: str, request: Request) -> StreamingResponse:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise InputError(f"no job {job_id!r} (jobs are forgotten when the server restarts)")

    async def events():
        last = None
        while True:
            snap = job.snapshot()
            if snap != last:
                yield f"event: progress\ndata: {json.dumps(snap)}\n\n"
                last = snap
            if snap["state"] in ("done", "failed") or await request.is_disconnected():
                return
            await asyncio.sleep(0.25)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/history", summary="Saved traces, newest first")
async def api_history(request: Request) -> dict:
    records = request.app.state.history.list()
    return {"traces": [plain(r) | {"inputs": None} for r in records]}


@router.get("/history/{trace_id}", summary="One saved trace's JSON document")
async def api_history_item(trace_id: str, request: Request) -> JSONResponse:
    text = request.app.state.history.output(trace_id, "json")
    if text is None:
        return JSONResponse({"error": f"no saved trace {trace_id!r}"}, status_code=404)
    return JSONResponse(json.loads(text))


@router.delete("/history/{trace_id}", summary="Delete a saved trace")
async def api_history_delete(trace_id: str, request: Request) -> JSONResponse:
    if not request.app.state.history.delete(trace_id):
        return JSONResponse({"error": f"no saved trace {trace_id!r}"}, status_code=404)
    return JSONResponse({"deleted": trace_id})
