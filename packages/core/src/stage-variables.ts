import { GatewayConfigError } from './errors'

/** Substitute `${stageVariables.x}` at build time: a stage is fixed for the life of a gateway. */
export function substituteStageVariables(value: string, variables: Record<string, string> | null, where: string): string {
  return value.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const v = variables?.[name]
    if (v === undefined) throw new GatewayConfigError('INVALID_DEFINITION', `stage variable "${name}" is not defined`, where)
    return v
  })
}
