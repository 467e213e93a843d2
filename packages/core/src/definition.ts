/**
 * The native API definition: API Gateway's REST/HTTP API model (api → resources → methods → integration →
 * integration responses), as plain data. OpenAPI documents are imported into this shape.
 */
import type { GatewayResponseDefinition, GatewayResponseType } from './gateway-responses'
import type { EndpointConfiguration } from './features/endpoint/options'

/**
 * How the API would be imported into API Gateway: what `createGateway` serves.
 *
 * @example
 * ```ts
 * import { createGateway, type ApiType } from '@gatehousejs/core'
 * const apiType: ApiType = 'HTTP'
 * const gw = createGateway({
 *   apiType,
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * gw.stage // '$default'
 * const res = await gw.handle({ method: 'GET', path: '/cats', headers: {} })
 * res.statusCode // 404
 * res.body // '{"message":"Not Found"}'
 * ```
 */
export type ApiType = 'REST' | 'HTTP'

/**
 * A method's `authorizationType`, as API Gateway names them.
 *
 * @example
 * ```ts
 * import { createGateway, type MethodAuthorizationType } from '@gatehousejs/core'
 * const authorizationType: MethodAuthorizationType = 'AWS_IAM'
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { authorizationType, integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * // An unsigned request to an AWS_IAM method:
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * res.statusCode // 403
 * res.body // '{"message":"Missing Authentication Token"}'
 * ```
 */
export type MethodAuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT'

/**
 * Integration types. `APP` is gatehouse's own: the request is handed on to the host application (middleware
 * mode) after the gateway's stages ran.
 *
 * @example
 * ```ts
 * import { createGateway, type IntegrationType } from '@gatehousejs/core'
 * const type: IntegrationType = 'MOCK'
 * const gw = createGateway({
 *   api: {
 *     resources: {
 *       '/ping': {
 *         GET: {
 *           integration: {
 *             type,
 *             requestTemplates: { 'application/json': '{"statusCode": 200}' },
 *             responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"pong":true}' } } },
 *           },
 *         },
 *       },
 *     },
 *   },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/ping', headers: {} })
 * res.body // '{"pong":true}'
 * ```
 */
export type IntegrationType = 'AWS_PROXY' | 'HTTP_PROXY' | 'MOCK' | 'AWS' | 'HTTP' | 'APP'

/**
 * One integration response (non-proxy integrations): chosen by `selectionPattern`, it maps the backend's answer to
 * the method response.
 *
 * @example
 * ```ts
 * import { createGateway, type IntegrationResponseDefinition } from '@gatehousejs/core'
 * // A Lambda error whose message starts with "Not found" becomes a 404 with a body of the template's making.
 * const notFound: IntegrationResponseDefinition = {
 *   statusCode: '404',
 *   selectionPattern: 'Not found.*',
 *   responseTemplates: { 'application/json': '{"error":"$input.path(\'$.errorMessage\')"}' },
 * }
 * const gw = createGateway({
 *   api: {
 *     resources: {
 *       '/pets/{id}': {
 *         GET: { integration: { type: 'AWS', uri: 'getPet', responses: { 'Not found.*': notFound, default: { statusCode: '200' } } } },
 *       },
 *     },
 *   },
 *   functions: { getPet: async () => { throw new Error('Not found: pet 7') } },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.statusCode // 404
 * res.body // '{"error":"Not found: pet 7"}'
 * ```
 */
export interface IntegrationResponseDefinition {
  statusCode: string
  /** Regex on the status code (HTTP) or the error message (Lambda); absent for the default response. */
  selectionPattern?: string
  responseParameters?: Record<string, string>
  responseTemplates?: Record<string, string>
  contentHandling?: 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY'
}

