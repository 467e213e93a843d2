/**
 * Reading a node:http request body for the gateway without taking it from the host app: bounded by the limit,
 * pushed back into the stream when read whole, or recovered from a body parser that ran first.
 */
import type { IncomingMessage } from 'node:http'

const ABORTED = 'request aborted'

/**
 * What {@link readBody} read. `truncated`: the body was longer than the limit and reading stopped.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { readBody, type BodyRead } from '@gatehousejs/core/node'
 * createServer(async (req, res) => {
 *   const read: BodyRead = await readBody(req, 1024 * 1024)
 *   res.statusCode = read.truncated ? 413 : 200
 *   res.end(read.truncated ? '{"message":"Request Too Long"}' : `${read.body.length} bytes`)
 * }).listen(3000)
 * ```
 */
export interface BodyRead {
  body: Buffer
  truncated: boolean
}

/**
 * Read the request body, at most `limit + 1` bytes, and leave the stream readable again: when the whole body was
 * read it is pushed back (`unshift`) before the stream emits `end`, so the host app's own body parser
 * (express.json(), koa body parsers, raw-body) reads the same bytes afterwards. Rejects when the client goes away
 * before the end ({@link isAbort}).
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createGateway } from '@gatehousejs/core'
 * import { headersFromRaw, readBody, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'orders', resources: { '/orders': { POST: { integration: { type: 'AWS_PROXY', uri: 'addOrder' } } } } },
 *   functions: { addOrder: async () => ({ statusCode: 201 }) },
 * })
 * const app = express()
 * app.post('/orders', async (req, res) => {
 *   const { body } = await readBody(req, 1024 * 1024) // express.json() mounted later still sees these bytes
 *   writeResponse(res, await gw.handle({ method: 'POST', ...splitTarget(req.url), headers: headersFromRaw(req.rawHeaders), body }))
 * })
 * app.listen(3000)
 * ```
 */
export function readBody(req: IncomingMessage, limit: number, restore = true): Promise<BodyRead> {
  if (!restore) return readBodyOnce(req, limit)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (truncated: boolean, error?: unknown) => {
      if (done) return
      done = true
      req.removeListener('readable', onReadable)
      req.removeListener('end', onEnd)
      req.removeListener('error', onAborted)
      req.removeListener('aborted', onAborted)
      req.removeListener('close', onAborted)
      if (error !== undefined) return reject(error)
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
      // 'end' is only emitted on a later tick once the buffer is empty: putting the bytes back now keeps it
      // from firing, so whoever reads next sees the full body and then 'end'.
      if (!truncated && body.length > 0 && !req.readableEnded) req.unshift(body)
      resolve({ body, truncated })
    }
    const onReadable = () => {
      let chunk: Buffer | string | null
      while ((chunk = req.read() as Buffer | string | null) !== null) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        chunks.push(buf)
        size += buf.length
        if (size > limit) return finish(true)
      }
      if (req.complete) finish(false)
    }
    const onEnd = () => finish(false)
    const onAborted = () => finish(false, new Error(ABORTED))
    req.on('readable', onReadable)
    req.on('end', onEnd)
    req.on('error', onAborted)
    req.on('aborted', onAborted)
    // A stream closed before its end (socket gone) must not leave the promise pending forever.
    req.on('close', onAborted)
  })
}

/**
 * {@link readBody} for a request nothing reads after the gateway (`restore` false: `createHandler` without a
 * fallback): the stream flows, and the bytes are not pushed back.
 */
function readBodyOnce(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => readFlowing(req, limit, (body, truncated) => resolve({ body, truncated }), reject))
}

/**
 * Read a body in flowing mode, at most `limit + 1` bytes, and call `done` once with it (or `failed` when the client
 * goes away first). Callbacks, not a promise: the adapter's own reader settles its request's promise directly.
 */
export function readFlowing(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer, truncated: boolean) => void,
  failed: (error: Error) => void,
): void {
  const chunks: Buffer[] = []
  let size = 0
  let settled = false
  req.on('data', (chunk: Buffer | string) => {
    if (settled) return
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    chunks.push(buf)
    size += buf.length
    if (size <= limit) return
    // Over the limit: stop reading (the answer closes the connection with the rest of the body unread).
    settled = true
    req.pause()
    done(Buffer.concat(chunks, size), true)
  })
  req.on('end', () => {
    if (settled) return
    settled = true
    done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), false)
  })
  const onAborted = () => {
    if (settled) return
    settled = true
    failed(new Error(ABORTED))
  }
  req.on('error', onAborted)
  // A stream closed before its end (socket gone) must not leave the request waiting forever.
  req.on('close', onAborted)
}

/**
 * The error {@link readBody} rejects with when the client goes away: nobody to answer, nothing to report.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createGateway } from '@gatehousejs/core'
 * import { isAbort, toGatewayRequest, writeInternalError, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'orders', resources: { '/orders': { POST: { integration: { type: 'AWS_PROXY', uri: 'addOrder' } } } } },
 *   functions: { addOrder: async () => ({ statusCode: 201 }) },
 * })
 * createServer((req, res) => {
 *   Promise.resolve(toGatewayRequest(req, req.url, {}, 1024 * 1024))
 *     .then(async (request) => writeResponse(res, await gw.handle(request)))
 *     .catch((error) => {
 *       if (!isAbort(error)) console.error(error) // a client that hung up mid-body is not an error of ours
 *       writeInternalError(res)
 *     })
 * }).listen(3000)
 * ```
 */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.message === ABORTED
}

/**
 * The body some earlier middleware already consumed (a body parser mounted before the gateway): its raw bytes
 * when it kept them (`req.rawBody`), else `req.body` when it is a string or bytes, else JSON text of a parsed
 * object. Undefined when there is nothing to recover.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createGateway } from '@gatehousejs/core'
 * import { consumedBody, headersFromRaw, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'orders', resources: { '/orders': { POST: { integration: { type: 'AWS_PROXY', uri: 'addOrder' } } } } },
 *   functions: { addOrder: async () => ({ statusCode: 201 }) },
 * })
 * const app = express()
 * app.use(express.json()) // reads the stream first
 * app.post('/orders', async (req, res) => {
 *   const body = consumedBody(req) // JSON text of req.body
 *   writeResponse(res, await gw.handle({ method: 'POST', ...splitTarget(req.url), headers: headersFromRaw(req.rawHeaders), body }))
 * })
 * app.listen(3000)
 * ```
 */
export function consumedBody(req: IncomingMessage): string | Uint8Array | undefined {
  const r = req as IncomingMessage & { rawBody?: unknown; body?: unknown }
  if (typeof r.rawBody === 'string' || r.rawBody instanceof Uint8Array) return r.rawBody
  if (typeof r.body === 'string' || r.body instanceof Uint8Array) return r.body
  if (r.body !== undefined && r.body !== null && typeof r.body === 'object') return JSON.stringify(r.body)
  return undefined
}
