/**
 * Regression: a Hono middleware that reads the body (`await c.req.json()`) before the gateway left `c.req.raw`
 * used, and the adapter's `clone()` threw "unusable": the client got a 500 for a request the gateway should have
 * served. Now the adapter takes the body from Hono's body cache (Hono keeps the text `c.req.json()` parsed, so
 * the bytes are the client's), and keeps the body limit.
 */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { gateway, type GatewayEnv } from '@gatehousejs/hono'
import { suiteInput } from '@gatehousejs/test-kit'

function app(read: 'json' | 'text', bodyLimit?: number) {
  const a = new Hono<GatewayEnv>()
  a.use(async (c, next) => {
    if (c.req.method === 'POST') await (read === 'json' ? c.req.json() : c.req.text())
    await next()
  })
  a.use(
    gateway(
      suiteInput({
        onError: (e) => {
          throw e
        },
      }),
      bodyLimit === undefined ? {} : { bodyLimit },
    ),
  )
  return a
}

describe('Hono: the body read by an earlier middleware', () => {
  it('reaches the integration as sent when read as JSON', async () => {
    const res = await app('json').request('/upload', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ "a" : 1 }',
    })
    expect(res.status).toBe(200)
    const event = (await res.json()) as { body: string; isBase64Encoded: boolean }
    expect(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body).toBe('{ "a" : 1 }')
  })

  it('reaches the integration as sent when read as text', async () => {
    const res = await app('text').request('/upload', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { body: string }).body).toBe('hello')
  })

  it('over the body limit is still 413', async () => {
    const res = await app('text', 4).request('/upload', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
    expect(res.status).toBe(413)
  })
})
