// createHandler without a fallback: the gateway answers every request, so a body is read once in flowing mode and
// not pushed back for an app. The same answers as with a fallback: the body whole (plain and chunked), 413 past the
// limit (announced or streamed), a client that leaves mid-body reported to nobody, and keep-alive connections reused.
import { Agent, request as httpRequest } from 'node:http'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'
import { type AdapterServer, listen, send, sendChunked, suiteInput } from '@gatehousejs/test-kit'

let server: AdapterServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('createHandler without a fallback', () => {
  it('reads a body whole, sent at once or chunked', async () => {
    server = await listen(createHandler(suiteInput()))
    const body = JSON.stringify({ text: 'é'.repeat(40_000) })
    const plain = await send(server.url, '/upload', { method: 'POST', headers: [['content-type', 'application/json']], body })
    expect(plain.status).toBe(200)
    expect(plain.json().body).toBe(body)
    const chunked = await sendChunked(server.url, '/upload', body)
    expect(chunked.json().body).toBe(body)
  })

  it('413 past the limit, announced or streamed, and onError hears nothing', async () => {
    const errors: unknown[] = []
    server = await listen(createHandler(suiteInput({ maxBodyBytes: 1000, onError: (e) => errors.push(e) })))
    const announced = await send(server.url, '/upload', {
      method: 'POST',
      headers: [['content-type', 'text/plain']],
      body: 'x'.repeat(5000),
    })
    expect([announced.status, announced.json()]).toEqual([413, { message: 'Request Too Long' }])
    const streamed = await sendChunked(server.url, '/upload', 'y'.repeat(50_000))
    expect(streamed.status).toBe(413)
    expect(errors).toEqual([])
  })

  it('a client that leaves mid-body: no answer, no report, the server goes on', async () => {
    const errors: unknown[] = []
    server = await listen(createHandler(suiteInput({ onError: (e) => errors.push(e) }), undefined, { onError: (e) => errors.push(e) }))
    const url = new URL(server.url)
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/upload',
        headers: { 'content-length': '1000' },
      })
      req.on('error', () => resolve())
      req.write('{"partial":')
      setTimeout(() => req.destroy(), 50)
      req.on('close', () => resolve())
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(errors).toEqual([])
    expect((await send(server.url, '/pets/1')).status).toBe(200)
  })

  it('keeps a connection alive across POSTs (each body consumed)', async () => {
    server = await listen(createHandler(suiteInput()))
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const url = new URL(server.url)
    const sockets = new Set<unknown>()
    try {
      for (let i = 0; i < 5; i++) {
        const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = httpRequest(
            { host: url.hostname, port: url.port, method: 'POST', path: '/upload', agent, headers: { 'content-type': 'application/json' } },
            (res) => {
              let text = ''
              res.on('data', (c) => (text += c))
              res.on('end', () => resolve({ status: res.statusCode!, text }))
            },
          )
          req.on('socket', (s) => sockets.add(s))
          req.on('error', reject)
          req.end(JSON.stringify({ n: i }))
        })
        expect(answer.status).toBe(200)
        expect(JSON.parse(answer.text).body).toBe(JSON.stringify({ n: i }))
      }
      expect(sockets.size).toBe(1)
    } finally {
      agent.destroy()
    }
  })
})
