/**
 * The integrations a WebSocket API has running in the background (messages, `$disconnect`), for `close()` to wait
 * for: a count and, only while someone waits, one promise — nothing kept per message.
 */
export class Running {
  private count = 0
  private drained: { promise: Promise<void>; resolve: () => void } | undefined

  start(): void {
    this.count++
  }

  finish(): void {
    if (--this.count > 0 || this.drained === undefined) return
    const { resolve } = this.drained
    this.drained = undefined
    resolve()
  }

  /** Resolves once none is running. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    if (this.drained === undefined) {
      let resolve!: () => void
      const promise = new Promise<void>((r) => {
        resolve = r
      })
      this.drained = { promise, resolve }
    }
    return this.drained.promise
  }
}
