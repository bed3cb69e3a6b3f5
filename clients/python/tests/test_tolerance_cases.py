"""The shared comparison cases (test/fixtures/tolerance-cases.json) against the Python
comparison; test/tolerance-cases.test.ts runs the same file against the TypeScript one."""

import json
import math

import pytest

from goldgen.compare import compare_rows

from conftest import REPO

CASES = json.loads((REPO / "test" / "fixtures" / "tolerance-cases.json").read_text(encoding="utf-8"))["cases"]
SPECIALS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}


def decode(rows):
    return [{k: SPECIALS[v["$float"]] if isinstance(v, dict) else v for k, v in row.items()} for row in rows]


def test_the_case_file_is_there_and_full():
    assert len(CASES) >= 20
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    result = compare_rows(decode(case["expected"]), decode(case["actual"]), case["tolerances"], keep=1000)
    failing = [[f.row, col.column] for f in result.first_failures for col in f.columns]
    assert {"failing": failing, "problems": result.problems} == {"failing": case["failing"], "problems": case["problems"]}
    assert result.rows_failing == len({row for row, _ in case["failing"]})
    assert result.rows_compared == min(len(case["expected"]), len(case["actual"]))
