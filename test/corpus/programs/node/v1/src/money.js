'use strict';

// Shared helper used by both checkout and refunds.
function parseAmount(raw) {
  if (!/^\d+(\.\d+)?$/.test(raw)) {
    throw new TypeError(`invalid amount '${raw}'`);
  }
  return Number(raw);
}

module.exports = { parseAmount };
