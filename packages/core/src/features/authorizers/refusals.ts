/**
 * API Gateway's answers when an authorizer refuses or breaks, per API type.
 * REST: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * HTTP: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
import type { ApiType } from '../../definition'
import { failure, type GatewayFailure } from '../../gateway-responses'
import { authorizerDeniedMessage } from '../../policy'

/**
 * The refusals one API type answers with.
 *
 * @example
 * ```ts
 * const r: Refusals = refusals('REST')
 * r.denied(true) // ACCESS_DENIED 403 {"Message":"User is not authorized to access this resource with an explicit deny"}
 * ```
 */
export interface Refusals {
  /** 401: missing identity source, validation expression mismatch, `Unauthorized` from the function. */
  unauthorized: GatewayFailure
  /** 403: the policy denied (explicitly or not). */
  denied(explicit: boolean): GatewayFailure
  /** 500: the function failed or answered something that is not an authorizer result. */
  configurationError: GatewayFailure
  /** 500: the function did not answer in time. */
  timeout: GatewayFailure
}

// REST answers a broken authorizer with the default template and a null message: `{"message":null}`.
const NULL_BODY = '{"message":null}'

/**
 * Builds the refusals of an API type once (they are shared, never mutated).
 *
 * @example
 * ```ts
 * refusals('HTTP').unauthorized // UNAUTHORIZED 401 {"message":"Unauthorized"}
 * ```
 */
export function refusals(apiType: ApiType): Refusals {
  if (apiType === 'HTTP') {
    const internal = failure('AUTHORIZER_FAILURE', 'Internal Server Error')
    const forbidden = failure('ACCESS_DENIED', 'Forbidden')
    return {
      unauthorized: failure('UNAUTHORIZED'),
      denied: () => forbidden,
      configurationError: internal,
      timeout: internal,
    }
  }
  const explicit = authorizerDeniedMessage(true)
  const implicit = authorizerDeniedMessage(false)
  const deniedExplicit = failure('ACCESS_DENIED', explicit, { body: JSON.stringify({ Message: explicit }) })
  const deniedImplicit = failure('ACCESS_DENIED', implicit, { body: JSON.stringify({ Message: implicit }) })
  return {
    unauthorized: failure('UNAUTHORIZED'),
    denied: (e) => (e ? deniedExplicit : deniedImplicit),
    configurationError: failure('AUTHORIZER_CONFIGURATION_ERROR', undefined, { body: NULL_BODY }),
    timeout: failure('AUTHORIZER_FAILURE', undefined, { body: NULL_BODY }),
  }
}
