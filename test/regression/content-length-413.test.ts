/**
 * Issue #12, finding 7b: a `Content-Length` above the body limit is refused at once with API Gateway's
 * REQUEST_TOO_LARGE (413 `{"message":"Request Too Long"}`), without reading or waiting for the body, in every
 * adapter; the gateway does not run for it (the function is never called). A chunked body that grows past the
 * limit stops being read near the limit: the server's socket reads a bounded number of bytes while the client
 * tries to send 16 MB.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import express from 'express'
import Koa from 'koa'
import { Hono } from 'hono'
import { createAdaptorServer } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatewayInput } from '@gatehousejs/core'
import { createHandler } from '@gatehousejs/node'
import { gateway as expressGateway } from '@gatehousejs/express'
import { gateway as koaGateway } from '@gatehousejs/koa'
import { gateway as honoGateway } from '@gatehousejs/hono'

const LIMIT = 1000
let calls = 0
const input: GatewayInput = {
  api: {
    openapi: '3.0.1',
    info: { title: 'too-large', version: '1' },
    paths: { '/upload': { post: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' } } } },
  },
  functions: {
    echo: async () => {
      calls++
      return { statusCode: 200, body: 'ok' }
    },
  },
  maxBodyBytes: LIMIT,
  onWarning: () => {},
}

interface Running {
  port: number
  sockets: Socket[]
  close(): Promise<void>
}

async function start(server: Server): Promise<Running> {
  const sockets: Socket[] = []
  server.on('connection', (s: Socket) => sockets.push(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

const adapters: [string, () => Server][] = [
  ['node:http', () => createHttpServer(createHandler(input))],
  [
    'express',
    () => {
      const app = express()
      app.use(expressGateway(input))
      return createHttpServer(app)
    },
  ],
  [
    'koa',
    () => {
      const app = new Koa()
      app.use(koaGateway(input))
      return createHttpServer(app.callback())
    },
  ],
  [
    'hono',
    () => {
      const app = new Hono()
      app.use(honoGateway(input))
      return createAdaptorServer({ fetch: app.fetch }) as Server
    },
  ],
]

/** Send only a request head over a raw socket and read what comes back until the server closes or answers. */
function headOnly(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(head))
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => {
      got += d
      // A whole answer: the head, then as many body bytes as it announces.
      const end = got.indexOf('\r\n\r\n')
      const length = /\r\ncontent-length: *(\d+)/i.exec(got)
      if (end !== -1 && length && got.length >= end + 4 + Number(length[1])) {
        socket.destroy()
        resolve(got)
      }
    })
    socket.on('end', () => resolve(got))
    socket.on('close', () => resolve(got))
    socket.on('error', reject)
  })
}

describe.each(adapters)('Content-Length over the limit: %s', (_name, make) => {
  let server: Running
  beforeAll(async () => {
    server = await start(make())
  })
  afterAll(async () => {
    await server.close()
  })

  it('answers 413 from the head alone, without a byte of body and without running the gateway', async () => {
    calls = 0
    const answer = await headOnly(
      server.port,
      'POST /upload HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ncontent-length: 100000000\r\n\r\n',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('{"message":"Request Too Long"}')
    expect(calls).toBe(0)
  }, 10_000)

  it('a Content-Length at the limit is read and served', async () => {
    calls = 0
    const body = 'x'.repeat(LIMIT)
    const answer = await headOnly(
      server.port,
      `POST /upload HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ncontent-length: ${LIMIT}\r\nconnection: close\r\n\r\n${body}`,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(calls).toBe(1)
  }, 10_000)

  it('a chunked body growing past the limit stops being read near the limit', async () => {
    calls = 0
    const before = server.sockets.length
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/upload', headers: { 'content-type': 'text/plain' }, agent: false },
        (res) => {
          res.resume()
          resolve(res.statusCode!)
        },
      )
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
      // 16 MB offered in 64 KB chunks, without waiting for the server to take them.
      const chunk = Buffer.alloc(64 * 1024, 0x79)
      for (let i = 0; i < 256; i++) req.write(chunk)
      req.end()
    })
    expect(status).toBe(413)
    expect(calls).toBe(0)
    const socket = server.sockets[before]!
    // What Node's parser and stream buffers take before they push back: far below what the client offered.
    expect(socket.bytesRead).toBeLessThan(4 * 1024 * 1024)
  }, 10_000)
})
