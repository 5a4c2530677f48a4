"""Traces run in worker threads, with progress a page can follow and a result kept in history.

A trace of a long article spends minutes translating on a CPU. The web form therefore starts a
`Job` and the page follows its progress (server-sent events from `/api/jobs/{id}/events`, or
plain polling of `/api/jobs/{id}`); the JSON API waits for the same function (`run_trace`) in
the same bounded pool, so a burst of API calls queues instead of overloading the machine.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from mt_toolkit.errors import MtToolkitError, summary
from mt_toolkit.fidelity import Thresholds, Verdict
from mt_toolkit.serve.fetch import FetchLimits
from mt_toolkit.serve.history import HistoryStore
from mt_toolkit.serve.inputs import GivenText, resolve_text
from mt_toolkit.serve.translation import TranslationService
from mt_toolkit.trace import TraceResult, trace

__all__ = ["Job", "JobManager", "TraceOutcome"]

log = logging.getLogger("mt_toolkit.serve")


@dataclass
class Job:
    """A trace started from the web form: its state, progress and outcome."""

    id: str
    state: str = "queued"  # queued | running | done | failed
    phase: str = "waiting for a worker"
    done: int = 0
    total: int = 0
    error: str | None = None
    trace_id: str | None = None  # the history record, once done
    created: float = field(default_factory=time.time)

    def snapshot(self) -> dict:
        return {"id": self.id, "state": self.state, "phase": self.phase, "done": self.done,
                "total": self.total, "error": self.error, "trace_id": self.trace_id}


@dataclass(frozen=True)
class TraceOutcome:
    result: TraceResult
    trace_id: str | None


class JobManager:
    """Runs traces in a small thread pool; keeps recent jobs in memory for their pages."""

    def __init__(self, *, service: TranslationService, history: HistoryStore, workers: int = 2,
                 allow_fetch: bool = False, fetch_limits: FetchLimits = FetchLimits(), keep: int = 200) -> None:
        self.service, self.history = service, history
        self.allow_fetch, self.fetch_limits, self.keep = allow_fetch, fetch_limits, keep
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mt-toolkit-trace")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    # --- the work --------------------------------------------------------------------------

    def run_trace(self, article: GivenText, originals: Sequence[GivenText], *, pivot: str = "en",
                  model: str | None = None, thresholds: Thresholds = Thresholds(), save: bool = True,
                  job: Job | None = None) -> TraceOutcome:
        """Resolve the inputs, trace, render and (with ``save``) store; the same for page and API.

        Raises:
            MtToolkitError: anything the user can fix (bad input, no model for a pair, ...).
        """
        def phase(name: str) -> None:
            if job is not None:
                job.state, job.phase, job.done, job.total = "running", name, 0, 0

        phase("reading the texts")
        model = self.service.check_model(model)
        art = resolve_text(article, allow_fetch=self.allow_fetch, fetch_limits=self.fetch_limits)
        origs = [resolve_text(o, allow_fetch=self.allow_fetch, fetch_limits=self.fetch_limits) for o in originals]
        phase("translating and tracing")

        def on_progress(done: int, total: int) -> None:
            if job is not None:
                job.done, job.total = done, total

        result = trace(art, origs, pivot=pivot, thresholds=thresholds, translate=self.service.translate_fn(model),
                       on_progress=on_progress)
        trace_id = None
        if save:
            phase("saving")
            trace_id = self._save(result, article, originals, model=model)
        return TraceOutcome(result, trace_id)

    def _save(self, result: TraceResult, article: GivenText, originals: Sequence[GivenText], *, model) -> str:
        from mt_toolkit.report import render_html, render_json, render_markdown
        from mt_toolkit.report.html import report_context
        from mt_toolkit.report.templating import report_environment

        body = report_environment().get_template("_trace_body.html.j2").render(report_context(result))
        labels = ", ".join(o.label for o in result.originals)
        inputs = {
            "article": _given_dict(article), "originals": [_given_dict(o) for o in originals],
            "pivot": result.pivot, "model": model,
        }
        changed = sum(1 for s in result.sentences if s.verdict is Verdict.CHANGED and not s.furniture)
        return self.history.add(
            title=f"{result.article.label} ({result.article.lang}) against {labels}",
            likely_source=result.likely_source, sentences=len(result.sentences), changed=changed,
            inputs=inputs, body_html=body, html=render_html(result), json_text=render_json(result),
            markdown=render_markdown(result),
        )

    # --- jobs for the web form -------------------------------------------------------------

    def start(self, article: GivenText, originals: Sequence[GivenText], **options) -> Job:
        """Start a trace in the pool; returns its job at once."""
        job = Job(uuid.uuid4().hex[:16])
        with self._lock:
            self._jobs[job.id] = job
            if len(self._jobs) > self.keep:  # forget the oldest finished jobs
                for old in sorted(self._jobs.values(), key=lambda j: j.created)[: len(self._jobs) - self.keep]:
                    if old.state in ("done", "failed"):
                        del self._jobs[old.id]

        def work() -> None:
            try:
                outcome = self.run_trace(article, originals, job=job, save=True, **options)
            except MtToolkitError as err:
                job.state, job.error = "failed", summary(err)
            except Exception as err:  # a bug: the page says so, the log has the traceback, the server goes on
                job.state, job.error = "failed", f"internal error ({type(err).__name__}); see the server's log"
                log.exception("trace job %s failed", job.id)
            else:
                job.trace_id, job.phase, job.state = outcome.trace_id, "done", "done"

        self._pool.submit(work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, fn, *args, **kwargs) -> Future:
        """Run ``fn`` in the trace pool (the JSON API waits on it)."""
        return self._pool.submit(fn, *args, **kwargs)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _given_dict(given: GivenText) -> dict:
    return {"label": given.label, "lang": given.lang, "url": given.url, "name": given.name,
            "text": given.text if given.text is not None else None, "has_html": given.html is not None,
            "translation": list(given.translation) if given.translation else None}
