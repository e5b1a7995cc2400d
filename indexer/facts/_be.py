"""Belarusian-language pages: regions, agreement counts, signed documents and person roles.

pymorphy3 has no Belarusian dictionary, so these rules read word forms through small lexicons of
stems (data below), on sentences split as for Russian:

1. ``be_document_count``: a number before a document noun ("45 пагадненняў", "3 пагадненні"),
   with "з N рэгіёнамі" after it as counterpart (and a ``be_partner_count`` row); in a sentence
   with a signing verb also a ``be_signed_count`` signed_document row ("падпісана 3 пагадненні").
2. ``be_partner_count``: "з 40 рэгіёнамі Расіі".
3. ``be_signed_document``: a document noun in a clause with a signing verb ("падпісалі пагадненне
   аб ...", "план мерапрыемстваў на 2024–2025 гады"), the name as written.
4. ``be_role_then_name``: a role head, its dependents, then "Імя Прозвішча" ("Старшыня
   Віцебскага аблвыканкама Аляксандр Субоцін"); a head in an oblique case gives the name's case
   and both are put in the nominative (``_be_names``: "з губернатарам Смаленскай вобласці
   Васілём Анохіным" -> губернатар Смаленскай вобласці, Васіль Анохін).

Planned or negated clauses ("плануецца падпісаць", "не падпісана") give no counts or documents.
Objects are the Russian dictionary forms (соглашение, регион) so facts of both languages filter
together; names and roles stay Belarusian (in the nominative).
"""

from __future__ import annotations

import re

from core.enums import FactType
from core.records import Fact
from indexer.facts._be_names import MODIFIER_FORMS, ROLE_FORMS, is_first_name, nominative_name
from indexer.facts._dates import find_dates
from indexer.facts._gazetteer import be_region_hits
from indexer.facts._sentences import split_sentences

__all__ = ["be_facts", "is_belarusian"]

_WORD = re.compile(r"[^\W\d_]+")
_BE_LETTERS = re.compile(r"[іўІЎ]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+(?:[-'’‑][^\W\d_]+)*|\S")

DOCUMENTS = (  # stem -> object
    ("пагадненн", "соглашение"),  # пагадненне, пагадненняў
    ("дагавор", "договор"),
    ("пратакол", "протокол"),
    ("мемарандум", "меморандум"),
    ("праграм", "программа"),
    ("кантракт", "контракт"),
    ("дакумент", "документ"),
    ("план", "план"),  # план, плана, планаў (not "планавы")
)
_SINGULAR = re.compile(
    r"^(?:пагадненне|дагавор|пратакол|мемарандум|праграму|праграма|кантракт|план)$"
)
PARTNERS = (
    ("рэгіён", "регион"),  # з 40 рэгіёнамі
    ("суб'ект", "субъект"),
    ("суб’ект", "субъект"),
    ("раён", "район"),
    ("горад", "город"),
    ("гарад", "город"),
    ("вобласц", "область"),
    ("абласц", "область"),
    ("муніцыпалітэт", "муниципалитет"),
)
NUMBERS = {
    "адно": 1, "адна": 1, "адзін": 1, "два": 2, "дзве": 2, "двух": 2, "тры": 3, "трох": 3,
    "чатыры": 4, "чатырох": 4, "пяць": 5, "пяці": 5, "шэсць": 6, "шасці": 6, "сем": 7,
    "сямі": 7, "восем": 8, "васьмі": 8, "дзевяць": 9, "дзевяці": 9, "дзесяць": 10, "дзесяці": 10,
}  # fmt: skip
SIGN_STEMS = ("падпіс", "заключ", "зацвердж", "зацвердзі", "парафір")
MODALITY_STEMS = ("плану", "заплан", "будзе", "будуць", "мяркуец", "намер", "прапануец",
                  "рыхтуец", "праект", "узгадн", "ўзгадн")  # fmt: skip
ROLE_HEADS = ("старшыня", "намеснік", "губернатар", "міністр", "кіраўнік", "дырэктар",
              "начальнік", "мэр", "пасол", "прэм'ер-міністр", "прэм’ер-міністр", "віцэ-прэм'ер",
              "старшыня", "сакратар")  # fmt: skip
