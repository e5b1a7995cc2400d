"""Boilerplate by repetition: body blocks that recur on many pages of one site.

A "Читайте также" heading, a "При использовании материалов ссылка обязательна" line or a
"Подписывайтесь на наш канал" call sitting *inside* the article container survive the
structural extractor; across pages of one site they give themselves away by repeating.

The table is learned from a fixed set of extracted bodies and then frozen:

- a block (a paragraph or list item: one line of a body, 12 to 400 characters) is fingerprinted
  by its folded text (case, ё/е and spacing folded), hashed;
- a fingerprint is boilerplate for a host when it occurs on at least ``min_pages`` distinct pages
  of that host, and on at least ``min_share`` of them; pages with the same body (one article
  under two URLs) count once;
- counting is over sets, so the same input set gives the same table in any order: a body never
  depends on the order pages were crawled in. ``RepeatTable.strip`` applies it; it never takes
  more than half a body (a block holding most of a page's text stays).

>>> bodies = [(f"https://mid.example/n/{i}", f"Новость номер {i} о встрече.\\nЧитайте также:")
...           for i in range(3)]
>>> table = learn_repeats(bodies)
>>> table.strip("https://www.mid.example/n/9", "Другой текст новости.\\nЧитайте  ТАКЖЕ:")
'Другой текст новости.'
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.errors import ConfigError

__all__ = ["Block", "HostRepeats", "RepeatTable", "block_fingerprint", "learn_repeats", "site_of"]

_MIN_PAGES = 3
_MIN_SHARE = 0.01  # on a big site a block must also be on 1% of its pages
_MIN_CHARS = 12  # shorter lines ("Минск", "1.") repeat by chance
_MAX_CHARS = 400  # longer identical paragraphs are content quoted across articles, not furniture
_KEEP_SHARE = 0.5  # never strip more than half a body: a page mostly made of repeats is kept


def site_of(url: str) -> str:
    """The site a page belongs to: its host without ``www.``, with the port when not the
    scheme's default.

    >>> site_of("https://WWW.Mid.example:443/n/1"), site_of("http://127.0.0.1:8001/a")
    ('mid.example', '127.0.0.1:8001')
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port in (None, 80, 443) else f"{host}:{port}"


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def block_fingerprint(text: str) -> str:
    """A short hash of a block's folded text (case, ё/е, spacing)."""
    return hashlib.blake2b(_folded(text).encode("utf-8"), digest_size=8).hexdigest()


def _blocks(body: str) -> list[str]:
    return [s for line in body.split("\n") if _MIN_CHARS <= len(s := line.strip()) <= _MAX_CHARS]


@dataclass(frozen=True)
class Block:
    """One repeated block: a text it was seen with and on how many distinct pages."""

    text: str
    pages: int


@dataclass(frozen=True)
class HostRepeats:
    """What the table knows of one host: the store site its pages came from ("" when learned
    from bare pairs), how many distinct bodies it was learned from, and its repeated blocks by
    fingerprint."""

    site: str
    pages: int
    blocks: Mapping[str, Block]


@dataclass(frozen=True)
class RepeatTable:
    """Per host, the blocks found on at least ``min_pages`` (and ``min_share``) of its pages."""

    hosts: Mapping[str, HostRepeats] = field(default_factory=dict)
    min_pages: int = _MIN_PAGES
    min_share: float = _MIN_SHARE

    def strip(self, url: str, body: str) -> str:
        """``body`` without its repeated blocks (unchanged when they would take more than half
        of it, or when the table knows nothing of the page's host)."""
        known = self.hosts.get(site_of(url))
        if known is None or not body:
            return body
        blocks = known.blocks
        lines = body.split("\n")
        kept = [
            line for line in lines
            if not _MIN_CHARS <= len(s := line.strip()) <= _MAX_CHARS
            or block_fingerprint(s) not in blocks
        ]  # fmt: skip
        if len(kept) == len(lines):
            return body
        text = "\n".join(kept)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        text = text.strip("\n")
        if len(text) < _KEEP_SHARE * len(body):
            return body
        return text

    def without_site(self, site: str) -> RepeatTable:
        """The table without the hosts learned from the store site ``site``."""
        hosts = {h: r for h, r in self.hosts.items() if r.site != site}
        return RepeatTable(hosts, self.min_pages, self.min_share)

    def merged(self, other: RepeatTable) -> RepeatTable:
        """This table with ``other``'s hosts added (``other`` wins for a host in both)."""
        return RepeatTable({**self.hosts, **other.hosts}, other.min_pages, other.min_share)

    def to_json(self) -> str:
        """The table as JSON (sorted: the same table gives the same text)."""
        data = {
            "min_pages": self.min_pages,
            "min_share": self.min_share,
            "hosts": {
                host: {
                    "site": r.site,
                    "pages": r.pages,
                    "blocks": {fp: [b.text, b.pages] for fp, b in sorted(r.blocks.items())},
                }
                for host, r in sorted(self.hosts.items())
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str) -> RepeatTable:
        """Read a table written by ``to_json``; a malformed one is one clear ``ConfigError``
        naming ``origin``."""
        try:
            data = json.loads(text)
            hosts = {
                str(host): HostRepeats(
                    str(r["site"]),
                    int(r["pages"]),
                    {str(fp): Block(str(t), int(n)) for fp, (t, n) in r["blocks"].items()},
                )
                for host, r in data["hosts"].items()
            }
            return cls(hosts, int(data["min_pages"]), float(data["min_share"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{origin}: not a repeated-block table: {exc!r}") from exc


def learn_repeats(
    pages: Iterable[tuple[str, str]],
    min_pages: int = _MIN_PAGES,
    min_share: float = _MIN_SHARE,
    site: str = "",
) -> RepeatTable:
    """The table of ``(url, body)`` pairs: per host, the blocks on at least ``min_pages``
    distinct pages and ``min_share`` of them. ``site`` names the store site they came from."""
    if min_pages < 2:
        raise ValueError("min_pages must be at least 2")
    seen: dict[str, set[frozenset[tuple[str, str]]]] = defaultdict(set)
    for url, body in pages:
        prints = frozenset((block_fingerprint(b), b) for b in _blocks(body))
        if prints:
            seen[site_of(url)].add(prints)  # a body seen under two URLs counts once
    hosts: dict[str, HostRepeats] = {}
    for host, bodies in seen.items():
        needed = max(min_pages, math.ceil(min_share * len(bodies)))
        counts: Counter[str] = Counter()
        texts: dict[str, str] = {}
        for prints in bodies:
            fps = {fp for fp, _ in prints}
            counts.update(fps)
            for fp, text in prints:
                texts[fp] = min(text, texts.get(fp, text))  # the same text in any order
        found = {fp: Block(texts[fp], n) for fp, n in counts.items() if n >= needed}
        if found:
            hosts[host] = HostRepeats(site, len(bodies), found)
    return RepeatTable(hosts, min_pages, min_share)
