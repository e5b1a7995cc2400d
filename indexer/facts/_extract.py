"""extract_facts: sentences -> context -> the ordered rule groups -> facts, regions, persons."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from core.records import Fact
from indexer.facts._context import Context, make_context
from indexer.facts._gazetteer import find_regions
from indexer.facts._persons import find_person_roles, person_rules
from indexer.facts._rules_counts import count_rules
from indexer.facts._rules_documents import document_rules
from indexer.facts._rules_trade import trade_rules
from indexer.facts._sentences import split_sentences

__all__ = ["RULES", "FactsResult", "Person", "extract_facts"]

# The rule groups, in the order they run on each sentence; each Fact names its rule.
RULES: tuple[tuple[str, Callable[[Context], list[Fact]]], ...] = (
    ("person_role", person_rules),  # губернатора Курской области Романа Старовойта
    ("counts", count_rules),  # 81 соглашение с 73 российскими регионами
    ("trade_change", trade_rules),  # рост товарооборота составил более 190 процентов
    ("signed_document", document_rules),  # План мероприятий на 2023-2025 годы
)


@dataclass(frozen=True)
class Person:
    """A person named in a document, in the nominative, with the role given to them."""

    name: str
    role: str


@dataclass(frozen=True)
class FactsResult:
    """What ``extract_facts`` found in one document."""

    facts: tuple[Fact, ...]
    regions: tuple[str, ...]
    persons: tuple[Person, ...]


def _mentioned(ctx: Context, known: dict[str, str]) -> list[str]:
    """Known persons named again by surname ("По словам Натальи Гриневич")."""
    out = []
    for name in known:
        stem = name.split()[-1].lower().replace("ё", "е")[:-1]
        if len(stem) >= 4 and any(t.low.startswith(stem) for t in ctx.tokens if t.is_upper_initial):
            out.append(name)
    return out


def extract_facts(title: str, body: str, lang: str = "ru") -> FactsResult:
    """Facts, regions and persons of one document; deterministic.

    ``Fact.start``/``stop`` are the offsets of the fact's sentence in ``body``. Belarusian text
    (``lang="be"``) gives regions only.

    >>> r = extract_facts("", "Подписано 81 соглашение с 73 российскими регионами.")
    >>> (r.facts[0].value, r.facts[0].object, r.facts[0].counterpart_value)
    ('81', 'соглашение', '73')
    """
    regions = find_regions(f"{title}\n{body}")
    if lang != "ru":
        return FactsResult((), regions, ())
    facts: list[Fact] = []
    roles: dict[str, str] = {}
    contexts = []
    for sentence in split_sentences(body):
        ctx = make_context(sentence)
        found = find_person_roles(ctx)
        for p in found:
            if len(p.role) > len(roles.get(p.name, "")):
                roles[p.name] = p.role
        contexts.append((ctx, [p.name for p in found]))
    for ctx, names in contexts:
        named = tuple(dict.fromkeys([*names, *_mentioned(ctx, roles)]))
        ctx = dataclasses.replace(ctx, persons=named)
        for _, rule in RULES:
            facts.extend(rule(ctx))
    persons = tuple(Person(name, role) for name, role in roles.items())
    return FactsResult(tuple(facts), regions, persons)
