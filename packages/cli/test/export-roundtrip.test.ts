/**
 * `gatehouse export`: a native definition back to OpenAPI 3.0 / Swagger 2.0 with `x-amazon-apigateway-*` extensions,
 * as API Gateway's GetExport writes it, and the round trip import(export(d)) = d — over generated definitions
 * (fast-check) and every real document in test/real-definitions/fixtures (read in place).
 * AWS documentation relied on:
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html (GetExport, `extensions`)
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html (HTTP APIs: OpenAPI 3.0 only)
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html (the extensions)
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html (`api_key` scheme)
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  createGateway,
  GATEWAY_RESPONSE_TYPES,
  type ApiDefinition,
  type ApiType,
  type AuthorizerDefinition,
  type IntegrationDefinition,
  type LambdaHandler,
  type MethodDefinition,
} from '@gatehousejs/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildApis } from '../src/build'
import { readDefinitionFile } from '../src/parse'
import { exportApi } from '../src/export/index'
import { exportCommand } from '../src/export/command'

const FIXTURES = fileURLToPath(new URL('../../../test/real-definitions/fixtures/', import.meta.url))
const stub: LambdaHandler = async () => ({ statusCode: 200, body: '' })
const anyFunction = new Proxy({} as Record<string, LambdaHandler>, { get: () => stub })
const MODEL = 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/'

/** API Gateway's import, as core does it; every warning is a failure of the export. */
function importDoc(doc: Record<string, unknown>, apiType?: ApiType): { definition: ApiDefinition; apiType: ApiType } {
  const gw = createGateway({
    api: doc,
    ...(apiType ? { apiType } : {}),
    functions: anyFunction,
    strict: true,
  })
  return { definition: gw.definition, apiType: gw.apiType }
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown

// ---- generators of native definitions ------------------------------------------------------------------------

const PATHS = ['/', '/pets', '/pets/{petId}', '/pets/{petId}/toys', '/users/{userId}', '/orders', '/{proxy+}']
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/)
const headerName = fc.constantFrom('X-Trace', 'Accept', 'X-Client', 'If-Match')

