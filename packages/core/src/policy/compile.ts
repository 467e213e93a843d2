/**
 * Validates a policy document once, at build time, and compiles its statements into closures.
 */
import { compileConditions, type ConditionTest } from './conditions'
import { PolicyError } from './errors'
import { compileWildcard } from './wildcard'
import type { PolicyDocument, PolicyPrincipal, RequestPrincipal } from './types'
import type { ContextMap } from './conditions'

/**
 * One statement, ready to test: its action, resource, principal and condition matchers.
 *
 * @example
 * ```ts
 * import { compilePolicy, type CompiledStatement } from '@gatehousejs/core/policy'
 * const policy = compilePolicy({
 *   Version: '2012-10-17',
 *   Statement: [{ Sid: 'ReadPets', Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/GET/pets*' }],
 * })
 * const statement: CompiledStatement = policy.statements[0]!
 * statement.sid // 'ReadPets'
 * statement.resource('arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets/7') // true
 * statement.resource('arn:aws:execute-api:us-east-1:111122223333:abc123/prod/DELETE/pets/7') // false
 * ```
 */
export interface CompiledStatement {
  readonly index: number
  readonly sid?: string
  readonly effect: 'Allow' | 'Deny'
  readonly action: (action: string) => boolean
  readonly resource: (resource: string) => boolean
  readonly principal?: (principal: RequestPrincipal | null | undefined) => boolean
  readonly condition?: ConditionTest
}

/**
 * A validated, compiled policy. Build it once with {@link compilePolicy}; evaluate it per request.
 *
 * @example
 * ```ts
 * import { compilePolicy, evaluatePolicy, type CompiledPolicy } from '@gatehousejs/core/policy'
 * const policy: CompiledPolicy = compilePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' } })
 * policy.kind // 'identity'
 * policy.statements.length // 1
 * // Compiled once, evaluated for every request.
 * evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets' }).decision // 'ALLOW'
 * ```
 */
export interface CompiledPolicy {
  readonly kind: 'identity' | 'resource'
  readonly statements: readonly CompiledStatement[]
  readonly document: PolicyDocument
}

/**
 * Options of {@link compilePolicy}.
 *
 * @example
 * ```ts
 * import { compilePolicy, PolicyError, type CompilePolicyOptions } from '@gatehousejs/core/policy'
 * const asResourcePolicy: CompilePolicyOptions = { kind: 'resource' }
 * try {
 *   // A resource policy must say whom it applies to.
 *   compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }, asResourcePolicy)
 * } catch (e) {
 *   if (!(e instanceof PolicyError)) throw e
 *   e.code // 'INVALID_POLICY'
 * }
 * ```
 */
export interface CompilePolicyOptions {
  /**
   * `identity` (IAM user/role policies, Lambda authorizer output): no `Principal` allowed. `resource`
   * (API Gateway resource policy): every statement needs `Principal` or `NotPrincipal`. Default: `resource`
   * when some statement names a principal, else `identity`.
   */
  kind?: 'identity' | 'resource'
}

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
])
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement'])

function fail(message: string): never {
  throw new PolicyError('INVALID_POLICY', message)
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) fail(`${where} must not be empty`)
  for (const v of list) if (typeof v !== 'string' || v === '') fail(`${where} must be a non-empty string or a list of them`)
  return list as string[]
}

function anyOf(patterns: string[], ignoreCase: boolean): (v: string) => boolean {
  const tests = patterns.map((p) => compileWildcard(p, ignoreCase))
  if (tests.length === 1) return tests[0]!
  return (v) => {
    for (const t of tests) if (t(v)) return true
    return false
  }
}

const ACCOUNT_RE = /^\d{12}$/
const ROOT_RE = /^arn:aws[\w-]*:iam::(\d{12}):root$/
const ROLE_RE = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/

