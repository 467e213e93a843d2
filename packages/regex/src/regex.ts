/**
 * compileRegex: parse, compile, and pick the engine for each question.
 */
import type { Parsed } from './ast'
import { Dfa, dfaSupports } from './dfa'
import { analyze } from './safe'
import { esNative, javaNative, nativeExec, nativeWhole, type NativePlan } from './native'
import { parseEcma, parseFlags } from './parse-ecma'
import { parseJava } from './parse-java'
import { Mode, pike } from './pike'
import { compileProgram, type Program } from './program'

/**
 * How to read a pattern.
 *
 * @example
 * import { compileRegex } from '@gatehousejs/regex'
 * // A mapping template's $input.path('$.name').matches('(?i)rex'): Java syntax, the whole string must match.
 * compileRegex('(?i)rex', { syntax: 'java' }).matchesWhole('Rex') // true
 * compileRegex('^rex$', { flags: 'i' }).test('REX') // true
 * compileRegex('(a)\\1', { allowBacktracking: true }).linear // false: the native RegExp runs it
 */
export interface RegexOptions {
  /** Pattern syntax; default 'ecmascript' (with the `u` flag's syntax and semantics). */
  syntax?: 'ecmascript' | 'java'
  /** ecmascript: any of 'i', 'm', 's' ('u' implied). java: none needed (inline flags); 'i', 'm', 's' act as a leading `(?ims)`. */
  flags?: string
  /** Let backreferences and lookaround compile, run by the native RegExp with no linear-time guarantee. Default false. */
  allowBacktracking?: boolean
}

/**
 * A compiled pattern. Matching never throws.
 *
 * @example
 * import { compileRegex, type Regex } from '@gatehousejs/regex'
 * const range: Regex = compileRegex('(\\d+)-(\\d+)')
 * const m = range.exec('from 10-20') // [5, 10, 5, 7, 8, 10]: match, then each group, as [start, end)
 * if (m !== null) console.log('from 10-20'.slice(m[2], m[3])) // '10'
 */
export interface Regex {
  readonly source: string
  /** Capturing groups, not counting group 0. */
  readonly groupCount: number
  /** False only when allowBacktracking admitted a construct that needs the native backtracking engine. */
  readonly linear: boolean
  /**
   * A match anywhere (RegExp.prototype.test without the g flag). `maxSteps`, on every method: stop with a
   * `REGEX_BUDGET` RegexError once the linear engine has taken that many steps (a match is linear in the input, but
   * its constant is the program's size: a caller with a budget can stop a long one partway). Matching that the
   * native RegExp answers (deterministic patterns, or `allowBacktracking`) is not counted.
   */
  test(input: string, maxSteps?: number): boolean
  /** The whole input matches (Java's String.matches). */
  matchesWhole(input: string, maxSteps?: number): boolean
  /**
   * Leftmost match starting at or after `from` (default 0), with backtracking priorities (greedy/lazy,
   * alternation left first) so the result equals RegExp/java.util.regex's: [start0, end0, start1, end1, …], -1
   * for a group that took no part. Indices are UTF-16 code-unit offsets. null when there is none.
   */
  exec(input: string, from?: number, maxSteps?: number): number[] | null
}

/**
 * Compile `source`. Throws RegexError: REGEX_SYNTAX (invalid pattern), REGEX_UNSUPPORTED (a construct that
 * cannot run in linear time, without allowBacktracking), REGEX_TOO_LARGE (the program would exceed MAX_PROGRAM
 * instructions, e.g. `(a{1,1000}){1,1000}`).
 *
 * @example
 * import { compileRegex } from '@gatehousejs/regex'
 * const re = compileRegex('^(\\w+)@(\\w+)$')
 * re.exec('me@host') // [0, 7, 0, 2, 3, 7]
 * compileRegex('^(?i)abc$', { syntax: 'java' }).matchesWhole('ABC') // true
 */
