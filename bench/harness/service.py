"""The throwaway cluster, the bench fleet and the release binary serving it, as in production."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# BENCH_BINARY measures another build (an earlier commit's, for an A/B) instead of this checkout's.
BINARY = os.environ.get("BENCH_BINARY") or os.path.join(REPO, "target", "release", "pipeline-core")
PASSWORD = "bench-Password-2026"


def run(args, env=None, capture=True):
    done = subprocess.run(args, cwd=REPO, env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout if capture else ""


class Cluster:
    """A fresh PostgreSQL cluster with default durability (fsync and synchronous commit on)."""

    def __init__(self, name, port):
        env = dict(os.environ, PG_FSYNC="on", PG_SYNCHRONOUS_COMMIT="on")
        self.name = name
        self.url = run(["scripts/postgres.sh", "fresh", name, str(port)], env=env).strip()
        self.port = int(self.url.rsplit(":", 1)[1])
        self.sql("ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '", "SELECT pg_reload_conf()")
        self.log = self.scalar("SELECT current_setting('data_directory')") + "/server.log"
        self.bindir = os.path.dirname(run(["bash", "-c", "ls -d /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n1"]).strip())

    def sql(self, *statements, database="postgres"):
        for statement in statements:
            run(["psql", "-qAtX", f"{self.url}/{database}", "-c", statement])

    def scalar(self, statement, database="postgres"):
        return run(["psql", "-qAtX", f"{self.url}/{database}", "-c", statement]).strip()

    def log_statements(self, on):
        setting = "ALTER SYSTEM SET log_statement = 'all'" if on else "ALTER SYSTEM RESET log_statement"
        self.sql(setting, "SELECT pg_reload_conf()")
        time.sleep(0.2)

    def stop(self):
        subprocess.run(["scripts/postgres.sh", "stop", self.name], cwd=REPO, check=False)


def environment(cluster, extra):
    env = dict(os.environ)
    env.update({
        "APP_ENV": "production",
        "MASTER_DATABASE_URL": f"{cluster.url}/pipeline_master",
        "JWT_SECRET": "bench-secret-bench-secret-bench-secret-0123456789",
        "DEMO_PASSWORD": PASSWORD,
        "DETECTOR": "local",
        "RUST_LOG": "warn",
        "HOST": "127.0.0.1",
        # The load comes from one address and a few users: the limits would measure themselves.
        "RATE_LIMIT_IP_PER_SEC": "1000000", "RATE_LIMIT_IP_BURST": "1000000",
        "RATE_LIMIT_SIGN_IN_PER_MIN": "60000000", "RATE_LIMIT_SIGN_IN_BURST": "1000000",
        "RATE_LIMIT_USER_PER_SEC": "1000000", "RATE_LIMIT_USER_BURST": "1000000",
    })
    env.update(extra)
    return env


def seed_fleet(env, yachts, filled):
    out = run([BINARY, "seed-bench", "--yachts", str(yachts), "--filled", str(filled)], env=env)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class Service:
    def __init__(self, env, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([BINARY, "serve"], cwd=REPO, env=dict(env, PORT=str(port)))
        for _ in range(200):
            try:
                if self.call("GET", "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the service did not answer /health")

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.base + path, method=method)
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("content-type", "application/json")
        if token:
            request.add_header("authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def login(self, email):
        status, answer = self.call("POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
        if status != 200:
            raise RuntimeError(f"login {email}: {status} {answer}")
        return answer["access_token"]

    def memory_kib(self, key):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
