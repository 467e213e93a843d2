// A JSON→XML response mapping template from aws-samples/serverless-patterns, loaded from the SAM template as
// published and exercised.
//
// Source: aws-samples/serverless-patterns, apigw-lambda-json-xml-vtl-transformation/template.yaml, commit
// fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b (the pattern last changed in 44b98a0060a5164376764241ec3dbd63e0b2c987);
// kept verbatim as fixtures/apigw-lambda-json-xml-vtl-transformation.template.yaml. License: MIT-0 (the repository's
// LICENSE; the pattern's README: "SPDX-License-Identifier: MIT-0").
//
// The API document is the `MyApi` resource's inline `DefinitionBody` (a Swagger 2.0 document), taken out of the
// parsed SAM template by the test — no edit to the text. Its integration `uri` is a CloudFormation `!Sub`
// (`arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${MyLambdaFunction.Arn}/invocations`):
// API Gateway itself could not import that raw, so the first test asserts the refusal names the field; the others
// load the document after the substitution CloudFormation makes when it deploys the stack.
//
// AWS doc pages cited for the expected answers:
// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
//   (`Fn::Sub` / `!Sub`, `${AWS::Region}` and `${Resource.Attribute}` substitution)
// - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
//   (`DefinitionBody`: the OpenAPI document of the API, intrinsics resolved by CloudFormation)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
//   (`$input.path('$')`, `$util.parseJson()`, `$util.escapeJavaScript()`)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings.html (Velocity: `#set`, `#foreach`,
//   `#if`, `##` comments)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-response.html
//   (the `default` response: status 200, the `application/json` template; Content-Type is the template's type)
// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
//   (an `aws` integration hands the function's result, JSON-serialised, to the integration response)
//
// The function is written from the pattern's README ("we have hardcoded the response in Lambda"; the template reads
// a `body` JSON string holding `petDetails` (a map), `category.name` and `tags` of `{name, value}`), not copied.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createGateway, type GatewayWarning, type LambdaHandler } from '@gatehousejs/core'
import { configError, header, req, text } from '../../packages/core/test/helpers'

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'

