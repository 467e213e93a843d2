/**
 * A custom domain: one entry point for many APIs, as API Gateway's custom domain names are. REST APIs are mapped by
 * base path (`(none)`, `v1`), HTTP APIs by API mapping key, which may have several levels (`orders/v2`); a request is
 * routed by its `Host` (when the domain names one) and the longest mapping its path starts with, segment by segment.
 * Behind a domain API Gateway keeps the base path in the paths it reports (`$context.path`, a REST event's `path`, an
 * HTTP API event's `rawPath`) and routes on the rest; a request no mapping takes gets `403 {"message":"Forbidden"}`.
 * A domain with `mutualTls` answers the same 403 to a request without a verified client certificate; which
 * truststore verified it is the server's business (`@gatehousejs/node`'s `createDomainServer` gives each domain name
 * its own). A mapped API whose default endpoint is disabled is still reachable here: the mapping is in `RequestVia`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
 */
import { GatewayConfigError } from '../errors'
import type { Gateway, Passthrough, RequestVia } from '../gateway'
import { lastHeaderValue } from '../http'
import type { GatewayRequest, GatewayResponse } from '../types'

/** A truststore: PEM text (CA certificates concatenated), as bytes or a string, or several. */
export type DomainTruststore = string | Uint8Array | readonly (string | Uint8Array)[]

/** Mutual TLS on a domain, as API Gateway's `mutualTlsAuthentication`: clients must present a certificate it trusts. */
export interface DomainMutualTls {
  /** The certificate authorities client certificates must chain to (API Gateway's truststore in S3). */
  truststore: DomainTruststore
}

/** Options of {@link createDomain}. */
export interface DomainOptions {
  /**
   * The domain's name (`api.example.com`): requests whose `Host` (port aside, any case) is another answer 403. Leave
   * it out to take every host (one domain per server).
   */
  domainName?: string
  /**
   * Gateways by base path or API mapping key: `'(none)'` (or `''`) for the root, `'v1'`, `'orders/v2'`. Keys are
   * segments of letters, digits and `$-_.+!*'()`, as API Gateway allows them.
   */
  mappings: Record<string, Gateway>
  /**
   * Require a client certificate verified against `truststore`. A request without `clientCert` gets 403
   * `{"message":"Forbidden"}`; serve the domain with `createDomainServer` (`@gatehousejs/node`), which verifies
   * each domain name's clients against its own truststore.
   */
  mutualTls?: DomainMutualTls
}

/** A custom domain: a `Gateway` for every adapter (`createHandler(domain)`, `app.use(gateway(domain))`). */
export interface Domain extends Pick<Gateway, 'handle' | 'dispatch'> {
  readonly domainName: string | undefined
  /** The base paths in matching order (longest first), each as a path (`''` for the root). */
  readonly basePaths: readonly string[]
  /** The domain's mutual TLS, checked (at least one PEM certificate block); undefined without. */
  readonly mutualTls: DomainMutualTls | undefined
}

const FORBIDDEN: GatewayResponse = {
  statusCode: 403,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Forbidden"}',
}

/** API Gateway's characters of a base path segment (`[a-zA-Z0-9$\-_.+!*'()]`). */
const SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/

