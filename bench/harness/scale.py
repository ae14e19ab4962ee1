"""Tenant scale: many registered yachts, load spread over a few hundred of them, a connection
budget far below their number. Only 503s with Retry-After are acceptable errors, and the
service's connections to tenant databases must stay within the budget."""

import sys
import threading
import time

from . import load
from .service import PASSWORD, Service, seed_fleet


class ConnectionWatch(threading.Thread):
    """Samples the server's connections to tenant databases every 50 ms; keeps the peak."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.cluster, self.peak, self.running = cluster, 0, True

    def run(self):
        while self.running:
            count = self.cluster.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'pms_yacht_%' AND usename = 'postgres'"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
            self.peak = max(self.peak, int(count or 0))
            time.sleep(0.05)


def run(cluster, env, registered, loaded, budget, connections, seconds, warmup, port):
    print(f"bench: tenant scale, registering {registered} yachts", file=sys.stderr)
    fleet = seed_fleet(env, registered, loaded)[:loaded]
    service = Service(dict(env, TENANT_CONNECTION_BUDGET=str(budget)), port)
    try:
        targets = [{"yacht": y["yacht_id"], "token": service.login(y["email"]), "email": y["email"]} for y in fleet]
        watch = ConnectionWatch(cluster)
        watch.start()
        figures = load.wrk(service.base, "list_work_orders", targets, PASSWORD, connections, seconds, warmup,
                           classify=True)
        watch.running = False
        watch.join()
        peak_memory = service.memory_kib("VmHWM") / 1024
    finally:
        service.stop()
    unavailable = figures["statuses"].get("503", 0)
    with_retry = unavailable - figures["missing_retry_after"]
    return {
        "registered": registered, "loaded": loaded, "budget": budget, "rps": figures["rps"],
        "p50_ms": figures["p50_ms"], "p99_ms": figures["p99_ms"], "max_ms": figures["max_ms"],
        "errors": figures["errors"], "503_with_retry_after": with_retry,
        "other_errors": figures["errors"] - with_retry, "peak_connections": watch.peak,
        "peak_memory_mib": peak_memory, "statuses": figures["statuses"],
    }
