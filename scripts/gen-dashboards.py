#!/usr/bin/env python3
"""Generates the Grafana dashboards in deploy/grafana and the Prometheus alerting rules in
deploy/prometheus/hrmesh-rules.yaml from one description (stdlib only).

    scripts/gen-dashboards.py           # write them
    scripts/gen-dashboards.py --check   # fail if the committed files differ (lint-deploy.sh)

Queries use the Prometheus names the OpenTelemetry Collector's prometheus exporter gives hrmesh's
OTLP metrics (deploy/otel-collector.yaml): dots become underscores, counters end in `_total`,
the histogram `rpc.server.duration` (ms) becomes `rpc_server_duration_milliseconds_*`.
integration-tests/tests/it/deploy.rs proves each name and label is really emitted.
"""

import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "deploy", "grafana")
RULES = os.path.join(ROOT, "deploy", "prometheus", "hrmesh-rules.yaml")
DS = {"type": "prometheus", "uid": "${datasource}"}
RATE = "$__rate_interval"


def templating(extra=()):
    return {
        "list": [
            {
                "name": "datasource",
                "label": "Data source",
                "type": "datasource",
                "query": "prometheus",
                "current": {},
                "hide": 0,
            },
            *extra,
        ]
    }


def query_var(name, label, query):
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DS,
        "query": {"query": query, "refId": f"{name}-var"},
        "definition": query,
        "refresh": 2,
        "includeAll": True,
        "multi": True,
        "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
        "hide": 0,
    }


class Layout:
    def __init__(self):
        self.panels = []
        self.y = 0
        self.x = 0
        self.row_h = 0

    def row(self, title):
        self.newline()
        self.panels.append({
            "id": len(self.panels) + 1,
            "type": "row",
            "title": title,
            "collapsed": False,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
            "panels": [],
        })
        self.y += 1

    def newline(self):
        if self.x:
            self.y += self.row_h
            self.x = 0
            self.row_h = 0

    def add(self, title, targets, kind="timeseries", unit="short", w=12, h=8, description="", thresholds=None,
            legend=True, overrides=None):
        if self.x + w > 24:
            self.newline()
        steps = [{"color": "green", "value": None}]
        for value, color in thresholds or []:
            steps.append({"color": color, "value": value})
        panel = {
            "id": len(self.panels) + 1,
            "type": kind,
            "title": title,
            "description": description,
            "datasource": DS,
            "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
            "fieldConfig": {
                "defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}},
                "overrides": overrides or [],
            },
            "options": {},
            "targets": [
                {"refId": chr(ord("A") + i), "datasource": DS, "expr": expr, "legendFormat": legend_fmt,
                 "range": kind != "table", "instant": kind == "table"}
                for i, (expr, legend_fmt) in enumerate(targets)
            ],
        }
        if kind == "timeseries":
            panel["fieldConfig"]["defaults"]["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                                                          "showPoints": "never", "spanNulls": True}
            if thresholds:
                panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] = {"mode": "line"}
            panel["options"] = {"legend": {"showLegend": legend, "displayMode": "table", "placement": "right",
                                           "calcs": ["lastNotNull", "max"]},
                                "tooltip": {"mode": "multi", "sort": "desc"}}
        elif kind == "stat":
            panel["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                                "colorMode": "background", "graphMode": "area", "textMode": "auto"}
        elif kind == "table":
            panel["options"] = {"showHeader": True}
            panel["transformations"] = [{"id": "merge", "options": {}}]
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)


def dashboard(uid, title, description, layout, variables=()):
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["hrmesh"],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": []},
        "links": [{"title": "hrmesh dashboards", "type": "dashboards", "tags": ["hrmesh"], "asDropdown": True}],
        "templating": templating(variables),
        "panels": layout.panels,
    }


