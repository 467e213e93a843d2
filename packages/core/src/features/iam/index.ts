/**
 * `authorizationType: AWS_IAM`: SigV4-signed requests, the access key mapped to an in-process principal (an IAM
 * user or role session with identity policies), identity and resource policies combined as API Gateway does,
 * and `$context.identity.*` filled.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
 */
import type { ApiDefinition, MethodDefinition } from '../../definition'
import { GatewayConfigError, toText } from '../../errors'
import { failure } from '../../gateway-responses'
import { createIamAuthorizer, PolicyError, type IamAuthorizer, type IamIdentity, type IamPrincipalConfig } from '../../policy'
import type { RequestState } from '../../state'
import { conditionContext, methodArn, resourcePolicyOf } from '../resource-policy'
import { stateKey, type Feature, type GatewayContext, type ImportContext, type Json } from '../types'
import type { IamPrincipals } from './options'

export type { IamPrincipals } from './options'
import { isObject } from '../../json'

/** The IAM authorizer of a gateway that has `AWS_IAM` methods or principals (null when it has neither). */
const IAM_AUTHORIZER = stateKey<IamAuthorizer | null>('iam')

/**
 * The gateway's IAM authorizer (SigV4 callers mapped to \`principals\`, with the resource policy), or null when the
 * gateway has no principals and no \`AWS_IAM\` method. Built once.
 *
 * @example
 * \`\`\`ts
 * const iam = iamAuthorizerOf(ctx)
 * const r = await iam?.authorize({ request: state.request, resourceArn: methodArn(state), action: 'execute-api:InvalidateCache' })
 * \`\`\`
 */
export function iamAuthorizerOf(gateway: GatewayContext): IamAuthorizer | null {
  return gateway.state.get(IAM_AUTHORIZER, () => createAuthorizer(gateway))
}

function createAuthorizer(gateway: GatewayContext): IamAuthorizer | null {
  const { definition, input, api } = gateway
  if (input.principals === undefined && !usesIam(definition)) return null
  try {
    const resourcePolicy = resourcePolicyOf(gateway)
    return createIamAuthorizer({
      principals: principalList(input.principals),
      region: api.region,
      now: api.now,
      ...(resourcePolicy ? { resourcePolicy } : {}),
    })
  } catch (e) {
    if (e instanceof PolicyError) throw new GatewayConfigError('INVALID_OPTION', `principals: ${e.message}`, undefined, { cause: e })
    throw e
  }
}

function principalList(p: IamPrincipals | undefined): IamPrincipalConfig[] {
  if (p === undefined) return []
  if (Array.isArray(p)) return [...(p as readonly IamPrincipalConfig[])]
  if (typeof p !== 'object' || p === null)
    throw new GatewayConfigError('INVALID_OPTION', '`principals` must be a list of principals or a map from access key id')
  return Object.entries(p as Record<string, Omit<IamPrincipalConfig, 'accessKeyId'>>).map(([accessKeyId, rest]) => ({
    ...rest,
    accessKeyId,
  }))
}

function usesIam(definition: ApiDefinition): boolean {
  for (const methods of Object.values(definition.resources)) {
    for (const m of Object.values(methods as Record<string, MethodDefinition>)) if (isIam(m)) return true
  }
  return false
}

function isIam(method: MethodDefinition): boolean {
  return typeof method.authorizationType === 'string' && method.authorizationType.toUpperCase() === 'AWS_IAM'
}

/** `securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2). */
function securitySchemes(doc: Json): Json {
  const components = isObject(doc.components) ? doc.components : {}
  if (isObject(components.securitySchemes)) return components.securitySchemes
  return isObject(doc.securityDefinitions) ? doc.securityDefinitions : {}
}

