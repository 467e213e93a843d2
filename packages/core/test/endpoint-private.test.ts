/**
 * PRIVATE APIs end to end through `handle()`: only requests from the API's VPC endpoints are admitted (any VPC
 * endpoint when it lists none), wherever the operator says the id comes from; and `aws:SourceVpce` /
 * `aws:SourceVpc` in resource policies.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput, type GatewayRequest } from '@gatehousejs/core'
import { fuzzParams } from '@gatehousejs/test-kit'
import { isVpcEndpointId } from '../src/features/endpoint/configuration'
import { API_ID, DENIED, VPCE_A, VPCE_B, VPCE_OTHER, gateway, swagger, viaVpce } from './endpoint-fixtures'
import { echo, header, json, req } from './helpers'

// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
// The refusal is the resource policy's anonymous denial (403, x-amzn-ErrorType AccessDeniedException):
// https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
describe('PRIVATE APIs admit only their VPC endpoints', () => {
  const listed = gateway(swagger({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A, VPCE_B] }), { endpoint: { trustVpceHeader: true } })
  const anyVpce = gateway(swagger({ types: ['PRIVATE'] }), { endpoint: { trustVpceHeader: true } })
  const table: [string, ReturnType<typeof gateway>, GatewayRequest, number][] = [
    ['a listed VPC endpoint', listed, viaVpce(VPCE_A), 200],
    ['the other listed VPC endpoint', listed, viaVpce(VPCE_B), 200],
    ['a VPC endpoint not listed', listed, viaVpce(VPCE_OTHER), 403],
    ['no VPC endpoint', listed, viaVpce(), 403],
    ['the header twice (a client value beside the proxy one)', listed, viaVpce(VPCE_OTHER, VPCE_A), 403],
    ['a listed id in another case', listed, viaVpce(VPCE_A.toUpperCase()), 403],
    ['a listed id with a suffix', listed, viaVpce(`${VPCE_A},${VPCE_B}`), 403],
    ['no list: any VPC endpoint', anyVpce, viaVpce(VPCE_OTHER), 200],
    ['no list: no VPC endpoint', anyVpce, viaVpce(), 403],
    ['no list: not a VPC endpoint id', anyVpce, viaVpce('vpc-0a1b'), 403],
  ]
  for (const [name, gw, request, status] of table) {
    it(`${name}: ${status}`, async () => {
      const res = await gw.handle(request)
      expect(res.statusCode).toBe(status)
      if (status === 403) {
        expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
        expect(json(res)).toEqual({ Message: DENIED('GET', '/pets') })
      }
    })
  }

  it('the operator resolver decides where the id comes from; the header is then ignored', async () => {
    const gw = gateway(swagger({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A] }), {
      endpoint: { vpcEndpointId: (r) => (r.sourceIp === '10.0.0.1' ? VPCE_A : undefined) },
    })
    expect((await gw.handle(req('GET', '/pets', { sourceIp: '10.0.0.1' }))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets', { sourceIp: '10.0.0.2', headers: { 'x-amzn-vpce-id': VPCE_A } }))).statusCode).toBe(403)
  })

  it('the endpoint type option overrides the document: REGIONAL admits, PRIVATE refuses', async () => {
    const doc = swagger({ types: ['PRIVATE'] })
    expect((await gateway(doc, { endpoint: { type: 'REGIONAL' } }).handle(viaVpce())).statusCode).toBe(200)
    const regionalDoc = swagger({ types: ['REGIONAL'] })
    const res = await gateway(regionalDoc, { endpoint: { type: 'PRIVATE', trustVpceHeader: true } }).handle(viaVpce())
    expect(res.statusCode).toBe(403)
  })

  it('is checked before IAM: an unsigned request from a foreign VPC endpoint gets the endpoint refusal', async () => {
    const res = await listed.handle(req('GET', '/admin', { headers: { 'x-amzn-vpce-id': VPCE_OTHER } }))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ Message: DENIED('GET', '/admin') })
    // From a listed endpoint, IAM decides: no signature.
    const unsigned = await listed.handle(req('GET', '/admin', { headers: { 'x-amzn-vpce-id': VPCE_A } }))
    expect(json(unsigned)).toEqual({ message: 'Missing Authentication Token' })
  })

  it('a resolver that throws is a 500 and reaches onError', async () => {
    const errors: unknown[] = []
    const gw = gateway(swagger({ types: ['PRIVATE'] }), {
      endpoint: {
        vpcEndpointId: () => {
          throw new Error('resolver broke')
        },
      },
      onError: (e) => errors.push(e),
    })
    const res = await gw.handle(viaVpce(VPCE_A))
    expect(res.statusCode).toBe(500)
    expect(JSON.stringify(res.body)).not.toMatch(/resolver broke/)
    expect(errors).toHaveLength(1)
  })

  // Property: whatever the list and whatever the client sends, a request is admitted only when the id it came
  // through is exactly one of the listed ids.
  it('never admits a VPC endpoint outside the list', async () => {
    const hex = fc.stringMatching(/^[0-9a-f]{1,17}$/)
    const id = hex.map((h) => `vpce-${h}`)
    const candidate = fc.oneof(id, fc.string({ maxLength: 40 }), fc.constantFrom(VPCE_A, VPCE_A.toUpperCase(), ` ${VPCE_A}`, `${VPCE_A}\n`))
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(id, { maxLength: 5 }), fc.array(candidate, { minLength: 1, maxLength: 2 }), async (list, sent) => {
        const gw = createGateway({
          api: swagger({ types: ['PRIVATE'], vpcEndpointIds: [VPCE_A, ...list] }),
          apiId: API_ID,
          functions: { echo },
          endpoint: { trustVpceHeader: true },
          onWarning: () => {},
        })
        const res = await gw.handle(req('GET', '/pets', { headers: { 'x-amzn-vpce-id': sent.length === 1 ? sent[0]! : sent } }))
        const admitted = sent.length === 1 && [VPCE_A, ...list].includes(sent[0]!)
        expect(res.statusCode).toBe(admitted ? 200 : 403)
      }),
      fuzzParams(200),
    )
  })

  it('isVpcEndpointId accepts only vpce- and lower-case letters or digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const expected = /^vpce-[0-9a-z]{1,64}$/.test(s)
        expect(isVpcEndpointId(s)).toBe(expected)
      }),
      fuzzParams(500),
    )
  })
})

// aws:SourceVpce / aws:SourceVpc in resource policies of private APIs:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
describe('aws:SourceVpce and aws:SourceVpc in resource policies', () => {
  const policy = (condition: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: condition }],
  })
  const withPolicy = (condition: Record<string, unknown>, endpoint: GatewayInput['endpoint']) =>
    gateway(swagger({ types: ['PRIVATE'] }, { 'x-amazon-apigateway-policy': policy(condition) }), { endpoint })

  it('aws:sourceVpce (any case) matches the resolved VPC endpoint', async () => {
    const gw = withPolicy({ StringEquals: { 'aws:sourceVpce': VPCE_A } }, { trustVpceHeader: true })
    expect((await gw.handle(viaVpce(VPCE_A))).statusCode).toBe(200)
    const res = await gw.handle(viaVpce(VPCE_B))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ Message: DENIED('GET', '/pets') })
  })

  it('aws:SourceVpc matches the resolved VPC', async () => {
    const gw = withPolicy(
      { StringEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d' } },
      { vpcEndpointId: () => VPCE_A, vpcId: (r) => (r.sourceIp === '10.0.0.1' ? 'vpc-0a1b2c3d' : 'vpc-99') },
    )
    expect((await gw.handle(req('GET', '/pets', { sourceIp: '10.0.0.1' }))).statusCode).toBe(200)
    expect((await gw.handle(req('GET', '/pets', { sourceIp: '10.0.0.2' }))).statusCode).toBe(403)
  })

  it('without an endpoint configuration the keys are absent, whatever the client sends', async () => {
    const gw = gateway(swagger(undefined, { 'x-amazon-apigateway-policy': policy({ StringEquals: { 'aws:SourceVpce': VPCE_A } }) }))
    expect((await gw.handle(viaVpce(VPCE_A))).statusCode).toBe(403)
  })
})
