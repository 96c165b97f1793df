<?php
namespace Shop;

use Acme\PgDriver\Connection;

// v2: pool settings moved here
const POOL_SIZE = 10;
const POOL_TIMEOUT_S = 30;

class OrderRepository
{
    private array $rows = [];

    public function find(int $id): array
    {
        if (!isset($this->rows[$id])) {
            throw new NotFoundException("record $id not found");
        }
        return $this->rows[$id];
    }
}

class InvoiceRepository
{
    private array $rows = [];

    public function find(int $id): array
    {
        if (!isset($this->rows[$id])) {
            throw new NotFoundException("record $id not found");
        }
        return $this->rows[$id];
    }
}

class UserRepository
{
    private Connection $db;

    public function __construct()
    {
        $this->db = new Connection('10.20.0.5');
    }

    public function insert(string $email): void
    {
        $this->db->execute('INSERT INTO users(email) VALUES (?)', ['email' => $email, 'dup' => true]);
    }

    public function ping(int $timeout): void
    {
        $this->db->execute('SELECT 1', ['timeout' => $timeout]);
    }
}
