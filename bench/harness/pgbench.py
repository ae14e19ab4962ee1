"""The physical limit: pgbench replaying, on each yacht's database, the very statements one request
of a scenario issued there (read from the server log with log_statement = all), in the same
transaction, at the same concurrency.

A statement's parameters are the values that request bound, except those that differ between two
identical requests on the same yacht: ids (fresh uuids, drawn in the transaction's first SELECT,
which the service issues anyway) and numbers (unique per client, so work-order numbers stay
unique). The master database's lookups (the user and the membership, two primary-key reads per
request) are not replayed: pgbench does a little less than the service."""

import os
import re
import subprocess
import tempfile
import time

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[(\d+)\] (\S*) (\w+):  (.*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INTEGER = re.compile(r"^-?\d+$")


class LogReader:
    """New entries of the server log since the last read: (pid, database, level, text)."""

    def __init__(self, path):
        self.path = path
        self.offset = os.path.getsize(path)

    def entries(self):
        time.sleep(0.3)  # the server writes its log asynchronously
        with open(self.path, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        entries = []
        for line in text.splitlines():
            match = ENTRY.match(line)
            if match:
                entries.append(list(match.groups()))
            elif entries and line.startswith("\t"):
                entries[-1][3] += "\n" + line[1:]
        return entries


def statements(entries, database):
    """The statements run on `database`, each as (sql, {n: value or None})."""
    found = []
    for _, db, level, text in entries:
        if db != database:
            continue
        if level == "LOG" and text.startswith("statement: "):
            found.append((text[len("statement: "):], {}))
        elif level == "LOG" and text.startswith("execute "):
            found.append((text.split(": ", 1)[1], {}))
        elif level == "DETAIL" and text.startswith("parameters: ") and found:
            found[-1] = (found[-1][0], {int(m.group(1)): None if m.group(2) == "NULL" else m.group(3).replace("''", "'")
                                        for m in PARAM.finditer(text)})
    return found


def script(mine, first, second):
    """A pgbench script replaying `mine` (one request's statements on this yacht). `first` and
    `second` are two identical requests on one yacht: what differs between them is fresh per
    request. Returns (script text, constants for -D)."""
    if not (len(mine) == len(first) == len(second)) or any(a[0] != b[0] for a, b in zip(mine, first)):
        raise RuntimeError("requests of one scenario issued different statements; cannot replay")
    fresh_uuids, fresh_numbers, constants, lines = {}, {}, {}, ["\\set n :n + 1"]
    body = []
    for i, ((sql, params), (_, a), (_, b)) in enumerate(zip(mine, first, second)):
        def replace(match, i=i, params=params, a=a, b=b):
            k = int(match.group(1))
            value = params.get(k)
            if value is None:
                return "NULL"
            if a.get(k) != b.get(k) and UUID.match(value):
                return ":" + fresh_uuids.setdefault(a[k], f"u{len(fresh_uuids) + 1}")
            if a.get(k) != b.get(k) and INTEGER.match(value):
                return ":" + fresh_numbers.setdefault(a[k], f"i{len(fresh_numbers) + 1}")
            name = f"c{i}_{k}"
            constants[name] = value
            return ":" + name
        body.append([re.sub(r"\$(\d+)", replace, sql), sql.upper().startswith("SELECT SET_CONFIG")])
    for name in fresh_numbers.values():
        lines.append(f"\\set {name} 100000000 + :client_id * 1000000 + :n * 10 + {name[1:]}")
    for sql, first_select in body:
        if first_select and fresh_uuids:
            extra = ", ".join(f"gen_random_uuid() AS {name}" for name in fresh_uuids.values())
            lines.append(f"{sql}, {extra} \\gset")
        else:
            lines.append(sql + ";")
    if fresh_uuids and not any(first for _, first in body):
        raise RuntimeError("no statement to draw fresh ids in")
    return "\n".join(lines) + "\n", constants


def run(cluster, jobs, seconds, warmup):
    """Runs pgbench on each (database, clients, script, constants) at once for warmup + seconds;
    returns throughput and latency over the last `seconds` from the per-transaction logs."""
    workdir = tempfile.mkdtemp(prefix="pgbench-")
    processes = []
    for index, (database, clients, text, constants) in enumerate(jobs):
        path = os.path.join(workdir, f"script-{index}.sql")
        with open(path, "w") as file:
            file.write(text)
        args = [os.path.join(cluster.bindir, "pgbench"), "-n", "-M", "prepared", "-c", str(clients),
                "-j", "1", "-T", str(warmup + seconds), "-f", path, "-D", "n=0", "--log",
                f"--log-prefix={workdir}/log-{index}", "-h", "127.0.0.1", "-p", str(cluster.port),
                "-U", "postgres", database]
        for name, value in constants.items():
            args[1:1] = ["-D", f"{name}={value}"]
        processes.append(subprocess.Popen(args, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True))
    outputs = [p.communicate()[0] for p in processes]
    failed = [out for p, out in zip(processes, outputs) if p.returncode != 0 or "aborted" in out]
    latencies, first_epoch = [], None
    rows = []
    for name in os.listdir(workdir):
        if name.startswith("log-"):
            with open(os.path.join(workdir, name)) as log:
                for line in log:
                    fields = line.split()
                    rows.append((int(fields[4]) + int(fields[5]) / 1e6, int(fields[2])))
    if not rows:
        raise RuntimeError("pgbench ran no transaction:\n" + "\n".join(outputs))
    first_epoch = min(at for at, _ in rows)
    counted = sorted(latency for at, latency in rows if at >= first_epoch + warmup)
    latencies = counted

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] / 1000

    return {
        "tps": len(latencies) / seconds,
        "p50_ms": percentile(50), "p90_ms": percentile(90), "p99_ms": percentile(99),
        "max_ms": latencies[-1] / 1000,
        "failed_processes": len(failed),
        "failure": failed[0][-2000:] if failed else None,
    }
