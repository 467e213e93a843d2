/**
 * `authorizationType: AWS_IAM` in-process: SigV4 verification against configured principals (users and
 * role sessions with their identity policies), then the identity and resource policies combined as
 * API Gateway does. The outcome carries the gateway response type, status and AWS's body.
 */
import { type SignableRequest, verifyRequest, type VerifyFailureCode } from '@gatehousejs/sigv4'
import { arnAccount } from './arn'
import { type CompiledPolicy, compilePolicy } from './compile'
import { PolicyError } from './errors'
import { evaluatePolicies } from './evaluate'
import { iamDeniedMessage } from './messages'
import type { ContextValue, PolicyDocument, RequestPrincipal } from './types'

/**
 * One caller the gateway knows: its keys, its ARN (IAM user or assumed-role session) and identity policies.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * import type { IamPrincipalConfig } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * // Temporary credentials of an assumed-role session, valid for an hour.
 * const session: IamPrincipalConfig = {
 *   accessKeyId: 'ASIADEPLOY',
 *   secretAccessKey: 'deploy-secret',
 *   sessionToken: 'deploy-session-token',
 *   expiration: Date.UTC(2025, 0, 1, 13),
 *   arn: 'arn:aws:sts::111122223333:assumed-role/deployer/ci',
 *   policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 *   accountId: '111122223333',
 *   principals: [session],
 *   now: () => Date.UTC(2025, 0, 1, 12),
 * })
 * const signed = signRequest(
 *   { method: 'GET', path: '/pets', headers: { host: 'api.example.com' } },
 *   { accessKeyId: 'ASIADEPLOY', secretAccessKey: 'deploy-secret', sessionToken: 'deploy-session-token' },
 *   { region: 'us-east-1', service: 'execute-api', date: new Date(Date.UTC(2025, 0, 1, 12)) },
 * )
 * const res = await gw.handle(signed)
 * res.statusCode // 200
 * ```
 */
export interface IamPrincipalConfig {
  accessKeyId: string
  secretAccessKey: string
  /** Temporary credentials: the request must carry this token. */
  sessionToken?: string
  /** When temporary credentials expire (epoch ms): later requests get `EXPIRED_TOKEN`. */
  expiration?: number
  /** `arn:aws:iam::<account>:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string
  /** The principal id AWS reports as `$context.identity.user`/`caller` (e.g. `AIDA…`); default the access key id. */
  userId?: string
  policies?: readonly (PolicyDocument | CompiledPolicy)[]
}

/**
 * Options of {@link createIamAuthorizer}.
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, type IamAuthorizerOptions } from '@gatehousejs/core/policy'
 * const options: IamAuthorizerOptions = {
 *   region: 'us-east-1',
 *   principals: [{ accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret', arn: 'arn:aws:iam::111122223333:user/alice' }],
 *   // Alice has no identity policy: the API's resource policy grants her access (same account, Table A).
 *   resourcePolicy: {
 *     Version: '2012-10-17',
 *     Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 'execute-api:Invoke', Resource: '*' }],
 *   },
 *   maxSkewMs: 60_000,
 * }
 * const iam = createIamAuthorizer(options)
 * ```
 */
export interface IamAuthorizerOptions {
  principals: readonly IamPrincipalConfig[]
  /** The API's region: the credential scope must name it. */
  region: string
  /** Default `execute-api`. */
  service?: string
  resourcePolicy?: PolicyDocument | CompiledPolicy
  now?: () => number
  /** SigV4 clock skew allowance (default 5 minutes). */
  maxSkewMs?: number
}

/**
 * `$context.identity` for an IAM-authorized request.
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, type IamIdentity } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const iam = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies: [policy] }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const resourceArn = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * const r = await iam.authorize({ request: { ...request, sourceIp: '192.0.2.7' }, resourceArn })
 * if (r.ok) {
 *   const identity: IamIdentity = r.identity
 *   identity // { accessKey: 'AKIAALICE', accountId: '111122223333', caller: 'AKIAALICE', user: 'AKIAALICE', userArn: 'arn:aws:iam::111122223333:user/alice', sourceIp: '192.0.2.7' }
 * }
 * ```
 */
export interface IamIdentity {
  accessKey: string
  accountId: string
  caller: string
  user: string
  userArn: string
  sourceIp?: string
}

/**
 * The gateway response types an IAM refusal maps to (all 403 on API Gateway).
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, type IamRefusalType } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const iam = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies: [policy] }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const resourceArn = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * const refusal = async (req: typeof request): Promise<IamRefusalType | null> => {
 *   const r = await iam.authorize({ request: req, resourceArn })
 *   return r.ok ? null : r.responseType
 * }
 * await refusal(request) // null
 * await refusal({ ...request, headers: { host } }) // 'MISSING_AUTHENTICATION_TOKEN'
 * await refusal({ ...request, path: '/prod/cats' }) // 'INVALID_SIGNATURE'
 * ```
 */
