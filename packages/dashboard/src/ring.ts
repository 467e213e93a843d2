/**
 * A fixed-capacity list of the latest entries (the access-log tail, the recent errors): the oldest is overwritten.
 */

/**
 * The last `capacity` entries pushed, newest first.
 *
 * @example
 * ```ts
 * const ring = new Ring<number>(2)
 * ring.push(1)
 * ring.push(2)
 * ring.push(3)
 * ring.newestFirst() // [3, 2]
 * ```
 */
export class Ring<T> {
  private readonly items: (T | undefined)[]
  private next = 0
  private size = 0

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity)
  }

  push(item: T): void {
    if (this.capacity === 0) return
    this.items[this.next] = item
    this.next = (this.next + 1) % this.capacity
    if (this.size < this.capacity) this.size++
  }

  get length(): number {
    return this.size
  }

  newestFirst(): T[] {
    const out: T[] = []
    for (let i = 1; i <= this.size; i++) out.push(this.items[(this.next - i + this.capacity) % this.capacity] as T)
    return out
  }
}
