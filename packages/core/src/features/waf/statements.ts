/**
 * AWS WAF rule statements compiled once into matchers: IP set, byte match, regex match (linear, through
 * `@gatehousejs/regex`), size constraint, and their AND / OR / NOT combinations, nested at most
 * {@link MAX_STATEMENT_NESTING} deep. A matcher's work per request is linear in the fields it inspects.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-list.html
 */
import { compileRegex, RegexError } from '@gatehousejs/regex'
import { GatewayConfigError } from '../../errors'
import { isObject } from '../../json'
import { inBlock, parseCidr, parseIp, type IpBlock } from '../../policy/ip'
import type { RequestState } from '../../state'
import { compileField, toBytes, type Field } from './fields'
import { chain, MAX_TRANSFORMATIONS, TRANSFORMS, type Transform } from './transformations'

/** Whether a statement matches one request. */
export type Matcher = (state: RequestState) => boolean

/** How deep AND / OR / NOT statements may nest (gatehouse's bound; AWS bounds it through WCUs). */
export const MAX_STATEMENT_NESTING = 20

/** What compiling a statement needs besides the statement. */
export interface StatementContext {
  bodyLimit: number
  ipSets: Record<string, readonly string[]>
}

const fail = (message: string, at: string) => new GatewayConfigError('INVALID_OPTION', message, at)

function only(spec: Record<string, unknown>, allowed: readonly string[], at: string): void {
  for (const key of Object.keys(spec)) if (!allowed.includes(key)) throw fail(`unknown setting "${key}"`, `${at}/${key}`)
}

function compileTransformations(value: unknown, at: string): Transform {
  if (!Array.isArray(value) || value.length === 0)
    throw fail('TextTransformations must list at least one transformation (NONE for none)', at)
  if (value.length > MAX_TRANSFORMATIONS) throw fail(`at most ${MAX_TRANSFORMATIONS} text transformations per statement`, at)
  const seen = new Set<number>()
  const steps: { priority: number; transform: Transform }[] = []
  value.forEach((t, i) => {
    const where = `${at}/${i}`
    if (!isObject(t)) throw fail('a text transformation is { Priority, Type }', where)
    const { Priority: priority, Type: type } = t
    if (!Number.isSafeInteger(priority) || (priority as number) < 0) throw fail('Priority must be an integer >= 0', `${where}/Priority`)
    if (seen.has(priority as number)) throw fail('text transformation priorities must all be different', `${where}/Priority`)
    seen.add(priority as number)
    if (typeof type !== 'string' || !Object.hasOwn(TRANSFORMS, type))
      throw fail(`unsupported text transformation "${String(type)}" (supported: ${Object.keys(TRANSFORMS).join(', ')})`, `${where}/Type`)
    steps.push({ priority: priority as number, transform: TRANSFORMS[type]! })
  })
  return chain(steps.sort((a, b) => a.priority - b.priority).map((s) => s.transform))
}

/** A field and its transformations: does `test` hold for one of the field's values (with body oversize handling)? */
function inspect(field: Field, transform: Transform, test: (value: string) => boolean): Matcher {
  return (state) => {
    const { values, oversize } = field.read(state)
    if (oversize && field.oversize !== 'CONTINUE') return field.oversize === 'MATCH'
    for (const v of values) if (test(transform(v))) return true
    return false
  }
}

const isWordByte = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f

function containsWord(value: string, word: string): boolean {
  for (let i = value.indexOf(word); i !== -1; i = value.indexOf(word, i + 1)) {
    const end = i + word.length
    if ((i === 0 || !isWordByte(value.charCodeAt(i - 1))) && (end === value.length || !isWordByte(value.charCodeAt(end)))) return true
  }
  return false
}

