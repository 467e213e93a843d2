/**
 * CloudFormation intrinsic functions left in an API definition (`{"Fn::Sub": "…"}`, `{"Ref": "…"}`,
 * `{"Fn::GetAtt": […]}`, strings with `${AWS::Region}` or `${MyFunction.Arn}` in an ARN). They are resolved by
 * CloudFormation when it deploys the template; gatehouse loads the API definition, so it refuses them naming
 * where, instead of failing later on a value it cannot read.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { GatewayConfigError, pointerToken } from '../errors'
import { isObject } from '../json'

/** Fields that hold an ARN or a URI, where a `${…}` is a substitution (`${stageVariables.x}` is API Gateway's own). */
const URI_FIELDS = new Set(['uri', 'credentials', 'authorizerUri', 'authorizerCredentials', 'providerARNs', 'Resource'])
/** Fields of the definition that are strings API Gateway evaluates itself (VTL templates may write `${x}`). */
const TEMPLATE_FIELDS = new Set(['requestTemplates', 'responseTemplates'])
/** Fields that hold example data, not definition (a schema's `example: {"Ref": "x"}` is a value). */
const DATA_FIELDS = new Set(['example', 'examples', 'enum', 'const', 'x-example', 'x-examples'])

/** How deep the scan goes: a definition is not deeper than this, and shared (YAML anchor) nodes are visited once. */
const MAX_DEPTH = 512

/** Fields naming a function: there, mapping the ARN to a handler in `functions` is the other way out. */
const FUNCTION_FIELDS = new Set(['uri', 'authorizerUri'])

function refuse(fn: string, at: string, key: string, detail = ''): never {
  const fix = FUNCTION_FIELDS.has(key)
    ? ' — or write the function ARN (or the function name) and give its handler in `functions`'
    : ' — or write the value CloudFormation would give it'
  throw new GatewayConfigError(
    'INVALID_DEFINITION',
    `CloudFormation intrinsic function \`${fn}\`${detail}: resolve it before loading (gatehouse loads the API definition, not the template)${fix}`,
    at,
  )
}

/** The intrinsic an object stands for: any `Fn::…` key, or `Ref` with a string as its only key. */
function intrinsicOf(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value)
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') return 'Ref'
  return keys.find((k) => k.startsWith('Fn::'))
}

/**
 * A `${…}` substitution of `Fn::Sub`: a pseudo parameter (`${AWS::Region}`) anywhere, and in an ARN or URI a
 * logical id or its attribute (`${CalcFunction}`, `${CalcFunction.Arn}`). Stage variables (`${stageVariables.x}`)
 * are API Gateway's own, IAM policy variables (`${aws:username}`) hold a colon, `${!x}` is `Fn::Sub`'s literal.
 */
function substitutionIn(text: string, uriField: boolean): string | undefined {
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = m[1]!
    if (name.startsWith('AWS::')) return m[0]
    if (uriField && !name.startsWith('stageVariables.') && /^[A-Za-z0-9]+(\.[A-Za-z0-9.]+)?$/.test(name)) return m[0]
  }
  return undefined
}

/**
 * Throw a `GatewayConfigError` naming the first CloudFormation intrinsic in `doc`.
 *
 * @example
 * ```ts
 * refuseIntrinsics({ paths: { '/a': { get: { 'x-amazon-apigateway-integration': { uri: { 'Fn::Sub': 'arn:…' } } } } } })
 * // throws: /paths/~1a/get/x-amazon-apigateway-integration/uri: CloudFormation intrinsic function `Fn::Sub` at …
 * ```
 */
export function refuseIntrinsics(doc: unknown): void {
  const seen = new WeakSet<object>()
  const visit = (value: unknown, at: string, key: string, depth: number, inTemplate: boolean): void => {
    if (typeof value === 'string') {
      if (inTemplate) return
      const sub = substitutionIn(value, URI_FIELDS.has(key))
      if (sub !== undefined) refuse('Fn::Sub', at, key, ` (the string holds \`${sub}\`)`)
      return
    }
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return
    seen.add(value)
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], `${at}/${i}`, key, depth + 1, inTemplate)
      return
    }
    if (!isObject(value)) return
    const fn = intrinsicOf(value)
    if (fn !== undefined) refuse(fn, at, key)
    for (const [k, v] of Object.entries(value)) {
      if (DATA_FIELDS.has(k)) continue
      visit(v, `${at}/${pointerToken(k)}`, k, depth + 1, inTemplate || TEMPLATE_FIELDS.has(k))
    }
  }
  visit(doc, '', '', 0, false)
}
