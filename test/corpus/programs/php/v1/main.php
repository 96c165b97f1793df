<?php
// Corpus service: fires each bug many times and prints one JSON event per line
// (error_stack = (string)$e, i.e. Throwable::__toString with "Next" chain).
require __DIR__ . '/vendor/acme/pgdriver/src/Connection.php';
require __DIR__ . '/vendor/acme/microfw/src/App.php';
require __DIR__ . '/src/Errors.php';
require __DIR__ . '/src/Money.php';
require __DIR__ . '/src/Repositories.php';
require __DIR__ . '/src/Service.php';

$deploy = (int)$argv[1];
mt_srand(1000 + $deploy);
$svc = new Shop\Service();
$app = new Acme\MicroFw\App();

function pick(array $a) { return $a[mt_rand(0, count($a) - 1)]; }
function rid(): int { return mt_rand(1, 999999); }
function uuid(): string {
    $h = '';
    for ($i = 0; $i < 32; $i++) { $h .= dechex(mt_rand(0, 15)); }
    $h[12] = '4';
    return substr($h, 0, 8) . '-' . substr($h, 8, 4) . '-' . substr($h, 12, 4) . '-' . substr($h, 16, 4) . '-' . substr($h, 20);
}
function email(): string { return pick(['alice', 'bob', 'carol', 'dave', 'erin']) . '.' . mt_rand(0, 9999) . '@' . pick(['example.com', 'mail.test', 'corp.example.org']); }
function junk(): string { return pick(['12,50', 'abc', '1e', 'ten', '$5', '--', '9.9.9', '1/2']) . pick(['', ' ', 'x', '€']); }

$app->route('/orders', fn($r) => $svc->showOrder($r['id']));
$app->route('/invoices', fn($r) => $svc->showInvoice($r['id']));
$app->route('/checkout', fn($r) => $svc->checkout($r['cart'], $r['total']));
$app->route('/refunds', fn($r) => $svc->refund($r['order'], $r['amount']));
$app->route('/register', fn($r) => $svc->register($r['email']));
$app->route('/health', fn($r) => $svc->health($r['timeout']));
$app->route('/avatar', fn($r) => $svc->avatarUrl($r['user']));
$app->route('/coupon', fn($r) => $svc->applyCoupon($r['code']));
$app->route('/stats', fn($r) => $svc->conversionRate($r['visits'], $r['orders']));
$app->route('/slots', fn($r) => $svc->pickSlot(range(0, $r['n']), $r['idx']));
$app->route('/jobs', fn($r) => $svc->processJob($r['worker'], $r['job']));

$bugs = [
    ['order-not-found', '/orders', fn() => ['id' => rid()]],
    ['invoice-not-found', '/invoices', fn() => ['id' => rid()]],
    ['checkout-invalid-amount', '/checkout', fn() => ['cart' => uuid(), 'total' => junk()]],
    ['refund-invalid-amount', '/refunds', fn() => ['order' => rid(), 'amount' => junk()]],
    ['register-duplicate-email', '/register', fn() => ['email' => email()]],
    ['health-db-timeout', '/health', fn() => ['timeout' => pick([500, 1000, 2500, 3000])]],
    ['avatar-null-profile', '/avatar', fn() => ['user' => rid()]],
    ['coupon-unknown', '/coupon', fn() => ['code' => pick(['SPRING', "bogus'; DROP", 'FREE SHIP', 'xxxx', 'BF-2024']) . mt_rand(0, 99)]],
    ['stats-zero-visits', '/stats', fn() => ['visits' => 0, 'orders' => mt_rand(1, 50)]],
    ['slots-index-out-of-range', '/slots', fn() => ['n' => mt_rand(0, 5), 'idx' => mt_rand(6, 40)]],
    ['worker-job-failed', '/jobs', fn() => ['worker' => pick(['ingest', 'mailer', 'billing']) . '-worker-' . mt_rand(1, 32), 'job' => uuid()]],
];
$events = [];
foreach ($bugs as $i => [$label, $path, $mk]) {
    $n = 8 + ($i * 7 + $deploy) % 6;
    for ($k = 0; $k < $n; $k++) { $events[] = [$label, $path, $mk()]; }
}
for ($i = count($events) - 1; $i > 0; $i--) {
    $j = mt_rand(0, $i);
    [$events[$i], $events[$j]] = [$events[$j], $events[$i]];
}
foreach ($events as [$label, $path, $req]) {
    try {
        $app->dispatch($path, $req);
    } catch (\Throwable $e) {
        echo json_encode([
            'runtime' => 'php', 'label' => "php/$label", 'deploy' => $deploy,
            'error_type' => get_class($e), 'error_message' => $e->getMessage(), 'error_stack' => (string)$e,
        ], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE) . "\n";
        continue;
    }
    fwrite(STDERR, "bug $label did not fire\n");
    exit(1);
}
