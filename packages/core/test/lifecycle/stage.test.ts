// Stages, deployments and canaries: immutable deployments, atomic switches while serving, the canary split,
// `$context.isCanaryRequest`, stage-variable overrides, promotion and rollback.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/canary-release.html ("isCanaryRequest … present only
// when you enabled a canary"; canary stage variables override the stage's; promote: the canary's deployment and
// optionally its variables become the stage's)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html ($context)
import { createStage, GatewayConfigError } from '@gatehousejs/core'
import { describe, expect, it } from 'vitest'
import { json, req } from '../helpers'

/** A REST API answering which version it is, what `$context` says of canaries and deployments, and `$stageVariables.v`. */
function version(v: string) {
  const template = `{"version":"${v}","canary":"$context.isCanaryRequest","deployment":"$context.deploymentId","var":"$stageVariables.v"}`
  return {
    openapi: '3.0.1',
    info: { title: 'versions', version: v },
    paths: {
      '/v': {
        get: {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': template } } },
          },
        },
      },
    },
  }
}

/** A seeded generator in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const get = async (stage: ReturnType<typeof createStage>) => json(await stage.handle(req('GET', '/v')))

describe('createStage', () => {
  it('serves its first deployment; $context.isCanaryRequest is absent without a canary', async () => {
    const stage = createStage({ api: version('1'), stage: { stageName: 'prod', variables: { v: 'stage' } }, onWarning: () => {} })
    expect(await get(stage)).toEqual({ version: '1', canary: '', deployment: stage.deploymentId, var: 'stage' })
    expect(stage.history.map((h) => h.deploymentId)).toEqual([stage.deploymentId])
  })

  it('keeps a deployment as it was when it was made: later changes to the document do not reach it', async () => {
    const doc = version('2')
    const stage = createStage({ api: version('1'), onWarning: () => {} })
    const d2 = stage.createDeployment(doc, { description: 'v2' })
    ;(doc.info as { title: string }).title = 'changed'
    ;(doc.paths['/v'].get['x-amazon-apigateway-integration'].responses.default.responseTemplates as Record<string, string>)[
      'application/json'
    ] = '{"version":"tampered"}'
    expect(Object.isFrozen(d2.api)).toBe(true)
    expect((await get(stage)).version).toBe('1') // not deployed yet
    stage.deploy(d2.id)
    expect((await get(stage)).version).toBe('2')
    expect(d2.description).toBe('v2')
  })

  it('splits traffic within statistical bounds, with the canary variables and isCanaryRequest on each side', async () => {
    const stage = createStage({
      api: version('1'),
      stage: { stageName: 'prod', variables: { v: 'stage' } },
      random: seeded(7),
      onWarning: () => {},
    })
    const d2 = stage.createDeployment(version('2'))
    stage.updateCanary({ deploymentId: d2.id, percentTraffic: 10, stageVariableOverrides: { v: 'canary' } })
    const counts = { canary: 0, stage: 0 }
    for (let i = 0; i < 10_000; i++) {
      const body = await get(stage)
      if (body.canary === 'true') {
        expect(body).toMatchObject({ version: '2', var: 'canary', deployment: d2.id })
        counts.canary++
      } else {
        expect(body).toMatchObject({ version: '1', canary: 'false', var: 'stage' })
        counts.stage++
      }
    }
    // Binomial(10 000, 0.1): mean 1 000, σ 30; four σ either way.
    expect(counts.canary).toBeGreaterThan(880)
    expect(counts.canary).toBeLessThan(1120)
    expect(counts.canary + counts.stage).toBe(10_000)
  })

  it('promotes the canary (deployment and variables), removes a canary, and rolls back', async () => {
    const stage = createStage({ api: version('1'), stage: { stageName: 'prod', variables: { v: 'stage' } }, onWarning: () => {} })
    const first = stage.deploymentId
    const d2 = stage.createDeployment(version('2'))
    stage.updateCanary({ deploymentId: d2.id, percentTraffic: 100, stageVariableOverrides: { v: 'canary' } })
    expect(await get(stage)).toMatchObject({ version: '2', canary: 'true' })
    stage.updateCanary(null)
    expect(await get(stage)).toMatchObject({ version: '1', canary: '' })
    stage.updateCanary({ deploymentId: d2.id, percentTraffic: 0, stageVariableOverrides: { v: 'canary' } })
    expect(await get(stage)).toMatchObject({ version: '1', canary: 'false' })
    stage.promoteCanary()
    expect(stage.canary).toBeUndefined()
    expect(await get(stage)).toEqual({ version: '2', canary: '', deployment: d2.id, var: 'canary' })
    stage.deploy(first)
    expect(await get(stage)).toMatchObject({ version: '1', var: 'canary' })
    expect(stage.history.map((h) => h.deploymentId)).toEqual([first, d2.id, first])
  })

  it('finishes in-flight requests on the deployment they started on while it switches, losing none', async () => {
    const gates: (() => void)[] = []
    // Each answer names the deployment its request ran on (`requestContext.deploymentId`), once the gate opens.
    const fn = async (event: { requestContext: { deploymentId: string } }) => {
      await new Promise<void>((resolve) => gates.push(resolve))
      return { statusCode: 200, body: event.requestContext.deploymentId }
    }
    const api = {
      openapi: '3.0.1',
      info: { title: 'slow', version: '1' },
      paths: { '/v': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'fn' } } } },
    }
    const stage = createStage({ api, functions: { fn }, onWarning: () => {} })
    const first = stage.deploymentId
    const before = Array.from({ length: 50 }, () => stage.handle(req('GET', '/v')))
    const d2 = stage.createDeployment(api)
    stage.deploy(d2.id)
    const after = Array.from({ length: 50 }, () => stage.handle(req('GET', '/v')))
    stage.deploy(first) // and back, with all 100 still in flight
    while (gates.length < 100) await new Promise((r) => setImmediate(r))
    for (const open of gates) open()
    const answers = await Promise.all([...before, ...after])
    expect(answers.map((a) => a.statusCode)).toEqual(Array(100).fill(200))
    expect(answers.map((a) => a.body)).toEqual([...Array(50).fill(first), ...Array(50).fill(d2.id)])
  })

  it('keeps quotas across deployments: the usage plan outlives them', async () => {
    const api = {
      ...version('1'),
      'x-amazon-apigateway-api-key-source': 'HEADER',
      paths: { '/v': { get: { ...version('1').paths['/v'].get, security: [{ key: [] }] } } },
      components: { securitySchemes: { key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } },
    }
    const key = 'stage-key-0123456789abcdef'
    const stage = createStage({
      api,
      apiKeys: [{ id: 'k', value: key }],
      usagePlans: [{ id: 'p', quota: { limit: 3, period: 'DAY' }, apiStages: [{ stage: 'prod' }], keys: ['k'] }],
      onWarning: () => {},
    })
    const call = async () => (await stage.handle(req('GET', '/v', { headers: { 'x-api-key': key } }))).statusCode
    expect([await call(), await call()]).toEqual([200, 200])
    stage.deploy(stage.createDeployment(api).id)
    expect([await call(), await call()]).toEqual([200, 429])
  })

  it('refuses bad canary settings and a definition that does not build, leaving the stage as it was', async () => {
    const stage = createStage({ api: version('1'), onWarning: () => {} })
    expect(() => stage.updateCanary({ deploymentId: 'nope', percentTraffic: 10 })).toThrow(GatewayConfigError)
    const d2 = stage.createDeployment(version('2'))
    expect(() => stage.updateCanary({ deploymentId: d2.id, percentTraffic: 101 })).toThrow(/0 to 100/)
    expect(() => stage.promoteCanary()).toThrow(/no canary/)
    const broken = stage.createDeployment({
      openapi: '3.0.1',
      info: { title: 'x', version: '1' },
      paths: { '/v': { get: { 'x-amazon-apigateway-integration': { type: 'nope' } } } },
    })
    expect(() => stage.deploy(broken.id)).toThrow(GatewayConfigError)
    expect((await get(stage)).version).toBe('1')
    expect(() => stage.createDeployment({ f: () => 1 } as never)).toThrow(/plain data/)
  })
})
