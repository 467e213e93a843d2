/**
 * A usage-plan registry shared through Redis: every process's keys and plans live in two hashes, each change is
 * written and announced (PUBLISH) in one script, and the others re-read what a notice names; after a (re)connect
 * the whole state is read again, so a notice missed while disconnected is not a change missed.
 * Everything read from Redis is checked (sizes in the server's script, shapes by the registry) before use.
 */
import { randomBytes } from 'node:crypto'
import { Deadlines, hashTag, Script, type RedisClient } from './client'

/** One change of a registry (core's `UsagePlanRegistryChange`; declared here so the package needs no core). */
export interface RegistryChange {
  type: 'apiKey' | 'usagePlan'
  id: string
  record: object | null
}

/** What a registry lets its sync do (core's `UsagePlanRegistryPeer`). */
export interface RegistryPeer {
  snapshot(): { apiKeys: { id: string }[]; usagePlans: { id: string }[] }
  apply(change: { type: 'apiKey' | 'usagePlan'; id: string; record: unknown }): void
  replace(state: { apiKeys: readonly unknown[]; usagePlans: readonly unknown[] }): Error[]
}

/** The part of an ioredis connection in subscriber mode the sync uses. */
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
  on(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown
  readonly status?: string
  disconnect(): void
}

/**
 * Options of {@link createRedisRegistrySync}.
 *
 * @example
 * ```ts
 * const options: RedisRegistrySyncOptions = { client: new Redis({ enableOfflineQueue: false }), namespace: 'pets-api' }
 * ```
 */
export interface RedisRegistrySyncOptions {
  /** Commands (scripts). With a `duplicate()` (ioredis), the pub/sub connection is made from it. */
  client: RedisClient & { duplicate?(): RedisSubscriber }
  /** The pub/sub connection (default `client.duplicate()`, closed by `close()`). */
  subscriber?: RedisSubscriber
  /** Key prefix (default `gatehouse:`). */
  prefix?: string
  /** Registries sharing a namespace share keys and plans (default `default`). */
  namespace?: string
  /** A command Redis has not answered after this many ms fails (default 2000). */
  timeoutMs?: number
  /** Most keys / plans read in a reload (default 10,000 / 300, API Gateway's default quotas); more is refused. */
  maxApiKeys?: number
  maxUsagePlans?: number
  /** Longest record as JSON (default 1,048,576 bytes); all records of one reload together: `maxTotalLength` (64 MiB). */
  maxRecordLength?: number
  maxTotalLength?: number
  /** After a failed reload, try again after this many ms (default 1000). */
  retryMs?: number
  /** Failures (Redis errors, malformed records or notices). Never thrown. */
  onError?: (error: Error) => void
}

/**
 * Counters of a sync, for this process.
 *
 * @example
 * ```ts
 * const { reloads, applied, failures, rejected } = sync.stats()
 * ```
 */
export interface RedisRegistrySyncStats {
  /** Full reloads applied; changes from other processes applied; Redis errors and timeouts; malformed records and notices. */
  reloads: number
  applied: number
  failures: number
  rejected: number
}

/**
 * A registry's sync through Redis: give it as `sync` to `createUsagePlanRegistry`.
 *
 * @example
 * ```ts
 * const sync = createRedisRegistrySync({ client })
 * const registry = createUsagePlanRegistry({ sync })
 * await sync.ready()
 * ```
 */
export interface RedisRegistrySync {
  connect(peer: RegistryPeer): void
  publish(change: RegistryChange): void
  /** Resolves after the first full load was applied. */
  ready(): Promise<void>
  /** Resolves when every change published so far was written (or failed and was reported). */
  flush(): Promise<void>
  stats(): RedisRegistrySyncStats
  /** Stops listening (and closes the subscriber it made). */
  close(): void
}

const ID = /^[A-Za-z0-9_-]{1,64}$/
const MAX_NOTICE = 512
const MAX_TOMBSTONES = 10_000

// KEYS: hash, tombstones. ARGV: field, JSON or '' (delete), channel, notice, now, max tombstones.
const writeScript = new Script(`
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
  local n = redis.call('ZCARD', KEYS[2])
  if n > tonumber(ARGV[6]) then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - tonumber(ARGV[6]) - 1) end
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`)

// KEYS: hash, tombstones. ARGV: field, value pairs. Seeds are created when absent and not deleted at run time.
const seedScript = new Script(`
for i = 1, #ARGV, 2 do
  if not redis.call('ZSCORE', KEYS[2], ARGV[i]) then redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`)

// KEYS: key hash, plan hash. ARGV: max keys, max plans, max record length, max total length.
const loadScript = new Script(`
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[1]) or redis.call('HLEN', KEYS[2]) > tonumber(ARGV[2]) then
  return redis.error_reply('too many records')
end
local total = 0
local out = {}
for j = 1, 2 do
  local all = redis.call('HGETALL', KEYS[j])
  for i = 2, #all, 2 do
    if #all[i] > tonumber(ARGV[3]) then all[i] = '' end
    total = total + #all[i]
  end
  if total > tonumber(ARGV[4]) then return redis.error_reply('records too long') end
  out[j] = all
end
return out`)

