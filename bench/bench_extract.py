"""vestnik's extractor against trafilatura on the demo site's gold articles.

    .venv/bin/python bench/bench_extract.py

For every gold article online in state 1 (both demo sites) the page is fetched from a local
``DemoServer`` and its body extracted (a) by vestnik's general extractor (no profile: the hard
case), (b) by vestnik with the site profile's selectors where one exists, (c) by
``trafilatura.extract``. Reported: exact body match, mean similarity to the gold body
(difflib ratio on whitespace-folded text), chrome-free rate (no navigation, sidebar, footer,
share or print text in the body), exact title and date, and milliseconds per page.
Results: bench/results/extract.md.
"""

from __future__ import annotations

import difflib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus._demo_server import DemoServer  # noqa: E402
from crawler import SiteProfile, extract_page  # noqa: E402
from tests._crawl_helpers import GOLD, expected_body, mpt_profile  # noqa: E402

CHROME = ("Поделиться", "Версия для печати", "Последние новости", "Полезные ссылки",
          "Все права защищены", "Телефон:", "Адрес:", "Вернуться к списку", "ВКонтакте",
          "Прикрепленные файлы", "Падзяліцца", "Галоўная", "Главная")  # fmt: skip


def _fold(text: str) -> str:
    return " ".join(text.split())


def main() -> int:
    pages: list[tuple[str, bytes, str, dict[str, object]]] = []
    with DemoServer(state=1) as srv:
        for gold in GOLD.values():
            if 1 not in gold["states"] or gold["special"] == "robots_target":
                continue
            url = srv.base_url(str(gold["site"])) + str(gold["canonical"])
            resp = httpx.get(url)
            pages.append((url, resp.content, resp.headers.get("content-type", ""), gold))
        profile_table = mpt_profile(srv.base_url("mpt"))
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in profile_table.items()
              if not k.startswith("_")}  # fmt: skip
    mpt = SiteProfile(**fields)  # type: ignore[arg-type]

    def ours(url: str, raw: bytes, ctype: str, _g: dict[str, object]) -> tuple[str, str, str]:
        page = extract_page(raw, url, ctype)
        return page.body, page.title, page.published

    def ours_profile(
        url: str, raw: bytes, ctype: str, g: dict[str, object]
    ) -> tuple[str, str, str]:
        page = extract_page(raw, url, ctype, mpt if g["site"] == "mpt" else None)
        return page.body, page.title, page.published

    def trafi(url: str, raw: bytes, ctype: str, _g: dict[str, object]) -> tuple[str, str, str]:
        import trafilatura

        body = trafilatura.extract(raw, url=url, include_comments=False, include_tables=False) or ""
        meta = trafilatura.extract_metadata(raw)
        title = meta.title if meta is not None and meta.title else ""
        date = meta.date if meta is not None and meta.date else ""
        return body, title, date

    rows = []
    runs: list[tuple[str, Callable[..., tuple[str, str, str]]]] = [
        ("vestnik, general extractor (no profile)", ours),
        ("vestnik, profile selectors for mpt", ours_profile),
        (f"trafilatura {_version()}", trafi),
    ]
    for name, fn in runs:
        for page in pages[:3]:
            fn(*page)  # warm-up (imports, caches)
        exact = sim = clean = titles = dates = 0.0
        started = time.perf_counter()
        results = [fn(*page) for page in pages]
        elapsed = time.perf_counter() - started
        for (_url, _raw, _ct, gold), (body, title, date) in zip(pages, results, strict=True):
            want = expected_body(str(gold["site"]), int(gold["id"]))  # type: ignore[call-overload]
            exact += _fold(body) == _fold(want)
            sim += difflib.SequenceMatcher(None, _fold(body), _fold(want), autojunk=False).ratio()
            clean += not any(c in body for c in CHROME)
            titles += title == gold["title"]
            dates += str(date)[:10] == str(gold["published"])[:10]
        n = len(pages)
        rows.append(
            f"| {name} | {exact / n:.0%} | {sim / n:.3f} | {clean / n:.0%} | {titles / n:.0%} | "
            f"{dates / n:.0%} | {1000 * elapsed / n:.1f} |"
        )
    text = "\n".join([
        "# Extraction benchmark",
        "",
        f"`.venv/bin/python bench/bench_extract.py` — {len(pages)} gold articles of the demo "
        "sites (Drupal-like mpt incl. cp1251, broken markup, script text and attachment pages; "
        "Bitrix-like vitebsk).",
        "",
        "| extractor | exact body (whitespace-folded) | similarity | chrome-free | exact title | date (day) | ms/page |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
    ])  # fmt: skip
    (ROOT / "bench" / "results" / "extract.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def _version() -> str:
    import trafilatura

    return str(trafilatura.__version__)


if __name__ == "__main__":
    sys.exit(main())
