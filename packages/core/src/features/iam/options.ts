/**
 * `AWS_IAM`'s options: the principals (IAM users and role sessions) a gateway knows. Types only.
 */
import type { IamPrincipalConfig } from '../../policy'

/**
 * The callers an `AWS_IAM` gateway knows: a list of principals, or a map from access key id to the rest of the
 * principal (secret, session token and its expiry, ARN, identity policies).
 *
 * @example
 * ```ts
 * const principals: IamPrincipals = {
 *   AKIAALICE: { secretAccessKey: 'secret', arn: 'arn:aws:iam::111122223333:user/alice',
 *     policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }] },
 * }
 * ```
 */
export type IamPrincipals = readonly IamPrincipalConfig[] | Readonly<Record<string, Omit<IamPrincipalConfig, 'accessKeyId'>>>
