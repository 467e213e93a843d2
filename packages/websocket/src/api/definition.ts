/**
 * The native definition of a WebSocket API, mirroring CloudFormation's `AWS::ApiGatewayV2::Api`, `Route`,
 * `Integration`, `RouteResponse` and `Authorizer` properties (camel-cased, routes keyed by route key).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-api.html
 * This file is a leaf: it imports nothing but types.
 */
import type { HttpBackendHandler, LambdaHandler } from '@gatehousejs/core'
import type { ConnectionBus } from './bus'
import type { WebSocketMetricsOptions } from './metrics'

/**
 * An integration (`AWS::ApiGatewayV2::Integration`): `AWS_PROXY` invokes an in-process function with the event
 * API Gateway sends; `HTTP_PROXY` sends the message to an HTTP endpoint and passes its answer back as is; `HTTP`
 * and `AWS` (a Lambda function, non-proxy) transform the message with `requestTemplates` and the answer with
 * `integrationResponses`; `MOCK` answers without calling anything.
 *
 * @example
 * ```ts
 * import type { WebSocketIntegration } from '@gatehousejs/websocket'
 * const integration: WebSocketIntegration = {
 *   type: 'HTTP',
 *   uri: 'https://backend.example.com/messages',
 *   templateSelectionExpression: '\\$default',
 *   requestTemplates: { $default: '{"from": "$context.connectionId", "text": $input.json(\'$.text\')}' },
 *   integrationResponses: { '/2\\d\\d/': {}, $default: { responseTemplates: { $default: '{"error": true}' } } },
 * }
 * ```
 */
export interface WebSocketIntegration {
  type: 'AWS_PROXY' | 'MOCK' | 'HTTP_PROXY' | 'HTTP' | 'AWS'
  /**
   * `AWS_PROXY` / `AWS`: the function (a name or ARN in `functions`, or a Lambda invocation URI).
   * `HTTP_PROXY` / `HTTP`: the endpoint's http(s) URL.
   */
  uri?: string
  /** `HTTP_PROXY` / `HTTP`: the method (default `POST`). */
  integrationMethod?: string
  /** Integration timeout in ms (API Gateway: 50–29,000; default 29,000). */
  timeoutInMillis?: number
  /**
   * Non-proxy: picks the request template. `${request.body.JSONPATH}` / `$request.body.JSONPATH`, static text,
   * `\$default` (the default); a key with no template falls back to the `$default` template.
   */
  templateSelectionExpression?: string
  /** Non-proxy: VTL mapping templates keyed by what `templateSelectionExpression` selects. */
  requestTemplates?: Record<string, string>
  /** Non-proxy: `WHEN_NO_MATCH` (default: a message no template matches goes as is), `WHEN_NO_TEMPLATES`, `NEVER`. */
  passthroughBehavior?: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER'
  /**
   * `HTTP_PROXY` / `HTTP`: `integration.request.header.X` / `integration.request.querystring.X` from
   * `route.request.header.Y`, `route.request.querystring.Y` (`$connect`), `context.Y`, `stageVariables.Y` or `'static'`.
   */
  requestParameters?: Record<string, string>
  /**
   * Non-proxy: `${integration.response.statuscode}` (`HTTP`, `MOCK`; the default) or
   * `${integration.response.body.errorMessage}` (`AWS`; the default).
   */
  integrationResponseSelectionExpression?: string
  /** Non-proxy, two-way routes: keyed by `$default` or `/regex/` (e.g. `/2\\d\\d/`). */
  integrationResponses?: Record<string, WebSocketIntegrationResponse>
}

/**
 * An integration response (`AWS::ApiGatewayV2::IntegrationResponse`) of a non-proxy integration.
 *
 * @example
 * ```ts
 * import type { WebSocketIntegrationResponse } from '@gatehousejs/websocket'
 * const ok: WebSocketIntegrationResponse = {
 *   templateSelectionExpression: '${integration.response.statuscode}',
 *   responseTemplates: { '200': '{"ok": $input.json("$.ok")}', $default: '$input.body' },
 * }
 * ```
 */
export interface WebSocketIntegrationResponse {
  /**
   * Picks the response template: `${integration.response.statuscode}`, `${integration.response.header.X}`,
   * `${request.body.JSONPATH}`, static text, `\$default` (the default).
   */
  templateSelectionExpression?: string
  /** VTL templates keyed by what `templateSelectionExpression` selects; none: the answer's body as is. */
  responseTemplates?: Record<string, string>
}

/**
 * A route (`AWS::ApiGatewayV2::Route`) with its integration and, for a two-way route, its route response.
 *
 * @example
 * ```ts
 * import type { WebSocketRoute } from '@gatehousejs/websocket'
 * const echo: WebSocketRoute = { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' }
 * ```
 */
