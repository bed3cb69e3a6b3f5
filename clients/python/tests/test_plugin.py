"""The pytest plugin, loaded through its pytest11 entry point (so this needs the package
installed: pip install ./clients/python), run in a separate pytest process."""

PASSING = """
def test_m(goldgen_fixtures):
    from goldgen.testing import assert_matches_golden
    for fixture in goldgen_fixtures("m@1.0.0"):
        assert_matches_golden([{"y": r["id"] * 2} for r in fixture.data()], fixture)
"""


def test_the_plugin_registers_its_options(pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--goldgen-url*", "*--goldgen-update*"])


def test_goldgen_client_says_what_is_missing_without_a_server(pytester, monkeypatch):
    monkeypatch.delenv("GOLDGEN_URL", raising=False)
    pytester.makepyfile(PASSING)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no server to read fixtures from: pass --goldgen-url URL or set GOLDGEN_URL*"])


def test_goldgen_fixtures_with_goldgen_url(pytester, monkeypatch, server_url):
    monkeypatch.delenv("GOLDGEN_URL", raising=False)
    pytester.makepyfile(PASSING)
    pytester.runpytest_subprocess(f"--goldgen-url={server_url}").assert_outcomes(passed=1)
