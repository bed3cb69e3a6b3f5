"""The goldgen HTTP client (standard library only), with the guarantees of the TypeScript client
(src/client/index.ts) and the same `goldgen.lock` file, so a repository with both languages
shares one lock:

- every download is checked: its SHA-256 must equal the server's strong ETag, else an INTEGRITY
  error, and nothing unverified is returned or cached;
- a content-addressed cache (``cache_dir/objects/<sha256>``) makes a second fetch free;
- the lock file pins each reference to the digest it first resolved to, so a test keeps the same
  bytes after an alias moves; ``offline=True`` never touches the network and fails clearly on a
  cache miss; ``token`` is sent as a bearer token.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .errors import GoldgenError
from .values import Row, parse_csv, parse_jsonl

FORMATS = ("arrow", "arrow-file", "csv", "jsonl", "json")


@dataclass
class Download:
    data: bytes
    media_type: str
    sha256: str


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _split(ref: str, what: str, default: Optional[str]) -> Tuple[str, str]:
    name, at, version = ref.partition("@")
    if name == "" or (at == "" and default is None) or (at != "" and version == ""):
        raise GoldgenError("USAGE", f"malformed {what} reference {json.dumps(ref)}: expected {what.upper()}@{'REF' if what == 'dataset' else 'VERSION'}")
    return name, version if at else (default or "")


def _write_atomic(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}-{id(data)}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Client:
    """A client of one goldgen server.

    >>> client = Client("http://127.0.0.1:8787", cache_dir=".goldgen-cache", lock_file="goldgen.lock")
    >>> rows = client.dataset("churn@prod").rows()          # doctest: +SKIP
    >>> fixtures = client.fixtures("churn-model@1.2.0")     # doctest: +SKIP
    """

    def __init__(
        self,
        base_url: str,
        cache_dir: Optional[str] = None,
        lock_file: Optional[str] = None,
        offline: bool = False,
        token: Optional[str] = None,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise GoldgenError("USAGE", f"the server URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.cache_dir = None if cache_dir is None else os.fspath(cache_dir)
        self.lock_file = None if lock_file is None else os.fspath(lock_file)
        self.offline = offline
        self.token = token

    # -- the lock file and the cache ---------------------------------------------------------
    def _read_lock(self) -> Dict[str, Any]:
        if self.lock_file is None or not os.path.exists(self.lock_file):
            return {"lockVersion": 1, "entries": {}}
        try:
            with open(self.lock_file, encoding="utf-8") as f:
                lock = json.load(f)
        except (OSError, ValueError) as e:
            raise GoldgenError("USAGE", f"{self.lock_file}: not a goldgen lock file ({e})") from None
        if not isinstance(lock, dict) or lock.get("lockVersion") != 1 or not isinstance(lock.get("entries"), dict):
            raise GoldgenError("USAGE", f"{self.lock_file}: not a goldgen lock file (expected {{\"lockVersion\": 1, \"entries\": {{…}}}})")
        return lock

    def _pin(self, key: str, entry: Optional[Dict[str, str]]) -> None:
        if self.lock_file is None:
            return
        entries = self._read_lock()["entries"]
        if entry is None:
            entries.pop(key, None)
        else:
            entries[key] = entry
        text = json.dumps({"lockVersion": 1, "entries": dict(sorted(entries.items()))}, indent=2, ensure_ascii=False)
        _write_atomic(self.lock_file, (text + "\n").encode("utf-8"))

    def _cache_path(self, digest: str) -> Optional[str]:
        return None if self.cache_dir is None else os.path.join(self.cache_dir, "objects", digest)

    def _from_cache(self, digest: str) -> Optional[bytes]:
        path = self._cache_path(digest)
        if path is None or not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            data = f.read()
        # A cached file that no longer matches its name is ignored (and replaced on the next download).
        return data if _sha256(data) == digest else None

    # -- HTTP ----------------------------------------------------------------------------------
    def _request(self, path: str, method: str = "GET", body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None, token: Optional[str] = None):
        if self.offline:
            raise GoldgenError("NOT_FOUND", f"offline: {path} is not in the cache or lock file")
        all_headers = dict(headers or {})
        bearer = token if token is not None else self.token
        if bearer:
            all_headers["Authorization"] = f"Bearer {bearer}"
        if path.startswith(("http://", "https://")):  # an absolute link from the server
            parts = urllib.parse.urlsplit(path)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=all_headers)
        try:
            return urllib.request.urlopen(request, timeout=60)  # follows alias redirects
        except urllib.error.HTTPError as e:
            detail = f"{e.code} {e.reason}"
            try:
                problem = json.loads(e.read().decode("utf-8"))
                detail = problem.get("detail") or detail
            except ValueError:
                pass
            code = "NOT_FOUND" if e.code == 404 else "CONFLICT" if e.code == 409 else "USAGE" if e.code < 500 else "IO"
            raise GoldgenError(code, f"{path}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise GoldgenError("IO", f"cannot reach the goldgen server at {self.base_url}: {reason}") from None

    def _download(self, key: str, path: str) -> Download:
        """Downloads (or reads from the cache) a URL's content, verified against its digest."""
        locked = self._read_lock()["entries"].get(key)
        if locked is not None:
            cached = self._from_cache(locked["sha256"])
            if cached is not None:
                return Download(cached, locked["mediaType"], locked["sha256"])
            if self.offline:
                raise GoldgenError(
                    "NOT_FOUND",
                    f"offline: {key} is pinned to {locked['sha256'][:12]}… but that content is not in the cache {self.cache_dir or '(no cache_dir)'}",
                )
            path = locked["url"]
        elif self.offline:
            raise GoldgenError("NOT_FOUND", f"offline: {key} is not in the lock file {self.lock_file or '(no lock_file)'}")
        with self._request(path) as response:
            data = response.read()
            etag = (response.headers.get("ETag") or "").strip('"') or None
            media_type = response.headers.get("Content-Type") or "application/octet-stream"
            final = urllib.parse.urlsplit(response.geturl())
        digest = _sha256(data)
        if etag != digest:
            raise GoldgenError(
                "INTEGRITY",
                f"the download of {key} does not match its digest (got {digest[:12]}…, the server said {etag[:12] if etag else 'nothing'}); nothing was cached",
            )
        if locked is not None and locked["sha256"] != digest:
            raise GoldgenError(
                "INTEGRITY",
                f"{key} is pinned to {locked['sha256'][:12]}… in {self.lock_file} but the server now serves {digest[:12]}…",
            )
        cache = self._cache_path(digest)
        if cache is not None:
            _write_atomic(cache, data)
        self._pin(key, {"url": final.path + (f"?{final.query}" if final.query else ""), "sha256": digest, "mediaType": media_type})
        return Download(data, media_type, digest)

    def _json(self, key: str, path: str) -> Any:
        """A JSON listing, pinned and cached like data (its digest computed here: listings have no ETag)."""
        locked = self._read_lock()["entries"].get(key)
        cached = None if locked is None else self._from_cache(locked["sha256"])
        if cached is None:
            if self.offline:
                raise GoldgenError("NOT_FOUND", f"offline: {key} is not in the lock file and cache ({self.lock_file or 'no lock_file'}, {self.cache_dir or 'no cache_dir'})")
            with self._request(path) as response:
                cached = response.read()
            digest = _sha256(cached)
            cache = self._cache_path(digest)
            if cache is not None:
                _write_atomic(cache, cached)
            self._pin(key, {"url": path, "sha256": digest, "mediaType": "application/json"})
        return json.loads(cached.decode("utf-8"))

    # -- the API ---------------------------------------------------------------------------------
    def dataset(self, ref: str) -> "Dataset":
        """A dataset reference: ``name``, ``name@3``, ``name@prod``, ``name@sha256:ab12…``."""
        _split(ref, "dataset", "latest")
        return Dataset(self, ref)

    def fixtures(self, model_ref: str) -> List["Fixture"]:
        """The datasets bound to a model version (``model@version``), with expected outputs and tolerances."""
        from .fixtures import Fixture

        model, version = _split(model_ref, "model", None)
        q = urllib.parse.quote
        listing = self._json(f"{model_ref}#fixtures", f"/v1/models/{q(model, safe='')}/versions/{q(version, safe='')}/fixtures")
        return [Fixture(self, model_ref, entry) for entry in listing]

    def metric_expectations(self, model_ref: str) -> List[Dict[str, Any]]:
        """A model version's metric expectations (``goldgen expect --metric``), one dict per dataset
        version: ``dataset``, ``metrics`` (``text``, ``name``, ``truth``, ``prediction``, ``op``,
        ``bound``), ``slices`` (``text``, ``column``, ``bins``) and ``baseline`` (``model``,
        ``maxDrop``, or None). Read anew on each call (not pinned)."""
        model, version = _split(model_ref, "model", None)
        q = urllib.parse.quote
        with self._request(f"/v1/models/{q(model, safe='')}/versions/{q(version, safe='')}/metrics") as response:
            return json.loads(response.read().decode("utf-8"))

    def _record(self, fixture: "Any", rows: List[Row]) -> Dict[str, Any]:
        from .values import to_jsonl

        token = self.token or os.environ.get("GOLDGEN_TOKEN")
        if not token:
            raise GoldgenError(
                "USAGE",
                f"recording new expected outputs for {fixture.model} on {fixture.dataset} needs a write token: set GOLDGEN_TOKEN (goldgen token create --scope write) or pass Client(token=…)",
            )
        if self.offline:
            raise GoldgenError("USAGE", f"offline: cannot record new expected outputs for {fixture.model}")
        query = [("update", "true")] + [("tolerance", f"{c}={t['kind']}" + (f":{t['value']}" if t.get("value") is not None else "")) for c, t in fixture.tolerances.items()]
        path = fixture.links["expected"].rsplit("/expected", 1)[0] + "?" + urllib.parse.urlencode(query)
        with self._request(path, method="PUT", body=to_jsonl(rows), headers={"Content-Type": "application/x-ndjson"}, token=token) as response:
            recorded = json.loads(response.read().decode("utf-8"))
        # The fixtures listing and these expected outputs changed: pin them again on the next read.
        self._pin(f"{fixture.model}#fixtures", None)
        self._pin(f"{fixture.model} {fixture.dataset}#expected", None)
        return recorded


