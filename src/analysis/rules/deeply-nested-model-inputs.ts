import { containerDepth, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name !== 'keras.Model' && name !== 'keras.models.Model') {
    return;
  }
  for (const [arg, label] of [
    [parts.keywords.get('inputs')?.value ?? parts.positional[0], 'inputs'],
    [parts.keywords.get('outputs')?.value ?? parts.positional[1], 'outputs']
  ] as Array<[SyntaxNode | undefined, string]>) {
    const nestedVariable = arg?.type === 'identifier' && ctx.lookup(ctx.textOf(arg))?.kind === 'nested';
    if (arg && (containerDepth(arg) > 1 || nestedVariable)) {
      ctx.report(arg, `Functional model ${label} nested more than one level deep are rejected by Keras 3.0 to 3.3; flatten them to one dict or list.`);
    }
  }
}

export const deeplyNestedModelInputs: RuleDefinition = {
  code: 'KM051',
  name: 'deeply-nested-model-inputs',
  slug: 'nested-inputs',
  severity: 'error',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.Model(inputs, outputs)` whose inputs or outputs are structures of KerasTensors nested more than one level (a dict inside a dict, a list inside a list), written inline or held in a variable.',
    why:
      'Keras 3.0 to 3.3 accept a flat dict, list or tuple of KerasTensors only and fail with "all values in the dict must be KerasTensors"; 3.4 lifted the limit (guide section "Using deeply nested inputs in Functional Models"). Reported only for the Keras versions that fail.',
    example:
      'import keras\nx_in = keras.Input((2,))\ny_in = keras.Input((3,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([x_in, y_in]))\nmodel = keras.Model({"a": {"x": x_in, "y": y_in}}, out)',
    useInstead:
      'import keras\nx_in = keras.Input((2,))\ny_in = keras.Input((3,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([x_in, y_in]))\nmodel = keras.Model({"a_x": x_in, "a_y": y_in}, out)'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
