/**
 * In-process Lambda functions: resolving API Gateway's function URIs against the `functions` map, the Lambda
 * `context` object, and invocation with the integration timeout.
 */
import { GatewayConfigError } from '../errors'

/**
 * A Lambda handler: `async (event, context) => result`, or the callback style `(event, context, callback)`.
 * Handlers typed with `@types/aws-lambda` (`APIGatewayProxyHandler`, …) are assignable.
 *
 * @example
 * ```ts
 * import { createGateway, type LambdaHandler } from '@gatehousejs/core'
 * const getPet: LambdaHandler = async (event, context) => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ id: event.pathParameters.id, fn: context.functionName }),
 * })
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.body // '{"id":"7","fn":"getPet"}'
 * ```
 */
export type LambdaHandler = {
  // Method syntax on purpose: its parameters are compared both ways, so a handler written for one event (typed
  // `APIGatewayProxyEvent`, `ProxyEventV2`, `{ pathParameters: … }`) is assignable, while one whose event is not an
  // object (`(n: number) => …`) is not. The callback is required as @types/aws-lambda's `Handler` has it: the
  // gateway always passes one.
  handler(event: LambdaEvent, context: LambdaContext, callback: LambdaCallback): unknown
}['handler']

/**
 * The event a {@link LambdaHandler} receives, as the handler's own parameter type sees it: an object whose fields
 * are left untyped, so an inline handler reads `event.pathParameters.id` without a cast. Type your handler's
 * event with `ProxyEventV1` / `ProxyEventV2` (or @types/aws-lambda's types) to have them checked. The mapping
 * template of a non-proxy (`AWS`) integration may make any JSON value the event (`42`, `"text"`): a handler for
 * such an event declares it `unknown` (a handler declaring `number` or `string` does not compile).
 *
 * @example
 * ```ts
 * import { createGateway, type LambdaEvent } from '@gatehousejs/core'
 * const echo = async (event: LambdaEvent) => ({ statusCode: 200, body: JSON.stringify(event.queryStringParameters) })
 * const gw = createGateway({
 *   api: { resources: { '/echo': { GET: { integration: { type: 'AWS_PROXY', uri: 'echo' } } } } },
 *   functions: { echo },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/echo', query: 'a=1', headers: {} })
 * res.body // '{"a":"1"}'
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: `any` fields let untyped inline handlers read the event without casts
export type LambdaEvent = { [field: string]: any }
/**
 * The callback of a callback-style handler: `callback(error)` fails the invocation, `callback(null, result)` answers.
 *
 * @example
 * ```ts
 * import { createGateway, type LambdaCallback, type LambdaContext } from '@gatehousejs/core'
 * function getPet(event: { pathParameters: { id: string } }, _context: LambdaContext, callback: LambdaCallback) {
 *   callback(null, { statusCode: 200, body: JSON.stringify({ id: event.pathParameters.id }) })
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.body // '{"id":"7"}'
 * ```
 */
export type LambdaCallback = (error?: unknown, result?: unknown) => void

/**
 * The Lambda `context` object a handler receives.
 *
 * @example
 * ```ts
 * import { createGateway, type LambdaContext } from '@gatehousejs/core'
 * const whoAmI = async (_event: unknown, context: LambdaContext) => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ requestId: context.awsRequestId, arn: context.invokedFunctionArn }),
 * })
 * const gw = createGateway({
 *   api: { resources: { '/whoami': { GET: { integration: { type: 'AWS_PROXY', uri: 'whoAmI' } } } } },
 *   functions: { whoAmI },
 *   accountId: '111122223333',
 *   requestId: () => 'req-1',
 * })
 * const res = await gw.handle({ method: 'GET', path: '/whoami', headers: {} })
 * res.body // '{"requestId":"req-1","arn":"arn:aws:lambda:us-east-1:111122223333:function:whoAmI"}'
 * ```
 */
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

export type InvokeOutcome = { ok: true; value: unknown } | { ok: false; timeout: false; error: unknown } | { ok: false; timeout: true }

/**
 * One invocation: it is also the Lambda `context` the handler receives (methods on the prototype, so an
 * invocation allocates one object, not a dozen closures).
 */
class Invocation implements LambdaContext {
  readonly functionVersion = '$LATEST'
  readonly memoryLimitInMB = '128'
  callbackWaitsForEmptyEventLoop = true
  settled = false

  // What settling does: the promise's functions, and what the caller makes of the outcome (see `invoke`).
  readonly #resolve: (value: unknown) => void
  readonly #reject: (error: unknown) => void
  readonly #then: ((outcome: InvokeOutcome) => unknown) | undefined

  constructor(
    private readonly fn: ResolvedFunction,
    readonly awsRequestId: string,
    readonly deadline: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
    then: ((outcome: InvokeOutcome) => unknown) | undefined,
  ) {
    this.#resolve = resolve
    this.#reject = reject
    this.#then = then
  }

