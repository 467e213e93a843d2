/**
 * Execution logs never show a secret, and cut long lines as API Gateway does.
 * - "API Gateway redacts authorization headers, API key values, and similar sensitive request parameters from the
 *   logged data"; "Log events are truncated at 1 KB":
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
 * - Masked values as AWS prints them (`Authorization=****…27f552`, truncated events ending in ` [TRUNCATED]`): the
 *   TestInvokeMethod log quoted in the Lambda developer guide's API Gateway tutorial sample output and a console
 *   test-invoke log quoted in a public question (see lines.test.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { captureExecutionLog, enableExecutionLogCapture, type GatewayRequest } from '@gatehousejs/core'
import { mask, requestSecrets, truncate } from '../../src/features/execution-log/redact'
import { fnUri, logged, recorder } from './helpers'

/** A Lambda proxy route whose function echoes the event (so every secret reaches the endpoint body and the response). */
function echoGateway(logger: ReturnType<typeof recorder>['logger'], extra: Record<string, unknown> = {}) {
  return logged({
    api: {
      authorizers: {
        req: {
          type: 'REQUEST',
          authorizerUri: fnUri('auth'),
          identitySource: 'method.request.querystring.token',
          authorizerResultTtlInSeconds: 0,
        },
      },
      resources: {
        '/echo': { POST: { integration: { type: 'AWS_PROXY', uri: fnUri('echo') } } },
        '/guarded': { POST: { authorizationType: 'CUSTOM', authorizer: 'req', integration: { type: 'AWS_PROXY', uri: fnUri('echo') } } },
      },
    },
    functions: {
      echo: async (event: any) => ({
        statusCode: 200,
        headers: { 'set-cookie': event.headers?.Cookie ?? 'none' },
        body: JSON.stringify(event),
      }),
      auth: async (event: any) => ({
        principalId: 'p',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
        },
      }),
    },
    logger,
    ...extra,
  })
}

const everything = (log: ReturnType<typeof recorder>) => log.calls.map((c) => `${c.msg} ${JSON.stringify(c.fields)}`).join('\n')

