/**
 * Work counters, for tests that prove matching is linear by counting steps instead of timing. The engines add
 * their local count once per call, so the hot loop only bumps a local variable.
 */

/**
 * Steps taken by every match since the last reset: a Pike VM step is one instruction visited at one position, a
 * DFA step one character, plus the instructions visited to build each new DFA state.
 *
 * @example
 * import { compileRegex, regexStats } from '@gatehousejs/regex'
 * const re = compileRegex('(a|aa)*b')
 * const input = 'a'.repeat(10_000)
 * regexStats.steps = 0
 * re.test(input) // false, after a number of steps linear in input.length
 * console.log(regexStats.steps / input.length) // steps per character: bounded by the program's size
 */
export const stats = { steps: 0 }
