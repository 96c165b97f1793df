module Shop
  class NotFound < StandardError; end
  class RegistrationError < StandardError; end
  class WorkerFailure < StandardError; end
end
