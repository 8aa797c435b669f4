import { child, returnStatements, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { calleeName, selfAttribute, selfAttributesMadeBy } from '../rule-helpers';

/** Calls that create a variable: `self.add_weight(...)`, `tf.Variable(...)`, `keras.Variable(...)`. */
const MAKES_VARIABLE = /^(add_weight|add_variable|Variable|variable)$/;

/** Attributes the class assigns a new variable (`self.total = self.add_weight(...)`) anywhere in its methods. */
function variableAttributes(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  return selfAttributesMadeBy(cls, ctx, fn => MAKES_VARIABLE.test(calleeName(fn, ctx)));
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const cls = ctx.cls;
  if (!name || ctx.textOf(name) !== 'result' || !cls || cls.keras !== 'component') {
    return;
  }
  const owner = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!owner || owner.parent !== cls.node) {
    return; // a nested function named result
  }
  let variables: Set<string> | null = null;
  for (const ret of returnStatements(node)) {
    const value = ret.children[0];
    const attr = value ? selfAttribute(value, ctx) : null;
    if (!attr) {
      continue;
    }
    variables ??= variableAttributes(cls.node, ctx);
    if (!variables.has(attr)) {
      continue;
    }
    const text = ctx.textOf(value);
    const edits: OffsetEdit[] = [{ start: value.start, end: value.end, text: `keras.ops.convert_to_tensor(${text})` }];
    const importEdit = ctx.kerasImportEdit();
    if (importEdit) {
      edits.push(importEdit);
    }
    ctx.report(
      value,
      `\`${cls.name}.result()\` returns the variable \`${text}\` itself: on JAX, Keras traces \`result()\` and a variable is not an array there ("Triggering __jax_array__() during abstractification is no longer supported"). Return its value: \`keras.ops.convert_to_tensor(${text})\`.`,
      { title: `Return \`keras.ops.convert_to_tensor(${text})\``, safe: true, edits }
    );
  }
}

export const metricResultReturnsVariable: RuleDefinition = {
  code: 'KM180',
  name: 'metric-result-returns-variable',
  slug: 'api-changes',
  severity: 'warning',
  /** ValueError on JAX only (checked by running a Metric whose result() returns self.total: TensorFlow and PyTorch train). */
  blocks: ['jax'],
  fixAvailability: 'always',
  triggers: ['result'],
  docs: {
    whatItDoes:
      'Flags `return self.x` in the `result()` method of a custom metric (a Keras Metric subclass) when `self.x` is a variable the class creates (`self.add_weight(...)`, `tf.Variable(...)`, `keras.Variable(...)`).',
    why:
      'Keras 3 on JAX evaluates a compiled metric\'s `result()` symbolically; the Keras variable object is not a JAX array and `fit()` fails with "Triggering __jax_array__() during abstractification is no longer supported" (checked by running Keras 3 on TensorFlow, JAX and PyTorch: only JAX fails). `keras.ops.convert_to_tensor()` returns the same value as a tensor on every backend, so the fix is safe.',
    example:
      'import keras\nclass Count(keras.metrics.Metric):\n    def __init__(self, name="count", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.total = self.add_weight(name="total", initializer="zeros")\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.total.assign_add(keras.ops.sum(y_pred))\n    def result(self):\n        return self.total',
    useInstead:
      'import keras\nclass Count(keras.metrics.Metric):\n    def __init__(self, name="count", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.total = self.add_weight(name="total", initializer="zeros")\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.total.assign_add(keras.ops.sum(y_pred))\n    def result(self):\n        return keras.ops.convert_to_tensor(self.total)'
  },
  // Findings are on a `def result`.
  requires: ['result'],
  visitors: { function_definition: visitFunction }
};
