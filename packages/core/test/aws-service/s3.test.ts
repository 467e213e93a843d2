// REST `AWS` integrations to S3 in path style (`path/{bucket}/{object}`, path parameters mapped from the method's
// `{folder}`/`{item}`, Content-Type mapped both ways) against a real S3 implementation, s3rver, started on loopback.
// s3rver checks the request's access key id (S3RVER) but not the V4 signature: the same definition is also run
// against an in-process `s3` service that verifies each signature with @gatehousejs/sigv4 (S3's variant: the path
// signed as sent, x-amz-content-sha256).
//
// AWS documentation:
// - Tutorial: Create a REST API as an Amazon S3 proxy (resources /{folder}/{item}, GET and PUT, requestParameters
//   integration.request.path.bucket ← method.request.path.folder, integration.request.path.object ←
//   method.request.path.item, Content-Type mappings):
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/integrating-api-with-aws-services-s3.html
//     https://docs.aws.amazon.com/apigateway/latest/developerguide/api-as-s3-proxy-export-swagger-with-extensions.html
// - SigV4 for S3 (x-amz-content-sha256, no path normalisation):
//     https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '@gatehousejs/core'
import { verifyRequest } from '@gatehousejs/sigv4'
import { req, text } from '../helpers'

const require = createRequire(import.meta.url)
interface S3rverInstance {
  run(): Promise<AddressInfo>
  close(): Promise<void>
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance

const ROLE = 'arn:aws:iam::123456789012:role/APIGatewayS3ProxyRole'
const directory = mkdtempSync(join(tmpdir(), 'gatehouse-s3-'))
let s3: S3rverInstance
let endpoint: string

beforeAll(async () => {
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'apig-demo' }] })
  const { port } = await s3.run()
  endpoint = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  await s3.close()
  rmSync(directory, { recursive: true, force: true })
})

const itemParameters = [
  { name: 'Content-Type', in: 'header', required: false, type: 'string' },
  { name: 'item', in: 'path', required: true, type: 'string' },
  { name: 'folder', in: 'path', required: true, type: 'string' },
]

/** The tutorial's /{folder}/{item} resource, as its exported Swagger writes it. */
const api = {
  swagger: '2.0',
  info: { title: 'MyS3', version: '2016-10-13T23:04:43Z' },
  basePath: '/S3',
  schemes: ['https'],
  paths: {
    '/{folder}/{item}': {
      get: {
        produces: ['application/json'],
        parameters: itemParameters,
        responses: {
          '200': { description: '200 response', headers: { 'content-type': { type: 'string' }, 'Content-Type': { type: 'string' } } },
          '400': { description: '400 response' },
          '500': { description: '500 response' },
        },
        'x-amazon-apigateway-integration': {
          credentials: ROLE,
          responses: {
            '4\\d{2}': { statusCode: '400' },
            default: {
              statusCode: '200',
              responseParameters: {
                'method.response.header.content-type': 'integration.response.header.content-type',
                'method.response.header.Content-Type': 'integration.response.header.Content-Type',
              },
            },
            '5\\d{2}': { statusCode: '500' },
          },
          requestParameters: {
            'integration.request.path.object': 'method.request.path.item',
            'integration.request.path.bucket': 'method.request.path.folder',
          },
          uri: 'arn:aws:apigateway:us-west-2:s3:path/{bucket}/{object}',
          passthroughBehavior: 'when_no_match',
          httpMethod: 'GET',
          type: 'aws',
        },
      },
      put: {
        produces: ['application/json'],
        parameters: itemParameters,
        responses: {
          '200': { description: '200 response', headers: { 'Content-Length': { type: 'string' }, 'Content-Type': { type: 'string' } } },
          '400': { description: '400 response' },
          '500': { description: '500 response' },
        },
        'x-amazon-apigateway-integration': {
          credentials: ROLE,
          responses: {
            '4\\d{2}': { statusCode: '400' },
            default: {
              statusCode: '200',
              responseParameters: {
                'method.response.header.Content-Type': 'integration.response.header.Content-Type',
                'method.response.header.Content-Length': 'integration.response.header.Content-Length',
              },
            },
            '5\\d{2}': { statusCode: '500' },
          },
          requestParameters: {
            'integration.request.path.object': 'method.request.path.item',
            'integration.request.header.x-amz-acl': "'authenticated-read'",
            'integration.request.path.bucket': 'method.request.path.folder',
            'integration.request.header.Content-Type': 'method.request.header.Content-Type',
          },
          uri: 'arn:aws:apigateway:us-west-2:s3:path/{bucket}/{object}',
          passthroughBehavior: 'when_no_match',
          httpMethod: 'PUT',
          type: 'aws',
        },
      },
    },
  },
}