def rpc():
    sel = 'rpc_service=~"$rpc_service"'
    count = f"rpc_server_duration_milliseconds_count{{{sel}}}"
    l = Layout()
    l.row("Traffic")
    l.add("Calls per second by service and method",
          [(f"sum by (rpc_service, rpc_method) (rate({count}[{RATE}]))", "{{rpc_service}}/{{rpc_method}}")],
          unit="reqps", w=24)
    l.row("Errors")
    l.add("Error ratio by service and method (status != OK)",
          [(f'sum by (rpc_service, rpc_method) (rate(rpc_server_duration_milliseconds_count{{{sel}, rpc_grpc_status_code!="0"}}[{RATE}]))'
            f" / sum by (rpc_service, rpc_method) (rate({count}[{RATE}]))", "{{rpc_service}}/{{rpc_method}}")],
          unit="percentunit", thresholds=[(0.01, "orange"), (0.05, "red")])
    l.add("Errors per second by gRPC status code",
          [(f'sum by (rpc_service, rpc_grpc_status_code) (rate(rpc_server_duration_milliseconds_count{{{sel}, rpc_grpc_status_code!="0"}}[{RATE}]))',
            "{{rpc_service}} code={{rpc_grpc_status_code}}")],
          unit="reqps",
          description="3 InvalidArgument, 5 NotFound, 6 AlreadyExists, 7 PermissionDenied, 9 FailedPrecondition "
                      "(e.g. consent missing), 13 Internal, 14 Unavailable, 16 Unauthenticated.")
    l.add("Refused calls (missing role) per second",
          [(f"sum(rate(hrmesh_access_denied_total[{RATE}]))", "access denied")], unit="reqps",
          description="Every refusal is also audited by governance.")
    l.row("Latency")
    for q in ("0.5", "0.95", "0.99"):
        l.add(f"p{int(float(q) * 100)} latency by service and method",
              [(f"histogram_quantile({q}, sum by (le, rpc_service, rpc_method) "
                f"(rate(rpc_server_duration_milliseconds_bucket{{{sel}}}[{RATE}])))",
                "{{rpc_service}}/{{rpc_method}}")],
              unit="ms", w=8)
    return dashboard("hrmesh-rpc", "hrmesh / gRPC", "Rate, errors and latency of every gRPC method of every service.",
                     l, [query_var("rpc_service", "gRPC service",
                                   "label_values(rpc_server_duration_milliseconds_count, rpc_service)")])


def events():
    csel = 'consumer=~"$consumer"'
    l = Layout()
    l.row("Consumers")
    l.add("Consumer lag (events not yet handled) by group and topic",
          [(f"sum by (consumer, topic) (hrmesh_consumer_lag{{{csel}}})", "{{consumer}} ← {{topic}}")],
          w=24, thresholds=[(1000, "orange"), (10000, "red")])
    l.add("Events handled per second by group and outcome",
          [(f"sum by (consumer, outcome) (rate(hrmesh_events_handled_total{{{csel}}}[{RATE}]))",
            "{{consumer}} {{outcome}}")], unit="ops")
    l.add("Handler retries per second by group",
          [(f"sum by (consumer) (rate(hrmesh_events_retries_total{{{csel}}}[{RATE}]))", "{{consumer}}")],
          unit="ops")
    l.row("Dead letters")
    l.add("Dead-lettered events in the time range, by group (hr.dlq.<group>.v1)",
          [(f'sum by (consumer) (increase(hrmesh_events_handled_total{{{csel}, outcome="dead_letter"}}[$__range]))',
            "{{consumer}}")],
          kind="stat", thresholds=[(1, "red")], w=12,
          description="Events that could not be decoded or handled after events.max_attempts; each sits on "
                      "hr.dlq.<group>.v1 with its reason in the dlq_reason header.")
    l.add("DLQ growth per group",
          [(f'sum by (consumer) (increase(hrmesh_events_handled_total{{{csel}, outcome="dead_letter"}}[1h]))',
            "{{consumer}}")], thresholds=[(1, "red")])
    l.row("Transactional outbox")
    l.add("Outbox backlog (rows waiting) by service",
          [("max by (service) (hrmesh_outbox_backlog)", "{{service}}")],
          thresholds=[(1000, "orange"), (10000, "red")])
    l.add("Events published per second by service",
          [(f"sum by (service) (rate(hrmesh_outbox_published_total[{RATE}]))", "{{service}}")], unit="ops")
    return dashboard("hrmesh-events", "hrmesh / Events and delivery",
                     "Consumer lag and dead letters per consumer group, outbox backlog and publishing per service.",
                     l, [query_var("consumer", "Consumer group", "label_values(hrmesh_events_handled_total, consumer)")])


