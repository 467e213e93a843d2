/**
 * Scenario S2 of the HTTP benchmark (issue #17): POST /orders with an `x-api-key` (a usage plan with a throttle and a
 * quota, limits never reached), the body validated against a model, and a Lambda-proxy function echoing two fields.
 * The same work done by hand on bare node:http, by Fastify 5 with `@fastify/rate-limit` keyed by the API key and a
 * route body schema, and by Express 5 with express-rate-limit and express.json(). And the gateway once more with
 * access logs and metrics on (issue #16's cost row).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { apiGatewayIds, ContextByHand, failed, proxyEventByHand, type ProxyResult, writeResultByHand } from './by-hand'
import { createEmfExporter, type GatewayInput, type GatewayRequest, createPrometheusRegistry } from '@gatehousejs/core'

export const S2_PATH = '/orders'
export const S2_KEY = 'bench-key-0123456789abcdef'
export const S2_BODY = JSON.stringify({ item: 'kibble', quantity: 3, note: 'leave at the door', gift: false })
/** S2's request as `handle()` takes it (the in-process benchmarks). */
export const S2_GATEWAY_REQUEST = {
  method: 'POST',
  path: S2_PATH,
  headers: { host: 'api.example.com', 'content-type': 'application/json', 'x-api-key': S2_KEY },
  body: S2_BODY,
  sourceIp: '203.0.113.7',
} satisfies GatewayRequest

/** What every stack answers. */
export const S2_ANSWER = JSON.stringify({ item: 'kibble', quantity: 3 })

const ORDER_SCHEMA = {
  type: 'object',
  required: ['item', 'quantity'],
  properties: {
    item: { type: 'string', minLength: 1, maxLength: 64 },
    quantity: { type: 'integer', minimum: 1, maximum: 100 },
    note: { type: 'string', maxLength: 200 },
    gift: { type: 'boolean' },
  },
} as const

export const S2_STACKS = [
  'S2 bare node:http (key check and JSON by hand)',
  // Context: the same server answering with API Gateway's three ids as well (x-amzn-RequestId, x-amz-apigw-id,
  // X-Amzn-Trace-Id, made per request): what API Gateway's own response headers cost a bare server.
  "S2 bare node:http with API Gateway's response headers",
  // Context: API Gateway's whole work by hand (ids, the proxy event, the function's call; no usage plan counted):
  // the floor under S2's goal against bare node:http.
  "S2 bare node:http doing API Gateway's work by hand",
  'S2 node:http + gateway',
  'S2 Fastify + rate-limit + body schema',
  'S2 Express + express-rate-limit + express.json()',
  'S2 node:http + gateway, access log + metrics on',
] as const
export type S2Stack = (typeof S2_STACKS)[number]

const LIMIT = 1_000_000_000

/** The gateway input of S2 (also pinned byte for byte by test/regression/pinned-bytes.test.ts). */
export function s2GatewayInput() {
  const api = {
    openapi: '3.0.1',
    info: { title: 'orders', version: '1' },
    'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
    components: {
      schemas: { Order: ORDER_SCHEMA },
      securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
    },
    paths: {
      [S2_PATH]: {
        post: {
          security: [{ api_key: [] }],
          'x-amazon-apigateway-request-validator': 'body',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'placeOrder' },
        },
      },
    },
  }
  const placeOrder = async (event: { body: string | null }) => {
    const order = JSON.parse(event.body ?? '{}') as { item: string; quantity: number }
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: order.item, quantity: order.quantity }),
    }
  }
  return {
    api,
    functions: { placeOrder },
    apiKeys: [{ id: 'bench', value: S2_KEY }],
    usagePlans: [
      {
        id: 'bench-plan',
        throttle: { rateLimit: LIMIT, burstLimit: LIMIT },
        quota: { limit: LIMIT, period: 'DAY' as const },
        apiStages: [{ stage: 'prod' }],
        keys: ['bench'],
      },
    ],
    onWarning: () => {},
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** The order checks a hand-written server makes: the schema's rules, by hand. */
function validOrder(o: unknown): o is { item: string; quantity: number } {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false
  const r = o as Record<string, unknown>
  return (
    typeof r.item === 'string' &&
    r.item.length >= 1 &&
    r.item.length <= 64 &&
    Number.isInteger(r.quantity) &&
    (r.quantity as number) >= 1 &&
    (r.quantity as number) <= 100 &&
    (r.note === undefined || (typeof r.note === 'string' && r.note.length <= 200)) &&
    (r.gift === undefined || typeof r.gift === 'boolean')
  )
}

const ACCESS_LOG_JSON =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }'

/**
 * S2's gateway with access logs and metrics on: a JSON access-log line per request to `writeLine`, every request's
 * metrics into a Prometheus registry and an Embedded Metric Format exporter (its lines made each second, dropped).
 */
export function s2ObservedInput(writeLine: (line: string) => void) {
  const registry = createPrometheusRegistry()
  const emf = createEmfExporter({ write: () => {}, intervalMs: 1000 })
  const input: GatewayInput = {
    ...s2GatewayInput(),
    stage: { stageName: 'prod', accessLogSettings: { format: ACCESS_LOG_JSON } },
    accessLog: { destination: writeLine },
    metrics: { sink: [registry.sink, emf.sink] },
  }
  return { input, registry, emf }
}