describe('S3 proxy through s3rver (PUT and GET object)', () => {
  let gw: Gateway
  beforeAll(() => {
    gw = createGateway({
      api,
      region: 'us-west-2',
      aws: { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, endpoints: { s3: endpoint } },
      onWarning: () => {},
    })
  })

  it('PUT stores the body under {folder}/{item} with its Content-Type; GET answers it back with that Content-Type', async () => {
    const put = await gw.handle(
      req('PUT', '/apig-demo/notes.txt', { headers: { 'content-type': 'text/plain' }, body: 'Hello from the gateway' }),
    )
    expect(put.statusCode).toBe(200)
    // The object is really in s3rver: read it directly.
    const direct = await fetch(`${endpoint}/apig-demo/notes.txt`)
    expect(direct.status).toBe(200)
    expect(await direct.text()).toBe('Hello from the gateway')
    expect(direct.headers.get('content-type')).toBe('text/plain')

    const get = await gw.handle(req('GET', '/apig-demo/notes.txt'))
    expect(get.statusCode).toBe(200)
    expect(text(get)).toBe('Hello from the gateway')
    expect(get.headers['Content-Type'] ?? get.headers['content-type']).toBe('text/plain')
  })

  it('a key with spaces and a slash stays one object name (percent-encoded), signed as S3 signs paths', async () => {
    const put = await gw.handle(
      req('PUT', '/apig-demo/my%20report%2F2024.json', { headers: { 'content-type': 'application/json' }, body: '{"total":3}' }),
    )
    expect(put.statusCode).toBe(200)
    const get = await gw.handle(req('GET', '/apig-demo/my%20report%2F2024.json'))
    expect([get.statusCode, text(get)]).toEqual([200, '{"total":3}'])
  })

  it("a missing object: S3's 404 selects the 4\\d{2} integration response", async () => {
    const get = await gw.handle(req('GET', '/apig-demo/absent.txt'))
    expect(get.statusCode).toBe(400)
    expect(text(get)).toContain('NoSuchKey')
  })

  it('an access key s3rver does not know is refused (403 InvalidAccessKeyId), which the 4\\d{2} response maps', async () => {
    const wrong = createGateway({
      api,
      region: 'us-west-2',
      aws: { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'S3RVER' }, endpoints: { s3: endpoint } },
      onWarning: () => {},
    })
    const get = await wrong.handle(req('GET', '/apig-demo/notes.txt'))
    expect(get.statusCode).toBe(400)
    expect(text(get)).toContain('InvalidAccessKeyId')
  })

  // s3rver checks the access key but not the V4 signature itself: the same requests, answered in process, are
  // verified with @gatehousejs/sigv4 (S3's rules: the path signed as sent, the payload hash in x-amz-content-sha256).
  it('the signature of each S3 request verifies as S3 checks it (in-process s3 service)', async () => {
    const outcomes: unknown[] = []
    const objects = new Map<string, { type: string; body: Uint8Array }>()
    const inProcess = createGateway({
      api,
      region: 'us-west-2',
      aws: {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        services: {
          s3: async (request) => {
            const v = await verifyRequest(request, { lookupSecret: () => 'secret', service: 's3', region: 'us-west-2' })
            outcomes.push(v.ok ? 'ok' : v.reason)
            if (!v.ok) return { statusCode: 403, body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' }
            if (request.method === 'PUT') {
              objects.set(request.path, { type: request.headers['content-type'] ?? '', body: request.body })
              return { statusCode: 200, headers: { etag: '"1"' } }
            }
            const o = objects.get(request.path)
            return o
              ? { statusCode: 200, headers: { 'Content-Type': o.type }, body: o.body }
              : { statusCode: 404, body: '<Error><Code>NoSuchKey</Code></Error>' }
          },
        },
      },
      onWarning: () => {},
    })
    const put = await inProcess.handle(req('PUT', '/apig-demo/a%20b.csv', { headers: { 'content-type': 'text/csv' }, body: 'x,y\n1,2' }))
    const get = await inProcess.handle(req('GET', '/apig-demo/a%20b.csv'))
    expect(outcomes).toEqual(['ok', 'ok'])
    expect([put.statusCode, get.statusCode, text(get)]).toEqual([200, 200, 'x,y\n1,2'])
    expect(get.headers['Content-Type'] ?? get.headers['content-type']).toBe('text/csv')
    expect([...objects.keys()]).toEqual(['/apig-demo/a%20b.csv'])
  })
})
