"""vestnik's generic extractor against trafilatura and readability-lxml, side by side in one run.

    .venv/bin/python bench/bench_extract.py [--limit N] [--wcxb DIR]

Page sets:

- ``wcxb-dev``: the 711 article pages of the WCXB development split
  (``../shared/data/wcxb-dev-articles``, CC-BY-4.0; real pages, mostly English, many CMSs);
- ``ru-tuning`` / ``ru-held-out``: vestnik's own Russian pages in the shapes of seven CMSs
  (``bench/ru_pages``, made by ``bench/make_ru_pages.py``); every fifth page is held out of
  tuning and reported apart;
- ``demo``: the demo sites' gold articles, fetched from a local ``DemoServer`` (exact bodies);
- negative sets (pages that are not articles): ``ru-listings-tuning`` / ``ru-listings-held-out``,
  vestnik's own Russian listing pages (news lists, categories, "все новости", search results,
  portal front pages, tags; ``bench/ru_listings``, made by ``bench/make_ru_listings.py``, every
  fifth page held out), and ``demo-listings``, every listing page of the demo sites.

Per set and tool: token-level precision/recall/F1 as WCXB defines it (lower-cased ``\\w+``
tokens, bag-of-words overlap, averaged over pages), bodies that came back empty, exact title
(case, spacing, quote and dash forms folded), date (the day; over pages whose gold has one),
exact body (whitespace-folded), and CPU milliseconds per page of the extraction call alone
(process time: steady on a shared machine). vestnik runs with no site profile (generic mode);
"judged articles" is the share of article pages vestnik marks ``is_article`` (what a generic crawl
stores as documents), "judged listings" the share of negative pages it does not (peers have no
such call).
Results: bench/results/extract.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Result = tuple[str, str, str, bool | None]  # body, title, date, is_article (None: no such call)
Tool = Callable[[bytes, str], Result]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    raw: bytes
    body: str
    title: str
    date: str


@dataclass
class Score:
    n: int = 0
    p: float = 0.0
    r: float = 0.0
    f1: float = 0.0
    empty: int = 0
    titles: int = 0
    dated: int = 0
    dates: int = 0
    exact: int = 0
    articles: int = 0
    cpu: float = 0.0
    worst: list[tuple[float, str]] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def word_prf(predicted: str, reference: str) -> tuple[float, float, float]:
    """WCXB's word-level precision, recall and F1."""
    pred, ref = tokens(predicted), tokens(reference)
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((Counter(pred) & Counter(ref)).values())
    p, r = overlap / len(pred), overlap / len(ref)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fold_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'),
                 ("–", "-"), ("—", "-"), ("ё", "е")):  # fmt: skip
        text = text.replace(a, b)
    return " ".join(text.split())


def _fold(text: str) -> str:
    return " ".join(text.split())


def wcxb_pages(folder: Path, limit: int | None) -> list[Page]:
    if not (folder / "ground-truth").is_dir():
        raise SystemExit(f"WCXB data not found in {folder} (give --wcxb DIR)")
    pages = []
    for path in sorted((folder / "ground-truth").glob("*.json"))[:limit]:
        data = json.loads(path.read_text(encoding="utf-8"))
        gt = data["ground_truth"]
        raw = gzip.decompress((folder / "html" / f"{path.stem}.html.gz").read_bytes())
        pages.append(Page(path.stem, data["url"], raw, gt.get("main_content") or "",
                          gt.get("title") or "", gt.get("publish_date") or ""))  # fmt: skip
    return pages


def ru_pages(held_out: bool) -> list[Page]:
    folder = ROOT / "bench" / "ru_pages"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [
        Page(key, f"https://{g['cms']}.example.ru/news/{key}", (folder / f"{key}.html").read_bytes(),
             g["body"], g["title"], g["published"])
        for key, g in gold.items() if g["held_out"] == held_out
    ]  # fmt: skip


def ru_listings(held_out: bool) -> list[Page]:
    folder = ROOT / "bench" / "ru_listings"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [
        Page(key, f"https://{g['cms']}.example.ru/{g['kind']}/{key}",
             (folder / f"{key}.html").read_bytes(), "", "", "")
        for key, g in gold.items() if g["held_out"] == held_out
    ]  # fmt: skip


_DEMO_LISTINGS = {"mpt": ("/ru/news?page={}", "/be/news?page={}", "/en/news?page={}"),
                  "vitebsk": ("/ru/novosti/?PAGEN_1={}",), "agency": ("/news/?page={}",)}  # fmt: skip


