import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { kerasSpelling } from '../knowledge';
import { MISSING_FROM_TF_KERAS } from '../catalog';
import type { Backend } from '../types';

/** Through `tf.keras` these names raise AttributeError (ImportError when imported) everywhere. */
const EVERY_BACKEND: Backend[] = ['tensorflow', 'jax', 'torch'];

const TF_KERAS_MODULE = /^tensorflow\.(compat\.v2\.)?keras(\.|$)/;

function leaf(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

function message(used: string, name: string, error: string): string {
  return `\`${used}\`: Keras 3's \`tf.keras\` (TensorFlow's copy of Keras 3) no longer has \`${name}\`, which Keras 2's \`tf.keras\` had, so this raises ${error} on every backend, TensorFlow included. Keras 3's own \`keras\` has it: spell it \`${name}\` with \`import keras\` (the \`tf.keras\` import and spelling fixes do that).`;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const canonical = ctx.resolve(node);
  if (!canonical || !canonical.startsWith('tensorflow.')) {
    return;
  }
  const name = kerasSpelling(canonical);
  // Only the name itself: `tf.keras.saving.register_keras_serializable` is reported at `tf.keras.saving`.
  if (!name || !MISSING_FROM_TF_KERAS.has(name) || (node.parent?.type === 'attribute' && MISSING_FROM_TF_KERAS.has(kerasSpelling(ctx.resolve(node.parent)) ?? ''))) {
    return;
  }
  ctx.report(node, message(ctx.textOf(node).replace(/\s+/g, ''), name, 'AttributeError'), null, undefined, undefined, EVERY_BACKEND);
}

function visitImportFrom(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  const moduleName = moduleNode?.type === 'dotted_name' ? ctx.textOf(moduleNode).replace(/\s+/g, '') : '';
  if (!TF_KERAS_MODULE.test(moduleName)) {
    return;
  }
  // `from tensorflow.keras.saving import ...` imports (Python's import system finds the module
  // where the attribute `tf.keras.saving` is missing): only imported names are checked.
  const spelledModule = kerasSpelling(moduleName) ?? moduleName;
  for (const item of node.children.filter(c => c.field === 'name')) {
    const imported = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' ? item : null;
    const name = imported ? `${spelledModule}.${ctx.textOf(imported).replace(/\s+/g, '')}` : '';
    if (imported && MISSING_FROM_TF_KERAS.has(name)) {
      ctx.report(imported, message(`from ${moduleName} import ${ctx.textOf(imported)}`, name, 'ImportError'), null, undefined, undefined, EVERY_BACKEND);
    }
  }
}

export const tfKerasMissingName: RuleDefinition = {
  code: 'KM250',
  name: 'tf-keras-missing-name',
  slug: 'api-changes',
  severity: 'error',
  blocks: EVERY_BACKEND,
  fixAvailability: 'never',
  triggers: [],
  // Every finding is on an attribute or an imported name spelling a catalog name's last part.
  requires: [...new Set([...MISSING_FROM_TF_KERAS].map(leaf))],
  docs: {
    whatItDoes:
      'Flags Keras 2 names reached through TensorFlow\'s `tf.keras` that Keras 3\'s `tf.keras` no longer has while Keras 3\'s own `keras` does: the loss and metric functions `mean_squared_error`, `mean_absolute_error`, `mean_absolute_percentage_error`, `mean_squared_logarithmic_error`, `kl_divergence`, `log_cosh` (`tf.keras.losses.mean_squared_error`, or `keras.losses.mean_squared_error` after `from tensorflow import keras`, or imported from `tensorflow.keras.losses`) and the `saving` module as an attribute (`tf.keras.saving.register_keras_serializable`; `from tensorflow.keras.saving import ...` still imports). The list is computed from the installed Keras 2 (`tf_keras`) and Keras 3 (catalog `tf_keras_only.json`, `missing_from_tf_keras`).',
    why:
      'With Keras 3, `tf.keras` is `keras._tf_keras.keras`, a copy of Keras 3 that keeps many Keras 2 aliases but not these names: the program raises AttributeError (ImportError for `from tensorflow.keras.losses import mean_squared_error`) on every backend, TensorFlow included, before anything runs (checked on Keras 3.15 with TensorFlow 2.21: claims/tf_keras_missing_loss_function.py). Keras 3\'s own `keras` has each of them, so the `tf.keras` spelling and import fixes (KM011, KM012) make the code run; this rule has no fix of its own, it says that the spelling is a blocker and not only a dependency on TensorFlow.',
    example: 'from tensorflow import keras\nmodel.compile(optimizer="adam", loss=keras.losses.mean_squared_error)',
    useInstead: 'import keras\nmodel.compile(optimizer="adam", loss=keras.losses.mean_squared_error)'
  },
  attributes: { resolved: [''] },
  visitors: { attribute: visitAttribute, import_from_statement: visitImportFrom }
};
