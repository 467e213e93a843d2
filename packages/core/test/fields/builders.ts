/**
 * For one row of the "acted on or warned" table: a gateway input that carries the field with its value where API
 * Gateway documents it (in an OpenAPI document, or in the stage, usage-plan and API-key options), and the pointer a
 * warning about it must name ('' for options, which are not a document: the message names the field instead).
 * Sources: see table.ts.
 */
import type { GatewayInput } from '@gatehousejs/core'
import type { FieldRow } from './table'

type Json = Record<string, unknown>

const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } }
const HTTP_PROXY = { type: 'http_proxy', httpMethod: 'GET', uri: 'http://backend.example/a', payloadFormatVersion: '1.0' }
const OP = '/paths/~1a/get'
const INTEGRATION = `${OP}/x-amazon-apigateway-integration`
const AUTHORIZER = '/components/securitySchemes/auth/x-amazon-apigateway-authorizer'

function token(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** `base` with `extra` and the row's field on top; a key set to `undefined` is removed. */
function withField(base: Json, row: FieldRow, extra: Json = {}): Json {
  const out: Json = { ...base, ...extra, [row.field]: row.value }
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k]
  return out
}

function document(apiType: 'REST' | 'HTTP', op: Json = {}): Json {
  return {
    openapi: '3.0.1',
    info: { title: 'fields', version: '1' },
    paths: { '/a': { get: { 'x-amazon-apigateway-integration': apiType === 'HTTP' ? HTTP_PROXY : MOCK, ...op } } },
  }
}

export interface Built {
  input: Omit<GatewayInput, 'strict' | 'onWarning'>
  /** Where a warning about the field points. */
  pointer: string
}

const authFn = async () => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [] } })

/**
 * The input that carries `row`'s field.
 *
 * @example
 * ```ts
 * build(row).pointer // '/paths/~1a/get/x-amazon-apigateway-integration/tlsConfig'
 * ```
 */
export function build(row: FieldRow): Built {
  const apiType = row.apiType ?? 'REST'
  const extra = { ...(row.with ?? {}) }
  const root = (extra.root ?? {}) as Json
  delete extra.root
  const common = { apiType, functions: { authFn } }
  const api = document(apiType)
  const paths = api.paths as Json
  const op = (paths['/a'] as Json).get as Json
  switch (row.object) {
    case 'document':
      return { input: { ...common, api: { ...api, ...extra, [row.field]: row.value } }, pointer: `/${token(row.field)}` }
    case 'components':
      if (!row.unknown) op['x-amazon-apigateway-integration'] = { $ref: '#/components/x-amazon-apigateway-integrations/i1' }
      return { input: { ...common, api: { ...api, components: { [row.field]: row.value } } }, pointer: `/components/${token(row.field)}` }
    case 'tag':
      return {
        input: { ...common, api: { ...api, tags: [withField({ name: 'Owner' }, row, extra)] } },
        pointer: `/tags/0/${token(row.field)}`,
      }
    case 'pathItem':
      paths['/a'] = { ...(paths['/a'] as Json), [row.field]: row.value }
      return { input: { ...common, api: { ...api, ...root } }, pointer: `/paths/~1a/${token(row.field)}` }
    case 'securityScheme': {
      const base = {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'authFn' },
      }
      op.security = [{ auth: [] }]
      const scheme = withField(base, row, extra)
      return {
        input: { ...common, api: { ...api, components: { securitySchemes: { auth: scheme } } } },
        pointer: `/components/securitySchemes/auth/${token(row.field)}`,
      }
    }
    case 'operation':
      Object.assign(op, extra, { [row.field]: row.value })
      return { input: { ...common, api: { ...api, ...root } }, pointer: `${OP}/${token(row.field)}` }
    case 'integration': {
      const base = apiType === 'HTTP' ? HTTP_PROXY : { type: 'http', httpMethod: 'GET', uri: 'http://backend.example/a' }
      op['x-amazon-apigateway-integration'] = withField(base, row, extra)
      return { input: { ...common, api }, pointer: `${INTEGRATION}/${token(row.field)}` }
    }
    case 'integrationResponse':
      op['x-amazon-apigateway-integration'] = { ...MOCK, responses: { default: withField({ statusCode: '200' }, row, extra) } }
      return { input: { ...common, api }, pointer: `${INTEGRATION}/responses/default/${token(row.field)}` }
    case 'authorizer':
    case 'jwtConfiguration': {
      const jwt = row.object === 'jwtConfiguration'
      const base: Json = jwt
        ? {
            type: 'jwt',
            identitySource: '$request.header.Authorization',
            jwtConfiguration: withField({ issuer: 'https://issuer.example.com' }, row),
          }
        : withField({ type: 'token', authorizerUri: 'authFn' }, row, extra)
      const scheme = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': base }
      op.security = [{ auth: [] }]
      const at = jwt ? `${AUTHORIZER}/jwtConfiguration/${token(row.field)}` : `${AUTHORIZER}/${token(row.field)}`
      return { input: { ...common, api: { ...api, components: { securitySchemes: { auth: scheme } } } }, pointer: at }
    }
    case 'gatewayResponse':
      return {
        input: { ...common, api: { ...api, 'x-amazon-apigateway-gateway-responses': { DEFAULT_4XX: withField({}, row, extra) } } },
        pointer: `/x-amazon-apigateway-gateway-responses/DEFAULT_4XX/${token(row.field)}`,
      }
    case 'cors':
      return {
        input: { ...common, api: { ...api, 'x-amazon-apigateway-cors': withField({}, row, extra) } },
        pointer: `/x-amazon-apigateway-cors/${token(row.field)}`,
      }
    case 'endpointConfiguration':
      return {
        input: {
          ...common,
          endpoint: { trustVpceHeader: true },
          api: { ...api, 'x-amazon-apigateway-endpoint-configuration': withField({}, row, extra) },
        },
        pointer: `/x-amazon-apigateway-endpoint-configuration/${token(row.field)}`,
      }
    case 'requestValidator':
      return {
        input: { ...common, api: { ...api, 'x-amazon-apigateway-request-validators': { v: withField({}, row, extra) } } },
        pointer: `/x-amazon-apigateway-request-validators/v/${token(row.field)}`,
      }
    case 'stage':
      return { input: { ...common, api, stage: withField({ stageName: 'prod' }, row, extra) as never }, pointer: '' }
    case 'methodSetting':
      return {
        input: { ...common, api, stage: { stageName: 'prod', methodSettings: { '*/*': withField({}, row, extra) } } as never },
        pointer: '',
      }
    case 'usagePlan':
      op.security = [{ api_key: [] }]
      return {
        input: {
          ...common,
          api: { ...api, components: { securitySchemes: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } } },
          apiKeys: [{ id: 'k1', value: 'partner-key-0123456789' }],
          usagePlans: [withField({ id: 'p1', apiStages: [{ stage: 'prod' }], keys: ['k1'] }, row, extra) as never],
        },
        pointer: '',
      }
    case 'apiKey':
      return {
        input: { ...common, api, apiKeys: [withField({ id: 'k1', value: 'partner-key-0123456789' }, row, extra) as never] },
        pointer: '',
      }
  }
}
