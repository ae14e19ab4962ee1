# Developer entry points. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test openapi lint ci bench bench-search fuzz-api db-stop clean-data

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## start PostgreSQL if needed, then the service (Swagger UI at http://localhost:8080/docs)
	@scripts/run.sh

test: ## start a private throwaway PostgreSQL and Redis, then run the whole test suite
	@scripts/test.sh

openapi: ## rewrite openapi/openapi.json from the code
	cargo run -q --locked -p pms-api --bin pipeline-core -- openapi > openapi/openapi.json

lint: ## formatting, clippy with warnings as errors, domain purity and module import cycles
	cargo fmt --all -- --check
	cargo clippy --all-targets --locked -- -D warnings
	scripts/check-domain-purity.sh
	scripts/module-cycles.py

ci: lint test ## what .ci/run does (which then runs the deterministic phases of fuzz-api)

bench: ## every scenario under load beside pgbench on the same SQL, memory, 1,000-yacht scale (bench/README.md)
	@python3 bench/run.py

bench-search: ## detector latency, and search throughput/p99 on the demo yacht (release build, wrk)
	@bench/search.sh

fuzz-api: ## schemathesis over every operation of the spec, once per demo role (FUZZ_SECONDS each)
	@scripts/fuzz-api.sh

db-stop: ## stop the throwaway PostgreSQL clusters and Redis started by run and test
	scripts/postgres.sh stop run
	scripts/postgres.sh stop test
	scripts/postgres.sh stop test-second
	scripts/postgres.sh stop bench
	scripts/postgres.sh stop bench-full
	scripts/postgres.sh stop fuzz
	scripts/redis.sh stop test

clean-data: db-stop ## delete the throwaway clusters
	rm -rf .data
