"""The goal's ratio alone: the engine against the hand-written every-scope SQL, on an existing database.

Usage (DATABASE_URL names a database built by ``bench/nightly.py --build-only``; its name must
contain "bench"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_x \
        .venv/bin/python bench/engine_vs_sql.py [--repeat 3]

Step 3e of ``bench/nightly.py`` without the rest: ``compute_indicators_for(day, forecast=…)`` (the
forecast computed once, outside the timing) and ``bench/baseline_sql.every_figure`` run in turn
``--repeat`` times; every figure is compared. Prints one line of JSON: both medians and times,
the ratio, the figures compared and how many differ, the load averages at the start and the end.
Run it from each worktree in turn to compare code.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nightly import DEFAULT_DAY, alternated, without_jit  # first: it sets Django up

# isort: split
from baseline_sql import check_every_figure, every_figure
from django.db import connection

from enrollment.forecast import forecast_seats
from reports.indicators import compute_indicators_for


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=datetime.date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("the database's name must contain 'bench'")
    out = {"code": str(Path.cwd()), "load_start": os.getloadavg()}
    forecast = forecast_seats(args.date)
    engine, sql = alternated(
        lambda: compute_indicators_for(args.date, forecast=forecast),
        lambda: without_jit(every_figure, args.date),
        args.repeat,
    )
    out["agreement"] = check_every_figure(engine["result"], sql["result"])
    out["engine"] = {"median": round(engine["median"], 3), "times": [round(t, 3) for t in engine["times"]]}
    out["engine_cpu"] = round(engine["cpu"], 3)
    out["sql"] = {"median": round(sql["median"], 3), "times": [round(t, 3) for t in sql["times"]]}
    out["ratio"] = round(engine["median"] / sql["median"], 2)
    out["load_end"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
