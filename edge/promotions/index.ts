// Public entry of promotions: body schema, validation against the lab's registry and rules,
// canonical JSON and hash, storage views and config diffs.
export { canonicalJson, contentHash } from './canonical.ts'
export { diffConfigs } from './diff.ts'
export type { ConfigChange } from './diff.ts'
export { DATA_SOURCES, PromotionBodySchema, RetireBodySchema } from './schema.ts'
export type { PromotionBody, RiskLimits } from './schema.ts'
export { storePromotion, toView } from './store.ts'
export type { PromotionView } from './store.ts'
export { validatePromotion } from './validate.ts'
export type { FieldProblem, PromotionConfig } from './validate.ts'
