/**
 * An incremental UTF-8 validator (RFC 3629): bytes may arrive split anywhere, even inside a code point, and an
 * invalid sequence is caught at its first bad byte — so a text message is refused with 1007 as soon as it goes
 * wrong, across frames and TCP chunks, without buffering to the end (RFC 6455 §8.1).
 *
 * @example
 * ```ts
 * import { createUtf8Validator } from '@gatehousejs/websocket'
 * const v = createUtf8Validator()
 * v.write(Uint8Array.of(0xe2, 0x82)) // true: so far so good
 * v.write(Uint8Array.of(0xac)) // true: '€' complete
 * v.complete() // true: no code point left open
 * ```
 */
export interface Utf8Validator {
  /** Feeds `bytes[start, end)`; false once the stream can no longer be valid UTF-8 (and from then on). */
  write(bytes: Uint8Array, start?: number, end?: number): boolean
  /** Whether everything written so far is valid and ends on a code point boundary. */
  complete(): boolean
  /** Forget everything written (for the next message). */
  reset(): void
}

/**
 * Makes an {@link Utf8Validator}.
 *
 * @example
 * ```ts
 * import { createUtf8Validator } from '@gatehousejs/websocket'
 * const v = createUtf8Validator()
 * v.write(Uint8Array.of(0xc0, 0x80)) // false: overlong encoding
 * ```
 */
export function createUtf8Validator(): Utf8Validator {
  const v = new Utf8Stream()
  // Bound, so the methods still work taken off the object.
  return { write: v.write.bind(v), complete: v.complete.bind(v), reset: v.reset.bind(v) }
}

/** @internal The validator as a class: what the frame parser holds, one small object per connection. */
export class Utf8Stream implements Utf8Validator {
  private need = 0 // continuation bytes still expected
  private lo = 0x80 // bounds of the next continuation byte (narrower after E0, ED, F0, F4)
  private hi = 0xbf
  private failed = false

  write(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    if (this.failed) return false
    let need = this.need
    let lo = this.lo
    let hi = this.hi
    for (let i = start; i < end; i++) {
      const b = bytes[i]!
      if (need === 0) {
        if (b < 0x80) continue
        if (b >= 0xc2 && b <= 0xdf) need = 1
        else if (b >= 0xe0 && b <= 0xef) {
          need = 2
          if (b === 0xe0) lo = 0xa0
          else if (b === 0xed) hi = 0x9f // no UTF-16 surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3
          if (b === 0xf0) lo = 0x90
          else if (b === 0xf4) hi = 0x8f // nothing above U+10FFFF
        } else {
          this.failed = true
          return false
        }
      } else {
        if (b < lo || b > hi) {
          this.failed = true
          return false
        }
        lo = 0x80
        hi = 0xbf
        need--
      }
    }
    this.need = need
    this.lo = lo
    this.hi = hi
    return true
  }

  complete(): boolean {
    return !this.failed && this.need === 0
  }

  reset(): void {
    this.need = 0
    this.lo = 0x80
    this.hi = 0xbf
    this.failed = false
  }
}
