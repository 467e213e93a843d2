/**
 * The client certificate of a mutual-TLS connection, as API Gateway puts it in `$context.identity.clientCert`.
 */
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { ClientCert } from '../types'

/**
 * The verified client certificate of a mutual-TLS connection, as API Gateway describes it (PEM, subject and
 * issuer DN, serial number, validity); undefined on plain HTTP or when the certificate did not verify.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { createServer } from 'node:https'
 * import { createGateway } from '@gatehousejs/core'
 * import { clientCertOf, headersFromRaw, splitTarget, writeResponse } from '@gatehousejs/core/node'
 * const gw = createGateway({
 *   api: { name: 'pets', resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } } },
 *   functions: { getPet: async (event: any) => ({ statusCode: 200, body: event.requestContext.identity.clientCert.subjectDN }) },
 * })
 * const tls = { key: readFileSync('server.key'), cert: readFileSync('server.crt'), ca: readFileSync('truststore.pem'), requestCert: true }
 * createServer(tls, async (req, res) => {
 *   const request = { method: req.method ?? 'GET', ...splitTarget(req.url), headers: headersFromRaw(req.rawHeaders), clientCert: clientCertOf(req) }
 *   writeResponse(res, await gw.handle(request))
 * }).listen(8443)
 * ```
 */
export function clientCertOf(req: IncomingMessage): ClientCert | undefined {
  const socket = req.socket as TLSSocket | undefined
  if (!socket || !(socket as { encrypted?: boolean }).encrypted || !socket.authorized) return undefined
  const cert = socket.getPeerCertificate?.(false)
  if (!cert?.raw) return undefined
  const b64 = cert.raw.toString('base64')
  const lines: string[] = []
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64))
  const dn = (o: object | undefined) =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
      .join(',')
  return {
    clientCertPem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    subjectDN: dn(cert.subject),
    issuerDN: dn(cert.issuer),
    serialNumber: cert.serialNumber,
    validity: { notBefore: cert.valid_from, notAfter: cert.valid_to },
  }
}
