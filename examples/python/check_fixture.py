"""Fetch a goldgen fixture over HTTP and compare a model's predictions with the expected outputs.

Standard library (urllib) + pandas. Usage:

    python3 check_fixture.py http://127.0.0.1:8787 churn-model@1.2.0

It prints one line per fixture and exits 0 when every prediction is within the stored
tolerances, 1 otherwise. Replace `predict` with your model.
"""
import io
import json
import sys
import urllib.request

import pandas as pd


def get(base: str, path: str, accept: str = "application/json") -> bytes:
    return fetch(base, path, accept)[0]


def fetch(base: str, path: str, accept: str) -> tuple[bytes, str]:
    request = urllib.request.Request(base.rstrip("/") + path, headers={"Accept": accept})
    with urllib.request.urlopen(request) as response:  # follows alias redirects
        return response.read(), response.headers.get("Content-Type", "")


def frame(data: bytes, content_type: str) -> pd.DataFrame:
    if "ndjson" in content_type or "jsonl" in content_type:
        return pd.read_json(io.BytesIO(data), lines=True)
    return pd.read_csv(io.BytesIO(data))


def predict(inputs: pd.DataFrame) -> pd.DataFrame:
    """A stand-in model: replace with yours. Must return one row per input row."""
    return pd.DataFrame({"y": inputs["id"] * 2})


def within(expected: pd.Series, actual: pd.Series, tolerance: dict) -> pd.Series:
    kind = tolerance.get("kind", "exact")
    if kind == "atol":
        return (actual - expected).abs() <= tolerance["value"]
    if kind == "rtol":
        return (actual - expected).abs() <= tolerance["value"] * expected.abs()
    return (actual == expected) | (expected.isna() & actual.isna())


def main(base: str, model_ref: str) -> int:
    model, version = model_ref.split("@", 1)
    fixtures = json.loads(get(base, f"/v1/models/{model}/versions/{version}/fixtures"))
    ok = True
    for fixture in fixtures:
        inputs = pd.read_csv(io.BytesIO(get(base, fixture["links"]["data"] + "?format=csv", "text/csv")))
        expected = frame(*fetch(base, fixture["links"]["expected"], "*/*"))
        actual = predict(inputs)
        failing = pd.Series(False, index=expected.index)
        for column in expected.columns:
            failing |= ~within(expected[column], actual[column], fixture["tolerances"].get(column, {"kind": "exact"}))
        print(f"{'PASS' if not failing.any() else 'FAIL'} {model_ref} on {fixture['dataset']}: "
              f"{len(expected)} rows compared, {int(failing.sum())} failing")
        ok = ok and not failing.any()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
