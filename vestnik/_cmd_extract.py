"""``vestnik extract FILE|URL``: one page's document fields and facts, nothing stored.

``--format json`` prints an object with the keys url, title, published, lang, body, regions,
persons ([{name, role}]) and facts (objects with the CSV columns of ``vestnik facts`` plus
``rule``, the rule that made the fact); ``--format text`` prints a readable summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from crawler import RepeatTable, SiteProfile

__all__ = ["run"]


def _read(source: str, settings: Settings) -> tuple[bytes, str, str]:
    """(raw bytes, content type, URL) of a local file or a fetched URL."""
    if source.startswith(("http://", "https://")):
        from crawler import fetch_url

        return fetch_url(source, settings)
    from crawler import read_local_file

    path = Path(source).expanduser()
    raw = read_local_file(path)
    content_type = "text/plain" if path.suffix.lower() in (".txt", ".md") else "text/html"
    return raw, content_type, path.resolve().as_uri()


def _is_document_file(source: str) -> bool:
    from crawler import FILE_SUFFIXES

    return not source.startswith(("http://", "https://")) and source.lower().endswith(FILE_SUFFIXES)


def _file_document(path: Path, settings: Settings) -> dict[str, Any]:
    """``document`` of a local .pdf/.docx/.odt/.rtf/.doc file (crawler.read_document_file)."""
    from core.records import Fact, FactRow
    from crawler import FileLimits, read_document_file
    from indexer.facts import extract_facts, fact_to_dict

    a = settings.attachments
    limits = FileLimits(max_bytes=a.max_bytes, max_unpacked=a.max_unpacked, max_pages=a.max_pages,
                        max_chars=a.max_chars, memory_mb=a.memory_mb, seconds=a.seconds)  # fmt: skip
    draft, note = read_document_file(path, limits)
    if note:
        print(f"vestnik: {path.name}: {note}", file=sys.stderr)
    result = extract_facts(draft.title, draft.body, draft.lang or "ru")

    def fact(f: Fact) -> dict[str, Any]:
        return {**fact_to_dict(FactRow(f, 0, draft.url, draft.title, "", "")), "rule": f.rule}

    return {
        "url": draft.url, "title": draft.title, "published": draft.published, "lang": draft.lang,
        "body": draft.body, "regions": list(result.regions),
        "persons": [{"name": p.name, "role": p.role} for p in result.persons],
        "facts": [fact(f) for f in result.facts],
    }  # fmt: skip


def _site(
    url: str, settings: Settings, repeats: bool
) -> tuple[SiteProfile | None, RepeatTable | None]:
    """The profile and the store's table of repeated blocks a crawl would extract ``url`` with
    (no store yet: the configured profiles, no table; an unreachable store is a note on
    stderr, not a failure)."""
    from core.errors import StoreError
    from corpus import open_store
    from crawler import profile_of, stored_repeats

    store_url = settings.store_url
    if (
        store_url.lower().startswith("sqlite:///")
        and not Path(store_url[len("sqlite:///") :]).is_file()
    ):
        return profile_of(url, settings), None  # no store: nothing crawled or learned yet
    try:
        with open_store(store_url) as store:
            return profile_of(url, settings, store), stored_repeats(store) if repeats else None
    except StoreError as exc:
        print(f"vestnik: the store is not used: {exc}", file=sys.stderr)
        return profile_of(url, settings), None


def document(source: str, settings: Settings, repeats: bool = True) -> dict[str, Any]:
    """The JSON object ``vestnik extract`` prints for ``source``, extracted as a crawl would:
    with the profile of the site the URL belongs to and (``repeats``) the blocks the store's
    table knows for its host stripped."""
    from core.records import Fact, FactRow
    from crawler import extract_as_crawled
    from indexer.facts import extract_facts, fact_to_dict

    if _is_document_file(source):  # .pdf, .docx, .odt, .rtf, .doc: the bounded file reader
        return _file_document(Path(source).expanduser(), settings)
    raw, content_type, url = _read(source, settings)
    web = url.startswith(("http://", "https://"))  # a local file belongs to no crawled site
    profile, table = _site(url, settings, repeats) if web else (None, None)
    page = extract_as_crawled(raw, url, content_type, profile, table)
    result = extract_facts(page.title, page.body, page.lang or "ru")
    url = page.canonical or url

    def fact(f: Fact) -> dict[str, Any]:
        row = FactRow(f, 0, url, page.title, page.published, "")
        return {**fact_to_dict(row), "rule": f.rule}

    return {
        "url": url,
        "title": page.title,
        "published": page.published,
        "lang": page.lang,
        "body": page.body,
        "regions": list(result.regions),
        "persons": [{"name": p.name, "role": p.role} for p in result.persons],
        "facts": [fact(f) for f in result.facts],
    }


def _text(doc: dict[str, Any]) -> str:
    lines = [
        doc["title"] or "(no title)",
        f"{doc['url']}  {doc['published'] or 'date unknown'}  lang={doc['lang']}",
        f"regions: {'; '.join(doc['regions']) or '-'}",
        "persons: " + ("; ".join(f"{p['name']} ({p['role']})" for p in doc["persons"]) or "-"),
        f"facts: {len(doc['facts'])}",
    ]
    for f in doc["facts"]:
        parts = [f["qualifier"], f["value"], f["object"]]
        if f["counterpart_value"] or f["counterpart_object"]:
            parts.append(f"/ {f['counterpart_value']} {f['counterpart_object']}".rstrip())
        if f["persons"] and f["fact_type"] == "person_role":
            parts.append(f"— {'; '.join(f['persons'])}")
        if f["date"]:
            parts.append(f"[{f['date']}]")
        what = " ".join(p for p in parts if p)
        lines.append(f"  {f['fact_type']:<16} {what}  (rule {f['rule']})")
        lines.append(f"      «{f['sentence']}»")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the page's fields and facts as JSON (``--format json``) or text."""
    doc = document(args.source, settings, repeats=getattr(args, "repeats", True))
    if args.format == "json":
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_text(doc))
    return 0
