#!/usr/bin/env bash
# Sums the <Counters> of every .trx file under DIR and prints one line:
#   "N passed, N failed, N skipped"
#   failed  = failed + error + timeout + aborted
#   skipped = total - executed (how VSTest records a skipped xunit test: notExecuted stays 0)
# Usage: bash scripts/trx-summary.sh DIR
set -euo pipefail
dir="${1:?usage: trx-summary.sh DIR}"
{
    if [ -d "$dir" ]; then
        find "$dir" -type f -name '*.trx' -print0 | while IFS= read -r -d '' f; do
            grep -o '<Counters [^>]*>' "$f" | grep -oE '[A-Za-z]+="[0-9]+"' || true
        done
    fi
} | awk -F'=' '
    { gsub(/"/, "", $2); n[$1] += $2 }
    END {
        failed = n["failed"] + n["error"] + n["timeout"] + n["aborted"]
        skipped = n["total"] - n["executed"]; if (skipped < 0) skipped = 0
        printf "%d passed, %d failed, %d skipped\n", n["passed"], failed, skipped
    }'
