/**
 * The `$context` variables of access logs, each a getter on what one request left behind. The names are API
 * Gateway's, from the REST list ("Variables for access logging for API Gateway") and the HTTP API list
 * ("Customizing HTTP API access logs"):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 * A value that does not exist for the request is `-`, as API Gateway writes it.
 */
import { defaultMessage } from '../../gateway-responses'
import { bodyLength } from '../../http'
import { xrayTraceId } from '../../http/trace-id'
import type { RequestState } from '../../state'

/** What a finished request leaves for its access-log line. */
export interface AccessLogEntry {
  state: RequestState
  /** `$context.status`: the status the client got. */
  status: number
  /** `$context.responseLength`: the body's length in bytes. */
  responseLength: number
  /** `$context.responseLatency`: ms from the request's arrival to its answer. */
  responseLatency: number
}

/** A variable's value for an entry; one declared without the entry parameter is a constant (compiled into the text). */
export type Getter = (entry: AccessLogEntry) => unknown

const id = (e: AccessLogEntry) => e.state.identity
const none = () => undefined
const errorMessage = (e: AccessLogEntry) => (e.state.failure ? defaultMessage(e.state.failure) : undefined)
const integrationLatency = (e: AccessLogEntry) => e.state.integrationLatency

/** Every variable with a fixed name. */
export const VARIABLES: Readonly<Record<string, Getter>> = {
  accountId: (e) => e.state.api.accountId,
  apiId: (e) => e.state.api.apiId,
  awsEndpointRequestId: none,
  deploymentId: (e) => e.state.api.deploymentId,
  domainName: (e) => e.state.domainName,
  domainPrefix: (e) => e.state.domainPrefix,
  // Present only when the stage has a canary (createStage).
  isCanaryRequest: (e) => e.state.via?.canary,
  'error.message': errorMessage,
  'error.messageString': (e) => {
    const m = errorMessage(e)
    return m === undefined ? undefined : JSON.stringify(m)
  },
  'error.responseType': (e) => e.state.failure?.type,
  'error.validationErrorString': (e) => e.state.failure?.validationErrorString,
  extendedRequestId: (e) => e.state.extendedRequestId,
  httpMethod: (e) => e.state.request.method,
  'identity.accountId': (e) => id(e).accountId,
  'identity.apiKey': (e) => id(e).apiKey,
  'identity.apiKeyId': (e) => id(e).apiKeyId,
  'identity.caller': (e) => id(e).caller,
  'identity.cognitoAuthenticationProvider': (e) => id(e).cognitoAuthenticationProvider,
  'identity.cognitoAuthenticationType': (e) => id(e).cognitoAuthenticationType,
  'identity.cognitoIdentityId': (e) => id(e).cognitoIdentityId,
  'identity.cognitoIdentityPoolId': (e) => id(e).cognitoIdentityPoolId,
  'identity.principalOrgId': (e) => id(e).principalOrgId,
  'identity.sourceIp': (e) => id(e).sourceIp,
  'identity.user': (e) => id(e).user,
  'identity.userAgent': (e) => id(e).userAgent,
  'identity.userArn': (e) => id(e).userArn,
  'identity.accessKey': (e) => id(e).accessKey,
  'identity.clientCert.clientCertPem': (e) => e.state.request.clientCert?.clientCertPem,
  'identity.clientCert.subjectDN': (e) => e.state.request.clientCert?.subjectDN,
  'identity.clientCert.issuerDN': (e) => e.state.request.clientCert?.issuerDN,
  'identity.clientCert.serialNumber': (e) => e.state.request.clientCert?.serialNumber,
  'identity.clientCert.validity.notBefore': (e) => e.state.request.clientCert?.validity.notBefore,
  'identity.clientCert.validity.notAfter': (e) => e.state.request.clientCert?.validity.notAfter,
  'integration.latency': integrationLatency,
  'integration.status': (e) => e.state.integrationStatus,
  // The status the integration service answered with: a Lambda function that answered is Lambda's 200.
  'integration.integrationStatus': (e) => e.state.integrationStatus,
  'integration.error': () => undefined,
  'integration.requestId': () => undefined,
  integrationLatency,
  integrationStatus: (e) => e.state.integrationStatus,
  path: (e) => e.state.request.path,
  protocol: () => 'HTTP/1.1',
  requestId: (e) => e.state.requestId,
  requestTime: (e) => e.state.requestTime,
  requestTimeEpoch: (e) => e.state.epoch,
  resourceId: (e) => e.state.route.resourceId || undefined,
  resourcePath: (e) => e.state.route.resourcePath || undefined,
  responseLatency: (e) => e.responseLatency,
  responseLength: (e) => e.responseLength,
  routeKey: (e) => e.state.route.routeKey || undefined,
  stage: (e) => e.state.api.stage,
  status: (e) => e.status,
  // API Gateway writes the trace id only for stages with X-Ray tracing (`tracingEnabled`); otherwise `-`.
  xrayTraceId: (e) => (e.state.api.tracingEnabled ? xrayTraceId(e.state.traceHeader) : undefined),
  'authorizer.integrationLatency': (e) => authorizerValue(e, ['integrationLatency']),
  'authorizer.latency': (e) => authorizerValue(e, ['integrationLatency']),
  'authorizer.principalId': (e) => authorizerValue(e, ['principalId']),
  'authorizer.error': () => undefined,
  'authorizer.integrationStatus': () => undefined,
  'authorizer.requestId': () => undefined,
  'authorizer.status': () => undefined,
  // Phases gatehouse does not time one by one (authorize, authenticate, WAF): no value, as API Gateway writes a
  // phase that did not run.
  'authorize.error': none,
  'authorize.latency': none,
  'authorize.status': none,
  'authenticate.error': none,
  'authenticate.latency': none,
  'authenticate.status': none,
  'waf.error': none,
  'waf.latency': none,
  'waf.status': none,
  wafResponseCode: none,
  webaclArn: none,
  awsEndpointRequestId2: none,
  // The base path mapping the request came through, without its leading `/` (AWS: `v1`, `orders/v2`).
  'customDomain.basePathMatched': (e) => e.state.via?.basePath?.slice(1),
  integrationErrorMessage: none,
  // HTTP APIs: the bytes processed, request and response bodies together.
  dataProcessed: (e) => bodyLength(e.state.request.body) + e.responseLength,
  'responseOverride.status': none,
}

