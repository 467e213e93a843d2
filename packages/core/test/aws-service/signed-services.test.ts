// REST `AWS` integrations to services whose protocols dynalite and s3rver do not cover — SQS and SNS (the query
// protocol), Step Functions and EventBridge (JSON protocols with X-Amz-Target) — and the HTTP API SQS-SendMessage
// subtype, each against a local server that verifies the request's SigV4 signature with @gatehousejs/sigv4 and
// answers as the service does. Definitions are written as AWS's tutorials write them.
//
// AWS documentation:
// - Tutorial: Create a REST API as an Amazon SQS proxy (path/{account-id}/{queue-name}, Content-Type mapped to
//   'application/x-www-form-urlencoded', template `Action=SendMessage&MessageBody=$input.body`):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-sqs.html
// - How do I use API Gateway as a proxy for another AWS service? (SNS Publish, action/Publish with TopicArn and
//   Message mapped to the query string): https://repost.aws/knowledge-center/api-gateway-proxy-integrate-service
// - Step Functions StartExecution through API Gateway (action/StartExecution, template with stateMachineArn/input):
//     https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-api-gateway.html
//     https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
// - EventBridge PutEvents (JSON 1.1, X-Amz-Target AWSEvents.PutEvents):
//     https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
// - Integration responses, selectionPattern on the status code for AWS service integrations:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
// - HTTP API subtypes and their parameters:
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
// - SigV4: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { req, text } from '../helpers'
import { ACCESS_KEY, type Answer, type Received, SECRET_KEY, startVerifyingServer, type VerifyingServer } from './verifying-server'

const credentials = { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }
const ROLE = 'arn:aws:iam::123456789012:role/apigAwsProxyRole'
const servers: VerifyingServer[] = []
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close()
})

async function server(service: string, answer: (r: Received) => Answer): Promise<VerifyingServer> {
  const s = await startVerifyingServer(service, answer)
  servers.push(s)
  return s
}

/** A Swagger 2.0 document with one POST method, as the tutorials export them. */
function swagger(path: string, integration: Record<string, unknown>, parameters: unknown[] = []): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'aws-proxy', version: '1' },
    paths: {
      [path]: {
        post: {
          parameters,
          responses: { '200': { description: '200 response' }, '404': { description: '404' } },
          'x-amazon-apigateway-integration': { credentials: ROLE, ...integration },
        },
      },
    },
  }
}

const build = (api: Record<string, unknown>, aws: GatewayInput['aws'], extra: Partial<GatewayInput> = {}) =>
  createGateway({ api, aws, onWarning: () => {}, ...extra })