def demo_listings() -> list[Page]:
    """Every listing page of the demo sites (pages numbered until the first that is not 200)."""
    import httpx

    from corpus._demo_server import DemoServer

    pages = []
    with DemoServer(state=1) as srv:
        for site, patterns in _DEMO_LISTINGS.items():
            for pattern in patterns:
                first = 0 if "/news?page" in pattern else 1
                for n in range(first, first + 100):
                    url = srv.base_url(site) + pattern.format(n)
                    reply = httpx.get(url)
                    if reply.status_code != 200:
                        break
                    pages.append(Page(url, url, reply.content, "", "", ""))
    return pages


_NEGATIVE = ("ru-listings-tuning", "ru-listings-held-out", "demo-listings")


def demo_pages() -> list[Page]:
    import httpx

    from corpus._demo_server import DemoServer
    from tests._crawl_helpers import GOLD, expected_body

    pages = []
    with DemoServer(state=1) as srv:
        for gold in GOLD.values():
            if 1 not in gold["states"] or gold["special"] == "robots_target":
                continue
            url = srv.base_url(str(gold["site"])) + str(gold["canonical"])
            raw = httpx.get(url).content
            body = expected_body(str(gold["site"]), int(gold["id"]))
            pages.append(Page(url, url, raw, body, gold["title"], gold["published"]))
    return pages


def vestnik(raw: bytes, url: str) -> Result:
    from crawler import extract_page

    page = extract_page(raw, url, "text/html")
    return page.body, page.title, page.published, page.is_article


def trafilatura_tool(raw: bytes, url: str) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
    if doc is None:
        return "", "", "", None
    return doc.text or "", doc.title or "", doc.date or "", None


def readability_tool(raw: bytes, url: str) -> Result:
    import lxml.html
    from readability import Document

    doc = Document(raw, url=url)
    summary = doc.summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return text, doc.short_title(), "", None  # readability-lxml reads no dates


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {"trafilatura": version("trafilatura"), "readability-lxml": version("readability-lxml")}


def score(tool: Tool, pages: list[Page]) -> Score:
    for page in pages[:3]:
        tool(page.raw, page.url)  # warm-up: imports, caches
    s = Score()
    for page in pages:
        started = time.process_time()
        body, title, date, article = tool(page.raw, page.url)
        s.cpu += time.process_time() - started
        s.articles += bool(article)
        p, r, f1 = word_prf(body, page.body)
        s.n += 1
        s.p, s.r, s.f1 = s.p + p, s.r + r, s.f1 + f1
        s.empty += not body.strip()
        s.titles += fold_title(title) == fold_title(page.title)
        s.exact += _fold(body) == _fold(page.body)
        if page.date:
            s.dated += 1
            s.dates += str(date)[:10] == page.date[:10]
        s.worst.append((f1, page.key))
    s.worst.sort()
    return s


def repeats_row(set_name: str, pages: list[Page], min_pages: int) -> str:
    """vestnik with and without the repeated-block table learned from the set's own pages
    (sites with at least ``min_pages`` pages only): F1 and exact bodies before and after."""
    from crawler import extract_page
    from crawler._repeats import learn_repeats, site_of

    per_site = Counter(site_of(p.url) for p in pages)
    group = [p for p in pages if per_site[site_of(p.url)] >= min_pages]
    bodies = [extract_page(p.raw, p.url, "text/html").body for p in group]
    table = learn_repeats(((p.url, b) for p, b in zip(group, bodies, strict=True)), min_pages)
    after = [table.strip(p.url, b) for p, b in zip(group, bodies, strict=True)]
    n = len(group) or 1
    f1 = [sum(word_prf(b, p.body)[2] for p, b in zip(group, x, strict=True)) / n
          for x in (bodies, after)]  # fmt: skip
    exact = [sum(_fold(b) == _fold(p.body) for p, b in zip(group, x, strict=True))
             for x in (bodies, after)]  # fmt: skip
    changed = sum(a != b for a, b in zip(bodies, after, strict=True))
    blocks = sum(len(r.blocks) for r in table.hosts.values())
    return (f"| {set_name} | {len(group)} | {len({site_of(p.url) for p in group})} | {min_pages} "
            f"| {blocks} | {changed} | {f1[0]:.3f} → {f1[1]:.3f} | {exact[0]} → {exact[1]} |")  # fmt: skip


_NO_DATES = ("readability-lxml",)  # tools that read no dates: "–", not 0%


