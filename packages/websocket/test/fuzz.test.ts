/**
 * Fuzz and property tests of the frame parser (issue #18): arbitrary byte streams and arbitrary frame sequences
 * (valid and broken), each split at arbitrary points. Invariants: push never throws; every event is one of the
 * typed kinds; an error is a ProtocolError whose close code is 1002, 1007 or 1009 as RFC 6455 prescribes
 * (§7.4.1; https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1); how the bytes are split never changes the
 * events; bytes held between pushes stay under one message, a header and a control payload. The outcome of a
 * frame sequence is checked against a reference model written from RFC 6455 §5 with the WHATWG TextDecoder
 * (streaming, fatal) as the UTF-8 oracle. Round trip: messages written by encodeMessage/encodeFrame (masked as a
 * client would) and read back at any split are the messages sent. `GATEHOUSE_FUZZ_RUNS` runs longer.
 */
import { TextDecoder } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '@gatehousejs/test-kit'
import { createFrameParser, encodeFrame, encodeMessage, type FrameEvent, ProtocolError } from '../src/index'
import { readServerFrames } from './helpers'

const LIMITS = { maxFrameBytes: 64, maxMessageBytes: 160 }

/** Cuts `bytes` at the given points (taken modulo its length). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b)
  const parts: Uint8Array[] = []
  let at = 0
  for (const p of points) {
    parts.push(bytes.subarray(at, p))
    at = p
  }
  parts.push(bytes.subarray(at))
  return parts
}

/** Feeds the parts one by one, checking the invariants after each push. */
function feed(parts: Uint8Array[], limits = LIMITS): FrameEvent[] {
  const parser = createFrameParser(limits)
  const events: FrameEvent[] = []
  for (const part of parts) {
    const got = parser.push(part) // never throws: a throw fails the property
    events.push(...got)
    expect(parser.bufferedBytes()).toBeLessThanOrEqual(limits.maxMessageBytes + 14 + 125)
  }
  for (const [i, e] of events.entries()) {
    expect(['message', 'ping', 'pong', 'close', 'error']).toContain(e.type)
    if (e.type === 'close' || e.type === 'error') expect(i).toBe(events.length - 1)
    if (e.type === 'error') {
      expect(e.error).toBeInstanceOf(ProtocolError)
      expect([1002, 1007, 1009]).toContain(e.error.closeCode)
    }
  }
  return events
}

const summary = (events: FrameEvent[]) => events.map((e) => (e.type === 'error' ? { type: 'error', closeCode: e.error.closeCode } : e))

// An encoder independent of the package's: any RSV bits, masked or not.
interface RawFrame {
  fin: boolean
  rsv: number
  opcode: number
  masked: boolean
  payload: Uint8Array
}
function rawFrame(f: RawFrame): Buffer {
  const n = f.payload.length
  const ext = n < 126 ? [] : n < 65536 ? [n >> 8, n & 255] : [0, 0, 0, 0, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255]
  const len7 = n < 126 ? n : n < 65536 ? 126 : 127
  const key = [0x12, 0x34, 0x56, 0x78]
  const body = f.masked ? Array.from(f.payload, (b, i) => b ^ key[i % 4]!) : Array.from(f.payload)
  return Buffer.from([
    (f.fin ? 0x80 : 0) | (f.rsv << 4) | f.opcode,
    (f.masked ? 0x80 : 0) | len7,
    ...ext,
    ...(f.masked ? key : []),
    ...body,
  ])
}

