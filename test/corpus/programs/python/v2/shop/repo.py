from pgdriver import Connection

from .errors import NotFound



# v2: connection pool settings moved here
POOL_SIZE = 10
POOL_TIMEOUT_S = 30


DB = Connection("10.20.0.5")
ORDERS = {}
INVOICES = {}


class OrderRepo:
    def find(self, order_id):
        if order_id not in ORDERS:
            raise NotFound(f"record {order_id} not found")
        return ORDERS[order_id]


class InvoiceRepo:
    def find(self, invoice_id):
        if invoice_id not in INVOICES:
            raise NotFound(f"record {invoice_id} not found")
        return INVOICES[invoice_id]


class UserRepo:
    def insert(self, email):
        DB.execute("INSERT INTO users(email) VALUES (%(email)s)", {"email": email, "_dup": True})

    def ping(self, timeout_ms):
        DB.execute("SELECT 1", {"_timeout": timeout_ms})
