/**
 * Parameters for the fuzz suites: seeded and short in `npm test`; `GATEHOUSE_FUZZ_RUNS=100000` (and optionally
 * `GATEHOUSE_FUZZ_SEED`) for a long run. Every fuzz test passes `fuzzParams(n)` to `fc.assert`.
 */
export function fuzzParams(defaultRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  const runs = Number(process.env.GATEHOUSE_FUZZ_RUNS)
  const seed = Number(process.env.GATEHOUSE_FUZZ_SEED)
  return {
    seed: Number.isInteger(seed) ? seed : 0x9a7e,
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    endOnFailure: true,
  }
}
