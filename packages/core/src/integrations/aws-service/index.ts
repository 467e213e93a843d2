/**
 * AWS service integrations: REST `AWS` integrations whose URI names a service other than Lambda, and HTTP APIs'
 * `integrationSubtype`s, called with SigV4-signed requests (see ./exchange).
 */
export { compileAwsSubtype } from './http-api'
export type {
  AwsCredentials,
  AwsCredentialsProvider,
  AwsOptions,
  AwsServiceHandler,
  AwsServiceRequest,
  AwsServiceResponse,
} from './options'
export { compileAwsService } from './rest'
export { parseServiceUri } from './uri'
export { validateAwsOptions } from './validate'
