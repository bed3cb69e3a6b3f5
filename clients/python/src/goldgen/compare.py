"""Comparing model outputs with expected ones under per-column tolerances, with exactly the
semantics of goldgen's TypeScript comparison (src/compare/rows.ts): `exact` (the default; NaN
equals NaN), `atol` (|a − e| ≤ X) and `rtol` (|a − e| ≤ X·|e|); null is not NaN; an infinite
value matches only itself; -0 equals 0; strings and booleans compare exactly under any tolerance.
The repository's test/fixtures/tolerance-cases.json holds the cases both languages must pass."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .values import Row

Tolerances = Dict[str, Dict[str, Any]]


@dataclass
class ColumnFailure:
    column: str
    expected: Any
    actual: Any
    deviation: Optional[float]


@dataclass
class FailingRow:
    row: int
    columns: List[ColumnFailure]
    #: The dataset row's edge cases, as ``column:kind``.
    tags: List[str] = field(default_factory=list)


@dataclass
class Comparison:
    rows_compared: int
    rows_failing: int
    #: Per output column: the largest deviation seen (None when the column is compared as text).
    worst: Dict[str, Optional[float]]
    first_failures: List[FailingRow]
    problems: List[str]

    @property
    def passed(self) -> bool:
        return self.rows_failing == 0 and not self.problems


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _same(e: Any, a: Any) -> bool:
    """JavaScript's `Object.is(e, a) || e === a` on goldgen's cell values."""
    if e is None or a is None:
        return e is None and a is None
    if _number(e) and _number(a):
        return (_nan(e) and _nan(a)) or e == a
    return type(e) is type(a) and e == a


def deviation(e: Any, a: Any) -> Optional[float]:
    if _number(e) and _number(a):
        if _nan(e) and _nan(a):
            return 0
        if e == a:
            return 0
        try:
            return abs(a - e)
        except OverflowError:
            return math.inf
    return None


def within(t: Dict[str, Any], e: Any, a: Any) -> bool:
    if _same(e, a):
        return True
    if not (_number(e) and _number(a)):
        return False
    if _nan(e) or _nan(a):
        return _nan(e) and _nan(a)
    if not (math.isfinite(e) and math.isfinite(a)):
        return False
    d = abs(a - e)
    kind = t.get("kind", "exact")
    if kind == "atol":
        return d <= t["value"]
    if kind == "rtol":
        return d <= t["value"] * abs(e)
    return False


def describe(t: Optional[Dict[str, Any]]) -> str:
    """A tolerance as goldgen writes it: `exact`, `atol:X`, `rtol:X`."""
    if t is None or t.get("kind", "exact") == "exact":
        return "exact"
    return f"{t['kind']}:{t.get('value')}"


def compare_rows(
    expected: List[Row],
    actual: List[Row],
    tolerances: Tolerances,
    tags_of: Callable[[int], List[str]] = lambda _row: [],
    keep: int = 10,
) -> Comparison:
    """Compares rows pairwise (row i with row i)."""
    problems: List[str] = []
    if len(expected) != len(actual):
        problems.append(f"expected {len(expected)} rows of outputs, got {len(actual)}")
    columns = list(expected[0].keys()) if expected else []
    missing = [c for c in columns if actual and c not in actual[0]]
    if missing:
        problems.append("the outputs have no column " + ", ".join(json.dumps(c, ensure_ascii=False) for c in missing))
    worst: Dict[str, Optional[float]] = {c: None for c in columns}
    first_failures: List[FailingRow] = []
    rows_failing = 0
    n = min(len(expected), len(actual))
    for i in range(n):
        failing: List[ColumnFailure] = []
        for c in columns:
            e = expected[i].get(c)
            a = actual[i].get(c)
            d = deviation(e, a)
            # As in JavaScript: a NaN deviation is kept only when nothing was seen before.
            if d is not None and (worst[c] is None or d > worst[c]):
                worst[c] = d
            if not within(tolerances.get(c) or {"kind": "exact"}, e, a):
                failing.append(ColumnFailure(c, e, a, d))
        if failing:
            rows_failing += 1
            if len(first_failures) < keep:
                first_failures.append(FailingRow(i, failing, tags_of(i)))
    return Comparison(n, rows_failing, worst, first_failures, problems)
