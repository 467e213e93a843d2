/**
 * How much of the machine the host took while a section ran: Linux's `steal` time (/proc/stat), the time a virtual
 * CPU was ready to run and the hypervisor ran something else. End-to-end figures fall with it; a section that ran
 * while it was high reads the host more than the stacks.
 */
import { readFileSync } from 'node:fs'

/** The `cpu` line of /proc/stat: [steal, total] in clock ticks, or undefined off Linux. */
function ticks(): [number, number] | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
    const fields = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
    return [fields[7] ?? 0, total]
  } catch {
    return undefined
  }
}

/**
 * Start counting; the function returned says, as a sentence for a section's notes, the share of CPU time stolen
 * since (and the most in any one run of `mark`'s, when marks were taken).
 */
export function stealMeter(): { mark: () => void; note: () => string } {
  const start = ticks()
  let last = start
  let worst = 0
  return {
    mark() {
      const now = ticks()
      if (now === undefined || last === undefined) return
      const total = now[1] - last[1]
      if (total > 0) worst = Math.max(worst, (now[0] - last[0]) / total)
      last = now
    },
    note() {
      const end = ticks()
      if (start === undefined || end === undefined) return 'CPU time stolen by the host: not readable here (no /proc/stat).'
      const total = end[1] - start[1]
      const share = total > 0 ? (end[0] - start[0]) / total : 0
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`
      return `CPU time stolen by the host (Linux steal, /proc/stat) during this section: ${pct(share)} overall, at most ${pct(worst)} during one pair.`
    },
  }
}