describe('SQS SendMessage (tutorial: REST API as an Amazon SQS proxy)', () => {
  const integration = {
    type: 'aws',
    httpMethod: 'POST',
    uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/MyQueue',
    requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
    requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$input.body' },
    passthroughBehavior: 'never',
    responses: { default: { statusCode: '200' } },
  }

  it('sends a signed form-encoded SendMessage to the queue path and maps the XML answer through the default response', async () => {
    const sqs = await server('sqs', (r) => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<SendMessageResponse><SendMessageResult><MD5OfMessageBody>x</MD5OfMessageBody><MessageId>m-${r.params.get('MessageBody')!.length}</MessageId></SendMessageResult></SendMessageResponse>`,
    }))
    const gw = build(swagger('/', integration), { credentials, endpoints: { sqs: sqs.url } })
    const res = await gw.handle(req('POST', '/', { headers: { 'content-type': 'application/json' }, body: '{"order":42}' }))
    expect(res.statusCode).toBe(200)
    expect(text(res)).toBe(
      '<SendMessageResponse><SendMessageResult><MD5OfMessageBody>x</MD5OfMessageBody><MessageId>m-12</MessageId></SendMessageResult></SendMessageResponse>',
    )
    expect(sqs.received).toHaveLength(1)
    const got = sqs.received[0]!
    expect(got).toMatchObject({ verified: true, service: 'sqs', region: 'us-east-1', method: 'POST', path: '/123456789012/MyQueue' })
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(got.params.get('Action')).toBe('SendMessage')
    expect(got.params.get('MessageBody')).toBe('{"order":42}')
  })

  it('a queue name from a path parameter stays one path segment: it cannot reach another path or host', async () => {
    const sqs = await server('sqs', () => ({ status: 200, body: '<ok/>' }))
    const api = swagger(
      '/queues/{name}',
      {
        ...integration,
        uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/{queue}',
        requestParameters: { ...integration.requestParameters, 'integration.request.path.queue': 'method.request.path.name' },
      },
      [{ name: 'name', in: 'path', required: true, type: 'string' }],
    )
    const gw = build(api, { credentials, endpoints: { sqs: sqs.url } })
    const res = await gw.handle(
      req('POST', '/queues/a%2F..%2Fevil.example.com', { headers: { 'content-type': 'application/json' }, body: '{}' }),
    )
    // Either refused before sending, or sent as one encoded segment to the operator's endpoint: never elsewhere.
    if (res.statusCode === 200) {
      expect(sqs.received[0]!.path.startsWith('/123456789012/')).toBe(true)
      expect(sqs.received[0]!.path.split('/')).toHaveLength(3)
    } else expect(res.statusCode).toBe(400)
    const res2 = await gw.handle(req('POST', '/queues/jobs', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res2.statusCode).toBe(200)
    expect(sqs.received.at(-1)!.path).toBe('/123456789012/jobs')
  })
})

describe('SNS Publish (action style, query-string parameters)', () => {
  it('sends Action=Publish with the mapped TopicArn and Message, signed for sns', async () => {
    const sns = await server('sns', (r) => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<PublishResponse><PublishResult><MessageId>${r.query.get('Message')}</MessageId></PublishResult></PublishResponse>`,
    }))
    const api = swagger(
      '/test',
      {
        type: 'aws',
        httpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:sns:action/Publish',
        requestParameters: {
          'integration.request.querystring.Message': 'method.request.querystring.Message',
          'integration.request.querystring.TopicArn': 'method.request.querystring.TopicArn',
        },
        responses: { default: { statusCode: '200' } },
      },
      [
        { name: 'Message', in: 'query', required: true, type: 'string' },
        { name: 'TopicArn', in: 'query', required: true, type: 'string' },
      ],
    )
    const gw = build(api, { credentials, endpoints: { sns: sns.url } })
    const topic = 'arn:aws:sns:us-east-1:123456789012:alerts'
    const res = await gw.handle(req('POST', `/test?Message=${encodeURIComponent('hello world+1')}&TopicArn=${encodeURIComponent(topic)}`))
    expect(res.statusCode).toBe(200)
    const got = sns.received[0]!
    expect(got).toMatchObject({ verified: true, service: 'sns', path: '/' })
    expect(got.query.get('Action')).toBe('Publish')
    expect(got.query.get('Version')).toBe('2010-03-31')
    expect(got.query.get('TopicArn')).toBe(topic)
    expect(got.query.get('Message')).toBe('hello world+1')
    expect(text(res)).toContain('<MessageId>hello world+1</MessageId>')
  })
})

describe('Step Functions StartExecution (JSON protocol)', () => {
  const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld'
  const api = swagger('/execution', {
    type: 'aws',
    httpMethod: 'POST',
    uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
    requestTemplates: {
      'application/json': `{"input": "$util.escapeJavaScript($input.json('$'))", "stateMachineArn": "${SM}"}`,
    },
    responses: {
      '4\\d{2}': {
        statusCode: '404',
        responseTemplates: { 'application/json': `{"error": "$input.path('$.__type')"}` },
      },
      default: {
        statusCode: '200',
        responseTemplates: { 'application/json': `{"id": "$input.path('$.executionArn')"}` },
      },
    },
  })

  it('sends X-Amz-Target AWSStepFunctions.StartExecution as application/x-amz-json-1.0 and maps the answer with $input.path', async () => {
    const sfn = await server('states', (r) => {
      const body = JSON.parse(r.body) as { stateMachineArn: string; input: string }
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({
          executionArn: `${body.stateMachineArn.replace('stateMachine', 'execution')}:${JSON.parse(body.input).name}`,
          startDate: 1,
        }),
      }
    })
    const gw = build(api, { credentials, endpoints: { states: sfn.url } })
    const res = await gw.handle(req('POST', '/execution', { headers: { 'content-type': 'application/json' }, body: '{"name":"run-1"}' }))
    const got = sfn.received[0]!
    expect(got).toMatchObject({ verified: true, service: 'states', method: 'POST', path: '/' })
    expect(got.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution')
    expect(got.headers['content-type']).toBe('application/x-amz-json-1.0')
    expect(JSON.parse(got.body)).toEqual({ input: '{"name":"run-1"}', stateMachineArn: SM })
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(text(res))).toEqual({ id: 'arn:aws:states:us-east-1:123456789012:execution:HelloWorld:run-1' })
  })

  it('a 4xx from the service selects the integration response whose selectionPattern matches the status code', async () => {
    const sfn = await server('states', () => ({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: '{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist"}',
    }))
    const gw = build(api, { credentials, endpoints: { states: sfn.url } })
    const res = await gw.handle(req('POST', '/execution', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(404)
    expect(JSON.parse(text(res))).toEqual({ error: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist' })
  })
})

describe('EventBridge PutEvents (JSON 1.1)', () => {
  it('sends X-Amz-Target AWSEvents.PutEvents with the template body', async () => {
    const events = await server('events', (r) => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        FailedEntryCount: 0,
        Entries: (JSON.parse(r.body) as { Entries: unknown[] }).Entries.map((_, i) => ({ EventId: `e-${i}` })),
      }),
    }))
    const api = swagger('/events', {
      type: 'aws',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
      requestTemplates: {
        'application/json':
          '{"Entries": [{"Source": "com.example.orders", "DetailType": "OrderPlaced", "Detail": "$util.escapeJavaScript($input.json(\'$\'))", "EventBusName": "default"}]}',
      },
      responses: { default: { statusCode: '200' } },
    })
    const gw = build(api, { credentials, endpoints: { events: events.url } })
    const res = await gw.handle(req('POST', '/events', { headers: { 'content-type': 'application/json' }, body: '{"id":7}' }))
    const got = events.received[0]!
    expect(got).toMatchObject({ verified: true, service: 'events' })
    expect(got.headers['x-amz-target']).toBe('AWSEvents.PutEvents')
    expect(got.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(JSON.parse(got.body)).toEqual({
      Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{"id":7}', EventBusName: 'default' }],
    })
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(text(res))).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'e-0' }] })
  })
})

