/**
 * trainable-after-compile (KM306)
 *
 * What it does: flags `model.trainable = False` after `model.compile(...)` where the cell later
 * trains that model itself (`model.train_on_batch(...)`, `model.fit(...)`) and never sets it back
 * to True: the Keras 2 GAN recipe (compile the discriminator, freeze it, build and compile the
 * combined model, then train both in turn).
 *
 * Why: Keras 2 fixed which weights a model trains when it was compiled, so the discriminator kept
 * training in its own `train_on_batch` while frozen inside the combined model. Keras 3 reads
 * `trainable` at every step: the frozen discriminator's own training updates nothing, silently,
 * on every backend (og48d repro_1, Atienza's GANs; claims/trainable_after_compile.py checks it
 * runs everywhere, so nothing is claimed).
 *
 * Fix (suggestion): set `model.trainable = True` before each of its own training calls and back
 * to False after it, which gives Keras 2's training on all three.
 */
import { child, enclosingStatement, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { escapeRegExp } from '../rule-helpers';
import { nodesUnder } from '../helpers/multi-optimizer-step';

const TRAINING = /^(train_on_batch|fit)$/;

/** `NAME.method(...)` calls of the cell, in order. */
function methodCalls(root: SyntaxNode, name: string, methods: RegExp, ctx: RuleContext): SyntaxNode[] {
  return nodesUnder(root, n => {
    const fn = n.type === 'call' ? child(n, 'function') : null;
    const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
    return object?.type === 'identifier' && ctx.textOf(object) === name && methods.test(ctx.textOf(child(fn!, 'attribute') ?? fn!));
  });
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  const object = left?.type === 'attribute' ? child(left, 'object') : null;
  if (!object || object.type !== 'identifier' || ctx.textOf(child(left!, 'attribute') ?? left!) !== 'trainable' || !right || ctx.textOf(right) !== 'False') {
    return;
  }
  const name = ctx.textOf(object);
  const root = rootOf(node);
  const compiles = methodCalls(root, name, /^compile$/, ctx).filter(c => c.end <= node.start);
  const compile = compiles[compiles.length - 1];
  // Bound again since that compile: another model, not compiled yet.
  if (!compile || new RegExp(`^[ \\t]*${escapeRegExp(name)}[ \\t]*=(?!=)`, 'm').test(ctx.text.slice(compile.end, node.start))) {
    return;
  }
  // The program toggles it back itself (the Keras 3 way).
  if (new RegExp(`\\b${escapeRegExp(name)}\\.trainable\\s*=\\s*True\\b`).test(ctx.text.slice(compile.end))) {
    return;
  }
  const trainings = methodCalls(root, name, TRAINING, ctx).filter(c => c.start > node.end);
  if (!trainings.length) {
    return;
  }
  const edits: OffsetEdit[] = [];
  for (const call of trainings) {
    const statement = enclosingStatement(call);
    if (!statement) {
      return;
    }
    const lineStart = ctx.text.lastIndexOf('\n', statement.start - 1) + 1;
    const indent = ctx.text.slice(lineStart, statement.start);
    if (!/^[ \t]*$/.test(indent)) {
      return; // shares its line with other code
    }
    edits.push({ start: statement.start, end: statement.start, text: `${name}.trainable = True\n${indent}` });
    edits.push({ start: statement.end, end: statement.end, text: `\n${indent}${name}.trainable = False` });
  }
  ctx.report(
    node,
    `\`${name}\` is frozen after its \`compile()\`, and this program then trains it itself (\`${name}.${ctx.textOf(child(child(trainings[0], 'function')!, 'attribute')!)}(...)\`). Keras 2 kept training it there (a compiled model's trainable weights were fixed at compile); Keras 3 reads \`trainable\` at every step, so that training updates nothing, on every backend. Set \`${name}.trainable = True\` around its own training.`,
    { title: `Set \`${name}.trainable = True\` around its own training`, safe: false, edits },
    undefined,
    undefined,
    []
  );
}

export const trainableAfterCompile: RuleDefinition = {
  code: 'KM306',
  name: 'trainable-after-compile',
  slug: 'api-changes',
  severity: 'warning',
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['trainable'],
  docs: {
    whatItDoes:
      'Flags `model.trainable = False` after `model.compile(...)` in a cell that later trains that same model with `train_on_batch()` or `fit()` and never sets `model.trainable = True` again: the Keras 2 GAN recipe (compile the discriminator, freeze it, build and compile the combined model, train both in turn).',
    why:
      'Keras 2 fixed a compiled model\'s trainable weights at `compile()`, so a discriminator frozen afterwards still trained in its own `train_on_batch` (and stayed frozen inside the combined model compiled after the freeze). Keras 3 reads `trainable` at every step: the discriminator\'s own training updates nothing, on every backend, without an error (checked on Keras 3.15). The suggested fix sets `trainable = True` before each of its own training calls and `False` after, which trains both models as Keras 2 did on all three backends. Nothing fails, so no backend is claimed.',
    example:
      'import keras\nd.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = False\ngan = keras.Model(z, d(g(z)))\ngan.compile(loss="binary_crossentropy", optimizer="adam")\nd_loss = d.train_on_batch(x, y)\ng_loss = gan.train_on_batch(noise, ones)',
    useInstead:
      'import keras\nd.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = False\ngan = keras.Model(z, d(g(z)))\ngan.compile(loss="binary_crossentropy", optimizer="adam")\nd.trainable = True\nd_loss = d.train_on_batch(x, y)\nd.trainable = False\ng_loss = gan.train_on_batch(noise, ones)'
  },
  requires: ['trainable'],
  visitors: { assignment: visit }
};
