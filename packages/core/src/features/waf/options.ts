/**
 * The `waf` option's types: a web ACL in AWS WAF's JSON words (`Name`, `Priority`, `Action`, `Statement`, …), so
 * rules copied from the AWS WAF console's JSON editor or a CloudFormation template paste in. Types only.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-list.html
 */

/** An empty action body, as AWS's JSON writes `{ "Block": {} }`. */
export type WafEmpty = Record<string, never>

/**
 * What a rule does when its statement matches: `Allow` and `Block` end the evaluation, `Count` only counts
 * (reported through {@link WafOptions.onMatch}) and evaluation goes on.
 *
 * @example
 * ```ts
 * import type { WafRuleAction } from '@gatehousejs/core'
 * const block: WafRuleAction = { Block: {} }
 * ```
 */
export type WafRuleAction = { Allow: WafEmpty } | { Block: WafEmpty } | { Count: WafEmpty }

/**
 * A text transformation, applied in `Priority` order (lowest first) before the statement inspects the field.
 * Supported types: `NONE`, `LOWERCASE`, `UPPERCASE`, `COMPRESS_WHITE_SPACE`, `HTML_ENTITY_DECODE`, `URL_DECODE`,
 * `BASE64_DECODE`, `BASE64_DECODE_EXT`, `HEX_DECODE`, `CMD_LINE`, `REMOVE_NULLS`, `REPLACE_NULLS`,
 * `REMOVE_WHITESPACE`, `TRIM`, `TRIM_LEFT`, `TRIM_RIGHT`; any other type is refused when the gateway is built.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 *
 * @example
 * ```ts
 * import type { WafTextTransformation } from '@gatehousejs/core'
 * const t: WafTextTransformation[] = [{ Priority: 0, Type: 'URL_DECODE' }, { Priority: 1, Type: 'LOWERCASE' }]
 * ```
 */
export interface WafTextTransformation {
  Priority: number
  Type: string
}

/**
 * The part of the request a statement inspects: exactly one key.
 * `SingleHeader` and `SingleQueryArgument` names are case-insensitive; every occurrence of a repeated header or
 * query argument is inspected and one match is enough. A missing header or query argument makes the statement
 * not match. `Body` is inspected up to {@link WafOptions.bodyInspectionLimit} bytes.
 *
 * @example
 * ```ts
 * import type { WafFieldToMatch } from '@gatehousejs/core'
 * const ua: WafFieldToMatch = { SingleHeader: { Name: 'user-agent' } }
 * ```
 */
export type WafFieldToMatch =
  | { UriPath: WafEmpty }
  | { QueryString: WafEmpty }
  | { Method: WafEmpty }
  | { SingleHeader: { Name: string } }
  | { SingleQueryArgument: { Name: string } }
  | { Body: { OversizeHandling?: 'CONTINUE' | 'MATCH' | 'NO_MATCH' } }

/**
 * A rule statement. Supported: `IPSetReferenceStatement` (an `ARN` from {@link WafOptions.ipSets}, or inline
 * `Addresses`), `ByteMatchStatement`, `RegexMatchStatement`, `SizeConstraintStatement`, `RateBasedStatement` (a
 * rule's top-level statement only, as on AWS), `AndStatement`, `OrStatement`, `NotStatement`.
 *
 * @example
 * ```ts
 * import type { WafStatement } from '@gatehousejs/core'
 * const badBot: WafStatement = {
 *   ByteMatchStatement: {
 *     SearchString: 'badbot',
 *     FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
 *     PositionalConstraint: 'CONTAINS',
 *     TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
 *   },
 * }
 * ```
 */
