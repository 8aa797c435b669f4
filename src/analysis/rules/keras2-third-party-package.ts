import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/** The Keras 2 escape hatch, for code that cannot move yet. */
const ESCAPE_HATCH = 'or keep this notebook on Keras 2: `pip install tf-keras` and set `os.environ["TF_USE_LEGACY_KERAS"] = "1"` before TensorFlow is first imported';

const ADDONS =
  '`tensorflow_addons` is end-of-life and built on Keras 2 internals (with Keras 3 its import fails on `keras.src.engine`). Use the Keras 3 replacements: `keras.optimizers.AdamW`/`Lion`, `keras.layers.GroupNormalization`, `keras.metrics.F1Score`, `keras.losses.Tversky`, `keras.ops.image` ops, KerasCV/KerasHub layers; ' +
  ESCAPE_HATCH +
  '.';

function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  if (node.type === 'import_from_statement') {
    const module = child(node, 'module_name');
    const moduleName = module ? ctx.textOf(module).replace(/\s+/g, '') : '';
    if (moduleName === 'tensorflow_addons' || moduleName.startsWith('tensorflow_addons.')) {
      ctx.report(module!, ADDONS);
      return;
    }
    if (moduleName === 'transformers' || moduleName.startsWith('transformers.')) {
      // `from transformers import TFAutoModel, TFBertModel`: the TensorFlow model classes.
      for (const item of node.children) {
        const name = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' && item !== module ? item : null;
        if (name && /^TF[A-Z]\w*$/.test(ctx.textOf(name))) {
          ctx.report(
            name,
            `\`${ctx.textOf(name)}\` is a TensorFlow model of 🤗 Transformers, built on Keras 2: with Keras 3 installed, Transformers refuses it and asks for the \`tf-keras\` package (and Transformers 5 drops TensorFlow). Use the PyTorch class (\`${ctx.textOf(name).slice(2)}\`) or a KerasHub preset for a Keras 3 model; ${ESCAPE_HATCH}.`
          );
        }
      }
    }
    return;
  }
  for (const item of node.children) {
    const name = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' ? item : null;
    const text = name ? ctx.textOf(name).replace(/\s+/g, '') : '';
    if (text === 'tensorflow_addons' || text.startsWith('tensorflow_addons.')) {
      ctx.report(name!, ADDONS);
    }
  }
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? ctx.resolve(parts.fn) : null;
  if (!parts || !name || !name.startsWith('tensorflow_probability.layers.')) {
    return;
  }
  ctx.report(
    parts.fn,
    `\`${ctx.textOf(parts.fn)}\` is a TensorFlow Probability Keras layer: TFP builds its layers on Keras 2 (\`tf_keras\`, TFP 0.24+), and a Keras 3 model does not accept them. Write the layer with \`keras.layers\` and \`keras.random\` (sample in \`call()\` with a \`keras.random.SeedGenerator\`), ${ESCAPE_HATCH}.`
  );
}

export const keras2ThirdPartyPackage: RuleDefinition = {
  code: 'KM178',
  name: 'keras2-third-party-package',
  slug: 'api-changes',
  severity: 'error',
  /** Built on Keras 2: they fail with Keras 3 whatever the backend (package docs and real pastes; the packages are not installed here, not run). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['tensorflow_addons', 'transformers'],
  calls: { resolved: ['tensorflow_probability.'] },
  docs: {
    whatItDoes:
      'Flags third-party packages built on Keras 2: imports of `tensorflow_addons`, the TensorFlow model classes of 🤗 Transformers (`from transformers import TFAutoModel`), and TensorFlow Probability Keras layers (`tfp.layers.DenseVariational(...)`). `tensorflow_hub.KerasLayer` has a rule of its own (KM173).',
    why:
      'These packages use Keras 2 internals or the `tf_keras` package, so a Keras 3 program cannot use them on any backend: TensorFlow Addons is end-of-life and its import fails on `keras.src.engine`; Transformers asks for `tf-keras` when Keras 3 is installed and drops TensorFlow in version 5; TFP 0.24+ builds its layers on `tf_keras`. Not covered by the migration guide. Each message names the Keras 3 replacement and the escape hatch (`tf-keras` with `TF_USE_LEGACY_KERAS=1`). Stated from the packages\' documentation and real error reports: they are not installed here, so not checked by running.',
    example: 'import tensorflow_addons as tfa\noptimizer = tfa.optimizers.AdamW(weight_decay=1e-4)',
    useInstead: 'import keras\noptimizer = keras.optimizers.AdamW(weight_decay=1e-4)'
  },
  visitors: { import_statement: visitImport, import_from_statement: visitImport, call: visitCall }
};
