/**
 * In-process Lambda functions for WebSocket integrations and authorizers: core's resolution of an integration URI
 * against `functions` and its invocation (a Lambda `context`, the callback, the timeout), with a missing function
 * reported as this package's `WebSocketApiError`.
 */
import { GatewayConfigError } from '@gatehousejs/core'
import { type ResolvedFunction, resolveFunction as resolveInCore } from '@gatehousejs/core/lambda'
import type { LambdaHandler } from '@gatehousejs/core'
import { WebSocketApiError } from './errors'

export { invoke, type InvokeOutcome, type ResolvedFunction } from '@gatehousejs/core/lambda'

/**
 * The handler an integration URI names (the full URI, the function ARN, `name:qualifier` or the name as key).
 *
 * @example
 * ```ts
 * resolveFunction('arn:aws:lambda:us-east-1:123456789012:function:chat', { chat }, 'us-east-1', '123456789012', 'route sendmessage')
 * ```
 */
export function resolveFunction(
  uri: string,
  functions: Record<string, LambdaHandler>,
  region: string,
  accountId: string,
  where: string,
): ResolvedFunction {
  try {
    return resolveInCore(uri, functions, region, accountId, where)
  } catch (e) {
    if (e instanceof GatewayConfigError)
      throw new WebSocketApiError('UNKNOWN_FUNCTION', `${where}: no function for ${JSON.stringify(uri)} in \`functions\``)
    throw e
  }
}
