/** Koa specifics: the gateway's answer is set on ctx, so upstream middleware sees it. */
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
