/**
 * The policy engine against AWS's documented examples, as tables. Each block cites its page of the
 * Amazon API Gateway developer guide.
 */
import { describe, expect, it } from 'vitest'
import {
  combineAuthorization,
  compilePolicy,
  type Decision,
  evaluatePolicies,
  evaluatePolicy,
  executeApiArn,
  type PolicyDocument,
  type RequestPrincipal,
} from '@gatehousejs/core/policy'

const ACCOUNT = '111122223333'
const OTHER = '444455556666'
const arn = (stage: string, method: string, path: string, apiId = 'api-id', region = 'us-east-1') =>
  executeApiArn({ region, accountId: ACCOUNT, apiId, stage, method, path })
const user = (account: string, name: string): RequestPrincipal => ({ arn: `arn:aws:iam::${account}:user/${name}`, accountId: account })
const invoke = 'execute-api:Invoke'

describe('executeApiArn', () => {
  it('builds the method ARN API Gateway authorizes against', () => {
    expect(arn('prod', 'GET', '/pets/1')).toBe('arn:aws:execute-api:us-east-1:111122223333:api-id/prod/GET/pets/1')
    expect(arn('prod', 'GET', '/')).toBe('arn:aws:execute-api:us-east-1:111122223333:api-id/prod/GET/')
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
describe('IAM policies for invoking an API (developer guide: "Control access for invoking an API")', () => {
  const viewNotAdd: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:us-east-1:*:api-id/*/GET/pets'] },
      { Effect: 'Deny', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:us-east-1:*:api-id/*/POST/pets'] },
    ],
  }
  const onePet: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:us-east-1:*:api-id/*/GET/pets/a1b2'] }],
  }
  const testStage: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['execute-api:Invoke', 'execute-api:InvalidateCache'], Resource: ['arn:aws:execute-api:*:*:*/test/*'] },
    ],
  }
  const table: [string, PolicyDocument, string, string, Decision][] = [
    ['view pets: GET /pets', viewNotAdd, invoke, arn('prod', 'GET', '/pets'), 'ALLOW'],
    ['view pets: any stage', viewNotAdd, invoke, arn('dev', 'GET', '/pets'), 'ALLOW'],
    ['add pet: POST /pets is denied', viewNotAdd, invoke, arn('prod', 'POST', '/pets'), 'EXPLICIT_DENY'],
    ['view pets does not cover /pets/1', viewNotAdd, invoke, arn('prod', 'GET', '/pets/1'), 'IMPLICIT_DENY'],
    ['view pets: other region', viewNotAdd, invoke, arn('prod', 'GET', '/pets', 'api-id', 'eu-west-1'), 'IMPLICIT_DENY'],
    ['GET /pets/a1b2', onePet, invoke, arn('prod', 'GET', '/pets/a1b2'), 'ALLOW'],
    ['GET /pets/a1b3', onePet, invoke, arn('prod', 'GET', '/pets/a1b3'), 'IMPLICIT_DENY'],
    ['test stage: any API, any method', testStage, invoke, arn('test', 'DELETE', '/anything/deep', 'other-api'), 'ALLOW'],
    ['test stage: InvalidateCache', testStage, 'execute-api:InvalidateCache', arn('test', 'GET', '/x'), 'ALLOW'],
    [
      'test stage: ManageConnections not granted',
      testStage,
      'execute-api:ManageConnections',
      arn('test', 'POST', '/@connections/abc'),
      'IMPLICIT_DENY',
    ],
    ['test stage: prod not covered', testStage, invoke, arn('prod', 'GET', '/x'), 'IMPLICIT_DENY'],
    ['actions are case-insensitive', testStage, 'Execute-API:invoke', arn('test', 'GET', '/x'), 'ALLOW'],
  ]
  it.each(table)('%s', (_, doc, action, resource, decision) => {
    expect(evaluatePolicy(compilePolicy(doc), { action, resource }).decision).toBe(decision)
  })

  // The page's resource expression examples.
  const expressions: [string, string, boolean][] = [
    ['arn:aws:execute-api:*:*:*', arn('prod', 'GET', '/a', 'x', 'ap-south-1'), true],
    ['arn:aws:execute-api:us-east-1:*:*', arn('prod', 'GET', '/a', 'x', 'us-east-1'), true],
    ['arn:aws:execute-api:us-east-1:*:*', arn('prod', 'GET', '/a', 'x', 'us-west-2'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/*', arn('prod', 'GET', '/a'), true],
    ['arn:aws:execute-api:us-east-1:*:api-id/*', arn('prod', 'GET', '/a', 'api-id2'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/*', arn('test', 'PUT', '/a/b'), true],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/*', arn('prod', 'PUT', '/a/b'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/*/mydemoresource/*', arn('test', 'PATCH', '/mydemoresource/1'), true],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/*/mydemoresource/*', arn('test', 'PATCH', '/other/1'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/GET/mydemoresource/*', arn('test', 'GET', '/mydemoresource/a/b'), true],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/GET/mydemoresource/*', arn('test', 'POST', '/mydemoresource/a'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/GET/pets/?', arn('test', 'GET', '/pets/7'), true],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/GET/pets/?', arn('test', 'GET', '/pets/77'), false],
    ['arn:aws:execute-api:us-east-1:*:api-id/test/get/*', arn('test', 'GET', '/pets'), false],
  ]
  it.each(expressions)('Resource %s vs %s → %s', (pattern, resource, matches) => {
    const policy = compilePolicy({ Statement: [{ Effect: 'Allow', Action: 'execute-api:*', Resource: pattern }] })
    expect(evaluatePolicy(policy, { action: invoke, resource }).decision).toBe(matches ? 'ALLOW' : 'IMPLICIT_DENY')
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
describe('resource policy examples (developer guide: "API Gateway resource policy examples")', () => {
  const crossAccount: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${OTHER}:user/Alice`, OTHER] },
        Action: 'execute-api:Invoke',
        Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/stage/GET/pets`],
      },
    ],
  }
  const ipDenyList: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`] },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`],
        Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24'] } },
      },
    ],
  }
  const sourceVpc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`] },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`],
        Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' } },
      },
    ],
  }
  const vpcSourceIp: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`] },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [`arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*`],
        Condition: { IpAddress: { 'aws:VpcSourceIp': ['192.0.2.0/24', '198.51.100.0/24'] } },
      },
    ],
  }
  const pets = arn('stage', 'GET', '/pets')
  const table: [string, PolicyDocument, RequestPrincipal | null, Record<string, string>, string, Decision][] = [
    ['cross-account: Alice', crossAccount, user(OTHER, 'Alice'), {}, pets, 'ALLOW'],
    ['cross-account: anyone in account-id-2', crossAccount, user(OTHER, 'Bob'), {}, pets, 'ALLOW'],
    [
      'cross-account: a role session of account-id-2',
      crossAccount,
      { arn: `arn:aws:sts::${OTHER}:assumed-role/R/s`, accountId: OTHER },
      {},
      pets,
      'ALLOW',
    ],
    ['cross-account: a third account', crossAccount, user('999988887777', 'Alice'), {}, pets, 'IMPLICIT_DENY'],
    ['cross-account: anonymous', crossAccount, null, {}, pets, 'IMPLICIT_DENY'],
    ['cross-account: another method', crossAccount, user(OTHER, 'Alice'), {}, arn('stage', 'POST', '/pets'), 'IMPLICIT_DENY'],
    ['IP deny list: 192.0.2.5 denied', ipDenyList, null, { 'aws:SourceIp': '192.0.2.5' }, pets, 'EXPLICIT_DENY'],
    ['IP deny list: 198.51.100.255 denied', ipDenyList, null, { 'aws:SourceIp': '198.51.100.255' }, pets, 'EXPLICIT_DENY'],
    ['IP deny list: 198.51.101.0 allowed', ipDenyList, null, { 'aws:SourceIp': '198.51.101.0' }, pets, 'ALLOW'],
    ['IP deny list: 203.0.113.9 allowed', ipDenyList, null, { 'aws:SourceIp': '203.0.113.9' }, pets, 'ALLOW'],
    ['IP deny list: IPv4-mapped IPv6 client denied', ipDenyList, null, { 'aws:SourceIp': '::ffff:192.0.2.77' }, pets, 'EXPLICIT_DENY'],
    ['IP deny list: an IPv6 client allowed', ipDenyList, null, { 'aws:SourceIp': '2001:db8::1' }, pets, 'ALLOW'],
    ['private API: VpcSourceIp denied', vpcSourceIp, null, { 'aws:VpcSourceIp': '192.0.2.1' }, pets, 'EXPLICIT_DENY'],
    ['private API: VpcSourceIp allowed', vpcSourceIp, null, { 'aws:VpcSourceIp': '10.0.0.1' }, pets, 'ALLOW'],
    ['source VPC: from the VPC', sourceVpc, null, { 'aws:SourceVpc': 'vpc-1a2b3c4d' }, pets, 'ALLOW'],
    ['source VPC: another VPC denied', sourceVpc, null, { 'aws:SourceVpc': 'vpc-99999999' }, pets, 'EXPLICIT_DENY'],
    ['source VPC: no VPC at all denied (StringNotEquals holds for a missing key)', sourceVpc, null, {}, pets, 'EXPLICIT_DENY'],
    ['condition keys are case-insensitive', sourceVpc, null, { 'AWS:SOURCEVPC': 'vpc-1a2b3c4d' }, pets, 'ALLOW'],
  ]
  it.each(table)('%s', (_, doc, principal, context, resource, decision) => {
    const policy = compilePolicy(doc, { kind: 'resource' })
    expect(evaluatePolicy(policy, { action: invoke, resource, principal, context }, { source: 'resource' }).decision).toBe(decision)
  })

  it('reports the statement that decided', () => {
    const r = evaluatePolicy(
      compilePolicy(ipDenyList),
      { action: invoke, resource: pets, context: { 'aws:SourceIp': '192.0.2.5' } },
      { source: 'resource' },
    )
    expect(r).toEqual({ decision: 'EXPLICIT_DENY', matched: { source: 'resource', policyIndex: 0, statementIndex: 1, effect: 'Deny' } })
  })
})

// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
describe('resource policy × authorization type (developer guide: "How API Gateway resource policies affect authorization workflow")', () => {
  const N = 'IMPLICIT_DENY'
  // Table A: Account A calls API owned by account A; Table B: account B calls API owned by account A.
  const tables: [Decision, Decision, Decision, Decision][] = [
    // caller, resource, Table A, Table B
    ['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW'],
    ['ALLOW', N, 'ALLOW', N],
    ['ALLOW', 'EXPLICIT_DENY', 'EXPLICIT_DENY', 'EXPLICIT_DENY'],
    [N, 'ALLOW', 'ALLOW', N],
    [N, N, N, N],
    [N, 'EXPLICIT_DENY', 'EXPLICIT_DENY', 'EXPLICIT_DENY'],
    ['EXPLICIT_DENY', 'ALLOW', 'EXPLICIT_DENY', 'EXPLICIT_DENY'],
    ['EXPLICIT_DENY', N, 'EXPLICIT_DENY', 'EXPLICIT_DENY'],
    ['EXPLICIT_DENY', 'EXPLICIT_DENY', 'EXPLICIT_DENY', 'EXPLICIT_DENY'],
  ]
  it.each(tables)('IAM: caller %s, resource policy %s → same account %s, cross-account %s', (caller, resource, a, b) => {
    expect(combineAuthorization('AWS_IAM', { caller, resource, sameAccount: true })).toBe(a)
    expect(combineAuthorization('AWS_IAM', { caller, resource, sameAccount: false })).toBe(b)
  })
  it.each(tables)('Lambda authorizer (Table A): authorizer %s, resource policy %s → %s', (caller, resource, a) => {
    expect(combineAuthorization('CUSTOM', { caller, resource })).toBe(a)
  })
  it.each([
    ['ALLOW', 'ALLOW'],
    ['IMPLICIT_DENY', 'IMPLICIT_DENY'],
    ['EXPLICIT_DENY', 'EXPLICIT_DENY'],
  ] as [Decision, Decision][])(
    'resource policy only / Cognito: resource policy %s → %s (an explicit allow is required)',
    (resource, result) => {
      expect(combineAuthorization('NONE', { resource })).toBe(result)
      expect(combineAuthorization('COGNITO_USER_POOLS', { resource })).toBe(result)
    },
  )
  it('without a resource policy: NONE and Cognito allow; IAM and Lambda authorizers need their own allow', () => {
    expect(combineAuthorization('NONE', {})).toBe('ALLOW')
    expect(combineAuthorization('COGNITO_USER_POOLS', {})).toBe('ALLOW')
    expect(combineAuthorization('AWS_IAM', { caller: 'IMPLICIT_DENY' })).toBe('IMPLICIT_DENY')
    expect(combineAuthorization('AWS_IAM', { caller: 'ALLOW' })).toBe('ALLOW')
    expect(combineAuthorization('CUSTOM', {})).toBe('IMPLICIT_DENY')
  })

  it('evaluatePolicies infers the type and the account relation', () => {
    const identity = compilePolicy({ Statement: [{ Effect: 'Allow', Action: invoke, Resource: '*' }] })
    const resourcePolicy = compilePolicy({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: invoke, Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/*` },
      ],
    })
    const resource = arn('prod', 'GET', '/pets')
    // Same account: identity allow suffices. Cross-account: the resource policy does not name account B → implicit deny.
    expect(
      evaluatePolicies({ identityPolicies: [identity], resourcePolicy }, { action: invoke, resource, principal: user(ACCOUNT, 'a') })
        .decision,
    ).toBe('ALLOW')
    const cross = evaluatePolicies(
      { identityPolicies: [identity], resourcePolicy },
      { action: invoke, resource, principal: user(OTHER, 'b') },
    )
    expect(cross).toMatchObject({ decision: 'IMPLICIT_DENY', caller: { decision: 'ALLOW' }, resource: { decision: 'IMPLICIT_DENY' } })
    // Lambda authorizer output (the shape in "Output from an API Gateway Lambda authorizer").
    const authorizerPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Deny' as const, Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:api-id/prod/GET/*` },
      ],
    }
    expect(evaluatePolicies({ authorizerPolicy }, { action: invoke, resource })).toMatchObject({
      decision: 'EXPLICIT_DENY',
      matched: { source: 'authorizer', effect: 'Deny' },
    })
  })
})
