package com.shop;

import java.math.BigDecimal;

/** Money helpers. v2: documented. */
public final class Money {
    public static final String CURRENCY = "EUR";

    private Money() {
    }

    /** Shared helper used by both checkout and refunds. */
    public static BigDecimal parseAmount(String raw) {
        try {
            return new BigDecimal(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid amount '" + raw + "'", e);
        }
    }
}
