#!/bin/bash
# First refresh over many distinct errors: the real labelled traces of
# ../shared/datasets (Eclipse Java reports, Ubuntu gdb back-traces: ~17,000
# events, ~14,000 distinct fingerprints) arrive as error entry spans of four
# services and one errtrack.refresh() turns them into issues — the case of a
# first install over a long history, where nearly every event opens an issue.
# Timed with refactor joins on and off (settings.join_refactored), in one run;
# prints events/s and the ratio.  Skips when the data sets are absent.
#
#   PGPORT=5503 test/bench/first_refresh_bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${ERRTRACK_SHARED:-$ROOT/../shared}
ECL=$SHARED/datasets/eclipse_bugzilla_stacktraces/reports.jsonl
UBU=$SHARED/datasets/ubuntu_launchpad_gdb_subset/reports.jsonl
if [ ! -f "$ECL" ] || [ ! -f "$UBU" ]; then
  echo "SKIP first_refresh_bench: $SHARED/datasets absent"
  exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$ECL" "$UBU" "$WORK/spans.csv" <<'PY'
import csv, json, sys
w = csv.writer(open(sys.argv[3], "w", newline=""))
i = 0
for p in sys.argv[1:3]:
    for line in open(p, encoding="utf-8", errors="replace"):
        o = json.loads(line)
        st = (o.get("stack_text") or "").replace("\0", "")
        i += 1
        w.writerow(["00000000-0000-0000-0000-%012d" % i, i, "svc%d" % (i % 4),
                    "2024-05-01 00:00:00+00", "true", "", "", st, "v1"])
PY
declare -A MS
for mode in on off; do
  DB=errtrack_first_refresh
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  out=$(psql -X -q -v ON_ERROR_STOP=1 -At -F' ' -d $DB <<SQL
CREATE EXTENSION errtrack;
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0', notify = false,
       join_refactored = $( [ $mode = on ] && echo true || echo false );
\copy errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message, error_stack, version) FROM '$WORK/spans.csv' CSV
CREATE TEMP TABLE t AS SELECT clock_timestamp() AS t0;
CREATE TEMP TABLE r AS SELECT * FROM errtrack.refresh();
SELECT r.events_processed, r.issues_created,
       round(extract(epoch FROM clock_timestamp() - t.t0) * 1000),
       (SELECT count(*) FROM errtrack.issue_fingerprints WHERE joined_at IS NOT NULL)
  FROM r, t;
SQL
)
  read -r events issues ms joined <<<"$out"
  MS[$mode]=$ms
  printf 'first refresh, joins %-3s  %6d events  %6d issues created  %5d joined  %7d ms  %8.0f events/s\n' \
    "$mode" "$events" "$issues" "$joined" "$ms" "$(awk -v e="$events" -v m="$ms" 'BEGIN { print e * 1000 / m }')"
  psql -X -q -d postgres -c "DROP DATABASE $DB"
done
printf 'first refresh: joins on / off = %.2fx\n' "$(awk -v a="${MS[on]}" -v b="${MS[off]}" 'BEGIN { print a / b }')"
