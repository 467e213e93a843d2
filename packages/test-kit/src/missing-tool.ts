/**
 * An outside tool a test needs (openssl, a real redis-server) that is not there: under CI that is a failure,
 * never a skip; elsewhere the tests are skipped and the reason is printed.
 */
export function reportMissingTool(what: string, reason: string): void {
  // Thrown while vitest collects the file, so the file fails.
  if (process.env.CI) throw new Error(reason)
  console.warn(`SKIPPED ${what}: ${reason}`)
}
