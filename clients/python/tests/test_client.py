"""The Python client against a live goldgen server (see conftest.py for what it holds), and
against small fake servers for what a real one never does (a corrupt download)."""

import hashlib
import http.server
import json
import math
import threading
import urllib.request

import pandas as pd
import pytest

from goldgen import Client, GoldgenError
from goldgen.testing import assert_matches_golden


def move_alias(url, token, version):
    request = urllib.request.Request(
        f"{url}/v1/datasets/d/aliases/prod",
        data=json.dumps({"version": version}).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request).read()


class Fake:
    """A one-route HTTP server answering every GET with `body` and `etag`, recording the headers."""

    def __init__(self, body: bytes, etag: str):
        seen = self.headers = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(dict(self.headers))
                self.send_response(200)
                self.send_header("ETag", f'"{etag}"')
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


def test_rows_follow_alias_redirects_and_keep_nan(server_url):
    rows = Client(server_url).dataset("d@prod").rows()
    assert [r["id"] for r in rows] == list(range(1, 31))
    assert sum(1 for r in rows if isinstance(r["x"], float) and math.isnan(r["x"])) == 1
    assert len(Client(server_url).dataset("d").rows()) == 31


def test_bytes_pandas_and_digest(server_url):
    d = Client(server_url).dataset("d@1")
    assert d.bytes("csv").decode().startswith("id,x\r\n1,")
    frame = d.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["id", "x"] and len(frame) == 30
    assert d.digest == hashlib.sha256(d.bytes("arrow")).hexdigest()
    with pytest.raises(GoldgenError, match="unknown format 'xml'"):
        d.bytes("xml")


def test_to_arrow_uses_pyarrow_or_says_it_is_needed(server_url):
    d = Client(server_url).dataset("d@1")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"to_arrow\(\) needs pyarrow"):
            d.to_arrow()
    else:
        assert d.to_arrow().num_rows == 30


def test_table_fails_clearly_on_single_table_versions(server_url):
    with pytest.raises(GoldgenError, match="d@1 is a single-table version: it has no table") as e:
        Client(server_url).dataset("d@1").table("orders").rows()
    assert e.value.code == "NOT_FOUND"


def test_lock_pins_references_after_an_alias_moves_and_offline_reads_the_cache(server_url, write_token, tmp_path):
    lock, cache = tmp_path / "goldgen.lock", tmp_path / "cache"
    client = Client(server_url, cache_dir=cache, lock_file=lock)
    first = client.dataset("d@prod").rows()
    entry = json.loads(lock.read_text())["entries"]["d@prod#jsonl"]
    assert entry["url"] == "/v1/datasets/d/versions/1/data?format=jsonl"
    assert (cache / "objects" / entry["sha256"]).exists()
    move_alias(server_url, write_token, 2)
    try:
        assert len(Client(server_url).dataset("d@prod").rows()) == 31
        assert [r["id"] for r in client.dataset("d@prod").rows()] == [r["id"] for r in first] == list(range(1, 31))
    finally:
        move_alias(server_url, write_token, 1)
    offline = Client("http://127.0.0.1:9", cache_dir=cache, lock_file=lock, offline=True)
    assert len(offline.dataset("d@prod").rows()) == 30
    with pytest.raises(GoldgenError, match=r"offline: d@2#jsonl is not in the lock file") as e:
        offline.dataset("d@2").rows()
    assert e.value.code == "NOT_FOUND"
    (cache / "objects" / entry["sha256"]).unlink()
    with pytest.raises(GoldgenError, match="is pinned to .* but that content is not in the cache"):
        offline.dataset("d@prod").rows()


def test_reads_a_lock_file_and_cache_written_by_the_typescript_client():
    import os

    lock, cache = os.environ["GOLDGEN_TEST_TS_LOCK"], os.environ["GOLDGEN_TEST_TS_CACHE"]
    offline = Client("http://127.0.0.1:9", cache_dir=cache, lock_file=lock, offline=True)
    assert len(offline.dataset("d@prod").rows()) == 30
    [fixture] = offline.fixtures("m@1.0.0")
    assert fixture.expected()[2] == {"y": 6}


def test_a_download_that_does_not_match_its_digest_is_an_integrity_error_and_not_cached(tmp_path):
    fake = Fake(b'{"id":1}\n', "0" * 64)
    try:
        with pytest.raises(GoldgenError, match="does not match its digest") as e:
            Client(fake.url, cache_dir=tmp_path / "cache").dataset("d@1").rows()
        assert e.value.code == "INTEGRITY"
        assert not (tmp_path / "cache").exists()
    finally:
        fake.close()


