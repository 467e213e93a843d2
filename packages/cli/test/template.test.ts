/**
 * The template loader on its own: CloudFormation's short YAML tags, intrinsic functions, Globals, conditions, the
 * implicit APIs SAM forms from events, and the warnings for what is not run. Semantics from the CloudFormation
 * intrinsic function reference (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html)
 * and SAM's Globals and event sources (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html,
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html).
 */
import { describe, expect, it } from 'vitest'
import { documentKind, parseDefinitionText } from '../src/parse'
import { loadTemplate } from '../src/sam'

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: beta }
  Origins: { Type: CommaDelimitedList, Default: "a,b" }
Conditions:
  IsBeta: !Equals [!Ref Stage, beta]
  NotBeta: !Not [!Condition IsBeta]
Globals:
  Function:
    Runtime: nodejs20.x
    Environment: { Variables: { SHARED: one, OVERRIDDEN: global } }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      FunctionName: !Sub 'orders-\${Stage}'
      Environment:
        Variables:
          OVERRIDDEN: own
          JOINED: !Join ['-', [!Ref Stage, !Select [1, !Ref Origins], !Ref 'AWS::Region']]
          CHOSEN: !If [NotBeta, prod-value, beta-value]
          LITERAL: !Sub '\${!NotResolved}'
          ARN: !Sub ['\${Arn}/x', { Arn: !GetAtt Fn.Arn }]
      Events:
        Rest: { Type: Api, Properties: { Path: /orders, Method: post } }
        Http: { Type: HttpApi }
        Queue: { Type: SQS, Properties: { Queue: arn:aws:sqs:us-east-1:1:q } }
  Py:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        Get: { Type: Api, Properties: { Path: /py, Method: get } }
  OnlyInProd:
    Type: AWS::SNS::Topic
    Condition: NotBeta
`

describe('parseDefinitionText and documentKind', () => {
  it('reads the short tags as their long forms, scalar and sequence alike', () => {
    const doc = parseDefinitionText(
      'A: !Ref X\nB: !GetAtt Fn.Arn\nC: !Sub [ "${a}", { a: 1 } ]\nD: !If [Cond, !Ref Y, !Ref AWS::NoValue]\n',
      't.yaml',
    )
    expect(doc).toEqual({
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      C: { 'Fn::Sub': ['${a}', { a: 1 }] },
      D: { 'Fn::If': ['Cond', { Ref: 'Y' }, { Ref: 'AWS::NoValue' }] },
    })
  })

  it('tells documents apart and refuses anything else', () => {
    expect(documentKind({ swagger: '2.0' })).toBe('openapi')
    expect(documentKind({ Resources: { A: { Type: 'AWS::ApiGateway::RestApi' } } })).toBe('template')
    expect(() => documentKind({ Resources: { A: { Type: 'AWS::S3::Bucket' } } })).toThrow(/not an OpenAPI 3/)
  })
})

describe('loadTemplate', () => {
  const warnings: string[] = []
  const project = loadTemplate(parseDefinitionText(TEMPLATE, 'template.yaml'), '/app/template.yaml', { warn: (m) => warnings.push(m) })

  it('resolves Globals and intrinsics into the function', () => {
    const fn = project.functions.find((f) => f.logicalId === 'Fn')
    expect(fn).toMatchObject({
      name: 'orders-beta',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-beta',
      codeDir: '/app/src',
      handler: 'app.handler',
      timeoutSeconds: 3,
    })
    expect(fn?.environment).toEqual({
      SHARED: 'one',
      OVERRIDDEN: 'own',
      JOINED: 'beta-b-us-east-1',
      CHOSEN: 'beta-value',
      LITERAL: '${NotResolved}',
      ARN: 'arn:aws:lambda:us-east-1:123456789012:function:orders-beta/x',
    })
  })

  it('forms the implicit REST and HTTP APIs from events', () => {
    const rest = project.apis.find((a) => a.logicalId === 'ServerlessRestApi')
    expect(rest?.apiType).toBe('REST')
    expect(rest?.stage.stageName).toBe('Prod')
    const post = ((rest?.document.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>)['/orders']?.post
    expect(post?.['x-amazon-apigateway-integration']).toEqual({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders-beta/invocations',
    })
    const http = project.apis.find((a) => a.logicalId === 'ServerlessHttpApi')
    expect(http?.apiType).toBe('HTTP')
    expect(Object.keys(http?.document.paths as object)).toEqual(['$default'])
  })

  it('keeps functions it cannot run as skipped, and warns about everything it does not act on', () => {
    expect(project.skipped).toEqual([expect.objectContaining({ logicalId: 'Py', reason: expect.stringMatching(/python3\.12/) })])
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Events\/Queue: SQS events are not run locally/),
        expect.stringMatching(/\/Resources\/Py: runtime python3\.12 is not run locally/),
      ]),
    )
    // A resource whose condition is false is not read at all (no warning for the SNS topic).
    expect(warnings.some((w) => w.includes('OnlyInProd'))).toBe(false)
  })

  it('honours parameter overrides and --stage', () => {
    const other = loadTemplate(parseDefinitionText(TEMPLATE, 'template.yaml'), '/app/template.yaml', {
      warn: () => {},
      parameterOverrides: { Stage: 'prod' },
      stageName: 'local',
    })
    expect(other.functions.find((f) => f.logicalId === 'Fn')?.environment.CHOSEN).toBe('prod-value')
    expect(other.apis.map((a) => a.stage.stageName)).toEqual(['local', 'local'])
  })
})
