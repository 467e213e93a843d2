/**
 * `gatehouse serve` with several files behind one custom domain: each `<file>:<mapping>` argument is one API under a
 * base path mapping (REST) or API mapping key (HTTP APIs, several levels allowed), `(none)` or `/` for the root —
 * `createDomain` from `@gatehousejs/core` does the routing.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html
 */
import { createDomain, type Domain, type Gateway } from '@gatehousejs/core'
import type { Built, BuiltApi } from './build'

/** One API of the domain: the file it is built from and its mapping key as written (`(none)`, `v1`, `orders/v2`). */
export interface DomainMapping {
  file: string
  mapping: string
}

/** API Gateway's characters of a base path segment. */
const SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/

/** The mapping key of `text` as a path-like key, or null when it is not one. */
function mappingKey(text: string): string | null {
  if (text === '(none)' || text === '' || text === '/') return '(none)'
  const trimmed = text.replace(/^\/+|\/+$/g, '')
  if (trimmed === '' || !trimmed.split('/').every((s) => SEGMENT.test(s))) return null
  return trimmed
}

/**
 * Read a `<file>:<mapping>` argument, split at its last `:` (mapping keys have none; a Windows drive letter keeps its
 * own). Null when the part after the colon is not a mapping key, or there is no colon.
 *
 * @example
 * ```ts
 * parseMapping('pets.yaml:pets/v1') // { file: 'pets.yaml', mapping: 'pets/v1' }
 * parseMapping('shop.yaml:(none)') // { file: 'shop.yaml', mapping: '(none)' }
 * parseMapping('C:\\api.yaml') // null
 * ```
 */
export function parseMapping(arg: string): DomainMapping | null {
  const colon = arg.lastIndexOf(':')
  if (colon <= 0) return null
  const mapping = mappingKey(arg.slice(colon + 1))
  return mapping === null ? null : { file: arg.slice(0, colon), mapping }
}

/**
 * What `gatehouse serve` was given: one file, or a domain of `<file>:<mapping>` arguments (when there are several,
 * when one has a mapping, or with `--domain`). Throws with the reason when an argument of a domain has no mapping
 * or two share one.
 *
 * @example
 * ```ts
 * serveTargets(['api.yaml'], undefined) // { file: 'api.yaml' }
 * serveTargets(['shop.yaml:(none)', 'pets.yaml:v1'], 'api.example.com')
 * // { mappings: [{ file: 'shop.yaml', mapping: '(none)' }, { file: 'pets.yaml', mapping: 'v1' }], domainName: 'api.example.com' }
 * ```
 */
export function serveTargets(
  args: readonly string[],
  domainName: string | undefined,
): { file: string } | { mappings: DomainMapping[]; domainName: string | undefined } {
  if (args.length === 0) throw new Error('give a file, or <file>:<mapping> arguments for a domain')
  const parsed = args.map(parseMapping)
  if (args.length === 1 && parsed[0] === null && domainName === undefined) return { file: args[0]! }
  const mappings: DomainMapping[] = []
  const seen = new Map<string, string>()
  args.forEach((arg, i) => {
    const m = parsed[i]
    if (!m) {
      throw new Error(
        `${arg}: behind a domain every file needs its mapping, as <file>:<mapping> (pets.yaml:v1, orders.yaml:orders/v2, shop.yaml:/ for the root)`,
      )
    }
    const before = seen.get(m.mapping)
    if (before !== undefined) throw new Error(`${m.file} and ${before} are both mapped to ${m.mapping}`)
    seen.set(m.mapping, m.file)
    mappings.push(m)
  })
  return { mappings, domainName }
}

/** A built domain: the domain and, for the rest of `serve` (log, watch, warnings), everything its files built. */
export interface BuiltDomain extends Built {
  domain: Domain
  /** Each API with the mapping it is served under, in argument order. */
  mapped: { api: BuiltApi; mapping: string }[]
}

/**
 * Build each mapping's file (`build`) and the domain over them. A file must hold exactly one API: a mapping takes one.
 *
 * @example
 * ```ts
 * const built = await buildDomain([{ file: 'pets.yaml', mapping: 'v1' }], 'api.example.com', (file) => buildApis({ file }))
 * await built.domain.handle({ method: 'GET', path: '/v1/pets', headers: { host: 'api.example.com' } })
 * ```
 */
export async function buildDomain(
  mappings: readonly DomainMapping[],
  domainName: string | undefined,
  build: (file: string) => Promise<Built>,
): Promise<BuiltDomain> {
  const out: BuiltDomain = {
    apis: [],
    files: [],
    notes: [],
    warnings: [],
    failures: [],
    functions: {},
    domain: undefined as never,
    mapped: [],
  }
  const gateways: Record<string, Gateway> = {}
  for (const { file, mapping } of mappings) {
    const built = await build(file)
    if (built.apis.length !== 1) {
      const names = built.apis.map((a) => a.name).join(', ')
      throw new Error(`${file} holds ${built.apis.length} APIs${names ? ` (${names})` : ''}: a mapping serves one`)
    }
    const api = built.apis[0]!
    gateways[mapping] = api.gateway
    out.apis.push(api)
    out.mapped.push({ api, mapping })
    for (const f of built.files) if (!out.files.includes(f)) out.files.push(f)
    out.notes.push(...built.notes)
    out.warnings.push(...built.warnings)
    out.failures.push(...built.failures)
  }
  out.domain = createDomain({ ...(domainName === undefined ? {} : { domainName }), mappings: gateways })
  return out
}

/**
 * The line `serve` prints for a mapping: where the API answers.
 *
 * @example
 * ```ts
 * mappingLine('api.example.com', 'pets/v1') // 'api.example.com/pets/v1/…'
 * mappingLine(undefined, '(none)') // '(any host)/…'
 * ```
 */
export function mappingLine(domainName: string | undefined, mapping: string): string {
  return `${domainName ?? '(any host)'}${mapping === '(none)' ? '' : `/${mapping}`}/…`
}
