/**
 * Assertions usable from any runner (they throw node:assert's AssertionError), and vitest / jest matchers built
 * on them.
 */
import { AssertionError } from 'node:assert'
import { GATEWAY_RESPONSE_DEFAULTS, type GatewayResponse, type GatewayResponseType } from '@gatehousejs/core'
import type { RecordedCall } from './invocations'

/** A response as `handle`, `testInvoke` or `request()` gives it. */
export type AnyResponse = Pick<GatewayResponse, 'statusCode' | 'headers' | 'body'>

export interface GatewayResponseExpectation {
  /** When the status differs from the type's default (e.g. a failed Lambda proxy integration's 502). */
  status?: number
  /** When the message differs from the type's default. */
  message?: string
}

const DEFAULTS: Record<GatewayResponseType, { status: number; message: string; errorType: string }> = {
  ...GATEWAY_RESPONSE_DEFAULTS,
  DEFAULT_4XX: { status: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
}

function header(res: AnyResponse, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() === lower) return Array.isArray(v) ? v.join(', ') : v
  return undefined
}

function text(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body)
}

/** What is wrong with `res` as a default gateway response of `type` (empty when nothing is). */
export function gatewayResponseProblems(res: AnyResponse, type: GatewayResponseType, expected: GatewayResponseExpectation = {}): string[] {
  const d = DEFAULTS[type]
  if (d === undefined) return [`unknown gateway response type ${String(type)}`]
  const problems: string[] = []
  const status = expected.status ?? d.status
  const message = expected.message ?? d.message
  if (res.statusCode !== status) problems.push(`status ${res.statusCode}, expected ${status}`)
  const errorType = header(res, 'x-amzn-ErrorType')
  if (errorType !== d.errorType) problems.push(`x-amzn-ErrorType ${String(errorType)}, expected ${d.errorType}`)
  const body = text(res.body)
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  const got = parsed !== null && typeof parsed === 'object' ? (parsed as { message?: unknown }).message : undefined
  if (got !== message) problems.push(`body ${body.slice(0, 200)}, expected {"message":${JSON.stringify(message)}}`)
  return problems
}

/**
 * Assert that `res` is API Gateway's default answer of `type` (REST): its status, `x-amzn-ErrorType` and
 * `{"message": …}` body, from core's `GATEWAY_RESPONSE_DEFAULTS`.
 *
 * @example
 * ```ts
 * assertGatewayResponse(await gw.handle(req), 'THROTTLED') // 429 {"message":"Too Many Requests"}
 * ```
 */
export function assertGatewayResponse(res: AnyResponse, type: GatewayResponseType, expected?: GatewayResponseExpectation): void {
  const problems = gatewayResponseProblems(res, type, expected)
  if (problems.length > 0)
    throw new AssertionError({
      message: `not a ${type} gateway response: ${problems.join('; ')}`,
      actual: res.statusCode,
      expected: type,
      operator: 'gatewayResponse',
    })
}

/** Anything carrying recorded calls: a recording from `recordInvocations`, or its `calls`. */
export type CallSource<C extends RecordedCall = RecordedCall> = { readonly calls: readonly C[] } | readonly C[]

function callsOf<C extends RecordedCall>(source: CallSource<C>): readonly C[] {
  return Array.isArray(source) ? source : (source as { calls: readonly C[] }).calls
}

/**
 * Whether `actual` has every field of `expected` (recursively; arrays compared element by element, same length).
 * An expected value with an `asymmetricMatch` method (vitest's / jest's `expect.any(…)`) decides for itself; a
 * RegExp matches strings.
 */
export function matchesSubset(actual: unknown, expected: unknown): boolean {
  if (
    expected !== null &&
    typeof expected === 'object' &&
    typeof (expected as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  )
    return (expected as { asymmetricMatch(v: unknown): boolean }).asymmetricMatch(actual)
  if (expected instanceof RegExp)
    return typeof actual === 'string' ? expected.test(actual) : actual instanceof RegExp && String(actual) === String(expected)
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesSubset(actual[i], e))
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false
    return Object.entries(expected).every(([k, v]) => Object.hasOwn(actual, k) && matchesSubset((actual as Record<string, unknown>)[k], v))
  }
  return Object.is(actual, expected)
}

/**
 * The calls of `name` (a function, a backend's origin, a service) whose event or request has every field of `event`
 * (all calls of `name` without one).
 */
export function findInvocations<C extends RecordedCall>(source: CallSource<C>, name: string, event?: unknown): C[] {
  return callsOf(source).filter((c) => c.name === name && (event === undefined || matchesSubset(c.event, event)))
}

/**
 * Assert that function, backend or service `name` was called (with an event or request having every field of
 * `event`, when given); returns the first such call.
 *
 * @example
 * ```ts
 * assertInvoked(rec, 'getPet', { pathParameters: { id: '7' } })
 * assertInvoked(rec, 'https://pets.example.com', { method: 'POST', path: '/pets' })
 * ```
 */
export function assertInvoked<C extends RecordedCall>(source: CallSource<C>, name: string, event?: unknown): C {
  const found = findInvocations(source, name, event)
  if (found.length === 0) {
    const names = callsOf(source).map((c) => c.name)
    throw new AssertionError({
      message: `expected ${name} to have been invoked${event === undefined ? '' : ` with an event matching ${JSON.stringify(event)}`}; calls: ${names.length === 0 ? 'none' : names.join(', ')}`,
      actual: names,
      expected: name,
      operator: 'invoked',
    })
  }
  return found[0]!
}

interface MatcherResult {
  pass: boolean
  message: () => string
}

/**
 * Matchers for vitest and jest: `expect.extend(gatehouseMatchers)`, then
 * `expect(res).toBeGatewayResponse('THROTTLED')` and `expect(recording).toHaveInvoked('getPet', { … })`.
 */
export const gatehouseMatchers = {
  toBeGatewayResponse(received: AnyResponse, type: GatewayResponseType, expected?: GatewayResponseExpectation): MatcherResult {
    const problems = gatewayResponseProblems(received, type, expected)
    return {
      pass: problems.length === 0,
      message: () =>
        problems.length === 0
          ? `expected the response not to be a ${type} gateway response`
          : `expected a ${type} gateway response: ${problems.join('; ')}`,
    }
  },
  toHaveInvoked(received: CallSource, name: string, event?: unknown): MatcherResult {
    const found = findInvocations(received, name, event)
    const what = `${name}${event === undefined ? '' : ` with an event matching ${JSON.stringify(event)}`}`
    return {
      pass: found.length > 0,
      message: () =>
        found.length > 0
          ? `expected ${what} not to have been invoked (${found.length} call(s) did)`
          : `expected ${what} to have been invoked; calls: ${
              callsOf(received)
                .map((c) => c.name)
                .join(', ') || 'none'
            }`,
    }
  },
}

/** The matchers' types, to add to vitest's `Assertion` or jest's `Matchers` (see the README). */
export interface GatehouseMatchers<R = unknown> {
  toBeGatewayResponse(type: GatewayResponseType, expected?: GatewayResponseExpectation): R
  toHaveInvoked(name: string, event?: unknown): R
}
