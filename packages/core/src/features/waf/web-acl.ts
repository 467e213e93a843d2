/**
 * The web ACL: rules compiled once and evaluated by `Priority` for each request. The first matching `Allow` or
 * `Block` rule decides, `Count` rules only report their match, and the default action decides the rest.
 * Rate-based rules count requests per client IP in fixed windows on the gateway's throttle `Store`.
 * https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
import { compileQuotaPolicy, type QuotaPolicy, type QuotaResult, type Store } from '@gatehousejs/throttle'
import { GatewayConfigError } from '../../errors'
import { isObject } from '../../json'
import type { RequestState } from '../../state'
import type { WafActionName } from './options'
import { compileStatement, type StatementContext } from './statements'

/** What the web ACL decided: let the request go on, block it, or (a store that could not decide and fails closed) 503. */
export type WafVerdict = 'ALLOW' | 'BLOCK' | 'UNAVAILABLE'

/** A rule's match for one request: a boolean, a promise of one (a Redis store), or `UNAVAILABLE`. */
type RuleMatch = boolean | 'UNAVAILABLE' | Promise<boolean | 'UNAVAILABLE'>

interface CompiledRule {
  name: string
  priority: number
  action: WafActionName
  match: (state: RequestState) => RuleMatch
}

export interface CompiledWebAcl {
  evaluate(state: RequestState): WafVerdict | Promise<WafVerdict>
}

const BODY_LIMITS = [16_384, 32_768, 49_152, 65_536]
const WINDOWS = [60, 120, 300, 600]
const MAX_RATE_LIMIT = 2_000_000_000

const fail = (message: string, at: string) => new GatewayConfigError('INVALID_OPTION', message, at)

function actionOf(value: unknown, at: string, allowed: readonly WafActionName[]): WafActionName {
  const names = allowed.map((a) => a[0] + a.slice(1).toLowerCase())
  if (!isObject(value) || Object.keys(value).length !== 1 || !names.includes(Object.keys(value)[0]!))
    throw fail(`the action must be one of ${names.map((n) => `{ ${n}: {} }`).join(', ')}`, at)
  const name = Object.keys(value)[0]!
  const body = value[name]
  if (!isObject(body) || Object.keys(body).length !== 0)
    throw fail(
      `${name} settings (custom requests and responses) are not supported: customise the WAF_FILTERED gateway response`,
      `${at}/${name}`,
    )
  return name.toUpperCase() as WafActionName
}

function isPromise<T>(v: unknown): v is Promise<T> {
  return v !== null && typeof v === 'object' && typeof (v as Promise<T>).then === 'function'
}

/**
 * A `RateBasedStatement` aggregated on the client IP: each request that passes the scope-down statement is counted
 * for its IP in the current fixed window of `EvaluationWindowSec` (aligned on the epoch; a window never crosses a
 * UTC day), and the rule matches once the count is over `Limit`. The count is a quota on the store, keyed by IP and
 * window, so a Redis store shares it between processes. A refused count counts nothing, which in a fixed window
 * changes no answer. The store keeps a key per (IP, window) until the UTC day ends (its quota period), bounded by
 * the memory store's `maxKeys`, whose forced evictions take the oldest keys first (past windows, never read again).
 */
function rateBased(rule: string, spec: unknown, at: string, ctx: StatementContext, store: () => Store, now: number): CompiledRule['match'] {
  if (!isObject(spec)) throw fail('RateBasedStatement must be an object', at)
  for (const key of Object.keys(spec))
    if (!['Limit', 'AggregateKeyType', 'EvaluationWindowSec', 'ScopeDownStatement'].includes(key))
      throw fail(`unknown or unsupported setting "${key}"`, `${at}/${key}`)
  const limit = spec.Limit
  if (!Number.isSafeInteger(limit) || (limit as number) < 10 || (limit as number) > MAX_RATE_LIMIT)
    throw fail(`Limit must be an integer from 10 to ${MAX_RATE_LIMIT}`, `${at}/Limit`)
  if ((spec.AggregateKeyType ?? 'IP') !== 'IP') throw fail('only AggregateKeyType IP is supported', `${at}/AggregateKeyType`)
  const windowSec = spec.EvaluationWindowSec ?? 300
  if (!WINDOWS.includes(windowSec as number)) throw fail('EvaluationWindowSec must be 60, 120, 300 or 600', `${at}/EvaluationWindowSec`)
  const windowMs = (windowSec as number) * 1000
  const scope = spec.ScopeDownStatement === undefined ? null : compileStatement(spec.ScopeDownStatement, `${at}/ScopeDownStatement`, ctx, 1)
  // A daily quota under a key that names the window: the count starts over with every window. The quota's name
  // names the rule and its settings: processes sharing a store share the counts, and a changed rule starts over.
  const name = `waf:${rule}:${limit}:${windowSec}`
  const policy: QuotaPolicy = compileQuotaPolicy({ limit: limit as number, period: 'DAY', name }, now)
  const counts = store()
  const judge = (r: QuotaResult): boolean | 'UNAVAILABLE' => (r.unavailable ? (r.allowed ? false : 'UNAVAILABLE') : !r.allowed)
  return (state) => {
    if (scope !== null && !scope(state)) return false
    const key = `${state.identity.sourceIp} ${Math.floor(state.epoch / windowMs)}`
    const r = counts.consume(key, policy, 1, state.epoch)
    return isPromise<QuotaResult>(r) ? r.then(judge) : judge(r)
  }
}