function byteMatch(spec: Record<string, unknown>, at: string, ctx: StatementContext): Matcher {
  only(spec, ['SearchString', 'SearchStringBase64', 'FieldToMatch', 'PositionalConstraint', 'TextTransformations'], at)
  let search: string
  if (typeof spec.SearchString === 'string' && spec.SearchStringBase64 === undefined) search = toBytes(spec.SearchString)
  else if (typeof spec.SearchStringBase64 === 'string' && spec.SearchString === undefined)
    search = Buffer.from(spec.SearchStringBase64, 'base64').toString('latin1')
  else throw fail('a byte match needs one of SearchString or SearchStringBase64', at)
  if (search.length === 0 || search.length > 200) throw fail('the search string must be 1 to 200 bytes', `${at}/SearchString`)
  const field = compileField(spec.FieldToMatch, `${at}/FieldToMatch`, ctx.bodyLimit)
  const transform = compileTransformations(spec.TextTransformations, `${at}/TextTransformations`)
  let test: (v: string) => boolean
  switch (spec.PositionalConstraint) {
    case 'EXACTLY':
      test = (v) => v === search
      break
    case 'STARTS_WITH':
      test = (v) => v.startsWith(search)
      break
    case 'ENDS_WITH':
      test = (v) => v.endsWith(search)
      break
    case 'CONTAINS':
      test = (v) => v.includes(search)
      break
    case 'CONTAINS_WORD':
      for (let i = 0; i < search.length; i++)
        if (!isWordByte(search.charCodeAt(i)))
          throw fail('with CONTAINS_WORD the search string may hold only A-Z, a-z, 0-9 and _', `${at}/SearchString`)
      test = (v) => containsWord(v, search)
      break
    default:
      throw fail('PositionalConstraint must be EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS or CONTAINS_WORD', `${at}/PositionalConstraint`)
  }
  return inspect(field, transform, test)
}

function regexMatch(spec: Record<string, unknown>, at: string, ctx: StatementContext): Matcher {
  only(spec, ['RegexString', 'FieldToMatch', 'TextTransformations'], at)
  const source = spec.RegexString
  if (typeof source !== 'string' || source.length === 0 || source.length > 512)
    throw fail('RegexString must be a pattern of 1 to 512 characters', `${at}/RegexString`)
  const field = compileField(spec.FieldToMatch, `${at}/FieldToMatch`, ctx.bodyLimit)
  const transform = compileTransformations(spec.TextTransformations, `${at}/TextTransformations`)
  let regex: ReturnType<typeof compileRegex>
  try {
    // PCRE-like syntax (inline flags, \A, \z) on bytes: the pattern's own non-ASCII characters as their UTF-8 bytes.
    regex = compileRegex(toBytes(source), { syntax: 'java' })
  } catch (e) {
    if (e instanceof RegexError)
      throw new GatewayConfigError('INVALID_OPTION', `RegexString: ${e.message}`, `${at}/RegexString`, { cause: e })
    throw e
  }
  return inspect(field, transform, (v) => regex.test(v))
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  NE: (a, b) => a !== b,
  LE: (a, b) => a <= b,
  LT: (a, b) => a < b,
  GE: (a, b) => a >= b,
  GT: (a, b) => a > b,
}

function sizeConstraint(spec: Record<string, unknown>, at: string, ctx: StatementContext): Matcher {
  only(spec, ['FieldToMatch', 'ComparisonOperator', 'Size', 'TextTransformations'], at)
  const op = spec.ComparisonOperator
  if (typeof op !== 'string' || !Object.hasOwn(COMPARE, op))
    throw fail('ComparisonOperator must be EQ, NE, LE, LT, GE or GT', `${at}/ComparisonOperator`)
  const size = spec.Size
  if (!Number.isSafeInteger(size) || (size as number) < 0 || (size as number) > 21_474_836_480)
    throw fail('Size must be an integer from 0 to 21474836480', `${at}/Size`)
  const compare = COMPARE[op]!
  const field = compileField(spec.FieldToMatch, `${at}/FieldToMatch`, ctx.bodyLimit)
  const transform = compileTransformations(spec.TextTransformations, `${at}/TextTransformations`)
  // The size in bytes of the (inspected, transformed) field compared to Size: "Size in bytes of FieldToMatch" op Size.
  return inspect(field, transform, (v) => compare(v.length, size as number))
}

