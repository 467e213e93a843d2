/**
 * HTTP APIs' built-in CORS (`corsConfiguration` / `x-amazon-apigateway-cors`): API Gateway answers preflight
 * requests itself and sets the CORS headers on every response, overriding the integration's.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import { compileRegex, type Regex } from '@gatehousejs/regex'
import type { CorsConfiguration } from './definition'
import { GatewayConfigError } from './errors'
import { lastHeaderValue } from './http'
import type { GatewayRequest, GatewayResponse, HeaderMap } from './types'

export interface CompiledCors {
  /** The preflight answer for an OPTIONS request carrying `Access-Control-Request-Method`, else null. */
  preflight(req: GatewayRequest): GatewayResponse | null
  /** Set the CORS headers for an actual response (replacing any the integration set). */
  apply(req: GatewayRequest, headers: HeaderMap): void
}

export function compileCors(cfg: CorsConfiguration, where: string): CompiledCors {
  const origins = (cfg.allowOrigins ?? []).map((o) => o.trim())
  const anyOrigin = origins.includes('*')
  if (anyOrigin && cfg.allowCredentials) {
    throw new GatewayConfigError('INVALID_DEFINITION', 'allowCredentials cannot be combined with allowOrigins "*"', where)
  }
  if (cfg.maxAge !== undefined && (!Number.isInteger(cfg.maxAge) || cfg.maxAge < -1 || cfg.maxAge > 86400)) {
    throw new GatewayConfigError('INVALID_DEFINITION', 'maxAge must be an integer from -1 to 86400', where)
  }
  const exact = new Set<string>()
  // `https://*.example.com`: each `*` is `[^/]*`. The client's Origin header is matched against them, and a
  // backtracking RegExp takes O(n^k) on k stars, so the linear engine runs them.
  const patterns: Regex[] = []
  for (const o of origins) {
    if (o === '*') continue
    if (o.includes('*')) {
      const re = o
        .toLowerCase()
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[^/]*')
      try {
        patterns.push(compileRegex(re))
      } catch {
        throw new GatewayConfigError('INVALID_DEFINITION', `invalid allowOrigins entry ${JSON.stringify(o)}`, where)
      }
    } else exact.add(o.toLowerCase())
  }
  const allowMethods = (cfg.allowMethods ?? []).map((m) => m.toUpperCase()).join(',')
  const allowHeaders = (cfg.allowHeaders ?? []).map((h) => h.toLowerCase()).join(',')
  const exposeHeaders = (cfg.exposeHeaders ?? []).map((h) => h.toLowerCase()).join(',')

  function allowedOrigin(origin: string | undefined): string | null {
    if (!origin) return null
    if (anyOrigin) return '*'
    const lower = origin.toLowerCase()
    if (exact.has(lower)) return origin
    for (const re of patterns) if (re.matchesWhole(lower)) return origin
    return null
  }

  return {
    preflight(req) {
      if (req.method !== 'OPTIONS') return null
      const requested = lastHeaderValue(req.headers, 'access-control-request-method')
      if (!requested) return null
      const headers: HeaderMap = {}
      const origin = allowedOrigin(lastHeaderValue(req.headers, 'origin'))
      if (origin) {
        headers['access-control-allow-origin'] = origin
        if (allowMethods) headers['access-control-allow-methods'] = allowMethods
        if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders
        if (cfg.maxAge !== undefined && cfg.maxAge >= 0) headers['access-control-max-age'] = String(cfg.maxAge)
        if (cfg.allowCredentials) headers['access-control-allow-credentials'] = 'true'
        if (exposeHeaders) headers['access-control-expose-headers'] = exposeHeaders
      }
      return { statusCode: 204, headers, body: '' }
    },
    apply(req, headers) {
      const origin = allowedOrigin(lastHeaderValue(req.headers, 'origin'))
      if (!origin) return
      for (const name of Object.keys(headers)) if (name.toLowerCase().startsWith('access-control-')) delete headers[name]
      headers['access-control-allow-origin'] = origin
      if (cfg.allowCredentials) headers['access-control-allow-credentials'] = 'true'
      if (exposeHeaders) headers['access-control-expose-headers'] = exposeHeaders
    },
  }
}