/** The SAM template, parsed with CloudFormation's short-form tags read as the long forms they stand for. */
function samTemplate(): any {
  const src = readFileSync(new URL('./fixtures/apigw-lambda-json-xml-vtl-transformation.template.yaml', import.meta.url), 'utf8')
  return parse(src, {
    customTags: [
      { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
      { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
      { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
    ],
  })
}

/** The API document: `Resources.MyApi.Properties.DefinitionBody`, as SAM hands it to API Gateway. */
const definitionBody = () => samTemplate().Resources.MyApi.Properties.DefinitionBody

/**
 * What CloudFormation does to the document before API Gateway sees it, for the intrinsics this template uses:
 * a `{ "Fn::Sub": "…" }` becomes its string with `${AWS::Region}` replaced by the stack's region and
 * `${Function.Arn}` by the ARN of the function resource of that name (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`;
 * this template sets `FunctionName: MyLambdaFunction`). Anything else is copied.
 */
function substituteIntrinsics(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(substituteIntrinsics)
  if (node === null || typeof node !== 'object') return node
  const entries = Object.entries(node)
  if (entries.length === 1 && entries[0]?.[0] === 'Fn::Sub' && typeof entries[0][1] === 'string') {
    return entries[0][1].replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'AWS::Region') return REGION
      if (name === 'AWS::AccountId') return ACCOUNT
      const arn = /^([A-Za-z0-9]+)\.Arn$/.exec(name)
      if (arn) return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${arn[1]}`
      throw new Error(`no substitution for \${${name}} in this test`)
    })
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, substituteIntrinsics(v)]))
}

interface Pet {
  petDetails: Record<string, string>
  category: { id: number; name: string }
  tags: { name: string; value?: string }[]
}

/** A function answering one hard-coded pet, as the pattern's does: a status and a `body` JSON string. */
const petFunction =
  (pet: Pet): LambdaHandler =>
  async () => ({ statusCode: 200, body: JSON.stringify(pet) })

function load(fn: LambdaHandler, strict = false) {
  const warnings: GatewayWarning[] = []
  const gateway = createGateway({
    api: substituteIntrinsics(definitionBody()) as Record<string, unknown>,
    functions: { MyLambdaFunction: fn },
    strict,
    onWarning: (w) => warnings.push(w),
  })
  return { gateway, warnings }
}

/**
 * The template's lines are indented and end in `##` so the XML comes out (nearly) on one line; how much of each
 * directive line's indentation Velocity keeps is not something AWS documents, so the whitespace between tags is
 * dropped before comparing. Whitespace inside a tag is compared as it is.
 */
const betweenTags = (xml: string) => xml.replace(/>\s+</g, '><').trim()

const collie: Pet = {
  petDetails: { action: 'RETRIEVE', status: 'available' },
  category: { id: 7, name: 'dogs' },
  tags: [
    { name: 'breed', value: 'collie' },
    { name: 'note', value: `it's "good"` },
  ],
}

describe('loading the DefinitionBody', () => {
  it('raw, the `!Sub` uri is refused naming the field and saying to resolve the intrinsic', () => {
    const err = configError(() =>
      createGateway({ api: definitionBody(), functions: { MyLambdaFunction: petFunction(collie) }, onWarning: () => {} }),
    )
    expect(err.pointer).toBe('/paths/~1details/get/x-amazon-apigateway-integration/uri')
    expect(err.message).toContain('Fn::Sub')
    expect(err.message).toMatch(/resolve it before loading/)
  })

  it('after substitution, loads with only MyLambdaFunction registered and no warning; strict accepts it too', () => {
    const { warnings } = load(petFunction(collie))
    expect(warnings).toEqual([])
    expect(() => load(petFunction(collie), true)).not.toThrow()
  })
})

describe('GET /details: the function result turned into XML by the response template', () => {
  it('renders the pet as XML under the application/json template, status 200', async () => {
    const { gateway } = load(petFunction(collie))
    const res = await gateway.handle(req('GET', '/details'))
    expect(res.statusCode).toBe(200)
    // The template is the integration response's `application/json` one: that is the Content-Type sent.
    expect(header(res, 'content-type')).toBe('application/json')
    const body = text(res)
    expect(body.trimStart().startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true)
    // The two `##` comment lines at the top print nothing.
    expect(body).not.toContain('See http')
    expect(body).not.toContain('#set')
    expect(betweenTags(body)).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<getPetDetails>' +
        '<response  action="RETRIEVE" status="available"/>' +
        '<category name="dogs"/>' +
        '<tags>' +
        '<tag name = "breed">collie</tag>' +
        // $util.escapeJavaScript escapes both quote characters
        `<tag name = "note">it\\'s \\"good\\"</tag>` +
        '</tags>' +
        '</getPetDetails>',
    )
  })

  it('every petDetails key becomes an attribute, in the order of the JSON object', async () => {
    const pet: Pet = { ...collie, petDetails: { status: 'sold', action: 'UPDATE', store: 'north' } }
    const { gateway } = load(petFunction(pet))
    const res = await gateway.handle(req('GET', '/details'))
    expect(betweenTags(text(res))).toContain('<response  status="sold" action="UPDATE" store="north"/>')
  })

  it('no tags → the #else branch: <tags/>', async () => {
    const { gateway } = load(petFunction({ ...collie, tags: [] }))
    const res = await gateway.handle(req('GET', '/details'))
    expect(betweenTags(text(res))).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<getPetDetails>' +
        '<response  action="RETRIEVE" status="available"/>' +
        '<category name="dogs"/>' +
        '<tags/>' +
        '</getPetDetails>',
    )
  })

  it('a tag without a value prints an empty element (a null reference prints nothing on API Gateway)', async () => {
    // packages/vtl/README.md, "Null rendering (AWS)".
    const { gateway } = load(petFunction({ ...collie, tags: [{ name: 'doggie' }] }))
    const res = await gateway.handle(req('GET', '/details'))
    expect(betweenTags(text(res))).toContain('<tags><tag name = "doggie"></tag></tags>')
  })

  it('the method is GET only: POST /details → 403 {"message":"Missing Authentication Token"}', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
    const { gateway } = load(petFunction(collie))
    const res = await gateway.handle(req('POST', '/details'))
    expect(res.statusCode).toBe(403)
    expect(JSON.parse(text(res))).toEqual({ message: 'Missing Authentication Token' })
  })
})
