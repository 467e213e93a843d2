/**
 * Every field the gateway knows, per object API Gateway documents: what its importer and option checks act on,
 * accept as inert, or warn about as not implemented yet. A name not listed for its object is warned about as
 * unknown. The "acted on or warned" test compares these lists with its table of AWS's documented fields.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import { AUTHORIZER_FIELDS, JWT_CONFIGURATION_FIELDS, SECURITY_SCHEME_FIELDS } from '../features/authorizers/import'
import { ENDPOINT_CONFIGURATION_FIELDS } from '../features/endpoint/configuration'
import { NATIVE_FIELDS } from '../features/stage-settings'
import { REQUEST_VALIDATOR_FIELDS } from '../features/validation/import'
import {
  COMPONENTS_EXTENSIONS,
  CORS_FIELDS,
  DOCUMENT_EXTENSIONS,
  PATH_ITEM_FIELDS,
  GATEWAY_RESPONSE_FIELDS,
  OPERATION_FIELDS,
} from './known'
import { INTEGRATION_FIELDS, INTEGRATION_RESPONSE_FIELDS } from './integration'

/** The objects whose fields are listed. */
export type FieldObject = keyof typeof KNOWN_FIELDS

/**
 * Known fields per object.
 *
 * @example
 * ```ts
 * KNOWN_FIELDS.integration.includes('tlsConfig') // true (warned about)
 * KNOWN_FIELDS.cors.includes('madeUp') // false (warned about as unknown)
 * ```
 */
export const KNOWN_FIELDS = {
  document: DOCUMENT_EXTENSIONS,
  components: COMPONENTS_EXTENSIONS,
  pathItem: PATH_ITEM_FIELDS,
  operation: OPERATION_FIELDS,
  integration: INTEGRATION_FIELDS,
  integrationResponse: INTEGRATION_RESPONSE_FIELDS,
  securityScheme: SECURITY_SCHEME_FIELDS,
  authorizer: AUTHORIZER_FIELDS,
  jwtConfiguration: JWT_CONFIGURATION_FIELDS,
  gatewayResponse: GATEWAY_RESPONSE_FIELDS,
  cors: CORS_FIELDS,
  endpointConfiguration: ENDPOINT_CONFIGURATION_FIELDS,
  requestValidator: REQUEST_VALIDATOR_FIELDS,
  stage: NATIVE_FIELDS.stage,
  methodSetting: NATIVE_FIELDS.methodSetting,
  usagePlan: NATIVE_FIELDS.usagePlan,
  apiKey: NATIVE_FIELDS.apiKey,
} as const satisfies Record<string, readonly string[]>
