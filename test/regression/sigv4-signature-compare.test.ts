/**
 * Issue #12, finding 4 (second half): a presigned `X-Amz-Signature` whose hex digits were replaced by
 * non-ASCII look-alikes (`%C5%A6`, U+0166, for `f`) verified, because the comparison took each character's low
 * byte. Only well-formed 64-character lowercase hex is compared, byte for byte, in both forms; session tokens
 * are compared byte for byte too.
 */
import { describe, expect, it } from 'vitest'
import { signRequest, verifyRequest, type SignableRequest } from '@gatehousejs/sigv4'

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const T = Date.UTC(2015, 7, 30, 12, 36, 0)
const base: SignableRequest = { method: 'GET', path: '/prod/pets', query: 'limit=2', headers: { host: 'api.example.com' } }
const opts = { lookupSecret: (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined), region: 'us-east-1', now: () => T }

/** A signature whose every hex letter (a-f) is replaced by a character whose low byte is that letter. */
function lookAlike(sig: string): string {
  return sig.replace(/[a-f]/g, (c) => String.fromCharCode(0x100 + c.charCodeAt(0)))
}

function findSigWithLetter(presign: boolean): SignableRequest & { query: string } {
  // Sign at successive seconds until the signature holds an `f` (nearly always at once).
  for (let i = 0; ; i++) {
    const s = signRequest(base, KEY, {
      region: 'us-east-1',
      service: 'execute-api',
      date: T - i * 1000,
      ...(presign ? { presign: true } : {}),
    })
    const sig = presign
      ? /X-Amz-Signature=([0-9a-f]{64})/.exec(s.query)![1]!
      : /Signature=([0-9a-f]{64})/.exec(String(s.headers.authorization))![1]!
    if (sig.includes('f')) return s
  }
}

describe('SigV4 signatures are compared as lowercase hex bytes (issue #12, finding 4)', () => {
  it('presigned: %C5%A6 (Ŧ) in place of f does not verify', async () => {
    const s = findSigWithLetter(true)
    expect(await verifyRequest(s, opts)).toMatchObject({ ok: true })
    const sig = /X-Amz-Signature=([0-9a-f]{64})/.exec(s.query)![1]!
    const forged = s.query.replace(sig, sig.replace(/f/g, '%C5%A6'))
    expect(await verifyRequest({ ...s, query: forged }, opts)).toMatchObject({ ok: false, code: 'SIGNATURE_DOES_NOT_MATCH' })
    const allLetters = s.query.replace(sig, encodeURIComponent(lookAlike(sig)))
    expect(await verifyRequest({ ...s, query: allLetters }, opts)).toMatchObject({ ok: false, code: 'SIGNATURE_DOES_NOT_MATCH' })
  })

  it('header: look-alike characters in Signature= do not verify', async () => {
    const s = findSigWithLetter(false)
    expect(await verifyRequest(s, opts)).toMatchObject({ ok: true })
    const auth = String(s.headers.authorization)
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)![1]!
    const forged = auth.replace(sig, lookAlike(sig))
    expect(await verifyRequest({ ...s, headers: { ...s.headers, authorization: forged } }, opts)).toMatchObject({
      ok: false,
      code: 'SIGNATURE_DOES_NOT_MATCH',
    })
  })

  it('upper-case hex, short, long or padded signatures do not verify', async () => {
    const s = findSigWithLetter(false)
    const auth = String(s.headers.authorization)
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)![1]!
    for (const bad of [sig.toUpperCase(), sig.slice(0, 63), `${sig}0`, `${sig}\u0000`, ` ${sig.slice(1)}`]) {
      const r = await verifyRequest({ ...s, headers: { ...s.headers, authorization: auth.replace(sig, bad) } }, opts)
      expect(r.ok, JSON.stringify(bad)).toBe(false)
    }
  })

  it('a session token with look-alike characters is not the configured token', async () => {
    const temp = { ...KEY, sessionToken: 'token-fff' }
    const lookup = () => ({ secretAccessKey: KEY.secretAccessKey, sessionToken: temp.sessionToken })
    // The attacker signs with the secret (e.g. a leaked long-term key) but not the session token's exact bytes.
    const forgedToken = 'token-\u0166\u0166\u0166'
    const s = signRequest(base, { ...KEY, sessionToken: forgedToken }, { region: 'us-east-1', service: 'execute-api', date: T })
    expect(await verifyRequest(s, { ...opts, lookupSecret: lookup })).toMatchObject({ ok: false, code: 'UNRECOGNIZED_CLIENT' })
    const good = signRequest(base, temp, { region: 'us-east-1', service: 'execute-api', date: T })
    expect(await verifyRequest(good, { ...opts, lookupSecret: lookup })).toMatchObject({ ok: true })
  })
})
