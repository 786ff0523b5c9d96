#!/usr/bin/env python3
"""Prints the hrmesh services, one per line, from the one registry (proto/src/lib.rs,
`registry::SERVICES`). `--domain` leaves out governance (the services with a raw topic).
Scripts read the list from here; a test checks the Helm chart against it."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def services(domain=False):
    text = (ROOT / "proto/src/lib.rs").read_text()
    body = re.search(r"pub const SERVICES: \[&str; \d+\] = \[(.*?)\];", text, re.S).group(1)
    names = ["governance" if item.strip() == "GOVERNANCE" else item.strip().strip('"')
             for item in body.split(",") if item.strip() and not item.strip().startswith("//")]
    return [n for n in names if not (domain and n == "governance")]


if __name__ == "__main__":
    print("\n".join(services("--domain" in sys.argv[1:])))
