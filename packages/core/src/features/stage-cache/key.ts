/**
 * The cache key of a method: API id, stage, request method, resource path, `cacheNamespace`, and the values of
 * the integration's `cacheKeyParameters`, in their declared order. Path parameters are not in it unless they
 * are declared (API Gateway's behaviour: `/pets/1` and `/pets/2` share an entry without `method.request.path.id`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html#enable-api-gateway-cache-keys
 */
import type { IntegrationDefinition } from '../../definition'
import { GatewayConfigError } from '../../errors'
import { headerValues as allHeaderValues } from '../../http'
import type { RequestState } from '../../state'

type Read = (state: RequestState) => string | string[] | null

const SOURCE = /^method\.request\.(querystring|multivaluequerystring|header|multivalueheader|path)\.(.+)$/
const INTEGRATION = /^integration\.request\.(querystring|header|path)\.(.+)$/

function lastQuery(state: RequestState, name: string): string | null {
  const pairs = state.query
  for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]![0] === name) return pairs[i]![1]
  return null
}

function allQuery(state: RequestState, name: string): string[] | null {
  const out = state.query.filter((p) => p[0] === name).map((p) => p[1])
  return out.length === 0 ? null : out
}

function headerValues(state: RequestState, name: string): string[] | null {
  // `all` is the request's own array (or a fresh one): copied so the key never aliases the request.
  const all = allHeaderValues(state.request.headers, name)
  return all.length === 0 ? null : [...all]
}

function methodSource(kind: string, name: string): Read {
  switch (kind) {
    case 'querystring':
      return (s) => lastQuery(s, name)
    case 'multivaluequerystring':
      return (s) => allQuery(s, name)
    case 'header': {
      const lower = name.toLowerCase()
      return (s) => headerValues(s, lower)?.at(-1) ?? null
    }
    case 'multivalueheader': {
      const lower = name.toLowerCase()
      return (s) => headerValues(s, lower)
    }
    default:
      return (s) => (Object.hasOwn(s.params, name) ? s.params[name]! : null)
  }
}

function compileParameter(param: string, integration: IntegrationDefinition | undefined, where: string): Read {
  const m = SOURCE.exec(param)
  if (m) return methodSource(m[1]!, m[2]!)
  if (INTEGRATION.test(param)) {
    // An integration parameter keys the cache by the value it is mapped from.
    const from = integration?.requestParameters?.[param]
    if (typeof from === 'string') {
      const src = SOURCE.exec(from)
      if (src) return methodSource(src[1]!, src[2]!)
      if (/^'.*'$/s.test(from)) return () => from
    }
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      `cache key parameter "${param}" must be mapped from a method request parameter or a static value`,
      where,
    )
  }
  throw new GatewayConfigError(
    'INVALID_DEFINITION',
    `cache key parameter "${param}" is not a method.request.{querystring,header,path,multivaluequerystring,multivalueheader}.NAME or mapped integration.request parameter`,
    where,
  )
}

/** Build the key function of one method once; per request it only reads the declared values. */
export function compileCacheKey(
  prefix: { apiId: string; stage: string; resourcePath: string },
  integration: IntegrationDefinition | undefined,
  where: string,
): (state: RequestState) => string {
  const params = integration?.cacheKeyParameters ?? []
  if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) {
    throw new GatewayConfigError(
      'INVALID_DEFINITION',
      'cacheKeyParameters must be a list of parameter names',
      `${where}/cacheKeyParameters`,
    )
  }
  const readers = params.map((p) => compileParameter(p, integration, `${where}/cacheKeyParameters`))
  // JSON keeps the parts unambiguous whatever characters the values hold.
  const head = JSON.stringify([prefix.apiId, prefix.stage, prefix.resourcePath, integration?.cacheNamespace ?? null]).slice(0, -1)
  if (readers.length === 0) return (state) => `${head},${JSON.stringify(state.request.method)}]`
  return (state) => {
    let key = `${head},${JSON.stringify(state.request.method)}`
    for (const read of readers) key += `,${JSON.stringify(read(state))}`
    return `${key}]`
  }
}
