"""Metric expectations read through the Python client from the live server (see conftest.py)."""

import pytest

from goldgen import Client, GoldgenError


def test_reads_metric_expectations(server_url):
    got = Client(server_url).metric_expectations("m@1.0.0")
    assert got == [
        {
            "dataset": "d@1",
            "metrics": [{"text": "mae(id, y) <= 40", "name": "mae", "truth": "id", "prediction": "y", "op": "<=", "bound": 40}],
            "slices": [{"text": "x:bins=[0,0.5,1]", "column": "x", "bins": [0, 0.5, 1]}],
            "baseline": None,
        }
    ]
    assert Client(server_url).metric_expectations("m@2.0.0") == []


def test_unknown_model_version_is_not_found(server_url):
    with pytest.raises(GoldgenError) as e:
        Client(server_url).metric_expectations("m@9.9.9")
    assert e.value.code == "NOT_FOUND"
    assert "no model version m@9.9.9" in str(e.value)
    with pytest.raises(GoldgenError, match="malformed model reference"):
        Client(server_url).metric_expectations("no-version")
