#!/usr/bin/env bash
# Skills benchmarks (release build) with the full ESCO classification: competence model build,
# team gap analysis (250 employees × every skill) and transfer-candidate ranking per ESCO occupation.
# ESCO data: $HRMESH_ESCO_DIR, else ../shared/data/esco next to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

cargo bench --locked -p hrmesh-skills --bench competence
