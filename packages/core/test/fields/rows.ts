/**
 * The row type of the "acted on or warned" table (table.ts), its helpers, and the AWS pages rows cite.
 */
import type { FieldObject } from '../../src/openapi/fields'

export type Kind = 'acted' | 'inert' | 'warned'

/** Objects with a row but no list in src: a root `tags` entry (every field of it is inert). */
export type TableObject = FieldObject | 'tag'

export interface FieldRow {
  object: TableObject
  field: string
  kind: Kind
  /** A valid value, as a document would write it. */
  value: unknown
  /** Sibling fields the value needs (e.g. the validators a validator name refers to). */
  with?: Record<string, unknown>
  apiType?: 'REST' | 'HTTP'
  /** `acted`: `file.test.ts › test title`, relative to packages/core/test. */
  test?: string
  /** `inert` / `warned`: why. */
  why?: string
  /** A name AWS does not document. */
  unknown?: true
  /** The AWS page that documents the field. */
  doc: string
}

export const DG = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/'
export const API = 'https://docs.aws.amazon.com/apigateway/latest/api/'
export const V2 = 'https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/'
export const FIELDS_TEST = 'fields/acted.test.ts'

export const acted = (
  object: TableObject,
  field: string,
  value: unknown,
  test: string,
  doc: string,
  extra: Partial<FieldRow> = {},
): FieldRow => ({
  object,
  field,
  kind: 'acted',
  value,
  test,
  doc,
  ...extra,
})
/** A row that says why instead of naming a test: inert by design, or warned about as not acted on. */
const reasoned =
  (kind: 'inert' | 'warned') =>
  (object: TableObject, field: string, value: unknown, why: string, doc: string, extra: Partial<FieldRow> = {}): FieldRow => ({
    object,
    field,
    kind,
    value,
    why,
    doc,
    ...extra,
  })
export const inert = reasoned('inert')
export const warned = reasoned('warned')
export const unknown = (object: TableObject, field: string, doc: string, extra: Partial<FieldRow> = {}): FieldRow =>
  warned(object, field, 'x', 'AWS documents no such field', doc, { unknown: true, ...extra })

export const EXT = `${DG}api-gateway-swagger-extensions.html`
export const INTEGRATION = `${DG}api-gateway-swagger-extensions-integration.html`
export const INTEGRATION_RESPONSE = `${DG}api-gateway-swagger-extensions-integration-response.html`
export const AUTHORIZER = `${DG}api-gateway-swagger-extensions-authorizer.html`
export const CORS = `${DG}api-gateway-swagger-extensions-cors-configuration.html`
export const GATEWAY_RESPONSE = `${DG}api-gateway-swagger-extensions-gateway-responses.gatewayResponse.html`
export const ENDPOINT = `${DG}api-gateway-swagger-extensions-endpoint-configuration.html`
export const VALIDATOR = `${DG}api-gateway-swagger-extensions-request-validators.requestValidator.html`
export const INTEGRATIONS = `${FIELDS_TEST} › x-amazon-apigateway-integrations are reused through $ref`
export const OPERATION = 'https://spec.openapis.org/oas/v3.0.3#operation-object'
