'use strict'
// OpenTelemetry JS 2.x scenarios (OTLP/HTTP JSON to otlp_sink.js), one
// provider per service so each service posts its own request:
//   1. error on a root span (batch-worker, recordException + status ERROR) -> 1 event
//   2. error on a child, same service (checkout-api: INTERNAL child records the
//      exception, the SERVER span succeeds)                               -> no event
//   3. error in a downstream service (checkout-api CLIENT span -> W3C
//      traceparent -> inventory-api SERVER span with an exception event)   -> 1 event, inventory-api
const api = require('@opentelemetry/api')
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base')
const { resourceFromAttributes } = require('@opentelemetry/resources')
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http')
const { W3CTraceContextPropagator } = require('@opentelemetry/core')
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')

const url = `http://127.0.0.1:${Number(process.env.OTLP_PORT || 4318)}/v1/traces`
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
function provider (service) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service, 'service.version': '2.3.0', 'deployment.environment.name': 'staging',
      'host.name': 'node-9.example.internal', 'k8s.namespace.name': 'shop'
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 100 })]
  })
}
const providers = { worker: provider('batch-worker'), checkout: provider('checkout-api'), inventory: provider('inventory-api') }
const tr = (p) => p.getTracer('errtrack-scenarios', '0.0.1')
const prop = new W3CTraceContextPropagator()

function fail (span, err) {
  span.recordException(err)
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: err.message })
}

tr(providers.worker).startActiveSpan('job.run', { kind: api.SpanKind.CONSUMER, root: true }, (span) => {
  fail(span, new TypeError("Cannot read properties of undefined (reading 'id')"))
  span.end()
})

tr(providers.checkout).startActiveSpan('GET /cart', { kind: api.SpanKind.SERVER, root: true }, (span) => {
  tr(providers.checkout).startActiveSpan('db.query', { kind: api.SpanKind.INTERNAL }, (child) => {
    const e = new Error('deadlock detected'); e.name = 'QueryError'
    fail(child, e)
    child.end()
  })
  span.end()
})

tr(providers.checkout).startActiveSpan('POST /order', { kind: api.SpanKind.SERVER, root: true }, (span) => {
  tr(providers.checkout).startActiveSpan('GET inventory', { kind: api.SpanKind.CLIENT }, (client) => {
    const headers = {}
    prop.inject(api.context.active(), headers, api.defaultTextMapSetter)
    const remote = prop.extract(api.ROOT_CONTEXT, headers, api.defaultTextMapGetter)
    tr(providers.inventory).startActiveSpan('GET /stock/:sku', { kind: api.SpanKind.SERVER }, remote, (srv) => {
      const e = new Error('sku 8812 out of stock in warehouse 3'); e.name = 'StockError'
      fail(srv, e)
      srv.end()
    })
    client.setStatus({ code: api.SpanStatusCode.ERROR, message: 'HTTP 409' })
    client.end()
  })
  span.end()
})

Promise.all(Object.values(providers).map((p) => p.forceFlush().then(() => p.shutdown())))
  .catch((e) => { console.error(e); process.exit(1) })
