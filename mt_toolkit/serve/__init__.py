"""`mt-toolkit serve`: the trace workbench in the browser and an HTTP API (the `serve` extra).

Modules: `app` (the ASGI app and its error handling), `routers/` (pages, JSON API,
LibreTranslate-compatible endpoints), `translation` (the shared, batched translator), `jobs`
(traces in worker threads, with progress), `history` (SQLite in the user data folder), `inputs`
(pasted text, pages and URLs into `TraceInput`), `fetch` (safe URL fetching), `security`
(bind check, API key, body limit, headers), `schemas` (request bodies), `config` (settings).
Importing this package imports nothing heavy; FastAPI is imported by `app`.
"""
