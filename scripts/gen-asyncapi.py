#!/usr/bin/env python3
"""Generates deploy/asyncapi.yaml, the AsyncAPI 3 catalogue of every hrmesh topic and event type,
from the protos (proto/hrmesh/*/v1/*.proto) and governance's purposes registry (which fields of
which event survive onto a governed topic). Standard library only.

    scripts/gen-asyncapi.py           # write deploy/asyncapi.yaml
    scripts/gen-asyncapi.py --check   # fail if the committed file differs (lint-deploy.sh)

Which messages are events, as the protos document them:
  - a top-level message whose comment starts with "Event:" in hrmesh/<service>/v1 travels on
    hr.<service>.v1;
  - one whose comment starts with "Event (each service's raw topic)" travels on every raw topic;
  - in governance.proto, the messages after the "events on hr.governance.v1" section marker
    travel on hr.governance.v1.
integration-tests/tests/it/deploy.rs checks the result against the compiled descriptors and
the running governance service's purposes registry.
"""

import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import registry  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "deploy", "asyncapi.yaml")
DOMAIN_SERVICES = registry.services(domain=True)
# Consumer groups (each with its dead-letter topic hr.dlq.<group>.v1): governance reads every raw
# topic, analytics the governed recruiting stream, every domain service hr.governance.v1 (erasure).
CONSUMER_GROUPS = ["governance", "analytics", "recruiting.reviews", "skills.requisitions", "people.hires", "analytics.features", "onboarding.hires"] + [
    f"{s}.privacy" for s in DOMAIN_SERVICES
]
SCALARS = {
    "string": {"type": "string"},
    "bytes": {"type": "string", "contentEncoding": "base64"},
    "bool": {"type": "boolean"},
    "double": {"type": "number", "format": "double"},
    "float": {"type": "number", "format": "float"},
    "int32": {"type": "integer", "format": "int32"},
    "sint32": {"type": "integer", "format": "int32"},
    "sfixed32": {"type": "integer", "format": "int32"},
    "uint32": {"type": "integer", "format": "int32", "minimum": 0},
    "fixed32": {"type": "integer", "format": "int32", "minimum": 0},
    "int64": {"type": "integer", "format": "int64"},
    "sint64": {"type": "integer", "format": "int64"},
    "sfixed64": {"type": "integer", "format": "int64"},
    "uint64": {"type": "integer", "format": "int64", "minimum": 0},
    "fixed64": {"type": "integer", "format": "int64", "minimum": 0},
}
WELL_KNOWN = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time",
                                  "description": "google.protobuf.Timestamp"},
}


# ------------------------------------------------------------------------------------ protos

def parse_proto(path):
    """Top-level messages and enums of one proto3 file, with their comments."""
    package = None
    messages, enums = [], []
    comment, detached = [], []
    lines = open(path).read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            if comment:
                detached.append(" ".join(comment))
                comment = []
            continue
        if line.startswith("//"):
            comment.append(line[2:].strip())
            continue
        m = re.match(r"package\s+([\w.]+);", line)
        if m:
            package = m.group(1)
        m = re.match(r"(message|enum)\s+(\w+)\s*\{", line)
        if m:
            body = []
            depth = line.count("{") - line.count("}")
            while depth:
                body_line = lines[i]
                i += 1
                depth += body_line.count("{") - body_line.count("}")
                if depth:
                    body.append(body_line.strip())
            item = {"name": m.group(2), "full": f"{package}.{m.group(2)}", "comment": " ".join(comment),
                    "detached": detached, "package": package}
            if m.group(1) == "message":
                item["fields"] = parse_fields(body)
                messages.append(item)
            else:
                item["values"] = [v for v in (re.match(r"(\w+)\s*=\s*(\d+);", b) for b in body) if v]
                item["values"] = [v.group(1) for v in item["values"]]
                enums.append(item)
        comment, detached = [], []
    return package, messages, enums


def parse_fields(body):
    fields, comment = [], []
    for line in body:
        if line.startswith("//"):
            comment.append(line[2:].strip())
            continue
        m = re.match(r"(repeated\s+)?(map<\s*\w+\s*,\s*[\w.]+\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;", line)
        if m:
            fields.append({"repeated": bool(m.group(1)), "type": m.group(2).replace(" ", ""), "name": m.group(3),
                           "number": int(m.group(4)), "comment": " ".join(comment)})
        comment = []
    return fields


def load_protos():
    messages, enums = {}, {}
    files = []
    for path in sorted(glob.glob(os.path.join(ROOT, "proto", "hrmesh", "*", "v1", "*.proto"))):
        package, ms, es = parse_proto(path)
        files.append((package, ms))
        for m in ms:
            messages[m["full"]] = m
        for e in es:
            enums[e["full"]] = e
    return files, messages, enums


