/**
 * `gatehouse serve` on an HTTP API written as OpenAPI 3 YAML (test/fixtures/http-api.yaml) with a `--functions`
 * module. AWS behaviour relied on: payload format 2.0 and its inferred response format
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html), HTTP API
 * CORS preflights (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html), the 500
 * `Internal Server Error` of a failed function and the 404 of an unknown route on HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, startCli, stopAll } from './cli-process'

let cli: CliProcess

beforeAll(async () => {
  const envVars = join(mkdtempSync(join(tmpdir(), 'gatehouse-cli-')), 'env.json')
  writeFileSync(envVars, JSON.stringify({ getNote: { NOTES_OWNER: 'ann' } }))
  cli = await startCli([
    'packages/cli/test/fixtures/http-api.yaml',
    '--functions',
    'packages/cli/test/fixtures/http-handlers.mjs',
    '--env-vars',
    envVars,
  ])
})

afterAll(stopAll)

describe('gatehouse serve <HTTP API YAML>', () => {
  it('detects an HTTP API and prints its routes', () => {
    expect(cli.stdout()).toMatch(/http-api\.yaml \(HTTP, stage \$default\)/)
    expect(cli.stdout()).toMatch(/GET\s+\/notes\/\{id\}\s+AWS_PROXY getNote/)
    expect(cli.stdout()).toMatch(/POST\s+\/notes\s+AWS_PROXY createNote/)
  })

  it('runs payload 2.0 handlers, with the --env-vars of the function', async () => {
    const res = await fetch(`${cli.url}/notes/42`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ id: '42', routeKey: 'GET /notes/{id}', owner: 'ann' })
    const id = res.headers.get('apigw-requestid')
    await cli.waitFor('stdout', new RegExp(`GET /notes/42 200 \\d+(\\.\\d+)? ms ${id}`))

    const created = await fetch(`${cli.url}/notes`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ created: { text: 'hi' } })
  })

  it('answers CORS preflights from x-amazon-apigateway-cors', async () => {
    const res = await fetch(`${cli.url}/notes`, {
      method: 'OPTIONS',
      headers: { origin: 'https://notes.example.com', 'access-control-request-method': 'POST' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://notes.example.com')
    expect(res.headers.get('access-control-max-age')).toBe('300')
  })

  it('answers a failed function with 500 and logs its stack; an unknown route with 404', async () => {
    const res = await fetch(`${cli.url}/notes`, { method: 'POST', body: 'crash' })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ message: 'Internal Server Error' })
    await cli.waitFor('stderr', /Error: note could not be saved\n\s+at /)
    const missing = await fetch(`${cli.url}/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ message: 'Not Found' })
  })
})
