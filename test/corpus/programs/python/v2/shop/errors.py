class NotFound(Exception):
    pass


class RegistrationError(Exception):
    pass


class WorkerFailure(Exception):
    pass
