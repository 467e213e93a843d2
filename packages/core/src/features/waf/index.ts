/**
 * WAF filtering (the `waf` option): a web ACL associated with the stage, evaluated before anything else of the
 * request, as AWS WAF runs before API Gateway's resource policy and authorizers. A blocked request gets the
 * `WAF_FILTERED` gateway response (403 `{"message":"Forbidden"}`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { failure } from '../../gateway-responses'
import { limitsContext } from '../limits'
import { stateKey, type Feature, type GatewayContext } from '../types'
import { compileWebAcl, type CompiledWebAcl, type WafVerdict } from './web-acl'

const WEB_ACL = stateKey<CompiledWebAcl | null>('waf')

const FILTERED = failure('WAF_FILTERED')
/** A rate-based rule's store could not decide and fails closed: 503, as the throttling stages answer. */
const UNAVAILABLE = failure('DEFAULT_5XX', 'Service Unavailable', { status: 503 })

function webAclOf(gateway: GatewayContext): CompiledWebAcl | null {
  return gateway.state.get(WEB_ACL, () =>
    gateway.input.waf === undefined ? null : compileWebAcl(gateway.input.waf, () => limitsContext(gateway).store, gateway.api.now()),
  )
}

const answer = (v: WafVerdict) => (v === 'ALLOW' ? undefined : v === 'BLOCK' ? FILTERED : UNAVAILABLE)

/**
 * The WAF stage: the `waf` option compiled once per gateway (rule JSON checked, errors pointing into `waf`), and
 * per route one stage that evaluates the web ACL.
 *
 * @example
 * ```ts
 * import { FEATURES } from './features'
 * FEATURES[0] === wafFeature
 * ```
 */
export const wafFeature: Feature = {
  name: 'waf',

  validate(gateway) {
    webAclOf(gateway)
  },

  compileGateway(gateway) {
    const acl = webAclOf(gateway)
    if (acl === null) return null
    return (state) => {
      const v = acl.evaluate(state)
      return v instanceof Promise ? v.then(answer) : answer(v)
    }
  },
}
