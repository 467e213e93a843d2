/**
 * `$connect`'s checks before its integration runs, in API Gateway's order: IAM (SigV4), the Lambda REQUEST
 * authorizer and its policy, then the API key.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html
 */
import type { IncomingMessage } from 'node:http'
import { authorizerDeniedMessage, compilePolicy, evaluatePolicy } from '@gatehousejs/core/policy'
import { verifyRequest } from '@gatehousejs/sigv4'
import type { CompiledAuthorizer } from './compile'
import { DEFAULT_TIMEOUT_MS } from './compile'
import type { WebSocketRequestContext, WebSocketRoute } from './definition'
import type { HandshakeData } from './events'
import { invoke } from './lambda'

/** The refusal of an upgrade, or the authorizer's context (and the API key that passed) for later events. */
export type ConnectDecision =
  | { refuse: number; body: string; headers?: Record<string, string> }
  | { authorizer: Record<string, string | number> | undefined; apiKey?: string }

export interface ConnectAuthOptions {
  connectRoute: WebSocketRoute | undefined
  connectAuthorizer: CompiledAuthorizer | undefined
  region: string
  accountId: string
  apiId: string
  stage: string
  secrets: Map<string, string>
  apiKeyFrom: string
  /** Whether a key may connect: `undefined` passes, otherwise the refusal. */
  checkApiKey(key: string | undefined): { refuse: number; body: string; headers?: Record<string, string> } | undefined
  report(error: unknown, routeKey: string, connectionId: string): void
}

/**
 * `$connect`'s checks, compiled once.
 *
 * @example
 * ```ts
 * const authorize = createConnectAuthorizer(options)
 * const decision = await authorize(req, handshakeData(req), requestContext)
 * if ('refuse' in decision) refuseHandshake(socket, decision.refuse, decision.body)
 * ```
 */
export function createConnectAuthorizer(
  options: ConnectAuthOptions,
): (req: IncomingMessage, data: HandshakeData, baseContext: WebSocketRequestContext) => Promise<ConnectDecision> {
  const { connectRoute, connectAuthorizer, region, accountId, apiId, stage, secrets, apiKeyFrom, report } = options
  /** Runs `$connect`'s checks; the status to refuse with and its body, or the authorizer's context. */
  return async (req, data, baseContext) => {
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
      const refusal = options.checkApiKey(key)
      if (refusal !== undefined) return refusal
      return { authorizer, apiKey: key }
    }
    return { authorizer }
  }
}
