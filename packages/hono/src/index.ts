/**
 * `@gatehousejs/hono`: the gateway as Hono middleware.
 */
export { gateway, DEFAULT_BODY_LIMIT, type GatewayEnv, type HonoGatewayOptions } from './middleware'
