/**
 * Several custom domains on one HTTPS server, as API Gateway serves them: the TLS server name (SNI) picks the
 * domain's certificate, and a domain with `mutualTls` verifies its clients against its own truststore. A request on
 * a mutual-TLS domain whose connection did not present a certificate that chains to that truststore — none, an
 * unknown issuer, self-signed, expired, or a connection negotiated for another name — is answered 403
 * `{"message":"Forbidden"}`, as API Gateway answers it, and never reaches the APIs.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
 * https://repost.aws/knowledge-center/api-gateway-mutual-tls-403-errors
 */
import { X509Certificate } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server, type ServerOptions } from 'node:https'
import { createSecureContext, type DetailedPeerCertificate, type SecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls'
import type { Domain, GatewayLike, GatewayRequest } from '@gatehousejs/core'
import { createHandler, type NodeFallback, type NodeHandlerOptions } from './handler'
import { answerForbidden, parseTruststore, type Truststore } from './tls'

/** A domain name's server certificate: `key` and `cert` (and any other secure context option but `ca`). */
export type DomainCertificate = Omit<SecureContextOptions, 'ca'>

/**
 * Options of {@link createDomainServer}: the server certificate of every domain name, and the adapter's options.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import type { DomainServerOptions } from '@gatehousejs/node'
 * const options: DomainServerOptions = {
 *   certificates: { 'api.example.com': { key: readFileSync('api.key'), cert: readFileSync('api.crt') } },
 * }
 * ```
 */
export interface DomainServerOptions extends NodeHandlerOptions {
  /** Server certificates by domain name (lower case); every named domain needs one. */
  certificates: Readonly<Record<string, DomainCertificate>>
  /** The certificate for a connection without a known server name (default: the first in `certificates`). */
  defaultCertificate?: DomainCertificate
  /** The host app for passthrough requests, as `createHandler`'s `fallback`. */
  fallback?: NodeFallback
}

const MAX_CHAIN = 10

function hostName(host: string): string {
  const h = host.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  // As `createDomain` reads it, so both pick the same domain.
  return colon === -1 ? h : h.slice(0, colon)
}

function asTruststore(value: NonNullable<Domain['mutualTls']>['truststore']): Truststore {
  const parts = Array.isArray(value) ? value : [value]
  return parts.map((p: string | Uint8Array) => (typeof p === 'string' ? p : Buffer.from(p)))
}

interface CheckedDomains {
  named: Map<string, Domain>
  anyHost: Domain | undefined
  trust: Map<Domain, X509Certificate[]>
}

function checkDomains(domains: readonly Domain[]): CheckedDomains {
  const named = new Map<string, Domain>()
  const trust = new Map<Domain, X509Certificate[]>()
  let anyHost: Domain | undefined
  for (const domain of domains) {
    if (domain.domainName === undefined) {
      if (anyHost) throw new TypeError('createDomainServer: only one domain may leave out domainName')
      if (domain.mutualTls) throw new TypeError('createDomainServer: a domain with mutualTls needs a domainName (the TLS server name)')
      anyHost = domain
      continue
    }
    if (named.has(domain.domainName)) throw new TypeError(`createDomainServer: domain ${domain.domainName} is given twice`)
    named.set(domain.domainName, domain)
    if (domain.mutualTls)
      trust.set(
        domain,
        parseTruststore(asTruststore(domain.mutualTls.truststore)).map((pem) => new X509Certificate(pem)),
      )
  }
  return { named, anyHost, trust }
}

/**
 * The `https.createServer` options that give each domain name its certificate (by SNI) and each mutual-TLS domain
 * its truststore. Client certificates are requested on every connection when a domain needs them (TLS asks before
 * it knows the name), never required by the handshake: the refusal is API Gateway's HTTP 403, which
 * {@link createDomainServer} answers. Throws `TruststoreError` for a truststore that does not parse.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createServer } from 'node:https'
 * import { createDomain, createGateway } from '@gatehousejs/core'
 * import { domainTlsOptions } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } }
 * const domain = createDomain({ domainName: 'api.example.com', mappings: { v1: createGateway({ api }) } })
 * const certificates = { 'api.example.com': { key: readFileSync('api.key'), cert: readFileSync('api.crt') } }
 * const options = domainTlsOptions([domain], certificates) // SNICallback, requestCert, rejectUnauthorized: false
 * ```
 */
export function domainTlsOptions(
  domains: readonly Domain[],
  certificates: Readonly<Record<string, DomainCertificate>>,
  defaultCertificate?: DomainCertificate,
): ServerOptions {
  const { named } = checkDomains(domains)
  const contexts = new Map<string, SecureContext>()
  for (const [name, certificate] of Object.entries(certificates)) {
    const domain = named.get(hostName(name))
    const ca = domain?.mutualTls ? parseTruststore(asTruststore(domain.mutualTls.truststore)) : undefined
    contexts.set(hostName(name), createSecureContext({ ...certificate, ...(ca ? { ca } : {}) }))
  }
  for (const name of named.keys()) {
    if (!contexts.has(name)) throw new TypeError(`createDomainServer: no certificate for ${name}`)
  }
  const fallback = defaultCertificate ?? Object.values(certificates)[0]
  if (!fallback) throw new TypeError('createDomainServer: give at least one certificate')
  const { key, cert, pfx, passphrase } = fallback
  return {
    ...(key ? { key } : {}),
    ...(cert ? { cert } : {}),
    ...(pfx ? { pfx } : {}),
    ...(passphrase ? { passphrase } : {}),
    SNICallback: (servername, callback) => callback(null, contexts.get(hostName(servername))),
    requestCert: domains.some((d) => d.mutualTls !== undefined),
    rejectUnauthorized: false,
  }
}

/** The last `Host` of the raw headers (as `createDomain` reads it), lower case, without port. */
function hostOf(req: IncomingMessage): string | undefined {
  let host: string | undefined
  const raw = req.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'host') host = raw[i + 1]
  return host === undefined ? undefined : hostName(host)
}

