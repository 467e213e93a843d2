/**
 * `pattern` / `patternProperties` regexes: ECMAScript syntax with the `u` flag, matched by @gatehousejs/regex in
 * time linear in the string, whatever the pattern. Constructs no linear engine can run (backreferences,
 * lookaround) and patterns too large to compile are refused, naming the pattern's place in the schema, unless
 * the operator sets `allowUnsafePatterns`; then the native RegExp runs them, with no time bound.
 */
import { compileRegex, RegexError } from '@gatehousejs/regex'
import { SchemaCompileError } from './types'

/** A compiled schema regex: what the validators call. */
export interface SchemaPattern {
  test(input: string): boolean
  /** True when matching is linear in the input (false only for patterns admitted by allowUnsafePatterns). */
  readonly linear: boolean
}

/** Compile a schema regex, enforcing the policy; throws a typed error naming `pointer`. */
export function compilePattern(source: string, pointer: string, allowUnsafe: boolean): SchemaPattern {
  try {
    return compileRegex(source, { allowBacktracking: allowUnsafe })
  } catch (e) {
    if (!(e instanceof RegexError)) throw e
    const shown = JSON.stringify(source)
    if (e.code === 'REGEX_SYNTAX')
      throw new SchemaCompileError('INVALID_PATTERN', pointer, `invalid ECMAScript regex ${shown}: ${e.message}`)
    if (e.code === 'REGEX_TOO_LARGE' && allowUnsafe) {
      try {
        const re = new RegExp(source, 'u')
        return { test: (s) => re.test(s), linear: false }
      } catch {
        // fall through to the refusal
      }
    }
    throw new SchemaCompileError(
      'UNSAFE_PATTERN',
      pointer,
      e.code === 'REGEX_TOO_LARGE'
        ? `regex ${shown} is too large to match in bounded time (${e.message}); set allowUnsafePatterns to accept it`
        : `regex ${shown} cannot be matched in linear time (${e.message}); set allowUnsafePatterns to accept it`,
    )
  }
}
