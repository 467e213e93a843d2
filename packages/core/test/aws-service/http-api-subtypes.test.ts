// Every HTTP API integration subtype AWS documents, each with its parameters mapped from the request, checked on the
// signed request the in-process service receives (service, target, protocol, body) and on the answer passed back.
//
// AWS documentation:
// - Integration subtype reference (parameters, required or not):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
// - Mapping values ($request.body.x, $request.header.x, $context.x, static):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
// - The service APIs: EventBridge PutEvents, SQS (query protocol), AppConfig GetConfiguration, Kinesis PutRecord,
//   Step Functions StartExecution / StartSyncExecution / StopExecution:
//     https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
//     https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
//     https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference/API_GetConfiguration.html
//     https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
//     https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html
import { describe, expect, it } from 'vitest'
import { createGateway, type GatewayInput } from '@gatehousejs/core'
import { verifyRequest } from '@gatehousejs/sigv4'
import { req, text } from '../helpers'

type ServiceRequest = Parameters<NonNullable<NonNullable<GatewayInput['aws']>['services']>[string]>[0]

const SECRET = 'subtype-secret'

function gateway(subtype: string, requestParameters: Record<string, string>) {
  const seen: ServiceRequest[] = []
  const verified: boolean[] = []
  const answer = async (r: ServiceRequest) => {
    seen.push(r)
    const v = await verifyRequest(r, {
      lookupSecret: () => SECRET,
      service: r.service === 'sync-states' ? 'states' : r.service,
      region: r.region,
    })
    verified.push(v.ok)
    return { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: `{"service":"${r.service}"}` }
  }
  const gw = createGateway({
    api: {
      openapi: '3.0.1',
      info: { title: 'subtypes', version: '1' },
      'x-amazon-apigateway-importexport-version': '1.0',
      paths: {
        '/go/{id}': {
          post: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              integrationSubtype: subtype,
              payloadFormatVersion: '1.0',
              requestParameters,
            },
          },
        },
      },
    },
    aws: {
      credentials: { accessKeyId: 'AKIDSUB', secretAccessKey: SECRET },
      services: { events: answer, sqs: answer, appconfig: answer, kinesis: answer, states: answer, 'sync-states': answer },
    },
    onWarning: () => {},
  })
  const send = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    gw.handle(req('POST', `/go/${id}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }))
  return { send, seen, verified }
}

const jsonBody = (r: ServiceRequest) => JSON.parse(Buffer.from(r.body).toString()) as unknown

describe('HTTP API integration subtypes', () => {
  it('EventBridge-PutEvents: one entry from Detail, DetailType, Source, Resources and EventBusName', async () => {
    const { send, seen, verified } = gateway('EventBridge-PutEvents', {
      Detail: '$request.body.detail',
      DetailType: 'OrderPlaced',
      Source: 'com.example.${request.path.id}',
      EventBusName: 'orders',
      Resources: '$request.body.resources',
    })
    const res = await send('shop', { detail: { total: 3 }, resources: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] })
    expect([res.statusCode, text(res)]).toEqual([200, '{"service":"events"}'])
    expect(verified).toEqual([true])
    expect(seen[0]!.headers['x-amz-target']).toBe('AWSEvents.PutEvents')
    expect(seen[0]!.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(jsonBody(seen[0]!)).toEqual({
      Entries: [
        {
          Source: 'com.example.shop',
          DetailType: 'OrderPlaced',
          Detail: '{"total":3}',
          EventBusName: 'orders',
          Resources: ['arn:aws:s3:::a', 'arn:aws:s3:::b'],
        },
      ],
    })
  })

  it('SQS-ReceiveMessage: list parameters become AttributeName.N', async () => {
    const { send, seen } = gateway('SQS-ReceiveMessage', {
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
      MaxNumberOfMessages: '$request.header.x-max',
      AttributeNames: 'All,SentTimestamp',
    })
    await send('x', {}, { 'x-max': '5' })
    const form = Object.fromEntries(new URLSearchParams(Buffer.from(seen[0]!.body).toString()))
    expect(form).toEqual({
      Action: 'ReceiveMessage',
      Version: '2012-11-05',
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
      MaxNumberOfMessages: '5',
      'AttributeName.1': 'All',
      'AttributeName.2': 'SentTimestamp',
    })
  })

  it('AppConfig-GetConfiguration: a GET with each value one encoded path segment; a value that is a dot segment is a 400', async () => {
    const { send, seen } = gateway('AppConfig-GetConfiguration', {
      Application: '$request.path.id',
      Environment: 'prod',
      Configuration: '$request.body.config',
      ClientId: '$context.requestId',
    })
    const res = await send('my app', { config: 'flags/v1' })
    expect(res.statusCode).toBe(200)
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/applications/my%20app/environments/prod/configurations/flags%2Fv1' })
    expect(new URLSearchParams(seen[0]!.query).get('client_id')).toMatch(/.+/)
    const dots = await send('app', { config: '..' })
    expect(dots.statusCode).toBe(400)
    expect(seen).toHaveLength(1)
  })

  it('Kinesis-PutRecord: StreamName, Data and PartitionKey as Kinesis JSON 1.1', async () => {
    const { send, seen } = gateway('Kinesis-PutRecord', {
      StreamName: 'clicks',
      Data: '$request.body.data',
      PartitionKey: '$request.path.id',
    })
    await send('user-7', { data: 'aGVsbG8=' })
    expect(seen[0]!.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecord')
    expect(jsonBody(seen[0]!)).toEqual({ StreamName: 'clicks', Data: 'aGVsbG8=', PartitionKey: 'user-7' })
  })

  it.each([
    [
      'StepFunctions-StartExecution',
      'states',
      'AWSStepFunctions.StartExecution',
      { StateMachineArn: 'arn:sm', Name: '$request.path.id', Input: '$request.body' },
      { stateMachineArn: 'arn:sm', name: 'run-1', input: '{"a":1}' },
    ],
    [
      'StepFunctions-StartSyncExecution',
      'sync-states',
      'AWSStepFunctions.StartSyncExecution',
      { StateMachineArn: 'arn:sm', Input: '$request.body' },
      { stateMachineArn: 'arn:sm', input: '{"a":1}' },
    ],
    [
      'StepFunctions-StopExecution',
      'states',
      'AWSStepFunctions.StopExecution',
      { ExecutionArn: 'arn:ex', Cause: '$request.body.a' },
      { executionArn: 'arn:ex', cause: '1' },
    ],
  ])('%s calls %s with %s', async (subtype, service, target, parameters, body) => {
    const { send, seen, verified } = gateway(subtype, parameters)
    const res = await send('run-1', { a: 1 })
    expect(res.statusCode).toBe(200)
    expect(verified).toEqual([true])
    expect(seen[0]!.service).toBe(service)
    expect(seen[0]!.url).toBe(`https://${service}.us-east-1.amazonaws.com/`)
    expect(seen[0]!.headers['x-amz-target']).toBe(target)
    expect(seen[0]!.headers['content-type']).toBe('application/x-amz-json-1.0')
    expect(jsonBody(seen[0]!)).toEqual(body)
  })
})
