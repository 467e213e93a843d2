import { GatewayConfigError } from './errors'

/**
 * What API Gateway accepts as a stage variable value (CreateStage, CreateDeployment: `[A-Za-z0-9-._~:/?#&=,]+`).
 * Checked where a value is spliced into a URI: no `{`, `%`, `@`, `\`, space or control character can come from a
 * stage variable, so it cannot add a placeholder, an encoded dot segment or userinfo to the integration URL.
 */
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]+$/

/**
 * Substitute `${stageVariables.x}` at build time: a stage is fixed for the life of a gateway. Throws
 * {@link GatewayConfigError} at `where` for an undefined variable or a value API Gateway would not accept.
 *
 * @example
 * ```ts
 * substituteStageVariables('${stageVariables.backend}/pets', { backend: 'https://b.example.com' }, '/x/uri') // 'https://b.example.com/pets'
 * ```
 */
export function substituteStageVariables(value: string, variables: Record<string, string> | null, where: string): string {
  return value.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const v = variables !== null && Object.hasOwn(variables, name) ? variables[name] : undefined
    if (v === undefined) throw new GatewayConfigError('INVALID_DEFINITION', `stage variable "${name}" is not defined`, where)
    if (typeof v !== 'string' || !STAGE_VARIABLE_VALUE.test(v)) {
      throw new GatewayConfigError(
        'INVALID_DEFINITION',
        `stage variable "${name}" is used in a URI, and its value must match [A-Za-z0-9-._~:/?#&=,]+ as API Gateway requires`,
        where,
      )
    }
    return v
  })
}
