"""Shared by the serve tests: an app on temporary files, and the README example as API bodies."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trace"


def make_app(tmp_path, **settings):
    from mt_toolkit.serve.app import create_app
    from mt_toolkit.serve.config import ServeSettings

    settings.setdefault("history_path", str(tmp_path / "history.sqlite3"))
    settings.setdefault("cache_path", str(tmp_path / "cache.sqlite3"))
    return create_app(ServeSettings(**settings))


def read(name: str) -> str:
    return (EXAMPLE / name).read_text(encoding="utf-8")


def example_body(**extra) -> dict:
    """The README's example (examples/trace/) as a POST /api/trace body, languages identified."""
    body = {
        "article": {"label": "article", "text": read("article.id.txt"), "translation": read("article.en.txt")},
        "originals": [
            {"label": "Statement-ZH", "text": read("statement.zh.txt"), "translation": read("statement.zh.en.txt")},
            {"label": "Official-EN", "text": read("statement.en.txt")},
            {"label": "Vostok-RU", "text": read("wire.ru.txt"), "translation": read("wire.ru.en.txt")},
        ],
    }
    body.update(extra)
    return body


class LiveServer:
    """The app served by uvicorn on a free localhost port, in a thread (for real HTTP clients)."""

    def __init__(self, app) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app

    def __enter__(self) -> "LiveServer":
        import threading
        import time

        import uvicorn

        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
