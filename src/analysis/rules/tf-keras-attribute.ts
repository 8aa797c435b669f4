import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { isImportAlias, isRemovedBackendFunction, kerasSpelling, movedModuleOf, REMOVED_LAYERS, tfKerasOnlyName } from '../knowledge';
import { REMOVED_IN_KERAS3 } from '../catalog';

/** Every spelling of "Keras through TensorFlow" as a canonical module path. */
const TF_KERAS = new Set(['tensorflow.keras', 'tensorflow.compat.v2.keras', 'tensorflow.compat.v1.keras', 'tensorflow.python.keras']);

/**
 * TensorFlow 2 also re-exports four Keras modules at its top level (`tf.losses` is
 * `tf.keras.losses`, and so on); with Keras 3 installed they load it lazily through the same
 * shim. `tf.compat.v1.losses` and friends are TF1 APIs and are not listed.
 */
const TF_KERAS_ALIASES: Record<string, string> = {
  'tensorflow.initializers': 'keras.initializers',
  'tensorflow.losses': 'keras.losses',
  'tensorflow.metrics': 'keras.metrics',
  'tensorflow.optimizers': 'keras.optimizers'
};

/**
 * Chains another rule reports with its own fix: a removed `keras.backend` function (KM132),
 * a module Keras 3 dropped (KM165), a layer it dropped (KM122), a name it dropped everywhere (KM287) or a name only `tf.keras` keeps (KM224). Rewriting only the `tf.keras` prefix would leave a
 * name that still does not exist, so the same text is not reported twice.
 */
function reportedElsewhere(chain: SyntaxNode, ctx: RuleContext): boolean {
  const name = kerasSpelling(ctx.resolve(chain));
  if (!name) {
    return false;
  }
  if (movedModuleOf(name) || Object.prototype.hasOwnProperty.call(REMOVED_LAYERS, name)) {
    return true;
  }
  // A name Keras 3 removed everywhere (KM287): `keras.utils.SidecarEvaluator` would not exist.
  const parts = name.split('.');
  if (parts.some((_, i) => i >= 1 && REMOVED_IN_KERAS3.has(parts.slice(0, i + 1).join('.')))) {
    return true;
  }
  // A name only `tf.keras` keeps (KM224): `keras.losses.mae` would not exist.
  for (let n: SyntaxNode | null = chain; n && n.type === 'attribute'; n = child(n, 'object')) {
    if (tfKerasOnlyName(kerasSpelling(ctx.resolve(n)))) {
      return true;
    }
  }
  // Called or passed on (`loss_fn = tf.keras.backend.ctc_batch_cost`): `keras.backend` has neither.
  return name.startsWith('keras.backend.') && isRemovedBackendFunction(name.slice('keras.backend.'.length));
}

/** The whole dotted chain a node heads (`tf.keras` inside `tf.keras.layers.Dense`). */
function outermostChain(node: SyntaxNode): SyntaxNode {
  let top = node;
  while (top.parent && top.parent.type === 'attribute' && top.field === 'object') {
    top = top.parent;
  }
  return top;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const object = child(node, 'object');
  if (!object || (object.type !== 'identifier' && object.type !== 'attribute')) {
    return;
  }
  const canonical = ctx.resolve(node);
  if (canonical === null) {
    return;
  }
  const aliasOf = TF_KERAS_ALIASES[canonical];
  if (!TF_KERAS.has(canonical) && !aliasOf) {
    return;
  }
  // tf.compat.v1.keras is the TF1-era API surface: the rewrite may not mean the same.
  const safe = canonical !== 'tensorflow.compat.v1.keras';
  const chain = outermostChain(node);
  if (reportedElsewhere(chain, ctx)) {
    return;
  }
  // `keras = tf.keras` and `layers = tf.keras.layers` are import aliases: KM011 rewrites the
  // whole statement, so the same text is not reported twice.
  const parent = chain.parent;
  const left = parent && parent.type === 'assignment' && chain.field === 'right' ? child(parent, 'left') : null;
  if (left && left.type === 'identifier' && !child(parent!, 'type')) {
    const canonical = ctx.resolve(chain);
    if (canonical && isImportAlias(canonical, ctx.textOf(left))) {
      return;
    }
  }
  const used = ctx.textOf(chain).replace(/\s+/g, '');
  const replacement = aliasOf ?? 'keras';
  const suggestion = replacement + used.slice(ctx.textOf(node).replace(/\s+/g, '').length);
  const edits = [{ start: node.start, end: node.end, text: replacement }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const aliasNote = aliasOf ? ` (\`${ctx.textOf(node).replace(/\s+/g, '')}\` is an alias of \`tf.keras.${aliasOf.slice('keras.'.length)}\`)` : '';
  ctx.report(chain, `\`${used}\` reaches Keras through TensorFlow${aliasNote}, so the code needs TensorFlow installed even on JAX or PyTorch; use \`${suggestion}\`.`, {
    title: `Replace with \`${suggestion}\``,
    safe,
    edits
  });
}

export const tfKerasAttribute: RuleDefinition = {
  code: 'KM012',
  name: 'tf-keras-attribute',
  slug: 'imports',
  severity: 'warning',
  /**
   * Runs on every backend while TensorFlow is installed (`tf.keras` is Keras 3 there, on the
   * configured backend: checked on TensorFlow, JAX and PyTorch); it blocks only running without
   * TensorFlow, which is not a backend.
   */
  blocks: [],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags every `tf.keras.X` (or `tensorflow.keras.X`, `tf.compat.v2.keras.X`, `tf.compat.v1.keras.X`) attribute use, one finding per occurrence, and the TensorFlow aliases of Keras modules: `tf.losses`, `tf.metrics`, `tf.optimizers`, `tf.initializers`.',
    why:
      'Each `tf.keras` reference ties the code to TensorFlow and, with TensorFlow 2.16 and later, to a compatibility shim that can resolve to Keras 2. The guide section "Replace your imports" asks for `keras.X` throughout.',
    example: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])'
  },
  // Only `tensorflow.` names are reported (TF_KERAS, TF_KERAS_ALIASES).
  attributes: { resolved: ['tensorflow.'] },
  visitors: { attribute: visit }
};
