import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { kerasOpNamed, tfOp } from '../knowledge';
import { callParts, convertCall, tfApiName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const canonical = ctx.resolve(parts.fn);
  const name = tfApiName(canonical);
  if (!name || name.startsWith('tf.data.')) {
    return;
  }
  const symbolic = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)].find(a => ctx.isSymbolic(a));
  if (!symbolic) {
    return;
  }
  const mapping = tfOp(canonical!);
  const target = mapping?.keras ?? kerasOpNamed(name);
  const { fix, unmapped } = mapping ? convertCall(parts, target, mapping, ctx) : { fix: null, unmapped: null };
  const how = unmapped
    ? `\`${target}\` has no counterpart for ${unmapped}: rewrite the call by hand or wrap the TF code in a layer.`
    : target
      ? `use \`${target}\`${mapping ? '' : ' (check its arguments)'} or wrap the TF code in a layer.`
      : 'use keras.ops or wrap the TF code in a layer.';
  ctx.report(parts.fn, `\`${name}\` is applied to \`${ctx.textOf(symbolic)}\`, a symbolic Keras tensor; ${how}`, fix);
}

export const tfOpOnKerasTensor: RuleDefinition = {
  code: 'KM071',
  name: 'tf-op-on-keras-tensor',
  slug: 'kerastensor-tf-op',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Follows symbolic tensors of Functional models (from `keras.Input`, through layer calls, layer-returning helper functions, loop variables and assignments, across cells) and flags TensorFlow functions applied to them.',
    why:
      'In Keras 3 the placeholders of a Functional model are KerasTensors, not TensorFlow tensors, and TF functions refuse them with "A KerasTensor cannot be used as input to a TensorFlow function" (guide section "Calling TF ops with a KerasTensor"). `keras.ops` functions accept them.',
    example: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = tf.nn.relu(x)',
    useInstead: 'import keras\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = keras.ops.relu(x)'
  },
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit }
};
