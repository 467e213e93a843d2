/**
 * RFC 3986 percent-encoding as SigV4 specifies it: every byte except the unreserved set `A-Za-z0-9-._~` is
 * written `%XX` with upper-case hex digits; text is encoded as UTF-8.
 */

const HEX = '0123456789ABCDEF'
// ASCII lookup: the character itself when unreserved, else its %XX form.
const ASCII: string[] = []
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  ASCII.push(/[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${HEX[c >> 4]}${HEX[c & 15]}`)
}
const UNRESERVED_RE = /^[A-Za-z0-9\-._~]*$/
const UNRESERVED_OR_SLASH_RE = /^[A-Za-z0-9\-._~/]*$/

function byte(b: number): string {
  return `%${HEX[b >> 4]}${HEX[b & 15]}`
}

/** Appends the UTF-8 percent-encoding of the code point at `s[i]`; returns how many code units it used. */
function encodeNonAscii(s: string, i: number, out: string[]): number {
  let cp = s.charCodeAt(i)
  let used = 1
  if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
    const lo = s.charCodeAt(i + 1)
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
      used = 2
    }
  }
  // A lone surrogate cannot be UTF-8; encode U+FFFD as TextEncoder does, so nothing ever throws.
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd
  if (cp < 0x800) {
    out.push(byte(0xc0 | (cp >> 6)), byte(0x80 | (cp & 63)))
  } else if (cp < 0x10000) {
    out.push(byte(0xe0 | (cp >> 12)), byte(0x80 | ((cp >> 6) & 63)), byte(0x80 | (cp & 63)))
  } else {
    out.push(byte(0xf0 | (cp >> 18)), byte(0x80 | ((cp >> 12) & 63)), byte(0x80 | ((cp >> 6) & 63)), byte(0x80 | (cp & 63)))
  }
  return used
}

/**
 * Encodes `s` as it stands (a `%` becomes `%25`). With `keepSlash`, `/` stays, as in the canonical URI.
 */
export function uriEncode(s: string, keepSlash = false): string {
  if ((keepSlash ? UNRESERVED_OR_SLASH_RE : UNRESERVED_RE).test(s)) return s
  const out: string[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 128) out.push(keepSlash && c === 47 ? '/' : ASCII[c]!)
    else i += encodeNonAscii(s, i, out) - 1
  }
  return out.join('')
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

/**
 * Canonical form of a component taken from the wire: percent-escapes are decoded byte by byte and the bytes
 * encoded again (so `%7e` → `~`, `%2f` → `%2F`, raw `ሴ` → `%E1%88%B4`). A `%` that starts no valid escape is
 * taken literally (`%25`); `+` is a literal plus (`%2B`), as SigV4 signers never use form encoding.
 */
export function canonicalComponent(raw: string, keepSlash = false): string {
  if ((keepSlash ? UNRESERVED_OR_SLASH_RE : UNRESERVED_RE).test(raw)) return raw
  const out: string[] = []
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 37 && i + 2 < raw.length) {
      const h = hexVal(raw.charCodeAt(i + 1))
      const l = hexVal(raw.charCodeAt(i + 2))
      if (h >= 0 && l >= 0) {
        const b = (h << 4) | l
        out.push(b < 128 ? (keepSlash && b === 47 ? '%2F' : ASCII[b]!) : byte(b))
        i += 2
        continue
      }
    }
    if (c < 128) out.push(keepSlash && c === 47 ? '/' : ASCII[c]!)
    else i += encodeNonAscii(raw, i, out) - 1
  }
  return out.join('')
}

/**
 * Decodes a query component to text (`%XX` escapes as UTF-8, invalid escapes kept literally, `+` kept).
 * Never throws.
 */
export function decodeComponent(raw: string): string {
  if (raw.indexOf('%') === -1) return raw
  try {
    return decodeURIComponent(raw)
  } catch {
    // Malformed escapes: decode the valid ones byte-wise, keep the rest.
    const bytes: number[] = []
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i)
      if (c === 37 && i + 2 < raw.length) {
        const h = hexVal(raw.charCodeAt(i + 1))
        const l = hexVal(raw.charCodeAt(i + 2))
        if (h >= 0 && l >= 0) {
          bytes.push((h << 4) | l)
          i += 2
          continue
        }
      }
      const end = c >= 0xd800 && c <= 0xdbff && i + 1 < raw.length ? i + 2 : i + 1
      for (const b of Buffer.from(raw.slice(i, end), 'utf8')) bytes.push(b)
      i = end - 1
    }
    return Buffer.from(bytes).toString('utf8')
  }
}
