/**
 * The cost of observability (issue #16, "Cost"): scenario S2's gateway (API key and usage plan, body validation,
 * a Lambda proxy function; benchmarks/http/s2.ts) with access logs and metrics on — a JSON access-log line per
 * request and every request's metrics into a Prometheus registry and an Embedded Metric Format exporter — beside
 * the same gateway with them off, through `handle()` (no sockets: the gateway's own cost, the strictest ratio).
 * The goal is 0.9×: with access logs and metrics on, at least 90% of the throughput with them off.
 */
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { compareAsync, median, type AsyncCase, type Row, type Section } from './harness.js'
import { S2_GATEWAY_REQUEST, s2GatewayInput, s2ObservedInput } from './http/s2.js'

const quick = process.env.BENCH_QUICK === '1'
const rounds = quick ? 4 : 20
const roundMs = quick ? 150 : 300
const processes = quick ? 1 : 5
const CHILD_ENV = 'GATEHOUSE_OBSERVABILITY_BENCH_CHILD'
const inFlight = 16

const request: GatewayRequest = S2_GATEWAY_REQUEST
const shape = (r: { statusCode: number; body: unknown }) => ({ statusCode: r.statusCode, body: r.body })
/**
 * handle() with a Lambda function in process never waits for I/O: without a turn of the event loop the access log
 * (written on the next `setImmediate`) would be written after the timed rounds. Both sides yield after each request,
 * as a server does, so the lines are made and written inside the rounds.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve))

/** One process's measurement: the row of {@link compareAsync} (requests per CPU second, median of paired ratios). */
async function measure(): Promise<Row> {
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
  const [row] = await compareAsync(cases, { rounds, roundMs, concurrency: inFlight, goal: 0.9, cpuTime: true })
  emf.close()
  await turn()
  if (lines === 0 || !registry.text().includes('apigateway_requests_total'))
    throw new Error(`observability was not on: ${lines} lines, ${registry.text().slice(0, 80)}`)
  return row!
}

// A child measures once and prints its row; the bench takes the median of several children (a process's own JIT
// decisions move one measurement by several percent, more than the cost being measured).
if (process.env[CHILD_ENV] === '1') process.stdout.write(`${JSON.stringify(await measure())}\n`)

export default async function (): Promise<Section> {
  const rows: Row[] = []
  for (let i = 0; i < processes; i++) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      encoding: 'utf8',
      env: { ...process.env, [CHILD_ENV]: '1' },
    })
    const line = out.stdout.split('\n').find((l) => l.startsWith('{'))
    if (line === undefined) throw new Error(`observability bench child failed: ${out.stderr.slice(-500)}`)
    rows.push(JSON.parse(line) as Row)
  }
  const row: Row = {
    ...rows[0]!,
    ours: median(rows.map((r) => r.ours)),
    peer: median(rows.map((r) => r.peer)),
    ratio: median(rows.map((r) => r.ratio)),
  }
  return {
    title: '@gatehousejs/core: access logs and metrics on vs off (scenario S2, in process)',
    unit: 'requests/s',
    peers: { '@gatehousejs/core, access logs and metrics off': 'same build' },
    peerName: 'off',
    rows: [row],
    notes: [
      `Same API, ${inFlight} requests in flight through handle(); in each of ${processes} fresh processes ${rounds} pairs of ${roundMs} ms rounds, which side goes first alternating. Requests per second of the process's CPU time (wall time moves with whatever else the machine runs); a process's ratio is the median of its pairs' ratios, the row the median of the processes' (${rows.map((r) => r.ratio.toFixed(2)).join(', ')}).`,
      'Access-log lines go to a function that counts them (no I/O); EMF lines are made each second and dropped.',
    ],
  }
}
