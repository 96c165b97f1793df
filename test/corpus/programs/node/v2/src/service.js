'use strict';
const { OrderRepo, InvoiceRepo, UserRepo } = require('./repo');
const { RegistrationError } = require('./errors');
const { parseAmount } = require('./money');

// v2: feature flags (unrelated to the bugs); shifts every line below.
const FLAGS = { newCheckout: true, betaAvatars: false };

function featureEnabled(name) {
  return Boolean(FLAGS[name]);
}

const profiles = new Map();
const coupons = { WELCOME10: 10 };

async function showOrder(id) {
  return await loadOrder(id);
}

// v2: pass-through helper inserted in the call path
async function loadOrder(id) {
  return await new OrderRepo().find(id);
}

async function showInvoice(id) {
  return await new InvoiceRepo().find(id);
}

function checkout(cartId, rawTotal) {
  return { cartId, total: parseAmount(rawTotal) };
}

function refund(orderId, rawAmount) {
  return { orderId, refund: parseAmount(rawAmount) };
}

async function register(email) {
  try {
    await new UserRepo().insert(email);
  } catch (e) {
    throw new RegistrationError(`cannot register ${email}`, { cause: e });
  }
}

async function health(timeout) {
  await new UserRepo().ping(timeout);
}

function avatarUrl(userId) {
  const profile = profiles.get(userId);
  return profile.avatar;
}

function applyCoupon(code) {
  const pct = coupons[code];
  if (pct === undefined) throw new Error(`unknown coupon code "${code}"`);
  return pct;
}

function conversionRate(visits, orders) {
  const r = BigInt(orders) / BigInt(visits);
  return Number(r);
}

function pickSlot(slots, idx) {
  return slots.at(idx).toFixed(0);
}

function processJob(workerName, jobId) {
  throw new Error(`worker ${workerName} failed to process job ${jobId}`);
}

module.exports = {
  featureEnabled,
  showOrder, showInvoice, checkout, refund, register, health, avatarUrl, applyCoupon, conversionRate, pickSlot, processJob,
};
