/**
 * One worker process of the multi-process test: hammers a shared key on a shared Redis, and paces a calm key of
 * its own below that key's rate. It counts what it was told; the parent adds the counts up.
 */
import { Redis } from 'ioredis'
import { createTokenBucket } from '@gatehousejs/throttle'
import { createRedisStore } from '@gatehousejs/redis'

interface Job {
  port: number
  prefix: string
  rate: number
  burst: number
  durationMs: number
  id: number
  failure: 'open' | 'closed'
  concurrency: number
  timeoutMs?: number
}

process.once('message', async (raw) => {
  const job = raw as Job
  const client = new Redis({
    port: job.port,
    host: '127.0.0.1',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  })
  client.on('error', () => {})
  await new Promise((r) => client.once('ready', r))
  const store = createRedisStore({ client, prefix: job.prefix, failure: job.failure, timeoutMs: job.timeoutMs ?? 200 })
  const hot = createTokenBucket({ rate: job.rate, burst: job.burst, store, name: 'hot' })
  const calm = createTokenBucket({ rate: 20, burst: 2, store, name: 'calm' })
  const counts = { admitted: 0, refused: 0, unavailableAdmitted: 0, unavailableRefused: 0, calmRefused: 0, calmTaken: 0, first: 0, last: 0 }
  // Start together: connect and compile first, then wait for the parent's go.
  process.send!({ type: 'ready' })
  await new Promise((r) => process.once('message', r))
  const end = Date.now() + job.durationMs
  process.send!({ type: 'started' })
  counts.first = Date.now()
  const hammer = async () => {
    while (Date.now() < end) {
      const r = await hot.take('shared')
      if (r.unavailable) r.allowed ? counts.unavailableAdmitted++ : counts.unavailableRefused++
      else if (r.allowed) counts.admitted++
      else counts.refused++
    }
  }
  // 10 per second on a 20 per second bucket: never refused while Redis answers.
  const pace = async () => {
    while (Date.now() < end) {
      const r = await calm.take(`calm-${job.id}`)
      if (!r.unavailable) {
        counts.calmTaken++
        if (!r.allowed) counts.calmRefused++
      }
      await new Promise((res) => setTimeout(res, 100))
    }
  }
  await Promise.all([...Array.from({ length: job.concurrency }, hammer), pace()])
  counts.last = Date.now()
  process.send!({ type: 'done', counts })
  client.disconnect()
  process.disconnect?.()
})
