/**
 * The cost of observability (issue #16, "Cost"): scenario S2's gateway (API key and usage plan, body validation,
 * a Lambda proxy function; benchmarks/http/s2.ts) with access logs and metrics on — a JSON access-log line per
 * request and every request's metrics into a Prometheus registry and an Embedded Metric Format exporter — beside
 * the same gateway with them off, through `handle()` (no sockets: the gateway's own cost, the strictest ratio).
 * The goal is 0.9×: with access logs and metrics on, at least 90% of the throughput with them off.
 */
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { compareAsync, type AsyncCase, type Section } from './harness.js'
import { S2_BODY, S2_KEY, S2_PATH, s2GatewayInput, s2ObservedInput } from './http/s2.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 4 : 20
const roundMs = quick ? 150 : 300
const inFlight = 16

const request: GatewayRequest = {
  method: 'POST',
  path: S2_PATH,
  headers: { host: 'api.example.com', 'content-type': 'application/json', 'x-api-key': S2_KEY },
  body: S2_BODY,
  sourceIp: '203.0.113.7',
}
const shape = (r: { statusCode: number; body: unknown }) => ({ statusCode: r.statusCode, body: r.body })
/**
 * handle() with a Lambda function in process never waits for I/O: without a turn of the event loop the access log
 * (written on the next `setImmediate`) would be written after the timed rounds. Both sides yield after each request,
 * as a server does, so the lines are made and written inside the rounds.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve))

export default async function (): Promise<Section> {
  const off = createGateway({ ...s2GatewayInput(), stage: 'prod' })
  let lines = 0
  const { input, registry, emf } = s2ObservedInput(() => void lines++)
  const on = createGateway(input)
  const cases: AsyncCase[] = [
    {
      name: 'S2 POST /orders, access log (JSON) + metrics (Prometheus + EMF) on vs off',
      ours: async () => {
        const answer = shape(await on.handle(request))
        await turn()
        return answer
      },
      peer: async () => {
        const answer = shape(await off.handle(request))
        await turn()
        return answer
      },
    },
  ]
  const rows = await compareAsync(cases, { rounds, roundMs, concurrency: inFlight, goal: 0.9, cpuTime: true })
  emf.close()
  await turn()
  if (lines === 0 || !registry.text().includes('apigateway_requests_total'))
    throw new Error(`observability was not on: ${lines} lines, ${registry.text().slice(0, 80)}`)
  return {
    title: '@gatehousejs/core: access logs and metrics on vs off (scenario S2, in process)',
    unit: 'requests/s',
    peers: { '@gatehousejs/core, access logs and metrics off': 'same build' },
    peerName: 'off',
    rows,
    notes: [
      `Same API, ${inFlight} requests in flight through handle(); ${rounds} pairs of ${roundMs} ms rounds, which side goes first alternating. Requests per second of the process's CPU time (wall time moves with whatever else the machine runs); ratio: median of the pairs' ratios. Access-log lines go to a function that counts them (no I/O); EMF lines are made each second and dropped.`,
    ],
  }
}
