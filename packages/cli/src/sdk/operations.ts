/**
 * The operations of a definition as the SDK generator sees them: a method name (the `operationId`, else the
 * method and path camelCased), path / query / header parameters with whether each is required, and the body model.
 */
import type { ApiDefinition } from '@gatehousejs/core'

/** One method of the generated client. */
export interface SdkOperation {
  name: string
  method: string
  /** `/pets/{petId}`; `/` for an HTTP API's `$default` route. */
  path: string
  pathParams: { name: string; greedy: boolean }[]
  query: { name: string; required: boolean }[]
  headers: { name: string; required: boolean }[]
  /** The request body's model (`application/json` first), if the method names one. */
  bodyModel?: string
  /** Whether the method takes a body at all. */
  hasBody: boolean
}

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'export',
  'extends',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'enum',
  'await',
  'implements',
  'package',
  'protected',
  'interface',
  'private',
  'public',
  'constructor',
])

/**
 * camelCase of words (anything not a letter or digit separates them); never starts with a digit or is a keyword.
 *
 * @example
 * ```ts
 * camelCase('GET /pets/{petId}') // 'getPetsPetId'
 * camelCase('GET HTTP') // 'getHttp'
 * ```
 */
export function camelCase(text: string): string {
  // A word in capitals (`GET`, `HTTP`) reads as a word, not as letters: `getHttp`.
  const words = text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^[A-Z0-9]+$/.test(w) ? w.toLowerCase() : w))
  const name = words.map((w, i) => (i === 0 ? w[0]?.toLowerCase() + w.slice(1) : w[0]?.toUpperCase() + w.slice(1))).join('')
  const safe = /^[A-Za-z]/.test(name) ? name : `op${name}`
  return RESERVED.has(safe) ? `${safe}Operation` : safe
}

/**
 * The operations, sorted by path and method, with unique names.
 *
 * @example
 * ```ts
 * sdkOperations({ resources: { '/pets/{id}': { GET: { operationName: 'getPet' } } } })[0]?.name // 'getPet'
 * ```
 */
export function sdkOperations(api: ApiDefinition): SdkOperation[] {
  const out: SdkOperation[] = []
  const used = new Set<string>()
  const entries = Object.entries(api.resources).sort(([a], [b]) => a.localeCompare(b))
  for (const [resource, methods] of entries) {
    for (const [rawMethod, m] of Object.entries(methods).sort(([a], [b]) => a.localeCompare(b))) {
      const method = rawMethod.toUpperCase()
      const path = resource === '$default' ? '/' : resource
      let base = camelCase(m.operationName ?? (resource === '$default' ? 'default route' : `${method.toLowerCase()} ${resource}`))
      if (base === '') base = 'operation'
      let name = base
      for (let i = 2; used.has(name); i++) name = `${base}${i}`
      used.add(name)
      const pathParams = [...path.matchAll(/\{([^}]+?)(\+?)\}/g)].map((p) => ({ name: p[1] as string, greedy: p[2] === '+' }))
      const query: SdkOperation['query'] = []
      const headers: SdkOperation['headers'] = []
      for (const [key, required] of Object.entries(m.requestParameters ?? {})) {
        const q = /^method\.request\.querystring\.(.+)$/.exec(key)?.[1]
        if (q !== undefined) query.push({ name: q, required })
        const h = /^method\.request\.header\.(.+)$/.exec(key)?.[1]
        if (h !== undefined) headers.push({ name: h, required })
      }
      const models = m.requestModels ?? {}
      const bodyModel = models['application/json'] ?? Object.values(models)[0]
      const op: SdkOperation = {
        name,
        method,
        path,
        pathParams,
        query,
        headers,
        hasBody: bodyModel !== undefined || !['GET', 'HEAD', 'OPTIONS'].includes(method),
      }
      if (bodyModel !== undefined) op.bodyModel = bodyModel
      out.push(op)
    }
  }
  return out
}
