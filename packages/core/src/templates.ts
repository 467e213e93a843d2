/**
 * Template rendering for gateway responses and MOCK integrations: `$context.*`, `$stageVariables.*` and
 * `$input.params('x')` references are substituted (`$context.error.messageString` is the JSON-quoted message).
 */
import type { RequestState } from './state'

// `$ref`, `$!ref` or the braced `${ref}` form, where ref is `context.a.b`, `stageVariables.x` or `input.params('x')`.
const REF = `(?:context|stageVariables)(?:\\.[A-Za-z0-9_-]+)+|input\\.params\\((?:'[^']*'|"[^"]*")\\)`
const REFERENCE = new RegExp(`\\$!?(?:\\{(${REF})\\}|(${REF}))`, 'g')

function lookup(root: unknown, path: string[]): unknown {
  let v = root
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

function show(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** Render `source` against the request; `context` is `$context` (with `error` filled for gateway responses). */
export function renderTemplate(source: string, state: RequestState, context: Record<string, unknown>): string {
  return source.replace(REFERENCE, (_all, braced: string | undefined, bare: string | undefined) => {
    const ref = braced ?? bare!
    if (ref.startsWith('input.params(')) return show(inputParam(state, ref.slice(14, -2)))
    const path = ref.split('.')
    if (path[0] === 'stageVariables') return show(state.api.stageVariables?.[path[1]!])
    return show(lookup(context, path.slice(1)))
  })
}

/** `$input.params(name)`: path, then query string, then header (case-insensitive), as API Gateway searches. */
export function inputParam(state: RequestState, name: string): string | undefined {
  if (state.params[name] !== undefined) return state.params[name]
  for (let i = state.query.length - 1; i >= 0; i--) if (state.query[i]![0] === name) return state.query[i]![1]
  const h = state.request.headers[name.toLowerCase()]
  return h === undefined ? undefined : typeof h === 'string' ? h : h[h.length - 1]
}

/**
 * A `responseParameters` / `requestParameters` source: `'static'`, `method.request.{path|querystring|header}.x`,
 * `context.x.y`, `stageVariables.x`.
 */
export function parameterSource(state: RequestState, source: string, context: () => Record<string, unknown>): string | undefined {
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) return source.slice(1, -1)
  if (source.startsWith('method.request.path.')) return state.params[source.slice(20)]
  if (source.startsWith('method.request.querystring.')) {
    const name = source.slice(27)
    for (let i = state.query.length - 1; i >= 0; i--) if (state.query[i]![0] === name) return state.query[i]![1]
    return undefined
  }
  if (source.startsWith('method.request.header.')) {
    const h = state.request.headers[source.slice(22).toLowerCase()]
    return h === undefined ? undefined : typeof h === 'string' ? h : h[h.length - 1]
  }
  if (source.startsWith('stageVariables.')) return state.api.stageVariables?.[source.slice(15)]
  if (source.startsWith('context.')) {
    const v = lookup(context(), source.slice(8).split('.'))
    return v === undefined || v === null ? undefined : show(v)
  }
  return undefined
}
