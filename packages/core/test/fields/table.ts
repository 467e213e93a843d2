/**
 * Every `x-amazon-apigateway-*` extension and every field of every object API Gateway documents, each marked:
 * - `acted`: the gateway does what API Gateway does with it; `test` names the test (file › title) that shows it;
 * - `inert`: it changes nothing on API Gateway either (documentation, tags, descriptions); `why` says so;
 * - `warned`: not implemented yet: loading warns (IGNORED_SETTING / UNSUPPORTED_EXTENSION) naming it, `strict` refuses;
 * Rows marked `unknown` are names AWS does not document: they must be warned about too.
 * Sources (AWS documentation):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html and its sub-pages,
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html, API_IntegrationResponse.html,
 * API_Method.html, API_Authorizer.html, API_Stage.html, API_MethodSetting.html, API_GatewayResponse.html,
 * API_UsagePlan.html, API_ApiKey.html, API_EndpointConfiguration.html, API_RequestValidator.html,
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations-integrationid.html,
 * apis-apiid-authorizers-authorizerid.html, apis-apiid-stages-stagename.html, apis-apiid.html (CORS).
 */
import { API_KEY_ROWS, METHOD_SETTING_ROWS, STAGE_ROWS, USAGE_PLAN_ROWS } from './table-native'
import { CORS_ROWS, ENDPOINT_ROWS, GATEWAY_RESPONSE_ROWS, REQUEST_VALIDATOR_ROWS } from './table-api'
import { AUTHORIZER_ROWS, JWT_CONFIGURATION_ROWS, SECURITY_SCHEME_ROWS } from './table-auth'
import { COMPONENTS_ROWS, DOCUMENT_ROWS, OPERATION_ROWS, PATH_ITEM_ROWS, TAG_ROWS } from './table-document'
import { INTEGRATION_RESPONSE_ROWS, INTEGRATION_ROWS } from './table-integration'
import type { FieldRow } from './rows'

export type { FieldRow, Kind, TableObject } from './rows'

/** The whole table. */
export const TABLE: readonly FieldRow[] = [
  ...DOCUMENT_ROWS,
  ...COMPONENTS_ROWS,
  ...PATH_ITEM_ROWS,
  ...TAG_ROWS,
  ...OPERATION_ROWS,
  ...INTEGRATION_ROWS,
  ...INTEGRATION_RESPONSE_ROWS,
  ...SECURITY_SCHEME_ROWS,
  ...AUTHORIZER_ROWS,
  ...JWT_CONFIGURATION_ROWS,
  ...GATEWAY_RESPONSE_ROWS,
  ...CORS_ROWS,
  ...ENDPOINT_ROWS,
  ...REQUEST_VALIDATOR_ROWS,
  ...STAGE_ROWS,
  ...METHOD_SETTING_ROWS,
  ...USAGE_PLAN_ROWS,
  ...API_KEY_ROWS,
]
