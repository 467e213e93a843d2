/**
 * The route table `gatehouse serve` prints: method, path, integration, authorizer and API key requirement.
 */
import type { Gateway } from '@gatehousejs/core'

const FUNCTION_IN_URI = /:function:([^/:]+)/

/**
 * One line per route of a gateway.
 *
 * @example
 * ```ts
 * routeTable(gw) // ['GET     /pets/{id}  AWS_PROXY getPet', 'POST    /pets       AWS_PROXY createPet  key required']
 * ```
 */
export function routeTable(gateway: Gateway): string[] {
  const rows: string[][] = []
  for (const [path, methods] of Object.entries(gateway.definition.resources)) {
    for (const [method, m] of Object.entries(methods)) {
      const integration = m.integration
      const target = integration?.uri ? (FUNCTION_IN_URI.exec(integration.uri)?.[1] ?? integration.uri) : ''
      const auth = m.authorizer
        ? `authorizer ${m.authorizer}`
        : m.authorizationType && m.authorizationType !== 'NONE'
          ? m.authorizationType
          : ''
      rows.push([method, path, `${integration?.type ?? 'none'} ${target}`.trim(), auth, m.apiKeyRequired ? 'key required' : ''])
    }
  }
  rows.sort((a, b) => (a[1] as string).localeCompare(b[1] as string) || (a[0] as string).localeCompare(b[0] as string))
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => (r[i] as string).length)))
  return rows.map((r) =>
    r
      .map((c, i) => (i < 4 ? c.padEnd(widths[i] as number) : c))
      .join('  ')
      .trimEnd(),
  )
}
