import { child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { isImportAlias, isMovedImport, isRemovedBackendFunction, TF_KERAS_LEGACY_BACKEND_USE, TF_KERAS_ONLY_USE, tfKerasOnlyName } from '../knowledge';
import { indentOf } from '../rule-helpers';

/** Keras 2 module paths that have no Keras 3 counterpart: rewriting the prefix is not enough. */
const GONE_IN_KERAS_3 = /^keras\.(layers\.experimental|engine|optimizers\.legacy|wrappers|premade|estimator|feature_column)(\.|$)/;

/**
 * Reports an import finding whose fix rebinds `keras`, one of its modules or its backend module.
 * What the notebook still reaches through the old binding may not exist in Keras 3: a Keras 2
 * backend function (`K.dot`, which Keras 3 keeps in `tf.keras.backend` only) where the import
 * binds the backend, or a name only `tf.keras` keeps (`keras.losses.mae`, KM224) through any of
 * `boundModules` (their `tensorflow.keras...` paths). The rewrite would break that use (checked by
 * running Keras 3.15 on TensorFlow), so the fix is a suggestion there.
 */
function reportRebinding(node: SyntaxNode, message: string, fix: RawFix, ctx: RuleContext, backend: boolean, boundModules: readonly string[]): void {
  const risks: { fact: string; note: string }[] = [];
  if (backend) {
    risks.push({ fact: TF_KERAS_LEGACY_BACKEND_USE, note: ' This program still calls Keras 2 backend functions through it, which Keras 3 keeps only in `tf.keras.backend`: move those calls to `keras.ops` first.' });
  }
  for (const module of new Set(boundModules)) {
    risks.push({ fact: TF_KERAS_ONLY_USE + module, note: ' This program uses Keras 2 names through it that only `tf.keras` keeps (see their own findings): change those uses first (spelled `tf.keras...` they keep working).' });
  }
  if (!fix.safe || risks.length === 0) {
    ctx.report(node, message, fix);
    return;
  }
  ctx.report(node, message, fix, undefined, risks.map(r => '!anywhere:' + r.fact).join(' & '));
  risks.forEach((risk, i) => {
    const condition = ['anywhere:' + risk.fact, ...risks.slice(0, i).map(r => '!anywhere:' + r.fact)].join(' & ');
    ctx.report(node, message + risk.note, { ...fix, safe: false }, undefined, condition);
  });
}

/** Whether the rewritten import binds `keras` itself or its backend module (or names from it). */
function bindsBackend(target: string, imported: readonly string[] = []): boolean {
  return target === 'keras' ? imported.length === 0 || imported.includes('backend') : target === 'keras.backend';
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

function rewrittenModule(moduleName: string): string {
  return moduleName.replace(/^tensorflow\.(python\.)?keras/, 'keras');
}

function fromImport(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') {
    return;
  }
  const moduleName = compact(ctx.textOf(moduleNode));
  if (/^tensorflow\.(python\.)?keras(\.|$)/.test(moduleName)) {
    // A module Keras 3 dropped is KM165's finding, whose fix names the module that replaced it.
    const imported = node.children.filter(c => c.field === 'name').map(n => compact(ctx.textOf(n.type === 'aliased_import' ? (child(n, 'name') ?? n) : n)));
    if (isMovedImport(moduleName, imported)) {
      return;
    }
    const target = rewrittenModule(moduleName);
    // A name only `tf.keras` keeps is KM224's finding, whose fix moves the module with it.
    if (imported.some(n => tfKerasOnlyName(target + '.' + n))) {
      return;
    }
    const privateApi = moduleName.startsWith('tensorflow.python.');
    // `from tensorflow.keras.backend import dot`: Keras 3's keras.backend has no `dot` to import.
    const importsRemoved = target === 'keras.backend' && imported.some(isRemovedBackendFunction);
    const fix: RawFix = {
      title: `Import from \`${target}\``,
      safe: !privateApi && !GONE_IN_KERAS_3.test(target) && !importsRemoved,
      edits: [{ start: moduleNode.start, end: moduleNode.end, text: target }]
    };
    const message = `\`from ${moduleName} import ...\` loads Keras through TensorFlow (TensorFlow must be installed even on JAX or PyTorch); import from \`${target}\` instead.`;
    reportRebinding(node, message, fix, ctx, bindsBackend(target, imported), imported.map(n => `${moduleName}.${n}`));
    return;
  }
  if (moduleName !== 'tensorflow') {
    return;
  }
  const names = node.children.filter(c => c.field === 'name');
  const isKeras = (n: SyntaxNode): boolean => {
    const name = n.type === 'aliased_import' ? child(n, 'name') : n;
    return name !== null && compact(ctx.textOf(name)) === 'keras';
  };
  const kerasItems = names.filter(isKeras);
  if (kerasItems.length === 0) {
    return;
  }
  const others = names.filter(n => !isKeras(n));
  const indent = indentOf(node, ctx);
  const imports = kerasItems.map(item => {
    const alias = item.type === 'aliased_import' ? child(item, 'alias') : null;
    return alias && ctx.textOf(alias) !== 'keras' ? `import keras as ${ctx.textOf(alias)}` : 'import keras';
  });
  const lines = others.length
    ? [`from tensorflow import ${others.map(o => ctx.textOf(o)).join(', ')}`, ...imports]
    : imports;
  const fix: RawFix = {
    title: 'Replace with `import keras`',
    safe: true,
    edits: [{ start: node.start, end: node.end, text: lines.join('\n' + indent) }]
  };
  reportRebinding(node, '`from tensorflow import keras` loads Keras through TensorFlow (TensorFlow must be installed even on JAX or PyTorch); use `import keras`.', fix, ctx, true, ['tensorflow.keras']);
}

function plainImport(node: SyntaxNode, ctx: RuleContext): void {
  for (const item of node.children) {
    const nameNode = item.type === 'aliased_import' ? child(item, 'name') : item.type === 'dotted_name' ? item : null;
    if (!nameNode) {
      continue;
    }
    const moduleName = compact(ctx.textOf(nameNode));
    if (!/^tensorflow\.(python\.)?keras(\.|$)/.test(moduleName)) {
      continue;
    }
    const target = rewrittenModule(moduleName);
    const safe = !moduleName.startsWith('tensorflow.python.') && !GONE_IN_KERAS_3.test(target);
    if (item.type === 'aliased_import') {
      reportRebinding(item, `\`import ${moduleName} as ...\` loads Keras through TensorFlow (TensorFlow must be installed even on JAX or PyTorch); import \`${target}\` instead.`, {
        title: `Import \`${target}\``,
        safe,
        edits: [{ start: nameNode.start, end: nameNode.end, text: target }]
      }, ctx, bindsBackend(target), [moduleName]);
    } else {
      // `import tensorflow.keras` also binds `tensorflow`, and uses keep spelling it out (KM224
      // rewrites a `tensorflow.keras` chain to a name only `tf.keras` has on its own).
      reportRebinding(item, `\`import ${moduleName}\` loads Keras through TensorFlow (TensorFlow must be installed even on JAX or PyTorch); import \`${target}\` instead.`, {
        title: `Import \`${target}\``,
        safe,
        edits: [{ start: nameNode.start, end: nameNode.end, text: `tensorflow, ${target}` }]
      }, ctx, bindsBackend(target), []);
    }
  }
}


/** `keras = tf.keras`, `layers = tf.keras.layers`, `Dense = tf.keras.layers.Dense`. */
function aliasAssignment(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || left.type !== 'identifier' || child(node, 'type')) {
    return;
  }
  const canonical = ctx.resolve(right);
  const name = ctx.textOf(left);
  if (!canonical || !/^tensorflow\.keras(\.|$)/.test(canonical) || !isImportAlias(canonical, name)) {
    return;
  }
  const target = rewrittenModule(canonical);
  const dot = target.lastIndexOf('.');
  let statement: string;
  if (dot < 0) {
    statement = name === 'keras' ? 'import keras' : `import keras as ${name}`;
  } else {
    const leaf = target.slice(dot + 1);
    statement = `from ${target.slice(0, dot)} import ${leaf}${leaf === name ? '' : ' as ' + name}`;
  }
  const stmt = node.parent;
  const standalone = stmt && stmt.type === 'expression_statement' && stmt.children.length === 1;
  const fix: RawFix | null = standalone
    ? {
        title: `Replace with \`${statement}\``,
        safe: !GONE_IN_KERAS_3.test(target),
        edits: [{ start: stmt.start, end: stmt.end, text: statement }]
      }
    : null;
  const message = `\`${name} = ${ctx.textOf(right)}\` reaches Keras through TensorFlow; use \`${statement}\`.`;
  if (fix) {
    reportRebinding(node, message, fix, ctx, bindsBackend(target), [canonical]);
  } else {
    ctx.report(node, message, fix);
  }
}

export const tfKerasImport: RuleDefinition = {
  code: 'KM011',
  name: 'tf-keras-import',
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
      'Flags imports that load Keras through TensorFlow: `from tensorflow import keras`, `from tensorflow.keras... import ...`, `import tensorflow.keras as k`, and aliases such as `keras = tf.keras`.',
    why:
      'Keras 3 is a standalone package. Going through `tensorflow.keras` makes TensorFlow a hard requirement and rules out the JAX and PyTorch backends; on recent TensorFlow releases it can even hand you the legacy Keras 2 package. See the guide section "Replace your imports".',
    example: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nkeras = tf.keras',
    useInstead: 'import keras\nfrom keras import layers'
  },
  visitors: {
    import_from_statement: fromImport,
    import_statement: plainImport,
    assignment: aliasAssignment
  }
};
