import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/** Parameter kinds that may follow a defaulted one. */
const MAY_FOLLOW_DEFAULT = new Set(['default_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator']);

/** `def call(self, inputs, training)` in a Keras layer or model class. */
function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const cls = ctx.cls;
  if (!name || ctx.textOf(name) !== 'call' || !cls || (cls.keras !== 'layer' && cls.keras !== 'model')) {
    return;
  }
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const parameters = child(node, 'parameters');
  if (!parameters) {
    return;
  }
  const list = itemsOf(parameters);
  let keywordOnly = false;
  list.forEach((parameter, index) => {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator') {
      keywordOnly = true;
    }
    const isPlain = parameter.type === 'identifier' && ctx.textOf(parameter) === 'training';
    const typedName = parameter.type === 'typed_parameter' ? parameter.children.find(c => c.type === 'identifier') : undefined;
    const isTyped = !!typedName && ctx.textOf(typedName) === 'training';
    if (!isPlain && !isTyped) {
      return;
    }
    // A default is only valid when every later positional parameter has one too (or the
    // parameter is keyword-only, after `*`).
    const fixable = keywordOnly || list.slice(index + 1).every(p => MAY_FOLLOW_DEFAULT.has(p.type));
    ctx.report(
      parameter,
      `\`${cls.name}.call()\` requires \`training\`; Keras 3 calls layers without it while building the model (and in predict), so this raises "missing a required argument: 'training'" on every backend. Keras 2 always passed it.`,
      fixable ? { title: 'Default it: `training=None`', safe: true, edits: [{ start: parameter.end, end: parameter.end, text: isTyped ? ' = None' : '=None' }] } : null
    );
  });
}

export const callTrainingWithoutDefault: RuleDefinition = {
  code: 'KM187',
  name: 'call-training-without-default',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError when the model is built or called without `training` (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags a `training` parameter without a default in the `call()` method of a Keras layer or model class.',
    why: 'Keras 2 always passed `training` to `call()`. Keras 3 passes it only when it has a value, so building a Functional model, `predict()` and plain calls raise "missing a required argument: \'training\'" on every backend. Not covered by the migration guide. With `training=None` Keras still passes the real value whenever there is one (`fit` passes True), and calls that pass it explicitly are unchanged, so the fix is safe. No fix when a later parameter has no default either.',
    example: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, inputs, training):\n        return inputs',
    useInstead: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, inputs, training=None):\n        return inputs'
  },
  visitors: { function_definition: visitFunction }
};
