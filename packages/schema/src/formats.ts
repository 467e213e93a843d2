/**
 * Built-in string formats. Each is a plain predicate; regexes here are linear (no nested quantifiers).
 */
import type { FormatCheck } from './types'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|([+-])(\d{2}):(\d{2}))$/i
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
}

export function isDate(s: string): boolean {
  const m = DATE.exec(s)
  if (m === null) return false
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  return mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && isLeap(y) ? 29 : DAYS[mo]!)
}

export function isTime(s: string): boolean {
  const m = TIME.exec(s)
  if (m === null) return false
  const h = Number(m[1])
  const mi = Number(m[2])
  const sec = Number(m[3])
  let oh = 0
  let om = 0
  if (m[6] !== undefined) {
    oh = Number(m[7])
    om = Number(m[8])
    if (oh > 23 || om > 59) return false
  }
  if (h > 23 || mi > 59) return false
  if (sec <= 59) return true
  if (sec !== 60) return false
  // A leap second happens at 23:59:60 UTC only.
  const sign = m[6] === '-' ? -1 : 1
  let utcMin = h * 60 + mi - sign * (oh * 60 + om)
  utcMin = ((utcMin % 1440) + 1440) % 1440
  return utcMin === 23 * 60 + 59
}

export function isDateTime(s: string): boolean {
  const i = s.search(/t/i)
  return i === 10 && isDate(s.slice(0, 10)) && isTime(s.slice(11))
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

export function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false
  for (const label of s.split('.')) if (!HOST_LABEL.test(label)) return false
  return true
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/

export function isIpv4(s: string): boolean {
  return IPV4.test(s)
}

export function isIpv6(s: string): boolean {
  if (s.length > 45 || s.length < 2) return false
  let tail = s
  let groupsNeeded = 8
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    if (!isIpv4(s.slice(lastColon + 1))) return false
    tail = `${s.slice(0, lastColon + 1)}0:0`
  }
  const dbl = tail.indexOf('::')
  if (dbl !== tail.lastIndexOf('::')) return false
  const hex = /^[0-9a-f]{1,4}$/i
  if (dbl < 0) {
    const parts = tail.split(':')
    return parts.length === groupsNeeded && parts.every((p) => hex.test(p))
  }
  const left = tail.slice(0, dbl)
  const right = tail.slice(dbl + 2)
  const lp = left === '' ? [] : left.split(':')
  const rp = right === '' ? [] : right.split(':')
  groupsNeeded = 7
  return lp.length + rp.length <= groupsNeeded && [...lp, ...rp].every((p) => hex.test(p))
}

// RFC 3986 absolute URI: scheme ":" hier-part [ "?" query ] [ "#" fragment ], characters checked by class.
// Printable ASCII except the characters RFC 3986 never allows unescaped.
const URI = /^[a-z][a-z0-9+.-]*:[!#-;=?-[\]_a-z~]*$/i
const URI_REF_CHARS = /^[!#-;=?-[\]_a-z~]*$/i
const PCT = /%(?![0-9a-f]{2})/i

function uriRest(s: string): boolean {
  if (PCT.test(s)) return false
  const hash = s.indexOf('#')
  if (hash >= 0 && s.indexOf('#', hash + 1) >= 0) return false
  // Authority: brackets only around an IP literal; the port must be digits.
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(s) ?? /^\/\/([^/?#]*)/.exec(s)
  let rest = s
  if (m) {
    const auth = m[1]!
    const at = auth.lastIndexOf('@')
    if (auth.indexOf('@') !== at) return false
    if (/[[\]]/.test(auth.slice(0, at + 1))) return false
    const host = auth.slice(at + 1)
    if (host.startsWith('[')) {
      const hm = /^\[([0-9a-f:.]+)\](:\d*)?$/i.exec(host)
      if (hm === null || !isIpv6(hm[1]!)) return false
    } else if (/[[\]]/.test(host) || !/^[^:]*(:\d*)?$/.test(host)) return false
    rest = s.slice(m.index + m[0].length)
  } else rest = s.replace(/^[a-z][a-z0-9+.-]*:/i, '')
  // Brackets belong to IP literals only.
  return !/[[\]]/.test(rest)
}

export function isUri(s: string): boolean {
  return URI.test(s) && uriRest(s)
}

export function isUriReference(s: string): boolean {
  if (!URI_REF_CHARS.test(s)) return false
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return isUri(s)
  // A relative reference's first segment cannot hold a colon.
  if (/^[^/?#]*:/.test(s)) return false
  return uriRest(s)
}

// Simple, linear email check: local part of dot-atoms or a quoted string; domain a hostname or IP literal.
const LOCAL = /^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[^"\\\r\n]|\\.)*")$/i

export function isEmail(s: string): boolean {
  const at = s.lastIndexOf('@')
  if (at <= 0 || at === s.length - 1) return false
  const local = s.slice(0, at)
  const domain = s.slice(at + 1)
  if (!LOCAL.test(local)) return false
  if (domain.startsWith('[')) {
    if (!domain.endsWith(']')) return false
    const lit = domain.slice(1, -1)
    return lit.toLowerCase().startsWith('ipv6:') ? isIpv6(lit.slice(5)) : isIpv4(lit)
  }
  return isHostname(domain)
}

export function isJsonPointer(s: string): boolean {
  return /^(?:\/(?:[^~/]|~[01])*)*$/.test(s)
}

export function isRelativeJsonPointer(s: string): boolean {
  const m = /^(0|[1-9][0-9]*)(.*)$/s.exec(s)
  return m !== null && (m[2] === '#' || isJsonPointer(m[2]!))
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
}

export function isRegex(s: string): boolean {
  try {
    new RegExp(s, 'u')
    return true
  } catch {
    return false
  }
}

// RFC 3339 appendix A: each unit may only be followed by the next smaller one.
const DUR_TIME = String.raw`T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)`
const DURATION = new RegExp(String.raw`^P(?:\d+W|(?:\d+Y(?:\d+M(?:\d+D)?)?|\d+M(?:\d+D)?|\d+D)(?:${DUR_TIME})?|${DUR_TIME})$`)

export function isDuration(s: string): boolean {
  return DURATION.test(s)
}

export function isUriTemplate(s: string): boolean {
  return /^(?:[^{}]|\{[^{}]*\})*$/.test(s)
}

/** The built-in formats; a format not listed (and not given in options) is not checked. */
export const BUILTIN_FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': isDateTime,
  date: isDate,
  time: isTime,
  email: isEmail,
  hostname: isHostname,
  ipv4: isIpv4,
  ipv6: isIpv6,
  uri: isUri,
  'uri-reference': isUriReference,
  'json-pointer': isJsonPointer,
  'relative-json-pointer': isRelativeJsonPointer,
  uuid: isUuid,
  regex: isRegex,
  duration: isDuration,
  'uri-template': isUriTemplate,
}

/** Turn a user format (predicate or RegExp) into a predicate. */
export function toPredicate(f: FormatCheck): (s: string) => boolean {
  if (f instanceof RegExp) {
    const re = new RegExp(f.source, f.flags.replace(/[gy]/g, ''))
    return (s) => re.test(s)
  }
  return f
}
