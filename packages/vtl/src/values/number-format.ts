/** Numbers as Java prints them: `Double.toString`, and an Integer or a Double by its value. */

const POW10 = [10, 100, 1000, 10000]
const ZEROS = ['', '0', '00', '000']

/**
 * Printing a double is costly in V8 (a shortest round-trip search); payload prices and rates mostly have a few
 * decimals, which integer arithmetic prints faster. `t / p === a` means the decimal t/p reads back as `a`, and
 * below 1e7 no other decimal of at most four places does, so it is the shortest form `String(v)` would give.
 */
function shortDecimal(v: number): string | undefined {
  const a = v < 0 ? -v : v
  for (let k = 0; k < 4; k++) {
    const p = POW10[k]!
    const t = Math.round(a * p)
    if (t / p !== a) continue
    const f = t % p
    const digits = String(f)
    return `${v < 0 ? '-' : ''}${(t - f) / p}.${ZEROS[k + 1 - digits.length]}${digits}`
  }
  return undefined
}

/** `Double.toString` of Java. */
export function formatDouble(v: number): string {
  if (!Number.isInteger(v) && Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7) return shortDecimal(v) ?? String(v)
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return 'Infinity'
  if (v === -Infinity) return '-Infinity'
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0'
  const a = Math.abs(v)
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v)
    return s.includes('.') ? s : `${s}.0`
  }
  const [mant, exp] = v.toExponential().split('e') as [string, string]
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`
}

/** How Velocity prints a number held as a JS number: an Integer, or a Double when it has a fraction. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : formatDouble(n)
}