class Dataset:
    """One dataset reference of a client; every read is verified, cached and pinned."""

    def __init__(self, client: Client, ref: str) -> None:
        self.client = client
        self.ref = ref

    def _path(self, format: str) -> str:
        if format not in FORMATS:
            raise GoldgenError("USAGE", f"unknown format {format!r}: expected one of {', '.join(FORMATS)}")
        name, version = _split(self.ref, "dataset", "latest")
        q = urllib.parse.quote
        return f"/v1/datasets/{q(name, safe='')}/versions/{q(version, safe='')}/data?format={format}"

    def _get(self, format: str) -> Download:
        return self.client._download(f"{self.ref}#{format}", self._path(format))

    def bytes(self, format: str = "arrow") -> bytes:
        """The content in a format (Arrow IPC stream by default), verified."""
        return self._get(format).data

    @property
    def digest(self) -> str:
        """The SHA-256 this reference resolves to (of its Arrow stream, as the TypeScript client's digest())."""
        return self._get("arrow").sha256

    def rows(self) -> List[Row]:
        """Rows as dicts (from JSONL): null is None, NaN and ±Infinity are floats, dates ISO strings."""
        got = self._get("jsonl")
        return parse_csv(got.data) if got.media_type.startswith("text/csv") else parse_jsonl(got.data)

    def to_arrow(self):
        """A pyarrow Table (needs pyarrow)."""
        try:
            import pyarrow.ipc
        except ImportError:
            raise ImportError("goldgen: Dataset.to_arrow() needs pyarrow (pip install pyarrow); rows() and to_pandas() work without it") from None
        return pyarrow.ipc.open_stream(self.bytes("arrow")).read_all()

    def to_pandas(self):
        """A pandas DataFrame (needs pandas): from Arrow when pyarrow is installed, else from rows()."""
        try:
            import pandas
        except ImportError:
            raise ImportError("goldgen: Dataset.to_pandas() needs pandas (pip install pandas)") from None
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            rows = self.rows()
            return pandas.DataFrame.from_records(rows, columns=list(rows[0].keys()) if rows else None)
        return self.to_arrow().to_pandas()

    def _version_path(self) -> str:
        name, version = _split(self.ref, "dataset", "latest")
        q = urllib.parse.quote
        return f"/v1/datasets/{q(name, safe='')}/versions/{q(version, safe='')}"

    def tables(self) -> List[Dict[str, Any]]:
        """A multi-table version's tables: name, rows, sha256, digest and links of each (pinned and cached)."""
        return self.client._json(f"{self.ref}#tables", f"{self._version_path()}/tables")["tables"]

    def table(self, name: str) -> "Table":
        """One table of a multi-table version: bytes(), rows(), digest, to_arrow() and to_pandas(), as a version offers."""
        if not isinstance(name, str) or name == "":
            raise GoldgenError("USAGE", f"a table name must be a non-empty string, got {name!r}")
        return Table(self, name)

    def __repr__(self) -> str:
        return f"Dataset({self.ref!r})"


class Table(Dataset):
    """One table of a multi-table version; its reads are verified, cached and pinned like a version's."""

    def __init__(self, dataset: Dataset, name: str) -> None:
        super().__init__(dataset.client, dataset.ref)
        self.name = name

    def _path(self, format: str) -> str:
        if format not in FORMATS:
            raise GoldgenError("USAGE", f"unknown format {format!r}: expected one of {', '.join(FORMATS)}")
        q = urllib.parse.quote
        return f"{self._version_path()}/tables/{q(self.name, safe='')}/data?format={format}"

    def _get(self, format: str) -> Download:
        return self.client._download(f"{self.ref}/{self.name}#{format}", self._path(format))

    def tables(self) -> List[Dict[str, Any]]:
        raise GoldgenError("USAGE", f"{self.ref} table {self.name} is one table; list the tables with dataset({self.ref!r}).tables()")

    def table(self, name: str) -> "Table":
        raise GoldgenError("USAGE", f"{self.ref} table {self.name} is one table; read another with dataset({self.ref!r}).table({name!r})")

    def __repr__(self) -> str:
        return f"Table({self.ref!r}, {self.name!r})"
