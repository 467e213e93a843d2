// The one error the engine throws. A leaf file: everything imports it, it imports nothing.

/** Why a pattern was refused: bad syntax, a construct that cannot run in linear time, or a program too large. */
export type RegexErrorCode = 'REGEX_SYNTAX' | 'REGEX_UNSUPPORTED' | 'REGEX_TOO_LARGE'

/**
 * Thrown by `compileRegex` (never by matching).
 *
 * @example
 * try { compileRegex('(a)\\1') } catch (e) { if (e instanceof RegexError) console.log(e.code) } // REGEX_UNSUPPORTED
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
