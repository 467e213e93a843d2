/**
 * A limit check whose store throws or rejects (a custom store's bug, a Redis client that fails outside the store's
 * own fail-open / fail-closed handling) is told to the operator's `onError` (stage `store`) and answers 503, as a
 * fail-closed store does — never a silent pass, never a stack trace to the client.
 */
import { failure, type GatewayFailure } from '../../gateway-responses'
import type { RequestState } from '../../state'
import type { Check } from '../limits'

const UNAVAILABLE = failure('DEFAULT_5XX', 'Service Unavailable', { status: 503 })

function isPromise(v: unknown): v is Promise<GatewayFailure | undefined> {
  return v !== null && typeof v === 'object' && typeof (v as Promise<unknown>).then === 'function'
}

/**
 * `check`, with a store failure reported and answered 503.
 *
 * @example
 * ```ts
 * const checks = [guardStore(take(store, policy, () => '', null))]
 * ```
 */
export function guardStore(check: Check): Check {
  const failed = (state: RequestState, error: unknown): GatewayFailure => {
    state.reportFailure(error, 'store', UNAVAILABLE.type)
    return UNAVAILABLE
  }
  return (state) => {
    let out: ReturnType<Check>
    try {
      out = check(state)
    } catch (error) {
      return failed(state, error)
    }
    return isPromise(out) ? out.then(undefined, (error: unknown) => failed(state, error)) : out
  }
}
