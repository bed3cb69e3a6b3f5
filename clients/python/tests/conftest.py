"""Shared setup of the goldgen Python tests. They run against a live goldgen server that
test/python.test.ts starts (with `npm test`) and fills: dataset `d` (d@1: 30 rows with a NaN
edge case in x, d@2: 31 rows; alias prod → 1), the multi-table dataset `shop` (shop@1: the
shop example at 100 root rows: customers, products, orders, order_lines), model versions m@1.0.0 (expects y = 2·id, atol 0.01)
and m@2.0.0 (for the update tests); m@1.0.0 also has the metric expectation
mae(id, y) <= 40 on d@1, sliced by x:bins=[0,0.5,1]. It passes GOLDGEN_URL, GOLDGEN_TEST_TOKEN (a write token) and
GOLDGEN_TEST_TS_LOCK / GOLDGEN_TEST_TS_CACHE (a lock file and cache the TypeScript client wrote)."""

import os
import pathlib

import pytest

pytest_plugins = ["pytester"]

REPO = pathlib.Path(__file__).resolve().parents[3]


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through test/python.test.ts (npm test)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def server_url() -> str:
    return _env("GOLDGEN_URL")


@pytest.fixture(scope="session")
def write_token() -> str:
    return _env("GOLDGEN_TEST_TOKEN")


@pytest.fixture(autouse=True)
def _no_ambient_token(monkeypatch):
    monkeypatch.delenv("GOLDGEN_TOKEN", raising=False)
    monkeypatch.delenv("GOLDGEN_UPDATE", raising=False)