function basePathOf(key: string): string {
  if (key === '(none)' || key === '' || key === '/') return ''
  const trimmed = key.replace(/^\/+|\/+$/g, '')
  const segments = trimmed.split('/')
  if (!segments.every((s) => SEGMENT.test(s))) {
    throw new GatewayConfigError(
      'INVALID_OPTION',
      `domain mapping "${key}": base paths are segments of [a-zA-Z0-9$-_.+!*'()] joined by "/"`,
    )
  }
  return `/${trimmed}`
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/

/** The truststore's shape checked when the domain is built: PEM text holding at least one certificate block. */
function checkMutualTls(value: unknown): DomainMutualTls {
  const bad = (why: string): never => {
    throw new GatewayConfigError('INVALID_OPTION', `domain mutualTls: ${why}`)
  }
  if (!value || typeof value !== 'object') bad('must be an object with a truststore')
  const truststore = (value as { truststore?: unknown }).truststore
  const parts = Array.isArray(truststore) ? truststore : [truststore]
  let found = false
  for (const part of parts) {
    const text =
      typeof part === 'string'
        ? part
        : part instanceof Uint8Array
          ? new TextDecoder().decode(part)
          : bad('the truststore is PEM text (a string or bytes)')
    if (PEM_CERTIFICATE.test(text)) found = true
  }
  if (!found) bad('the truststore holds no PEM certificate')
  return { truststore: truststore as DomainTruststore }
}

function hostName(host: string): string {
  const h = host.trim().toLowerCase()
  // `[::1]:443` keeps its brackets; `api.example.com:443` loses its port.
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  return colon === -1 ? h : h.slice(0, colon)
}

/**
 * A custom domain over several gateways.
 *
 * @example
 * ```ts
 * import { createDomain, createGateway } from '@gatehousejs/core'
 * import { createHandler } from '@gatehousejs/node'
 * const domain = createDomain({
 *   domainName: 'api.example.com',
 *   mappings: { '(none)': createGateway({ api: shop }), v1: createGateway({ api: pets }), 'orders/v2': createGateway({ api: orders }) },
 * })
 * createServer(createHandler(domain)).listen(3000) // GET http://api.example.com/v1/pets → the pets API's GET /pets
 * ```
 */
export function createDomain(options: DomainOptions): Domain {
  if (!options || typeof options !== 'object' || !options.mappings || typeof options.mappings !== 'object') {
    throw new GatewayConfigError('INVALID_OPTION', '`createDomain` needs `mappings`: gateways by base path')
  }
  const domainName = options.domainName === undefined ? undefined : hostName(options.domainName)
  const mutualTls = options.mutualTls === undefined ? undefined : checkMutualTls(options.mutualTls)
  const entries: { base: string; gateway: Gateway; via: RequestVia }[] = []
  const seen = new Set<string>()
  for (const [key, gateway] of Object.entries(options.mappings)) {
    if (!gateway || typeof gateway.dispatch !== 'function') {
      throw new GatewayConfigError('INVALID_OPTION', `domain mapping "${key}" must be a gateway (createGateway or createStage)`)
    }
    const base = basePathOf(key)
    if (seen.has(base)) throw new GatewayConfigError('INVALID_OPTION', `domain mapping "${key}" is given twice`)
    seen.add(base)
    // Made once: behind the domain, `$context.domainName` is the domain's own name, not the Host as the client wrote it.
    entries.push({ base, gateway, via: domainName === undefined ? { basePath: base } : { basePath: base, domainName } })
  }
  // Longest first: `orders/v2` before `orders`, the root last.
  entries.sort((a, b) => b.base.length - a.base.length)

  function select(request: GatewayRequest): { gateway: Gateway; via: RequestVia } | null {
    if (mutualTls !== undefined && request.clientCert == null) return null
    if (domainName !== undefined) {
      const host = lastHeaderValue(request.headers ?? {}, 'host')
      if (host === undefined || hostName(host) !== domainName) return null
    }
    const path = typeof request.path === 'string' ? request.path : ''
    for (const entry of entries) {
      const base = entry.base
      if (base === '' || path === base || (path.startsWith(base) && path.charCodeAt(base.length) === 47) /* / */) return entry
    }
    return null
  }

  return {
    domainName,
    basePaths: entries.map((e) => e.base),
    mutualTls,
    async handle(request, via) {
      const target = select(request)
      if (target === null) return { ...FORBIDDEN, headers: { ...FORBIDDEN.headers } }
      return target.gateway.handle(request, via === undefined ? target.via : { ...via, ...target.via })
    },
    async dispatch(request, via): Promise<GatewayResponse | Passthrough> {
      const target = select(request)
      if (target === null) return { ...FORBIDDEN, headers: { ...FORBIDDEN.headers } }
      return target.gateway.dispatch(request, via === undefined ? target.via : { ...via, ...target.via })
    },
  }
}