export type WafStatement =
  | { IPSetReferenceStatement: { ARN: string } | { Addresses: readonly string[] } }
  | {
      ByteMatchStatement: {
        SearchString?: string
        SearchStringBase64?: string
        FieldToMatch: WafFieldToMatch
        PositionalConstraint: 'EXACTLY' | 'STARTS_WITH' | 'ENDS_WITH' | 'CONTAINS' | 'CONTAINS_WORD'
        TextTransformations: readonly WafTextTransformation[]
      }
    }
  | { RegexMatchStatement: { RegexString: string; FieldToMatch: WafFieldToMatch; TextTransformations: readonly WafTextTransformation[] } }
  | {
      SizeConstraintStatement: {
        FieldToMatch: WafFieldToMatch
        ComparisonOperator: 'EQ' | 'NE' | 'LE' | 'LT' | 'GE' | 'GT'
        Size: number
        TextTransformations: readonly WafTextTransformation[]
      }
    }
  | {
      RateBasedStatement: {
        Limit: number
        AggregateKeyType?: 'IP'
        EvaluationWindowSec?: 60 | 120 | 300 | 600
        ScopeDownStatement?: WafStatement
      }
    }
  | { AndStatement: { Statements: readonly WafStatement[] } }
  | { OrStatement: { Statements: readonly WafStatement[] } }
  | { NotStatement: { Statement: WafStatement } }

/**
 * One rule of the web ACL. `VisibilityConfig` is accepted and ignored (gatehouse has no CloudWatch metrics).
 *
 * @example
 * ```ts
 * import type { WafRule } from '@gatehousejs/core'
 * const rule: WafRule = {
 *   Name: 'block-office',
 *   Priority: 0,
 *   Action: { Block: {} },
 *   Statement: { IPSetReferenceStatement: { Addresses: ['192.0.2.0/24'] } },
 * }
 * ```
 */
export interface WafRule {
  Name: string
  Priority: number
  Action: WafRuleAction
  Statement: WafStatement
  VisibilityConfig?: unknown
}

/** The action a rule took, as {@link WafOptions.onMatch} reports it. */
export type WafActionName = 'ALLOW' | 'BLOCK' | 'COUNT'

/**
 * A web ACL associated with the stage (the `waf` option): its rules run by `Priority` before anything else of the
 * request; the first matching `Allow` or `Block` rule decides, `Count` rules only count, and with no decision the
 * `defaultAction` applies. A blocked request gets the `WAF_FILTERED` gateway response (403
 * `{"message":"Forbidden"}`, customisable like every gateway response).
 *
 * @example
 * ```ts
 * import { createGateway, type WafOptions } from '@gatehousejs/core'
 * const counts = new Map<string, number>()
 * const waf: WafOptions = {
 *   defaultAction: { Allow: {} },
 *   rules: [
 *     { Name: 'no-scanners', Priority: 0, Action: { Block: {} }, Statement: { IPSetReferenceStatement: { Addresses: ['198.51.100.0/24'] } } },
 *     { Name: 'per-ip', Priority: 1, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } },
 *   ],
 *   onMatch: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
 * }
 * const gw = createGateway({
 *   api: { resources: { '/pets': { GET: { integration: { type: 'MOCK' } } } } },
 *   waf,
 * })
 * ;(await gw.handle({ method: 'GET', path: '/pets', headers: {}, sourceIp: '198.51.100.9' })).statusCode // 403
 * ```
 */
export interface WafOptions {
  /** What happens to a request no `Allow` or `Block` rule decided. `DefaultAction` (AWS's spelling) is read too. */
  defaultAction: { Allow: WafEmpty } | { Block: WafEmpty }
  /** The rules, evaluated by ascending `Priority` (unique). `Rules` (AWS's spelling) is read too. */
  rules: readonly WafRule[]
  /** IP sets that `IPSetReferenceStatement`s name by `ARN`: CIDR blocks, IPv4 or IPv6 (an IP set's `Addresses`). */
  ipSets?: Record<string, readonly string[]>
  /**
   * Bytes of the body inspected (AWS's `API_GATEWAY` body inspection size limit): 16384 (default, 16 KB), 32768,
   * 49152 or 65536. A larger body is handled by each statement's `OversizeHandling`.
   */
  bodyInspectionLimit?: 16384 | 32768 | 49152 | 65536
  /** Called every time a rule matches, with the action it took (`COUNT` rules included). */
  onMatch?: (ruleName: string, action: WafActionName) => void
}
