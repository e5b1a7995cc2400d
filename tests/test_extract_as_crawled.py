"""``vestnik extract URL`` extracts a page as a crawl would: with the profile of the configured
site the URL belongs to (generic mode only for URLs no profile claims), so the crawl and the
command give the same title and body for the same page (through the CLI, against a DemoServer)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from corpus import DemoServer, SQLiteStore
from crawler import profile_of
from tests._crawl_helpers import mpt_profile, settings_for
from vestnik.cli import main

SITE_NAME = "Министерство связи и информатизации Республики Беларусь"


def _profile(base: str) -> dict[str, Any]:
    """The demo mpt profile with a title selector generic mode would never choose (the site's
    name): which mode made a title is then plain to see."""
    return {**mpt_profile(base), "title_selector": "#site-name"}


def _config(path: Path, profile: dict[str, Any]) -> Path:
    lines = ["[[sites]]"] + [
        f"{key} = {json.dumps(value, ensure_ascii=False)}"
        for key, value in profile.items()
        if not key.startswith("_")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _extract(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["-q", "extract", *args, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_extract_uses_the_configured_profile_and_matches_the_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VESTNIK_CONFIG", raising=False)
    data = tmp_path / "data"
    with DemoServer(state=1) as srv:
        base = srv.base_url("mpt")
        config = _config(tmp_path / "sites.toml", _profile(base))
        listing = httpx.get(f"{base}/ru/news").text
        url = base + re.findall(r'href="(/ru/news/[0-9-]+)"', listing)[0]
        # no store yet: the configured profile already decides
        generic = _extract(capsys, url, "--data", str(tmp_path / "empty"))
        profiled = _extract(capsys, url, "--config", str(config), "--data", str(data))
        assert generic["title"] and generic["title"] != SITE_NAME
        assert profiled["title"] == SITE_NAME
        assert profiled["body"] and profiled["body"] == generic["body"].strip()

        assert main(["-q", "crawl", "mpt", "--config", str(config), "--data", str(data),
                     "--delay", "0"]) == 0  # fmt: skip
        capsys.readouterr()
        with SQLiteStore.open(data) as store:
            docs = sorted(
                (d for d in store.iter_documents() if d.kind == "page"), key=lambda d: d.url
            )
        assert len(docs) > 20
        for doc in docs[::7]:
            got = _extract(capsys, doc.url, "--config", str(config), "--data", str(data))
            assert (got["title"], got["body"]) == (doc.title, doc.body)
            assert got["title"] == SITE_NAME
        # the store remembers the profile it crawled with: without the config it still applies
        got = _extract(capsys, docs[0].url, "--data", str(data))
        assert (got["title"], got["body"]) == (docs[0].title, docs[0].body)


def test_profile_of_claims_by_host_and_scope(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv:
        base = srv.base_url("mpt")
        settings = settings_for(tmp_path, (_profile(base),))
        profile = profile_of(f"{base}/ru/news/09-01-2023-8401", settings)
        assert profile is not None and profile.name == "mpt"
        assert profile_of(f"{base}/ru/other/page", settings) is None  # outside the scope
        assert profile_of(srv.base_url("vitebsk") + "/ru/novosti/", settings) is None
