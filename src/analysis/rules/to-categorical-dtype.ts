import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, removeArgument, stringValue } from '../rule-helpers';

const TO_CATEGORICAL = new Set(['keras.utils.to_categorical', 'keras.utils.np_utils.to_categorical']);

/** `tf.float32` / `np.uint8` / `"float32"` as the dtype string `.astype()` takes, or null. */
function dtypeText(value: SyntaxNode, ctx: RuleContext): string | null {
  const literal = stringValue(value, ctx);
  if (literal !== null) {
    return /^\w+$/.test(literal) ? JSON.stringify(literal) : null;
  }
  const name = value.type === 'attribute' ? ctx.resolve(value) : null;
  const m = name ? /^(?:tensorflow|numpy)\.(float16|float32|float64|int8|int16|int32|int64|uint8|bool)$/.exec(name) : null;
  return m ? JSON.stringify(m[1]) : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !TO_CATEGORICAL.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const dtype = parts.keywords.get('dtype') ?? null;
  const positional = parts.positional[2] ?? null;
  const value = dtype?.value ?? positional;
  if (!value) {
    return;
  }
  const text = dtypeText(value, ctx);
  // Removing the argument and casting the result gives exactly what Keras 2 returned.
  const fix =
    text !== null && !parts.splat
      ? {
          title: `Cast the result: \`.astype(${text})\``,
          safe: true,
          edits: [removeArgument(dtype?.node ?? positional!, ctx), { start: node.end, end: node.end, text: `.astype(${text})` }]
        }
      : null;
  ctx.report(
    dtype?.node ?? positional!,
    `Keras 3 \`to_categorical()\` has no \`dtype\` argument (it raises TypeError) and returns a float64 NumPy array; cast the result instead: \`to_categorical(...).astype(${text ?? 'dtype'})\`.`,
    fix
  );
}

export const toCategoricalDtype: RuleDefinition = {
  code: 'KM181',
  name: 'to-categorical-dtype',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.utils.to_categorical(y, num_classes, dtype=...)`: the Keras 2 `dtype` argument (keyword or third positional).',
    why:
      'Keras 2\'s `to_categorical(y, num_classes=None, dtype="float32")` took the dtype of the one-hot matrix; Keras 3\'s takes only `x` and `num_classes`, raises "TypeError: to_categorical() got an unexpected keyword argument \'dtype\'" on every backend, and returns float64 for NumPy input (checked by running Keras 3.15). Removing the argument and casting the result with `.astype(dtype)` gives exactly the array Keras 2 returned, so the fix is safe.',
    example: 'import keras\ny = keras.utils.to_categorical(labels, num_classes=10, dtype="float32")',
    useInstead: 'import keras\ny = keras.utils.to_categorical(labels, num_classes=10).astype("float32")'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `to_categorical`.
  requires: ['to_categorical'],
  visitors: { call: visit }
};
