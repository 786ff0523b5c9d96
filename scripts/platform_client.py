#!/usr/bin/env python3
"""A small gRPC client for the local platform (scripts/platform-up.sh, platform-smoke.sh).

    platform_client.py wait  --stubs DIR --pids DIR svc=host:port ...
    platform_client.py smoke --stubs DIR --token T --candidate-token T svc=host:port ...

Stubs are generated from proto/ with grpcio-tools into --stubs on first use.
"""

import argparse
import glob
import os
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generate_stubs(out):
    stamp = os.path.join(out, ".sources")
    protos = sorted(glob.glob(os.path.join(ROOT, "proto", "hrmesh", "*", "v1", "*.proto")))
    sources = "\n".join(f"{p}:{os.path.getmtime(p)}" for p in protos)
    if os.path.exists(stamp) and open(stamp).read() == sources:
        return
    import grpc_tools

    os.makedirs(out, exist_ok=True)
    include = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    rel = [os.path.relpath(p, os.path.join(ROOT, "proto")) for p in protos]
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{os.path.join(ROOT, 'proto')}", f"-I{include}",
                    f"--python_out={out}", f"--grpc_python_out={out}", *rel], check=True)
    with open(stamp, "w") as f:
        f.write(sources)


def targets(pairs):
    out = {}
    for pair in pairs:
        name, _, addr = pair.partition("=")
        out[name] = addr
    return out


def health(addr, timeout):
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(addr) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        return stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=timeout).status == \
            health_pb2.HealthCheckResponse.SERVING


def wait(args):
    """Waits until every service reports SERVING; fails early when a process died."""
    deadline = time.monotonic() + args.timeout
    pending = targets(args.services)
    while pending:
        for name, addr in list(pending.items()):
            pid_file = os.path.join(args.pids, f"{name}.pid")
            if os.path.exists(pid_file):
                pid = int(open(pid_file).read().strip())
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    print(f"{name} (pid {pid}) exited during start-up", file=sys.stderr)
                    return 1
            try:
                if health(addr, 1.0):
                    print(f"  {name} SERVING on {addr}", file=sys.stderr)
                    del pending[name]
            except Exception:  # not listening or not serving yet
                pass
        if pending and time.monotonic() > deadline:
            print(f"not SERVING after {args.timeout} s: {', '.join(pending)}", file=sys.stderr)
            return 1
        if pending:
            time.sleep(0.3)
    return 0


def smoke(args):
    import grpc

    sys.path.insert(0, args.stubs)
    from hrmesh.analytics.v1 import analytics_pb2, analytics_pb2_grpc
    from hrmesh.governance.v1 import governance_pb2, governance_pb2_grpc
    from hrmesh.recruiting.v1 import recruiting_pb2, recruiting_pb2_grpc

    addrs = targets(args.services)
    auth = [("authorization", f"Bearer {args.token}")]
    step = lambda msg: print(f"  {msg}", file=sys.stderr)  # noqa: E731
    failures = []

    for name, addr in addrs.items():
        if not health(addr, 5.0):
            failures.append(f"{name} is not SERVING")
    step(f"{len(addrs)} services SERVING")

    with grpc.insecure_channel(addrs["governance"]) as ch:
        purposes = governance_pb2_grpc.GovernanceServiceStub(ch).ListPurposes(
            governance_pb2.ListPurposesRequest(), metadata=auth, timeout=10).purposes
        step(f"governance: {len(purposes)} purposes registered")
        if not any(p.id == "recruiting.applications" for p in purposes):
            failures.append("governance does not know the purpose recruiting.applications")

    job = f"job-smoke-{uuid.uuid4().hex[:8]}"
    # Exactly the small-group minimum: analytics withholds the count until all of them arrived,
    # so the first figure it shows is the final one (a later, larger one could be withheld as a
    # differencing attack on the first).
    applicants = 5
    with grpc.insecure_channel(addrs["recruiting"]) as ch:
        recruiting = recruiting_pb2_grpc.RecruitingServiceStub(ch)
        # Applications are taken for open jobs only; skills checks the skill id.
        opened = recruiting_pb2.CreateJobRequest(
            job_id=job, title="Smoke test welder",
            must=[recruiting_pb2.SkillRequirement(skill_id="trades.mig_mag_welding", level=3)])
        recruiting.CreateJob(opened, metadata=auth, timeout=10)
        ids = []
        for i in range(applicants):
            request = recruiting_pb2.SubmitApplicationRequest(
                candidate_id=f"cand-{job}-{i}", job_id=job, full_name=f"Smoke Test {i}",
                email=f"smoke{i}@example.nl", source="website", idempotency_key=f"{job}-{i}")
            ids.append(recruiting.SubmitApplication(request, metadata=auth, timeout=10).application.application_id)
        again = recruiting.SubmitApplication(request, metadata=auth, timeout=10).application.application_id
        if again != ids[-1]:
            failures.append("a repeated idempotency key created a second application")
        stored = recruiting.GetApplication(recruiting_pb2.GetApplicationRequest(application_id=ids[0]),
                                           metadata=auth, timeout=10)
        if stored.job_id != job:
            failures.append(f"GetApplication returned job {stored.job_id!r}, expected {job!r}")
        step(f"recruiting: {applicants} applications submitted for {job}")

    with grpc.insecure_channel(addrs["analytics"]) as ch:
        analytics = analytics_pb2_grpc.AnalyticsServiceStub(ch)
        try:
            analytics.GetApplicationCounts(analytics_pb2.GetApplicationCountsRequest(job_id=job),
                                           metadata=[("authorization", f"Bearer {args.candidate_token}")], timeout=10)
            failures.append("a candidate token could read analytics")
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.PERMISSION_DENIED:
                failures.append(f"candidate calling analytics: {e.code()} instead of PERMISSION_DENIED")
        started = time.monotonic()
        seen = None
        while time.monotonic() - started < args.timeout:
            response = analytics.GetApplicationCounts(analytics_pb2.GetApplicationCountsRequest(job_id=job),
                                                      metadata=auth, timeout=10)
            seen = next((j for j in response.jobs if j.job_id == job), None)
            if seen is not None and seen.applications == applicants:
                break
            time.sleep(0.25)
        if seen is None or seen.applications != applicants:
            failures.append(f"analytics did not count {applicants} applications for {job} within {args.timeout} s "
                            f"(last answer: {seen})")
        else:
            step(f"analytics: {seen.applications} applications for {job} after "
                 f"{time.monotonic() - started:.1f} s (recruiting → outbox → Kafka → governance → "
                 "hr.governed.recruiting.v1 → analytics)")

    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("wait")
    w.add_argument("--pids", required=True)
    w.add_argument("--timeout", type=float, default=90)
    w.add_argument("services", nargs="+")
    s = sub.add_parser("smoke")
    s.add_argument("--stubs", required=True)
    s.add_argument("--token", required=True)
    s.add_argument("--candidate-token", required=True)
    s.add_argument("--timeout", type=float, default=60)
    s.add_argument("services", nargs="+")
    args = parser.parse_args()
    if args.command == "wait":
        return wait(args)
    generate_stubs(args.stubs)
    return smoke(args)


if __name__ == "__main__":
    sys.exit(main())
