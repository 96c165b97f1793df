'use strict';
// Corpus service: fires each bug many times and prints one JSON event per line.
const { Router } = require('microexpress');
const svc = require('./service');

const DEPLOY = Number(process.argv[2]);

// deterministic PRNG (mulberry32)
let seed = 1000 + DEPLOY;
function rnd() {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (n) => Math.floor(rnd() * n);
const pick = (a) => a[ri(a.length)];
const rid = () => 1 + ri(999999);
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[ri(16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const email = () => `${pick(['alice', 'bob', 'carol', 'dave', 'erin'])}.${ri(9999)}@${pick(['example.com', 'mail.test', 'corp.example.org'])}`;
const junk = () => pick(['12,50', 'abc', '1e', 'ten', '$5', '--', '9.9.9', '1/2']) + pick(['', ' ', 'x', '€']);

const app = new Router();
app.route('/orders', (req) => svc.showOrder(req.id));
app.route('/invoices', (req) => svc.showInvoice(req.id));
app.route('/checkout', (req) => svc.checkout(req.cart, req.total));
app.route('/refunds', (req) => svc.refund(req.order, req.amount));
app.route('/register', (req) => svc.register(req.email));
app.route('/health', (req) => svc.health(req.timeout));
app.route('/avatar', (req) => svc.avatarUrl(req.user));
app.route('/coupon', (req) => svc.applyCoupon(req.code));
app.route('/stats', (req) => svc.conversionRate(req.visits, req.orders));
app.route('/slots', (req) => svc.pickSlot(Array.from({ length: req.n }, (_, i) => i), req.idx));

const BUGS = [
  ['order-not-found', '/orders', () => ({ id: rid() })],
  ['invoice-not-found', '/invoices', () => ({ id: rid() })],
  ['checkout-invalid-amount', '/checkout', () => ({ cart: uuid(), total: junk() })],
  ['refund-invalid-amount', '/refunds', () => ({ order: rid(), amount: junk() })],
  ['register-duplicate-email', '/register', () => ({ email: email() })],
  ['health-db-timeout', '/health', () => ({ timeout: pick([500, 1000, 2500, 3000]) })],
  ['avatar-undefined-profile', '/avatar', () => ({ user: rid() })],
  ['coupon-unknown', '/coupon', () => ({ code: pick(['SPRING', "bogus'; DROP", 'FREE SHIP', 'xxxx', 'BF-2024']) + ri(100) })],
  ['stats-zero-visits', '/stats', () => ({ visits: 0, orders: 1 + ri(50) })],
  ['slots-index-out-of-range', '/slots', () => ({ n: ri(6), idx: 6 + ri(35) })],
];

function emit(label, err) {
  process.stdout.write(JSON.stringify({
    runtime: 'node',
    label: `node/${label}`,
    deploy: DEPLOY,
    error_type: err.name,
    error_message: err.message,
    error_stack: err.stack,
  }) + '\n');
}

function runJob(workerName, jobId) {
  return new Promise((resolve) => {
    setImmediate(function onJob() {
      try {
        svc.processJob(workerName, jobId);
      } catch (e) {
        resolve(e);
      }
    });
  });
}

async function main() {
  const events = [];
  BUGS.forEach(([label, path, mk], i) => {
    const n = 8 + ((i * 7 + DEPLOY) % 6);
    for (let k = 0; k < n; k++) events.push([label, path, mk()]);
  });
  for (let k = 0; k < 9 + DEPLOY; k++) {
    events.push(['worker-job-failed', null, { worker: `${pick(['ingest', 'mailer', 'billing'])}-consumer-${1 + ri(32)}`, job: uuid() }]);
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = ri(i + 1);
    [events[i], events[j]] = [events[j], events[i]];
  }
  for (const [label, path, req] of events) {
    if (path === null) {
      emit(label, await runJob(req.worker, req.job));
      continue;
    }
    try {
      await app.dispatch(path, req);
    } catch (e) {
      emit(label, e);
      continue;
    }
    throw new Error(`bug ${label} did not fire`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
