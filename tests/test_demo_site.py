"""The demo sites served by ``corpus.DemoServer``: URLs, listings, states, specials, faults, gold."""

from __future__ import annotations

import gzip
import json
import re
import socket
import time
from collections import Counter
from collections.abc import Iterator
from html import escape
from typing import Any

import httpx
import pytest
from protego import Protego

from corpus import DemoServer, Fault, RequestRecord
from corpus._demo_gold import (
    FACT_TYPES,
    GOLD_PATH,
    blocks,
    body_text,
    build_gold,
    gold_json,
    listing_path,
    load_sites,
)

GOLD: dict[str, Any] = build_gold()
ARTICLES: list[dict[str, Any]] = list(GOLD["articles"].values())
SITES = load_sites()
FAULT_SITE = "mpt" if "mpt" in SITES else next(iter(SITES))
ROW_LINK = {
    "mpt": re.compile(r'views-field-title"><span class="field-content"><a href="([^"]+)"'),
    "oblast": re.compile(r'class="news-item__title" href="([^"]+)"'),
    "agency": re.compile(r'class="feed-item__link" href="([^"]+)"'),
}
NEXT_LINK = {
    "mpt": re.compile(r'class="pager-next"><a href="([^"]+)"'),
    "oblast": re.compile(r'class="bx-pag-next"><a href="([^"]+)"'),
    "agency": re.compile(r'class="paging__next" href="([^"]+)"'),
}


@pytest.fixture(scope="module")
def srv() -> Iterator[DemoServer]:
    with DemoServer(state=1) as server:
        yield server


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


def _text(resp: httpx.Response) -> str:
    charset = "cp1251" if "windows-1251" in resp.headers.get("content-type", "") else "utf-8"
    return resp.content.decode(charset)


def _canonical_link(html: str) -> str:
    m = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    assert m, "no canonical link"
    return m[1]


def _in_state(state: int) -> list[dict[str, Any]]:
    return [a for a in ARTICLES if state in a["states"]]


def test_sites_and_urls(srv: DemoServer) -> None:
    assert srv.sites == sorted(SITES)
    for site in srv.sites:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", srv.base_url(site))
        assert srv.start_url(site) == srv.base_url(site) + listing_path(SITES[site], "ru")
    assert srv.offsite_url not in {srv.base_url(s) for s in srv.sites}


@pytest.mark.parametrize("state", [1, 2])
def test_every_article_answers_with_canonical_link(
    srv: DemoServer, client: httpx.Client, state: int
) -> None:
    srv.set_state(state)
    try:
        for art in ARTICLES:
            base = srv.base_url(art["site"])
            for path in [art["canonical"], *art["aliases"]]:
                resp = client.get(base + path)
                if state not in art["states"]:
                    assert resp.status_code == 404, path
                    continue
                assert resp.status_code == 200, path
                html = _text(resp)
                assert _canonical_link(html) == base + art["canonical"]
                assert escape(art["title"]) in html
                assert (
                    art["print"] in html and "Версия для печати" in html or art["section"] != "ru"
                )
    finally:
        srv.set_state(1)


@pytest.mark.parametrize("state", [1, 2])
def test_listings_paginate_every_article_once(
    srv: DemoServer, client: httpx.Client, state: int
) -> None:
    srv.set_state(state)
    try:
        for name, site in SITES.items():
            base = srv.base_url(name)
            for sec in site.sections:
                seen: Counter[int] = Counter()
                url: str | None = base + listing_path(site, sec)
                pages = 0
                while url:
                    resp = client.get(url)
                    assert resp.status_code == 200, url
                    links = ROW_LINK[site.template].findall(resp.text)
                    assert 0 < len(links) <= 10
                    seen.update(int(re.findall(r"\d+", link)[-1]) for link in links)
                    nxt = NEXT_LINK[site.template].search(resp.text)
                    url = base + nxt[1] if nxt else None
                    pages += 1
                want = {  # feed_only articles: named by the feed and the sitemap, not by listings
                    a["id"]
                    for a in _in_state(state)
                    if a["site"] == name and a["section"] == sec and a["special"] != "feed_only"
                }
                assert set(seen) == want and max(seen.values()) == 1
                assert pages == -(-len(want) // 10)
    finally:
        srv.set_state(1)


def test_state_two_changes_removes_and_adds(srv: DemoServer, client: httpx.Client) -> None:
    changed = [a for a in ARTICLES if "gold_state2" in a]
    removed = [a for a in ARTICLES if a["states"] == [1]]
    added = [a for a in ARTICLES if a["states"] == [2]]
    assert removed and added
    stable = next(a for a in ARTICLES if a["states"] == [1, 2] and "gold_state2" not in a)
    url = srv.base_url(stable["site"]) + stable["canonical"]
    first = client.get(url)
    before = {
        a["key"]: client.get(srv.base_url(a["site"]) + a["canonical"]) for a in _keyed(changed)
    }
    srv.set_state(2)
    try:
        assert srv.state == 2
        assert client.get(url).headers["etag"] == first.headers["etag"]  # unchanged stays equal
        for art in _keyed(changed):
            resp = client.get(srv.base_url(art["site"]) + art["canonical"])
            assert resp.status_code == 200
            assert resp.headers["etag"] != before[art["key"]].headers["etag"]
            assert resp.headers["last-modified"] != before[art["key"]].headers["last-modified"]
            for fact in art["gold_state2"]["facts"]:
                assert escape(fact["sentence"]) in _text(resp)
        for art in removed:
            assert client.get(srv.base_url(art["site"]) + art["canonical"]).status_code == 404
        for art in added:
            base = srv.base_url(art["site"])
            assert client.get(base + art["canonical"]).status_code == 200
            assert base + art["canonical"] in "\n".join(_sitemap_text(client, base))
    finally:
        srv.set_state(1)
    with DemoServer(state=2, removed_status=410) as gone:
        art = removed[0]
        assert client.get(gone.base_url(art["site"]) + art["canonical"]).status_code == 410
        art = added[0]
        gone.set_state(1)
        assert client.get(gone.base_url(art["site"]) + art["canonical"]).status_code == 404


def _keyed(arts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**a, "key": f"{a['site']}:{a['id']}"} for a in arts]