export type IamRefusalType = 'MISSING_AUTHENTICATION_TOKEN' | 'INVALID_SIGNATURE' | 'EXPIRED_TOKEN' | 'ACCESS_DENIED'

/**
 * The outcome of {@link IamAuthorizer.authorize}: the identity, or a refusal with API Gateway's response
 * type, status code and default body (JSON text).
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, type IamAuthorization } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const iam = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies: [policy] }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const resourceArn = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * // Alice's policy allows `execute-api:Invoke` only, not the cache invalidation asked for here.
 * const r: IamAuthorization = await iam.authorize({ request, resourceArn, action: 'execute-api:InvalidateCache' })
 * r.ok // false
 * if (!r.ok) {
 *   r.responseType // 'ACCESS_DENIED'
 *   r.statusCode // 403
 *   r.body // '{"Message":"User: arn:aws:iam::********3333:user/alice is not authorized to perform: execute-api:InvalidateCache on resource: arn:aws:execute-api:us-east-1:********3333:abc123/prod/GET/pets"}'
 * }
 * ```
 */
export type IamAuthorization =
  | { ok: true; identity: IamIdentity; principal: RequestPrincipal }
  | {
      ok: false
      responseType: IamRefusalType
      statusCode: 403
      message: string
      body: string
      /** Why SigV4 verification failed, when it did. */
      signatureCode?: VerifyFailureCode
      /** Who was refused (set once the signature verified). */
      identity?: IamIdentity
    }

/**
 * What to authorize: the request as it came (wire path, raw query, lower-case headers, body, source IP)
 * and the method ARN ({@link executeApiArn}).
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, executeApiArn, type IamAuthorizeInput } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const overTls = { Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }
 * const policies = [{ Version: '2012-10-17', Statement: [overTls] }]
 * const iam = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets/7', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const input: IamAuthorizeInput = {
 *   request,
 *   resourceArn: executeApiArn({ region: 'us-east-1', accountId: '111122223333', apiId: 'abc123', stage: 'prod', method: 'GET', path: '/pets/7' }),
 *   context: { 'aws:SecureTransport': true },
 * }
 * ;(await iam.authorize(input)).ok // true
 * ;(await iam.authorize({ ...input, context: { 'aws:SecureTransport': false } })).ok // false
 * ```
 */
export interface IamAuthorizeInput {
  request: SignableRequest & { sourceIp?: string }
  resourceArn: string
  /** Default `execute-api:Invoke`. */
  action?: string
  /** Extra condition keys (e.g. `aws:SourceVpc`, `aws:SecureTransport`). */
  context?: Record<string, ContextValue | undefined>
}

/**
 * A compiled IAM authorizer.
 *
 * @example
 * ```ts
 * import { createIamAuthorizer, type IamAuthorizer } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const iam: IamAuthorizer = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies: [policy] }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const resourceArn = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * const result = await iam.authorize({ request, resourceArn })
 * result.ok // true
 * ```
 */
export interface IamAuthorizer {
  authorize(input: IamAuthorizeInput): Promise<IamAuthorization>
}

interface Known {
  config: IamPrincipalConfig
  principal: RequestPrincipal
  policies: CompiledPolicy[]
  userName?: string
}

const PRINCIPAL_ARN = /^arn:aws[\w-]*:(iam::\d{12}:user\/.+|sts::\d{12}:assumed-role\/[^/]+\/.+|iam::\d{12}:role\/.+)$/

function refuse(
  responseType: IamRefusalType,
  message: string,
  extra: { signatureCode?: VerifyFailureCode; identity?: IamIdentity } = {},
): IamAuthorization {
  // IAM's own AccessDenied body uses "Message"; the gateway's SigV4 refusals use "message".
  const body = JSON.stringify(responseType === 'ACCESS_DENIED' ? { Message: message } : { message })
  return { ok: false, responseType, statusCode: 403, message, body, ...extra }
}

/**
 * Builds the AWS_IAM authorizer: validates the principals and compiles their policies and the resource
 * policy now (throws {@link PolicyError}); `authorize` then verifies the SigV4 signature, maps the access key
 * to its principal, evaluates identity and resource policies (Tables A/B of "How API Gateway resource policies
 * affect authorization workflow") and returns `$context.identity` or the refusal.
 *
 * @example
 * ```ts
 * import { createIamAuthorizer } from '@gatehousejs/core/policy'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const alice = { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' }
 * const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] }
 * const iam = createIamAuthorizer({ region: 'us-east-1', principals: [{ ...alice, arn: 'arn:aws:iam::111122223333:user/alice', policies: [policy] }] })
 * const host = 'abc123.execute-api.us-east-1.amazonaws.com'
 * const request = signRequest({ method: 'GET', path: '/prod/pets', headers: { host } }, alice, { region: 'us-east-1', service: 'execute-api' })
 * const resourceArn = 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets'
 * const r = await iam.authorize({ request, resourceArn })
 * r.ok // true
 * r.ok && r.identity.userArn // 'arn:aws:iam::111122223333:user/alice'
 * const unsigned = await iam.authorize({ request: { method: 'GET', path: '/prod/pets', headers: {} }, resourceArn })
 * unsigned.ok ? null : unsigned.body // '{"message":"Missing Authentication Token"}'
 * ```
 */
