/**
 * Patterns API Gateway runs as Java's `java.util.regex` does, compiled once on @gatehousejs/regex: an integration
 * response's `selectionPattern` and (through {@link compileJavaPattern}) an authorizer's
 * `identityValidationExpression`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 */
import { compileRegex, RegexError, type Regex } from '@gatehousejs/regex'
import { GatewayConfigError } from '../errors'
import type { CompiledApi } from '../model'

/**
 * Compile a pattern API Gateway runs as Java's `java.util.regex` does (`selectionPattern`,
 * `identityValidationExpression`) on @gatehousejs/regex: matching is linear in the input whatever the pattern. A
 * construct that cannot run linearly (backreferences, lookaround) is refused with a {@link GatewayConfigError} at
 * `at` unless `api.allowBacktracking(at)` (the operator's `allowBacktrackingPatterns`); then the native RegExp runs it.
 *
 * @example
 * ```ts
 * compileJavaPattern('4\\d{2}', api, '/x/selectionPattern', 'selectionPattern').matchesWhole('404') // true
 * ```
 */
export function compileJavaPattern(source: string, api: Pick<CompiledApi, 'allowBacktracking'>, at: string, what: string): Regex {
  const allowBacktracking = api.allowBacktracking?.(at) === true
  try {
    return compileRegex(source, { syntax: 'java', allowBacktracking })
  } catch (e) {
    if (!(e instanceof RegexError)) throw e
    if (e.code === 'REGEX_UNSUPPORTED') {
      throw new GatewayConfigError(
        'UNSUPPORTED_FEATURE',
        `${what} ${JSON.stringify(source)} cannot be matched in linear time (${e.message}); list "${at}" in allowBacktrackingPatterns to run it with the backtracking RegExp`,
        at,
        { cause: e },
      )
    }
    if (e.code === 'REGEX_TOO_LARGE')
      throw new GatewayConfigError('INVALID_DEFINITION', `${what} ${JSON.stringify(source)} is too large: ${e.message}`, at, { cause: e })
    throw new GatewayConfigError('INVALID_DEFINITION', `invalid ${what} ${JSON.stringify(source)}: ${e.message}`, at, { cause: e })
  }
}

/**
 * Compile a selection pattern as Java's `String.matches` reads it: the whole subject, `.` not matching newlines.
 *
 * @example
 * ```ts
 * compileSelectionPattern('4\\d{2}', api, '/x').matchesWhole('404') // true
 * ```
 */
export function compileSelectionPattern(source: string, api: Pick<CompiledApi, 'allowBacktracking'>, at: string): Regex {
  return compileJavaPattern(source, api, at, 'selectionPattern')
}
