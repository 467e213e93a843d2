/**
 * Condition operators, compile-time validation, and properties of the engine (deny wins, order does not
 * matter, wildcards and CIDR blocks agree with naive implementations, bad input throws only PolicyError).
 * Operator semantics: IAM User Guide, "IAM JSON policy elements: Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compilePolicy, type ContextValue, evaluatePolicy, PolicyError, type PolicyStatement } from '@gatehousejs/core/policy'
import { inBlock, parseCidr, parseIp } from '../src/policy/ip'
import { compileWildcard } from '../src/policy/wildcard'

const RES = 'arn:aws:execute-api:us-east-1:111122223333:abc/prod/GET/pets'
const allowIf = (Condition: Record<string, Record<string, unknown>>) =>
  compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition }] })
const check = (cond: Record<string, Record<string, unknown>>, context: Record<string, ContextValue>, now?: number) =>
  evaluatePolicy(allowIf(cond), { action: 'execute-api:Invoke', resource: RES, context }, now === undefined ? {} : { now: () => now })
    .decision === 'ALLOW'

describe('condition operators', () => {
  const T = Date.UTC(2024, 5, 1, 12, 0, 0)
  const table: [string, Record<string, Record<string, unknown>>, Record<string, ContextValue>, boolean][] = [
    ['StringEquals match', { StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'alice' }, true],
    ['StringEquals is case-sensitive', { StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'Alice' }, false],
    ['StringEquals any of the values', { StringEquals: { 'aws:username': ['bob', 'alice'] } }, { 'aws:username': 'alice' }, true],
    ['StringEquals missing key', { StringEquals: { 'aws:username': 'alice' } }, {}, false],
    ['StringEqualsIfExists missing key', { StringEqualsIfExists: { 'aws:username': 'alice' } }, {}, true],
    ['StringEqualsIfExists present, wrong', { StringEqualsIfExists: { 'aws:username': 'alice' } }, { 'aws:username': 'bob' }, false],
    ['StringNotEquals', { StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, { 'aws:username': 'alice' }, true],
    ['StringNotEquals, listed', { StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, { 'aws:username': 'bob' }, false],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' }, true],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' }, false],
    ['StringLike *', { StringLike: { 'aws:userid': 'AIDA*:session-?' } }, { 'aws:userid': 'AIDAXYZ:session-1' }, true],
    ['StringLike no match', { StringLike: { 'aws:userid': 'AIDA*:session-?' } }, { 'aws:userid': 'AIDAXYZ:session-12' }, false],
    ['StringNotLike', { StringNotLike: { 'aws:Referer': 'https://example.com/*' } }, { 'aws:Referer': 'https://evil.com/' }, true],
    ['NumericLessThan', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': 100 }, true],
    ['NumericLessThan false', { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } }, { 'aws:MultiFactorAuthAge': '3600' }, false],
    ['NumericLessThanEquals', { NumericLessThanEquals: { n: 3600 } }, { n: '3600' }, true],
    ['NumericGreaterThan', { NumericGreaterThan: { n: '10' } }, { n: '10.5' }, true],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { n: '10' } }, { n: '9' }, false],
    ['NumericEquals', { NumericEquals: { n: '10' } }, { n: '10.0' }, true],
    ['NumericNotEquals', { NumericNotEquals: { n: '10' } }, { n: '11' }, true],
    ['Numeric: a non-number context value never matches', { NumericEquals: { n: '10' } }, { n: 'ten' }, false],
    ['DateGreaterThan aws:CurrentTime', { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } }, {}, true],
    ['DateLessThan aws:CurrentTime', { DateLessThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } }, {}, false],
    ['DateLessThanEquals epoch seconds', { DateLessThanEquals: { 'aws:CurrentTime': String(T / 1000) } }, {}, true],
    ['DateEquals', { DateEquals: { 'aws:EpochTime': '2024-06-01T12:00:00Z' } }, {}, true],
    ['DateNotEquals', { DateNotEquals: { 'aws:CurrentTime': '2024-06-01T12:00:00Z' } }, {}, false],
    ['DateGreaterThanEquals with a Date value', { DateGreaterThanEquals: { d: '2024-06-01T12:00:00Z' } }, { d: new Date(T) }, true],
    ['Bool true', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }, true],
    ['Bool false', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, false],
    ['Bool missing', { Bool: { 'aws:SecureTransport': 'false' } }, {}, false],
    ['BoolIfExists missing', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, true],
    ['IpAddress v4 /24', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.200' }, true],
    ['IpAddress v4 /24 outside', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' }, false],
    ['IpAddress single address', { IpAddress: { 'aws:SourceIp': '203.0.113.5' } }, { 'aws:SourceIp': '203.0.113.5' }, true],
    ['IpAddress /0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '8.8.8.8' }, true],
    [
      'IpAddress v6 /64',
      { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
      { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' },
      true,
    ],
    [
      'IpAddress v6 outside',
      { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
      { 'aws:SourceIp': '2001:db8:1234:5679::1' },
      false,
    ],
    ['IpAddress v6 block, v4 client', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '192.0.2.1' }, false],
    ['IpAddress v4 block, mapped client', { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, { 'aws:SourceIp': '::ffff:192.0.2.1' }, true],
    ['IpAddress mapped block', { IpAddress: { 'aws:SourceIp': '::ffff:192.0.2.0/120' } }, { 'aws:SourceIp': '192.0.2.9' }, true],
    ['IpAddress garbage client', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': 'not-an-ip' }, false],
    ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } }, { 'aws:SourceIp': '198.51.100.1' }, true],
    [
      'NotIpAddress inside',
      { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } },
      { 'aws:SourceIp': '2001:db8::9' },
      false,
    ],
    [
      'ArnLike',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin*' } },
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/AdminOps' },
      true,
    ],
    [
      'ArnNotLike',
      { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin*' } },
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/x' },
      true,
    ],
    ['Null true: key absent', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
    ['Null true: key present', { Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, false],
    ['Null false: key present', { Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': 'x' }, true],
    ['ForAnyValue:StringEquals', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['c', 'b'] }, true],
    ['ForAllValues:StringEquals', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['c', 'b'] }, false],
    ['ForAllValues:StringEquals subset', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a'] }, true],
    ['ForAllValues missing key holds', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, {}, true],
    ['all operators must hold (AND)', { StringEquals: { a: '1' }, Bool: { b: 'true' } }, { a: '1', b: 'false' }, false],
    ['all keys must hold (AND)', { StringEquals: { a: '1', b: '2' } }, { a: '1', b: '2' }, true],
  ]
  it.each(table)('%s', (_, cond, context, expected) => {
    expect(check(cond, context, T)).toBe(expected)
  })
})

describe('elements', () => {
  const base = { Action: 'execute-api:Invoke', Resource: '*' }
  it('NotAction, NotResource, NotPrincipal', () => {
    const notAction = compilePolicy({ Statement: [{ Effect: 'Deny', NotAction: 'execute-api:Invoke', Resource: '*' }] })
    expect(evaluatePolicy(notAction, { action: 'execute-api:InvalidateCache', resource: RES }).decision).toBe('EXPLICIT_DENY')
    expect(evaluatePolicy(notAction, { action: 'execute-api:Invoke', resource: RES }).decision).toBe('IMPLICIT_DENY')
    const notResource = compilePolicy({ Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:execute-api:*:*:abc/prod/*' }] })
    expect(evaluatePolicy(notResource, { action: 'execute-api:Invoke', resource: RES }).decision).toBe('IMPLICIT_DENY')
    expect(evaluatePolicy(notResource, { action: 'execute-api:Invoke', resource: RES.replace('/prod/', '/dev/') }).decision).toBe('ALLOW')
    const notPrincipal = compilePolicy({ Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, ...base }] })
    const inAccount = { arn: 'arn:aws:iam::111122223333:user/a', accountId: '111122223333' }
    expect(evaluatePolicy(notPrincipal, { action: 'execute-api:Invoke', resource: RES, principal: inAccount }).decision).toBe(
      'IMPLICIT_DENY',
    )
    expect(evaluatePolicy(notPrincipal, { action: 'execute-api:Invoke', resource: RES, principal: null }).decision).toBe('EXPLICIT_DENY')
  })

  it('a role principal matches its sessions; Service principals only via "*"', () => {
    const p = compilePolicy({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/path/Deployer', Service: 'lambda.amazonaws.com' }, ...base },
      ],
    })
    const session = { arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci-42', accountId: '111122223333' }
    const other = { arn: 'arn:aws:sts::111122223333:assumed-role/Deployer2/ci', accountId: '111122223333' }
    expect(evaluatePolicy(p, { action: 'execute-api:Invoke', resource: RES, principal: session }).decision).toBe('ALLOW')
    expect(evaluatePolicy(p, { action: 'execute-api:Invoke', resource: RES, principal: other }).decision).toBe('IMPLICIT_DENY')
  })

  it('accepts a JSON string (x-amazon-apigateway-policy may be given as text)', () => {
    const p = compilePolicy(JSON.stringify({ Statement: { Effect: 'Allow', ...base } }))
    expect(evaluatePolicy(p, { action: 'execute-api:Invoke', resource: RES }).decision).toBe('ALLOW')
  })
})

describe('compile-time validation names the problem', () => {
  const bad: [unknown, RegExp][] = [
    ['{not json', /^policy is not valid JSON/],
    [[], /^policy must be a JSON object/],
    [{ Version: '2012-10-17' }, /^policy has no Statement/],
    [{ Statement: [], Versoin: 'x' }, /unknown element 'Versoin'/],
    [{ Version: '2020-01-01', Statement: [] }, /^Version must be/],
    [{ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }, /^Statement\[0\]\.Effect must be "Allow" or "Deny", got "allow"/],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, /^Statement\[0\] needs exactly one of Action and NotAction/],
    [{ Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' }] }, /exactly one of Action and NotAction/],
    [{ Statement: [{ Effect: 'Allow', Action: '*' }] }, /exactly one of Resource and NotResource/],
    [{ Statement: [{ Effect: 'Allow', Actions: '*', Resource: '*' }] }, /^Statement\[0\] has an unknown element 'Actions'/],
    [{ Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }, /Statement\[0\]\.Action must not be empty/],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } }] },
      /unknown condition operator 'StringEqualz'/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }] },
      /'10\.0\.0\.0\/33' is not an IP address or CIDR block/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { n: 'abc' } } }] },
      /'abc' is not a number/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { d: 'yesterday' } } }] },
      /'yesterday' is not a date/,
    ],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { b: 'yes' } } }] }, /'yes' is not a boolean/],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { b: 'maybe' } } }] }, /Null takes "true" or "false"/],
    [
      { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:user/x' }, Action: '*', Resource: '*' }] },
      /wildcards are not allowed in a principal/,
    ],
    [{ Statement: [{ Effect: 'Allow', Principal: { Group: 'x' }, Action: '*', Resource: '*' }] }, /unknown principal type 'Group'/],
  ]
  it.each(bad)('%j', (doc, message) => {
    try {
      compilePolicy(doc as never)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError)
      expect((err as PolicyError).code).toBe('INVALID_POLICY')
      expect((err as PolicyError).message).toMatch(message)
    }
  })

  it('identity policies cannot name a principal; resource policies must', () => {
    const withPrincipal = { Statement: [{ Effect: 'Allow' as const, Principal: '*' as const, Action: '*', Resource: '*' }] }
    const without = { Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] }
    expect(() => compilePolicy(withPrincipal, { kind: 'identity' })).toThrow(/an identity policy cannot name a Principal/)
    expect(() => compilePolicy(without, { kind: 'resource' })).toThrow(/a resource policy statement needs a Principal/)
  })
})

describe('properties', () => {
  it('compilePolicy throws nothing but PolicyError on arbitrary input', () => {
    const stmt = fc.record(
      {
        Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.string()),
        Action: fc.oneof(fc.string(), fc.array(fc.string()), fc.anything()),
        Resource: fc.oneof(fc.string(), fc.array(fc.string()), fc.anything()),
        Principal: fc.oneof(fc.constant('*'), fc.record({ AWS: fc.oneof(fc.string(), fc.array(fc.string())) }), fc.anything()),
        Condition: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              'StringEquals',
              'IpAddress',
              'NumericLessThan',
              'DateGreaterThan',
              'Bool',
              'Null',
              'ForAllValues:StringLike',
              'NotIpAddressIfExists',
            ),
            fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()), fc.anything())),
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ Version: fc.constantFrom('2012-10-17', undefined), Statement: fc.oneof(stmt, fc.array(stmt)) }),
          fc.string(),
        ),
        (doc) => {
          try {
            const p = compilePolicy(doc as never)
            // A compiled policy evaluates without throwing.
            evaluatePolicy(
              p,
              { action: 'execute-api:Invoke', resource: RES, context: { 'aws:SourceIp': '192.0.2.1', a: ['x'] } },
              { source: p.kind === 'resource' ? 'resource' : 'identity' },
            )
          } catch (err) {
            if (!(err instanceof PolicyError)) throw err
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  const statementArb: fc.Arbitrary<PolicyStatement> = fc.record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: fc.constantFrom('execute-api:Invoke', 'execute-api:*', 'execute-api:InvalidateCache', '*'),
    Resource: fc.constantFrom(
      '*',
      'arn:aws:execute-api:*:*:abc/*',
      'arn:aws:execute-api:*:*:abc/prod/GET/*',
      'arn:aws:execute-api:*:*:other/*',
      'arn:aws:execute-api:us-east-1:*:abc/prod/?ET/pets',
    ),
  })

  it('explicit deny wins and statement order does not matter', () => {
    fc.assert(
      fc.property(
        fc.array(statementArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('execute-api:Invoke', 'execute-api:InvalidateCache'),
        (statements, action) => {
          const req = { action, resource: RES }
          const decision = evaluatePolicy(compilePolicy({ Statement: statements }), req).decision
          const applies = statements.map(
            (s) => evaluatePolicy(compilePolicy({ Statement: [{ ...s, Effect: 'Allow' }] }), req).decision === 'ALLOW',
          )
          const anyDeny = statements.some((s, i) => s.Effect === 'Deny' && applies[i])
          const anyAllow = statements.some((s, i) => s.Effect === 'Allow' && applies[i])
          expect(decision).toBe(anyDeny ? 'EXPLICIT_DENY' : anyAllow ? 'ALLOW' : 'IMPLICIT_DENY')
          expect(evaluatePolicy(compilePolicy({ Statement: [...statements].reverse() }), req).decision).toBe(decision)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('wildcards agree with a naive backtracking matcher', () => {
    const naive = (p: string, s: string): boolean => {
      if (p === '') return s === ''
      if (p[0] === '*') return naive(p.slice(1), s) || (s !== '' && naive(p, s.slice(1)))
      if (s === '') return false
      return (p[0] === '?' || p[0] === s[0]) && naive(p.slice(1), s.slice(1))
    }
    const alphabet = fc.constantFrom('a', 'b', '/', ':', '.', '(', '[', '\\', '$', '^', '-', '+')
    const pattern = fc.array(fc.oneof(alphabet, fc.constantFrom('*', '?')), { maxLength: 8 }).map((a) => a.join(''))
    const subject = fc.array(alphabet, { maxLength: 8 }).map((a) => a.join(''))
    fc.assert(
      fc.property(pattern, subject, (p, s) => {
        expect(compileWildcard(p)(s)).toBe(naive(p, s))
      }),
      { numRuns: 1000 },
    )
  })

  it('IPv4 CIDR membership agrees with integer arithmetic', () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    fc.assert(
      fc.property(octets, octets, fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const toInt = (o: number[]) => ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
        const expected = (toInt(a) & mask) >>> 0 === (toInt(b) & mask) >>> 0
        const block = parseCidr(`${a.join('.')}/${prefix}`)!
        expect(inBlock(parseIp(b.join('.'))!, block)).toBe(expected)
      }),
      { numRuns: 1000 },
    )
  })

  it('address and CIDR parsers never throw on arbitrary text', () => {
    const ipish = fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-fA-F:.%/]{0,45}$/))
    fc.assert(
      fc.property(ipish, ipish, (a, b) => {
        const block = parseCidr(a)
        const ip = parseIp(b)
        if (block && ip) expect(typeof inBlock(ip, block)).toBe('boolean')
      }),
      { numRuns: 1000 },
    )
  })

  it('IPv6: an address is inside every block built from its own prefix', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }), (groups, prefix) => {
        const addr = groups.join(':')
        const ip = parseIp(addr)!
        expect(inBlock(ip, parseCidr(`${addr}/${prefix}`)!)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
