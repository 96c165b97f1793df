'use strict';

class NotFoundError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NotFoundError';
  }
}

class RegistrationError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'RegistrationError';
  }
}

module.exports = { NotFoundError, RegistrationError };
