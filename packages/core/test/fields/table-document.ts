/**
 * Rows of the table: the document, components, path items, tags and operations (see table.ts).
 */
import {
  type FieldRow,
  acted,
  inert,
  warned,
  unknown,
  DG,
  API,
  FIELDS_TEST,
  EXT,
  INTEGRATION,
  CORS,
  ENDPOINT,
  INTEGRATIONS,
  OPERATION,
} from './rows'

export const DOCUMENT_ROWS: readonly FieldRow[] = [
  acted(
    'document',
    'x-amazon-apigateway-binary-media-types',
    ['image/png'],
    'rest-proxy.test.ts › decodes a base64 body when binary media types match Accept',
    `${DG}api-gateway-swagger-extensions-binary-media-types.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-gateway-responses',
    { DEFAULT_4XX: { statusCode: 404 } },
    `${FIELDS_TEST} › x-amazon-apigateway-gateway-responses customise a refusal`,
    `${DG}api-gateway-swagger-extensions-gateway-responses.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-cors',
    { allowOrigins: ['*'] },
    `${FIELDS_TEST} › x-amazon-apigateway-cors answers preflights of an imported HTTP API`,
    CORS,
    { apiType: 'HTTP' },
  ),
  acted(
    'document',
    'x-amazon-apigateway-policy',
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] },
    'resource-policy.test.ts › needs an explicit allow; the check runs before the authorizer',
    `${DG}openapi-extensions-policy.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-api-key-source',
    'HEADER',
    'api-keys.test.ts › imports the key source and fills identity.apiKey from the authorizer, cached answers too',
    `${DG}api-gateway-swagger-extensions-api-key-source.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-request-validators',
    { all: { validateRequestBody: true } },
    'validation.test.ts › a method can switch validation off with a validator that validates nothing',
    `${DG}api-gateway-swagger-extensions-request-validators.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-request-validator',
    'all',
    'validation.test.ts › a method can switch validation off with a validator that validates nothing',
    `${DG}api-gateway-swagger-extensions-request-validator.html`,
    { with: { 'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true } } } },
  ),
  acted(
    'document',
    'x-amazon-apigateway-endpoint-configuration',
    { types: ['REGIONAL'] },
    'endpoint.test.ts › REST: every field is acted on, none is warned about, strict accepts them',
    ENDPOINT,
  ),
  acted(
    'document',
    'x-amazon-apigateway-importexport-version',
    '1.0',
    'import-api-type.test.ts › a detected HTTP API behaves as one: $default stage, 404 for no route',
    `${DG}api-gateway-extensions-importexport-version.html`,
    { apiType: 'HTTP' },
  ),
  inert(
    'document',
    'x-amazon-apigateway-documentation',
    { version: '1', documentationParts: [] },
    'documentation parts only describe the API (exported docs), no request sees them',
    `${DG}api-gateway-swagger-extensions-documentation.html`,
  ),
  inert(
    'document',
    'x-amazon-apigateway-tag-value',
    'x',
    'a tag value labels the API resource; no request sees it',
    `${DG}api-gateway-openapi-extensions-x-amazon-apigateway-tag-value.html`,
  ),
  acted(
    'document',
    'x-amazon-apigateway-minimum-compression-size',
    1024,
    'compression/response.test.ts › x-amazon-apigateway-minimum-compression-size compresses answers of an imported REST API',
    `${DG}api-gateway-openapi-minimum-compression-size.html`,
  ),
  unknown('document', 'x-amazon-apigateway-made-up', EXT),
]

export const COMPONENTS_ROWS: readonly FieldRow[] = [
  acted(
    'components',
    'x-amazon-apigateway-integrations',
    { i1: { type: 'http_proxy', httpMethod: 'GET', uri: 'http://backend.example/a', payloadFormatVersion: '1.0' } },
    INTEGRATIONS,
    `${DG}api-gateway-extensions-integrations.html`,
    { apiType: 'HTTP' },
  ),
  unknown('components', 'x-amazon-apigateway-made-up', EXT),
]

const PATH_ITEM = 'https://spec.openapis.org/oas/v3.0.3#path-item-object'
const SHARED_ITEM = {
  'x-shared': {
    get: { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } } },
  },
}
const METHOD_OP = { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } } }
const methodRow = (m: string) =>
  acted('pathItem', m, METHOD_OP, 'openapi-import.test.ts › imports parameters, any-method and Swagger 2.0', PATH_ITEM)

export const PATH_ITEM_ROWS: readonly FieldRow[] = [
  ...['get', 'put', 'post', 'delete', 'options', 'head', 'patch'].map(methodRow),
  acted(
    'pathItem',
    'parameters',
    [{ name: 'q', in: 'query', required: true }],
    'validation.test.ts › Swagger 2.0: #/definitions refs, consumes, and a body parameter on the path item',
    PATH_ITEM,
  ),
  acted('pathItem', '$ref', '#/x-shared', `${FIELDS_TEST} › a path item $ref is followed`, PATH_ITEM, { with: { root: SHARED_ITEM } }),
  inert('pathItem', 'summary', 'Pets', 'documentation only', PATH_ITEM),
  inert('pathItem', 'description', 'The pets', 'documentation only', PATH_ITEM),
  inert(
    'pathItem',
    'servers',
    [{ url: 'https://example.com' }],
    'the server URL is where the API is deployed, not how it behaves',
    PATH_ITEM,
  ),
  warned('pathItem', 'trace', METHOD_OP, 'API Gateway has no TRACE method', PATH_ITEM),
  unknown('pathItem', 'madeUp', PATH_ITEM),
  acted(
    'pathItem',
    'x-amazon-apigateway-any-method',
    { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } } },
    'openapi-import.test.ts › imports parameters, any-method and Swagger 2.0',
    `${DG}api-gateway-swagger-extensions-any-method.html`,
  ),
  unknown('pathItem', 'x-amazon-apigateway-made-up', EXT),
]

export const TAG_ROWS: readonly FieldRow[] = [
  inert(
    'tag',
    'x-amazon-apigateway-tag-value',
    'Admin',
    'a tag value labels the API resource; no request sees it',
    `${DG}api-gateway-openapi-extensions-x-amazon-apigateway-tag-value.html`,
  ),
]

export const OPERATION_ROWS: readonly FieldRow[] = [
  acted(
    'operation',
    'x-amazon-apigateway-integration',
    { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
    'openapi-import.test.ts › imports parameters, any-method and Swagger 2.0',
    INTEGRATION,
  ),
  acted(
    'operation',
    'x-amazon-apigateway-auth',
    { type: 'AWS_IAM' },
    'iam.test.ts › imports x-amazon-apigateway-auth: { type: AWS_IAM }',
    `${DG}api-gateway-swagger-extensions-auth.html`,
  ),
  acted(
    'operation',
    'x-amazon-apigateway-request-validator',
    'all',
    'validation.test.ts › a method can switch validation off with a validator that validates nothing',
    `${DG}api-gateway-swagger-extensions-request-validator.html`,
    { with: { root: { 'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true } } } } },
  ),
  acted(
    'operation',
    'parameters',
    [{ name: 'q', in: 'query', required: true }],
    'openapi-import.test.ts › imports parameters, any-method and Swagger 2.0',
    `${API}API_Method.html`,
  ),
  acted(
    'operation',
    'requestBody',
    { content: { 'application/json': { schema: { type: 'object' } } } },
    'validation.test.ts › an inline schema becomes a generated model',
    `${DG}api-gateway-method-request-validation.html`,
  ),
  acted(
    'operation',
    'consumes',
    ['application/json'],
    'validation.test.ts › Swagger 2.0: #/definitions refs, consumes, and a body parameter on the path item',
    'https://swagger.io/specification/v2/#operation-object',
  ),
  acted(
    'operation',
    'security',
    [{ api_key: [] }],
    'api-keys.test.ts › imports the api_key security scheme without warnings',
    `${DG}api-gateway-swagger-extensions-authorizer.html`,
    { with: { root: { components: { securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } } } } },
  ),
  acted(
    'operation',
    'operationId',
    'getPets',
    `${FIELDS_TEST} › operationId names the method's generated request model`,
    `${API}API_Method.html`,
  ),
  inert('operation', 'summary', 'List pets', 'documentation only (the method resource keeps it; no request sees it)', OPERATION),
  inert('operation', 'description', 'Lists the pets', 'documentation only', OPERATION),
  inert('operation', 'tags', ['pets'], 'documentation grouping only', OPERATION),
  inert('operation', 'externalDocs', { url: 'https://example.com' }, 'documentation only', OPERATION),
  inert('operation', 'deprecated', true, 'documentation only: API Gateway serves deprecated operations alike', OPERATION),
  inert(
    'operation',
    'responses',
    { '200': { description: 'OK' } },
    'method responses declare what the integration responses map to; the responses sent are the integration responses',
    `${API}API_MethodResponse.html`,
  ),
  inert(
    'operation',
    'produces',
    ['application/json'],
    'Swagger 2 documentation of response types; integration responses decide them',
    'https://swagger.io/specification/v2/#operation-object',
  ),
  inert(
    'operation',
    'schemes',
    ['https'],
    'API Gateway serves HTTPS only whatever the document says',
    'https://swagger.io/specification/v2/#operation-object',
  ),
  inert(
    'operation',
    'servers',
    [{ url: 'https://example.com' }],
    'the server URL is where the API is deployed, not how it behaves',
    OPERATION,
  ),
  inert('operation', 'callbacks', {}, 'API Gateway imports no callbacks', OPERATION),
  unknown('operation', 'x-amazon-apigateway-made-up', EXT),
  unknown('operation', 'madeUp', OPERATION),
]
