"""The region dossier: what the store knows about one region, read from documents and facts.

A document belongs to the region when fact extraction found the region in it (``Document.regions``);
a fact belongs to it when the fact names the region, or names no region at all and its document
belongs to the region. Facts are taken once per story (``dedupe_fact_rows``: the earliest copy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.records import FactRow
    from corpus import Store

__all__ = [
    "Dossier",
    "FactEntry",
    "MonthCount",
    "Partner",
    "PersonEntry",
    "Source",
    "build_dossier",
]


@dataclass(frozen=True)
class Source:
    """The document a row comes from."""

    url: str
    site: str
    title: str
    published: str  # ISO date-time of the document

    @property
    def day(self) -> str:
        """The publication day, YYYY-MM-DD ("" when unknown)."""
        return self.published[:10]


@dataclass(frozen=True)
class MonthCount:
    """Documents (and stories: clusters of copies) about the region published in one month."""

    month: str  # YYYY-MM
    documents: int
    stories: int


@dataclass(frozen=True)
class FactEntry:
    """A fact about the region, with the sentence that states it and its source."""

    fact_type: str
    value: str
    qualifier: str
    object: str
    counterpart_value: str
    counterpart_object: str
    period: str  # the fact's own date or period ("2022", "2023-2025")
    regions: tuple[str, ...]
    sentence: str
    source: Source
    copies: int = 1  # documents of the story stating it

    @property
    def number(self) -> float | None:
        """``value`` as a number (trade changes: the point of the chart), else None."""
        try:
            return float(self.value)
        except ValueError:
            return None


@dataclass(frozen=True)
class PersonEntry:
    """A person who appears with the region, the roles stated, how often, and when last."""

    name: str
    roles: tuple[str, ...]
    mentions: int
    last_seen: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Partner:
    """A region co-mentioned in the region's facts: in how many facts and stories."""

    region: str
    facts: int
    stories: int


@dataclass(frozen=True)
class Dossier:
    """Everything ``vestnik region`` and the «Регион» page show for one region."""

    region: str
    documents: int
    months: tuple[MonthCount, ...]
    agreements: tuple[FactEntry, ...]  # agreement and partner counts, newest first
    trade: tuple[FactEntry, ...]  # trade changes, oldest first (the time series)
    signed: tuple[FactEntry, ...]  # signed documents, newest first
    persons: tuple[PersonEntry, ...]
    partners: tuple[Partner, ...]

    @property
    def empty(self) -> bool:
        """True when the store knows nothing about the region."""
        return self.documents == 0 and not (self.agreements or self.trade or self.signed)


def _entry(row: FactRow, copies: int) -> FactEntry:
    f = row.fact
    src = Source(row.doc_url, row.site, row.doc_title, row.published)
    return FactEntry(
        fact_type=f.fact_type, value=f.value, qualifier=f.qualifier, object=f.object,
        counterpart_value=f.counterpart_value, counterpart_object=f.counterpart_object,
        period=f.date, regions=tuple(f.regions), sentence=f.sentence, source=src, copies=copies,
    )  # fmt: skip


def build_dossier(store: Store, region: str) -> Dossier:
    """The dossier of ``region`` (a nominative gazetteer name, see ``resolve_region``)."""
    from core.records import FactFilter
    from indexer.clusters import dedupe_fact_rows

    shared = store.shared_clusters()
    doc_regions: dict[int, tuple[str, ...]] = {}
    months: dict[str, tuple[Counter[str], set[int]]] = {}
    total = 0
    for doc in store.iter_documents():
        if region not in doc.regions:
            continue
        doc_regions[doc.id] = doc.regions
        total += 1
        month = doc.published[:7] or "без даты"
        docs, stories = months.setdefault(month, (Counter(), set()))
        docs["n"] += 1
        stories.add(shared.get(doc.id, doc.id))

    def about(row: FactRow) -> bool:
        named = row.fact.regions
        return region in named if named else row.doc_id in doc_regions

    rows = [r for r in store.iter_facts(FactFilter()) if about(r)]
    copies = Counter(_story_key(r, shared) for r in rows)
    kept = [_entry(r, copies[_story_key(r, shared)]) for r in dedupe_fact_rows(rows, shared)]
    newest = sorted(kept, key=lambda e: (e.source.published, e.source.url), reverse=True)
    trade = [e for e in kept if e.fact_type == "trade_change" and e.number is not None]
    return Dossier(
        region=region,
        documents=total,
        months=tuple(MonthCount(m, months[m][0]["n"], len(months[m][1])) for m in sorted(months)),
        agreements=tuple(e for e in newest if e.fact_type in ("agreement_count", "partner_count")),
        trade=tuple(sorted(trade, key=lambda e: (e.source.published, e.source.url))),
        signed=tuple(e for e in newest if e.fact_type == "signed_document"),
        persons=_people(rows, shared),
        partners=_partners(kept, region, shared, rows),
    )


def _story_key(row: FactRow, shared: dict[int, int]) -> tuple[object, ...]:
    from indexer.clusters import fact_identity

    return fact_identity(row, shared)


def _people(rows: list[FactRow], shared: dict[int, int]) -> tuple[PersonEntry, ...]:
    """Persons of the region's person_role facts: roles, mentions (stories), last seen."""
    roles: dict[str, dict[str, None]] = {}
    stories: dict[str, set[int]] = {}
    last: dict[str, str] = {}
    for row in rows:
        f = row.fact
        if f.fact_type != "person_role":
            continue
        for name in f.persons:
            roles.setdefault(name, {})[f.object] = None
            stories.setdefault(name, set()).add(shared.get(row.doc_id, row.doc_id))
            last[name] = max(last.get(name, ""), row.published[:10])
    order = sorted(stories, key=lambda n: (-len(stories[n]), n))
    return tuple(PersonEntry(n, tuple(roles[n]), len(stories[n]), last[n]) for n in order)


def _partners(
    kept: list[FactEntry], region: str, shared: dict[int, int], rows: list[FactRow]
) -> tuple[Partner, ...]:
    """Regions named together with ``region`` in its facts, most often first."""
    facts: Counter[str] = Counter()
    for e in kept:
        for other in dict.fromkeys(e.regions):
            if other != region:
                facts[other] += 1
    stories: dict[str, set[int]] = {}
    for row in rows:
        for other in row.fact.regions:
            if other != region:
                stories.setdefault(other, set()).add(shared.get(row.doc_id, row.doc_id))
    order = sorted(facts, key=lambda r: (-facts[r], -len(stories.get(r, ())), r))
    return tuple(Partner(r, facts[r], len(stories.get(r, ()))) for r in order)
