import threading

from pgdriver import UniqueViolation

from .errors import RegistrationError, WorkerFailure
from .money import parse_amount
from .repo import InvoiceRepo, OrderRepo, UserRepo

PROFILES = {}
COUPONS = {"WELCOME10": 10}


def show_order(order_id):
    return OrderRepo().find(order_id)


def show_invoice(invoice_id):
    return InvoiceRepo().find(invoice_id)


def checkout(cart_id, raw_total):
    total = parse_amount(raw_total)
    return {"cart": cart_id, "total": total}


def refund(order_id, raw_amount):
    amount = parse_amount(raw_amount)
    return {"order": order_id, "refund": amount}


def register(email):
    try:
        UserRepo().insert(email)
    except UniqueViolation as e:
        raise RegistrationError(f"cannot register {email}") from e


def health(timeout_ms):
    UserRepo().ping(timeout_ms)


def avatar_url(user_id):
    profile = PROFILES.get(user_id)
    return profile.avatar


def apply_coupon(code):
    if code not in COUPONS:
        raise KeyError(f'unknown coupon code "{code}"')
    return COUPONS[code]


def conversion_rate(visits, orders):
    return orders / visits


def pick_slot(slots, idx):
    return slots[idx]


def run_job(thread_name, job_id, sink):
    def target():
        try:
            process_job(job_id)
        except Exception as e:  # noqa: BLE001
            sink.append(e)
    t = threading.Thread(target=target, name=thread_name)
    t.start()
    t.join()


def process_job(job_id):
    name = threading.current_thread().name
    raise WorkerFailure(f"worker {name} failed to process job {job_id}")
