/**
 * What verification speaks: its options and secret lookup, its result, and the parts of a signature as the
 * Authorization header or a presigned query string carries them.
 */
import type { VerifyFailureCode } from './failure'
import type { PathOptions } from './types'

/**
 * What {@link VerifyOptions.lookupSecret} returns for a known access key: the secret alone, or a record with
 * the session token temporary credentials carry and their expiry (epoch ms).
 *
 * @example
 * ```ts
 * import { signRequest, verifyRequest, type SecretRecord } from '@gatehousejs/sigv4'
 * // Temporary credentials (STS): the request must carry the session token, and they stop working at `expiration`.
 * const sessions = new Map<string, SecretRecord>([
 *   ['ASIAEXAMPLE', { secretAccessKey: 'secret', sessionToken: 'FwoGZXIvYXdzEXAMPLE', expiration: Date.parse('2030-01-01T00:00:00Z') }],
 * ])
 * const request = signRequest(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'FwoGZXIvYXdzEXAMPLE' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * const result = await verifyRequest(request, { lookupSecret: (id) => sessions.get(id) })
 * if (result.ok) console.log(result.sessionToken) // 'FwoGZXIvYXdzEXAMPLE'
 * else if (result.code === 'EXPIRED_TOKEN') console.log('credentials expired')
 * ```
 */
export interface SecretRecord {
  secretAccessKey: string
  sessionToken?: string
  expiration?: number
}

/**
 * What a secret lookup may return: `undefined`/`null` for an unknown key.
 *
 * @example
 * ```ts
 * import { signRequest, verifyRequest, type SecretLookupResult } from '@gatehousejs/sigv4'
 * const keys = new Map([['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']])
 * // The secret, a SecretRecord, or undefined/null for a key nobody issued.
 * const lookupSecret = (accessKeyId: string): SecretLookupResult => keys.get(accessKeyId) ?? null
 * const request = signRequest(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'guess' },
 *   { region: 'us-east-1', service: 'execute-api' },
 * )
 * const result = await verifyRequest(request, { lookupSecret })
 * if (!result.ok) console.log(result.code, result.reason) // 'UNRECOGNIZED_CLIENT' 'The security token included in the request is invalid.'
 * ```
 */
export type SecretLookupResult = string | SecretRecord | undefined | null

/**
 * Options of {@link verifyRequest}.
 *
 * @example
 * ```ts
 * import { verifyRequest, type VerifyOptions } from '@gatehousejs/sigv4'
 * const keys = new Map([['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY']])
 * const options: VerifyOptions = {
 *   lookupSecret: async (id) => keys.get(id), // may be async (a database, a secrets manager)
 *   region: 'us-east-1',
 *   service: 'execute-api',
 *   maxSkewMs: 60_000,
 * }
 * const result = await verifyRequest({ method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } }, options)
 * result.ok // false: 'MISSING_AUTHENTICATION_TOKEN', the request is not signed
 * ```
 */
export interface VerifyOptions extends PathOptions {
  /** The secret for an access key id (may be async for {@link verifyRequest}). */
  lookupSecret: (accessKeyId: string) => SecretLookupResult | Promise<SecretLookupResult>
  /** Region the credential scope must name; any region when omitted. */
  region?: string
  /** Service the credential scope must name; default `execute-api`. */
  service?: string
  /** Clock, epoch ms. */
  now?: () => number
  /** Allowed difference between the request's date and the clock, both ways; default 5 minutes (AWS's). */
  maxSkewMs?: number
}

/**
 * The outcome of a verification. On success, the key, the scope and how the request was signed; on failure
 * a code and AWS's message (the `reason`, e.g. `Signature expired: …`).
 *
 * @example
 * ```ts
 * import { verifyRequest } from '@gatehousejs/sigv4'
 * const result = await verifyRequest(
 *   { method: 'GET', path: '/prod/pets', headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' } },
 *   { lookupSecret: () => undefined },
 * )
 * if (result.ok) console.log(result.accessKeyId, result.region, result.presigned)
 * else console.log(result.code, result.reason) // 'MISSING_AUTHENTICATION_TOKEN' 'Missing Authentication Token'
 * ```
 */
export type VerifyResult =
  | {
      ok: true
      accessKeyId: string
      /** The session token the request carried (temporary credentials). */
      sessionToken?: string
      region: string
      service: string
      /** When the request was signed, epoch ms. */
      signedAt: number
      /** `true` for a presigned (query-string) request. */
      presigned: boolean
    }
  | { ok: false; code: VerifyFailureCode; reason: string }

/**
 * The signature's parts read from the Authorization header (with `X-Amz-Date`/`Date`) or from a presigned
 * query string, before any of them is checked.
 */
export interface SignatureParts {
  algorithm: string
  credential: string
  /** The `SignedHeaders` list as written (`;`-separated). */
  signedList: string
  signature: string
  /** The request's date in `X-Amz-Date` form. */
  date: string
  /** Where `date` came from (`X-Amz-Date` or `Date`), for the scope-mismatch message. */
  dateFrom: string
  /** The session token the request carries. */
  token: string | undefined
  /** A presigned request's lifetime in seconds (`X-Amz-Expires`). */
  expires: number | undefined
  /** A presigned request's `X-Amz-Content-Sha256` parameter. */
  payloadHash: string | undefined
}
