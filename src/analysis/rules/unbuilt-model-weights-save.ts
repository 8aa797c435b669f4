import { child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { BUILT_WHY, markBuiltEdit } from '../helpers/mark-built';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The class a name was made from in this cell (`gan = GAN(...)`), when it is a keras.Model
 * subclass defined in the cell whose body has no `call()` and no `build()`: fit() runs its
 * train_step without ever building it. Null otherwise, or when the cell builds or calls it.
 */
function unbuiltModelClass(name: string, ctx: RuleContext): string | null {
  const made = new RegExp(`^[ \\t]*${escape(name)}[ \\t]*=[ \\t]*(\\w+)\\(`, 'm').exec(ctx.text);
  const cls = made?.[1];
  const binding = cls ? ctx.lookup(cls) : undefined;
  if (!cls || !binding || binding.kind !== 'class' || binding.keras === null) {
    return null;
  }
  const def = new RegExp(`^class[ \\t]+${escape(cls)}\\b[^\\n]*:[ \\t]*\\n((?:[ \\t]+[^\\n]*\\n|[ \\t]*\\n)*)`, 'm').exec(ctx.text);
  // Keras's own Model as the base, however the module is spelled (`keras.Model`, `models.Model` after
  // `from tensorflow.keras import models`: og50a's diffusion model), not a subclass of another class of the notebook.
  if (!def || binding.keras !== 'model' || !/^class[^\n]*\(\s*(?:[A-Za-z_][\w.]*\.)?Model\s*(?:,[^\n]*)?\)/.test(def[0])) {
    return null;
  }
  const body = def[1];
  if (/\bdef[ \t]+(call|build|__call__)[ \t]*\(|\bself\.built[ \t]*=/.test(body)) {
    return null;
  }
  // `gan(x)` / `gan.build(...)` / `gan.predict(...)` build the model before the save.
  if (new RegExp(`\\b${escape(name)}(\\.build|\\.predict|\\.evaluate)?\\(`).test(ctx.text)) {
    return null;
  }
  return cls;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const object = parts.fn.children[0];
  if (!object || object.type !== 'identifier') {
    return;
  }
  let how: string;
  if (method === 'save_weights' || method === 'save') {
    how = `\`${method}()\``;
  } else if (method === 'fit' && /ModelCheckpoint\([^)]*save_weights_only\s*=\s*True/.test(ctx.text)) {
    how = 'the `ModelCheckpoint(save_weights_only=True)` callback';
  } else {
    return;
  }
  const cls = unbuiltModelClass(ctx.textOf(object), ctx);
  if (!cls) {
    return;
  }
  // The class's node: the module's class statement of that name.
  let root: SyntaxNode = node;
  while (root.parent) {
    root = root.parent;
  }
  const classNode = root.children
    .map(s => (s.type === 'decorated_definition' ? child(s, 'definition') : s))
    .find(s => s?.type === 'class_definition' && ctx.textOf(child(s, 'name') ?? s) === cls);
  const mark = classNode ? markBuiltEdit(classNode, BUILT_WHY, ctx) : null;
  const fix: RawFix | null = mark ? { title: `Mark \`${cls}\` built at the end of its __init__() (\`self.built = True\`)`, safe: false, edits: [mark] } : null;
  ctx.report(
    parts.fn,
    `\`${cls}\` defines no \`call()\` or \`build()\`, so Keras 3 never builds it and ${how} raises "You are saving a model that has not yet been built" (Keras 2 saved its weights); mark \`${cls}\` built (\`self.built = True\` at the end of its \`__init__()\`: the weights of its sub-models, built by then, are saved; fit() on JAX and PyTorch then no longer tries to build it from data), or save the sub-models' weights.`,
    fix
  );
}

export const unbuiltModelWeightsSave: RuleDefinition = {
  code: 'KM214',
  name: 'unbuilt-model-weights-save',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError when saving (Keras 3.15, TF/JAX/PyTorch; claims/unbuilt_model_weights_save.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['save_weights', 'save', 'fit'],
  docs: {
    whatItDoes:
      'Flags `save_weights()` / `save()` of a keras.Model subclass that defines neither `call()` nor `build()` (a GAN-style model trained by its own train_step, as keras.io CycleGAN and conditional GAN wrote them), and `fit()` of one with a `ModelCheckpoint(save_weights_only=True)` callback in the cell, when the cell never calls or builds the model. The fix marks the model built in its `__init__()`.',
    why:
      'Keras 2 saved the weights of such a model (its sub-models are tracked). Keras 3 refuses to save a model that is not built ("You are saving a model that has not yet been built. Try building the model first by calling it on some data or by using `build()`") and a model without `call()` is never built by `fit()`; checked on Keras 3.15 with TensorFlow, JAX and PyTorch. The fix (a suggestion) appends `self.built = True` to the model\'s `__init__()` (when it calls `super().__init__()`), as a hand conversion does: the weights saved are those of its sub-models built by then (all of them after `fit()` has run the steps; a sub-layer built lazily and saved before any step has none), and `fit()` on JAX and PyTorch no longer tries to build the model from data when its sub-models are built (keras.io CycleGAN saves its checkpoints on TensorFlow once marked).',
    example:
      'import keras\nclass GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])\n    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.save_weights("gan.weights.h5")',
    useInstead:
      'import keras\nclass GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])\n    def build(self, input_shape=None):\n        self.built = True\n    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.build()\ngan.save_weights("gan.weights.h5")'
  },
  calls: { names: ['save_weights', 'save', 'fit'] },
  // Findings are on `save_weights`/`save` calls, or on `fit` with a `ModelCheckpoint(save_weights_only=True)` in the cell.
  requires: ['save_weights', 'save', 'ModelCheckpoint'],
  visitors: { call: visit }
};
