#!/usr/bin/env bash
# run_upgrade.sh — every released version upgrades to the current one.
#
# For each version V the server offers besides the default one
# (pg_available_extension_versions: the frozen scripts src/sql/released/
# errtrack--V.sql that `make install` installs, see tools/release.sh):
#   1. CREATE EXTENSION errtrack VERSION 'V' in a fresh database, then data:
#      spans, errtrack.refresh(), a status change;
#   2. ALTER EXTENSION errtrack UPDATE (along the update scripts to default_version);
#   3. checks: the catalog (test/upgrade/catalog_dump.sql: every function's
#      pg_get_functiondef, aggregates, view definitions, table columns,
#      constraints, indexes, comments, privileges, pg_init_privs, extension
#      membership) is identical to a fresh install of the default version;
#      issues (counts, statuses, history, fingerprints) survive; every stored
#      error event still reaches the issue it counted on (through
#      errtrack.issue_fingerprints when the update changed the fingerprint
#      algorithm: 0.1.0 = fp1, 0.2.0 = fp2, with native and Python/Java data
#      here); a refresh after the update counts new events on the old issues,
#      and issues equal a recount over errtrack.error_events through aliases.
# PG* environment (tools/sql-tests.sh runs it in pg_virtualenv); databases
# errtrack_upgrade_old / errtrack_upgrade_new.  SKIP while nothing has been
# released.  Exit status 1 on any failed check.
set -uo pipefail
cd "$(dirname "$0")/../.."
HERE=test/upgrade
OLD=errtrack_upgrade_old
NEW=errtrack_upgrade_new
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
q()    { psql -X -q -v ON_ERROR_STOP=1 -t -A -d "$1" -c "$2"; }

