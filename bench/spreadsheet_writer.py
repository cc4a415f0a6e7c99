"""Times the shared xlsx writer alone (`common.spreadsheets`) on a staff-sized export: 12,000 rows
of the staff workbook's shape (20 text columns, 6 date columns), no database.

Usage:

    SECRET_KEY=bench .venv/bin/python bench/spreadsheet_writer.py [--rows 12000] [--writer PATH]

`--writer` loads another version of `common/spreadsheets/writing.py` (for example the one before a
change: `git show <commit>:common/spreadsheets/writing.py > /tmp/writing_before.py`) and times it
on the same rows, so that before and after run on the same machine minutes apart. Prints the
time, the file size and the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")

import django

django.setup()

from common.spreadsheets import writing  # noqa: E402
from common.spreadsheets.columns import DateColumn, TextColumn  # noqa: E402


def load_writer(path: str):
    spec = importlib.util.spec_from_file_location("common.spreadsheets._bench_writer", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12_000)
    parser.add_argument("--writer", help="another writing.py to time instead of the current one")
    args = parser.parse_args()
    module = load_writer(args.writer) if args.writer else writing
    columns = [TextColumn(header=f"文本{i}", field=f"t{i}") for i in range(20)]
    columns += [DateColumn(header=f"日期{i}", field=f"d{i}") for i in range(6)]
    day = datetime.date(2020, 9, 1)
    rows = [
        {
            **{f"t{i}": f"教工{n}-{i}" for i in range(19)},
            "t19": "=1+1" if n % 100 == 0 else "",
            **{f"d{i}": day for i in range(6)},
        }
        for n in range(args.rows)
    ]
    print(f"writer: {args.writer or 'current'}; load average before: {os.getloadavg()}")
    start = time.perf_counter()
    data = module.workbook_bytes(module.build_workbook([module.Sheet("教职工", columns, rows)]))
    print(f"{args.rows} rows × {len(columns)} columns: {time.perf_counter() - start:.1f} s, {len(data)} bytes")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
