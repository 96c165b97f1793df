from decimal import Decimal, InvalidOperation


def parse_amount(raw):
    """Shared helper: used by checkout and by refunds."""
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"invalid amount '{raw}'") from None