if ! psql -X -q -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "SKIP: no server in the PG* environment"; exit 0
fi
current=$(q postgres "SELECT default_version FROM pg_available_extensions WHERE name = 'errtrack'")
[ -n "$current" ] || { echo "SKIP: errtrack is not installed in this server"; exit 0; }
versions=$(q postgres "SELECT version FROM pg_available_extension_versions
                        WHERE name = 'errtrack' AND version <> '$current' ORDER BY string_to_array(version, '.')::int[]")
if [ -z "$versions" ]; then
  echo "SKIP: no released version besides $current (src/sql/released/ is empty; see tools/release.sh)"; exit 0
fi

recreate() {
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" || exit 1
}
recreate "$NEW"
q "$NEW" "SET client_min_messages = warning; CREATE EXTENSION errtrack" >/dev/null || exit 1
psql -X -q -t -A -d "$NEW" -f "$HERE/catalog_dump.sql" > "$WORK/fresh.txt" || exit 1
echo "   fresh install of $current: $(wc -l < "$WORK/fresh.txt") catalog facts"

# data that every version since 0.1.0 understands (the spans/issues contract)
SPANS="INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, start_time, is_error,
                                  error_type, error_message, error_stack, version, host)
  SELECT md5(:'tag' || g)::uuid, g, NULL, 'svc' || (g % 3), '2024-05-01'::timestamptz + g * interval '1 minute', g % 4 <> 0,
         CASE WHEN g % 2 = 0 THEN 'KeyError' ELSE 'java.lang.IllegalStateException' END, 'order ' || g || ' not found',
         CASE WHEN g % 2 = 0
              THEN E'Traceback (most recent call last):\n  File \"/srv/app/shop/views.py\", line ' || g || ', in handler_' || (g % 5) || E'\n    return load(order_id)\nKeyError: ''order-' || g || ''''
              ELSE E'java.lang.IllegalStateException: order ' || g || E' not found\n\tat com.shop.OrderService.load' || (g % 7) || '(OrderService.java:' || g || E')\n\tat com.shop.OrderController.get(OrderController.java:42)' END,
         :'ver', 'h' || (g % 2)
    FROM generate_series(1, 400) g"
ISSUES="SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s', service, fingerprint, fingerprint_kind, event_count, status, first_seen, last_version), E'\n' ORDER BY service, fingerprint) FROM errtrack.issues"
HISTORY="SELECT string_agg(format('%s|%s|%s|%s', i.fingerprint, h.old_status, h.new_status, h.reason), E'\n' ORDER BY h.history_id) FROM errtrack.issue_history h JOIN errtrack.issues i USING (issue_id)"
# the issue each stored error event counts on: its alias, else the issue of its own fingerprint
EVENT_ISSUE="SELECT e.trace_id, e.span_id, e.fingerprint, coalesce(f.issue_id, i.issue_id) AS issue_id
  FROM errtrack.error_events e
  LEFT JOIN errtrack.issue_fingerprints f ON f.service = e.service AND f.fingerprint = e.fingerprint
  LEFT JOIN errtrack.issues i ON i.service = e.service AND i.fingerprint = e.fingerprint"
EVENTS="SELECT string_agg(format('%s|%s|%s', trace_id, span_id, issue_id), E'\n' ORDER BY trace_id, span_id) FROM ($EVENT_ISSUE) x"
FINGERPRINTS="SELECT string_agg(format('%s|%s|%s', trace_id, span_id, fingerprint), E'\n' ORDER BY trace_id, span_id) FROM ($EVENT_ISSUE) x"
MISMATCHES="SELECT count(*) FROM (SELECT issue_id, count(*) AS n FROM ($EVENT_ISSUE) x GROUP BY 1) e
  FULL JOIN (SELECT * FROM errtrack.issues WHERE event_count > 0) i USING (issue_id) WHERE e.n IS DISTINCT FROM i.event_count"
# native traces (where fp2 differs from fp1 in its rules, not only in its version tag)
NATIVE="INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, start_time, is_error, error_type, error_stack, version)
  SELECT md5('native' || :'tag' || g)::uuid, g, NULL, 'native', '2024-05-01'::timestamptz + g * interval '1 minute', true, 'SIGSEGV',
         CASE g % 3
           WHEN 0 THEN E'#0  0x00007f1a2b3c' || lpad(to_hex(g * 16), 4, '0') || E' in ?? () from /usr/lib/libfoo.so.1\n#1  0x000055d0c0de1234 in render_frame (w=0x55d0c1e2f3a0) at src/render.c:' || g || E'\n#2  0x000055d0c0de2345 in main_loop () at src/main.c:40'
           WHEN 1 THEN E'#0  0xb79' || lpad(to_hex(g), 2, '0') || E'bc40 in ?? ()\n#1  0xb7bb29d9 in ?? ()\n#2  0x00000000 in ?? ()'
           ELSE E'#0  0xb7cdf4b6 in free () from /lib/libc.so.6\n#1  0x0804a1b2 in cache_evict (c=0x8050008) at cache.c:' || g || E'\n#2  0x0804a3c4 in cache_put (c=0x8050008) at cache.c:151'
         END, :'ver'
    FROM generate_series(1, 30) g"

for v in $versions; do
  echo "-- $v -> $current"
  recreate "$OLD"
  q "$OLD" "SET client_min_messages = warning; CREATE EXTENSION errtrack VERSION '$v'" >/dev/null \
    || { fail "CREATE EXTENSION errtrack VERSION '$v'"; continue; }
  psql -X -q -v ON_ERROR_STOP=1 -d "$OLD" -v tag=a -v ver=v1 >/dev/null <<SQL || { fail "data into $v"; continue; }
UPDATE errtrack.settings SET settle_window = '0', auto_resolve_after = NULL;
$SPANS;
$NATIVE;
SELECT errtrack.refresh('0');
SELECT errtrack.set_status(min(issue_id), 'resolved', note => 'upgrade test') FROM errtrack.issues;
SELECT errtrack.set_status(max(issue_id), 'ignored') FROM errtrack.issues;
SQL
  issues_before=$(q "$OLD" "$ISSUES"); history_before=$(q "$OLD" "$HISTORY"); events_before=$(q "$OLD" "$EVENTS")
  fps_before=$(q "$OLD" "$FINGERPRINTS"); algo_before=$(q "$OLD" "SELECT errtrack.fingerprint_version()")
  n_issues=$(q "$OLD" "SELECT count(*) FROM errtrack.issues")

  if q "$OLD" "ALTER EXTENSION errtrack UPDATE" >/dev/null; then ok "ALTER EXTENSION errtrack UPDATE from $v"
  else fail "ALTER EXTENSION errtrack UPDATE from $v"; continue; fi
  got=$(q "$OLD" "SELECT extversion FROM pg_extension WHERE extname = 'errtrack'")
  [ "$got" = "$current" ] && ok "extversion is $current" || fail "extversion is $got, not $current"

  psql -X -q -t -A -d "$OLD" -f "$HERE/catalog_dump.sql" > "$WORK/upgraded-$v.txt"
  if diff -u "$WORK/fresh.txt" "$WORK/upgraded-$v.txt" > "$WORK/diff-$v.txt"; then
    ok "catalog identical to a fresh install ($(wc -l < "$WORK/fresh.txt") facts)"
  else
    fail "catalog differs from a fresh install (- fresh, + upgraded from $v):"
    grep -E '^[-+][^-+]' "$WORK/diff-$v.txt" | head -n 60 | cut -c1-300
  fi
  [ "$(q "$OLD" "$ISSUES")" = "$issues_before" ] && ok "$n_issues issues unchanged (counts, statuses, fingerprints)" \
    || fail "issues changed by the update"
  [ "$(q "$OLD" "$HISTORY")" = "$history_before" ] && ok "issue history unchanged" || fail "issue history changed by the update"
  algo_after=$(q "$OLD" "SELECT errtrack.fingerprint_version()")
  if [ "$algo_after" = "$algo_before" ]; then
    [ "$(q "$OLD" "$FINGERPRINTS")" = "$fps_before" ] && ok "fingerprints of stored events unchanged ($algo_after)" \
      || fail "fingerprints of stored events changed under the same algorithm $algo_after"
  else
    [ "$(q "$OLD" "$FINGERPRINTS")" != "$fps_before" ] && ok "algorithm $algo_before -> $algo_after: stored events have new fingerprints" \
      || fail "algorithm changed $algo_before -> $algo_after but no stored fingerprint did"
    # refactor joins reach old issues: the new aliases carry join signatures
    got=$(q "$OLD" "SELECT count(*) FROM errtrack.issue_fingerprints WHERE algorithm = '$algo_after' AND anchor IS NOT NULL")
    [ "$got" -gt 0 ] && ok "$got $algo_after aliases carry join signatures (refactor joins)" \
      || fail "no $algo_after alias got a join signature from the update"
  fi
  [ "$(q "$OLD" "$EVENTS")" = "$events_before" ] && ok "every stored event still reaches the issue it counted on" \
    || fail "stored events lost their issues (a new algorithm needs errtrack.remap_fingerprints in the update script)"
  got=$(q "$OLD" "$MISMATCHES")
  [ "$got" = 0 ] && ok "issues equal a recount through the aliases right after the update" || fail "$got issues differ from a recount after the update"
  n_before=$(q "$OLD" "SELECT count(*) FROM errtrack.issues")

  # the upgraded installation keeps working: new events (and a new version) counted
  psql -X -q -v ON_ERROR_STOP=1 -d "$OLD" -v tag=b -v ver=v2 >/dev/null <<SQL || fail "new spans after the update"
$SPANS;
$NATIVE;
SQL
  if q "$OLD" "SELECT errtrack.refresh('0')" >/dev/null; then ok "refresh after the update"; else fail "refresh after the update"; fi
  got=$(q "$OLD" "$MISMATCHES")
  [ "$got" = 0 ] && ok "issues equal a recount over errtrack.error_events" || fail "$got issues differ from a recount"
  # the same errors again (tag b = other ids, same code paths): no new issue
  n_after=$(q "$OLD" "SELECT count(*) FROM errtrack.issues")
  [ "$n_after" = "$n_before" ] && ok "the same errors after the update count on the $n_before old issues" \
    || fail "the update split issues: $n_before before, $n_after after new events of the same errors"
done

psql -X -q -d postgres -c "DROP DATABASE $OLD" -c "DROP DATABASE $NEW"
echo "upgrade: $fails failed"
[ "$fails" -eq 0 ]
