/**
 * API Gateway's GetUsage: a plan's daily `[used, remaining]` per key, read from the store's daily counts, with
 * the remaining quota counted from the start of each quota period.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html
 */
import { periodBounds, periodIndex } from '@gatehousejs/throttle'
import { bad, UsagePlanAdminError } from './admin-error'
import type { PlanRecord, RegistryCore } from './records'
import type { Usage } from './types'

const DAY_MS = 86_400_000
const MAX_USAGE_DAYS = 92

/**
 * The usage of `plan` for UTC days `startDate`…`endDate` (`YYYY-MM-DD`, at most 92 days).
 *
 * @example
 * ```ts
 * const usage = await readUsage(core, plan, '2026-01-01', '2026-01-31')
 * ```
 */
export async function readUsage(
  core: RegistryCore,
  plan: PlanRecord,
  startDate: string,
  endDate: string,
  opts: { keyId?: string } = {},
): Promise<Usage> {
  const planId = plan.id
  const from = parseDay(startDate, 'startDate')
  const to = parseDay(endDate, 'endDate')
  if (to < from) bad('endDate is before startDate')
  if (to - from + 1 > MAX_USAGE_DAYS) bad(`at most ${MAX_USAGE_DAYS} days of usage can be read at once`)
  const keyIds = opts.keyId !== undefined ? [opts.keyId] : [...plan.keys]
  if (opts.keyId !== undefined && !plan.keys.has(opts.keyId)) {
    throw new UsagePlanAdminError('NOT_FOUND', `API key "${opts.keyId}" is not in usage plan "${planId}"`)
  }
  const q = plan.quotaPolicy
  // Remaining is counted from the start of the quota period that contains the first day asked for.
  const firstDay = q
    ? Math.min(from, Math.floor(periodBounds(q.period, periodIndex(q.period, from * DAY_MS, q.weekStartsOn), q.weekStartsOn)[0] / DAY_MS))
    : from
  const items: Usage['items'] = {}
  for (const keyId of keyIds) {
    const raw = core.store.readUsage ? await core.store.readUsage(core.usageKey(planId, keyId), firstDay, to) : []
    const days: [number, number | null][] = []
    let period = -1
    let used = 0
    for (let d = firstDay; d <= to; d++) {
      const n = raw[d - firstDay] ?? 0
      if (q) {
        const p = periodIndex(q.period, d * DAY_MS, q.weekStartsOn)
        if (p !== period) {
          period = p
          used = 0
        }
        used += n
      }
      if (d < from) continue
      days.push([n, q ? Math.max(0, q.limit - (period === q.initialPeriod ? q.offset : 0) - used) : null])
    }
    items[keyId] = days
  }
  return { usagePlanId: planId, startDate, endDate, items }
}

function parseDay(s: string, what: string): number {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null
  if (!m) bad(`${what} must be YYYY-MM-DD`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const d = new Date(ms)
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
    bad(`${what} is not a date`)
  return ms / DAY_MS
}