/** `$context.authorizer.*`: a claim (`claims.sub`), the Lambda authorizer's context key, or a JWT authorizer's claim. */
function authorizerValue(e: AccessLogEntry, path: readonly string[]): unknown {
  const a = e.state.authorizer
  if (a === null) return undefined
  // HTTP APIs keep the Lambda context under `lambda` and JWT claims under `jwt` (`$context.authorizer.claims.x`).
  const roots: unknown[] = [a]
  if (typeof a.lambda === 'object' && a.lambda !== null) roots.push(a.lambda)
  if (typeof a.jwt === 'object' && a.jwt !== null) roots.push(a.jwt)
  for (const root of roots) {
    let v: unknown = root
    for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined
    if (v !== undefined) return v
  }
  return undefined
}

/**
 * The getter of `$context.<name>`, or null when API Gateway documents no such variable.
 *
 * @example
 * ```ts
 * variable('status') // (e) => e.status
 * variable('authorizer.claims.sub') // the `sub` claim
 * variable('nope') // null
 * ```
 */
export function variable(name: string): Getter | null {
  if (Object.hasOwn(VARIABLES, name)) return VARIABLES[name]!
  // What a mapping template overrode: not recorded for logs (written as -), but a variable API Gateway knows.
  if (/^(requestOverride\.(header|path|querystring)|responseOverride\.header)\.[^.]+$/.test(name)) return none
  if (name.startsWith('authorizer.') && name.length > 11) {
    const path = name.slice(11).split('.')
    return (e) => authorizerValue(e, path)
  }
  return null
}

/** A value as a log line writes it: `-` when absent, text as is, numbers and booleans printed, objects as JSON. */
export function text(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-'
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  try {
    return JSON.stringify(v) ?? '-'
  } catch {
    return '-'
  }
}
