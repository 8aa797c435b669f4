/**
 * optimizer-get-gradients-override (KM361)
 *
 * What it does: flags a `get_gradients` method defined in a subclass of a Keras optimizer
 * (`RMSprop`, `Adam`, `keras.optimizers.Optimizer`, ...), as keras.io's gradient centralization
 * example does to centralize the gradients.
 *
 * Why: Keras 3 optimizers never call `get_gradients` (nor do tf.keras optimizers since TF 2.11):
 * `fit()` and `apply_gradients()` go through `apply(grads, trainable_variables)`. The override
 * silently does nothing, and the model trains with the gradients unchanged on every backend.
 * Checked on Keras 3.15 (TensorFlow, JAX, PyTorch) and tf_keras 2.21: a `get_gradients` that
 * raises is never reached.
 *
 * Example:
 *   class GCRMSprop(keras.optimizers.RMSprop):
 *       def get_gradients(self, loss, params):
 *           grads = super().get_gradients(loss, params)
 *           return [g - keras.ops.mean(g, axis=0, keepdims=True) for g in grads]
 *
 * Use instead: override `apply`, change the gradients with keras.ops and hand them on (runs on
 * TensorFlow, JAX and PyTorch; on JAX `apply` is traced into the jitted step):
 *   class GCRMSprop(keras.optimizers.RMSprop):
 *       def apply(self, grads, trainable_variables=None):
 *           grads = [g - keras.ops.mean(g, axis=0, keepdims=True) for g in grads]
 *           return super().apply(grads, trainable_variables)
 */
import { child, SyntaxNode } from '../ast';
import { optimizerSubclass } from '../helpers/legacy-optimizer';
import type { RuleContext, RuleDefinition } from '../rule';

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const subclass = optimizerSubclass(node, ctx);
  if (!subclass) {
    return;
  }
  const { name, body } = subclass;
  for (const statement of body.children) {
    const def = statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement;
    const defName = def.type === 'function_definition' ? child(def, 'name') : null;
    if (!defName || ctx.textOf(defName) !== 'get_gradients') {
      continue;
    }
    ctx.report(
      defName,
      `\`${ctx.textOf(name)}.get_gradients\` is never called: Keras 3 optimizers (and tf.keras ones since TF 2.11) apply gradients through ` +
        '`apply(grads, trainable_variables)`, so this override silently does nothing and training uses the gradients unchanged. ' +
        'Override `apply(self, grads, trainable_variables=None)` instead: change `grads` with keras.ops and `return super().apply(grads, trainable_variables)` (runs on TensorFlow, JAX and PyTorch).'
    );
  }
}

export const optimizerGetGradientsOverride: RuleDefinition = {
  code: 'KM361',
  name: 'optimizer-get-gradients-override',
  slug: 'api-changes',
  severity: 'warning',
  /** The program runs on every backend; only the override has no effect (checked on Keras 3.15 and tf_keras 2.21). */
  blocks: [],
  fixAvailability: 'never',
  triggers: ['get_gradients'],
  docs: {
    whatItDoes: 'Flags a `get_gradients` method defined in a subclass of a Keras optimizer (`RMSprop`, `Adam`, `keras.optimizers.Optimizer`), as in keras.io\'s gradient centralization example.',
    why: 'Keras 3 optimizers never call `get_gradients` (nor do tf.keras optimizers since TF 2.11): `fit()` and `apply_gradients()` go through `apply(grads, trainable_variables)`. The override silently does nothing and the model trains with unchanged gradients on every backend. Checked on Keras 3.15 on TensorFlow, JAX and PyTorch and on tf_keras 2.21: a `get_gradients` that raises is never reached, and the same change made in an `apply` override runs on all three backends. Not covered by the migration guide.',
    example:
      'import keras\nclass GCRMSprop(keras.optimizers.RMSprop):\n    def get_gradients(self, loss, params):\n        grads = super().get_gradients(loss, params)\n        return [g - keras.ops.mean(g, axis=0, keepdims=True) for g in grads]',
    useInstead:
      'import keras\nclass GCRMSprop(keras.optimizers.RMSprop):\n    def apply(self, grads, trainable_variables=None):\n        grads = [g - keras.ops.mean(g, axis=0, keepdims=True) for g in grads]\n        return super().apply(grads, trainable_variables)'
  },
  visitors: { class_definition: visitClass }
};
