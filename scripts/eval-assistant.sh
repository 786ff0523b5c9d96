#!/usr/bin/env bash
# Language understanding of the self-service assistant on the held-out test rows of
# services/selfservice/eval/dialogues-{nl,de,en}.tsv: intent accuracy, slot precision/recall/F1,
# how often it would act and how often rightly, out-of-domain handling, time per message.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo test --quiet --locked --release -p hrmesh-selfservice --test understand_eval -- --nocapture
