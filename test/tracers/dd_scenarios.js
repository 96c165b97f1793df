'use strict'
// dd-trace 5.x scenarios for errtrack's entry-span rule (sent to dd_agent_sink.js):
//   1. error on a root span            (batch-worker: job.run throws)          -> 1 event, batch-worker
//   2. error on a child, same service  (checkout-api: db.query throws, caught) -> no event
//   3. error in a downstream service   (checkout-api -> inventory-api via
//      injected/extracted headers; inventory.check throws)                     -> 1 event, inventory-api
//   4. 128-bit trace ids: dd-trace 5 generates them (meta _dd.p.tid)
const tracer = require('dd-trace').init({
  hostname: '127.0.0.1', port: Number(process.env.DD_TRACE_AGENT_PORT || 8126), flushInterval: 100, startupLogs: false
})
tracer.use('http', false); tracer.use('dns', false); tracer.use('net', false)

class StockError extends Error { constructor (m) { super(m); this.name = 'StockError' } }
class QueryError extends Error { constructor (m) { super(m); this.name = 'QueryError' } }

function runJob () {
  try {
    tracer.trace('job.run', { service: 'batch-worker', resource: 'reindex', type: 'worker' }, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')")
    })
  } catch (e) {}
}

function childErrorSameService () {
  tracer.trace('web.request', { service: 'checkout-api', resource: 'GET /cart', type: 'web' }, () => {
    try {
      tracer.trace('db.query', { service: 'checkout-api', resource: 'SELECT cart', type: 'sql' }, () => {
        throw new QueryError('deadlock detected')
      })
    } catch (e) { /* handled: the request succeeds */ }
  })
}

function inventoryHandler (headers) {
  // the downstream service continues the trace from the propagated headers
  const parent = tracer.extract('http_headers', headers)
  return tracer.trace('inventory.check', { service: 'inventory-api', resource: 'GET /stock/:sku', type: 'web', childOf: parent }, () => {
    throw new StockError('sku 8812 out of stock in warehouse 3')
  })
}

function downstreamError () {
  tracer.trace('web.request', { service: 'checkout-api', resource: 'POST /order', type: 'web' }, (span) => {
    const headers = {}
    tracer.inject(span, 'http_headers', headers)
    try { inventoryHandler(headers) } catch (e) { span.setTag('http.status_code', '409') }
  })
}

runJob()
childErrorSameService()
downstreamError()
setTimeout(() => process.exit(0), 1500)
