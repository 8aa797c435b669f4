import { chainRoot, child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { kerasSpelling, TF_KERAS_ONLY_USE, tfKerasOnlyName, TfKerasOnlyName } from '../knowledge';
import { TF_KERAS_ONLY_NAMES } from '../catalog';
import { withKerasImport } from '../helpers/calls';
import type { Backend } from '../types';


function leaf(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/**
 * The backends a name fails on. Through Keras 3's own `keras` the name does not exist anywhere.
 * Through `tf.keras` it resolves: to the very object Keras 3 names otherwise (runs on every
 * backend), or, without one, to a legacy TensorFlow layer (`RandomHeight`, `RandomWidth`): JAX
 * fails inside its call; PyTorch runs it on inputs that need no gradient (checked on Keras 3.15
 * with the layer first in a model), so only JAX is claimed.
 */
function blocksOf(entry: TfKerasOnlyName, throughTfKeras: boolean): Backend[] {
  if (!throughTfKeras) {
    return ['tensorflow', 'jax', 'torch'];
  }
  return entry.replacement ? [] : ['jax'];
}

function message(entry: TfKerasOnlyName, used: string, throughTfKeras: boolean, boundThroughImport: boolean, error = 'AttributeError'): string {
  const where = throughTfKeras
    ? `only \`tf.keras\` (TensorFlow's copy of Keras 3) keeps the Keras 2 name, so it runs while TensorFlow is installed${entry.replacement ? '' : ', but it is a TensorFlow layer: JAX fails in its call, and PyTorch wherever its input needs a gradient'}`
    : `Keras 3 raises ${error} on every backend`;
  const instead = entry.replacement
    ? `Keras 3 calls the same object \`${entry.replacement}\``
    : 'Keras 3 has no counterpart: keep this layer on TensorFlow, or write your own layer with `keras.ops`';
  const then = boundThroughImport && entry.replacement ? ' (write it so once the import is `keras`\'s own)' : '';
  return `\`${used}\`: Keras 3's own \`keras\` has no \`${entry.name}\`; ${where}. ${instead}${then}.`;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const canonical = ctx.resolve(node);
  const entry = tfKerasOnlyName(kerasSpelling(canonical));
  if (!entry || !canonical) {
    return;
  }
  const start = chainRoot(node);
  const root = start.type === 'identifier' ? start : null;
  const rootCanonical = root ? ctx.resolve(root) : null;
  if (!root || !rootCanonical) {
    return;
  }
  const throughTfKeras = canonical.startsWith('tensorflow.');
  const used = ctx.textOf(node).replace(/\s+/g, '');
  const blocks = blocksOf(entry, throughTfKeras);
  let fix: RawFix | null = null;
  if (!throughTfKeras) {
    // Keras 3's own module: renaming the attribute is enough.
    const name = child(node, 'attribute');
    if (entry.replacement && name) {
      fix = { title: `Use \`${leaf(entry.replacement)}\``, safe: true, edits: [{ start: name.start, end: name.end, text: leaf(entry.replacement) }] };
    }
    ctx.report(node, message(entry, used, false, false), fix, undefined, undefined, blocks);
    return;
  }
  if (!/^tensorflow\.(compat\.v2\.)?keras(\.|$)/.test(rootCanonical)) {
    // Spelled from `tf` itself (`tf.keras.losses.mae`): the whole chain becomes the Keras 3 name.
    if (entry.replacement) {
      fix = { title: `Use \`${entry.replacement}\``, safe: true, edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: entry.replacement }]) };
    }
    ctx.report(node, message(entry, used, true, false), fix, undefined, undefined, blocks);
    return;
  }
  // Through a name bound to a `tf.keras` module (`from tensorflow import keras`): the name is
  // right for that binding, and the import's own rewrite must not happen before this use changes.
  ctx.note(TF_KERAS_ONLY_USE + rootCanonical);
  ctx.report(node, message(entry, used, true, true), null, undefined, undefined, blocks);
}

function importedName(item: SyntaxNode): SyntaxNode | null {
  return item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' ? item : null;
}

