/**
 * The `waf` option's build-time checks: rule JSON validated once, unsupported statement types, fields,
 * transformations and actions refused with a JSON pointer into `waf`.
 */
import { describe, expect, it } from 'vitest'
import { createGateway, type WafOptions } from '@gatehousejs/core'
import { configError } from './helpers'

const NONE = [{ Priority: 0, Type: 'NONE' }]
const gateway = (waf: WafOptions) =>
  createGateway({ api: { resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } }, waf, onWarning: () => {} })

// Field limits and valid values as the AWS WAF API reference gives them.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_Statement.html
// https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html (Limit 10 to 2,000,000,000)
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html (16, 32, 48, 64 KB)
describe('build-time checks point into waf', () => {
  const rule = (Statement: unknown, more: Record<string, unknown> = {}) =>
    ({
      defaultAction: { Allow: {} },
      rules: [{ Name: 'r', Priority: 0, Action: { Block: {} }, Statement, ...more }],
    }) as unknown as WafOptions
  const byte = (over: Record<string, unknown>) => ({
    ByteMatchStatement: {
      SearchString: 'x',
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'EXACTLY',
      TextTransformations: NONE,
      ...over,
    },
  })
  it.each([
    [rule({ XssMatchStatement: {} }), '/waf/rules/0/Statement/XssMatchStatement'],
    [rule(byte({ FieldToMatch: { Cookies: {} } })), '/waf/rules/0/Statement/ByteMatchStatement/FieldToMatch/Cookies'],
    [
      rule(byte({ TextTransformations: [{ Priority: 0, Type: 'MD5' }] })),
      '/waf/rules/0/Statement/ByteMatchStatement/TextTransformations/0/Type',
    ],
    [rule(byte({ TextTransformations: [] })), '/waf/rules/0/Statement/ByteMatchStatement/TextTransformations'],
    [rule(byte({ PositionalConstraint: 'CONTAINS_WORD', SearchString: 'a b' })), '/waf/rules/0/Statement/ByteMatchStatement/SearchString'],
    [rule({ IPSetReferenceStatement: { Addresses: ['10.0.0.0/0'] } }), '/waf/rules/0/Statement/IPSetReferenceStatement/Addresses/0'],
    [rule({ IPSetReferenceStatement: { Addresses: ['not-an-ip/8'] } }), '/waf/rules/0/Statement/IPSetReferenceStatement/Addresses/0'],
    [rule({ IPSetReferenceStatement: { ARN: 'arn:missing' } }), '/waf/rules/0/Statement/IPSetReferenceStatement/ARN'],
    [
      rule({ NotStatement: { Statement: { RateBasedStatement: { Limit: 10 } } } }),
      '/waf/rules/0/Statement/NotStatement/Statement/RateBasedStatement',
    ],
    [rule({ RateBasedStatement: { Limit: 9 } }), '/waf/rules/0/Statement/RateBasedStatement/Limit'],
    [
      rule({ RateBasedStatement: { Limit: 10, AggregateKeyType: 'FORWARDED_IP' } }),
      '/waf/rules/0/Statement/RateBasedStatement/AggregateKeyType',
    ],
    [rule({ AndStatement: { Statements: [byte({})] } }), '/waf/rules/0/Statement/AndStatement/Statements'],
    [rule(byte({}), { Action: { Captcha: {} } }), '/waf/rules/0/Action'],
    [rule(byte({}), { Action: { Block: { CustomResponse: { ResponseCode: 404 } } } }), '/waf/rules/0/Action/Block'],
    [rule(byte({}), { RuleLabels: [{ Name: 'a' }] }), '/waf/rules/0/RuleLabels'],
    [{ defaultAction: { Count: {} }, rules: [] }, '/waf/defaultAction'],
    [{ defaultAction: { Allow: {} }, rules: [], bodyInspectionLimit: 8192 }, '/waf/bodyInspectionLimit'],
  ] as [WafOptions, string][])('%j → %s', (waf, pointer) => {
    expect(configError(() => gateway(waf)).pointer).toBe(pointer)
  })

  it('refuses two rules with one priority', () => {
    const waf = {
      defaultAction: { Allow: {} },
      rules: [
        { Name: 'a', Priority: 1, Action: { Block: {} }, Statement: byte({}) },
        { Name: 'b', Priority: 1, Action: { Block: {} }, Statement: byte({}) },
      ],
    } as unknown as WafOptions
    expect(configError(() => gateway(waf)).pointer).toBe('/waf/rules/1/Priority')
  })
})
