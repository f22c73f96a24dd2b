"""Old code against new, back to back on this machine: the four figures a change of the data
layer must not give back (each a ratio or a cost measured in one run, so that the machine's
speed of the hour cancels out).

- listings: POST /offers creates/s as a ratio to pgbench inserting the same rows
  (`bench.listings_offers --pool 40`);
- vouchers: transfers/s as a ratio to pgbench TPC-B (`bench.vouchers_ledger`);
- deals: CPU of the whole market per registration (`bench.deals_registration`);
- events: p99 of 201 → replica committed, as a ratio to raw Kafka (`bench.event_latency`).

Each benchmark runs on the old checkout, then on this one, then the next benchmark; every
checkout uses its own `.venv`. Prints the pairs and writes bench/results/back_to_back.json.

    .venv/bin/python -m bench.back_to_back OLD_CHECKOUT [--seconds 20] [--events 2000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import write_results

HERE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    name: str
    module: str
    arguments: Callable[[argparse.Namespace], list[str]]
    result: str
    read: Callable[[dict[str, Any]], float]
    better: str  # "higher" or "lower"


FIGURES = [
    Figure("listings create ratio to pgbench", "bench.listings_offers",
           lambda a: ["--seconds", str(a.seconds), "--pool", "40"],
           "listings_offers_w1_pool40.json", lambda r: r["ratio"], "higher"),
    Figure("vouchers transfers ratio to pgbench TPC-B", "bench.vouchers_ledger",
           lambda a: ["--seconds", str(a.seconds)],
           "vouchers_ledger.json", lambda r: r["ratio_uniform_to_pgbench"], "higher"),
    Figure("deals CPU ms per registration (whole market)", "bench.deals_registration",
           lambda a: ["--seconds", str(a.seconds)],
           "deals_registration.json", lambda r: sum(r["cpu_ms_per_registration"].values()),
           "lower"),
    Figure("event latency p99 ratio to raw Kafka", "bench.event_latency",
           lambda a: ["--events", str(a.events)],
           "event_latency.json", lambda r: r["p99_ratio"], "lower"),
]


def run(checkout: Path, figure: Figure, args: argparse.Namespace) -> float:
    python = checkout / ".venv" / "bin" / "python"
    done = subprocess.run([str(python), "-m", figure.module, *figure.arguments(args)],
                          cwd=checkout, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        sys.exit(f"{figure.module} failed in {checkout}:\n{done.stdout[-2000:]}"
                 f"\n{done.stderr[-3000:]}")
    result = json.loads((checkout / "bench" / "results" / figure.result).read_text())
    return float(figure.read(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="a checkout of the old commit, with its .venv")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--only", help="run only the figures whose name contains this")
    args = parser.parse_args()
    pairs = {}
    for figure in FIGURES:
        if args.only and args.only not in figure.name:
            continue
        old, new = run(args.old.resolve(), figure, args), run(HERE, figure, args)
        change = (new - old) / old * 100
        worse = change < 0 if figure.better == "higher" else change > 0
        pairs[figure.name] = {"old": round(old, 3), "new": round(new, 3),
                              "change_percent": round(change, 1),
                              "worse_by_more_than_10_percent": worse and abs(change) > 10}
        print(f"{figure.name}: old {old:.3f}, new {new:.3f} ({change:+.1f} %)", flush=True)
    write_results("back_to_back", {"old_checkout": str(args.old), "pairs": pairs})


if __name__ == "__main__":
    main()
