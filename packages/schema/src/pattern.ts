// `pattern` / `patternProperties` regexes: ECMAScript syntax with the `u` flag, and the ReDoS policy.
import { SchemaCompileError } from './types'

/**
 * Can a repeated group of this regex backtrack exponentially? The check flags a group repeated by an unbounded
 * quantifier when one of its alternatives can begin with an unbounded quantifier (after optional atoms):
 * `(a+)+`, `(a|b+)*`, `(\\w+\\s?)*`, `(-?\\d+)*`. Groups whose every repetition must start with a fixed atom,
 * like `(-[a-z]+)*`, are accepted. This is a heuristic against the classic shapes, not a proof of safety.
 */
export function hasNestedQuantifier(source: string): boolean {
  interface Group {
    lead: boolean // still scanning the leading atoms of the current alternative
    leadUnbounded: boolean // an alternative can begin with an unbounded repetition
  }
  const stack: Group[] = [{ lead: true, leadUnbounded: false }]
  const n = source.length
  // Quantifier at j: 0 none, 1 optional bounded (?, {0,m}), 2 mandatory bounded ({n}, {n,m}), 3 unbounded.
  const quant = (j: number): [number, number] => {
    const c = source[j]
    let kind = 0
    let len = 0
    if (c === '*') [kind, len] = [3, 1]
    else if (c === '+') [kind, len] = [3, 1]
    else if (c === '?') [kind, len] = [1, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(j))
      if (m !== null) {
        len = m[0].length
        kind = m[2] !== undefined && m[3] === '' ? 3 : Number(m[1]) === 0 ? 1 : 2
      }
    }
    if (kind !== 0 && source[j + len] === '?') len++ // lazy quantifiers behave the same way
    return [kind, len]
  }
  let i = 0
  while (i < n) {
    const c = source[i]!
    const top = stack[stack.length - 1]!
    if (c === '(') {
      i++
      const m = /^\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i))
      if (m !== null) i += m[0].length
      stack.push({ lead: true, leadUnbounded: false })
      continue
    }
    if (c === '|') {
      top.lead = true
      i++
      continue
    }
    let atomEnd = i + 1
    let closed: Group | null = null
    if (c === '\\') atomEnd = i + 2
    else if (c === '[') {
      let j = i + 1
      if (source[j] === '^') j++
      if (source[j] === ']') j++
      while (j < n && source[j] !== ']') j += source[j] === '\\' ? 2 : 1
      atomEnd = j + 1
    } else if (c === ')') {
      closed = stack.length > 1 ? stack.pop()! : null
    } else if (c === '^' || c === '$') {
      i++
      continue
    }
    i = atomEnd
    const [kind, len] = quant(i)
    i += len
    if (closed !== null && kind === 3 && closed.leadUnbounded) return true
    const owner = stack[stack.length - 1]!
    if (!owner.lead) continue
    const atomUnbounded = kind === 3 || (closed !== null && closed.leadUnbounded)
    if (atomUnbounded) owner.leadUnbounded = true
    // A mandatory atom ends the leading run; optional ones (?, *, {0,m}) let the next atom lead too.
    if (!(kind === 1 || kind === 3)) owner.lead = false
  }
  return false
}

/** Compile a schema regex, enforcing the policy; throws a typed error naming `pointer`. */
export function compilePattern(source: string, pointer: string, allowUnsafe: boolean): RegExp {
  let re: RegExp
  try {
    re = new RegExp(source, 'u')
  } catch (e) {
    throw new SchemaCompileError('INVALID_PATTERN', pointer, `invalid ECMAScript regex ${JSON.stringify(source)}: ${(e as Error).message}`)
  }
  if (!allowUnsafe && hasNestedQuantifier(source)) {
    throw new SchemaCompileError(
      'UNSAFE_PATTERN',
      pointer,
      `regex ${JSON.stringify(source)} nests quantifiers and can backtrack exponentially; set allowUnsafePatterns to accept it`,
    )
  }
  return re
}