const utf8Bytes = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8')))
const closePayloadArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999, 1004, 1005, 1006, 1015, 999, 2999, 5000), utf8Bytes)
    .map(([code, reason]) => {
      const p = new Uint8Array(2 + Math.min(reason.length, 100))
      p[0] = code >> 8
      p[1] = code & 255
      p.set(reason.subarray(0, 100), 2)
      return p
    }),
  fc.uint8Array({ maxLength: 4 }),
)
const frameArb: fc.Arbitrary<RawFrame> = fc
  .record({
    fin: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    rsv: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
    opcode: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(0, 1, 2, 8, 9, 10) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
    ),
    masked: fc.oneof({ weight: 15, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    kind: fc.constantFrom('utf8', 'bytes', 'close', 'big'),
    utf8: utf8Bytes,
    bytes: fc.uint8Array({ maxLength: 40 }),
    close: closePayloadArb,
    big: fc.oneof(fc.integer({ min: 60, max: 200 }), fc.constantFrom(63, 64, 65, 125, 126, 127, 160, 161)),
  })
  .map((r) => ({
    fin: r.fin,
    rsv: r.rsv,
    opcode: r.opcode,
    masked: r.masked,
    payload: r.kind === 'utf8' ? r.utf8 : r.kind === 'close' ? r.close : r.kind === 'big' ? new Uint8Array(r.big).fill(0x61) : r.bytes,
  }))

/** What RFC 6455 says a server reads from these frames (checks in header order, then length, then payload). */
function model(frames: RawFrame[], limits = LIMITS): unknown[] {
  const out: unknown[] = []
  let message: { opcode: number; parts: Uint8Array[]; bytes: number; decoder: TextDecoder } | null = null
  const fail = (closeCode: number) => {
    out.push({ type: 'error', closeCode })
    return out
  }
  for (const f of frames) {
    const control = f.opcode >= 8
    if (f.rsv !== 0) return fail(1002)
    if (![0, 1, 2, 8, 9, 10].includes(f.opcode)) return fail(1002)
    if (!f.masked) return fail(1002)
    if (control && !f.fin) return fail(1002)
    if (control && f.payload.length > 125) return fail(1002)
    if (f.opcode === 0 && message === null) return fail(1002)
    if ((f.opcode === 1 || f.opcode === 2) && message !== null) return fail(1002)
    if (!control) {
      if (f.payload.length > limits.maxFrameBytes) return fail(1009)
      if ((message?.bytes ?? 0) + f.payload.length > limits.maxMessageBytes) return fail(1009)
      message ??= { opcode: f.opcode, parts: [], bytes: 0, decoder: new TextDecoder('utf-8', { fatal: true }) }
      message.parts.push(f.payload)
      message.bytes += f.payload.length
      if (message.opcode === 1) {
        try {
          message.decoder.decode(f.payload, { stream: true })
          if (f.fin) message.decoder.decode()
        } catch {
          return fail(1007)
        }
      }
      if (f.fin) {
        const data = Buffer.concat(message.parts)
        out.push({ type: 'message', data: message.opcode === 1 ? data.toString('utf8') : data })
        message = null
      }
      continue
    }
    if (f.opcode === 9) out.push({ type: 'ping', data: Buffer.from(f.payload) })
    else if (f.opcode === 10) out.push({ type: 'pong', data: Buffer.from(f.payload) })
    else {
      if (f.payload.length === 0) {
        out.push({ type: 'close', code: undefined, reason: '' })
        return out
      }
      if (f.payload.length === 1) return fail(1002)
      const code = (f.payload[0]! << 8) | f.payload[1]!
      const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
      if (!sendable) return fail(1002)
      try {
        const reason = new TextDecoder('utf-8', { fatal: true }).decode(f.payload.subarray(2))
        out.push({ type: 'close', code, reason })
      } catch {
        return fail(1007)
      }
      return out
    }
  }
  return out
}

const cutsArb = fc.array(fc.nat(), { maxLength: 12 })

describe('fuzz: arbitrary bytes', () => {
  it('never throws, only typed errors with 1002/1007/1009, same events at any split, bounded buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), cutsArb, (bytes, cuts) => {
        const whole = feed([bytes])
        const pieces = feed(split(bytes, cuts))
        expect(summary(pieces)).toEqual(summary(whole))
      }),
      fuzzParams(500),
    )
  })

  it('masked-bit-forced bytes (so headers get past the mask check) behave the same', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 2, maxLength: 80 }), { maxLength: 6 }), cutsArb, (chunks, cuts) => {
        const bytes = Buffer.concat(chunks.map((c) => Buffer.from([c[0]! & 0x8f, c[1]! | 0x80, ...c.subarray(2)])))
        expect(summary(feed(split(bytes, cuts)))).toEqual(summary(feed([bytes])))
      }),
      fuzzParams(500),
    )
  })
})

