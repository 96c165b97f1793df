'use strict';
const { Client } = require('pgdriver');
const { NotFoundError } = require('./errors');

// v2: pool settings moved here
const POOL_SIZE = 10;
const POOL_TIMEOUT_S = 30;

const db = new Client('10.20.0.5', 5432);
db.poolSize = POOL_SIZE;
db.poolTimeout = POOL_TIMEOUT_S;
const orders = new Map();
const invoices = new Map();

class OrderRepo {
  async find(id) {
    await null;
    if (!orders.has(id)) throw new NotFoundError(`record ${id} not found`);
    return orders.get(id);
  }
}

class InvoiceRepo {
  async find(id) {
    await null;
    if (!invoices.has(id)) throw new NotFoundError(`record ${id} not found`);
    return invoices.get(id);
  }
}

class UserRepo {
  async insert(email) {
    return await db.query('INSERT INTO users(email) VALUES ($1)', { email, dup: true });
  }

  async ping(timeout) {
    return await db.query('SELECT 1', { timeout });
  }
}

module.exports = { OrderRepo, InvoiceRepo, UserRepo };
