/**
 * @gatehousejs/regex: regular expressions in ECMAScript (`u`) or java.util.regex syntax, matched in time linear in
 * the input whatever the pattern. Patterns compile to a Thompson NFA program run by a Pike VM (captures, exec)
 * and a lazily built DFA (yes/no questions); backreferences and lookaround are refused unless the operator opts
 * in per pattern (`allowBacktracking`), and then the native RegExp runs them.
 */
export { RegexError, type RegexErrorCode } from './errors'
export { compileRegex, type Regex, type RegexOptions } from './regex'
export { stats as regexStats } from './stats'
export { MAX_PROGRAM } from './program'