describe('redaction', () => {
  const SECRETS = {
    bearer: 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.s1gn4tur3',
    apiKey: 'k3yV4lue0123456789abcdefXYZ',
    cookie: 'sessionid9f8e7d6c5b4a',
    session: 'IQoJb3JpZ2luX2VjEA8aCXVzLWVhc3QtMSJGMEQCICFPa9',
    signature: 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
    queryToken: 'qt0k3n-abcdef-123456',
    presigned: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  }
  const cases: [string, GatewayRequest, string[]][] = [
    ['Authorization (Bearer)', { method: 'POST', path: '/echo', headers: { authorization: `Bearer ${SECRETS.bearer}` } }, [SECRETS.bearer]],
    ['x-api-key', { method: 'POST', path: '/echo', headers: { 'x-api-key': SECRETS.apiKey } }, [SECRETS.apiKey]],
    ['Cookie', { method: 'POST', path: '/echo', headers: { cookie: `sid=${SECRETS.cookie}; theme=dark` } }, [SECRETS.cookie]],
    ['X-Amz-Security-Token', { method: 'POST', path: '/echo', headers: { 'x-amz-security-token': SECRETS.session } }, [SECRETS.session]],
    [
      'SigV4 Signature=',
      {
        method: 'POST',
        path: '/echo',
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SECRETS.signature}`,
        },
      },
      [SECRETS.signature],
    ],
    [
      'a query-string identity source',
      { method: 'POST', path: '/guarded', query: `token=${SECRETS.queryToken}`, headers: {} },
      [SECRETS.queryToken],
    ],
    [
      'a presigned X-Amz-Signature',
      { method: 'POST', path: '/echo', query: `X-Amz-Signature=${SECRETS.presigned}`, headers: {} },
      [SECRETS.presigned],
    ],
  ]
  for (const [name, request, secrets] of cases) {
    it(`${name} appears in no line, data trace on`, async () => {
      const log = recorder()
      const res = await echoGateway(log.logger).handle(request)
      expect(res.statusCode).toBe(200)
      // The function did see the secret (it is in the answer), so the log had every chance to show it.
      const answer = typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body)
      expect(secrets.every((s) => answer.includes(s))).toBe(true)
      const text = everything(log)
      expect(text).toContain('Method request headers:')
      for (const s of secrets) expect(text).not.toContain(s)
    })
  }

  it('the secrets searched for are bounded: a header with thousands of cookies gives at most 128 forms', () => {
    const cookie = Array.from({ length: 3000 }, (_, i) => `c${i}=value-${i}-secret`).join('; ')
    const { values } = requestSecrets({ cookie, authorization: 'Bearer tok-123456' }, [], new Set(), new Set())
    expect(values.length).toBeLessThanOrEqual(128)
    expect(values).toContain(cookie) // the whole header is the longest, kept first
    expect(values).toContain('Bearer tok-123456')
    expect(requestSecrets({ authorization: 'Bearer tok-123456' }, [], new Set(), new Set()).values).toEqual([
      'Bearer%20tok-123456',
      'Bearer tok-123456',
      'Bearer+tok-123456',
      'tok-123456',
    ])
  })

  it('masks as AWS prints: stars, then at most the last characters (a quarter of the value at most)', () => {
    expect(mask('abcdefghijklmnopqrstuvwxyz0123456789', 4)).toBe(`${'*'.repeat(32)}6789`)
    expect(mask('abcdefgh', 4)).toBe('******gh')
    expect(mask('abc', 6)).toBe('****')
    expect(mask('sessionid=1', 0)).toBe('***********')
  })

  it('property: random secrets in Authorization, x-api-key, Cookie and the identity-source query never appear', async () => {
    const secret = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/'),
      minLength: 8,
      maxLength: 60,
    })
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, secret, fc.boolean(), async (auth, key, cookie, token, traced) => {
        const log = recorder()
        const gw = logged(
          {
            api: {
              authorizers: {
                req: {
                  type: 'REQUEST',
                  authorizerUri: fnUri('auth'),
                  identitySource: 'method.request.querystring.token',
                  authorizerResultTtlInSeconds: 0,
                },
              },
              resources: {
                '/g': { POST: { authorizationType: 'CUSTOM', authorizer: 'req', integration: { type: 'AWS_PROXY', uri: fnUri('echo') } } },
              },
            },
            functions: {
              echo: async (event: any) => ({ statusCode: 200, body: JSON.stringify(event) }),
              auth: async (event: any) => ({
                principalId: 'p',
                policyDocument: {
                  Version: '2012-10-17',
                  Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
                },
              }),
            },
            logger: log.logger,
          },
          'INFO',
          traced,
        )
        const res = await gw.handle({
          method: 'POST',
          path: '/g',
          query: `token=${encodeURIComponent(token)}`,
          headers: { authorization: auth, 'x-api-key': key, cookie: `sid=${cookie}` },
          body: '{}',
        })
        expect(res.statusCode).toBe(200)
        const text = everything(log)
        expect(text).toContain('Method completed with status: 200')
        for (const s of [auth, key, cookie, token]) expect(text).not.toContain(s)
      }),
      { numRuns: 60 },
    )
  })
})

describe('truncation', () => {
  it('cuts a line at 1 KB (UTF-8 bytes, on a character boundary) and marks it [TRUNCATED]', () => {
    const line = `(req-1) Method request body before transformations: ${'é'.repeat(2000)}`
    const cut = truncate(line)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024)
    expect(cut.endsWith(' [TRUNCATED]')).toBe(true)
    expect(cut).not.toContain('\uFFFD')
    expect(truncate('short line')).toBe('short line')
  })

  it('every line written is at most 1 KB, the long bodies marked [TRUNCATED]', async () => {
    const log = recorder()
    const body = JSON.stringify({ text: 'x'.repeat(5000) })
    const gw = echoGateway(log.logger)
    await gw.handle({
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json', authorization: 'Bearer 0123456789abcdef' },
      body,
    })
    for (const c of log.calls) expect(Buffer.byteLength(c.msg)).toBeLessThanOrEqual(1024)
    const long = log.calls.filter((c) => c.msg.includes('body'))
    expect(long.length).toBeGreaterThanOrEqual(3)
    for (const c of long) expect(c.msg.endsWith(' [TRUNCATED]')).toBe(true)
  })
})

describe('captureExecutionLog (testInvoke)', () => {
  // What @gatehousejs/testing does when imported: methods that log nothing still open a log for a captured request.
  enableExecutionLogCapture()
  it("captures one request's lines, data included, whatever the stage's level; other requests' lines are not in it", async () => {
    const log = recorder()
    const gw = logged(
      {
        api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('list') } } } } },
        functions: { list: async () => ({ statusCode: 200, body: '[]' }) },
        logger: log.logger,
      },
      'OFF',
    )
    const mine: GatewayRequest = { method: 'GET', path: '/pets', headers: { authorization: 'Bearer top-secret-value' } }
    const capture = captureExecutionLog(mine)
    await Promise.all([
      gw.handle({ method: 'GET', path: '/pets', headers: {} }),
      gw.handle(mine),
      gw.handle({ method: 'GET', path: '/pets', headers: {} }),
    ])
    expect(log.calls).toEqual([]) // the stage logs nothing
    const ids = new Set(capture.lines.map((l) => l.requestId))
    expect(ids.size).toBe(1)
    expect(capture.lines.map((l) => l.message)).toContain('Method response body after transformations: []')
    expect(capture.lines.at(-1)!.message).toBe('Method completed with status: 200')
    const text = capture.text()
    expect(text.split('\n')[0]).toBe(`Execution log for request ${[...ids][0]}`)
    expect(text).toMatch(/\n\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : Starting execution for request: req-\d/)
    expect(text).not.toContain('top-secret-value')
  })

  it('is kept when handle normalises the request (a copy is made)', async () => {
    const gw = logged(
      {
        api: { resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: fnUri('list') } } } } },
        functions: { list: async () => ({ statusCode: 200, body: '[]' }) },
      },
      'OFF',
    )
    const request = { method: 'get', path: '/pets?x=1', headers: { Accept: 'text/plain' } } as GatewayRequest
    const capture = captureExecutionLog(request)
    await gw.handle(request)
    expect(capture.lines.map((l) => l.message)).toContain('Method request query string: {x=1}')
  })
})
