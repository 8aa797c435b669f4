import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { isTfOpName } from '../knowledge';
import { callParts, tfApiName, tfOpCall } from '../rule-helpers';
import { inModelConstructorArgument } from '../helpers/model-constructor-argument';

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
  const args = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)];
  // In the outputs of `keras.Model(...)`, a layer call's result is a KerasTensor even where its input
  // is a name the analysis cannot follow (unpacked from a helper's tuple).
  const symbolic =
    args.find(a => ctx.isSymbolic(a)) ??
    (isTfOpName(name) && inModelConstructorArgument(node, ctx)
      ? args.find(a => a.type === 'call' && ctx.isLayerInstance(child(a, 'function') ?? a))
      : undefined);
  // In a notebook function that code elsewhere calls with KerasTensors (`log_scale(inputs["a"])`),
  // its TF ops get them too: the finding holds when such a call exists, in any cell.
  // A lambda in such a function is a callback with its own parameters (`dataset.map(lambda x:
  // tf.expand_dims(x, -1))`, a tf.data pipeline that stays TensorFlow; a `Lambda` layer's is KM131's).
  const outer = symbolic || ctx.fn?.name === '<lambda>' ? null : ctx.notebookFunction();
  if (!symbolic && !(outer && isTfOpName(name))) {
    return;
  }
  const { mapping, target, conversion } = tfOpCall(node, ctx)!;
  const { fix, unmapped } = conversion;
  const how = unmapped
    ? `\`${target}\` has no counterpart for ${unmapped}: rewrite the call by hand or wrap the TF code in a layer.`
    : target
      ? `use \`${target}\`${mapping ? '' : ' (check its arguments)'} or wrap the TF code in a layer.`
      : 'use keras.ops or wrap the TF code in a layer.';
  if (symbolic) {
    ctx.report(parts.fn, `\`${name}\` is applied to \`${ctx.textOf(symbolic)}\`, a symbolic Keras tensor; ${how}`, fix);
  } else {
    const fnName = outer!.name;
    ctx.report(parts.fn, `\`${name}\` in \`${fnName}()\`, which is called with symbolic Keras tensors; ${how}`, fix, undefined, 'functional:' + fnName);
  }
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
      'Follows symbolic tensors of Functional models (from `keras.Input`, through layer calls, layer-returning helper functions, loop variables, assignments and containers filled by subscript, across cells) and flags TensorFlow functions applied to them, also inside notebook functions the model-building code calls with KerasTensors.',
    why:
      'In Keras 3 the placeholders of a Functional model are KerasTensors, not TensorFlow tensors, and TF functions refuse them with "A KerasTensor cannot be used as input to a TensorFlow function" (guide section "Calling TF ops with a KerasTensor"). `keras.ops` functions accept them.',
    example: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = tf.nn.relu(x)',
    useInstead: 'import keras\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = keras.ops.relu(x)'
  },
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit }
};
