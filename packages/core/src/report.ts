/**
 * Unexpected failures reach the operator: the client gets API Gateway's answer, the operator gets the error.
 */
import type { GatewayResponseType } from './gateway-responses'

/**
 * Where in the pipeline an unexpected failure happened.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayErrorStage } from '@gatehousejs/core'
 * const stages: GatewayErrorStage[] = []
 * const gw = createGateway({
 *   api: {
 *     resources: {
 *       '/pets': {
 *         POST: {
 *           integration: {
 *             type: 'MOCK',
 *             requestTemplates: { 'application/json': '{"statusCode": 200}' },
 *             // A response template that fails at run time: the body is not JSON.
 *             responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '$util.parseJson("oops")' } } },
 *           },
 *         },
 *       },
 *     },
 *   },
 *   requestId: () => 'req-1',
 *   onError: (_error, info) => stages.push(info.stage),
 * })
 * await gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{}' })
 * stages // ['integration-response']
 * ```
 */
export type GatewayErrorStage =
  | 'integration-request'
  | 'integration'
  | 'integration-response'
  | 'gateway-response'
  /** A Lambda authorizer that threw, timed out or answered with no valid policy; an issuer's keys that could not be fetched. */
  | 'authorizer'
  /** The stage cache's store failed to read or write (the request went on as a miss). */
  | 'cache'
  /** The throttle / quota store (in memory, Redis) failed to decide. */
  | 'store'
  /** An access-log line could not be formatted or written (the client had its answer already). */
  | 'access-log'
  /** The execution-log `logger` threw (the request was answered all the same). */
  | 'execution-log'
  | 'internal'

/**
 * What `onError` is told besides the error.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayErrorInfo } from '@gatehousejs/core'
 * const seen: GatewayErrorInfo[] = []
 * const gw = createGateway({
 *   api: {
 *     resources: {
 *       '/pets': {
 *         POST: {
 *           integration: {
 *             type: 'MOCK',
 *             requestTemplates: { 'application/json': '{"statusCode": 200}' },
 *             // A response template that fails at run time: the body is not JSON.
 *             responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '$util.parseJson("oops")' } } },
 *           },
 *         },
 *       },
 *     },
 *   },
 *   requestId: () => 'req-1',
 *   onError: (_error, info) => seen.push(info),
 * })
 * const res = await gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{}' })
 * res.statusCode // 500
 * seen // [{ requestId: 'req-1', routeKey: 'POST /pets', stage: 'integration-response', responseType: 'API_CONFIGURATION_ERROR' }]
 * ```
 */
export interface GatewayErrorInfo {
  /** `$context.requestId`; null when the failure came before the request had one. */
  requestId: string | null
  /** The matched route (`GET /pets/{id}`), null when none. */
  routeKey: string | null
  stage: GatewayErrorStage
  /** The gateway response the client got for it, when one was chosen. */
  responseType: GatewayResponseType | null
}

/**
 * The operator's error callback (`GatewayInput.onError`): it sees the error, the client gets API Gateway's answer.
 *
 * @example
 * ```ts
 * import { createGateway, type ErrorReporter } from '@gatehousejs/core'
 * const onError: ErrorReporter = (error, { requestId, routeKey, stage }) => {
 *   console.error(JSON.stringify({ level: 'error', requestId, routeKey, stage, error: String(error) }))
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   onError,
 * })
 * ```
 */
export type ErrorReporter = (error: unknown, info: GatewayErrorInfo) => void

/**
 * The default `onError`: one line on stderr with the request id, the route, the stage and the error's stack.
 *
 * @example
 * ```ts
 * defaultOnError(new Error('boom'), { requestId: 'r1', routeKey: 'GET /x', stage: 'internal', responseType: null })
 * ```
 */
export function defaultOnError(error: unknown, info: GatewayErrorInfo): void {
  const what = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  console.error(`gatehouse: ${info.requestId ?? '-'} ${info.routeKey ?? '-'} ${info.stage}: ${what}`)
}

/** Tell the operator; a reporter that throws must not change what the client gets. */
export function reportError(reporter: ErrorReporter | undefined, error: unknown, info: GatewayErrorInfo): void {
  try {
    ;(reporter ?? defaultOnError)(error, info)
  } catch {
    // Nothing is left to tell: the operator's own callback failed.
  }
}
