/**
 * API Gateway's WAF and endpoint checks see every request to the stage, routed or not: a web ACL blocks a path
 * no route matches, and a PRIVATE API refuses a foreign VPC endpoint before answering "no such route"; both come
 * before a CORS preflight is answered.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html
 */
import { describe, expect, it } from 'vitest'
import { createGateway } from '@gatehousejs/core'
import { req } from './helpers'

const integration = { type: 'AWS_PROXY' as const, uri: 'ok' }
const functions = { ok: async () => ({ statusCode: 200, body: 'ok' }) }
const blockTestNet = {
  defaultAction: { Allow: {} },
  rules: [
    {
      Name: 'test-net',
      Priority: 0,
      Action: { Block: {} },
      Statement: { IPSetReferenceStatement: { Addresses: ['203.0.113.0/24'] } },
    },
  ],
}

describe('checks that run before routing', () => {
  it('WAF blocks a request no route matches (403 WAF_FILTERED, not 403 Missing Authentication Token)', async () => {
    const gw = createGateway({ api: { resources: { '/pets': { GET: { integration } } } }, functions, waf: blockTestNet })
    const blocked = await gw.handle(req('GET', '/nowhere', { sourceIp: '203.0.113.9' }))
    expect(blocked.statusCode).toBe(403)
    expect(blocked.headers['x-amzn-ErrorType']).toBe('WAFFilteredException')
    const allowed = await gw.handle(req('GET', '/nowhere', { sourceIp: '198.51.100.1' }))
    expect(allowed.statusCode).toBe(403)
    expect(allowed.headers['x-amzn-ErrorType']).toBe('MissingAuthenticationTokenException')
  })

  it('WAF blocks a CORS preflight of an HTTP API before it is answered', async () => {
    const gw = createGateway({
      api: { resources: { '/pets': { GET: { integration } } }, cors: { allowOrigins: ['*'], allowMethods: ['GET'] } },
      apiType: 'HTTP',
      functions,
      waf: blockTestNet,
    })
    const preflight = { headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' }, sourceIp: '203.0.113.9' }
    expect((await gw.handle(req('OPTIONS', '/pets', preflight))).statusCode).toBe(403)
    expect((await gw.handle(req('OPTIONS', '/pets', { ...preflight, sourceIp: '198.51.100.1' }))).statusCode).toBe(204)
  })

  it('a PRIVATE API refuses a foreign VPC endpoint on an unrouted path, and a listed one gets the usual answer', async () => {
    const gw = createGateway({
      api: {
        resources: { '/pets': { GET: { integration } } },
        endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0212a4ababd5b8c3e'] },
      },
      functions,
      endpoint: { trustVpceHeader: true },
    })
    const foreign = await gw.handle(req('GET', '/nowhere', { headers: { 'x-amzn-vpce-id': 'vpce-0aaaaaaaaaaaaaaaa' } }))
    expect(foreign.statusCode).toBe(403)
    expect(String(foreign.body)).toMatch(/^\{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke/)
    const listed = await gw.handle(req('GET', '/nowhere', { headers: { 'x-amzn-vpce-id': 'vpce-0212a4ababd5b8c3e' } }))
    expect(listed.statusCode).toBe(403)
    expect(listed.headers['x-amzn-ErrorType']).toBe('MissingAuthenticationTokenException')
    expect((await gw.handle(req('GET', '/pets', { headers: { 'x-amzn-vpce-id': 'vpce-0212a4ababd5b8c3e' } }))).statusCode).toBe(200)
  })

  it('the route a gateway-level stage saw is the one the request is then served by', async () => {
    let seen: unknown
    const gw = createGateway({
      api: { resources: { '/pets/{id}': { GET: { integration } } } },
      functions: {
        ok: async (event: { pathParameters: unknown; resource: string }) => (
          (seen = [event.resource, event.pathParameters]), { statusCode: 200 }
        ),
      },
      waf: blockTestNet,
    })
    expect((await gw.handle(req('GET', '/pets/7', { sourceIp: '198.51.100.1' }))).statusCode).toBe(200)
    expect(seen).toEqual(['/pets/{id}', { id: '7' }])
  })
})
