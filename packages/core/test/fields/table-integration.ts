/**
 * Rows of the table: integrations and integration responses (see table.ts).
 */
import { type FieldRow, acted, inert, warned, unknown, DG, API, V2, INTEGRATION, INTEGRATION_RESPONSE } from './rows'

export const INTEGRATION_ROWS: readonly FieldRow[] = [
  acted(
    'integration',
    'type',
    'http',
    'non-proxy.test.ts › sends the rendered template with only the mapped headers, query string and path',
    INTEGRATION,
  ),
  acted(
    'integration',
    'uri',
    'http://backend.example/a',
    'non-proxy.test.ts › sends the rendered template with only the mapped headers, query string and path',
    INTEGRATION,
  ),
  acted(
    'integration',
    'httpMethod',
    'GET',
    'non-proxy.test.ts › sends the rendered template with only the mapped headers, query string and path',
    INTEGRATION,
  ),
  acted('integration', 'payloadFormatVersion', '1.0', 'http-api.test.ts › uses payload 1.0 with a version key when asked', INTEGRATION, {
    apiType: 'HTTP',
    with: { type: 'http_proxy' },
  }),
  acted(
    'integration',
    'timeoutInMillis',
    5000,
    'non-proxy.test.ts › 504 when the backend is slower than timeoutInMillis, 502 when it cannot be reached',
    INTEGRATION,
  ),
  acted(
    'integration',
    'requestParameters',
    { 'integration.request.header.x-id': "'1'" },
    'non-proxy.test.ts › sends the rendered template with only the mapped headers, query string and path',
    INTEGRATION,
  ),
  acted(
    'integration',
    'requestTemplates',
    { 'application/json': '{}' },
    'non-proxy.test.ts › renders the request template into the event and the response template from the result',
    INTEGRATION,
  ),
  acted(
    'integration',
    'passthroughBehavior',
    'when_no_match',
    'mapping.test.ts › customises the 415 of a NEVER passthrough through DEFAULT_4XX',
    INTEGRATION,
  ),
  acted(
    'integration',
    'contentHandling',
    'CONVERT_TO_TEXT',
    'mapping.test.ts › CONVERT_TO_TEXT hands a binary upload to a Lambda template as base64',
    INTEGRATION,
  ),
  acted('integration', 'cacheKeyParameters', [], 'mapping.test.ts › carries cacheKeyParameters for the cache stage', INTEGRATION),
  acted('integration', 'cacheNamespace', 'ns', 'mapping.test.ts › carries cacheKeyParameters for the cache stage', INTEGRATION),
  acted(
    'integration',
    'responses',
    { default: { statusCode: '200' } },
    'non-proxy.test.ts › the template statusCode selects the integration response',
    `${DG}api-gateway-swagger-extensions-integration-responses.html`,
  ),
  inert('integration', 'description', 'the backend', 'describes the integration only', `${V2}apis-apiid-integrations-integrationid.html`),
  warned('integration', 'connectionType', 'VPC_LINK', 'VPC links are not used', INTEGRATION),
  warned('integration', 'connectionId', 'abc', 'there is no VPC link', INTEGRATION),
  warned(
    'integration',
    'tlsConfig',
    { insecureSkipVerification: true },
    "the backend's certificate is checked as Node checks it",
    `${DG}api-gateway-extensions-integration-tls-config.html`,
  ),
  // On an AWS service integration the role is what the operator's `aws.credentials` function is asked for.
  acted(
    'integration',
    'credentials',
    'arn:aws:iam::123456789012:role/apigw',
    "aws-service/services-and-failures.test.ts › a credentials function is asked for the integration's role, per request",
    INTEGRATION,
    { with: { type: 'aws', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/q' } },
  ),
  warned(
    'integration',
    'responseParameters',
    { '200': { 'overwrite:statuscode': '204' } },
    'HTTP API response parameter mapping is not applied yet',
    `${DG}api-gateway-swagger-extensions-integration-response-parameters.html`,
  ),
  warned('integration', 'responseTransferMode', 'STREAM', 'responses are buffered, not streamed', `${API}API_Integration.html`),
  acted(
    'integration',
    'integrationSubtype',
    'SQS-SendMessage',
    'aws-service/signed-services.test.ts › maps QueueUrl and MessageBody, sends a signed SendMessage to the sqs endpoint (never to the QueueUrl host), and passes the answer through',
    `${DG}http-api-develop-integrations-aws-services-reference.html`,
    {
      apiType: 'HTTP',
      with: {
        type: 'aws_proxy',
        uri: undefined,
        httpMethod: undefined,
        requestParameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: '$request.body' },
      },
    },
  ),
  unknown('integration', 'madeUp', INTEGRATION),
]

export const INTEGRATION_RESPONSE_ROWS: readonly FieldRow[] = [
  acted(
    'integrationResponse',
    'statusCode',
    '201',
    'non-proxy.test.ts › the template statusCode selects the integration response',
    INTEGRATION_RESPONSE,
  ),
  acted(
    'integrationResponse',
    'responseParameters',
    { 'method.response.header.x-a': "'1'" },
    'mapping-property.test.ts › requestParameters and responseParameters',
    `${DG}api-gateway-swagger-extensions-integration-responseParameters.html`,
  ),
  acted(
    'integrationResponse',
    'responseTemplates',
    { 'application/json': '{}' },
    'non-proxy.test.ts › the response template follows Accept, defaulting to application/json',
    `${DG}api-gateway-swagger-extensions-integration-responseTemplates.html`,
  ),
  acted(
    'integrationResponse',
    'contentHandling',
    'CONVERT_TO_BINARY',
    'mapping.test.ts › a Lambda function returns an image as base64 with CONVERT_TO_BINARY',
    INTEGRATION_RESPONSE,
  ),
  unknown('integrationResponse', 'madeUp', INTEGRATION_RESPONSE),
]
