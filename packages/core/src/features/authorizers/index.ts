/**
 * The authorization step for Lambda (`CUSTOM`), Cognito user pool (`COGNITO_USER_POOLS`, REST) and JWT (HTTP
 * API) authorizers. Each authorizer is compiled once per gateway and shared by its routes (so is its result
 * cache); a route only adds its scopes.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
 */
import { GatewayConfigError, pointer, toText } from '../../errors'
import { resourcePolicyOf } from '../resource-policy'
import { stateKey, type Feature, type RouteContext } from '../types'
import { AUTHORIZATION_TYPE, importAuthorizers, importSecurity } from './import'
import { compileCognitoAuthorizer, compileJwtAuthorizer, type AuthorizeWithScopes } from './jwt'
import { compileLambdaAuthorizer } from './lambda'
import type { AuthorizationOptions } from './options'

export type { AuthorizationOptions } from './options'

/** Each authorizer compiled once per gateway, by name, shared by its routes (and so is its result cache). */
const AUTHORIZERS = stateKey<Map<string, AuthorizeWithScopes>>('authorizers')

const MINE = new Set(['CUSTOM', 'COGNITO_USER_POOLS', 'JWT'])

function authorizerFor(ctx: RouteContext, name: string): AuthorizeWithScopes {
  const compiled = ctx.state.get(AUTHORIZERS, () => new Map<string, AuthorizeWithScopes>())
  const hit = compiled.get(name)
  if (hit) return hit
  const def = ctx.definition.authorizers?.[name]
  if (!def) throw new GatewayConfigError('INVALID_DEFINITION', `authorizer "${name}" is not defined`, `${ctx.at}/authorizer`)
  const at = pointer('authorizers', name)
  const options: AuthorizationOptions = ctx.input.authorization ?? {}
  let made: AuthorizeWithScopes
  if (def.type === 'TOKEN' || def.type === 'REQUEST') {
    const authorize = compileLambdaAuthorizer(def, {
      api: ctx.api,
      functions: ctx.input.functions ?? {},
      options,
      at,
      resourcePolicy: resourcePolicyOf(ctx),
    })
    made = () => authorize
  } else if (def.type === 'COGNITO_USER_POOLS') {
    made = compileCognitoAuthorizer(def, { api: ctx.api, options, at })
  } else if (def.type === 'JWT') {
    made = compileJwtAuthorizer(def, { api: ctx.api, options, at })
  } else {
    throw new GatewayConfigError('INVALID_DEFINITION', `unknown authorizer type "${toText((def as { type: unknown }).type)}"`, `${at}/type`)
  }
  compiled.set(name, made)
  return made
}

/**
 * The authorizers feature (Lambda, Cognito user pools, JWT).
 *
 * @example
 * ```ts
 * // Registered in FEATURES at the authorization step; routes whose method names an authorizer get its stage.
 * const stage = authorizersFeature.compileRoute?.(routeContext)?.before
 * ```
 */
export const authorizersFeature: Feature = {
  name: 'authorizers',
  operationExtensions: ['security'],
  importApi: importAuthorizers,
  importOperation: importSecurity,
  compileRoute(ctx) {
    const { method } = ctx
    const type = method.authorizationType?.toUpperCase()
    if (type !== undefined && !MINE.has(type)) return null
    if (method.authorizer === undefined) {
      if (type === undefined) return null
      throw new GatewayConfigError('INVALID_DEFINITION', `authorizationType ${type} needs an authorizer`, `${ctx.at}/authorizer`)
    }
    const def = ctx.definition.authorizers?.[method.authorizer]
    if (def && type !== undefined && AUTHORIZATION_TYPE[def.type] !== type) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `authorizationType ${type} does not fit authorizer "${method.authorizer}" of type ${def.type}`,
        `${ctx.at}/authorizationType`,
      )
    }
    const authorize = authorizerFor(ctx, method.authorizer)(method.authorizationScopes)
    return { before: authorize }
  },
}
