#!/usr/bin/env python3
"""Minimal msgpack encoder used to produce the hand-written payloads of the
pg_regress tests (sql/21_ingest_datadog.sql) and the bench.  Prints hex.
  python3 test/ingest/mp.py   -> one line per named payload: name<TAB>hex
"""
import struct

def enc(o, out=None):
    top = out is None
    out = [] if top else out
    if o is None: out.append(b'\xc0')
    elif o is True: out.append(b'\xc3')
    elif o is False: out.append(b'\xc2')
    elif isinstance(o, int):
        if 0 <= o < 128: out.append(struct.pack('B', o))
        elif o >= 0: out.append(b'\xcf' + struct.pack('>Q', o))
        elif o >= -32: out.append(struct.pack('b', o))
        else: out.append(b'\xd3' + struct.pack('>q', o))
    elif isinstance(o, float): out.append(b'\xcb' + struct.pack('>d', o))
    elif isinstance(o, (str, bytes)):
        b = o.encode() if isinstance(o, str) else o
        if len(b) < 32: out.append(struct.pack('B', 0xa0 | len(b)))
        elif len(b) < 256: out.append(b'\xd9' + struct.pack('B', len(b)))
        elif len(b) < 65536: out.append(b'\xda' + struct.pack('>H', len(b)))
        else: out.append(b'\xdb' + struct.pack('>I', len(b)))
        out.append(b)
    elif isinstance(o, list):
        out.append(struct.pack('B', 0x90 | len(o)) if len(o) < 16 else b'\xdc' + struct.pack('>H', len(o)))
        for x in o: enc(x, out)
    elif isinstance(o, dict):
        out.append(struct.pack('B', 0x80 | len(o)) if len(o) < 16 else b'\xde' + struct.pack('>H', len(o)))
        for k, v in o.items(): enc(k, out); enc(v, out)
    else: raise TypeError(o)
    return b''.join(out) if top else None

def span(service, sid, pid, start, **kw):
    s = {'service': service, 'name': kw.pop('name', 'op'), 'resource': kw.pop('resource', 'res'),
         'trace_id': kw.pop('trace_id', 0x1111), 'span_id': sid, 'parent_id': pid, 'start': start,
         'duration': kw.pop('duration', 1000), 'error': kw.pop('error', 0),
         'meta': kw.pop('meta', {}), 'metrics': kw.pop('metrics', {}), 'type': kw.pop('type', 'web')}
    s.update(kw)
    return s

T0 = 1795478133469019392
ERR = {'error.type': 'CardDeclinedError', 'error.message': 'card declined for amount 250',
       'error.stack': 'CardDeclinedError: card declined for amount 250\n    at charge (/srv/app/pay.js:39:29)\n    at handle (/srv/app/server.js:12:5)'}
P = {}
# one trace: root web span (checkout-api, 128-bit id), child in same service with error,
# child in another service with error; uint64 ids above 2^63
P['trace'] = enc([[
    span('checkout-api', 0xa000000000000001, 0, T0, trace_id=0xfedcba9876543210, name='web.request', resource='GET /checkout',
         meta={'_dd.p.tid': '6756c1a500000000', 'env': 'staging', 'version': '1.4.2', '_dd.hostname': 'vm',
               '_dd.tags.container': 'container_id:abc123,kube_namespace:shop'}, metrics={'_dd.top_level': 1, 'process_id': 42}),
    span('checkout-api', 2, 0xa000000000000001, T0 + 1001, trace_id=0xfedcba9876543210, name='db.query', error=1,
         meta=dict(ERR, env='staging')),
    span('payments-client', 3, 0xa000000000000001, T0 + 2002, trace_id=0xfedcba9876543210, name='payment.charge', error=1,
         meta={'error.kind': 'CardDeclinedError', 'error.msg': 'card declined for amount 250', 'error.stack': ERR['error.stack'],
               'env': 'staging', 'version': '2.0.0'}, metrics={'_sampling_priority_v1': 1.5}),
]])
# v0.5 of a 1-span trace
strings = ['', 'svc5', 'op5', 'res5', 'env', 'prod', 'error.type', 'Boom', 'error.message', 'it broke', 'error.stack', 'Boom: it broke\n    at f (/a.js:1:1)', '_dd.top_level', 'web']
P['v05'] = enc([strings, [[[1, 2, 3, 0x5555, 0x77, 0, T0, 500, 1, {4: 5, 6: 7, 8: 9, 10: 11}, {12: 1.0}, 13]]]])
P['v05_badidx'] = enc([strings, [[[1, 2, 99, 0x5555, 0x77, 0, T0, 500, 1, {}, {}, 13]]]])
P['v05_short'] = enc([strings, [[[1, 2, 3, 0x5555, 0x77, 0, T0, 500, 1, {}, {}]]]])
P['truncated'] = P['trace'][:-7]
P['wrong_type'] = enc([[span('a', 1, 0, T0, trace_id='not-a-number')]])
P['meta_not_str'] = enc([[span('a', 1, 0, T0, meta={'x': 5})]])
miss = span('a', 1, 0, T0); del miss['span_id']
P['missing_span_id'] = enc([[miss]])
P['zero_trace_id'] = enc([[span('a', 1, 0, T0, trace_id=0)]])
P['zero_span_id'] = enc([[span('a', 0, 0, T0)]])
P['dup_span_id'] = enc([[span('a', 7, 0, T0), span('a', 7, 0, T0 + 5)]])
P['dup_across_chunks'] = enc([[span('a', 8, 0, T0)], [span('b', 8, 0, T0 + 5)]])
P['no_service'] = enc([[span('', 1, 0, T0)]])
P['bad_tid'] = enc([[span('a', 1, 0, T0, meta={'_dd.p.tid': 'xyz'})]])
P['bad_utf8'] = enc([[span(b'caf\xe9', 1, 0, T0)]])
P['nul_byte'] = enc([[span('a\x00b', 1, 0, T0)]])
# a str32 header announcing 4 GiB, then 3 bytes
P['huge_str_header'] = b'\x91\x91\x81\xa7service\xdb\xff\xff\xff\xffabc'
# an array32 header announcing 4 billion traces
P['huge_array_header'] = b'\xdd\xff\xff\xff\xff\x90'
P['not_array'] = enc({'a': 1})
P['trailing'] = enc([]) + b'\x01'
P['float_id'] = enc([[span('a', 1.5, 0, T0)]])
P['bad_c1'] = b'\x91\x91\xc1'
# good first trace, bad second: nothing may be stored
P['atomic'] = enc([[span('atomic', 1, 0, T0, trace_id=0x2222)], [span('atomic', 2, 0, T0, trace_id=0)]])
# prefix/suffix of a span whose error.stack is N bytes (the test fills N 'x')
big = enc([[span('big', 1, 0, T0, trace_id=0x3333, error=1, meta={'error.type': 'Big', 'error.stack': 'BIGSTACK'})]])
P['big_prefix'], P['big_suffix'] = big.split(b'\xa8BIGSTACK')

if __name__ == '__main__':
    for k, v in P.items():
        print(f'{k}\t{v.hex()}')
