"""Boilerplate by repetition through the command: ``vestnik repeats learn|show|apply|clear`` on a
crawled store, the crawl and ``vestnik extract`` stripping the same blocks, raw pages untouched,
the demo gold still exact."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus import open_store, sqlite_url
from corpus._demo_server import DemoServer
from crawler import REPEATS_META_KEY
from crawler._crawl import SITES_META_KEY
from tests._crawl_helpers import docs_by_path, expected_body, gold_of
from tests._hostile_server import HostileServer, Reply
from tests.test_repeats import ARTICLES, CREDIT, READ_ALSO, SUBSCRIBE, _page
from vestnik.cli import main

_FAST = ["--delay", "0"]


def _serve(srv: HostileServer, count: int) -> None:
    """A listing page and the first ``count`` articles of the regional ministry's site."""
    links = "".join(f'<li><a href="/news/{i}">{t}</a></li>' for i, (t, _) in
                    enumerate(ARTICLES[:count]))  # fmt: skip
    listing = f"<!doctype html><html><body><h1>Новости</h1><ul>{links}</ul></body></html>"
    srv.route("/", Reply(body=listing.encode()))
    srv.route("/robots.txt", Reply(status=404))
    for i, (title, paragraphs) in enumerate(ARTICLES[:count]):
        srv.route(f"/news/{i}", Reply(body=_page(i, title, paragraphs)))


def _bodies(url: str) -> dict[str, str]:
    with open_store(url) as store:
        return {d.url.rsplit("/", 1)[1]: d.body for d in store.iter_documents()}


def _raw(url: str) -> dict[str, bytes]:
    with open_store(url) as store:
        return {p.url: store.page_html(p.url) for p in store.iter_pages()}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL: the data directory's SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return str(request.getfixturevalue("pg_url"))


