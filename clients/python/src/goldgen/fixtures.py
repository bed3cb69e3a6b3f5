"""A model version's fixture: a dataset version bound to it, its expected outputs and
tolerances, the edge-case tags of its rows, and recording new expected outputs."""

from __future__ import annotations

from typing import Any, Dict, List

from .errors import GoldgenError
from .values import Row, parse_csv, parse_jsonl


class Fixture:
    def __init__(self, client: Any, model: str, entry: Dict[str, Any]) -> None:
        self.client = client
        #: The model version, ``MODEL@VERSION``.
        self.model: str = model
        #: The dataset version, ``NAME@N``.
        self.dataset: str = entry["dataset"]
        self.rows: int = entry["rows"]
        #: Per output column: ``{"kind": "exact"}``, ``{"kind": "atol", "value": X}`` or ``{"kind": "rtol", "value": X}``.
        self.tolerances: Dict[str, Dict[str, Any]] = entry.get("tolerances") or {}
        self.links: Dict[str, str] = entry["links"]
        self._tags: Dict[int, List[str]] = {}

    def data(self) -> List[Row]:
        """The input rows."""
        return self.client.dataset(self.dataset).rows()

    def to_pandas(self):
        """The input rows as a pandas DataFrame."""
        return self.client.dataset(self.dataset).to_pandas()

    def expected(self) -> List[Row]:
        """The expected output rows."""
        got = self.client._download(f"{self.model} {self.dataset}#expected", self.links["expected"])
        if got.media_type.startswith("text/csv"):
            return parse_csv(got.data)
        if "arrow" in got.media_type:
            try:
                import pyarrow.ipc
            except ImportError:
                raise GoldgenError("NOT_SUPPORTED", f"the expected outputs of {self.model} on {self.dataset} are stored as Arrow; reading them needs pyarrow (pip install pyarrow)") from None
            reader = pyarrow.ipc.open_file if got.data[:6] == b"ARROW1" else pyarrow.ipc.open_stream
            return reader(got.data).read_all().to_pylist()
        return parse_jsonl(got.data)

    def tags(self) -> Dict[int, List[str]]:
        """Each row's edge cases as ``column:kind``, from the dataset version's manifest (none offline)."""
        if self.client.offline or self._tags:
            return self._tags
        name, _, number = self.dataset.partition("@")
        with self.client._request(f"/v1/datasets/{name}/versions/{number}") as response:
            import json

            manifest = json.loads(response.read().decode("utf-8")).get("manifest") or {}
        for column, info in (manifest.get("columns") or {}).items():
            for kind, rows in ((info or {}).get("edgeCases") or {}).items():
                for r in rows:
                    self._tags.setdefault(r, []).append(f"{column}:{kind}")
        return self._tags

    def record(self, rows: List[Row]) -> Dict[str, Any]:
        """Records ``rows`` as the new expected outputs (same tolerances): a new registry record; the
        old one is kept (``goldgen expectations MODEL@VERSION``). Needs a write token."""
        return self.client._record(self, rows)

    def __repr__(self) -> str:
        return f"Fixture({self.model!r} on {self.dataset!r}, tolerances={self.tolerances!r})"
