/**
 * Rows of the table: security schemes, authorizers and JWT configurations (see table.ts).
 */
import { type FieldRow, acted, inert, warned, unknown, DG, V2, EXT, AUTHORIZER } from './rows'

const SCHEME_OAS = 'https://spec.openapis.org/oas/v3.0.3#security-scheme-object'
const SCHEME_SWAGGER = 'https://swagger.io/specification/v2/#security-scheme-object'
const TOKEN_AUTHORIZER =
  'authorizer-lambda.test.ts › imports Swagger 2 securityDefinitions, the scheme header as identity source, and document-level security'
export const SECURITY_SCHEME_ROWS: readonly FieldRow[] = [
  acted('securityScheme', 'type', 'apiKey', TOKEN_AUTHORIZER, SCHEME_OAS),
  acted('securityScheme', 'name', 'Authorization', TOKEN_AUTHORIZER, SCHEME_OAS),
  acted('securityScheme', 'in', 'header', TOKEN_AUTHORIZER, SCHEME_OAS),
  acted('securityScheme', 'x-amazon-apigateway-authorizer', { type: 'token', authorizerUri: 'authFn' }, TOKEN_AUTHORIZER, AUTHORIZER),
  acted(
    'securityScheme',
    'x-amazon-apigateway-authtype',
    'awsSigv4',
    'iam.test.ts › signed by the AWS SDK signer (@smithy/signature-v4): GET with a query',
    `${DG}api-gateway-swagger-extensions-authtype.html`,
    { with: { 'x-amazon-apigateway-authorizer': undefined } },
  ),
  inert('securityScheme', 'description', 'the authorizer', 'documentation only', SCHEME_OAS),
  inert('securityScheme', 'scheme', 'bearer', 'describes the HTTP authentication scheme to clients; the authorizer decides', SCHEME_OAS),
  inert('securityScheme', 'bearerFormat', 'JWT', 'describes the token to clients; the authorizer decides', SCHEME_OAS),
  inert('securityScheme', 'flows', {}, 'describes how clients obtain OAuth 2 tokens; the authorizer decides', SCHEME_OAS),
  inert(
    'securityScheme',
    'openIdConnectUrl',
    'https://issuer.example.com/.well-known/openid-configuration',
    'describes the issuer to clients; jwtConfiguration decides',
    SCHEME_OAS,
  ),
  inert('securityScheme', 'flow', 'implicit', 'Swagger 2: describes how clients obtain OAuth 2 tokens', SCHEME_SWAGGER),
  inert(
    'securityScheme',
    'authorizationUrl',
    'https://issuer.example.com/authorize',
    'Swagger 2: describes how clients obtain OAuth 2 tokens',
    SCHEME_SWAGGER,
  ),
  inert(
    'securityScheme',
    'tokenUrl',
    'https://issuer.example.com/token',
    'Swagger 2: describes how clients obtain OAuth 2 tokens',
    SCHEME_SWAGGER,
  ),
  inert('securityScheme', 'scopes', {}, 'Swagger 2: lists the scopes clients may ask for; the method scopes decide', SCHEME_SWAGGER),
  unknown('securityScheme', 'madeUp', SCHEME_OAS),
  unknown('securityScheme', 'x-amazon-apigateway-made-up', EXT),
]

const JWT = {
  type: 'jwt',
  identitySource: '$request.header.Authorization',
  jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['a'] },
}
export const AUTHORIZER_ROWS: readonly FieldRow[] = [
  acted(
    'authorizer',
    'type',
    'token',
    'authorizer-lambda.test.ts › allows with the policy, and passes principalId and context to the integration as strings',
    AUTHORIZER,
  ),
  acted(
    'authorizer',
    'authorizerUri',
    'authFn',
    'authorizer-lambda.test.ts › allows with the policy, and passes principalId and context to the integration as strings',
    AUTHORIZER,
  ),
  acted(
    'authorizer',
    'identitySource',
    'method.request.header.Authorization',
    'authorizer-lambda.test.ts › keys the cache on every identity source value',
    AUTHORIZER,
  ),
  acted(
    'authorizer',
    'identityValidationExpression',
    '^Bearer .+$',
    'authorizer-lambda.test.ts › checks identityValidationExpression before calling, against the whole token',
    AUTHORIZER,
  ),
  acted(
    'authorizer',
    'authorizerResultTtlInSeconds',
    60,
    'authorizer-lambda.test.ts › expires entries after authorizerResultTtlInSeconds by the injected clock',
    AUTHORIZER,
  ),
  acted(
    'authorizer',
    'providerARNs',
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc'],
    'authorizer-jwt.test.ts › refuses a Cognito authorizer without providerARNs, or on an HTTP API',
    AUTHORIZER,
    { with: { type: 'cognito_user_pools', authorizerUri: undefined } },
  ),
  acted(
    'authorizer',
    'jwtConfiguration',
    JWT.jwtConfiguration,
    'authorizer-jwt.test.ts › imports the authorizer and the route scopes',
    AUTHORIZER,
    { apiType: 'HTTP', with: { ...JWT, authorizerUri: undefined } },
  ),
  acted(
    'authorizer',
    'authorizerPayloadFormatVersion',
    '2.0',
    'authorizer-http.test.ts › 2.0: evaluates the policy against the route ARN, also from the cache',
    AUTHORIZER,
    { apiType: 'HTTP', with: { type: 'request', identitySource: '$request.header.Authorization' } },
  ),
  acted(
    'authorizer',
    'enableSimpleResponses',
    true,
    'authorizer-event-types.test.ts › HTTP API: a 2.0 authorizer with simple responses typed with core’s event and answer',
    AUTHORIZER,
    { apiType: 'HTTP', with: { type: 'request', identitySource: '$request.header.Authorization', authorizerPayloadFormatVersion: '2.0' } },
  ),
  warned('authorizer', 'authorizerCredentials', 'arn:aws:iam::123456789012:role/auth', 'no IAM role is assumed', AUTHORIZER),
  unknown('authorizer', 'madeUp', AUTHORIZER),
]

export const JWT_CONFIGURATION_ROWS: readonly FieldRow[] = [
  acted(
    'jwtConfiguration',
    'issuer',
    'https://issuer.example.com',
    'authorizer-jwt.test.ts › imports the authorizer and the route scopes',
    `${V2}apis-apiid-authorizers-authorizerid.html`,
    { apiType: 'HTTP' },
  ),
  acted(
    'jwtConfiguration',
    'audience',
    ['a'],
    'authorizer-jwt.test.ts › accepts client_id for a token without aud (Cognito access tokens)',
    `${V2}apis-apiid-authorizers-authorizerid.html`,
    { apiType: 'HTTP' },
  ),
  unknown('jwtConfiguration', 'madeUp', `${V2}apis-apiid-authorizers-authorizerid.html`, { apiType: 'HTTP' }),
]
