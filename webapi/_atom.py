"""An Atom 1.0 feed (RFC 4287) of a saved search's items, built with ``xml.etree``.

Every text goes through the XML serializer (escaped), with the characters XML 1.0 cannot carry
removed; links are only ever http(s). Ids are stable ``urn:uuid:`` values derived from the saved
search and the document version, so a feed reader never shows an item twice.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime

from core.records import SavedSearch
from ops import WatchEntry, http_url

__all__ = ["ATOM_TYPE", "atom_feed", "feed_id"]

ATOM_TYPE = "application/atom+xml; charset=utf-8"
_NS = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{_NS}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text:
        node.text = _text(text)
    return node


def _rfc3339(value: str) -> str:
    """An ISO timestamp as RFC 3339 (UTC when it names no zone); now when unreadable."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed_id(search: SavedSearch) -> str:
    """The feed's permanent id (a saved search removed and made again gets a new one)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"vestnik:watch:{search.name}:{search.created_at}").urn


def _entry(root: ET.Element, base_id: str, entry: WatchEntry) -> None:
    item = entry.item
    node = _sub(root, "entry")
    _sub(node, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"{base_id}:{item.doc_id}:{item.version}").urn)
    _sub(node, "title", item.title or item.url, type="text")
    _sub(node, "updated", _rfc3339(item.found_at))
    link = http_url(item.url)
    if link:
        _sub(node, "link", rel="alternate", type="text/html", href=link)
    if item.site:
        _sub(node, "category", term=item.site)
    lines = [entry.summary, *(f"— {sentence}" for sentence in entry.facts)]
    _sub(node, "summary", "\n".join(line for line in lines if line), type="text")


def atom_feed(
    search: SavedSearch, entries: Sequence[WatchEntry], *, self_url: str, alternate_url: str = ""
) -> bytes:
    """The feed document (UTF-8 XML) of ``search`` with ``entries`` (newest first)."""
    ET.register_namespace("", _NS)
    root = ET.Element(f"{{{_NS}}}feed")
    base_id = feed_id(search)
    _sub(root, "id", base_id)
    _sub(root, "title", f"Вестник — {search.name}", type="text")
    subtitle = search.query or "все документы"
    if search.filters():
        subtitle += " (" + ", ".join(f"{k}: {v}" for k, v in search.filters().items()) + ")"
    _sub(root, "subtitle", subtitle, type="text")
    newest = entries[0].item.found_at if entries else search.created_at
    _sub(root, "updated", _rfc3339(newest))
    author = _sub(root, "author")
    _sub(author, "name", "vestnik")
    _sub(root, "generator", "vestnik")
    if http_url(self_url):
        _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    if http_url(alternate_url):
        _sub(root, "link", rel="alternate", type="text/html", href=alternate_url)
    for entry in entries:
        _entry(root, base_id, entry)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
