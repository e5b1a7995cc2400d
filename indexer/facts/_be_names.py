"""Belarusian role heads and person names in oblique cases, put in the nominative.

pymorphy3 has no Belarusian dictionary, so the case comes from the role head's ending (a table of
forms, data below) and the name is declined back by ending rules in that case:
"з губернатарам Смаленскай вобласці Васілём Анохіным" -> губернатар, Васіль Анохін;
"старшыні Магілёўскага аблвыканкама Наталлі Качанавай" -> старшыня, Наталля Качанава.

>>> nominative_name("Васілём", "Анохіным", "ablt")
'Васіль Анохін'
>>> nominative_name("Наталлі", "Качанавай", "gent")
'Наталля Качанава'
>>> nominative_name("Аляксандра", "Лукашэнкі", "gent")
'Аляксандр Лукашэнка'
>>> nominative_name("Паўла", "Навіцкага", "gent")
'Павел Навіцкі'

A first name with an irregular stem ("Паўла" -> Павел, "Пятра" -> Пётр, "Льва" -> Леў) is read
through ``IRREGULAR_FIRST``; a first name of ``FIRST_NAMES`` lets an adjectival surname
("Мінскага", "Навіцкі", "Мінскай") be a surname rather than a place ("Мінскага аблвыканкама").
"""

from __future__ import annotations

__all__ = [
    "FIRST_NAMES",
    "IRREGULAR_FIRST",
    "MODIFIER_FORMS",
    "ROLE_FORMS",
    "is_first_name",
    "nominative_name",
]

# head (nominative) -> (stem, instrumental ending): genitive/accusative stem + "а", dative and
# locative stem + "у", instrumental stem + ending ("губернатарам", "кіраўніком", "паслом").
_HEADS = {
    "губернатар": ("губернатар", "ам"),
    "віцэ-губернатар": ("віцэ-губернатар", "ам"),
    "міністр": ("міністр", "ам"),
    "намеснік": ("намеснік", "ам"),
    "кіраўнік": ("кіраўнік", "ом"),
    "дырэктар": ("дырэктар", "ам"),
    "начальнік": ("начальнік", "ам"),
    "мэр": ("мэр", "ам"),
    "пасол": ("пасл", "ом"),
    "сакратар": ("сакратар", "ом"),
    "прэм'ер-міністр": ("прэм'ер-міністр", "ам"),
    "прэм’ер-міністр": ("прэм’ер-міністр", "ам"),
    "віцэ-прэм'ер": ("віцэ-прэм'ер", "ам"),
    "віцэ-прэм’ер": ("віцэ-прэм’ер", "ам"),
}
_GENT = frozenset({"gent", "accs"})
_DATV = frozenset({"datv", "loct"})
_ABLT = frozenset({"ablt"})


def _forms() -> dict[str, tuple[str, frozenset[str]]]:
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for head, (stem, ablt) in _HEADS.items():
        out[stem + "а"] = (head, _GENT)
        out[stem + "у"] = (head, _DATV)
        out[stem + ablt] = (head, _ABLT)
    out.update(
        {
            "старшыні": ("старшыня", _GENT | _DATV),
            "старшыню": ("старшыня", frozenset({"accs"})),
            "старшынёй": ("старшыня", _ABLT),
        }
    )
    return out


# oblique role head -> (nominative, the cases it may be in)
ROLE_FORMS = _forms()
# oblique modifier -> nominative ("першага намесніка" -> "першы намеснік")
MODIFIER_FORMS = {
    f"{stem}{end}": f"{stem}ы"
    for stem in ("перш", "генеральн", "дзяржаўн")
    for end in ("ага", "аму", "ым", "ы")
}

# Ending rules, longest first: (oblique ending, nominative ending). Masculine first names, then
# masculine surnames, then feminine ones; the case picks the table.
_MASC_FIRST = {
    "gent": (("ыя", "ый"), ("ія", "ій"), ("эя", "эй"), ("ея", "ей"), ("ая", "ай"), ("ля", "ль"),
             ("а", "")),
    "datv": (("ыю", "ый"), ("ію", "ій"), ("эю", "эй"), ("аю", "ай"), ("лю", "ль"), ("у", "")),
    "ablt": (("ыем", "ый"), ("іем", "ій"), ("эем", "эй"), ("аем", "ай"), ("лём", "ль"),
             ("лем", "ль"), ("ам", ""), ("ом", "")),
}  # fmt: skip
_MASC_SURNAME = {
    "gent": (("скага", "скі"), ("цкага", "цкі"), ("ава", "аў"), ("ова", "оў"), ("ева", "еў"),
             ("ёва", "ёў"), ("эва", "эў"), ("нкі", "нка"), ("а", "")),
    "datv": (("скаму", "скі"), ("цкаму", "цкі"), ("аву", "аў"), ("ову", "оў"), ("еву", "еў"),
             ("ёву", "ёў"), ("нку", "нка"), ("у", "")),
    "ablt": (("скім", "скі"), ("цкім", "цкі"), ("авым", "аў"), ("овым", "оў"), ("евым", "еў"),
             ("ёвым", "ёў"), ("ыным", "ын"), ("іным", "ін"), ("нкам", "нка"), ("ам", ""),
             ("ом", "")),
}  # fmt: skip
_FEMN_FIRST = {
    "gent": (("гі", "га"), ("кі", "ка"), ("хі", "ха"), ("ы", "а"), ("і", "я")),
    "datv": (("гі", "га"), ("кі", "ка"), ("хі", "ха"), ("е", "а"), ("і", "я")),
    "ablt": (("ай", "а"), ("яй", "я"), ("ёй", "я")),
    "accs": (("у", "а"), ("ю", "я")),
}
_FEMN_SURNAME = {
    "gent": (("скай", "ская"), ("цкай", "цкая"), ("ай", "а")),
    "accs": (("скую", "ская"), ("цкую", "цкая"), ("у", "а")),
}
_FEMN_SURNAME["datv"] = _FEMN_SURNAME["ablt"] = _FEMN_SURNAME["gent"]
_CONSONANT_END = "бвгджзклмнпрстфхцчшўй'’ь"


