/**
 * What it does: flags `super().__init__(self, ...)` (or `super(Cls, self).__init__(self, ...)`) in
 * a method of a Keras Layer or Model subclass: `self` handed to the base `__init__` a second time,
 * as a positional argument. The fix removes it.
 * Why: the TensorFlow tutorial "Text generation with an RNN" wrote `super().__init__(self)` in its
 * subclassed model, and tf.keras's Model took and ignored positional arguments. Keras 3's Layer
 * takes keyword arguments only: "Layer.__init__() takes 1 positional argument but 2 were given" on
 * every backend when the model is made. `super()` already binds `self`; without the extra argument
 * the base `__init__` runs as Keras 2's did.
 * Example: `super().__init__(self)`
 * Use instead: `super().__init__()`
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, removeArgument } from '../rule-helpers';

/** The first parameter's name of the method enclosing `node` directly in a class body (`self`), else null. */
function selfParameter(node: SyntaxNode, ctx: RuleContext): string | null {
  let fn: SyntaxNode | null = node.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'lambda' && fn.type !== 'class_definition') {
    fn = fn.parent;
  }
  const owner = fn?.parent?.type === 'decorated_definition' ? fn.parent.parent : fn?.parent;
  if (fn?.type !== 'function_definition' || owner?.type !== 'block' || owner.parent?.type !== 'class_definition') {
    return null;
  }
  const first = child(fn, 'parameters')?.children.find(c => c.type === 'identifier');
  return first ? ctx.textOf(first) : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const fn = parts?.fn;
  if (!parts || fn?.type !== 'attribute' || ctx.textOf(child(fn, 'attribute') ?? fn) !== '__init__') {
    return;
  }
  const owner = child(fn, 'object');
  const ownerFn = owner?.type === 'call' ? child(owner, 'function') : null;
  if (!ownerFn || ctx.textOf(ownerFn) !== 'super') {
    return;
  }
  const kind = ctx.cls?.keras;
  if (kind !== 'layer' && kind !== 'model') {
    return;
  }
  const first = parts.positional[0];
  const self = selfParameter(node, ctx);
  // `self` given first (before any keyword argument, as Python requires).
  if (!first || first.type !== 'identifier' || !self || ctx.textOf(first) !== self) {
    return;
  }
  ctx.report(
    first,
    `\`super().__init__(${self}, ...)\` hands \`${self}\` to the base \`__init__\` again, as a positional argument: Keras 3's Layer takes keyword arguments only and raises "Layer.__init__() takes 1 positional argument but 2 were given" on every backend (tf.keras's Model ignored it). \`super()\` binds \`${self}\` already: remove the argument.`,
    { title: `Remove \`${self}\` from the arguments`, safe: true, edits: [removeArgument(first, ctx)] }
  );
}

export const superInitPassesSelf: RuleDefinition = {
  code: 'KM258',
  name: 'super-init-passes-self',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: a keras.Model or
   * keras.layers.Layer subclass whose __init__ calls super().__init__(self) fails when it is made
   * ("Layer.__init__() takes 1 positional argument but 2 were given"); tf_keras 2.21 runs the
   * TensorFlow text-generation tutorial's model written so.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['super'],
  docs: {
    whatItDoes:
      'Flags `super().__init__(self, ...)` and `super(Cls, self).__init__(self, ...)` in a method of a Keras Layer or Model subclass: the instance passed again, as the first positional argument. The fix removes that argument.',
    why:
      'The TensorFlow tutorial "Text generation with an RNN" of the tf.keras era wrote `super().__init__(self)` in its subclassed model, and tf.keras\'s Model accepted and ignored positional arguments. Keras 3\'s `Layer.__init__` (which a subclassed Model calls) takes keyword arguments only and raises "Layer.__init__() takes 1 positional argument but 2 were given" on TensorFlow, JAX and PyTorch as soon as the model is made. `super()` already binds the instance, so removing the extra argument leaves what Keras 2 did: the fix is safe. Not covered by the migration guide.',
    example:
      'import keras\n\nclass MyModel(keras.Model):\n    def __init__(self, units):\n        super().__init__(self)\n        self.dense = keras.layers.Dense(units)\n\n    def call(self, x):\n        return self.dense(x)',
    useInstead:
      'import keras\n\nclass MyModel(keras.Model):\n    def __init__(self, units):\n        super().__init__()\n        self.dense = keras.layers.Dense(units)\n\n    def call(self, x):\n        return self.dense(x)'
  },
  calls: { names: ['__init__'] },
  requires: ['super'],
  visitors: { call: visit }
};
