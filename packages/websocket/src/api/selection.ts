/**
 * Selection expressions of WebSocket APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-selection-expressions.html and
 * "Route selection expressions" in websocket-api-develop-routes.html): `$request.body.JSONPATH` alone,
 * `${request.body.JSONPATH}` inside static text, static text, and `\$default`. A JSONPath that finds nothing
 * resolves to "" ("If the JSONPath is not found, the variable is resolved as \"\""); a result that is not a
 * string is stringified. Compiled once; evaluation only walks the parsed message.
 */
import { WebSocketApiError } from './errors'

type Step = string | number
type Part = { text: string } | { path: Step[] } | { variable: string }

/** A compiled selection expression: `select(body)` → the route key, or `undefined` when the body is not JSON. */
export interface CompiledSelection {
  /** Whether the expression reads the body (a static expression selects without parsing it). */
  readsBody: boolean
  /**
   * The key: `body` is the parsed message; `variable` answers the other variables the expression was compiled to
   * accept (`integration.response.statuscode`, …), `undefined` reading as "".
   */
  select(body: unknown, variable?: (name: string) => string | undefined): string
}

const NAME = /^[A-Za-z_$][\w$-]*/

/** Parses the JSONPath after `request.body` (`.a.b`, `['a']`, `["a"]`, `[0]`); null when malformed. */
function parsePath(source: string): Step[] | null {
  const steps: Step[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i]
    if (c === '.') {
      const m = NAME.exec(source.slice(i + 1))
      if (!m) return null
      steps.push(m[0])
      i += 1 + m[0].length
    } else if (c === '[') {
      const rest = source.slice(i)
      const index = /^\[(\d+)\]/.exec(rest)
      const quoted = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest)
      if (index) {
        steps.push(Number(index[1]))
        i += index[0].length
      } else if (quoted) {
        steps.push(quoted[1] ?? quoted[2] ?? '')
        i += quoted[0].length
      } else return null
    } else return null
  }
  return steps
}

function bodyPath(expression: string, inner: string): Step[] {
  if (inner === 'request.body') return []
  if (!inner.startsWith('request.body.') && !inner.startsWith('request.body[')) {
    throw new WebSocketApiError('INVALID_SELECTION_EXPRESSION', `${JSON.stringify(expression)}: only request.body is available here`)
  }
  const path = parsePath(inner.slice('request.body'.length))
  if (path === null) throw new WebSocketApiError('INVALID_SELECTION_EXPRESSION', `${JSON.stringify(expression)}: malformed JSONPath`)
  return path
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  // AWS: "if your JSONPath expression returns an array of two elements, that will be presented as the string
  // \"[item1, item2]\"".
  if (Array.isArray(value)) return `[${value.map(stringify).join(', ')}]`
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function walk(value: unknown, path: Step[]): unknown {
  let at = value
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined
    if (typeof step === 'number') {
      if (!Array.isArray(at)) return undefined
      at = at[step]
    } else {
      if (Array.isArray(at) || !Object.hasOwn(at, step)) return undefined
      at = (at as Record<string, unknown>)[step]
    }
  }
  return at
}

/**
 * Compiles a route selection expression. Throws {@link WebSocketApiError} (`INVALID_SELECTION_EXPRESSION`) when
 * it cannot be evaluated.
 *
 * @example
 * ```ts
 * import { compileSelectionExpression } from '@gatehousejs/websocket'
 * const s = compileSelectionExpression('${request.body.service}/${request.body.action}')
 * s.select({ service: 'chat', action: 'join' }) // 'chat/join'
 * ```
 */
export function compileSelectionExpression(expression: string, variables?: (name: string) => boolean): CompiledSelection {
  if (typeof expression !== 'string' || expression === '') {
    throw new WebSocketApiError('INVALID_SELECTION_EXPRESSION', 'a selection expression must be a non-empty string')
  }
  // `${name}` / `$name`: the request body, or (for the expressions that have them) another variable.
  const variablePart = (inner: string): Part =>
    variables !== undefined && !inner.startsWith('request.') && variables(inner)
      ? { variable: inner }
      : { path: bodyPath(expression, inner) }
  const parts: Part[] = []
  if (expression.startsWith('$request.') || (expression.startsWith('$') && variables?.(expression.slice(1)) === true)) {
    parts.push(variablePart(expression.slice(1)))
  } else if (expression === '\\$default') {
    parts.push({ text: '$default' })
  } else {
    let i = 0
    let text = ''
    while (i < expression.length) {
      if (expression.startsWith('${', i)) {
        const end = expression.indexOf('}', i)
        if (end < 0) throw new WebSocketApiError('INVALID_SELECTION_EXPRESSION', `${JSON.stringify(expression)}: unclosed \${`)
        if (text !== '') parts.push({ text })
        text = ''
        parts.push(variablePart(expression.slice(i + 2, end)))
        i = end + 1
      } else if (expression.startsWith('\\$', i)) {
        text += '$'
        i += 2
      } else {
        text += expression[i]
        i += 1
      }
    }
    if (text !== '') parts.push({ text })
  }
  const readsBody = parts.some((p) => 'path' in p)
  return {
    readsBody,
    select(body, variable) {
      let out = ''
      for (const part of parts) {
        if ('text' in part) out += part.text
        else if ('path' in part) out += stringify(walk(body, part.path))
        else out += variable?.(part.variable) ?? ''
      }
      return out
    },
  }
}

/**
 * Parses a text message as JSON for route selection; `undefined` when it is not JSON (API Gateway sends such
 * messages to `$default`).
 */
export function parseMessage(data: string): { json: unknown } | undefined {
  try {
    return { json: JSON.parse(data) }
  } catch {
    return undefined
  }
}
