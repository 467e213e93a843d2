/**
 * End to end over HTTP with autocannon (10 connections, pipelining 1): bare node:http answering a small JSON,
 * and node:http / Express / Hono (@hono/node-server) / Fastify each serving the same JSON through the gateway from
 * one Lambda-proxy route; Fastify + gateway is also read against Fastify alone (issue #20's goal: ≥ 0.8×). Every
 * server runs in its own child process (this file, started with `GATEHOUSE_HTTP_BENCH_STACK=<stack>`), so
 * autocannon in the parent does not share the server's event loop. Responses are checked to agree (status, content type, body) before anything is timed.
 */
import type { ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { autocannonRps, median, startServerChild, versionOf, type Row, type Section } from './harness'

const STACK_ENV = 'GATEHOUSE_HTTP_BENCH_STACK'
const BODY = JSON.stringify({ id: 1, name: 'Rex', type: 'dog', price: 249.99 })
const PATH = '/pets/1'

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
const getPet = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: BODY })

const STACKS = [
  'bare node:http',
  'node:http + gateway',
  'Express + gateway',
  'Hono (@hono/node-server) + gateway',
  // Context: the frameworks alone, answering the same JSON from a route, so a row's gap can be attributed.
  'Express alone (no gateway)',
  'Hono alone (no gateway)',
  // Measured one after the other each round: their paired ratio is the Fastify row's goal.
  'Fastify alone (no gateway)',
  'Fastify + gateway',
] as const
const FASTIFY_RATIO_ROW = 'Fastify + gateway ÷ Fastify alone'
type Stack = (typeof STACKS)[number]

/** Child side: start one stack on 127.0.0.1 and print its port. */
async function serve(stack: Stack): Promise<void> {
  const input = { api, functions: { getPet }, onWarning: () => {} }
  let server: Server
  if (stack === 'bare node:http') {
    server = createServer((_req, res) => {
      // With a length: writeHead without one makes Node fall back to chunked encoding, a slower baseline.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) })
      res.end(BODY)
    })
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
      reply.header('content-type', 'application/json').send(Buffer.from(BODY))
    })
    await app.ready()
    server = app.server
  } else if (stack === 'Express alone (no gateway)') {
    const { default: express } = await import('express')
    const app = express()
    app.get('/pets/:id', (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(BODY)
    })
    server = createServer(app)
  } else {
    const { Hono } = await import('hono')
    const { createAdaptorServer } = await import('@hono/node-server')
    const app = new Hono()
    app.get('/pets/:id', (c) => c.body(BODY, 200, { 'content-type': 'application/json' }))
    server = createAdaptorServer({ fetch: app.fetch }) as Server
  }
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
  })
}

const childStack = process.env[STACK_ENV]
if (childStack) void serve(childStack as Stack)

const start = (stack: Stack) => startServerChild(fileURLToPath(import.meta.url), { [STACK_ENV]: stack }, stack)

async function probe(url: string): Promise<string> {
  const res = await fetch(`${url}${PATH}`)
  return `${res.status} ${res.headers.get('content-type')} ${await res.text()}`
}

const measure = (url: string, seconds: number) => autocannonRps(`${url}${PATH}`, seconds)

export default async function run(): Promise<Section> {
  const quick = process.env.BENCH_QUICK === '1'
  const load = loadavg()[0]!.toFixed(1)
  const warmup = quick ? 1 : 2
  const seconds = quick ? 1 : 2
  const rounds = quick ? 2 : 4
  const servers = new Map<Stack, { url: string; child: ChildProcess }>()
  const bareSamples: number[] = []
  const samples = new Map<Stack, number[]>(STACKS.map((s) => [s, []]))
  const ratios = new Map<Stack, number[]>(STACKS.map((s) => [s, []]))
  const fastifyRatios: number[] = []
  try {
    for (const stack of STACKS) servers.set(stack, await start(stack))
    const bareUrl = servers.get('bare node:http')!.url
    const expected = await probe(bareUrl)
    for (const stack of STACKS) {
      const answer = await probe(servers.get(stack)!.url)
      if (answer !== expected) throw new Error(`"${stack}" answers ${answer}, bare node:http answers ${expected}`)
      await measure(servers.get(stack)!.url, warmup)
    }
    // The machine's load drifts within seconds: each stack is measured right after bare node:http, round after
    // round, and its ratio is the median of those paired ratios.
    for (let r = 0; r < rounds; r++) {
      for (const stack of STACKS) {
        if (stack === 'bare node:http') continue
        const bare = await measure(bareUrl, seconds)
        const x = await measure(servers.get(stack)!.url, seconds)
        bareSamples.push(bare)
        samples.get(stack)!.push(x)
        ratios.get(stack)!.push(x / bare)
      }
      fastifyRatios.push(samples.get('Fastify + gateway')!.at(-1)! / samples.get('Fastify alone (no gateway)')!.at(-1)!)
    }
  } finally {
    for (const { child } of servers.values()) child.kill()
  }
  const bare = median(bareSamples)
  const rows: Row[] = STACKS.map((stack) => {
    if (stack === 'bare node:http') return { name: stack, ours: bare, peer: bare, ratio: 1 }
    return {
      name: stack,
      ours: median(samples.get(stack)!),
      peer: bare,
      ratio: median(ratios.get(stack)!),
      ...(stack === 'node:http + gateway' ? { goal: 0.8 } : {}),
    }
  })
  rows.push({
    name: FASTIFY_RATIO_ROW,
    ours: median(samples.get('Fastify + gateway')!),
    peer: median(samples.get('Fastify alone (no gateway)')!),
    ratio: median(fastifyRatios),
    goal: 0.8,
  })
  return {
    title: 'HTTP end to end: one Lambda-proxy route answering a small JSON',
    unit: 'req/s',
    peers: {
      node: process.version,
      autocannon: versionOf('autocannon'),
      express: versionOf('express'),
      hono: versionOf('hono'),
      '@hono/node-server': versionOf('@hono/node-server'),
      fastify: versionOf('fastify'),
    },
    peerName: 'bare node:http',
    rows,
    notes: [
      `autocannon, 10 connections, pipelining 1; ${warmup} s warm-up, then ${rounds} rounds in which each stack runs ${seconds} s right after bare node:http does. req/s columns: medians of the runs' means; ratio: median of the paired (stack ÷ bare run just before it) ratios, so it is not exactly the quotient of the columns.`,
      `1-minute load average when the run started: ${load} on ${cpus().length} cores (end-to-end figures move with it; the ratios are what to read).`,
      `"${FASTIFY_RATIO_ROW}": its columns are Fastify + gateway and Fastify alone (not bare node:http), its ratio the median of the per-round ratios of the two, measured one after the other (with a bare node:http run between them).`,
      'Each server runs in its own child process (all started first, measured one at a time); autocannon runs in the parent. Responses checked equal (status, content type, body) first.',
    ],
  }
}