function compilePrincipal(value: unknown, where: string): (p: RequestPrincipal | null | undefined) => boolean {
  if (value === '*') return () => true
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${where} must be "*" or an object like {"AWS": …}`)
  const tests: ((p: RequestPrincipal | null | undefined) => boolean)[] = []
  for (const [type, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) fail(`${where} has an unknown principal type '${type}'`)
    for (const v of stringList(raw, `${where}.${type}`)) {
      if (v === '*') {
        tests.push(() => true)
        continue
      }
      // Only IAM principals call an API in-process; other principal types can only match "*".
      if (type !== 'AWS') continue
      if (v.includes('*') || v.includes('?'))
        fail(`${where}.AWS: wildcards are not allowed in a principal ('${v}'); use "*" or a condition`)
      const root = ROOT_RE.exec(v)
      const account = ACCOUNT_RE.test(v) ? v : root ? root[1] : undefined
      if (account !== undefined) {
        tests.push((p) => !!p && p.accountId === account)
        continue
      }
      if (!v.startsWith('arn:')) fail(`${where}.AWS: '${v}' is neither an account id nor an ARN`)
      const role = ROLE_RE.exec(v)
      if (role) {
        // A role matches its own ARN and every session of it.
        const sessionPrefix = `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/`
        tests.push((p) => !!p && (p.arn === v || p.arn.startsWith(sessionPrefix)))
      } else {
        tests.push((p) => !!p && p.arn === v)
      }
    }
  }
  return (p) => {
    for (const t of tests) if (t(p)) return true
    return false
  }
}

/**
 * Validates a policy document and compiles it. Throws {@link PolicyError} (`INVALID_POLICY`) naming the
 * problem and its place: unknown elements, a bad `Effect`, both or neither of `Action`/`NotAction`, an
 * unknown condition operator, a CIDR that does not parse, a principal in an identity policy, …
 *
 * @example
 * ```ts
 * import { compilePolicy, evaluatePolicy } from '@gatehousejs/core/policy'
 * const policy = compilePolicy({
 *   Version: '2012-10-17',
 *   Statement: [
 *     {
 *       Effect: 'Allow',
 *       Principal: '*',
 *       Action: 'execute-api:Invoke',
 *       Resource: 'arn:aws:execute-api:*:*:abc123/*',
 *       Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
 *     },
 *   ],
 * })
 * policy.kind // 'resource'
 * const request = (ip: string) => ({ action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets', context: { 'aws:SourceIp': ip } })
 * evaluatePolicy(policy, request('192.0.2.7'), { source: 'resource' }).decision // 'ALLOW'
 * evaluatePolicy(policy, request('203.0.113.9'), { source: 'resource' }).decision // 'IMPLICIT_DENY'
 * ```
 */
export function compilePolicy(document: PolicyDocument | string, options: CompilePolicyOptions = {}): CompiledPolicy {
  let doc: unknown = document
  if (typeof document === 'string') {
    try {
      doc = JSON.parse(document)
    } catch (err) {
      fail(`policy is not valid JSON: ${(err as Error).message}`)
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail('policy must be a JSON object')
  const d = doc as Record<string, unknown>
  for (const k of Object.keys(d)) if (!DOCUMENT_KEYS.has(k)) fail(`policy has an unknown element '${k}'`)
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    fail(`Version must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(d.Version)}`)
  }
  if (d.Statement === undefined) fail('policy has no Statement')
  const raw = Array.isArray(d.Statement) ? d.Statement : [d.Statement]
  const namesPrincipal = raw.some((s) => s && typeof s === 'object' && ('Principal' in s || 'NotPrincipal' in s))
  const kind = options.kind ?? (namesPrincipal ? 'resource' : 'identity')

  const statements = raw.map((s, index): CompiledStatement => {
    const where = `Statement[${index}]`
    if (s === null || typeof s !== 'object' || Array.isArray(s)) fail(`${where} must be an object`)
    const st = s as Record<string, unknown>
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) fail(`${where} has an unknown element '${k}'`)
    if (st.Sid !== undefined && typeof st.Sid !== 'string') fail(`${where}.Sid must be a string`)
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') fail(`${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(st.Effect)}`)
    if ((st.Action === undefined) === (st.NotAction === undefined)) fail(`${where} needs exactly one of Action and NotAction`)
    if ((st.Resource === undefined) === (st.NotResource === undefined)) fail(`${where} needs exactly one of Resource and NotResource`)
    if (st.Principal !== undefined && st.NotPrincipal !== undefined) fail(`${where} cannot have both Principal and NotPrincipal`)
    const hasPrincipal = st.Principal !== undefined || st.NotPrincipal !== undefined
    if (kind === 'identity' && hasPrincipal) fail(`${where}: an identity policy cannot name a Principal`)
    if (kind === 'resource' && !hasPrincipal) fail(`${where}: a resource policy statement needs a Principal`)

    // Actions are case-insensitive in IAM; resources (ARNs) are case-sensitive.
    const actionTest =
      st.Action !== undefined
        ? anyOf(stringList(st.Action, `${where}.Action`), true)
        : negate(anyOf(stringList(st.NotAction, `${where}.NotAction`), true))
    const resourceTest =
      st.Resource !== undefined
        ? anyOf(stringList(st.Resource, `${where}.Resource`), false)
        : negate(anyOf(stringList(st.NotResource, `${where}.NotResource`), false))
    let principal: CompiledStatement['principal']
    if (st.Principal !== undefined) principal = compilePrincipal(st.Principal, `${where}.Principal`)
    else if (st.NotPrincipal !== undefined) {
      const inner = compilePrincipal(st.NotPrincipal as PolicyPrincipal, `${where}.NotPrincipal`)
      principal = (p) => !inner(p)
    }
    const condition = compileConditions(st.Condition, `${where}.Condition`)
    return {
      index,
      effect: st.Effect,
      action: actionTest,
      resource: resourceTest,
      ...(st.Sid !== undefined ? { sid: st.Sid as string } : {}),
      ...(principal ? { principal } : {}),
      ...(condition ? { condition } : {}),
    }
  })
  return { kind, statements, document: doc as PolicyDocument }
}

function negate(f: (v: string) => boolean): (v: string) => boolean {
  return (v) => !f(v)
}

/** Whether a statement applies to the request. */
export function statementApplies(
  s: CompiledStatement,
  action: string,
  resource: string,
  principal: RequestPrincipal | null | undefined,
  ctx: ContextMap,
): boolean {
  if (!s.action(action) || !s.resource(resource)) return false
  if (s.principal && !s.principal(principal)) return false
  return !s.condition || s.condition(ctx)
}