function restIntegration(): fc.Arbitrary<IntegrationDefinition> {
  const responses = fc
    .uniqueArray(
      fc.record({
        statusCode: fc.constantFrom('200', '201', '400', '404', '500'),
        selectionPattern: fc.option(fc.constantFrom('4\\d{2}', 'Not found.*', '5\\d{2}'), { nil: undefined }),
        template: fc.option(fc.constantFrom('{"ok":true}', "$input.json('$')"), { nil: undefined }),
        header: fc.option(headerName, { nil: undefined }),
      }),
      { selector: (r) => r.selectionPattern ?? 'default', minLength: 1, maxLength: 3 },
    )
    .map((list) => {
      const out: NonNullable<IntegrationDefinition['responses']> = {}
      for (const r of list) {
        const key = r.selectionPattern ?? 'default'
        out[key] = {
          statusCode: r.statusCode,
          ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}),
          ...(r.template !== undefined ? { responseTemplates: { 'application/json': r.template } } : {}),
          ...(r.header !== undefined ? { responseParameters: { [`method.response.header.${r.header}`]: "'v'" } } : {}),
        }
      }
      return out
    })
  const templates = fc.option(fc.constant({ 'application/json': '{"id": "$input.params(\'petId\')"}' }), { nil: undefined })
  const timeout = fc.option(fc.integer({ min: 50, max: 29000 }), { nil: undefined })
  return fc.oneof(
    fc.record({ uri: token, timeout }).map(({ uri, timeout }) => ({
      type: 'AWS_PROXY' as const,
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${uri}/invocations`,
      httpMethod: 'POST',
      ...(timeout !== undefined ? { timeoutInMillis: timeout } : {}),
    })),
    fc
      .record({ uri: token, templates, responses, passthrough: fc.constantFrom('WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER') })
      .map((r) => ({
        type: 'AWS' as const,
        uri: r.uri,
        httpMethod: 'POST',
        passthroughBehavior: r.passthrough as 'NEVER',
        ...(r.templates ? { requestTemplates: r.templates } : {}),
        responses: r.responses,
      })),
    fc.record({ method: fc.constantFrom('GET', 'POST'), responses, cacheKeys: fc.boolean() }).map((r) => ({
      type: 'HTTP' as const,
      uri: 'https://backend.example.com/items',
      httpMethod: r.method,
      requestParameters: { 'integration.request.header.x-from': "'gateway'" },
      ...(r.cacheKeys ? { cacheKeyParameters: ['method.request.header.X-Trace'], cacheNamespace: 'ns1' } : {}),
      responses: r.responses,
    })),
    fc.constant({ type: 'HTTP_PROXY' as const, uri: 'https://backend.example.com/{proxy}', httpMethod: 'ANY' }),
    responses.map((r) => ({ type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: r })),
    fc.constant({ type: 'APP' as const }),
  )
}

function httpIntegration(): fc.Arbitrary<IntegrationDefinition> {
  return fc.oneof(
    token.map((name) => ({
      type: 'AWS_PROXY' as const,
      uri: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      httpMethod: 'POST',
      payloadFormatVersion: '2.0' as const,
    })),
    fc.record({ status: fc.boolean() }).map(({ status }) => ({
      type: 'HTTP_PROXY' as const,
      uri: 'https://backend.example.com/items',
      httpMethod: 'GET',
      payloadFormatVersion: '1.0' as const,
      ...(status ? { responseParameters: { '500': { 'overwrite:statuscode': '503' } } } : {}),
      timeoutInMillis: 30000,
    })),
  )
}

const restAuthorizers: fc.Arbitrary<Record<string, AuthorizerDefinition>> = fc.record(
  {
    tokenAuth: fc.record({ ttl: fc.integer({ min: 0, max: 3600 }) }).map(({ ttl }) => ({
      type: 'TOKEN' as const,
      authorizerUri: 'checkToken',
      identitySource: 'method.request.header.Authorization',
      identityValidationExpression: '^Bearer .+$',
      authorizerResultTtlInSeconds: ttl,
    })),
    requestAuth: fc.constant({
      type: 'REQUEST' as const,
      authorizerUri: 'checkRequest',
      identitySource: 'method.request.header.X-Client, method.request.querystring.tenant',
      authorizerResultTtlInSeconds: 0,
    }),
    pool: fc.constant({
      type: 'COGNITO_USER_POOLS' as const,
      providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc'],
      identitySource: 'method.request.header.Authorization',
    }),
  },
  { requiredKeys: [] },
)

const httpAuthorizers: fc.Arbitrary<Record<string, AuthorizerDefinition>> = fc.record(
  {
    jwtAuth: fc.constant({
      type: 'JWT' as const,
      identitySource: '$request.header.Authorization',
      jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['aud1'] },
    }),
    lambdaAuth: fc.boolean().map((simple) => ({
      type: 'REQUEST' as const,
      authorizerUri: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
      identitySource: '$request.header.Authorization',
      authorizerPayloadFormatVersion: '2.0' as const,
      enableSimpleResponses: simple,
      authorizerResultTtlInSeconds: 0,
    })),
  },
  { requiredKeys: [] },
)

const MODELS: Record<string, Record<string, unknown>> = {
  Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, tag: { type: 'string', enum: ['a', 'b'] } } },
  Pets: { type: 'array', items: { $ref: `${MODEL}Pet` } },
  Error: { type: 'object', properties: { message: { type: 'string' } }, additionalProperties: false },
}

function method(
  apiType: ApiType,
  path: string,
  authorizers: Record<string, AuthorizerDefinition>,
  models: string[],
  validators: string[],
): fc.Arbitrary<MethodDefinition> {
  const pathParams = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => `method.request.path.${m[1]}`)
  const auth = fc.constantFrom<('none' | 'explicit-none' | 'iam' | string)[]>('none', 'explicit-none', 'iam', ...Object.keys(authorizers))
  return fc
    .record({
      operationName: fc.option(token, { nil: undefined }),
      query: fc.option(fc.tuple(token, fc.boolean()), { nil: undefined }),
      header: fc.option(fc.tuple(headerName, fc.boolean()), { nil: undefined }),
      auth,
      scopes: fc.option(fc.constant<string[]>(['pets/read']), { nil: undefined }),
      apiKeyRequired: fc.boolean(),
      model: fc.option(fc.constantFrom(...(models.length > 0 ? models : ['-'])), { nil: undefined }),
      validator: fc.option(fc.constantFrom(...(validators.length > 0 ? validators : ['-'])), { nil: undefined }),
      integration: apiType === 'REST' ? restIntegration() : httpIntegration(),
    })
    .map((r) => {
      const m: MethodDefinition = {}
      if (r.operationName !== undefined) m.operationName = r.operationName
      const params: Record<string, boolean> = {}
      for (const p of pathParams) params[p] = true
      if (r.query) params[`method.request.querystring.${r.query[0]}`] = r.query[1]
      if (r.header) params[`method.request.header.${r.header[0]}`] = r.header[1]
      if (Object.keys(params).length > 0) m.requestParameters = params
      if (r.auth === 'explicit-none') m.authorizationType = 'NONE'
      else if (r.auth === 'iam') m.authorizationType = 'AWS_IAM'
      else if (r.auth !== 'none') {
        const def = authorizers[r.auth] as AuthorizerDefinition
        m.authorizer = r.auth
        m.authorizationType = def.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : def.type === 'JWT' ? 'JWT' : 'CUSTOM'
        if (r.scopes && (def.type === 'COGNITO_USER_POOLS' || def.type === 'JWT')) m.authorizationScopes = r.scopes
      }
      if (apiType === 'REST') {
        if (r.apiKeyRequired) m.apiKeyRequired = true
        if (r.model !== undefined && r.model !== '-') m.requestModels = { 'application/json': r.model }
        if (r.validator !== undefined && r.validator !== '-') m.requestValidator = r.validator
      }
      m.integration = r.integration
      return m
    })
}

function definition(apiType: ApiType): fc.Arbitrary<ApiDefinition> {
  return fc
    .record({
      name: token,
      paths: fc.uniqueArray(fc.constantFrom(...PATHS, ...(apiType === 'HTTP' ? ['$default'] : [])), { minLength: 1, maxLength: 5 }),
      authorizers: apiType === 'REST' ? restAuthorizers : httpAuthorizers,
      models: fc.subarray(Object.keys(MODELS)),
      validators: fc.option(
        fc.constant({ all: { validateRequestBody: true, validateRequestParameters: true }, params: { validateRequestParameters: true } }),
        {
          nil: undefined,
        },
      ),
      defaultValidator: fc.boolean(),
      gatewayResponses: fc.subarray([...GATEWAY_RESPONSE_TYPES], { maxLength: 3 }),
      binary: fc.option(fc.constant<string[]>(['image/png', 'application/octet-stream']), { nil: undefined }),
      compression: fc.option(fc.integer({ min: 0, max: 10_485_760 }), { nil: undefined }),
      apiKeySource: fc.option(fc.constantFrom('HEADER' as const, 'AUTHORIZER' as const), { nil: undefined }),
      cors: fc.option(
        fc.record({
          allowOrigins: fc.constant<string[]>(['https://app.example.com']),
          allowMethods: fc.constant<string[]>(['GET', 'POST']),
          maxAge: fc.integer({ min: 0, max: 86400 }),
          allowCredentials: fc.boolean(),
        }),
        { nil: undefined },
      ),
      seed: fc.integer(),
    })
    .chain((d) => {
      // Pets refers to Pet: keep it only with Pet.
      const models = d.models.filter((m) => m !== 'Pets' || d.models.includes('Pet'))
      const validators = d.validators ? Object.keys(d.validators) : []
      const methodsOf = (path: string) =>
        fc
          .uniqueArray(fc.constantFrom(...(path === '$default' ? ['ANY'] : METHODS)), { minLength: 1, maxLength: 3 })
          .chain((names) =>
            fc.tuple(...names.map((n) => method(apiType, path, d.authorizers, models, validators).map((m) => [n, m] as const))),
          )
      return fc.tuple(...d.paths.map((p) => methodsOf(p).map((ms) => [p, Object.fromEntries(ms)] as const))).map((resources) => {
        const api: ApiDefinition = { name: d.name, resources: Object.fromEntries(resources) }
        if (Object.keys(d.authorizers).length > 0) api.authorizers = d.authorizers
        if (d.binary) api.binaryMediaTypes = d.binary
        if (apiType === 'REST') {
          if (models.length > 0) api.models = Object.fromEntries(models.map((m) => [m, MODELS[m] as Record<string, unknown>]))
          if (d.validators) {
            api.requestValidators = d.validators
            if (d.defaultValidator) api.requestValidator = 'params'
          }
          if (d.gatewayResponses.length > 0) {
            api.gatewayResponses = Object.fromEntries(
              d.gatewayResponses.map((t) => [
                t,
                {
                  statusCode: 418,
                  responseParameters: { 'gatewayresponse.header.x-why': "'because'" },
                  responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
                },
              ]),
            )
          }
          if (d.apiKeySource) api.apiKeySource = d.apiKeySource
          if (d.compression !== undefined) api.minimumCompressionSize = d.compression
        } else if (d.cors) {
          api.cors = d.cors
        }
        return api
      })
    })
}

// ---- properties ---------------------------------------------------------------------------------------------

describe('export: import(export(d)) = d', () => {
  it('holds for generated REST definitions, as OpenAPI 3.0 and as Swagger 2.0', () => {
    fc.assert(
      fc.property(definition('REST'), fc.constantFrom('oas30' as const, 'swagger' as const), (api, format) => {
        // The generated definition is one the gateway serves as it is.
        createGateway({ api, functions: anyFunction, strict: true })
        const doc = exportApi(api, { format, apiType: 'REST' })
        const again = importDoc(doc)
        expect(again.apiType).toBe('REST')
        expect(plain(again.definition)).toEqual(plain(api))
      }),
      { numRuns: 150 },
    )
  })

  it('holds for generated HTTP API definitions (CORS, JWT and Lambda authorizers, payload 2.0)', () => {
    fc.assert(
      fc.property(definition('HTTP'), (api) => {
        createGateway({ api, apiType: 'HTTP', functions: anyFunction, strict: true })
        const doc = exportApi(api, { format: 'oas30', apiType: 'HTTP' })
        expect(doc['x-amazon-apigateway-importexport-version']).toBe('1.0')
        // The document alone says it is an HTTP API.
        const again = importDoc(doc)
        expect(again.apiType).toBe('HTTP')
        expect(plain(again.definition)).toEqual(plain(api))
      }),
      { numRuns: 100 },
    )
  })

  it('writes what GetExport writes for a Lambda proxy method with an authorizer and an API key', () => {
    const api: ApiDefinition = {
      name: 'pets',
      authorizers: { auth: { type: 'TOKEN', authorizerUri: 'checkToken', identitySource: 'method.request.header.Authorization' } },
      resources: {
        '/pets/{petId}': {
          GET: {
            operationName: 'getPet',
            requestParameters: { 'method.request.path.petId': true },
            authorizationType: 'CUSTOM',
            authorizer: 'auth',
            apiKeyRequired: true,
            integration: { type: 'AWS_PROXY', uri: 'getPet', httpMethod: 'POST' },
          },
        },
      },
    }
    const doc = exportApi(api, { format: 'swagger', apiType: 'REST', stage: 'prod' })
    expect(doc.swagger).toBe('2.0')
    expect(doc.basePath).toBe('/prod')
    expect(doc.securityDefinitions).toEqual({
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      auth: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': {
          type: 'token',
          authorizerUri: 'checkToken',
          identitySource: 'method.request.header.Authorization',
        },
      },
    })
    const op = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/pets/{petId}']?.get
    expect(op?.operationId).toBe('getPet')
    expect(op?.security).toEqual([{ auth: [], api_key: [] }])
    expect(op?.parameters).toEqual([{ name: 'petId', in: 'path', required: true, type: 'string' }])
    expect(op?.['x-amazon-apigateway-integration']).toEqual({ type: 'aws_proxy', uri: 'getPet', httpMethod: 'POST' })
  })

  it('--extensions integrations leaves authorizers and API-level extensions out', () => {
    const api: ApiDefinition = {
      name: 'x',
      binaryMediaTypes: ['image/png'],
      authorizers: { auth: { type: 'TOKEN', authorizerUri: 'a', identitySource: 'method.request.header.Authorization' } },
      resources: { '/a': { GET: { authorizationType: 'CUSTOM', authorizer: 'auth', integration: { type: 'MOCK' } } } },
    }
    const doc = exportApi(api, { format: 'oas30', apiType: 'REST', extensions: ['integrations'] })
    expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway-authorizer')
    expect(doc['x-amazon-apigateway-binary-media-types']).toBeUndefined()
    expect(JSON.stringify(doc)).toContain('x-amazon-apigateway-integration')
    const bare = exportApi(api, { format: 'oas30', apiType: 'REST', extensions: ['authorizers'] })
    expect(JSON.stringify(bare)).not.toContain('x-amazon-apigateway-integration')
    expect(JSON.stringify(bare)).toContain('x-amazon-apigateway-authorizer')
  })

  it('refuses Swagger 2.0 for an HTTP API (GetExport exports HTTP APIs as OpenAPI 3.0)', () => {
    expect(() => exportApi({ resources: {} }, { format: 'swagger', apiType: 'HTTP' })).toThrow(/OpenAPI 3\.0 only/)
  })
})

// ---- the real documents -----------------------------------------------------------------------------------

/** What CloudFormation does before API Gateway sees a document: an intrinsic becomes a value. */
function resolveIntrinsicsAsCloudFormation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsicsAsCloudFormation)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  if (entries.length === 1 && (entries[0]?.[0] === 'Ref' || entries[0]?.[0].startsWith('Fn::'))) {
    return `resolved-${entries[0][0]}-${JSON.stringify(entries[0][1]).replace(/[^A-Za-z0-9]/g, '')}`
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsicsAsCloudFormation(v)]))
}

const realFiles = readdirSync(FIXTURES).filter((f) => /\.(json|ya?ml)$/.test(f))

describe('export round trip over every real document', () => {
  it('finds the documents', () => {
    expect(realFiles.length).toBeGreaterThanOrEqual(8)
  })

  for (const file of realFiles) {
    it(file, async (ctx) => {
      const doc = readDefinitionFile(`${FIXTURES}${file}`)
      let apis: { definition: ApiDefinition; apiType: ApiType }[]
      let variables: Record<string, string> = {}
      if (typeof doc.openapi === 'string' || typeof doc.openapi === 'number' || doc.swagger !== undefined) {
        const resolved = resolveIntrinsicsAsCloudFormation(doc) as Record<string, unknown>
        variables = Object.fromEntries(
          [...JSON.stringify(resolved).matchAll(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g)].map((m) => [m[1], 'stageValue']),
        )
        let gw: ReturnType<typeof createGateway>
        try {
          gw = createGateway({ api: resolved, functions: anyFunction, stage: { stageName: 'prod', variables }, onWarning: () => {} })
        } catch (e) {
          // Core refuses the document as it is (not the export's doing): nothing to round-trip; say why.
          ctx.annotate(`core does not load ${file}: ${(e as Error).message}`)
          ctx.skip()
          return
        }
        apis = [{ definition: gw.definition, apiType: gw.apiType }]
      } else {
        const built = await buildApis({ file: `${FIXTURES}${file}`, stubFunctions: true })
        apis = built.apis.map((a) => ({ definition: a.gateway.definition, apiType: a.gateway.apiType }))
      }
      expect(apis.length).toBeGreaterThan(0)
      for (const { definition, apiType } of apis) {
        for (const format of apiType === 'HTTP' ? (['oas30'] as const) : (['oas30', 'swagger'] as const)) {
          const exported = exportApi(definition, { format, apiType })
          const again = createGateway({
            api: exported,
            functions: anyFunction,
            stage: { stageName: 'prod', variables },
            onWarning: () => {},
          })
          expect(again.apiType).toBe(apiType)
          expect(plain(again.definition)).toEqual(plain(definition))
        }
      }
    })
  }
})

describe('exportCommand', () => {
  it('exports one API of a SAM template (--api) as JSON or YAML; several APIs need --api', async () => {
    const template = fileURLToPath(new URL('./fixtures/sam/template.yaml', import.meta.url))
    await expect(exportCommand({ file: template, format: 'oas30' })).rejects.toThrow(
      /has 2 APIs \(PetsApi, ServerlessHttpApi\): choose one with --api/,
    )
    const rest = JSON.parse(await exportCommand({ file: template, format: 'swagger', api: 'PetsApi' })) as Record<string, any>
    expect(rest.swagger).toBe('2.0')
    expect(rest.basePath).toBe('/v1')
    expect(rest.paths['/pets/{id}'].get.security).toEqual([{ TokenAuth: [], api_key: [] }])
    expect(rest.securityDefinitions.TokenAuth['x-amazon-apigateway-authtype']).toBe('custom')
    const http = await exportCommand({ file: template, format: 'oas30', api: 'ServerlessHttpApi', output: 'yaml' })
    expect(http).toMatch(/^openapi: 3\.0\.1\n/)
    expect(http).toContain('x-amazon-apigateway-importexport-version: "1.0"')
    await expect(exportCommand({ file: template, format: 'swagger', api: 'ServerlessHttpApi' })).rejects.toThrow(/OpenAPI 3\.0 only/)
  })
})