describe('fuzz: frame sequences against the RFC 6455 model', () => {
  it('events (or the failing close code) are what the model says, at any split', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 10 }), cutsArb, (frames, cuts) => {
        const bytes = Buffer.concat(frames.map(rawFrame))
        const events = summary(feed(split(bytes, cuts)))
        expect(events).toEqual(model(frames))
        for (const e of events) seen.add(e.type === 'error' ? `error ${(e as { closeCode: number }).closeCode}` : e.type)
      }),
      fuzzParams(1000),
    )
    // the generator reaches every outcome, so the comparison is not vacuous
    expect([...seen].sort()).toEqual(['close', 'error 1002', 'error 1007', 'error 1009', 'message', 'ping', 'pong'])
  })
})

describe('fuzz: parsers side by side', () => {
  // Parsers read a header that arrives whole in a scratch array shared by all of them, and keep one of their own
  // only when a header is split across chunks: pieces of two streams fed in turns must give each stream's events.
  it('two parsers fed interleaved pieces give the events each gives alone', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 8 }), fc.array(frameArb, { maxLength: 8 }), cutsArb, cutsArb, (fa, fb, ca, cb) => {
        const a = split(Buffer.concat(fa.map(rawFrame)), ca)
        const b = split(Buffer.concat(fb.map(rawFrame)), cb)
        const pa = createFrameParser(LIMITS)
        const pb = createFrameParser(LIMITS)
        const ea: FrameEvent[] = []
        const eb: FrameEvent[] = []
        for (let k = 0; k < Math.max(a.length, b.length); k++) {
          if (k < a.length) ea.push(...pa.push(a[k]!))
          if (k < b.length) eb.push(...pb.push(b[k]!))
        }
        expect(summary(ea)).toEqual(model(fa))
        expect(summary(eb)).toEqual(model(fb))
      }),
      fuzzParams(500),
    )
  })
})

describe('property: written then parsed', () => {
  const messageArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  )
  it('client-masked messages in frames of any size, with pings between frames, round-trip at any split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(messageArb, fc.integer({ min: 1, max: 70 }), fc.boolean()), { maxLength: 8 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        cutsArb,
        (messages, mask, cuts) => {
          const frames: Buffer[] = []
          const expected: FrameEvent[] = []
          for (const [data, frameSize, withPing] of messages) {
            const encoded = encodeMessage(data, frameSize, () => mask)
            for (const [i, frame] of encoded.entries()) {
              frames.push(frame)
              if (withPing && i < encoded.length - 1) {
                frames.push(encodeFrame(0x9, Buffer.from([i & 255]), { mask }))
                expected.push({ type: 'ping', data: Buffer.from([i & 255]) })
              }
            }
            expected.push({ type: 'message', data })
          }
          const events = feed(split(Buffer.concat(frames), cuts), { maxFrameBytes: 70, maxMessageBytes: 1000 })
          expect(events).toEqual(expected)
        },
      ),
      fuzzParams(500),
    )
  })

  it('server frames are unmasked, use the shortest length, and read back as written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa),
        fc.boolean(),
        fc.integer({ min: 0, max: 70_000 }),
        (opcode, fin, length) => {
          const payload = Buffer.alloc(length, length & 255)
          const frame = encodeFrame(opcode, payload, { fin })
          expect(frame[1]! & 0x80).toBe(0)
          expect(frame[1]! & 0x7f).toBe(length < 126 ? length : length < 65536 ? 126 : 127)
          const read = readServerFrames(frame)
          expect(read.map((f) => ({ fin: f.fin, opcode: f.opcode, masked: f.masked, length: f.payload.length }))).toEqual([
            { fin, opcode, masked: false, length },
          ])
          expect(read[0]!.payload.equals(payload)).toBe(true)
        },
      ),
      fuzzParams(200),
    )
  })
})
