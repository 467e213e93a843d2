/**
 * The frame parser against RFC 6455 §5 (framing), §5.4 (fragmentation, control frames in the middle of a
 * fragmented message), §5.5 (control frames ≤ 125 bytes, not fragmented), §5.5.1 and §7.4 (close codes), §8.1
 * (UTF-8 of text messages, failing fast) and §7.1.7 (failing the connection):
 * https://www.rfc-editor.org/rfc/rfc6455 . Size limits: API Gateway closes with 1009 for a frame over 32 KB or a
 * message over 128 KB (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
import { describe, expect, it } from 'vitest'
import { createFrameParser, createUtf8Validator, encodeFrame, type FrameEvent, type ProtocolErrorCode } from '../src/index'
import { clientFrame } from './helpers'

function parseAll(bytes: Uint8Array, limits = {}): FrameEvent[] {
  return createFrameParser(limits).push(bytes)
}

function errorOf(events: FrameEvent[]): { code: ProtocolErrorCode; closeCode: number } | undefined {
  const last = events.at(-1)
  return last?.type === 'error' ? { code: last.error.code, closeCode: last.error.closeCode } : undefined
}

const cat = (...parts: Uint8Array[]) => Buffer.concat(parts)

describe('frames', () => {
  it('reads the RFC §5.7 examples (masked "Hello", fragmented "Hel"+"lo", ping)', () => {
    const masked = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    expect(parseAll(masked)).toEqual([{ type: 'message', data: 'Hello' }])
    const fragmented = cat(clientFrame(0x1, 'Hel', false), clientFrame(0x0, 'lo'))
    expect(parseAll(fragmented)).toEqual([{ type: 'message', data: 'Hello' }])
    expect(parseAll(clientFrame(0x9, 'Hello'))).toEqual([{ type: 'ping', data: Buffer.from('Hello') }])
  })

  it('reads 16-bit and 64-bit lengths', () => {
    const mid = Buffer.alloc(300, 7)
    expect(parseAll(clientFrame(0x2, mid))).toEqual([{ type: 'message', data: mid }])
    const big = Buffer.alloc(70_000, 9)
    const frame = clientFrame(0x2, big)
    expect(frame[1]! & 0x7f).toBe(127)
    expect(parseAll(frame, { maxFrameBytes: 100_000, maxMessageBytes: 100_000 })).toEqual([{ type: 'message', data: big }])
  })

  it('delivers control frames between the fragments of a message, in order', () => {
    const events = parseAll(
      cat(clientFrame(0x2, 'ab', false), clientFrame(0x9, 'p'), clientFrame(0x0, 'cd', false), clientFrame(0xa, ''), clientFrame(0x0, 'e')),
    )
    expect(events).toEqual([
      { type: 'ping', data: Buffer.from('p') },
      { type: 'pong', data: Buffer.alloc(0) },
      { type: 'message', data: Buffer.from('abcde') },
    ])
  })

  it('reads empty messages and empty fragments', () => {
    expect(parseAll(cat(clientFrame(0x1, ''), clientFrame(0x2, '', false), clientFrame(0x0, '')))).toEqual([
      { type: 'message', data: '' },
      { type: 'message', data: Buffer.alloc(0) },
    ])
  })

  it('reads a close frame with code and reason, a close without a code, and nothing after a close', () => {
    const close = Buffer.from([0x0f, 0xa0, ...Buffer.from('bye')]) // 4000
    expect(parseAll(cat(clientFrame(0x8, close), clientFrame(0x1, 'ignored')))).toEqual([{ type: 'close', code: 4000, reason: 'bye' }])
    expect(parseAll(clientFrame(0x8, ''))).toEqual([{ type: 'close', code: undefined, reason: '' }])
  })
})

describe('protocol errors (each fails the connection with the RFC 6455 code)', () => {
  const unmasked = (opcode: number, payload: string) => encodeFrame(opcode, Buffer.from(payload))
  const withFirstByte = (frame: Buffer, b0: number) => {
    const copy = Buffer.from(frame)
    copy[0] = b0
    return copy
  }
  const closeWith = (code: number, reason: Uint8Array = new Uint8Array(0)) => {
    const p = Buffer.alloc(2 + reason.length)
    p.writeUInt16BE(code, 0)
    p.set(reason, 2)
    return clientFrame(0x8, p)
  }
  const cases: Array<[string, Uint8Array, ProtocolErrorCode, number, object?]> = [
    ['§5.1 unmasked client frame', unmasked(0x1, 'hi'), 'UNMASKED_FRAME', 1002],
    ['§5.2 RSV1 without extension (a compressed frame)', withFirstByte(clientFrame(0x1, 'hi'), 0xc1), 'RESERVED_BITS', 1002],
    ['§5.2 RSV2', withFirstByte(clientFrame(0x1, 'hi'), 0xa1), 'RESERVED_BITS', 1002],
    ['§5.2 RSV3', withFirstByte(clientFrame(0x1, 'hi'), 0x91), 'RESERVED_BITS', 1002],
    ['§5.2 reserved data opcode 0x3', clientFrame(0x3, 'x'), 'RESERVED_OPCODE', 1002],
    ['§5.2 reserved control opcode 0xB', clientFrame(0xb, 'x'), 'RESERVED_OPCODE', 1002],
    ['§5.5 fragmented ping', clientFrame(0x9, 'x', false), 'CONTROL_FRAGMENTED', 1002],
    ['§5.5 ping of 126 bytes', clientFrame(0x9, Buffer.alloc(126)), 'CONTROL_TOO_LONG', 1002],
    ['§5.4 continuation without a message', clientFrame(0x0, 'x'), 'UNEXPECTED_CONTINUATION', 1002],
    [
      '§5.4 new text frame inside a fragmented message',
      cat(clientFrame(0x1, 'a', false), clientFrame(0x1, 'b')),
      'EXPECTED_CONTINUATION',
      1002,
    ],
    [
      '§5.2 64-bit length with its top bit set',
      Buffer.from([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]),
      'LENGTH_OVERFLOW',
      1002,
      { maxFrameBytes: 2 ** 40 },
    ],
    ['§5.5.1 close payload of 1 byte', clientFrame(0x8, Buffer.from([3])), 'BAD_CLOSE_PAYLOAD', 1002],
    ['§7.4.1 close code 1005 on the wire', closeWith(1005), 'INVALID_CLOSE_CODE', 1002],
    ['§7.4.1 close code 1006 on the wire', closeWith(1006), 'INVALID_CLOSE_CODE', 1002],
    ['§7.4.1 close code 1015 on the wire', closeWith(1015), 'INVALID_CLOSE_CODE', 1002],
    ['§7.4.2 close code 999', closeWith(999), 'INVALID_CLOSE_CODE', 1002],
    ['§7.4.2 close code 2000', closeWith(2000), 'INVALID_CLOSE_CODE', 1002],
    ['§7.4.2 close code 5000', closeWith(5000), 'INVALID_CLOSE_CODE', 1002],
    ['§5.5.1 close reason not UTF-8', closeWith(1000, Uint8Array.of(0xff)), 'INVALID_UTF8', 1007],
    ['§8.1 text with an invalid byte', clientFrame(0x1, Uint8Array.of(0x61, 0xff)), 'INVALID_UTF8', 1007],
    ['§8.1 text with an overlong encoding', clientFrame(0x1, Uint8Array.of(0xc0, 0xaf)), 'INVALID_UTF8', 1007],
    ['§8.1 text with a UTF-16 surrogate', clientFrame(0x1, Uint8Array.of(0xed, 0xa0, 0x80)), 'INVALID_UTF8', 1007],
    ['§8.1 text above U+10FFFF', clientFrame(0x1, Uint8Array.of(0xf4, 0x90, 0x80, 0x80)), 'INVALID_UTF8', 1007],
    ['§8.1 text ending inside a code point', clientFrame(0x1, Uint8Array.of(0xe2, 0x82)), 'INVALID_UTF8', 1007],
    [
      '§8.1 invalid UTF-8 in the second fragment',
      cat(clientFrame(0x1, Uint8Array.of(0xce), false), clientFrame(0x0, Uint8Array.of(0x41))),
      'INVALID_UTF8',
      1007,
    ],
    ['frame over maxFrameBytes', clientFrame(0x2, Buffer.alloc(33)), 'FRAME_TOO_BIG', 1009, { maxFrameBytes: 32, maxMessageBytes: 128 }],
    [
      'message over maxMessageBytes in small frames',
      cat(...Array.from({ length: 5 }, (_, i) => clientFrame(i === 0 ? 0x2 : 0x0, Buffer.alloc(30), i === 4))),
      'MESSAGE_TOO_BIG',
      1009,
      { maxFrameBytes: 32, maxMessageBytes: 128 },
    ],
  ]
  it.each(cases)('%s', (_name, bytes, code, closeCode, limits = {}) => {
    expect(errorOf(parseAll(bytes, limits))).toEqual({ code, closeCode })
    // and the same, byte by byte
    const parser = createFrameParser(limits)
    const events: FrameEvent[] = []
    for (const b of bytes) events.push(...parser.push(Uint8Array.of(b)))
    expect(errorOf(events)).toEqual({ code, closeCode })
    expect(parser.done).toBe(true)
  })

  it('accepts every close code that may be sent: 1000–1003, 1007–1014, 3000–4999', () => {
    for (let code = 0; code < 6000; code++) {
      const p = Buffer.alloc(2)
      p.writeUInt16BE(code, 0)
      const ok = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
      expect(parseAll(clientFrame(0x8, p))[0]!.type).toBe(ok ? 'close' : 'error')
    }
  })

  it('refuses an oversized frame from its header alone, before any payload arrives', () => {
    const frame = clientFrame(0x2, Buffer.alloc(40_000))
    const parser = createFrameParser()
    expect(errorOf(parser.push(frame.subarray(0, 8)))).toEqual({ code: 'FRAME_TOO_BIG', closeCode: 1009 })
    expect(parser.bufferedBytes()).toBe(0)
  })

  it('fails a text message at its first bad byte, before the frame ends', () => {
    const frame = clientFrame(0x1, Buffer.concat([Buffer.from([0xff]), Buffer.alloc(1000, 0x61)]))
    const parser = createFrameParser()
    expect(errorOf(parser.push(frame.subarray(0, 10)))).toEqual({ code: 'INVALID_UTF8', closeCode: 1007 })
  })

  it("the default limits are API Gateway's: 32 KB frames, 128 KB messages", () => {
    const kb32 = Buffer.alloc(32 * 1024, 1)
    expect(parseAll(clientFrame(0x2, kb32))[0]!.type).toBe('message')
    expect(errorOf(parseAll(clientFrame(0x2, Buffer.alloc(32 * 1024 + 1))))?.closeCode).toBe(1009)
    const four = cat(...[0, 1, 2, 3].map((i) => clientFrame(i === 0 ? 0x2 : 0x0, kb32, i === 3)))
    expect(parseAll(four)).toEqual([{ type: 'message', data: Buffer.concat([kb32, kb32, kb32, kb32]) }])
    const five = cat(...[0, 1, 2, 3, 4].map((i) => clientFrame(i === 0 ? 0x2 : 0x0, i === 4 ? Buffer.alloc(1) : kb32, i === 4)))
    expect(errorOf(parseAll(five))).toEqual({ code: 'MESSAGE_TOO_BIG', closeCode: 1009 })
  })
})

describe('UTF-8 validator', () => {
  it('agrees with the WHATWG decoder in fatal mode on every 1–4 byte sequence from a sample, split anywhere', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true })
    const leads = [
      0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
    ]
    const conts = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff]
    const seqs: number[][] = []
    for (const a of leads) {
      seqs.push([a])
      for (const b of conts) {
        seqs.push([a, b])
        for (const c of conts) {
          seqs.push([a, b, c])
          for (const d of [0x80, 0xbf, 0x41]) seqs.push([a, b, c, d])
        }
      }
    }
    for (const seq of seqs) {
      const bytes = Uint8Array.from(seq)
      let expected = true
      try {
        decoder.decode(bytes)
      } catch {
        expected = false
      }
      for (let split = 0; split <= bytes.length; split++) {
        const v = createUtf8Validator()
        const ok = v.write(bytes, 0, split) && v.write(bytes, split) && v.complete()
        expect(ok, `${Buffer.from(bytes).toString('hex')} split at ${split}`).toBe(expected)
      }
    }
  })
})
