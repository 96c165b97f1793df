<?php
namespace Shop;

use Acme\PgDriver\QueryException;

class Service
{
    private array $profiles = [];
    private array $coupons = ['WELCOME10' => 10];

    public function showOrder(int $id): array
    {
        return (new OrderRepository())->find($id);
    }

    public function showInvoice(int $id): array
    {
        return (new InvoiceRepository())->find($id);
    }

    public function checkout(string $cart, string $raw): float
    {
        return Money::parseAmount($raw);
    }

    public function refund(int $order, string $raw): float
    {
        return Money::parseAmount($raw);
    }

    public function register(string $email): void
    {
        try {
            (new UserRepository())->insert($email);
        } catch (QueryException $e) {
            throw new RegistrationException("cannot register $email", 0, $e);
        }
    }

    public function health(int $timeout): void
    {
        (new UserRepository())->ping($timeout);
    }

    public function avatarUrl(int $user): string
    {
        $profile = $this->profiles[$user] ?? null;
        return $profile->avatar();
    }

    public function applyCoupon(string $code): int
    {
        $lookup = function (string $c): int {
            if (!array_key_exists($c, $this->coupons)) {
                throw new \OutOfBoundsException("unknown coupon code \"$c\"");
            }
            return $this->coupons[$c];
        };
        return $lookup($code);
    }

    public function conversionRate(int $visits, int $orders): int
    {
        return intdiv($orders * 100, $visits);
    }

    public function pickSlot(array $slots, int $idx): int
    {
        return $slots[$idx] ?? throw new \OutOfRangeException("slot index $idx out of range for " . count($slots) . " slots");
    }

    public function processJob(string $worker, string $job): void
    {
        throw new WorkerFailure("worker $worker failed to process job $job");
    }
}
