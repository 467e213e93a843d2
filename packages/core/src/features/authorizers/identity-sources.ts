/**
 * Identity sources: where an authorizer's inputs come from, compiled once into readers.
 * REST: `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`, `context.X`.
 * HTTP APIs: `$request.header.X`, `$request.querystring.X`, `$stageVariables.X`, `$context.X`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
import type { CompiledApi } from '../../model'
import { GatewayConfigError } from '../../errors'
import { headerValues } from '../../http'
import type { RequestState } from '../../state'

/**
 * The value of one identity source for a request; `undefined` when missing or empty.
 *
 * @example
 * ```ts
 * const read: IdentityReader = (state) => state.request.headers['x-token'] as string | undefined
 * ```
 */
export type IdentityReader = (state: RequestState) => string | undefined

const REST = /^(?:method\.request\.(header|querystring)\.(.+)|(stageVariables)\.(.+)|(context)\.(.+))$/
const HTTP = /^(?:\$request\.(header|querystring)\.(.+)|\$(stageVariables)\.(.+)|\$(context)\.(.+))$/

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v
}

function readPath(root: Record<string, unknown>, path: readonly string[]): string | undefined {
  let cur: unknown = root
  for (const p of path) {
    // Own properties only: `$context.authorizer.constructor` is not Object's constructor.
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined
    cur = (cur as Record<string, unknown>)[p]
  }
  if (cur === null || cur === undefined || typeof cur === 'object') return undefined
  return nonEmpty(String(cur))
}

/**
 * Split and compile an identity-source expression (comma-separated). Throws `GatewayConfigError` for a source
 * the API type does not know.
 *
 * @example
 * ```ts
 * const [user, tenant] = compileIdentitySources('method.request.header.X-User, method.request.querystring.tenant', api, '/authorizers/a')
 * user(state) // 'ann', or undefined when the header is missing or empty
 * ```
 */
export function compileIdentitySources(source: string | undefined, api: CompiledApi, at: string): IdentityReader[] {
  if (source === undefined || source.trim() === '') return []
  const http = api.apiType === 'HTTP'
  return source.split(',').map((raw) => {
    const expr = raw.trim()
    const m = (http ? HTTP : REST).exec(expr)
    if (!m) {
      const forms = http
        ? '$request.header.X, $request.querystring.X, $stageVariables.X or $context.X'
        : 'method.request.header.X, method.request.querystring.X, stageVariables.X or context.X'
      throw new GatewayConfigError('INVALID_DEFINITION', `identity source "${expr}" is not one of ${forms}`, at)
    }
    if (m[1] === 'header') {
      const name = m[2]!.toLowerCase()
      // HTTP APIs join repeated headers with commas (as in the 2.0 event); REST reads the last one (as its 1.0 event).
      return http
        ? (s: RequestState) => {
            const v = headerValues(s.request.headers, name)
            return v.length === 0 ? undefined : nonEmpty(v.join(','))
          }
        : (s: RequestState) => {
            const v = headerValues(s.request.headers, name)
            return nonEmpty(v[v.length - 1])
          }
    }
    if (m[1] === 'querystring') {
      const name = m[2]!
      return (s: RequestState) => {
        let out: string | undefined
        for (const [k, v] of s.query) if (k === name) out = http && out !== undefined ? `${out},${v}` : v
        return nonEmpty(out)
      }
    }
    if (m[3] === 'stageVariables') {
      // The stage is fixed for the life of a gateway: the value is known now.
      const value = nonEmpty(api.stageVariables?.[m[4]!])
      return () => value
    }
    const path = m[6]!.split('.')
    return (s: RequestState) => readPath(s.context(), path)
  })
}
