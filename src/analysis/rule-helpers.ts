/**
 * Shared helpers for rules, one module per subject under ./helpers (call anatomy, model code,
 * op conversion, save/load paths). This module re-exports them all so that rules keep one
 * import line. Not a rule.
 */
export * from './helpers/calls';
export * from './helpers/init-attribute';
export * from './helpers/layer-calls';
export * from './helpers/model-code';
export * from './helpers/op-conversion';
export * from './helpers/paths';
export * from './helpers/tf-op-claims';
export { applyOffsetEdits, escapeRegExp, lineBreakOf, lineStartAt, suppressedOnLine } from './text';
export { chainRoot, rootOf } from './ast';
