<?php
namespace Shop;

class NotFoundException extends \RuntimeException {}
class RegistrationException extends \RuntimeException {}
class WorkerFailure extends \RuntimeException {}
