/**
 * Marking built a keras.Model subclass that has no `call()` (a GAN-style model trained by its own
 * train_step): `self.built = True` at the end of its `__init__()`, as a careful hand conversion
 * does. Keras 3 never builds such a model: fit() on JAX and PyTorch first builds every layer it
 * holds by running `call()` on symbolic data ("Unable to automatically build the model", while a
 * model and all its layers are built it skips that), and `save_weights()` / a
 * `ModelCheckpoint(save_weights_only=True)` raises "You are saving a model that has not yet been
 * built" on every backend. Marked built, its sub-models' weights are saved (those built by then:
 * after fit(), all the steps called) and fit() goes straight to the step when the sub-models are
 * built (functional or Sequential models with an Input); a sub-layer built lazily (a custom layer
 * given no input shape) still needs building before fit() on JAX and PyTorch.
 * Checked on Keras 3.15: keras.io CycleGAN saving weights after fit() on TensorFlow, the GAN
 * rewrites of helpers/multi-optimizer-step.ts on JAX and PyTorch.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { classMethodDefinitions } from './model-code';
import { indentOf } from './init-attribute';

/** The comment above the `self.built = True` this module adds (the GAN rewrite's and KM214's fix). */
export const BUILT_WHY = 'No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.';

/** Whether the class (a class_definition) defines no call(), build() or __call__() and never sets `self.built`. */
export function neverBuilt(cls: SyntaxNode, ctx: RuleContext): boolean {
  const methods = classMethodDefinitions(cls, ctx);
  return !['call', 'build', '__call__'].some(m => methods.has(m)) && !/\bself\.built\s*=(?!=)/.test(ctx.textOf(cls));
}

/**
 * The edit that appends `self.built = True` (with a comment saying `why`) to the `__init__()` of
 * `cls`, or null when the class defines call(), build() or __call__(), already sets `self.built`,
 * or has no `__init__()` calling `super().__init__(...)`.
 */
export function markBuiltEdit(cls: SyntaxNode, why: string, ctx: RuleContext): OffsetEdit | null {
  if (!neverBuilt(cls, ctx)) {
    return null;
  }
  const init = classMethodDefinitions(cls, ctx).get('__init__');
  const body = init ? child(init, 'body') : null;
  const stmts = (body?.children ?? []).filter(c => c.type !== 'comment');
  if (!body || !stmts.some(s => s.type === 'expression_statement' && /^super\b[\s\S]*\.__init__\s*\(/.test(ctx.textOf(s)))) {
    return null;
  }
  const last = stmts[stmts.length - 1];
  if (last.type === 'return_statement') {
    return null;
  }
  const indent = indentOf(stmts[0], ctx);
  return { start: last.end, end: last.end, text: `\n${indent}# ${why}\n${indent}self.built = True` };
}
