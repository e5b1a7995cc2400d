"""End to end in a real browser: Debian's headless chromium driven by Playwright for Python.

The demo site is crawled and indexed into a temporary data directory, ``vestnik ui`` serves it, and
the browser searches in an inflected form, sees the highlighted result, opens the document,
downloads the facts CSV and compares it byte for byte with ``vestnik facts`` for the same query.
The search and facts pages are saved as screenshots: into docs/ (screenshot-search.png,
screenshot-facts.png) when VESTNIK_SCREENSHOTS=1, else into the test's temporary directory.

Chromium comes from apt (``make system-deps``, run by ``.ci/run``); no browser is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._net import free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[1] / "docs"


def _shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/ when asked for (VESTNIK_SCREENSHOTS=1), else the tmp dir."""
    return DOCS if os.environ.get("VESTNIK_SCREENSHOTS") == "1" else tmp_path


SITES = ("mpt", "vitebsk", "agency")
QUERY = "курскую область"  # the texts say "Курская область", "Курской области", ...
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"vestnik ui exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("vestnik ui did not become healthy")


def _vestnik(*args: str) -> bytes:
    """Run the ``vestnik`` command in a subprocess (Playwright owns this process's event loop)."""
    done = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "-q", *args], capture_output=True, timeout=240
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corpus import DemoServer

    data_dir = tmp_path_factory.mktemp("browser-data")
    config = data_dir / "demo.toml"  # the demo sites as named profiles, as `vestnik demo` has them
    with DemoServer() as srv:
        config.write_text(
            "".join(
                f'[[sites]]\nname = "{name}"\nstart_urls = ["{srv.start_url(name)}"]\n\n'
                for name in SITES
            ),
            encoding="utf-8",
        )
        _vestnik("crawl", *SITES, "--config", str(config), "--data", str(data_dir), "--delay", "0")
    _vestnik("index", "--data", str(data_dir))
    return data_dir


@pytest.fixture(scope="module")
def ui_url(demo_data: Path) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, VESTNIK_DATA=str(demo_data))
    proc = subprocess.Popen(
        [sys.executable, "-m", "vestnik.cli", "ui", "--data", str(demo_data), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
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
        "Debian chromium is not installed (/usr/bin/chromium): make system-deps"
    )
    import playwright.sync_api as sync_api

    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _cli_facts(data_dir: Path, query: str, out: Path) -> bytes:
    _vestnik("facts", query, "--data", str(data_dir), "--output", str(out))
    return out.read_bytes()


def test_search_open_document_and_download_facts(
    browser: Any, ui_url: str, demo_data: Path, tmp_path: Path
) -> None:
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 1200}, locale="ru-RU"
    )
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        page.goto(ui_url)
        box = page.get_by_role("textbox", name="Запрос")
        box.wait_for()
        box.fill(QUERY)
        box.press("Enter")
        first = page.locator(".vn-hit").first
        first.locator("mark").first.wait_for()
        marked = first.locator("mark").all_inner_texts()
        assert any(m.lower().startswith("курск") for m in marked), marked
        page.get_by_text("Найдено").first.wait_for()
        assert "q=" in page.url
        page.mouse.move(1390, 5)
        page.wait_for_timeout(500)  # let the sidebar counts settle before the picture
        page.screenshot(path=str(_shots(tmp_path) / "screenshot-search.png"))

        title = first.locator(".vn-hit-title").inner_text()
        page.get_by_role("link", name="Открыть документ").first.click()
        text = page.locator(".vn-text")
        text.locator("mark").first.wait_for()
        heading = page.locator("h2").first.inner_text()
        assert heading.strip() == title.strip()
        assert "doc=" in page.url

        page.get_by_role("link", name="Факты").first.click()
        download = page.get_by_role("button", name="Скачать CSV", exact=True)
        download.wait_for()
        page.mouse.move(1390, 5)
        page.wait_for_timeout(1500)  # charts draw
        page.screenshot(path=str(_shots(tmp_path) / "screenshot-facts.png"))
        with page.expect_download() as info:
            download.click()
        saved = tmp_path / "ui-facts.csv"
        info.value.save_as(str(saved))
    finally:
        context.close()
    expected = _cli_facts(demo_data, QUERY, tmp_path / "cli-facts.csv")
    assert saved.read_bytes() == expected
    assert expected.count(b"\n") > 1  # a header and at least one fact


# per chart: how many data marks it drew (bars, lines, points: Vega's role-mark groups in SVG; in a
# canvas, coloured pixels, since axes and text are grey)
_DRAWN_MARKS = """() => [...document.querySelectorAll('.vega-embed')].map(e => {
  const c = e.querySelector('canvas');
  if (!c) return e.querySelectorAll('svg g.role-mark > path:not([d=""])').length;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const hi = Math.max(d[i], d[i + 1], d[i + 2]), lo = Math.min(d[i], d[i + 1], d[i + 2]);
    if (d[i + 3] > 0 && hi - lo > 60) n++;
  }
  return n > 200 ? n : 0;
})"""


def test_open_a_region_from_a_result_and_download_its_dossier(
    browser: Any, ui_url: str, demo_data: Path, tmp_path: Path
) -> None:
    """A region label of a result opens the «Регион» page: charts, rows, CSV = `vestnik region`."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 1400}, locale="ru-RU"
    )
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        page.goto(ui_url)
        box = page.get_by_role("textbox", name="Запрос")
        box.wait_for()
        box.fill(QUERY)
        box.press("Enter")
        page.locator(".vn-hit mark").first.wait_for()
        assert page.locator(".vn-also").count() >= 1  # a collapsed story: "также: ..."
        page.locator("a.vn-region", has_text="Курская область").first.click()
        page.get_by_role("heading", name="Курская область").wait_for()
        assert "region" in page.url and "r=" in page.url
        download = page.get_by_role("button", name="Скачать CSV региона")
        download.wait_for()
        for title in ("Документы по месяцам", "Изменения товарооборота, экспорта и импорта"):
            page.get_by_role("heading", name=title).wait_for()
        page.locator(".vega-embed").first.wait_for()
        page.wait_for_timeout(1500)  # charts draw
        marks = page.evaluate(_DRAWN_MARKS)  # documents by month, one trade chart per unit
        assert len(marks) >= 2 and all(n > 0 for n in marks), marks
        assert page.locator("[data-testid='stDataFrame']").count() >= 4
        page.screenshot(path=str(_shots(tmp_path) / "screenshot-region.png"), full_page=True)
        with page.expect_download() as info:
            download.click()
        saved = tmp_path / "ui-region.csv"
        info.value.save_as(str(saved))
    finally:
        context.close()
    expected = _vestnik("region", "Курская область", "--format", "csv", "--data", str(demo_data))
    assert saved.read_bytes() == expected
    assert expected.count(b"\r\n") > 10 and b"trade," in expected
