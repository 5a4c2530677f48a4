"""LibreTranslate compatibility: the `libretranslatepy` client against a live server, and the
request and answer shapes LibreTranslate documents (q as string or list, source auto, html,
api_key, errors as {"error": ...})."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mt_toolkit.translate.base import DecodingOptions
from serve_helpers import LiveServer, make_app as _make_app

SHORT = DecodingOptions(max_length=12)  # random weights never stop early: keep outputs short


def make_app(tmp_path, **settings):
    return _make_app(tmp_path, options=SHORT, **settings)

INDONESIAN = "Kami siap bekerja sama dengan pemerintah. Presiden akan datang ke Jakarta pada bulan Agustus."


@pytest.fixture()
def marian(tiny_models):
    return tiny_models["marian"]


@pytest.fixture()
def client(tmp_path, marian):
    with TestClient(make_app(tmp_path, models=(str(marian),))) as c:
        yield c


def test_libretranslatepy_client_works_unchanged(tmp_path, marian):
    from libretranslatepy import LibreTranslateAPI

    with LiveServer(make_app(tmp_path, models=(str(marian),), api_key="k3y")) as server:
        lt = LibreTranslateAPI(server.url, api_key="k3y")
        text = lt.translate(INDONESIAN, "id", "en")
        assert isinstance(text, str) and text.strip()
        detected = lt.detect(INDONESIAN)
        assert detected[0]["language"] == "id" and 50 < detected[0]["confidence"] <= 100
        languages = lt.languages()
        assert {"code": "id", "name": "Indonesian"}.items() <= next(x for x in languages if x["code"] == "id").items()
        assert "en" in next(x for x in languages if x["code"] == "id")["targets"]
        with pytest.raises(Exception) as err:  # a wrong key: HTTP 403 {"error": "Invalid API key"}
            LibreTranslateAPI(server.url, api_key="wrong").translate(INDONESIAN, "id", "en")
        assert getattr(err.value, "code", None) == 403
        assert b'"Invalid API key"' in err.value.read()


def test_q_as_a_list_and_source_auto(client):
    r = client.post("/translate", json={"q": [INDONESIAN, "Terima kasih banyak atas undangan pemerintah Indonesia."],
                                        "source": "auto", "target": "en", "format": "text", "api_key": ""})
    assert r.status_code == 200, r.text
    data = r.json()
    assert isinstance(data["translatedText"], list) and len(data["translatedText"]) == 2
    assert [d["language"] for d in data["detectedLanguage"]] == ["id", "id"]
    single = client.post("/translate", json={"q": INDONESIAN, "source": "auto", "target": "en"}).json()
    assert isinstance(single["translatedText"], str) and single["detectedLanguage"]["language"] == "id"
    # the same text translated alone and in the list: one translator, one cache, one answer
    assert single["translatedText"] == data["translatedText"][0]


def test_paragraphs_are_kept(client):
    r = client.post("/translate", data={"q": "Kami siap.\n\nPresiden akan datang.", "source": "id", "target": "en"})
    assert r.json()["translatedText"].count("\n") == 2


def test_html_keeps_its_markup(client):
    html = '<p class="lead">Kami siap bekerja sama.</p><script>var x = "Kami";</script><ul><li>Presiden akan datang.</li></ul>'
    out = client.post("/translate", json={"q": html, "source": "id", "target": "en", "format": "html"}).json()["translatedText"]
    assert out.startswith('<p class="lead">') and '<script>var x = "Kami";</script><ul><li>' in out and out.endswith("</li></ul>")
    assert "Kami siap bekerja sama." not in out


def test_same_language_is_returned_as_is(client):
    assert client.post("/translate", json={"q": "Hello", "source": "en", "target": "en"}).json() == {"translatedText": "Hello"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "id", "target": "en"}, "Invalid request: missing q parameter"),
        ({"q": "x", "target": "en"}, "Invalid request: missing source parameter"),
        ({"q": "x", "source": "id"}, "Invalid request: missing target parameter"),
        ({"q": "x", "source": "id", "target": "xx-klingon"}, "xx-klingon is not supported"),
        ({"q": "x", "source": "id", "target": "en", "format": "pdf"}, "format must be text or html"),
        ({"q": [1, 2], "source": "id", "target": "en"}, "q must be a string or a list of strings"),
        ({"q": "   ", "source": "auto", "target": "en"}, "cannot detect the language"),
    ],
)
def test_errors_are_libretranslate_shaped(client, body, message):
    r = client.post("/translate", json=body)
    assert r.status_code == 400 and message in r.json()["error"] and set(r.json()) == {"error"}


def test_detect_and_languages_shapes(client):
    rows = client.post("/detect", json={"q": "Читайте также: министр иностранных дел заявил о визите в Пекин"}).json()
    assert rows[0]["language"] == "ru" and set(rows[0]) == {"confidence", "language"}
    assert client.post("/detect", json={"q": ""}).json() == []
    languages = client.get("/languages").json()
    assert all(set(x) == {"code", "name", "targets"} for x in languages)


def test_many_concurrent_requests_are_batched(tmp_path, marian):
    import concurrent.futures

    import httpx

    with LiveServer(make_app(tmp_path, models=(str(marian),), batch_wait=0.05)) as server:
        texts = [f"Kami siap bekerja sama {i}." for i in range(24)]
        with httpx.Client(base_url=server.url, timeout=120) as http:
            with concurrent.futures.ThreadPoolExecutor(12) as pool:
                answers = list(pool.map(lambda t: http.post("/translate", json={"q": t, "source": "id", "target": "en"}), texts))
            assert all(a.status_code == 200 and a.json()["translatedText"] for a in answers)
            stats = http.get("/api/health").json()["translator"]
    assert stats["requests"] == 24 and stats["model_calls"] < 24  # requests shared model calls


def test_html_source_line_wraps_do_not_split_sentences():
    import asyncio
    from concurrent.futures import Future
    from types import SimpleNamespace

    from mt_toolkit.serve.routers.libretranslate import _translate_texts

    class Echo:  # records what the queue is given; "translates" to upper case
        def __init__(self):
            self.sentences = []

        def submit(self, sentences, src_lang, tgt_lang):
            self.sentences += sentences
            done = Future()
            done.set_result([SimpleNamespace(text=s.upper()) for s in sentences])
            return done

    service = Echo()
    html = "<p>\n  Kami siap bekerja sama\n  dengan pemerintah.\n</p>"
    out = asyncio.run(_translate_texts(service, [html], "id", "en", html=True))
    assert service.sentences == ["Kami siap bekerja sama dengan pemerintah."]
    assert out == ["<p>\n  KAMI SIAP BEKERJA SAMA DENGAN PEMERINTAH.\n</p>"]
