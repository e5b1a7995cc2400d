"""Demo-site sources and their HTML: a Drupal-like ("mpt") and a Bitrix-like ("oblast") template."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

from corpus import _demo_text as _text

DEMO_DIR = Path(__file__).with_name("demo_site")
MINSK = timezone(timedelta(hours=3))
PAGE_SIZE = 10
SECTIONS = ("ru", "be", "en")
TEMPLATES = ("mpt", "oblast")
SPECIALS = ("", "cp1251", "broken_markup", "script_text", "attachment", "robots_target")


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
    states: tuple[int, ...]
    special: str
    body: str
    body_state2: str = ""
    attachments: tuple[Attachment, ...] = ()
    gold: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    gold_state2: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def in_state(self, state: int) -> bool:
        """Whether the article is online in the given site state."""
        return state in self.states

    @property
    def removed(self) -> bool:
        """Present in state 1, gone in state 2."""
        return 1 in self.states and 2 not in self.states


@dataclass
class Site:
    """A demo site: its chrome settings and articles (or a count of generated ones)."""

    name: str
    title: str
    template: str
    menu: tuple[tuple[str, str], ...] = ()
    address: str = "220030, г. Минск, пр-т Независимости, 10"
    phone: str = "+375 17 287-17-17"
    articles: dict[int, Article] = field(default_factory=dict)
    generated: int = 0
    _lists: dict[tuple[str, int], list[Article]] = field(default_factory=dict, repr=False)

    def article(self, aid: int) -> Article | None:
        """The article with this id, in any state."""
        if self.generated:
            return _text.generated_article(self.name, aid, self.generated, _new_article)
        return self.articles.get(aid)

    def listed(self, section: str, state: int) -> Sequence[Article]:
        """Articles of a section online in ``state``, newest first."""
        if self.generated:
            return _text.GeneratedList(self.name, self.generated, _new_article) if section == "ru" else []
        key = (section, state)
        if key not in self._lists:
            arts = [a for a in self.articles.values() if a.section == section and a.in_state(state)]
            self._lists[key] = sorted(arts, key=lambda a: (a.published, a.id), reverse=True)
        return self._lists[key]

    def latest(self, section: str, exclude: int = 0) -> list[Article]:
        """Sidebar news: the newest articles online in both states (stable across states)."""
        pool = [a for a in self.listed(section, 1)[:12] if a.in_state(2) and a.id != exclude]
        return pool[:5]

    @property
    def sections(self) -> tuple[str, ...]:
        """URL sections that hold articles."""
        if self.generated:
            return ("ru",)
        found = {a.section for a in self.articles.values()}
        return tuple(s for s in SECTIONS if s in found) or ("ru",)

    @property
    def changed_at(self) -> datetime:
        """When state 2's change happened: a day after the newest article."""
        dates = [a.published for a in self.articles.values()]
        return max(dates, default=datetime(2024, 1, 1, tzinfo=MINSK)) + timedelta(days=1)


def _new_article(**kw: Any) -> Article:
    return Article(**kw)


def _parse_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=MINSK)
    text = str(value).strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=MINSK)
        except ValueError:
            continue
    raise ValueError(f"bad published time {value!r}")


