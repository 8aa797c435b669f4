import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/** TF1 switches that turn off eager execution for the whole process. */
const GRAPH_MODE = new Set(['tensorflow.compat.v1.disable_eager_execution', 'tensorflow.compat.v1.disable_v2_behavior']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? ctx.resolve(parts.fn) : null;
  if (!parts || !name || !GRAPH_MODE.has(name)) {
    return;
  }
  ctx.report(
    node,
    `Keras 3 runs only with eager execution on: after \`${name.replace(/^tensorflow\./, 'tf.')}()\` its \`fit()\`/\`predict()\` fail on the TensorFlow backend. Remove the call (Keras compiles its own graphs).`
  );
}

export const graphMode: RuleDefinition = {
  code: 'KM172',
  name: 'graph-mode',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.compat.v1.disable_eager_execution()` and `tf.compat.v1.disable_v2_behavior()`.',
    why:
      'Keras 2 could run in TF1 graph mode; Keras 3 assumes eager execution and builds its own `tf.function`s, so training fails ("`tf.data.Dataset` only supports Python-style iteration in eager mode"). Not covered by the migration guide. No automatic fix: other TF1 code in the notebook (sessions, placeholders) may rely on graph mode and needs rewriting with it.',
    example: 'import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nmodel.fit(x, y)',
    useInstead: 'import tensorflow as tf\nmodel.fit(x, y)'
  },
  calls: { resolved: ['tensorflow.compat.v1.'] },
  // Findings are on calls resolving to these two functions.
  requires: ['disable_eager_execution', 'disable_v2_behavior'],
  visitors: { call: visit }
};
