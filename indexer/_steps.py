"""The derive stage's steps: small named pieces run in order on each batch of documents.

A step reads the documents of a batch (and what earlier steps found) and adds facts and index
fields. ``DERIVE_STEPS`` is the ordered list; a new step (story clusters, say) is one more entry::

    class ClusterStep(DeriveStep):
        name = "clusters"
        def version(self) -> str: return "1"          # change it to re-derive every document
        def run(self, batch, store) -> None:
            for item in batch:
                item.fields["cluster"] = (cluster_of(item.doc),)

``version()`` of every step goes into the derive version stored per document: when a step's
version changes, ``vestnik derive`` re-derives every document (the index then updates only the
documents whose fields changed). ``finish(store)`` runs once per derive run in the main process,
after every batch (for work across documents). ``derive_steps(settings)`` gives each step its
settings (``with_settings``: the clusters step takes the ``[clusters]`` section).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from core.records import Document, Fact
from corpus import IndexStore

if TYPE_CHECKING:
    from core.settings import ClusterSettings, Settings
    from indexer.clusters import ClusterParams

__all__ = [
    "DERIVE_STEPS",
    "ClusterStep",
    "Derivation",
    "DeriveStep",
    "FactsStep",
    "derive_steps",
    "derive_version",
]


@dataclass
class Derivation:
    """One document going through the steps: the facts and index fields found so far."""

    doc: Document
    facts: list[Fact] = field(default_factory=list)
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


class DeriveStep:
    """A derive step: ``name``, ``version()``, ``run(batch, store)``, optionally ``finish``."""

    name: ClassVar[str] = ""

    def version(self) -> str:
        """Changes whenever the step's output for the same text may change."""
        return "1"

    def run(self, batch: Sequence[Derivation], store: IndexStore) -> None:
        """Add this step's facts and fields to each document of the batch."""
        raise NotImplementedError

    def finish(self, store: IndexStore) -> None:
        """After the last batch of a run, in the main process (nothing by default)."""

    def with_settings(self, settings: Settings) -> DeriveStep:
        """This step with its part of ``settings`` (itself when it has none)."""
        return self


@functools.cache
def _source_digest(folder: Path) -> str:
    """A digest of the rule sources and lexicons under ``folder`` (a rule edit changes it)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".py", ".toml", ".txt", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class FactsStep(DeriveStep):
    """Facts, regions and persons of each document (``indexer.facts.extract_facts``)."""

    name = "facts"

    def version(self) -> str:
        """The digest of ``indexer/facts/`` sources and lexicons."""
        return _source_digest(Path(__file__).resolve().parent / "facts")

    def run(self, batch: Sequence[Derivation], store: IndexStore) -> None:
        """Extract each document's facts; fields ``regions``, ``fact_types``, ``persons``."""
        from indexer.facts import extract_facts

        for item in batch:
            doc = item.doc
            result = extract_facts(doc.title, doc.body, doc.lang or "ru")
            item.facts.extend(result.facts)
            item.fields["regions"] = tuple(result.regions)
            item.fields["fact_types"] = tuple(sorted({f.fact_type for f in result.facts}))
            item.fields["persons"] = tuple(p.name for p in result.persons)


class ClusterStep(DeriveStep):
    """Story clusters (``indexer.clusters``): work across documents, so all of it is in ``finish``,
    which clusters what changed since its own mark (everything again when its parameters change).

    ``section``: the ``[clusters]`` settings (None: the defaults); a bad value is a ``ConfigError``
    when the step is made, before any work."""

    name = "clusters"

    def __init__(self, section: ClusterSettings | None = None) -> None:
        self.params: ClusterParams | None = None
        if section is not None:
            from core.errors import ConfigError
            from indexer.clusters import ClusterParams

            try:
                self.params = ClusterParams.from_settings(section)
            except ValueError as exc:
                raise ConfigError(f"clusters: {exc}") from None

    def with_settings(self, settings: Settings) -> DeriveStep:
        """The step with the ``[clusters]`` section."""
        return ClusterStep(settings.clusters)

    def run(self, batch: Sequence[Derivation], store: IndexStore) -> None:
        """Nothing per document."""

    def finish(self, store: IndexStore) -> None:
        """Bring the store's clusters up to date."""
        from indexer.clusters import DEFAULT_PARAMS, cluster_store_up_to_date

        cluster_store_up_to_date(store, self.params or DEFAULT_PARAMS)


DERIVE_STEPS: tuple[DeriveStep, ...] = (FactsStep(), ClusterStep())


def derive_steps(
    settings: Settings | None, steps: Sequence[DeriveStep] = DERIVE_STEPS
) -> tuple[DeriveStep, ...]:
    """``steps`` (default ``DERIVE_STEPS``), each with its settings (None: as they are)."""
    return tuple(steps if settings is None else (s.with_settings(settings) for s in steps))


def derive_version(steps: Sequence[DeriveStep]) -> str:
    """One string naming every step and its version (stored with each derived document)."""
    text = "|".join(f"{s.name}={s.version()}" for s in steps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
