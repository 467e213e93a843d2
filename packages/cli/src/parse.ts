/**
 * Reading a definition file: JSON or YAML, with CloudFormation's short intrinsic tags (`!Ref`, `!Sub`, …) read as
 * their long forms (`{ Ref: … }`, `{ "Fn::Sub": … }`), and deciding what the document is.
 */
import { readFileSync } from 'node:fs'
import { parse as parseYaml, type Scalar, type ScalarTag, type CollectionTag, type YAMLMap, type YAMLSeq } from 'yaml'

/** The short tags CloudFormation accepts in YAML, each with the long form it stands for. */
const SHORT_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
}

const CFN_TAGS: (ScalarTag | CollectionTag)[] = Object.entries(SHORT_TAGS).flatMap(([short, long]) => [
  {
    tag: `!${short}`,
    // `!GetAtt Fn.Arn` is the scalar spelling of `Fn::GetAtt: [Fn, Arn]`.
    resolve: (value: string) => ({ [long]: long === 'Fn::GetAtt' ? splitGetAtt(value) : value }),
  } satisfies ScalarTag,
  {
    tag: `!${short}`,
    collection: 'seq',
    resolve: (seq: YAMLSeq.Parsed) => ({ [long]: seq.toJSON() }) as unknown as Scalar,
  } as unknown as CollectionTag,
  {
    tag: `!${short}`,
    collection: 'map',
    resolve: (map: YAMLMap.Parsed) => ({ [long]: map.toJSON() }) as unknown as Scalar,
  } as unknown as CollectionTag,
])

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.')
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)]
}

/**
 * Parse a definition's text: JSON when it is JSON, YAML (1.2 core schema, CloudFormation tags) otherwise.
 *
 * @example
 * ```ts
 * parseDefinitionText('Resources:\n  A:\n    Properties:\n      Arn: !GetAtt Fn.Arn\n', 'template.yaml')
 * // { Resources: { A: { Properties: { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } } } }
 * ```
 */
export function parseDefinitionText(text: string, file: string): Record<string, unknown> {
  const trimmed = text.trimStart()
  let doc: unknown
  if (trimmed.startsWith('{')) {
    doc = JSON.parse(text)
  } else {
    doc = parseYaml(text, { customTags: CFN_TAGS, prettyErrors: true, uniqueKeys: true, maxAliasCount: 1000 })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${file}: not a definition (expected an object at the top level)`)
  }
  return doc as Record<string, unknown>
}

/** Read and parse a file (see {@link parseDefinitionText}). */
export function readDefinitionFile(file: string): Record<string, unknown> {
  return parseDefinitionText(readFileSync(file, 'utf8'), file)
}

/** What a document is: an OpenAPI 3 / Swagger 2 document, or a SAM / CloudFormation template. */
export type DocumentKind = 'openapi' | 'template'

/**
 * Tell an OpenAPI document from a SAM / CloudFormation template; anything else is refused.
 *
 * @example
 * ```ts
 * documentKind({ openapi: '3.0.1', paths: {} }) // 'openapi'
 * documentKind({ Transform: 'AWS::Serverless-2016-10-31', Resources: {} }) // 'template'
 * ```
 */
export function documentKind(doc: Record<string, unknown>): DocumentKind {
  // YAML reads an unquoted `swagger: 2.0` / `openapi: 3.0` as a number; API Gateway's importer accepts it.
  if (['string', 'number'].includes(typeof doc.openapi) || ['string', 'number'].includes(typeof doc.swagger)) return 'openapi'
  const transform = doc.Transform
  const transforms = Array.isArray(transform) ? transform : [transform]
  if (transforms.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless'))) return 'template'
  const resources = doc.Resources
  if (resources !== null && typeof resources === 'object') {
    const types = Object.values(resources as Record<string, { Type?: unknown }>).map((r) => String(r?.Type ?? ''))
    if (types.some((t) => t.startsWith('AWS::Serverless::') || t === 'AWS::ApiGateway::RestApi' || t === 'AWS::ApiGatewayV2::Api')) {
      return 'template'
    }
  }
  throw new Error(
    'not an OpenAPI 3 / Swagger 2 document (no `openapi` or `swagger` field) nor a SAM / CloudFormation template ' +
      '(no `Transform: AWS::Serverless-2016-10-31`, no AWS::Serverless::*, AWS::ApiGateway::RestApi or AWS::ApiGatewayV2::Api resource)',
  )
}
