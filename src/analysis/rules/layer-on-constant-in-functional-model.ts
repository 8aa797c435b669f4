import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { lastAssignedValue } from '../rule-helpers';

/** Calls that make a tensor of written data or a range, eagerly (not from a KerasTensor). */
const CONSTANT_MAKERS = /^(tensorflow\.(range|constant|convert_to_tensor|linspace|ones|zeros|eye)|keras\.ops\.(arange|convert_to_tensor|linspace|ones|zeros|eye)|numpy\.(arange|array|linspace|ones|zeros|eye))$/;

/** `layers.Embedding(...)(tf.range(...))` or `pos_emb(keras.ops.arange(n))`: a layer called on a constant. */
function layerOnConstant(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type !== 'call') {
    return false;
  }
  const fn = child(node, 'function');
  const args = child(node, 'arguments');
  const first = args?.children.find(c => c.type !== 'comment' && c.type !== 'keyword_argument');
  if (!fn || !first || first.type !== 'call' || !ctx.isLayerInstance(fn)) {
    return false;
  }
  const maker = child(first, 'function');
  const name = maker ? ctx.resolve(maker) ?? '' : '';
  return CONSTANT_MAKERS.test(name.replace(/^tensorflow\.keras\.ops\./, 'keras.ops.'));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // The compact tree keeps no field names under binary operators: the two operands in order.
  const [left, right] = node.children.filter(c => c.type !== 'comment');
  if (!left || !right) {
    return;
  }
  for (const [side, other] of [[left, right], [right, left]] as const) {
    if (!ctx.isSymbolic(other)) {
      continue;
    }
    const value = side.type === 'identifier' ? lastAssignedValue(ctx.textOf(side), side, ctx) : side;
    if (value && layerOnConstant(value, ctx)) {
      ctx.report(
        side,
        `\`${ctx.textOf(side)}\` is a layer's output on constant data, computed once while the Functional model is built and then kept in it as a constant: its weights are never trained on TensorFlow and JAX, and on PyTorch the second training step fails ("Trying to backward through the graph a second time"). Compute it inside a layer's call() (a position-embedding layer that looks up \`keras.ops.arange(...)\` and adds it to its input).`
      );
      return;
    }
  }
}

export const layerOnConstantInFunctionalModel: RuleDefinition = {
  code: 'KM223',
  name: 'layer-on-constant-in-functional-model',
  slug: 'api-changes',
  severity: 'warning',
  /** Measured (examples/runnable/mlm_bert_sample_weight.py after fix --unsafe, Keras 3.15): trains on TF and JAX (without those weights), fails on PyTorch. */
  blocks: ['torch'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a layer called on constant data (`tf.range`, `keras.ops.arange`, `np.arange`, a constant) whose output is combined with a KerasTensor while a Functional model is built, as in keras.io\'s BERT example: `position_embeddings = layers.Embedding(maxlen, dim)(tf.range(0, maxlen))` then `word_embeddings + position_embeddings`.',
    why:
      'Keras 2 traced that call into the model graph, so the position embedding was trained. In Keras 3 the layer runs eagerly on the constant when the line runs, and the Functional model keeps the resulting tensor as a constant: on TensorFlow and JAX its weights get no gradient, and on PyTorch that tensor carries the graph of the first step, so the second backward pass fails. The lookup has to happen inside a layer. Not covered by the migration guide.',
    example:
      'import keras\ninputs = keras.Input((16,), dtype="int32")\nx = keras.layers.Embedding(100, 8)(inputs)\npositions = keras.layers.Embedding(16, 8)(keras.ops.arange(0, 16))\nx = x + positions\n',
    useInstead:
      'import keras\nclass PositionEmbedding(keras.layers.Layer):\n    def __init__(self, length, dim, **kwargs):\n        super().__init__(**kwargs)\n        self.embedding = keras.layers.Embedding(length, dim)\n    def call(self, x):\n        return x + self.embedding(keras.ops.arange(0, keras.ops.shape(x)[1]))\ninputs = keras.Input((16,), dtype="int32")\nx = PositionEmbedding(16, 8)(keras.layers.Embedding(100, 8)(inputs))\n'
  },
  visitors: { binary_operator: visit }
};
