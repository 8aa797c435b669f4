import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { assignedBefore, callParts, lastAssignedValue } from '../rule-helpers';
import { callsInBody, mappedBodies, PREPROCESSING_LAYER } from '../helpers/tf-data';

const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);
const MODELS = new Set(['keras.Model', 'keras.models.Model', 'keras.models.load_model', 'keras.saving.load_model', 'keras.models.clone_model']);

/** Keras functions that compute on the backend's tensors: `keras.ops.*`, `keras.activations.*`, `keras.applications.*.preprocess_input`. */
const BACKEND_FUNCTION = /^keras\.(ops\.|activations\.|applications\.[\w.]*preprocess_input$)/;

/** The fact a cell notes for `NAME = <a Keras layer or model that is no preprocessing layer>`: other cells may map it. */
const fact = (name: string): string => `keras-callable:${name}`;

/**
 * What a value is, when it makes a Keras layer or model that fails inside tf.data on JAX and
 * PyTorch: its class's name (`Dense`, `Model`, a subclass's name); null for preprocessing
 * layers (which run there), Sequentials (KM179's subject) and anything else.
 */
function failingCallable(value: SyntaxNode | null, ctx: RuleContext): string | null {
  if (!value || value.type !== 'call') {
    return null;
  }
  const fn = child(value, 'function');
  if (!fn) {
    return null;
  }
  const name = ctx.resolveKeras(fn);
  const last = (name ?? ctx.textOf(fn)).split('.').pop() ?? '';
  if (name) {
    if (PREPROCESSING_LAYER.test(name) || SEQUENTIAL.has(name)) {
      return null;
    }
    if (MODELS.has(name) || /^keras\.applications\.\w+\.\w+$|^keras\.applications\.[A-Z]\w*$/.test(name) || /^keras\.layers\.[A-Z]\w*$/.test(name)) {
      return last;
    }
    return null;
  }
  // A subclass of a Keras layer or model defined in the notebook.
  return ctx.kerasKindOfClass(fn) ? last : null;
}

function message(name: string, what: string): string {
  return `\`${name}\` ${what} inside \`tf.data.Dataset.map()\`: on JAX and PyTorch it fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (Keras 3 switches only its preprocessing layers to TensorFlow inside tf.data; other layers, models and \`keras.ops\` compute with the backend's own tensors). Apply it in the model instead, or keep the pipeline to preprocessing layers and TensorFlow ops.`;
}

/** `NAME = Dense(...)` at the top of a cell: a later cell may map it. */
function noteAssignment(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.fn || node.parent?.type !== 'expression_statement') {
    return;
  }
  const target = child(node, 'left');
  const what = target && target.type === 'identifier' ? failingCallable(child(node, 'right'), ctx) : null;
  if (what) {
    ctx.note(fact(ctx.textOf(target!)));
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (!callParts(node, ctx)) {
    return;
  }
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  for (const call of mappedBodies(node, ctx).flatMap(callsInBody)) {
    const fn = child(call, 'function');
    if (!fn) {
      continue;
    }
    const kerasName = ctx.resolveKeras(fn);
    if (kerasName && BACKEND_FUNCTION.test(kerasName)) {
      ctx.report(call, message(ctx.textOf(fn), 'is a Keras function called'));
      continue;
    }
    if (fn.type !== 'identifier' || kerasName) {
      continue;
    }
    const name = ctx.textOf(fn);
    const value = lastAssignedValue(name, node, ctx) ?? assignedBefore(root, name, node, ctx);
    const what = failingCallable(value, ctx);
    if (what) {
      ctx.report(call, message(name, `is a Keras ${/Model$|^load_model$|^clone_model$/.test(what) ? 'model' : 'layer'} (\`${what}\`) called`));
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      // Made in an earlier cell: flagged when that cell made such a layer or model.
      ctx.report(call, message(name, 'is a Keras layer or model called'), null, undefined, 'earlier:' + fact(name));
    }
  }
}

export const kerasLayerInTfDataMap: RuleDefinition = {
  code: 'KM195',
  name: 'keras-layer-in-tf-data-map',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags a Keras layer that is no preprocessing layer (`Dense`, `Conv2D`, a custom `Layer`), a Keras model other than a `Sequential` (a functional `keras.Model`, even one made only of preprocessing layers; a loaded or applications model), or a `keras.ops`/`keras.activations`/`preprocess_input` function, called inside the function given to `tf.data.Dataset.map()` or in a function of the cell that it calls (the layer made in the cell or an earlier one).',
    why:
      'Keras 3 runs its preprocessing layers (`RandomFlip`, `Rescaling`, `Normalization`, `TextVectorization`, ..., and `keras.layers.Pipeline`) inside tf.data on every backend by switching them to TensorFlow while tf.data traces the function. Everything else computes with the backend\'s own tensors: on JAX and PyTorch the map fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (TensorFlow runs it; checked by running Keras 3.15 on each backend with a `Dense`, a `Conv2D`, a custom layer, a functional model of `RandomFlip` and `Rescaling`, `keras.ops.clip` and `resnet50.preprocess_input`). A `Sequential` is KM179\'s. There is no rewrite that keeps the pipeline: apply the layer in the model, or use preprocessing layers and TensorFlow ops in tf.data.',
    example:
      'import keras\nimport tensorflow as tf\ninp = keras.Input((32, 32, 3))\naugment = keras.Model(inp, keras.layers.Rescaling(1 / 255)(keras.layers.RandomFlip("horizontal")(inp)))\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (augment(a, training=True), b))',
    useInstead:
      'import keras\nimport tensorflow as tf\naugment = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.Rescaling(1 / 255)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (augment(a, training=True), b))'
  },
  calls: { names: ['map'] },
  visitors: { call: visit, assignment: noteAssignment }
};
