"""Attachment text extraction speed: vestnik's file readers against pdfminer.six and docx2txt.

    .venv/bin/python bench/bench_files.py [--pages 100] [--repeat 3]

Inputs are made from the demo's own attached files (``corpus/demo_site/files``): a PDF of
``--pages`` pages (the two pages of the demo roadmap, repeated) and a DOCX of the demo plan of
events (paragraphs and the table of signed documents) repeated to about as much text. A DOCX has no
pages: its "pages" are standard pages of 1,800 characters of extracted text (the Russian
publishing measure), so the two rows compare.

Measured, each the median of ``--repeat`` runs, in pages per second:

- vestnik in process: ``read_raw`` + ``clean_text`` (pypdf in layout mode, headers/footers and
  page numbers dropped, hyphenation and page breaks repaired; python-docx body and tables);
- vestnik as the crawler runs it: ``FileReader`` (the bounded worker process, bytes and text
  through its pipe; the worker is started once, before the clock);
- the peer: ``pdfminer.six`` ``extract_text`` for the PDF, ``docx2txt.process`` for the DOCX
  (plain text, no clean-up).

Results: bench/results/files.md (with the machine's load average beside the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus._demo_files import load_files  # noqa: E402
from crawler._files import FileLimits, FileReader, clean_text, read_raw  # noqa: E402

STANDARD_PAGE = 1800  # characters: a "standard page" of Russian publishing
RESULTS = ROOT / "bench" / "results" / "files.md"


def _pdf(pages: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    source = next(f for f in load_files() if f.kind == "pdf" and not f.special)
    reader = PdfReader(source.path)
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for page in reader.pages:
            if len(writer.pages) < pages:
                writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx(pages: int) -> bytes:
    import docx

    source = next(f for f in load_files() if f.kind == "docx" and not f.special)
    original = docx.Document(str(source.path))
    out = docx.Document()
    chars = 0
    while chars < pages * STANDARD_PAGE:
        for para in original.paragraphs:
            out.add_paragraph(para.text, style=para.style.name if para.style else None)
            chars += len(para.text)
        for table in original.tables:
            rows, cols = len(table.rows), len(table.columns)
            copy = out.add_table(rows=rows, cols=cols)
            for r in range(rows):
                for c in range(cols):
                    text = table.cell(r, c).text
                    copy.cell(r, c).text = text
                    chars += len(text)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    try:
        import docx2txt
        from pdfminer.high_level import extract_text
    except ImportError:
        print("the peers are in the bench extra: make .venv/.stamp-bench", file=sys.stderr)
        return 1
    limits = FileLimits(max_pages=args.pages * 2, seconds=600.0)
    inputs = {"pdf": (_pdf(args.pages), "bench.pdf"), "docx": (_docx(args.pages), "bench.docx")}
    load_before = _load()
    rows = []

    async def run_worker() -> dict[str, tuple[float, object]]:
        async with FileReader(limits) as reader:
            await reader.read(*inputs["docx"], "")  # start the worker before the clock
            out = {}
            for kind, (data, name) in inputs.items():
                times, text = [], None
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    text = await reader.read(data, name, "")
                    times.append(time.perf_counter() - started)
                out[kind] = (statistics.median(times), text)
            return out

    worker = asyncio.run(run_worker())
    peers: dict[str, Callable[[bytes], str]] = {
        "pdf": lambda data: str(extract_text(io.BytesIO(data))),
        "docx": lambda data: str(docx2txt.process(io.BytesIO(data))),
    }
    for kind, (data, name) in inputs.items():
        seconds, text = _median(
            lambda d=data, n=name: clean_text(read_raw(d, n, "", limits), limits.max_chars),
            args.repeat,
        )
        assert isinstance(text, str)
        pages = args.pages if kind == "pdf" else max(1, round(len(text) / STANDARD_PAGE))
        peer_seconds, peer_text = _median(lambda d=data, k=kind: peers[k](d), args.repeat)
        worker_seconds = worker[kind][0]
        rows.append((kind.upper(), pages, len(data), len(text), pages / seconds,
                     pages / worker_seconds, pages / peer_seconds, len(str(peer_text))))  # fmt: skip
    load_after = _load()
    head = (
        f"# Attachment text extraction ({date.today().isoformat()})\n\n"
        f"`.venv/bin/python bench/bench_files.py --pages {args.pages} --repeat {args.repeat}`; "
        f"load average before {load_before}, after {load_after} (2 cores, shared).\n"
        "DOCX pages are standard pages of 1,800 characters of extracted text.\n\n"
        "| file | pages | bytes | vestnik in process | vestnik worker (crawler) | peer | "
        "vestnik / peer | text chars (vestnik / peer) |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    lines = []
    for kind, pages, size, chars, ours, via_worker, peer, peer_chars in rows:
        name = "pdfminer.six" if kind == "PDF" else "docx2txt"
        lines.append(
            f"| {kind} | {pages} | {size:,} | {ours:.0f} pages/s | {via_worker:.0f} pages/s | "
            f"{name} {peer:.0f} pages/s | {ours / peer:.2f}x | {chars:,} / {peer_chars:,} |\n"
        )
    text = head + "".join(lines)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
