"""`assert_matches_golden(predictions, fixture)`: compares a model's predictions (a pandas
DataFrame or a list of dicts) with a fixture's expected outputs under its stored tolerances, and
raises AssertionError naming the failing rows, columns, tolerances and the rows' edge cases.

In update mode (pytest's ``--goldgen-update``, or ``GOLDGEN_UPDATE=1``) a failing comparison
records the predictions as the fixture's new expected outputs instead (a new registry record; the
old one is kept), and says what it recorded."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List

from .compare import Comparison, compare_rows, describe
from .errors import GoldgenError
from .values import rows_of

#: Set by the pytest plugin from --goldgen-update.
update_mode = False
#: What update mode recorded in this process: one dict per record (model, dataset, id, replaced, sha256, rows).
recorded: List[Dict[str, Any]] = []


def _updating() -> bool:
    return update_mode or os.environ.get("GOLDGEN_UPDATE", "") not in ("", "0", "false")


def _show(value: Any) -> str:
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return json.dumps(value, ensure_ascii=False, default=str)


def format_comparison(c: Comparison, tolerances: Dict[str, Dict[str, Any]], title: str = "") -> str:
    """A readable report of a comparison's failures."""
    head = f"{c.rows_failing} of {c.rows_compared} rows differ beyond tolerance"
    lines = [f"{title}: {head}" if title else head, *(f"  {p}" for p in c.problems)]
    for f in c.first_failures:
        tags = f"  [edge cases: {', '.join(f.tags)}]" if f.tags else ""
        lines.append(f"  row {f.row}{tags}")
        for col in f.columns:
            off = "" if col.deviation is None else f", off by {col.deviation}"
            lines.append(
                f"    {col.column}: expected {_show(col.expected)}, got {_show(col.actual)} (tolerance {describe(tolerances.get(col.column))}{off})"
            )
    if c.rows_failing > len(c.first_failures):
        lines.append(f"  … and {c.rows_failing - len(c.first_failures)} more rows")
    return "\n".join(lines)


def assert_matches_golden(predictions: Any, fixture: Any) -> Comparison:
    """Asserts that ``predictions`` match ``fixture``'s expected outputs under its tolerances.

    ``fixture`` is a :class:`goldgen.fixtures.Fixture` (from ``client.fixtures(...)``). Returns the
    comparison when it passes (or when update mode recorded new expected outputs)."""
    actual = rows_of(predictions)
    expected = fixture.expected()
    tolerances = fixture.tolerances
    tags = fixture.tags() if hasattr(fixture, "tags") else {}
    c = compare_rows(expected, actual, tolerances, lambda r: tags.get(r, []))
    if c.passed:
        return c
    title = f"{fixture.model} on {fixture.dataset}"
    report = format_comparison(c, tolerances, title)
    if not _updating():
        raise AssertionError(report)
    try:
        r = fixture.record(actual)
    except GoldgenError as e:
        raise AssertionError(f"{report}\ngoldgen update: could not record new expected outputs: {e.detail}") from None
    entry = {**r, "model": fixture.model}
    recorded.append(entry)
    print(describe_record(entry), file=sys.stderr)
    return c


def describe_record(r: Dict[str, Any]) -> str:
    replaced = "" if r.get("replaced") is None else f", replacing record #{r['replaced']} (kept: goldgen expectations {r['model']})"
    return f"goldgen: recorded new expected outputs for {r['model']} on {r['dataset']}: record #{r['id']}, {r['rows']} rows, sha256 {str(r['sha256'])[:12]}…{replaced}"