def resolve(type_name, package, messages, enums):
    if type_name in WELL_KNOWN or type_name in SCALARS:
        return type_name
    for candidate in (f"{package}.{type_name}", type_name):
        if candidate in messages or candidate in enums:
            return candidate
    raise SystemExit(f"unknown proto type {type_name} in {package}")


# ------------------------------------------------------------------------------ the registry

def governed_fields():
    """Event type -> (purpose, fields kept on the governed topic), from purposes.rs."""
    source = open(os.path.join(ROOT, "services", "governance", "src", "purposes.rs")).read()
    out = {}
    for block in re.split(r"\n\s*Purpose \{", source)[1:]:
        purpose = re.search(r'\bid: "([^"]+)"', block).group(1)
        for event_type, fields in re.findall(r'\(\s*"(hrmesh\.[\w.]+)",\s*&\[([^\]]*)\],?\s*\)', block):
            out[event_type] = (purpose, re.findall(r'"(\w+)"', fields))
    return out


def event_topics(files):
    """Event type -> topics it travels on (raw / governance)."""
    raw = {s: [] for s in DOMAIN_SERVICES}
    governance_topic = []
    for package, messages in files:
        service = package.split(".")[1]
        in_governance_section = False
        for m in messages:
            if any("events on hr.governance.v1" in d for d in m["detached"]):
                in_governance_section = True
            if service == "governance" and in_governance_section:
                governance_topic.append(m["full"])
            elif m["comment"].startswith("Event (each service's raw topic)"):
                for s in DOMAIN_SERVICES:
                    raw[s].append(m["full"])
            elif m["comment"].startswith("Event:") and service in raw:
                raw[service].append(m["full"])
    return raw, governance_topic


# ------------------------------------------------------------------------------- AsyncAPI

def schema_name(full):
    return full


def field_schema(field, package, messages, enums, used):
    t = field["type"]
    if t.startswith("map<"):
        _, value = t[4:-1].split(",")
        value_type = resolve(value, package, messages, enums)
        schema = {"type": "object", "additionalProperties": type_schema(value_type, messages, enums, used)}
    else:
        schema = type_schema(resolve(t, package, messages, enums), messages, enums, used)
    if field["repeated"]:
        schema = {"type": "array", "items": schema}
    out = {}
    if field["comment"]:
        out["description"] = field["comment"]
    out.update(schema)
    out["x-protobuf-field"] = field["number"]
    out["x-protobuf-type"] = ("repeated " if field["repeated"] else "") + t
    return out


def type_schema(resolved, messages, enums, used):
    if resolved in SCALARS:
        return dict(SCALARS[resolved])
    if resolved in WELL_KNOWN:
        return dict(WELL_KNOWN[resolved])
    used.add(resolved)
    return {"$ref": f"#/components/schemas/{schema_name(resolved)}"}


def message_schema(full, messages, enums, used, keep=None):
    m = messages[full]
    props = {}
    for f in m["fields"]:
        if keep is None or f["name"] in keep:
            props[f["name"]] = field_schema(f, m["package"], messages, enums, used)
    out = {"type": "object"}
    if m["comment"]:
        out["description"] = m["comment"]
    out["x-protobuf-message"] = full
    out["properties"] = props
    return out


def enum_schema(full, enums):
    e = enums[full]
    out = {"type": "string"}
    if e["comment"]:
        out["description"] = e["comment"]
    out["x-protobuf-enum"] = full
    out["enum"] = e["values"]
    return out


def msg_key(full, governed=False):
    base = full.replace("hrmesh.", "", 1)
    return ("governed." if governed else "") + base


def envelope_payload(event_type, data_schema_ref, governed):
    subject = ("Pseudonym of the person (HMAC-SHA-256 under the purpose's key; see pseudonym_key_version)"
               if governed else "Internal id of the person")
    return {
        "allOf": [
            {"$ref": "#/components/schemas/hrmesh.events.v1.Envelope"},
            {
                "type": "object",
                "properties": {
                    "type": {"const": event_type},
                    "subject": {"type": "string", "description": subject},
                    "data": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "contentMediaType": "application/x-protobuf",
                        "description": f"Protobuf encoding of {event_type}"
                                       + (" with only the fields its purpose allows" if governed else ""),
                        "x-protobuf-payload": {"$ref": data_schema_ref},
                    },
                },
            },
        ]
    }


