/**
 * What API Gateway knows of each AWS service it calls: the wire protocol of its `action/{Action}` requests (the
 * query protocol's form-encoded `Action`/`Version`, or a JSON protocol's `X-Amz-Target` and
 * `application/x-amz-json-1.x`), the name it is signed for, and its regional endpoint.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
 * https://docs.aws.amazon.com/general/latest/gr/rande.html
 */

/** How a service's actions travel. */
export type ServiceProtocol =
  | { kind: 'query'; version: string }
  | { kind: 'json'; target: string; contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1' }
  | { kind: 'rest' }

/** The services whose action protocol API Gateway (and gatehouse) knows; any other is sent REST-style. */
const PROTOCOLS: Readonly<Record<string, ServiceProtocol>> = {
  sqs: { kind: 'query', version: '2012-11-05' },
  sns: { kind: 'query', version: '2010-03-31' },
  sts: { kind: 'query', version: '2011-06-15' },
  cloudformation: { kind: 'query', version: '2010-05-15' },
  dynamodb: { kind: 'json', target: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' },
  states: { kind: 'json', target: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  'sync-states': { kind: 'json', target: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  kinesis: { kind: 'json', target: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
  firehose: { kind: 'json', target: 'Firehose_20150804', contentType: 'application/x-amz-json-1.1' },
  events: { kind: 'json', target: 'AWSEvents', contentType: 'application/x-amz-json-1.1' },
  logs: { kind: 'json', target: 'Logs_20140328', contentType: 'application/x-amz-json-1.1' },
  ssm: { kind: 'json', target: 'AmazonSSM', contentType: 'application/x-amz-json-1.1' },
  secretsmanager: { kind: 'json', target: 'secretsmanager', contentType: 'application/x-amz-json-1.1' },
}

const REST: ServiceProtocol = { kind: 'rest' }

/**
 * The protocol of `service`'s actions.
 *
 * @example
 * ```ts
 * serviceProtocol('dynamodb') // { kind: 'json', target: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' }
 * serviceProtocol('s3') // { kind: 'rest' }
 * ```
 */
export function serviceProtocol(service: string): ServiceProtocol {
  return Object.hasOwn(PROTOCOLS, service) ? PROTOCOLS[service]! : REST
}

/**
 * The name a service's requests are signed for (SigV4's credential scope): Step Functions' synchronous endpoint
 * signs as `states`, every other service by its own name.
 *
 * @example
 * ```ts
 * signingName('sync-states') // 'states'
 * ```
 */
export function signingName(service: string): string {
  return service === 'sync-states' ? 'states' : service
}

/** A region name as AWS writes them (`us-east-1`, `us-gov-west-1`, `cn-north-1`): nothing else reaches a hostname. */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/

/**
 * The regional endpoint of a service as AWS publishes it (`https://{service}.{region}.amazonaws.com`; S3's
 * `https://s3.{region}.amazonaws.com`, China's `.amazonaws.com.cn`), with an optional subdomain
 * (`arn:aws:apigateway:{region}:{subdomain}.{service}:…`).
 *
 * @example
 * ```ts
 * defaultEndpoint('sqs', 'eu-west-1') // 'https://sqs.eu-west-1.amazonaws.com'
 * ```
 */
export function defaultEndpoint(service: string, region: string, subdomain?: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${subdomain ? `${subdomain}.` : ''}${service}.${region}.${suffix}`
}
