/**
 * AWS WAF's text transformations, on byte strings (one character per byte, 0x00–0xFF): each is one linear pass
 * whose output is never longer than its input, so a chain of them costs O(steps × field size).
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 */

/** One transformation: a byte string in, a byte string out, no longer than its input. */
export type Transform = (input: string) => string

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d)

function map(input: string, f: (c: number) => number): string {
  let out = ''
  let from = 0
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i)
    const d = f(c)
    if (d !== c) {
      out += input.slice(from, i) + String.fromCharCode(d)
      from = i + 1
    }
  }
  return from === 0 ? input : out + input.slice(from)
}

function remove(input: string, drop: (c: number) => boolean): string {
  let out = ''
  let from = 0
  for (let i = 0; i < input.length; i++) {
    if (drop(input.charCodeAt(i))) {
      out += input.slice(from, i)
      from = i + 1
    }
  }
  return from === 0 ? input : out + input.slice(from)
}

const lowercase: Transform = (s) => map(s, (c) => (c >= 0x41 && c <= 0x5a ? c + 32 : c))
const uppercase: Transform = (s) => map(s, (c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c))

/** `\f \t \n \r \v` and the non-breaking space (0xA0) become spaces, then runs of spaces become one. */
const compressWhiteSpace: Transform = (s) => {
  let out = ''
  let lastSpace = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const space = c === 0x20 || c === 0x0c || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0xa0
    if (space) {
      if (!lastSpace) out += ' '
      lastSpace = true
    } else {
      out += s[i]
      lastSpace = false
    }
  }
  return out
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** `%XX` becomes the byte, `+` a space; a `%` not followed by two hex digits stays as it is. */
const urlDecode: Transform = (s) => {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x25 && i + 2 < s.length) {
      const h = hexValue(s.charCodeAt(i + 1))
      const l = hexValue(s.charCodeAt(i + 2))
      if (h >= 0 && l >= 0) {
        out += String.fromCharCode(h * 16 + l)
        i += 2
        continue
      }
    }
    out += c === 0x2b ? ' ' : s[i]
  }
  return out
}

/** A code point as the bytes of its UTF-8 form (a byte string). */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp)
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1')
}

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', apos: "'" }
const MAX_CODE_POINT = 0x10ffff

/**
 * `&quot; &amp; &lt; &gt; &nbsp; &apos;` and numeric references (`&#nnnn;`, `&#xhhhh;`, the `;` optional as
 * browsers read them) become their characters: a code point above 0x7F as its UTF-8 bytes, an invalid one
 * stays as written.
 */
const htmlEntityDecode: Transform = (s) => {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x26) {
      out += s[i]
      continue
    }
    if (s.charCodeAt(i + 1) === 0x23) {
      const hex = s.charCodeAt(i + 2) === 0x78 || s.charCodeAt(i + 2) === 0x58
      let j = i + (hex ? 3 : 2)
      let value = 0
      const start = j
      for (; j < s.length; j++) {
        const d = hex ? hexValue(s.charCodeAt(j)) : s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39 ? s.charCodeAt(j) - 0x30 : -1
        if (d < 0) break
        value = Math.min(value * (hex ? 16 : 10) + d, MAX_CODE_POINT + 1)
      }
      if (j > start && value <= MAX_CODE_POINT && !(value >= 0xd800 && value <= 0xdfff)) {
        out += utf8Bytes(value)
        i = s.charCodeAt(j) === 0x3b ? j : j - 1
        continue
      }
    } else {
      // Named references are at most 4 letters: look no further, so a run of `&` stays linear.
      let semi = -1
      for (let j = i + 1; j < s.length && j <= i + 5; j++) {
        if (s.charCodeAt(j) === 0x3b) {
          semi = j
          break
        }
      }
      if (semi !== -1) {
        const name = s.slice(i + 1, semi)
        if (Object.hasOwn(NAMED, name)) {
          out += NAMED[name]
          i = semi
          continue
        }
      }
    }
    out += '&'
  }
  return out
}

function base64Value(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41
  if (c >= 0x61 && c <= 0x7a) return c - 0x47
  if (c >= 0x30 && c <= 0x39) return c + 4
  if (c === 0x2b || c === 0x2d) return 62
  if (c === 0x2f || c === 0x5f) return 63
  return -1
}

