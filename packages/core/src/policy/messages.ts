/**
 * API Gateway's refusal bodies for authorization, in its wording.
 */
import { maskAccount } from './arn'

/**
 * The IAM refusal: `User: <arn> is not authorized to perform: <action> on resource: <arn>` (account ids
 * masked as AWS shows them; `anonymous` for an unsigned caller), with ` with an explicit deny` when a Deny
 * statement decided.
 *
 * @example
 * ```ts
 * import { iamDeniedMessage } from '@gatehousejs/core/policy'
 * const message = iamDeniedMessage({
 *   principalArn: 'arn:aws:iam::111122223333:user/Alice',
 *   action: 'execute-api:Invoke',
 *   resource: 'arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets',
 *   explicit: true,
 * })
 * message // 'User: arn:aws:iam::********3333:user/Alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:abc123/prod/GET/pets with an explicit deny'
 * ```
 */
export function iamDeniedMessage(p: { principalArn?: string; action: string; resource: string; explicit: boolean }): string {
  const who = p.principalArn ? maskAccount(p.principalArn) : 'anonymous'
  return `User: ${who} is not authorized to perform: ${p.action} on resource: ${maskAccount(p.resource)}${p.explicit ? ' with an explicit deny' : ''}`
}

/**
 * The Lambda-authorizer refusal: `User is not authorized to access this resource` (with ` with an explicit
 * deny` when the authorizer's policy or the resource policy denied explicitly).
 *
 * @example
 * ```ts
 * import { authorizerDeniedMessage } from '@gatehousejs/core/policy'
 * authorizerDeniedMessage(true) // 'User is not authorized to access this resource with an explicit deny'
 * JSON.stringify({ Message: authorizerDeniedMessage(false) }) // '{"Message":"User is not authorized to access this resource"}'
 * ```
 */
export function authorizerDeniedMessage(explicit: boolean): string {
  return `User is not authorized to access this resource${explicit ? ' with an explicit deny' : ''}`
}
