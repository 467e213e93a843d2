/**
 * `gatehouse serve` on a SAM template (test/fixtures/sam/template.yaml): two Node.js functions and a Lambda TOKEN
 * authorizer loaded in process, an API key in a usage plan, CORS preflights, the implicit HTTP API, Globals,
 * parameters, conditions and intrinsics. AWS behaviour relied on:
 * - SAM AWS::Serverless::Api Auth / Cors / UsagePlan: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
 *   and https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 * - Lambda authorizer answers (401 Unauthorized, 403 explicit deny):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * - API keys and quotas (403 Forbidden for a missing key, 429 Limit Exceeded):
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * - Lambda function timeout ("Task timed out") and the REST 502 for a failed proxy function:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
 * - sam local --env-vars format: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-start-api.html
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, startCli, stopAll } from './cli-process'

const TEMPLATE = 'packages/cli/test/fixtures/sam/template.yaml'
const KEY = 'local-test-key-0123456789abcdef'
let cli: CliProcess

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'))
  const envVars = join(dir, 'env.json')
  writeFileSync(envVars, JSON.stringify({ PetsFunction: { GREETING: 'bonjour', UNDECLARED: 'x' } }))
  cli = await startCli([TEMPLATE, '--env-vars', envVars, '--parameter', 'Env=prod'])
})

afterAll(stopAll)

describe('gatehouse serve <SAM template>', () => {
  it('prints both APIs with their routes, authorizers and key requirements', () => {
    const out = cli.stdout()
    expect(out).toMatch(/PetsApi \(REST, stage v1\)/)
    expect(out).toMatch(/GET\s+\/pets\/\{id\}\s+AWS_PROXY GetPetFunction\s+authorizer TokenAuth\s+key required/)
    expect(out).toMatch(/GET\s+\/public\s+AWS_PROXY PetsFunction\s*\n/)
    expect(out).toMatch(/ServerlessHttpApi \(HTTP, stage \$default\)/)
    expect(out).toMatch(/GET\s+\/http\/pets\s+AWS_PROXY PetsFunction/)
  })

  it('warns about what it does not run', () => {
    const err = cli.stderr()
    expect(err).toMatch(/warning: \/Resources\/PetsTable: AWS::DynamoDB::Table is not run locally/)
    expect(err).toMatch(/warning: \/Resources\/PetsFunction: MemorySize not acted on locally/)
    expect(err).toMatch(/warning: --env-vars: PetsFunction\.UNDECLARED is not declared/)
  })

  it('runs a function with its Globals, environment, --env-vars, parameters, conditions and stage variables', async () => {
    const res = await fetch(`${cli.url}/public`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      greeting: 'bonjour', // --env-vars over the Globals' !Ref Greeting
      table: 'local-pets-prod', // !Sub with a pseudo parameter and a parameter override
      authArn: 'arn:aws:lambda:us-east-1:123456789012:function:AuthFunction', // !GetAtt Fn.Arn
      mode: 'production', // !If on a condition of the overridden parameter
      stage: 'v1',
      version: '1.0',
    })
  })

  it('runs the TOKEN authorizer from the template', async () => {
    const none = await fetch(`${cli.url}/pets`)
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ message: 'Unauthorized' })
    const denied = await fetch(`${cli.url}/pets`, { headers: { authorization: 'deny' } })
    expect(denied.status).toBe(403)
    const allowed = await fetch(`${cli.url}/pets`, { headers: { authorization: 'allow-alice' } })
    expect(allowed.status).toBe(200)
    expect(await allowed.json()).toMatchObject({ principal: 'alice' })
  })

  it('requires the API key of the usage plan and counts its quota', async () => {
    const headers = { authorization: 'allow-alice' }
    const noKey = await fetch(`${cli.url}/pets/1`, { headers })
    expect(noKey.status).toBe(403)
    const wrongKey = await fetch(`${cli.url}/pets/1`, { headers: { ...headers, 'x-api-key': 'not-the-key-0123456789' } })
    expect(wrongKey.status).toBe(403)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${cli.url}/pets/${i}`, { headers: { ...headers, 'x-api-key': KEY } })
      statuses.push(res.status)
      if (i === 0) expect(await res.json()).toEqual({ id: '0', apiKey: KEY })
      else await res.arrayBuffer()
    }
    expect(statuses).toEqual([200, 200, 200])
    const over = await fetch(`${cli.url}/pets/9`, { headers: { ...headers, 'x-api-key': KEY } })
    expect(over.status).toBe(429)
    expect(await over.json()).toEqual({ message: 'Limit Exceeded' })
  })

  it('answers CORS preflights as the OPTIONS methods SAM generates', async () => {
    const res = await fetch(`${cli.url}/pets`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,X-Api-Key')
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS')
    expect(res.headers.get('access-control-max-age')).toBe('600')
  })

  it('serves the implicit HTTP API from HttpApi events with payload 2.0', async () => {
    const res = await fetch(`${cli.url}/http/pets`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ version: '2.0', stage: '$default', greeting: 'bonjour' })
  })
})

describe('function failures', () => {
  it('times a function out after its Timeout and logs the error with its stack', async () => {
    const fresh = await startCli([TEMPLATE, '--parameter', 'Env=dev'])
    const headers = { authorization: 'allow-bob', 'x-api-key': KEY }
    const slow = await fetch(`${fresh.url}/pets/slow`, { headers })
    expect(slow.status).toBe(502)
    expect(await slow.json()).toEqual({ message: 'Internal server error' })
    const id = slow.headers.get('x-amzn-requestid')
    await fresh.waitFor('stderr', new RegExp(`error ${id} GET /pets/\\{id\\}[^\\n]*Task timed out after 1\\.00 seconds`))

    const boom = await fetch(`${fresh.url}/pets/boom`, { headers })
    expect(boom.status).toBe(502)
    await fresh.waitFor('stderr', /Error: pet exploded\n\s+at /)
    await fresh.waitFor('stdout', /GET \/pets\/boom 502 \d+(\.\d+)? ms \S+/)
    await fresh.stop()
  })
})
