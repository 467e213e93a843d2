/** Hono without @hono/node-server: the adapter works from the Fetch Request alone (app.request()). */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { gateway, type GatewayEnv } from '@gatehousejs/hono'
import { suiteInput } from '@gatehousejs/test-kit'

function app() {
  const a = new Hono<GatewayEnv>()
  a.use(gateway(suiteInput({ unmatched: 'passthrough' })))
  a.post('/app/echo', async (c) =>
    c.json({ raw: await c.req.raw.json(), viaHono: await c.req.json(), id: c.get('apiGateway')?.requestId ?? null }),
  )
  a.get('/app/redirect', () => Response.redirect('http://example.com/elsewhere', 302))
  a.get('/app/own-header', (c) => {
    c.header('x-amzn-RequestId', 'the-app-set-this')
    return c.text('ok')
  })
  return a
}

describe('hono adapter over Fetch only', () => {
  it('serves a Lambda-proxy route from app.request()', async () => {
    const res = await app().request('/pets/7?kind=cat&kind=dog', { headers: { 'x-multi': 'a, b' } })
    expect(res.status).toBe(200)
    const event = (await res.json()) as any
    expect(event.path).toBe('/pets/7')
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.multiValueQueryStringParameters).toEqual({ kind: ['cat', 'dog'] })
    // Fetch joins repeated headers before the adapter sees them.
    expect(event.multiValueHeaders['x-multi'] ?? event.multiValueHeaders['X-Multi']).toEqual(['a, b'])
  })

  it('passthrough: both c.req.raw.json() and c.req.json() still read the body', async () => {
    const res = await app().request('/app/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    })
    expect(res.status).toBe(200)
    const out = (await res.json()) as any
    expect(out.raw).toEqual({ n: 1 })
    expect(out.viaHono).toEqual({ n: 1 })
    expect(typeof out.id).toBe('string')
    expect(res.headers.get('x-amzn-requestid')).toBe(out.id)
  })

  it('passthrough: gateway headers reach responses with immutable headers', async () => {
    const res = await app().request('/app/redirect')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://example.com/elsewhere')
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy()
  })

  it('passthrough: a header the app set itself wins', async () => {
    const res = await app().request('/app/own-header')
    expect(res.headers.get('x-amzn-requestid')).toBe('the-app-set-this')
  })

  it('trustProxy and getSourceIp choose the source IP', async () => {
    const make = (options: Parameters<typeof gateway>[1]) => {
      const a = new Hono()
      a.use(gateway(suiteInput(), options))
      return a
    }
    const headers = { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }
    expect(((await (await make({}).request('/pets/1', { headers })).json()) as any).sourceIp).not.toBe('1.1.1.1')
    expect(((await (await make({ trustProxy: true }).request('/pets/1', { headers })).json()) as any).sourceIp).toBe('1.1.1.1')
    expect(((await (await make({ trustProxy: 1 }).request('/pets/1', { headers })).json()) as any).sourceIp).toBe('2.2.2.2')
    expect(((await (await make({ getSourceIp: () => '9.9.9.9' }).request('/pets/1')).json()) as any).sourceIp).toBe('9.9.9.9')
  })
})
