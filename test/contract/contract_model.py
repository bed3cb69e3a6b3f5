"""A real scikit-learn churn model for goldgen's contract tests: trained on a goldgen fixture,
its expected outputs computed here by scikit-learn (not by goldgen's runner)."""
import csv
import math

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

COLUMNS = ["age", "income", "score", "plan"]
NUMERIC = ["age", "income", "score"]


def finite(x):
    """Numeric features as floats, with missing values and ±inf as NaN (the imputer fills them)."""
    out = np.array([[math.nan if v is None else float(v) for v in row] for row in x], dtype=float)
    out[~np.isfinite(out)] = math.nan
    return out


def build():
    numeric = Pipeline(
        [("finite", FunctionTransformer(finite)), ("impute", SimpleImputer()), ("scale", StandardScaler())]
    )
    features = ColumnTransformer(
        [("num", numeric, [0, 1, 2]), ("cat", OneHotEncoder(handle_unknown="ignore"), [3])]
    )
    return Pipeline([("features", features), ("model", LogisticRegression())])


def read_csv(path):
    """Rows as [age, income, score, plan] (empty cells → None, NaN/Infinity as floats)."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.append([None if r[c] == "" else float(r[c]) for c in NUMERIC] + [r["plan"]])
    return rows


def as_matrix(rows):
    return np.array(rows, dtype=object).reshape(len(rows), len(COLUMNS))


def labels(rows, seed=3):
    """A churn label that depends on the features, with noise."""
    rng = np.random.default_rng(seed)
    x = finite(as_matrix(rows)[:, :3])
    x = np.where(np.isnan(x), 0.5, x)
    signal = (x[:, 0] - 50) / 20 + (x[:, 2] - 0.5) * 2 - (x[:, 1] - 100000) / 80000
    signal += np.array([0.8 if r[3] == "basic" else -0.4 for r in rows])
    return (signal + rng.normal(0, 0.7, len(rows)) > 0).astype(int)


def predict(model, rows):
    """churn_prob and churn for rows of [age, income, score, plan]."""
    x = as_matrix(rows)
    return model.predict_proba(x)[:, 1], model.predict(x)
