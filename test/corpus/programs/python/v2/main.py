"""Corpus service: fires each bug many times and prints one JSON event per line."""
import json
import os
import random
import sys
import traceback
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "venv", "lib", "python3.11", "site-packages"))
sys.path.insert(0, HERE)

from microfw import App  # noqa: E402

from shop import service  # noqa: E402

# v2: request-id middleware configuration (unrelated to the bugs)
REQUEST_ID_HEADER = "X-Request-Id"


def new_request_id():
    return uuid.uuid4().hex


DEPLOY = int(sys.argv[1])
rng = random.Random(1000 + DEPLOY)
app = App()


def rid():
    return rng.randint(1, 999999)


def email():
    return f"{rng.choice(['alice', 'bob', 'carol', 'dave', 'erin'])}.{rng.randint(1, 9999)}@{rng.choice(['example.com', 'mail.test', 'corp.example.org'])}"


def ip():
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def junk():
    return rng.choice(["12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2"]) + rng.choice(["", " ", "x", "€"])


@app.route("/orders")
def orders_view(req):
    return service.show_order(req["id"])


@app.route("/invoices")
def invoices_view(req):
    return service.show_invoice(req["id"])


@app.route("/checkout")
def checkout_view(req):
    return service.checkout(req["cart"], req["total"])


@app.route("/refunds")
def refunds_view(req):
    return service.refund(req["order"], req["amount"])


@app.route("/register")
def register_view(req):
    return service.register(req["email"])


@app.route("/health")
def health_view(req):
    return service.health(req["timeout"])


@app.route("/avatar")
def avatar_view(req):
    return service.avatar_url(req["user"])


@app.route("/coupon")
def coupon_view(req):
    return service.apply_coupon(req["code"])


@app.route("/stats")
def stats_view(req):
    return service.conversion_rate(req["visits"], req["orders"])


@app.route("/slots")
def slots_view(req):
    return service.pick_slot(list(range(req["n"])), req["idx"])


BUGS = [
    ("order-not-found", "/orders", lambda: {"id": rid()}),
    ("invoice-not-found", "/invoices", lambda: {"id": rid()}),
    ("checkout-invalid-amount", "/checkout", lambda: {"cart": uid(), "total": junk()}),
    ("refund-invalid-amount", "/refunds", lambda: {"order": rid(), "amount": junk()}),
    ("register-duplicate-email", "/register", lambda: {"email": email()}),
    ("health-db-timeout", "/health", lambda: {"timeout": rng.choice([500, 1000, 2500, 3000])}),
    ("avatar-none-profile", "/avatar", lambda: {"user": rid()}),
    ("coupon-unknown", "/coupon", lambda: {"code": rng.choice(["SPRING", "bogus'; DROP", "FREE SHIP", "x" * rng.randint(1, 9), "BF-2024"]) + str(rng.randint(0, 99))}),
    ("stats-zero-visits", "/stats", lambda: {"visits": 0, "orders": rng.randint(1, 50)}),
    ("slots-index-out-of-range", "/slots", lambda: {"n": rng.randint(0, 5), "idx": rng.randint(6, 40)}),
]


def type_name(e):
    t = type(e)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def emit(label, e):
    print(json.dumps({
        "runtime": "python",
        "label": f"python/{label}",
        "deploy": DEPLOY,
        "error_type": type_name(e),
        "error_message": str(e),
        "error_stack": "".join(traceback.format_exception(e)),
    }))


def main():
    events = []
    for i, (label, path, mk) in enumerate(BUGS):
        for _ in range(8 + (i * 7 + DEPLOY) % 6):
            events.append((label, path, mk()))
    # worker-thread bug: thread names vary
    for _ in range(9 + DEPLOY):
        events.append(("worker-job-failed", None, {"thread": f"{rng.choice(['ingest', 'mailer', 'billing'])}-worker-{rng.randint(1, 32)}", "job": uid()}))
    rng.shuffle(events)
    for label, path, req in events:
        if path is None:
            sink = []
            service.run_job(req["thread"], req["job"], sink)
            emit(label, sink[0])
            continue
        try:
            app.dispatch(path, req)
        except Exception as e:  # noqa: BLE001
            emit(label, e)
        else:
            raise SystemExit(f"bug {label} did not fire")


main()