/**
 * A method's integration: where the request goes (a Lambda function, an HTTP backend, a mock, the host app) and
 * how it is mapped on the way.
 *
 * @example
 * ```ts
 * import { createGateway, type IntegrationDefinition } from '@gatehousejs/core'
 * // A non-proxy Lambda integration: the mapping template builds the function's event.
 * const integration: IntegrationDefinition = {
 *   type: 'AWS',
 *   uri: 'getPet',
 *   requestTemplates: { 'application/json': '{"petId": "$input.params(\'id\')"}' },
 *   responses: { default: { statusCode: '200' } },
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets/{id}': { GET: { integration } } } },
 *   functions: { getPet: async (event) => ({ id: event.petId, name: 'Rex' }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.body // '{"id":"7","name":"Rex"}'
 * ```
 */
export interface IntegrationDefinition {
  type: IntegrationType
  /** Lambda invocation URI / function ARN or name (AWS_PROXY, AWS), URL (HTTP_PROXY, HTTP). May hold `${stageVariables.x}`. */
  uri?: string
  /** Method used to call an HTTP backend (defaults to the method request's). */
  httpMethod?: string
  /** `1.0` (REST default) or `2.0` (HTTP API default). */
  payloadFormatVersion?: '1.0' | '2.0'
  /**
   * An HTTP API's AWS service integration (`SQS-SendMessage`, `EventBridge-PutEvents`, …): the service call is built
   * from `requestParameters` and signed with the gateway's `aws` credentials.
   */
  integrationSubtype?: string
  /**
   * The IAM role an AWS service integration assumes (an ARN): handed to the `aws.credentials` function. Ignored by
   * Lambda and HTTP integrations (in-process functions run with the process's rights).
   */
  credentials?: string
  /**
   * HTTP APIs: response parameter mapping by the integration's status code (`{"500": {"overwrite:statuscode": "403",
   * "append:header.x": "$context.requestId"}}`). REST APIs map responses per integration response instead.
   */
  responseParameters?: Record<string, Record<string, string>>
  /** 50–29000 ms; default 29000 (HTTP APIs: 30000). */
  timeoutInMillis?: number
  requestParameters?: Record<string, string>
  requestTemplates?: Record<string, string>
  passthroughBehavior?: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER'
  contentHandling?: 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY'
  cacheKeyParameters?: string[]
  cacheNamespace?: string
  /** Integration responses keyed by selection pattern (`default` for the default one), as in OpenAPI. */
  responses?: Record<string, IntegrationResponseDefinition>
}

/**
 * One method of a resource (`GET /pets/{id}`): its authorization, API key, request validation and integration.
 *
 * @example
 * ```ts
 * import { createGateway, type MethodDefinition } from '@gatehousejs/core'
 * const getPet: MethodDefinition = {
 *   requestParameters: { 'method.request.querystring.fields': true },
 *   requestValidator: 'params',
 *   integration: { type: 'AWS_PROXY', uri: 'getPet' },
 * }
 * const gw = createGateway({
 *   api: { requestValidators: { params: { validateRequestParameters: true } }, resources: { '/pets/{id}': { GET: getPet } } },
 *   functions: { getPet: async () => ({ statusCode: 200, body: '{"id":"7"}' }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets/7', headers: {} })
 * res.statusCode // 400
 * res.body // '{"message":"Missing required request parameters: [fields]"}'
 * ```
 */
export interface MethodDefinition {
  /** Default `NONE`. */
  authorizationType?: MethodAuthorizationType
  apiKeyRequired?: boolean
  /** `method.request.querystring.x` → required. */
  requestParameters?: Record<string, boolean>
  /** Content type → model name. */
  requestModels?: Record<string, string>
  requestValidator?: string
  /** Name of the authorizer in `ApiDefinition.authorizers` (CUSTOM, COGNITO_USER_POOLS, JWT). */
  authorizer?: string
  /** OAuth scopes the access token must carry (Cognito user pools, JWT authorizers). */
  authorizationScopes?: string[]
  operationName?: string
  integration?: IntegrationDefinition
}