  get functionName(): string {
    return this.fn.name
  }
  get invokedFunctionArn(): string {
    return this.fn.arn
  }
  get logGroupName(): string {
    return `/aws/lambda/${this.fn.name}`
  }
  get logStreamName(): string {
    return `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]gatehouse`
  }
  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now())
  }
  // Neighbours in the list of pending invocations (see `sweep`). Private fields: this object is the handler's
  // `context`, and neither its keys nor its code may reach the list.
  #prev: Invocation | null = null
  #next: Invocation | null = null
  static #first: Invocation | null = null

  /** Join the pending invocations (the sweep times them out). */
  pend(): void {
    this.#next = Invocation.#first
    if (Invocation.#first !== null) Invocation.#first.#prev = this
    Invocation.#first = this
  }

  /** Time out every pending invocation past its deadline; whether any is still pending. */
  static sweep(now: number): boolean {
    for (let inv = Invocation.#first; inv !== null; ) {
      const next = inv.#next
      if (inv.deadline <= now) inv.settle({ ok: false, timeout: true })
      inv = next
    }
    return Invocation.#first !== null
  }

  settle(outcome: InvokeOutcome): void {
    if (this.settled) return
    this.settled = true
    // Leave the pending list (when it joined it): two assignments, where a Set would hash each invocation.
    if (this.#prev !== null) this.#prev.#next = this.#next
    else if (Invocation.#first === this) Invocation.#first = this.#next
    if (this.#next !== null) this.#next.#prev = this.#prev
    this.#prev = this.#next = null
    if (this.#then === undefined) return this.#resolve(outcome)
    try {
      this.#resolve(this.#then(outcome))
    } catch (error) {
      this.#reject(error)
    }
  }
  done(error?: unknown, result?: unknown): void {
    this.settle(error === undefined || error === null ? { ok: true, value: result } : { ok: false, timeout: false, error })
  }
  fail(error: unknown): void {
    this.done(error ?? new Error('fail'))
  }
  succeed(result: unknown): void {
    this.done(null, result)
  }
}

// Timeouts: one coarse sweep for every pending invocation instead of a timer each. It runs only while something
// is pending and never holds the process open. Pending invocations form a doubly linked list through themselves.
const SWEEP_MS = 10
let sweeper: ReturnType<typeof setInterval> | undefined

function sweep(): void {
  if (!Invocation.sweep(Date.now()) && sweeper !== undefined) {
    clearInterval(sweeper)
    sweeper = undefined
  }
}

const TIMED_OUT: InvokeOutcome = { ok: false, timeout: true }

/**
 * Invoke a handler with a fresh context; settle on its promise, its callback, or the timeout. With `then`, the
 * promise is of what `then` makes of the outcome, called as the invocation settles (a `.then` after it would cost
 * a promise and a turn of the queue); a throw from `then` rejects it.
 */
export function invoke(fn: ResolvedFunction, event: unknown, requestId: string, timeoutMs: number): Promise<InvokeOutcome>
export function invoke<T>(
  fn: ResolvedFunction,
  event: unknown,
  requestId: string,
  timeoutMs: number,
  then: (outcome: InvokeOutcome) => T,
): Promise<T>
export function invoke<T>(
  fn: ResolvedFunction,
  event: unknown,
  requestId: string,
  timeoutMs: number,
  then?: (outcome: InvokeOutcome) => T,
): Promise<T | InvokeOutcome> {
  return new Promise<T | InvokeOutcome>((resolve, reject) => {
    const inv = new Invocation(fn, requestId, Date.now() + timeoutMs, resolve as (value: unknown) => void, reject, then)
    try {
      // Every handler gets the callback, as Lambda's Node.js runtime passes it; only one that declares it is
      // waited for when it returns no promise.
      const callbackStyle = fn.handler.length >= 3
      // A non-proxy (`AWS`) integration's template may make any JSON value the event: handlers for such events type
      // it `unknown` (see LambdaEvent).
      const returned = fn.handler(event as LambdaEvent, inv, (error?: unknown, result?: unknown) => inv.done(error, result))
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        ;(returned as PromiseLike<unknown>).then(
          (value) => inv.settle({ ok: true, value }),
          (error) => inv.settle({ ok: false, timeout: false, error: error ?? new Error('rejected') }),
        )
      } else if (!callbackStyle) {
        inv.settle({ ok: true, value: returned })
      }
    } catch (error) {
      inv.settle({ ok: false, timeout: false, error })
    }
    if (!inv.settled) {
      if (timeoutMs <= 0) return inv.settle(TIMED_OUT)
      inv.pend()
      if (sweeper === undefined) {
        sweeper = setInterval(sweep, SWEEP_MS)
        sweeper.unref?.()
      }
    }
  })
}
