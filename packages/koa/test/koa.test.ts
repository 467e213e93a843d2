import Koa from 'koa'
import getRawBody from 'raw-body'
import { gateway } from '@gatehousejs/koa'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { listen, runAdapterSuite } from '@gatehousejs/test-kit'

/**
 * Koa has no body parser of its own; this one reads `ctx.req` the way koa-bodyparser / co-body do (raw-body on
 * the node request, with the declared length and a limit).
 */
async function jsonBody(ctx: Koa.Context): Promise<unknown> {
  const text = await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit: '5mb', encoding: 'utf8' })
  return JSON.parse(text)
}

async function makeServer(input: GatewayInput | Gateway) {
  const app = new Koa()
  app.use(gateway(input))
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/app/echo') {
      ctx.body = { body: await jsonBody(ctx), requestContext: ctx.state.apiGateway ?? null }
    } else if (ctx.method === 'GET' && ctx.path === '/app/only') {
      ctx.body = { app: true, requestContext: ctx.state.apiGateway ?? null }
    }
  })
  return listen(app.callback())
}

runAdapterSuite('koa', makeServer)
