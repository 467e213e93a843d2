/**
 * Where and why a body is not JSON, in Jackson's words (API Gateway's validator reads bodies with Jackson). Only
 * called after `JSON.parse` failed, so it favours being small over being fast. V8's messages do not always carry
 * the position, hence the scan.
 */

const WS = new Set([' ', '\t', '\n', '\r'])

/** Offset of the first syntax error in `text` (its length when the input ends too early), or -1. */
function errorOffset(text: string): number {
  let i = 0
  const n = text.length
  const ws = () => {
    while (i < n && WS.has(text[i]!)) i++
  }
  // An explicit stack instead of recursion: a hostile body may nest a million brackets.
  const stack: ('{' | '[')[] = []
  let opened = false
  const value = (): boolean => {
    ws()
    const c = text[i]
    if (c === '{' || c === '[') {
      stack.push(c)
      opened = true
      i++
      return true
    }
    if (c === '"') return str()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
      if (!m) return false
      i += m[0].length
      return true
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return true
      }
    }
    return false
  }
  const str = (): boolean => {
    i++
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return true
      }
      if (c < 32) return false
      if (c === 92) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else return false
      } else i++
    }
    return false
  }
  if (!value()) return i
  for (;;) {
    ws()
    const top = stack[stack.length - 1]
    if (top === undefined) return i === n ? -1 : i
    const c = text[i]
    // Right after `{` or `[` (the last thing read opened the container): a closing bracket or a first member.
    const justOpened = opened
    opened = false
    if (justOpened && ((top === '{' && c === '}') || (top === '[' && c === ']'))) {
      stack.pop()
      i++
      continue
    }
    if (!justOpened) {
      if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
        stack.pop()
        i++
        continue
      }
      if (c !== ',') return i
      i++
      ws()
    }
    if (top === '{') {
      if (text[i] !== '"' || !str()) return i
      ws()
      if (text[i] !== ':') return i
      i++
    }
    if (!value()) return i
  }
}

/** Jackson-style reason `text` is not JSON. */
export function jsonSyntaxError(text: string): string {
  const at = errorOffset(text)
  if (at < 0 || at >= text.length) return 'Unexpected end-of-input'
  const word = /^[A-Za-z_$][^\s,:{}[\]"]*/.exec(text.slice(at, at + 256))?.[0]
  if (word !== undefined) {
    return `Unrecognized token '${word.slice(0, 64)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`
  }
  const ch = text.charAt(at)
  return `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`
}
