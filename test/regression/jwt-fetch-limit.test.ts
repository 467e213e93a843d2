/**
 * Issue #12, finding 5 (a): JWKS and OIDC discovery bodies were read whole before the 1 MiB limit was checked
 * (a chunked 300 MB answer took the process from 72 MB to 2 GB). The client now counts bytes as they stream and
 * hangs up at the limit, chunked or not, whatever Content-Length says; a body that stalls is given up after
 * `timeoutMs`; a set with too many keys is refused.
 *
 * The hostile servers below run on 127.0.0.1 and stop by themselves (bounded loops). What the client consumed
 * is counted by a wrapping `fetch`; what the server sent before the client hung up, on the server's side.
 */
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createJwtVerifier, type Jwk } from '@gatehousejs/jwt'
import type { Writable } from 'node:stream'

const LIMIT = 1024 * 1024
/** The hostile servers stop after this much (the old client read all of it). */
const SERVER_CAP = 24 * 1024 * 1024
const CHUNK = 16 * 1024
const NOW_MS = 1_800_000_000_000

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const ecJwk = { ...(ec.publicKey.export({ format: 'jwk' }) as Jwk), kid: 'ec-1', alg: 'ES256', use: 'sig' }

function token(kid = 'ec-1'): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const input = `${b64({ alg: 'ES256', kid })}.${b64({ iss: 'https://issuer.test', exp: NOW_MS / 1000 + 60 })}`
  return `${input}.${cryptoSign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

interface Sent {
  bytes: number
  /** The client closed the connection before the server's loop ended. */
  hungUp: boolean
  finished: boolean
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!()
})

/** An HTTP server whose every answer starts `{"keys":[` and then streams JSON whitespace, chunked, until SERVER_CAP. */
async function floodingHttpServer(): Promise<{ url: string; sent: Sent }> {
  const sent: Sent = { bytes: 0, hungUp: false, finished: false }
  const server: Server = createHttpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.on('close', () => {
      if (!sent.finished) sent.hungUp = true
    })
    const head = req.url === '/.well-known/openid-configuration' ? '{"issuer":"x", "pad":"' : '{"keys":['
    res.write(head)
    sent.bytes += head.length
    flood(res, sent)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent }
}

/** Writes filler up to SERVER_CAP with backpressure, then closes the JSON; stops as soon as the client hangs up. */
function flood(out: Writable, sent: Sent): void {
  const filler = Buffer.alloc(CHUNK, 0x20)
  const pump = () => {
    while (sent.bytes < SERVER_CAP && !out.destroyed) {
      sent.bytes += CHUNK
      if (!out.write(filler)) return void out.once('drain', pump)
    }
    if (!out.destroyed) {
      sent.finished = true
      out.end(']}')
    }
  }
  pump()
}

/** A raw TCP server answering HTTP/1.1 without Content-Length or chunking: the body ends when the socket does. */
async function floodingRawServer(): Promise<{ url: string; sent: Sent }> {
  const sent: Sent = { bytes: 0, hungUp: false, finished: false }
  const sockets = new Set<import('node:net').Socket>()
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket)
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"keys":[')
      flood(socket, sent)
    })
    socket.on('close', () => {
      if (!sent.finished) sent.hungUp = true
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => r())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent }
}

/** The global fetch, with the bytes the client took from each body counted as they stream. */
function countingFetch() {
  const seen = { bytes: 0, largestChunk: 0 }
  const fetchImpl = async (input: string, init: { signal: AbortSignal; headers: Record<string, string> }) => {
    const res = await fetch(input, init)
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen.bytes += chunk.length
        seen.largestChunk = Math.max(seen.largestChunk, chunk.length)
        controller.enqueue(chunk)
      },
    })
    return new Response(res.body!.pipeThrough(counter), { status: res.status, headers: res.headers })
  }
  return { seen, fetchImpl }
}

async function settle(sent: Sent): Promise<void> {
  // Let the server notice the hang-up (close events are asynchronous), without asserting on time.
  for (let i = 0; i < 100 && !sent.hungUp && !sent.finished; i++) await new Promise((r) => setTimeout(r, 10))
}

describe('JWKS and discovery bodies stop at the limit (issue #12, finding 5a)', () => {
  it('a chunked JWKS that never ends: the client hangs up after ≤ 1 MiB + one chunk', async () => {
    const { url, sent } = await floodingHttpServer()
    const { seen, fetchImpl } = countingFetch()
    const verifier = createJwtVerifier({ issuer: 'https://issuer.test', jwksUri: `${url}/jwks.json`, fetch: fetchImpl, now: () => NOW_MS })
    const r = await verifier.verify(token())
    expect(r).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + seen.largestChunk)
    await settle(sent)
    expect(sent.hungUp).toBe(true)
    expect(sent.bytes).toBeLessThan(SERVER_CAP)
  })

  it('no Content-Length and no chunking (body ends at close): the same', async () => {
    const { url, sent } = await floodingRawServer()
    const { seen, fetchImpl } = countingFetch()
    const verifier = createJwtVerifier({ issuer: 'https://issuer.test', jwksUri: `${url}/jwks.json`, fetch: fetchImpl, now: () => NOW_MS })
    expect(await verifier.verify(token())).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + seen.largestChunk)
    await settle(sent)
    expect(sent.hungUp).toBe(true)
  })

  it('an OIDC discovery document that never ends: the same', async () => {
    const { url, sent } = await floodingHttpServer()
    const { seen, fetchImpl } = countingFetch()
    const verifier = createJwtVerifier({ issuer: url, fetch: fetchImpl, now: () => NOW_MS })
    expect(await verifier.verify(token())).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    expect(seen.bytes).toBeLessThanOrEqual(LIMIT + seen.largestChunk)
    await settle(sent)
    expect(sent.hungUp).toBe(true)
  })

  it('a Content-Length that lies (10) over an endless body: bytes are counted, not announced', async () => {
    let pulled = 0
    const fetchImpl = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled >= SERVER_CAP) return controller.close()
            pulled += CHUNK
            controller.enqueue(new Uint8Array(CHUNK).fill(0x20))
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json', 'content-length': '10' } },
      )
    const verifier = createJwtVerifier({
      issuer: 'https://issuer.test',
      jwksUri: 'https://jwks.test/jwks.json',
      fetch: fetchImpl,
      now: () => NOW_MS,
    })
    expect(await verifier.verify(token())).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    // The stream may be pulled one chunk ahead of what was read.
    expect(pulled).toBeLessThanOrEqual(LIMIT + 2 * CHUNK)
  })

  it('a body that stalls (slowloris) is given up after timeoutMs, even when fetch ignores the signal', async () => {
    let stalled: (() => void) | undefined
    // A fetch that honours no signal, whose body sends a little and then nothing until the test ends it.
    const fetchImpl = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"keys":['))
            stalled = () => {
              try {
                controller.enqueue(new TextEncoder().encode(`${JSON.stringify(ecJwk)}]}`))
                controller.close()
              } catch {
                // Already cancelled by the client: what we want.
              }
            }
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      )
    const verifier = createJwtVerifier({
      issuer: 'https://issuer.test',
      jwksUri: 'https://jwks.test/jwks.json',
      fetch: fetchImpl,
      now: () => NOW_MS,
      timeoutMs: 50,
    })
    const outcome = verifier.verify(token())
    // Bounded: if the client never gives up, the body completes after a while and the old behaviour shows (ok).
    const release = setTimeout(() => stalled?.(), 3_000)
    const r = await outcome
    clearTimeout(release)
    expect(r).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
    if (!r.ok) expect(r.reason).toMatch(/time/i)
  })

  it('a JWKS with thousands of keys (under 1 MiB) is refused', async () => {
    const keys = Array.from({ length: 4000 }, (_, i) => ({ ...ecJwk, kid: `k${i}` }))
    const body = JSON.stringify({ keys })
    expect(body.length).toBeLessThan(LIMIT)
    const fetchImpl = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    const verifier = createJwtVerifier({
      issuer: 'https://issuer.test',
      jwksUri: 'https://jwks.test/jwks.json',
      fetch: fetchImpl,
      now: () => NOW_MS,
    })
    expect(await verifier.verify(token('k3999'))).toMatchObject({ ok: false, code: 'JWKS_FETCH_FAILED' })
  })

  it('an RSA key over the size cap is never used', async () => {
    const n = randomBytes(2048)
    n[0]! |= 0x80
    n[n.length - 1]! |= 1
    const big: Jwk = { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB', kid: 'big', alg: 'RS256', use: 'sig' }
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const t = `${b64({ alg: 'RS256', kid: 'big' })}.${b64({ iss: 'https://issuer.test' })}.${randomBytes(2048).toString('base64url')}`
    const fetchImpl = async () => new Response(JSON.stringify({ keys: [big] }), { status: 200 })
    const verifier = createJwtVerifier({
      issuer: 'https://issuer.test',
      jwksUri: 'https://jwks.test/jwks.json',
      fetch: fetchImpl,
      now: () => NOW_MS,
    })
    const r = await verifier.verify(t)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.code).toBe('JWT_KEY_MISMATCH')
  })
})
