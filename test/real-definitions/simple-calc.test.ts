// The developer guide's "Simple calculator API" definition: Lambda custom integrations with mapping templates, and
// MOCK integrations on `ANY /{a}` and `ANY /{a}/{b}` whose response template answers 404 from `$context`.
//
// Source: awsdocs/amazon-api-gateway-developer-guide, doc_source/simple-calc-lambda-api-swagger-definition.md
// (the "OpenAPI 2.0" code block, kept verbatim as fixtures/simple-calc.json), commit
// 401d9dfb7c0c3720b3275ba7b029a6e66a1606ad (the last commit before the repository's content was deleted on archiving).
// License: sample code in that repository is under its modified MIT license (LICENSE-SAMPLECODE, MIT-0).
//
// AWS doc pages cited for the expected answers:
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/simple-calc-lambda-api-swagger-definition.html
//   (the document)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/simple-calc-nodejs-lambda-function.html
//   (the `Calc` function: input `{a, b, op}`, output `{a, b, op, c}`, op one of `+ - * / add sub mul div`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
//   (a MOCK integration: the request template's `statusCode` selects the integration response, whose template is
//   the body)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
//   (`$context.httpMethod`, `$context.resourcePath`, `$input.params()`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
//   (`x-amazon-apigateway-any-method`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
//   (`when_no_templates` / `when_no_match`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
//   (a method the resource does not define → 403 `{"message":"Missing Authentication Token"}`)
//
// The `Calc` function below is written from the guide's description of its input and output, not copied.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayWarning, type LambdaHandler } from '@gatehousejs/core'
import { configError, header, json, req, text } from '../../packages/core/test/helpers'

const doc = () => JSON.parse(readFileSync(new URL('./fixtures/simple-calc.json', import.meta.url), 'utf8'))

const events: unknown[] = []
const Calc: LambdaHandler = async (event: any) => {
  events.push(event)
  if (event?.a === undefined || event?.b === undefined || event?.op === undefined) return '400 Invalid Input'
  const a = Number(event.a)
  const b = Number(event.b)
  if (Number.isNaN(a) || Number.isNaN(b)) return '400 Invalid Operand'
  let c: number
  if (event.op === '+' || event.op === 'add') c = a + b
  else if (event.op === '-' || event.op === 'sub') c = a - b
  else if (event.op === '*' || event.op === 'mul') c = a * b
  else if (event.op === '/' || event.op === 'div') {
    if (b === 0) return '400 Divide by Zero'
    c = a / b
  } else return '400 Invalid Operator'
  return { a, b, op: event.op, c }
}

function load(strict = false) {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({ api: doc(), functions: { Calc }, strict, onWarning: (w) => warnings.push(w) })
  return { gateway, warnings }
}

describe('loading the SimpleCalc definition as published', () => {
  it('loads with only `Calc` registered and no warning; strict accepts it', () => {
    const { warnings } = load()
    expect(warnings).toEqual([])
    expect(() => load(true)).not.toThrow()
  })

  it('the function is named by ARN in us-west-2: registering another name is an error at the first uri', () => {
    const err = configError(() => createGateway({ api: doc(), functions: { Calculator: Calc }, onWarning: () => {} }))
    expect(err.code).toBe('UNKNOWN_FUNCTION')
    expect(err.pointer).toBe('/paths/~1/get/x-amazon-apigateway-integration/uri')
  })
})

describe('Lambda custom integrations', () => {
  it('GET /?a=2&b=3&op=add: the unquoted template makes a and b numbers; the Result template answers', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/?a=2&b=3&op=add'))
    expect(events).toEqual([{ a: 2, b: 3, op: 'add' }])
    expect(res.statusCode).toBe(200)
    expect(header(res, 'content-type')).toBe('application/json')
    expect(text(res)).toBe('{\n  "input" : {\n    "a" : 2,\n    "b" : 3,\n    "op" : "add"\n  },\n  "output" : {\n    "c" : 5\n  }\n}')
  })

  it('GET / without a and b: the template yields `"a" : ,` which Lambda cannot parse → 400, Calc not called', async () => {
    // The query parameters are optional and no validator is set, so the request reaches the integration request;
    // Lambda's Invoke refuses a payload that is not JSON, and API Gateway answers 400 with Lambda's message
    // (core README, "AWS (Lambda)": "not JSON → 400 Could not parse request body into json: …").
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/?op=add'))
    expect(res.statusCode).toBe(400)
    expect(String(json(res).message)).toMatch(/^Could not parse request body into json/)
    expect(events).toEqual([])
  })

  it('POST / passes the JSON body through to Calc (when_no_match, no request template)', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(
      req('POST', '/', { headers: { 'content-type': 'application/json' }, body: '{"a": 6, "b": 3, "op": "div"}' }),
    )
    expect(events).toEqual([{ a: 6, b: 3, op: 'div' }])
    expect(json(res)).toEqual({ input: { a: 6, b: 3, op: 'div' }, output: { c: 2 } })
  })

  it('POST / with a body of another media type is passed through as well (when_no_match)', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('POST', '/', { headers: { 'content-type': 'text/plain' }, body: '{"a": 6, "b": 3, "op": "-"}' }))
    expect(events).toEqual([{ a: 6, b: 3, op: '-' }])
    expect(json(res)).toEqual({ input: { a: 6, b: 3, op: '-' }, output: { c: 3 } })
  })

  it('GET /{a}/{b}/{op}: path parameters through the template', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/4/5/mul'))
    expect(events).toEqual([{ a: 4, b: 5, op: 'mul' }])
    expect(json(res)).toEqual({ input: { a: 4, b: 5, op: 'mul' }, output: { c: 20 } })
  })

  it('POST /{a}/{b}/{op} is not defined (GET only) → 403 {"message":"Missing Authentication Token"}', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('POST', '/4/5/mul'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
    expect(events).toEqual([])
  })
})

describe('MOCK integrations on ANY /{a} and ANY /{a}/{b}', () => {
  it.each([
    ['GET', '/5', "Can't GET /{a}"],
    ['DELETE', '/5', "Can't DELETE /{a}"],
    ['PUT', '/5/6', "Can't PUT /{a}/{b}"],
    ['PATCH', '/x/y', "Can't PATCH /{a}/{b}"],
  ])('%s %s → 404 {"Message": "%s"} from $context, no function called', async (method, path, message) => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req(method, path))
    expect(res.statusCode).toBe(404)
    expect(header(res, 'content-type')).toBe('application/json')
    expect(text(res)).toBe(`{ "Message" : "${message}" }`)
    expect(events).toEqual([])
  })

  it('a JSON body does not change the answer: the request template supplies the statusCode', async () => {
    const { gateway } = load()
    const res = await gateway.handle(req('POST', '/5', { headers: { 'content-type': 'application/json' }, body: '{"statusCode": 500}' }))
    expect(res.statusCode).toBe(404)
    expect(text(res)).toBe(`{ "Message" : "Can't POST /{a}" }`)
  })

  it('a body of a media type with no template is passed through (when_no_match) and has no statusCode → 500', async () => {
    // how-to-mock-integration: the mock's status comes from the request payload's `statusCode`; with none there is
    // nothing to select the integration response (core README, "MOCK": "none → 500").
    const { gateway } = load()
    const res = await gateway.handle(req('POST', '/5', { headers: { 'content-type': 'text/plain' }, body: 'hello' }))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal server error' })
  })
})
