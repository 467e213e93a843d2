/**
 * The `methodSettings` key that applies to every method of a stage, as API Gateway writes it: star, slash, star
 * (spelled out here because those three characters would close a doc comment). Use the constant rather than
 * copying the key from documentation.
 *
 * @example
 * ```ts
 * import { createGateway, EVERY_METHOD } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   // Every method of the stage: 1 request per second, bursts of 1.
 *   stage: { stageName: 'prod', methodSettings: { [EVERY_METHOD]: { throttlingRateLimit: 1, throttlingBurstLimit: 1 } } },
 *   now: () => 0,
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {} })).statusCode // 200
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {} })).statusCode // 429
 * ```
 */
export const EVERY_METHOD = '*/*'

/**
 * Canonical form of a method-settings or usage-plan throttle key: `/pets/{id}/GET`, `~1pets~1{id}/GET` and
 * `pets/{id}/get` all become `/pets/{id}/GET`; {@link EVERY_METHOD} stays; `/pets/*` means every method of `/pets`.
 *
 * @example
 * ```ts
 * canonicalMethodKey('~1pets~1{id}/get') // '/pets/{id}/GET'
 * ```
 */
export function canonicalMethodKey(key: string): string | null {
  if (key === '*/*') return key
  const cut = key.lastIndexOf('/')
  if (cut <= 0 || cut === key.length - 1) return null
  let resource = key.slice(0, cut).replace(/~1/g, '/').replace(/~0/g, '~')
  const method = key.slice(cut + 1).toUpperCase()
  if (!/^(\*|[A-Z]+)$/.test(method)) return null
  if (!resource.startsWith('/')) resource = `/${resource}`
  if (resource.length > 1 && resource.endsWith('/')) return null
  return `${resource}/${method}`
}