export function compileRegex(source: string, options: RegexOptions = {}): Regex {
  const java = options.syntax === 'java'
  const allow = options.allowBacktracking === true
  const flags = options.flags ?? ''
  let parsed: Parsed
  let native: NativePlan | null = null
  if (java) {
    parsed = parseJava(source, flags, allow)
    if (parsed.backtracking) native = javaNative(parsed.node, parsed.groupCount)
  } else {
    const f = parseFlags(flags)
    parsed = parseEcma(source, f, allow)
    if (parsed.backtracking) native = esNative(source, `${f.i ? 'i' : ''}${f.m ? 'm' : ''}${f.s ? 's' : ''}`, parsed.groupCount)
  }
  if (native !== null) return new NativeRegex(source, parsed.groupCount, native)
  const prog = compileProgram(parsed.node, parsed.groupCount, { ecma: !java })
  // A deterministic program may keep the native RegExp (see safe.ts for the proof).
  const safety = analyze(prog)
  let fast: NativePlan | null = null
  if (safety.deterministic) {
    try {
      fast = java ? javaNative(parsed.node, parsed.groupCount) : esNative(source, flags.replace('u', ''), parsed.groupCount)
    } catch {
      fast = null // not expressible natively (Java Unicode case folding): the linear engines run it
    }
  }
  const anchoredOrBounded = safety.anchored || safety.bounded
  // Java exec stays on the Pike VM: the ECMAScript form of a Java pattern matches the same strings, but
  // ECMAScript's empty-iteration rule can leave a group unset where Java records an empty capture.
  return new LinearRegex(source, prog, fast, fast !== null && anchoredOrBounded, !java)
}

class NativeRegex implements Regex {
  readonly linear = false
  constructor(
    readonly source: string,
    readonly groupCount: number,
    private readonly plan: NativePlan,
  ) {}

  test(input: string): boolean {
    this.plan.re.lastIndex = 0
    return this.plan.re.test(input)
  }

  matchesWhole(input: string): boolean {
    return nativeWhole(this.plan, input)
  }

  exec(input: string, from = 0): number[] | null {
    if (!(from >= 0 && from <= input.length)) return null
    return nativeExec(this.plan, this.groupCount, input, Math.floor(from))
  }
}

class LinearRegex implements Regex {
  readonly linear = true
  readonly groupCount: number
  private searchDfa: Dfa | null = null
  private wholeDfa: Dfa | null = null
  private readonly dfa: boolean

  /**
   * `fast`: a native plan for a deterministic program, used for matchesWhole; for test and exec too when
   * `fastSearch` (the program is also anchored or bounded).
   */
  constructor(
    readonly source: string,
    private readonly prog: Program,
    private readonly fast: NativePlan | null,
    private readonly fastSearch: boolean,
    /** exec may use `fast` too (not for Java patterns). */
    private readonly fastExec: boolean,
  ) {
    this.groupCount = prog.groupCount
    this.dfa = dfaSupports(prog)
  }

  /** Which engine answers each question (for tests and diagnostics). */
  get engines(): { test: string; matchesWhole: string; exec: string } {
    const search = this.fastSearch ? 'native-deterministic' : this.dfa ? 'dfa' : 'pike'
    return {
      test: search,
      matchesWhole: this.fast !== null ? 'native-deterministic' : this.dfa ? 'dfa' : 'pike',
      exec: this.fastSearch && this.fastExec ? 'native-deterministic' : 'pike',
    }
  }

  test(input: string, maxSteps = Infinity): boolean {
    if (this.fastSearch) {
      const re = this.fast!.re
      re.lastIndex = 0
      return re.test(input)
    }
    if (this.dfa) return (this.searchDfa ??= new Dfa(this.prog, true)).run(input, maxSteps)
    return pike(this.prog, input, 0, Mode.Test, maxSteps) !== null
  }

  matchesWhole(input: string, maxSteps = Infinity): boolean {
    if (this.fast !== null) return nativeWhole(this.fast, input)
    if (this.dfa) return (this.wholeDfa ??= new Dfa(this.prog, false)).run(input, maxSteps)
    return pike(this.prog, input, 0, Mode.Whole, maxSteps) !== null
  }

  exec(input: string, from = 0, maxSteps = Infinity): number[] | null {
    if (!(from >= 0 && from <= input.length)) return null
    from = Math.floor(from)
    if (this.fastSearch && this.fastExec) return nativeExec(this.fast!, this.groupCount, input, from)
    const slots = pike(this.prog, input, from, Mode.Exec, maxSteps)
    if (slots === null) return null
    return Array.from(slots.subarray(0, 2 * (this.groupCount + 1)))
  }
}
