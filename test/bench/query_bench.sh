#!/usr/bin/env bash
# query_bench.sh — the queries people run on the issue tables (docs/issues.md):
# the top-50 issues of the last 24 hours with their sparklines, and one
# issue's detail, at 10k and 100k issues.
#
#   PGPORT=5504 bash test/bench/query_bench.sh
#
# The issue tables are filled directly (synthetic rows shaped like refresh()
# output: 7 days of hourly buckets, ~20 non-empty buckets per issue, skewed
# counts, 1-3 versions and a sample stack from the corpus per issue) so the
# benchmark measures the read queries, not refresh (test/bench/refresh_bench.sh).
# Then, with the largest issue table kept, the span table errtrack.spans grows
# to each of SPAN_SIZES spans (5 per trace, 1% errors, the last 7 days) and the
# two queries are timed again: they read the issue tables only, so their time
# should not move with the span table's size.
# Creates and drops its own database.
#   SIZES="10000 100000"   REPS=5   SPAN_SIZES="1000000"  (e.g. "1000000 10000000")
# Output: "RESULT <name> <value> <unit>" lines plus a log on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
SIZES="${SIZES:-10000 100000}"
REPS="${REPS:-5}"
SPAN_SIZES="${SPAN_SIZES:-1000000}"
DB=errtrack_qbench
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
log() { echo "# $*" >&2; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
psql -X -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
cleanup() { [ -n "${KEEP:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

psql_q <<SQL
CREATE EXTENSION errtrack;
CREATE TABLE seed(k serial, lang text, t text, m text, s text);
\copy seed(lang, t, m, s) FROM PROGRAM 'python3 $here/gen_seed.py' WITH (FORMAT csv)
SQL

# The top 50 open issues by events in the last 24 hours, with a 24-point sparkline.
Q_TOP="SELECT i.issue_id, i.service, i.error_type, left(i.message, 80) AS message, i.status, t.events_24h,
       errtrack.sparkline(t.last_24h) AS sparkline
  FROM (SELECT b.issue_id, sum(b.events) AS events_24h,
               errtrack.histogram(b.bucket, date_trunc('hour', now()) - interval '23 hours',
                                  date_trunc('hour', now()) + interval '1 hour', 24, b.events) AS last_24h
          FROM errtrack.issue_buckets b
         WHERE b.bucket >= date_trunc('hour', now()) - interval '23 hours'
         GROUP BY b.issue_id
         ORDER BY 2 DESC
         LIMIT 50) t
  JOIN errtrack.issues i USING (issue_id)
 WHERE i.status IN ('for_review', 'reviewed')
 ORDER BY t.events_24h DESC;"
# One issue: the row with its sample stack, 7-day hourly timeline, versions, history.
Q_DETAIL="SELECT i.*, errtrack.normalize_stack(i.sample_stack) AS frames,
       (SELECT errtrack.sparkline(errtrack.histogram(b.bucket, date_trunc('hour', now()) - interval '167 hours',
                                                     date_trunc('hour', now()) + interval '1 hour', 168, b.events))
          FROM errtrack.issue_buckets b
         WHERE b.issue_id = i.issue_id AND b.bucket >= date_trunc('hour', now()) - interval '167 hours') AS week,
       (SELECT json_agg(v ORDER BY v.last_seen DESC) FROM errtrack.issue_versions v WHERE v.issue_id = i.issue_id) AS versions,
       (SELECT json_agg(h ORDER BY h.history_id) FROM errtrack.issue_history h WHERE h.issue_id = i.issue_id) AS history
  FROM errtrack.issues i WHERE i.issue_id = :id;"

time_query() {
	local name="$1" sql="$2" ms
	ms=$( { echo 'SET jit = off;'; echo '\timing on'; for _ in $(seq "$REPS"); do echo "$sql"; done; } |
		psql_q -At -v id="$ISSUE" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	log "$name: median of $REPS = $ms ms"
	echo "RESULT $name $ms ms"
}

for n in $SIZES; do
	t0=$(date +%s.%N)
	psql_q <<SQL
TRUNCATE errtrack.issues CASCADE;
INSERT INTO errtrack.issues (service, fingerprint, fingerprint_kind, error_type, message, status,
                             first_seen, last_seen, event_count, first_version, last_version,
                             sample_time, sample_score, sample_message, sample_stack)
SELECT 'svc-' || (g % 20), md5(g::text)::uuid, 'computed', s.t, s.m,
       (ARRAY['for_review', 'for_review', 'reviewed', 'resolved', 'ignored'])[g % 5 + 1],
       now() - interval '7 days', now() - (g % 168) * interval '1 hour', 0, 'v1', 'v' || (1 + g % 3),
       now() - (g % 168) * interval '1 hour', 2, s.m, s.s
  FROM generate_series(1, $n) g JOIN seed s ON s.k = g % (SELECT count(*) FROM seed) + 1;
-- ~20 of the 168 hourly buckets of the last 7 days per issue, skewed counts.
-- (The LATERAL subquery names i.issue_id so it runs per issue: uncorrelated,
-- PostgreSQL would draw the 20 hours once and give every issue the same ones.)
INSERT INTO errtrack.issue_buckets (issue_id, bucket, events)
SELECT DISTINCT ON (i.issue_id, h) i.issue_id, date_trunc('hour', now()) - h * interval '1 hour',
       1 + (floor(1000 / (1 + (i.issue_id % 997))) * random())::bigint
  FROM errtrack.issues i,
       LATERAL (SELECT (random() * 167)::int + 0 * (i.issue_id % 2)::int AS h FROM generate_series(1, 20)) r;
UPDATE errtrack.issues i SET event_count = b.n FROM (SELECT issue_id, sum(events) n FROM errtrack.issue_buckets GROUP BY 1) b
 WHERE b.issue_id = i.issue_id;
INSERT INTO errtrack.issue_versions (issue_id, version, events, first_seen, last_seen)
SELECT issue_id, 'v' || v, 1 + v, first_seen, last_seen FROM errtrack.issues, generate_series(1, 1 + issue_id::int % 3) v;
VACUUM ANALYZE errtrack.issues, errtrack.issue_buckets, errtrack.issue_versions;
SQL
	t1=$(date +%s.%N)
	ISSUE=$(psql_q -At -c "SELECT issue_id FROM errtrack.issues ORDER BY event_count DESC LIMIT 1")
	nb=$(psql_q -At -c "SELECT count(*) FROM errtrack.issue_buckets")
	n24=$(psql_q -At -c "SELECT count(*) FROM errtrack.issue_buckets WHERE bucket >= date_trunc('hour', now()) - interval '23 hours'")
	log "$n issues, $nb buckets ($n24 in the last 24 hours), filled in $(echo "$t1 - $t0" | bc) s"
	time_query "query_top50_24h_${n}_ms" "$Q_TOP"
	time_query "query_issue_detail_${n}_ms" "$Q_DETAIL"
	psql_q -At -c "EXPLAIN (COSTS OFF) $Q_TOP" | sed 's/^/#   /' >&2
done

# ---- the same queries as the span table grows (largest issue table kept) ----
spans=0
for target in $SPAN_SIZES; do
	t0=$(date +%s.%N)
	psql_q <<SQL
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, resource, start_time, is_error,
                            error_type, error_message, version, host)
SELECT md5((g / 5)::text)::uuid, g, CASE WHEN g % 5 = 0 THEN NULL ELSE g - g % 5 END,
       'svc-' || (g / 5) % 20, 'GET /r' || g % 50,
       now() - interval '7 days' + (g / 5) * (interval '7 days' / greatest($target / 5, 1)),
       g % 500 = 0, CASE WHEN g % 500 = 0 THEN 'Err' || (g / 500) % 40 END,
       CASE WHEN g % 500 = 0 THEN 'failed ' || (g / 500) % 7 END, 'v1', 'h' || g % 16
  FROM generate_series($spans + 5, $target + 4) g;
ANALYZE errtrack.spans;
SQL
	spans=$target
	t1=$(date +%s.%N)
	log "errtrack.spans: $spans spans (filled in $(echo "$t1 - $t0" | bc) s), issue tables of ${n} issues"
	time_query "query_top50_24h_${n}_spans_${spans}_ms" "$Q_TOP"
	time_query "query_issue_detail_${n}_spans_${spans}_ms" "$Q_DETAIL"
done
