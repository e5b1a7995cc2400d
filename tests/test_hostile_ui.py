"""Hostile text in a real browser: every UI page and every URL parameter shows it as text.

A store holds documents, facts, runs, errors and a saved search whose titles, bodies, URLs, site
names and messages carry ``<img onerror>``, ``<script>``, ``javascript:`` links and Markdown links;
``vestnik ui`` serves it and headless Debian chromium (Playwright) opens every page, also with such
text (and impossible values) in every query parameter. No page may open a dialog (every payload
calls ``alert``), hold an element the payloads would inject, or show a traceback or a server path;
bad parameters get one Russian message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests._net import free_port
from tests.test_ui_browser import CHROMIUM, CHROMIUM_ARGS, _wait_healthy

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert('img')>"
SCRIPT = "<script>alert('script')</script>"
JS = "javascript:alert('js')"
MD = "[клик](javascript:alert('md'))"
EVIL_TITLE = f"Соглашение {IMG} подписано {SCRIPT}"
EVIL_BODY = (
    f"Курская область подписала соглашение о сотрудничестве. {SCRIPT} {IMG} {MD}\n\n"
    f'<a href="{JS}">ссылка</a> <iframe src="{JS}"></iframe> **жирный** $x$ :red[красный]'
)
WATCH = "Злая подписка <img src=x onerror=alert('watch')>"
BAD_DOC = "99999999999999999999999"
# what the page must not contain (case-insensitive, anywhere in the DOM)
PROBE = """() => ({
  injected: document.querySelectorAll(
    'img[src="x"], [onerror], a[href^="javascript:" i], iframe[src^="javascript:" i], ' +
    'object, embed'
  ).length,
  scripts: [...document.scripts].filter(s => s.textContent.includes("alert(")).length,
  text: document.body.innerText,
})"""


def _data(root: Path) -> tuple[Path, int]:
    from core.records import DocumentDraft, NewItem, SavedSearch
    from corpus import SQLiteStore
    from indexer import run_index

    with SQLiteStore.open(root) as store:
        docs = [
            store.save_document(DocumentDraft(url="https://evil.example.by/ru/node/1", site="evil",
                                              title=EVIL_TITLE, body=EVIL_BODY, published="2024-05-05")),
            store.save_document(DocumentDraft(url=JS, site="evil", title=f"Ссылка {JS}",
                                              body=f"Экспорт вырос на 5 процентов. {IMG}", published="2024-05-06")),
            store.save_document(DocumentDraft(url='https://evil.example.by/"><img src=x onerror=alert(1)>',
                                              site=IMG, title=MD, body=f"Соглашение {MD} {SCRIPT}",
                                              published="2024-05-07")),
            store.save_document(DocumentDraft(url="https://good.example.by/ru/node/2", site="good",
                                              title="Соглашение с Курской областью",
                                              body="Подписано соглашение с Курской областью.",
                                              published="2024-05-08")),
        ]  # fmt: skip
        run = store.start_run("crawl", "evil")
        store.record_error(run, JS, f"HTTP 500 {IMG}")
        store.finish_run(run, "ok", {"fetched": 3}, message=f"{SCRIPT} {MD}")
        run_index(store, root)
        search = store.add_watch(SavedSearch(name=WATCH, query=f"соглашение {SCRIPT}", site=IMG), 0)
        store.record_watch_items(
            search.id,
            run,
            [NewItem(d.doc_id, 1, "new", 1) for d in docs],
            0,  # type: ignore[arg-type]
        )
        return root, docs[0].doc_id


@pytest.fixture(scope="module")
def evil_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data, evil_doc = _data(tmp_path_factory.mktemp("hostile-ui"))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vestnik.cli", "ui", "--data", str(data), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ, VESTNIK_DATA=str(data)),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url, evil_doc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), (
        "Debian chromium is missing (/usr/bin/chromium): run `make system-deps`"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _cases(evil_doc: int) -> list[tuple[str, dict[str, Any], str]]:
    """(page path, query parameters, a text the page must show)."""
    return [
        ("", {"q": "соглашение"}, EVIL_TITLE),
        ("", {"q": IMG}, ""),
        (
            "",
            {"q": SCRIPT, "site": IMG, "region": SCRIPT, "lang": IMG, "sort": JS},
            "В адресе страницы",
        ),
        ("", {"q": MD, "since": JS, "until": IMG, "p": IMG}, "В адресе страницы"),
        ("", {"q": f'"незакрытая {IMG}'}, "Не удалось разобрать запрос"),
        ("", {"q": f"саглашение {SCRIPT}"}, ""),
        ("", {"q": "я" * 3000}, "В адресе страницы"),
        ("document", {"doc": str(evil_doc), "q": SCRIPT}, SCRIPT),
        ("document", {"doc": BAD_DOC}, "В адресе страницы"),
        ("document", {"doc": IMG}, "В адресе страницы"),
        ("facts", {"q": "соглашение"}, "Факты"),
        ("facts", {"q": IMG, "type": SCRIPT, "fregion": IMG}, "В адресе страницы"),
        ("status", {}, "Состояние"),
        ("region", {"r": "Курская область"}, "Курская область"),
        ("region", {"r": IMG}, ""),
        ("region", {"r": "я" * 3000, "doc": BAD_DOC}, "В адресе страницы"),
        ("watches", {}, WATCH),
        ("watches", {"watch": WATCH}, EVIL_TITLE),
        ("watches", {"watch": IMG, "doc": BAD_DOC}, "В адресе страницы"),
    ]


def test_every_page_and_parameter_shows_hostile_text_as_text(
    browser: Any, evil_ui: tuple[str, int]
) -> None:
    base, evil_doc = evil_ui
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    dialogs: list[str] = []
    page = context.new_page()
    page.set_default_timeout(45_000)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    failures = []
    try:
        for path, params, shown in _cases(evil_doc):
            url = f"{base}/{path}" + (f"?{urlencode(params, doseq=True)}" if params else "")
            page.goto(url)
            try:  # the script ran to its end (Streamlit marks the app)
                page.locator(
                    '[data-test-script-state="notRunning"] [data-testid="stMain"]'
                ).wait_for()
                page.locator(
                    '[data-testid="stMainBlockContainer"] [data-testid="stAlert"], '
                    '[data-testid="stMainBlockContainer"] :is(h1, h2)'
                ).first.wait_for()
            except Exception:  # noqa: BLE001 -- reported below with the page's text
                text = page.evaluate(PROBE)["text"][:300]
                failures.append(f"{path}?{params}: did not finish: {text!r}")
                continue
            page.wait_for_timeout(1500)  # late elements (fragments, tables) are drawn
            probe = page.evaluate(PROBE)
            text = probe["text"]
            problems = [
                f"{probe['injected']} injected elements" if probe["injected"] else "",
                f"{probe['scripts']} injected scripts" if probe["scripts"] else "",
                "a traceback" if "Traceback" in text or 'File "/' in text else "",
                "a server path" if "/work/" in text or "site-packages" in text else "",
                f"no {shown[:40]!r}" if shown and shown not in text else "",
            ]
            if any(problems):
                failures.append(f"{path}?{params}: {', '.join(p for p in problems if p)}")
    finally:
        context.close()
    assert dialogs == []
    assert failures == []