Cli = Callable[..., str]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``vestnik ARGS`` in process: asserts exit 0, gives stdout."""

    def run(*args: str, store: str = "") -> str:
        code = main(["-q", *(["--store", store] if store else []), *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    return run


def _extract(cli: Cli, url: str, data: Path, *more: str, store: str = "") -> str:
    return str(json.loads(cli("extract", url, "--data", str(data), *more, store=store))["body"])


def test_learn_show_apply_on_a_crawled_russian_site(tmp_path: Path, cli: Cli, store: str) -> None:
    data = str(tmp_path)

    def run(*args: str) -> str:
        return cli(*args, "--data", data, store=store)

    def body(url: str, *more: str) -> str:
        return _extract(cli, url, tmp_path, *more, store=store)

    def table() -> str:
        with open_store(store) as s:
            return s.get_meta(REPEATS_META_KEY)

    clean = {str(i): "\n\n".join(p) for i, (_, p) in enumerate(ARTICLES)}
    with HostileServer() as srv:
        _serve(srv, 3)
        run("crawl", srv.url("/"), *_FAST)
        before = _bodies(store)
        assert sorted(before) == ["0", "1", "2"]
        assert all(SUBSCRIBE in b and READ_ALSO in b for b in before.values())  # not learned yet
        raw = _raw(store)

        out = run("repeats", "learn")
        assert "3 articles" in out and "3 stored bodies differ" in out
        shown = run("repeats", "show")
        assert SUBSCRIBE in shown and CREDIT in shown and READ_ALSO in shown
        assert ARTICLES[0][1][0][:40] not in shown  # an article's own text is not a repeat
        learned = table()
        run("repeats", "learn")  # a re-learn reads the raw pages, not the bodies: the same table
        assert table() == learned

        # vestnik extract strips what the table knows (--no-repeats: the extractor's body)
        url = srv.url("/news/1")
        assert body(url) == clean["1"]
        assert SUBSCRIBE in body(url, "--no-repeats")
        assert _bodies(store) == before  # learning changes no stored body

        out = run("repeats", "apply")
        assert "3 articles re-extracted, 3 changed" in out
        assert _bodies(store) == {k: clean[k] for k in before}
        assert _raw(store) == raw  # stored raw pages never change
        with open_store(store) as s:
            doc = next(s.iter_documents())
            assert [v["version"] for v in s.document_versions(doc.id)] == [1, 2]
        assert "0 changed" in run("repeats", "apply")  # idempotent

        # a new article crawled after learning comes in stripped, like vestnik extract gives it
        _serve(srv, 4)
        out = run("crawl", *_FAST)
        assert "new 1," in out and "changed 0," in out
        assert _bodies(store)["3"] == clean["3"] == body(srv.url("/news/3"))

        assert "forgot the repeated blocks of 1 hosts" in run("repeats", "clear")
        assert "no repeated blocks learned" in run("repeats", "show")
        assert SUBSCRIBE in body(url)


def test_demo_site_learns_nothing_that_breaks_its_gold(tmp_path: Path, cli: Cli) -> None:
    data = str(tmp_path)
    with DemoServer(state=1) as srv:
        cli("crawl", srv.start_url("vitebsk"), "--data", data, *_FAST, "--concurrency", "8")
        before = _bodies(sqlite_url(tmp_path))
        cli("repeats", "learn", "--data", data)
        assert "0 changed" in cli("repeats", "apply", "--data", data)
        assert _bodies(sqlite_url(tmp_path)) == before
        with open_store(sqlite_url(tmp_path)) as store:
            docs = docs_by_path(store, srv.base_url("vitebsk"))
        gold = gold_of("vitebsk")
        assert gold
        for g in gold.values():
            (doc,) = docs[str(g["canonical"])]
            assert doc.body == expected_body("vitebsk", int(g["id"]))
        first = next(iter(gold.values()))
        url = srv.base_url("vitebsk") + str(first["canonical"])
        assert _extract(cli, url, tmp_path) == expected_body("vitebsk", int(first["id"]))


def test_unknown_site_and_bad_options_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli: Cli
) -> None:
    assert main(["repeats", "learn", "--site", "nosuch", "--data", str(tmp_path)]) == 1
    assert "no site 'nosuch' in the store" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["repeats", "learn", "--min-pages", "1", "--data", str(tmp_path)])
    assert exc.value.code == 2
    assert "no repeated blocks learned" in cli("repeats", "show", "--data", str(tmp_path))


def test_a_site_the_store_cannot_rebuild_is_left_out_of_learning(
    tmp_path: Path, cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path)
    with HostileServer() as srv:
        _serve(srv, 3)
        cli("crawl", srv.url("/"), "--data", data, *_FAST)
        with open_store(sqlite_url(tmp_path)) as store:
            names = json.loads(store.get_meta(SITES_META_KEY))
            store.set_meta(SITES_META_KEY, json.dumps([*names, "ghost"]))
        assert main(["repeats", "learn", "--data", data]) == 0
    out, err = capsys.readouterr()
    assert "3 articles" in out and "ghost" not in out
    assert "site ghost left out" in err
    assert SUBSCRIBE in cli("repeats", "show", "--data", data)


def test_own_russian_cms_pages_learned_on_tuning_pages_strip_the_held_out_one(
    tmp_path: Path, cli: Cli
) -> None:
    """The WordPress + Elementor shape of the bench's own Russian pages: learned from the three
    tuning pages, the table gives the held-out page crawled afterwards its exact gold body."""
    folder = Path(__file__).parents[1] / "bench" / "ru_pages"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    keys = sorted(k for k, g in gold.items() if g["cms"] == "wp-elementor")
    tuning = [k for k in keys if not gold[k]["held_out"]]
    held_out = [k for k in keys if gold[k]["held_out"]]
    assert len(tuning) >= 3 and held_out
    data = str(tmp_path)
    with HostileServer() as srv:
        srv.route("/robots.txt", Reply(status=404))

        def serve(chosen: list[str]) -> None:
            links = "".join(f'<li><a href="/news/{k}">{k}</a></li>' for k in chosen)
            srv.route("/", Reply(body=f"<html><body><ul>{links}</ul></body></html>".encode()))
            for k in chosen:
                srv.route(f"/news/{k}", Reply(body=(folder / f"{k}.html").read_bytes()))

        serve(tuning)
        cli("crawl", srv.url("/"), "--data", data, *_FAST)
        assert any(gold[k]["body"] != b for k, b in _bodies(sqlite_url(tmp_path)).items())
        cli("repeats", "learn", "--data", data)
        cli("repeats", "apply", "--data", data)
        assert _bodies(sqlite_url(tmp_path)) == {k: gold[k]["body"] for k in tuning}
        serve(keys)
        cli("crawl", "--data", data, *_FAST)
        assert _bodies(sqlite_url(tmp_path)) == {k: gold[k]["body"] for k in keys}
