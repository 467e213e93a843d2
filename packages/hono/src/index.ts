export { gateway, DEFAULT_BODY_LIMIT, type GatewayEnv, type HonoGatewayOptions } from './middleware'
