<?php
namespace Acme\PgDriver;

class QueryException extends \PDOException {}

class Connection
{
    public function __construct(private string $host, private int $port = 5432) {}

    private function check(array $params): void
    {
        if (isset($params['timeout'])) {
            throw new QueryException("SQLSTATE[08006]: timeout after {$params['timeout']}ms connecting to {$this->host}:{$this->port}");
        }
        if (isset($params['dup'])) {
            throw new QueryException("SQLSTATE[23505]: Unique violation: duplicate key value violates unique constraint \"users_email_key\"\nDETAIL:  Key (email)=({$params['email']}) already exists.");
        }
    }

    public function execute(string $sql, array $params): array
    {
        $this->check($params);
        return [];
    }
}
