/**
 * Observers of a gateway's requests: what access logs, metrics, tracing and execution logs are built on. A feature
 * returns its observer from `observe(gateway)` (features/types.ts) when the gateway needs it; the pipeline hands
 * each answered request to the gateway's one observer, made of theirs (`combineObservers`). A gateway without
 * observers pays nothing: no timing, no call.
 */
import type { RequestState, StageTiming } from './state'
import type { GatewayResponse } from './types'

export type { StageTiming }

/** Told of every answered request, once, after its response is made (a request handed to the host app is not). */
export interface RequestObserver {
  /** Ask the pipeline to time each stage of every request (`state.timings`): tracing needs it, counters do not. */
  readonly timings?: boolean
  /** The request's state and the response it got. Must not throw: an observer reports its own failures. */
  done(state: RequestState, response: GatewayResponse): void
}

/**
 * One observer made of several (null for none; the one itself for one).
 *
 * @example
 * ```ts
 * const observer = combineObservers([accessLog, metrics])
 * observer?.done(state, response)
 * ```
 */
export function combineObservers(observers: readonly (RequestObserver | null | undefined)[]): RequestObserver | null {
  const list = observers.filter((o): o is RequestObserver => o != null)
  if (list.length === 0) return null
  if (list.length === 1) return list[0]!
  const timings = list.some((o) => o.timings === true)
  return {
    timings,
    done(state, response) {
      for (const o of list) o.done(state, response)
    },
  }
}

/**
 * When a request was answered, on its gateway's clock: read once for every observer told of it (a clock read costs
 * about 0.1 µs), or the integration's end when nothing ran after it (pipeline.ts).
 *
 * @example
 * ```ts
 * const latency = answeredAt(state) - state.epoch
 * ```
 */
export function answeredAt(state: RequestState): number {
  return (state.answeredAt ??= state.api.now())
}
