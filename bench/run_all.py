"""Run every benchmark in one go (``make bench``); each writes its table to bench/results/.

The machine is small and noisy: every benchmark compares vestnik with its baseline side by side in
the same run and reports ratios. Pass ``--quick`` for smaller sizes (a smoke run, not for the README).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

BENCHES: dict[str, tuple[list[str], list[str]]] = {
    # name: (full arguments, --quick arguments)
    "bench_extract.py": ([], []),
    "bench_crawl.py": ([], ["--articles", "300", "--frontier", "10000"]),
    "bench_index.py": ([], ["--docs", "2000", "--query-docs", "2000"]),
    "bench_migrate.py": ([], ["--docs", "2000"]),
    "bench_files.py": ([], ["--pages", "20", "--repeat", "1"]),
    "bench_facts.py": ([], ["--docs", "2000"]),
}


def main() -> int:
    """Run the benchmarks in turn; exit non-zero when one fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("only", nargs="*", help="benchmark file names to run (default: all)")
    args = parser.parse_args()
    failed = []
    for name, (full, quick) in BENCHES.items():
        if args.only and name not in args.only:
            continue
        print(f"== {name}", flush=True)
        cmd = [sys.executable, str(ROOT / name), *(quick if args.quick else full)]
        if subprocess.run(cmd, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
