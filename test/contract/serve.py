"""Serves the contract tests' scikit-learn model behind small protocol adapters, one process for
all of them: /{protocol}/{variant}/… where protocol is oip, kserve-v1, mlflow or json and variant is
ok, packed (OIP: one [n, 3] input "x", outputs "probability" and "label"), or a fault: drift (an output
renamed), offset (predictions moved for age >= 60), crash (no input checks: 500 with a traceback),
slow (60 ms per inference), drop (drops the connection when another request is in flight).
serve.py MODEL.pkl [DOMAIN_JSON] (default: the domain of churn.yaml); prints the port it listens on."""
import json
import math
import pickle
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import contract_model as cm

MODEL = pickle.load(open(sys.argv[1], "rb"))
DOMAIN = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {
    "age": {"type": "int", "min": 18, "max": 90},
    "income": {"type": "float", "min": 0, "max": 200000, "nullable": True},
    "score": {"type": "float", "min": 0, "max": 1},
    "plan": {"type": "category", "values": ["basic", "pro", "enterprise"]},
}
NAME = "churn"
lock = threading.Lock()
inflight = {}


class BadInput(Exception):
    pass


def check(rows):
    """Rejects what the model's input domain does not hold (the good servers do this)."""
    for i, r in enumerate(rows):
        for c in cm.COLUMNS:
            d = DOMAIN[c]
            if c not in r:
                raise BadInput(f"row {i}: missing input {c}")
            v = r[c]
            if v is None:
                if not d.get("nullable"):
                    raise BadInput(f"row {i}: {c} must not be null")
                continue
            if d["type"] == "category":
                if not isinstance(v, str) or v not in d["values"]:
                    raise BadInput(f"row {i}: {c} must be one of {', '.join(d['values'])}")
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise BadInput(f"row {i}: {c} must be a number")
            if d["type"] == "int" and not float(v).is_integer():
                raise BadInput(f"row {i}: {c} must be a whole number")
            if math.isfinite(v) and not (d["min"] <= v <= d["max"]):
                raise BadInput(f"row {i}: {c} must be between {d['min']} and {d['max']}")


def oip_rows(body, packed):
    """Rows from OIP tensors (one per column, or "x" = [age, income, score] when packed)."""
    tensors = {t["name"]: t for t in body.get("inputs", [])}
    columns = {}
    n = None
    for t in tensors.values():
        data = t["data"]
        if t["datatype"] == "BYTES" and any(not isinstance(v, str) for v in data):
            raise BadInput(f"input {t['name']}: BYTES data must be strings")
        if packed and t["name"] == "x":
            flat = [v for row in data for v in (row if isinstance(row, list) else [row])]
            k = len(cm.NUMERIC)
            for j, c in enumerate(cm.NUMERIC):
                columns[c] = flat[j::k]
        else:
            columns[t["name"]] = data
        n = t["shape"][0]
    return [{c: columns[c][i] for c in columns} for i in range(n or 0)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def release(self):
        # A request stops counting as in flight before its answer is written, so a client that
        # sends its next request as soon as it reads this answer never finds it still counted.
        variant, self.counted = getattr(self, "counted", None), None
        if variant is not None:
            with lock:
                inflight[variant] -= 1

    def answer(self, status, body):
        self.release()
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("content-type", "application/json" if not isinstance(body, bytes) else "text/plain")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        parts = self.path.split("/", 3)
        if len(parts) < 3:
            return None, None, ""
        return parts[1], parts[2], "/" + (parts[3] if len(parts) > 3 else "")

    def do_GET(self):
        protocol, variant, rest = self.route()
        if protocol == "oip" and rest in ("/v2/health/ready", f"/v2/models/{NAME}/ready"):
            return self.answer(200, {})
        if protocol == "oip" and rest == f"/v2/models/{NAME}":
            return self.answer(200, self.metadata(variant))
        if protocol == "kserve-v1" and rest == f"/v1/models/{NAME}":
            return self.answer(200, {"name": NAME, "ready": True})
        if protocol == "mlflow" and rest == "/ping":
            return self.answer(200, {})
        if protocol == "json" and rest == "/":
            return self.answer(405, {"error": "POST rows here"})
        self.answer(404, {"error": "not found"})

    def metadata(self, variant):
        prob = {"drift": "churn_probability", "packed": "probability"}.get(variant, "churn_prob")
        label = "label" if variant == "packed" else "churn"
        inputs = (
            [{"name": "x", "datatype": "FP64", "shape": [-1, 3]}]
            if variant == "packed"
            else [{"name": c, "datatype": "INT64" if c == "age" else "FP64", "shape": [-1]} for c in cm.NUMERIC]
        ) + [{"name": "plan", "datatype": "BYTES", "shape": [-1]}]
        outputs = [{"name": prob, "datatype": "FP64", "shape": [-1]}, {"name": label, "datatype": "INT64", "shape": [-1]}]
        return {"name": NAME, "versions": ["1"], "platform": "sklearn", "inputs": inputs, "outputs": outputs}

    def do_POST(self):
        protocol, variant, rest = self.route()
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))
        with lock:
            inflight[variant] = inflight.get(variant, 0) + 1
            busy = inflight[variant] > 1
        self.counted = variant
        try:
            if variant == "drop" and busy:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.infer(protocol, variant, rest, raw)
        finally:
            self.release()

    def infer(self, protocol, variant, rest, raw):
        if variant == "slow":
            time.sleep(0.06)
        if variant == "drop":
            time.sleep(0.005)
        try:
            body = json.loads(raw)
            if protocol == "oip" and rest == f"/v2/models/{NAME}/infer":
                rows = oip_rows(body, variant == "packed")
            elif protocol == "kserve-v1" and rest == f"/v1/models/{NAME}:predict":
                rows = body["instances"]
            elif protocol == "mlflow" and rest == "/invocations":
                split = body["dataframe_split"]
                rows = [dict(zip(split["columns"], r)) for r in split["data"]]
            elif protocol == "json" and rest == "/":
                rows = body
            else:
                return self.answer(404, {"error": "not found"})
            if variant != "crash":
                check(rows)
            prob, label = cm.predict(MODEL, [[r[c] for c in cm.COLUMNS] for r in rows])
        except (BadInput, KeyError, TypeError, ValueError) as e:
            if variant == "crash":
                return self.answer(500, traceback.format_exc().encode())
            message = str(e) if isinstance(e, BadInput) else f"malformed request: {type(e).__name__}"
            if protocol == "mlflow":
                return self.answer(400, {"error_code": "BAD_REQUEST", "message": message})
            return self.answer(400, {"error": message})
        prob = [float(p) + (0.05 if variant == "offset" and r["age"] >= 60 else 0.0) for p, r in zip(prob, rows)]
        label = [int(x) for x in label]
        if protocol == "oip":
            meta = self.metadata(variant)["outputs"]
            outputs = [
                {"name": meta[0]["name"], "datatype": "FP64", "shape": [len(rows)], "data": prob},
                {"name": meta[1]["name"], "datatype": "INT64", "shape": [len(rows)], "data": label},
            ]
            return self.answer(200, {"model_name": NAME, "model_version": "1", "outputs": outputs})
        prob_name = "churn_probability" if variant == "drift" else "churn_prob"
        predictions = [{prob_name: p, "churn": c} for p, c in zip(prob, label)]
        if protocol == "json":
            return self.answer(200, predictions)
        return self.answer(200, {"predictions": predictions})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
