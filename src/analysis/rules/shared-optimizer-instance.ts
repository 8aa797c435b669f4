/**
 * shared-optimizer-instance (KM288)
 *
 * What it does: flags `compile(optimizer=opt)` where the optimizer instance `opt` was already given to
 * another model's `compile()` (a GAN's discriminator and combined model, in this cell or an earlier
 * one), or to this model's before its layers' `trainable` flags changed (fine-tuning after unfreezing).
 *
 * Why: a Keras 3 optimizer is built for the variables it first updates and refuses any other ("Unknown
 * variable: ... This optimizer can only be called for the variables it was originally built with") on
 * every backend (checked on Keras 3.15; claims/shared_optimizer_instance.py). Keras 2's optimizers up to
 * TensorFlow 2.10 (`tf.keras.optimizers.legacy` after) kept per-variable slots and took any variables.
 *
 * Fix (safe: the program failed without it): a new instance of the same configuration,
 * `type(opt).from_config(opt.get_config())`; its step count and moments start afresh.
 */
import { child, enclosingFunctionDefinition, enclosingStatement, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { calleeName, callParts, escapeRegExp, parameterNames, valueBefore } from '../rule-helpers';

/** Fact: optimizer NAME (`NAME:MODEL`: to that model's) was given to a compile() (read by later cells). */
const compiledFact = (key: string): string => `compiled-optimizer:${key}`;

/** Whether a value makes a Keras optimizer (`keras.optimizers.Adam(...)`, `mixed_precision.LossScaleOptimizer(...)`). */
function makesOptimizer(value: SyntaxNode | null, ctx: RuleContext): boolean {
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const name = fn ? ctx.resolveKeras(fn) ?? '' : '';
  return /^keras\.(optimizers\.(?!schedules\.)[\w.]+|mixed_precision\.LossScaleOptimizer)$/.test(name);
}

/** Per cell, in walk order: optimizer key -> the models whose compile() got it. */
const COMPILED_HERE = new CellMemoKey<Map<string, Set<string>>>('compiled optimizers');

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  const optimizer = parts.keywords.get('optimizer')?.value ?? parts.positional[0];
  const receiver = child(parts.fn, 'object');
  if (!optimizer || optimizer.type !== 'identifier' || !receiver) {
    return;
  }
  const name = ctx.textOf(optimizer);
  const model = ctx.textOf(receiver);
  // A model's own compile() passing its argument on (`super().compile(optimizer=optimizer)`), or a
  // parameter of the function around: the caller's optimizer, counted at the caller's compile().
  const def = enclosingFunctionDefinition(node);
  if (/^super\(|^self$/.test(model) || (def && (parameterNames(def, ctx) ?? []).includes(name))) {
    return;
  }
  const value = valueBefore(name, node, ctx);
  // Assigned in this cell other than by an optimizer constructor (`opt = make()`): not followed.
  if (value ? !makesOptimizer(value, ctx) : new RegExp(`^[ \\t]*${escapeRegExp(name)}[ \\t]*=(?!=)`, 'm').test(ctx.text)) {
    return;
  }
  // Made in this cell: keyed by that value (a name bound again holds a new instance); else by the name,
  // and earlier cells' compiles of it count too (their facts).
  const key = value ? `${name}@${value.start}` : name;
  const here = ctx.cellMemo(COMPILED_HERE, () => new Map());
  const models = here.get(key) ?? new Set<string>();
  here.set(key, models);
  // A model name bound again is another model (Géron's ch. 14 `model = ...` twice, one optimizer: og48b repro_8).
  const binding = receiver.type === 'identifier' ? valueBefore(model, node, ctx) : null;
  const modelKey = binding ? `${model}@${binding.start}` : model;
  const sharedHere = models.size > 0 && !models.has(modelKey);
  const refrozen = models.has(modelKey) && trainableChangedSincePreviousCompile(model, name, node, ctx);
  models.add(modelKey);
  ctx.note(compiledFact(name));
  ctx.note(compiledFact(`${name}:${model}`));
  // An optimizer of an earlier cell compiled there into another model (and not yet here).
  const earlier = !value && !sharedHere && !refrozen ? `earlier:${compiledFact(name)} & !earlier:${compiledFact(`${name}:${model}`)}` : undefined;
  if (!sharedHere && !refrozen && !earlier) {
    return;
  }
  const why = refrozen
    ? `\`${name}\` was given to \`${model}.compile()\` before its layers' \`trainable\` flags changed`
    : `\`${name}\` was given to another model's \`compile()\` before`;
  ctx.report(
    optimizer,
    `${why}: a Keras 3 optimizer is built for the variables it first updates and refuses others ("Unknown variable ... This optimizer can only be called for the variables it was originally built with") on every backend; Keras 2's optimizers up to TensorFlow 2.10 took any variables. Give this \`compile()\` its own optimizer: \`type(${name}).from_config(${name}.get_config())\` (its step count and moments start afresh).`,
    { title: 'A new optimizer of the same configuration', safe: true, edits: [{ start: optimizer.start, end: optimizer.end, text: `type(${name}).from_config(${name}.get_config())` }] },
    undefined,
    earlier
  );
}

/** Whether the cell, between `model`'s previous `compile(... name ...)` and this one, assigns some `.trainable`. */
function trainableChangedSincePreviousCompile(model: string, name: string, node: SyntaxNode, ctx: RuleContext): boolean {
  const statement = enclosingStatement(node) ?? node;
  const before = ctx.text.slice(0, statement.start);
  const previous = [...before.matchAll(new RegExp(`(?<![\\w.])${escapeRegExp(model)}\\s*\\.\\s*compile\\s*\\([^)]*\\b${escapeRegExp(name)}\\b`, 'g'))].pop();
  return !!previous && /\.\s*trainable\s*=(?!=)/.test(before.slice(previous.index));
}

export const sharedOptimizerInstance: RuleDefinition = {
  code: 'KM288',
  name: 'shared-optimizer-instance',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError "Unknown variable" when the second model trains (Keras 3.15, TF/JAX/PyTorch; claims/shared_optimizer_instance.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  // The statements making optimizers (`opt = Adam(1e-3)` after `from keras.optimizers import Adam`) are read by valueBefore.
  triggers: ['compile', 'optimizers', 'Adam', 'AdamW', 'SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam', 'Ftrl', 'Lion', 'LossScaleOptimizer'],
  docs: {
    whatItDoes:
      'Flags `compile(optimizer=opt)` (or `compile(opt, ...)`) where the optimizer instance held by `opt` was given to another model\'s `compile()` before (a GAN\'s discriminator and combined model, in this cell or an earlier one), or to this model\'s `compile()` before a `.trainable` assignment in the cell (fine-tuning after unfreezing layers).',
    why:
      'A Keras 3 optimizer is built for the variables it first updates and refuses any other: "Unknown variable: ... This optimizer can only be called for the variables it was originally built with. When working with a new set of variables, you should recreate a new optimizer instance" on every backend (checked on Keras 3.15 with a GAN\'s shared Adam and with a model recompiled after unfreezing its base). Keras 2\'s optimizers up to TensorFlow 2.10 (the `tf.keras.optimizers.legacy` ones after) kept per-variable slots and took any variables; TensorFlow 2.11\'s new optimizers refuse too. The fix (safe: the program failed without it) gives the `compile()` a new optimizer of the same configuration, `type(opt).from_config(opt.get_config())`; its step count and moments start afresh, where Keras 2 shared the step count.',
    example:
      'import keras\nopt = keras.optimizers.Adam(0.0002, 0.5)\ndiscriminator.compile(loss="binary_crossentropy", optimizer=opt)\ncombined.compile(loss="binary_crossentropy", optimizer=opt)',
    useInstead:
      'import keras\nopt = keras.optimizers.Adam(0.0002, 0.5)\ndiscriminator.compile(loss="binary_crossentropy", optimizer=opt)\ncombined.compile(loss="binary_crossentropy", optimizer=type(opt).from_config(opt.get_config()))'
  },
  calls: { names: ['compile'] },
  requires: ['compile'],
  visitors: { call: visit }
};
