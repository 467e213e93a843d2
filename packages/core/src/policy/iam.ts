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
 * const alice: IamPrincipalConfig = {
 *   accessKeyId: 'AKIAALICE', secretAccessKey: 'secret', arn: 'arn:aws:iam::111122223333:user/Alice',
 *   policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
 * }
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
 * const opts: IamAuthorizerOptions = { principals: [alice], region: 'us-east-1', resourcePolicy: apiPolicy }
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
 * const id: IamIdentity = { accessKey: 'AKIAALICE', accountId: '111122223333', caller: 'AIDAALICE', user: 'AIDAALICE',
 *   userArn: 'arn:aws:iam::111122223333:user/Alice', sourceIp: '192.0.2.7' }
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
 * const t: IamRefusalType = 'ACCESS_DENIED'
 * ```
 */
export type IamRefusalType = 'MISSING_AUTHENTICATION_TOKEN' | 'INVALID_SIGNATURE' | 'EXPIRED_TOKEN' | 'ACCESS_DENIED'

/**
 * The outcome of {@link IamAuthorizer.authorize}: the identity, or a refusal with API Gateway's response
 * type, status code and default body (JSON text).
 *
 * @example
 * ```ts
 * const r: IamAuthorization = await iam.authorize({ request, resourceArn })
 * if (!r.ok) return { statusCode: r.statusCode, headers: { 'content-type': 'application/json' }, body: r.body }
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
 * const input: IamAuthorizeInput = { request, resourceArn: executeApiArn({ region, accountId, apiId, stage, method, path }) }
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
 * const result = await iam.authorize({ request, resourceArn })
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
 * const iam = createIamAuthorizer({ principals: [alice], region: 'us-east-1' })
 * const r = await iam.authorize({ request, resourceArn: 'arn:aws:execute-api:us-east-1:111122223333:abc/prod/GET/pets' })
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
