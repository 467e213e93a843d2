/**
 * Gateway responses: every refusal the gateway itself makes, with API Gateway's default status codes and bodies,
 * customisable per type.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import type { HeaderMap } from './types'

/**
 * The gateway response types API Gateway defines.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayResponseType } from '@gatehousejs/core'
 * const type: GatewayResponseType = 'MISSING_AUTHENTICATION_TOKEN'
 * const gw = createGateway({
 *   api: {
 *     resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } },
 *     // Answer an unknown path with 404 rather than REST's 403.
 *     gatewayResponses: { [type]: { statusCode: 404 } },
 *   },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/cats', headers: {} })
 * res.statusCode // 404
 * res.body // '{"message":"Missing Authentication Token"}'
 * ```
 */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED'

interface Default {
  status: number
  message: string
  /** `x-amzn-ErrorType` as API Gateway sends it. */
  errorType: string
}

/**
 * Default status, message and error type (`x-amzn-ErrorType`) of each response type, as API Gateway sends them.
 *
 * @example
 * ```ts
 * import { GATEWAY_RESPONSE_DEFAULTS } from '@gatehousejs/core'
 * GATEWAY_RESPONSE_DEFAULTS.THROTTLED // { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' }
 * GATEWAY_RESPONSE_DEFAULTS.INTEGRATION_TIMEOUT.status // 504
 * ```
 */
export const GATEWAY_RESPONSE_DEFAULTS: Readonly<Record<Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>, Default>> = {
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error', errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  EXPIRED_TOKEN: { status: 403, message: 'Signature expired', errorType: 'InvalidSignatureException' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: {
    status: 403,
    message: 'The request signature we calculated does not match the signature you provided.',
    errorType: 'InvalidSignatureException',
  },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'NotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'WAFFilteredException' },
}

/**
 * Every gateway response type, `DEFAULT_4XX` and `DEFAULT_5XX` last: e.g. to check a customisation's keys.
 *
 * @example
 * ```ts
 * import { GATEWAY_RESPONSE_TYPES } from '@gatehousejs/core'
 * GATEWAY_RESPONSE_TYPES.length // 21
 * GATEWAY_RESPONSE_TYPES.includes('WAF_FILTERED') // true
 * const unknown = Object.keys({ THROTTLED: {}, TOO_SLOW: {} }).filter((k) => !(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(k))
 * unknown // ['TOO_SLOW']
 * ```
 */
export const GATEWAY_RESPONSE_TYPES = [
  ...Object.keys(GATEWAY_RESPONSE_DEFAULTS),
  'DEFAULT_4XX',
  'DEFAULT_5XX',
] as readonly GatewayResponseType[]

/**
 * One customised gateway response, as in `x-amazon-apigateway-gateway-responses`.
 *
 * @example
 * ```ts
 * import { createGateway, type GatewayResponseDefinition } from '@gatehousejs/core'
 * const missingToken: GatewayResponseDefinition = {
 *   statusCode: 404,
 *   responseParameters: { 'gatewayresponse.header.Cache-Control': "'no-store'" },
 *   responseTemplates: { 'application/json': '{"error":$context.error.messageString,"path":"$context.path"}' },
 * }
 * const gw = createGateway({
 *   api: {
 *     resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } },
 *     gatewayResponses: { MISSING_AUTHENTICATION_TOKEN: missingToken },
 *   },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/cats', headers: {} })
 * res.statusCode // 404
 * res.headers['Cache-Control'] // 'no-store'
 * res.body // '{"error":"Missing Authentication Token","path":"/cats"}'
 * ```
 */
export interface GatewayResponseDefinition {
  statusCode?: number | string
  /** `gatewayresponse.header.NAME` → `'static'`, `method.request.header.X`, `context.x`, `stageVariables.x`. */
  responseParameters?: Record<string, string>
  /** Content type → body template (`$context.*`, `$stageVariables.*`, `$input.params(...)` are substituted). */
  responseTemplates?: Record<string, string>
}

/** A refusal on its way to becoming a gateway response. */
export interface GatewayFailure {
  type: GatewayResponseType
  /** `$context.error.message`: defaults to the type's message. */
  message?: string
  /** Status when it differs from the type's default (e.g. a Lambda proxy failure answers 502). */
  status?: number
  /** `$context.error.validationErrorString`. */
  validationErrorString?: string
  /** Extra headers the refusal carries (e.g. `WWW-Authenticate`). */
  headers?: HeaderMap
  /** A body that replaces the default JSON body when no template was customised (e.g. `{"Message":…}`). */
  body?: string
}

export function failure(type: GatewayResponseType, message?: string, extra?: Partial<GatewayFailure>): GatewayFailure {
  return { type, ...(message === undefined ? {} : { message }), ...extra }
}

/** Status code a failure answers with before customisation. */
export function defaultStatus(f: GatewayFailure): number {
  if (f.status !== undefined) return f.status
  if (f.type === 'DEFAULT_4XX') return 400
  if (f.type === 'DEFAULT_5XX') return 500
  return GATEWAY_RESPONSE_DEFAULTS[f.type].status
}

export function defaultMessage(f: GatewayFailure): string {
  if (f.message !== undefined) return f.message
  if (f.type === 'DEFAULT_4XX' || f.type === 'DEFAULT_5XX') return f.type === 'DEFAULT_4XX' ? 'Bad Request' : 'Internal server error'
  return GATEWAY_RESPONSE_DEFAULTS[f.type].message
}

export function errorTypeHeader(f: GatewayFailure): string {
  if (f.type === 'DEFAULT_4XX') return 'BadRequestException'
  if (f.type === 'DEFAULT_5XX') return 'InternalServerErrorException'
  return GATEWAY_RESPONSE_DEFAULTS[f.type].errorType
}
