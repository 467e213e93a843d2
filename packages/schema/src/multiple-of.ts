/**
 * multipleOf, exact for decimal divisors: 0.3 is a multiple of 0.1 although 0.3 / 0.1 !== 3 in binary floats.
 */

interface Decimal {
  mant: bigint
  exp: number
}

/** A finite number's shortest decimal form (what the JSON text showed) as mantissa × 10^exp. */
function toDecimal(x: number): Decimal {
  const s = String(Math.abs(x))
  const [coef, e] = s.split('e') as [string, string | undefined]
  const dot = coef.indexOf('.')
  const digits = dot < 0 ? coef : coef.slice(0, dot) + coef.slice(dot + 1)
  const frac = dot < 0 ? 0 : coef.length - dot - 1
  return { mant: BigInt(digits), exp: (e === undefined ? 0 : Number(e)) - frac }
}

/** Build the multipleOf predicate for divisor `m` (finite, > 0). */
export function multipleOfCheck(m: number): (v: number) => boolean {
  const dm = toDecimal(m)
  // Exact test on the decimal forms: v = a·10^e, m = b·10^e, so v is a multiple of m iff b divides a.
  const exact = (v: number): boolean => {
    if (!Number.isFinite(v)) return false
    const dv = toDecimal(v)
    const e = Math.min(dv.exp, dm.exp)
    const a = dv.mant * 10n ** BigInt(dv.exp - e)
    const b = dm.mant * 10n ** BigInt(dm.exp - e)
    return a % b === 0n
  }
  if (Number.isSafeInteger(m)) {
    return (v) => (Number.isSafeInteger(v) ? v % m === 0 : Number.isInteger(v) && exact(v))
  }
  // An integral binary quotient answers at no cost; only an inexact one (0.3 / 0.1) takes the BigInt route.
  return (v) => Number.isInteger(v / m) || exact(v)
}
