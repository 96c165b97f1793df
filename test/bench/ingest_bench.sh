#!/usr/bin/env bash
# ingest_bench.sh — ingestion throughput of errtrack.ingest_datadog (msgpack v0.4
# and JSON) and errtrack.ingest_otlp against COPY of the same spans from CSV,
# all server-side, same table, same indexes, same run.  Not a pass/fail test.
#
#   test/bench/ingest_bench.sh [nspans=100000] [runs=3]
#   env: PGPORT / PGHOST / PGDATABASE as for psql; BENCH_DIR (default a fresh
#   /tmp directory; the server must be able to read it).
#
# Data: traces of 10 spans (1 entry span + 9 children, 2 services), ~12 meta
# tags, 3 metrics; 5% of the spans carry error.type/message/stack (~700 B).
# Every run starts from an empty errtrack.spans; the median of `runs` runs is
# printed with spans/s and the ratio to COPY.
#
# JSON variants (nothing is excluded from any timing):
#   dd_json / otlp_json            SELECT errtrack.ingest_*(<text>::jsonb): the body arrives as
#                                  text, PostgreSQL's jsonb input parser runs inside the timing
#                                  (what `SELECT errtrack.ingest_otlp($1::jsonb)` costs a receiver)
#   dd_jsonb_stored / otlp_jsonb_stored
#                                  SELECT errtrack.ingest_*(body) FROM a table holding the jsonb
#                                  (already a jsonb datum: detoast + walk + insert)
#   dd_json_text / otlp_json_text  the text overloads (no jsonb at all)
# Creates the extension in the database it connects to when it is missing
# (tools/bench.sh runs it in a fresh pg_virtualenv cluster).
set -euo pipefail
N=${1:-100000}
RUNS=${2:-3}
DIR=${BENCH_DIR:-$(mktemp -d /tmp/errtrack-bench.XXXXXX)}
chmod 755 "$DIR"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

python3 - "$N" "$DIR" <<'PY'
import json, struct, sys, random, uuid, csv, datetime
n, d = int(sys.argv[1]), sys.argv[2]
random.seed(42)

def mp(o, out):
    """minimal msgpack encoder (what dd-trace writes for these types)"""
    if o is None: out.append(b'\xc0')
    elif o is True: out.append(b'\xc3')
    elif o is False: out.append(b'\xc2')
    elif isinstance(o, int):
        if 0 <= o < 128: out.append(struct.pack('B', o))
        elif o >= 0: out.append(b'\xcf' + struct.pack('>Q', o))
        else: out.append(b'\xd3' + struct.pack('>q', o))
    elif isinstance(o, float): out.append(b'\xcb' + struct.pack('>d', o))
    elif isinstance(o, str):
        b = o.encode()
        if len(b) < 32: out.append(struct.pack('B', 0xa0 | len(b)))
        elif len(b) < 256: out.append(b'\xd9' + struct.pack('B', len(b)))
        elif len(b) < 65536: out.append(b'\xda' + struct.pack('>H', len(b)))
        else: out.append(b'\xdb' + struct.pack('>I', len(b)))
        out.append(b)
    elif isinstance(o, list):
        out.append(struct.pack('B', 0x90 | len(o)) if len(o) < 16 else b'\xdd' + struct.pack('>I', len(o)))
        for x in o: mp(x, out)
    elif isinstance(o, dict):
        out.append(struct.pack('B', 0x80 | len(o)) if len(o) < 16 else b'\xdf' + struct.pack('>I', len(o)))
        for k, v in o.items(): mp(k, out); mp(v, out)
    else: raise TypeError(o)

STACK = "PaymentError: card declined for order {}\n" + "".join(
    f"    at handler{i} (/srv/app/src/module{i}.js:{10+i}:{5+i})\n" for i in range(8))
