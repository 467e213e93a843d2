/** Errors: {@link VtlError}, the one error this package throws, its codes, and template positions for messages. */

/**
 * Stable codes of {@link VtlError}, to `switch` on.
 *
 * @example
 * ```ts
 * try {
 *   renderMappingTemplate('#foreach($i in [1..100])$i#end', {}, { maxSteps: 50 })
 * } catch (e) {
 *   const code: VtlErrorCode | undefined = e instanceof VtlError ? e.code : undefined // 'VTL_BUDGET'
 * }
 * ```
 */
export type VtlErrorCode =
  | 'VTL_SYNTAX'
  | 'VTL_TEMPLATE_TOO_LARGE'
  | 'VTL_RUNTIME'
  | 'VTL_INVALID_JSONPATH'
  | 'VTL_INVALID_PAYLOAD'
  | 'VTL_BUDGET'

/**
 * The only error this package throws: parse errors, template limits and runtime failures (a Java method that
 * would throw, an unparsable payload, a bad JSONPath), and `VTL_BUDGET` when a render exceeds its work budget
 * (steps, output size, built strings, nesting; see `RenderLimits`). `line` and `column` are 1-based positions in the template
 * when known.
 *
 * @example
 * ```ts
 * try { compileTemplate('#if($a') } catch (e) { if (e instanceof VtlError) console.log(e.code, e.line, e.column) }
 * // VTL_SYNTAX 1 7
 * try {
 *   compileMappingTemplate('$input.path("$.a")')({ body: '{"a": ' })
 * } catch (e) {
 *   if (e instanceof VtlError) console.log(e.code, e.status, e.message) // VTL_INVALID_PAYLOAD 400 Could not process payload
 * }
 * ```
 */
export class VtlError extends Error {
  override readonly name = 'VtlError'
  readonly code: VtlErrorCode
  readonly line: number | undefined
  readonly column: number | undefined
  /** HTTP status API Gateway answers with when this error happens while rendering a mapping template. */
  readonly status: number

  constructor(code: VtlErrorCode, message: string, line?: number, column?: number) {
    // The payload error keeps API Gateway's exact message; its position stays available in line/column.
    super(line === undefined || code === 'VTL_INVALID_PAYLOAD' ? message : `${message} at line ${line}, column ${column}`)
    this.code = code
    this.line = line
    this.column = column
    this.status = code === 'VTL_INVALID_PAYLOAD' ? 400 : 500
  }
}

/** Maps offsets to 1-based line/column pairs; built only when an error needs a position. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, source.length)
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: end - lineStart + 1 }
}
