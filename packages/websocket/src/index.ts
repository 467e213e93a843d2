export { acceptWebSocket, Connection, type AcceptOptions, type ConnectionEvents, type ConnectionState, type SendResult } from './connection'
export { ProtocolError, WebSocketError, type ProtocolErrorCode, type WebSocketErrorCode } from './errors'
export { CLOSE_CODE, HANDSHAKE_GUID, isValidCloseCode, OPCODE } from './protocol/constants'
export { acceptKey, checkHandshake, refuseHandshake, type HandshakeRequest, type HandshakeResult } from './protocol/handshake'
export { API_GATEWAY_LIMITS, type FrameLimits } from './protocol/limits'
export { createFrameParser, type FrameEvent, type FrameParser } from './protocol/parser'
export { createUtf8Validator, type Utf8Validator } from './protocol/utf8'
export { closePayload, encodeFrame, encodeMessage, type EncodeFrameOptions } from './protocol/writer'
export {
  compileSelectionExpression,
  ConnectionsApiError,
  createMemoryConnectionBus,
  type BusDeleteResult,
  type BusPostResult,
  type ConnectionBus,
  type ConnectionBusMember,
  type ConnectionRecord,
  type LocalConnections,
  type WebSocketMetricDatapoint,
  type WebSocketMetricName,
  type WebSocketMetricsOptions,
  type WebSocketMetricsSink,
  createWebSocketApi,
  WebSocketApiError,
  type CompiledSelection,
  type ConnectionInfo,
  type ConnectionsApi,
  type CreateWebSocketApiInput,
  type ManagementCredentials,
  type WebSocketApi,
  type WebSocketApiDefinition,
  type WebSocketApiErrorCode,
  type WebSocketAuthorizer,
  type WebSocketAuthorizerEvent,
  type WebSocketEvent,
  type WebSocketIntegration,
  type WebSocketIntegrationResponse,
  type WebSocketUsagePlan,
  type RouteThrottleSettings,
  type WebSocketRequestContext,
  type WebSocketRoute,
} from './api/index'
