"""The HTTP API on a real uvicorn server over the demo data (tests/_watch_demo.py): answers equal the
CLI's, Atom feeds parse, errors are JSON with the right status, limits hold, the token is checked."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from corpus import SQLiteStore
from tests._api_server import api_server
from tests._net import free_port
from tests._watch_demo import ROOT, SEARCHES, WatchDemo, session_demo
from vestnik.cli import main
from webapi import feed_path

QUERIES = tomllib.loads((ROOT / "corpus" / "demo_site" / "queries.toml").read_text("utf-8"))[
    "query"
]
CLI_KEYS = (
    "url", "title", "published", "site", "lang", "score", "snippet", "kind", "file_type", "parent_url"
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> WatchDemo:
    return session_demo(tmp_path_factory)


@pytest.fixture(scope="module")
def api(demo: WatchDemo) -> Iterator[httpx.Client]:
    with api_server(demo.data) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


# -- same answers as the CLI ----------------------------------------------------------------------


def test_gold_queries_answer_as_the_cli(
    api: httpx.Client, demo: WatchDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(QUERIES) > 50
    for entry in QUERIES:
        q = entry["q"]
        cli = json.loads(
            _cli(
                capsys,
                "search",
                q,
                "--json",
                "--all-copies",
                "--limit",
                "100",
                "--data",
                str(demo.data),
            )  # fmt: skip
        )
        answer = api.get("/api/search", params={"q": q, "limit": 100})
        assert answer.status_code == 200, (q, answer.text)
        body = answer.json()
        assert [{k: h[k] for k in CLI_KEYS} for h in body["hits"]] == [
            {k: h[k] for k in CLI_KEYS} for h in cli
        ], q
        assert body["total"] == len(cli), q


def test_filters_pages_and_facets(
    api: httpx.Client, demo: WatchDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--site",
        "vitebsk",
        "--since",
        "2023-01-01",
        "--sort",
        "date",
        "--limit",
        "3",
        "--page",
        "2",
    ]
    cli = json.loads(
        _cli(capsys, "search", "экспорт", "--json", "--all-copies", *args, "--data", str(demo.data))
    )  # the API lists documents: the CLI's --all-copies
    params = {
        "q": "экспорт",
        "site": "vitebsk",
        "since": "2023-01-01",
        "sort": "date",
        "limit": 3,
        "page": 2,
    }
    body = api.get("/api/search", params=params).json()
    assert [{k: h[k] for k in CLI_KEYS} for h in body["hits"]] == [
        {k: h[k] for k in CLI_KEYS} for h in cli
    ] and len(cli) == 3
    assert (body["page"], body["limit"]) == (2, 3)
    assert {f["value"] for f in body["facets"]["site"]} == {"vitebsk"}
    assert sum(f["count"] for f in body["facets"]["site"]) == body["total"] > 6
    assert all(h["published"][:10] >= "2023-01-01" for h in body["hits"])


@pytest.mark.parametrize(
    ("cli", "params"),
    [
        ([], {}),
        (["соглашение"], {"q": "соглашение"}),
        (
            ["--type", "agreement_count", "--site", "mpt"],
            {"type": "agreement_count", "site": "mpt"},
        ),
        (
            ["экспорт", "--since", "2024-01-01", "--format", "json"],
            {"q": "экспорт", "since": "2024-01-01", "format": "json"},
        ),
        (
            ["--region", "Курская область", "--excel"],
            {"region": "Курская область", "excel": "true"},
        ),
        (["несуществующееслово"], {"q": "несуществующееслово"}),
    ],
)
def test_facts_are_the_cli_bytes(
    api: httpx.Client, demo: WatchDemo, tmp_path: Path, cli: list[str], params: dict[str, str]
) -> None:
    out = tmp_path / "facts.out"
    assert main(["facts", *cli, "--data", str(demo.data), "--output", str(out)]) == 0
    answer = api.get("/api/facts", params=params)
    assert answer.status_code == 200
    assert answer.content == out.read_bytes()
    if params.get("format") == "json":
        assert answer.headers["content-type"] == "application/json"
        assert isinstance(json.loads(answer.content), list)
    else:
        assert answer.headers["content-type"] == "text/csv; charset=utf-8"


def test_facts_stream_many_batches_and_neutralise_formulas(api: httpx.Client) -> None:
    from webapi._facts_stream import BATCH

    rows = list(csv.reader(io.StringIO(api.get("/api/facts").text)))
    assert len(rows) - 1 > BATCH // 2  # the demo has a few hundred facts
    with api.stream("GET", "/api/facts") as answer:
        chunks = list(answer.iter_raw())
    assert b"".join(chunks).decode("utf-8").count("\r\n") == len(rows)
    cells = [c for row in rows[1:] for c in row]
    assert not any(c[:1] in ("=", "+", "@") for c in cells)


def test_document_with_versions_and_facts(api: httpx.Client, demo: WatchDemo) -> None:
    with SQLiteStore.open(demo.data) as store:
        changed = next(d for d in store.iter_documents() if d.version == 2)
        facts = store.facts_for_document(changed.id)
    body = api.get(f"/api/documents/{changed.id}").json()
    assert (body["id"], body["url"], body["version"], body["body"]) == (
        changed.id,
        changed.url,
        2,
        changed.body,
    )
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert [f["sentence"] for f in body["facts"]] == [f.sentence for f in facts]
    first = api.get(f"/api/documents/{changed.id}/versions/1").json()
    assert first["body"] != changed.body and first["version"] == 1
    assert api.get(f"/api/documents/{changed.id}/versions/3").status_code == 404


def test_regions_count_documents(api: httpx.Client) -> None:
    regions = api.get("/api/regions", params={"q": "соглашение"}).json()
    search = api.get("/api/search", params={"q": "соглашение"}).json()
    assert regions == [
        {"name": f["value"], "documents": f["count"]} for f in search["facets"]["region"]
    ]
    assert {"name": "Курская область", "documents": regions[0]["documents"]} in regions or regions


# -- saved searches and feeds ---------------------------------------------------------------------


def test_saved_searches_match_the_cli(
    api: httpx.Client, demo: WatchDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = json.loads(_cli(capsys, "watch", "list", "--json", "--data", str(demo.data)))
    listed = api.get("/api/watches").json()
    assert [(w["name"], w["items"], w["unseen"]) for w in listed] == [
        (w["name"], w["items"], w["unseen"]) for w in cli
    ]
    for name, (_, _, expected) in SEARCHES.items():
        detail = api.get(f"/api/watches/{name}").json()
        assert {demo.key(e["url"]): e["change"] for e in detail["entries"]} == expected
        shown = json.loads(_cli(capsys, "watch", "show", name, "--json", "--data", str(demo.data)))
        assert [e["id"] for e in detail["entries"]] == [i["id"] for i in shown["items"]]


def test_atom_feeds_parse(api: httpx.Client, demo: WatchDemo) -> None:
    import feedparser

    for name, (query, _, expected) in SEARCHES.items():
        answer = api.get(f"/api/watches/{name}/feed.atom")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(answer.content)
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert feed.version == "atom10"
        assert feed.feed.title == f"Вестник — {name}" and feed.feed.id.startswith("urn:uuid:")
        assert feed.feed.updated_parsed is not None
        assert {demo.key(e.link): e for e in feed.entries}.keys() == expected.keys()
        assert len({e.id for e in feed.entries}) == len(feed.entries)
        for entry in feed.entries:
            assert entry.updated_parsed is not None and entry.title
            word = (
                "Новый документ" if expected[demo.key(entry.link)] == "new" else "Документ изменён"
            )
            assert entry.summary.startswith(word)
        self_link = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_link == [f"{api.base_url}{feed_path(name)}".replace("//api", "/api")]
        assert query is not None


# -- errors and limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/search", {"q": "(("}, 400, "скобк"),
        ("/api/search", {"q": '"незакрытая'}, 400, "кавычк"),
        ("/api/search", {"limit": 0}, 422, "limit"),
        ("/api/search", {"limit": 101}, 422, "limit"),
        ("/api/search", {"page": 101}, 422, "page"),
        ("/api/search", {"page": "x"}, 422, "page"),
        ("/api/search", {"q": "я" * 1001}, 422, "q:"),
        ("/api/search", {"since": "2024-02-30"}, 422, "since"),
        ("/api/search", {"lang": "fr"}, 422, "lang"),
        ("/api/search", {"sort": "random"}, 422, "sort"),
        ("/api/facts", {"type": "nothing"}, 422, "type"),
        ("/api/facts", {"format": "xml"}, 422, "format"),
        ("/api/documents/99999999999999999999999", {}, 422, "doc_id"),
        ("/api/documents/0", {}, 422, "doc_id"),
        ("/api/documents/%C2%A01", {}, 422, "doc_id"),
        ("/api/documents/+1", {}, 422, "doc_id"),
        ("/api/documents/1_0", {}, 422, "doc_id"),
        ("/api/documents/1/versions/1.0", {}, 422, "version"),
        ("/api/search", {"limit": " 5"}, 422, "limit"),
        ("/api/watches/форум", {"run": "\u20071"}, 422, "run"),
        ("/api/documents/987654", {}, 404, "no document 987654"),
        ("/api/watches/nobody", {}, 404, "no saved search"),
        ("/api/watches/nobody/feed.atom", {}, 404, "no saved search"),
        ("/api/nothing-here", {}, 404, "Not Found"),
        ("/api/search", {"qq": "опечатка"}, 422, "unknown query parameter 'qq'"),
    ],
)
def test_errors_are_json_with_the_right_status(
    api: httpx.Client, path: str, params: dict[str, Any], status: int, words: str
) -> None:
    answer = api.get(path, params=params)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["status"] == status and words in body["error"]
    assert "/tmp" not in body["error"] and "Traceback" not in answer.text


def test_no_writes_and_no_cors_by_default(api: httpx.Client) -> None:
    assert api.post("/api/search").status_code == 405
    assert api.delete("/api/watches/форум").status_code == 405
    answer = api.get("/api/search", headers={"Origin": "https://evil.example"})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers


def test_no_index_is_a_503(tmp_path: Path) -> None:
    with api_server(tmp_path) as url:
        answer = httpx.get(url + "/api/search", params={"q": "x"})
        assert answer.status_code == 503 and "vestnik index" in answer.json()["error"]
        assert str(tmp_path) not in answer.text
        assert httpx.get(url + "/api/watches").json() == []


def test_hostile_text_comes_back_escaped(tmp_path: Path) -> None:
    from core.records import DocumentDraft
    from indexer import run_index

    with SQLiteStore.open(tmp_path) as store:
        store.save_document(DocumentDraft(
            url="https://evil.example.by/1", site="evil", title='<img src=x onerror=alert(1)> соглашение',
            body="<script>alert(2)</script> Курская область подписала соглашение.",
        ))  # fmt: skip
        run_index(store, tmp_path)
    with api_server(tmp_path) as url:
        hit = httpx.get(url + "/api/search", params={"q": "соглашение <script>"}).json()
        assert hit["total"] >= 0
        [found] = httpx.get(url + "/api/search", params={"q": "соглашение"}).json()["hits"]
        assert "<script>" not in found["snippet"] and "&lt;script&gt;" in found["snippet"]
        assert found["title"].startswith("<img")  # JSON carries the text as text


# -- the token --------------------------------------------------------------------------------------


def test_token_is_required_when_configured(demo: WatchDemo) -> None:
    with api_server(demo.data, token="s3cret-тайна") as url:
        assert httpx.get(url + "/api/search").status_code == 401
        wrong = httpx.get(url + "/api/search", headers={"Authorization": "Bearer s3cret"})
        assert wrong.status_code == 401 and wrong.json()["status"] == 401
        assert wrong.headers["www-authenticate"] == "Bearer"
        assert httpx.get(url + "/api/watches", params={"token": "nope"}).status_code == 401
        assert (
            httpx.get(url + "/api/facts", headers={"Authorization": "Basic czNjcmV0"}).status_code
            == 401
        )
        good = {"Authorization": "Bearer s3cret-тайна".encode()}
        assert httpx.get(url + "/api/search", headers=good).status_code == 200
        feed = httpx.get(url + "/api/watches/форум/feed.atom", params={"token": "s3cret-тайна"})
        assert feed.status_code == 200 and "token" not in feed.text
        assert httpx.get(url + "/api/health").status_code == 200
        assert "HTTPBearer" in httpx.get(url + "/openapi.json").text


def test_serve_refuses_the_network_without_a_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for host in ("0.0.0.0", "192.0.2.10", "::"):
        assert main(["serve", "--host", host, "--data", str(tmp_path)]) == 1
        assert "set api.token" in capsys.readouterr().err
    for port in ("0", "99999"):
        assert main(["serve", "--port", port, "--data", str(tmp_path)]) == 1
        assert "port must be between 1 and 65535" in capsys.readouterr().err


def test_vestnik_serve_answers_curl_like_requests(demo: WatchDemo) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vestnik.cli", "serve", "--data", str(demo.data), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        listed = httpx.get(url + "/api/watches").json()
        assert {w["name"] for w in listed} == set(SEARCHES)
        assert httpx.get(url + "/openapi.json").json()["info"]["title"] == "vestnik API"
    finally:
        proc.terminate()
        proc.wait(15)
        assert proc.stdout is not None and proc.stderr is not None
        out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
        proc.stdout.close()
        proc.stderr.close()
    assert f"127.0.0.1:{port}/api" in out and "Traceback" not in err
