/**
 * A WebSocket API as API Gateway runs one: `$connect` (API key, Lambda REQUEST or IAM authorization, then the
 * integration, whose non-2xx answer refuses the upgrade), route selection for each message, `AWS_PROXY` and
 * `MOCK` integrations, two-way routes, `$disconnect`, and the `@connections` API in process and over HTTP.
 * Sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { LambdaHandler } from '@gatehousejs/core'
import { authorizerDeniedMessage, compilePolicy, evaluatePolicy } from '@gatehousejs/core/policy'
import { verifyRequest } from '@gatehousejs/sigv4'
import { acceptWebSocket, type Connection } from '../connection'
import { checkHandshake, refuseHandshake } from '../protocol/handshake'
import { API_GATEWAY_LIMITS } from '../protocol/limits'
import { type ConnectionsApi, createConnections, type LiveConnection } from './connections'
import type { CreateWebSocketApiInput, ManagementCredentials, WebSocketEvent, WebSocketRequestContext } from './definition'
import { WebSocketApiError } from './errors'
import { awsStyleId, type HandshakeData, handshakeData, requestContextOf } from './events'
import { type CompiledRoute, compileRoutes, DEFAULT_TIMEOUT_MS, RESERVED } from './compile'
import { invoke } from './lambda'
import { bodyOf, errorFrame, headerOf, statusOf } from './results'
import { createManagementHandler } from './management'
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

  const { authorizers, routes } = compileRoutes(api, functions, region, accountId)
  const connectRoute = api.routes.$connect
  const connectAuthorizer = connectRoute?.authorizationType === 'CUSTOM' ? authorizers.get(connectRoute.authorizerId!) : undefined
  const secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]))

  const { live, api: connections } = createConnections()
  const pending = new Set<Promise<unknown>>()
  const track = (p: Promise<unknown>): void => {
    const settled = p.then(
      () => undefined,
      () => undefined,
    )
    pending.add(settled)
    settled.then(
      () => pending.delete(settled),
      () => undefined,
    )
  }
  const report = (error: unknown, routeKey: string, connectionId: string) => {
    try {
      input.onError?.(error, { routeKey, connectionId })
    } catch {
      // a failing reporter must not break the connection
    }
  }

  const context = requestContextOf(now, stage, apiId)

  /** Runs `$connect`'s checks; the status to refuse with and its body, or the authorizer's context. */
  const authorize = async (
    req: IncomingMessage,
    data: HandshakeData,
    baseContext: WebSocketRequestContext,
  ): Promise<{ refuse: number; body: string } | { authorizer: Record<string, string | number> | undefined }> => {
    if (connectRoute === undefined) return { authorizer: undefined }
    let authorizer: Record<string, string | number> | undefined
    let usageIdentifierKey: string | undefined
    if (connectRoute.authorizationType === 'AWS_IAM') {
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const verified = await verifyRequest(
        {
          method: req.method ?? 'GET',
          path: q < 0 ? url : url.slice(0, q),
          query: q < 0 ? '' : url.slice(q + 1),
          headers: req.headers as Record<string, string | string[]>,
        },
        { lookupSecret: (id) => secrets.get(id), service: 'execute-api' },
      )
      if (!verified.ok) return { refuse: 403, body: JSON.stringify({ message: verified.reason }) }
    }
    if (connectAuthorizer !== undefined) {
      const values: string[] = []
      for (const source of connectAuthorizer.identitySource) {
        const value = source.from === 'header' ? data.lower.get(source.name.toLowerCase())?.at(-1) : data.query?.[source.name]
        if (value === undefined || value === '') return { refuse: 401, body: '{"message":"Unauthorized"}' }
        values.push(value)
      }
      const methodArn = `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/$connect`
      const event = {
        type: 'REQUEST',
        methodArn,
        headers: data.headers,
        multiValueHeaders: data.multiValueHeaders,
        ...(data.query !== undefined ? { queryStringParameters: data.query, multiValueQueryStringParameters: data.multiValueQuery } : {}),
        stageVariables: {},
        requestContext: baseContext,
      }
      const started = Date.now()
      const outcome = await invoke(connectAuthorizer.fn, event, baseContext.requestId, DEFAULT_TIMEOUT_MS)
      const latency = Date.now() - started
      if (!outcome.ok) {
        // A function that fails with "Unauthorized" is API Gateway's way to answer 401.
        if (
          !outcome.timeout &&
          (outcome.error === 'Unauthorized' || (outcome.error instanceof Error && outcome.error.message === 'Unauthorized'))
        ) {
          return { refuse: 401, body: '{"message":"Unauthorized"}' }
        }
        report(outcome.timeout ? new Error('authorizer timed out') : outcome.error, '$connect', baseContext.connectionId)
        return { refuse: 500, body: '{"message":null}' }
      }
      const result = outcome.value as {
        principalId?: unknown
        policyDocument?: unknown
        context?: unknown
        usageIdentifierKey?: unknown
      } | null
      let decision: string
      try {
        if (result === null || typeof result !== 'object' || result.policyDocument === undefined)
          throw new Error('the authorizer returned no policyDocument')
        decision = evaluatePolicy(compilePolicy(result.policyDocument as never, { kind: 'identity' }), {
          action: 'execute-api:Invoke',
          resource: methodArn,
        }).decision
      } catch (error) {
        report(error, '$connect', baseContext.connectionId)
        return { refuse: 500, body: '{"message":null}' }
      }
      if (decision !== 'ALLOW') {
        return { refuse: 403, body: JSON.stringify({ Message: authorizerDeniedMessage(decision === 'EXPLICIT_DENY') }) }
      }
      authorizer = {}
      const ctx = result.context
      if (ctx !== null && typeof ctx === 'object') {
        for (const [k, v] of Object.entries(ctx)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
            Object.defineProperty(authorizer, k, { value: String(v), enumerable: true, writable: true, configurable: true })
        }
      }
      if (typeof result.principalId === 'string') authorizer.principalId = result.principalId
      authorizer.integrationLatency = latency
      if (typeof result.usageIdentifierKey === 'string') usageIdentifierKey = result.usageIdentifierKey
    }
    if (connectRoute.apiKeyRequired) {
      const key = apiKeyFrom === '$request.header.x-api-key' ? data.lower.get('x-api-key')?.at(-1) : usageIdentifierKey
      if (key === undefined || !(input.apiKeys ?? []).includes(key)) return { refuse: 403, body: '{"message":"Forbidden"}' }
    }
    return { authorizer }
  }

  const runRoute = async (
    route: CompiledRoute,
    event: WebSocketEvent,
  ): Promise<{ ok: true; value: unknown } | { ok: false; timeout: boolean; error?: unknown }> => {
    if (route.fn === undefined) return { ok: true, value: route.mock ? { statusCode: 200 } : undefined }
    return invoke(route.fn, event, event.requestContext.requestId, route.timeoutMs)
  }

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
      return
    }
    const requestContext = context(key, 'MESSAGE', id, entry.connectedAt, requestId, entry.identity, domainName, entry.authorizer)
    // Key order as AWS sends it: messageId right after routeKey.
    const { routeKey, ...rest } = requestContext
    const ordered: WebSocketRequestContext = { routeKey, messageId: awsStyleId(), ...rest }
    const event: WebSocketEvent = { requestContext: ordered, body: data, isBase64Encoded: false }
    track(
      runRoute(route, event).then((outcome) => {
        if (!outcome.ok) {
          report(outcome.timeout ? new Error(`integration of ${key} timed out`) : outcome.error, key, id)
          connection.send(errorFrame(outcome.timeout ? 'Endpoint request timed out' : 'Internal server error', id, requestId))
          return
        }
        if (route.twoWay) {
          const body = bodyOf(outcome.value)
          if (body !== undefined) connection.send(body)
        }
      }),
    )
  }

  const onClose = (id: string, entry: LiveConnection, code: number, reason: string, domainName: string): void => {
    live.delete(id)
    const route = routes.get('$disconnect')
    if (route === undefined) return
    const requestContext = context(
      '$disconnect',
      'DISCONNECT',
      id,
      entry.connectedAt,
      newRequestId(),
      entry.identity,
      domainName,
      entry.authorizer,
    )
    requestContext.disconnectStatusCode = code
    // What API Gateway reports when the client's close frame had no status code.
    requestContext.disconnectReason = code === 1005 && reason === '' ? 'Client-side close frame status not set' : reason
    const event: WebSocketEvent = { requestContext, isBase64Encoded: false }
    track(
      runRoute(route, event).then((outcome) => {
        if (!outcome.ok) report(outcome.timeout ? new Error('$disconnect timed out') : outcome.error, '$disconnect', id)
      }),
    )
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
    const baseContext = context('$connect', 'CONNECT', connectionId, connectedAt, requestId, identity, domainName, undefined)
    const auth = await authorize(req, data, baseContext)
    if ('refuse' in auth) {
      refuseHandshake(socket, auth.refuse, auth.body, { 'Content-Type': 'application/json' })
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
      const outcome = await runRoute(route, event)
      if (!outcome.ok) {
        report(outcome.timeout ? new Error('$connect timed out') : outcome.error, '$connect', connectionId)
        refuseHandshake(
          socket,
          outcome.timeout ? 504 : 502,
          outcome.timeout ? '{"message": "Endpoint request timed out"}' : '{"message": "Internal server error"}',
        )
        return
      }
      const status = statusOf(outcome.value)
      if (status < 200 || status > 299) {
        refuseHandshake(socket, status, bodyOf(outcome.value) ?? '')
        return
      }
      protocol = headerOf(outcome.value, 'sec-websocket-protocol')
    }
    if (socket.destroyed || !socket.writable) {
      socket.destroy()
      return
    }
    const connection: Connection | null = acceptWebSocket(req, socket, head, {
      ...limits,
      now,
      ...(protocol !== undefined && handshake.protocols.includes(protocol) ? { protocol } : {}),
    })
    if (connection === null) return
    const entry: LiveConnection = { connection, connectedAt, identity, authorizer: auth.authorizer }
    live.set(connectionId, entry)
    connection.on('message', (message) => onMessage(connectionId, entry, message, domainName))
    connection.once('close', (code, reason) => onClose(connectionId, entry, code, reason, domainName))
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
      socket.on('error', () => socket.destroy())
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
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
  }
}
