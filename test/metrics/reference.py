# Reference values for test/metrics.test.ts: scikit-learn's metrics on the cases read from stdin
# (JSON: [{ name, truth, pred }]), one value per case on stdout (null where scikit-learn refuses).
import json
import sys

import numpy as np
from sklearn import metrics as m

FUNCS = {
    "accuracy": lambda t, p: m.accuracy_score(t, (p >= 0.5).astype(int)),
    "precision": lambda t, p: m.precision_score(t, (p >= 0.5).astype(int), zero_division=0),
    "recall": lambda t, p: m.recall_score(t, (p >= 0.5).astype(int), zero_division=0),
    "f1": lambda t, p: m.f1_score(t, (p >= 0.5).astype(int), zero_division=0),
    "roc_auc": m.roc_auc_score,
    "log_loss": lambda t, p: m.log_loss(t, p, labels=[0, 1]),
    "mae": m.mean_absolute_error,
    "rmse": lambda t, p: m.mean_squared_error(t, p, squared=False),
    "mape": m.mean_absolute_percentage_error,
    "r2": m.r2_score,
}

out = []
for case in json.load(sys.stdin):
    t = np.array(case["truth"], dtype=float)
    p = np.array(case["pred"], dtype=float)
    out.append(float(FUNCS[case["name"]](t, p)))
print(json.dumps(out))
