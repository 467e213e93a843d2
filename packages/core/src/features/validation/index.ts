/**
 * Request validation (REST APIs): models and request validators. A method's validator (its own, else the API's
 * default) decides whether the required request parameters are checked (400 `BAD_REQUEST_PARAMETERS`,
 * `Missing required request parameters: [a, b]`) and whether the body is validated against the model its
 * Content-Type selects (400 `BAD_REQUEST_BODY`, `Invalid request body`, the detail in
 * `$context.error.validationErrorString`). Everything is decided and compiled when the gateway is built; the
 * stage runs after authorization, API keys and throttling, before the cache, and a request that fails never
 * reaches the integration.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
import type { Validator } from '@gatehousejs/schema'
import { GatewayConfigError, pointer, pointerToken, toText } from '../../errors'
import type { GatewayFailure } from '../../gateway-responses'
import type { RequestState } from '../../state'
import { mediaType } from '../../http'
import { stateKey, type Feature, type RouteContext, type Stage } from '../types'
import { compileBodyCheck } from './body'
import { importApiValidation, importOperationValidation, VALIDATOR_KEY, VALIDATORS_KEY } from './import'
import { createModelSet, type ModelSet } from './models'

export { BUILT_IN_MODELS } from './models'
import { compileParamCheck, requiredParams } from './params'

/** The gateway's models, compiled once and shared by its routes. */
const MODELS = stateKey<ModelSet>('validation')

type Check = (state: RequestState) => GatewayFailure | undefined

function models(route: RouteContext): ModelSet {
  return route.state.get(MODELS, () => createModelSet(route.definition))
}

function compileRoute(route: RouteContext): { before: Stage } | null {
  const { definition, method, at } = route
  if (route.api.apiType !== 'REST') {
    if (method.requestValidator !== undefined) {
      route.warn({
        code: 'IGNORED_SETTING',
        message: 'requestValidator: HTTP APIs have no request validation',
        pointer: `${at}/requestValidator`,
      })
    }
    return null
  }
  // Model references are checked on every method, validated or not, as API Gateway refuses them at import.
  const set = models(route)
  for (const [type, name] of Object.entries(method.requestModels ?? {})) {
    if (typeof name !== 'string' || !set.has(name)) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `request model "${toText(name)}" is not defined in models`,
        `${at}/requestModels/${pointerToken(type)}`,
      )
    }
  }
  const validatorName = method.requestValidator ?? definition.requestValidator
  if (validatorName === undefined) return null
  const validator = definition.requestValidators?.[validatorName]
  if (!validator || !Object.prototype.hasOwnProperty.call(definition.requestValidators, validatorName)) {
    const where = method.requestValidator !== undefined ? `${at}/requestValidator` : '/requestValidator'
    throw new GatewayConfigError('INVALID_DEFINITION', `request validator "${validatorName}" is not defined in requestValidators`, where)
  }

  const checks: Check[] = []
  if (validator.validateRequestParameters === true) {
    const params = requiredParams(method, at)
    if (params.length > 0) checks.push(compileParamCheck(params))
  }
  if (validator.validateRequestBody === true && method.requestModels) {
    const byType = new Map<string, Validator>()
    let fallback: Validator | undefined
    for (const [type, name] of Object.entries(method.requestModels)) {
      const v = set.validator(name)
      if (type === '$default') fallback = v
      else if (!byType.has(mediaType(type))) byType.set(mediaType(type), v)
    }
    if (byType.size > 0 || fallback) checks.push(compileBodyCheck(byType, fallback))
  }
  if (checks.length === 0) return null
  if (checks.length === 1) return { before: checks[0]! }
  const [params, body] = checks as [Check, Check]
  // Parameters first: a request missing one is refused for that, whatever its body.
  return { before: (state) => params(state) ?? body(state) }
}

/**
 * Models and request validators (`x-amazon-apigateway-request-validators`, `x-amazon-apigateway-request-validator`).
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const gw = createGateway({ api: {
 *   resources: { '/pets': { POST: { requestValidator: 'all', requestModels: { 'application/json': 'Pet' },
 *     requestParameters: { 'method.request.header.x-tenant': true }, integration: { type: 'MOCK' } } } },
 *   models: { Pet: { type: 'object', required: ['name'] } },
 *   requestValidators: { all: { validateRequestBody: true, validateRequestParameters: true } },
 * } })
 * ```
 */
export const validationFeature: Feature = {
  name: 'validation',
  apiExtensions: [VALIDATORS_KEY, VALIDATOR_KEY],
  operationExtensions: [VALIDATOR_KEY],
  importApi: importApiValidation,
  importOperation: importOperationValidation,
  validate({ definition, api }) {
    if (api.apiType !== 'REST') return
    const validators = definition.requestValidators
    if (validators !== undefined && (typeof validators !== 'object' || validators === null || Array.isArray(validators))) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        'requestValidators must be an object of request validators by name',
        '/requestValidators',
      )
    }
    for (const [name, v] of Object.entries(validators ?? {})) {
      if (typeof v !== 'object' || v === null)
        throw new GatewayConfigError('INVALID_DEFINITION', 'a request validator must be an object', pointer('requestValidators', name))
    }
    const dflt = definition.requestValidator
    if (dflt !== undefined && (typeof dflt !== 'string' || !validators || !Object.prototype.hasOwnProperty.call(validators, dflt))) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `request validator "${toText(dflt)}" is not defined in requestValidators`,
        '/requestValidator',
      )
    }
  },
  compileRoute,
}
