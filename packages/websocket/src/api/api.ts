/**
 * A WebSocket API as API Gateway runs one: `$connect` (API key, Lambda REQUEST or IAM authorization, then the
 * integration, whose non-2xx answer refuses the upgrade), route selection for each message, `AWS_PROXY` and
 * `MOCK`, `HTTP_PROXY`, `HTTP` and `AWS` integrations, two-way routes, `$disconnect`, and the `@connections` API in process and over HTTP.
 * Sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { LambdaHandler } from '@gatehousejs/core'
import { acceptWebSocket, type Connection, OWNER } from '../connection'
import { checkHandshake, refuseHandshake } from '../protocol/handshake'
import { API_GATEWAY_LIMITS } from '../protocol/limits'
import { createMemoryConnectionBus } from './bus'
import { type ConnectionsApi, createConnections, type LiveConnection } from './connections'
import { createMetrics, type EmitMetrics, type MetricEvent } from './metrics'
import type { CreateWebSocketApiInput, ManagementCredentials, WebSocketEvent, WebSocketRequestContext } from './definition'
import { WebSocketApiError } from './errors'
import { awsStyleId, handshakeData, requestContextOf } from './events'
import { type CompiledRoute, compileRoutes, httpBackendsOf, RESERVED } from './compile'
import { errorFrame } from './results'
import { createConnectAuthorizer } from './connect-auth'
import { createThrottling } from './throttling'
import { type RouteOutcome, type RouteRequest, runSafely } from './integrations/index'
import { createManagementHandler } from './management'
import { Running } from './running'
import { type CompiledSelection, compileSelectionExpression, parseMessage } from './selection'

/**
 * A running WebSocket API: attach `handleUpgrade` to a node:http server's `upgrade` event and, if backends call
 * the `@connections` endpoint over HTTP, route its requests to `managementHandler`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createWebSocketApi } from '@gatehousejs/websocket'
 * const api = createWebSocketApi({ api: definition, stage: 'prod', functions, credentials })
 * const server = createServer(api.managementHandler)
 * server.on('upgrade', api.handleUpgrade)
 * server.listen(8080)
 * ```
 */
export interface WebSocketApi {
  /** Handles node:http's `upgrade` event: `$connect`, then the connection's messages and `$disconnect`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** The `@connections` API in process. */
  connections: ConnectionsApi
  /** `POST/GET/DELETE /{stage}/@connections/{connectionId}`, SigV4-signed (service `execute-api`). */
  managementHandler(req: IncomingMessage, res: ServerResponse): void
  /** Closes every connection with 1001 "Going away" and waits for their `$disconnect`. */
  close(): Promise<void>
  readonly apiId: string
  readonly stage: string
}

/**
 * Builds a WebSocket API from its definition. Validates it at once (selection expressions, functions,
 * authorizers), throwing {@link WebSocketApiError}.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createWebSocketApi } from '@gatehousejs/websocket'
 * const api = createWebSocketApi({
 *   api: {
 *     name: 'echo',
 *     routeSelectionExpression: '$request.body.action',
 *     routes: { $default: { integration: { type: 'AWS_PROXY', uri: 'echo' }, routeResponseSelectionExpression: '$default' } },
 *   },
 *   functions: { echo: async (event) => ({ statusCode: 200, body: event.body }) },
 * })
 * createServer().on('upgrade', api.handleUpgrade).listen(8080)
 * ```
 */
