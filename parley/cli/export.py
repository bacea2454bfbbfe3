"""``parley export``: a moderator team's records as CSV or JSON, written to standard output."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from parley.cli.common import EXIT_OK
from parley.core.counterpoints.find import standing_of
from parley.core.services import Services
from parley.store.exports import TABLES, Row

__all__ = ["TABLES", "export", "to_csv", "to_json"]

# Spreadsheets run a cell that starts with one of these as a formula; members wrote the text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: list[Row]) -> str:
    """One header line and a line per row; nested values as JSON; formulas defused."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def to_json(table: str, rows: list[Row]) -> str:
    return json.dumps({"table": table, "rows": rows}, ensure_ascii=False, indent=1) + "\n"


async def export(services: Services, args: argparse.Namespace) -> int:
    rows = await TABLES[args.table](services.db)
    if args.table == "counterpoints":  # the standing members see, beside the fitted status
        for row in rows:
            row["standing"] = standing_of(row["fitted_status"], row["origin"])
    sys.stdout.write(to_csv(rows) if args.format == "csv" else to_json(args.table, rows))
    print(f"exported {len(rows)} {args.table} row(s)", file=sys.stderr)
    return EXIT_OK
