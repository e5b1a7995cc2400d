"""Crawl throughput and peak memory: vestnik's crawler against Scrapy on the same generated site.

    .venv/bin/python bench/bench_crawl.py [--articles 2000] [--concurrency 16]

The demo server (``DemoServer(generated=N)``) runs in its own process; each crawler runs in a
fresh process of its own that reports pages, seconds and its peak RSS. Both obey robots.txt, use
no delay, the same concurrency, follow listing pagination and article links, and extract title,
date and body of each article (vestnik also writes everything to its SQLite store). Then a frontier
check pushes 100,000 URLs into a store and reports the RSS growth. Results: bench/results/crawl.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

VESTNIK = r"""
import json, resource, sys, time, dataclasses
sys.path.insert(0, {root!r})
from corpus import SQLiteStore
from crawler import crawl
from core.settings import load_settings
base, conc, data = {base!r}, {conc}, {data!r}
host = base.split("://")[1]
site = {{"name": "generated", "hosts": [host], "start_urls": [base + "/ru/news"],
         "scope": ["/ru/news", "/ru/node/"],
         "article_patterns": [r"^/ru/news/\d{{2}}-\d{{2}}-\d{{4}}-\d+$", r"^/ru/node/\d+$"],
         "listing_patterns": [r"^/ru/news(\?page=\d+)?$"],
         "body_selector": ".node .field-name-body .field-item", "title_selector": "h1",
         "date_selector": "article .submitted .date-display-single"}}
settings = load_settings(None, {{"data_dir": data, "politeness.delay": 0.0,
    "crawler.concurrency": conc, "politeness.per_host_concurrency": conc,
    "crawler.use_sitemaps": False, "log.level": "warning"}})
settings = dataclasses.replace(settings, sites=(site,))
with SQLiteStore.open(data) as store:
    t = time.perf_counter()
    s = crawl(store, settings, ["generated"], incremental=False, progress=False)
    dt = time.perf_counter() - t
    docs = store.count_documents()
