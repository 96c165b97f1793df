#!/usr/bin/env bash
# run_cron.sh — errtrack.refresh() scheduled by pg_cron, as docs/issues.md
# tells users to do.  Run by tools/sql-tests.sh inside pg_virtualenv, whose
# cluster CI starts with shared_preload_libraries=pg_cron and
# cron.database_name=postgres (pg_virtualenv connects to database postgres).
#
#   pg_virtualenv -v 15 -o shared_preload_libraries=pg_cron -o cron.database_name=postgres bash test/cron/run_cron.sh
#
# Installs errtrack in the pg_cron database when missing (and removes it
# again), stores 300 error events of a service of its own, schedules
# `SELECT errtrack.refresh('0')` every minute with cron.schedule, waits for
# one run (pg_cron 1.4 schedules by the minute: up to ~75 s), checks that
# cron.job_run_details says 'succeeded' and that the events were counted, and
# unschedules.  SKIP (exit 0) when pg_cron is not loadable here.
set -euo pipefail
JOB=errtrack-refresh-ci
SVC=cron-ci-$$
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

preloaded=$("${PSQL[@]}" -At -c "SELECT current_setting('shared_preload_libraries') ~ '(^|[, ])pg_cron($|[, ])'" 2>/dev/null || echo f)
if [ "$preloaded" != t ]; then
  echo "SKIP: pg_cron is not in shared_preload_libraries"
  exit 0
fi
crondb=$("${PSQL[@]}" -At -c "SHOW cron.database_name")
here=$("${PSQL[@]}" -At -c "SELECT current_database()")
if [ "$crondb" != "$here" ]; then
  echo "SKIP: connected to database $here, pg_cron runs jobs from $crondb"
  exit 0
fi
if ! "${PSQL[@]}" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_cron" 2>/tmp/run_cron.$$.err; then
  echo "SKIP: pg_cron is not loadable: $(cat /tmp/run_cron.$$.err)"
  rm -f /tmp/run_cron.$$.err
  exit 0
fi
rm -f /tmp/run_cron.$$.err

created_ext=$("${PSQL[@]}" -At -c "SELECT NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'errtrack')")
cleanup() {
  "${PSQL[@]}" -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = '$JOB'" >/dev/null 2>&1 || true
  if [ "$created_ext" = t ]; then
    "${PSQL[@]}" -c "SET client_min_messages = warning" -c "DROP EXTENSION IF EXISTS errtrack CASCADE" >/dev/null 2>&1 || true
  else
    "${PSQL[@]}" -c "DELETE FROM errtrack.spans WHERE service = '$SVC'" -c "DELETE FROM errtrack.issues WHERE service = '$SVC'" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

"${PSQL[@]}" <<SQL
CREATE EXTENSION IF NOT EXISTS errtrack;
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message)
SELECT md5('$SVC' || g)::uuid, g, '$SVC', '2024-05-01'::timestamptz + g * interval '1 s', true,
       'CronError', 'cron ' || (g % 3)
  FROM generate_series(1, 300) g;
SQL
jobid=$("${PSQL[@]}" -At -c "SELECT cron.schedule('$JOB', '* * * * *', \$\$SELECT errtrack.refresh('0')\$\$)")
# pg_cron 1.4 runs a job through libpq to cron.host (default localhost, TCP):
# in pg_virtualenv that needs a password the scheduler does not have.  Unless
# background workers are used, point the job at the server's unix socket
# (peer authentication as the same OS user) — what setting cron.host to the
# socket directory does for every job (docs/issues.md).
"${PSQL[@]}" -c "UPDATE cron.job SET nodename = split_part(current_setting('unix_socket_directories'), ',', 1)
                  WHERE jobid = $jobid AND nodename = 'localhost'
                    AND coalesce(current_setting('cron.use_background_workers', true), 'off') <> 'on'
                    AND split_part(current_setting('unix_socket_directories'), ',', 1) LIKE '/%'"
start=$(date +%s)
echo "scheduled job $jobid ($JOB, every minute); waiting for a run (up to 75 s)..."

status=""
while [ $(( $(date +%s) - start )) -lt 75 ]; do
  sleep 3
  status=$("${PSQL[@]}" -At -c "SELECT status FROM cron.job_run_details WHERE jobid = $jobid AND status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1")
  [ -n "$status" ] && break
done
"${PSQL[@]}" -P pager=off -c "SELECT d.runid, d.status, d.return_message, d.database, d.command, d.end_time - d.start_time AS took
                                FROM cron.job_run_details d WHERE d.jobid = $jobid ORDER BY d.runid"
counted=$("${PSQL[@]}" -At -c "SELECT count(*) || ' issues, ' || coalesce(sum(event_count), 0) || ' events' FROM errtrack.issues WHERE service = '$SVC'")
echo "counted: $counted"

fail=0
if [ "$status" != succeeded ]; then
  echo "FAIL: no successful pg_cron run of errtrack.refresh('0') within 75 s (status: ${status:-none})"
  fail=1
fi
if [ "$counted" != "1 issues, 300 events" ]; then
  echo "FAIL: expected 1 issue (one error type) with 300 events after the run, got $counted"
  fail=1
fi
# unschedule (cleanup does it too on failure) and check it is gone
"${PSQL[@]}" -At -c "SELECT cron.unschedule($jobid)" >/dev/null
left=$("${PSQL[@]}" -At -c "SELECT count(*) FROM cron.job WHERE jobname = '$JOB'")
[ "$left" = 0 ] || { echo "FAIL: job still scheduled"; fail=1; }
[ $fail = 0 ] && echo "OK: pg_cron ran errtrack.refresh('0') (succeeded); 300 events counted on 1 issue; unscheduled"
exit $fail
