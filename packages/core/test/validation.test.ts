// Request validation end to end through handle(): models, request validators, the two refusals and their
// gateway-response customisation, for REST APIs defined in OpenAPI 3.0 and Swagger 2.0.
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type GatewayWarning } from '@gatehousejs/core'
import { configError, header, json, req, text } from './helpers'

const lambdaUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`
const lambda = { type: 'aws_proxy', httpMethod: 'POST', uri: lambdaUri('backend') }

/** A backend that counts its calls: a request refused by validation must never reach it. */
function counter() {
  const calls: unknown[] = []
  const backend = async (event: any) => {
    calls.push(event)
    return { statusCode: 200, body: JSON.stringify({ ok: true }) }
  }
  return { calls, backend }
}

// The PetStore sample of "OpenAPI definitions of a sample API with basic request validation":
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-sample-api-swagger.html
const requestBodyModel = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'PetStore',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', enum: ['dog', 'cat', 'fish'] },
    name: { type: 'string' },
    price: { type: 'number', minimum: 25.0, maximum: 500.0 },
  },
  required: ['type', 'name', 'price'],
}

const validators = {
  all: { validateRequestBody: true, validateRequestParameters: true },
  'params-only': { validateRequestBody: false, validateRequestParameters: true },
  'body-only': { validateRequestBody: true, validateRequestParameters: false },
}

function oas3(extra: Record<string, unknown> = {}) {
  const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: ref } } } })
  return {
    openapi: '3.0.1',
    info: { title: 'ReqValidation Sample', version: '1.0.0' },
    'x-amazon-apigateway-request-validators': validators,
    'x-amazon-apigateway-request-validator': 'params-only',
    paths: {
      '/validation': {
        get: {
          parameters: [{ name: 'q1', in: 'query', required: true, schema: { type: 'string' } }],
          'x-amazon-apigateway-integration': lambda,
        },
        post: {
          parameters: [{ name: 'h1', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: json('#/components/schemas/RequestBodyModel'),
          'x-amazon-apigateway-request-validator': 'all',
          'x-amazon-apigateway-integration': lambda,
        },
        put: {
          parameters: [{ name: 'h1', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: json('#/components/schemas/RequestBodyModel'),
          'x-amazon-apigateway-request-validator': 'body-only',
          'x-amazon-apigateway-integration': lambda,
        },
      },
    },
    components: { schemas: { RequestBodyModel: requestBodyModel } },
    ...extra,
  }
}

function swagger2(extra: Record<string, unknown> = {}) {
  const body = { name: 'RequestBodyModel', in: 'body', required: true, schema: { $ref: '#/definitions/RequestBodyModel' } }
  return {
    swagger: '2.0',
    info: { title: 'ReqValidation Sample', version: '1.0.0' },
    consumes: ['application/json'],
    'x-amazon-apigateway-request-validators': validators,
    'x-amazon-apigateway-request-validator': 'params-only',
    paths: {
      '/validation': {
        get: {
          parameters: [{ name: 'q1', in: 'query', required: true, type: 'string' }],
          'x-amazon-apigateway-integration': lambda,
        },
        post: {
          parameters: [{ name: 'h1', in: 'header', required: true, type: 'string' }, body],
          'x-amazon-apigateway-request-validator': 'all',
          'x-amazon-apigateway-integration': lambda,
        },
        put: {
          parameters: [{ name: 'h1', in: 'header', required: true, type: 'string' }, body],
          'x-amazon-apigateway-request-validator': 'body-only',
          'x-amazon-apigateway-integration': lambda,
        },
      },
    },
    definitions: { RequestBodyModel: requestBodyModel },
    ...extra,
  }
}

function build(api: Record<string, unknown>, input: Partial<GatewayInput> = {}) {
  const { calls, backend } = counter()
  const gw = createGateway({ api, functions: { backend }, onWarning: () => {}, ...input })
  return { gw, calls }
}

const pet = { type: 'dog', name: 'Rex', price: 49.5 }
const post = (body: unknown, headers: Record<string, string> = { h1: 'v', 'content-type': 'application/json' }) =>
  req('POST', '/validation', { headers, body: typeof body === 'string' ? body : JSON.stringify(body) })

describe.each([
  ['OpenAPI 3.0', oas3],
  ['Swagger 2.0', swagger2],
])('request validators (%s)', (_name, make) => {
  // Outcomes of the sample's requests, as the validation page describes them: 400 BAD_REQUEST_PARAMETERS with
  // "Missing required request parameters: [...]", 400 BAD_REQUEST_BODY with "Invalid request body".
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
  const table: [string, () => ReturnType<typeof req>, number, unknown][] = [
    ['params only (API default): query present', () => req('GET', '/validation?q1=cat'), 200, { ok: true }],
    ['params only: query missing', () => req('GET', '/validation'), 400, { message: 'Missing required request parameters: [q1]' }],
    ['params only: query blank', () => req('GET', '/validation?q1='), 400, { message: 'Missing required request parameters: [q1]' }],
    [
      'params only: query of spaces',
      () => req('GET', '/validation?q1=%20+'),
      400,
      { message: 'Missing required request parameters: [q1]' },
    ],
    ['params only: query without "="', () => req('GET', '/validation?q1'), 400, { message: 'Missing required request parameters: [q1]' }],
    [
      'params only: name is case-sensitive',
      () => req('GET', '/validation?Q1=x'),
      400,
      { message: 'Missing required request parameters: [q1]' },
    ],
    ['params only: the body is not validated', () => req('GET', '/validation?q1=x', { body: 'not json' }), 200, { ok: true }],
    ['both: valid', () => post(pet), 200, { ok: true }],
    [
      'both: header missing (body valid)',
      () => post(pet, { 'content-type': 'application/json' }),
      400,
      { message: 'Missing required request parameters: [h1]' },
    ],
    [
      'both: header missing wins over a bad body',
      () => post({}, { 'content-type': 'application/json' }),
      400,
      { message: 'Missing required request parameters: [h1]' },
    ],
    [
      'both: header blank',
      () => post(pet, { h1: '  ', 'content-type': 'application/json' }),
      400,
      { message: 'Missing required request parameters: [h1]' },
    ],
    ['both: body misses required properties', () => post({ name: 'Rex' }), 400, { message: 'Invalid request body' }],
    ['both: enum', () => post({ ...pet, type: 'bird' }), 400, { message: 'Invalid request body' }],
    ['both: maximum', () => post({ ...pet, price: 501 }), 400, { message: 'Invalid request body' }],
    ['both: not JSON', () => post('{"type": "dog",'), 400, { message: 'Invalid request body' }],
    ['both: not JSON at all', () => post('type=dog'), 400, { message: 'Invalid request body' }],
    ['both: empty body reads as {}', () => post(''), 400, { message: 'Invalid request body' }],
    [
      'both: Content-Type with parameters',
      () => post(pet, { h1: 'v', 'content-type': 'Application/JSON; charset=utf-8' }),
      200,
      { ok: true },
    ],
    ['both: no Content-Type reads as application/json', () => post({ name: 1 }, { h1: 'v' }), 400, { message: 'Invalid request body' }],
    [
      'both: a content type without a model is not validated',
      () => post('whatever', { h1: 'v', 'content-type': 'text/plain' }),
      200,
      { ok: true },
    ],
    [
      'body only: header not required',
      () => req('PUT', '/validation', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(pet) }),
      200,
      { ok: true },
    ],
    ['body only: bad body', () => req('PUT', '/validation', { body: '[]' }), 400, { message: 'Invalid request body' }],
  ]

  it.each(table)('%s', async (_case, request, status, body) => {
    const { gw, calls } = build(make())
    const res = await gw.handle(request())
    expect(res.statusCode).toBe(status)
    expect(json(res)).toEqual(body)
    expect(calls).toHaveLength(status === 200 ? 1 : 0)
    if (status === 400) {
      expect(header(res, 'content-type')).toBe('application/json')
      expect(header(res, 'x-amzn-ErrorType')).toBe('BadRequestException')
    }
  })
})

describe('missing parameters', () => {
  // "The required request parameters in the URI, query string, and headers of an incoming request are included and
  // not blank." Several are listed in one message, by their method.request.* expression (header, path, querystring).
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
  const api = {
    openapi: '3.0.1',
    info: { title: 'p', version: '1' },
    'x-amazon-apigateway-request-validators': { params: { validateRequestParameters: true } },
    paths: {
      '/shops/{shop}/items': {
        parameters: [{ name: 'shop', in: 'path', required: true }],
        get: {
          parameters: [
            { name: 'sort', in: 'query', required: true },
            { name: 'X-Tenant', in: 'header', required: true },
            { name: 'page', in: 'query', required: true },
            { name: 'Accept-Language', in: 'header', required: true },
            { name: 'filter', in: 'query', required: false },
          ],
          'x-amazon-apigateway-request-validator': 'params',
          'x-amazon-apigateway-integration': lambda,
        },
      },
    },
  }

  const table: [string, string, Record<string, string | string[]>, string | null][] = [
    ['none present', '/shops/1/items', {}, '[Accept-Language, X-Tenant, page, sort]'],
    ['headers match case-insensitively', '/shops/1/items?page=1&sort=a', { 'x-tenant': 't', 'accept-language': 'en' }, null],
    ['one query missing', '/shops/1/items?page=1', { 'x-tenant': 't', 'accept-language': 'en' }, '[sort]'],
    ['blank header and blank query', '/shops/1/items?page=&sort=a', { 'x-tenant': '', 'accept-language': 'en' }, '[X-Tenant, page]'],
    [
      'the last of repeated values counts',
      '/shops/1/items?page=1&page=&sort=a',
      { 'x-tenant': ['t', ' '], 'accept-language': 'en' },
      '[X-Tenant, page]',
    ],
    ['optional parameters are not required', '/shops/1/items?page=1&sort=a', { 'x-tenant': 't', 'accept-language': 'en' }, null],
    ['encoded values are decoded first', '/shops/1/items?page=%20&sort=%41', { 'x-tenant': 't', 'accept-language': 'en' }, '[page]'],
  ]

  it.each(table)('%s', async (_case, url, headers, missing) => {
    const { gw, calls } = build(api)
    const res = await gw.handle(req('GET', url, { headers }))
    if (missing === null) {
      expect(res.statusCode).toBe(200)
      expect(calls).toHaveLength(1)
    } else {
      expect(res.statusCode).toBe(400)
      expect(json(res)).toEqual({ message: `Missing required request parameters: ${missing}` })
      expect(calls).toHaveLength(0)
    }
  })

  it('lists a required path parameter the route cannot fill', async () => {
    const { gw, calls } = build({
      resources: {
        '/a/{id}': {
          GET: {
            requestValidator: 'v',
            requestParameters: { 'method.request.path.id': true, 'method.request.path.other': true, 'method.request.querystring.q': true },
            integration: { type: 'AWS_PROXY', uri: lambdaUri('backend') },
          },
        },
      },
      requestValidators: { v: { validateRequestParameters: true } },
    })
    const res = await gw.handle(req('GET', '/a/7'))
    expect(json(res)).toEqual({ message: 'Missing required request parameters: [other, q]' })
    expect(calls).toHaveLength(0)
  })

  it('does not look up inherited properties (a parameter named "constructor")', async () => {
    const { gw } = build({
      resources: {
        '/a': {
          GET: {
            requestValidator: 'v',
            requestParameters: {
              'method.request.path.constructor': true,
              'method.request.header.__proto__': true,
              'method.request.querystring.toString': true,
            },
            integration: { type: 'AWS_PROXY', uri: lambdaUri('backend') },
          },
        },
      },
      requestValidators: { v: { validateRequestParameters: true } },
    })
    const res = await gw.handle(req('GET', '/a'))
    expect(json(res)).toEqual({ message: 'Missing required request parameters: [__proto__, constructor, toString]' })
  })
})

describe('customised gateway responses read $context.error.validationErrorString', () => {
  // BAD_REQUEST_BODY / BAD_REQUEST_PARAMETERS customised with x-amazon-apigateway-gateway-responses; the detail is in
  // $context.error.validationErrorString.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
  const responses = {
    'x-amazon-apigateway-gateway-responses': {
      BAD_REQUEST_BODY: {
        statusCode: 422,
        responseParameters: { 'gatewayresponse.header.x-error-type': "'validation'" },
        responseTemplates: {
          'application/json':
            '{"message": $context.error.messageString, "type": "$context.error.responseType", "detail": "$context.error.validationErrorString"}',
        },
      },
      BAD_REQUEST_PARAMETERS: {
        responseTemplates: { 'application/json': '{"error": "$context.error.validationErrorString"}' },
      },
    },
  }

  const table: [string, () => ReturnType<typeof req>, number, unknown][] = [
    [
      'missing required properties',
      () => post({ name: 'Rex', type: 'cat' }),
      422,
      { message: 'Invalid request body', type: 'BAD_REQUEST_BODY', detail: '[object has missing required properties (["price"])]' },
    ],
    [
      'a body that is not JSON',
      () => post('{"type": dog}'),
      422,
      {
        message: 'Invalid request body',
        type: 'BAD_REQUEST_BODY',
        detail: "[Unrecognized token 'dog': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')]",
      },
    ],
    [
      'missing parameters',
      () => post(pet, { 'content-type': 'application/json' }),
      400,
      { error: 'Missing required request parameters: [h1]' },
    ],
  ]

  it.each(table)('%s', async (_case, request, status, body) => {
    const { gw, calls } = build(oas3(responses))
    const res = await gw.handle(request())
    expect(res.statusCode).toBe(status)
    expect(json(res)).toEqual(body)
    expect(calls).toHaveLength(0)
    if (status === 422) expect(header(res, 'x-error-type')).toBe('validation')
  })

  it('several failures are listed in one string', async () => {
    const { gw } = build(oas3(responses))
    const detail: string = json(await gw.handle(post({ type: 'bird', name: 7, price: 1 }))).detail
    // The order of messages across properties is the validator's; each message is API Gateway's wording.
    expect(detail.startsWith('[') && detail.endsWith(']')).toBe(true)
    for (const m of [
      'instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])',
      'instance type (integer) does not match any allowed primitive type (allowed: ["string"])',
      'numeric instance is lower than the required minimum (minimum: 25, found: 1)',
    ]) {
      expect(detail).toContain(m)
    }
    expect(detail.split('), ').length).toBe(3)
  })

  it('DEFAULT_4XX customisation applies when BAD_REQUEST_BODY has none', async () => {
    const { gw } = build(
      oas3({
        'x-amazon-apigateway-gateway-responses': {
          DEFAULT_4XX: {
            responseTemplates: {
              'application/json': '{"type": "$context.error.responseType", "detail": "$context.error.validationErrorString"}',
            },
          },
        },
      }),
    )
    const res = await gw.handle(post({ ...pet, id: 'x' }))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({
      type: 'BAD_REQUEST_BODY',
      detail: '[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]',
    })
  })

  it('validationErrorString is escaped for a JSON string', async () => {
    const { gw } = build(
      oas3({
        'x-amazon-apigateway-gateway-responses': {
          BAD_REQUEST_BODY: { responseTemplates: { 'text/plain': '$context.error.validationErrorString' } },
        },
      }),
    )
    const res = await gw.handle(post({ name: 'Rex', type: 'dog' }))
    expect(text(res)).toBe('[object has missing required properties ([\\"price\\"])]')
  })
})

describe('models', () => {
  // Models reference each other by $ref: #/components/schemas/X and #/definitions/X in OpenAPI documents, and API
  // Gateway's model URL https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
  const schemas = {
    Order: {
      type: 'object',
      required: ['pet', 'tags'],
      properties: {
        pet: { $ref: '#/components/schemas/Pet' },
        tags: { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Tag' } },
        petName: { $ref: '#/components/schemas/Pet/properties/name' },
      },
    },
    Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
    Tag: { type: 'string', pattern: '^[a-z]+$' },
  }
  function api(body: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return {
      openapi: '3.0.1',
      info: { title: 'm', version: '1' },
      'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true } },
      'x-amazon-apigateway-request-validator': 'body',
      paths: { '/orders': { post: { requestBody: body, 'x-amazon-apigateway-integration': lambda } } },
      components: { schemas },
      ...extra,
    }
  }
  const order = { pet: { name: 'Rex' }, tags: ['good'], petName: 'Rex' }

  const table: [string, unknown, number][] = [
    ['valid through refs', order, 200],
    ['ref to another model', { ...order, pet: {} }, 400],
    ['ref by model URL', { ...order, tags: ['Bad'] }, 400],
    ['ref into a model', { ...order, petName: '' }, 400],
  ]
  it.each(table)('%s', async (_case, value, status) => {
    const { gw, calls } = build(api({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }))
    const res = await gw.handle(req('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }))
    expect(res.statusCode).toBe(status)
    expect(calls).toHaveLength(status === 200 ? 1 : 0)
  })

  it('imports components/schemas with refs in the model URL form', () => {
    const { gw } = build(api({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }))
    expect(gw.definition.models!.Order!.properties).toEqual({
      pet: { $ref: 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet' },
      tags: { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Tag' } },
      petName: { $ref: 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet#/properties/name' },
    })
    expect(gw.definition.resources['/orders']!.POST!.requestModels).toEqual({ 'application/json': 'Order' })
  })

  it('an inline schema becomes a generated model', async () => {
    const { gw, calls } = build(
      api({
        content: {
          'application/json': { schema: { type: 'object', required: ['pet'], properties: { pet: { $ref: '#/components/schemas/Pet' } } } },
        },
      }),
    )
    const name = gw.definition.resources['/orders']!.POST!.requestModels!['application/json']!
    expect(name).toBe('PostOrdersRequestBody')
    expect(gw.definition.models![name]).toEqual({
      type: 'object',
      required: ['pet'],
      properties: { pet: { $ref: 'https://apigateway.amazonaws.com/restapis/{restapi_id}/models/Pet' } },
    })
    const bad = await gw.handle(req('POST', '/orders', { body: '{"pet": {}}' }))
    const good = await gw.handle(req('POST', '/orders', { body: '{"pet": {"name": "x"}}' }))
    expect([bad.statusCode, good.statusCode, calls.length]).toEqual([400, 200, 1])
  })

  it('a requestBody $ref and several content types', async () => {
    const { gw, calls } = build(
      api(
        { $ref: '#/components/requestBodies/OrderBody' },
        {
          components: {
            schemas,
            requestBodies: {
              OrderBody: {
                content: {
                  'application/json': { schema: { $ref: '#/components/schemas/Order' } },
                  'application/vnd.pet+json': { schema: { $ref: '#/components/schemas/Pet' } },
                },
              },
            },
          },
        },
      ),
    )
    const asPet = await gw.handle(
      req('POST', '/orders', { headers: { 'content-type': 'application/vnd.pet+json' }, body: '{"name": "Rex"}' }),
    )
    const asOrder = await gw.handle(req('POST', '/orders', { headers: { 'content-type': 'application/json' }, body: '{"name": "Rex"}' }))
    expect([asPet.statusCode, asOrder.statusCode, calls.length]).toEqual([200, 400, 1])
  })

  it('Swagger 2.0: #/definitions refs, consumes, and a body parameter on the path item', async () => {
    const { gw, calls } = build({
      swagger: '2.0',
      info: { title: 's', version: '1' },
      'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true } },
      'x-amazon-apigateway-request-validator': 'body',
      definitions: {
        Pet: { type: 'object', required: ['tag'], properties: { tag: { $ref: '#/definitions/Tag' } } },
        Tag: { type: 'string', maxLength: 3 },
      },
      paths: {
        '/pets': {
          parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Pet' } }],
          post: { consumes: ['application/json', 'text/x-pet'], 'x-amazon-apigateway-integration': lambda },
        },
      },
    })
    expect(gw.definition.resources['/pets']!.POST!.requestModels).toEqual({ 'application/json': 'Pet', 'text/x-pet': 'Pet' })
    const results = await Promise.all([
      gw.handle(req('POST', '/pets', { headers: { 'content-type': 'text/x-pet' }, body: '{"tag": "long"}' })),
      gw.handle(req('POST', '/pets', { body: '{"tag": "ok"}' })),
      gw.handle(req('POST', '/pets', { headers: { 'content-type': 'text/plain' }, body: 'not validated' })),
    ])
    expect(results.map((r) => r.statusCode)).toEqual([400, 200, 200])
    expect(calls).toHaveLength(2)
  })

  it('the $default model applies when no content type matches', async () => {
    const { gw, calls } = build({
      resources: {
        '/x': {
          POST: {
            requestValidator: 'body',
            requestModels: { 'application/json': 'Pet', $default: 'Tag' },
            integration: { type: 'AWS_PROXY', uri: lambdaUri('backend') },
          },
        },
      },
      models: { Pet: schemas.Pet, Tag: schemas.Tag },
      requestValidators: { body: { validateRequestBody: true } },
    })
    const r = async (type: string, body: string) =>
      (await gw.handle(req('POST', '/x', { headers: { 'content-type': type }, body }))).statusCode
    expect(await r('text/plain', '"abc"')).toBe(200)
    expect(await r('text/plain', '"ABC"')).toBe(400)
    expect(await r('text/plain', 'abc')).toBe(400)
    expect(await r('application/json', '"abc"')).toBe(400)
    expect(await r('application/json', '{"name": "x"}')).toBe(200)
    expect(calls).toHaveLength(2)
  })

  it('the built-in Empty model (an object) is there without being defined', async () => {
    const { gw } = build({
      resources: {
        '/x': {
          POST: {
            requestValidator: 'body',
            requestModels: { 'application/json': 'Empty' },
            integration: { type: 'AWS_PROXY', uri: lambdaUri('backend') },
          },
        },
      },
      requestValidators: { body: { validateRequestBody: true } },
    })
    expect((await gw.handle(req('POST', '/x', { body: '{"any": 1}' }))).statusCode).toBe(200)
    expect((await gw.handle(req('POST', '/x', { body: '[1]' }))).statusCode).toBe(400)
  })

  it('binary bodies are read as UTF-8', async () => {
    const { gw } = build(api({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } }))
    const res = await gw.handle(req('POST', '/orders', { body: new TextEncoder().encode('{"name": "Rex"}') }))
    expect(res.statusCode).toBe(200)
  })
})

describe('which validator applies', () => {
  // x-amazon-apigateway-request-validator at the API level applies to every method; a method's own overrides it.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validator.html
  it('a method can switch validation off with a validator that validates nothing', async () => {
    const api = oas3()
    ;(api['x-amazon-apigateway-request-validators'] as Record<string, unknown>).none = {
      validateRequestBody: false,
      validateRequestParameters: false,
    }
    ;(api.paths['/validation'].post as Record<string, unknown>)['x-amazon-apigateway-request-validator'] = 'none'
    const { gw, calls } = build(api)
    const res = await gw.handle(post('not json', {}))
    expect(res.statusCode).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it('without any validator nothing is validated', async () => {
    const api: Record<string, unknown> = oas3()
    delete api['x-amazon-apigateway-request-validator']
    const { gw, calls } = build(api)
    expect((await gw.handle(req('GET', '/validation'))).statusCode).toBe(200)
    expect((await gw.handle(post('x', {}))).statusCode).toBe(400)
    expect(calls).toHaveLength(1)
  })
})

describe('configuration errors name the pointer', () => {
  const native = (method: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    resources: { '/x': { POST: { integration: { type: 'MOCK' }, ...method } } },
    requestValidators: { all: { validateRequestBody: true, validateRequestParameters: true } },
    ...extra,
  })

  const table: [string, () => unknown, string][] = [
    [
      'unknown method validator',
      () => createGateway({ api: native({ requestValidator: 'nope' }) }),
      '/resources/~1x/POST/requestValidator',
    ],
    ['unknown API validator', () => createGateway({ api: native({}, { requestValidator: 'nope' }) }), '/requestValidator'],
    [
      'unknown model',
      () => createGateway({ api: native({ requestModels: { 'application/json': 'Nope' } }) }),
      '/resources/~1x/POST/requestModels/application~1json',
    ],
    [
      'invalid model',
      () =>
        createGateway({
          api: native(
            { requestValidator: 'all', requestModels: { 'application/json': 'Bad' } },
            { models: { Bad: { properties: { a: { type: 'strin' } } } } },
          ),
        }),
      '/models/Bad/properties/a/type',
    ],
    [
      'model with a dangling $ref',
      () =>
        createGateway({
          api: native(
            { requestValidator: 'all', requestModels: { 'application/json': 'Bad' } },
            { models: { Bad: { $ref: 'https://apigateway.amazonaws.com/restapis/x/models/Gone' } } },
          ),
        }),
      '/models/Bad/$ref',
    ],
    [
      'bad parameter expression',
      () => createGateway({ api: native({ requestValidator: 'all', requestParameters: { 'method.request.cookie.a': true } }) }),
      '/resources/~1x/POST/requestParameters/method.request.cookie.a',
    ],
    [
      'non-boolean flag',
      () => createGateway({ api: oas3({ 'x-amazon-apigateway-request-validators': { all: { validateRequestBody: 'yes' } } }) }),
      '/x-amazon-apigateway-request-validators/all/validateRequestBody',
    ],
    [
      'unknown validator in OpenAPI',
      () => createGateway({ api: oas3({ 'x-amazon-apigateway-request-validator': 'missing' }), onWarning: () => {} }),
      // The document's own field (#14: errors point into the document given, not the native model).
      '/x-amazon-apigateway-request-validator',
    ],
    [
      'ref to a missing component',
      () => {
        const api = oas3()
        ;(api.paths['/validation'].post as any).requestBody = {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Gone' } } },
        }
        return createGateway({ api, onWarning: () => {} })
      },
      '/paths/~1validation/post/requestBody/content/application~1json/schema',
    ],
  ]
  it.each(table)('%s', (_case, fn, at) => {
    const e = configError(fn)
    expect(e.code).toBe('INVALID_DEFINITION')
    expect(e.pointer).toBe(at)
  })

  it('an unused invalid model does not fail the build', () => {
    expect(() => createGateway({ api: native({}, { models: { Bad: { type: 'strin' } } }) })).not.toThrow()
  })
})

describe('HTTP APIs', () => {
  // HTTP APIs have no request validation (feature comparison of REST and HTTP APIs):
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html
  it('ignore the extensions with a warning and validate nothing', async () => {
    const seen: GatewayWarning[] = []
    const { gw, calls } = build(oas3(), { apiType: 'HTTP', onWarning: (w) => seen.push(w) })
    expect(
      seen
        .filter((w) => w.code === 'IGNORED_SETTING')
        .map((w) => w.pointer)
        .sort(),
    ).toEqual(
      [
        '/paths/~1validation/post/x-amazon-apigateway-request-validator',
        '/paths/~1validation/put/x-amazon-apigateway-request-validator',
        '/x-amazon-apigateway-request-validator',
        '/x-amazon-apigateway-request-validators',
      ].sort(),
    )
    const res = await gw.handle(post('not json', {}))
    expect(res.statusCode).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it('warn about a native definition validator', () => {
    const seen: GatewayWarning[] = []
    createGateway({
      api: { resources: { '/x': { POST: { requestValidator: 'all', integration: { type: 'MOCK' } } } } },
      apiType: 'HTTP',
      onWarning: (w) => seen.push(w),
    })
    expect(seen.map((w) => w.pointer)).toContain('/resources/~1x/POST/requestValidator')
  })
})

describe('place in the pipeline', () => {
  // Request validation runs after authorization (DESIGN.md, "The request's way through core", after API Gateway's
  // method request flow: authorizers, then validation): an unauthorized request is refused as such, not for its
  // parameters; an authorized one is then validated.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
  function securedApi() {
    const api = oas3({
      components: {
        schemas: { RequestBodyModel: requestBodyModel },
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: lambdaUri('auth'), authorizerResultTtlInSeconds: 0 },
          },
        },
      },
    })
    ;(api.paths['/validation'].post as Record<string, unknown>).security = [{ auth: [] }]
    return api
  }
  const authorizer = async (event: any) => {
    if (event.authorizationToken !== 'allow') throw new Error('Unauthorized')
    return {
      principalId: 'u',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    }
  }

  it('authorization first, then validation', async () => {
    const { calls, backend } = counter()
    const gw = createGateway({ api: securedApi(), functions: { backend, auth: authorizer }, onWarning: () => {} })
    const noToken = await gw.handle(post({}, {}))
    const denied = await gw.handle(post({}, { authorization: 'deny' }))
    const invalid = await gw.handle(post({}, { authorization: 'allow' }))
    const valid = await gw.handle(post(pet, { authorization: 'allow', h1: 'v' }))
    expect([noToken.statusCode, denied.statusCode, invalid.statusCode, valid.statusCode]).toEqual([401, 401, 400, 200])
    expect(json(invalid)).toEqual({ message: 'Missing required request parameters: [h1]' })
    expect(calls).toHaveLength(1)
  })
})
