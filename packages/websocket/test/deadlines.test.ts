/**
 * The shared deadline queue behind idle and duration closes (src/deadlines.ts): its heap stays ordered under any
 * sequence of schedule/cancel/reschedule, items expire in due order and once, and connections leave it when they
 * close. Timing is never asserted: only order, outcome and what is left queued.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { cancel, DUE, type Deadline, EXPIRE, heapValid, monotonicNow, queued, SLOT, schedule } from '../src/deadlines'
import type { Connection } from '../src/index'
import { startServer, type TestServer } from './helpers'

function item(onExpire: (self: Deadline, now: number) => void = () => undefined): Deadline {
  const self: Deadline = { [DUE]: 0, [SLOT]: -1, [EXPIRE]: (now) => onExpire(self, now) }
  return self
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!predicate()) throw new Error('condition never held')
}

describe('the deadline heap', () => {
  it('stays a valid heap, holding exactly the scheduled items, under any schedule/cancel sequence', () => {
    const far = monotonicNow() + 1e9 // never due while the test runs
    const op = fc.oneof(
      fc.record({ kind: fc.constant('schedule' as const), i: fc.nat(15), due: fc.nat(1000) }),
      fc.record({ kind: fc.constant('cancel' as const), i: fc.nat(15) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const base = queued()
        const items = Array.from({ length: 16 }, () => item())
        const model = new Map<number, number>()
        for (const o of ops) {
          if (o.kind === 'schedule') {
            schedule(items[o.i]!, far + o.due)
            model.set(o.i, far + o.due)
          } else {
            cancel(items[o.i]!)
            model.delete(o.i)
          }
          expect(heapValid()).toBe(true)
          expect(queued()).toBe(base + model.size)
        }
        items.forEach((it, i) => {
          expect(it[SLOT] >= 0).toBe(model.has(i))
          if (model.has(i)) expect(it[DUE]).toBe(model.get(i))
        })
        for (const it of items) cancel(it)
        expect(queued()).toBe(base)
      }),
    )
  })

  it('expires items in due order, each once, and an item may schedule itself again', async () => {
    const order: string[] = []
    const now = monotonicNow()
    const names = ['c', 'a', 'd', 'b']
    const dues = [30, 10, 40, 20]
    let again = 0
    const items = names.map((name) =>
      item((self, at) => {
        order.push(name)
        expect(self[SLOT]).toBe(-1) // out of the queue before it is told
        if (name === 'a' && again++ === 0) schedule(self, at + 45)
      }),
    )
    for (const [i, it] of items.entries()) schedule(it, now + dues[i]!)
    await until(() => order.length === 5)
    expect(order).toEqual(['a', 'b', 'c', 'd', 'a'])
    expect(items.every((it) => it[SLOT] === -1)).toBe(true)
  })
})

describe('connections in the queue', () => {
  let server: TestServer | undefined
  const extra: TestServer[] = []
  afterEach(async () => {
    await server?.close()
    server = undefined
    await Promise.all(extra.splice(0).map((s) => s.close()))
  })

  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })
  const closed = (ws: WebSocket) =>
    new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    )

  it('each connection closes with 1001 at its own idle timeout, and none is left queued', async () => {
    const base = queued()
    const order: number[] = []
    const closing = [300, 60, 180].map(async (idleTimeoutMs) => {
      const s = await startServer({ idleTimeoutMs })
      extra.push(s)
      const result = await closed(await open(s.url))
      order.push(idleTimeoutMs)
      return result
    })
    expect(await Promise.all(closing)).toEqual([1, 2, 3].map(() => ({ code: 1001, reason: 'Going away' })))
    expect(order).toEqual([60, 180, 300])
    await until(() => queued() === base)
  })

  it('a duration or idle timeout past setTimeout’s limit (24.8 days) does not close the connection early', async () => {
    const month = 30 * 24 * 60 * 60 * 1000
    let connection!: Connection
    server = await startServer({ idleTimeoutMs: month, maxDurationMs: month }, (c) => {
      connection = c
      c.on('message', (data) => c.send(data))
    })
    const ws = await open(server.url)
    for (let i = 0; i < 5; i++) {
      const answer = new Promise((resolve) => ws.once('message', resolve))
      ws.send(`ping ${i}`)
      await answer
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(connection.readyState).toBe('open')
    ws.close()
    await closed(ws)
  })

  it('a connection the client closes leaves the queue', async () => {
    const base = queued()
    server = await startServer({ idleTimeoutMs: 60_000 })
    const clients = await Promise.all(Array.from({ length: 5 }, () => open(server!.url)))
    expect(queued()).toBe(base + 5)
    await Promise.all(
      clients.map((ws) => {
        const done = closed(ws)
        ws.close()
        return done
      }),
    )
    await until(() => queued() === base)
    expect(heapValid()).toBe(true)
  })
})
