/**
 * Route selection expressions, as tables from AWS's documentation:
 * - "Route selection expressions", https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
 *   (the table of expressions evaluated against {"service":"chat","action":"join","data":{"room":"room1234"}}, the
 *   JSONPath-not-found rule, arrays stringified as "[item1, item2]", `\$default` as a static value);
 * - "Non-JSON messages are directed to a $default route" (same page) — checked end to end in api.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { compileSelectionExpression, WebSocketApiError } from '../../src/index'

const message = { service: 'chat', action: 'join', data: { room: 'room1234' } }

describe('route selection expressions (AWS documentation table)', () => {
  it.each([
    ['$request.body.action', 'join'],
    ['${request.body.action}', 'join'],
    ['${request.body.service}/${request.body.action}', 'chat/join'],
    ['${request.body.action}-${request.body.invalidPath}', 'join-'],
    ['action', 'action'],
    ['\\$default', '$default'],
  ])('%s → %s', (expression, expected) => {
    expect(compileSelectionExpression(expression).select(message)).toBe(expected)
  })
})

describe('JSONPath after request.body', () => {
  const nested = { a: { b: { c: 'deep' } }, list: ['x', 'y'], n: 42, flag: true, 'odd-key': 'dash', obj: { k: 1 } }
  it.each([
    ['$request.body.a.b.c', 'deep'],
    ['${request.body.a.b.c}', 'deep'],
    ["$request.body['a']['b'].c", 'deep'],
    ['$request.body.list[1]', 'y'],
    ['$request.body.list', '[x, y]'],
    ['$request.body.n', '42'],
    ['$request.body.flag', 'true'],
    ['$request.body.odd-key', 'dash'],
    ['$request.body.obj', '{"k":1}'],
    ['$request.body.a.missing.c', ''],
    ['$request.body.list[9]', ''],
    ['$request.body.list.length', ''],
    ['$request.body.toString', ''],
  ])('%s → %s', (expression, expected) => {
    expect(compileSelectionExpression(expression).select(nested)).toBe(expected)
  })

  it('finds nothing in a JSON value that is not an object', () => {
    for (const body of [42, 'action', null, [1, 2]]) expect(compileSelectionExpression('$request.body.action').select(body)).toBe('')
  })

  it('knows which expressions read the body', () => {
    expect(compileSelectionExpression('$request.body.action').readsBody).toBe(true)
    expect(compileSelectionExpression('static').readsBody).toBe(false)
  })

  it.each(['', '$request.body.[', '${request.body.action', '$request.header.x', '${request.path.x}', '$request.body.a..b'])(
    'refuses %j when the API is created',
    (expression) => {
      expect(() => compileSelectionExpression(expression)).toThrow(WebSocketApiError)
    },
  )
})
