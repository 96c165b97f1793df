#!/usr/bin/env python3
"""Builds realistic Datadog-agent JSON traces for the demo from the project's
real-runtime corpus (test/corpus/data/*.jsonl): nine services, each a real
program in its runtime, two deploys (versions), several hosts, a gateway in
front, and errors both on service entry spans (counted) and on inner spans of
the same service (not counted).  Deterministic (seeded).

  tools/demo_spans.py OUT.json [--events-per-label N] [--hours H]
"""
import argparse, glob, json, os, random, time

SERVICES = {"java": "billing-api", "python": "shop-web", "node": "frontend-bff", "go": "inventory-svc",
            "ruby": "accounts-rails", "dotnet": "payments-net", "php": "cms-php", "cpp": "render-engine",
            "rust": "ingest-gateway"}
LANGTAG = {"java": "jvm", "python": "python", "node": "javascript", "go": "go", "ruby": "ruby",
           "dotnet": "dotnet", "php": "php", "cpp": "cpp", "rust": "rust"}
ROUTES = ["GET /api/orders/{id}", "POST /api/checkout", "GET /api/users/{id}", "POST /api/refunds",
          "GET /api/inventory", "PUT /api/profile"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--events-per-label", type=int, default=12)
    ap.add_argument("--hours", type=int, default=24)
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rnd = random.Random(20261124)
    now_ns = int(time.time()) * 1_000_000_000
    traces = []
    for path in sorted(glob.glob(os.path.join(root, "test/corpus/data/*.jsonl"))):
        lang = os.path.basename(path)[:-6]
        service = SERVICES.get(lang, lang + "-svc")
        per_label = {}
        for line in open(path):
            ev = json.loads(line)
            per_label.setdefault(ev["label"], []).append(ev)
        for label, events in sorted(per_label.items()):
            # a label's popularity varies: a few loud issues, many quiet ones
            n = max(1, min(len(events), a.events_per_label * (1 + (hash(label) % 3 == 0) * 2) // 2))
            for k, ev in enumerate(events[:n]):
                deploy = ev.get("deploy", 1)
                # deploy 1 in the first 2/3 of the window, deploy 2 after
                frac = rnd.random() * (2 / 3) if deploy == 1 else 2 / 3 + rnd.random() / 3
                start = now_ns - int((1 - frac) * a.hours * 3600 * 1e9)
                hi, lo = rnd.getrandbits(64), rnd.getrandbits(63) + 1
                gw_id, entry_id, inner_id = (rnd.getrandbits(63) + 1 for _ in range(3))
                host = "%s-%d" % (service, rnd.randrange(3))
                version = "1.4.%d" % rnd.randrange(3) if deploy == 1 else "1.5.0"
                route = ROUTES[hash(label) % len(ROUTES)]
                common = {"env": "prod", "version": version, "_dd.p.tid": "%016x" % hi,
                          "language": LANGTAG.get(lang, lang)}
                gateway = {"trace_id": lo, "span_id": gw_id, "parent_id": 0, "service": "edge-gateway",
                           "name": "http.request", "resource": route, "type": "web", "start": start,
                           "duration": 40_000_000, "error": 0,
                           "meta": {"env": "prod", "_dd.p.tid": "%016x" % hi, "http.status_code": "502"},
                           "metrics": {"_sampling_priority_v1": 1}}
                entry = {"trace_id": lo, "span_id": entry_id, "parent_id": gw_id, "service": service,
                         "name": "web.request", "resource": route, "type": "web", "start": start + 1_000_000,
                         "duration": 30_000_000, "error": 1,
                         "meta": dict(common, **{"error.type": ev["error_type"], "error.message": ev["error_message"],
                                                 "error.stack": ev["error_stack"], "host": host,
                                                 "container_id": "%012x" % rnd.getrandbits(48)}),
                         "metrics": {"_top_level": 1}}
                inner = {"trace_id": lo, "span_id": inner_id, "parent_id": entry_id, "service": service,
                         "name": "postgres.query", "resource": "SELECT * FROM orders WHERE id = ?", "type": "sql",
                         "start": start + 2_000_000, "duration": 5_000_000, "error": 1 if k % 4 == 0 else 0,
                         "meta": dict(common, **({"error.type": "QueryCanceled",
                                                  "error.message": "canceling statement due to statement timeout"}
                                                 if k % 4 == 0 else {})),
                         "metrics": {}}
                traces.append([gateway, entry, inner])
    # healthy traffic too: entry spans without errors
    for i in range(len(traces)):
        svc = rnd.choice(list(SERVICES.values()))
        start = now_ns - rnd.randrange(a.hours * 3600) * 1_000_000_000
        traces.append([{"trace_id": rnd.getrandbits(63) + 1, "span_id": rnd.getrandbits(63) + 1, "parent_id": 0,
                        "service": svc, "name": "web.request", "resource": rnd.choice(ROUTES), "type": "web",
                        "start": start, "duration": 12_000_000, "error": 0,
                        "meta": {"env": "prod", "version": "1.5.0"}, "metrics": {}}])
    with open(a.out, "w") as f:
        json.dump(traces, f)
    print("demo: %d traces, %d spans" % (len(traces), sum(len(t) for t in traces)))


if __name__ == "__main__":
    main()
