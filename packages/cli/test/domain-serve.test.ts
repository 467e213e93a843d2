/**
 * `gatehouse serve` with several files behind one custom domain (two REST APIs and an HTTP API, one listener),
 * spawned as a process. AWS behaviour relied on: base path mappings and `(none)` for REST, multi-level API mapping keys
 * for HTTP APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html); behind a domain the base
 * path stays in `path` / `$context.path` / `rawPath` and not in the route; a Host the domain does not have, or a path
 * no mapping takes, gets 403 Forbidden (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html).
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, runCli, startCli, stopAll } from './cli-process'

const FIXTURES = 'packages/cli/test/fixtures/domain'
const FUNCTIONS = ['--functions', `${FIXTURES}/handlers.mjs`]

/** GET with a Host header (fetch cannot set one). */
function get(url: string, path: string, host: string): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const r = request({ host: hostname, port, path, headers: { host } }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: res.headers }))
    })
    r.on('error', reject)
    r.end()
  })
}

afterAll(stopAll)

describe('gatehouse serve --domain api.example.com shop.yaml:(none) pets.yaml:pets/v1 orders.yaml:orders/v2', () => {
  let cli: CliProcess
  beforeAll(async () => {
    cli = await startCli([
      '--domain',
      'api.example.com',
      `${FIXTURES}/shop.yaml:(none)`,
      `${FIXTURES}/pets.yaml:pets/v1`,
      `${FIXTURES}/orders.yaml:orders/v2`,
      ...FUNCTIONS,
    ])
  })

  it('prints each API with where the domain serves it', () => {
    const out = cli.stdout()
    expect(out).toMatch(/shop\.yaml \(REST, stage prod\) at api\.example\.com\/…/)
    expect(out).toMatch(/pets\.yaml \(REST, stage prod\) at api\.example\.com\/pets\/v1\/…/)
    expect(out).toMatch(/orders\.yaml \(HTTP, stage \$default\) at api\.example\.com\/orders\/v2\/…/)
    expect(out).toMatch(/GET\s+\/pets\/\{id\}\s+AWS_PROXY getPet/)
  })

  it('a REST API under a base path: the base path stays in path and $context.path, not in the resource', async () => {
    const res = await get(cli.url, '/pets/v1/pets/7', 'api.example.com')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      api: 'pets',
      path: '/pets/v1/pets/7',
      resource: '/pets/{id}',
      id: '7',
      contextPath: '/pets/v1/pets/7',
      domainName: 'api.example.com',
      domainPrefix: 'api',
    })
    await cli.waitFor('stdout', /GET \/pets\/v1\/pets\/7 200 \d+(\.\d+)? ms \S+/)
  })

  it('an HTTP API under a two-level mapping key: rawPath keeps it, the route key does not', async () => {
    const res = await get(cli.url, '/orders/v2/orders/3', 'api.example.com')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      api: 'orders',
      rawPath: '/orders/v2/orders/3',
      routeKey: 'GET /orders/{id}',
      id: '3',
      domainName: 'api.example.com',
    })
    expect(res.headers['apigw-requestid']).toBeTypeOf('string')
  })

  it('the (none) mapping takes what no other mapping does, on segment boundaries', async () => {
    const res = await get(cli.url, '/items', 'api.example.com')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ api: 'shop', path: '/items', resourcePath: '/items', domainName: 'api.example.com' })
    // `/pets/v1x/…` is not under `pets/v1`: the root API answers, and has no such route.
    const miss = await get(cli.url, '/pets/v1x/pets/7', 'api.example.com')
    expect([miss.status, miss.body]).toEqual([403, { message: 'Missing Authentication Token' }])
  })

  it('another Host gets 403 Forbidden', async () => {
    const res = await get(cli.url, '/pets/v1/pets/7', 'evil.example.com')
    expect([res.status, res.body]).toEqual([403, { message: 'Forbidden' }])
  })
})

describe('gatehouse serve <file>:<mapping>... without --domain', () => {
  it('takes any host, `/` is the root mapping, and a path no mapping takes gets 403 Forbidden', async () => {
    const cli = await startCli([`${FIXTURES}/pets.yaml:v1`, `${FIXTURES}/orders.yaml:orders`, ...FUNCTIONS])
    expect(cli.stdout()).toMatch(/gatehouse serving \S*pets\.yaml,\S*orders\.yaml on/)
    const pets = await fetch(`${cli.url}/v1/pets/1`)
    expect([pets.status, ((await pets.json()) as { path: string }).path]).toEqual([200, '/v1/pets/1'])
    const orders = await fetch(`${cli.url}/orders/orders/2`)
    expect([orders.status, ((await orders.json()) as { rawPath: string }).rawPath]).toEqual([200, '/orders/orders/2'])
    const none = await fetch(`${cli.url}/items`)
    expect([none.status, await none.json()]).toEqual([403, { message: 'Forbidden' }])
    await cli.stop()

    const root = await startCli([`${FIXTURES}/shop.yaml:/`, ...FUNCTIONS])
    const items = await fetch(`${root.url}/items`)
    expect([items.status, ((await items.json()) as { api: string }).api]).toEqual([200, 'shop'])
    await root.stop()
  })
})

describe('gatehouse serve: bad domain arguments', () => {
  it('several files without mappings, two files on one mapping, a malformed key, --domain elsewhere: exit 2 with the reason', async () => {
    const twoFiles = await runCli(['serve', `${FIXTURES}/shop.yaml`, `${FIXTURES}/pets.yaml`])
    expect(twoFiles.code).toBe(2)
    expect(twoFiles.stderr).toMatch(/every file needs its mapping, as <file>:<mapping>/)
    const same = await runCli(['serve', `${FIXTURES}/shop.yaml:v1`, `${FIXTURES}/pets.yaml:/v1/`])
    expect(same.code).toBe(2)
    expect(same.stderr).toMatch(/both mapped to v1/)
    const invalid = await runCli(['serve', '--domain', 'api.example.com', `${FIXTURES}/shop.yaml:v 1`])
    expect(invalid.code).toBe(2)
    const routes = await runCli(['routes', `${FIXTURES}/shop.yaml`, '--domain', 'api.example.com'])
    expect(routes.code).toBe(2)
    expect(routes.stderr).toMatch(/--domain is for serve/)
  })
})