def governance():
    l = Layout()
    l.row("Enforcement")
    l.add("Governance throughput (raw events decided per second)",
          [(f"sum by (outcome) (rate(hrmesh_governance_events_total[{RATE}]))", "{{outcome}}")], unit="ops")
    l.add("Suppressed events per second by reason",
          [(f'sum by (reason) (rate(hrmesh_governance_events_total{{outcome="suppressed"}}[{RATE}]))', "{{reason}}")],
          unit="ops", description="Never forwarded to a governed stream; each is in the audit trail with its reason.")
    l.add("Suppressed events in the time range by reason",
          [('sum by (reason) (increase(hrmesh_governance_events_total{outcome="suppressed"}[$__range]))', "{{reason}}")],
          kind="stat", w=12)
    l.add("Consent denials in the time range by service and purpose",
          [("sum by (service, purpose) (increase(hrmesh_consent_denials_total[$__range]))",
            "{{service}} {{purpose}}")],
          kind="stat", w=12,
          description="AI functions refused (FailedPrecondition) because the person has not granted consent.")
    l.add("Consent denials per second by purpose",
          [(f"sum by (purpose) (rate(hrmesh_consent_denials_total[{RATE}]))", "{{purpose}}")], unit="ops", w=24)
    l.row("Fairness (four-fifths rule)")
    l.add("Adverse-impact ratio by stage, attribute and group",
          [("min by (stage, attribute, group) (hrmesh_adverse_impact_ratio)", "{{stage}} {{attribute}}={{group}}")],
          unit="percentunit", thresholds=[(0.8, "green")],
          overrides=[],
          description="Selection rate of a group divided by the highest group's rate at that stage (groups of at "
                      "least 5). Below 0.8 (the line) raises an AdverseImpactAlert.")
    l.add("Adverse-impact alerts in the time range by stage and attribute",
          [("sum by (stage, attribute) (increase(hrmesh_adverse_impact_alerts_total[$__range]))",
            "{{stage}} {{attribute}}")],
          kind="stat", thresholds=[(1, "red")])
    # The ratio panel colours values above 0.8 green and below red.
    ratio = l.panels[-2]
    ratio["fieldConfig"]["defaults"]["thresholds"]["steps"] = [{"color": "red", "value": None},
                                                               {"color": "green", "value": 0.8}]
    return dashboard("hrmesh-governance", "hrmesh / Governance",
                     "Events forwarded and suppressed by governance, consent denials and adverse-impact monitoring.", l)


def alert(name, expr, summary, severity="warning", duration="0m", description=""):
    return {
        "alert": name,
        "expr": expr,
        "for": duration,
        "labels": {"severity": severity, "team": "hrmesh"},
        "annotations": {"summary": summary, "description": description or summary},
    }