_ROLE_MODIFIERS = ("першы", "генеральны", "дзяржаўны")
_NOT_NAME = re.compile(
    r"^(?:Рэспублік|Беларус|Расі|Расійск|Федэрацы|Міністэрств|Савет|Урад|Дзярж|Нацыянальн)"
)
_ADJ_END = re.compile(r"(?:ага|ай|ых|іх|скі|цкі|ая|ае|ую|ым|ім)$")


def is_belarusian(text: str) -> bool:
    """Belarusian letters (і, ў) in at least 3 % of the words."""
    if not _BE_LETTERS.search(text):
        return False
    words = _WORD.findall(text)
    marked = sum(1 for w in words if _BE_LETTERS.search(w))
    return bool(words) and marked >= max(2, 0.03 * len(words))


def _lookup(word: str, table: tuple[tuple[str, str], ...]) -> str:
    low = word.lower()
    if table is DOCUMENTS and low.startswith("план") and low.startswith(("планав", "планы р")):
        return ""
    return next((obj for stem, obj in table if low.startswith(stem)), "")


def _number(word: str) -> float | None:
    if word[0].isdigit():
        return float(word.replace(",", "."))
    return NUMBERS.get(word.lower())


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _irrealis(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    if any(w.startswith(MODALITY_STEMS) for w in low):
        return True
    return any(a == "не" and b.startswith(SIGN_STEMS) for a, b in zip(low, low[1:], strict=False))


class _Sentence:
    def __init__(self, text: str, start: int, stop: int, title: bool) -> None:
        self.text, self.start, self.stop, self.title = text, start, stop, title
        self.tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.words = [t[0] for t in self.tokens]
        self.irrealis = _irrealis(self.words)
        self.signed = any(w.lower().startswith(SIGN_STEMS) for w in self.words)

    def fact(self, fact_type: str, rule: str, **values: str) -> Fact:
        regions = tuple(dict.fromkeys(r for _, r in sorted(be_region_hits(self.text))))
        persons = values.pop("persons", "")
        return Fact(
            fact_type=FactType(fact_type), regions=regions, persons=(persons,) if persons else (),
            sentence=self.text, start=0 if self.title else self.start,
            stop=0 if self.title else self.stop, rule=rule, **values,
        )  # fmt: skip


def _counts(s: _Sentence) -> list[Fact]:
    out = []
    w = s.words
    for k, word in enumerate(w):
        value = _number(word)
        if value is None or k + 1 >= len(w):
            continue
        j = k + 1
        while j < len(w) - 1 and w[j][0].islower() and _ADJ_END.search(w[j].lower()):
            j += 1  # "3 новых пагадненні"
        doc, partner = _lookup(w[j], DOCUMENTS), _lookup(w[j], PARTNERS)
        if doc and not (k and w[k - 1] in "№#"):
            out.append(
                s.fact("agreement_count", "be_document_count", value=_fmt(value), object=doc)
            )
            if s.signed:  # "падпісана 12 дакументаў": the count is also a signed_document
                out.append(
                    s.fact("signed_document", "be_signed_count", value=_fmt(value), object=doc)
                )
        elif partner and k and w[k - 1].lower() in ("з", "са"):
            out.append(
                s.fact("partner_count", "be_partner_count", value=_fmt(value), object=partner)
            )
    return out


def _signed(s: _Sentence) -> list[Fact]:
    out = []
    w = s.words
    dates = find_dates(s.text)
    for k, word in enumerate(w):
        low = word.lower()
        doc = _lookup(word, DOCUMENTS)
        if low.startswith("дарожн") and k + 1 < len(w) and w[k + 1].lower().startswith("карт"):
            doc = "дорожная карта"
        elif not (doc and _SINGULAR.match(low)) or (k and _number(w[k - 1]) is not None):
            continue
        last = k
        while last + 1 < len(w) and (
            w[last + 1][0].isalpha() or w[last + 1][0].isdigit() or w[last + 1] in "–-"
        ):
            nxt = w[last + 1].lower()
            if nxt in ("і", "а", "ды") or nxt.startswith(SIGN_STEMS):
                break
            last += 1
        start, stop = s.tokens[k][1], s.tokens[last][2]
        date = next((d.iso for d in dates if start <= d.start < stop and d.kind != "day"), "")
        out.append(
            s.fact("signed_document", "be_signed_document", object=s.text[start:stop], date=date)
        )
    return out


def _adjective(word: str) -> bool:
    """A capitalized adjective of a place or body ("Віцебскага", "Смаленскай"), not a woman's
    surname ("Качанавай")."""
    low = word.lower()
    if low.endswith(_FEMN_SURNAME_ENDS):
        return False
    return low.endswith(("ага", "ай", "скі", "цкі"))


_FEMN_SURNAME_ENDS = ("авай", "овай", "евай", "ёвай", "інай", "ынай")
_CASE_ORDER = ("gent", "datv", "accs", "ablt", "loct")


def _head(word: str) -> tuple[str, frozenset[str]] | None:
    """A role head's nominative and its cases ("губернатарам" -> губернатар, {ablt})."""
    low = word.lower()
    if low in ROLE_HEADS:
        return low, frozenset({"nomn"})
    return ROLE_FORMS.get(low)


def _nominative(first: str, surname: str, cases: frozenset[str]) -> str:
    """The name in the nominative: the first of ``cases`` whose endings the name has."""
    if "nomn" in cases:
        return f"{first} {surname}"
    written = f"{first} {surname}"
    for case in _CASE_ORDER:
        if case in cases:
            name = nominative_name(first, surname, case)
            if name != written:
                return name
    return written


def _name_at(w: list[str], k: int) -> bool:
    if k + 1 >= len(w) or not (w[k][:1].isupper() and w[k + 1][:1].isupper()):
        return False
    pair = w[k : k + 2]
    if any(_NOT_NAME.match(x) or x.isupper() for x in pair):
        return False
    if (_adjective(pair[0]) or _adjective(pair[1])) and not is_first_name(pair[0]):
        return False  # "Мінскага аблвыканкама"; "Паўла Навіцкага", "Ганнай Мінскай" are names
    return all(x.isalpha() or "-" in x for x in pair)


def _roles(s: _Sentence) -> list[tuple[str, str, Fact]]:
    out = []
    w = s.words
    k = 0
    while k < len(w):
        head = _head(w[k])
        if head is None:
            k += 1
            continue
        modifier = w[k - 1].lower() if k else ""
        modifier = MODIFIER_FORMS.get(modifier, modifier)
        first = k - 1 if k and modifier in _ROLE_MODIFIERS else k
        j = k + 1
        while j < min(len(w), k + 10) and not _name_at(w, j) and w[j][0].isalpha():
            j += 1
        if not _name_at(w, j) or j == k + 1:
            k += 1
            continue
        words = ([modifier] if first < k else []) + [head[0]]
        role = " ".join(words) + s.text[s.tokens[k][2] : s.tokens[j - 1][2]]
        name = _nominative(w[j], w[j + 1], head[1])
        out.append(
            (name, role, s.fact("person_role", "be_role_then_name", object=role, persons=name))
        )
        k = j + 2
    return out


def be_facts(
    title: str, body: str
) -> tuple[tuple[Fact, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Facts, (person, role) pairs and regions of a Belarusian text."""
    hits = [(0, p, r) for p, r in be_region_hits(title)] + [
        (1, p, r) for p, r in be_region_hits(body)
    ]
    regions = tuple(dict.fromkeys(r for *_, r in sorted(hits)))
    sentences = [_Sentence(title, 0, len(title), True)] if title.strip() else []
    sentences += [_Sentence(x.text, x.start, x.stop, False) for x in split_sentences(body)]
    facts: list[Fact] = []
    persons: dict[str, str] = {}
    title_facts: list[Fact] = []
    for s in sentences:
        found = [f for *_, f in _roles(s)]
        for name, role, _ in _roles(s):
            persons.setdefault(name, role)
        if not s.irrealis:
            found += _counts(s)
            found += _signed(s) if s.signed else []
        (title_facts if s.title else facts).extend(found)
    seen = {(f.fact_type, f.value, f.object[:6], f.persons) for f in facts}
    facts = [
        f for f in title_facts if (f.fact_type, f.value, f.object[:6], f.persons) not in seen
    ] + facts
    return tuple(facts), tuple(persons.items()), regions
