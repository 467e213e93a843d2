/**
 * One timer for every connection's idle and duration deadlines: a binary min-heap of the connections by due time
 * (monotonic milliseconds), with the process's single timer armed for the earliest. A connection costs a slot and
 * three numbers instead of two `Timeout` objects and their closures; a data message costs nothing here (the idle
 * check reads `lastActiveAt` when the deadline comes, as the per-connection timer did).
 */

/** The keys of a queued item's fields: symbols, so they stay off the public names of the class that has them. */
export const DUE: unique symbol = Symbol('due')
export const SLOT: unique symbol = Symbol('slot')
export const EXPIRE: unique symbol = Symbol('expire')

/** What the queue holds: its due time and its place in the heap (-1 when not queued). */
export interface Deadline {
  [DUE]: number
  [SLOT]: number
  /** Called once the due time has passed (the item is out of the queue); it may schedule itself again. */
  [EXPIRE](now: number): void
}

// setTimeout's largest delay (a longer one fires at once, with a warning): later deadlines re-arm when it fires.
const MAX_DELAY = 2 ** 31 - 1

const heap: Deadline[] = []
let timer: NodeJS.Timeout | undefined
let armedFor = Number.POSITIVE_INFINITY
let firing = false

/** The monotonic clock deadlines are measured on. */
export const monotonicNow = (): number => performance.now()

/** Queues `item` for `due` (monotonic ms), or moves it there if it is queued already. */
export function schedule(item: Deadline, due: number): void {
  if (item[SLOT] >= 0) {
    const earlier = due < item[DUE]
    item[DUE] = due
    if (earlier) up(item[SLOT])
    else down(item[SLOT])
  } else {
    item[DUE] = due
    item[SLOT] = heap.length
    heap.push(item)
    up(item[SLOT])
  }
  if (due < armedFor && !firing) arm()
}

/** Takes `item` out of the queue (nothing when it is not queued). The timer is left: it re-arms when it fires. */
export function cancel(item: Deadline): void {
  const slot = item[SLOT]
  if (slot < 0) return
  item[SLOT] = -1
  const last = heap.pop()!
  if (last === item) return
  heap[slot] = last
  last[SLOT] = slot
  up(slot)
  down(last[SLOT])
}

/** How many deadlines are queued (for tests). */
export function queued(): number {
  return heap.length
}

function arm(): void {
  if (timer !== undefined) clearTimeout(timer)
  timer = undefined
  armedFor = Number.POSITIVE_INFINITY
  const first = heap[0]
  if (first === undefined) return
  armedFor = first[DUE]
  timer = setTimeout(fire, Math.min(MAX_DELAY, Math.max(1, Math.ceil(first[DUE] - monotonicNow()))))
  timer.unref()
}

function fire(): void {
  timer = undefined
  armedFor = Number.POSITIVE_INFINITY
  const now = monotonicNow()
  // Items expired by this run are out of the heap before `expire` runs, so one that re-schedules itself into the
  // past cannot loop here forever: at most the items present now are expired.
  let budget = heap.length
  firing = true
  try {
    while (budget-- > 0 && heap.length > 0 && heap[0]![DUE] <= now) {
      const item = heap[0]!
      cancel(item)
      try {
        item[EXPIRE](now)
      } catch {
        // one expiry must not stop the others (Connection.close does not throw for the codes it uses)
      }
    }
  } finally {
    firing = false
  }
  arm()
}

function up(slot: number): void {
  const item = heap[slot]!
  while (slot > 0) {
    const parent = (slot - 1) >> 1
    const p = heap[parent]!
    if (p[DUE] <= item[DUE]) break
    heap[slot] = p
    p[SLOT] = slot
    slot = parent
  }
  heap[slot] = item
  item[SLOT] = slot
}

function down(slot: number): void {
  const item = heap[slot]!
  const n = heap.length
  for (;;) {
    const left = 2 * slot + 1
    if (left >= n) break
    const right = left + 1
    const child = right < n && heap[right]![DUE] < heap[left]![DUE] ? right : left
    const c = heap[child]!
    if (c[DUE] >= item[DUE]) break
    heap[slot] = c
    c[SLOT] = slot
    slot = child
  }
  heap[slot] = item
  item[SLOT] = slot
}

/** @internal For tests: whether every item sits at its slot and no parent is due after its children. */
export function heapValid(): boolean {
  return heap.every((item, i) => item[SLOT] === i && (i === 0 || heap[(i - 1) >> 1]![DUE] <= item[DUE]))
}
