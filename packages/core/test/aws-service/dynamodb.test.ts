// REST `AWS` integrations to DynamoDB (PutItem, GetItem, Query) against a real DynamoDB implementation, dynalite,
// started on loopback: the gateway's signed `X-Amz-Target: DynamoDB_20120810.*` requests must be accepted by it and
// its answers mapped through the integration responses' templates. The definition is written as AWS writes
// DynamoDB proxies: `action/PutItem` etc., POST, the request template building the DynamoDB JSON from the method
// request, a response template walking `Items` with #foreach.
//
// AWS documentation:
// - AWS Compute Blog, "Using Amazon API Gateway as a proxy for DynamoDB" (action/PutItem, action/Query, the
//   request and response templates): https://aws.amazon.com/blogs/compute/using-amazon-api-gateway-as-a-proxy-for-dynamodb/
// - Tutorial: Build a CRUD HTTP API with Lambda and DynamoDB (the table layout and item operations):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-dynamo-db.html
// - DynamoDB low-level API (X-Amz-Target, application/x-amz-json-1.0):
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
// - Integration responses: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '@gatehousejs/core'
import { signRequest } from '@gatehousejs/sigv4'
import { req, text } from '../helpers'

const require = createRequire(import.meta.url)
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }
let server: Server
let endpoint: string

/** A DynamoDB call signed with @gatehousejs/sigv4, as an SDK would make it (used to create the table). */
async function dynamo(action: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(endpoint)
  const payload = JSON.stringify(body)
  const signed = signRequest(
    {
      method: 'POST',
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` },
      body: payload,
    },
    credentials,
    { region: 'us-east-1', service: 'dynamodb' },
  )
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host')) as Record<string, string>
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body: payload })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const created = await dynamo('CreateTable', {
    TableName: 'Comments',
    AttributeDefinitions: [
      { AttributeName: 'pageId', AttributeType: 'S' },
      { AttributeName: 'commentId', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pageId', KeyType: 'HASH' },
      { AttributeName: 'commentId', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
  })
  expect(created.status).toBe(200)
  // createTableMs: 0 — ACTIVE on the next tick.
  for (let i = 0; i < 50; i++) {
    const d = await dynamo('DescribeTable', { TableName: 'Comments' })
    if ((d.json.Table as { TableStatus: string }).TableStatus === 'ACTIVE') break
    await new Promise((r) => setTimeout(r, 10))
  }
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const ROLE = 'arn:aws:iam::123456789012:role/APIGatewayDynamoDBServiceRole'
const action = (name: string, template: string, responses: Record<string, unknown>) => ({
  type: 'aws',
  httpMethod: 'POST',
  uri: `arn:aws:apigateway:us-east-1:dynamodb:action/${name}`,
  credentials: ROLE,
  requestTemplates: { 'application/json': template },
  passthroughBehavior: 'when_no_templates',
  responses,
})

const api = {
  openapi: '3.0.1',
  info: { title: 'comments', version: '1' },
  paths: {
    '/comments': {
      post: {
        'x-amazon-apigateway-integration': action(
          'PutItem',
          `{
    "TableName": "Comments",
    "Item": {
        "pageId": {"S": "$input.path('$.pageId')"},
        "commentId": {"S": "$input.path('$.commentId')"},
        "userName": {"S": "$input.path('$.userName')"},
        "message": {"S": "$util.escapeJavaScript($input.path('$.message'))"}
    }
}`,
          {
            '4\\d{2}': { statusCode: '400', responseTemplates: { 'application/json': `{"error": "$input.path('$.message')"}` } },
            default: { statusCode: '200', responseTemplates: { 'application/json': '{}' } },
          },
        ),
      },
    },
    '/comments/{pageId}': {
      get: {
        parameters: [{ name: 'pageId', in: 'path', required: true, schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': action(
          'Query',
          `{
    "TableName": "Comments",
    "KeyConditionExpression": "pageId = :v1",
    "ExpressionAttributeValues": {
        ":v1": {"S": "$input.params('pageId')"}
    }
}`,
          {
            default: {
              statusCode: '200',
              responseTemplates: {
                'application/json': `#set($inputRoot = $input.path('$'))
{
    "comments": [
        #foreach($elem in $inputRoot.Items) {
            "commentId": "$elem.commentId.S",
            "userName": "$elem.userName.S",
            "message": "$elem.message.S"
        }#if($foreach.hasNext),#end
        #end
    ]
}`,
              },
            },
          },
        ),
      },
    },
    '/comments/{pageId}/{commentId}': {
      get: {
        parameters: [
          { name: 'pageId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'commentId', in: 'path', required: true, schema: { type: 'string' } },
        ],
        'x-amazon-apigateway-integration': action(
          'GetItem',
          `{"TableName": "Comments", "Key": {"pageId": {"S": "$input.params('pageId')"}, "commentId": {"S": "$input.params('commentId')"}}}`,
          {
            default: {
              statusCode: '200',
              responseTemplates: {
                'application/json': `#if($input.path('$.Item') == "")#set($context.responseOverride.status = 404){"message": "not found"}#else{"userName": "$input.path('$.Item.userName.S')", "message": "$input.path('$.Item.message.S')"}#end`,
              },
            },
          },
        ),
      },
    },
  },
}