function isSigv4Scheme(scheme: unknown): boolean {
  return isObject(scheme) && toText(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'awssigv4'
}

function fillIdentity(state: RequestState, id: IamIdentity): void {
  const identity = state.identity
  identity.accessKey = id.accessKey
  identity.accountId = id.accountId
  identity.caller = id.caller
  identity.user = id.user
  identity.userArn = id.userArn
  // HTTP APIs hand IAM callers to the integration as `requestContext.authorizer.iam`.
  if (state.api.apiType === 'HTTP') {
    state.authorizer = {
      iam: {
        accessKey: id.accessKey,
        accountId: id.accountId,
        callerId: id.caller,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: id.userArn,
        userId: id.user,
      },
    }
  }
}

function importSecurity(op: Json, method: MethodDefinition, at: string, ctx: ImportContext): void {
  const auth = op['x-amazon-apigateway-auth']
  if (auth !== undefined) {
    const type = isObject(auth) ? toText(auth.type ?? '').toUpperCase() : ''
    if (type !== 'AWS_IAM' && type !== 'NONE') {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        'x-amazon-apigateway-auth type must be "AWS_IAM" or "NONE"',
        `${at}/x-amazon-apigateway-auth/type`,
      )
    }
    method.authorizationType = type
  }
  // An operation without `security` inherits the document's (OpenAPI); `security: []` means none.
  const security = op.security !== undefined ? op.security : ctx.doc.security
  if (!Array.isArray(security)) return
  const schemes = securitySchemes(ctx.doc)
  const undefinedNames: string[] = []
  for (const requirement of security) {
    if (!isObject(requirement)) continue
    for (const name of Object.keys(requirement)) {
      const scheme = Object.hasOwn(schemes, name) ? ctx.deref(schemes[name], at) : undefined
      // `x-amazon-apigateway-auth` decides the authorization type when present; undefined schemes are still reported.
      if (isSigv4Scheme(scheme)) method.authorizationType = auth === undefined ? 'AWS_IAM' : method.authorizationType
      else if (scheme === undefined) undefinedNames.push(name)
    }
  }
  const pointerAt = op.security !== undefined ? `${at}/security` : '/security'
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')
  // No feature can act on a scheme the document does not define: the method would silently stay open.
  if (undefinedNames.length > 0) {
    ctx.warn({
      code: 'UNSUPPORTED_EXTENSION',
      message: `security requirement names undefined scheme(s) ${quoted(undefinedNames)}: not enforced`,
      pointer: pointerAt,
    })
  }
  // Other schemes (Lambda, Cognito, JWT authorizers, API keys) are the authorizer and API-key features' to import
  // and to report.
}

/**
 * The `AWS_IAM` authorization stage: imports `security` requirements that name a `sigv4` scheme
 * (`x-amazon-apigateway-authtype: awsSigv4`) and `x-amazon-apigateway-auth: { type: AWS_IAM }`; builds the
 * authorizer once per gateway from `GatewayInput.principals`; per request verifies the signature, evaluates the
 * caller's identity policies with the resource policy, and fills `$context.identity`.
 *
 * @example
 * ```ts
 * const gw = createGateway({ api, principals: { AKIAALICE: { secretAccessKey: 's', arn: 'arn:aws:iam::111122223333:user/alice', policies } } })
 * ```
 */
export const iamFeature: Feature = {
  name: 'iam',
  operationExtensions: ['security', 'x-amazon-apigateway-auth'],

  importOperation(op, method, at, ctx) {
    importSecurity(op, method, at, ctx)
  },

  validate(gateway) {
    iamAuthorizerOf(gateway)
  },

  compileRoute(route) {
    const method = route.method
    if (!isIam(method)) return null
    const iam = iamAuthorizerOf(route)!
    return {
      before: async (state) => {
        const r = await iam.authorize({ request: state.request, resourceArn: methodArn(state), context: conditionContext(state) })
        if (r.ok) {
          fillIdentity(state, r.identity)
          return undefined
        }
        if (r.identity) fillIdentity(state, r.identity)
        // An unknown access key answers AccessDeniedException on API Gateway ("The security token included in
        // the request is invalid."), not InvalidSignatureException.
        const type = r.signatureCode === 'UNRECOGNIZED_CLIENT' ? 'ACCESS_DENIED' : r.responseType
        return failure(type, r.message, { body: r.body })
      },
    }
  },
}
