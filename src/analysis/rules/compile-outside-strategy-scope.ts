/**
 * compile-outside-strategy-scope (KM340)
 *
 * What it does: flags `model.compile(...)` outside `with strategy.scope():` when `model` was last
 * assigned inside such a block (`strategy` assigned a `tf.distribute.*Strategy(...)`), and the
 * program trains it (`model.fit(...)`): a compile at module level, or one in a function that
 * compiles its parameter, called outside the scope with that model.
 *
 * Why: Keras 2's `compile()` entered the strategy scope of the model itself, so a model built under
 * `MirroredStrategy` could be recompiled anywhere (the keras.io EfficientNet fine-tuning example
 * recompiles in `unfreeze_model(model)` outside the scope). Keras 3's TensorFlow backend does not:
 * the optimizer made outside the scope (a new instance or a string) builds its variables under the
 * default strategy, and `fit()` fails with "Mixing different tf.distribute.Strategy objects".
 * JAX and PyTorch ignore the TensorFlow strategy and run.
 *
 * Example:
 *   with strategy.scope():
 *       model = build_model()
 *   model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")
 *   model.fit(ds)
 *
 * Use instead:
 *   with strategy.scope():
 *       model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")
 *
 * Fix (suggested): the compile statement (or the call of the function that compiles) goes into
 * `with STRATEGY.scope():`. Unsafe only for the call of a function: everything else that function
 * builds is then built under the strategy too.
 */
import { child, descendants, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { callParts, calleeName } from '../helpers/calls';
import { strategyNames } from '../helpers/distribute';


function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') {
      return p;
    }
  }
  return null;
}

const SCOPE_BLOCKS = new CellMemoKey<Array<{ node: SyntaxNode; strategy: string }>>('the with S.scope(): statements of the cell');

/** The `with S.scope():` statements of the cell, with S's name (found once per cell). */
function scopeBlocks(root: SyntaxNode, strategies: ReadonlySet<string>, ctx: RuleContext): Array<{ node: SyntaxNode; strategy: string }> {
  return ctx.cellMemo(SCOPE_BLOCKS, () => findScopeBlocks(root, strategies, ctx));
}

function findScopeBlocks(root: SyntaxNode, strategies: ReadonlySet<string>, ctx: RuleContext): Array<{ node: SyntaxNode; strategy: string }> {
  const blocks: Array<{ node: SyntaxNode; strategy: string }> = [];
  for (const n of descendants(root)) {
    if (n.type !== 'with_statement') {
      continue;
    }
    for (const item of descendants(n)) {
      if (item.type !== 'with_item') {
        continue;
      }
      const value = child(item, 'value') ?? item.children[0];
      const fn = value?.type === 'call' ? child(value, 'function') : null;
      const obj = fn?.type === 'attribute' ? child(fn, 'object') : null;
      if (fn && obj?.type === 'identifier' && calleeName(fn, ctx) === 'scope' && strategies.has(ctx.textOf(obj))) {
        blocks.push({ node: n, strategy: ctx.textOf(obj) });
      }
    }
  }
  return blocks;
}

function inside(node: SyntaxNode, outer: SyntaxNode): boolean {
  return node.start >= outer.start && node.end <= outer.end;
}

/** Whether module-level `name`'s last assignment before `pos` is inside one of the scope blocks. */
function lastAssignedInScope(name: string, pos: number, root: SyntaxNode, blocks: Array<{ node: SyntaxNode }>, ctx: RuleContext): boolean {
  let last: SyntaxNode | null = null;
  for (const n of descendants(root)) {
    if (n.type !== 'assignment' || n.end > pos || enclosingFunction(n)) {
      continue;
    }
    const left = child(n, 'left');
    if (left?.type === 'identifier' && ctx.textOf(left) === name && (!last || n.start > last.start)) {
      last = n;
    }
  }
  return last !== null && blocks.some(b => inside(last as SyntaxNode, b.node));
}

