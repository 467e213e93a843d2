// Work counters, for tests that prove matching is linear by counting steps instead of timing. The engines add
// their local count once per call, so the hot loop only bumps a local variable.

/**
 * Steps taken by every match since the last reset: a Pike VM step is one instruction visited at one position, a
 * DFA step one character, plus the instructions visited to build each new DFA state.
 *
 * @example
 * regexStats.steps = 0; re.test(input); expect(regexStats.steps).toBeLessThan(100 * input.length)
 */
export const stats = { steps: 0 }
