/**
 * The fields the OpenAPI importer knows on each object of a document: acted on, inert (they only describe the API),
 * or warned about as not implemented yet. Any other name is warned about as unknown (`warnUnknown`, in warn-unknown.ts).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import { FEATURES } from '../features'

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']

/** Extensions a feature reads (its importer acts on them, or warns about what it does not do). */
export const FEATURE_API_EXTENSIONS = new Set(FEATURES.flatMap((f) => f.apiExtensions ?? []))
export const FEATURE_OPERATION_EXTENSIONS = new Set(FEATURES.flatMap((f) => f.operationExtensions ?? []))

/** Extensions read elsewhere (`importexport-version` decides the API type) or that only describe the API. */
export const INERT_EXTENSIONS = new Set([
  'x-amazon-apigateway-importexport-version',
  'x-amazon-apigateway-documentation',
  'x-amazon-apigateway-endpoint-configuration',
  'x-amazon-apigateway-tag-value',
])

/** Document-level extensions API Gateway documents that gatehouse does not act on yet, and what that means. */
export const API_NOT_YET: Readonly<Record<string, string>> = {}

/**
 * Every document-level `x-amazon-apigateway-*` extension the importer knows (acted on, inert, or warned about as
 * not implemented yet). Any other name is warned about as unknown.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
export const DOCUMENT_EXTENSIONS: readonly string[] = [
  ...new Set([
    'x-amazon-apigateway-binary-media-types',
    'x-amazon-apigateway-gateway-responses',
    'x-amazon-apigateway-cors',
    ...INERT_EXTENSIONS,
    ...FEATURE_API_EXTENSIONS,
    ...Object.keys(API_NOT_YET),
  ]),
]

/**
 * Operation fields (OpenAPI 3 and Swagger 2) the importer acts on or that only document the operation; other
 * `x-…` extensions of other vendors are accepted too, any other name is warned about.
 */
export const OPERATION_FIELDS: readonly string[] = [
  ...new Set([
    'operationId',
    'parameters',
    'requestBody',
    'consumes',
    'x-amazon-apigateway-integration',
    ...FEATURE_OPERATION_EXTENSIONS,
    'summary',
    'description',
    'tags',
    'externalDocs',
    'deprecated',
    'responses',
    'produces',
    'schemes',
    'servers',
    'callbacks',
  ]),
]

/**
 * Path item fields the importer acts on (its operations, `x-amazon-apigateway-any-method`, shared `parameters`, a
 * `$ref`) or that only describe it; `trace` is warned about (API Gateway has no TRACE method), as is any other
 * name but other vendors' `x-…` extensions.
 */
export const PATH_ITEM_FIELDS: readonly string[] = [
  ...METHODS,
  'x-amazon-apigateway-any-method',
  'parameters',
  '$ref',
  'summary',
  'description',
  'servers',
  'trace',
]

/** `x-amazon-apigateway-*` extensions the importer knows under `components` (HTTP APIs' reusable integrations). */
export const COMPONENTS_EXTENSIONS: readonly string[] = ['x-amazon-apigateway-integrations']

/** The fields of a gateway response (`x-amazon-apigateway-gateway-responses.<type>`) the importer acts on. */
export const GATEWAY_RESPONSE_FIELDS: readonly string[] = ['statusCode', 'responseParameters', 'responseTemplates']

/** The fields of `x-amazon-apigateway-cors` the importer acts on. */
export const CORS_FIELDS: readonly string[] = [
  'allowOrigins',
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'allowCredentials',
]
