/**
 * Time as `$context.requestTime` writes it (Common Log Format).
 */

/** Common Log Format time as `$context.requestTime` carries it: `21/Nov/2026:22:54:37 +0000`. */
export function clfTime(epochMs: number): string {
  // Requests in the same second share the string.
  const second = Math.floor(epochMs / 1000)
  if (second === lastClfSecond) return lastClf
  lastClfSecond = second
  return (lastClf = formatClf(epochMs))
}

let lastClfSecond = NaN
let lastClf = ''

function formatClf(epochMs: number): string {
  const d = new Date(epochMs)
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n))
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
