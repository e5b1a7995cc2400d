"""Feeds and sitemaps read from bytes (crawler._feeds, crawler._sitemap, crawler._entries): RSS and
Atom entries and dates, feed links in a page's head, sitemap indexes, gzip and lastmod, and every
hostile or broken input as one clear ``ExtractError`` or a tolerated, noted problem."""

from __future__ import annotations

import doctest
import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import ExtractError
from corpus import DemoServer
from crawler import _entries, _sitemap
from crawler._entries import parse_stamp
from crawler._feeds import feed_links, read_feed
from crawler._sitemap import inflate, read_sitemap

CAP = 5_000_000
BASE = "https://example.gov.by"


def test_doctests() -> None:
    for module in (_entries, _sitemap):
        assert doctest.testmod(module).failed == 0


def _rss(items: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>Новости</title><link>{BASE}/ru/news</link>{items}</channel></rss>"
    ).encode()


def _item(link: str, date: str = "Mon, 09 Jan 2023 10:15:00 +0300") -> str:
    return f"<item><title>Заголовок</title><link>{link}</link><pubDate>{date}</pubDate></item>"


def test_rss_entries_links_and_dates() -> None:
    raw = _rss(_item("/ru/news/09-01-2023-8401") + _item(f"{BASE}/ru/node/8402?utm_source=rss"))
    feed = read_feed(raw, f"{BASE}/rss.xml", max_bytes=CAP)
    assert feed.kind == "rss20" and feed.title == "Новости" and feed.problems == ()
    assert [e.url for e in feed.entries] == [
        f"{BASE}/ru/news/09-01-2023-8401",
        f"{BASE}/ru/node/8402",
    ]
    first = feed.entries[0]
    assert first.published == datetime(2023, 1, 9, 7, 15, tzinfo=UTC)
    assert first.modified is None  # pubDate is a publication date, not a modification
    assert first.day == "2023-01-09"


def test_atom_entries_updated_and_published() -> None:
    raw = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Витебск</title><id>urn:x</id><updated>2024-02-02T10:00:00+03:00</updated>"
        '<entry><title>А</title><link rel="alternate" href="/ru/novosti/2024/521/"/>'
        "<id>urn:521</id><published>2024-02-01T10:00:00+03:00</published>"
        "<updated>2024-02-02T10:00:00+03:00</updated></entry>"
        "<entry><title>Б</title><id>https://example.gov.by/ru/novosti/2024/522/</id>"
        "<updated>2024-02-03</updated></entry></feed>"
    ).encode()
    feed = read_feed(raw, f"{BASE}/atom.xml", max_bytes=CAP)
    assert feed.kind == "atom10"
    assert [e.url for e in feed.entries] == [
        f"{BASE}/ru/novosti/2024/521/",
        f"{BASE}/ru/novosti/2024/522/",  # an http(s) id stands in for a missing link
    ]
    assert feed.entries[0].modified == datetime(2024, 2, 2, 7, 0, tzinfo=UTC)
    assert feed.entries[0].published == datetime(2024, 2, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "date",
    [
        "32 Foo 2023 99:99",
        "вчера",
        "Mon, 01 Jan 2999 10:00:00 +0000",
        "Sat, 01 Jan 1966 10:00:00 GMT",
    ],
)
def test_invalid_or_impossible_dates_are_tolerated_and_noted(date: str) -> None:
    raw = _rss(_item(f"{BASE}/ru/news/1", date) + _item(f"{BASE}/ru/news/2"))
    feed = read_feed(raw, f"{BASE}/rss.xml", max_bytes=CAP)
    assert [e.url for e in feed.entries] == [f"{BASE}/ru/news/1", f"{BASE}/ru/news/2"]
    assert feed.entries[0].published is None and feed.entries[1].published is not None
    assert feed.problems == ("1 entries with unreadable or impossible dates (kept undated)",)


_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ха-ха-ха-ха-ха-ха-ха-ха-ха-ха">'
    + "".join(f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">' for k in range(9))
    + ']><rss version="2.0"><channel><title>&j;</title>'
    + _item(f"{BASE}/ru/news/1")
    + "</channel></rss>"
)
_QUADRATIC = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "'
    + "x" * 100_000
    + '">]><rss version="2.0"><channel><title>'
    + "&big;" * 10_000
    + "</title></channel></rss>"
)
_EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><title>&secret;</title></channel></rss>'
)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (_LAUGHS, "declares XML entities"),  # billion laughs: 10^10 characters if expanded
        (_QUADRATIC, "declares XML entities"),  # one big entity referenced 10,000 times
        (_EXTERNAL, "declares XML entities"),
        (_LAUGHS.replace("</channel></rss>", "<item>"), "declares XML entities"),  # + malformed
        ("<html><body><p>Страница</p></body></html>", "not an RSS or Atom feed"),
        ("\x00\x01garbage", "not well-formed XML"),
        ("", "not well-formed XML"),
    ],
    ids=["billion-laughs", "quadratic", "external", "laughs-malformed", "html", "garbage", "empty"],
)
def test_hostile_or_broken_feeds_are_one_error(raw: str, message: str) -> None:
    with pytest.raises(ExtractError, match=message) as exc:  # refused before any expansion
        read_feed(raw.encode(), f"{BASE}/rss.xml", max_bytes=CAP)
    assert "\n" not in str(exc.value)


