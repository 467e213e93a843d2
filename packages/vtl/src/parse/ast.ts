/** The parsed template. Offsets (`pos`) index the template source; errors turn them into line and column. */

export type Node =
  | { t: 'text'; v: string }
  | { t: 'ref'; ref: Ref }
  | { t: 'escref'; n: number; ref: Ref }
  | { t: 'set'; target: Ref; value: Expr; pos: number }
  | { t: 'if'; branches: { cond: Expr; body: Node[] }[]; otherwise: Node[] | null }
  | { t: 'foreach'; name: string; iter: Expr; body: Node[]; pos: number }
  | { t: 'break' }
  | { t: 'stop' }
  | { t: 'macro'; name: string; params: string[]; body: Node[] }
  | { t: 'call'; name: string; args: Expr[]; raw: string; pos: number }
  | { t: 'define'; name: string; body: Node[] }

export type Seg = { k: 'prop'; name: string } | { k: 'call'; name: string; args: Expr[]; pos: number } | { k: 'index'; e: Expr }

export interface Ref {
  t: 'ref'
  quiet: boolean
  name: string
  chain: Seg[]
  /** The reference exactly as written, printed when it is escaped. */
  raw: string
  pos: number
}

export type BinOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%'

export type Expr =
  | Ref
  | { t: 'lit'; v: unknown }
  | { t: 'str'; parts: Node[] }
  | { t: 'list'; items: Expr[] }
  | { t: 'range'; from: Expr; to: Expr; pos: number }
  | { t: 'map'; entries: [Expr, Expr][] }
  | { t: 'bin'; op: BinOp; l: Expr; r: Expr }
  | { t: 'not'; e: Expr }
