// Property tests: the mapping-expression and template compilers refuse bad configuration only with
// GatewayConfigError; any request through a non-proxy integration ends in a response (never a throw, never a
// stack trace of the gateway); selection patterns follow Java's String.matches.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type ApiDefinition } from '@gatehousejs/core'

const quiet = { onWarning: () => {} }

function buildOutcome(api: ApiDefinition): 'ok' | 'config-error' {
  try {
    createGateway({ api, functions: { f: async (e: unknown) => e }, ...quiet })
    return 'ok'
  } catch (e) {
    if (e instanceof GatewayConfigError) return 'config-error'
    throw e
  }
}

const sourcePrefix = fc.constantFrom(
  '',
  "'",
  'method.request.',
  'method.request.header.',
  'method.request.querystring.',
  'method.request.multivalueheader.',
  'method.request.path.',
  'method.request.body',
  'method.request.body.',
  'integration.response.',
  'integration.response.body.',
  'integration.response.header.',
  'context.',
  'stageVariables.',
)
const source = fc.tuple(sourcePrefix, fc.string({ maxLength: 12 })).map(([p, s]) => p + s)
const targetPrefix = fc.constantFrom(
  'integration.request.header.',
  'integration.request.querystring.',
  'integration.request.path.',
  'integration.request.',
  'method.response.header.',
  '',
)
const target = fc.tuple(targetPrefix, fc.string({ maxLength: 8 })).map(([p, s]) => p + s)

describe('compilers throw only GatewayConfigError', () => {
  it('requestParameters and responseParameters', () => {
    fc.assert(
      fc.property(
        fc.dictionary(target, source, { maxKeys: 3 }),
        fc.dictionary(target, source, { maxKeys: 3 }),
        (requestParameters, responseParameters) => {
          buildOutcome({
            resources: {
              '/a': {
                GET: {
                  integration: { type: 'MOCK', requestParameters, responses: { default: { statusCode: '200', responseParameters } } },
                },
              },
            },
          })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('templates and selection patterns', () => {
    const template = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[#$(){}a-z'". ]{0,30}$/))
    fc.assert(
      fc.property(template, template, fc.string({ maxLength: 10 }), (requestTemplate, responseTemplate, pattern) => {
        buildOutcome({
          resources: {
            '/a': {
              POST: {
                integration: {
                  type: 'AWS',
                  uri: 'f',
                  requestTemplates: { 'application/json': requestTemplate },
                  responses: {
                    [pattern || 'default']: { statusCode: '400' },
                    default: { statusCode: '200', responseTemplates: { 'application/json': responseTemplate } },
                  },
                },
              },
            },
          },
        })
      }),
      { numRuns: 300 },
    )
  })
})

describe('requests always end in a response', () => {
  const gw = createGateway({
    api: {
      binaryMediaTypes: ['application/octet-stream'],
      resources: {
        '/aws/{id}': {
          POST: {
            integration: {
              type: 'AWS',
              uri: 'f',
              passthroughBehavior: 'WHEN_NO_TEMPLATES',
              requestTemplates: {
                'application/json':
                  '{"body": $input.json(\'$\'), "id": "$util.escapeJavaScript($input.params(\'id\'))", "q": "$input.params().querystring"}',
              },
              responses: {
                default: {
                  statusCode: '200',
                  responseTemplates: { 'application/json': "#set($r = $input.path('$'))$input.json('$.body')" },
                },
              },
            },
          },
        },
        '/mock': {
          POST: {
            integration: {
              type: 'MOCK',
              contentHandling: 'CONVERT_TO_TEXT',
              responses: {
                default: {
                  statusCode: '200',
                  contentHandling: 'CONVERT_TO_BINARY',
                  responseTemplates: { 'application/json': '$input.body' },
                },
              },
            },
          },
        },
      },
    },
    functions: { f: async (e: unknown) => e },
  })

  const body = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.json().map((j) => j.slice(0, 60)),
    fc.uint8Array({ maxLength: 16 }),
    fc.constantFrom('{"a":', '[1,', '{}', '{"statusCode": 200}', ''),
  )
  const contentType = fc.option(
    fc.oneof(
      fc.constantFrom('application/json', 'application/octet-stream', 'text/plain', 'application/JSON; charset=utf-8'),
      fc.string({ maxLength: 12 }),
    ),
    { nil: undefined },
  )

  it('status is one API Gateway would give, and no gateway stack trace leaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/aws/1', '/aws/%ZZ', '/mock'),
        body,
        contentType,
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        async (path, payload, type, accept, query) => {
          const headers: Record<string, string> = {}
          if (type !== undefined) headers['content-type'] = type
          if (accept !== undefined) headers.accept = accept
          const res = await gw.handle({ method: 'POST', path, ...(query === undefined ? {} : { query }), headers, body: payload })
          expect([200, 400, 415, 500]).toContain(res.statusCode)
          // A 500 is a gateway response (it names its error type), never the pipeline's last-resort catch.
          if (res.statusCode >= 400) expect(res.headers['x-amzn-ErrorType']).toBeTypeOf('string')
          const out = typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('latin1')
          expect(out).not.toMatch(/at .*\(.*packages\/core/)
        },
      ),
      { numRuns: 300 },
    )
  })
})

// https://docs.aws.amazon.com/apigateway/latest/api/API_IntegrationResponse.html (selectionPattern)
describe('selection patterns match as Java String.matches does', () => {
  const gw = createGateway({
    api: {
      resources: {
        '/f': {
          POST: {
            integration: {
              type: 'AWS',
              uri: 'fail',
              responses: {
                'a.*': { statusCode: '401' },
                '.*b': { statusCode: '402' },
                c: { statusCode: '403' },
                default: { statusCode: '200' },
              },
            },
          },
        },
      },
    },
    functions: {
      fail: async (e: { m: string }) => {
        throw new Error(e.m)
      },
    },
  })
  // The model: full match of the whole message; `.` never matches a line break.
  const model = (m: string) =>
    m.startsWith('a') && !m.includes('\n') ? 401 : m.endsWith('b') && !m.includes('\n') ? 402 : m === 'c' ? 403 : 200

  it('chooses the first whole-message match, else the default', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[abc\n]{0,6}$/), async (m) => {
        const res = await gw.handle({
          method: 'POST',
          path: '/f',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ m }),
        })
        expect(res.statusCode).toBe(model(m))
      }),
      { numRuns: 200 },
    )
  })
})
