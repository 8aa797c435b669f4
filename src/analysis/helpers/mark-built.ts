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
 * given no input shape) still needs building before fit() on JAX and PyTorch. A layer class of the
 * cell the model makes that creates its state in __init__() and has no build() is marked built as
 * well (markBuiltSublayerEdits; keras.io GAN ADA's augmenter, on JAX and PyTorch).
 * Checked on Keras 3.15: keras.io CycleGAN saving weights after fit() on TensorFlow, the GAN
 * rewrites of helpers/multi-optimizer-step.ts on JAX and PyTorch.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { classMethodDefinitions, onlyVisibleDefinition } from './model-code';
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
  return builtAtInitEnd(cls, why, ctx);
}

/** The comment above the `self.built = True` added to a model whose call() its train_step never runs (markBuiltUncalledEdit). */
export const UNCALLED_BUILT_WHY = 'The step never calls the model: fit() would build it from data (on JAX and PyTorch) by running call() on a batch; its parts are built.';

/**
 * The edit that appends `self.built = True` (with a comment saying `why`) to the `__init__()` of a
 * model that has a call() (for predict(), keras.io GauGAN's generator on [latent, labels]) but no
 * build() or __call__() and never sets `self.built`, or null. For a model whose train_step trains
 * its parts without calling it: while the model is unbuilt, fit() on JAX and PyTorch first runs
 * call() on the x of a symbolic batch, which the step unpacks its own way ("too many values to
 * unpack" for GauGAN); marked built (as the hand conversion does), fit() goes to the step.
 * Keras's default build() of such a model makes nothing.
 */
export function markBuiltUncalledEdit(cls: SyntaxNode, why: string, ctx: RuleContext): OffsetEdit | null {
  const methods = classMethodDefinitions(cls, ctx);
  if (!methods.has('call') || methods.has('build') || methods.has('__call__') || /\bself\.built\s*=(?!=)/.test(ctx.textOf(cls))) {
    return null;
  }
  return builtAtInitEnd(cls, why, ctx);
}

/** The comment above the `self.built = True` added to a sub-layer class (markBuiltSublayerEdits). */
export const SUBLAYER_BUILT_WHY = 'Its state is made in __init__: built (fit() on JAX and PyTorch builds what is not by calling the model).';

/**
 * Edits appending `self.built = True` to the `__init__()` of the layer and model classes of the cell
 * that `cls`'s `__init__()` makes (`self.augmenter = AdaptiveAugmenter()`, keras.io GAN ADA) and
 * that Keras 3 leaves unbuilt until they are called: a class with a call() but no build(),
 * __call__() or `self.built`, and no state made in call(). A model with no call(), marked built,
 * still makes fit() on JAX and PyTorch build every layer it holds by calling it on symbolic data
 * (which fails) while one of them is not built; marking such a layer built skips only Keras's
 * default build(), which makes nothing for it (its sublayers still build when called).
 */
export function markBuiltSublayerEdits(cls: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  const init = classMethodDefinitions(cls, ctx).get('__init__');
  const edits: OffsetEdit[] = [];
  const seen = new Set<string>();
  for (const stmt of statementsOf(init ? child(init, 'body') : null)) {
    const e = stmt.type === 'expression_statement' ? stmt.children[0] : null;
    const left = e?.type === 'assignment' ? child(e, 'left') : null;
    const right = e?.type === 'assignment' ? child(e, 'right') : null;
    const fn = right?.type === 'call' ? child(right, 'function') : null;
    if (!left || !/^self\.\w+$/.test(ctx.textOf(left)) || !fn || fn.type !== 'identifier' || seen.has(ctx.textOf(fn))) {
      continue;
    }
    const kind = ctx.kerasKindOfClass(fn);
    const sub = kind === 'layer' || kind === 'model' ? onlyVisibleDefinition(cls, 'class_definition', ctx.textOf(fn), ctx) : null;
    if (!sub || sub === cls) {
      continue;
    }
    seen.add(ctx.textOf(fn));
    const methods = classMethodDefinitions(sub, ctx);
    const call = methods.get('call');
    if (!call || methods.has('build') || methods.has('__call__') || /\bself\.built\s*=(?!=)/.test(ctx.textOf(sub)) || /\badd_weight\(|\bVariable\(/.test(ctx.textOf(call))) {
      continue;
    }
    const edit = builtAtInitEnd(sub, SUBLAYER_BUILT_WHY, ctx);
    if (edit) {
      edits.push(edit);
    }
  }
  return edits;
}

function statementsOf(body: SyntaxNode | null): SyntaxNode[] {
  return (body?.children ?? []).filter(c => c.type !== 'comment');
}

/** `self.built = True` (with a comment saying `why`) at the end of the class's `__init__()`, or null without one calling `super().__init__(...)`. */
function builtAtInitEnd(cls: SyntaxNode, why: string, ctx: RuleContext): OffsetEdit | null {
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
