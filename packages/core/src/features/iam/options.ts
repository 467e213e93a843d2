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
 * import { createGateway, type IamPrincipals } from '@gatehousejs/core'
 * import { signRequest } from '@gatehousejs/sigv4'
 * const principals: IamPrincipals = {
 *   AKIAALICE: {
 *     secretAccessKey: 'alice-secret',
 *     arn: 'arn:aws:iam::111122223333:user/alice',
 *     policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }],
 *   },
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { authorizationType: 'AWS_IAM', integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async (event) => ({ statusCode: 200, body: event.requestContext.identity.userArn }) },
 *   accountId: '111122223333',
 *   principals,
 * })
 * const signed = signRequest(
 *   { method: 'GET', path: '/pets', headers: { host: 'api.example.com' } },
 *   { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * const res = await gw.handle(signed)
 * res.body // 'arn:aws:iam::111122223333:user/alice'
 * ```
 */
export type IamPrincipals = readonly IamPrincipalConfig[] | Readonly<Record<string, Omit<IamPrincipalConfig, 'accessKeyId'>>>
