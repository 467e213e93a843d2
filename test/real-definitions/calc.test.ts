// The LambdaCalc API (Lambda custom, non-proxy, integrations with mapping templates and the Input / Output / Result
// models), loaded as AWS exported it and exercised as the tutorial does.
//
// Source: awsdocs/amazon-api-gateway-developer-guide, doc_source/api-as-lambda-proxy-export-swagger-with-extensions.md
// (the "OpenAPI 2.0" code block, kept verbatim as fixtures/lambda-calc.json), commit
// 401d9dfb7c0c3720b3275ba7b029a6e66a1606ad (the last commit before the repository's content was deleted on archiving).
// License: sample code in that repository is under its modified MIT license (LICENSE-SAMPLECODE, MIT-0).
//
// AWS doc pages cited for the expected answers:
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-lambda.html
//   (the tutorial: the `Calc` function's input `{a, b, op}` and output `{a, b, op, c}`, `op` one of
//   `+ - * / add sub mul div`; `POST /calc` with `{"a": 1, "b": 2, "op": "+"}`; `GET /calc/1/2/+` answering
//   `{"input": {"a": 1, "b": 2, "op": "+"}, "output": {"c": 3}}`; `%2F` in the path stands for `/`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/simple-calc-nodejs-lambda-function.html
//   (the function's answers for bad input: the strings "400 Invalid Input", "400 Invalid Operand",
//   "400 Divide by Zero", "400 Invalid Operator" as its result)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
//   (`$input.params()`, `$input.path('$')`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
//   (`method.response.header.x` from `integration.response.body.y`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html and
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-test.html
//   (400 `{"message": "Missing required request parameters: [p1]"}` / `{"message": "Invalid request body"}`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
//   (`credentials`: the IAM role API Gateway assumes to call the function; gatehouse assumes none and warns)
//
// The `Calc` function below is written from the tutorial's description of its input and output, not copied.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGateway, GatewayConfigError, type GatewayWarning, type LambdaHandler } from '@gatehousejs/core'
import { configError, header, json, req, text } from '../../packages/core/test/helpers'

const doc = () => JSON.parse(readFileSync(new URL('./fixtures/lambda-calc.json', import.meta.url), 'utf8'))

/** The tutorial's `Calc`: numbers (or numeric strings) a and b, an operator; bad input answers a "400 …" string. */
const events: unknown[] = []
const Calc: LambdaHandler = async (event: any) => {
  events.push(event)
  if (event?.a === undefined || event?.b === undefined || event?.op === undefined) return '400 Invalid Input'
  const a = Number(event.a)
  const b = Number(event.b)
  if (Number.isNaN(a) || Number.isNaN(b)) return '400 Invalid Operand'
  const ops: Record<string, () => number | string> = {
    '+': () => a + b,
    add: () => a + b,
    '-': () => a - b,
    sub: () => a - b,
    '*': () => a * b,
    mul: () => a * b,
    '/': () => (b === 0 ? '400 Divide by Zero' : a / b),
    div: () => (b === 0 ? '400 Divide by Zero' : a / b),
  }
  const run = Object.hasOwn(ops, event.op) ? ops[event.op] : undefined
  if (run === undefined) return '400 Invalid Operator'
  const c = run()
  return typeof c === 'string' ? c : { a, b, op: event.op, c }
}

function load(strict = false) {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({ api: doc(), functions: { Calc }, strict, onWarning: (w) => warnings.push(w) })
  return { gateway, warnings }
}

const credentialsPointers = [
  '/paths/~1calc/get/x-amazon-apigateway-integration/credentials',
  '/paths/~1calc/post/x-amazon-apigateway-integration/credentials',
  '/paths/~1calc~1{operand1}~1{operand2}~1{operator}/get/x-amazon-apigateway-integration/credentials',
]

describe('loading the LambdaCalc export as published', () => {
  it('loads with only the `Calc` function registered; the warnings are exactly the three `credentials` roles', () => {
    const { warnings } = load()
    expect(warnings.map((w) => w.pointer).sort()).toEqual([...credentialsPointers].sort())
    for (const w of warnings) {
      expect(w.code).toBe('IGNORED_SETTING')
      expect(w.message).toMatch(/credentials/)
    }
  })

  it('strict refuses the document, naming a `credentials` field', () => {
    const { warnings } = load()
    expect(warnings.length).toBeGreaterThan(0)
    const err = configError(() => load(true))
    expect(credentialsPointers).toContain(err.pointer)
  })

  it('strict accepts it once the ignored `credentials` are gone (they are the only reason it refuses)', () => {
    const api = doc()
    for (const path of Object.values(api.paths) as Record<string, any>[]) {
      for (const op of Object.values(path)) delete op['x-amazon-apigateway-integration'].credentials
    }
    const warnings: GatewayWarning[] = []
    expect(() => createGateway({ api, functions: { Calc }, strict: true, onWarning: (w) => warnings.push(w) })).not.toThrow()
    expect(warnings).toEqual([])
  })

  it('without `Calc` registered, the error points at the first integration uri in the document', () => {
    const err = configError(() => createGateway({ api: doc(), onWarning: () => {} }))
    expect(err).toBeInstanceOf(GatewayConfigError)
    expect(err.code).toBe('UNKNOWN_FUNCTION')
    expect(err.pointer).toBe('/paths/~1calc/get/x-amazon-apigateway-integration/uri')
    expect(err.message).toContain('Calc')
  })
})

