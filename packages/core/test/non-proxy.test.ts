// Non-proxy integrations end to end through handle(), from OpenAPI documents: AWS (Lambda custom integration with
// in-process functions), HTTP (a real node:http backend on 127.0.0.1) and MOCK, with request and response
// templates, parameter mappings and selection patterns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type LambdaHandler } from '@gatehousejs/core'
import { header, json, req, text } from './helpers'
import { doc, FN, op, startBackend, type Backend } from './non-proxy-helpers'

let backend: Backend
beforeAll(async () => {
  backend = await startBackend()
})
afterAll(() => backend.close())

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  req('POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })

// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
describe('AWS integration: Lambda custom integration', () => {
  const events: unknown[] = []
  const functions: Record<string, LambdaHandler> = {
    greet: async (event: { name: string; id: string }) => {
      events.push(event)
      return { greeting: `Hello ${event.name}`, id: event.id }
    },
    echo: async (event: unknown) => event,
    nothing: async () => undefined,
    slow: () => new Promise(() => {}),
  }
  const api = doc({
    '/greet/{id}': {
      post: op(
        {
          type: 'aws',
          httpMethod: 'POST',
          uri: FN('greet'),
          requestTemplates: {
            'application/json':
              '{"name": $input.json(\'$.name\'), "id": "$input.params(\'id\')", "q": "$input.params(\'q\')", "agent": "$input.params(\'user-agent\')", "stage": "$context.stage", "color": "$stageVariables.color", "resource": "$context.resourcePath", "path": "$input.params().path"}',
          },
          responses: {
            default: {
              statusCode: '200',
              responseParameters: {
                'method.response.header.X-Greeting': 'integration.response.body.greeting',
                'method.response.header.X-Static': "'yes'",
                'method.response.header.X-Stage': 'context.stage',
                'method.response.header.X-Type': 'integration.response.header.Content-Type',
              },
              responseTemplates: { 'application/json': '{"message": "$input.path(\'$.greeting\')", "pet": "$input.path(\'$.id\')"}' },
            },
          },
        },
        [
          { name: 'id', in: 'path', required: true },
          { name: 'q', in: 'query' },
        ],
      ),
    },
    '/echo': {
      post: op({ type: 'aws', uri: FN('echo'), responses: { default: { statusCode: '200' } } }),
      get: op({ type: 'aws', uri: FN('echo'), responses: { default: { statusCode: '200' } } }),
    },
    '/nothing': { get: op({ type: 'aws', uri: FN('nothing'), responses: { default: { statusCode: '204' } } }) },
    '/slow': { get: op({ type: 'aws', uri: FN('slow'), timeoutInMillis: 50, responses: { default: { statusCode: '200' } } }) },
    '/created': {
      post: op({
        type: 'aws',
        uri: FN('echo'),
        responses: {
          default: {
            statusCode: '200',
            responseTemplates: {
              'application/json':
                '#set($context.responseOverride.status = 201)#set($context.responseOverride.header.Location = "/pets/$input.path(\'$.id\')"){"id": $input.json(\'$.id\')}',
            },
          },
        },
      }),
    },
    '/payload': {
      post: op({
        type: 'aws',
        uri: FN('echo'),
        requestTemplates: { 'application/json': '{"body": $input.json(\'$\')}' },
        responses: { default: { statusCode: '200' } },
      }),
    },
  })
  const gw = createGateway({ api, functions, stage: { stageName: 'prod', variables: { color: 'blue' } }, requestId: () => 'rid-1' })

  it('renders the request template into the event and the response template from the result', async () => {
    const res = await gw.handle(post('/greet/7?q=cats', { name: 'Ada' }))
    expect(res.statusCode).toBe(200)
    expect(events.at(-1)).toEqual({
      name: 'Ada',
      id: '7',
      q: 'cats',
      agent: 'test-agent',
      stage: 'prod',
      color: 'blue',
      resource: '/greet/{id}',
      path: '{id=7}',
    })
    expect(json(res)).toEqual({ message: 'Hello Ada', pet: '7' })
    expect(header(res, 'content-type')).toBe('application/json')
    expect(res.headers['X-Greeting']).toBe('Hello Ada')
    expect(res.headers['X-Static']).toBe('yes')
    expect(res.headers['X-Stage']).toBe('prod')
    expect(res.headers['X-Type']).toBe('application/json')
  })

  it('passes a JSON body through as the event when there is no template; an empty body is {}', async () => {
    const res = await gw.handle(post('/echo', { a: [1, 2], b: 'x' }))
    expect([res.statusCode, json(res)]).toEqual([200, { a: [1, 2], b: 'x' }])
    const empty = await gw.handle(req('GET', '/echo'))
    expect([empty.statusCode, text(empty)]).toEqual([200, '{}'])
  })

  it('a function that returns nothing answers null', async () => {
    const res = await gw.handle(req('GET', '/nothing'))
    expect([res.statusCode, text(res)]).toEqual([204, 'null'])
  })

  it('honours $context.responseOverride.status and .header', async () => {
    const res = await gw.handle(post('/created', { id: 42 }))
    expect(res.statusCode).toBe(201)
    expect(res.headers.Location).toBe('/pets/42')
    expect(json(res)).toEqual({ id: 42 })
  })

  it('a passed-through body Lambda cannot parse answers 400 as API Gateway relays it', async () => {
    const res = await gw.handle(
      req('POST', '/echo', { body: 'name=ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    )
    expect(res.statusCode).toBe(400)
    expect(json(res).message).toMatch(
      /^Could not parse request body into json: Could not parse payload into json: Unrecognized token 'name=ada'/,
    )
    const comma = await gw.handle(post('/echo', '{"a":1,}'))
    expect([comma.statusCode, json(comma).message]).toEqual([
      400,
      "Could not parse request body into json: Could not parse payload into json: Unexpected character ('}' (code 125))",
    ])
    const cut = await gw.handle(post('/echo', '{"a":'))
    expect(json(cut).message).toBe('Could not parse request body into json: Could not parse payload into json: Unexpected end-of-input')
  })

  it('a body that looks like JSON but does not parse answers 400 Could not process payload when the template reads it', async () => {
    const res = await gw.handle(post('/payload', '{"a":'))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({ message: 'Could not process payload' })
    expect(header(res, 'x-amzn-ErrorType')).toBe('BadRequestException')
  })

  it('times out with 504 INTEGRATION_TIMEOUT', async () => {
    const res = await gw.handle(req('GET', '/slow'))
    expect([res.statusCode, json(res)]).toEqual([504, { message: 'Endpoint request timed out' }])
  })

  it('needs every function at build time', () => {
    expect(() => createGateway({ api: doc({ '/a': { get: op({ type: 'aws', uri: FN('missing') }) } }) })).toThrow(GatewayConfigError)
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
describe('AWS integration: Lambda errors and selection patterns', () => {
  const functions: Record<string, LambdaHandler> = {
    fail: async (event: { message: string }) => {
      throw new Error(event.message)
    },
    failType: async () => {
      const e = new TypeError('bad type')
      throw e
    },
    failCallback: (event: { message: string }, _ctx, callback) => callback!(event.message),
    ok: async () => ({ fine: true }),
  }
  const responses = {
    default: { statusCode: '200' },
    '.*Not found.*': {
      statusCode: '404',
      responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')", "type": "$input.path(\'$.errorType\')"}' },
    },
    'Invalid.*': { statusCode: '400' },
  }
  const api = doc({
    '/fail': { post: op({ type: 'aws', uri: FN('fail'), responses }) },
    '/fail-type': { get: op({ type: 'aws', uri: FN('failType'), responses }) },
    '/fail-callback': { post: op({ type: 'aws', uri: FN('failCallback'), responses }) },
    '/strict-fail': { post: op({ type: 'aws', uri: FN('fail'), responses: { '.*bad.*': { statusCode: '500' } } }) },
    '/strict-ok': { get: op({ type: 'aws', uri: FN('ok'), responses: { '.*bad.*': { statusCode: '500' } } }) },
    '/catch-all': { get: op({ type: 'aws', uri: FN('ok'), responses: { default: { statusCode: '200' }, '.+': { statusCode: '500' } } }) },
    '/star': { get: op({ type: 'aws', uri: FN('ok'), responses: { default: { statusCode: '200' }, '.*': { statusCode: '202' } } }) },
  })
  const gw = createGateway({ api, functions })

  // Each row: the error message thrown → status, and what the body holds.
  const table: [string, number, (body: any) => void][] = [
    ['Not found: pet 7', 404, (b) => expect(b).toEqual({ error: 'Not found: pet 7', type: 'Error' })],
    [
      'Invalid input',
      400,
      (b) => expect([b.errorMessage, b.errorType, Array.isArray(b.stackTrace)]).toEqual(['Invalid input', 'Error', true]),
    ],
    // The pattern must match the whole message (Java's String.matches).
    ['Really Invalid input', 200, (b) => expect(b.errorMessage).toBe('Really Invalid input')],
    // With no matching pattern the default response takes the error: 200 with Lambda's error as the body.
    ['something else', 200, (b) => expect(Object.keys(b).sort()).toEqual(['errorMessage', 'errorType', 'stackTrace'])],
    // `.` does not match a line break, as in Java.
    ['Not found\nsecond line', 200, (b) => expect(b.errorMessage).toBe('Not found\nsecond line')],
  ]
  for (const [message, status, check] of table) {
    it(`error ${JSON.stringify(message)} → ${status}`, async () => {
      const res = await gw.handle(post('/fail', { message }))
      expect(res.statusCode).toBe(status)
      check(json(res))
    })
  }

  it('errorType is the error name; a callback string error has type "string"', async () => {
    expect(json(await gw.handle(req('GET', '/fail-type')))).toMatchObject({ errorMessage: 'bad type', errorType: 'TypeError' })
    const res = await gw.handle(post('/fail-callback', { message: 'Not found: by callback' }))
    expect([res.statusCode, json(res)]).toEqual([404, { error: 'Not found: by callback', type: 'string' }])
  })

  it('no matching response and no default → 500 API_CONFIGURATION_ERROR', async () => {
    for (const r of [post('/strict-fail', { message: 'nope' }), req('GET', '/strict-ok')]) {
      const res = await gw.handle(r)
      expect(res.statusCode).toBe(500)
      expect(json(res)).toEqual({ message: 'Internal server error' })
      expect(header(res, 'x-amzn-ErrorType')).toBe('InternalServerErrorException')
    }
    const matched = await gw.handle(post('/strict-fail', { message: 'a bad thing' }))
    expect(matched.statusCode).toBe(500)
    expect(json(matched).errorMessage).toBe('a bad thing')
  })

  // API_IntegrationResponse: "if the success response returns nothing and the error response returns some string,
  // you could use the .+ regex to match error response": a success is matched as an empty error message.
  it('a success is matched as an empty error message: .+ misses it, .* takes it', async () => {
    const res = await gw.handle(req('GET', '/catch-all'))
    expect([res.statusCode, json(res)]).toEqual([200, { fine: true }])
    const star = await gw.handle(req('GET', '/star'))
    expect(star.statusCode).toBe(202)
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
describe('HTTP integration', () => {
  const gw = () =>
    createGateway({
      api: doc({
        '/items/{id}': {
          post: op(
            {
              type: 'http',
              httpMethod: 'PUT',
              uri: '${stageVariables.backend}/echo/{itemId}',
              requestParameters: {
                'integration.request.path.itemId': 'method.request.path.id',
                'integration.request.querystring.filter': 'method.request.querystring.f',
                'integration.request.querystring.stage': 'context.stage',
                'integration.request.multivaluequerystring.tag': 'method.request.multivaluequerystring.tag',
                'integration.request.header.X-Api-Version': "'2'",
                'integration.request.header.X-Color': 'stageVariables.color',
                'integration.request.header.X-Client': 'method.request.header.x-client',
                'integration.request.header.X-Name': 'method.request.body.pet.name',
              },
              requestTemplates: {
                'application/json':
                  '#set($context.requestOverride.header.X-Override = "o-$input.params(\'id\')")#set($context.requestOverride.querystring.extra = "1"){"wrapped": $input.json(\'$\')}',
              },
              responses: {
                default: {
                  statusCode: '200',
                  responseParameters: {
                    'method.response.header.X-Backend': 'integration.response.header.x-backend',
                    'method.response.header.X-Method': 'integration.response.body.method',
                  },
                },
              },
            },
            [
              { name: 'id', in: 'path', required: true },
              { name: 'f', in: 'query' },
              { name: 'tag', in: 'query' },
              { name: 'x-client', in: 'header' },
            ],
          ),
        },
        '/status/{code}': {
          get: op({
            type: 'http',
            httpMethod: 'GET',
            uri: '${stageVariables.backend}/status/{code}',
            requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
            responses: {
              '4\\d{2}': {
                statusCode: '400',
                responseTemplates: { 'application/json': '{"backend": $input.json(\'$.code\'), "kind": "client"}' },
              },
              '5\\d{2}': { statusCode: '502' },
              default: { statusCode: '200' },
            },
          }),
        },
        '/slow': {
          get: op({
            type: 'http',
            httpMethod: 'GET',
            uri: '${stageVariables.backend}/slow',
            timeoutInMillis: 50,
            responses: { default: { statusCode: '200' } },
          }),
        },
        '/down': {
          get: op({ type: 'http', httpMethod: 'GET', uri: 'http://127.0.0.1:1/x', responses: { default: { statusCode: '200' } } }),
        },
      }),
      stage: { stageName: 'prod', variables: { backend: backend.url, color: 'blue' } },
    })

  it('sends the rendered template with only the mapped headers, query string and path', async () => {
    const res = await gw().handle(
      post('/items/42?f=x&tag=a&tag=b&ignored=1', { pet: { name: 'Rex' } }, { 'x-client': 'c1', 'x-secret': 'not forwarded' }),
    )
    expect(res.statusCode).toBe(200)
    const seen = json(res)
    expect(seen.method).toBe('PUT')
    expect(seen.url).toBe('/echo/42?filter=x&stage=prod&tag=a&tag=b&extra=1')
    expect(JSON.parse(seen.body)).toEqual({ wrapped: { pet: { name: 'Rex' } } })
    expect(seen.headers).toMatchObject({
      'x-api-version': '2',
      'x-color': 'blue',
      'x-client': 'c1',
      'x-name': 'Rex',
      'x-override': 'o-42',
      'content-type': 'application/json',
    })
    expect(seen.headers['user-agent']).toMatch(/^AmazonAPIGateway_/)
    expect(seen.headers['x-secret']).toBeUndefined()
    // The method response carries mapped headers only: the backend's own headers stay behind.
    expect(res.headers['X-Backend']).toBe('yes')
    expect(res.headers['X-Method']).toBe('PUT')
    expect(header(res, 'x-backend')).toBe('yes')
    expect(Object.keys(res.headers).filter((h) => h.toLowerCase() === 'x-backend')).toEqual(['X-Backend'])
    expect(header(res, 'content-type')).toBe('application/json')
  })

  // Selection patterns on the backend status code.
  const table: [number, number, unknown][] = [
    [404, 400, { backend: 404, kind: 'client' }],
    [429, 400, { backend: 429, kind: 'client' }],
    [503, 502, { code: 503 }],
    [201, 200, { code: 201 }],
    [302, 200, { code: 302 }],
  ]
  for (const [backendStatus, status, body] of table) {
    it(`backend ${backendStatus} → ${status}`, async () => {
      const res = await gw().handle(req('GET', `/status/${backendStatus}`))
      expect([res.statusCode, json(res)]).toEqual([status, body])
    })
  }

  it('504 when the backend is slower than timeoutInMillis, 502 when it cannot be reached', async () => {
    const g = gw()
    const slow = await g.handle(req('GET', '/slow'))
    expect([slow.statusCode, json(slow)]).toEqual([504, { message: 'Endpoint request timed out' }])
    expect((await g.handle(req('GET', '/down'))).statusCode).toBe(502)
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
describe('MOCK integration', () => {
  const api = doc({
    '/pets/{id}': {
      get: op(
        {
          type: 'mock',
          requestTemplates: {
            'application/json':
              '#if($input.params(\'id\') == "0"){"statusCode": 404}#elseif($input.params(\'id\') == "x")not json#else{"statusCode": 200}#end',
          },
          responses: {
            '404': { statusCode: '404', responseTemplates: { 'application/json': '{"message": "pet $input.params(\'id\') not found"}' } },
            default: {
              statusCode: '200',
              responseParameters: { 'method.response.header.X-Pet': "'mock'" },
              responseTemplates: {
                'application/json': '{"id": "$input.params(\'id\')", "body": $input.body}',
                'application/xml': '<pet id="$input.params(\'id\')"/>',
              },
            },
          },
        },
        [{ name: 'id', in: 'path', required: true }],
      ),
    },
  })
  const gw = createGateway({ api })

  it('the template statusCode selects the integration response', async () => {
    const ok = await gw.handle(req('GET', '/pets/3'))
    expect([ok.statusCode, json(ok), ok.headers['X-Pet']]).toEqual([200, { id: '3', body: {} }, 'mock'])
    const missing = await gw.handle(req('GET', '/pets/0'))
    expect([missing.statusCode, json(missing)]).toEqual([404, { message: 'pet 0 not found' }])
  })

  it('the response template follows Accept, defaulting to application/json', async () => {
    const xml = await gw.handle(req('GET', '/pets/3', { headers: { accept: 'application/xml' } }))
    expect([text(xml), header(xml, 'content-type')]).toEqual(['<pet id="3"/>', 'application/xml'])
    const other = await gw.handle(req('GET', '/pets/3', { headers: { accept: 'text/csv' } }))
    expect(header(other, 'content-type')).toBe('application/json')
  })

  it('a payload without an integer statusCode answers 500', async () => {
    const res = await gw.handle(req('GET', '/pets/x'))
    expect([res.statusCode, json(res)]).toEqual([500, { message: 'Internal server error' }])
  })
})
