"""Saved searches: the store table, ``vestnik watch``, the items an update finds, the digest e-mail.

The demo data (``tests/_watch_demo.py``) is state 1 updated, the saved searches added, then state
2 updated: each saved search must have exactly the items its row of ``SEARCHES`` names.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from core.errors import StoreError
from core.records import NewItem, SavedSearch
from core.settings import SmtpSettings
from corpus import SQLiteStore, open_store, sqlite_url
from tests._net import free_port
from tests._watch_demo import SEARCHES, WatchDemo, copy_of, session_demo, vestnik
from vestnik.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> WatchDemo:
    return session_demo(tmp_path_factory)


# -- the table, on both databases ----------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data")
    return str(request.getfixturevalue("pg_url"))


def test_store_keeps_saved_searches_and_their_items(store_url: str) -> None:
    from core.records import DocumentDraft

    with open_store(store_url) as store:
        doc = store.save_document(
            DocumentDraft(url="https://a.by/1", site="a", title="t", body="b")
        )
        saved = store.add_watch(SavedSearch(name=" Курская область ", query="соглашение"), 0)
        assert (saved.name, saved.query, saved.items, saved.unseen) == (
            "Курская область",
            "соглашение",
            0,
            0,
        )
        with pytest.raises(StoreError, match="exists already"):
            store.add_watch(SavedSearch(name="Курская область"), 0)
        item = NewItem(doc.doc_id, 1, "new", 2)  # type: ignore[arg-type]
        assert store.record_watch_items(saved.id, None, [item], 7) == 1
        assert store.record_watch_items(saved.id, None, [item], 5) == 0  # recorded once
        again = store.get_watch("Курская область")
        assert again is not None and (again.items, again.unseen, again.checked_seq) == (1, 1, 7)
        [got] = store.watch_items(saved.id)
        assert (got.doc_id, got.change, got.facts, got.url) == (
            doc.doc_id,
            "new",
            2,
            "https://a.by/1",
        )
        store.mark_watch_seen(saved.id, got.id)
        store.mark_watch_seen(saved.id, 0)  # never moves back
        seen = store.get_watch("Курская область")
        assert seen is not None and seen.unseen == 0
        assert store.remove_watch("Курская область") and not store.remove_watch("Курская область")
        assert store.list_watches() == []


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "a/b",
        "a\\b",
        "<script>",
        "x" * 81,
        "-dash-first",
        "a\nb",
        "a\x00b",
        "\u202eabc",
        "a\u202eb",
    ],
)
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with (
        SQLiteStore.open(tmp_path) as store,
        pytest.raises(StoreError, match="bad saved search name"),
    ):
        store.add_watch(SavedSearch(name=name), 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "x", '"незакрытая'], "кавычк"),
        (["add", "x", "a", "--since", "2024-02-30"], "expected a date"),
        (["show", "nobody"], "no saved search named 'nobody'"),
        (["remove", "nobody"], "no saved search named 'nobody'"),
        (["add", "x", "y" * 1001], "longer than 1000"),
    ],
)
def test_watch_errors_are_one_line(
    demo: WatchDemo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    own = copy_of(demo, tmp_path)
    try:
        code = main(["watch", *args, "--data", str(own.data)])
    except SystemExit as exc:  # argparse: bad usage
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code in (1, 2) and message in err and "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1  # one line says what is wrong (argparse adds its usage lines)


# -- the demo update ----------------------------------------------------------------------------


def _items(demo: WatchDemo, name: str) -> dict[str, str]:
    shown = json.loads(vestnik("watch", "show", name, "--json", "--data", str(demo.data)))
    return {demo.key(i["url"]): i["change"] for i in shown["items"]}


@pytest.mark.parametrize("name", list(SEARCHES))
def test_second_state_gives_exactly_the_expected_items(demo: WatchDemo, name: str) -> None:
    assert _items(demo, name) == SEARCHES[name][2]


def test_items_carry_the_update_run_and_their_facts(demo: WatchDemo) -> None:
    with SQLiteStore.open(demo.data) as store:
        last_update = store.recent_runs(1, kind="update")[0]
        assert last_update.counters["watch_items"] == sum(len(e) for *_, e in SEARCHES.values())
        search = store.get_watch("форум")
        assert search is not None
        items = store.watch_items(search.id)
        assert {i.run_id for i in items} == {last_update.id}
        for item in items:
            assert item.facts == len(store.facts_for_document(item.doc_id, item.version)) > 0
        assert store.watch_items(search.id, run_id=last_update.id - 1) == []


def test_watch_list_and_new_items_until_marked_seen(demo: WatchDemo, tmp_path: Path) -> None:
    own = copy_of(demo, tmp_path)
    listing = json.loads(vestnik("watch", "list", "--json", "--data", str(own.data)))
    counts = {s["name"]: (s["unseen"], s["items"]) for s in listing}
    assert counts == {n: (len(e), len(e)) for n, (_, _, e) in SEARCHES.items()}
    text = vestnik("watch", "show", "форум", "--new", "--mark-seen", "--data", str(own.data))
    assert "[new]" in text and "[changed]" in text and "Форуме регионов" in text
    after = vestnik("watch", "show", "форум", "--new", "--data", str(own.data))
    assert "0 new / 2 items; showing 0" in after
    vestnik("watch", "remove", "форум", "--data", str(own.data))
    names = [
        s["name"] for s in json.loads(vestnik("watch", "list", "--json", "--data", str(own.data)))
    ]
    assert "форум" not in names and len(names) == len(SEARCHES) - 1


def test_an_update_without_news_records_nothing_twice(demo: WatchDemo, tmp_path: Path) -> None:
    from indexer import SearchIndex
    from ops import check_watches

    own = copy_of(demo, tmp_path)
    with SQLiteStore.open(own.data) as store, SearchIndex.open(own.data) as index:
        found = check_watches(store, index, None)
        assert [f.added for f in found] == [0] * len(SEARCHES)


# -- the digest ---------------------------------------------------------------------------------


class _Inbox:
    """Messages a local aiosmtpd server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.event = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.event.set()
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, _Inbox]]:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # its thread outlives the capture
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def _sections(demo: WatchDemo) -> list[Any]:
    from ops import DigestSection, watch_entries

    with SQLiteStore.open(demo.data) as store:
        out = []
        for search in store.list_watches():
            entries = tuple(watch_entries(store, store.watch_items(search.id)))
            out.append(DigestSection(search.name, search.query, entries))
        return out


