"""The server's safety rules: escaping everywhere, API key, body limit, origin, bind, URL fetching."""

from __future__ import annotations


import pytest
from fastapi.testclient import TestClient

from mt_toolkit.errors import InputError
from mt_toolkit.serve.fetch import check_public_url
from mt_toolkit.serve.security import check_bind
from serve_helpers import make_app, read

PAYLOADS = ('<script>alert("x")</script>', '"onerror="alert(1)', "<img src=x onerror=alert(2)>")


def _dangerous(html: str) -> list[str]:
    """What a payload could have injected, as a browser parses the page: a script element other
    than the app's own, an img element, or any event-handler attribute."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and attrs.get("src") != "/static/app.js":
                found.append(f"<script {attrs}>")
            if tag == "img":
                found.append(f"<img {attrs}>")
            found.extend(f"<{tag} {name}=...>" for name in attrs if name.lower().startswith("on"))

    Parser().feed(html)
    return found


@pytest.fixture()
def client(tmp_path):
    with TestClient(make_app(tmp_path)) as c:
        yield c


def _poisoned_form(payload: str) -> dict:
    english = [line for line in read("statement.en.txt").splitlines() if line.strip()][:3]
    sentence = f"{english[0]} {payload}"
    return {
        "article_label": f"art {payload}", "article_lang": "en", "article_text": "\n".join([sentence, *english[1:]]),
        "article_translation": "",
        "original0_label": f"orig {payload}", "original0_lang": "en", "original0_text": "\n".join(english),
        "original1_label": f"ru {payload}", "original1_lang": "ru", "original1_text": read("wire.ru.txt"),
        "original1_translation": "\n".join(f"{line} {payload}" for line in read("wire.ru.en.txt").splitlines() if line.strip()),
        "pivot": "en", "model": "",
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_input_and_label_are_escaped(client, payload):
    r = client.post("/trace", data=_poisoned_form(payload), follow_redirects=False)
    assert r.status_code == 303, r.text
    job_page = client.get(r.headers["location"], follow_redirects=False)
    # the job runs in a worker thread; wait for it through the polling API
    job_id = r.headers["location"].rsplit("/", 1)[-1]
    for _ in range(600):
        state = client.get(f"/api/jobs/{job_id}").json()
        if state["state"] in ("done", "failed"):
            break
        import time

        time.sleep(0.1)
    assert state["state"] == "done", state
    pages = {
        "job": job_page.text,
        "report": client.get(f"/traces/{state['trace_id']}").text,
        "download": client.get(f"/traces/{state['trace_id']}/report.html").text,
        "history": client.get("/history").text,
    }
    for name, html in pages.items():
        assert not _dangerous(html), (name, _dangerous(html))
    report = pages["report"]
    assert "art " in report and "orig " in report and "ru " in report
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    assert escaped in report  # shown as text, not dropped
    assert "script-src 'self'" in client.get(f"/traces/{state['trace_id']}").headers["content-security-policy"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_form_error_page_escapes_what_was_typed(client, payload):
    form = {"article_label": payload, "article_text": payload, "article_lang": payload, "original0_label": payload,
            "original0_text": "", "original0_url": payload, "pivot": "en"}
    r = client.post("/trace", data=form)
    assert r.status_code == 400 and 'data-testid="form-error"' in r.text
    assert not _dangerous(r.text)


def test_json_error_messages_are_not_html(client):
    r = client.post("/translate", json={"q": "x", "source": "<script>", "target": "en"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/json"


def test_api_key_is_required_everywhere_when_set(tmp_path):
    with TestClient(make_app(tmp_path, api_key="s3cret")) as client:
        assert client.get("/api/health").status_code == 403
        assert client.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert client.get("/api/health", headers={"X-API-Key": "s3cret"}).status_code == 200
        assert client.get("/api/health", headers={"X-API-Key": "wrong"}).json() == {"error": "Invalid API key"}
        assert client.post("/detect", data={"q": "Selamat pagi semuanya", "api_key": "s3cret"}).status_code == 200
        assert client.post("/detect", json={"q": "Selamat pagi semuanya", "api_key": "nope"}).status_code == 403
        page = client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        assert client.get("/static/app.css").status_code == 200
        assert client.post("/login", data={"api_key": "s3cret"}, follow_redirects=False).status_code == 303
        assert client.get("/").status_code == 200  # the cookie from /login


def test_body_size_limit(tmp_path):
    with TestClient(make_app(tmp_path, max_body=2048)) as client:
        r = client.post("/translate", json={"q": "x" * 5000, "source": "en", "target": "id"})
        assert r.status_code == 413 and "larger than 2048 bytes" in r.json()["error"]

        def chunks():  # no Content-Length: the streamed body is counted
            for _ in range(10):
                yield b"x" * 1000

        r = client.post("/translate", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413


def test_cross_origin_posts_are_refused(client):
    r = client.post("/traces/abc/delete", headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "cross-origin" in r.json()["error"]
    assert client.post("/detect", json={"q": "hello world"}, headers={"Origin": "http://testserver"}).status_code == 200


def test_binding_beyond_localhost_needs_a_key_or_insecure():
    assert check_bind("127.0.0.1", api_key=None, insecure=False) is None
    assert check_bind("localhost", api_key=None, insecure=False) is None
    with pytest.raises(InputError, match="refusing to listen on 0.0.0.0 without an API key"):
        check_bind("0.0.0.0", api_key=None, insecure=False)
    assert "every request needs the API key" in check_bind("0.0.0.0", api_key="k", insecure=False)
    assert "WARNING" in check_bind("192.168.1.5", api_key=None, insecure=True)


def test_cli_refuses_a_public_address_without_a_key():
    from typer.testing import CliRunner

    from mt_toolkit.cli import app

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--api-key" in result.stderr and "--insecure" in result.stderr


def _resolver(*addresses):
    def resolve(host, port, type=None):
        return [(2, 1, 6, "", (a, port)) for a in addresses]

    return resolve


@pytest.mark.parametrize(
    ("url", "addresses", "message"),
    [
        ("file:///etc/passwd", ("93.184.216.34",), "only http and https"),
        ("ftp://example.org/x", ("93.184.216.34",), "only http and https"),
        ("/etc/passwd", ("93.184.216.34",), "only http and https"),
        ("http://localhost/", ("127.0.0.1",), "private, loopback or reserved"),
        ("http://intranet/", ("10.1.2.3",), "private, loopback or reserved"),
        ("http://metadata/", ("169.254.169.254",), "private, loopback or reserved"),
        ("http://v6/", ("::1",), "private, loopback or reserved"),
        ("http://mapped/", ("::ffff:192.168.0.1",), "private, loopback or reserved"),
        ("http://mixed/", ("93.184.216.34", "192.168.0.1"), "private, loopback or reserved"),
    ],
)
def test_url_fetching_refuses_non_public_targets(url, addresses, message):
    with pytest.raises(InputError, match=message):
        check_public_url(url, resolve=_resolver(*addresses))


def test_a_public_address_passes_the_check():
    assert check_public_url("https://example.org/a", resolve=_resolver("93.184.216.34")) == ("example.org", "93.184.216.34")


def test_no_request_field_names_a_local_path(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    for body in (
        {"article": {"label": "a", "url": str(secret), "lang": "en"}, "originals": [{"label": "b", "text": "Hi.", "lang": "en"}]},
        {"article": {"label": "a", "url": secret.as_uri(), "lang": "en"}, "originals": [{"label": "b", "text": "Hi.", "lang": "en"}]},
        {"article": {"label": "a", "text": "Hi.", "lang": "en"}, "originals": [{"label": "b", "text": "Hi.", "lang": "en"}],
         "model": str(tmp_path)},
    ):
        r = client.post("/api/trace", json=body)
        assert r.status_code == 400 and "TOP SECRET" not in r.text
    r = client.post("/translate", json={"q": "Hi", "source": "en", "target": "id", "model": str(tmp_path)})
    assert "TOP SECRET" not in r.text
    assert client.get(f"/static/../{secret}").status_code == 404
