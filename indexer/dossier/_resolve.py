"""A region name in any form -> the gazetteer's nominative name (``indexer.facts.find_regions``).

"Курская обл.", "курской", "Курской области", "Курская" all resolve to "Курская область"; an
adjective alone is tried with the nouns a region name can have (область, край, республика).
"""

from __future__ import annotations

from core.errors import QueryError

__all__ = ["resolve_region"]

_FRAMES = ("{}", "{} области", "{} область", "{} края", "{} край", "Республика {}", "в {}")


def resolve_region(name: str) -> str:
    """The nominative name of the region ``name`` means; ``QueryError`` when none or several.

    >>> resolve_region("курской"), resolve_region("Курская обл.")
    ('Курская область', 'Курская область')
    """
    from indexer.facts import find_regions

    text = " ".join(name.split())
    if not text:
        raise QueryError("give a region name, e.g. «Курская область»")
    for frame in _FRAMES:
        found = tuple(dict.fromkeys(find_regions(frame.format(text))))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise QueryError(f"«{text}» names several regions: {', '.join(found)}")
    raise QueryError(f"no region called «{text}» in the gazetteer (e.g. «Курская область»)")