/**
 * HTTP API CORS configuration (`corsConfiguration`, `x-amazon-apigateway-cors`).
 *
 * @example
 * ```ts
 * import { createGateway, type CorsConfiguration } from '@gatehousejs/core'
 * const cors: CorsConfiguration = { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], maxAge: 600 }
 * const gw = createGateway({
 *   apiType: 'HTTP',
 *   api: { cors, resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: '[]' }) },
 * })
 * const res = await gw.handle({ method: 'GET', path: '/pets', headers: { origin: 'https://app.example.com' } })
 * res.headers['access-control-allow-origin'] // 'https://app.example.com'
 * ```
 */
export interface CorsConfiguration {
  allowOrigins?: string[]
  allowMethods?: string[]
  allowHeaders?: string[]
  exposeHeaders?: string[]
  maxAge?: number
  allowCredentials?: boolean
}

/**
 * An API as API Gateway models it.
 *
 * @example
 * ```ts
 * import { createGateway, type ApiDefinition } from '@gatehousejs/core'
 * const api: ApiDefinition = {
 *   name: 'pets',
 *   resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } },
 *   gatewayResponses: { MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, responseTemplates: { 'application/json': '{"error":"no such route"}' } } },
 * }
 * const gw = createGateway({ api, functions: { getPet: async () => ({ statusCode: 200, body: '{"id":"7"}' }) } })
 * const res = await gw.handle({ method: 'GET', path: '/cats', headers: {} })
 * res.statusCode // 404
 * res.body // '{"error":"no such route"}'
 * ```
 */
export interface ApiDefinition {
  name?: string
  /** `x-amazon-apigateway-endpoint-configuration`: the endpoint type, VPC endpoints, the default endpoint switch. */
  endpointConfiguration?: EndpointConfiguration
  /** Resource path (`/pets/{id}`, `/{proxy+}`; HTTP APIs also `$default`) → method (`GET`, `ANY`, …) → method. */
  resources: Record<string, Record<string, MethodDefinition>>
  binaryMediaTypes?: string[]
  gatewayResponses?: Partial<Record<GatewayResponseType, GatewayResponseDefinition>>
  cors?: CorsConfiguration
  /** Models (JSON Schema draft 4) by name: `components/schemas` / `definitions`. */
  models?: Record<string, Record<string, unknown>>
  /** Request validators by name (`x-amazon-apigateway-request-validators`). */
  requestValidators?: Record<string, RequestValidatorDefinition>
  /** The API's default request validator (`x-amazon-apigateway-request-validator`). */
  requestValidator?: string
  /** Authorizers by name (`x-amazon-apigateway-authorizer` under `securitySchemes`). */
  authorizers?: Record<string, AuthorizerDefinition>
  /** Where API keys come from (`x-amazon-apigateway-api-key-source`): default `HEADER`. */
  apiKeySource?: 'HEADER' | 'AUTHORIZER'
  /** The resource policy (`x-amazon-apigateway-policy`). */
  policy?: Record<string, unknown>
  /**
   * Payload compression (`x-amazon-apigateway-minimum-compression-size`), REST APIs: 0–10,485,760. Set, compressed
   * request payloads are decompressed and answers of at least this many bytes are compressed for clients that ask.
   */
  minimumCompressionSize?: number
}

/**
 * One entry of a stage's `methodSettings`, keyed `/{resource}/{METHOD}`, AWS's escaped `~1{resource}/{METHOD}`,
 * or the stage-wide key (an asterisk, a slash, an asterisk) for every method. Only the caching fields are read so
 * far; other settings (throttling, logging) add their fields here.
 *
 * @example
 * ```ts
 * import { createGateway, type MethodSetting } from '@gatehousejs/core'
 * let calls = 0
 * const methodSettings: Record<string, MethodSetting> = { '/pets/GET': { cachingEnabled: true, cacheTtlInSeconds: 60 } }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } } } } },
 *   functions: { listPets: async () => ({ statusCode: 200, body: JSON.stringify({ calls: ++calls }) }) },
 *   stage: { stageName: 'prod', cacheClusterEnabled: true, methodSettings },
 * })
 * await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * const second = await gw.handle({ method: 'GET', path: '/pets', headers: {} })
 * second.body // '{"calls":1}' — served from the stage cache
 * gw.stageCacheStats()?.hits // 1
 * ```
 */
