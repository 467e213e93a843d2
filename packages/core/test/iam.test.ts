/**
 * `authorizationType: AWS_IAM` end to end through `handle()`: requests signed by the AWS SDK's signer
 * (@smithy/signature-v4) and by our `signRequest`, each refusal with API Gateway's status, body and
 * x-amzn-ErrorType, identity and resource policies combined, `$context.identity` in the Lambda proxy event.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createGateway,
  GatewayConfigError,
  type GatewayInput,
  type GatewayRequest,
  type IamPrincipals,
  type PolicyDocument,
} from '@gatehousejs/core'
import { signRequest } from '@gatehousejs/sigv4'
import { echo, header, json, text } from './helpers'

const ACCOUNT = '111122223333'
const OTHER_ACCOUNT = '444455556666'
const REGION = 'us-east-1'
const API_ID = 'abc123'
const HOST = `${API_ID}.execute-api.${REGION}.amazonaws.com`
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const ARN = (method: string, path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/${method}${path}`
const MASKED = (method: string, path: string) => `arn:aws:execute-api:${REGION}:********3333:${API_ID}/prod/${method}${path}`

const allowAll: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }
const allowGetPets: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:*:*:${API_ID}/prod/GET/pets*` }],
}

const KEYS = {
  alice: { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret' },
  bob: { accessKeyId: 'AKIABOB', secretAccessKey: 'bob-secret' },
  carol: { accessKeyId: 'AKIACAROL', secretAccessKey: 'carol-secret' },
  temp: { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'session-token-1' },
  stranger: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'stranger-secret' },
}

const principals: IamPrincipals = {
  AKIAALICE: { secretAccessKey: 'alice-secret', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userId: 'AIDAALICE', policies: [allowGetPets] },
  // Allowed everything, except DELETE, explicitly.
  AKIABOB: {
    secretAccessKey: 'bob-secret',
    arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
    policies: [
      allowAll,
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:*:*:${API_ID}/*/DELETE/*` }],
      },
    ],
  },
  // No identity policy at all.
  AKIACAROL: { secretAccessKey: 'carol-secret', arn: `arn:aws:iam::${ACCOUNT}:user/carol` },
  ASIATEMP: {
    secretAccessKey: 'temp-secret',
    sessionToken: 'session-token-1',
    expiration: NOW + 60_000,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/session-1`,
    userId: 'AROAREADER:session-1',
    policies: [allowAll],
  },
  // Another account, allowed by its own identity policy.
  AKIASTRANGER: { secretAccessKey: 'stranger-secret', arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/stranger`, policies: [allowAll] },
}

const integration = { type: 'aws_proxy', httpMethod: 'POST', uri: 'echo' }
const iamOp = { security: [{ sigv4: [] }], 'x-amazon-apigateway-integration': integration }

function openapi(policy?: unknown): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'iam', version: '1' },
    components: {
      securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
    },
    paths: {
      '/pets': { get: iamOp, post: iamOp },
      '/pets/{id}': { get: iamOp, delete: iamOp },
      '/open': { get: { 'x-amazon-apigateway-integration': integration } },
    },
    ...(policy ? { 'x-amazon-apigateway-policy': policy } : {}),
  }
}

function gateway(extra: Partial<GatewayInput> = {}, policy?: unknown) {
  return createGateway({
    api: openapi(policy),
    apiId: API_ID,
    accountId: ACCOUNT,
    region: REGION,
    stage: 'prod',
    stageInPath: true,
    now: () => NOW,
    functions: { echo },
    principals,
    onWarning: () => {},
    ...extra,
  })
}

function unsigned(method: string, path: string, query?: string, body?: string): GatewayRequest {
  return {
    method,
    path,
    ...(query ? { query } : {}),
    headers: { host: HOST, 'user-agent': 'test-agent', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
    sourceIp: '203.0.113.7',
  }
}

function signed(
  who: keyof typeof KEYS,
  method: string,
  path: string,
  opts: { query?: string; body?: string; at?: number; presign?: boolean } = {},
): GatewayRequest {
  const r = unsigned(method, path, opts.query, opts.body)
  const s = signRequest(r, KEYS[who], {
    region: REGION,
    service: 'execute-api',
    date: opts.at ?? NOW,
    ...(opts.presign ? { presign: true, expiresIn: 300 } : {}),
  })
  return { ...r, ...s, sourceIp: r.sourceIp! }
}

const Sha256 = Hash.bind(null, 'sha256')

async function smithySigned(
  who: keyof typeof KEYS,
  method: string,
  path: string,
  query: Record<string, string> = {},
  body?: string,
): Promise<GatewayRequest> {
  const signer = new SignatureV4({ credentials: KEYS[who], region: REGION, service: 'execute-api', sha256: Sha256 })
  const request = new HttpRequest({
    method,
    protocol: 'https:',
    hostname: HOST,
    path,
    query,
    headers: { host: HOST, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  })
  const out = await signer.sign(request, { signingDate: new Date(NOW) })
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = String(v)
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return { method, path, ...(qs ? { query: qs } : {}), headers, ...(body !== undefined ? { body } : {}), sourceIp: '203.0.113.7' }
}

async function lambdaIdentity(res: { statusCode: number; body: string | Uint8Array }) {
  expect(res.statusCode).toBe(200)
  return json(res as never).requestContext.identity
}

// Status codes, bodies and x-amzn-ErrorType: "How do I troubleshoot HTTP 403 errors from API Gateway?"
// https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
// "How do I troubleshoot signature mismatch errors …": https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
// and "Control access to a REST API with IAM permissions":
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
describe('AWS_IAM refusals', () => {
  const gw = gateway()
  const cases: [string, () => GatewayRequest, string, (body: any) => void][] = [
    [
      'no signature',
      () => unsigned('GET', '/prod/pets'),
      'MissingAuthenticationTokenException',
      (b) => expect(b).toEqual({ message: 'Missing Authentication Token' }),
    ],
    [
      'a wrong secret',
      () =>
        signRequest(
          unsigned('GET', '/prod/pets'),
          { accessKeyId: 'AKIAALICE', secretAccessKey: 'not-the-secret' },
          { region: REGION, service: 'execute-api', date: NOW },
        ),
      'InvalidSignatureException',
      (b) =>
        expect(b.message).toMatch(
          /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\./,
        ),
    ],
    [
      'a tampered query',
      () => ({ ...signed('alice', 'GET', '/prod/pets', { query: 'limit=1' }), query: 'limit=2' }),
      'InvalidSignatureException',
      (b) => expect(b.message).toMatch(/^The request signature we calculated does not match/),
    ],
    [
      'a signature 10 minutes old',
      () => signed('alice', 'GET', '/prod/pets', { at: NOW - 10 * 60_000 }),
      'InvalidSignatureException',
      (b) =>
        expect(b).toEqual({
          message: 'Signature expired: 20260115T115000Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)',
        }),
    ],
    [
      'an unknown access key',
      () =>
        signRequest(
          unsigned('GET', '/prod/pets'),
          { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
          { region: REGION, service: 'execute-api', date: NOW },
        ),
      'AccessDeniedException',
      (b) => expect(b).toEqual({ message: 'The security token included in the request is invalid.' }),
    ],
    [
      'a signature for another region',
      () => signRequest(unsigned('GET', '/prod/pets'), KEYS.alice, { region: 'eu-west-1', service: 'execute-api', date: NOW }),
      'InvalidSignatureException',
      (b) => expect(b.message).toContain("Credential should be scoped to a valid region, not 'eu-west-1'"),
    ],
    [
      'no identity policy (implicit deny)',
      () => signed('carol', 'GET', '/prod/pets'),
      'AccessDeniedException',
      (b) =>
        expect(b).toEqual({
          Message: `User: arn:aws:iam::********3333:user/carol is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')}`,
        }),
    ],
    [
      'an identity policy that does not cover the method',
      () => signed('alice', 'POST', '/prod/pets', { body: '{}' }),
      'AccessDeniedException',
      (b) =>
        expect(b).toEqual({
          Message: `User: arn:aws:iam::********3333:user/alice is not authorized to perform: execute-api:Invoke on resource: ${MASKED('POST', '/pets')}`,
        }),
    ],
    [
      'an explicit deny in an identity policy (beside an allow)',
      () => signed('bob', 'DELETE', '/prod/pets/7'),
      'AccessDeniedException',
      (b) =>
        expect(b).toEqual({
          Message: `User: arn:aws:iam::********3333:user/bob is not authorized to perform: execute-api:Invoke on resource: ${MASKED('DELETE', '/pets/7')} with an explicit deny`,
        }),
    ],
  ]
  for (const [name, make, errorType, checkBody] of cases) {
    it(`${name} → 403 ${errorType}`, async () => {
      const res = await gw.handle(make())
      expect(res.statusCode).toBe(403)
      expect(header(res, 'x-amzn-ErrorType')).toBe(errorType)
      expect(header(res, 'content-type')).toBe('application/json')
      checkBody(json(res))
    })
  }

  it('an expired session token → 403 EXPIRED_TOKEN', async () => {
    const later = gateway({ now: () => NOW + 120_000 })
    const res = await later.handle(signed('temp', 'GET', '/prod/pets', { at: NOW + 120_000 }))
    expect(res.statusCode).toBe(403)
    expect(header(res, 'x-amzn-ErrorType')).toBe('InvalidSignatureException')
    expect(json(res)).toEqual({ message: 'The security token included in the request is expired' })
  })

  it('a session token that is missing → 403 invalid security token', async () => {
    const r = signRequest(
      unsigned('GET', '/prod/pets'),
      { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret' },
      { region: REGION, service: 'execute-api', date: NOW },
    )
    const res = await gw.handle(r)
    expect(res.statusCode).toBe(403)
    expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
    expect(json(res)).toEqual({ message: 'The security token included in the request is invalid.' })
  })

  it('routes without AWS_IAM need no signature', async () => {
    const res = await gw.handle(unsigned('GET', '/prod/open'))
    expect(res.statusCode).toBe(200)
    expect(json(res).requestContext.identity.userArn).toBeNull()
  })

  it('a customised ACCESS_DENIED response replaces the body, keeping the message in $context.error', async () => {
    const api = openapi()
    api['x-amazon-apigateway-gateway-responses'] = {
      ACCESS_DENIED: { statusCode: 401, responseTemplates: { 'application/json': '{"why":$context.error.messageString}' } },
    }
    const custom = gateway({ api })
    const res = await custom.handle(signed('carol', 'GET', '/prod/pets'))
    expect(res.statusCode).toBe(401)
    expect(json(res).why).toMatch(/^User: arn:aws:iam::\*{8}3333:user\/carol is not authorized/)
  })
})

describe('AWS_IAM callers reach the integration with $context.identity', () => {
  const gw = gateway()

  it('signed by the AWS SDK signer (@smithy/signature-v4): GET with a query', async () => {
    const id = await lambdaIdentity(
      await gw.handle(await smithySigned('alice', 'GET', '/prod/pets/42', { include: 'owner', 'a b': 'c/d' })),
    )
    expect(id).toMatchObject({
      accessKey: 'AKIAALICE',
      accountId: ACCOUNT,
      caller: 'AIDAALICE',
      user: 'AIDAALICE',
      userArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      sourceIp: '203.0.113.7',
    })
  })

  it('signed by the AWS SDK signer: POST with a body', async () => {
    const res = await gw.handle(await smithySigned('bob', 'POST', '/prod/pets', {}, '{"name":"rex"}'))
    const event = json(res)
    expect(event.body).toBe('{"name":"rex"}')
    expect(event.requestContext.identity.userArn).toBe(`arn:aws:iam::${ACCOUNT}:user/bob`)
    expect(event.requestContext.identity.user).toBe('AKIABOB')
  })

  it('signed by signRequest: header and presigned query string', async () => {
    for (const presign of [false, true]) {
      const id = await lambdaIdentity(await gw.handle(signed('alice', 'GET', '/prod/pets', { query: 'limit=2', presign })))
      expect(id.accessKey).toBe('AKIAALICE')
    }
  })

  it('temporary credentials of a role session', async () => {
    const id = await lambdaIdentity(await gw.handle(signed('temp', 'GET', '/prod/pets')))
    expect(id).toMatchObject({
      accessKey: 'ASIATEMP',
      accountId: ACCOUNT,
      caller: 'AROAREADER:session-1',
      userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/session-1`,
    })
  })

  it('principals as a list work as the map does', async () => {
    const list = gateway({
      principals: [
        { accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, policies: [allowAll] },
      ],
    })
    expect((await list.handle(signed('alice', 'GET', '/prod/pets'))).statusCode).toBe(200)
  })

  it('HTTP APIs: requestContext.authorizer.iam in the 2.0 event', async () => {
    const http = createGateway({
      api: openapi(),
      apiType: 'HTTP',
      apiId: API_ID,
      accountId: ACCOUNT,
      region: REGION,
      stage: 'prod',
      stageInPath: true,
      now: () => NOW,
      functions: { echo },
      principals,
      onWarning: () => {},
    })
    const event = json(await http.handle(signed('alice', 'GET', '/prod/pets')))
    expect(event.requestContext.authorizer.iam).toEqual({
      accessKey: 'AKIAALICE',
      accountId: ACCOUNT,
      callerId: 'AIDAALICE',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      userId: 'AIDAALICE',
    })
  })
})

// Tables A and B of "How API Gateway resource policies affect authorization workflow":
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
describe('AWS_IAM with a resource policy', () => {
  const denyOutsideOffice = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
      },
    ],
  }
  const gw = gateway({}, denyOutsideOffice)

  it('allowed from inside the CIDR', async () => {
    expect((await gw.handle(signed('alice', 'GET', '/prod/pets'))).statusCode).toBe(200)
    expect((await gw.handle({ ...signed('alice', 'GET', '/prod/pets'), sourceIp: '2001:db8::1' })).statusCode).toBe(200)
  })

  it('denied by the resource policy IP condition, whatever the identity policy says', async () => {
    const res = await gw.handle({ ...signed('bob', 'GET', '/prod/pets'), sourceIp: '198.51.100.9' })
    expect(res.statusCode).toBe(403)
    expect(header(res, 'x-amzn-ErrorType')).toBe('AccessDeniedException')
    expect(json(res)).toEqual({
      Message: `User: arn:aws:iam::********3333:user/bob is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')} with an explicit deny`,
    })
  })

  it('same account, Table A: the resource policy allow suffices without an identity policy', async () => {
    const id = await lambdaIdentity(await gw.handle(signed('carol', 'GET', '/prod/pets')))
    expect(id.userArn).toBe(`arn:aws:iam::${ACCOUNT}:user/carol`)
  })

  it('explicit deny wins: identity deny beats the resource allow', async () => {
    const res = await gw.handle(signed('bob', 'DELETE', '/prod/pets/1'))
    expect(res.statusCode).toBe(403)
    expect(json(res).Message).toMatch(/with an explicit deny$/)
  })

  it('explicit deny wins: resource deny beats the identity allow', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/prod/GET/pets',
        },
      ],
    }
    const denyAlice = gateway({}, policy)
    const res = await denyAlice.handle(signed('alice', 'GET', '/prod/pets'))
    expect(res.statusCode).toBe(403)
    expect(json(res).Message).toBe(
      `User: arn:aws:iam::********3333:user/alice is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')} with an explicit deny`,
    )
    // Another path under the same policy is not denied.
    expect((await denyAlice.handle(signed('alice', 'GET', '/prod/pets/3'))).statusCode).toBe(200)
  })

  it('another account, Table B: both the identity policy and the resource policy must allow', async () => {
    const onlyOwnAccount = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
    }
    const own = gateway({}, onlyOwnAccount)
    const refused = await own.handle(signed('stranger', 'GET', '/prod/pets'))
    expect(refused.statusCode).toBe(403)
    expect(json(refused).Message).toBe(
      `User: arn:aws:iam::********6666:user/stranger is not authorized to perform: execute-api:Invoke on resource: ${MASKED('GET', '/pets')}`,
    )
    const both = gateway(
      {},
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
      },
    )
    expect((await both.handle(signed('stranger', 'GET', '/prod/pets'))).statusCode).toBe(200)
  })

  it('the method ARN carries the request path, not the route template', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ARN('GET', '/pets/4?') }],
    }
    const g = gateway({ principals: { AKIACAROL: { secretAccessKey: 'carol-secret', arn: `arn:aws:iam::${ACCOUNT}:user/carol` } } }, policy)
    expect((await g.handle(signed('carol', 'GET', '/prod/pets/42'))).statusCode).toBe(200)
    expect((await g.handle(signed('carol', 'GET', '/prod/pets/5'))).statusCode).toBe(403)
  })
})

describe('AWS_IAM configuration', () => {
  it('imports x-amazon-apigateway-auth: { type: AWS_IAM }', async () => {
    const api = openapi()
    ;(api.paths as any)['/open'].get['x-amazon-apigateway-auth'] = { type: 'AWS_IAM' }
    const gw = gateway({ api })
    expect((await gw.handle(unsigned('GET', '/prod/open'))).statusCode).toBe(403)
    expect(gw.definition.resources['/open']!.GET!.authorizationType).toBe('AWS_IAM')
  })

  it('the document-level security applies to operations without their own', async () => {
    const api = openapi()
    api.security = [{ sigv4: [] }]
    ;(api.paths as any)['/open'].get.security = []
    const gw = gateway({ api })
    expect(gw.definition.resources['/pets']!.GET!.authorizationType).toBe('AWS_IAM')
    expect(gw.definition.resources['/open']!.GET!.authorizationType).toBeUndefined()
  })

  it('refuses bad principals when the gateway is built', () => {
    const bad: [string, IamPrincipals][] = [
      ['not an ARN', { AKIAX: { secretAccessKey: 's', arn: 'alice' } }],
      ['no secret', { AKIAX: { secretAccessKey: '', arn: `arn:aws:iam::${ACCOUNT}:user/x` } }],
      [
        'a policy that does not parse',
        {
          AKIAX: { secretAccessKey: 's', arn: `arn:aws:iam::${ACCOUNT}:user/x`, policies: [{ Statement: [{ Effect: 'allow' }] } as never] },
        },
      ],
    ]
    for (const [, p] of bad) {
      let error: unknown
      try {
        gateway({ principals: p })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(GatewayConfigError)
      expect((error as GatewayConfigError).code).toBe('INVALID_OPTION')
    }
  })

  it('an AWS_IAM method with no principals configured refuses every caller', async () => {
    const gw = gateway({ principals: undefined })
    const res = await gw.handle(signed('alice', 'GET', '/prod/pets'))
    expect(res.statusCode).toBe(403)
    expect(json(res)).toEqual({ message: 'The security token included in the request is invalid.' })
  })
})

describe('AWS_IAM robustness', () => {
  it('any security / x-amazon-apigateway-auth value: a gateway or a GatewayConfigError, nothing else', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.option(fc.anything(), { nil: undefined }), (security, docSecurity, auth) => {
        const api = openapi()
        api.security = docSecurity
        ;(api.paths as any)['/open'].get = {
          'x-amazon-apigateway-integration': integration,
          security,
          ...(auth === undefined ? {} : { 'x-amazon-apigateway-auth': auth }),
        }
        try {
          gateway({ api })
        } catch (e) {
          expect(e).toBeInstanceOf(GatewayConfigError)
        }
      }),
      { numRuns: 200 },
    )
  })

  const gw = gateway()
  it('any Authorization header, query or token: a 403 with a JSON body, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            'AWS4-HMAC-SHA256 ',
            'AWS4-HMAC-SHA256 Credential=AKIAALICE/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
          ),
        ),
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        async (authorization, query, token) => {
          const r = unsigned('GET', '/prod/pets', query)
          r.headers.authorization = authorization
          r.headers['x-amz-date'] = '20260115T120000Z'
          if (token !== undefined) r.headers['x-amz-security-token'] = token
          const res = await gw.handle(r)
          expect(res.statusCode).toBe(403)
          expect(() => JSON.parse(text(res))).not.toThrow()
        },
      ),
      { numRuns: 150 },
    )
  })
})
