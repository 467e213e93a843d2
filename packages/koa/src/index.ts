/**
 * `@gatehousejs/koa`: the gateway as Koa middleware.
 */
export { gateway, type KoaContextLike, type KoaGatewayMiddleware, type KoaGatewayOptions } from './middleware'
export { DEFAULT_BODY_LIMIT, type NodeAdapterOptions } from '@gatehousejs/core/node'
