/**
 * A parsed JSONPath (Jayway flavour, as `$input.path`/`$input.json` use it): segments, filter predicates and their
 * operands. A definite path (names and single indexes only) yields one value; any other yields a list.
 */

export type Seg =
  | { k: 'names'; names: string[] }
  | { k: 'wild' }
  | { k: 'index'; idx: number[] }
  | { k: 'slice'; start: number | null; end: number | null; step: number }
  | { k: 'desc'; seg: Seg }
  | { k: 'filter'; pred: Pred }

/** `re`: a Java pattern (with `(?i)` for the `i` flag), matched against the whole string. */
export type Operand = { k: 'path'; root: '@' | '$'; segs: Seg[] } | { k: 'lit'; v: unknown } | { k: 're'; re: string }
export type Pred =
  | { k: 'or' | 'and'; l: Pred; r: Pred }
  | { k: 'not'; p: Pred }
  | { k: 'cmp'; op: string; l: Operand; r: Operand }
  | { k: 'exists'; o: Operand }

export interface CompiledPath {
  segs: Seg[]
  definite: boolean
}
