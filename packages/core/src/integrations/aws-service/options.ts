/**
 * The `aws` option of `createGateway`: how AWS service integrations (`AWS` integrations whose URI names a service
 * other than Lambda, HTTP APIs' `integrationSubtype`) reach the services. Types only.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-s3.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services.html
 */
import type { HttpBackendResponse } from '../in-process'

/**
 * AWS credentials the gateway signs service requests with (SigV4). A `sessionToken` marks temporary credentials.
 *
 * @example
 * ```ts
 * import { createGateway, type AwsCredentials } from '@gatehousejs/core'
 * const credentials: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
 * const gw = createGateway({ api: { resources: {} }, aws: { credentials } })
 * ```
 */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * Credentials for the integration's role (`credentials`, a role ARN; undefined when the integration names none): an
 * operator's STS AssumeRole, a cache of it, or fixed keys.
 *
 * @example
 * ```ts
 * import type { AwsCredentialsProvider } from '@gatehousejs/core'
 * const provider: AwsCredentialsProvider = async (roleArn) => ({
 *   accessKeyId: 'AKIDEXAMPLE',
 *   secretAccessKey: roleArn === 'arn:aws:iam::123456789012:role/apigw-sqs' ? 'secret-a' : 'secret-b',
 * })
 * ```
 */
export type AwsCredentialsProvider = (roleArn: string | undefined) => Promise<AwsCredentials> | AwsCredentials

/**
 * The signed HTTP request the gateway sends to a service (what an in-process {@link AwsServiceHandler} receives).
 *
 * @example
 * ```ts
 * import type { AwsServiceRequest } from '@gatehousejs/core'
 * const seen: AwsServiceRequest[] = []
 * const sqs = async (request: AwsServiceRequest) => {
 *   seen.push(request) // request.headers.authorization: 'AWS4-HMAC-SHA256 Credential=…/us-east-1/sqs/aws4_request, …'
 *   return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<SendMessageResponse/>' }
 * }
 * ```
 */
export interface AwsServiceRequest {
  /** The service name as the integration names it (`sqs`, `dynamodb`, `states`, `s3`, …). */
  service: string
  /** The region signed for. */
  region: string
  method: string
  /** The whole URL: the service's endpoint, the path and the query string, percent-encoded as sent. */
  url: string
  /** Path as sent (percent-encoded, no query). */
  path: string
  /** Query string as sent, without `?` (empty when none). */
  query: string
  /** Header names lower-case, signature included (`authorization`, `x-amz-date`, `host`, …). */
  headers: Record<string, string>
  body: Uint8Array
}

/**
 * What a service answers: the status code, its headers and its body, passed to integration responses (REST) or to
 * the client (HTTP APIs).
 *
 * @example
 * ```ts
 * import type { AwsServiceResponse } from '@gatehousejs/core'
 * const answer: AwsServiceResponse = { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' }
 * ```
 */
export type AwsServiceResponse = HttpBackendResponse

/**
 * An in-process service: answers the signed request the gateway would have sent over the network.
 *
 * @example
 * ```ts
 * import { createGateway, type AwsServiceHandler } from '@gatehousejs/core'
 * const sqs: AwsServiceHandler = async (request) => ({ statusCode: 200, body: `<SendMessageResponse>${request.body.length}</SendMessageResponse>` })
 * const gw = createGateway({ api: { resources: {} }, aws: { services: { sqs } } })
 * ```
 */
export type AwsServiceHandler = (request: AwsServiceRequest) => Promise<AwsServiceResponse> | AwsServiceResponse

/**
 * How AWS service integrations reach the services.
 *
 * @example
 * ```ts
 * import { createGateway } from '@gatehousejs/core'
 * const gw = createGateway({
 *   api: { resources: { '/q': { POST: { integration: { type: 'AWS', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/jobs' } } } } },
 *   aws: {
 *     credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 *     endpoints: { sqs: 'http://127.0.0.1:4566' }, // LocalStack
 *   },
 * })
 * ```
 */
export interface AwsOptions {
  /**
   * Fixed credentials, or a function of the integration's role ARN. Default: `AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from the environment, read at each call.
   */
  credentials?: AwsCredentials | AwsCredentialsProvider
  /**
   * Base URL per service name as the integration URI writes it (`sqs`, `dynamodb`, `states`, `s3`, `events`,
   * `kinesis`, `sns`, `appconfig`, `sync-states`): `http://127.0.0.1:4566`. Default: the regional AWS endpoint,
   * `https://{service}.{region}.amazonaws.com`.
   */
  endpoints?: Record<string, string>
  /** In-process services by the same names: they get the signed request instead of a socket. */
  services?: Record<string, AwsServiceHandler>
}
