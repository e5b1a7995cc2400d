"""The demo site's sources (TOML articles, generated articles, URL scheme) and their gold."""

from __future__ import annotations

import json
import random
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, overload

DEMO_DIR = Path(__file__).with_name("demo_site")
MINSK = timezone(timedelta(hours=3))
PAGE_SIZE = 10
SECTIONS = ("ru", "be", "en")
GEN_BASE = 10000  # first id of generated articles


@dataclass(frozen=True)
class Attachment:
    """A file linked under an article's body."""

    href: str
    title: str


@dataclass(frozen=True)
class Article:
    """One article of a demo site, as written in ``articles/<id>.toml``."""

    site: str
    id: int
    section: str
    lang: str
    published: datetime
    title: str
    states: tuple[int, ...] = (1, 2)
    special: str = ""
    body: str = ""
    body_state2: str = ""
    attachments: tuple[Attachment, ...] = ()
    gold: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    gold_state2: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    copy_of: tuple[str, ...] = ()  # "site:id" of the stories this article republishes or rewrites
    same_event: tuple[str, ...] = ()  # "site:id" of other stories about the same event, same day


@dataclass
class Site:
    """A demo site: chrome settings and articles (or a count of generated ones)."""

    name: str
    title: str
    template: str
    menu: tuple[tuple[str, str], ...] = ()
    address: str = "220050, г. Минск, пр-т Независимости, 10"
    phone: str = "+375 17 200-00-00"
    articles: dict[int, Article] = field(default_factory=dict)
    generated: int = 0
    feed: str = ""  # "rss" | "atom" | "": the news feed it serves (corpus/_demo_feeds.py)
    feed_path: str = ""  # where the feed is served
    feed_linked: bool = False  # pages name the feed in <link rel="alternate">
    sitemap_index: bool = False  # /sitemap.xml is an index of per-section (gzipped) sitemaps
    _lists: dict[tuple[str, int], Sequence[Article]] = field(default_factory=dict, repr=False)

    def article(self, aid: int) -> Article | None:
        """The article with this id, whatever its states."""
        if self.generated:
            ok = GEN_BASE <= aid < GEN_BASE + self.generated
            return generated_article(self.name, aid) if ok else None
        return self.articles.get(aid)

    def listed(self, section: str, state: int) -> Sequence[Article]:
        """Articles of a section the listings link in ``state``, newest first ("feed_only"
        articles are online but only the feed and the sitemap name them)."""
        key = (section, state)
        if key not in self._lists:
            if self.generated:
                self._lists[key] = _GenList(self.name, self.generated if section == "ru" else 0)
            else:
                arts = self.announced(section, state)
                self._lists[key] = [a for a in arts if a.special != "feed_only"]
        return self._lists[key]

    def announced(self, section: str, state: int) -> Sequence[Article]:
        """Articles of a section online in ``state`` (what the sitemap and the feed name), newest
        first."""
        if self.generated:
            return self.listed(section, state)
        arts = [a for a in self.articles.values() if a.section == section and state in a.states]
        return sorted(arts, key=lambda a: (a.published, a.id), reverse=True)

    def latest(self, section: str, exclude: int = 0) -> list[Article]:
        """Sidebar news: the newest articles online in both states (same in both)."""
        key = (section, 0)  # state 0: the sidebar pool
        if key not in self._lists:
            self._lists[key] = [a for a in self.listed(section, 1)[:12] if 2 in a.states][:6]
        return [a for a in self._lists[key] if a.id != exclude][:5]

    @property
    def sections(self) -> tuple[str, ...]:
        """URL sections that hold articles."""
        found = {a.section for a in self.articles.values()} if not self.generated else {"ru"}
        return tuple(s for s in SECTIONS if s in found) or ("ru",)

    @property
    def changed_at(self) -> datetime:
        """When state 2's change happened: a day after the newest article."""
        newest = max((a.published for a in self.articles.values()), default=None)
        return (newest or datetime(2024, 1, 1, tzinfo=MINSK)) + timedelta(days=1)


def _parse_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=MINSK, second=0, microsecond=0)
    text = str(value).strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=MINSK, second=0)
        except ValueError:
            continue
    raise ValueError(f"bad published time {value!r}")


