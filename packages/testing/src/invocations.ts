/**
 * Recording what each in-process Lambda function (proxy integrations, custom integrations, authorizers) received
 * and answered, in call order.
 */
import type { LambdaContext, LambdaHandler } from '@gatehousejs/core'

/** The fields of the Lambda context a function was given, as plain data. */
export interface RecordedContext {
  awsRequestId: string
  functionName: string
  functionVersion: string
  invokedFunctionArn: string
  memoryLimitInMB: string
  logGroupName: string
  logStreamName: string
  /** `getRemainingTimeInMillis()` when the call began. */
  remainingTimeInMillis: number
}

/** One call: `outcome` is undefined while the function has not answered (or never did: a timeout). */
export interface RecordedInvocation {
  /** The key of the function in the `functions` map. */
  name: string
  /** Position in the recording (0-based, across every function). */
  index: number
  event: unknown
  context: RecordedContext
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown }
  /** Resolves when the function answered (never rejects). */
  settled: Promise<void>
}

export interface InvocationRecording<F extends Record<string, LambdaHandler>> {
  /** The same keys, each handler wrapped: pass it as `functions` to `createGateway`. */
  functions: F
  /** Every call so far, in the order the calls began. */
  readonly calls: readonly RecordedInvocation[]
  /** The calls of one function. */
  callsOf(name: keyof F & string): RecordedInvocation[]
  /** Forget the calls made so far. */
  clear(): void
}

function contextFields(context: LambdaContext): RecordedContext {
  let remaining = Number.NaN
  try {
    remaining = context.getRemainingTimeInMillis()
  } catch {
    // a hand-made context without the method
  }
  return {
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    remainingTimeInMillis: remaining,
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function'
}

/**
 * Wrap each handler so every call's event, context fields and answer (or error) are captured. The wrapper keeps
 * the handler's way of answering: a returned promise, the callback or `context.done/succeed/fail` (for a handler
 * that declares the callback), or a plain returned value.
 *
 * @example
 * ```ts
 * const rec = recordInvocations({ getPet: async (event) => ({ statusCode: 200, body: event.pathParameters.id }) })
 * const gw = createGateway({ api, functions: rec.functions })
 * await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * rec.calls[0].event.pathParameters // { id: '7' }
 * ```
 */
export function recordInvocations<F extends Record<string, LambdaHandler>>(functions: F): InvocationRecording<F> {
  const calls: RecordedInvocation[] = []
  const wrapped: Record<string, LambdaHandler> = {}
  for (const [name, handler] of Object.entries(functions)) {
    if (typeof handler !== 'function') throw new TypeError(`recordInvocations: functions.${name} is not a function`)
    const callbackStyle = handler.length >= 3
    wrapped[name] = (event, context, callback) => {
      let settle!: () => void
      const record: RecordedInvocation = {
        name,
        index: calls.length,
        event,
        context: contextFields(context),
        settled: new Promise<void>((resolve) => {
          settle = resolve
        }),
      }
      calls.push(record)
      // Only the first answer counts, as with Lambda's runtime.
      const answer = (outcome: NonNullable<RecordedInvocation['outcome']>) => {
        if (record.outcome !== undefined) return
        record.outcome = outcome
        settle()
      }
      const done = (error?: unknown, result?: unknown) =>
        answer(error === undefined || error === null ? { ok: true, value: result } : { ok: false, error })
      // A context whose done/succeed/fail are seen too; every other field reads through to the gateway's.
      const ctx = Object.create(context, {
        done: {
          value: (e?: unknown, r?: unknown) => {
            done(e, r)
            context.done(e, r)
          },
        },
        succeed: {
          value: (r: unknown) => {
            done(null, r)
            context.succeed(r)
          },
        },
        fail: {
          value: (e: unknown) => {
            done(e ?? new Error('fail'))
            context.fail(e)
          },
        },
        getRemainingTimeInMillis: { value: () => context.getRemainingTimeInMillis() },
      }) as LambdaContext
      const cb = (error?: unknown, result?: unknown) => {
        done(error, result)
        callback(error, result)
      }
      let returned: unknown
      try {
        returned = handler(event, ctx, cb)
      } catch (error) {
        answer({ ok: false, error })
        throw error
      }
      if (isThenable(returned)) {
        return Promise.resolve(returned).then(
          (value) => {
            answer({ ok: true, value })
            return value
          },
          (error: unknown) => {
            answer({ ok: false, error: error ?? new Error('rejected') })
            throw error
          },
        )
      }
      if (!callbackStyle) answer({ ok: true, value: returned })
      return returned
    }
    // Keep the declared arity: the gateway waits for the callback only of handlers that declare it.
    Object.defineProperty(wrapped[name], 'length', { value: handler.length })
  }
  return {
    functions: wrapped as F,
    get calls() {
      return calls
    },
    callsOf: (name) => calls.filter((c) => c.name === name),
    clear: () => {
      calls.length = 0
    },
  }
}
