#!/usr/bin/env python3
"""Checks of the deployment artefacts beyond Kubernetes schemas (run by scripts/lint-deploy.sh).

- every enabled service gets its Deployment, Service, ServiceAccount, PodDisruptionBudget and
  NetworkPolicy (and HPA when autoscaling is on); pods are hardened and probed over gRPC;
  governance-only keys reach governance pods only;
- values.schema.json rejects bad values with a message naming the key;
- helm/hrmesh/README.md lists every value of values.yaml;
- Grafana dashboards are well-formed; deploy/asyncapi.yaml is a valid AsyncAPI 3 document;
  the Collector configuration only references components it defines.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import registry  # noqa: E402

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHART = os.path.join(ROOT, "helm", "hrmesh")
SERVICES = registry.services()
# Services every other service calls: consent (governance), reporting lines and a person's records
# (people), skill reads (skills).
SHARED = {"governance", "people", "skills"}
# Reads one service makes of another that is not shared: callee -> callers.
CALLERS = {"recruiting": {"skills"}}
GOVERNANCE_ONLY_ENV = {"HRMESH_GOVERNANCE__PSEUDONYM_KEY", "HRMESH_GOVERNANCE__SIGNING_KEY"}
SECRET_ENV = GOVERNANCE_ONLY_ENV | {"HRMESH_PRIVACY__MASTER_KEY", "HRMESH_AUTH__SERVICE_TOKEN"}

failures = []


def fail(message):
    failures.append(message)


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def merged(defaults, override):
    out = dict(defaults)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def check_render(name, path, values):
    docs = load_all(path)
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    for svc in SERVICES:
        settings = merged(values["defaults"], values["services"][svc])
        enabled = settings.get("enabled", False)
        deployments = [d for d in by_kind.get("Deployment", {}).values()
                       if d["metadata"]["labels"].get("app.kubernetes.io/component") == svc]
        if not enabled:
            if deployments:
                fail(f"{name}: {svc} is disabled but has a Deployment")
            continue
        if len(deployments) != 1:
            fail(f"{name}: {svc}: expected one Deployment, found {len(deployments)}")
            continue
        dep = deployments[0]
        obj_name = dep["metadata"]["name"]
        expected = ["Service", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy"]
        if settings["autoscaling"]["enabled"]:
            expected.append("HorizontalPodAutoscaler")
        elif "replicas" not in dep["spec"]:
            fail(f"{name}: {obj_name} has no replicas without autoscaling")
        for kind in expected:
            if obj_name not in by_kind.get(kind, {}):
                fail(f"{name}: {svc}: no {kind} {obj_name}")
        check_pod(name, svc, dep)
        check_network_policy(name, svc, by_kind.get("NetworkPolicy", {}).get(obj_name))
    return docs


def check_pod(name, svc, dep):
    where = f"{name}: Deployment {dep['metadata']['name']}"
    pod = dep["spec"]["template"]["spec"]
    psc = pod.get("securityContext", {})
    if not psc.get("runAsNonRoot"):
        fail(f"{where}: pod securityContext.runAsNonRoot is not true")
    if psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"{where}: no RuntimeDefault seccomp profile")
    if pod.get("automountServiceAccountToken") is not False:
        fail(f"{where}: service account token is mounted")
    for volume in pod.get("volumes", []):
        if "hostPath" in volume:
            fail(f"{where}: hostPath volume {volume['name']}")
    for c in pod["containers"]:
        sc = c.get("securityContext", {})
        checks = {
            "readOnlyRootFilesystem": sc.get("readOnlyRootFilesystem") is True,
            "runAsNonRoot": sc.get("runAsNonRoot") is True,
            "allowPrivilegeEscalation=false": sc.get("allowPrivilegeEscalation") is False,
            "capabilities.drop=[ALL]": sc.get("capabilities", {}).get("drop") == ["ALL"],
        }
        for what, ok in checks.items():
            if not ok:
                fail(f"{where}: container {c['name']}: securityContext {what} missing")
        for kind in ("requests", "limits"):
            for res in ("cpu", "memory"):
                if res not in c.get("resources", {}).get(kind, {}):
                    fail(f"{where}: no resources.{kind}.{res}")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            if "grpc" not in c.get(probe, {}):
                fail(f"{where}: {probe} is not a gRPC health probe")
        if c.get("args") != ["serve", svc]:
            fail(f"{where}: args {c.get('args')} should be ['serve', '{svc}']")
        env = {e["name"]: e for e in c.get("env", [])}
        for key in SECRET_ENV:
            if key in env and "valueFrom" not in env[key]:
                fail(f"{where}: {key} is not taken from a Secret")
        for key in GOVERNANCE_ONLY_ENV:
            if (key in env) != (svc == "governance"):
                fail(f"{where}: {key} must be set on governance only")
        if "HRMESH_PRIVACY__MASTER_KEY" not in env:
            fail(f"{where}: HRMESH_PRIVACY__MASTER_KEY missing")
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        if "/tmp" not in mounts:
            fail(f"{where}: no writable /tmp with a read-only root filesystem")


def check_network_policy(name, svc, policy):
    if policy is None:
        return
    where = f"{name}: NetworkPolicy {policy['metadata']['name']}"
    spec = policy["spec"]
    if sorted(spec.get("policyTypes", [])) != ["Egress", "Ingress"]:
        fail(f"{where}: must restrict both ingress and egress")
    first_peer = spec["ingress"][0]["from"][0]["podSelector"]["matchLabels"]
    if svc not in SHARED and first_peer.get("app.kubernetes.io/component") != "governance":
        fail(f"{where}: only governance (and ingressFrom) may call {svc}")
    if svc in SHARED and "app.kubernetes.io/component" in first_peer:
        fail(f"{where}: every hrmesh service must reach {svc}")
    callers = {
        peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component")
        for peer in spec["ingress"][0]["from"][1:]
    } - {None}
    if callers != CALLERS.get(svc, set()):
        fail(f"{where}: callers {sorted(callers)} instead of {sorted(CALLERS.get(svc, set()))}")
    egress = spec["egress"][0]["to"][0]["podSelector"].get("matchExpressions", [])
    if svc != "governance":
        reachable = set(egress[0]["values"]) if egress else set()
        wanted = SHARED | {callee for callee, callers in CALLERS.items() if svc in callers}
        if reachable != wanted:
            fail(f"{where}: egress to {sorted(reachable)} instead of {sorted(wanted)}")


def helm_template(helm, *args):
    return subprocess.run([helm, "template", "x", CHART, *args], capture_output=True, text=True)


def check_schema_rejects(helm):
    """values.schema.json and templates/validate.yaml must reject each bad value, naming its key."""
    bad = [
        (["--set", "kafka.partitions=0"], "kafka.partitions"),
        (["--set", "telemetry.logFormat=xml"], "telemetry.logFormat"),
        (["--set", "postgresql.url=mysql://db/hrmesh"], "postgresql.url"),
        (["--set", "services.recruiting.replicas=-1"], "services.recruiting.replicas"),
        (["--set", "securityContext.readOnlyRootFilesystem=false"], "securityContext.readOnlyRootFilesystem"),
        (["--set", "image.pullPolicy=Sometimes"], "image.pullPolicy"),
        (["--set", "kafka.brokers=not a broker list"], "kafka.brokers"),
        (["--set-json", "auth.keys=[]"], "auth.keys"),
        (["--set", "services.payroll.enabled=true"], "payroll"),
        (["--set", "events.inboxRetentionHours=24"], "events.inboxRetentionHours"),
        # Cross-field checks (templates/validate.yaml).
        (["--set", "services.governance.enabled=false"], "services.governance.enabled"),
        (["--set", "defaults.terminationGracePeriodSeconds=3"], "terminationGracePeriodSeconds"),
        (["--set", "defaults.autoscaling.enabled=true", "--set", "defaults.autoscaling.minReplicas=9"],
         "autoscaling.minReplicas"),
    ]
    for args, key in bad:
        result = helm_template(helm, *args)
        if result.returncode == 0:
            fail(f"values.schema.json accepted {' '.join(args)}")
        elif key not in result.stderr:
            fail(f"rejection of {' '.join(args)} does not name {key}: {result.stderr.strip()}")


def value_paths(node, prefix=""):
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from value_paths(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


def check_readme(values):
    with open(os.path.join(CHART, "README.md")) as f:
        readme = f.read()
    documented = set(re.findall(r"`([A-Za-z0-9_.<> \[\]-]+)`", readme))
    for path in value_paths(values):
        parts = path.split(".")
        if parts[0] == "services":
            # One row per service switch; overrides are documented once as services.<name>.<key>.
            needed = [f"services.{parts[1]}.enabled"]
            if parts[2:] != ["enabled"]:
                needed.append("services.<name>.<key>")
        else:
            needed = [path]
        for name in needed:
            if name not in documented:
                fail(f"helm/hrmesh/README.md does not list the value `{name}`")


def check_dashboards():
    paths = sorted(glob.glob(os.path.join(ROOT, "deploy", "grafana", "*.json")))
    if not paths:
        fail("no Grafana dashboards in deploy/grafana")
    uids = set()
    for path in paths:
        where = os.path.relpath(path, ROOT)
        try:
            with open(path) as f:
                dash = json.load(f)
        except json.JSONDecodeError as e:
            fail(f"{where}: invalid JSON: {e}")
            continue
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in dash:
                fail(f"{where}: no {key}")
        if dash.get("uid") in uids:
            fail(f"{where}: duplicate uid {dash.get('uid')}")
        uids.add(dash.get("uid"))
        ids = set()
        for panel in dash.get("panels", []):
            if panel.get("id") in ids:
                fail(f"{where}: duplicate panel id {panel.get('id')}")
            ids.add(panel.get("id"))
            if panel.get("type") == "row":
                continue
            targets = panel.get("targets", [])
            if not targets or not all(t.get("expr") for t in targets):
                fail(f"{where}: panel {panel.get('title')!r} has no PromQL target")
            if "${datasource}" not in json.dumps(panel.get("datasource", {})):
                fail(f"{where}: panel {panel.get('title')!r} does not use the $datasource variable")
            for t in targets:
                if t.get("expr", "").count("(") != t.get("expr", "").count(")"):
                    fail(f"{where}: panel {panel.get('title')!r}: unbalanced parentheses in {t['expr']}")


def check_rules():
    path = os.path.join(ROOT, "deploy", "prometheus", "hrmesh-rules.yaml")
    with open(path) as f:
        doc = yaml.safe_load(f)
    names = set()
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            name = rule.get("alert")
            if not name or name in names:
                fail(f"deploy/prometheus/hrmesh-rules.yaml: missing or duplicate alert name {name!r}")
            names.add(name)
            if not rule.get("expr") or rule["expr"].count("(") != rule["expr"].count(")"):
                fail(f"deploy/prometheus/hrmesh-rules.yaml: {name}: bad expr")
            if rule.get("labels", {}).get("severity") not in ("info", "warning", "critical"):
                fail(f"deploy/prometheus/hrmesh-rules.yaml: {name}: severity must be info, warning or critical")
            if not re.fullmatch(r"[0-9]+[smh]", str(rule.get("for", ""))):
                fail(f"deploy/prometheus/hrmesh-rules.yaml: {name}: bad `for` {rule.get('for')!r}")
            if not rule.get("annotations", {}).get("summary"):
                fail(f"deploy/prometheus/hrmesh-rules.yaml: {name}: no summary")


def check_asyncapi(schema_dir):
    path = os.path.join(ROOT, "deploy", "asyncapi.yaml")
    with open(path) as f:
        doc = yaml.safe_load(f)
    version = doc.get("asyncapi", "")
    schema_path = os.path.join(schema_dir, f"{version}-without-$id.json")
    if not version.startswith("3.") or not os.path.exists(schema_path):
        fail(f"deploy/asyncapi.yaml: asyncapi {version!r} is not a known AsyncAPI 3 version")
        return
    with open(schema_path) as f:
        schema = json.load(f)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:10]:
        fail(f"deploy/asyncapi.yaml: {'/'.join(map(str, e.path))}: {e.message[:300]}")
    # Every $ref resolves inside the document.
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = doc
        for part in ref.split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                fail(f"deploy/asyncapi.yaml: unresolved $ref #/{ref}")
                break
            node = node[part]


def check_collector():
    path = os.path.join(ROOT, "deploy", "otel-collector.yaml")
    with open(path) as f:
        config = yaml.safe_load(f)
    service = config.get("service", {})
    pipelines = service.get("pipelines", {})
    for kind in ("metrics", "traces"):
        if not any(name.split("/")[0] == kind for name in pipelines):
            fail(f"deploy/otel-collector.yaml: no {kind} pipeline")
    for name, pipeline in pipelines.items():
        for section in ("receivers", "processors", "exporters"):
            for component in pipeline.get(section, []):
                if component not in (config.get(section) or {}):
                    fail(f"deploy/otel-collector.yaml: pipeline {name} uses undefined {section[:-1]} {component}")
    for ext in service.get("extensions", []):
        if ext not in (config.get("extensions") or {}):
            fail(f"deploy/otel-collector.yaml: undefined extension {ext}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helm", required=True)
    parser.add_argument("--work", required=True, help="directory with default.yaml and all-features.yaml")
    parser.add_argument("--asyncapi-schemas", required=True)
    args = parser.parse_args()

    with open(os.path.join(CHART, "values.yaml")) as f:
        values = yaml.safe_load(f)
    with open(os.path.join(CHART, "ci", "all-features-values.yaml")) as f:
        all_features = merged(values, yaml.safe_load(f))
    check_render("default", os.path.join(args.work, "default.yaml"), values)
    check_render("all-features", os.path.join(args.work, "all-features.yaml"), all_features)
    check_schema_rejects(args.helm)
    check_readme(values)
    check_dashboards()
    check_rules()
    check_asyncapi(args.asyncapi_schemas)
    check_collector()
    if failures:
        for f in failures:
            print(f"FAIL {f}", file=sys.stderr)
        sys.exit(1)
    print("deploy checks passed")


if __name__ == "__main__":
    main()