describe('GET /calc?operand1=…&operand2=…&operator=… (query strings mapped to the payload)', () => {
  it('maps the query to {a, b, op} as strings, and the response template and headers from the result', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/calc?operand1=2&operand2=3&operator=add'))
    expect(events).toEqual([{ a: '2', b: '3', op: 'add' }])
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('{\n    "result": "2, 3, add => 5",\n  "a" : "2",\n  "b" : "3",\n  "op" : "add",\n  "c" : "5"\n}')
    expect(header(res, 'content-type')).toBe('application/json')
    expect(header(res, 'operand_1')).toBe('2')
    expect(header(res, 'operand_2')).toBe('3')
    expect(header(res, 'operator')).toBe('add')
  })

  it('a percent-encoded operator is decoded in the query string (%2A is *)', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/calc?operand1=6&operand2=7&operator=%2A'))
    expect(events).toEqual([{ a: '6', b: '7', op: '*' }])
    expect(json(res)).toEqual({ result: '6, 7, * => 42', a: '6', b: '7', op: '*', c: '42' })
  })

  it.each(['operand1', 'operand2', 'operator'])(
    'without %s → 400 {"message": "Missing required request parameters: [<it>]"}, Calc not called',
    async (missing) => {
      const { gateway } = load()
      events.length = 0
      const query = ['operand1=2', 'operand2=3', 'operator=add'].filter((p) => !p.startsWith(`${missing}=`)).join('&')
      const res = await gateway.handle(req('GET', `/calc?${query}`))
      expect(res.statusCode).toBe(400)
      expect(json(res)).toEqual({ message: `Missing required request parameters: [${missing}]` })
      expect(events).toEqual([])
    },
  )
})

describe('POST /calc (the Input model, passed through to Calc)', () => {
  it('the tutorial\'s {"a": 1, "b": 2, "op": "+"} → the result template, op printed as the template writes it', async () => {
    const { gateway } = load()
    events.length = 0
    const body = '{"a": 1, "b": 2, "op": "+"}'
    const res = await gateway.handle(req('POST', '/calc', { headers: { 'content-type': 'application/json' }, body }))
    expect(events).toEqual([{ a: 1, b: 2, op: '+' }])
    expect(res.statusCode).toBe(200)
    // `"op" : $inputRoot.op` has no quotes in the published template: the output is what it says.
    expect(text(res)).toBe('{\n  "a" : 1,\n  "b" : 2,\n  "op" : +,\n  "c" : 3\n}')
  })

  it.each([
    ['a missing (required by Input)', { b: 2, op: '+' }],
    ['op missing', { a: 1, b: 2 }],
    ['a not a number', { a: 'one', b: 2, op: '+' }],
    ['op not a string', { a: 1, b: 2, op: 3 }],
  ])('%s → 400 {"message": "Invalid request body"}, Calc not called', async (_, body) => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('POST', '/calc', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
    expect(res.statusCode).toBe(400)
    expect(json(res)).toEqual({ message: 'Invalid request body' })
    expect(events).toEqual([])
  })
})

describe('GET /calc/{operand1}/{operand2}/{operator} (path parameters mapped to the payload)', () => {
  it("the tutorial's 1, 2, + → the Result shape", async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/calc/1/2/+'))
    expect(events).toEqual([{ a: '1', b: '2', op: '+' }])
    expect(res.statusCode).toBe(200)
    expect(json(res)).toEqual({ input: { a: 1, b: 2, op: '+' }, output: { c: 3 } })
  })

  it('%2F in the path is the division operator: the template turns it into "/"', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/calc/1/2/%2F'))
    expect(events).toEqual([{ a: '1', b: '2', op: '/' }])
    expect(json(res)).toEqual({ input: { a: 1, b: 2, op: '/' }, output: { c: 0.5 } })
  })

  it('the path parameters are not validated (no validator on this method): a bad operand reaches Calc', async () => {
    const { gateway } = load()
    events.length = 0
    const res = await gateway.handle(req('GET', '/calc/x/2/add'))
    expect(events).toEqual([{ a: 'x', b: '2', op: 'add' }])
    // Calc answers the string "400 Invalid Operand" as its result; the only integration response is `default`
    // (200), and `$inputRoot.a` of a string is null, which API Gateway prints as nothing (packages/vtl/README.md,
    // "Null rendering (AWS)"): the published template then yields this text, not JSON.
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe('{\n  "input" : {\n    "a" : ,\n    "b" : ,\n    "op" : ""\n  },\n  "output" : {\n    "c" : \n  }\n}')
  })

  it('a shorter path is no resource → 403 {"message":"Missing Authentication Token"}', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
    const { gateway } = load()
    const res = await gateway.handle(req('GET', '/calc/1/2'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'Missing Authentication Token' })
  })
})
