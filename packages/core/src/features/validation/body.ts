/**
 * Body validation: the model is chosen by the request's Content-Type among the method's `requestModels` (a
 * request without Content-Type reads as `application/json`, as API Gateway reads it for mapping templates); when
 * no content type matches, the `$default` model applies, and without one the body is not validated ("If no
 * matching content type is found, request validation is not performed").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
import { formatValidationErrors, type Validator } from '@gatehousejs/schema'
import { failure, type GatewayFailure } from '../../gateway-responses'
import { lastHeaderValue, mediaType } from '../../http'
import type { RequestState } from '../../state'
import { jsonSyntaxError } from './json-error'

/**
 * `$context.error.validationErrorString` as API Gateway substitutes it into gateway-response templates: escaped
 * for a JSON string, so `{"message": "$context.error.validationErrorString"}` stays valid JSON.
 */
export function escapeForJsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1)
}

/** The stage's body check for one method: `byType` keyed by lower-case media type, `fallback` the `$default` model. */
export function compileBodyCheck(
  byType: ReadonlyMap<string, Validator>,
  fallback: Validator | undefined,
): (state: RequestState) => GatewayFailure | undefined {
  return (state) => {
    const type = mediaType(lastHeaderValue(state.request.headers, 'content-type')) || 'application/json'
    const validate = byType.get(type) ?? fallback
    if (!validate) return undefined
    const text = state.bodyText
    let value: unknown
    // An empty body is validated as an empty object.
    if (text.trim() === '') value = {}
    else {
      try {
        value = JSON.parse(text)
      } catch {
        const detail = jsonSyntaxError(text)
        return failure('BAD_REQUEST_BODY', undefined, { validationErrorString: escapeForJsonString(`[${detail}]`) })
      }
    }
    const errors = validate(value)
    if (errors === null) return undefined
    return failure('BAD_REQUEST_BODY', undefined, { validationErrorString: escapeForJsonString(formatValidationErrors(errors)) })
  }
}
