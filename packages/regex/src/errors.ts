// The one error the engine throws. A leaf file: everything imports it, it imports nothing.

/**
 * Why a pattern was refused (bad syntax, a construct that cannot run in linear time, a program too large), or why a
 * match stopped (`REGEX_BUDGET`: the step limit the caller passed was reached).
 *
 * @example
 * import { compileRegex, RegexError } from '@gatehousejs/regex'
 * function compileUserPattern(source: string) {
 *   try {
 *     return compileRegex(source, { syntax: 'java' })
 *   } catch (e) {
 *     if (!(e instanceof RegexError)) throw e
 *     switch (e.code) {
 *       case 'REGEX_SYNTAX':
 *         throw new Error(`invalid pattern: ${e.message}`)
 *       case 'REGEX_UNSUPPORTED': // backreferences, lookaround: only with allowBacktracking
 *       case 'REGEX_TOO_LARGE':
 *         throw new Error(`pattern refused: ${e.message}`)
 *       default:
 *         throw e
 *     }
 *   }
 * }
 * compileUserPattern('(a)\\1') // throws 'pattern refused: backreference at offset 3 cannot run in linear time …'
 */
export type RegexErrorCode = 'REGEX_SYNTAX' | 'REGEX_UNSUPPORTED' | 'REGEX_TOO_LARGE' | 'REGEX_BUDGET'

/**
 * Thrown by `compileRegex`, and by matching only when the caller passed a step limit and the match reached it.
 *
 * @example
 * import { compileRegex, RegexError } from '@gatehousejs/regex'
 * try {
 *   compileRegex('(a)\\1')
 * } catch (e) {
 *   if (e instanceof RegexError) console.log(e.code, e.index) // 'REGEX_UNSUPPORTED' 3
 * }
 */
export class RegexError extends Error {
  override readonly name = 'RegexError'
  constructor(
    readonly code: RegexErrorCode,
    message: string,
    /** Offset in the source, -1 when not applicable. */
    readonly index: number = -1,
  ) {
    super(message)
  }
}

/** The error a match that reached its caller's step limit throws. */
export function budgetError(limit: number): RegexError {
  return new RegexError('REGEX_BUDGET', `the match took more than ${limit} steps`)
}