traces, rows = [], []
t0 = 1795478133469019392
for t in range(n // 10):
    hi = (1795478133 + t) << 32
    lo = random.getrandbits(64) | 1
    spans = []
    root = random.getrandbits(64) | 1
    ids = [root] + [random.getrandbits(64) | 1 for _ in range(9)]
    for k in range(10):
        sid = ids[k]
        pid = 0 if k == 0 else ids[0 if k < 5 else 4]
        svc = 'checkout-api' if k < 5 else 'payments-client'
        start = t0 + t * 1000003 + k * 1234 + random.randint(0, 999)
        err = (t * 10 + k) % 20 == 7
        meta = {'env': 'staging', 'version': '1.4.2', 'component': 'http', 'span.kind': 'server' if k == 0 else 'client',
                'http.method': 'GET', 'http.url': f'http://127.0.0.1/checkout?cart={t}', 'runtime-id': str(uuid.UUID(int=lo << 64 | sid)),
                'team': 'payments', 'kube_namespace': 'shop', 'pod_name': 'checkout-api-7d9f8-abcde', '_dd.hostname': 'vm', 'language': 'javascript'}
        if k == 0: meta['_dd.p.tid'] = format(hi >> 0, '016x')[:16] if False else format(hi, '016x')
        if err:
            meta['error.type'] = 'PaymentError'
            meta['error.message'] = f'card declined for order {t}'
            meta['error.stack'] = STACK.format(t)
        metrics = {'_dd.measured': 1, 'process_id': 16719, '_sampling_priority_v1': 1}
        if k == 0: metrics['_dd.top_level'] = 1
        span = {'service': svc, 'name': 'web.request' if k == 0 else 'payment.charge', 'resource': 'GET /checkout' if k == 0 else 'POST /v1/charges',
                'trace_id': lo, 'span_id': sid, 'parent_id': pid, 'start': start, 'duration': 5276611 + k,
                'error': 1 if err else 0, 'meta': meta, 'metrics': metrics, 'type': 'web' if k == 0 else 'http'}
        spans.append(span)
        s2i = lambda v: v - (1 << 64) if v >= (1 << 63) else v
        ts = datetime.datetime.fromtimestamp(start // 1000 / 1e6, datetime.timezone.utc) if False else None
        us = start // 1000
        tstxt = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=us)
        rows.append([str(uuid.UUID(int=(hi << 64) | lo)), s2i(sid), '' if pid == 0 else s2i(pid), svc, span['name'], span['resource'],
                     span['type'], meta['span.kind'], tstxt.isoformat(), start, span['duration'], 't' if err else 'f',
                     meta.get('error.type', ''), meta.get('error.message', ''), meta.get('error.stack', ''), '', 'staging', '1.4.2', 'vm', '',
                     '', json.dumps(meta), json.dumps(metrics), 't' if k == 0 else '', 'csv'])
    traces.append(spans)

out = []
mp(traces, out)
open(f'{d}/spans.msgpack', 'wb').write(b''.join(out))
# JSON ids as numbers (exact in jsonb: numeric)
open(f'{d}/spans.json', 'w').write(json.dumps(traces))
# OTLP/JSON of the same spans (one resource per service)
def otlp_span(s, hi):
    attrs = [{'key': k, 'value': {'stringValue': v}} for k, v in s['meta'].items() if not k.startswith('error.') and k != '_dd.p.tid']
    ev = []
    if s['error']:
        ev = [{'name': 'exception', 'timeUnixNano': str(s['start'] + 1000), 'attributes': [
            {'key': 'exception.type', 'value': {'stringValue': s['meta']['error.type']}},
            {'key': 'exception.message', 'value': {'stringValue': s['meta']['error.message']}},
            {'key': 'exception.stacktrace', 'value': {'stringValue': s['meta']['error.stack']}}]}]
    o = {'traceId': format(hi, '016x') + format(s['trace_id'], '016x'), 'spanId': format(s['span_id'], '016x'),
         'name': s['name'], 'kind': 2 if s['parent_id'] == 0 else 3, 'startTimeUnixNano': str(s['start']),
         'endTimeUnixNano': str(s['start'] + s['duration']), 'attributes': attrs, 'events': ev,
         'status': {'code': 2 if s['error'] else 0}, 'flags': 257}
    if s['parent_id']: o['parentSpanId'] = format(s['parent_id'], '016x')
    return o
by_svc = {}
for t, spans in enumerate(traces):
    hi = (1795478133 + t) << 32
    for s in spans: by_svc.setdefault(s['service'], []).append(otlp_span(s, hi))
req = {'resourceSpans': [{'resource': {'attributes': [{'key': 'service.name', 'value': {'stringValue': svc}},
                                                       {'key': 'deployment.environment.name', 'value': {'stringValue': 'staging'}}]},
                          'scopeSpans': [{'scope': {'name': 'bench'}, 'spans': sp}]} for svc, sp in by_svc.items()]}
open(f'{d}/spans.otlp.json', 'w').write(json.dumps(req))
with open(f'{d}/spans.csv', 'w', newline='') as f:
    w = csv.writer(f)
    for r in rows: w.writerow(r)
PY
chmod 644 "$DIR"/*
ls -l "$DIR" | sed 's/^/# /'

"${PSQL[@]}" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS errtrack"
# the payloads as stored jsonb values (outside every timing)
"${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS public.errtrack_bench_payload;
CREATE TABLE public.errtrack_bench_payload (k text PRIMARY KEY, body jsonb);
INSERT INTO public.errtrack_bench_payload VALUES
  ('dd', pg_read_file('$DIR/spans.json')::jsonb), ('otlp', pg_read_file('$DIR/spans.otlp.json')::jsonb);
SQL

COLS="trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host, container_id, resource_attributes, meta, metrics, top_level, source"

# time_sql <label> <sql>: prints seconds of the statement (server side, from
# clock_timestamp around it in one session), after emptying the table.
time_sql() {
  "${PSQL[@]}" -t -A <<SQL
TRUNCATE errtrack.spans;
CHECKPOINT;
SELECT set_config('bench.t0', clock_timestamp()::text, false);
$1;
SELECT extract(epoch FROM clock_timestamp() - current_setting('bench.t0')::timestamptz);
SQL
}

declare -A SQL=(
  [copy_csv]="COPY errtrack.spans ($COLS) FROM '$DIR/spans.csv' (FORMAT csv)"
  [dd_msgpack]="SELECT errtrack.ingest_datadog(pg_read_binary_file('$DIR/spans.msgpack')) \\g /dev/null"
  [dd_json]="SELECT errtrack.ingest_datadog(pg_read_file('$DIR/spans.json')::jsonb) \\g /dev/null"
  [dd_json_text]="SELECT errtrack.ingest_datadog(pg_read_file('$DIR/spans.json')) \\g /dev/null"
  [otlp_json]="SELECT errtrack.ingest_otlp(pg_read_file('$DIR/spans.otlp.json')::jsonb) \\g /dev/null"
  [otlp_json_text]="SELECT errtrack.ingest_otlp(pg_read_file('$DIR/spans.otlp.json')) \\g /dev/null"
  [dd_jsonb_stored]="SELECT errtrack.ingest_datadog(body) FROM public.errtrack_bench_payload WHERE k = 'dd' \\g /dev/null"
  [otlp_jsonb_stored]="SELECT errtrack.ingest_otlp(body) FROM public.errtrack_bench_payload WHERE k = 'otlp' \\g /dev/null"
)
# *_json: the payload is cast to jsonb first (PostgreSQL's jsonb parser is part
# of the time); *_json_text: the text overloads decode the body directly.
ORDER=(copy_csv dd_msgpack dd_json dd_jsonb_stored dd_json_text otlp_json otlp_jsonb_stored otlp_json_text)
declare -A MED
for k in "${ORDER[@]}"; do
  ts=()
  for ((i = 0; i < RUNS; i++)); do
    t=$(time_sql "${SQL[$k]}" | tail -1)
    ts+=("$t")
  done
  cnt=$("${PSQL[@]}" -t -A -c "SELECT count(*) FROM errtrack.spans")
  med=$(printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  MED[$k]=$med
  printf '%-17s runs: %s  median %.3f s  rows %s  %.0f spans/s\n' "$k" "${ts[*]}" "$med" "$cnt" "$(echo "$cnt / $med" | bc -l)"
done
echo "# ratio to COPY (median time / COPY median time; target <= 3.0):"
for k in "${ORDER[@]:1}"; do
  printf '%-17s %.2fx\n' "$k" "$(echo "${MED[$k]} / ${MED[copy_csv]}" | bc -l)"
done
"${PSQL[@]}" -c "TRUNCATE errtrack.spans" -c "DROP TABLE public.errtrack_bench_payload"
[ -z "${BENCH_DIR:-}" ] && rm -rf "$DIR"
exit 0
