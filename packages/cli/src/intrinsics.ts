/**
 * CloudFormation's intrinsic functions, resolved locally: the ones API and function definitions use (`Ref`,
 * `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, `Fn::If` with `Conditions`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
 * `Fn::Base64`). Anything else is warned about and resolves to null.
 */

/** What a template's intrinsics are resolved against. */
export interface IntrinsicContext {
  /** Parameter values (defaults, then overrides) and pseudo parameters (`AWS::Region`, …). */
  parameters: Record<string, unknown>
  /** Conditions by name, evaluated lazily. */
  conditions: Record<string, unknown>
  /** Logical id → what `Ref` returns for it (a function's name, an API's id). */
  refs: Record<string, string>
  /** Logical id → attribute → value (`Fn::GetAtt`). */
  attributes: Record<string, Record<string, string>>
  mappings: Record<string, unknown>
  warn: (message: string) => void
}

/** Marks `AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue')

export const REGION = 'us-east-1'
export const ACCOUNT_ID = '123456789012'

/** The pseudo parameters, as a local run sees them. */
export function pseudoParameters(stackName: string): Record<string, unknown> {
  return {
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT_ID,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': [],
  }
}

/**
 * Resolve every intrinsic inside `value` (deeply); `path` names where it is, for warnings.
 *
 * @example
 * ```ts
 * const ctx = { parameters: { Stage: 'dev' }, conditions: {}, refs: {}, attributes: { Fn: { Arn: 'arn:…:function:Fn' } }, mappings: {}, warn: console.warn }
 * resolveIntrinsics({ 'Fn::Sub': '${Stage}-${Fn.Arn}' }, ctx, 'X') // 'dev-arn:…:function:Fn'
 * ```
 */
export function resolveIntrinsics(value: unknown, ctx: IntrinsicContext, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveIntrinsics(v, ctx, `${path}/${i}`)).filter((v) => v !== NO_VALUE)
  }
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
  if (keys.length === 1) {
    const key = keys[0] as string
    if (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) {
      if (key === 'Condition' && typeof obj[key] !== 'string') return resolveObject(obj, ctx, path)
      return resolveFunction(key, obj[key], ctx, `${path}/${key}`)
    }
  }
  return resolveObject(obj, ctx, path)
}

function resolveObject(obj: Record<string, unknown>, ctx: IntrinsicContext, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    const r = resolveIntrinsics(v, ctx, `${path}/${k}`)
    if (r !== NO_VALUE) out[k] = r
  }
  return out
}

function resolveFunction(name: string, arg: unknown, ctx: IntrinsicContext, path: string): unknown {
  switch (name) {
    case 'Ref': {
      const id = String(arg)
      if (id === 'AWS::NoValue') return NO_VALUE
      if (id in ctx.parameters) return ctx.parameters[id]
      if (id in ctx.refs) return ctx.refs[id]
      ctx.warn(`${path}: Ref to ${id}, which is no parameter or resource of the template; resolved to "${id}"`)
      return id
    }
    case 'Condition':
      return evaluateCondition(String(arg), ctx, path)
    case 'Fn::GetAtt': {
      const [id, ...rest] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.')
      const attribute = rest.join('.')
      const value = ctx.attributes[id ?? '']?.[attribute]
      if (value !== undefined) return value
      ctx.warn(`${path}: Fn::GetAtt ${id}.${attribute} is not known locally; resolved to "${id}.${attribute}"`)
      return `${id}.${attribute}`
    }
    case 'Fn::Sub':
      return substitute(arg, ctx, path)
    case 'Fn::Join': {
      const [sep, list] = asArgs(resolveIntrinsics(arg, ctx, path), 2, name, path)
      return Array.isArray(list) ? list.map((v) => String(v)).join(String(sep)) : ''
    }
    case 'Fn::If': {
      const args = Array.isArray(arg) ? arg : []
      if (args.length !== 3) {
        ctx.warn(`${path}: Fn::If needs [condition, then, else]`)
        return null
      }
      const chosen = evaluateCondition(String(args[0]), ctx, path) ? args[1] : args[2]
      return resolveIntrinsics(chosen, ctx, path)
    }
    case 'Fn::Equals': {
      const [a, b] = asArgs(resolveIntrinsics(arg, ctx, path), 2, name, path)
      return JSON.stringify(a) === JSON.stringify(b)
    }
    case 'Fn::Not': {
      const [a] = asArgs(resolveIntrinsics(arg, ctx, path), 1, name, path)
      return !a
    }
    case 'Fn::And':
      return (resolveIntrinsics(arg, ctx, path) as unknown[]).every(Boolean)
    case 'Fn::Or':
      return (resolveIntrinsics(arg, ctx, path) as unknown[]).some(Boolean)
    case 'Fn::Select': {
      const [index, list] = asArgs(resolveIntrinsics(arg, ctx, path), 2, name, path)
      return Array.isArray(list) ? (list[Number(index)] ?? null) : null
    }
    case 'Fn::Split': {
      const [sep, text] = asArgs(resolveIntrinsics(arg, ctx, path), 2, name, path)
      return String(text).split(String(sep))
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = asArgs(resolveIntrinsics(arg, ctx, path), 3, name, path)
      const found = (ctx.mappings as Record<string, Record<string, Record<string, unknown>>>)[String(map)]?.[String(top)]?.[String(second)]
      if (found === undefined) ctx.warn(`${path}: Fn::FindInMap ${map}/${top}/${second} not found`)
      return found ?? null
    }
    case 'Fn::Base64':
      return Buffer.from(String(resolveIntrinsics(arg, ctx, path))).toString('base64')
    default:
      ctx.warn(`${path}: ${name} is not resolved locally; the value is null`)
      return null
  }
}

function asArgs(value: unknown, n: number, name: string, path: string): unknown[] {
  if (!Array.isArray(value) || value.length < n) throw new Error(`${path}: ${name} needs a list of ${n} arguments`)
  return value
}

function evaluateCondition(name: string, ctx: IntrinsicContext, path: string): boolean {
  if (!(name in ctx.conditions)) throw new Error(`${path}: condition ${name} is not defined in Conditions`)
  const condition = ctx.conditions[name]
  if (typeof condition === 'boolean') return condition
  // Mark before evaluating so a condition that refers to itself fails instead of recursing.
  ctx.conditions[name] = false
  const result = Boolean(resolveIntrinsics(condition, ctx, `/Conditions/${name}`))
  ctx.conditions[name] = result
  return result
}

function substitute(arg: unknown, ctx: IntrinsicContext, path: string): string {
  const [template, vars] = Array.isArray(arg)
    ? [String(arg[0]), resolveIntrinsics(arg[1] ?? {}, ctx, path) as Record<string, unknown>]
    : [String(arg), {}]
  // `${!Literal}` writes `${Literal}`.
  return template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`
    const name = inner.trim()
    if (name in vars) return String(vars[name])
    if (name in ctx.parameters) return String(ctx.parameters[name])
    if (name in ctx.refs) return ctx.refs[name] as string
    const dot = name.indexOf('.')
    if (dot > 0) {
      const value = ctx.attributes[name.slice(0, dot)]?.[name.slice(dot + 1)]
      if (value !== undefined) return value
    }
    ctx.warn(`${path}: Fn::Sub variable ${whole} is not known locally; left as written`)
    return whole
  })
}