export interface MethodSetting {
  /** Cache this method's responses (default: GET methods when the stage cache is enabled). */
  cachingEnabled?: boolean
  /** 0–3600, default 300; 0 disables caching. */
  cacheTtlInSeconds?: number
  /** Encrypt cached responses at rest (AES-256-GCM). */
  cacheDataEncrypted?: boolean
  /** `Cache-Control: max-age=0` needs `execute-api:InvalidateCache` (default true). */
  requireAuthorizationForCacheControl?: boolean
  /** What an unauthorized `Cache-Control: max-age=0` gets (default `SUCCEED_WITH_RESPONSE_HEADER`). */
  unauthorizedCacheControlHeaderStrategy?: 'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER'
}

/**
 * A request validator (`x-amazon-apigateway-request-validators`): what a method that names it checks before its
 * integration runs.
 *
 * @example
 * ```ts
 * import { createGateway, type RequestValidatorDefinition } from '@gatehousejs/core'
 * const body: RequestValidatorDefinition = { validateRequestBody: true }
 * const gw = createGateway({
 *   api: {
 *     requestValidators: { body },
 *     models: { Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
 *     resources: {
 *       '/pets': {
 *         POST: { requestValidator: 'body', requestModels: { 'application/json': 'Pet' }, integration: { type: 'AWS_PROXY', uri: 'addPet' } },
 *       },
 *     },
 *   },
 *   functions: { addPet: async () => ({ statusCode: 201, body: '{}' }) },
 * })
 * const res = await gw.handle({ method: 'POST', path: '/pets', headers: { 'content-type': 'application/json' }, body: '{}' })
 * res.statusCode // 400
 * res.body // '{"message":"Invalid request body"}'
 * ```
 */
export interface RequestValidatorDefinition {
  validateRequestBody?: boolean
  validateRequestParameters?: boolean
}

/**
 * An authorizer, as `x-amazon-apigateway-authorizer` describes one.
 *
 * @example
 * ```ts
 * import { createGateway, type AuthorizerDefinition } from '@gatehousejs/core'
 * const token: AuthorizerDefinition = { type: 'TOKEN', authorizerUri: 'checkToken', identitySource: 'method.request.header.Authorization' }
 * const gw = createGateway({
 *   api: {
 *     authorizers: { token },
 *     resources: { '/pets': { GET: { authorizationType: 'CUSTOM', authorizer: 'token', integration: { type: 'AWS_PROXY', uri: 'listPets' } } } },
 *   },
 *   functions: {
 *     // A TOKEN authorizer: the token in, an IAM policy out.
 *     checkToken: async (event) => ({
 *       principalId: 'user-1',
 *       policyDocument: {
 *         Version: '2012-10-17',
 *         Statement: [{ Effect: event.authorizationToken === 'let-me-in' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: event.methodArn }],
 *       },
 *     }),
 *     listPets: async () => ({ statusCode: 200, body: '[]' }),
 *   },
 * })
 * const ok = await gw.handle({ method: 'GET', path: '/pets', headers: { authorization: 'let-me-in' } })
 * ok.statusCode // 200
 * const denied = await gw.handle({ method: 'GET', path: '/pets', headers: { authorization: 'guess' } })
 * denied.statusCode // 403
 * ```
 */
export interface AuthorizerDefinition {
  /** `token` / `request` (Lambda), `cognito_user_pools`, `jwt` (HTTP APIs). */
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'JWT'
  authorizerUri?: string
  identitySource?: string
  identityValidationExpression?: string
  authorizerResultTtlInSeconds?: number
  providerARNs?: string[]
  jwtConfiguration?: { issuer?: string; audience?: string[] }
  authorizerPayloadFormatVersion?: '1.0' | '2.0'
  enableSimpleResponses?: boolean
}