/**
 * S2 by hand on bare node:http: the key checked, the body parsed and checked, two fields answered. `ids`: with API
 * Gateway's three ids as well. `aws`: API Gateway's whole work by hand (the floor under S2's goal): the proxy event
 * (./by-hand.ts) to S2's function, its result's shape checked, answered with the three ids; no usage plan counted.
 */
export function s2ByHand(
  mode: 'plain' | 'ids' | 'aws',
  placeOrder: (event: { body: string | null }, context: ContextByHand) => Promise<ProxyResult> = s2GatewayInput().functions.placeOrder,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const keys = new Map([[S2_KEY, 'bench']])
  const nextIds = apiGatewayIds()
  return async (req, res) => {
    if (req.method !== 'POST' || req.url !== S2_PATH) return void res.writeHead(404).end()
    const key = String(req.headers['x-api-key'])
    const keyId = keys.get(key)
    if (keyId === undefined) return void res.writeHead(403).end('{"message":"Forbidden"}')
    const text = await readBody(req)
    let order: unknown
    try {
      order = JSON.parse(text)
    } catch {
      order = undefined
    }
    if (!validOrder(order)) return void res.writeHead(400).end('{"message": "Invalid request body"}')
    if (mode === 'plain') {
      const body = JSON.stringify({ item: order.item, quantity: order.quantity })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      return void res.end(body)
    }
    const got = nextIds()
    if (mode === 'ids') {
      const body = JSON.stringify({ item: order.item, quantity: order.quantity })
      const ids = ['X-Amzn-Trace-Id', got.trace, 'x-amzn-RequestId', got.requestId, 'x-amz-apigw-id', got.extendedId]
      res.writeHead(200, ['content-length', Buffer.byteLength(body), 'content-type', 'application/json', ...ids])
      return void res.end(body)
    }
    const route = { resource: S2_PATH, pathParameters: null, body: text, apiKey: { value: key, id: keyId } }
    let result: ProxyResult
    try {
      result = await placeOrder(
        proxyEventByHand(req, got, route) as { body: string | null },
        new ContextByHand(got.requestId, 'placeOrder'),
      )
    } catch {
      return failed(res, got)
    }
    writeResultByHand(res, result, got)
  }
}

/** A server for one S2 stack (not listening yet). */
export async function serveS2(stack: S2Stack): Promise<Server> {
  if (stack === 'S2 bare node:http (key check and JSON by hand)') return createServer(s2ByHand('plain'))
  if (stack === "S2 bare node:http with API Gateway's response headers") return createServer(s2ByHand('ids'))
  if (stack === "S2 bare node:http doing API Gateway's work by hand") return createServer(s2ByHand('aws'))
  if (stack === 'S2 node:http + gateway') {
    const { createHandler } = await import('@gatehousejs/node')
    return createServer(createHandler(s2GatewayInput()))
  }
  if (stack === 'S2 node:http + gateway, access log + metrics on') {
    const { createHandler } = await import('@gatehousejs/node')
    let lines = 0
    return createServer(createHandler(s2ObservedInput(() => void lines++).input))
  }
  if (stack === 'S2 Fastify + rate-limit + body schema') {
    const { default: Fastify } = await import('fastify')
    const { default: rateLimit } = await import('@fastify/rate-limit')
    const app = Fastify()
    await app.register(rateLimit, { max: LIMIT, timeWindow: 1000, keyGenerator: (req) => String(req.headers['x-api-key']) })
    const keys = new Set([S2_KEY])
    app.post(
      S2_PATH,
      {
        schema: { body: ORDER_SCHEMA },
        preHandler: (req, reply, done) => {
          if (!keys.has(String(req.headers['x-api-key']))) reply.code(403).send({ message: 'Forbidden' })
          else done()
        },
      },
      (req, reply) => {
        const order = req.body as { item: string; quantity: number }
        reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify({ item: order.item, quantity: order.quantity })))
      },
    )
    await app.ready()
    return app.server
  }
  const { default: express } = await import('express')
  const { rateLimit } = await import('express-rate-limit')
  const app = express()
  const keys = new Set([S2_KEY])
  app.use(rateLimit({ windowMs: 1000, limit: LIMIT, keyGenerator: (req) => String(req.headers['x-api-key']), validate: false }))
  app.use(express.json())
  app.post(S2_PATH, (req, res) => {
    if (!keys.has(String(req.headers['x-api-key']))) return void res.status(403).json({ message: 'Forbidden' })
    if (!validOrder(req.body)) return void res.status(400).json({ message: 'Invalid request body' })
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ item: req.body.item, quantity: req.body.quantity }))
  })
  return createServer(app)
}

/** The request autocannon sends for S2. */
export const S2_REQUEST = {
  method: 'POST' as const,
  path: S2_PATH,
  headers: { 'content-type': 'application/json', 'x-api-key': S2_KEY },
  body: S2_BODY,
}
