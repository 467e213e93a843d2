// Unexpected failures reach the operator's onError; the client gets API Gateway's answer and nothing more.
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayErrorInfo } from '@gatehousejs/core'
import { VtlError } from '@gatehousejs/vtl'
import { json, req } from './helpers'
import { doc, op } from './non-proxy-helpers'

// Three nested loops of 1,000: each within API Gateway's #foreach cap, together a billion steps.
const RUNAWAY = '#foreach($i in [1..1000])#foreach($j in [1..1000])#foreach($k in [1..1000])x#end#end#end'

function gateway(integration: Record<string, unknown>, seen: [unknown, GatewayErrorInfo][]) {
  return createGateway({
    api: doc({ '/t': { post: op(integration) } }),
    requestId: () => 'req-1',
    onError: (error, info) => void seen.push([error, info]),
  })
}

describe('onError', () => {
  it('a request template over its budget: 500 to the client, the VtlError to the operator', async () => {
    const seen: [unknown, GatewayErrorInfo][] = []
    const gw = gateway(
      { type: 'MOCK', requestTemplates: { 'application/json': RUNAWAY }, responses: { default: { statusCode: '200' } } },
      seen,
    )
    const res = await gw.handle(req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(500)
    expect(json(res)).toEqual({ message: 'Internal server error' })
    expect(seen).toHaveLength(1)
    const [error, info] = seen[0]!
    expect(error).toBeInstanceOf(VtlError)
    expect((error as VtlError).code).toBe('VTL_BUDGET')
    expect(info).toEqual({ requestId: 'req-1', routeKey: 'POST /t', stage: 'integration-request', responseType: 'API_CONFIGURATION_ERROR' })
  })

  it('a response template over its budget is reported at the integration response', async () => {
    const seen: [unknown, GatewayErrorInfo][] = []
    const gw = gateway(
      {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        responses: { default: { statusCode: '200', responseTemplates: { 'application/json': RUNAWAY } } },
      },
      seen,
    )
    const res = await gw.handle(req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(500)
    expect(seen.map(([e, i]) => [(e as VtlError).code, i.stage])).toEqual([['VTL_BUDGET', 'integration-response']])
  })

  it('an internal failure is a plain 500 to the client and the error to the operator, even when onError throws', async () => {
    const seen: unknown[] = []
    const gw = createGateway({
      api: doc({ '/t': { get: op({ type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }) } }),
      // The operator's request-id source fails: nothing in the request is wrong, the gateway itself cannot go on.
      requestId: () => {
        throw new Error('id source down')
      },
      onError: (error) => {
        seen.push(error)
        throw new Error('the operator callback fails too')
      },
    })
    const res = await gw.handle(req('GET', '/t'))
    expect(res.statusCode).toBe(500)
    expect(String(res.body)).not.toMatch(/at |Error/)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toBeInstanceOf(Error)
  })

  it("templateLimits set the budget of the gateway's templates", async () => {
    const seen: [unknown, GatewayErrorInfo][] = []
    // 100 iterations of a small body: far within the default budget, over a budget of 50 steps.
    const loop = '#foreach($i in [1..100])#set($x = $i)#end'
    const build = (templateLimits?: { maxSteps: number }) =>
      createGateway({
        api: doc({
          '/t': {
            post: op({
              type: 'MOCK',
              requestTemplates: { 'application/json': `${loop}{"statusCode": 200}` },
              responses: { default: { statusCode: '200' } },
            }),
          },
        }),
        onError: (error, info) => void seen.push([error, info]),
        ...(templateLimits ? { templateLimits } : {}),
      })
    const request = req('POST', '/t', { headers: { 'content-type': 'application/json' }, body: '{}' })
    expect((await build().handle(request)).statusCode).toBe(200)
    expect((await build({ maxSteps: 50 }).handle(request)).statusCode).toBe(500)
    expect(seen.map(([e]) => (e as VtlError).code)).toEqual(['VTL_BUDGET'])
  })
})