# Belarusian first names in the nominative (officials' names on regional and ministry pages)
FIRST_NAMES = frozenset(
    """
    аляксандр аляксей анатоль андрэй антон арцём аркадзь барыс вадзім валерый васіль віктар
    віталь уладзімір уладзіслаў вячаслаў генадзь георгій глеб рыгор дзмітрый дзяніс яўген
    іван ігар ілья канстанцін кірыла леанід леў максім мікалай міхаіл мікіта алег павел пётр
    раман руслан сяргей сямён станіслаў сцяпан фёдар юрый якаў эдуард яраслаў іосіф ігнат
    лявон тарас зміцер адам валянцін ягор
    аксана алена алеся алла анастасія ганна антаніна валянціна вера вольга галіна дар'я дар’я
    кацярына ірына ларыса людміла любоў марына марыя надзея наталля ніна святлана таццяна
    юлія яўгенія жанна зоя інна інэса лідзія раіса тамара маргарыта аляксандра вікторыя яна
    """.split()
)
# first names whose stem changes in the oblique cases: form -> (nominative, its cases)
IRREGULAR_FIRST: dict[str, tuple[str, frozenset[str]]] = {
    "паўла": ("Павел", _GENT),
    "паўлу": ("Павел", _DATV),
    "паўлам": ("Павел", _ABLT),
    "пятра": ("Пётр", _GENT),
    "пятру": ("Пётр", _DATV),
    "пятром": ("Пётр", _ABLT),
    "льва": ("Леў", _GENT),
    "льву": ("Леў", _DATV),
    "львом": ("Леў", _ABLT),
    "якава": ("Якаў", _GENT),
    "якаву": ("Якаў", _DATV),
    "якавам": ("Якаў", _ABLT),
    "змітра": ("Зміцер", _GENT),
    "змітру": ("Зміцер", _DATV),
    "змітром": ("Зміцер", _ABLT),
    "іллі": ("Ілья", _GENT | _DATV),
    "іллю": ("Ілья", frozenset({"accs"})),
    "ільёй": ("Ілья", _ABLT),
    "іллёй": ("Ілья", _ABLT),
    "кірылы": ("Кірыла", _GENT - {"accs"}),
    "кірылу": ("Кірыла", _DATV | {"accs"}),
    "кірылам": ("Кірыла", _ABLT),
    "мікіты": ("Мікіта", _GENT - {"accs"}),
    "мікіце": ("Мікіта", _DATV),
    "мікіту": ("Мікіта", frozenset({"accs"})),
    "мікітам": ("Мікіта", _ABLT),
    "любові": ("Любоў", _GENT | _DATV),
    "любоўю": ("Любоў", _ABLT),
}


def is_first_name(word: str) -> bool:
    """``word`` is a first name of ``FIRST_NAMES`` in some case ("Паўла", "Ганны", "Васілём").

    >>> is_first_name("Паўлам"), is_first_name("Ганны"), is_first_name("Мінскага")
    (True, True, False)
    """
    low = word.lower()
    if low in FIRST_NAMES or low in IRREGULAR_FIRST:
        return True
    tables = (*_MASC_FIRST.values(), *_FEMN_FIRST.values())
    return any(_strip(low, rules, True) in FIRST_NAMES for rules in tables)


def _first(word: str, case: str, rules: tuple[tuple[str, str], ...], consonant: bool) -> str:
    irregular = IRREGULAR_FIRST.get(word.lower())
    if irregular is not None:
        return irregular[0] if case in irregular[1] else word
    return _strip(word, rules, consonant)


def _strip(word: str, rules: tuple[tuple[str, str], ...], consonant: bool) -> str:
    """``word`` with the first matching ending replaced; a bare vowel ending ("а", "у", "ам")
    is dropped only after a consonant ("Івана" -> "Іван")."""
    low = word.lower()
    for end, nom in rules:
        if low.endswith(end) and len(low) > len(end) + 1:
            stem = word[: len(word) - len(end)]
            if consonant and not nom and stem[-1].lower() not in _CONSONANT_END:
                continue
            return stem + nom
    return word


def _case_key(cases: str) -> str:
    return "gent" if cases in ("gent", "accs") else "datv" if cases in ("datv", "loct") else cases


def nominative_name(first: str, surname: str, case: str) -> str:
    """A Belarusian "Імя Прозвішча" in ``case`` (a pymorphy3 case name) in the nominative; the
    name as written for the nominative or a form the rules do not know."""
    if case == "nomn":
        return f"{first} {surname}"
    low = surname.lower()
    femn = low.endswith(("ай", "ую")) or case == "ablt" and first.lower().endswith(("ай", "яй"))
    femn = femn or case == "accs" and first.lower().endswith(("у", "ю")) and low.endswith("у")
    if femn:
        key = "accs" if case == "accs" else _case_key(case)
        return (
            f"{_first(first, case, _FEMN_FIRST.get(key, ()), False)} "
            f"{_strip(surname, _FEMN_SURNAME.get(key, ()), False)}"
        )
    key = _case_key(case)
    key = "gent" if key == "accs" else key
    return (
        f"{_first(first, case, _MASC_FIRST.get(key, ()), True)} "
        f"{_strip(surname, _MASC_SURNAME.get(key, ()), True)}"
    )
