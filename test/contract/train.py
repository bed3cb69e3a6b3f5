"""Trains the contract tests' model on a goldgen training fixture and writes its expected outputs
on the replay fixture: train.py TRAIN.csv FIXTURE.csv MODEL.pkl EXPECTED.csv"""
import csv
import pickle
import sys

import contract_model as cm

train_csv, fixture_csv, model_path, expected_path = sys.argv[1:5]
rows = cm.read_csv(train_csv)
model = cm.build().fit(cm.as_matrix(rows), cm.labels(rows))
with open(model_path, "wb") as f:
    pickle.dump(model, f)
prob, label = cm.predict(model, cm.read_csv(fixture_csv))
with open(expected_path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["churn_prob", "churn"])
    for p, c in zip(prob, label):
        w.writerow([repr(float(p)), int(c)])
