"""Multi-table versions through the Python client: the table list, one table's rows, bytes,
digest and DataFrame (each verified and pinned like a version's), and clear errors for an unknown
table, for reading a multi-table version as one table, and for a table of a single-table version."""

import hashlib
import json

import pandas as pd
import pytest

from goldgen import Client, GoldgenError

TABLES = ["customers", "products", "orders", "order_lines"]


def test_tables_lists_names_rows_and_digests(server_url):
    listed = Client(server_url).dataset("shop@1").tables()
    assert [t["name"] for t in listed] == TABLES
    for t in listed:
        assert t["digest"] == f"sha256:{t['sha256']}"
        assert t["links"]["data"] == f"/v1/datasets/shop/versions/1/tables/{t['name']}/data"


def test_table_rows_keep_referential_integrity(server_url):
    shop = Client(server_url).dataset("shop@1")
    rows = {t["name"]: t["rows"] for t in shop.tables()}
    orders = shop.table("orders").rows()
    customers = shop.table("customers").rows()
    assert len(orders) == rows["orders"] and len(customers) == rows["customers"]
    keys = {c["customer_id"] for c in customers}
    assert all(o["customer_id"] in keys for o in orders)
    segment = {c["customer_id"]: c["segment"] for c in customers}
    assert all(o["segment"] == segment[o["customer_id"]] for o in orders)


def test_table_bytes_digest_pandas_and_lock(server_url, tmp_path):
    lock = tmp_path / "goldgen.lock"
    client = Client(server_url, cache_dir=tmp_path / "cache", lock_file=lock)
    table = client.dataset("shop").table("products")
    listed = {t["name"]: t for t in client.dataset("shop@1").tables()}
    arrow = table.bytes()
    assert hashlib.sha256(arrow).hexdigest() == listed["products"]["sha256"] == table.digest
    assert table.bytes("csv").decode().startswith("sku,category,price\r\n")
    frame = table.to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) == listed["products"]["rows"]
    entries = json.loads(lock.read_text())["entries"]
    assert entries["shop/products#arrow"]["sha256"] == listed["products"]["sha256"]
    # Offline, the pinned table is read from the cache.
    again = Client(server_url, cache_dir=tmp_path / "cache", lock_file=lock, offline=True)
    assert again.dataset("shop").table("products").bytes() == arrow


def test_unknown_table_names_the_tables(server_url):
    with pytest.raises(GoldgenError) as e:
        Client(server_url).dataset("shop@1").table("nope").rows()
    assert e.value.code == "NOT_FOUND"
    assert "customers, products, orders, order_lines" in str(e.value)


def test_a_multi_table_version_is_not_one_table(server_url):
    with pytest.raises(GoldgenError) as e:
        Client(server_url).dataset("shop@1").rows()
    assert e.value.code == "CONFLICT"
    assert "multi-table version (tables: customers, products, orders, order_lines)" in str(e.value)
