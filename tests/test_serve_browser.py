"""The workbench in a real browser: headless system Chromium driven by Playwright.

It opens the app served by uvicorn on a free localhost port, pastes the README example's texts
(examples/trace/) with their languages left to identification, submits, follows the progress
page to the report, and finds the flags and the likely source there. Screenshots of the filled
form and of the report are saved in ``$MT_TOOLKIT_ARTEFACTS`` (default: the test's tmp folder).
Skips only when no Chromium is installed (CI installs it: .ci/run).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from serve_helpers import LiveServer, make_app, read

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")


@pytest.fixture()
def artefacts(tmp_path) -> Path:
    folder = Path(os.environ.get("MT_TOOLKIT_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture()
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1480, "height": 1000})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        yield page, problems
        browser.close()


def _fill_text(page, prefix: str, label: str, text: str, translation: str | None) -> None:
    block = page.locator(f'fieldset[data-prefix="{prefix}"]')
    block.locator(f'input[name="{prefix}_label"]').fill(label)
    block.locator(f'textarea[name="{prefix}_text"]').fill(text)
    if translation is not None:
        block.locator("summary").click()
        block.locator(f'textarea[name="{prefix}_translation"]').fill(translation)


def test_workbench_traces_the_readme_example_in_chromium(tmp_path, browser_page, artefacts):
    page, problems = browser_page
    with LiveServer(make_app(tmp_path)) as server:
        page.goto(server.url + "/")
        assert page.title() == "mt-toolkit workbench"
        _fill_text(page, "article", "article", read("article.id.txt"), read("article.en.txt"))
        _fill_text(page, "original0", "Statement-ZH", read("statement.zh.txt"), read("statement.zh.en.txt"))
        _fill_text(page, "original1", "Official-EN", read("statement.en.txt"), None)
        _fill_text(page, "original2", "Vostok-RU", read("wire.ru.txt"), read("wire.ru.en.txt"))
        # the page identifies each language as it is pasted (POST /detect from app.js)
        # (polled from Python: the page's content security policy forbids evaluating script strings)
        for _ in range(100):
            detected = page.locator(".detected").all_text_contents()[:4]
            if all(detected):
                break
            page.wait_for_timeout(100)
        assert [d.split(": ")[1].split(" ")[0] for d in detected] == ["id", "zh", "en", "ru"]
        page.screenshot(path=str(artefacts / "workbench-form.png"), full_page=True)

        page.click("#submit-trace")
        page.wait_for_url("**/traces/*", timeout=180_000)
        page.wait_for_selector('[data-testid="likely-source"]')
        assert page.locator('[data-testid="likely-source"]').inner_text() == "Vostok-RU"
        for kind in ("number", "name", "negation", "modality", "omission"):
            assert page.locator(f".badge.f-{kind}").count() > 0, kind
        assert "147.5 billion → 174.5 billion" in page.inner_text("#report")
        assert page.locator("article.sentence").count() == 10
        assert page.locator('[data-testid="downloads"] a').count() == 3
        page.screenshot(path=str(artefacts / "workbench-report.png"), full_page=False)

        # the history lists it, and reopening shows the same report
        page.goto(server.url + "/history")
        page.click("#history a")
        page.wait_for_selector('[data-testid="likely-source"]')
        assert page.locator('[data-testid="likely-source"]').inner_text() == "Vostok-RU"
    assert not problems, problems  # no script error, no content-security-policy violation
    for name in ("workbench-form.png", "workbench-report.png"):
        shot = artefacts / name
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_a_failed_trace_says_why_in_the_page(tmp_path, browser_page):
    page, problems = browser_page
    with LiveServer(make_app(tmp_path)) as server:
        page.goto(server.url + "/")
        page.select_option('select[name="article_lang"]', "en")
        page.fill('textarea[name="article_text"]', "One sentence here. Another one there.")
        page.click('fieldset[data-prefix="article"] summary')
        page.fill('textarea[name="article_translation"]', "only one line")
        page.select_option('select[name="original0_lang"]', "en")
        page.fill('textarea[name="original0_text"]', "One sentence here.")
        page.click("#submit-trace")
        page.wait_for_selector("#job-error:not([hidden])", timeout=60_000)
        assert "has 1 lines but article segments into 2 sentences" in page.inner_text("#job-error")
    assert not problems, problems
