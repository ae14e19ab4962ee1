#!/usr/bin/env python3
"""`make bench`: the service's throughput and latency per scenario, next to pgbench running the
same SQL on the same cluster (the physical limit), its memory, and its behaviour with 1,000
yachts registered. Prints one table and writes bench/results/latest.json. See bench/README.md.

Knobs (environment): BENCH_YACHTS (20), BENCH_CONNECTIONS (32), BENCH_SECONDS (15),
BENCH_WARMUP (3), BENCH_BUDGET (40), BENCH_POOL (2), BENCH_SCALE_YACHTS (1000, 0 skips),
BENCH_SCALE_LOADED (200), BENCH_SCALE_BUDGET (60), BENCH_PORT (18095), BENCH_PG_PORT (54369),
BENCH_SCENARIOS (all; a comma-separated subset, e.g. list_work_orders, for a quicker look),
BENCH_BINARY (this checkout's release build; another binary, for an A/B). REDIS_URL, when set,
reaches the service (rate limits through Redis)."""

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import load, pgbench, scale  # noqa: E402
from harness.service import BINARY, PASSWORD, REPO, Cluster, Service, environment, run, seed_fleet  # noqa: E402

SCENARIOS = ["health", "list_work_orders", "create_work_order", "log_part_usage", "search", "login"]
REPLAYED = ["list_work_orders", "create_work_order", "log_part_usage", "search"]


def knob(name, default):
    return int(os.environ.get(name, default))


def chosen(scenarios):
    wanted = os.environ.get("BENCH_SCENARIOS")
    return [s for s in scenarios if not wanted or s in wanted.split(",")]


def request(scenario, target):
    """One request of a scenario, as the Lua script sends it (for the SQL capture)."""
    yacht = f"/v1/yachts/{target['yacht']}"
    if scenario == "list_work_orders":
        return "GET", f"{yacht}/work-orders?status=planned", None
    if scenario == "create_work_order":
        return "POST", f"{yacht}/actions/execute", {
            "action": "create_work_order", "payload": {"title": "Bench: inspect sea chest strainer"}}
    if scenario == "log_part_usage":
        return "POST", f"{yacht}/actions/execute", {
            "action": "log_part_usage", "payload": {"part_id": target["part"], "quantity": 1}}
    return "POST", f"{yacht}/search", {"query": load.SEARCHES[0]}


def prepare_targets(service, fleet):
    targets = []
    for yacht in fleet:
        token = service.login(yacht["email"])
        status, parts = service.call("GET", f"/v1/yachts/{yacht['yacht_id']}/parts?limit=1", token=token)
        part = parts["items"][0]["id"]
        status, answer = service.call("POST", f"/v1/yachts/{yacht['yacht_id']}/actions/execute", {
            "action": "receive_part", "payload": {"part_id": part, "quantity": 1000000}}, token=token)
        if status != 200:
            raise RuntimeError(f"stocking the bench part: {status} {answer}")
        targets.append({"yacht": yacht["yacht_id"], "token": token, "part": part, "email": yacht["email"],
                        "database": yacht["database"]})
    return targets


def capture(cluster, service, targets):
    """Per replayed scenario: each yacht's statements for one request, and two more on the first."""
    cluster.log_statements(True)
    reader = pgbench.LogReader(cluster.log)
    captured = {}
    try:
        for scenario in chosen(REPLAYED):
            per_yacht = []
            for target in targets + targets[:1]:
                # The first request may warm a cache (a search after a write reloads the yacht's
                # catalogue); the second is the steady state the load sees.
                for _ in range(2):
                    method, path, body = request(scenario, target)
                    status, answer = service.call(method, path, body, token=target["token"])
                    if status != 200:
                        raise RuntimeError(f"{scenario}: {status} {answer}")
                    statements = pgbench.statements(reader.entries(), target["database"])
                per_yacht.append(statements)
            captured[scenario] = per_yacht
    finally:
        cluster.log_statements(False)
    return captured


def parameter_types(cluster, database):
    """A statement's parameter types, as PostgreSQL infers them when preparing it."""
    known = {}

    def types(sql):
        if sql not in known:
            out = run(["psql", "-qAtX", f"{cluster.url}/{database}", "-c", f"PREPARE bench_statement AS {sql}",
                       "-c", "SELECT parameter_types::text FROM pg_prepared_statements"])
            known[sql] = [t.strip('"') for t in out.strip().strip("{}").split(",")] if out.strip() != "{}" else []
        return known[sql]

    return types


def replay(cluster, per_yacht, targets, connections, seconds, warmup):
    first, second = per_yacht[0], per_yacht[-1]
    types = parameter_types(cluster, targets[0]["database"])
    jobs = []
    for index, target in enumerate(targets):
        clients = connections // len(targets) + (1 if index < connections % len(targets) else 0)
        if clients:
            text, constants = pgbench.script(per_yacht[index], first, second, types)
            jobs.append((target["database"], clients, text, constants, pgbench.session_options(target["yacht"])))
    figures = pgbench.run(cluster, jobs, seconds, warmup)
    figures["statements"] = len(first)
    return figures