def _load_article(site: str, path: Path) -> Article:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        atts = tuple(Attachment(str(a["href"]), str(a["title"])) for a in data.get("attachments", []))
        return Article(
            site=site,
            id=int(data.get("id", path.stem)),
            section=str(data.get("section", "ru")),
            lang=str(data.get("lang", "ru")),
            published=_parse_time(data["published"]),
            title=str(data["title"]).strip(),
            states=tuple(int(s) for s in data.get("states", [1, 2])),
            special=str(data.get("special", "")),
            body=str(data["body"]),
            body_state2=str(data.get("body_state2", "")),
            attachments=atts,
            gold=dict(data.get("gold", {})),
            gold_state2=data.get("gold_state2"),
        )
    except (KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def load_sites(root: Path | None = None) -> dict[str, Site]:
    """Read every ``sites/<name>/`` folder into a ``Site``, sorted by name."""
    root = root or DEMO_DIR / "sites"
    sites: dict[str, Site] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        conf: dict[str, Any] = {}
        if (folder / "site.toml").is_file():
            conf = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        arts = [_load_article(folder.name, p) for p in sorted(folder.glob("articles/*.toml"))]
        if not arts:
            continue
        template = str(conf.get("template", arts[0].site if arts[0].site in TEMPLATES else "mpt"))
        menu = tuple(_menu_item(m) for m in conf.get("menu", []))
        site = Site(folder.name, str(conf.get("title", folder.name)), template, menu)
        site.address = str(conf.get("address", _text.ADDRESSES.get(template, site.address)))
        site.phone = str(conf.get("phone", _text.PHONES.get(template, site.phone)))
        site.articles = {a.id: a for a in arts}
        sites[site.name] = site
    return sites


def _menu_item(item: object) -> tuple[str, str]:
    if isinstance(item, dict):
        return str(item.get("title", "")), str(item.get("href", item.get("url", "#")))
    if isinstance(item, list | tuple) and len(item) >= 2:
        return str(item[0]), str(item[1])
    return str(item), "#"


def generated_site(count: int, name: str = "generated") -> Site:
    """A site of ``count`` synthetic articles (template "mpt"), rendered on request."""
    return Site(name, "Новости регионального сотрудничества", "mpt", generated=count)


# --- URLs -------------------------------------------------------------------------------------


def canonical_path(site: Site, art: Article) -> str:
    """The article's canonical path."""
    if site.template == "oblast":
        return f"/{art.section}/novosti/{art.published:%Y}/{art.id}/"
    return f"/{art.section}/news/{art.published:%d-%m-%Y}-{art.id}"


def alias_paths(site: Site, art: Article) -> list[str]:
    """Other paths serving the same article (with a canonical link)."""
    if site.template == "oblast":
        return [f"/{art.section}/novosti/detail.php?ID={art.id}"]
    return [f"/{art.section}/node/{art.id}"]


def print_path(site: Site, art: Article) -> str:
    """The print version's path (disallowed in robots.txt)."""
    if site.template == "oblast":
        return f"/{art.section}/novosti/print.php?ID={art.id}"
    return f"/{art.section}/print/{art.id}"


def listing_path(site: Site, section: str, page: int = 0) -> str:
    """Listing page ``page`` (0-based) of a section."""
    if site.template == "oblast":
        return f"/{section}/novosti/" + (f"?PAGEN_1={page + 1}" if page else "")
    return f"/{section}/news" + (f"?page={page}" if page else "")


def link_path(site: Site, art: Article) -> str:
    """How listings link the article: some by alias, most by canonical (deterministic)."""
    if site.template == "mpt" and art.id % 3 == 0:
        return alias_paths(site, art)[0]
    return canonical_path(site, art)


def robots_paths(site: Site) -> list[str]:
    """Disallowed path prefixes."""
    out: list[str] = []
    for sec in site.sections:
        out.append(f"/{sec}/novosti/print.php" if site.template == "oblast" else f"/{sec}/print/")
    out += ["/bitrix/", "/search/"] if site.template == "oblast" else ["/search", "/user/"]
    for art in site.articles.values():
        if art.special == "robots_target":
            out += [canonical_path(site, art), *alias_paths(site, art)]
    return out


# --- text -------------------------------------------------------------------------------------


def blocks(body: str) -> list[tuple[str, list[str]]]:
    """Body blocks: ("p", [text]) per paragraph, ("ul", items) per run of "- " lines."""
    out: list[tuple[str, list[str]]] = []
    for chunk in body.strip().split("\n\n"):
        para: list[str] = []
        for line in (ln.strip() for ln in chunk.splitlines()):
            if line.startswith("- "):
                if para:
                    out.append(("p", [" ".join(para)]))
                    para = []
                if out and out[-1][0] == "ul" and not para:
                    out[-1][1].append(line[2:].strip())
                else:
                    out.append(("ul", [line[2:].strip()]))
            elif line:
                para.append(line)
        if para:
            out.append(("p", [" ".join(para)]))
    return out


def body_text(body: str) -> str:
    """Plain body text, one block item per line (what an ideal extractor returns)."""
    return "\n".join(item for _, items in blocks(body) for item in items)


def body_for(art: Article, state: int) -> str:
    """The body shown in ``state``."""
    return art.body_state2 if state == 2 and art.body_state2 else art.body


def modified_at(site: Site, art: Article, state: int) -> datetime:
    """Last-Modified of the article page."""
    return site.changed_at if state == 2 and art.body_state2 else art.published


def date_words(d: datetime, lang: str = "ru") -> str:
    """ "9 января 2023" (or the Belarusian/English month)."""
    return f"{d.day} {_text.MONTHS.get(lang, _text.MONTHS['ru'])[d.month - 1]} {d.year}"


def body_html(body: str, broken: bool = False) -> str:
    """Paragraphs as <p>, "- " runs as <ul>; broken markup leaves tags unclosed."""
    out: list[str] = []
    for kind, items in blocks(body):
        if kind == "p":
            out.append(f"<p class=text>{escape(items[0])}\n" if broken else f"<p>{escape(items[0])}</p>")
        else:
            end = "\n" if broken else "</li>"
            out.append("<ul>" + "".join(f"<li>{escape(i)}{end}" for i in items) + "</ul>")
    return "\n".join(out)


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    """Render context: absolute bases and the site state."""

    base: str
    offsite: str
    state: int = 1


def render_article(site: Site, art: Article, ctx: Ctx, canonical: str = "") -> str:
    """The full article page (with chrome)."""
    from corpus import _demo_layout as lay

    return lay.article_page(site, art, ctx, canonical or canonical_path(site, art))


def render_print(site: Site, art: Article, ctx: Ctx) -> str:
    """The print version: bare title, date and body."""
    canon = ctx.base + canonical_path(site, art)
    return (
        f'<!DOCTYPE html>\n<html lang="{art.section}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="robots" content="noindex, nofollow">\n<link rel="canonical" href="{canon}">\n'
        f"<title>{escape(art.title)}</title>\n</head>\n<body onload=\"window.print()\">\n"
        f"<h1>{escape(art.title)}</h1>\n<p>{art.published:%d.%m.%Y %H:%M}</p>\n"
        f"{body_html(body_for(art, ctx.state))}\n<p>Источник: {escape(canon)}</p>\n</body>\n</html>\n"
    )