def test_specials(srv: DemoServer, client: httpx.Client) -> None:
    by_special = {a["special"]: a for a in ARTICLES if a["special"] and 1 in a["states"]}
    assert {"cp1251", "broken_markup", "script_text", "attachment"} <= set(by_special)
    if art := by_special["cp1251"]:
        resp = client.get(srv.base_url(art["site"]) + art["canonical"])
        assert resp.headers["content-type"] == "text/html; charset=windows-1251"
        html = resp.content.decode("cp1251")
        assert escape(art["title"]) in html and 'charset=windows-1251"' in html
        assert escape(art["title"]).encode() not in resp.content
    if art := by_special["broken_markup"]:
        html = client.get(srv.base_url(art["site"]) + art["canonical"]).text
        assert "</html>" not in html and "class=text>" in html
        for item in body_text(SITES[art["site"]].articles[art["id"]].body).splitlines():
            assert escape(item) in html
    if art := by_special["script_text"]:
        html = client.get(srv.base_url(art["site"]) + art["canonical"]).text
        body = SITES[art["site"]].articles[art["id"]].body
        assert "&lt;" in html and escape(body_text(body).splitlines()[0]) in html
    if art := by_special["attachment"]:
        base = srv.base_url(art["site"])
        html = client.get(base + art["canonical"]).text
        for att in SITES[art["site"]].articles[art["id"]].attachments:
            assert f'href="{escape(att.href)}"' in html and escape(att.title) in html


def test_body_blocks_lists_and_paragraphs() -> None:
    body = "Первый абзац\nпродолжение.\n\n- один\n- два\nПосле списка.\n\nТретий."
    assert blocks(body) == [
        ("p", ["Первый абзац продолжение."]),
        ("ul", ["один", "два"]),
        ("p", ["После списка."]),
        ("p", ["Третий."]),
    ]


def test_conditional_get_and_head(srv: DemoServer, client: httpx.Client) -> None:
    art = next(a for a in ARTICLES if a["states"] == [1, 2])
    url = srv.base_url(art["site"]) + art["canonical"]
    resp = client.get(url)
    etag, modified = resp.headers["etag"], resp.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "garbage"}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag


def test_robots_and_sitemap(srv: DemoServer, client: httpx.Client) -> None:
    for name in srv.sites:
        base = srv.base_url(name)
        robots_txt = client.get(base + "/robots.txt").text
        assert robots_txt == srv.robots_txt(name)
        assert "Crawl-delay: 0" in robots_txt and f"Sitemap: {base}/sitemap.xml" in robots_txt
        robots = Protego.parse(robots_txt)
        sitemap = "\n".join(_sitemap_text(client, base))
        locs = re.findall(r"<url><loc>([^<]+)</loc>", sitemap)
        arts = [a for a in _in_state(1) if a["site"] == name]
        assert sorted(locs) == sorted(base + a["canonical"] for a in arts)
        assert sitemap.count("</lastmod></url>") == len(arts)
        for art in arts:
            assert not robots.can_fetch(base + art["print"], "vestnik")
            allowed = robots.can_fetch(base + art["canonical"], "vestnik")
            assert allowed == (art["special"] != "robots_target")


def _sitemap_text(client: httpx.Client, base: str) -> list[str]:
    """/sitemap.xml and, when it is an index, its children (gzipped ones inflated)."""
    texts = [client.get(base + "/sitemap.xml").text]
    for loc in re.findall(r"<sitemap><loc>([^<]+)</loc>", texts[0]):
        body = client.get(loc).content
        texts.append((gzip.decompress(body) if loc.endswith(".gz") else body).decode("utf-8"))
    return texts


