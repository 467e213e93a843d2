// The hand-written floors of the HTTP benchmark (benchmarks/http/by-hand.ts, s2.ts) stand for API Gateway's own work
// on S1 and S2: they must hand the function the event the gateway hands it (the same keys in the same order, the
// same headers, identity and body; only the ids, the time and the API's generated ids differ) and answer the same
// status, headers and body. A floor that did less would make the goals look further out of reach than they are.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHandler } from '@gatehousejs/node'
import { afterEach, describe, expect, it } from 'vitest'
import { s1ByHand, type ProxyResult } from '../../benchmarks/http/by-hand'
import { S1_PATH, s1GatewayInput } from '../../benchmarks/http/s1'
import { S2_REQUEST, s2ByHand, s2GatewayInput } from '../../benchmarks/http/s2'

const servers: Server[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** What differs between two correct events: per-request ids, the time, and the ids API Gateway generates for an API. */
const VARYING = ['apiId', 'extendedRequestId', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'deploymentId']

function comparable(event: Record<string, unknown>, host: string): string {
  const copy = structuredClone(event) as Record<string, Record<string, unknown>>
  for (const key of VARYING) copy.requestContext![key] = '<varies>'
  copy.headers!['X-Amzn-Trace-Id'] = '<varies>'
  copy.multiValueHeaders!['X-Amzn-Trace-Id'] = ['<varies>']
  // Each server has a port of its own: the Host header and the domain name it becomes are the same otherwise.
  return JSON.stringify(copy).replaceAll(host, '<host>')
}

/** The request sent to `url`; the event its function got, and the answer (status, header names in order, body). */
async function exchange(
  url: string,
  events: Record<string, unknown>[],
  request: { path: string; method?: string; headers?: Record<string, string>; body?: string },
) {
  const res = await fetch(`${url}${request.path}`, { method: request.method ?? 'GET', headers: request.headers, body: request.body })
  const names = [...res.headers.keys()].filter((n) => n !== 'date' && n !== 'connection' && n !== 'keep-alive')
  return { event: comparable(events[0]!, new URL(url).host), status: res.status, names: names.sort(), body: await res.text() }
}

function recording<E, R>(fn: (event: E) => Promise<R>, events: unknown[]): (event: E) => Promise<R> {
  return (event) => {
    events.push(event)
    return fn(event)
  }
}

describe("the benchmark's hand-written floors do the gateway's work", () => {
  it('S1: the same event and answer as node:http + gateway', async () => {
    const input = s1GatewayInput()
    const viaGateway: Record<string, unknown>[] = []
    const byHand: Record<string, unknown>[] = []
    const gateway = await listen(createHandler({ ...input, functions: { getPet: recording(input.functions.getPet, viaGateway) } }))
    const hand = await listen(s1ByHand(recording(input.functions.getPet, byHand) as (e: unknown) => Promise<ProxyResult>))
    const request = { path: S1_PATH, headers: { 'user-agent': 'floors', accept: '*/*' } }
    expect(await exchange(hand, byHand, request)).toEqual(await exchange(gateway, viaGateway, request))
  })

  it('S2: the same event and answer as node:http + gateway', async () => {
    const input = s2GatewayInput()
    const viaGateway: Record<string, unknown>[] = []
    const byHand: Record<string, unknown>[] = []
    const gateway = await listen(createHandler({ ...input, functions: { placeOrder: recording(input.functions.placeOrder, viaGateway) } }))
    const hand = await listen(
      s2ByHand('aws', recording(input.functions.placeOrder, byHand)) as (req: IncomingMessage, res: ServerResponse) => void,
    )
    expect(await exchange(hand, byHand, S2_REQUEST)).toEqual(await exchange(gateway, viaGateway, S2_REQUEST))
  })
})
