import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/** Keras 2 modules with no Keras 3 counterpart, and where their contents went. */
const MOVED: Array<{ prefix: string; message: string; replace?: string }> = [
  { prefix: 'keras.layers.experimental.preprocessing', message: 'preprocessing layers are in `keras.layers`', replace: 'keras.layers' },
  { prefix: 'keras.optimizers.legacy', message: '`keras.optimizers.legacy` is not supported in Keras 3; use `keras.optimizers`', replace: 'keras.optimizers' },
  { prefix: 'keras.engine', message: '`keras.engine` is private Keras 2 API; use `keras.layers.Layer`, `keras.Model`, `keras.Input`' },
  { prefix: 'keras.wrappers.scikit_learn', message: 'the scikit-learn wrappers moved to the SciKeras package (or `keras.wrappers` in Keras 3.5+)' },
  { prefix: 'keras.preprocessing.image.ImageDataGenerator', message: '`ImageDataGenerator` is deprecated; use `keras.utils.image_dataset_from_directory` and preprocessing layers' }
];

function movedFor(name: string): (typeof MOVED)[number] | undefined {
  return MOVED.find(m => name === m.prefix || name.startsWith(m.prefix + '.'));
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent?.type === 'attribute' && node.field === 'object') {
    const whole = ctx.resolveKeras(node.parent);
    if (whole && movedFor(whole)) {
      return; // reported once, on the outermost name
    }
  }
  const name = ctx.resolveKeras(node);
  const moved = name ? movedFor(name) : undefined;
  if (!moved || !name) {
    return;
  }
  // Rewrite only `keras.<prefix>...` spelled out from a real `import keras`.
  let fix = null;
  if (moved.replace) {
    const prefixNode = findPrefixNode(node, moved.prefix, ctx);
    const root = ctx.lookup('keras');
    if (prefixNode && root?.kind === 'module' && root.canonical === 'keras') {
      fix = { title: `Use \`${moved.replace}\``, safe: true, edits: [{ start: prefixNode.start, end: prefixNode.end, text: moved.replace }] };
    }
  }
  ctx.report(node, `\`${name}\` does not exist in Keras 3: ${moved.message}.`, fix);
}

function findPrefixNode(node: SyntaxNode, prefixText: string, ctx: RuleContext): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n && n.type === 'attribute'; n = child(n, 'object')) {
    if (ctx.textOf(n).replace(/\s+/g, '') === prefixText) {
      return n;
    }
  }
  return null;
}

function visitImportFrom(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  if (!moduleNode) {
    return;
  }
  const moduleName = ctx.textOf(moduleNode).replace(/\s+/g, '');
  const normalised = moduleName.replace(/^tensorflow\.(python\.)?keras/, 'keras');
  if (!normalised.startsWith('keras')) {
    return;
  }
  let moved = movedFor(normalised);
  let names = node.children.filter(c => c.field === 'name');
  // `from keras.layers.experimental import preprocessing`: the imported name is the module.
  if (!moved) {
    const hits = names.filter(n => movedFor(normalised + '.' + ctx.textOf(n.type === 'aliased_import' ? child(n, 'name') ?? n : n)));
    if (hits.length === 0) {
      return;
    }
    moved = movedFor(normalised + '.' + ctx.textOf(hits[0].type === 'aliased_import' ? child(hits[0], 'name') ?? hits[0] : hits[0]));
    names = hits;
  }
  if (!moved) {
    return;
  }
  let fix = null;
  if (moved.replace && normalised === moduleName && movedFor(normalised) && normalised === moved.prefix) {
    fix = { title: `Import from \`${moved.replace}\``, safe: true, edits: [{ start: moduleNode.start, end: moduleNode.end, text: moved.replace }] };
  } else if (moved.replace && normalised === moduleName && names.length === 1 && node.children.filter(c => c.field === 'name').length === 1) {
    // `from keras.layers.experimental import preprocessing` -> `from keras import layers as preprocessing`
    const item = names[0];
    const alias = item.type === 'aliased_import' ? ctx.textOf(child(item, 'alias') ?? item) : ctx.textOf(item);
    const dot = moved.replace.lastIndexOf('.');
    const statement = `from ${moved.replace.slice(0, dot)} import ${moved.replace.slice(dot + 1)} as ${alias}`;
    fix = { title: `Use \`${statement}\``, safe: true, edits: [{ start: node.start, end: node.end, text: statement }] };
  }
  ctx.report(node, `\`${moved.prefix}\` does not exist in Keras 3: ${moved.message}.`, fix);
}

export const legacyModule: RuleDefinition = {
  code: 'KM165',
  name: 'removed-keras-module',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  docs: {
    whatItDoes:
      'Flags imports and uses of Keras 2 modules that Keras 3 dropped: `layers.experimental.preprocessing`, `optimizers.legacy`, `keras.engine`, `wrappers.scikit_learn`, `ImageDataGenerator`.',
    why:
      'These imports fail with ModuleNotFoundError or ImportError ("`keras.optimizers.legacy` is not supported in Keras 3"). Not covered by the migration guide. Where the same classes live elsewhere under the same names the rewrite is safe.',
    example: 'from keras.layers.experimental.preprocessing import Rescaling\nopt = keras.optimizers.legacy.Adam()',
    useInstead: 'from keras.layers import Rescaling\nopt = keras.optimizers.Adam()'
  },
  visitors: { attribute: visitAttribute, import_from_statement: visitImportFrom }
};
