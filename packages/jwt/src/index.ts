export { JwtError, JwtConfigError, type JwtErrorCode, type JwtConfigErrorCode } from './errors'
export { decodeJwt, type DecodedJwt, type JwtHeader, type JwtPayload } from './decode'
export { ALL_ALGORITHMS, ASYMMETRIC_ALGORITHMS, type JwtAlgorithm } from './algorithms'
export { importKey, importJwk, type Jwk, type JwtKeyInput, type HmacSecret, type ImportedKey } from './keys'
export { JWT_LIMITS } from './limits'
export type { JwtClaimOptions } from './claims'
export { verifyJwt, verifyJwtSync, type VerifyJwtOptions, type JwtVerifyResult } from './verify'
export { createJwks, withJwksCacheStore, type Jwks, type JwksCacheStore, type JwksOptions, type JwkSet } from './jwks'
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './verifier'
export { tokenScopes, hasAnyScope } from './scopes'
export { cognitoIssuer, cognitoJwksUri, bearerToken, httpApiClaims, restApiClaims, wwwAuthenticate } from './aws'
export {
  createHttpApiJwtAuthorizer,
  createCognitoAuthorizer,
  type HttpApiJwtAuthorizer,
  type HttpApiJwtAuthorizerOptions,
  type HttpApiJwtOutcome,
  type CognitoAuthorizer,
  type CognitoAuthorizerOptions,
  type CognitoOutcome,
} from './authorizers'