describe('DynamoDB through dynalite (PutItem, GetItem, Query)', () => {
  let gw: Gateway
  beforeAll(() => {
    gw = createGateway({ api, aws: { credentials, endpoints: { dynamodb: endpoint } }, onWarning: () => {} })
  })
  const put = (item: Record<string, string>) =>
    gw.handle(req('POST', '/comments', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(item) }))

  it('PutItem stores what the template builds: the item is in the table', async () => {
    const res = await put({ pageId: 'home', commentId: 'c1', userName: 'ana', message: 'first "quoted"' })
    expect([res.statusCode, text(res)]).toEqual([200, '{}'])
    const stored = await dynamo('GetItem', { TableName: 'Comments', Key: { pageId: { S: 'home' }, commentId: { S: 'c1' } } })
    expect(stored.json.Item).toEqual({
      pageId: { S: 'home' },
      commentId: { S: 'c1' },
      userName: { S: 'ana' },
      message: { S: 'first "quoted"' },
    })
  })

  it('GetItem answers the item through the response template; a missing item is mapped to 404', async () => {
    await put({ pageId: 'about', commentId: 'c9', userName: 'bo', message: 'hello' })
    const res = await gw.handle(req('GET', '/comments/about/c9'))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(text(res))).toEqual({ userName: 'bo', message: 'hello' })
    const missing = await gw.handle(req('GET', '/comments/about/nope'))
    expect(missing.statusCode).toBe(404)
    expect(JSON.parse(text(missing))).toEqual({ message: 'not found' })
  })

  it('Query returns every comment of a page, in key order, through #foreach', async () => {
    await put({ pageId: 'blog', commentId: 'a', userName: 'u1', message: 'm1' })
    await put({ pageId: 'blog', commentId: 'b', userName: 'u2', message: 'm2' })
    await put({ pageId: 'other', commentId: 'z', userName: 'u3', message: 'm3' })
    const res = await gw.handle(req('GET', '/comments/blog'))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(text(res))).toEqual({
      comments: [
        { commentId: 'a', userName: 'u1', message: 'm1' },
        { commentId: 'b', userName: 'u2', message: 'm2' },
      ],
    })
  })

  it("DynamoDB's 400 (a validation error) selects the 4\\d{2} integration response", async () => {
    // An empty key attribute is refused by DynamoDB with a ValidationException.
    const res = await put({ pageId: '', commentId: 'x', userName: 'u', message: 'm' })
    expect(res.statusCode).toBe(400)
    expect(JSON.parse(text(res)).error).toMatch(/empty string/i)
  })
})
