"""The table `make bench` ends with: every figure the benches reported, one line each.

    python bench/summary.py SUMMARY_FILE

SUMMARY_FILE holds the JSON lines `bench/common.py` appends when CMPLANNER_BENCH_SUMMARY names
it. Exits 0 when every figure passes, 1 otherwise (the table is printed either way).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def rows(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _number(value: float, unit: str) -> str:
    return f"{value * 1000:.0f} ms" if unit == "s" and value < 1 else f"{value:.3g} {unit}"


def line(row: dict[str, object]) -> tuple[str, ...]:
    figure = f"{row['bench']}: {row['name']}"
    if "error" in row:
        return (figure, "—", "—", "not measured", "—", "FAIL")
    unit = str(row.get("unit", "s"))
    ours = [float(v) for v in row["ours"]]  # type: ignore[attr-defined]
    baseline = row.get("baseline")
    goal = float(row["goal"])  # type: ignore[arg-type]
    mid = _number(statistics.median(ours), unit)
    if baseline:
        base = _number(statistics.median([float(v) for v in baseline]), unit)  # type: ignore[attr-defined]
        value, goal_text = f"{float(row['value']):.2f}×", f"≤ {goal:g}×"  # type: ignore[arg-type]
    else:
        base = "—"
        mid = _number(max(ours), unit) + " (worst)"
        value, goal_text = _number(float(row["value"]), unit), f"≤ {goal:g} {unit}"  # type: ignore[arg-type]
    return (figure, mid, base, value, goal_text, "PASS" if row["passed"] else "FAIL")


def table(found: list[dict[str, object]]) -> str:
    header = ("figure", "ours (median)", "baseline", "result", "goal", "")
    body = [line(row) for row in found]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]
    out = []
    for n, cells in enumerate([header, *body]):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)))
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    passed = sum(1 for row in found if row["passed"])
    out.append(f"\n{passed} of {len(found)} figures meet their goal.")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found = rows(Path(args[0]))
    if not found:
        print("No figure was reported.", file=sys.stderr)
        return 1
    print(table(found), end="")
    return 0 if all(row["passed"] for row in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