def load_article(site: str, path: Path) -> Article:
    """Read one ``articles/<id>.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        atts = tuple(
            Attachment(str(a["href"]), str(a["title"])) for a in data.get("attachments", [])
        )
        return Article(
            site=site,
            id=int(data.get("id", path.stem)),
            section=str(data.get("section", "ru")),
            lang=str(data.get("lang", "ru")),
            published=_parse_time(data["published"]),
            title=" ".join(str(data["title"]).split()),
            states=tuple(int(s) for s in data.get("states", [1, 2])),
            special=str(data.get("special", "")),
            body=str(data["body"]),
            body_state2=str(data.get("body_state2", "")),
            attachments=atts,
            gold=dict(data.get("gold", {})),
            gold_state2=data.get("gold_state2"),
            copy_of=tuple(str(k) for k in data.get("copy_of", [])),
            same_event=tuple(str(k) for k in data.get("same_event", [])),
        )
    except (KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _menu_item(item: object) -> tuple[str, str]:
    if isinstance(item, dict):
        return str(item.get("title", item.get("name", ""))), str(item.get("href", item.get("url")))
    if isinstance(item, list | tuple) and len(item) >= 2:
        return str(item[0]), str(item[1])
    return str(item), "#"


def load_sites(root: Path | None = None) -> dict[str, Site]:
    """Read every ``sites/<name>/`` folder holding articles into a ``Site``, by name."""
    root = root or DEMO_DIR / "sites"
    sites: dict[str, Site] = {}
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        arts = [load_article(folder.name, p) for p in sorted(folder.glob("articles/*.toml"))]
        if not arts:
            continue
        conf: dict[str, Any] = {}
        if (folder / "site.toml").is_file():
            conf = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        template = str(conf.get("template", "mpt"))
        site = Site(
            str(conf.get("name", folder.name)), str(conf.get("title", folder.name)), template
        )
        site.name = folder.name
        site.menu = tuple(_menu_item(m) for m in conf.get("menu", []))
        if template == "agency":
            site.address, site.phone = "220030, г. Минск, ул. Кирова, 8", "+375 17 300-10-10"
        if template == "oblast":
            site.address, site.phone = "210010, г. Витебск, ул. Гоголя, 6", "+375 212 42-63-00"
        site.address = str(conf.get("address", site.address))
        site.phone = str(conf.get("phone", site.phone))
        site.feed, site.feed_path = str(conf.get("feed", "")), str(conf.get("feed_path", ""))
        site.feed_linked = bool(conf.get("feed_linked", False))
        site.sitemap_index = bool(conf.get("sitemap_index", False))
        site.articles = {a.id: a for a in arts}
        sites[site.name] = site
    return sites


# --- generated articles -----------------------------------------------------------------------

_G_REG = (
    ("Курской области", "Курская"), ("Брянской области", "Брянская"),
    ("Смоленской области", "Смоленская"), ("Псковской области", "Псковская"),
    ("Калужской области", "Калужская"), ("Нижегородской области", "Нижегородская"),
    ("Свердловской области", "Свердловская"), ("Республики Татарстан", "Татарстанская"),
)  # fmt: skip
_G_OBL = ("Гомельской", "Могилевской", "Витебской", "Брестской", "Гродненской", "Минской")
_G_TOPIC = (
    "промышленной кооперации", "поставок сельскохозяйственной техники", "цифровой трансформации",
    "развития связи", "образовательных программ", "туристических маршрутов", "жилищного строительства",
    "энергосбережения", "выставочной деятельности", "здравоохранения", "логистики",
)  # fmt: skip
_G_TITLE = (
    "Делегация {reg} посетила предприятия {obl} области",
    "Обсуждены вопросы {topic} с представителями {reg}",
    "{Obl} область и регионы России: перспективы {topic}",
    "Состоялось заседание рабочей группы по вопросам {topic}",
)
_G_SENT = (
    "Делегация {reg} посетила ведущие предприятия {obl} области.",
    "Стороны обсудили вопросы {topic} и подготовку совместных проектов на ближайшие годы.",
    "Участники встречи отметили, что объем взаимной торговли за {year} год вырос на {pct} процента.",
    "Рабочая группа рассмотрела {num} предложений по расширению {topic}.",
    "Особое внимание было уделено вопросам {topic} и подготовке кадров.",
    "Представители {obl} области предложили провести следующую встречу в рамках Форума регионов.",
    "Руководство {reg} выразило заинтересованность в продолжении взаимовыгодного сотрудничества.",
    "На площадке министерства прошло совещание с участием руководителей отраслевых организаций.",
    "Специалисты отметили высокий потенциал взаимодействия в сфере {topic}.",
    "Предприятия {obl} области готовы увеличить поставки продукции партнерам из {reg}.",
    "Ранее стороны договорились о сотрудничестве в сфере {topic}.",
    "Программа визита включала посещение учреждений образования и производственных площадок.",
    "По итогам встречи стороны условились подготовить дорожную карту по направлению {topic}.",
    "Как подчеркнули участники, результаты совместной работы за {year} год оцениваются высоко.",
    "Следующее заседание запланировано на осень {year2} года.",
)


def generated_article(site: str, aid: int, with_body: bool = True) -> Article:
    """Synthetic article ``aid`` (>= GEN_BASE), deterministic from its number."""
    i = aid - GEN_BASE
    rng = random.Random(f"{site}:{i}")
    published = datetime(2021, 1, 1, 9, 0, tzinfo=MINSK) + timedelta(
        hours=5 * i, minutes=i * 17 % 60
    )
    slot = {"reg": rng.choice(_G_REG)[0], "obl": rng.choice(_G_OBL), "topic": rng.choice(_G_TOPIC)}
    slot["Obl"] = slot["obl"][:-2] + "ая"
    title = rng.choice(_G_TITLE).format(**slot)
    sents: list[str] = []
    words, target = 0, rng.randint(200, 380) if with_body else 0
    while words < target:
        slot.update(reg=rng.choice(_G_REG)[0], obl=rng.choice(_G_OBL), topic=rng.choice(_G_TOPIC))
        year = published.year - rng.randint(0, 2)
        nums = {
            "year": year,
            "year2": year + 1,
            "pct": rng.randint(3, 40),
            "num": rng.randint(5, 30),
        }
        sents.append(rng.choice(_G_SENT).format(**slot, **nums))
        words += len(sents[-1].split())
    paras, k = [], 0
    while k < len(sents):
        n = rng.randint(3, 6)
        paras.append(" ".join(sents[k : k + n]))
        k += n
    return Article(site, aid, "ru", "ru", published, title, body="\n\n".join(paras))


class _GenList(Sequence[Article]):
    """Generated articles, newest first, produced on access."""

    def __init__(self, site: str, count: int) -> None:
        self.site, self._n = site, count

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | Sequence[Article]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(self._n))]
        k = index + self._n if index < 0 else index
        if not 0 <= k < self._n:
            raise IndexError(index)
        return generated_article(self.site, GEN_BASE + self._n - 1 - k)


def generated_site(count: int, name: str = "generated") -> Site:
    """A site of ``count`` synthetic articles (template "mpt"), rendered on request."""
    return Site(name, "Новости регионального сотрудничества", "mpt", generated=count)


# --- URLs and text ----------------------------------------------------------------------------


def canonical_path(site: Site, art: Article) -> str:
    """The article's canonical path."""
    if site.template == "agency":
        return f"/news/{art.published:%Y/%m/%d}/{art.id}.html"
    if site.template == "oblast":
        return f"/{art.section}/novosti/{art.published:%Y}/{art.id}/"
    return f"/{art.section}/news/{art.published:%d-%m-%Y}-{art.id}"


