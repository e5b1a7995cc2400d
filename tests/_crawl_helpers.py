"""Shared helpers of the crawler tests: settings for fast crawls of the demo site, gold texts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from core.settings import Settings, load_settings
from corpus import Store
from corpus._demo_gold import blocks, body_for, load_sites

_GOLD_ALL = json.loads(
    (Path(__file__).parents[1] / "corpus" / "demo_site" / "gold.json").read_text(encoding="utf-8")
)
GOLD = _GOLD_ALL["articles"]
ATTACHMENT_GOLD: dict[str, dict[str, Any]] = _GOLD_ALL["attachments"]  # "site:parent:name"

FAST = {
    "politeness.delay": 0.0,
    "crawler.concurrency": 16,
    "politeness.per_host_concurrency": 16,
    "politeness.connect_timeout": 2.0,
    "politeness.read_timeout": 1.0,
    "politeness.total_timeout": 5.0,
    "politeness.retries": 2,
    "politeness.backoff": 0.05,
    "politeness.retry_after_cap": 2.0,
    "politeness.max_bytes": 1_000_000,
}


def mpt_profile(base: str) -> dict[str, Any]:
    """The bundled mpt profile moved onto the demo server's host."""
    host = base.split("://", 1)[1]
    return {
        "name": "mpt",
        "hosts": [host],
        "start_urls": [f"{base}/ru/news", f"{base}/be/news", f"{base}/en/news"],
        "scope": ["/ru/news", "/ru/node/", "/be/news", "/be/node/", "/en/news", "/en/node/"],
        "article_patterns": [
            r"^/(ru|be|en)/news/\d{2}-\d{2}-\d{4}-\d+/?$",
            r"^/(ru|be|en)/node/\d+/?$",
        ],
        "listing_patterns": [r"^/(ru|be|en)/news/?(\?page=\d+)?$"],
        "title_selector": "h1.node-title, h1",
        "date_selector": "article .submitted .date-display-single",
        "body_selector": ".node .field-name-body .field-item, .node .field-name-body",
        "delay": 0.0,
        "concurrency": 16,
        "revisit_days": 0,
        "_origin": "test",
    }


def settings_for(data_dir: Path, sites: tuple[dict[str, Any], ...] = (), **extra: Any) -> Settings:
    """Fast settings (no delay, short timeouts) with ``sites`` as the config's [[sites]]."""
    settings = load_settings(None, {"data_dir": str(data_dir), **FAST, **extra})
    return dataclasses.replace(settings, sites=sites)


def expected_body(site: str, aid: int, state: int = 1) -> str:
    """The gold body text: paragraphs by blank lines, list items on lines of their own."""
    art = load_sites()[site].article(aid)
    assert art is not None
    out: list[str] = []
    for kind, items in blocks(body_for(art, state)):
        if out:
            out.append("\n\n")
        out.append(items[0] if kind == "p" else "\n".join(items))
    return "".join(out)


def gold_of(site: str, state: int = 1) -> dict[str, dict[str, Any]]:
    """Gold articles of a site online in ``state``, by canonical path."""
    return {g["canonical"]: g for g in GOLD.values() if g["site"] == site and state in g["states"]}


def docs_by_path(store: Store, base: str) -> dict[str, list[Any]]:
    """Documents (any state) under ``base``, by canonical path (a list, to catch doubles)."""
    out: dict[str, list[Any]] = {}
    for doc in store.iter_documents(state=None):
        if doc.url.startswith(base + "/"):
            out.setdefault(doc.url[len(base) :], []).append(doc)
    return out


def readable_files(site: str) -> set[str]:
    """Paths of a site's attached files that a crawl stores as documents (the readable ones)."""
    return {a["href"] for a in ATTACHMENT_GOLD.values() if a["site"] == site and not a["special"]}