def test_not_found_odd_requests_and_records(srv: DemoServer, client: httpx.Client) -> None:
    base = srv.base_url(srv.sites[0])
    srv.clear_requests()
    assert client.get(base + "/no/such/page").status_code == 404
    assert client.get(base + "/ru/news/99-99-9999-1").status_code == 404
    assert client.post(base + "/robots.txt", content=b"x").status_code == 405
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=2) as sock:
        sock.sendall(b"\x00\xffGARBAGE \r\n\r\n")
        sock.recv(100)
    assert client.get(base + "/robots.txt").status_code == 200
    recs = srv.requests
    assert isinstance(recs[0], RequestRecord) and recs[0].path == "/no/such/page"
    assert recs[0].status == 404 and recs[0].site == srv.sites[0] and recs[0].method == "GET"
    assert "host" in {k.lower() for k in recs[0].headers} and recs[0].time <= time.time()


def test_faults() -> None:
    faults = DemoServer.standard_faults(FAULT_SITE, SITES[FAULT_SITE].template)
    faults = {p: Fault(f.kind, f.site, seconds=0.5) for p, f in faults.items()}
    path = {f.kind: p for p, f in faults.items()}
    with DemoServer(faults=faults) as srv, httpx.Client(timeout=3) as client:
        base = srv.base_url(FAULT_SITE)
        start = client.get(srv.start_url(FAULT_SITE)).text
        assert all(f'href="{p}"' in start for p in faults)
        url = {kind: base + p for kind, p in path.items()}
        assert client.get(url["500-then-200"]).status_code == 500
        assert client.get(url["500-then-200"]).status_code == 200
        resp = client.get(url["429"])
        assert resp.status_code == 429 and resp.headers["retry-after"] == "1"
        assert client.get(url["429"]).status_code == 200
        with pytest.raises(httpx.TimeoutException):
            client.get(url["slow"], timeout=0.3)
        assert client.get(url["slow"], timeout=3).status_code == 200
        with pytest.raises(httpx.TransportError):
            httpx.get(url["reset"], timeout=2)
        assert client.get(url["reset"]).status_code == 200
        with httpx.Client(follow_redirects=True, max_redirects=5, timeout=2) as follow:
            with pytest.raises(httpx.TooManyRedirects):
                follow.get(url["redirect-loop"])
        resp = client.get(url["redirect-offsite"])
        assert resp.status_code == 302 and resp.headers["location"] == srv.offsite_url + "/trap"
        assert client.get(resp.headers["location"]).status_code == 200
        with client.stream("GET", url["oversize"]) as resp:
            assert "content-length" not in resp.headers
            assert resp.headers["content-type"].startswith("text/html")
            assert sum(len(chunk) for chunk in resp.iter_raw()) == 20 * 1024 * 1024
        resp = client.get(url["wrong-type"])
        assert resp.headers["content-type"] == "image/png" and resp.content.startswith(b"\x89PNG")
        assert any(r.site == "offsite" and r.path == "/trap" for r in srv.requests)
        assert [r.status for r in srv.requests if r.path == path["reset"]] == [0, 200]
        srv.set_faults({})
        assert client.get(url["wrong-type"]).status_code == 404


def test_generated_site() -> None:
    with DemoServer(generated=25, sites={}) as srv, httpx.Client(timeout=5) as client:
        assert srv.sites == ["generated"]
        base = srv.base_url("generated")
        locs = re.findall(r"<loc>([^<]+)</loc>", client.get(base + "/sitemap.xml").text)
        assert len(locs) == 25
        pages = [
            client.get(srv.start_url("generated") + q).text for q in ("", "?page=1", "?page=2")
        ]
        links = [link for page in pages for link in ROW_LINK["mpt"].findall(page)]
        assert len(links) == 25
        html = client.get(locs[0]).text
        assert html == client.get(locs[0]).text
        body = re.search(r'property="content:encoded">(.*?)</div>', html, re.S)
        assert body and 200 <= len(re.sub(r"<[^>]+>", " ", body[1]).split()) <= 400


def test_gold_json_in_sync() -> None:
    assert GOLD_PATH.read_text(encoding="utf-8") == gold_json(GOLD)
    assert json.loads(GOLD_PATH.read_text(encoding="utf-8")) == GOLD
    assert set(GOLD) == {"articles", "queries", "attachments", "clusters"}


def test_gold_sentences_verbatim_and_fact_types() -> None:
    for key, art in GOLD["articles"].items():
        source = SITES[art["site"]].articles[art["id"]]
        assert key == f"{art['site']}:{art['id']}"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", art["published"])
        parts = [(art, source.body)]
        if "gold_state2" in art:
            parts.append((art["gold_state2"], source.body_state2 or source.body))
        for gold, body in parts:
            text = body_text(body)
            for fact in gold["facts"]:
                assert fact["fact_type"] in FACT_TYPES, key
                assert fact["sentence"] in text, (key, fact["sentence"])
    for query in GOLD["queries"]:
        assert query["q"] and all(e in GOLD["articles"] for e in query["expect"])
