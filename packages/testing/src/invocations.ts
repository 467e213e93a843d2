/**
 * Recording what each in-process Lambda function (proxy and custom integrations, authorizers), HTTP backend and AWS
 * service received and answered, in call order.
 */
import type {
  AwsServiceHandler,
  AwsServiceRequest,
  HttpBackendHandler,
  HttpBackendRequest,
  LambdaContext,
  LambdaHandler,
} from '@gatehousejs/core'

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

/** What every recorded call has: `outcome` is undefined while there is no answer (or never was: a timeout). */
interface RecordedBase {
  /** The key in the map it was recorded from: a function name, an origin, a service name. */
  name: string
  /** Position in the recording (0-based, across every function, backend and service). */
  index: number
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown }
  /** Resolves when the call answered (never rejects). */
  settled: Promise<void>
}

/** One call of a Lambda function (an integration's or an authorizer's). */
export interface RecordedInvocation extends RecordedBase {
  kind: 'function'
  event: unknown
  context: RecordedContext
}

/**
 * One request to an in-process HTTP backend (`kind: 'http'`, named by its origin) or AWS service (`kind: 'aws'`,
 * named by the service): the request as the gateway sent it, with its body as UTF-8 `text` too.
 */
export interface RecordedRequest extends RecordedBase {
  kind: 'http' | 'aws'
  event: (HttpBackendRequest | AwsServiceRequest) & { text: string }
}

/** Any recorded call. */
export type RecordedCall = RecordedInvocation | RecordedRequest

/** The backends and services to record with the functions (see {@link recordInvocations}). */
export interface RecordOptions<B extends string, S extends string> {
  /** In-process HTTP backends by origin: pass the recording's `httpBackends` as the gateway's `httpBackends`. */
  httpBackends?: Record<B, HttpBackendHandler>
  /** In-process AWS services by name: pass the recording's `awsServices` as the gateway's `aws.services`. */
  awsServices?: Record<S, AwsServiceHandler>
}

export interface InvocationRecording<F extends Record<string, LambdaHandler>, B extends string = never, S extends string = never> {
  /** The same keys, each handler wrapped: pass it as `functions` to `createGateway`. */
  functions: F
  /** The backends, wrapped: pass them as `httpBackends`. */
  httpBackends: Record<B, HttpBackendHandler>
  /** The services, wrapped: pass them as `aws: { services }`. */
  awsServices: Record<S, AwsServiceHandler>
  /** Every call so far, in the order the calls began (only functions' when no backend or service is recorded). */
  readonly calls: readonly ([B | S] extends [never] ? RecordedInvocation : RecordedCall)[]
  /** The calls of one function, backend or service. */
  callsOf(name: keyof F & string): RecordedInvocation[]
  callsOf(name: B | S): RecordedRequest[]
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

/** A call's record and its one-time `answer` (only the first answer counts, as with Lambda's runtime). */
function begin<R extends RecordedCall>(calls: RecordedCall[], fields: Omit<R, 'index' | 'settled' | 'outcome'>) {
  let settle!: () => void
  const record = {
    ...fields,
    index: calls.length,
    settled: new Promise<void>((resolve) => {
      settle = resolve
    }),
  } as R
  calls.push(record)
  const answer = (outcome: NonNullable<RecordedCall['outcome']>) => {
    if (record.outcome !== undefined) return
    record.outcome = outcome
    settle()
  }
  return { record, answer }
}

function wrapFunction(calls: RecordedCall[], name: string, handler: LambdaHandler): LambdaHandler {
  if (typeof handler !== 'function') throw new TypeError(`recordInvocations: functions.${name} is not a function`)
  const callbackStyle = handler.length >= 3
  const wrapped: LambdaHandler = (event, context, callback) => {
    const { answer } = begin<RecordedInvocation>(calls, { kind: 'function', name, event, context: contextFields(context) })
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
    if (isThenable(returned)) return settleWith(returned, answer)
    if (!callbackStyle) answer({ ok: true, value: returned })
    return returned
  }
  // Keep the declared arity: the gateway waits for the callback only of handlers that declare it.
  Object.defineProperty(wrapped, 'length', { value: handler.length })
  return wrapped
}

function settleWith<T>(returned: PromiseLike<T>, answer: (outcome: NonNullable<RecordedCall['outcome']>) => void): Promise<T> {
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

function wrapRequestHandler<Q extends HttpBackendRequest | AwsServiceRequest, A>(
  calls: RecordedCall[],
  kind: 'http' | 'aws',
  name: string,
  handler: (request: Q) => A,
): (request: Q) => A {
  const option = kind === 'http' ? 'httpBackends' : 'awsServices'
  if (typeof handler !== 'function') throw new TypeError(`recordInvocations: ${option}["${name}"] is not a function`)
  return (request) => {
    const text = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8')
    const { answer } = begin<RecordedRequest>(calls, { kind, name, event: { ...request, text } })
    let returned: A
    try {
      returned = handler(request)
    } catch (error) {
      answer({ ok: false, error })
      throw error
    }
    if (isThenable(returned)) return settleWith(returned, answer) as A
    answer({ ok: true, value: returned })
    return returned
  }
}

function wrapAll<H, W>(map: Record<string, H> | undefined, wrap: (name: string, handler: H) => W): Record<string, W> {
  const out: Record<string, W> = {}
  for (const [name, handler] of Object.entries(map ?? {})) out[name] = wrap(name, handler)
  return out
}

/**
 * Wrap each handler so every call's event (or request), context fields and answer (or error) are captured in call
 * order. Functions keep their way of answering: a returned promise, the callback or `context.done/succeed/fail`
 * (for a handler that declares the callback), or a plain returned value. HTTP backends and AWS services, when
 * given, are recorded in the same list.
 *
 * @example
 * ```ts
 * const rec = recordInvocations(
 *   { getPet: async (event) => ({ statusCode: 200, body: event.pathParameters.id }) },
 *   { httpBackends: { 'https://pets.example.com': () => ({ statusCode: 200, body: '[]' }) } },
 * )
 * const gw = createGateway({ api, functions: rec.functions, httpBackends: rec.httpBackends })
 * await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * rec.callsOf('getPet')[0].event.pathParameters // { id: '7' }
 * ```
 */
export function recordInvocations<F extends Record<string, LambdaHandler>, B extends string = never, S extends string = never>(
  functions: F,
  options: RecordOptions<B, S> = {},
): InvocationRecording<F, B, S> {
  const calls: RecordedCall[] = []
  return {
    functions: wrapAll(functions, (name, handler: LambdaHandler) => wrapFunction(calls, name, handler)) as F,
    httpBackends: wrapAll<HttpBackendHandler, HttpBackendHandler>(options.httpBackends, (name, h) =>
      wrapRequestHandler(calls, 'http', name, h),
    ),
    awsServices: wrapAll<AwsServiceHandler, AwsServiceHandler>(options.awsServices, (name, h) => wrapRequestHandler(calls, 'aws', name, h)),
    get calls() {
      return calls as never
    },
    callsOf: ((name: string) => calls.filter((c) => c.name === name)) as InvocationRecording<F, B, S>['callsOf'],
    clear: () => {
      calls.length = 0
    },
  }
}
