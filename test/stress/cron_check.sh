#!/bin/bash
# Schedules errtrack.refresh() with pg_cron (1.4: minute schedules) and waits
# for a successful run that processed the pending events. Needs a server with
# shared_preload_libraries = 'pg_cron' (cron.database_name = postgres) and,
# unless cron.use_background_workers = on, libpq access to localhost.
#
#   PGPORT=5503 test/stress/cron_check.sh
set -euo pipefail
DB=errtrack_cron_check
CRONDB=$(psql -X -At -d postgres -c "SHOW cron.database_name" 2>/dev/null || true)
[ -n "$CRONDB" ] || { echo "SKIP: pg_cron is not preloaded on this server"; exit 0; }
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<'SQL'
CREATE EXTENSION errtrack;
UPDATE errtrack.settings SET settle_window = '0', auto_resolve_after = NULL;
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message)
SELECT md5(g::text)::uuid, g, 'web', '2024-05-01'::timestamptz + g * interval '1 s', true, 'E', 'cron ' || (g % 3)
  FROM generate_series(1, 300) g;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d "$CRONDB" <<SQL
CREATE EXTENSION IF NOT EXISTS pg_cron;
SELECT cron.schedule_in_database('errtrack-refresh-check', '* * * * *', 'SELECT errtrack.refresh()', '$DB');
SQL
echo "scheduled; waiting for pg_cron (up to 130 s)..."
ok=""
for i in $(seq 1 26); do
  sleep 5
  n=$(psql -X -At -d $DB -c "SELECT coalesce(sum(event_count), 0) FROM errtrack.issues")
  if [ "$n" = "300" ]; then ok=1; break; fi
done
psql -X -P pager=off -d "$CRONDB" -c "SELECT j.jobname, d.status, d.return_message, d.database FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'errtrack-refresh-check' ORDER BY d.runid DESC LIMIT 3"
psql -X -q -d "$CRONDB" -c "SELECT cron.unschedule('errtrack-refresh-check')" >/dev/null
[ -n "$ok" ] && echo "OK: pg_cron ran errtrack.refresh(); 300 events counted" || { echo "FAIL: events not counted"; exit 1; }
