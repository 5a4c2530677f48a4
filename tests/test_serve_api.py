"""The HTTP API through httpx (FastAPI's TestClient): trace, align, score, history, errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from mt_toolkit.report.json import to_dict
from mt_toolkit.trace import trace
from serve_helpers import example_body, make_app, read
from test_trace import example_inputs


@pytest.fixture()
def client(tmp_path):
    with TestClient(make_app(tmp_path)) as c:
        yield c


def test_api_trace_answers_the_trace_json_schema(client):
    r = client.post("/api/trace", json=example_body())
    assert r.status_code == 200, r.text
    data = r.json()
    article, originals = example_inputs()
    expected = json.loads(json.dumps(to_dict(trace(article, originals)), ensure_ascii=False))
    trace_id = data.pop("trace_id")
    assert data == expected  # the very document `trace --json` writes, languages identified on the way
    assert data["likely_source"] == "Vostok-RU"
    assert [o["lang"] for o in data["originals"]] == ["zh", "en", "ru"] and data["article"]["lang"] == "id"
    assert trace_id and client.get(f"/api/history/{trace_id}").json()["likely_source"] == "Vostok-RU"


def test_history_lists_reopens_downloads_and_deletes(client):
    trace_id = client.post("/api/trace", json=example_body()).json()["trace_id"]
    listed = client.get("/api/history").json()["traces"]
    assert [t["id"] for t in listed] == [trace_id] and listed[0]["likely_source"] == "Vostok-RU"
    page = client.get(f"/traces/{trace_id}")
    assert page.status_code == 200 and 'data-testid="likely-source">Vostok-RU<' in page.text
    assert trace_id in client.get("/history").text
    html = client.get(f"/traces/{trace_id}/report.html")
    assert html.headers["content-disposition"] == f'attachment; filename="trace-{trace_id}.html"'
    assert html.text.startswith("<!DOCTYPE html>") and "<style>" in html.text
    assert json.loads(client.get(f"/traces/{trace_id}/report.json").text)["likely_source"] == "Vostok-RU"
    assert "**Most likely source:** Vostok-RU" in client.get(f"/traces/{trace_id}/report.md").text
    assert client.post(f"/traces/{trace_id}/delete", follow_redirects=False).status_code == 303
    assert client.get("/api/history").json()["traces"] == []
    assert client.get(f"/api/history/{trace_id}").status_code == 404
    assert client.delete(f"/api/history/{trace_id}").status_code == 404


def test_api_trace_reads_html_and_marks_furniture(client):
    lines = [line for line in read("statement.en.txt").splitlines() if line.strip()][:4]
    page = ("<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav><article>"
            + "".join(f"<p>{line}</p>" for line in lines[:2]) + "<p>Baca juga: Harga beras naik lagi</p>"
            + "".join(f"<p>{line}</p>" for line in lines[2:]) + "</article></body></html>")
    body = {"article": {"label": "article", "html": page, "lang": "en"},
            "originals": [{"label": "Official-EN", "text": read("statement.en.txt"), "lang": "en"}], "save": False}
    data = client.post("/api/trace", json=body).json()
    assert data["trace_id"] is None
    assert [s["furniture"] for s in data["sentences"]].count("related link") == 1
    assert "Home" not in " ".join(s["text"] for s in data["sentences"])


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"article": {"label": "a", "text": "x"}}, 400, "originals: Field required"),
        ({"article": {"label": "a"}, "originals": [{"label": "b", "text": "x"}]}, 400, "give exactly one of text, html or url"),
        (example_body(pivot="klingon"), 400, "unknown language 'klingon'"),
        (example_body(model="/etc"), 400, "model '/etc' is not offered by this server"),
        ({"article": {"label": "a", "text": "ok"}, "originals": [{"label": "b", "text": "ok", "lang": "en"}]}, 400,
         "cannot tell the language of a"),
        ({"article": {"label": "a", "text": "Hello there.", "lang": "en", "translation": ["x", "y"]},
          "originals": [{"label": "b", "text": "Hello.", "lang": "en"}]}, 400, "the translation of a has 2 lines"),
        ({"article": {"label": "a", "text": "Hi.", "lang": "en"}, "originals": [{"label": "a", "text": "Hi.", "lang": "en"}]},
         400, "labels must be unique"),
        ({"article": {"label": "a", "url": "file:///etc/passwd", "lang": "en"},
          "originals": [{"label": "b", "text": "Hi.", "lang": "en"}]}, 400, "only http and https URLs"),
        ({"article": {"label": "a", "url": "http://127.0.0.1:22/", "lang": "en"},
          "originals": [{"label": "b", "text": "Hi.", "lang": "en"}]}, 400, "private, loopback or reserved"),
    ],
)
def test_bad_trace_requests_get_a_json_error(client, body, status, message):
    r = client.post("/api/trace", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert message in r.json()["error"]


@pytest.mark.parametrize(
    ("raw", "ctype"),
    [(b"{not json", "application/json"), (b"[1, 2]", "application/json"), (b"q=1", "text/plain")],
)
def test_malformed_bodies_are_4xx_never_500(client, raw, ctype):
    for path in ("/api/trace", "/api/align", "/api/score"):
        r = client.post(path, content=raw, headers={"content-type": ctype})
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        assert "error" in r.json() and "Traceback" not in r.text


def test_align_and_score(client):
    r = client.post("/api/align", json={"src": ["Kami siap.", "Terima kasih."], "tgt": ["Kami siap.", "Terima kasih."],
                                        "src_lang": "id", "tgt_lang": "id"})
    assert r.status_code == 200 and r.json()["lines"] == ["[0]:[0]:1.0000", "[1]:[1]:1.0000"]
    assert r.json()["beads"][0] == {"src": [0], "tgt": [0], "score": 1.0}
    r = client.post("/api/align", json={"src": "One. Two.", "tgt": ["One."], "src_lang": "en", "tgt_lang": "en"})
    assert r.json()["src_sentences"] == ["One.", "Two."]
    r = client.post("/api/score", json={"hypotheses": ["the cat sat"], "references": ["the cat sat"],
                                        "metrics": ["bleu", "chrf"], "sentence_level": True})
    assert r.status_code == 200
    scores = r.json()["scores"]
    assert [s["metric"] for s in scores] == ["BLEU", "chrF2"] and all(s["signature"] for s in scores)
    assert r.json()["sentences"][0][1]["value"] == pytest.approx(100.0)
    r = client.post("/api/score", json={"hypotheses": ["a", "b"], "references": ["a"]})
    assert r.status_code == 400 and "error" in r.json()


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/trace", "/api/align", "/api/score", "/translate", "/detect", "/languages"):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_translation_through_the_shared_queue_in_a_trace(tmp_path, tiny_models):
    from mt_toolkit.translate.base import DecodingOptions

    app = make_app(tmp_path, models=(str(tiny_models["marian"]),), options=DecodingOptions(max_length=12))
    with TestClient(app) as client:
        body = {"article": {"label": "article", "lang": "id", "text": "Kami siap bekerja sama. Presiden akan datang."},
                "originals": [{"label": "EN", "lang": "en", "text": "We are ready to cooperate. The president will come."}]}
        r = client.post("/api/trace", json=body)
        assert r.status_code == 200, r.text
        article = r.json()["article"]
        assert article["origin"] == str(tiny_models["marian"]) and len(article["pivot"]) == 2
        assert article["translations"][0]["hops"][0]["model"] == str(tiny_models["marian"])
        stats = client.get("/api/health").json()["translator"]
        assert stats["model_calls"] == 1 and stats["sentences"] == 2
        # a second identical trace is served by the cache file the worker owns
        assert client.post("/api/trace", json=body).json()["article"]["pivot"] == article["pivot"]
    from mt_toolkit.translate.cache import TranslationCache

    with TranslationCache(tmp_path / "cache.sqlite3") as cache:
        assert cache.count() == 2


def _wait_for(client, job_id: str) -> dict:
    import time

    for _ in range(600):
        state = client.get(f"/api/jobs/{job_id}").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError(state)


def test_form_takes_uploaded_pages_and_reports_progress_as_events(client):
    english = [line for line in read("statement.en.txt").splitlines() if line.strip()]
    page = ("<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article>"
            + "".join(f"<p>{line}</p>" for line in english[:3]) + "<p>Read also: Rice prices rise</p>"
            + "</article><footer>Copyright 2026 News</footer></body></html>")
    r = client.post(
        "/trace",
        data={"article_label": "Saved page", "article_lang": "auto", "original0_label": "Official-EN",
              "original0_lang": "auto", "original0_text": read("statement.en.txt"), "pivot": "en", "model": ""},
        files={"article_file": ("page.html", page.encode(), "text/html")},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job_id = r.headers["location"].rsplit("/", 1)[-1]
    with client.stream("GET", f"/api/jobs/{job_id}/events") as events:
        assert events.headers["content-type"].startswith("text/event-stream")
        snapshots = [json.loads(line[len("data: "):]) for line in events.iter_lines() if line.startswith("data: ")]
    assert snapshots[-1]["state"] == "done" and snapshots[-1]["trace_id"]
    trace_id = snapshots[-1]["trace_id"]
    assert client.get(f"/jobs/{job_id}", follow_redirects=False).headers["location"] == f"/traces/{trace_id}"
    data = client.get(f"/api/history/{trace_id}").json()
    assert data["article"]["label"] == "Saved page" and data["article"]["lang"] == "en"
    texts = [s["text"] for s in data["sentences"]]
    assert " ".join(texts[:-1]) == " ".join(english[:3])  # the article body only: no menu, no footer
    assert texts[-1] == "Read also: Rice prices rise" and data["sentences"][-1]["furniture"] == "related link"
    assert 'class="sentence s-furniture"' in client.get(f"/traces/{trace_id}").text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"article_text": "", "original0_text": "Hello there."}, "paste the article, upload it or give its URL"),
        ({"article_text": "Hello there.", "original0_text": ""}, "give at least one candidate original"),
        ({"article_text": "Hello there.", "original0_text": "Hi.", "original0_url": "https://example.org/"}, "not several"),
        ({"article_text": "Hello there.", "original0_url": "ftp://example.org/x"}, "only http and https"),
        ({"article_text": "Hello there.", "article_lang": "klingon", "original0_text": "Hi."}, "unknown language 'klingon'"),
        ({"article_text": "Hello there.", "original0_text": "Hi.", "model": "/etc"}, "is not offered by this server"),
    ],
)
def test_form_errors_show_the_form_again_with_the_message(client, form, message):
    r = client.post("/trace", data={"pivot": "en", **form})
    from html import unescape

    assert r.status_code == 400 and message in unescape(r.text) and 'data-testid="form-error"' in r.text
    assert (form.get("article_text") or "") in r.text  # what was typed is kept


def test_a_failed_job_reports_its_message(client):
    r = client.post("/trace", data={"article_text": "One. Two.", "article_lang": "en", "article_translation": "x",
                                    "original0_text": "One.", "original0_lang": "en", "pivot": "en"},
                    follow_redirects=False)
    state = _wait_for(client, r.headers["location"].rsplit("/", 1)[-1])
    assert state["state"] == "failed" and "the translation of article has 1 lines" in state["error"]
    assert client.get("/api/jobs/nope").status_code == 400


def test_a_form_error_with_an_empty_message_is_still_a_400(client, monkeypatch):
    from mt_toolkit.errors import MtToolkitError, summary

    assert summary(MtToolkitError("first line\nsecond")) == "first line"
    assert summary(MtToolkitError("")) == "MtToolkitError"

    def refuse(model):
        raise MtToolkitError("")

    monkeypatch.setattr(client.app.state.translator, "check_model", refuse)
    r = client.post("/trace", data={"pivot": "en", "article_text": "Hello there.", "original0_text": "Hi."})
    assert r.status_code == 400 and "MtToolkitError" in r.text and 'data-testid="form-error"' in r.text


def test_a_backend_missing_on_the_server_is_a_503(client, monkeypatch):
    from mt_toolkit.errors import missing_extra

    def lacking():
        raise missing_extra("ctranslate2", "ct2")

    monkeypatch.setattr(client.app.state.translator, "allowed_models", lacking)
    r = client.get("/api/models")
    assert r.status_code == 503 and "pip install 'mt-toolkit[ct2]'" in r.json()["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "notes.txt looks like a binary file"),
     ("Caf\u00e9 ouvert.".encode("latin-1"), "notes.txt is not valid UTF-8")],
)
def test_an_uploaded_file_is_read_as_the_cli_reads_one(client, content, message):
    r = client.post("/trace", data={"pivot": "en", "original0_text": "Hi there."},
                    files={"article_file": ("notes.txt", content, "text/plain")})
    assert r.status_code == 400 and message in r.text and 'data-testid="form-error"' in r.text