def test_a_feed_past_the_cap_is_refused_unread() -> None:
    raw = _rss(_item(f"{BASE}/ru/news/1") * 100_000)
    assert len(raw) > 10_000_000
    with pytest.raises(ExtractError, match="larger than the cap of 10000000 bytes"):
        read_feed(raw, f"{BASE}/rss.xml", max_bytes=10_000_000)


def test_a_body_naming_a_local_file_is_not_read_from_disk(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(_rss(_item(f"{BASE}/ru/news/stolen")))
    with pytest.raises(ExtractError):  # feedparser given bytes would open the file they name
        read_feed(str(secret).encode(), f"{BASE}/rss.xml", max_bytes=CAP)


def test_malformed_feed_is_read_leniently_and_says_so() -> None:
    raw = _rss(
        _item(f"{BASE}/ru/news/1") + "<item><title>Б & В</title>" + _item(f"{BASE}/ru/news/2")
    )
    feed = read_feed(raw, f"{BASE}/rss.xml", max_bytes=CAP)
    assert f"{BASE}/ru/news/1" in [e.url for e in feed.entries]
    assert "not well-formed XML" in feed.problems[0] and "read leniently" in feed.problems[0]


def test_windows_1251_feed_and_entries_without_links() -> None:
    text = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel>'
        "<title>Новости области</title>" + _item(f"{BASE}/ru/news/1") + "<item><title>Без ссылки"
        "</title></item><item><link>javascript:alert(1)</link></item></channel></rss>"
    )
    feed = read_feed(text.encode("cp1251"), f"{BASE}/rss.xml", max_bytes=CAP)
    assert feed.title == "Новости области"
    assert [e.url for e in feed.entries] == [f"{BASE}/ru/news/1"]
    assert feed.problems == ("2 entries without a usable link (skipped)",)


def test_feed_links_in_the_head() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Новости</title>"
        '<link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="/ru/rss.xml">'
        "<LINK REL='alternate home' TYPE='application/atom+xml; charset=utf-8' HREF='atom.xml'>"
        '<link rel="alternate" hreflang="be" href="/be/news">'
        '<link rel="alternate" type="application/rss+xml" href="/ru/rss.xml">'
        '</head><body><link rel="alternate" type="application/rss+xml" href="/body.xml">'
        "</body></html>"
    ).encode()
    assert feed_links(html, f"{BASE}/ru/news/") == [
        f"{BASE}/ru/rss.xml",
        f"{BASE}/ru/news/atom.xml",
    ]
    assert feed_links(b"<html><head></head><body>alternate</body></html>", BASE) == []


def test_sitemap_index_urlset_and_lastmod() -> None:
    index = read_sitemap(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://h/news.xml.gz</loc><lastmod>2024-11-15T12:00:00+03:00</lastmod>"
        b"</sitemap><sitemap><loc> https://h/other.xml </loc></sitemap></sitemapindex>",
        max_bytes=CAP,
    )
    assert [(e.url, e.modified) for e in index.nested] == [
        ("https://h/news.xml.gz", datetime(2024, 11, 15, 9, 0, tzinfo=UTC)),
        ("https://h/other.xml", None),
    ]
    urlset = read_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://h/a</loc><lastmod>2024-01-09</lastmod></url>"
        b"<url><loc>https://h/b</loc><lastmod>2024-01-09T10:15Z</lastmod></url>"
        b"<url><loc>https://h/c</loc><lastmod>09.01.2024</lastmod></url>"
        b"<url><loc>https://h/d</loc><lastmod>2999-01-01</lastmod></url></urlset>",
        max_bytes=CAP,
    )
    assert [(e.url, e.modified) for e in urlset.pages] == [
        ("https://h/a", datetime(2024, 1, 9, 23, 59, 59, tzinfo=UTC)),
        ("https://h/b", datetime(2024, 1, 9, 10, 15, tzinfo=UTC)),
        ("https://h/c", None),  # unreadable
        ("https://h/d", None),  # impossible
    ]
    assert urlset.newest == datetime(2024, 1, 9, 23, 59, 59, tzinfo=UTC)


def test_gzipped_sitemap_and_its_caps() -> None:
    text = b"<urlset><url><loc>https://h/a</loc></url></urlset>"
    assert [e.url for e in read_sitemap(gzip.compress(text), max_bytes=CAP).pages] == [
        "https://h/a"
    ]
    bomb = gzip.compress(b"<urlset>" + b" " * 40_000_000 + b"</urlset>")
    assert len(bomb) < 100_000
    with pytest.raises(ExtractError, match="inflates past the cap of 5000000 bytes"):
        read_sitemap(bomb, max_bytes=CAP)
    with pytest.raises(ExtractError, match="damaged gzip data"):
        read_sitemap(gzip.compress(text)[:20] + b"\x00" * 40, max_bytes=CAP)
    assert inflate(gzip.compress(b"x" * 1000), 1000) == b"x" * 1000