/** Whether the cell calls `NAME.fit(...)` after `pos`. */
function fitAfter(name: string, pos: number, root: SyntaxNode, ctx: RuleContext): boolean {
  for (const n of descendants(root)) {
    const fn = n.type === 'call' && n.start > pos ? child(n, 'function') : null;
    const obj = fn?.type === 'attribute' ? child(fn, 'object') : null;
    if (fn && obj?.type === 'identifier' && ctx.textOf(obj) === name && calleeName(fn, ctx) === 'fit') {
      return true;
    }
  }
  return false;
}

function statementOf(node: SyntaxNode): SyntaxNode | null {
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    if (p.type === 'expression_statement') {
      return p;
    }
  }
  return null;
}

/** The edit that puts a statement into `with STRATEGY.scope():`. */
function wrapInScope(stmt: SyntaxNode, strategy: string, ctx: RuleContext): OffsetEdit {
  const lineStart = ctx.text.lastIndexOf('\n', stmt.start - 1) + 1;
  const indent = ctx.text.slice(lineStart, stmt.start);
  const body = ctx.textOf(stmt).replace(/\n/g, '\n    ');
  return { start: stmt.start, end: stmt.end, text: `with ${strategy}.scope():\n${indent}    ${body}` };
}

/** The last assignment to `name` before `pos` in the same function (or at module level) as `pos`'s node. */
function lastAssignmentIn(name: string, scope: SyntaxNode, pos: number, ctx: RuleContext): SyntaxNode | null {
  let last: SyntaxNode | null = null;
  for (const n of descendants(scope)) {
    if (n.type !== 'assignment' || n.end > pos) {
      continue;
    }
    const left = child(n, 'left');
    if (left?.type === 'identifier' && ctx.textOf(left) === name && (!last || n.start > last.start)) {
      last = n;
    }
  }
  return last;
}

/**
 * Whether the optimizer `compile()` gets keeps per-variable state (Adam's moments, RMSprop's
 * averages): only such an optimizer makes `fit()` fail (Keras 3.15 ran a plain `SGD` without
 * momentum); null when it cannot be told (an optimizer passed in from elsewhere).
 */
