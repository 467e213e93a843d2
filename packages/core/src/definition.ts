/**
 * The native API definition: API Gateway's REST/HTTP API model (api → resources → methods → integration →
 * integration responses), as plain data. OpenAPI documents are imported into this shape.
 */
import type { GatewayResponseDefinition, GatewayResponseType } from './gateway-responses'

/** How the API would be imported into API Gateway: what `createGateway` serves. */
export type ApiType = 'REST' | 'HTTP'

/** A method's `authorizationType`, as API Gateway names them. */
export type MethodAuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT'

/**
 * Integration types. `APP` is gatehouse's own: the request is handed on to the host application (middleware
 * mode) after the gateway's stages ran.
 */
export type IntegrationType = 'AWS_PROXY' | 'HTTP_PROXY' | 'MOCK' | 'AWS' | 'HTTP' | 'APP'

/** One integration response (non-proxy integrations). */
export interface IntegrationResponseDefinition {
  statusCode: string
  /** Regex on the status code (HTTP) or the error message (Lambda); absent for the default response. */
  selectionPattern?: string
  responseParameters?: Record<string, string>
  responseTemplates?: Record<string, string>
  contentHandling?: 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY'
}

export interface IntegrationDefinition {
  type: IntegrationType
  /** Lambda invocation URI / function ARN or name (AWS_PROXY, AWS), URL (HTTP_PROXY, HTTP). May hold `${stageVariables.x}`. */
  uri?: string
  /** Method used to call an HTTP backend (defaults to the method request's). */
  httpMethod?: string
  /** `1.0` (REST default) or `2.0` (HTTP API default). */
  payloadFormatVersion?: '1.0' | '2.0'
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

/** HTTP API CORS configuration (`corsConfiguration`, `x-amazon-apigateway-cors`). */
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
 * const api: ApiDefinition = {
 *   name: 'pets',
 *   resources: { '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } } },
 * }
 * ```
 */
export interface ApiDefinition {
  name?: string
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
}

/**
 * One entry of a stage's `methodSettings`, keyed `/{resource}/{METHOD}`, AWS's escaped `~1{resource}/{METHOD}`,
 * or the stage-wide key (an asterisk, a slash, an asterisk) for every method. Only the caching fields are read so
 * far; other settings (throttling, logging) add their fields here.
 *
 * @example
 * ```ts
 * const settings: Record<string, MethodSetting> = { '/pets/GET': { cacheTtlInSeconds: 60 }, '/pets/POST': { cachingEnabled: true } }
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

export interface RequestValidatorDefinition {
  validateRequestBody?: boolean
  validateRequestParameters?: boolean
}

/** An authorizer, as `x-amazon-apigateway-authorizer` describes one. */
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
