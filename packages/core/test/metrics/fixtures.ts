/** Gateways the metrics tests share: a REST API (Lambda, MOCK, cached GET) and an HTTP API, on a clock the test moves. */
import { createGateway, type GatewayInput, type MetricDatapoint } from '@gatehousejs/core'

export const restApi = {
  name: 'PetStore',
  resources: {
    '/pets': {
      GET: { integration: { type: 'AWS_PROXY', uri: 'listPets' } },
      POST: { integration: { type: 'AWS_PROXY', uri: 'broken' } },
    },
    '/pets/{id}': { GET: { integration: { type: 'AWS_PROXY', uri: 'getPet' } } },
  },
}

export const httpApi = {
  name: 'pets-http',
  resources: {
    '/pets': { GET: { integration: { type: 'AWS_PROXY', uri: 'listPets', payloadFormatVersion: '2.0' } } },
  },
}

/** A clock the functions move: `latency` ms pass inside each integration call. */
export function clock(start = Date.UTC(2024, 0, 1)) {
  let t = start
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
  }
}

export function build(input: Partial<GatewayInput> & { latency?: number } = {}) {
  const points: MetricDatapoint[][] = []
  const c = clock()
  const latency = input.latency ?? 20
  const gw = createGateway({
    api: restApi as unknown as GatewayInput['api'],
    apiId: 'a1b2c3d4e5',
    now: c.now,
    onError: () => {},
    functions: {
      listPets: async () => {
        c.advance(latency)
        return { statusCode: 200, body: '[{"id":1}]' }
      },
      getPet: async () => {
        c.advance(latency)
        return { statusCode: 404, body: '{"message":"no pet"}' }
      },
      broken: async () => {
        c.advance(latency)
        throw new Error('down')
      },
    },
    metrics: { sink: (p) => points.push([...p]) },
    ...input,
  })
  return { gw, points, clock: c }
}

/** The value of metric `name` in one request's datapoints (undefined when it was not emitted). */
export function value(points: readonly MetricDatapoint[], name: string): number | undefined {
  return points.find((p) => p.name === name)?.value
}