def _row(name: str, s: Score) -> str:
    n = s.n or 1
    dates = f"{s.dates / s.dated:.1%}" if s.dated and name not in _NO_DATES else "–"
    judged = f"{s.articles / n:.1%}" if name == "vestnik" else "–"
    return (f"| {name} | {s.f1 / n:.3f} | {s.p / n:.3f} | {s.r / n:.3f} | {s.empty} "
            f"({s.empty / n:.1%}) | {s.titles / n:.1%} | {dates} | {s.exact / n:.0%} | "
            f"{judged} | {1000 * s.cpu / n:.1f} |")  # fmt: skip


def _negative_row(s: Score) -> str:
    n = s.n or 1
    return f"| vestnik | {s.n - s.articles} of {s.n} ({(s.n - s.articles) / n:.1%}) | {1000 * s.cpu / n:.1f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N WCXB pages only")
    parser.add_argument(
        "--wcxb", type=Path, default=ROOT.parent / "shared" / "data" / "wcxb-dev-articles"
    )
    parser.add_argument(
        "--sets", default="wcxb-dev,ru-tuning,ru-held-out,demo," + ",".join(_NEGATIVE)
    )
    parser.add_argument("--tools", default="vestnik,trafilatura,readability-lxml")
    parser.add_argument("--worst", type=int, default=0, help="list vestnik's N worst pages per set")
    parser.add_argument("--no-repeats", dest="repeats", action="store_false",
                        help="skip the boilerplate-by-repetition table")  # fmt: skip
    args = parser.parse_args()
    loaders: dict[str, Callable[[], list[Page]]] = {
        "wcxb-dev": lambda: wcxb_pages(args.wcxb, args.limit),
        "ru-tuning": lambda: ru_pages(held_out=False),
        "ru-held-out": lambda: ru_pages(held_out=True),
        "demo": demo_pages,
        "ru-listings-tuning": lambda: ru_listings(held_out=False),
        "ru-listings-held-out": lambda: ru_listings(held_out=True),
        "demo-listings": demo_listings,
    }
    tools: dict[str, Tool] = {"vestnik": vestnik, "trafilatura": trafilatura_tool,
                              "readability-lxml": readability_tool}  # fmt: skip
    versions = _versions()
    load = os.getloadavg()[0]
    lines = ["# Extraction benchmark", "",
             f"`.venv/bin/python bench/bench_extract.py` on {time.strftime('%Y-%m-%d')}, load "
             f"average {load:.1f} on 2 cores; trafilatura {versions['trafilatura']}, "
             f"readability-lxml {versions['readability-lxml']}. vestnik in generic mode "
             "(no site profile). ms/page: CPU time of the extraction call.", ""]  # fmt: skip
    for set_name in args.sets.split(","):
        pages = loaders[set_name]()
        if set_name in _NEGATIVE:
            s = score(vestnik, pages)
            lines += [f"## {set_name} ({len(pages)} listing pages, not articles)", "",
                      "| extractor | judged listings | ms/page |", "| --- | ---: | ---: |",
                      _negative_row(s), ""]  # fmt: skip
            print(lines[-2], f"[{set_name}]", flush=True)
            continue
        lines += [f"## {set_name} ({len(pages)} pages)", "",
                  "| extractor | F1 | precision | recall | empty bodies | title | date (day) "
                  "| exact body | judged articles | ms/page |", "| --- | ---: | ---: | ---: "
                  "| ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for tool_name in args.tools.split(","):
            s = score(tools[tool_name], pages)
            lines.append(_row(tool_name, s))
            print(lines[-1], f"[{set_name}]", flush=True)
            if tool_name == "vestnik" and args.worst:
                print("  worst:", " ".join(f"{k}:{f:.2f}" for f, k in s.worst[: args.worst]))
        lines.append("")
    if args.repeats:
        lines += ["## Boilerplate by repetition (crawler._repeats)", "",
                  "Table learned from the set's own vestnik bodies, sites with at least K pages; "
                  "F1 and exact bodies on those pages without → with the table.", "",
                  "| set | pages | sites | K | repeated blocks | bodies changed | F1 | exact |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for set_name in [n for n in args.sets.split(",") if n not in _NEGATIVE]:
            k = 2 if set_name == "wcxb-dev" else 3
            lines.append(repeats_row(set_name, loaders[set_name](), k))
            print(lines[-1], flush=True)
        lines.append("")
    text = "\n".join(lines)
    if args.limit is None and args.sets == parser.get_default("sets"):
        (ROOT / "bench" / "results" / "extract.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
