/**
 * Scenario S1 of the HTTP benchmark: a GET answered by one Lambda-proxy route with a small JSON, through node:http,
 * Express, Hono, Fastify and Koa with the gateway, beside bare node:http and each framework alone, and beside API
 * Gateway's work for the route written by hand on node:http and inside Fastify, Hono and Koa (./by-hand.ts).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { s1AnswerByHand, s1ByHand } from './by-hand'

export const S1_BODY = JSON.stringify({ id: 1, name: 'Rex', type: 'dog', price: 249.99 })
export const S1_PATH = '/pets/1'

const api = {
  openapi: '3.0.1',
  info: { title: 'http-bench', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getPet/invocations',
        },
      },
    },
  },
}
const getPet = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: S1_BODY })

/** The gateway input of S1 (also pinned byte for byte by test/regression/pinned-bytes.test.ts). */
export function s1GatewayInput() {
  return { api, functions: { getPet }, onWarning: () => {} }
}

export const S1_STACKS = [
  'bare node:http',
  'node:http + gateway',
  // Context: API Gateway's own work for this route written by hand (./by-hand.ts), the floor under S1's goal.
  "node:http doing API Gateway's work by hand",
  'Express + gateway',
  'Hono (@hono/node-server) + gateway',
  // Context: the frameworks alone, answering the same JSON from a route, so a row's gap can be attributed.
  'Express alone (no gateway)',
  'Hono alone (no gateway)',
  // Measured one after the other each round: their paired ratio is the Fastify row's goal.
  'Fastify alone (no gateway)',
  'Fastify + gateway',
  // Measured one after the other each round, as Fastify.
  'Koa alone (no gateway)',
  'Koa + gateway',
  // Context: API Gateway's work by hand inside each framework, answered through the framework's own response as the
  // gateway's adapter answers (a Fastify onRequest hook and reply.send, a Hono handler's Response, Koa's
  // ctx.body): the floor under each framework row's goal.
  "Fastify + API Gateway's work by hand",
  "Hono + API Gateway's work by hand",
  "Koa + API Gateway's work by hand",
] as const
export type S1Stack = (typeof S1_STACKS)[number]

/** A server for one S1 stack (not listening yet). */
export async function serveS1(stack: S1Stack): Promise<Server> {
  const input = s1GatewayInput()
  let server: Server
  if (stack === 'bare node:http') {
    server = createServer((_req, res) => {
      // With a length: writeHead without one makes Node fall back to chunked encoding, a slower baseline.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(S1_BODY) })
      res.end(S1_BODY)
    })
  } else if (stack === "node:http doing API Gateway's work by hand") {
    server = createServer(s1ByHand(getPet))
  } else if (stack === 'node:http + gateway') {
    const { createHandler } = await import('@gatehousejs/node')
    server = createServer(createHandler(input))
  } else if (stack === 'Express + gateway') {
    const { default: express } = await import('express')
    const { gateway } = await import('@gatehousejs/express')
    const app = express()
    app.use(gateway(input))
    server = createServer(app)
  } else if (stack === 'Hono (@hono/node-server) + gateway') {
    const { Hono } = await import('hono')
    const { createAdaptorServer } = await import('@hono/node-server')
    const { gateway } = await import('@gatehousejs/hono')
    const app = new Hono()
    app.use(gateway(input))
    server = createAdaptorServer({ fetch: app.fetch }) as Server
  } else if (stack === 'Fastify + gateway') {
    const { default: Fastify } = await import('fastify')
    const { gateway } = await import('@gatehousejs/fastify')
    const app = Fastify()
    app.register(gateway, input)
    await app.ready()
    server = app.server
  } else if (stack === 'Fastify alone (no gateway)') {
    const { default: Fastify } = await import('fastify')
    const app = Fastify()
    // Bytes: Fastify would add `; charset=utf-8` to a JSON string's Content-Type, and the answers must agree.
    app.get('/pets/:id', (_request, reply) => {
      reply.header('content-type', 'application/json').send(Buffer.from(S1_BODY))
    })
    await app.ready()
    server = app.server
  } else if (stack === 'Express alone (no gateway)') {
    const { default: express } = await import('express')
    const app = express()
    app.get('/pets/:id', (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(S1_BODY)
    })
    server = createServer(app)
  } else if (stack === 'Koa + gateway') {
    const { default: Koa } = await import('koa')
    const { gateway } = await import('@gatehousejs/koa')
    const app = new Koa()
    app.use(gateway(input))
    server = createServer(app.callback())
  } else if (stack === 'Koa alone (no gateway)') {
    const { default: Koa } = await import('koa')
    const app = new Koa()
    app.use((ctx) => {
      if (ctx.method !== 'GET' || !ctx.path.startsWith('/pets/')) return
      // Bytes: Koa would add `; charset=utf-8` to `ctx.type = 'application/json'`, and the answers must agree.
      ctx.set('content-type', 'application/json')
      ctx.body = Buffer.from(S1_BODY)
    })
    server = createServer(app.callback())
  } else if (stack === "Fastify + API Gateway's work by hand") {
    const { default: Fastify } = await import('fastify')
    const app = Fastify()
    const answer = s1AnswerByHand(getPet)
    app.addHook('onRequest', (request, reply) => {
      answer(request.raw).then(
        (a) => reply.code(a.statusCode).headers(a.headers).send(Buffer.from(a.body)),
        (error: Error) => reply.send(error),
      )
    })
    await app.ready()
    server = app.server
  } else if (stack === "Hono + API Gateway's work by hand") {
    const { Hono } = await import('hono')
    const { createAdaptorServer } = await import('@hono/node-server')
    type Bindings = { incoming: IncomingMessage }
    const app = new Hono<{ Bindings: Bindings }>()
    const answer = s1AnswerByHand(getPet)
    app.get('/pets/:id', async (c) => {
      const a = await answer(c.env.incoming)
      return new Response(a.body, { status: a.statusCode, headers: a.headers })
    })
    server = createAdaptorServer({ fetch: app.fetch }) as Server
  } else if (stack === "Koa + API Gateway's work by hand") {
    const { default: Koa } = await import('koa')
    const app = new Koa()
    const answer = s1AnswerByHand(getPet)
    app.use(async (ctx) => {
      if (ctx.method !== 'GET' || !ctx.path.startsWith('/pets/')) return
      const a = await answer(ctx.req)
      ctx.status = a.statusCode
      ctx.set(a.headers)
      ctx.body = a.body
    })
    server = createServer(app.callback())
  } else {
    const { Hono } = await import('hono')
    const { createAdaptorServer } = await import('@hono/node-server')
    const app = new Hono()
    app.get('/pets/:id', (c) => c.body(S1_BODY, 200, { 'content-type': 'application/json' }))
    server = createAdaptorServer({ fetch: app.fetch }) as Server
  }
  return server
}