def test_sitemap_entities_refused_and_broken_xml_recovered() -> None:
    raw = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + k)} "{("&" + chr(97 + k) + ";") * 10}">'.encode() for k in range(9)
        )  # fmt: skip
        + b"]><urlset><url><loc>https://h/&j;</loc></url><url><loc>https://h/b</loc></url></urlset>"
    )
    with pytest.raises(ExtractError, match="declares XML entities"):
        read_sitemap(raw, max_bytes=CAP)
    for junk in (b"\x00 not xml", b"<html><body>Not found</body></html>", b""):
        with pytest.raises(ExtractError, match="not readable XML|not a sitemap"):
            read_sitemap(junk, max_bytes=CAP)
    broken = b"<urlset><url><loc>https://h/a</loc></url><url><loc>https://h/b</lo"
    assert [e.url for e in read_sitemap(broken, max_bytes=CAP).pages] == [
        "https://h/a",
        "https://h/b",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-15T12:00:00+03:00", datetime(2024, 11, 15, 9, 0, tzinfo=UTC)),
        ("2024-11-15T12:00:00Z", datetime(2024, 11, 15, 12, 0, tzinfo=UTC)),
        ("2024-11-15T12:00", datetime(2024, 11, 15, 12, 0, tzinfo=UTC)),  # no zone: UTC
        ("2024-11-15", datetime(2024, 11, 15, 23, 59, 59, tzinfo=UTC)),
        ("2024-13-45", None),
        ("15 ноября 2024", None),
        ("", None),
    ],
)
def test_parse_stamp(text: str, expected: datetime | None) -> None:
    assert parse_stamp(text) == expected


def test_the_demo_sites_feeds_and_sitemap_index_read() -> None:
    import httpx

    with DemoServer(state=2) as srv, httpx.Client(timeout=5) as client:
        mpt, vit = srv.base_url("mpt"), srv.base_url("vitebsk")
        page = client.get(srv.start_url("mpt")).content
        assert feed_links(page, srv.start_url("mpt")) == [mpt + "/ru/rss.xml"]
        assert feed_links(client.get(srv.start_url("vitebsk")).content, vit) == []
        rss = read_feed(client.get(mpt + "/ru/rss.xml").content, mpt + "/ru/rss.xml", max_bytes=CAP)
        atom = read_feed(client.get(vit + "/atom.xml").content, vit + "/atom.xml", max_bytes=CAP)
        assert (rss.kind, atom.kind, rss.problems, atom.problems) == ("rss20", "atom10", (), ())
        only = mpt + "/ru/news/03-10-2024-8343"  # the feed_only article of state 2
        assert only in [e.url for e in rss.entries]
        assert only.encode() not in client.get(srv.start_url("mpt")).content
        index = read_sitemap(client.get(mpt + "/sitemap.xml").content, max_bytes=CAP)
        children = [e.url for e in index.nested]
        assert children == [mpt + "/sitemaps/news-ru.xml.gz", mpt + "/sitemaps/news-other.xml"]
        gz = client.get(children[0])
        assert gz.headers["content-type"] == "application/x-gzip" and gz.content[:2] == b"\x1f\x8b"
        pages = read_sitemap(gz.content, max_bytes=CAP).pages
        assert only in [e.url for e in pages]
        assert all(e.modified is not None for e in pages)


_FETCHED = "2025-03-01T10:00:00+00:00"


@pytest.mark.parametrize(
    ("last_modified", "lastmod", "held"),
    [
        ("Mon, 09 Jan 2023 07:15:00 GMT", "2023-01-09T10:15:00+03:00", True),  # the same version
        ("Mon, 09 Jan 2023 07:15:00 GMT", "2023-01-09", True),  # a bare date of the same day
        ("Mon, 09 Jan 2023 07:15:00 GMT", "2024-11-15T12:00:00+03:00", False),  # changed since
        ("Fri, 15 Nov 2024 09:00:00 GMT", "2023-01-09T10:15:00+03:00", False),  # moved back
        ("Sat, 01 Mar 2025 10:00:01 GMT", "2024-11-15T12:00:00+03:00", True),  # server clock
        ("Sat, 01 Mar 2025 10:00:01 GMT", "2025-03-02T12:00:00+00:00", False),  # after the fetch
        ("", "2024-11-15T12:00:00+03:00", True),  # no Last-Modified: fetched after it
        ("", "2025-03-01T10:30:00+00:00", False),
        ("", "2025-03-01", False),  # that day, maybe after the fetch
    ],
)
def test_a_lastmod_held_or_moved(last_modified: str, lastmod: str, held: bool) -> None:
    from core.enums import PageState
    from core.records import Page
    from crawler._announce import _held

    page = Page("u", "s", "u", 200, PageState.OK, '"e"', last_modified, "h", "utf-8", "",
                _FETCHED, _FETCHED, _FETCHED)  # fmt: skip
    stamp = parse_stamp(lastmod)
    assert stamp is not None
    assert _held(page, stamp) is held
