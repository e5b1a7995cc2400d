"""Boilerplate by repetition: body blocks that recur on many pages of one site.

A "Читайте также" heading, a "При использовании материалов ссылка обязательна" line or a
"Подписывайтесь на наш канал" call sitting *inside* the article container survive the
structural extractor; across pages of one site they give themselves away by repeating.

The table is learned from a fixed set of extracted bodies and then frozen:

- a block (a paragraph or list item: one line of a body) is fingerprinted by its folded text
  (case, ё/е and spacing folded), hashed;
- a fingerprint is boilerplate for a host when it occurs on at least ``min_pages`` distinct
  pages of that host; pages with the same body (one article under two URLs) count once;
- counting is over sets, so the same input set gives the same table in any order: a body never
  depends on the order pages were crawled in. Applying it is a separate, explicit step
  (``RepeatTable.strip``): extraction itself and the stored bodies stay as they were, so a
  re-crawl stores no new versions; a table changes only when it is re-learned.

>>> bodies = [(f"https://mid.example/n/{i}", f"Новость номер {i} о встрече.\\nЧитайте также:")
...           for i in range(3)]
>>> table = learn_repeats(bodies)
>>> table.strip("https://www.mid.example/n/9", "Другой текст новости.\\nЧитайте  ТАКЖЕ:")
'Другой текст новости.'
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import ConfigError

__all__ = ["RepeatTable", "block_fingerprint", "learn_repeats", "site_of"]

_MIN_PAGES = 3
_MIN_CHARS = 12  # shorter lines ("Минск", "1.") repeat by chance
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


def block_fingerprint(text: str) -> str:
    """A short hash of a block's folded text (case, ё/е, spacing)."""
    folded = " ".join(text.casefold().replace("ё", "е").split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()


def _blocks(body: str) -> list[str]:
    return [line for line in body.split("\n") if len(line.strip()) >= _MIN_CHARS]


@dataclass(frozen=True)
class RepeatTable:
    """Per host, the fingerprints of blocks found on ``min_pages`` or more distinct pages."""

    hosts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    min_pages: int = _MIN_PAGES

    def strip(self, url: str, body: str) -> str:
        """``body`` without its repeated blocks (unchanged when they would take more than half
        of it, or when the table knows nothing of the page's host)."""
        known = self.hosts.get(site_of(url))
        if not known or not body:
            return body
        lines = body.split("\n")
        kept = [
            line for line in lines
            if len(line.strip()) < _MIN_CHARS or block_fingerprint(line) not in known
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

    def dump(self, path: Path) -> None:
        """Write the table as JSON (sorted: the same table gives the same file)."""
        data = {
            "min_pages": self.min_pages,
            "hosts": {h: sorted(f) for h, f in sorted(self.hosts.items())},
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RepeatTable:
        """Read a table written by ``dump``; a missing or malformed file is one clear error."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            hosts = {str(h): frozenset(map(str, f)) for h, f in data["hosts"].items()}
            return cls(hosts, int(data["min_pages"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{path}: not a repeated-block table: {exc}") from exc


def learn_repeats(pages: Iterable[tuple[str, str]], min_pages: int = _MIN_PAGES) -> RepeatTable:
    """The table of ``(url, body)`` pairs: per host, blocks on ``min_pages`` distinct pages."""
    if min_pages < 2:
        raise ValueError("min_pages must be at least 2")
    seen: dict[str, set[frozenset[str]]] = defaultdict(set)
    for url, body in pages:
        prints = frozenset(block_fingerprint(b) for b in _blocks(body))
        if prints:
            seen[site_of(url)].add(prints)  # a body seen under two URLs counts once
    hosts: dict[str, frozenset[str]] = {}
    for host, bodies in seen.items():
        counts = Counter(p for prints in bodies for p in prints)
        found = frozenset(p for p, n in counts.items() if n >= min_pages)
        if found:
            hosts[host] = found
    return RepeatTable(hosts, min_pages)
