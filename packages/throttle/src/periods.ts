import { ThrottleError } from './errors'
import type { QuotaPeriod, QuotaPolicy } from './types'

const DAY_MS = 86_400_000

/**
 * The index of the period containing `now` (epoch ms, UTC): days since the epoch, weeks since the epoch's first
 * `weekStartsOn`, or `year * 12 + month`.
 *
 * @example
 * ```ts
 * import { periodIndex } from '@gatehousejs/throttle'
 * periodIndex('MONTH', Date.UTC(2024, 1, 10), 0) // 2024 * 12 + 1
 * ```
 */
export function periodIndex(period: QuotaPeriod, now: number, weekStartsOn = 0): number {
  const day = Math.floor(now / DAY_MS)
  if (period === 'DAY') return day
  // 1970-01-01 was a Thursday (weekday 4).
  if (period === 'WEEK') return Math.floor((day + 4 - weekStartsOn) / 7)
  const d = new Date(now)
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

/**
 * Start (inclusive) and end (exclusive) of period `index`, in epoch ms.
 *
 * @example
 * ```ts
 * import { periodBounds } from '@gatehousejs/throttle'
 * const [start, end] = periodBounds('DAY', 19_000, 0) // one UTC day
 * ```
 */
export function periodBounds(period: QuotaPeriod, index: number, weekStartsOn = 0): [number, number] {
  if (period === 'DAY') return [index * DAY_MS, (index + 1) * DAY_MS]
  if (period === 'WEEK') {
    const first = index * 7 - 4 + weekStartsOn
    return [first * DAY_MS, (first + 7) * DAY_MS]
  }
  const year = Math.floor(index / 12)
  const month = index - year * 12
  return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)]
}

/**
 * Options of {@link compileQuotaPolicy} and `createQuota`, named as in API Gateway's `QuotaSettings`.
 *
 * @example
 * ```ts
 * import { createQuota } from '@gatehousejs/throttle'
 * // A usage plan's QuotaSettings { limit: 5000, period: 'MONTH', offset: 100 }, in force since 10 January 2025.
 * const quota = createQuota({ limit: 5000, period: 'MONTH', offset: 100, startedAt: Date.UTC(2025, 0, 10), now: () => Date.UTC(2025, 0, 20) })
 * quota.consume('api-key-1', 0).limit // 4900 in January 2025, the initial period; 5000 from February
 * ```
 */
export interface QuotaOptions {
  /** Requests allowed per period. */
  limit: number
  period: QuotaPeriod
  /** Requests subtracted from `limit` in the initial period (AWS's current `QuotaSettings.offset`). Default 0. */
  offset?: number
  /** When the quota (usage plan) took effect, epoch ms; its period is the initial one. Default: now. */
  startedAt?: number
  /** First day of a `WEEK`: 0 = Sunday (default) … 6 = Saturday. */
  weekStartsOn?: number
  /** Namespace for this quota's keys in a shared store; quotas sharing a store need distinct names. Default `q`. */
  name?: string
}

/**
 * Validates a quota's options into a {@link QuotaPolicy}.
 *
 * @throws {ThrottleError} `INVALID_QUOTA`.
 * @example
 * ```ts
 * import { compileQuotaPolicy } from '@gatehousejs/throttle'
 * const policy = compileQuotaPolicy({ limit: 100, period: 'WEEK', offset: 10 }, Date.now())
 * ```
 */
export function compileQuotaPolicy(options: QuotaOptions, now: number): QuotaPolicy {
  const { limit, period } = options
  const offset = options.offset ?? 0
  const weekStartsOn = options.weekStartsOn ?? 0
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new ThrottleError('INVALID_QUOTA', `limit must be an integer >= 0, got ${String(limit)}`)
  }
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') {
    throw new ThrottleError('INVALID_QUOTA', `period must be DAY, WEEK or MONTH, got ${String(period)}`)
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || (offset > 0 && offset >= limit)) {
    throw new ThrottleError('INVALID_QUOTA', `offset must be an integer in [0, limit), got ${String(offset)}`)
  }
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
    throw new ThrottleError('INVALID_QUOTA', `weekStartsOn must be 0..6, got ${String(weekStartsOn)}`)
  }
  const startedAt = options.startedAt ?? now
  if (!Number.isFinite(startedAt)) throw new ThrottleError('INVALID_QUOTA', 'startedAt must be epoch milliseconds')
  return Object.freeze({
    name: options.name ?? 'q',
    limit,
    offset,
    period,
    weekStartsOn,
    initialPeriod: periodIndex(period, startedAt, weekStartsOn),
  })
}
