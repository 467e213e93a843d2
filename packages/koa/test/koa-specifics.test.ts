/** Koa specifics: the gateway's answer is set on ctx, so upstream middleware sees it. */
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatewayLike, GatewayResponse } from '@gatehousejs/core'
import { gateway } from '@gatehousejs/koa'
import { listen, send, suiteInput, type AdapterServer } from '@gatehousejs/test-kit'

describe('koa specifics', () => {
  let server: AdapterServer
  const seen: { status: number; hasBody: boolean }[] = []
  beforeAll(async () => {
    const app = new Koa()
    app.use(async (ctx, next) => {
      await next()
      seen.push({ status: ctx.status, hasBody: ctx.body !== undefined && ctx.body !== null })
      ctx.set('x-upstream', 'yes')
    })
    app.use(gateway(suiteInput()))
    server = await listen(app.callback())
  })
  afterAll(() => server.close())

  it('upstream middleware sees status and body, and can still add headers', async () => {
    const res = await send(server.url, '/pets/3')
    expect(res.status).toBe(200)
    expect(res.headers['x-upstream']).toEqual(['yes'])
    expect(seen.at(-1)).toEqual({ status: 200, hasBody: true })
    expect(res.headers['content-type']).toEqual(['application/json'])
  })
})

describe("koa: the headers are the gateway's, not guessed", () => {
  const answering = (response: GatewayResponse): GatewayLike => ({
    handle: async () => response,
    dispatch: async () => response,
  })
  const serve = async (response: GatewayResponse) => {
    const app = new Koa()
    app.use(gateway(answering(response)))
    return listen(app.callback())
  }

  it('an answer without a type gets none (Koa would guess text/html for this body)', async () => {
    const server = await serve({ statusCode: 200, headers: { 'x-amzn-RequestId': 'r1' }, body: '<p>hi</p>' })
    try {
      const res = await send(server.url, '/')
      expect(res.headers['content-type']).toBeUndefined()
      expect(res.headers['content-length']).toEqual(['9'])
      expect(res.headers['x-amzn-requestid']).toEqual(['r1'])
      expect(res.body.toString()).toBe('<p>hi</p>')
    } finally {
      await server.close()
    }
  })

  it("the answer's type, whatever its case, is sent as it is (no charset added)", async () => {
    const server = await serve({ statusCode: 201, headers: { 'Content-Type': 'text/html', 'x-a': 'b' }, body: Buffer.from('<b>x</b>') })
    try {
      const res = await send(server.url, '/')
      expect(res.status).toBe(201)
      expect(res.headers['content-type']).toEqual(['text/html'])
      expect(res.headers['x-a']).toEqual(['b'])
      expect(res.body.toString()).toBe('<b>x</b>')
    } finally {
      await server.close()
    }
  })
})
