"""person_role from verbs of taking a post, in one clause, in any order:

- ``became_role``: a role in the instrumental with "стать", "назначить", "избрать", "являться",
  ... ("капитаном стал Михаель Баллак", "Иван Петров назначен министром экономики", "назвал Йенса
  Лемана первым вратарём"): the person is the subject, or the object of an active "назначил",
  "избрали" (accusative);
- ``post_role``: "пост"/"должность" + a role in the genitive with "занять", "назначить",
  "покинуть", ... ("Владимир Путин согласился занять пост премьер-министра").
"""

from __future__ import annotations

from indexer.facts._context import Context
from indexer.facts._name_runs import name_in_run, run_end
from indexer.facts._person_lexicon import BECOME_VERBS, OBJECT_VERBS, POST_NOUNS, POST_VERBS
from indexer.facts._persons import (
    NOMINATIVE,
    PersonRole,
    bare_profession,
    is_role_head,
    role_after,
)

__all__ = ["verb_roles"]

_ACCUSATIVE = frozenset({"accs"})
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?", "—", "–", "(", ")"})
_VERB_TAGS = ("VERB", "INFN", "PRTS", "GRND", "PRTF")
_TRIGGERS = BECOME_VERBS | POST_VERBS


def _clause(ctx: Context, v: int) -> tuple[int, int]:
    """Token span [start, stop) of the clause around token ``v``."""
    tokens = ctx.tokens
    start = v
    while start > 0 and tokens[start - 1].text not in _CLAUSE_END:
        start -= 1
    stop = v + 1
    while stop < len(tokens) and tokens[stop].text not in _CLAUSE_END:
        stop += 1
    return start, stop


def _person_case(ctx: Context, v: int) -> frozenset[str]:
    """Nominative for "стал", "назначен", "назначается"; accusative for "назначил Петрова"."""
    tok = ctx.tokens[v]
    active = any("VERB" in p.tag or "INFN" in p.tag for p in tok.parses)
    passive = tok.has("PRTS") or tok.low.endswith(("ся", "сь"))
    if tok.lemma_is(*OBJECT_VERBS) and active and not passive:
        return _ACCUSATIVE
    return NOMINATIVE


def _name(
    ctx: Context, span: tuple[int, int], skip: range, cases: frozenset[str]
) -> tuple[str, int, int] | None:
    """The first name of the clause outside the role's tokens, in ``cases``."""
    tokens = ctx.tokens
    k = span[0]
    while k < span[1]:
        tok = tokens[k]
        if k in skip or tok.kind != "word" or not tok.is_upper_initial:
            k += 1
            continue
        found = name_in_run(tokens, k, cases, ctx.place_tokens)
        if found is not None and found[0] not in skip:
            return found[1], found[0], found[2]
        k = max(run_end(tokens, k), k + 1)
    return None


def _role_head(ctx: Context, span: tuple[int, int], post: bool) -> int:
    """A role head of the clause: instrumental, or genitive right after "пост"/"должность"."""
    tokens = ctx.tokens
    for h in range(*span):
        if not is_role_head(tokens, h):
            continue
        if post and h >= 1 and tokens[h - 1].lemma_is(*POST_NOUNS) and tokens[h].has("gent"):
            return h
        if not post and tokens[h].has("NOUN", "ablt", "sing"):
            return h
    return -1


def verb_roles(ctx: Context, found: list[PersonRole]) -> list[PersonRole]:
    """Rules ``became_role`` and ``post_role`` of one sentence (persons not in ``found``)."""
    if ctx.lemma_set.isdisjoint(_TRIGGERS):
        return []
    tokens = ctx.tokens
    taken = {p.name for p in found}
    used = {j for p in found for j in range(p.first, p.last + 1)}
    out: list[PersonRole] = []
    for v, tok in enumerate(tokens):
        if tok.kind != "word" or tok.lemmas.isdisjoint(_TRIGGERS) or v in used:
            continue
        if not any(t in p.tag for p in tok.parses for t in _VERB_TAGS):
            continue
        span = _clause(ctx, v)
        for post, rule in ((False, "became_role"), (True, "post_role")):
            if tok.lemmas.isdisjoint(POST_VERBS if post else BECOME_VERBS):
                continue
            h = _role_head(ctx, span, post)
            if h < 0 or h in used:
                continue
            role, scan = role_after(ctx, h, NOMINATIVE)
            if bare_profession(ctx, h, scan):
                continue
            first = h - 1 if post else h
            name = _name(ctx, span, range(first, max(scan.end, h + 1)), _person_case(ctx, v))
            if name is None or name[0] in taken:
                continue
            taken.add(name[0])
            out.append(
                PersonRole(name[0], role, min(first, name[1]), max(scan.end - 1, name[2]), rule)
            )
            break
    return out