export function createIamAuthorizer(options: IamAuthorizerOptions): IamAuthorizer {
  if (!options || typeof options.region !== 'string' || options.region === '') {
    throw new PolicyError('INVALID_IAM_CONFIG', 'the IAM authorizer needs the API region')
  }
  const byKey = new Map<string, Known>()
  options.principals.forEach((c, i) => {
    const where = `principals[${i}]`
    if (typeof c.accessKeyId !== 'string' || c.accessKeyId === '' || typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
      throw new PolicyError('INVALID_IAM_CONFIG', `${where} needs an accessKeyId and a secretAccessKey`)
    }
    if (byKey.has(c.accessKeyId)) throw new PolicyError('INVALID_IAM_CONFIG', `${where}: access key '${c.accessKeyId}' is configured twice`)
    if (typeof c.arn !== 'string' || !PRINCIPAL_ARN.test(c.arn)) {
      throw new PolicyError(
        'INVALID_IAM_CONFIG',
        `${where}.arn must be an IAM user, role or assumed-role ARN, got ${JSON.stringify(c.arn)}`,
      )
    }
    const policies = (c.policies ?? []).map((p, j) => {
      if ('statements' in p && 'kind' in p) return p as CompiledPolicy
      try {
        return compilePolicy(p as PolicyDocument, { kind: 'identity' })
      } catch (err) {
        throw new PolicyError('INVALID_POLICY', `${where}.policies[${j}]: ${(err as Error).message}`)
      }
    })
    const userName = /:user\/(?:.*\/)?([^/]+)$/.exec(c.arn)?.[1]
    byKey.set(c.accessKeyId, {
      config: c,
      principal: { arn: c.arn, accountId: arnAccount(c.arn)! },
      policies,
      ...(userName ? { userName } : {}),
    })
  })
  const resourcePolicy =
    options.resourcePolicy === undefined
      ? undefined
      : 'statements' in options.resourcePolicy
        ? (options.resourcePolicy as CompiledPolicy)
        : compilePolicy(options.resourcePolicy as PolicyDocument, { kind: 'resource' })
  const now = options.now ?? Date.now

  const lookupSecret = (id: string) => {
    const k = byKey.get(id)
    if (!k) return undefined
    const c = k.config
    return {
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
      ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
    }
  }

  return {
    async authorize(input) {
      const result = await verifyRequest(input.request, {
        lookupSecret,
        region: options.region,
        service: options.service ?? 'execute-api',
        now,
        ...(options.maxSkewMs !== undefined ? { maxSkewMs: options.maxSkewMs } : {}),
      })
      if (!result.ok) {
        const type: IamRefusalType =
          result.code === 'MISSING_AUTHENTICATION_TOKEN'
            ? 'MISSING_AUTHENTICATION_TOKEN'
            : result.code === 'EXPIRED_TOKEN'
              ? 'EXPIRED_TOKEN'
              : 'INVALID_SIGNATURE'
        return refuse(type, result.reason, { signatureCode: result.code })
      }
      const known = byKey.get(result.accessKeyId)!
      const identity: IamIdentity = {
        accessKey: result.accessKeyId,
        accountId: known.principal.accountId,
        caller: known.config.userId ?? result.accessKeyId,
        user: known.config.userId ?? result.accessKeyId,
        userArn: known.principal.arn,
        ...(input.request.sourceIp !== undefined ? { sourceIp: input.request.sourceIp } : {}),
      }
      const action = input.action ?? 'execute-api:Invoke'
      const context: Record<string, ContextValue | undefined> = { ...input.context }
      if (input.request.sourceIp !== undefined) context['aws:SourceIp'] ??= input.request.sourceIp
      if (known.userName) context['aws:username'] ??= known.userName
      context['aws:userid'] ??= identity.user
      const evaluation = evaluatePolicies(
        { identityPolicies: known.policies, ...(resourcePolicy ? { resourcePolicy } : {}) },
        { action, resource: input.resourceArn, principal: known.principal, context },
        { authorizationType: 'AWS_IAM', now },
      )
      if (evaluation.decision !== 'ALLOW') {
        const message = iamDeniedMessage({
          principalArn: known.principal.arn,
          action,
          resource: input.resourceArn,
          explicit: evaluation.decision === 'EXPLICIT_DENY',
        })
        return refuse('ACCESS_DENIED', message, { identity })
      }
      return { ok: true, identity, principal: known.principal }
    },
  }
}
