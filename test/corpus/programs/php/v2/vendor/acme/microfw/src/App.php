<?php
namespace Acme\MicroFw;

// Tiny fake web framework (vendor code).
class App
{
    private array $routes = [];

    public function route(string $path, callable $handler): void
    {
        $this->routes[$path] = $handler;
    }

    public function dispatch(string $path, array $req): mixed
    {
        return $this->runMiddleware(fn() => call_user_func($this->routes[$path], $req));
    }

    private function runMiddleware(callable $next): mixed
    {
        return $next();
    }
}