function optimizerHasSlots(call: SyntaxNode, ctx: RuleContext): boolean | null {
  const parts = callParts(call, ctx);
  if (!parts) {
    return null;
  }
  let opt: SyntaxNode | null | undefined = parts.keywords.get('optimizer')?.value ?? parts.positional[0];
  if (!opt) {
    return true; // Keras' default, "rmsprop"
  }
  if (opt.type === 'identifier') {
    const scope = enclosingFunction(call) ?? rootOf(call);
    const assigned = lastAssignmentIn(ctx.textOf(opt), scope, call.start, ctx);
    opt = assigned ? child(assigned, 'right') : null;
    if (!opt) {
      return null;
    }
  }
  if (opt.type === 'string') {
    const value = ctx.textOf(opt).replace(/^[rbuRBU]*['"]+|['"]+$/g, '').toLowerCase();
    return value !== 'sgd';
  }
  if (opt.type === 'call') {
    const fn = child(opt, 'function');
    const optParts = callParts(opt, ctx);
    if (!fn || !optParts) {
      return null;
    }
    const name = calleeName(fn, ctx);
    if (name === 'SGD') {
      const momentum = optParts.keywords.get('momentum')?.value ?? optParts.positional[1];
      return momentum !== undefined && momentum !== null && !/^0(\.0*)?$/.test(ctx.textOf(momentum));
    }
    return /^(Adam|AdamW|Adamax|Nadam|RMSprop|Adagrad|Adadelta|Adafactor|Ftrl|Lion|Lamb|LossScaleOptimizer)$/.test(name) ? true : null;
  }
  return null;
}

function message(receiver: string, strategy: string): string {
  return `\`${receiver}\` was built under \`${strategy}.scope()\` and is compiled outside it: Keras 2's \`compile()\` entered the model's strategy scope itself, Keras 3's TensorFlow backend does not, and \`fit()\` then fails with "Mixing different tf.distribute.Strategy objects" (JAX and PyTorch ignore the TensorFlow strategy). Compile it inside \`with ${strategy}.scope():\`.`;
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (receiver?.type !== 'identifier') {
    return;
  }
  const root = rootOf(node);
  const strategies = strategyNames(root, ctx);
  if (strategies.size === 0) {
    return;
  }
  const blocks = scopeBlocks(root, strategies, ctx);
  if (blocks.length === 0 || blocks.some(b => inside(node, b.node))) {
    return;
  }
  const name = ctx.textOf(receiver);
  const def = enclosingFunction(node);
  if (!def) {
    const stmt = statementOf(node);
    if (!lastAssignedInScope(name, node.start, root, blocks, ctx) || optimizerHasSlots(node, ctx) !== true || !stmt || stmt.parent !== root || !fitAfter(name, node.end, root, ctx)) {
      return;
    }
    const strategy = blocks[0].strategy;
    ctx.report(parts.fn, message(name, strategy), {
      title: `Compile inside \`with ${strategy}.scope():\``,
      safe: true,
      edits: [wrapInScope(stmt, strategy, ctx)]
    });
    return;
  }
  // A module-level function compiling its parameter: its calls outside the scope with a model built in it.
  if (def.type !== 'function_definition' || enclosingFunction(def) || def.parent !== root) {
    return;
  }
  const params = child(def, 'parameters');
  const paramNames = params ? params.children.map(p => (p.type === 'identifier' ? ctx.textOf(p) : ctx.textOf(child(p, 'name') ?? p))) : [];
  const index = paramNames.indexOf(name);
  const fnName = ctx.textOf(child(def, 'name') ?? def);
  if (index < 0 || optimizerHasSlots(node, ctx) !== true) {
    return;
  }
  for (const call of descendants(root)) {
    const callee = call.type === 'call' ? child(call, 'function') : null;
    if (!callee || callee.type !== 'identifier' || ctx.textOf(callee) !== fnName || enclosingFunction(call) || blocks.some(b => inside(call, b.node))) {
      continue;
    }
    const args = child(call, 'arguments')?.children ?? [];
    const arg = args[index];
    const stmt = statementOf(call);
    if (arg?.type !== 'identifier' || !stmt || stmt.parent !== root) {
      continue;
    }
    const argName = ctx.textOf(arg);
    if (!lastAssignedInScope(argName, call.start, root, blocks, ctx) || !fitAfter(argName, call.end, root, ctx)) {
      continue;
    }
    const strategy = blocks[0].strategy;
    ctx.report(parts.fn, message(argName, strategy) + ` (\`${fnName}(${argName})\` compiles it.)`, {
      title: `Call \`${fnName}(...)\` inside \`with ${strategy}.scope():\``,
      safe: false,
      edits: [wrapInScope(stmt, strategy, ctx)]
    });
    return;
  }
}

export const compileOutsideStrategyScope: RuleDefinition = {
  code: 'KM340',
  name: 'compile-outside-strategy-scope',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15: a model built and compiled under `MirroredStrategy().scope()`,
   * fitted, then recompiled outside the scope (a new `Adam`, or `"adam"`; also with no fit before)
   * fails on TensorFlow in the next `fit()` with "Mixing different tf.distribute.Strategy objects";
   * JAX and PyTorch run it, and so does tf_keras 2.21
   * (python_kernel_hooks/tests/claims/compile_outside_strategy_scope.py).
   */
  blocks: ['tensorflow'],
  fixAvailability: 'always',
  triggers: ['compile', 'scope'],
  docs: {
    whatItDoes:
      'Flags `model.compile(...)` outside `with strategy.scope():` when `model` was last assigned inside such a block of a `tf.distribute` strategy and is then trained with `fit()`; also a module-level function that compiles its parameter, called outside the scope with such a model.',
    why:
      'Keras 2\'s `compile()` entered the model\'s own strategy scope, so a model built under `MirroredStrategy` could be recompiled anywhere (as for fine-tuning after unfreezing layers). Keras 3\'s TensorFlow backend does not: the new optimizer builds its variables under the default strategy and `fit()` fails with "Mixing different tf.distribute.Strategy objects". JAX and PyTorch ignore the TensorFlow strategy.',
    example:
      'import tensorflow as tf\nfrom tensorflow import keras\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")\nmodel.fit(ds)\n',
    useInstead:
      'import tensorflow as tf\nfrom tensorflow import keras\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nwith strategy.scope():\n    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")\nmodel.fit(ds)\n'
  },
  calls: { names: ['compile'] },
  visitors: { call: visitCall }
};
