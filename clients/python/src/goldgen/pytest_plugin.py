"""The goldgen pytest plugin (registered through the ``pytest11`` entry point): the
``--goldgen-url`` option (or ``GOLDGEN_URL``), the ``goldgen_client`` and ``goldgen_fixtures``
fixtures, and ``--goldgen-update``, which makes a failing ``assert_matches_golden`` record the
predictions as new expected outputs (write token from ``GOLDGEN_TOKEN``) and report them."""

from __future__ import annotations

import os

import pytest

from . import testing
from .client import Client


def pytest_addoption(parser):
    group = parser.getgroup("goldgen", "goldgen golden datasets")
    group.addoption("--goldgen-url", default=None, help="the goldgen server (default: $GOLDGEN_URL)")
    group.addoption(
        "--goldgen-update",
        action="store_true",
        default=False,
        help="record the predictions of failing assert_matches_golden calls as new expected outputs (needs a write token in $GOLDGEN_TOKEN)",
    )
    group.addoption("--goldgen-cache", default=None, help="cache folder for downloads (default: $GOLDGEN_CACHE, else none)")
    group.addoption("--goldgen-lock", default=None, help="lock file pinning references to digests (default: $GOLDGEN_LOCK, else none)")
    group.addoption("--goldgen-offline", action="store_true", default=False, help="never touch the network (also $GOLDGEN_OFFLINE=1)")


def pytest_configure(config):
    if config.getoption("goldgen_update"):
        testing.update_mode = True


def _option(config, name: str, env: str):
    value = config.getoption(name)
    return value if value is not None else (os.environ.get(env) or None)


@pytest.fixture(scope="session")
def goldgen_client(pytestconfig) -> Client:
    """A goldgen Client for --goldgen-url / $GOLDGEN_URL (token from $GOLDGEN_TOKEN)."""
    url = _option(pytestconfig, "goldgen_url", "GOLDGEN_URL")
    if url is None:
        pytest.fail("goldgen: no server to read fixtures from: pass --goldgen-url URL or set GOLDGEN_URL", pytrace=False)
    return Client(
        url,
        cache_dir=_option(pytestconfig, "goldgen_cache", "GOLDGEN_CACHE"),
        lock_file=_option(pytestconfig, "goldgen_lock", "GOLDGEN_LOCK"),
        offline=pytestconfig.getoption("goldgen_offline") or os.environ.get("GOLDGEN_OFFLINE", "") not in ("", "0", "false"),
        token=os.environ.get("GOLDGEN_TOKEN") or None,
    )


@pytest.fixture
def goldgen_fixtures(goldgen_client):
    """``goldgen_fixtures("model@version")``: that model version's fixtures."""
    return goldgen_client.fixtures


def pytest_terminal_summary(terminalreporter):
    if testing.recorded:
        terminalreporter.section("goldgen update")
        for r in testing.recorded:
            terminalreporter.write_line(testing.describe_record(r))
