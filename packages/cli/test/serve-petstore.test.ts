/**
 * `gatehouse serve` on the repository's example petstore (examples/petstore: what `npm start` serves), spawned as
 * a child process and called over HTTP. AWS behaviour relied on: REST Lambda proxy integration
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html), the
 * MISSING_AUTHENTICATION_TOKEN gateway response for an unknown route
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html) and stage
 * variables in HTTP integration URIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, startCli, stopAll } from './cli-process'

let cli: CliProcess
let inventory: Server

beforeAll(async () => {
  inventory = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ service: 'inventory', url: req.url }))
  })
  await new Promise<void>((resolve) => inventory.listen(0, '127.0.0.1', resolve))
  const inventoryUrl = `http://127.0.0.1:${(inventory.address() as AddressInfo).port}`
  cli = await startCli([
    'examples/petstore/openapi.json',
    '--functions',
    'examples/petstore/handlers.ts',
    '--stage-variable',
    `inventoryUrl=${inventoryUrl}`,
  ])
})

afterAll(async () => {
  await stopAll()
  await new Promise((resolve) => inventory?.close(resolve))
})

describe('gatehouse serve examples/petstore/openapi.json', () => {
  it('prints the route table and the URL', () => {
    expect(cli.stdout()).toMatch(/openapi\.json \(REST, stage prod\)/)
    expect(cli.stdout()).toMatch(/GET\s+\/pets\/\{petId\}\s+AWS_PROXY getPet/)
    expect(cli.stdout()).toMatch(/POST\s+\/pets\s+AWS_PROXY createPet/)
    expect(cli.stdout()).toMatch(/ANY\s+\/inventory\/\{proxy\+\}\s+HTTP_PROXY/)
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('runs the Lambda handlers in process', async () => {
    const list = await fetch(`${cli.url}/pets?type=cat`)
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual([{ id: '2', name: 'Tom', type: 'cat' }])

    const created = await fetch(`${cli.url}/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Nemo', type: 'fish' }),
    })
    expect(created.status).toBe(201)
    const pet = (await created.json()) as { id: string; name: string }
    expect(pet.name).toBe('Nemo')
    const again = await fetch(`${cli.url}/pets/${pet.id}`)
    expect(await again.json()).toMatchObject({ id: pet.id, name: 'Nemo' })
  })

  it('proxies to the HTTP backend named by a stage variable', async () => {
    const res = await fetch(`${cli.url}/inventory/items/7`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ service: 'inventory', url: '/items/7' })
  })

  it('answers an unknown route as API Gateway does and logs every request with its request id', async () => {
    const res = await fetch(`${cli.url}/nowhere`)
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ message: 'Missing Authentication Token' })
    const id = res.headers.get('x-amzn-requestid')
    expect(id).toBeTruthy()
    await cli.waitFor('stdout', new RegExp(`GET /nowhere 403 \\d+(\\.\\d+)? ms ${id}`))
  })
})
