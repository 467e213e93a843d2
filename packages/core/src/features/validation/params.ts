/**
 * Required request parameters: `method.request.{path|querystring|header}.NAME: true` must be present and not
 * blank ("API Gateway only checks the existence of a parameter and doesn't check the type or format").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
import type { MethodDefinition } from '../../definition'
import { GatewayConfigError, pointerToken } from '../../errors'
import { failure, type GatewayFailure } from '../../gateway-responses'
import type { RequestState } from '../../state'

interface RequiredParam {
  location: 'path' | 'querystring' | 'header'
  /** As declared: what the refusal lists. */
  name: string
  /** What is looked up (header names lower-case). */
  key: string
}

const EXPRESSION = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/

/**
 * The route's required parameters, in the order API Gateway lists missing ones: sorted by their
 * `method.request.*` expression (so headers, then path, then query string parameters, each by name).
 */
export function requiredParams(method: MethodDefinition, at: string): RequiredParam[] {
  const out: { expr: string; param: RequiredParam }[] = []
  for (const [expr, required] of Object.entries(method.requestParameters ?? {})) {
    const m = EXPRESSION.exec(expr)
    if (!m) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `invalid method request parameter "${expr}"`,
        `${at}/requestParameters/${pointerToken(expr)}`,
      )
    }
    if (required !== true) continue
    const location = m[1]!.startsWith('multivalue')
      ? m[1] === 'multivalueheader'
        ? 'header'
        : 'querystring'
      : (m[1] as RequiredParam['location'])
    const name = m[2]!
    out.push({ expr, param: { location, name, key: location === 'header' ? name.toLowerCase() : name } })
  }
  out.sort((a, b) => (a.expr < b.expr ? -1 : a.expr > b.expr ? 1 : 0))
  return out.map((o) => o.param)
}

const own = Object.prototype.hasOwnProperty

function blank(v: unknown): boolean {
  return typeof v !== 'string' || v.trim() === ''
}

/** Own properties only: a parameter named `constructor` must not find `Object.prototype.constructor`. */
function ownValue(map: Record<string, unknown>, key: string): unknown {
  return own.call(map, key) ? map[key] : undefined
}

/** The last value of a query parameter, as `method.request.querystring.NAME` reads it. */
function lastQueryValue(state: RequestState, name: string): string | undefined {
  const pairs = state.query
  for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]![0] === name) return pairs[i]![1]
  return undefined
}

function lastHeader(state: RequestState, key: string): unknown {
  const v = ownValue(state.request.headers, key)
  return Array.isArray(v) ? v[v.length - 1] : v
}

/** The stage's parameter check: `undefined` when every required parameter is there. */
export function compileParamCheck(params: RequiredParam[]): (state: RequestState) => GatewayFailure | undefined {
  return (state) => {
    let missing: string[] | undefined
    for (const p of params) {
      const value =
        p.location === 'header'
          ? lastHeader(state, p.key)
          : p.location === 'path'
            ? ownValue(state.params, p.key)
            : lastQueryValue(state, p.key)
      if (blank(value)) (missing ??= []).push(p.name)
    }
    if (!missing) return undefined
    const message = `Missing required request parameters: [${missing.join(', ')}]`
    return failure('BAD_REQUEST_PARAMETERS', message, { validationErrorString: message })
  }
}
