import { Hono } from 'hono'
import { createAdaptorServer } from '@hono/node-server'
import type { Server } from 'node:http'
import { gateway, type GatewayEnv } from '@gatehousejs/hono'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { listenServer, runAdapterSuite } from '@gatehousejs/test-kit'

async function makeServer(input: GatewayInput | Gateway) {
  const app = new Hono<GatewayEnv>()
  app.use(gateway(input))
  app.post('/app/echo', async (c) => c.json({ body: await c.req.json(), requestContext: c.get('apiGateway') ?? null }))
  app.get('/app/only', (c) => c.json({ app: true, requestContext: c.get('apiGateway') ?? null }))
  return listenServer(createAdaptorServer({ fetch: app.fetch }) as Server)
}

runAdapterSuite('hono (@hono/node-server)', makeServer)