function ipSet(spec: Record<string, unknown>, at: string, ctx: StatementContext): Matcher {
  let addresses: unknown
  let where: string
  if (typeof spec.ARN === 'string') {
    only(spec, ['ARN', 'IPSetForwardedIPConfig'], at)
    if (spec.IPSetForwardedIPConfig !== undefined) throw fail('IPSetForwardedIPConfig is not supported', `${at}/IPSetForwardedIPConfig`)
    if (!Object.hasOwn(ctx.ipSets, spec.ARN)) throw fail(`no IP set "${spec.ARN}" in \`ipSets\``, `${at}/ARN`)
    addresses = ctx.ipSets[spec.ARN]
    where = `/waf/ipSets/${spec.ARN.replace(/~/g, '~0').replace(/\//g, '~1')}`
  } else {
    only(spec, ['Addresses'], at)
    addresses = spec.Addresses
    where = `${at}/Addresses`
  }
  if (!Array.isArray(addresses)) throw fail('an IP set is a list of CIDR blocks', where)
  const v4: IpBlock[] = []
  const v6: IpBlock[] = []
  addresses.forEach((a, i) => {
    const block = typeof a === 'string' && a.includes('/') ? parseCidr(a) : undefined
    if (!block || block.prefix === 0) throw fail(`"${String(a)}" is not a CIDR block (/1 to /32 or /128)`, `${where}/${i}`)
    ;(block.v6 ? v6 : v4).push(block)
  })
  return (state) => {
    const ip = parseIp(state.identity.sourceIp)
    if (!ip) return false
    if (!ip.v6) for (const b of v6) if (inBlock(ip, b)) return true
    for (const b of ip.v6 ? v6 : v4) if (inBlock(ip, b)) return true
    return false
  }
}

function statementList(spec: Record<string, unknown>, at: string, ctx: StatementContext, depth: number): Matcher[] {
  only(spec, ['Statements'], at)
  const list = spec.Statements
  if (!Array.isArray(list) || list.length < 2) throw fail('Statements must list at least two statements', `${at}/Statements`)
  return list.map((s, i) => compileStatement(s, `${at}/Statements/${i}`, ctx, depth + 1))
}

/**
 * Compiles one statement (not a rate-based one: those are a rule's own, see web-acl.ts) at `at` in the options.
 *
 * @example
 * ```ts
 * const m = compileStatement({ IPSetReferenceStatement: { Addresses: ['192.0.2.0/24'] } }, '/waf/rules/0/Statement', ctx, 0)
 * m(state) // true for a client in 192.0.2.0/24
 * ```
 */
export function compileStatement(statement: unknown, at: string, ctx: StatementContext, depth: number): Matcher {
  if (depth > MAX_STATEMENT_NESTING) throw fail(`statements nest more than ${MAX_STATEMENT_NESTING} levels deep`, at)
  if (!isObject(statement) || Object.keys(statement).length !== 1)
    throw fail('a statement is an object with exactly one statement type', at)
  const type = Object.keys(statement)[0]!
  const spec = statement[type]
  const where = `${at}/${type}`
  if (!isObject(spec)) throw fail(`${type} must be an object`, where)
  switch (type) {
    case 'IPSetReferenceStatement':
      return ipSet(spec, where, ctx)
    case 'ByteMatchStatement':
      return byteMatch(spec, where, ctx)
    case 'RegexMatchStatement':
      return regexMatch(spec, where, ctx)
    case 'SizeConstraintStatement':
      return sizeConstraint(spec, where, ctx)
    case 'AndStatement': {
      const all = statementList(spec, where, ctx, depth)
      return (state) => all.every((m) => m(state))
    }
    case 'OrStatement': {
      const any = statementList(spec, where, ctx, depth)
      return (state) => any.some((m) => m(state))
    }
    case 'NotStatement': {
      only(spec, ['Statement'], where)
      const inner = compileStatement(spec.Statement, `${where}/Statement`, ctx, depth + 1)
      return (state) => !inner(state)
    }
    case 'RateBasedStatement':
      throw fail('a RateBasedStatement can only be a rule’s top-level statement', where)
    default:
      throw fail(
        `unsupported statement type "${type}" (supported: IPSetReferenceStatement, ByteMatchStatement, RegexMatchStatement, SizeConstraintStatement, RateBasedStatement, AndStatement, OrStatement, NotStatement)`,
        where,
      )
  }
}
