#!/usr/bin/env bash
# Attrition risk: 5-fold CV ROC-AUC (mean ± sd) and calibration (Brier, ECE, reliability bins) of the
# floor (plain logistic regression), the logistic and boosting candidates, their ensemble and the
# chosen pipeline (nested CV), with fairness figures and timings, on the synthetic HR export in
# services/analytics/eval/attrition-synthetic.csv (scripts/gen-attrition-data.py).
# Another export: ATTRITION_CSV=path ATTRITION_TARGET=Attrition ATTRITION_GROUPS=Gender scripts/eval-attrition.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo test --quiet --locked --release -p hrmesh-analytics --test attrition_eval -- --nocapture
