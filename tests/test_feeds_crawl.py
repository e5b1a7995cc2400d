"""Feeds and sitemaps in real crawls of the demo sites: discovery (``<link rel="alternate">``,
common paths), the sitemap index with its gzipped child, ``update`` reading them first and
finding the feed-only article of state 2 with fewer requests than a listing walk, entries outside
the site ignored, and every hostile feed or sitemap as one recorded error while the crawl goes on.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from corpus import DemoServer, Fault, SQLiteStore
from crawler import crawl
from crawler._announce import feeds_meta_key
from ops import run_update
from tests._crawl_helpers import gold_of, mpt_profile, settings_for

FEED_ONLY = next(g for g in gold_of("mpt", 2).values() if g["special"] == "feed_only")


def _vitebsk_profile(base: str) -> dict[str, Any]:
    """A profile of the Bitrix-like demo site (URL patterns, so listings are told from articles)."""
    return {
        "name": "vitebsk", "hosts": [base.split("://", 1)[1]], "start_urls": [f"{base}/ru/novosti/"],
        "scope": ["/ru/novosti/"], "article_patterns": [r"^/ru/novosti/\d{4}/\d+/$",
                                                      r"^/ru/novosti/detail\.php\?ID=\d+$"],
        "listing_patterns": [r"^/ru/novosti/(\?PAGEN_1=\d+)?$"], "title_selector": "h1.page-title",
        "date_selector": ".news-date", "body_selector": ".news-detail-text", "delay": 0.0,
    }  # fmt: skip


def _update_after_state_two(tmp_path: Path, *, feeds: bool) -> tuple[int, list[str], Path]:
    """(requests of ``vestnik update`` after state 2, their site/paths, data dir); ``feeds``
    False: the listing walk alone (no feeds, no sitemaps)."""
    data = tmp_path / ("feeds" if feeds else "walk")
    extra = {} if feeds else {"feeds.use": False, "crawler.use_sitemaps": False}
    with DemoServer(state=1) as srv:
        sites = (mpt_profile(srv.base_url("mpt")), _vitebsk_profile(srv.base_url("vitebsk")))
        settings = settings_for(data, sites, **extra)
        run_update(settings, progress=False)
        srv.set_state(2)
        srv.clear_requests()
        run_update(settings, progress=False)
        requests = [r for r in srv.requests if r.site != "offsite"]
        with SQLiteStore.open(data) as store:
            found = store.find_document(srv.base_url("mpt") + FEED_ONLY["canonical"])
            assert (found is not None) == feeds
            for site in ("mpt", "vitebsk"):  # what both ways find: the listed new articles
                for art in gold_of(site, 2).values():
                    if art["states"] == [2] and art["special"] != "feed_only":
                        assert store.find_document(srv.base_url(site) + art["canonical"])
    return len(requests), [f"{r.site}{r.path}" for r in requests], data


def test_update_after_state_two_finds_the_feed_only_item_with_fewer_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fed, fed_paths, data = _update_after_state_two(tmp_path, feeds=True)
    walked, walk_paths, _ = _update_after_state_two(tmp_path, feeds=False)
    with capsys.disabled():
        print(f"\nupdate after state 2: feeds and sitemaps first {fed} requests "
              f"(finds the feed-only article); listing walk {walked} requests (misses it)")  # fmt: skip
    assert fed < walked
    # read first: the RSS (named by mpt's pages), the Atom feed (a common path of vitebsk, probed
    # once), the sitemap index with its gzipped child
    for path in ("mpt/ru/rss.xml", "vitebsk/atom.xml", "mpt/sitemaps/news-ru.xml.gz"):
        assert path in fed_paths
    assert fed_paths.index("mpt/ru/rss.xml") < fed_paths.index("mpt/ru/news")
    # the listings walked only as far as needed: the first page of each, no further
    assert [p for p in fed_paths if "page=" in p or "PAGEN_1=" in p] == []
    assert [p for p in walk_paths if "page=" in p or "PAGEN_1=" in p] != []
    with SQLiteStore.open(data) as store:
        feeds = {s: json.loads(store.get_meta(feeds_meta_key(s))) for s in ("mpt", "vitebsk")}
    assert [u.rsplit("/", 2)[-2:] for u in feeds["mpt"]["feeds"]] == [["ru", "rss.xml"]]
    assert feeds["vitebsk"]["feeds"][0].endswith("/atom.xml") and feeds["vitebsk"]["probed"]


def test_sitemap_index_gzip_and_lastmod_in_a_crawl(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base = srv.base_url("mpt")
        settings = settings_for(tmp_path, (mpt_profile(base),), **{"feeds.use": False})
        crawl(store, settings, ["mpt"], progress=False)
        for path in ("/sitemap.xml", "/sitemaps/news-ru.xml.gz", "/sitemaps/news-other.xml"):
            page = store.get_page(base + path)
            assert page is not None and page.state == "ok", path
        srv.set_state(2)
        srv.clear_requests()
        summary = crawl(store, settings, ["mpt"], progress=False)
        articles = {r.path for r in srv.requests if "/news/" in r.path or "/node/" in r.path}
        old, new = gold_of("mpt", 1), gold_of("mpt", 2)
        changed = {p for p, g in new.items() if "gold_state2" in g}
        # fetched: the new articles, the one whose lastmod moved, the removed one (absent from
        # the sitemap, so re-checked: 404); every other article's lastmod held
        assert articles == (set(new) - set(old)) | changed | (set(old) - set(new))
        assert (summary.changed, summary.gone) == (1, len(set(old) - set(new)))
        assert store.find_document(base + FEED_ONLY["canonical"]) is not None


def _hostile_feeds(srv: DemoServer) -> dict[str, str]:
    """path -> the error expected for it; served on mpt."""
    base = srv.base_url("mpt")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "лол-лол-лол">'
        + "".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(9))
        + ']><rss version="2.0"><channel><title>&j;</title></channel></rss>'
    )
    only = base + FEED_ONLY["canonical"]
    dates = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title>'
        f"<item><link>{only}</link><pubDate>31 Февраля 2024, 25:61</pubDate></item>"
        "</channel></rss>"
    )
    broken = f'<rss version="2.0"><channel><item><title>Новость & ещё</title><link>{only}</link>'
    srv.set_file("mpt", "/feeds/laughs.xml", laughs.encode(), "application/rss+xml")
    srv.set_file("mpt", "/feeds/dates.xml", dates.encode(), "application/rss+xml")
    srv.set_file("mpt", "/feeds/broken.xml", broken.encode(), "application/rss+xml")
    srv.set_file("mpt", "/feeds/page.xml", b"<html><body>no feed</body></html>", "text/html")
    srv.set_faults({"/feeds/big.xml": Fault("oversize", site="mpt", size=50 * 2**20)})
    return {
        "/feeds/laughs.xml": "declares XML entities",
        "/feeds/big.xml": "exceeds the cap of 5000000 bytes",
        "/feeds/dates.xml": "1 entries with unreadable or impossible dates",
        "/feeds/broken.xml": "not well-formed XML",
        "/feeds/page.xml": "not an RSS or Atom feed",
    }


def test_hostile_feeds_are_one_recorded_error_each(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base = srv.base_url("mpt")
        settings = settings_for(tmp_path, (mpt_profile(base),), **{"crawler.use_sitemaps": False})
        crawl(store, settings, ["mpt"], progress=False)
        before = store.count_documents()
        expected = _hostile_feeds(srv)
        feeds = [base + p for p in expected]  # the feeds the site is known to have
        store.set_meta(feeds_meta_key("mpt"), json.dumps({"feeds": feeds, "probed": True}))
        srv.set_state(2)
        summary = crawl(store, settings, ["mpt"], progress=False)
        errors = store.recent_errors(run_id=summary.run_id, limit=500)
        for path, message in expected.items():
            mine = [e["error"] for e in errors if e["url"] == base + path]
            assert len(mine) == 1 and message in mine[0], (path, mine)
        assert summary.status == "ok" and summary.new >= 1
        # the undated entry (and the leniently read one) still announced the feed-only article
        assert store.find_document(base + FEED_ONLY["canonical"]) is not None
        assert store.count_documents() >= before


def test_feed_and_sitemap_entries_outside_the_site_are_ignored(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base, off = srv.base_url("mpt"), srv.offsite_url
        disallowed = next(g for g in gold_of("mpt").values() if g["special"] == "robots_target")
        outside = [
            f"{off}/ru/news/01-01-2024-7001",  # another host
            f"{base}/ru/about",  # the site's host, outside its scope
            f"{base}/ru/print/8301",  # robots.txt disallows print versions (and out of scope)
            base + disallowed["canonical"],  # robots.txt disallows this article
        ]
        items = "".join(f"<item><link>{u}</link></item>" for u in outside)
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        urls = "".join(f"<url><loc>{u}</loc></url>" for u in outside)
        sitemap = f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode()
        srv.set_file("mpt", "/feeds/outside.xml", rss.encode(), "application/rss+xml")
        srv.set_file("mpt", "/sitemaps/news-other.xml", gzip.compress(sitemap), "application/gzip")
        settings = settings_for(tmp_path, (mpt_profile(base),))
        store.set_meta(feeds_meta_key("mpt"),
                       json.dumps({"feeds": [base + "/feeds/outside.xml"], "probed": True}))  # fmt: skip
        summary = crawl(store, settings, ["mpt"], progress=False)
        asked = {r.path for r in srv.requests}
        assert "/feeds/outside.xml" in asked and "/sitemaps/news-other.xml" in asked
        assert [r for r in srv.requests if r.site == "offsite"] == []
        assert {"/ru/about", "/ru/print/8301", disallowed["canonical"]} & asked == set()
        errors = store.recent_errors(run_id=summary.run_id, limit=500)
        assert [e for e in errors if e["url"] in outside] == []  # ignored, not errors
        for url in outside:
            assert store.find_document(url) is None


def test_a_gzip_bomb_sitemap_is_one_error_and_the_crawl_goes_on(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 2**20) + b"</urlset>")  # ~60 KB -> 60 MB
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base = srv.base_url("mpt")
        srv.set_file("mpt", "/sitemaps/news-ru.xml.gz", bomb, "application/x-gzip")
        settings = settings_for(tmp_path, (mpt_profile(base),), **{"feeds.use": False})
        summary = crawl(store, settings, ["mpt"], progress=False)
        errors = [e["error"] for e in store.recent_errors(run_id=summary.run_id, limit=500)
                  if e["url"] == base + "/sitemaps/news-ru.xml.gz"]  # fmt: skip
        assert len(errors) == 1 and "inflates past the cap of 52428800 bytes" in errors[0]
        assert summary.status == "ok"
        assert summary.new == len([g for g in gold_of("mpt").values()
                                   if g["special"] != "robots_target"])  # fmt: skip
