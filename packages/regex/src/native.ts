/**
 * The opt-in escape hatch: patterns with backreferences or lookaround (allowBacktracking) run on the native
 * RegExp, with no linear-time guarantee. Java patterns are rewritten into ECMAScript source from the parsed
 * tree, so Java's meanings (`$`, `\s`, inline flags) are kept; atomic groups and possessive quantifiers become
 * `(?=(X))\N`, which matches what the atomic group would (the lookahead commits to its first match).
 */
import { Assert, type Node } from './ast'
import { RegexError } from './errors'

/** A native matcher: the RegExp (flags `u`, `d`, `g` and the pattern's), and the slot of each Java group. */
export interface NativePlan {
  readonly re: RegExp
  /** re but matching only the whole input. */
  readonly whole: RegExp
  /** groupMap[k] = the native group number of the pattern's group k (index 0 = 0). */
  readonly groupMap: readonly number[]
}

// Whole-input matching is sticky (`y`, lastIndex 0) with `(?![^])` at the end. Not `(?<![^])…(?![^])`: V8 (Node
// 20) lets such a pattern match in the middle of a surrogate pair under `u` (/(?<![^])(?![^])/u.test('😀') is
// true), and not `^…$`, which `m` would turn into line anchors.
function wholeOf(source: string, flags: string): RegExp {
  return new RegExp(`(?:${source})(?![^])`, `${flags}uy`)
}

export function esNative(source: string, flags: string, groupCount: number): NativePlan {
  const map = Array.from({ length: groupCount + 1 }, (_, k) => k)
  return { re: new RegExp(source, `${flags}udg`), whole: wholeOf(source, flags), groupMap: map }
}

/** Does the whole input match? */
export function nativeWhole(plan: NativePlan, input: string): boolean {
  plan.whole.lastIndex = 0
  return plan.whole.test(input)
}

const LINE = '[\\n\\r\\u{85}\\u{2028}\\u{2029}]'
const ASSERT_ES: Record<number, string> = {
  // Emitted without the `m` flag, so `^` and `$` are the input's ends.
  [Assert.Start]: '^',
  [Assert.End]: '$',
  [Assert.WordBoundary]: '\\b',
  [Assert.NotWordBoundary]: '\\B',
  [Assert.JavaEnd]: `(?:$|(?=\\r\\n$)|(?=${LINE}$)(?!\\n(?<=\\r\\n)))`,
  [Assert.JavaLineStart]: `(?:^(?=[^])|(?<=[\\n\\u{85}\\u{2028}\\u{2029}]|\\r(?!\\n))(?=[^]))`,
  [Assert.JavaWordBoundary]: '(?:(?<=[\\p{L}\\p{Nd}_])(?![\\p{L}\\p{Nd}_])|(?<![\\p{L}\\p{Nd}_])(?=[\\p{L}\\p{Nd}_]))',
  [Assert.JavaNotWordBoundary]: '(?:(?<=[\\p{L}\\p{Nd}_])(?=[\\p{L}\\p{Nd}_])|(?<![\\p{L}\\p{Nd}_])(?![\\p{L}\\p{Nd}_]))',
  [Assert.JavaLineEnd]: `(?:$|(?=[\\r\\u{85}\\u{2028}\\u{2029}])|(?=\\n)(?<!\\r))`,
}

export function javaNative(node: Node, groupCount: number): NativePlan {
  const map: number[] = new Array<number>(groupCount + 1).fill(0)
  let next = 0
  // First pass: number the native groups in source order (atomic groups add one), so forward references work.
  const helpers = new Map<Node, number>()
  const number = (n: Node): void => {
    switch (n.t) {
      case 'group':
        if (n.index > 0) map[n.index] = ++next
        return number(n.body)
      case 'atomic':
        helpers.set(n, ++next)
        return number(n.body)
      case 'seq':
      case 'alt':
        return n.items.forEach(number)
      case 'repeat':
      case 'look':
        return number(n.body)
      default:
        return
    }
  }
  number(node)
  const emit = (n: Node): string => {
    switch (n.t) {
      case 'empty':
        return ''
      case 'char':
        if (n.set.fold) throw new RegexError('REGEX_UNSUPPORTED', 'Unicode case folding cannot be expressed for the native engine')
        return n.set.es
      case 'seq':
        return n.items.map(emit).join('')
      case 'alt':
        return `(?:${n.items.map(emit).join('|')})`
      case 'group':
        return n.index > 0 ? `(${emit(n.body)})` : `(?:${emit(n.body)})`
      case 'repeat': {
        const q = n.max === Infinity ? `{${n.min},}` : `{${n.min},${n.max}}`
        return `(?:${emit(n.body)})${q}${n.greedy ? '' : '?'}`
      }
      case 'assert': {
        const s = ASSERT_ES[n.kind]
        if (s === undefined) throw new RegexError('REGEX_UNSUPPORTED', 'assertion cannot be expressed for the native engine')
        return s
      }
      case 'backref':
        return `(?:\\${map[n.index] ?? 0})`
      case 'look':
        return `(?${n.behind ? '<' : ''}${n.negate ? '!' : '='}${emit(n.body)})`
      case 'atomic': {
        const k = helpers.get(n)!
        return `(?:(?=(${emit(n.body)}))\\${k})`
      }
    }
  }
  const source = emit(node)
  try {
    return { re: new RegExp(source, 'udg'), whole: wholeOf(source, ''), groupMap: map }
  } catch (e) {
    throw new RegexError('REGEX_UNSUPPORTED', `the pattern cannot be expressed for the native engine: ${(e as Error).message}`)
  }
}

/** exec on a native plan: [start0, end0, …] in the pattern's group numbering. */
export function nativeExec(plan: NativePlan, groupCount: number, input: string, from: number): number[] | null {
  const re = plan.re
  re.lastIndex = from
  const m = re.exec(input)
  if (m === null) return null
  const out: number[] = new Array<number>(2 * (groupCount + 1))
  const indices = m.indices!
  for (let k = 0; k <= groupCount; k++) {
    const span = indices[plan.groupMap[k]!]
    out[2 * k] = span === undefined ? -1 : span[0]
    out[2 * k + 1] = span === undefined ? -1 : span[1]
  }
  return out
}