def table(results):
    lines = [f"{'scenario':<20} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}"
             f" {'pgbench tps':>12} {'pg p99 ms':>10} {'ratio':>6}"]
    for name, r in results["scenarios"].items():
        pg = r.get("pgbench")
        limit = f" {pg['tps']:>12.0f} {pg['p99_ms']:>10.2f} {r['ratio']:>6.2f}" if pg else f" {'n/a':>12} {'':>10} {'':>6}"
        lines.append(f"{name:<20} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} {r['p90_ms']:>8.2f} {r['p99_ms']:>8.2f}"
                     f" {r['max_ms']:>8.2f} {r['errors']:>7}" + limit)
    for name, r in results["scenarios"].items():
        if r.get("pgbench", {}).get("failed_processes"):
            lines.append(f"WARNING: pgbench failed for {name}; its figure is not a limit:\n{r['pgbench']['failure']}")
    memory = results["memory_mib"]
    lines.append(f"memory: {memory['idle']:.0f} MiB idle, {memory['peak']:.0f} MiB peak (targets < 60, < 250)")
    if results.get("tenant_scale"):
        s = results["tenant_scale"]
        lines.append(
            f"tenant scale: {s['registered']} yachts, load over {s['loaded']}, budget {s['budget']}: "
            f"{s['rps']:.0f} req/s, p99 {s['p99_ms']:.2f} ms, {s['errors']} errors ({s['503_with_retry_after']} "
            f"503 with Retry-After, {s['other_errors']} other), peak server connections {s['peak_connections']}"
            f" (budget {s['budget']}), peak memory {s['peak_memory_mib']:.0f} MiB")
    return "\n".join(lines)


def main():
    yachts, connections = knob("BENCH_YACHTS", 20), knob("BENCH_CONNECTIONS", 32)
    seconds, warmup = knob("BENCH_SECONDS", 15), knob("BENCH_WARMUP", 3)
    if not shutil.which("wrk"):
        print("bench: installing wrk (Debian package)", file=sys.stderr)
        subprocess.run(["bash", "-c", "apt-get update -qq && apt-get install -y -qq wrk"], check=True,
                       stdout=sys.stderr)
    if not os.environ.get("BENCH_BINARY"):
        run(["cargo", "build", "--release", "--locked", "-q", "-p", "pms-api", "--bin", "pipeline-core"], capture=False)
    cluster = Cluster("bench-full", knob("BENCH_PG_PORT", 54369))
    settings = {"TENANT_CONNECTION_BUDGET": str(knob("BENCH_BUDGET", 40)), "TENANT_POOL_SIZE": str(knob("BENCH_POOL", 2))}
    env = environment(cluster, settings)
    service = None
    try:
        run([BINARY, "migrate"], env=env)
        fleet = seed_fleet(env, yachts, yachts)
        service = Service(env, knob("BENCH_PORT", 18095))
        idle = service.memory_kib("VmRSS")
        targets = prepare_targets(service, fleet)
        captured = capture(cluster, service, targets)
        results = {"scenarios": {}}
        for scenario in chosen(SCENARIOS):
            print(f"bench: {scenario}", file=sys.stderr)
            figures = load.wrk(service.base, scenario, targets, PASSWORD, connections, seconds, warmup)
            figures["peak_memory_mib"] = service.memory_kib("VmHWM") / 1024
            results["scenarios"][scenario] = figures
            # The limit right after, on the same data: the tables the writes grow and the
            # machine's load both drift over a run, and a ratio must not straddle the drift.
            if scenario in captured:
                print(f"bench: pgbench {scenario}", file=sys.stderr)
                limit = replay(cluster, captured[scenario], targets, connections, seconds, warmup)
                figures["pgbench"] = limit
                figures["ratio"] = figures["rps"] / limit["tps"] if limit["tps"] else None
        results["memory_mib"] = {"idle": idle / 1024, "peak": service.memory_kib("VmHWM") / 1024}
        service.stop()
        service = None
        scale_yachts = knob("BENCH_SCALE_YACHTS", 1000)
        if scale_yachts:
            results["tenant_scale"] = scale.run(cluster, env, scale_yachts, knob("BENCH_SCALE_LOADED", 200),
                                                knob("BENCH_SCALE_BUDGET", 60), connections, seconds, warmup,
                                                knob("BENCH_PORT", 18095))
    finally:
        if service:
            service.stop()
        cluster.stop()
    results["machine"] = {"cores": os.cpu_count(), "platform": platform.platform(),
                          "postgres": run(["psql", "--version"]).strip()}
    results["settings"] = {"yachts": yachts, "connections": connections, "seconds": seconds, "warmup": warmup,
                           **settings, "durability": "fsync on, synchronous_commit on"}
    results["commit"] = run(["git", "rev-parse", "--short", "HEAD"]).strip()
    results["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    results["table"] = table(results)
    os.makedirs(os.path.join(REPO, "bench", "results"), exist_ok=True)
    with open(os.path.join(REPO, "bench", "results", "latest.json"), "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    print(f"{os.cpu_count()} cores; {yachts} yachts, {connections} connections, {seconds} s each after "
          f"{warmup} s warm-up; PostgreSQL with fsync on; load generator on the same machine")
    print(results["table"])


if __name__ == "__main__":
    main()
