"""The physical limit: pgbench replaying, on each yacht's database, the very statements one request
of a scenario issued there (read from the server log with log_statement = all), in the same
transaction, at the same concurrency, with the same session: the service runs each tenant
connection as the tenant role with its yacht set for the whole session, so each pgbench connection
does too (PGOPTIONS), and the statement that switches a session is not part of a request's replay.

A statement's parameters are the values that request bound, except those that differ between two
identical requests on the same yacht: ids (fresh uuids from gen_random_uuid() in the statement)
and numbers (unique per client, so work-order numbers stay unique). Statements the service sent
together in one simple-protocol message go in one pgbench pipeline: one round trip, as for the
service. The master database's lookups (the user and the membership, cached by the service for a
few seconds) are not replayed: pgbench does a little less than the service."""

import os
import re
import subprocess
import tempfile
import time

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[(\d+)\] (\S*) (\w+):  (.*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INTEGER = re.compile(r"^-?\d+$")
# How the service switches a pooled connection's session to a yacht (infra/src/tenant/pool.rs).
SESSION = re.compile(r"^SET ROLE \w+; SELECT set_config\('app\.yacht_id', '[0-9a-f-]{36}', false\)$")
# The role it switches to (TENANT_ROLE in infra/src/tenant/router.rs).
TENANT_ROLE = "pms_tenant_app"


def session_options(yacht):
    """PGOPTIONS putting a pgbench connection in the session the service's connections run in."""
    return f"-c role={TENANT_ROLE} -c app.yacht_id={yacht}"


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
    """The statements run on `database`, each as (sql, {n: value or None}, simple), where simple
    ones were sent as text (and may hold several statements separated by semicolons); a session
    switch is left out (see session_options)."""
    found = []
    for _, db, level, text in entries:
        if db != database:
            continue
        if level == "LOG" and text.startswith("statement: "):
            if not SESSION.match(text[len("statement: "):]):
                found.append((text[len("statement: "):], {}, True))
        elif level == "LOG" and text.startswith("execute "):
            found.append((text.split(": ", 1)[1], {}, False))
        elif level == "DETAIL" and text.startswith("parameters: ") and found:
            params = {int(m.group(1)): None if m.group(2) == "NULL" else m.group(3).replace("''", "'")
                      for m in PARAM.finditer(text)}
            found[-1] = (found[-1][0], params, found[-1][2])
    return found


def shape(sql):
    """The statement with its uuid literals blanked: the same for every yacht."""
    return UUID_LITERAL.sub("'<uuid>'", sql)


UUID_LITERAL = re.compile(r"'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'")


def script(mine, first, second, parameter_types):
    """A pgbench script replaying `mine` (one request's statements on this yacht). `first` and
    `second` are two identical requests on one yacht: what differs between them is fresh per
    request. `parameter_types(sql)` gives a statement's parameter types. Returns (script text,
    constants for -D)."""
    if not (len(mine) == len(first) == len(second)) or any(shape(a[0]) != shape(b[0]) for a, b in zip(mine, first)):
        raise RuntimeError("requests of one scenario issued different statements; cannot replay")
    fresh_numbers, constants, lines = {}, {}, ["\\set n :n + 1"]
    body = []
    for i, ((sql, params, simple), (_, a, _), (_, b, _)) in enumerate(zip(mine, first, second)):
        if simple:
            parts = [part.strip() for part in sql.split(";") if part.strip()]
            body.extend(["\\startpipeline", *(part + ";" for part in parts), "\\endpipeline"] if len(parts) > 1
                        else [parts[0] + ";"])
            continue
        types = parameter_types(sql) if params else []

        def replace(match, i=i, params=params, a=a, b=b, types=types):
            k = int(match.group(1))
            value, kind = params.get(k), types[k - 1]
            if value is None:
                return f"NULL::{kind}"
            if a.get(k) != b.get(k) and UUID.match(value):
                # A fresh id: drawn by the server, as the service's own ids are fresh.
                return "gen_random_uuid()" if kind == "uuid" else f"gen_random_uuid()::{kind}"
            if a.get(k) != b.get(k) and INTEGER.match(value):
                return ":" + fresh_numbers.setdefault(a[k], f"i{len(fresh_numbers) + 1}")
            name = f"c{i}_{k}"
            constants[name] = value
            return ":" + name

        body.append(re.sub(r"\$(\d+)", replace, sql) + ";")
    for name in fresh_numbers.values():
        lines.append(f"\\set {name} 100000000 + :client_id * 1000000 + :n * 10 + {name[1:]}")
    return "\n".join(lines + body) + "\n", constants


def run(cluster, jobs, seconds, warmup):
    """Runs pgbench on each (database, clients, script, constants, PGOPTIONS) at once for warmup +
    seconds; returns throughput and latency over the last `seconds` from the per-transaction logs."""
    workdir = tempfile.mkdtemp(prefix="pgbench-")
    processes = []
    for index, (database, clients, text, constants, options) in enumerate(jobs):
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
                                          text=True, env={**os.environ, "PGOPTIONS": options}))
    outputs = [p.communicate()[0] for p in processes]
    failed = [out for p, out in zip(processes, outputs) if p.returncode != 0 or "aborted" in out]
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
    latencies = sorted(latency for at, latency in rows if at >= first_epoch + warmup)

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] / 1000

    return {
        "tps": len(latencies) / seconds,
        "p50_ms": percentile(50), "p90_ms": percentile(90), "p99_ms": percentile(99),
        "max_ms": latencies[-1] / 1000,
        "failed_processes": len(failed),
        "failure": failed[0][-2000:] if failed else None,
    }
