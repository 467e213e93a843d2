/**
 * The `Condition` element: operators users write in API Gateway policies, with `…IfExists` and the
 * `ForAnyValue:` / `ForAllValues:` set qualifiers. Compiled once into closures over the request context.
 */
import { PolicyError } from './errors'
import { inBlock, type IpBlock, parseCidr, parseIp } from './ip'
import { compileWildcard } from './wildcard'
import { toText } from '../errors'

/** Request context values by lower-cased key (condition keys are case-insensitive). */
export type ContextMap = Map<string, string[]>

/** A compiled condition block: true when every operator, key and value test passes. */
export type ConditionTest = (ctx: ContextMap) => boolean

interface Operator {
  negated: boolean
  /** Prepares one policy value; throws a message string when invalid. */
  prepare: (value: string) => unknown
  /** Whether one context value matches one prepared policy value. */
  test: (ctxValue: string, policyValue: unknown) => boolean
}

const num = (v: string): number => {
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n)) throw `'${v}' is not a number`
  return n
}

/** Dates as IAM takes them: ISO 8601 text or epoch seconds. */
export function parseDateValue(v: string): number {
  if (/^-?\d+$/.test(v.trim())) return Number(v) * 1000
  return Date.parse(v)
}

const date = (v: string): number => {
  const t = parseDateValue(v)
  if (!Number.isFinite(t)) throw `'${v}' is not a date`
  return t
}

const cmp = (parse: (v: string) => number, f: (a: number, b: number) => boolean) => (ctx: string, p: unknown) => {
  let a: number
  try {
    a = parse(ctx)
  } catch {
    return false
  }
  return Number.isFinite(a) && f(a, p as number)
}

const eq = (a: number, b: number) => a === b
const lt = (a: number, b: number) => a < b
const le = (a: number, b: number) => a <= b
const gt = (a: number, b: number) => a > b
const ge = (a: number, b: number) => a >= b

const stringEq: Pick<Operator, 'prepare' | 'test'> = { prepare: (v) => v, test: (c, p) => c === p }
const stringEqIc: Pick<Operator, 'prepare' | 'test'> = { prepare: (v) => v.toLowerCase(), test: (c, p) => c.toLowerCase() === p }
const like: Pick<Operator, 'prepare' | 'test'> = { prepare: (v) => compileWildcard(v), test: (c, p) => (p as (s: string) => boolean)(c) }
const ip: Pick<Operator, 'prepare' | 'test'> = {
  prepare: (v) => {
    const block = parseCidr(v)
    if (!block) throw `'${v}' is not an IP address or CIDR block`
    return block
  },
  test: (c, p) => {
    const addr = parseIp(c)
    return addr !== undefined && inBlock(addr, p as IpBlock)
  },
}
const bool: Pick<Operator, 'prepare' | 'test'> = {
  prepare: (v) => {
    const l = v.toLowerCase()
    if (l !== 'true' && l !== 'false') throw `'${v}' is not a boolean`
    return l
  },
  test: (c, p) => c.toLowerCase() === p,
}
const numeric = (f: (a: number, b: number) => boolean): Pick<Operator, 'prepare' | 'test'> => ({ prepare: num, test: cmp(num, f) })
const dates = (f: (a: number, b: number) => boolean): Pick<Operator, 'prepare' | 'test'> => ({
  prepare: date,
  test: cmp(parseDateValue, f),
})

const OPERATORS: Record<string, Operator> = {
  StringEquals: { negated: false, ...stringEq },
  StringNotEquals: { negated: true, ...stringEq },
  StringEqualsIgnoreCase: { negated: false, ...stringEqIc },
  StringNotEqualsIgnoreCase: { negated: true, ...stringEqIc },
  StringLike: { negated: false, ...like },
  StringNotLike: { negated: true, ...like },
  NumericEquals: { negated: false, ...numeric(eq) },
  NumericNotEquals: { negated: true, ...numeric(eq) },
  NumericLessThan: { negated: false, ...numeric(lt) },
  NumericLessThanEquals: { negated: false, ...numeric(le) },
  NumericGreaterThan: { negated: false, ...numeric(gt) },
  NumericGreaterThanEquals: { negated: false, ...numeric(ge) },
  DateEquals: { negated: false, ...dates(eq) },
  DateNotEquals: { negated: true, ...dates(eq) },
  DateLessThan: { negated: false, ...dates(lt) },
  DateLessThanEquals: { negated: false, ...dates(le) },
  DateGreaterThan: { negated: false, ...dates(gt) },
  DateGreaterThanEquals: { negated: false, ...dates(ge) },
  Bool: { negated: false, ...bool },
  IpAddress: { negated: false, ...ip },
  NotIpAddress: { negated: true, ...ip },
  ArnEquals: { negated: false, ...like },
  ArnLike: { negated: false, ...like },
  ArnNotEquals: { negated: true, ...like },
  ArnNotLike: { negated: true, ...like },
}