print(json.dumps({{"pages": s.fetched, "docs": docs, "failed": s.failed, "seconds": dt,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

SCRAPY = r"""
import json, re, resource, time
import scrapy
from scrapy.crawler import CrawlerProcess
base, conc = {base!r}, {conc}
ART = re.compile(r"/ru/(news/\d{{2}}-\d{{2}}-\d{{4}}-\d+|node/\d+)$")
LIST = re.compile(r"/ru/news(\?page=\d+)?$")
items = []

class News(scrapy.Spider):
    name = "news"
    start_urls = [base + "/ru/news"]

    def parse(self, response):
        if ART.search(response.url):
            items.append({{
                "title": response.css("h1::text").get(),
                "date": response.css("article .submitted .date-display-single::text").get(),
                "body": "\n\n".join(response.css(".field-name-body .field-item p::text").getall()),
                "canonical": response.css("link[rel=canonical]::attr(href)").get(),
            }})
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url.startswith(base) and (ART.search(url) or LIST.search(url)):
                yield scrapy.Request(url, callback=self.parse)

stats = {{}}
process = CrawlerProcess(settings={{
    "CONCURRENT_REQUESTS": conc, "CONCURRENT_REQUESTS_PER_DOMAIN": conc, "DOWNLOAD_DELAY": 0,
    "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "USER_AGENT": "bench-scrapy", "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
}})
crawler = process.create_crawler(News)
t = time.perf_counter()
process.crawl(crawler)
process.start()
dt = time.perf_counter() - t
pages = crawler.stats.get_value("response_received_count", 0)
print(json.dumps({{"pages": pages, "docs": len({{i["canonical"] for i in items}}), "failed": 0,
                  "seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

FRONTIER = r"""
import json, resource, sys, tempfile, time
sys.path.insert(0, {root!r})
from corpus import FrontierEntry, SQLiteStore
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
with SQLiteStore.open(tempfile.mkdtemp()) as store:
    before = rss()
    n = {n}
    t = time.perf_counter()
    for start in range(0, n, 5000):
        store.frontier.push("big", [FrontierEntry(f"https://example.org/ru/news/{{i}}", "article", 1, 1)
                                    for i in range(start, start + 5000)])
    pushed = time.perf_counter() - t
    popped = 0
    while popped < 1000 and store.frontier.claim("big") is not None:
        popped += 1
    after = rss()
    print(json.dumps({{"queued": store.frontier.pending("big").queued, "rss_before_mb": before,
                      "rss_after_mb": after, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "push_seconds": pushed}}))
"""


def _child(code: str) -> dict[str, float]:
    """Run ``code`` as a script in a fresh process (Scrapy reads its callbacks' source)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(code)
    try:
        out = subprocess.run([PY, fh.name], capture_output=True, text=True, check=True, cwd=ROOT)
    finally:
        Path(fh.name).unlink()
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--frontier", type=int, default=100_000)
    ap.add_argument("--output", default=str(ROOT / "bench" / "results" / "crawl.md"))
    args = ap.parse_args()
    server = subprocess.Popen(
        [PY, "-W", "ignore::RuntimeWarning", "-m", "corpus._demo_server", "--generated",
         str(args.articles)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = ""
        assert server.stdout is not None
        while not base:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the demo server did not start")
            if line.startswith("generated"):
                base = line.split()[1].rsplit("/ru/", 1)[0]
        time.sleep(0.3)
        with tempfile.TemporaryDirectory() as data:
            ours = _child(
                VESTNIK.format(root=str(ROOT), base=base, conc=args.concurrency, data=data)
            )
        scrapy = _child(SCRAPY.format(base=base, conc=args.concurrency))
    finally:
        server.terminate()
        server.wait()
    frontier = _child(FRONTIER.format(root=str(ROOT), n=args.frontier))
    ours_rate = ours["pages"] / ours["seconds"]
    scrapy_rate = scrapy["pages"] / scrapy["seconds"]
    rows = [
        "| crawler | pages | articles | seconds | pages/s | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| vestnik (httpx + lxml.html + SQLite store) | {ours['pages']:.0f} | {ours['docs']:.0f} | "
        f"{ours['seconds']:.1f} | {ours_rate:.0f} | {ours['rss_mb']:.0f} |",
        f"| Scrapy {_scrapy_version()} (parsel selectors, items in memory) | {scrapy['pages']:.0f} | "
        f"{scrapy['docs']:.0f} | {scrapy['seconds']:.1f} | {scrapy_rate:.0f} | {scrapy['rss_mb']:.0f} |",
    ]
    text = "\n".join([
        "# Crawl benchmark",
        "",
        f"`.venv/bin/python bench/bench_crawl.py --articles {args.articles} --concurrency "
        f"{args.concurrency}` — generated demo site ({args.articles} articles) served by "
        "`corpus._demo_server` in its own process on 127.0.0.1, delay 0, robots.txt obeyed, "
        "sitemaps off, each crawler in a fresh process.",
        "",
        *rows,
        "",
        f"Throughput ratio vestnik / Scrapy: **{ours_rate / scrapy_rate:.2f}**.",
        "",
        "## Frontier memory",
        "",
        f"{frontier['queued']:.0f} URLs queued in the store's frontier (after pushing "
        f"{args.frontier} and popping 1000): RSS {frontier['rss_before_mb']:.0f} MB before, "
        f"{frontier['rss_after_mb']:.0f} MB after (peak {frontier['peak_mb']:.0f} MB); pushing "
        f"took {frontier['push_seconds']:.1f} s. The frontier lives in SQLite, so memory does not "
        "grow with the queue.",
        "",
    ])  # fmt: skip
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


def _scrapy_version() -> str:
    import scrapy

    return str(scrapy.__version__)


if __name__ == "__main__":
    sys.exit(main())