export function createWebSocketApi(input: CreateWebSocketApiInput): WebSocketApi {
  const { api } = input
  if (api === null || typeof api !== 'object' || typeof api.name !== 'string' || api.routes === null || typeof api.routes !== 'object') {
    throw new WebSocketApiError('INVALID_DEFINITION', 'api needs a name, a routeSelectionExpression and routes')
  }
  const stage = input.stage ?? 'dev'
  const region = input.region ?? 'us-east-1'
  const accountId = input.accountId ?? '123456789012'
  const functions: Record<string, LambdaHandler> = input.functions ?? {}
  const now = input.now ?? Date.now
  const newRequestId = input.requestId ?? awsStyleId
  const newConnectionId = input.connectionId ?? awsStyleId
  const apiId = input.apiId ?? createHash('sha256').update(api.name).digest('hex').slice(0, 10)
  const credentials: ManagementCredentials[] =
    input.credentials === undefined ? [] : Array.isArray(input.credentials) ? input.credentials : [input.credentials]
  const limits = { ...API_GATEWAY_LIMITS, ...input.limits }
  const selection: CompiledSelection = compileSelectionExpression(api.routeSelectionExpression)
  const apiKeyFrom = api.apiKeySelectionExpression ?? '$request.header.x-api-key'
  if (apiKeyFrom !== '$request.header.x-api-key' && apiKeyFrom !== '$context.authorizer.usageIdentifierKey') {
    throw new WebSocketApiError(
      'INVALID_DEFINITION',
      'apiKeySelectionExpression is $request.header.x-api-key or $context.authorizer.usageIdentifierKey',
    )
  }

  const { authorizers, routes } = compileRoutes(
    api,
    functions,
    region,
    accountId,
    input.stageVariables ?? {},
    httpBackendsOf(input.httpBackends),
  )
  const connectRoute = api.routes.$connect
  const connectAuthorizer = connectRoute?.authorizationType === 'CUSTOM' ? authorizers.get(connectRoute.authorizerId!) : undefined
  const secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]))

  const running = new Running()
  const report = (error: unknown, routeKey: string, connectionId: string) => {
    try {
      input.onError?.(error, { routeKey, connectionId })
    } catch {
      // a failing reporter must not break the connection
    }
  }

  const context = requestContextOf(now, stage, apiId)
  const emit = createMetrics({
    options: input.metrics,
    apiId,
    stage,
    now,
    defaultRouteSettings: input.defaultRouteSettings,
    routeSettings: input.routeSettings,
    report: (error, routeKey) => report(error, routeKey, ''),
  })
  const metric: EmitMetrics = emit ?? (() => undefined)
  const registry = createConnections({
    maxMessageBytes: limits.maxMessageBytes,
    ...(emit ? { onSent: () => emit('', { messages: 1, outbound: true }) } : {}),
  })
  const { live, api: connections } = registry
  const member = (input.connectionBus ?? createMemoryConnectionBus()).join(registry.local, (error) => report(error, '@connections', ''))
  registry.attach(member)
  // IntegrationLatency is "suppressed for callbacks and mock integrations" (apigateway-websocket-api-logging).
  const measures = (key: string) => {
    const type = api.routes[key]?.integration?.type
    return type !== undefined && type !== 'MOCK'
  }
  /** What the metrics need of a route's outcome. */
  const measure = (route: CompiledRoute, outcome: RouteOutcome, startedAt: number): MetricEvent => {
    const event: MetricEvent = {}
    if (emit && measures(route.key) && !(outcome.ok === false && outcome.kind === 'client')) event.latencyMs = now() - startedAt
    if (!outcome.ok) {
      if (outcome.kind === 'client') event.clientError = true
      else event.executionError = true
    } else if (outcome.status >= 400) event.integrationError = true
    return event
  }
  /** Runs a message's or `$disconnect`'s integration in the background (counted for close()); hands `then` its outcome. */
  const executeThen = (
    route: CompiledRoute,
    request: RouteRequest,
    id: string,
    then: (outcome: RouteOutcome, measured: MetricEvent) => void,
  ): void => {
    const startedAt = emit ? now() : 0
    running.start()
    runRoute(route, request).then(
      (outcome) => {
        try {
          then(outcome, measure(route, outcome, startedAt))
        } catch (error) {
          report(error, route.key, id)
        } finally {
          running.finish()
        }
      },
      (error: unknown) => {
        report(error, route.key, id)
        running.finish()
      },
    )
  }

  const throttling = createThrottling({
    routeKeys: [...routes.keys()],
    ...(input.defaultRouteSettings ? { defaultRouteSettings: input.defaultRouteSettings } : {}),
    ...(input.routeSettings ? { routeSettings: input.routeSettings } : {}),
    ...(input.accountThrottle ? { accountThrottle: input.accountThrottle } : {}),
    ...(input.usagePlans ? { usagePlans: input.usagePlans } : {}),
    ...(input.apiKeys ? { apiKeys: input.apiKeys } : {}),
    ...(input.now ? { now: input.now } : {}),
  })
  const authorize = createConnectAuthorizer({
    connectRoute,
    connectAuthorizer,
    region,
    accountId,
    apiId,
    stage,
    secrets,
    apiKeyFrom,
    checkApiKey: (key) => throttling.apiKey(key),
    report,
  })

  const runRoute = (route: CompiledRoute, request: RouteRequest): Promise<RouteOutcome> =>
    route.run === undefined ? Promise.resolve({ ok: true, status: 200, body: undefined }) : runSafely(route.run, request)

  const onMessage = (id: string, entry: LiveConnection, data: string | Buffer, domainName: string): void => {
    const { connection } = entry
    if (typeof data !== 'string') {
      // "Currently binary payloads are not supported. If a binary frame is received, the connection is closed
      // with code 1003." (apigateway-websocket-api-routes-integrations)
      connection.close(1003, 'Binary data not supported')
      return
    }
    const requestId = newRequestId()
    let key = '$default'
    const parsed = parseMessage(data)
    if (parsed !== undefined) {
      const selected = selection.select(parsed.json)
      if (routes.has(selected) && !RESERVED.has(selected)) key = selected
    }
    const route = routes.get(key)
    if (route === undefined) {
      connection.send(errorFrame('Forbidden', id, requestId))
      metric(key, { messages: 2, clientError: true })
      return
    }
    const throttled = throttling.route(key)
    if (throttled !== undefined) {
      connection.send(errorFrame(throttled.message, id, requestId))
      metric(key, { messages: 2, clientError: true })
      return
    }
    const requestContext = context(key, 'MESSAGE', awsStyleId(), id, requestId, domainName, entry)
    const event: WebSocketEvent = { requestContext, body: data, isBase64Encoded: false }
    executeThen(route, { event, body: data }, id, (outcome, measured) => {
      measured.messages = 1
      if (!outcome.ok) {
        let text: string
        if (outcome.kind === 'client') text = errorFrame(outcome.message, id, requestId)
        else {
          const timeout = outcome.kind === 'timeout'
          report(timeout ? new Error(`integration of ${key} timed out`) : outcome.error, key, id)
          text = errorFrame(timeout ? 'Endpoint request timed out' : 'Internal server error', id, requestId)
        }
        if (connection.send(text) === 'sent') measured.messages++
      } else if (route.twoWay && outcome.body !== undefined && connection.send(outcome.body) === 'sent') measured.messages++
      metric(key, measured)
    })
  }

  const onClose = (id: string, entry: LiveConnection, code: number, reason: string, domainName: string): void => {
    live.delete(id)
    member.closed(id)
    const route = routes.get('$disconnect')
    if (route === undefined) return
    const requestContext = context('$disconnect', 'DISCONNECT', undefined, id, newRequestId(), domainName, entry)
    requestContext.disconnectStatusCode = code
    // What API Gateway reports when the client's close frame had no status code.
    requestContext.disconnectReason = code === 1005 && reason === '' ? 'Client-side close frame status not set' : reason
    const event: WebSocketEvent = { requestContext, isBase64Encoded: false }
    executeThen(route, { event, body: '' }, id, (outcome, measured) => {
      if (!outcome.ok && outcome.kind !== 'client')
        report(outcome.kind === 'timeout' ? new Error('$disconnect timed out') : outcome.error, '$disconnect', id)
      metric('$disconnect', measured)
    })
  }

  function onConnectionMessage(this: Connection, message: string | Buffer): void {
    const entry = this[OWNER] as LiveConnection
    onMessage(entry.id, entry, message, entry.domainName)
  }
  function onConnectionClose(this: Connection, code: number, reason: string): void {
    const entry = this[OWNER] as LiveConnection
    onClose(entry.id, entry, code, reason, entry.domainName)
  }

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const handshake = checkHandshake(req)
    if (!handshake.ok) {
      refuseHandshake(socket, handshake.status, handshake.reason, handshake.headers)
      return
    }
    const data = handshakeData(req)
    const connectionId = newConnectionId()
    const requestId = newRequestId()
    const connectedAt = now()
    const domainName = input.domainName ?? data.lower.get('host')?.at(-1) ?? 'localhost'
    const identity = { sourceIp: data.sourceIp, userAgent: data.userAgent }
    const baseContext = context('$connect', 'CONNECT', undefined, connectionId, requestId, domainName, { connectedAt, identity })
    const auth = await authorize(req, data, baseContext)
    if ('refuse' in auth) {
      refuseHandshake(socket, auth.refuse, auth.body, { 'Content-Type': 'application/json' })
      metric('$connect', { clientError: auth.refuse >= 400 && auth.refuse < 500, executionError: auth.refuse >= 500 })
      return
    }
    const throttled = throttling.route('$connect')
    if (throttled !== undefined) {
      refuseHandshake(socket, throttled.refuse, throttled.body, { 'Content-Type': 'application/json' })
      metric('$connect', { clientError: true })
      return
    }
    const route = routes.get('$connect')
    let protocol: string | undefined
    if (route !== undefined) {
      // The same request as the authorizer's: same request id and time.
      const requestContext: WebSocketRequestContext = { ...baseContext, identity: { ...identity } }
      if (auth.authorizer !== undefined) requestContext.authorizer = { ...auth.authorizer }
      const event: WebSocketEvent = {
        headers: data.headers,
        multiValueHeaders: data.multiValueHeaders,
        ...(data.query !== undefined ? { queryStringParameters: data.query, multiValueQueryStringParameters: data.multiValueQuery } : {}),
        requestContext,
        isBase64Encoded: false,
      }
      const startedAt = emit ? now() : 0
      const outcome = await runRoute(route, { event, body: '', handshake: data })
      const measured = measure(route, outcome, startedAt)
      metric('$connect', { ...measured, connect: true })
      if (!outcome.ok) {
        if (outcome.kind === 'client') {
          refuseHandshake(socket, 400, JSON.stringify({ message: outcome.message }), { 'Content-Type': 'application/json' })
          return
        }
        const timeout = outcome.kind === 'timeout'
        report(timeout ? new Error('$connect timed out') : outcome.error, '$connect', connectionId)
        refuseHandshake(
          socket,
          timeout ? 504 : 502,
          timeout ? '{"message": "Endpoint request timed out"}' : '{"message": "Internal server error"}',
        )
        return
      }
      if (outcome.status < 200 || outcome.status > 299) {
        refuseHandshake(socket, outcome.status, outcome.body ?? '')
        return
      }
      protocol = outcome.headers?.['sec-websocket-protocol']
    } else metric('$connect', { connect: true })
    // Registered before the handshake completes: a connection its client sees open is reachable from every process.
    await member.opened(connectionId, { connectedAt, lastActiveAt: connectedAt, identity })
    const connection: Connection | null =
      socket.destroyed || !socket.writable
        ? null
        : acceptWebSocket(req, socket, head, {
            ...limits,
            now,
            ...(protocol !== undefined && handshake.protocols.includes(protocol) ? { protocol } : {}),
          })
    if (connection === null) {
      member.closed(connectionId)
      socket.destroy()
      return
    }
    socket.off('error', destroySocket) // the connection has its own
    const entry: LiveConnection = { connection, connectedAt, identity, authorizer: auth.authorizer, id: connectionId, domainName }
    live.set(connectionId, entry)
    // Listeners shared by every connection, which finds its entry on itself (no closures per connection).
    connection[OWNER] = entry
    connection.on('message', onConnectionMessage)
    connection.on('close', onConnectionClose) // emitted once
  }

  const managementHandler = createManagementHandler(connections, {
    stage,
    region: input.region,
    credentials,
    maxBodyBytes: limits.maxMessageBytes,
  })

  return {
    apiId,
    stage,
    connections,
    managementHandler,
    handleUpgrade(req, socket, head) {
      socket.on('error', destroySocket)
      upgrade(req, socket, head).catch((error) => {
        report(error, '$connect', '')
        if (!socket.destroyed) refuseHandshake(socket, 500, '{"message": "Internal server error"}')
      })
    },
    async close() {
      const closing: Promise<void>[] = []
      for (const { connection } of live.values()) {
        if (connection.readyState === 'closed') continue
        closing.push(new Promise((resolve) => connection.once('close', () => resolve())))
        connection.close(1001, 'Going away')
      }
      await Promise.all(closing)
      await running.idle()
      await member.close().catch((error: unknown) => report(error, '@connections', ''))
    },
  }
}

function destroySocket(this: Duplex): void {
  this.destroy()
}
