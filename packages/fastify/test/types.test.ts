/**
 * The plugin's types against both majors' own typings (no casts): `register` accepts it on a Fastify 4 and a
 * Fastify 5 instance, `onError` is typed from context in every form, and `request.apiGateway` is declared by
 * declaration merging (https://fastify.dev/docs/latest/Reference/TypeScript/#plugins). tsc checks this file; the
 * tests check the same registrations also run.
 */
import Fastify from 'fastify'
import Fastify4 from 'fastify4'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { GatewayErrorInfo } from '@gatehousejs/core'
import { gateway } from '@gatehousejs/fastify'
import { send, suiteInput } from '@gatehousejs/test-kit'
import { listenFastify } from './listen-fastify'

describe('types', () => {
  it('Fastify 4 registers the plugin with its own typings', async () => {
    const app = Fastify4()
    app.register(gateway, { gateway: suiteInput(), onError: (_error, info) => expectTypeOf(info).toEqualTypeOf<GatewayErrorInfo>() })
    const server = await listenFastify(app)
    try {
      expect((await send(server.url, '/pets/8')).json().pathParameters).toEqual({ id: '8' })
    } finally {
      await server.close()
    }
  })

  it('Fastify 5: request.apiGateway is typed', async () => {
    const app = Fastify()
    app.register(gateway, { ...suiteInput(), onError: (_error, info) => expectTypeOf(info.stage).toBeString() })
    app.post('/app/echo', async (request) => {
      expectTypeOf(request.apiGateway).toEqualTypeOf<Record<string, unknown> | null | undefined>()
      return { stage: request.apiGateway?.stage }
    })
    const server = await listenFastify(app)
    try {
      const res = await send(server.url, '/app/echo', { method: 'POST', headers: [['content-type', 'application/json']], body: '{}' })
      expect(res.json()).toEqual({ stage: 'prod' })
    } finally {
      await server.close()
    }
  })
})