def test_sends_the_bearer_token(tmp_path):
    body = b'{"id":1}\n'
    fake = Fake(body, hashlib.sha256(body).hexdigest())
    try:
        assert Client(fake.url, token="s3cret").dataset("d@1").rows() == [{"id": 1}]
        assert fake.headers[0].get("Authorization") == "Bearer s3cret"
    finally:
        fake.close()


def test_clear_errors_for_bad_references_and_unreachable_servers():
    with pytest.raises(GoldgenError, match="malformed model reference"):
        Client("http://127.0.0.1:9").fixtures("m")
    with pytest.raises(GoldgenError, match="cannot reach the goldgen server") as e:
        Client("http://127.0.0.1:9").dataset("d@1").rows()
    assert e.value.code == "IO"
    with pytest.raises(GoldgenError, match="must start with http"):
        Client("localhost:8787")


def test_fixtures_with_data_expected_outputs_and_tolerances(server_url):
    [fixture] = Client(server_url).fixtures("m@1.0.0")
    assert (fixture.model, fixture.dataset, fixture.rows) == ("m@1.0.0", "d@1", 30)
    assert fixture.tolerances == {"y": {"kind": "atol", "value": 0.01}}
    assert [r["id"] for r in fixture.data()] == list(range(1, 31))
    assert fixture.expected()[2] == {"y": 6}


def test_assert_matches_golden_passes_within_tolerance_and_lists_failures(server_url):
    [fixture] = Client(server_url).fixtures("m@1.0.0")
    inputs = fixture.data()
    assert_matches_golden([{"y": r["id"] * 2 + 0.005} for r in inputs], fixture)
    assert_matches_golden(pd.DataFrame({"y": [r["id"] * 2 for r in inputs]}), fixture)
    [nan_row] = [r for r, tags in fixture.tags().items() if "x:nan" in tags]
    wrong = [{"y": r["id"] * 2 + (1 if i in (6, nan_row) else 0)} for i, r in enumerate(inputs)]
    with pytest.raises(AssertionError) as e:
        assert_matches_golden(wrong, fixture)
    message = str(e.value)
    assert message.startswith("m@1.0.0 on d@1: 2 of 30 rows differ beyond tolerance")
    assert "  row 6\n    y: expected 14, got 15 (tolerance atol:0.01, off by 1)" in message
    assert f"  row {nan_row}  [edge cases: x:nan]\n" in message
    with pytest.raises(AssertionError, match="expected 30 rows of outputs, got 29"):
        assert_matches_golden(pd.DataFrame({"y": [r["id"] * 2 for r in inputs[1:]]}), fixture)
    with pytest.raises(AssertionError, match='the outputs have no column "y"'):
        assert_matches_golden([{"z": 1}] * 30, fixture)


def test_update_mode_records_a_new_expectation_and_keeps_the_old(server_url, write_token, monkeypatch, tmp_path):
    lock = tmp_path / "goldgen.lock"
    [fixture] = Client(server_url, lock_file=lock).fixtures("m@2.0.0")
    # A NaN must survive the trip to the registry and back (goldgen JSONL writes it as "NaN").
    new = [{"y": math.nan if i == 0 else r["id"] * 3} for i, r in enumerate(fixture.data())]
    with pytest.raises(AssertionError, match="30 of 30 rows differ"):
        assert_matches_golden(new, fixture)
    monkeypatch.setenv("GOLDGEN_UPDATE", "1")
    with pytest.raises(AssertionError, match="needs a write token: set GOLDGEN_TOKEN"):
        assert_matches_golden(new, fixture)
    monkeypatch.setenv("GOLDGEN_TOKEN", write_token)
    assert_matches_golden(new, fixture)
    assert "m@2.0.0#fixtures" not in json.loads(lock.read_text())["entries"]
    monkeypatch.delenv("GOLDGEN_UPDATE")
    [again] = Client(server_url, lock_file=lock).fixtures("m@2.0.0")
    assert again.tolerances == fixture.tolerances
    assert_matches_golden(new, again)
    with pytest.raises(AssertionError, match="30 of 30 rows differ"):
        assert_matches_golden([{"y": r["id"] * 2} for r in fixture.data()], again)
