/**
 * In-process Lambda functions: resolving API Gateway's function URIs against the `functions` map, the Lambda
 * `context` object, and invocation with the integration timeout.
 */
import { GatewayConfigError } from '../errors'

/** A Lambda handler: `async (event, context) => result`, or the callback style `(event, context, callback)`. */
export type LambdaHandler = (event: any, context: LambdaContext, callback?: LambdaCallback) => unknown
export type LambdaCallback = (error?: unknown, result?: unknown) => void

/** The Lambda `context` object a handler receives. */
export interface LambdaContext {
  awsRequestId: string
  functionName: string
  functionVersion: string
  invokedFunctionArn: string
  memoryLimitInMB: string
  logGroupName: string
  logStreamName: string
  callbackWaitsForEmptyEventLoop: boolean
  identity?: undefined
  clientContext?: undefined
  getRemainingTimeInMillis(): number
  done(error?: unknown, result?: unknown): void
  fail(error: unknown): void
  succeed(result: unknown): void
}

export interface ResolvedFunction {
  name: string
  arn: string
  handler: LambdaHandler
}

// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations
const INVOCATION_URI = /^arn:aws[\w-]*:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/
// arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]
const FUNCTION_ARN = /^arn:aws[\w-]*:lambda:([^:]*):([^:]*):function:([^:]+)(?::([^:]+))?$/

/**
 * Resolve an integration URI (invocation URI, function ARN, or plain name, with stage variables already
 * substituted) to a handler in `functions`. Keys may be the full URI, the function ARN, `name:qualifier` or `name`.
 */
export function resolveFunction(
  uri: string,
  functions: Record<string, LambdaHandler>,
  region: string,
  accountId: string,
  where: string,
): ResolvedFunction {
  const candidates = [uri]
  let functionArn = uri
  const invocation = INVOCATION_URI.exec(uri)
  if (invocation) {
    functionArn = invocation[1]!
    candidates.push(functionArn)
  }
  let name = functionArn
  let arn = `arn:aws:lambda:${region}:${accountId}:function:${functionArn}`
  const parsed = FUNCTION_ARN.exec(functionArn)
  if (parsed) {
    const [, , , fn, qualifier] = parsed
    name = fn!
    arn = functionArn
    if (qualifier) candidates.push(`${fn}:${qualifier}`)
    candidates.push(fn!)
  } else if (functionArn.includes(':')) {
    // name:qualifier
    candidates.push(functionArn.slice(0, functionArn.indexOf(':')))
    name = functionArn.slice(0, functionArn.indexOf(':'))
  }
  for (const key of candidates) {
    const handler = functions[key]
    if (typeof handler === 'function') return { name, arn, handler }
  }
  throw new GatewayConfigError(
    'UNKNOWN_FUNCTION',
    `no function for integration URI "${uri}": add one of ${candidates.map((c) => JSON.stringify(c)).join(', ')} to \`functions\``,
    where,
  )
}

export type InvokeOutcome =
  | { ok: true; value: unknown }
  | { ok: false; timeout: false; error: unknown }
  | { ok: false; timeout: true }

/** Invoke a handler with a fresh context; settle on its promise, its callback, or the timeout. */
export function invoke(fn: ResolvedFunction, event: unknown, requestId: string, timeoutMs: number): Promise<InvokeOutcome> {
  return new Promise<InvokeOutcome>((resolve) => {
    let settled = false
    const deadline = Date.now() + timeoutMs
    const timer = setTimeout(() => settle({ ok: false, timeout: true }), timeoutMs)
    timer.unref?.()
    function settle(outcome: InvokeOutcome) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const callback: LambdaCallback = (error, result) =>
      settle(error === undefined || error === null ? { ok: true, value: result } : { ok: false, timeout: false, error })
    const context: LambdaContext = {
      awsRequestId: requestId,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '128',
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]gatehouse`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: callback,
      fail: (error) => callback(error ?? new Error('fail')),
      succeed: (result) => callback(null, result),
    }
    try {
      const returned = fn.handler(event, context, callback)
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        ;(returned as PromiseLike<unknown>).then(
          (value) => settle({ ok: true, value }),
          (error) => settle({ ok: false, timeout: false, error: error ?? new Error('rejected') }),
        )
      } else if (fn.handler.length < 3) {
        settle({ ok: true, value: returned })
      }
    } catch (error) {
      settle({ ok: false, timeout: false, error })
    }
  })
}
