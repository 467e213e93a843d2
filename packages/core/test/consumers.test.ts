/**
 * Real consumers of Lambda proxy events: a Hono app behind Hono's own `hono/aws-lambda` `handle()`, and an
 * Express app behind `serverless-http`, each registered as a function behind an AWS_PROXY route — payload 1.0
 * (REST API) and 2.0 (HTTP API). If our events or our reading of their results were off, these apps would
 * see the wrong method, path, query, body or cookies.
 */
import express from 'express'
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { getCookie, setCookie } from 'hono/cookie'
import serverless from 'serverless-http'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayRequest, type GatewayResponse, type LambdaHandler } from '@gatehousejs/core'

function honoApp() {
  const app = new Hono()
  app.get('/items/:id', (c) =>
    c.json({
      id: c.req.param('id'),
      q: c.req.query('q') ?? null,
      tags: c.req.queries('tag') ?? [],
      path: c.req.path,
      method: c.req.method,
    }),
  )
  app.post('/json', async (c) => c.json({ got: await c.req.json(), type: c.req.header('content-type') }))
  app.post('/binary', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    return c.body(bytes.slice().reverse(), 200, { 'content-type': 'application/octet-stream' })
  })
  app.get('/cookies', (c) => {
    setCookie(c, 'session', 'abc', { path: '/', httpOnly: true })
    setCookie(c, 'theme', 'dark', { path: '/' })
    return c.json({ a: getCookie(c, 'a') ?? null, c: getCookie(c, 'c') ?? null })
  })
  return handle(app) as unknown as LambdaHandler
}

function expressApp() {
  const app = express()
  app.use(express.json())
  app.use(express.raw({ type: 'application/octet-stream' }))
  app.get('/items/:id', (req, res) => {
    const tag = req.query.tag
    res.json({
      id: req.params.id,
      q: req.query.q ?? null,
      tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag],
      path: req.path,
      method: req.method,
    })
  })
  app.post('/json', (req, res) => res.json({ got: req.body, type: req.get('content-type') }))
  app.post('/binary', (req, res) => {
    const bytes = Buffer.from(req.body as Buffer)
    res.type('application/octet-stream').send(bytes.reverse())
  })
  app.get('/cookies', (req, res) => {
    const jar = Object.fromEntries(
      String(req.headers.cookie ?? '')
        .split(/;\s*/)
        .filter(Boolean)
        .map((kv) => kv.split('=') as [string, string]),
    )
    res.cookie('session', 'abc', { path: '/', httpOnly: true })
    res.cookie('theme', 'dark', { path: '/' })
    res.json({ a: jar.a ?? null, c: jar.c ?? null })
  })
  return serverless(app, { binary: ['application/octet-stream'] }) as unknown as LambdaHandler
}

const uri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

function api(fn: string, payloadFormatVersion: '1.0' | '2.0') {
  return {
    openapi: '3.0.1',
    info: { title: `consumer-${fn}`, version: '1' },
    'x-amazon-apigateway-binary-media-types': ['application/octet-stream'],
    paths: {
      '/{proxy+}': {
        'x-amazon-apigateway-any-method': {
          'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: uri(fn), payloadFormatVersion },
        },
      },
    },
  }
}

const consumers = { hono: honoApp(), express: expressApp() }
const formats = [
  { name: 'REST API, payload 1.0', apiType: 'REST' as const, version: '1.0' as const },
  { name: 'HTTP API, payload 2.0', apiType: 'HTTP' as const, version: '2.0' as const },
]

function header(res: GatewayResponse, name: string): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(res.headers)) {
    if (k.toLowerCase() === name) out.push(...(typeof v === 'string' ? [v] : v))
  }
  return out
}

const text = (res: GatewayResponse) => (typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8'))
const bytes = (res: GatewayResponse) => (typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : Buffer.from(res.body))

for (const [consumer, fn] of Object.entries(consumers)) {
  for (const format of formats) {
    describe(`${consumer} consumer, ${format.name}`, () => {
      const gw = createGateway({
        api: api(consumer, format.version),
        apiType: format.apiType,
        functions: { [consumer]: fn },
        onWarning: () => {},
      })
      const base: Omit<GatewayRequest, 'method' | 'path'> = { headers: { host: 'api.example.com' }, sourceIp: '203.0.113.9' }

      it('GET with path and query parameters', async () => {
        const res = await gw.handle({ ...base, method: 'GET', path: '/items/42', query: 'q=hello%20world&tag=a&tag=b' })
        expect(res.statusCode).toBe(200)
        expect(header(res, 'content-type')[0]).toMatch(/^application\/json/)
        expect(JSON.parse(text(res))).toEqual({ id: '42', q: 'hello world', tags: ['a', 'b'], path: '/items/42', method: 'GET' })
      })

      it('JSON POST', async () => {
        const body = JSON.stringify({ name: 'Rex', n: 3, nested: { ok: true }, s: 'é' })
        const res = await gw.handle({
          ...base,
          method: 'POST',
          path: '/json',
          headers: { ...base.headers, 'content-type': 'application/json' },
          body: Buffer.from(body),
        })
        expect(res.statusCode).toBe(200)
        const out = JSON.parse(text(res))
        expect(out.got).toEqual(JSON.parse(body))
        expect(out.type).toBe('application/json')
      })

      it('binary POST', async () => {
        const input = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
        const res = await gw.handle({
          ...base,
          method: 'POST',
          path: '/binary',
          headers: { ...base.headers, 'content-type': 'application/octet-stream', accept: 'application/octet-stream' },
          body: input,
        })
        expect(res.statusCode).toBe(200)
        expect(bytes(res).equals(Buffer.from(input).reverse())).toBe(true)
      })

      it('cookies in, several Set-Cookie out', async () => {
        const res = await gw.handle({
          ...base,
          method: 'GET',
          path: '/cookies',
          headers: { ...base.headers, cookie: 'a=1; b=2; c=3' },
        })
        expect(res.statusCode).toBe(200)
        expect(JSON.parse(text(res))).toEqual({ a: '1', c: '3' })
        const cookies = header(res, 'set-cookie')
        expect(cookies).toHaveLength(2)
        expect(cookies[0]).toMatch(/^session=abc;/)
        expect(cookies[1]).toMatch(/^theme=dark;/)
      })

      it('split Cookie header lines (as HTTP/2 clients send them)', async () => {
        const res = await gw.handle({ ...base, method: 'GET', path: '/cookies', headers: { ...base.headers, cookie: ['a=1; b=2', 'c=3'] } })
        // A 1.0 event's `headers` holds the last line only, as on AWS; serverless-http lets it win over
        // `multiValueHeaders`, so an Express app behind it sees `c=3` alone — on AWS too. Hono reads the
        // multi-value map (1.0) and `cookies` (2.0) and sees every cookie.
        const lastLineOnly = consumer === 'express' && format.version === '1.0'
        expect(JSON.parse(text(res))).toEqual({ a: lastLineOnly ? null : '1', c: '3' })
      })
    })
  }
}
