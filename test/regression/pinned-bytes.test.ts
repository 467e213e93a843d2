// The bytes of the HTTP benchmark's two scenarios, pinned (issue #17: speed work must not change behaviour): the
// Lambda proxy event each function receives (as JSON.stringify writes it) and the whole HTTP response the node:http
// adapter writes (status line, headers in order, body; only `Date` and the trace id's random digits masked), with a fixed clock and request id.
// Regenerate deliberately, after reading the diff: `UPDATE_PINNED=1 npx vitest run test/regression/pinned-bytes.test.ts`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'
import { S1_PATH, s1GatewayInput } from '../../benchmarks/http/s1'
import { S2_REQUEST, s2GatewayInput } from '../../benchmarks/http/s2'

const dir = new URL('./pinned/', import.meta.url)
const NOW = Date.UTC(2026, 11, 2, 10, 30, 15, 123)
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'

let server: Server | undefined
afterEach(() => server?.close())

/** Serve `input` with every function's events recorded; send `raw` over a socket; the event JSON and the raw answer. */
async function exchange(input: { functions: Record<string, (event: never) => unknown> }, raw: string) {
  const events: string[] = []
  const functions = Object.fromEntries(
    Object.entries(input.functions).map(([name, fn]) => [
      name,
      (event: never) => {
        events.push(JSON.stringify(event))
        return fn(event)
      },
    ]),
  )
  server = createServer(createHandler({ ...input, functions, now: () => NOW, requestId: () => REQUEST_ID } as never))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw))
    let out = ''
    socket.on('data', (d) => (out += d.toString('latin1')))
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
  // The trace id's random part is per process (http/trace-id.ts): its shape is kept, its digits masked.
  const mask = (text: string) => text.replace(/(Root=1-[0-9a-f]{8}-)[0-9a-f]{24};Parent=[0-9a-f]{16}/g, '$1<24 hex>;Parent=<16 hex>')
  return { event: mask(events.join('\n')), response: mask(answer.replace(/^Date: .*$/m, 'Date: (masked)')) }
}

function pinned(name: string, actual: string): void {
  const file = new URL(name, dir)
  if (process.env.UPDATE_PINNED === '1') writeFileSync(file, actual)
  expect(existsSync(file), `${name} is missing: run with UPDATE_PINNED=1 once`).toBe(true)
  expect(actual).toBe(readFileSync(file, 'latin1'))
}

describe('pinned bytes of the HTTP benchmark scenarios', () => {
  it('S1: GET, one Lambda-proxy route', async () => {
    const raw = `GET ${S1_PATH} HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: pinned\r\nAccept: */*\r\nConnection: close\r\n\r\n`
    const { event, response } = await exchange(s1GatewayInput(), raw)
    pinned('s1.event.json', event)
    pinned('s1.response.txt', response)
  })

  it('S2: POST with an API key, a usage plan, a body model and a Lambda proxy', async () => {
    const { path, body, headers } = S2_REQUEST
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
    const raw = `POST ${path} HTTP/1.1\r\nHost: api.example.com\r\n${lines.join('')}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    const { event, response } = await exchange(s2GatewayInput(), raw)
    pinned('s2.event.json', event)
    pinned('s2.response.txt', response)
  })
})