/**
 * Compiles the `waf` option into a web ACL; rate-based rules count on `store()` (asked for only when there is
 * one); `now` is the build time.
 *
 * @example
 * ```ts
 * const acl = compileWebAcl(input.waf, () => createMemoryStore(), Date.now())
 * acl.evaluate(state) // 'ALLOW' | 'BLOCK' | 'UNAVAILABLE' (or a promise of one with a Redis store)
 * ```
 */
export function compileWebAcl(waf: unknown, store: () => Store, now: number): CompiledWebAcl {
  if (!isObject(waf)) throw fail('`waf` must be a web ACL { defaultAction, rules }', '/waf')
  for (const key of Object.keys(waf))
    if (!['defaultAction', 'DefaultAction', 'rules', 'Rules', 'ipSets', 'bodyInspectionLimit', 'onMatch'].includes(key))
      throw fail(`unknown setting "${key}"`, `/waf/${key}`)
  const defaultKey = waf.defaultAction !== undefined ? 'defaultAction' : 'DefaultAction'
  const rulesKey = waf.rules !== undefined ? 'rules' : 'Rules'
  if (waf.defaultAction !== undefined && waf.DefaultAction !== undefined) throw fail('give defaultAction once', '/waf/DefaultAction')
  if (waf.rules !== undefined && waf.Rules !== undefined) throw fail('give rules once', '/waf/Rules')
  const defaultAction = actionOf(waf[defaultKey], `/waf/${defaultKey}`, ['ALLOW', 'BLOCK'])
  const bodyLimit = waf.bodyInspectionLimit ?? 16_384
  if (!BODY_LIMITS.includes(bodyLimit as number))
    throw fail('bodyInspectionLimit must be 16384, 32768, 49152 or 65536', '/waf/bodyInspectionLimit')
  const ipSets = waf.ipSets ?? {}
  if (!isObject(ipSets)) throw fail('ipSets must map IP set ARNs to lists of CIDR blocks', '/waf/ipSets')
  const onMatch = waf.onMatch
  if (onMatch !== undefined && typeof onMatch !== 'function') throw fail('onMatch must be a function', '/waf/onMatch')
  const ctx: StatementContext = { bodyLimit: bodyLimit as number, ipSets: ipSets as Record<string, readonly string[]> }
  const list = waf[rulesKey] ?? []
  if (!Array.isArray(list)) throw fail('rules must be a list of rules', `/waf/${rulesKey}`)
  const names = new Set<string>()
  const priorities = new Set<number>()
  const rules: CompiledRule[] = list.map((rule, i) => {
    const at = `/waf/${rulesKey}/${i}`
    if (!isObject(rule)) throw fail('a rule is { Name, Priority, Action, Statement }', at)
    for (const key of Object.keys(rule))
      if (!['Name', 'Priority', 'Action', 'Statement', 'VisibilityConfig'].includes(key))
        throw fail(`unknown or unsupported rule setting "${key}"`, `${at}/${key}`)
    const { Name: name, Priority: priority } = rule
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) throw fail('Name must be 1 to 128 characters', `${at}/Name`)
    if (names.has(name)) throw fail(`two rules are named "${name}"`, `${at}/Name`)
    names.add(name)
    if (!Number.isSafeInteger(priority) || (priority as number) < 0) throw fail('Priority must be an integer >= 0', `${at}/Priority`)
    if (priorities.has(priority as number)) throw fail('rule priorities must all be different', `${at}/Priority`)
    priorities.add(priority as number)
    const action = actionOf(rule.Action, `${at}/Action`, ['ALLOW', 'BLOCK', 'COUNT'])
    const statement = rule.Statement
    const match: CompiledRule['match'] =
      isObject(statement) && Object.keys(statement).length === 1 && 'RateBasedStatement' in statement
        ? rateBased(name, statement.RateBasedStatement, `${at}/Statement/RateBasedStatement`, ctx, store, now)
        : compileStatement(statement, `${at}/Statement`, ctx, 0)
    return { name, priority: priority as number, action, match }
  })
  rules.sort((a, b) => a.priority - b.priority)
  const report = onMatch as ((name: string, action: WafActionName) => void) | undefined

  const run = (state: RequestState, from: number): WafVerdict | Promise<WafVerdict> => {
    for (let i = from; i < rules.length; i++) {
      const rule = rules[i]!
      const m = rule.match(state)
      if (isPromise<boolean | 'UNAVAILABLE'>(m)) return m.then((r) => decide(state, rule, r) ?? run(state, i + 1))
      const verdict = decide(state, rule, m)
      if (verdict !== undefined) return verdict
    }
    return defaultAction === 'BLOCK' ? 'BLOCK' : 'ALLOW'
  }
  const decide = (_state: RequestState, rule: CompiledRule, m: boolean | 'UNAVAILABLE'): WafVerdict | undefined => {
    if (m === 'UNAVAILABLE') return 'UNAVAILABLE'
    if (!m) return undefined
    report?.(rule.name, rule.action)
    return rule.action === 'COUNT' ? undefined : rule.action
  }
  return { evaluate: (state) => run(state, 0) }
}
