"""Cell values as goldgen's text formats carry them: JSONL ("NaN" and "±Infinity" as strings),
CSV (typed the way goldgen writes cells), and back to JSONL for uploads; plus the plain Python
values a pandas DataFrame's cells become before they are compared."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any, Dict, List

Row = Dict[str, Any]

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def from_json(value: Any) -> Any:
    """A JSON value from goldgen's JSONL: "NaN" and "±Infinity" strings become floats."""
    if isinstance(value, str) and value in _SPECIAL:
        return _SPECIAL[value]
    return value


def parse_jsonl(data: bytes) -> List[Row]:
    rows = []
    for line in data.decode("utf-8").split("\n"):
        if line.strip() == "":
            continue
        rows.append({k: from_json(v) for k, v in json.loads(line).items()})
    return rows


def parse_cell(text: str) -> Any:
    """Types a CSV cell the way goldgen writes them (as goldgen's own reader does)."""
    if text == "":
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if text in _SPECIAL:
        return _SPECIAL[text]
    if text == "true":
        return True
    if text == "false":
        return False
    return text


def parse_csv(data: bytes) -> List[Row]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [{k: parse_cell(v) for k, v in record.items()} for record in reader]


def _json_cell(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))
    return json.dumps(value, ensure_ascii=False)


def to_jsonl(rows: List[Row]) -> bytes:
    """Rows as goldgen JSONL: NaN and ±Infinity as strings, -0 kept."""
    lines = ("{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{_json_cell(v)}" for k, v in row.items()) + "}\n" for row in rows)
    return "".join(lines).encode("utf-8")


def plain(value: Any) -> Any:
    """A DataFrame cell as a plain value: numpy scalars to Python ones, pandas' NA/NaT and None to None."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    module = type(value).__module__
    if module.startswith("pandas"):
        name = type(value).__name__
        if name in ("NAType", "NaTType"):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
    if module.startswith("numpy"):
        kind = getattr(getattr(value, "dtype", None), "kind", "")
        if kind == "b":
            return bool(value)
        if kind in "iu":
            return int(value)
        if kind == "f":
            return float(value)
        if hasattr(value, "item"):
            return value.item()
    return value


def rows_of(predictions: Any) -> List[Row]:
    """A pandas DataFrame or a list of dicts as a list of plain dicts."""
    if hasattr(predictions, "to_dict") and hasattr(predictions, "columns"):
        records = predictions.to_dict(orient="records")
    elif isinstance(predictions, list):
        records = predictions
    else:
        raise TypeError(f"goldgen: expected a pandas DataFrame or a list of dicts, got {type(predictions).__name__}")
    out = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise TypeError(f"goldgen: row {i} is a {type(record).__name__}, expected a dict of column → value")
        out.append({str(k): plain(v) for k, v in record.items()})
    return out