export interface WebSocketRoute {
  integration?: WebSocketIntegration
  /** `$default` makes the route two-way: the integration's `body` is sent back to the client. */
  routeResponseSelectionExpression?: '$default'
  /** `NONE` (default), `CUSTOM` (a Lambda REQUEST authorizer, `$connect` only) or `AWS_IAM` (`$connect` only). */
  authorizationType?: 'NONE' | 'CUSTOM' | 'AWS_IAM'
  /** The key of `api.authorizers` used when `authorizationType` is `CUSTOM`. */
  authorizerId?: string
  /** `$connect` only: require an API key, read with the API's `apiKeySelectionExpression`. */
  apiKeyRequired?: boolean
}

/**
 * A Lambda REQUEST authorizer (`AWS::ApiGatewayV2::Authorizer`, `AuthorizerType: REQUEST`).
 *
 * @example
 * ```ts
 * import type { WebSocketAuthorizer } from '@gatehousejs/websocket'
 * const auth: WebSocketAuthorizer = { authorizerType: 'REQUEST', authorizerUri: 'authorize', identitySource: ['route.request.querystring.token'] }
 * ```
 */
export interface WebSocketAuthorizer {
  authorizerType: 'REQUEST'
  /** The function: a name or ARN in `functions`, or a Lambda invocation URI. */
  authorizerUri: string
  /** `route.request.header.NAME` and `route.request.querystring.NAME`; a missing one refuses with 401. */
  identitySource?: string[]
}

/**
 * The API (`AWS::ApiGatewayV2::Api` with `ProtocolType: WEBSOCKET`) and its routes.
 *
 * @example
 * ```ts
 * import type { WebSocketApiDefinition } from '@gatehousejs/websocket'
 * const api: WebSocketApiDefinition = {
 *   name: 'chat',
 *   routeSelectionExpression: '$request.body.action',
 *   routes: { sendmessage: { integration: { type: 'AWS_PROXY', uri: 'sendMessage' } } },
 * }
 * ```
 */
export interface WebSocketApiDefinition {
  name: string
  /** `$request.body.JSONPATH`, `${request.body.JSONPATH}` templates, static text, `\$default`. */
  routeSelectionExpression: string
  /** `$request.header.x-api-key` or `$context.authorizer.usageIdentifierKey`. */
  apiKeySelectionExpression?: string
  routes: Record<string, WebSocketRoute>
  authorizers?: Record<string, WebSocketAuthorizer>
}

/**
 * The event of a `REQUEST` authorizer of a WebSocket API
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
 *
 * @example
 * ```ts
 * import type { WebSocketAuthorizerEvent } from '@gatehousejs/websocket'
 * const authorize = async (event: WebSocketAuthorizerEvent) => ({
 *   principalId: 'me',
 *   policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
 * })
 * ```
 */
export interface WebSocketAuthorizerEvent {
  type: 'REQUEST'
  methodArn: string
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  queryStringParameters?: Record<string, string>
  multiValueQueryStringParameters?: Record<string, string[]>
  stageVariables: Record<string, string>
  requestContext: WebSocketRequestContext
}

/**
 * `requestContext` of the events API Gateway sends for a WebSocket API.
 *
 * @example
 * ```ts
 * import type { WebSocketEvent } from '@gatehousejs/websocket'
 * const handler = async (event: WebSocketEvent) => {
 *   console.log(event.requestContext.connectionId, event.requestContext.routeKey)
 *   return { statusCode: 200 }
 * }
 * ```
 */
export interface WebSocketRequestContext {
  routeKey: string
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT'
  messageId?: string
  extendedRequestId: string
  requestTime: string
  messageDirection: 'IN'
  stage: string
  connectedAt: number
  requestTimeEpoch: number
  identity: { sourceIp: string; userAgent: string | null }
  requestId: string
  domainName: string
  connectionId: string
  apiId: string
  authorizer?: Record<string, string | number>
  disconnectStatusCode?: number
  disconnectReason?: string
}

/**
 * The event an `AWS_PROXY` integration receives: `CONNECT` carries the handshake's headers and query,
 * `MESSAGE` the message as `body`, `DISCONNECT` the close code and reason in `requestContext`.
 *
 * @example
 * ```ts
 * import type { WebSocketEvent } from '@gatehousejs/websocket'
 * const onMessage = async (event: WebSocketEvent) => ({ statusCode: 200, body: `echo: ${event.body}` })
 * ```
 */
export interface WebSocketEvent {
  requestContext: WebSocketRequestContext
  body?: string
  isBase64Encoded: boolean
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  queryStringParameters?: Record<string, string>
  multiValueQueryStringParameters?: Record<string, string[]>
}

/**
 * What `getConnection` answers (`GET /{stage}/@connections/{connectionId}`).
 *
 * @example
 * ```ts
 * const info: ConnectionInfo = await api.connections.get(connectionId)
 * info.identity.sourceIp
 * ```
 */