def alias_paths(site: Site, art: Article) -> list[str]:
    """Other paths serving the same article (with a canonical link)."""
    if site.template == "agency":
        return [f"/a/{art.id}"]
    if site.template == "oblast":
        return [f"/{art.section}/novosti/detail.php?ID={art.id}"]
    return [f"/{art.section}/node/{art.id}"]


def print_path(site: Site, art: Article) -> str:
    """The print version's path (disallowed in robots.txt)."""
    if site.template == "agency":
        return f"/print/{art.id}"
    if site.template == "oblast":
        return f"/{art.section}/novosti/print.php?ID={art.id}"
    return f"/{art.section}/print/{art.id}"


def listing_path(site: Site, section: str, page: int = 0) -> str:
    """Listing page ``page`` (0-based) of a section."""
    if site.template == "agency":
        return "/news/" + (f"?page={page + 1}" if page else "")
    if site.template == "oblast":
        return f"/{section}/novosti/" + (f"?PAGEN_1={page + 1}" if page else "")
    return f"/{section}/news" + (f"?page={page}" if page else "")


def link_path(site: Site, art: Article) -> str:
    """How listings link an article: mpt uses the node alias for every third id."""
    if site.template == "mpt" and art.id % 3 == 0:
        return alias_paths(site, art)[0]
    return canonical_path(site, art)


