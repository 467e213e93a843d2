/**
 * Zero-width assertions, evaluated on the input at a position (UTF-16 offset). Every character they look at is
 * in the BMP, so looking at single code units is exact.
 */
import { Assert } from './ast'

const FOLD_WORD = /\w/iu

function asciiWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x61 && c <= 0x7a)
}

/** `\w` under ECMAScript `iu`: also U+017F (ſ) and U+212A (Kelvin), which fold into it. */
function foldWord(c: number): boolean {
  return asciiWord(c) || c === 0x17f || c === 0x212a
}

const JAVA_WORD = /[\p{L}\p{Nd}_]/u
const JAVA_WORD_ASCII = new Uint8Array(128)
for (let c = 0; c < 128; c++) JAVA_WORD_ASCII[c] = asciiWord(c) ? 1 : 0

/** Java's `\b` word character: Character.isLetterOrDigit, or `_`. */
export function javaWord(c: number): boolean {
  if (c < 128) return JAVA_WORD_ASCII[c] === 1
  return JAVA_WORD.test(String.fromCodePoint(c))
}

/** The code point ending at pos (a surrogate pair read whole), or -1 at the start. */
function cpBefore(s: string, pos: number): number {
  if (pos <= 0) return -1
  const c = s.charCodeAt(pos - 1)
  if ((c & 0xfc00) === 0xdc00 && pos >= 2) {
    const h = s.charCodeAt(pos - 2)
    if ((h & 0xfc00) === 0xd800) return 0x10000 + ((h - 0xd800) << 10) + (c - 0xdc00)
  }
  return c
}

function esLine(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029
}

function javaLine(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029
}

/** Does assertion `kind` hold at `pos` of `s`? */
export function assertAt(kind: Assert, s: string, pos: number): boolean {
  const n = s.length
  switch (kind) {
    case Assert.Start:
      return pos === 0
    case Assert.End:
      return pos === n
    case Assert.EsLineStart:
      return pos === 0 || esLine(s.charCodeAt(pos - 1))
    case Assert.EsLineEnd:
      return pos === n || esLine(s.charCodeAt(pos))
    case Assert.WordBoundary:
    case Assert.NotWordBoundary: {
      const b = (pos > 0 && asciiWord(s.charCodeAt(pos - 1))) !== (pos < n && asciiWord(s.charCodeAt(pos)))
      return kind === Assert.WordBoundary ? b : !b
    }
    case Assert.WordBoundaryFold:
    case Assert.NotWordBoundaryFold: {
      const b = (pos > 0 && foldWord(s.charCodeAt(pos - 1))) !== (pos < n && foldWord(s.charCodeAt(pos)))
      return kind === Assert.WordBoundaryFold ? b : !b
    }
    case Assert.JavaEnd: {
      if (pos === n) return true
      const c = s.charCodeAt(pos)
      if (pos === n - 1) return javaLine(c) && !(c === 0x0a && pos > 0 && s.charCodeAt(pos - 1) === 0x0d)
      return pos === n - 2 && c === 0x0d && s.charCodeAt(pos + 1) === 0x0a
    }
    case Assert.JavaLineStart: {
      // Java (like Perl) does not match ^ at the end of input, even after a newline, nor between \r and \n.
      if (pos === n) return false
      if (pos === 0) return true
      const p = s.charCodeAt(pos - 1)
      return javaLine(p) && !(p === 0x0d && s.charCodeAt(pos) === 0x0a)
    }
    case Assert.JavaLineEnd: {
      if (pos === n) return true
      const c = s.charCodeAt(pos)
      return javaLine(c) && !(c === 0x0a && pos > 0 && s.charCodeAt(pos - 1) === 0x0d)
    }
    case Assert.JavaWordBoundary:
    case Assert.JavaNotWordBoundary: {
      const before = cpBefore(s, pos)
      const b = (before >= 0 && javaWord(before)) !== (pos < n && javaWord(s.codePointAt(pos)!))
      return kind === Assert.JavaWordBoundary ? b : !b
    }
  }
}

/** Kept for the self-check in tests: the fold word set equals the native one. */
export const foldWordNative = (c: number): boolean => FOLD_WORD.test(String.fromCodePoint(c))
export { foldWord }

// Context bits for the DFA, which knows only the previous and the next code point (never the whole input).
export const B_START = 1
export const B_EOF = 2
export const B_WORD = 4
export const B_FOLDWORD = 8
export const B_ESLINE = 16
export const B_JAVALINE = 32
export const B_CR = 64
export const B_LF = 128
export const B_JAVAWORD = 256

/** The context bits of code point `c` (-1 for the end of input). */
export function bitsOf(c: number): number {
  if (c < 0) return B_EOF
  let b = 0
  if (asciiWord(c)) b |= B_WORD | B_FOLDWORD | B_JAVAWORD
  else {
    if (c === 0x17f || c === 0x212a) b |= B_FOLDWORD
    if (javaWord(c)) b |= B_JAVAWORD
  }
  if (esLine(c)) b |= B_ESLINE
  if (javaLine(c)) b |= B_JAVALINE
  if (c === 0x0d) b |= B_CR
  else if (c === 0x0a) b |= B_LF
  return b
}

/** Is one side of a `\b` a word character (by `word`, the syntax's word bit) and the other not? */
function crosses(prev: number, next: number, word: number): boolean {
  return ((prev & word) !== 0) !== ((next & word) !== 0)
}

/** Does `kind` hold between a code point with bits `prev` and one with bits `next`? null: needs more context. */
export function assertCtx(kind: Assert, prev: number, next: number): boolean | null {
  switch (kind) {
    case Assert.Start:
      return (prev & B_START) !== 0
    case Assert.End:
      return (next & B_EOF) !== 0
    case Assert.EsLineStart:
      return (prev & (B_START | B_ESLINE)) !== 0
    case Assert.EsLineEnd:
      return (next & (B_EOF | B_ESLINE)) !== 0
    case Assert.WordBoundary:
      return crosses(prev, next, B_WORD)
    case Assert.NotWordBoundary:
      return !crosses(prev, next, B_WORD)
    case Assert.WordBoundaryFold:
      return crosses(prev, next, B_FOLDWORD)
    case Assert.NotWordBoundaryFold:
      return !crosses(prev, next, B_FOLDWORD)
    case Assert.JavaLineStart:
      if ((next & B_EOF) !== 0) return false
      return (prev & B_START) !== 0 || ((prev & B_JAVALINE) !== 0 && !((prev & B_CR) !== 0 && (next & B_LF) !== 0))
    case Assert.JavaLineEnd:
      return (next & B_EOF) !== 0 || ((next & B_JAVALINE) !== 0 && !((next & B_LF) !== 0 && (prev & B_CR) !== 0))
    case Assert.JavaWordBoundary:
      return crosses(prev, next, B_JAVAWORD)
    case Assert.JavaNotWordBoundary:
      return !crosses(prev, next, B_JAVAWORD)
    case Assert.JavaEnd:
      return null
  }
}
