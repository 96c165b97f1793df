package com.shop;

import java.math.BigDecimal;

public final class Money {
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
