"""`make bench`: the service under load next to pgbench running the same SQL (see bench/README.md)."""
