#!/usr/bin/env bash
# run_joins.sh — refactor joins end to end: the labelled corpus (test/corpus,
# nine runtimes, deploy 1 then deploy 2 with moved lines, inserted helpers and
# another install path) is ingested as spans, one service per runtime, and
# refreshed after each deploy.  Checks that errtrack.refresh() makes exactly
# the issues `errtrack-cli issues` computes (the grouping tools/quality.sh
# scores): every label one issue, every issue one label, and the fingerprints
# split by deploy 2 (C/C++, Rust) joined.  Runs inside a server (sql-tests.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DB=errtrack_joins
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CLI=${ERRTRACK_CLI:-}
if [ -z "$CLI" ]; then
  for c in "$ROOT/build-quality/errtrack-cli" "$ROOT/build/test/errtrack-cli"; do
    [ -x "$c" ] && CLI=$c && break
  done
fi
if [ -z "$CLI" ]; then
  echo "SKIP: errtrack-cli not built (tools/quality.sh builds it)"
  exit 0
fi

python3 - "$ROOT/test/corpus/data" "$CLI" "$WORK" <<'PY'
import json, os, subprocess, sys
data, cli, work = sys.argv[1:4]
rows = []
for f in sorted(os.listdir(data)):
    if f.endswith(".jsonl"):
        for line in open(os.path.join(data, f), encoding="utf-8"):
            if line.strip():
                rows.append(json.loads(line))
# deploy 1 before deploy 2, file order within a deploy (the scorer's order per deploy)
rows.sort(key=lambda r: r["deploy"])
def q(s):
    return "'" + s.replace("'", "''") + "'"
expected = {}
for rt in sorted(set(r["runtime"] for r in rows)):
    recs = [r for r in rows if r["runtime"] == rt]
    inp = b"".join((r["error_type"] + "\0" + r["error_message"] + "\0" + r["error_stack"] + "\0").encode() for r in recs)
    out = subprocess.run([cli, "issues", "fp2"], input=inp, capture_output=True, check=True).stdout.decode().split()
    for r, iss in zip(recs, out):
        r["cli_issue"] = iss
with open(os.path.join(work, "load.sql"), "w", encoding="utf-8") as fh:
    fh.write("CREATE TABLE joins_rows (span_id bigint PRIMARY KEY, runtime text, label text, deploy int, cli_issue uuid);\n")
    for dep in (1, 2):
        fh.write("BEGIN;\n")
        for i, r in enumerate(rows):
            if r["deploy"] != dep:
                continue
            sid = i + 1
            fh.write("INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, "
                     "error_message, error_stack, version) VALUES ('00000000-0000-0000-0000-%012d', %d, %s, "
                     "'2024-05-01 00:00+00'::timestamptz + interval '1 second' * %d, true, %s, %s, %s, %s);\n"
                     % (sid, sid, q(r["runtime"]), sid, q(r["error_type"]), q(r["error_message"]),
                        q(r["error_stack"]), q("v%d" % dep)))
            fh.write("INSERT INTO joins_rows VALUES (%d, %s, %s, %d, %s);\n"
                     % (sid, q(r["runtime"]), q(r["label"]), dep, q(r["cli_issue"])))
        fh.write("COMMIT;\nSELECT events_processed, issues_created FROM errtrack.refresh();\n")
PY

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
trap 'rm -rf "$WORK"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION errtrack;
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0', notify = false;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d $DB -f "$WORK/load.sql" >"$WORK/load.out"
echo "refreshes (events, issues created):"; grep -E '^ *[0-9]+ \|' "$WORK/load.out" || cat "$WORK/load.out"

psql -X -q -v ON_ERROR_STOP=1 -d $DB -At <<'SQL' >"$WORK/check.out"
CREATE TEMP TABLE got AS
SELECT r.*, f.issue_id, i.fingerprint AS issue_fp
  FROM joins_rows r
  JOIN errtrack.spans s ON s.span_id = r.span_id
  JOIN errtrack.issue_fingerprints f
    ON f.service = s.service AND f.fingerprint = errtrack.fingerprint(s.error_type, s.error_message, s.error_stack)
  JOIN errtrack.issues i ON i.issue_id = f.issue_id;
SELECT 'rows ' || count(*) || ' of ' || (SELECT count(*) FROM joins_rows) FROM got;
SELECT 'labels_split ' || count(*) FROM (SELECT label FROM got GROUP BY label HAVING count(DISTINCT issue_id) > 1) x;
SELECT 'issues_merging ' || count(*) FROM (SELECT issue_id FROM got GROUP BY issue_id HAVING count(DISTINCT label) > 1) x;
-- the CLI names an issue by its first event's fingerprint: so does the issues table
SELECT 'cli_mismatch ' || count(*) FROM got WHERE issue_fp <> cli_issue;
SELECT 'issues ' || count(*) || ' labels ' || (SELECT count(DISTINCT label) FROM joins_rows) FROM errtrack.issues;
SELECT 'joined ' || count(*) FROM errtrack.issue_fingerprints WHERE joined_at IS NOT NULL;
SELECT 'joined_runtimes ' || string_agg(DISTINCT service, ',' ORDER BY service) FROM errtrack.issue_fingerprints WHERE joined_at IS NOT NULL;
SELECT 'event_total ' || sum(event_count) FROM errtrack.issues;
SQL
cat "$WORK/check.out"
fail=0
rows=$(grep '^rows ' "$WORK/check.out")
[ "$(echo "$rows" | awk '{print $2}')" = "$(echo "$rows" | awk '{print $4}')" ] || { echo "FAIL: not every span reached an issue"; fail=1; }
grep -qx 'labels_split 0' "$WORK/check.out" || { echo "FAIL: a bug split over issues"; fail=1; }
grep -qx 'issues_merging 0' "$WORK/check.out" || { echo "FAIL: an issue holds two bugs"; fail=1; }
grep -qx 'cli_mismatch 0' "$WORK/check.out" || { echo "FAIL: refresh() and errtrack-cli issues disagree"; fail=1; }
grep -q '^joined_runtimes .*cpp' "$WORK/check.out" && grep -q '^joined_runtimes .*rust' "$WORK/check.out" \
  || { echo "FAIL: the C/C++ and Rust deploy-2 fingerprints were not joined"; fail=1; }
total=$(grep '^event_total ' "$WORK/check.out" | awk '{print $2}')
[ "$total" = "$(echo "$rows" | awk '{print $4}')" ] || { echo "FAIL: events counted $total"; fail=1; }
[ $fail = 0 ] && echo "refactor joins: refresh() = errtrack-cli issues, every bug one issue: ok"
exit $fail