describe('HTTP API SQS-SendMessage subtype', () => {
  const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/MySqsQueue'
  const doc = (requestParameters: Record<string, string>) => ({
    openapi: '3.0.1',
    info: { title: 'sqs', version: '1' },
    'x-amazon-apigateway-importexport-version': '1.0',
    paths: {
      '/submit': {
        post: {
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            integrationSubtype: 'SQS-SendMessage',
            credentials: ROLE,
            connectionType: 'INTERNET',
            payloadFormatVersion: '1.0',
            requestParameters,
          },
        },
      },
    },
  })

  it('maps QueueUrl and MessageBody, sends a signed SendMessage to the sqs endpoint (never to the QueueUrl host), and passes the answer through', async () => {
    const sqs = await server('sqs', () => ({
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'r-1' },
      body: '<SendMessageResponse><SendMessageResult><MessageId>abc</MessageId></SendMessageResult></SendMessageResponse>',
    }))
    const gw = build(doc({ MessageBody: '$request.body', QueueUrl: QUEUE, MessageGroupId: '$request.header.x-group' }), {
      credentials,
      endpoints: { sqs: sqs.url },
    })
    const res = await gw.handle(
      req('POST', '/submit', { headers: { 'content-type': 'application/json', 'x-group': 'g1' }, body: '{"a":1}' }),
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/xml')
    expect(text(res)).toBe('<SendMessageResponse><SendMessageResult><MessageId>abc</MessageId></SendMessageResult></SendMessageResponse>')
    const got = sqs.received[0]!
    expect(got).toMatchObject({ verified: true, service: 'sqs', method: 'POST', path: '/' })
    expect(Object.fromEntries(got.params)).toEqual({
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl: QUEUE,
      MessageBody: '{"a":1}',
      MessageGroupId: 'g1',
    })
  })

  it("MessageAttributes as JSON become the query protocol's MessageAttribute.N fields", async () => {
    const sqs = await server('sqs', () => ({ status: 200, body: '<ok/>' }))
    const gw = build(doc({ MessageBody: '$request.body.text', QueueUrl: QUEUE, MessageAttributes: '$request.body.attributes' }), {
      credentials,
      endpoints: { sqs: sqs.url },
    })
    const body = JSON.stringify({ text: 'hi', attributes: { kind: { DataType: 'String', StringValue: 'order' } } })
    const res = await gw.handle(req('POST', '/submit', { headers: { 'content-type': 'application/json' }, body }))
    expect(res.statusCode).toBe(200)
    const p = sqs.received[0]!.params
    expect([
      p.get('MessageBody'),
      p.get('MessageAttribute.1.Name'),
      p.get('MessageAttribute.1.Value.DataType'),
      p.get('MessageAttribute.1.Value.StringValue'),
    ]).toEqual(['hi', 'kind', 'String', 'order'])
  })

  it("the service's error status and body reach the client as SQS gave them", async () => {
    const sqs = await server('sqs', () => ({
      status: 400,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code></Error></ErrorResponse>',
    }))
    const gw = build(doc({ MessageBody: '$request.body', QueueUrl: QUEUE }), { credentials, endpoints: { sqs: sqs.url } })
    const res = await gw.handle(req('POST', '/submit', { headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(res.statusCode).toBe(400)
    expect(text(res)).toContain('NonExistentQueue')
  })

  it('a definition missing a required parameter, or naming one the subtype does not have, is refused at build', () => {
    expect(() => build(doc({ QueueUrl: QUEUE }), { credentials })).toThrow(/requires the parameter MessageBody/)
    expect(() => build(doc({ QueueUrl: QUEUE, MessageBody: 'x', Nope: 'y' }), { credentials })).toThrow(/no parameter "Nope"/)
  })
})
