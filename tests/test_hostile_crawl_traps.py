"""Crawler traps on a real local server: a calendar, session ids in the query, a growing path, an
endless pagination, an endless chain of fresh redirects, a chain of ever deeper pages. Each is
bounded per site by depth, per-pattern or total-page budgets, and the reason is recorded."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import SQLiteStore, Store
from crawler import CrawlSummary, crawl
from crawler._traps import TrapGuard, TrapPolicy, url_pattern
from tests._crawl_helpers import settings_for
from tests._hostile_server import HostileServer, Reply, article, html

BUDGET = 15
DEPTH = 8  # for the depth test; the other traps get 40, so their patterns run dry first
ARTICLES = 5
CONCURRENCY = 4


def _links_page(links: list[str], text: str = "Календарь") -> Reply:
    anchors = " ".join(f'<a href="{u}">{i}</a>' for i, u in enumerate(links))
    return Reply(body=html(f"<p>{text}</p><nav>{anchors}</nav>"))


def _month(path: str) -> Reply:
    year, month = (int(x) for x in path.split("=", 1)[1][:7].split("-"))
    nxt = (year + month // 12, month % 12 + 1)
    prev = (year - (month == 1), (month - 2) % 12 + 1)
    days = [f"/cal?day={year}-{month:02d}-{d:02d}" for d in (1, 15)]
    return _links_page([f"/cal?month={nxt[0]}-{nxt[1]:02d}", f"/cal?month={prev[0]}-{prev[1]:02d}",
                        *days, "/art/1"])  # fmt: skip


def _day(path: str) -> Reply:
    year, month = path.split("=", 1)[1][:7].split("-")
    return _links_page([f"/cal?month={year}-{month}", "/art/2"])


def _session(_path: str) -> Reply:
    fresh = [f"/s?view={secrets.token_hex(8)}" for _ in range(2)]
    return _links_page([*fresh, f"/art/3?view={secrets.token_hex(8)}"], "Сессия")


def _article(path: str) -> Reply:
    n = int(path.split("/")[2].split("?")[0])
    return Reply(body=html(article(n, ["/"])))


def _paged(path: str) -> Reply:
    n = int(path.split("=", 1)[1])  # every page links one new (empty) tag page: never "stale"
    return _links_page([f"/list?page={n + 1}", f"/tag/{n}",
                        *(f"/art/{i}" for i in range(1, ARTICLES + 1))])  # fmt: skip


def _redirect(path: str) -> Reply:
    return Reply(302, headers=(("Location", f"/r/{secrets.token_hex(6)}"),))


def _deeper(path: str) -> Reply:
    n = int(path.rsplit("/", 1)[1])
    return _links_page([f"/d/{n + 1}"], f"Страница {n}")


def _site(srv: HostileServer) -> None:
    starts = ["/cal?month=2024-01", "/s?view=0123456789abcdef", "/g/", "/list?page=1", "/r/start",
              *(f"/art/{i}" for i in range(1, ARTICLES + 1))]  # fmt: skip
    srv.route("/", _links_page(starts, "Главная"))
    srv.route("/cal?month=*", _month)
    srv.route("/cal?day=*", _day)
    srv.route("/s?view=*", _session)
    srv.route("/art/*", _article)
    srv.route("/g/*", lambda p: _links_page(["a/"], "Папка"))
    srv.route("/list?page=*", _paged)
    srv.route("/tag/*", lambda p: _links_page([], "Метка"))
    srv.route("/r/*", _redirect)
    srv.route("/d/*", _deeper)


class Trapped:
    def __init__(self, srv: HostileServer, store: Store, summary: CrawlSummary) -> None:
        self.srv, self.store, self.summary = srv, store, summary

    def errors(self) -> list[str]:
        return [e["error"] for e in self.store.recent_errors(limit=1000)]


def _crawl(tmp: Path, start: str, **extra: Any) -> tuple[Store, CrawlSummary]:
    values = {"crawler.pattern_budget": BUDGET, "crawler.max_depth": 40,
              "crawler.concurrency": CONCURRENCY, "politeness.per_host_concurrency": CONCURRENCY,
              **extra}  # fmt: skip
    store = SQLiteStore.open(tmp)
    return store, crawl(store, settings_for(tmp, **values), [start], progress=False)


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trapped]:
    with HostileServer() as srv:
        _site(srv)
        store, summary = _crawl(tmp_path_factory.mktemp("traps"), srv.url("/"))
        with store:
            yield Trapped(srv, store, summary)


def test_the_crawl_ends_and_keeps_the_real_articles(trapped: Trapped) -> None:
    assert trapped.summary.status == "ok"
    docs = [d for d in trapped.store.iter_documents(state=None)]
    assert sorted(d.url.rsplit("/", 1)[1] for d in docs) == [str(i) for i in range(1, 6)]
    assert sorted(d.title for d in docs) == [f"Статья номер {i}" for i in range(1, 6)]


# slack: requests already in flight when a budget closes, and the page that closes it
SLACK = CONCURRENCY + 1


@pytest.mark.parametrize(
    ("prefix", "patterns"),
    [("/cal?", 2), ("/s?view=", 1), ("/art/3?view=", 1), ("/list?page=", 1), ("/tag/", 1)],
)
def test_pattern_traps_stay_within_their_budget(
    trapped: Trapped, prefix: str, patterns: int
) -> None:
    hits = len(trapped.srv.hits(prefix))
    assert hits > BUDGET  # the trap was walked into...
    assert hits <= patterns * (BUDGET + ARTICLES + SLACK)  # ...and left


@pytest.mark.parametrize(
    "pattern",
    ["/cal?month=*", "/cal?day=*", "/s?view=*", "/art/9?view=*", "/list?page=*", "/tag/9"],
)
def test_each_closed_pattern_is_recorded_once(trapped: Trapped, pattern: str) -> None:
    rows = [e for e in trapped.errors() if f"URL pattern {pattern} " in e]
    assert len(rows) == 1
    assert rows[0].startswith("trap: ") and "not followed in this run" in rows[0]


def test_a_growing_path_stops_at_a_repeated_segment(trapped: Trapped) -> None:
    assert sorted(h.path for h in trapped.srv.hits("/g/")) == ["/g/", "/g/a/", "/g/a/a/"]
    assert any("path repeats the segment 'a' 3 times" in e for e in trapped.errors())


def test_an_endless_redirect_chain_is_one_failure(trapped: Trapped) -> None:
    assert len(trapped.srv.hits("/r/")) == 6  # the URL and 5 redirects
    assert [e for e in trapped.errors() if "more than 5 redirects" in e] == [
        "more than 5 redirects"
    ]


def test_depth_budget_ends_a_chain_of_ever_deeper_pages(tmp_path: Path) -> None:
    with HostileServer() as srv:
        _site(srv)
        store, summary = _crawl(
            tmp_path, srv.url("/d/1"), **{"crawler.pattern_budget": 0, "crawler.max_depth": DEPTH}
        )
        with store:
            errors = [e["error"] for e in store.recent_errors()]
    assert summary.status == "ok"
    # /d/1 is the start (depth 0); /d/2 is one link away, ... /d/9 is DEPTH links away
    assert sorted(int(h.path.rsplit("/", 1)[1]) for h in srv.hits("/d/")) == list(range(1, 10))
    assert any(e.startswith(f"trap: deeper than {DEPTH} links from the start") for e in errors)


def test_site_budget_ends_the_crawl_of_a_site(tmp_path: Path) -> None:
    with HostileServer() as srv:
        _site(srv)
        store, summary = _crawl(tmp_path, srv.url("/"), **{"crawler.site_budget": 12})
        with store:
            errors = [e["error"] for e in store.recent_errors()]
            queued = store.frontier.pending(summary.sites[0]).queued
    page_hits = [
        h for h in srv.requests if h.path != "/robots.txt" and not h.path.startswith("/r/")
    ]
    assert len(page_hits) <= 12 + CONCURRENCY
    assert (
        errors.count(
            "site budget of 12 pages spent; the rest of the frontier waits for the next run"
        )
        == 1
    )
    assert queued > 0


def test_rechecks_of_known_documents_spend_no_pattern_budget() -> None:
    guard = TrapGuard(TrapPolicy(pattern_budget=3))
    for n in range(50):  # an update re-checking 50 stored articles: seeds, not links
        assert guard.fetched(f"https://a.by/news/{n}", counted=False, productive=True) == ""
    for n in range(50):  # the same pages found by links, each giving a document
        assert guard.fetched(f"https://a.by/news/{50 + n}", counted=True, productive=True) == ""
    assert guard.refusal("https://a.by/news/999") == ""


def test_a_pattern_that_gives_nothing_closes() -> None:
    guard = TrapGuard(TrapPolicy(pattern_budget=3))
    reasons = [guard.fetched(f"https://a.by/cal?m={n}", counted=True, productive=False)
               for n in range(6)]  # fmt: skip
    assert [bool(r) for r in reasons] == [False, False, False, True, False, False]
    assert guard.refusal("https://a.by/cal?m=77").startswith("trap: 4 pages of the URL pattern")


@pytest.mark.parametrize(
    ("url", "pattern"),
    [("https://a.by/ru/news/09-01-2023-8401", "/ru/news/9-9-9-9"),
     ("https://a.by/s;jsessionid=AB12CD/x", "/s/x"),
     ("https://a.by/item/3f2a9c1d0e7b", "/item/X"),
     ("https://a.by/t/Zq81kLmN0pQrStUv9", "/t/X"),
     ("https://a.by/cal?view=a&month=2024-01", "/cal?month=*&view=*"),
     ("https://a.by/ru/novosti/", "/ru/novosti/")],
)  # fmt: skip
def test_url_patterns(url: str, pattern: str) -> None:
    assert url_pattern(url) == pattern