/**
 * The condition operator names this engine knows (without `IfExists` and set qualifiers): e.g. to check a
 * policy from elsewhere before compiling it.
 *
 * @example
 * ```ts
 * import { CONDITION_OPERATORS } from '@gatehousejs/core/policy'
 * CONDITION_OPERATORS.includes('IpAddress') // true
 * CONDITION_OPERATORS.includes('StringLikeIfExists') // false — the base name is listed: StringLike
 * const condition = { StringEquals: { 'aws:PrincipalAccount': '111122223333' }, GeoMatch: { country: 'NZ' } }
 * Object.keys(condition).filter((op) => !CONDITION_OPERATORS.includes(op)) // ['GeoMatch']
 * ```
 */
export const CONDITION_OPERATORS: readonly string[] = [...Object.keys(OPERATORS), 'Null']

function scalarList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new PolicyError('INVALID_POLICY', `${where} must have at least one value`)
  return list.map((v) => {
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    throw new PolicyError('INVALID_POLICY', `${where} values must be strings, numbers or booleans`)
  })
}

function compileKeyTest(opName: string, key: string, raw: unknown, where: string): ConditionTest {
  let name = opName
  let qualifier: 'any' | 'all' | undefined
  if (name.startsWith('ForAnyValue:')) {
    qualifier = 'any'
    name = name.slice('ForAnyValue:'.length)
  } else if (name.startsWith('ForAllValues:')) {
    qualifier = 'all'
    name = name.slice('ForAllValues:'.length)
  }
  const lowerKey = key.toLowerCase()
  const values = scalarList(raw, where)

  if (name === 'Null') {
    const wanted = values.map((v) => {
      const l = v.toLowerCase()
      if (l !== 'true' && l !== 'false') throw new PolicyError('INVALID_POLICY', `${where}: Null takes "true" or "false", got '${v}'`)
      return l === 'true'
    })
    // "true": the key must be absent; "false": present.
    return (ctx) => {
      const v = ctx.get(lowerKey)
      const absent = v === undefined || v.length === 0
      return wanted.some((w) => w === absent)
    }
  }

  let ifExists = false
  if (name.endsWith('IfExists')) {
    ifExists = true
    name = name.slice(0, -'IfExists'.length)
  }
  const op = Object.prototype.hasOwnProperty.call(OPERATORS, name) ? OPERATORS[name] : undefined
  if (!op) throw new PolicyError('INVALID_POLICY', `${where}: unknown condition operator '${opName}'`)
  const prepared = values.map((v) => {
    try {
      return op.prepare(v)
    } catch (problem) {
      throw new PolicyError('INVALID_POLICY', `${where}: ${toText(problem)}`)
    }
  })
  const matchesOne = (c: string) => prepared.some((p) => op.test(c, p))

  return (ctx) => {
    const got = ctx.get(lowerKey)
    if (got === undefined || got.length === 0) {
      // A missing key: IfExists and ForAllValues hold vacuously, negated operators hold, others fail.
      return ifExists || qualifier === 'all' || op.negated
    }
    if (qualifier === 'all') return got.every((c) => (op.negated ? !matchesOne(c) : matchesOne(c)))
    if (qualifier === 'any') return got.some((c) => (op.negated ? !matchesOne(c) : matchesOne(c)))
    const any = got.some(matchesOne)
    return op.negated ? !any : any
  }
}

/** Compiles a statement's `Condition` object; `where` names it in error messages. */
export function compileConditions(block: unknown, where: string): ConditionTest | undefined {
  if (block === undefined) return undefined
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    throw new PolicyError('INVALID_POLICY', `${where} must be an object of operators`)
  }
  const tests: ConditionTest[] = []
  for (const [opName, keys] of Object.entries(block as Record<string, unknown>)) {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      throw new PolicyError('INVALID_POLICY', `${where}.${opName} must be an object of condition keys`)
    }
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      tests.push(compileKeyTest(opName, key, value, `${where}.${opName}["${key}"]`))
    }
  }
  if (tests.length === 0) return undefined
  return (ctx) => {
    for (const t of tests) if (!t(ctx)) return false
    return true
  }
}
