import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParameters, callParts, constructorsOfCallee, enclosingClass } from '../rule-helpers';

/** A positional argument Keras 3 rejects: a Python bool, or the `training` flag by name. */
function isTrainingFlag(arg: SyntaxNode, ctx: RuleContext): boolean {
  if (arg.type === 'true' || arg.type === 'false') {
    return true;
  }
  return arg.type === 'identifier' && ctx.textOf(arg) === 'training';
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.positional.length < 2) {
    return;
  }
  const index = parts.positional.findIndex((a, i) => i > 0 && isTrainingFlag(a, ctx));
  if (index < 0) {
    return;
  }
  const fn = parts.fn;
  const inClass = enclosingClass(node);
  // A layer call: a layer instance by its binding, or an attribute of self / loop variable / subscript
  // made by a layer constructor in the class.
  // `Dropout(0.5)(x, True)`: the layer is constructed and called in one expression.
  const made = fn.type === 'call' ? child(fn, 'function') : null;
  const madeKind = made ? ctx.kerasKindOfClass(made) : null;
  const direct = madeKind === 'layer' || madeKind === 'model';
  const ctors = direct ? [fn] : constructorsOfCallee(fn, ctx);
  const kinds = (ctors ?? []).map(c => {
    const f = child(c, 'function');
    return f ? ctx.kerasKindOfClass(f) : null;
  });
  const madeByLayers = ctors !== null && ctors.length > 0 && kinds.every(k => k === 'layer' || k === 'model');
  if (!madeByLayers && !(ctx.isLayerInstance(fn) && fn.type === 'identifier')) {
    return;
  }
  if (inClass === null && fn.type !== 'identifier' && !direct) {
    return;
  }
  const flag = parts.positional[index];
  // The keyword names: the same for every class the callee can be.
  let names: readonly string[] | null = null;
  for (const c of ctors ?? []) {
    const p = callParameters(c, ctx);
    if (!p || (names !== null && names.join() !== p.join())) {
      names = null;
      break;
    }
    names = p;
  }
  let fix = null;
  if (names && !parts.splat && names.length >= parts.positional.length) {
    const rewritten = parts.positional.slice(index);
    const keywordNames = names.slice(index, parts.positional.length);
    const clash = keywordNames.some(n => parts.keywords.has(n));
    if (!clash && keywordNames.length === rewritten.length) {
      fix = {
        title: `Pass ${keywordNames.map(n => '`' + n + '=`').join(', ')} by keyword`,
        safe: true,
        edits: rewritten.map((arg, i) => ({ start: arg.start, end: arg.start, text: keywordNames[i] + '=' }))
      };
    }
  }
  const what = flag.type === 'identifier' ? '`training`' : `\`${ctx.textOf(flag)}\``;
  ctx.report(
    flag,
    `${what} is passed positionally to a layer call; Keras 3 accepts only tensors as positional arguments of a layer (\`training\` is a Python bool in fit/predict), so this raises "Only input tensors may be passed as positional arguments" on every backend. Pass it by keyword (\`training=...\`).`,
    fix
  );
}

export const positionalTrainingArgument: RuleDefinition = {
  code: 'KM197',
  name: 'positional-training-argument',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError "Only input tensors may be passed as positional arguments" (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['training', 'True', 'False'],
  docs: {
    whatItDoes: 'Flags a layer or model call that passes the `training` flag (or a Python bool) positionally: `layer(x, training, mask)`, `self.dropout(x, True)`, `Dropout(0.5)(x, True)`.',
    why:
      'Keras 2 mapped positional arguments onto `call()`\'s parameters. Keras 3 `Layer.__call__` accepts only tensors (or None) as positional arguments and raises "Only input tensors may be passed as positional arguments. The following argument value should be passed as a keyword argument: True" on every backend. Not covered by the migration guide. The fix names the parameters from the `call()` signature (a class in the same cell, or a built-in whose `call` takes `training` second) and is safe: Keras 2 gave them the same values.',
    example:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.drop = keras.layers.Dropout(0.1)\n    def call(self, x, training=None):\n        return self.drop(x, training)',
    useInstead:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.drop = keras.layers.Dropout(0.1)\n    def call(self, x, training=None):\n        return self.drop(x, training=training)'
  },
  visitors: { call: visit }
};