export interface ConnectionInfo {
  connectedAt: Date
  lastActiveAt: Date
  identity: { sourceIp: string; userAgent: string | null }
}

/**
 * Access keys accepted by the `@connections` HTTP endpoint (SigV4, service `execute-api`).
 *
 * @example
 * ```ts
 * const credentials: ManagementCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }
 * ```
 */
export interface ManagementCredentials {
  accessKeyId: string
  secretAccessKey: string
}

/**
 * Options of {@link createWebSocketApi}.
 *
 * @example
 * ```ts
 * const input: CreateWebSocketApiInput = { api, stage: 'prod', functions: { sendMessage } }
 * ```
 */
export interface CreateWebSocketApiInput {
  api: WebSocketApiDefinition
  /** The stage name (in events and in the `@connections` path). Default `dev`. */
  stage?: string
  functions?: Record<string, LambdaHandler>
  /**
   * In-process HTTP backends by origin (`https://pets.example.com`), as core's `httpBackends`: an `HTTP` or
   * `HTTP_PROXY` integration whose URI has that origin is answered by the function, with no socket.
   */
  httpBackends?: Record<string, HttpBackendHandler>
  /** Clock, epoch ms. */
  now?: () => number
  /** Request ids (`requestId` and `extendedRequestId`, as on AWS they are the same). */
  requestId?: () => string
  /** Connection ids. Default: 16 base64 characters, as AWS's. */
  connectionId?: () => string
  /** Sees every unexpected failure (a function that throws, a bad answer). */
  onError?: (error: unknown, info: { routeKey: string; connectionId: string }) => void
  /** `requestContext.apiId`; default derived from `api.name`. */
  apiId?: string
  /** `requestContext.domainName`; default the upgrade request's Host header. */
  domainName?: string
  region?: string
  accountId?: string
  /** Access keys the `@connections` HTTP endpoint (and `AWS_IAM` on `$connect`) accepts. */
  credentials?: ManagementCredentials | ManagementCredentials[]
  /** `$stageVariables` in mapping templates and `stageVariables.X` in request parameters. */
  stageVariables?: Record<string, string>
  /** Valid API keys for `apiKeyRequired` on `$connect` (keys of `usagePlans` are valid too). */
  apiKeys?: string[]
  /** Usage plans of this stage: their keys are valid on `$connect`, where their throttle and quota apply. */
  usagePlans?: WebSocketUsagePlan[]
  /** The stage's `DefaultRouteSettings` (throttling): each route without its own settings gets these. */
  defaultRouteSettings?: RouteThrottleSettings
  /** The stage's `RouteSettings`, by route key. */
  routeSettings?: Record<string, RouteThrottleSettings>
  /** The account-level bucket, shared by every route (default AWS's 10,000 rps, 5,000 burst). */
  accountThrottle?: { rateLimit: number; burstLimit: number }
  /**
   * How `@connections` reaches connections other processes hold: `createRedisConnectionBus` from
   * `@gatehousejs/redis`, or `createMemoryConnectionBus()` shared by APIs in one process. Default: this API's own.
   */
  connectionBus?: ConnectionBus
  /** API Gateway's WebSocket metrics (`ConnectCount`, `MessageCount`, …) to core's metric sinks. Off by default. */
  metrics?: WebSocketMetricsOptions
  /** Protocol limits (frame, message, idle, duration); AWS's by default. */
  limits?: {
    maxFrameBytes?: number
    maxMessageBytes?: number
    idleTimeoutMs?: number
    maxDurationMs?: number
  }
}

/**
 * Route settings (`AWS::ApiGatewayV2::Stage` `RouteSettings` / `DefaultRouteSettings`): throttling and detailed metrics.
 *
 * @example
 * ```ts
 * const settings: RouteThrottleSettings = { throttlingRateLimit: 100, throttlingBurstLimit: 50 }
 * ```
 */
export interface RouteThrottleSettings {
  throttlingRateLimit?: number
  throttlingBurstLimit?: number
  /** The `Route` dimension on this route's metrics (detailed CloudWatch metrics). */
  detailedMetricsEnabled?: boolean
}

/**
 * A usage plan of the stage (`AWS::ApiGateway::UsagePlan` with its keys): throttle and quota per API key.
 *
 * @example
 * ```ts
 * const gold: WebSocketUsagePlan = {
 *   name: 'gold',
 *   apiKeys: ['gold-key-0123456789'],
 *   throttle: { rateLimit: 10, burstLimit: 20 },
 *   quota: { limit: 1000, period: 'DAY' },
 * }
 * ```
 */
export interface WebSocketUsagePlan {
  name?: string
  apiKeys: string[]
  throttle?: { rateLimit: number; burstLimit: number }
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number }
}
