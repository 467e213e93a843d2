/**
 * The body the gateway read must reach the host app byte for byte, whatever the framing (Content-Length or
 * chunked) and however the client split its writes.
 */
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { createHandler } from '@gatehousejs/node'
import { listen, type AdapterServer } from '@gatehousejs/test-kit'

const api = {
  openapi: '3.0.1',
  info: { title: 'replay', version: '1' },
  paths: {
    '/app': { post: { 'x-amazon-apigateway-integration': { type: 'app' } } },
    '/fn': { post: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' } } },
  },
  'x-amazon-apigateway-binary-media-types': ['*/*'],
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('request body replay (node:http)', () => {
  let server: AdapterServer
  beforeAll(async () => {
    const gw = createGateway({
      api,
      onWarning: () => {},
      functions: {
        fn: async (event: { body: string | null }) => ({ statusCode: 200, body: sha(Buffer.from(event.body ?? '', 'base64')) }),
      },
    })
    server = await listen(
      createHandler(gw, async (req, res) => {
        const chunks: Buffer[] = []
        for await (const c of req) chunks.push(c as Buffer)
        res.end(sha(Buffer.concat(chunks)))
      }),
    )
  })
  afterAll(() => server.close())

  function post(path: string, parts: Buffer[], chunked: boolean): Promise<string> {
    const url = new URL(server.url)
    const total = parts.reduce((n, p) => n + p.length, 0)
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': String(total) }) },
        },
        (res) => {
          let text = ''
          res.on('data', (d: Buffer) => (text += d.toString()))
          res.on('end', () => resolve(text))
        },
      )
      req.on('error', reject)
      for (const p of parts) req.write(p)
      req.end()
    })
  }

  it('property: the app and the Lambda both see exactly the bytes sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40_000 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (arrays, chunked) => {
          const parts = arrays.map((a) => Buffer.from(a))
          const expected = sha(Buffer.concat(parts))
          expect(await post('/app', parts, chunked)).toBe(expected)
          expect(await post('/fn', parts, chunked)).toBe(expected)
        },
      ),
      { numRuns: 25 },
    )
  })
})