def rules():
    """Prometheus alerting rules on the same series the dashboards show."""
    count = "rpc_server_duration_milliseconds_count"
    return {"groups": [
        {"name": "hrmesh.governance", "rules": [
            alert("HrmeshAdverseImpact", "min by (stage, attribute, group) (hrmesh_adverse_impact_ratio) < 0.8",
                  "Adverse impact at {{ $labels.stage }}: {{ $labels.attribute }}={{ $labels.group }} selected at "
                  "{{ $value | humanizePercentage }} of the best group's rate",
                  description="The four-fifths rule is violated (groups of at least 5). Review the stage's "
                              "criteria with HR and the works council; governance also published an "
                              "AdverseImpactAlert on hr.governance.v1 and audited it."),
            alert("HrmeshForgedOrForeignEvents",
                  'sum by (reason) (increase(hrmesh_governance_events_total{outcome="suppressed", '
                  'reason=~"forged_source|forged_type|foreign_tenant"}[15m])) > 0',
                  "Governance suppressed {{ $value }} events for {{ $labels.reason }} in 15 minutes",
                  severity="critical",
                  description="Something publishes on a raw topic it does not own or for another tenant: "
                              "check the Kafka ACLs (helm/hrmesh/README.md) and the audit trail."),
        ]},
        {"name": "hrmesh.delivery", "rules": [
            alert("HrmeshDeadLetters",
                  'sum by (consumer) (increase(hrmesh_events_handled_total{outcome="dead_letter"}[15m])) > 0',
                  "Consumer group {{ $labels.consumer }} dead-lettered {{ $value }} events in 15 minutes",
                  description="Inspect hr.dlq.{{ $labels.consumer }}.v1: the dlq_reason header says why."),
            alert("HrmeshConsumerLag", "sum by (consumer, topic) (hrmesh_consumer_lag) > 10000",
                  "{{ $labels.consumer }} is {{ $value }} events behind on {{ $labels.topic }}", duration="10m"),
            alert("HrmeshOutboxBacklog", "max by (service) (hrmesh_outbox_backlog) > 10000",
                  "{{ $labels.service }} has {{ $value }} events waiting in its outbox", duration="10m",
                  description="The relay cannot publish: check the Kafka brokers and the service's logs."),
        ]},
        {"name": "hrmesh.rpc", "rules": [
            alert("HrmeshRpcServerErrors",
                  f'sum by (rpc_service) (rate({count}{{rpc_grpc_status_code=~"2|4|13|14|15"}}[5m]))'
                  f" / sum by (rpc_service) (rate({count}[5m])) > 0.05",
                  "{{ $labels.rpc_service }}: {{ $value | humanizePercentage }} of calls fail on the server side",
                  duration="10m"),
            alert("HrmeshRpcSlow",
                  "histogram_quantile(0.99, sum by (le, rpc_service) "
                  "(rate(rpc_server_duration_milliseconds_bucket[5m]))) > 1000",
                  "{{ $labels.rpc_service }}: p99 latency {{ $value }} ms", duration="15m"),
        ]},
    ]}


PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def scalar(value):
    if isinstance(value, str) and PLAIN.match(value) and value.lower() not in {"true", "false", "null", "yes", "no"}:
        return value
    return json.dumps(value, ensure_ascii=False)


def emit(value, indent=0):
    """Block-style YAML (the subset integration-tests/tests/it/deploy.rs reads)."""
    pad = " " * indent
    out = []
    items = value.items() if isinstance(value, dict) else [(None, v) for v in value]
    for key, v in items:
        head = f"{pad}{scalar(key)}:" if key is not None else f"{pad}-"
        if isinstance(v, (dict, list)) and v:
            out.append(head)
            out.extend(emit(v, indent + 2))
        else:
            out.append(f"{head} {scalar(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}")
    return out


def render():
    files = {
        os.path.join(OUT, name): json.dumps(dash, indent=2, ensure_ascii=False) + "\n"
        for name, dash in [("hrmesh-rpc.json", rpc()), ("hrmesh-events.json", events()),
                           ("hrmesh-governance.json", governance())]
    }
    files[RULES] = ("# GENERATED by scripts/gen-dashboards.py. Prometheus alerting rules for hrmesh:\n"
                    "#   rule_files: [hrmesh-rules.yaml]   (or wrap in a PrometheusRule for the Prometheus Operator)\n"
                    + "\n".join(emit(rules())) + "\n")
    return files


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for path, text in render().items():
        name = os.path.relpath(path, ROOT)
        if check:
            try:
                with open(path) as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print(f"out of date: {', '.join(stale)}: run scripts/gen-dashboards.py", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
