/**
 * Certificates for the mutual TLS tests, made by `openssl` in a temporary directory: certificate authorities, the
 * certificates they sign, self-signed and expired ones. Without openssl the tests are skipped, except under CI.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportMissingTool } from './missing-tool'

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Whether the mutual TLS tests `what` can run: false (and a printed reason) without openssl, which under CI
 * throws instead, failing the test file.
 *
 * @example
 * ```ts
 * describe.skipIf(!requireOpenssl('mutual TLS tests'))('mutual TLS', () => { … })
 * ```
 */
export function requireOpenssl(what: string): boolean {
  if (hasOpenssl()) return true
  reportMissingTool(what, 'openssl is missing: the mutual TLS tests need it to make certificates')
  return false
}

/** A temporary directory of keys and certificates. */
export interface CertificateDir {
  readonly dir: string
  /** The contents of `name` (`ca.crt`, `alice.key`, …). */
  file(name: string): Buffer
  /**
   * `<name>.key` and `<name>.crt` (a P-256 key) for `subject`, signed by the certificate authority `<ca>.crt` /
   * `<ca>.key`, or self-signed when `ca` is null; valid for `days` (`'-1'`: already expired).
   */
  issue(name: string, subject: string, ca: string | null, days?: string): void
  /** Deletes the directory. */
  remove(): void
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/**
 * A fresh directory under the system's temporary one, named `<prefix>…`.
 *
 * @example
 * ```ts
 * const certs = createCertificateDir('gatehouse-mtls-')
 * certs.issue('ca', '/CN=Test CA', null)
 * certs.issue('alice', '/CN=alice/O=Gatehouse', 'ca')
 * const truststore = certs.file('ca.crt')
 * ```
 */
export function createCertificateDir(prefix: string): CertificateDir {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  return {
    dir,
    file: (name) => readFileSync(join(dir, name)),
    issue(name, subject, ca, days = '2') {
      if (ca === null) {
        openssl('req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', days, '-subj', subject)
        return
      }
      openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject)
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        days,
      )
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