def build():
    files, messages, enums = load_protos()
    raw, governance_topic = event_topics(files)
    governed = governed_fields()
    used = set()
    schemas = {}
    components_messages = {}

    def add_message(event_type, governed_keep=None):
        is_governed = governed_keep is not None
        key = msg_key(event_type, is_governed)
        if key in components_messages:
            return key
        schema_key = event_type + (".governed" if is_governed else "")
        schemas[schema_key] = message_schema(event_type, messages, enums, used, governed_keep)
        if is_governed:
            schemas[schema_key]["x-governed-fields"] = governed_keep
        m = messages[event_type]
        summary = m["comment"].split(". ")[0].removeprefix("Event:").strip() or event_type
        summary = re.sub(r"^Event \(each service's raw topic\):\s*", "", summary)
        purpose = governed.get(event_type, (None,))[0]
        description = m["comment"]
        if is_governed:
            description = (f"Governed copy: subject pseudonymised, payload reduced to {', '.join(governed_keep)}"
                           f" (purpose {purpose}). " + description)
        components_messages[key] = {
            "name": event_type,
            "title": m["name"] + (" (governed)" if is_governed else ""),
            "summary": summary,
            "description": description,
            "contentType": "application/x-protobuf",
            "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
            "correlationId": {"$ref": "#/components/correlationIds/eventId"},
            "bindings": {"kafka": {"key": {"type": "string", "description": "The envelope subject: one "
                                           "person's events stay in order on one partition"},
                                   "bindingVersion": "0.5.0"}},
            "payload": envelope_payload(event_type, f"#/components/schemas/{schema_key}", is_governed),
            **({"x-purpose": purpose} if purpose else {}),
        }
        return key

    channels, operations = {}, {}
    kafka_binding = {"kafka": {"partitions": 6, "replicas": 3, "bindingVersion": "0.5.0",
                               "topicConfiguration": {"cleanup.policy": ["delete"]}}}
    for service in DOMAIN_SERVICES:
        cap = service.capitalize()
        raw_refs = {msg_key(t): {"$ref": f"#/components/messages/{add_message(t)}"} for t in raw[service]}
        channels[f"raw{cap}"] = {
            "address": f"hr.{service}.v1",
            "title": f"{service} raw events",
            "description": f"Everything {service} publishes, under internal person ids. Readable by governance "
                           "only (Kafka ACLs, see helm/hrmesh/README.md); subscribe to "
                           f"hr.governed.{service}.v1 instead.",
            "messages": raw_refs,
            "bindings": kafka_binding,
        }
        governed_refs = {}
        for t in raw[service]:
            if t in governed:
                key = add_message(t, governed[t][1])
                governed_refs[key] = {"$ref": f"#/components/messages/{key}"}
        channels[f"governed{cap}"] = {
            "address": f"hr.governed.{service}.v1",
            "title": f"{service} governed events",
            "description": f"{service}'s events that passed governance: purpose registered, consent present where "
                           "required, subject pseudonymised per purpose, payload reduced to the purpose's fields. "
                           + ("" if governed_refs else "No event type of this service is forwarded yet."),
            "messages": governed_refs,
            "bindings": kafka_binding,
        }
        operations[f"publish{cap}"] = {
            "action": "send",
            "title": f"{service} publishes its events (transactional outbox, idempotent producer)",
            "channel": {"$ref": f"#/channels/raw{cap}"},
            "messages": [{"$ref": f"#/channels/raw{cap}/messages/{k}"} for k in raw_refs],
        }
        operations[f"govern{cap}"] = {
            "action": "receive",
            "title": f"governance consumes hr.{service}.v1 (consumer group governance)",
            "channel": {"$ref": f"#/channels/raw{cap}"},
            "messages": [{"$ref": f"#/channels/raw{cap}/messages/{k}"} for k in raw_refs],
        }
        operations[f"subscribeGoverned{cap}"] = {
            "action": "receive",
            "title": f"Internal subscribers read hr.governed.{service}.v1"
                     + (" (analytics: consumer group analytics)" if service == "recruiting" else ""),
            "channel": {"$ref": f"#/channels/governed{cap}"},
            "messages": [{"$ref": f"#/channels/governed{cap}/messages/{k}"} for k in governed_refs],
        }
    gov_refs = {msg_key(t): {"$ref": f"#/components/messages/{add_message(t)}"} for t in governance_topic}
    channels["governance"] = {
        "address": "hr.governance.v1",
        "title": "governance decisions",
        "description": "Consent changes, erasure requests (every service erases and confirms with "
                       "ErasureCompleted on its raw topic), AI decisions, adverse-impact alerts and signed audit "
                       "tree heads.",
        "messages": gov_refs,
        "bindings": kafka_binding,
    }
    operations["publishGovernance"] = {
        "action": "send", "title": "governance publishes its decisions",
        "channel": {"$ref": "#/channels/governance"},
        "messages": [{"$ref": f"#/channels/governance/messages/{k}"} for k in gov_refs],
    }
    operations["subscribeGovernance"] = {
        "action": "receive", "title": "every service (consumer group <service>.privacy) and internal subscribers",
        "channel": {"$ref": "#/channels/governance"},
        "messages": [{"$ref": f"#/channels/governance/messages/{k}"} for k in gov_refs],
    }
    components_messages["DeadLetter"] = {
        "name": "DeadLetter",
        "title": "Dead letter",
        "summary": "A record a consumer could not decode or handle after events.max_attempts",
        "description": "The original record (key, payload and headers) unchanged, plus the reason.",
        "contentType": "application/x-protobuf",
        "headers": {"$ref": "#/components/schemas/DeadLetterHeaders"},
        "payload": {"type": "string", "contentEncoding": "base64",
                    "description": "The original record's payload, normally an hrmesh.events.v1.Envelope"},
    }
    channels["deadLetters"] = {
        "address": "hr.dlq.{consumer}.v1",
        "title": "dead letters per consumer group",
        "description": "Never silently dropped, never blocking a partition: what a consumer group gave up on.",
        "parameters": {"consumer": {"description": "Consumer group", "enum": CONSUMER_GROUPS}},
        "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        "bindings": kafka_binding,
    }
    operations["inspectDeadLetters"] = {
        "action": "receive", "title": "Operators inspect and replay dead letters",
        "channel": {"$ref": "#/channels/deadLetters"},
        "messages": [{"$ref": "#/channels/deadLetters/messages/DeadLetter"}],
    }

    # Schemas: the envelope, then every message and enum reachable from an event.
    schemas["hrmesh.events.v1.Envelope"] = message_schema("hrmesh.events.v1.Envelope", messages, enums, used)
    while True:
        pending = sorted(t for t in used if t not in schemas)
        if not pending:
            break
        for t in pending:
            schemas[t] = message_schema(t, messages, enums, used) if t in messages else enum_schema(t, enums)
    schemas["KafkaHeaders"] = {
        "type": "object",
        "properties": {
            "ce_id": {"type": "string", "description": "Envelope id (UUIDv7): de-duplicate on it"},
            "ce_type": {"type": "string", "description": "Envelope type: the payload message's full name"},
            "traceparent": {"type": "string", "description": "W3C trace context of the producing operation"},
        },
        "required": ["ce_id", "ce_type"],
    }
    schemas["DeadLetterHeaders"] = {
        "type": "object",
        "properties": {
            **schemas["KafkaHeaders"]["properties"],
            "dlq_reason": {"type": "string", "description": "Why the record was given up on"},
            "dlq_source": {"type": "string", "description": "The topic it came from"},
            "dlq_attempts": {"type": "string", "description": "Handler attempts made"},
        },
        "required": ["dlq_reason", "dlq_source"],
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "hrmesh events",
            "version": "0.1.0",
            "description": "Every Kafka topic hrmesh uses and every event type on it. Each record's value is an "
                           "hrmesh.events.v1.Envelope (protobuf; CloudEvents attribute names) whose `data` holds the "
                           "payload message named by `type`; the key is the envelope subject. Topic and consumer "
                           "group names get kafka.topic_prefix prepended. Generated by scripts/gen-asyncapi.py from "
                           "the protos and the purposes registry; do not edit.",
            "license": {"name": "Apache-2.0"},
        },
        "defaultContentType": "application/x-protobuf",
        "servers": {
            "kafka": {"host": "kafka:9092", "protocol": "kafka",
                      "description": "Your Kafka cluster (helm value kafka.brokers)"},
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": components_messages,
            "schemas": schemas,
            "correlationIds": {"eventId": {"description": "Envelope id, also the ce_id header",
                                           "location": "$message.header#/ce_id"}},
        },
    }


# ---------------------------------------------------------------------------------- YAML

PLAIN = re.compile(r"^[A-Za-z_$][A-Za-z0-9_.$/<>-]*$")
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if PLAIN.match(value) and value.lower() not in RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def emit(value, indent=0):
    """Block-style YAML: maps and lists, strings plain when safe, otherwise JSON-quoted."""
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            key = scalar(k)
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{key}:")
                out.extend(emit(v, indent + 2))
            else:
                out.append(f"{pad}{key}: {('{}' if isinstance(v, dict) else '[]') if isinstance(v, (dict, list)) else scalar(v)}")
    else:
        for v in value:
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}-")
                out.extend(emit(v, indent + 2))
            else:
                out.append(f"{pad}- {scalar(v)}")
    return out


def main():
    text = ("# GENERATED by scripts/gen-asyncapi.py from proto/ and the purposes registry. Do not edit.\n"
            + "\n".join(emit(build())) + "\n")
    if "--check" in sys.argv[1:]:
        try:
            current = open(OUT).read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print("deploy/asyncapi.yaml is out of date: run scripts/gen-asyncapi.py", file=sys.stderr)
            sys.exit(1)
        return
    with open(OUT, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