function visitImportFrom(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') {
    return;
  }
  const moduleName = ctx.textOf(moduleNode).replace(/\s+/g, '');
  const throughTfKeras = /^tensorflow\.(compat\.v2\.)?keras(\.|$)/.test(moduleName);
  if (!throughTfKeras && !/^keras(\.|$)/.test(moduleName)) {
    return;
  }
  const spelledModule = kerasSpelling(moduleName) ?? moduleName;
  const hits: { item: SyntaxNode; name: SyntaxNode; entry: TfKerasOnlyName }[] = [];
  for (const item of node.children.filter(c => c.field === 'name')) {
    const name = importedName(item);
    const entry = name ? tfKerasOnlyName(spelledModule + '.' + ctx.textOf(name).replace(/\s+/g, '')) : null;
    if (name && entry) {
      hits.push({ item, name, entry });
    }
  }
  if (hits.length === 0) {
    return;
  }
  // Each imported name becomes the Keras 3 name under the old local name; the `tf.keras` module
  // path moves to `keras` in the same fix, as the Keras 3 names are not in `tf.keras`.
  const renamable = hits.every(h => h.entry.replacement);
  let fix: RawFix | null = null;
  if (renamable) {
    const edits = hits.map(({ item, name, entry }) => {
      const local = item.type === 'aliased_import' ? null : ctx.textOf(name);
      return { start: name.start, end: name.end, text: leaf(entry.replacement!) + (local ? ` as ${local}` : '') };
    });
    if (throughTfKeras) {
      edits.push({ start: moduleNode.start, end: moduleNode.end, text: spelledModule });
    }
    const names = hits.map(h => leaf(h.entry.replacement!)).join('`, `');
    fix = { title: `Import \`${names}\` from \`${spelledModule}\``, safe: !moduleName.startsWith('tensorflow.python.'), edits };
  }
  const first = hits[0];
  const used = `from ${moduleName} import ${ctx.textOf(first.name)}`;
  const blocks = [...new Set(hits.flatMap(h => blocksOf(h.entry, throughTfKeras)))];
  ctx.report(node, message(first.entry, used, throughTfKeras, false, 'ImportError') + (hits.length > 1 ? ` Likewise ${hits.slice(1).map(h => `\`${ctx.textOf(h.name)}\``).join(', ')}.` : ''), fix, undefined, undefined, blocks);
}

export const tfKerasOnlyNameRule: RuleDefinition = {
  code: 'KM224',
  name: 'tf-keras-only-name',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  // Every finding is on an attribute or an imported name spelling a catalog name's last part.
  requires: [...new Set([...TF_KERAS_ONLY_NAMES.keys()].map(leaf))],
  docs: {
    whatItDoes:
      'Flags Keras 2 names that Keras 3 keeps only in TensorFlow\'s `tf.keras`: the short loss and metric aliases (`keras.losses.mse`, `keras.metrics.mae`, `MAE`, `kld`, `logcosh`, ...) and the `RandomHeight` and `RandomWidth` layers. The list is computed from the installed Keras (catalog `tf_keras_only.json`).',
    why:
      'Keras 3\'s own `keras` package does not have these names: `keras.losses.logcosh` raises AttributeError and `from keras.metrics import mae` ImportError on every backend. `tf.keras` is Keras 3 too, but keeps them for Keras 2 code, so rewriting `tf.keras.losses.mae` to `keras.losses.mae` (or `from tensorflow import keras` to `import keras`) breaks a program that ran. Where Keras 3 binds the very same function under another name (`mean_absolute_error`, `log_cosh`, `kl_divergence`), the rewrite to that name is exact and safe; `tf.keras.layers.RandomHeight` and `RandomWidth` are TensorFlow layers with no Keras 3 counterpart: JAX fails in their call, and PyTorch wherever their input needs a gradient. A name used through `from tensorflow import keras` keeps that import\'s rewrite a suggestion until the use changes.',
    example: 'import keras\nloss = keras.losses.logcosh\nfrom tensorflow.keras.metrics import mae',
    useInstead: 'import keras\nloss = keras.losses.log_cosh\nfrom keras.metrics import mean_absolute_error as mae'
  },
  attributes: { resolved: [''] },
  visitors: { attribute: visitAttribute, import_from_statement: visitImportFrom }
};
