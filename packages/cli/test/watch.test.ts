/**
 * `gatehouse serve --watch`: an edit of the definition (or of a handler file) is served by the next request in the
 * same process; a broken edit keeps the last good definition and prints the error. The definitions are MOCK
 * integrations (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html) and a
 * SAM function with a local CodeUri.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli, stopAll } from './cli-process'

afterAll(stopAll)

function mockApi(message: string): string {
  return `openapi: 3.0.1
info: { title: watched, version: '1' }
paths:
  /hello:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: '200'
            responseTemplates: { application/json: '{"message": "${message}"}' }
`
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('gatehouse serve --watch', () => {
  it('serves an edited definition on the next request and keeps the last good one after a broken edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-watch-'))
    const file = join(dir, 'api.yaml')
    writeFileSync(file, mockApi('first'))
    const cli = await startCli([file, '--watch'])
    const get = async () => (await (await fetch(`${cli.url}/hello`)).json()) as { message: string }
    expect(await get()).toEqual({ message: 'first' })
    const pid = cli.child.pid

    writeFileSync(file, mockApi('second'))
    await cli.waitFor('stdout', /reloaded /)
    expect(await get()).toEqual({ message: 'second' })

    const errBefore = cli.stderr().length
    writeFileSync(file, 'openapi: 3.0.1\npaths: {\n  /hello: [')
    await cli.waitFor('stderr', /reload failed, still serving the last good definition: [^\n]*/, errBefore)
    expect(await get()).toEqual({ message: 'second' })

    // A definition that parses but does not build (an integration type API Gateway does not have) is refused too.
    const errAgain = cli.stderr().length
    writeFileSync(file, mockApi('third').replace('type: mock', 'type: carrier-pigeon'))
    await cli.waitFor('stderr', /reload failed, still serving the last good definition/, errAgain)
    expect(await get()).toEqual({ message: 'second' })

    writeFileSync(file, mockApi('fourth'))
    expect(await until(get, (v) => v.message === 'fourth')).toEqual({ message: 'fourth' })
    expect(cli.child.pid).toBe(pid)
    expect(cli.child.exitCode).toBeNull()
    await cli.stop()
  })

  it('reloads a template function when its handler file changes, keeping usage-plan state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-watch-sam-'))
    mkdirSync(join(dir, 'src'))
    const handler = (word: string) =>
      `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ word: '${word}' }) })\n`
    writeFileSync(join(dir, 'src', 'app.mjs'), handler('one'))
    writeFileSync(
      join(dir, 'template.yaml'),
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
          Quota: { Limit: 2, Period: DAY }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      CodeUri: src
      Handler: app.handler
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /word, Method: get } }
`,
    )
    const cli = await startCli([join(dir, 'template.yaml'), '--watch'])
    const key = (await cli.waitFor('stdout', /API key for Api \(generated locally\): (\S+)/))[1] as string
    const get = async () => {
      const res = await fetch(`${cli.url}/word`, { headers: { 'x-api-key': key } })
      return { status: res.status, body: (await res.json()) as { word?: string } }
    }
    expect(await get()).toEqual({ status: 200, body: { word: 'one' } })
    writeFileSync(join(dir, 'src', 'app.mjs'), handler('two'))
    await cli.waitFor('stdout', /reloaded /)
    // The same generated key still works, and the quota (2 a day) spent before the reload still counts.
    expect(await get()).toEqual({ status: 200, body: { word: 'two' } })
    expect((await get()).status).toBe(429)
    await cli.stop()
  })
})
