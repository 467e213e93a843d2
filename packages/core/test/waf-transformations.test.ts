/**
 * AWS WAF's text transformations (on byte strings) and the IP set match: tables from AWS's descriptions, and
 * properties — idempotence where AWS's transformation is idempotent, output never longer than input, decoders
 * inverting their encoders, and the IP match agreeing with a bit-by-bit reference CIDR check.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '@gatehousejs/test-kit'
import { compileStatement } from '../src/features/waf/statements'
import { TRANSFORMS } from '../src/features/waf/transformations'
import type { RequestState } from '../src/state'

const t = (type: string) => TRANSFORMS[type]!
/** Strings of bytes (one character per byte), weighted towards the characters transformations care about. */
const byteString = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(
        ...[0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x25, 0x26, 0x23, 0x3b, 0x2b, 0x2c, 0x2f, 0x28, 0x5c, 0x22, 0x27, 0x5e],
      ),
      fc.constantFrom(...'0123456789abcdefxABCDEFX'.split('').map((c) => c.charCodeAt(0))),
    ),
    { maxLength: 64 },
  )
  .map((codes) => String.fromCharCode(...codes))

// Each transformation as AWS describes it.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
describe('text transformations (AWS WAF Developer Guide, "Text transformation options")', () => {
  it.each([
    ['NONE', 'A b%41', 'A b%41'],
    ['LOWERCASE', 'SELECT É', 'select É'], // A–Z only
    ['UPPERCASE', 'select', 'SELECT'],
    ['COMPRESS_WHITE_SPACE', 'a\f\t\n\r\v\u00a0  b', 'a b'],
    ['HTML_ENTITY_DECODE', '&quot;&lt;&gt;&amp;&nbsp;', '"<>&\u00a0'],
    ['HTML_ENTITY_DECODE', '&#60;script&#x3e;', '<script>'],
    ['HTML_ENTITY_DECODE', '&#60script', '<script'], // the `;` optional for numeric references
    ['HTML_ENTITY_DECODE', '&#xe9;', '\u00c3\u00a9'], // é as its UTF-8 bytes
    ['HTML_ENTITY_DECODE', '&bogus; &# &#x;', '&bogus; &# &#x;'],
    ['URL_DECODE', '%3Cscript%3e+x%zz%4', '<script> x%zz%4'],
    ['BASE64_DECODE', 'PHNjcmlwdD4=', '<script>'],
    ['BASE64_DECODE', 'PHNj*cmlw', '<sc'], // stops at a character outside the alphabet
    ['BASE64_DECODE_EXT', 'PHN j*cmlwdD4', '<script>'], // skips them
    ['HEX_DECODE', '3c7363726970743e', '<script>'],
    ['CMD_LINE', 'C:\\"Windows\'^ /system32 (x),a;b   c', 'c:windows/system32(x) a b c'],
    ['REMOVE_NULLS', 'a\u0000b\u0000', 'ab'],
    ['REPLACE_NULLS', 'a\u0000b', 'a b'],
    ['REMOVE_WHITESPACE', ' a \t b\n', 'ab'],
    ['TRIM', ' \t a b \n', 'a b'],
    ['TRIM_LEFT', '  a ', 'a '],
    ['TRIM_RIGHT', '  a ', '  a'],
  ])('%s(%j) = %j', (type, input, output) => {
    expect(t(type)(input)).toBe(output)
  })

  const idempotent = [
    'NONE',
    'LOWERCASE',
    'UPPERCASE',
    'COMPRESS_WHITE_SPACE',
    'REMOVE_NULLS',
    'REPLACE_NULLS',
    'REMOVE_WHITESPACE',
    'TRIM',
    'TRIM_LEFT',
    'TRIM_RIGHT',
  ]
  it.each(idempotent)('%s is idempotent', (type) => {
    fc.assert(
      fc.property(byteString, (s) => t(type)(t(type)(s)) === t(type)(s)),
      fuzzParams(300),
    )
  })

  it('the decoders are not idempotent (a second pass decodes again, as on AWS)', () => {
    expect(t('URL_DECODE')(t('URL_DECODE')('%253C'))).toBe('<')
    expect(t('HTML_ENTITY_DECODE')(t('HTML_ENTITY_DECODE')('&amp;lt;'))).toBe('<')
  })

  it.each(Object.keys(TRANSFORMS))('%s: bytes in, bytes out, never longer than its input', (type) => {
    fc.assert(
      fc.property(byteString, (s) => {
        const out = t(type)(s)
        if (out.length > s.length) return false
        for (let i = 0; i < out.length; i++) if (out.charCodeAt(i) > 0xff) return false
        return true
      }),
      fuzzParams(300),
    )
  })

  it('URL_DECODE, BASE64_DECODE and HEX_DECODE invert their encodings', () => {
    const bytes = fc.uint8Array({ maxLength: 64 })
    fc.assert(
      fc.property(bytes, (b) => {
        const s = Buffer.from(b).toString('latin1')
        const percent = [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')
        return (
          t('URL_DECODE')(percent) === s &&
          t('BASE64_DECODE')(Buffer.from(b).toString('base64')) === s &&
          t('BASE64_DECODE')(Buffer.from(b).toString('base64url')) === s &&
          t('HEX_DECODE')(Buffer.from(b).toString('hex')) === s
        )
      }),
      fuzzParams(300),
    )
  })
})

// The IP set match against a reference: an address is in a block when their first `prefix` bits are equal.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ip-set-match.html
describe('IP set match agrees with a reference CIDR check', () => {
  const ctx = { bodyLimit: 16_384, ipSets: {} }
  const inSet = (addresses: string[], ip: string) =>
    compileStatement({ IPSetReferenceStatement: { Addresses: addresses } }, '/waf', ctx, 0)({ identity: { sourceIp: ip } } as RequestState)
  const bits = (groups: number[], width: number) => groups.map((g) => g.toString(2).padStart(width, '0')).join('')

  it('IPv4', () => {
    const v4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 })
    fc.assert(
      fc.property(v4, v4, fc.integer({ min: 1, max: 32 }), fc.boolean(), (base, ip, prefix, near) => {
        // Half the time the client shares the block's first bits, so both answers are exercised.
        const client = near ? [...base.slice(0, Math.floor(prefix / 8)), ...ip.slice(Math.floor(prefix / 8))] : ip
        const expected = bits(base, 8).slice(0, prefix) === bits(client, 8).slice(0, prefix)
        return inSet([`${base.join('.')}/${prefix}`], client.join('.')) === expected
      }),
      fuzzParams(500),
    )
  })

  it('IPv6', () => {
    const v6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
    fc.assert(
      fc.property(v6, v6, fc.integer({ min: 1, max: 128 }), fc.boolean(), (base, ip, prefix, near) => {
        const client = near ? [...base.slice(0, Math.floor(prefix / 16)), ...ip.slice(Math.floor(prefix / 16))] : ip
        // Addresses in ::ffff:0:0/96 are IPv4 clients on a dual-stack socket: leave them to the IPv4 property.
        fc.pre(!(client.slice(0, 5).every((g) => g === 0) && client[5] === 0xffff))
        fc.pre(!(base.slice(0, 5).every((g) => g === 0) && base[5] === 0xffff))
        const expected = bits(base, 16).slice(0, prefix) === bits(client, 16).slice(0, prefix)
        const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':')
        return inSet([`${hex(base)}/${prefix}`], hex(client)) === expected
      }),
      fuzzParams(500),
    )
  })
})
