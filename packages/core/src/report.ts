/**
 * Unexpected failures reach the operator: the client gets API Gateway's answer, the operator gets the error.
 */
import type { GatewayResponseType } from './gateway-responses'

/** Where in the pipeline an unexpected failure happened. */
export type GatewayErrorStage = 'integration-request' | 'integration-response' | 'gateway-response' | 'internal'

/**
 * What `onError` is told besides the error.
 *
 * @example
 * ```ts
 * createGateway({ api, onError: (e, info: GatewayErrorInfo) => log.error({ err: e, ...info }, 'gateway failure') })
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

/** The operator's error callback. */
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
