/**
 * `@gatehousejs/fastify`: the gateway as a Fastify 4 and 5 plugin.
 */
export {
  gateway,
  type FastifyAdapterOptions,
  type FastifyGatewayInstance,
  type FastifyGatewayOptions,
  type FastifyGatewayPlugin,
} from './plugin'
export { DEFAULT_BODY_LIMIT } from '@gatehousejs/core/node'
