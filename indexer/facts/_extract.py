"""extract_facts: sentences -> context -> the ordered rule groups -> facts, regions, persons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from core.records import Fact
from indexer.facts._be import be_facts, is_belarusian
from indexer.facts._context import Context, make_context
from indexer.facts._gazetteer import be_region_hits
from indexer.facts._modality import continues_previous
from indexer.facts._morph import norm
from indexer.facts._name_runs import name_in_run
from indexer.facts._names import is_name_start
from indexer.facts._persons import PersonRole, find_person_roles, person_rules, title_role
from indexer.facts._rules_counts import count_rules
from indexer.facts._rules_documents import document_head, document_rules
from indexer.facts._rules_trade import trade_rules
from indexer.facts._sentences import Sentence, split_sentences

__all__ = ["RULES", "FactsResult", "Person", "extract_facts"]

# The rule groups, in the order they run on each sentence; each Fact names its rule.
RULES: tuple[tuple[str, Callable[[Context], list[Fact]]], ...] = (
    ("person_role", person_rules),  # губернатора Курской области Романа Старовойта
    ("counts", count_rules),  # 81 соглашение с 73 российскими регионами
    ("trade_change", trade_rules),  # рост товарооборота составил более 190 процентов
    ("signed_document", document_rules),  # подписали дорожную карту; План мероприятий на 2023 год
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


# Partner nouns a title and its body use for the same partners ("с 74 регионами" / "с 74 субъектами")
_SAME_PARTNERS = {"субъект": "регион"}


def _full_names(contexts: list[Context]) -> dict[str, str]:
    """Names with a first name written anywhere in the document, by normalized surname (only
    surnames written with one first name; "Михаил Саакашвили")."""
    seen: dict[str, set[str]] = {}
    for ctx in contexts:
        tokens = ctx.tokens
        for i, tok in enumerate(tokens):
            if tok.kind != "word" or not tok.is_upper_initial or not is_name_start(tokens, i):
                continue
            found = name_in_run(tokens, i, frozenset(), ctx.place_tokens)
            if found is not None and found[0] == i and " " in found[1] and "." not in found[1]:
                seen.setdefault(norm(found[1].split()[-1]), set()).add(found[1])
    return {key: next(iter(names)) for key, names in seen.items() if len(names) == 1}


def _resolve_surnames(contexts: list[Context], found: list[list[PersonRole]]) -> None:
    """A person named by surname alone ("президент Саакашвили") gets the full name the document
    writes elsewhere ("Михаил Саакашвили уверенно лидирует")."""
    if not any(" " not in p.name for people in found for p in people):
        return
    full = _full_names(contexts)
    for people in found:
        for k, p in enumerate(people):
            name = full.get(norm(p.name)) if " " not in p.name else None
            if name is not None:
                people[k] = replace(p, name=name)


def _same_fact(f: Fact) -> tuple[str, ...]:
    """What makes a title fact the same as a body fact (the date and the qualifier aside)."""
    if f.fact_type == "signed_document":  # a count ("подписано 12 документов") is its own fact
        return (f.fact_type, document_head(f.object), f.value)
    obj, other = (_SAME_PARTNERS.get(x, x) for x in (f.object, f.counterpart_object))
    return (f.fact_type, f.value, obj, f.counterpart_value, other,
            ";".join(f.persons) if f.fact_type == "person_role" else "")  # fmt: skip


def _merge_title(title: list[Fact], body: list[Fact]) -> list[Fact]:
    """Title facts not stated in the body, then the body's. A title fact with a date replaces its
    undated twin in the body ("Подписан план на 2024-2026 годы" / "утвердили план")."""
    twins: dict[tuple[str, ...], Fact] = {}
    for f in body:
        twins.setdefault(_same_fact(f), f)
    kept: list[Fact] = []
    dropped: set[int] = set()
    for f in title:
        twin = twins.get(_same_fact(f))
        if twin is not None:
            if twin.date or not f.date:
                continue
            dropped.add(id(twin))
        kept.append(f)
    return kept + [f for f in body if id(f) not in dropped]


def _drop_back_references(facts: list[Fact]) -> list[Fact]:
    """ "Программу подписали ..." after the programme was reported: the same document again."""
    heads: set[str] = set()
    out = []
    for f in facts:
        if f.fact_type == "signed_document" and not f.value:  # counts refer to no one document
            head = document_head(f.object)
            bare = not f.date and f.object.lower() == head
            if bare and head in heads:
                continue
            heads.add(head)
        out.append(f)
    return out


def _contexts(title: str, body: str) -> list[Context]:
    """The title's context (if any) first, then one per body sentence."""
    out = []
    if title.strip():
        out.append(make_context(Sentence(title, 0, len(title)), in_title=True))
    previous: Context | None = None
    for sentence in split_sentences(body):
        ctx = make_context(sentence)
        if previous is not None and previous.tokens and continues_previous(ctx.tokens):
            if len(previous.tokens) - 1 in previous.irrealis:  # "Запланировано ... А также ..."
                ctx.inherit = True
        previous = ctx
        out.append(ctx)
    return out


