// `pattern` / `patternProperties` regexes: ECMAScript syntax with the `u` flag, and the ReDoS policy.
import { SchemaCompileError } from './types'

/**
 * Does the regex nest an unbounded quantifier inside a group that is itself repeated (`(a+)+`, `(a*)*`,
 * `(?:\w+\s?)*`)? Those are the classic catastrophic-backtracking shapes.
 */
export function hasNestedQuantifier(source: string): boolean {
  // Stack of "does this open group contain an unbounded quantifier".
  const stack: boolean[] = []
  let lastGroupUnbounded = false // the group that just closed contained one
  let i = 0
  const n = source.length
  const unboundedAt = (j: number): boolean => {
    const c = source[j]
    if (c === '*' || c === '+') return true
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(j))
      return m !== null && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1)
    }
    return false
  }
  while (i < n) {
    const c = source[i]!
    let atomEnd = i + 1
    let closedGroup = false
    if (c === '\\') atomEnd = i + 2
    else if (c === '[') {
      let j = i + 1
      if (source[j] === '^') j++
      if (source[j] === ']') j++
      while (j < n && source[j] !== ']') j += source[j] === '\\' ? 2 : 1
      atomEnd = j + 1
    } else if (c === '(') {
      stack.push(false)
      i++
      continue
    } else if (c === ')') {
      lastGroupUnbounded = stack.pop() ?? false
      closedGroup = true
    }
    i = atomEnd
    if (i < n && unboundedAt(i)) {
      if (closedGroup && lastGroupUnbounded) return true
      if (stack.length > 0) stack[stack.length - 1] = true
    } else if (closedGroup && lastGroupUnbounded && stack.length > 0) {
      stack[stack.length - 1] = true
    }
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