/**
 * Whether the peer's certificate chain reaches one of `trusted`: the socket verified it against the context its
 * server name chose, and this checks again against the domain's own truststore, so no session or context mix-up
 * lets another name's clients in. Once per connection.
 */
const verified = new WeakMap<TLSSocket, Map<Domain, boolean>>()
function chainsTo(socket: TLSSocket, domain: Domain, trusted: readonly X509Certificate[]): boolean {
  let seen = verified.get(socket)
  const known = seen?.get(domain)
  if (known !== undefined) return known
  let ok = false
  try {
    let peer: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
    for (let depth = 0; !ok && peer?.raw && depth < MAX_CHAIN; depth++) {
      const cert = new X509Certificate(peer.raw)
      ok = trusted.some((ca) => ca.fingerprint256 === cert.fingerprint256 || (cert.checkIssued(ca) && cert.verify(ca.publicKey)))
      peer = peer.issuerCertificate && peer.issuerCertificate !== peer ? peer.issuerCertificate : undefined
    }
  } catch {
    ok = false
  }
  if (!seen) verified.set(socket, (seen = new Map()))
  seen.set(domain, ok)
  return ok
}

/** A domain without mutual TLS reports no client certificate, as API Gateway's events carry none there. */
function withoutClientCert(domain: Domain): GatewayLike {
  const strip = (request: GatewayRequest): GatewayRequest => {
    if (request.clientCert === undefined) return request
    const { clientCert: _dropped, ...rest } = request
    return rest
  }
  return { handle: (r, via) => domain.handle(strip(r), via), dispatch: (r, via) => domain.dispatch(strip(r), via) }
}

/**
 * The request listener of {@link createDomainServer}: the domain the `Host` names (or the one without a name), its
 * mutual TLS enforced (the connection's server name must be that domain's, its client certificate trusted by that
 * truststore), 403 Forbidden otherwise.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:https'
 * import { createDomain, createGateway } from '@gatehousejs/core'
 * import { domainsListener, domainTlsOptions } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } }
 * const domain = createDomain({ domainName: 'api.example.com', mappings: { v1: createGateway({ api }) } })
 * const certificates = { 'api.example.com': { key: 'PEM…', cert: 'PEM…' } }
 * createServer(domainTlsOptions([domain], certificates), domainsListener([domain])).listen(443)
 * ```
 */
export function domainsListener(
  domains: readonly Domain[],
  options: Omit<DomainServerOptions, 'certificates' | 'defaultCertificate'> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const { named, anyHost, trust } = checkDomains(domains)
  const { fallback, ...handlerOptions } = options
  const handlers = new Map<Domain, (req: IncomingMessage, res: ServerResponse) => void>()
  for (const domain of domains) {
    handlers.set(domain, createHandler(domain.mutualTls ? domain : withoutClientCert(domain), fallback, handlerOptions))
  }
  return (req, res) => {
    const host = hostOf(req)
    const domain = (host === undefined ? undefined : named.get(host)) ?? anyHost
    if (domain === undefined) return answerForbidden(res)
    const trusted = trust.get(domain)
    if (trusted !== undefined) {
      const socket = req.socket as TLSSocket
      const servername = typeof socket.servername === 'string' ? hostName(socket.servername) : undefined
      if (socket.authorized !== true || servername !== domain.domainName || !chainsTo(socket, domain, trusted)) return answerForbidden(res)
    }
    handlers.get(domain)!(req, res)
  }
}

/**
 * One HTTPS server for several custom domains: each domain name gets its certificate by SNI, each domain with
 * `mutualTls` verifies its clients against its truststore (403 Forbidden otherwise, and `$context.identity.clientCert`
 * for a verified one); domains without it take clients with or without a certificate. Build errors (a truststore
 * that does not parse, a named domain without a certificate) throw here.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createDomain, createGateway } from '@gatehousejs/core'
 * import { createDomainServer } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } }
 * const partners = createDomain({
 *   domainName: 'partners.example.com',
 *   mappings: { v1: createGateway({ api }) },
 *   mutualTls: { truststore: readFileSync('partners-ca.pem') },
 * })
 * const open = createDomain({ domainName: 'api.example.com', mappings: { v1: createGateway({ api }) } })
 * createDomainServer([partners, open], {
 *   certificates: {
 *     'partners.example.com': { key: readFileSync('partners.key'), cert: readFileSync('partners.crt') },
 *     'api.example.com': { key: readFileSync('api.key'), cert: readFileSync('api.crt') },
 *   },
 * }).listen(443)
 * ```
 */
export function createDomainServer(domains: readonly Domain[], options: DomainServerOptions): Server {
  const { certificates, defaultCertificate, ...rest } = options
  return createServer(domainTlsOptions(domains, certificates, defaultCertificate), domainsListener(domains, rest))
}
