/**
 * execute-api ARNs: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource-path}`.
 */

/**
 * The parts of an execute-api method ARN.
 *
 * @example
 * ```ts
 * import { executeApiArn, type ExecuteApiArnParts } from '@gatehousejs/core/policy'
 * const parts: ExecuteApiArnParts = { region: 'cn-north-1', partition: 'aws-cn', accountId: '111122223333', apiId: 'abc123', stage: 'prod', method: 'GET', path: '/pets/1' }
 * executeApiArn(parts) // 'arn:aws-cn:execute-api:cn-north-1:111122223333:abc123/prod/GET/pets/1'
 * ```
 */
export interface ExecuteApiArnParts {
  region: string
  accountId: string
  apiId: string
  stage: string
  method: string
  /** The request's resource path, with or without the leading slash (`/pets/1`). */
  path: string
  partition?: string
}

/**
 * The ARN API Gateway authorizes a request against (its `methodArn`): the path is the request's, not the
 * route template's, so a policy can name `/pets/a1b2`.
 *
 * @example
 * ```ts
 * import { executeApiArn } from '@gatehousejs/core/policy'
 * executeApiArn({ region: 'us-east-1', accountId: '111122223333', apiId: 'abc123', stage: 'prod', method: 'GET', path: '/pets/1' }) // 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets/1'
 * ```
 */
export function executeApiArn(p: ExecuteApiArnParts): string {
  const path = p.path.startsWith('/') ? p.path.slice(1) : p.path
  return `arn:${p.partition ?? 'aws'}:execute-api:${p.region}:${p.accountId}:${p.apiId}/${p.stage}/${p.method}/${path}`
}

/** The account id field of an ARN (`undefined` when it is not an ARN). */
export function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':')
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined
}

/** An ARN with its account id masked as AWS shows it in refusals: `********2345`. */
export function maskAccount(arn: string): string {
  const parts = arn.split(':')
  if (parts.length < 6 || parts[0] !== 'arn' || !/^\d{12}$/.test(parts[4]!)) return arn
  parts[4] = `********${parts[4]!.slice(8)}`
  return parts.join(':')
}
