export { createWebSocketApi, type WebSocketApi } from './api'
export type { ConnectionsApi } from './connections'
export {
  createMemoryConnectionBus,
  type BusDeleteResult,
  type BusPostResult,
  type ConnectionBus,
  type ConnectionBusMember,
  type ConnectionRecord,
  type LocalConnections,
} from './bus'
export type { WebSocketMetricDatapoint, WebSocketMetricName, WebSocketMetricsOptions, WebSocketMetricsSink } from './metrics'
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
