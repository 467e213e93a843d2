/**
 * `@gatehousejs/express`: the gateway as Express middleware.
 */
export { gateway, type ExpressGatewayOptions, type GatewayMiddleware } from './middleware'
export { DEFAULT_BODY_LIMIT, type NodeAdapterOptions } from '@gatehousejs/core/node'
