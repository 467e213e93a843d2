export { createWebSocketApi, type WebSocketApi } from './api'
export type { ConnectionsApi } from './connections'
export type {
  ConnectionInfo,
  CreateWebSocketApiInput,
  ManagementCredentials,
  WebSocketApiDefinition,
  WebSocketAuthorizer,
  WebSocketAuthorizerEvent,
  WebSocketEvent,
  WebSocketIntegration,
  WebSocketIntegrationResponse,
  WebSocketUsagePlan,
  RouteThrottleSettings,
  WebSocketRequestContext,
  WebSocketRoute,
} from './definition'
export { ConnectionsApiError, WebSocketApiError, type WebSocketApiErrorCode } from './errors'
export { compileSelectionExpression, type CompiledSelection } from './selection'
