/**
 * `@gatehousejs/node`: the gateway as a node:http request listener, and mutual TLS as on an API Gateway custom domain.
 */
export { createHandler, type GatewayIncomingMessage, type NodeFallback, type NodeHandlerOptions } from './handler'
export {
  createDomainServer,
  domainsListener,
  domainTlsOptions,
  type DomainCertificate,
  type DomainServerOptions,
} from './domains'
export { DEFAULT_BODY_LIMIT, type NodeAdapterOptions } from '@gatehousejs/core/node'
export {
  createMutualTlsServer,
  mutualTlsServerOptions,
  parseTruststore,
  requireTrustedClient,
  TruststoreError,
  type MutualTlsOptions,
  type Truststore,
} from './tls'
