/**
 * Heap allocated per request, scenario S2 through `handle()` (issue #17's memory row). Run as its own process with a
 * young generation large enough (`--max-semi-space-size`) that a window of requests runs without a collection: the
 * growth of the used heap over the window, ÷ its requests, is what they allocated. A window a collection fell into
 * (seen by a `gc` PerformanceObserver) is discarded. Prints one JSON line: `{ "bytesPerRequest": …, "windows": … }`.
 */
import { PerformanceObserver } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'
import { createGateway, type GatewayRequest } from '@gatehousejs/core'
import { S2_GATEWAY_REQUEST, s2GatewayInput } from './s2'

const WINDOW = 1000
const request: GatewayRequest = S2_GATEWAY_REQUEST
const gw = createGateway({ ...s2GatewayInput(), stage: 'prod' })
let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

async function requests(n: number): Promise<void> {
  for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: 16 }, () => gw.handle(request)))
}

await requests(20_000)
const samples: number[] = []
for (let tries = 0; samples.length < 9 && tries < 50; tries++) {
  // Start each window right after a collection, with the young generation empty.
  ;(globalThis as { gc?: () => void }).gc?.()
  // The collection's entry reaches the observer a little later: let it arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 20))
  const seen = collections
  const before = getHeapStatistics().used_heap_size
  await requests(WINDOW)
  const after = getHeapStatistics().used_heap_size
  await new Promise((resolve) => setTimeout(resolve, 20))
  if (collections === seen && after > before) samples.push((after - before) / WINDOW)
}
samples.sort((a, b) => a - b)
process.stdout.write(`${JSON.stringify({ bytesPerRequest: samples[samples.length >> 1] ?? null, windows: samples.length })}\n`)
