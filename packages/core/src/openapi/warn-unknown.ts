/**
 * The warning every importer gives for a field it does not act on: unknown names, and documented settings not
 * implemented yet (with their reason). A leaf module, so feature importers and the document importer share it.
 */
import { type GatewayWarning, pointer } from '../errors'

type Json = Record<string, unknown>

/**
 * Warn about each key of `value` not in `known`, naming it; a key in `notYet` is warned about with its reason
 * (a documented setting gatehouse does not act on yet).
 */
export function warnUnknown(
  value: Json,
  known: readonly string[],
  at: string,
  warn: (w: GatewayWarning) => void,
  notYet: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(value)) {
    const why = Object.hasOwn(notYet, key) ? notYet[key] : known.includes(key) ? undefined : 'gatehouse does not know this setting'
    if (why !== undefined) warn({ code: 'IGNORED_SETTING', message: `${key} is ignored: ${why}`, pointer: `${at}${pointer(key)}` })
  }
}
