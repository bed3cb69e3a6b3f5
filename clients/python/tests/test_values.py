"""Cell values: goldgen's JSONL and CSV conventions read and written the way the TypeScript side
does, and DataFrame cells (numpy scalars, pandas NA) turned into plain values before comparing."""

import math

import numpy as np
import pandas as pd
import pytest

from goldgen.values import parse_csv, parse_jsonl, rows_of, to_jsonl


def test_jsonl_round_trips_nan_infinity_and_negative_zero():
    rows = [{"a": math.nan, "b": math.inf, "c": -math.inf, "d": -0.0, "e": None, "f": "x", "g": True, "h": 3}]
    text = to_jsonl(rows)
    assert text == b'{"a":"NaN","b":"Infinity","c":"-Infinity","d":-0.0,"e":null,"f":"x","g":true,"h":3}\n'
    [back] = parse_jsonl(text)
    assert math.isnan(back["a"]) and back["b"] == math.inf and back["c"] == -math.inf
    assert math.copysign(1, back["d"]) == -1 and back["e"] is None and (back["f"], back["g"], back["h"]) == ("x", True, 3)


def test_csv_cells_are_typed_as_goldgen_writes_them():
    rows = parse_csv(b'i,f,s,b,n,e\r\n-3,1.5e3,abc,true,NaN,\r\n4,.5,"",false,-Infinity,x\r\n')
    assert rows[0]["i"] == -3 and rows[0]["f"] == 1500.0 and rows[0]["s"] == "abc" and rows[0]["b"] is True
    assert math.isnan(rows[0]["n"]) and rows[0]["e"] is None
    assert rows[1] == {"i": 4, "f": 0.5, "s": None, "b": False, "n": -math.inf, "e": "x"}


def test_dataframe_cells_become_plain_values():
    frame = pd.DataFrame(
        {
            "i": np.array([1, 2], dtype="int64"),
            "f": [0.5, math.nan],
            "b": np.array([True, False]),
            "n": pd.array([1.5, None], dtype="Float64"),
            "s": ["a", None],
        }
    )
    rows = rows_of(frame)
    assert rows[0] == {"i": 1, "f": 0.5, "b": True, "n": 1.5, "s": "a"}
    assert type(rows[0]["i"]) is int and type(rows[0]["b"]) is bool
    assert math.isnan(rows[1]["f"]) and rows[1]["n"] is None and rows[1]["s"] is None


def test_predictions_of_another_shape_are_refused_clearly():
    with pytest.raises(TypeError, match="expected a pandas DataFrame or a list of dicts, got str"):
        rows_of("nope")
    with pytest.raises(TypeError, match="row 1 is a int, expected a dict"):
        rows_of([{"y": 1}, 2])