/**
 * Base64 (standard or URL alphabet) to bytes. Strict: decoding stops at the first character outside the
 * alphabet (`=` padding included). Forgiving (`BASE64_DECODE_EXT`): characters outside it are skipped.
 */
function base64(forgiving: boolean): Transform {
  return (s) => {
    let out = ''
    let acc = 0
    let bits = 0
    for (let i = 0; i < s.length; i++) {
      const v = base64Value(s.charCodeAt(i))
      if (v < 0) {
        if (forgiving) continue
        break
      }
      acc = ((acc << 6) | v) & 0xffffff
      bits += 6
      if (bits >= 8) {
        bits -= 8
        out += String.fromCharCode((acc >> bits) & 0xff)
      }
    }
    return out
  }
}

/** Pairs of hex digits to bytes; decoding stops at the first character that is not a hex digit. */
const hexDecode: Transform = (s) => {
  let out = ''
  for (let i = 0; i + 1 < s.length; i += 2) {
    const h = hexValue(s.charCodeAt(i))
    const l = hexValue(s.charCodeAt(i + 1))
    if (h < 0 || l < 0) break
    out += String.fromCharCode(h * 16 + l)
  }
  return out
}

/**
 * AWS's command-line steps, in its order: delete `\ " ' ^`; delete spaces before `/` and `(`; replace `,` and `;`
 * with a space; replace runs of whitespace with one space; lower-case A–Z.
 */
const cmdLine: Transform = (s) => {
  const deleted = remove(s, (c) => c === 0x5c || c === 0x22 || c === 0x27 || c === 0x5e)
  let noSpaceBefore = ''
  let pendingSpaces = ''
  for (let i = 0; i < deleted.length; i++) {
    const ch = deleted[i]!
    if (ch === ' ') {
      pendingSpaces += ch
      continue
    }
    if (ch !== '/' && ch !== '(') noSpaceBefore += pendingSpaces
    pendingSpaces = ''
    noSpaceBefore += ch
  }
  noSpaceBefore += pendingSpaces
  const replaced = map(noSpaceBefore, (c) => (c === 0x2c || c === 0x3b ? 0x20 : c))
  let out = ''
  let lastSpace = false
  for (let i = 0; i < replaced.length; i++) {
    const c = replaced.charCodeAt(i)
    if (isSpace(c)) {
      if (!lastSpace) out += ' '
      lastSpace = true
    } else {
      out += replaced[i]
      lastSpace = false
    }
  }
  return lowercase(out)
}

const trimLeft: Transform = (s) => {
  let i = 0
  while (i < s.length && isSpace(s.charCodeAt(i))) i++
  return s.slice(i)
}

const trimRight: Transform = (s) => {
  let j = s.length
  while (j > 0 && isSpace(s.charCodeAt(j - 1))) j--
  return s.slice(0, j)
}

/** The transformations gatehouse runs, by AWS's `Type` name. */
export const TRANSFORMS: Readonly<Record<string, Transform>> = {
  NONE: (s) => s,
  LOWERCASE: lowercase,
  UPPERCASE: uppercase,
  COMPRESS_WHITE_SPACE: compressWhiteSpace,
  HTML_ENTITY_DECODE: htmlEntityDecode,
  URL_DECODE: urlDecode,
  BASE64_DECODE: base64(false),
  BASE64_DECODE_EXT: base64(true),
  HEX_DECODE: hexDecode,
  CMD_LINE: cmdLine,
  REMOVE_NULLS: (s) => remove(s, (c) => c === 0),
  REPLACE_NULLS: (s) => map(s, (c) => (c === 0 ? 0x20 : c)),
  REMOVE_WHITESPACE: (s) => remove(s, isSpace),
  TRIM: (s) => trimRight(trimLeft(s)),
  TRIM_LEFT: trimLeft,
  TRIM_RIGHT: trimRight,
}

/** AWS's limit on text transformations per statement. */
export const MAX_TRANSFORMATIONS = 10

/** The chain of `transforms` as one function (the identity for an empty or all-`NONE` chain). */
export function chain(transforms: readonly Transform[]): Transform {
  const steps = transforms.filter((t) => t !== TRANSFORMS.NONE)
  if (steps.length === 0) return TRANSFORMS.NONE!
  if (steps.length === 1) return steps[0]!
  return (s) => {
    let out = s
    for (const t of steps) out = t(out)
    return out
  }
}