// KEYS: hash. ARGV: field, max length. Returns the value, nil, or -1 when too long.
const getScript = new Script(`
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and #v > tonumber(ARGV[2]) then return -1 end
return v`)

function positive(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback
}

/**
 * Creates a registry sync on Redis.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createGateway, createUsagePlanRegistry } from '@gatehousejs/core'
 * import { createRedisRegistrySync } from '@gatehousejs/redis'
 * const client = new Redis({ enableOfflineQueue: false, maxRetriesPerRequest: 0 })
 * const sync = createRedisRegistrySync({ client, namespace: 'pets-api', onError: (e) => console.warn(e) })
 * const registry = createUsagePlanRegistry({ namespace: 'pets-api', sync })
 * const gw = createGateway({ api, functions, usagePlans: registry })
 * registry.disableApiKey('k1') // refused by every process's gateway once the notice arrives
 * ```
 */
export function createRedisRegistrySync(options: RedisRegistrySyncOptions): RedisRegistrySync {
  const { client } = options
  const prefix = options.prefix ?? 'gatehouse:'
  const ns = options.namespace ?? 'default'
  const base = `${prefix}registry:${hashTag(ns)}:`
  const hashes = { apiKey: `${base}keys`, usagePlan: `${base}plans` } as const
  const tombs = { apiKey: `${base}deleted-keys`, usagePlan: `${base}deleted-plans` } as const
  const channel = `${prefix}registry:${ns}`
  const maxKeys = positive(options.maxApiKeys, 10_000)
  const maxPlans = positive(options.maxUsagePlans, 300)
  const maxLen = positive(options.maxRecordLength, 1_048_576)
  const maxTotal = positive(options.maxTotalLength, 64 * 1_048_576)
  const retryMs = positive(options.retryMs, 1000)
  const deadlines = new Deadlines(positive(options.timeoutMs, 2000))
  const origin = randomBytes(9).toString('base64url')
  const counts: RedisRegistrySyncStats = { reloads: 0, applied: 0, failures: 0, rejected: 0 }
  const counted = (what: 'failures' | 'rejected') => (e: unknown) => {
    counts[what]++
    try {
      options.onError?.(e instanceof Error ? e : new Error(String(e)))
    } catch {}
  }
  const failed = counted('failures')
  const rejected = counted('rejected')
  const run = (script: Script, keys: string[], args: (string | number)[]) => deadlines.guard(script.run(client, keys, args))
  const own = options.subscriber === undefined
  if (own && typeof client.duplicate !== 'function')
    throw new TypeError('createRedisRegistrySync needs a `subscriber` or a client with duplicate()')
  const sub = options.subscriber ?? client.duplicate!()

  let peer: RegistryPeer | null = null
  let closed = false
  let seeded = false
  let reloadWanted = false
  let draining = false
  let retry: ReturnType<typeof setTimeout> | null = null
  // Changes named by notices, not yet re-read; bounded: past it, one reload replaces them all.
  const dirty = new Map<string, { type: 'apiKey' | 'usagePlan'; id: string }>()
  const writes = new Set<Promise<unknown>>()
  // A local write sent after a read left may be missing from its answer: then read again after it.
  let writesSent = 0
  let markReady!: () => void
  const readyP = new Promise<void>((r) => (markReady = r))

  async function seed(p: RegistryPeer): Promise<void> {
    const { apiKeys, usagePlans } = p.snapshot()
    for (const [type, list] of [
      ['apiKey', apiKeys],
      ['usagePlan', usagePlans],
    ] as const) {
      const args: string[] = []
      for (const r of list) args.push(r.id, JSON.stringify(r))
      for (let i = 0; i < args.length; i += 200) await run(seedScript, [hashes[type], tombs[type]], args.slice(i, i + 200))
    }
  }

  function pairs(raw: unknown, what: string): unknown[] {
    const out: unknown[] = []
    if (!Array.isArray(raw)) return out
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const field = raw[i]
      const value = raw[i + 1]
      try {
        if (typeof value !== 'string' || value === '') throw new Error(`${what} "${String(field)}" is too long or not text`)
        const record = JSON.parse(value) as unknown
        if (typeof record !== 'object' || record === null || (record as { id?: unknown }).id !== field) {
          throw new Error(`${what} "${String(field)}" is not a record of that id`)
        }
        out.push(record)
      } catch (e) {
        rejected(e)
      }
    }
    return out
  }

  async function reload(p: RegistryPeer): Promise<void> {
    if (!seeded) {
      await seed(p)
      seeded = true
    }
    const sent = writesSent
    const raw = await run(loadScript, [hashes.apiKey, hashes.usagePlan], [maxKeys, maxPlans, maxLen, maxTotal])
    if (!Array.isArray(raw) || raw.length !== 2) throw new Error('the registry load script answered an unexpected shape')
    const apiKeys = pairs(raw[0], 'API key')
    const usagePlans = pairs(raw[1], 'usage plan')
    for (const e of p.replace({ apiKeys, usagePlans })) rejected(e)
    counts.reloads++
    if (writesSent !== sent) reloadWanted = true
    markReady()
  }

  async function reread(p: RegistryPeer, type: 'apiKey' | 'usagePlan', id: string): Promise<void> {
    const sent = writesSent
    const v = await run(getScript, [hashes[type]], [id, maxLen])
    if (writesSent !== sent) {
      reloadWanted = true
      return
    }
    let record: unknown = null
    if (v === -1) throw new Error(`${type} "${id}" in Redis is longer than ${maxLen}`)
    if (typeof v === 'string') record = JSON.parse(v)
    else if (v !== null) throw new Error(`${type} "${id}": unexpected answer`)
    p.apply({ type, id, record })
    counts.applied++
  }

  /** One loop at a time: reloads first, then the dirty entries, each read after the notice that named it. */
  async function drain(): Promise<void> {
    if (draining || closed || !peer) return
    draining = true
    try {
      while (!closed && (reloadWanted || dirty.size > 0)) {
        if (reloadWanted) {
          reloadWanted = false
          dirty.clear()
          try {
            await reload(peer)
          } catch (e) {
            failed(e)
            scheduleRetry()
            return
          }
          continue
        }
        const [k, { type, id }] = dirty.entries().next().value as [string, { type: 'apiKey' | 'usagePlan'; id: string }]
        dirty.delete(k)
        try {
          await reread(peer, type, id)
        } catch (e) {
          // A Redis failure leaves the entry unknown: reload it all later. A bad record is refused and left out.
          if (e instanceof SyntaxError || (e as { name?: string }).name === 'UsagePlanAdminError') rejected(e)
          else {
            failed(e)
            reloadWanted = true
            scheduleRetry()
            return
          }
        }
      }
    } finally {
      draining = false
    }
  }

  function scheduleRetry(): void {
    reloadWanted = true
    if (retry !== null || closed) return
    retry = setTimeout(() => {
      retry = null
      void drain()
    }, retryMs)
    retry.unref?.()
  }

  function requestReload(): void {
    reloadWanted = true
    void drain()
  }

  function onNotice(ch: string, message: string): void {
    if (ch !== channel || closed) return
    try {
      if (typeof message !== 'string' || message.length > MAX_NOTICE) throw new Error('registry notice too long')
      const n = JSON.parse(message) as { o?: unknown; t?: unknown; id?: unknown }
      if (typeof n !== 'object' || n === null || typeof n.id !== 'string' || !ID.test(n.id) || (n.t !== 'k' && n.t !== 'p')) {
        throw new Error('malformed registry notice')
      }
      if (n.o === origin) return
      const type = n.t === 'k' ? 'apiKey' : 'usagePlan'
      if (dirty.size >= maxKeys + maxPlans) reloadWanted = true
      else dirty.set(`${n.t}:${n.id}`, { type, id: n.id })
      void drain()
    } catch (e) {
      rejected(e)
    }
  }

  async function onConnected(): Promise<void> {
    if (closed) return
    try {
      await deadlines.guard(sub.subscribe(channel))
    } catch (e) {
      failed(e)
    }
    // Whatever was announced while we were away is in the hashes: read them all.
    requestReload()
  }

  return {
    connect(p) {
      if (peer) throw new Error('this registry sync already serves a registry')
      peer = p
      sub.on('message', onNotice)
      sub.on('error', () => {})
      sub.on('ready', () => void onConnected())
      if (sub.status === undefined || sub.status === 'ready') void onConnected()
    },
    publish(change) {
      if (closed) return
      const type = change.type === 'apiKey' ? 'apiKey' : 'usagePlan'
      const value = change.record === null ? '' : JSON.stringify(change.record)
      if (value.length > maxLen) {
        rejected(new Error(`${type} "${change.id}" is longer than ${maxLen} as JSON: not shared`))
        return
      }
      const notice = JSON.stringify({ o: origin, t: type === 'apiKey' ? 'k' : 'p', id: change.id })
      writesSent++
      const w = run(writeScript, [hashes[type], tombs[type]], [change.id, value, channel, notice, Date.now(), MAX_TOMBSTONES]).catch(
        (e: unknown) => {
          // Not in Redis, so not in the others: go back to what Redis holds once it answers again.
          failed(e)
          scheduleRetry()
        },
      )
      writes.add(w)
      void w.finally(() => writes.delete(w))
    },
    ready: () => readyP,
    flush: async () => {
      await Promise.all([...writes])
    },
    stats: () => ({ ...counts }),
    close() {
      closed = true
      if (retry !== null) clearTimeout(retry)
      if (own) sub.disconnect()
    },
  }
}