def test_digest_reaches_a_local_smtp_server(
    demo: WatchDemo, smtp_server: tuple[int, _Inbox]
) -> None:
    from ops import send_digest

    port, inbox = smtp_server
    smtp = SmtpSettings(
        host="127.0.0.1", port=port, sender="vestnik@example.by", to="a@example.by, b@example.by"
    )
    assert send_digest(smtp, _sections(demo), run_id=4)
    assert inbox.event.wait(10)
    [message] = inbox.messages
    assert message["To"] == "a@example.by, b@example.by"
    total = sum(len(e) for *_, e in SEARCHES.values())
    assert message["Subject"] == f"Вестник: новые материалы по подпискам ({total})"
    body = message.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    for name, (_, _, expected) in SEARCHES.items():
        assert (f"== {name} ({len(expected)})" in body) == bool(expected)
    assert "Министерство подвело итоги участия в XI Форуме регионов Беларуси и России" in body
    assert "Документ изменён" in body and "Новый документ" in body


def test_digest_failure_is_logged_and_not_raised(
    demo: WatchDemo, caplog: pytest.LogCaptureFixture
) -> None:
    from ops import send_digest

    smtp = SmtpSettings(host="127.0.0.1", port=free_port(), to="a@example.by", timeout=2.0)
    assert send_digest(smtp, _sections(demo)) is False
    assert "could not be sent" in caplog.text


def test_update_sends_the_digest_and_survives_a_dead_mail_server(
    tmp_path: Path, smtp_server: tuple[int, _Inbox]
) -> None:
    """A real update on state 2 mails its new items; with the mail server gone it still succeeds."""
    from corpus import DemoServer
    from tests._watch_demo import _config

    port, inbox = smtp_server
    with DemoServer(state=1) as srv:
        urls = {n: srv.start_url(n) for n in ("mpt", "vitebsk")}
        good = _config(
            tmp_path / "good.toml",
            urls,
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nto = "a@example.by"\n',
        )
        dead = _config(
            tmp_path / "dead.toml",
            urls,
            f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\nto = "a@example.by"\ntimeout = 2.0\n',
        )
        data = tmp_path / "data"
        vestnik("update", "--config", str(good), "--data", str(data))
        assert inbox.messages == []  # no saved search yet: no mail
        vestnik("watch", "add", "форум", "форумы регионов", "--data", str(data))
        vestnik("watch", "add", "kursk", "соглашениям курской области", "--data", str(data))
        srv.set_state(2)
        vestnik("update", "--config", str(good), "--data", str(data))
        assert inbox.event.wait(10)
        body = inbox.messages[0].get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        assert "== форум (2)" in body and "== kursk (1)" in body
        srv.set_state(1)  # 8341 changes back, 8342 is gone: one more item for both searches
        vestnik("update", "--config", str(dead), "--data", str(data))
    with SQLiteStore.open(data) as store:
        assert store.recent_runs(1, kind="update")[0].status == "ok"
        kursk = store.get_watch("kursk")
        assert kursk is not None and kursk.items == 2