def _regions(contexts: list[Context], title: str, body: str) -> tuple[str, ...]:
    hits = [
        (int(not ctx.in_title), ctx.sentence.start + ctx.spans[m.first][0], m.region)
        for ctx in contexts
        for m in ctx.mentions
    ]
    hits += [(0, start, region) for start, region in be_region_hits(title)]
    hits += [(1, start, region) for start, region in be_region_hits(body)]
    return tuple(dict.fromkeys(region for *_, region in sorted(hits)))


def extract_facts(title: str, body: str, lang: str = "ru") -> FactsResult:
    """Facts, regions and persons of one document; deterministic.

    ``Fact.start``/``stop`` are the offsets of the fact's sentence in ``body`` (0, 0 for a fact
    stated only in the title). Belarusian text (``lang="be"``, or Belarusian letters) has its own
    rules (``indexer.facts._be``).

    >>> r = extract_facts("", "Подписано 81 соглашение с 73 российскими регионами.")
    >>> (r.facts[0].value, r.facts[0].object, r.facts[0].counterpart_value)
    ('81', 'соглашение', '73')
    """
    if lang == "be" or is_belarusian(f"{title}\n{body}"):
        facts_be, persons_be, regions_be = be_facts(title, body)
        return FactsResult(facts_be, regions_be, tuple(Person(n, r) for n, r in persons_be))
    contexts = _contexts(title, body)
    roles: dict[str, str] = {}
    found: list[list[PersonRole]] = []
    for ctx in contexts:
        found.append(find_person_roles(ctx))
    _resolve_surnames(contexts, found)
    for people in found:
        for p in people:
            if len(p.role) > len(roles.get(p.name, "")):
                roles[p.name] = p.role
    extra = title_role(contexts, roles)
    title_facts: list[Fact] = []
    body_facts: list[Fact] = []
    for ctx, people in zip(contexts, found, strict=True):
        named = tuple(dict.fromkeys([*(p.name for p in people), *_mentioned(ctx, roles)]))
        ctx.persons, ctx.person_spans = named, tuple(people)
        out = title_facts if ctx.in_title else body_facts
        for _, rule in RULES:
            made = rule(ctx)
            if ctx.in_title:  # a title that is a document's name ("План мероприятий на ...") is
                made = [f for f in made if f.rule != "named_document"]  # no report of it
            out.extend(made)
    if extra is not None:
        roles.setdefault(extra.persons[0], extra.object)
        body_facts.append(extra)
    facts = _drop_back_references(_merge_title(title_facts, body_facts))
    persons = tuple(Person(name, role) for name, role in roles.items())
    return FactsResult(tuple(facts), _regions(contexts, title, body), persons)
