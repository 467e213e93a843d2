/**
 * `$context.requestOverride` / `$context.responseOverride` set in a request template reach the response template
 * and the method response; MOCK request templates that are not strict JSON still give their `statusCode`.
 * Recorded against AWS in localstack/localstack `tests/aws/services/apigateway/test_apigateway_integrations.snapshot.json`
 * (commit 8b9a79f05846835cf4dff63ab7eefdde9df83783):
 * - test_integration_mock_with_response_override_in_request_template[True] / [False] (recorded 16-05-2025): 444,
 *   header `foo: bar`, body `{"custom": "is also passed around", "fooHeader": "bar", "statusOverride": "444"}`, or an
 *   empty body without a response template;
 * - test_integration_mock_with_vtl_map_assignation (29-05-2025): `#set($m[$k] = …)`, `.put()`, `$context["requestOverride"]`;
 * - test_integration_mock_with_request_overrides_in_response_template (06-11-2024): `requestOverride.path` read back;
 * - test_integration_mock_with_path_param (29-11-2024): the request template `{statusCode: 200}` is accepted.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type IntegrationDefinition } from '@gatehousejs/core'
import { header, json, req, text } from './helpers'

function mock(requestTemplate: string, responseTemplate?: string, extra: Partial<IntegrationDefinition> = {}) {
  return createGateway({
    api: {
      resources: {
        '/{p}': {
          GET: {
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': requestTemplate },
              responses: {
                default: {
                  statusCode: '200',
                  ...(responseTemplate ? { responseTemplates: { 'application/json': responseTemplate } } : {}),
                },
                '201': { statusCode: '201' },
                '204': { statusCode: '204' },
              },
              ...extra,
            },
          },
        },
      },
    },
  })
}

const OVERRIDES = `
#set($context.responseOverride.status = 444)
#set($context.responseOverride.header.foo = "bar")
#set($context.responseOverride.custom = "is also passed around")
{
  "statusCode": 200
}`

describe('overrides carried from the request template', () => {
  it('the response template reads them, and the method response applies them (recorded [True])', async () => {
    const g = mock(
      OVERRIDES,
      `#set($statusOverride = $context.responseOverride.status)
#set($fooHeader = $context.responseOverride.header.foo)
#set($custom = $context.responseOverride.custom)
{"statusOverride": "$statusOverride", "fooHeader": "$fooHeader", "custom": "$custom"}`,
    )
    const res = await g.handle(req('GET', '/x'))
    expect(res.statusCode).toBe(444)
    expect(header(res, 'foo')).toBe('bar')
    expect(json(res)).toEqual({ custom: 'is also passed around', fooHeader: 'bar', statusOverride: '444' })
  })

  it('without a response template they still set the status and headers, and the body is empty (recorded [False])', async () => {
    const res = await mock(OVERRIDES).handle(req('GET', '/x'))
    expect(res.statusCode).toBe(444)
    expect(header(res, 'foo')).toBe('bar')
    expect(text(res)).toBe('')
  })

  it('map assignment by index, put() and $context["requestOverride"] are read back (recorded)', async () => {
    const g = mock(
      `#set($paramName = "foo")
#set($context.requestOverride.querystring[$paramName] = "bar")
#set($paramPutName = "putfoo")
$context.requestOverride.querystring.put($paramPutName, "putBar")
#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")
{"statusCode": 200}`,
      `#set($value = $context.requestOverride.querystring["foo"])
#set($value2 = $context.requestOverride.querystring["putfoo"])
#set($value3 = $context.requestOverride.querystring["nestedfoo"])
{"value": "$value", "value2": "$value2", "value3": "$value3"}`,
    )
    const res = await g.handle(req('GET', '/x'))
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ value: 'bar', value2: 'putBar', value3: 'nestedFoo' })
  })

  it('requestOverride.path carries data to the response template (recorded)', async () => {
    const g = mock(
      `#set($body = $util.base64Decode($input.params('p')))
#set($context.requestOverride.path.body = $body)
{"statusCode": 200}`,
      `#set($body = $util.parseJson($context.requestOverride.path.body))
#if($body.message == "path1"){"response": "path was path one"}#else{"response": "this is the else clause"}#end`,
    )
    const path1 = Buffer.from(JSON.stringify({ message: 'path1' })).toString('base64')
    const other = Buffer.from(JSON.stringify({ message: 'whatever' })).toString('base64')
    expect(json(await g.handle(req('GET', `/${path1}`)))).toEqual({ response: 'path was path one' })
    expect(json(await g.handle(req('GET', `/${other}`)))).toEqual({ response: 'this is the else clause' })
  })

  it('an override set in the request template is final: the response template setting it again is a 500', async () => {
    const res = await mock(OVERRIDES, '#set($context.responseOverride.status = 201)').handle(req('GET', '/x'))
    expect(res.statusCode).toBe(500)
  })

  it('untouched override maps print with their sub-maps', async () => {
    const res = await mock('{"statusCode": 200}', '$context.requestOverride|$context.responseOverride').handle(req('GET', '/x'))
    expect(text(res)).toBe('{header={}, path={}, querystring={}}|{header={}}')
  })

  it('overrides do not leak from one request to the next', async () => {
    const g = mock('#if($input.params("p") == "set")#set($context.responseOverride.status = 444)#end{"statusCode": 200}')
    expect((await g.handle(req('GET', '/set'))).statusCode).toBe(444)
    expect((await g.handle(req('GET', '/other'))).statusCode).toBe(200)
  })
})

describe('MOCK request templates that are not strict JSON', () => {
  const table: [string, number][] = [
    ['{statusCode: 200}', 200],
    ["{'statusCode': 201, other: {a: [1, 2, 'x,}']}}", 201],
    ['{ "statusCode" : 204 }', 204],
    ['{x: "}", statusCode: 201}', 201],
    ['{\n  statusCode: 204,\n}', 204],
    ["{statusCode: '201'}", 201],
    ['{statusCode: 20x}', 500],
    ['{statusCode: 200', 500],
    ['statusCode: 200', 500],
    ['{other: 1}', 500],
    ['{statusCode: {a: 1}}', 500],
    ['{"statusCode": 201, "x": ]}', 500],
  ]
  it.each(table)('%j → %i', async (template, status) => {
    expect((await mock(template).handle(req('GET', '/x'))).statusCode).toBe(status)
  })
})

describe('the lenient statusCode reader on arbitrary text (the template may echo the client)', () => {
  it('answers a status or the configuration error, never a throw', async () => {
    const fc = await import('fast-check')
    const g = mock('{$input.params("q")}')
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", '\\', ' ', 'statusCode', '200', 'x')
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), async (parts) => {
        const res = await g.handle(req('GET', `/x?q=${encodeURIComponent(parts.join(''))}`))
        expect([200, 201, 204, 500]).toContain(res.statusCode)
      }),
      { numRuns: 300 },
    )
  })
})