def blocks(body: str) -> list[tuple[str, list[str]]]:
    """Body blocks: ("p", [text]) per paragraph (lines joined), ("ul", items) per "- " run."""
    out: list[tuple[str, list[str]]] = []
    for chunk in body.strip().split("\n\n"):
        prev = ""
        for line in (ln.strip() for ln in chunk.splitlines()):
            kind = "ul" if line.startswith("- ") else "p" if line else ""
            text = line[2:].strip() if kind == "ul" else line
            if kind and kind == prev == "ul":
                out[-1][1].append(text)
            elif kind and kind == prev == "p":
                out[-1][1][0] += " " + text
            elif kind:
                out.append((kind, [text]))
            prev = kind
    return out


def body_text(body: str) -> str:
    """Plain body text, one paragraph or list item per line."""
    return "\n".join(item for _, items in blocks(body) for item in items)


def body_for(art: Article, state: int) -> str:
    """The body shown in ``state``."""
    return art.body_state2 if state == 2 and art.body_state2 else art.body


def modified_at(site: Site, art: Article, state: int) -> datetime:
    """Last-Modified of the article page: publication, or the change in state 2."""
    return site.changed_at if state == 2 and art.body_state2 else art.published


# --- gold -------------------------------------------------------------------------------------

FACT_TYPES = ("agreement_count", "trade_change", "partner_count", "signed_document", "person_role")
GOLD_PATH = DEMO_DIR / "gold.json"


def load_queries(path: Path | None = None) -> list[dict[str, Any]]:
    """Gold search queries from ``queries.toml`` (empty when the file does not exist)."""
    path = path or DEMO_DIR / "queries.toml"
    if not path.is_file():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        {
            "q": str(q["q"]),
            "expect": [str(e) for e in q.get("expect", [])],
            "note": q.get("note", ""),
        }
        for q in data.get("query", [])
    ]


def _gold_part(gold: dict[str, Any]) -> dict[str, Any]:
    return {
        "regions": list(gold.get("regions", [])),
        "persons": list(gold.get("persons", [])),
        "facts": list(gold.get("facts", [])),
    }


def gold_record(site: Site, art: Article) -> dict[str, Any]:
    """What a perfect crawler and reader get from one article."""
    rec: dict[str, Any] = {
        "site": site.name,
        "id": art.id,
        "canonical": canonical_path(site, art),
        "aliases": alias_paths(site, art),
        "print": print_path(site, art),
        "title": art.title,
        "published": art.published.strftime("%Y-%m-%dT%H:%M"),
        "lang": art.lang,
        "section": art.section,
        "states": list(art.states),
        "special": art.special,
        **_gold_part(art.gold),
    }
    if art.body_state2 or art.gold_state2 is not None:
        rec["gold_state2"] = _gold_part(art.gold_state2 or {})
    return rec


def build_gold(root: Path | None = None) -> dict[str, Any]:
    """The gold standard: every article (key "site:id"), the gold queries, the cluster pairs."""
    from corpus._demo_pairs import cluster_pairs

    root = root or DEMO_DIR
    articles: dict[str, Any] = {}
    sites = load_sites(root / "sites")
    for site in sites.values():
        for art in sorted(site.articles.values(), key=lambda a: a.id):
            articles[f"{site.name}:{art.id}"] = gold_record(site, art)
    from corpus._demo_files import attachment_gold

    return {
        "articles": articles,
        "queries": load_queries(root / "queries.toml"),
        "attachments": attachment_gold(),
        "clusters": cluster_pairs(sites),
    }


def gold_json(gold: dict[str, Any]) -> str:
    """The text of ``gold.json``."""
    return json.dumps(gold, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``gold.json`` (or the path given as the only argument)."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else GOLD_PATH
    gold = build_gold()
    path.write_text(gold_json(gold), encoding="utf-8")
    pairs = gold["clusters"]["pairs"]
    same = sum(1 for p in pairs if p["same"])
    print(
        f"{path}: {len(gold['articles'])} articles, {len(gold['queries'])} queries, "
        f"{same} same-story and {len(pairs) - same} different-story pairs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
