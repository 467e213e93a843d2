/**
 * Mutual TLS, as on an API Gateway custom domain with `mutualTlsAuthentication`: the server asks every client for
 * a certificate and trusts only the truststore (a PEM bundle); a client whose certificate does not chain to it
 * gets 403 Forbidden, and a verified one reaches the API as `$context.identity.clientCert`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
 * https://repost.aws/knowledge-center/api-gateway-mutual-tls-403-errors
 */
import { X509Certificate } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server, type ServerOptions } from 'node:https'
import type { TLSSocket } from 'node:tls'
import type { Gateway, GatewayInput } from '@gatehousejs/core'
import { createHandler, type NodeFallback, type NodeHandlerOptions } from './handler'

/**
 * A truststore that cannot be used. `code` is stable.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createMutualTlsServer, TruststoreError } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore: readFileSync('truststore.pem') }
 * try {
 *   createMutualTlsServer(tls, { api, functions: { getPet } }).listen(8443)
 * } catch (e) {
 *   if (e instanceof TruststoreError) console.error(e.code, e.message) // INVALID_TRUSTSTORE: nothing listens
 *   else throw e
 * }
 * ```
 */
export class TruststoreError extends Error {
  override name = 'TruststoreError'
  readonly code = 'INVALID_TRUSTSTORE' as const
}

/**
 * A truststore: one PEM bundle (CA certificates concatenated), or several.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createMutualTlsServer, type Truststore } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const truststore: Truststore = [readFileSync('root-ca.pem'), readFileSync('intermediates.pem')]
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore }
 * createMutualTlsServer(tls, { api, functions: { getPet } }).listen(8443)
 * ```
 */
export type Truststore = string | Buffer | readonly (string | Buffer)[]

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

/**
 * Split a PEM bundle into its certificates, each parsed once so a broken truststore fails when the server is
 * built, not on the first handshake. Throws {@link TruststoreError} when a block does not parse or there is none.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createServer } from 'node:https'
 * import { createHandler, parseTruststore, requireTrustedClient } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const ca = parseTruststore(readFileSync('truststore.pem')) // one PEM string per certificate; throws when broken
 * const options = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), ca, requestCert: true, rejectUnauthorized: false }
 * createServer(options, requireTrustedClient(createHandler({ api, functions: { getPet } }))).listen(8443)
 * ```
 */
export function parseTruststore(truststore: Truststore): string[] {
  const bundles = (Array.isArray(truststore) ? truststore : [truststore]) as (string | Buffer)[]
  const out: string[] = []
  for (const bundle of bundles) {
    const text = typeof bundle === 'string' ? bundle : Buffer.isBuffer(bundle) ? bundle.toString('utf8') : undefined
    if (text === undefined) throw new TruststoreError('a truststore is PEM text (a string or a Buffer)')
    for (const block of text.match(PEM_BLOCK) ?? []) {
      try {
        new X509Certificate(block)
      } catch {
        throw new TruststoreError(`truststore certificate ${out.length + 1} does not parse`)
      }
      out.push(`${block}\n`)
    }
  }
  if (out.length === 0) throw new TruststoreError('the truststore holds no PEM certificate')
  return out
}

/**
 * HTTPS server options: the server's own `key`/`cert` (and any other `https.ServerOptions`) plus the truststore.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createMutualTlsServer, type MutualTlsOptions } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const tls: MutualTlsOptions = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore: readFileSync('truststore.pem') }
 * createMutualTlsServer(tls, { api, functions: { getPet } }).listen(8443)
 * ```
 */
export interface MutualTlsOptions extends Omit<ServerOptions, 'ca' | 'requestCert' | 'rejectUnauthorized'> {
  truststore: Truststore
}

/**
 * The `https.createServer` options for mutual TLS: only the truststore is trusted, a certificate is requested from
 * every client, and the handshake does not fail on an untrusted one, so the client gets API Gateway's HTTP 403
 * instead of a TLS alert (pair it with {@link requireTrustedClient}).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createServer } from 'node:https'
 * import { createHandler, mutualTlsServerOptions, requireTrustedClient } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore: readFileSync('truststore.pem') }
 * createServer(mutualTlsServerOptions(tls), requireTrustedClient(createHandler({ api, functions: { getPet } }))).listen(8443)
 * ```
 */
export function mutualTlsServerOptions(options: MutualTlsOptions): ServerOptions {
  const { truststore, ...rest } = options
  return { ...rest, ca: parseTruststore(truststore), requestCert: true, rejectUnauthorized: false }
}

const FORBIDDEN = '{"message":"Forbidden"}'

/**
 * Wrap a request listener so that a request whose connection presented no certificate, or one that does not
 * chain to the truststore (unknown issuer, self-signed, expired, not yet valid), is answered 403
 * `{"message":"Forbidden"}` and never reaches the gateway.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createServer } from 'node:https'
 * import express from 'express'
 * import { gateway } from '@gatehousejs/express'
 * import { mutualTlsServerOptions, requireTrustedClient } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const app = express()
 * app.use(gateway({ api, functions: { getPet } }))
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore: readFileSync('truststore.pem') }
 * createServer(mutualTlsServerOptions(tls), requireTrustedClient(app)).listen(8443) // 403 before Express for an untrusted client
 * ```
 */
export function requireTrustedClient(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const socket = req.socket as TLSSocket
    if (socket.authorized === true) {
      listener(req, res)
      return
    }
    answerForbidden(res)
  }
}

/** API Gateway's 403 to a client without a trusted certificate. The body is not read: the connection closes after it. */
export function answerForbidden(res: ServerResponse): void {
  res.writeHead(403, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(FORBIDDEN)),
    'x-amzn-ErrorType': 'ForbiddenException',
    connection: 'close',
  })
  res.end(FORBIDDEN)
}

/**
 * An HTTPS server that serves the gateway behind mutual TLS. Build errors (definition, truststore) throw here.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createMutualTlsServer } from '@gatehousejs/node'
 * const api = { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } }
 * const getPet = async () => ({ statusCode: 200, body: '{"id":1}' })
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), truststore: readFileSync('truststore.pem') }
 * createMutualTlsServer(tls, { api, functions: { getPet } }).listen(8443) // $context.identity.clientCert for verified clients
 * ```
 */
export function createMutualTlsServer(
  tls: MutualTlsOptions,
  input: GatewayInput | Gateway,
  fallback?: NodeFallback,
  options?: NodeHandlerOptions,
): Server {
  const serverOptions = mutualTlsServerOptions(tls)
  return createServer(serverOptions, requireTrustedClient(createHandler(input, fallback, options)))
}
