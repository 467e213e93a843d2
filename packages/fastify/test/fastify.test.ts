/**
 * The shared adapter suite over real sockets, on Fastify 5 and Fastify 4 (the `fastify4` npm alias): the gateway
 * registered first, then the app's own routes answered with Fastify's own JSON parser.
 * Fastify's plugin and hook model: https://fastify.dev/docs/latest/Reference/Plugins/ and
 * https://fastify.dev/docs/latest/Reference/Hooks/ ; API Gateway's behaviour the suite checks:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import Fastify from 'fastify'
import Fastify4 from 'fastify4'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { gateway } from '@gatehousejs/fastify'
import { runAdapterSuite } from '@gatehousejs/test-kit'
import { listenFastify, optionsFor } from './listen-fastify'

function makeApp(framework: typeof Fastify) {
  return async (input: GatewayInput | Gateway) => {
    const app = framework({ forceCloseConnections: true })
    app.register(gateway, optionsFor(input))
    app.post('/app/echo', async (request) => ({ body: request.body, requestContext: request.apiGateway ?? null }))
    app.get('/app/only', async (request) => ({ app: true, requestContext: request.apiGateway ?? null }))
    return listenFastify(app)
  }
}

runAdapterSuite('fastify 5', makeApp(Fastify))
// One app builder for both majors; types.test.ts checks Fastify 4's own typings accept the plugin.
runAdapterSuite('fastify 4', makeApp(Fastify4 as unknown as typeof Fastify))
