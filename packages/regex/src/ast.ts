/**
 * The parsed pattern, the same for both syntaxes: the parsers resolve every syntax-specific meaning (what `\s`,
 * `.`, `$` or a case-insensitive letter accept) into code-point sets and assertion kinds.
 */
import type { CharSet } from './charset'

/** Zero-width tests. Each names exactly what it looks at, so both syntaxes share the matcher. */
export const enum Assert {
  /** Start of input. */
  Start,
  /** End of input. */
  End,
  /** ECMAScript `^` with `m`: start, or after an ECMAScript line terminator. */
  EsLineStart,
  /** ECMAScript `$` with `m`: end, or before an ECMAScript line terminator. */
  EsLineEnd,
  /** Word boundary, ASCII word characters. */
  WordBoundary,
  NotWordBoundary,
  /** Word boundary with ECMAScript `iu` word characters (adds U+017F and U+212A). */
  WordBoundaryFold,
  NotWordBoundaryFold,
  /** Java `$` without MULTILINE, and `\Z`: end, or before a line terminator that ends the input. */
  JavaEnd,
  /** Java `^` with MULTILINE: start, or after a line terminator (not between \r and \n) unless at the end. */
  JavaLineStart,
  /** Java `$` with MULTILINE: end, or before a line terminator (not between \r and \n). */
  JavaLineEnd,
  /** Java `\b`: word characters are letters, digits (Character.isLetterOrDigit) and `_`. */
  JavaWordBoundary,
  JavaNotWordBoundary,
}

export type Node =
  | { readonly t: 'empty' }
  | { readonly t: 'char'; readonly set: CharSet }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  /** A group; `index` is its capture number, or 0 for a non-capturing group. */
  | { readonly t: 'group'; readonly index: number; readonly body: Node }
  | { readonly t: 'repeat'; readonly body: Node; readonly min: number; readonly max: number; readonly greedy: boolean }
  | { readonly t: 'assert'; readonly kind: Assert }
  // Only from the Java parser with allowBacktracking, and only emitted as a native RegExp (see native.ts):
  | { readonly t: 'backref'; readonly index: number }
  | { readonly t: 'look'; readonly behind: boolean; readonly negate: boolean; readonly body: Node }
  | { readonly t: 'atomic'; readonly body: Node }

export interface Parsed {
  readonly node: Node
  readonly groupCount: number
  /** The pattern uses a construct that needs a backtracking engine (only set when it was allowed). */
  readonly backtracking: boolean
}
