export { apiKeysFeature } from './api-keys'
export { throttlingFeature, AWS_ACCOUNT_THROTTLE, type MethodThrottleSettings } from './throttling'
export { usagePlansFeature } from './usage-plans'
