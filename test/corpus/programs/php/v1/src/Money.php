<?php
namespace Shop;

final class Money
{
    // Shared helper used by checkout and refunds.
    public static function parseAmount(string $raw): float
    {
        if (!is_numeric($raw)) {
            throw new \InvalidArgumentException("invalid amount '$raw'");
        }
        return (float)$raw;
    }
}
