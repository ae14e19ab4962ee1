#!/usr/bin/env bash
# Fails when the domain crate depends, directly or not, on an IO crate (DESIGN.md §1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
forbidden='^(sqlx[a-z-]*|axum[a-z-]*|tokio|hyper|reqwest|async-openai|utoipa[a-z-]*|serde_json|tower[a-z-]*|mio) '
leaks=$(cargo tree --locked -p pms-domain -e normal --prefix none | grep -E "$forbidden" | sort -u || true)
if [ -n "$leaks" ]; then
    echo "pms-domain depends on IO crates:" >&2
    echo "$leaks" >&2
    exit 1
fi
echo "pms-domain depends on no IO crate"
