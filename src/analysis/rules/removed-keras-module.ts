import { chainRoot, child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { keptUnderTfKeras, kerasSpelling, movedModuleOf, TF_KERAS_ONLY_USE } from '../knowledge';
import { withKerasImport } from '../rule-helpers';
import { sequenceSamplingFix, sequenceSamplingFunction } from '../helpers/sequence-sampling';
import { premadeCallFix, premadeImportFix, premadeModelOf } from '../helpers/premade-models';


function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent?.type === 'attribute' && node.field === 'object') {
    const whole = kerasSpelling(ctx.resolve(node.parent));
    if (whole && movedModuleOf(whole)) {
      return; // reported once, on the outermost name
    }
  }
  const name = kerasSpelling(ctx.resolve(node));
  const moved = name ? movedModuleOf(name) : undefined;
  if (!moved || !name) {
    return;
  }
  // `preprocessing.Normalization()` after `from ...experimental import preprocessing`: the
  // import is what fails, and it is reported (and fixed) there.
  const root = chainRoot(node);
  const rootName = root.type === 'identifier' ? kerasSpelling(ctx.resolve(root)) : null;
  if (rootName && movedModuleOf(rootName) && root !== node) {
    return;
  }
  let fix = null;
  const sampling = sequenceSamplingFunction(name);
  const premade = premadeModelOf(name);
  if (sampling) {
    fix = sequenceSamplingFix(sampling, node, ctx);
  } else if (premade) {
    fix = premadeCallFix(node, premade, ctx);
  } else if (moved.replace) {
    const prefix = findPrefixNode(node, moved.prefix, moved.replace, ctx);
    if (prefix) {
      const edit = { start: prefix.node.start, end: prefix.node.end, text: prefix.text };
      fix = { title: `Use \`${moved.replace}\``, safe: true, edits: prefix.text.startsWith('keras.') ? withKerasImport(ctx, [edit]) : [edit] };
    }
  }
  const kept = keptUnderTfKeras(ctx.resolve(node));
  // Reached through a name an import binds to `tensorflow.keras` (`from tensorflow import keras`):
  // rewriting that import to `keras` would break this use, unless its own safe fix moves it first.
  const rootCanonical = root.type === 'identifier' ? ctx.resolve(root) : null;
  if (kept && !fix?.safe && rootCanonical && /^tensorflow\.keras(\.|$)/.test(rootCanonical)) {
    ctx.note(TF_KERAS_ONLY_USE + rootCanonical);
  }
  reportMoved(ctx, node, name, moved.message, fix, kept);
}

/** `tf.keras.preprocessing...` still runs on Keras 3 (see keptUnderTfKeras): then the finding blocks no backend. */
function reportMoved(ctx: RuleContext, node: SyntaxNode, name: string, message: string, fix: RawFix | null, keptByTfKeras: boolean): void {
  if (keptByTfKeras) {
    const kept = `\`${name}\` is gone from Keras 3 (${message}); only \`tf.keras\`, TensorFlow's copy of Keras 3, keeps this Keras 2 module, so the code runs while TensorFlow is installed.`;
    ctx.report(node, kept, fix, undefined, undefined, []);
    return;
  }
  ctx.report(node, `\`${name}\` does not exist in Keras 3: ${message}.`, fix);
}

/**
 * The part of a dotted chain spelling the moved module (`tf.keras.optimizers.legacy` in
 * `tf.keras.optimizers.legacy.Adam`) and what to write there.
 */
function findPrefixNode(node: SyntaxNode, prefix: string, replace: string, ctx: RuleContext): { node: SyntaxNode; text: string } | null {
  for (let n: SyntaxNode | null = node; n && n.type === 'attribute'; n = child(n, 'object')) {
    if (kerasSpelling(ctx.resolve(n)) === prefix) {
      const root = chainRoot(n);
      if (root.type !== 'identifier') {
        return null;
      }
      const rootCanonical = ctx.resolve(root);
      if (rootCanonical === 'keras' || rootCanonical === 'tensorflow' || rootCanonical === 'tensorflow.keras') {
        return { node: n, text: replace };
      }
      // A chain from an imported Keras submodule (`from tensorflow.keras import layers`, the usual
      // keras.io spelling of `layers.experimental.preprocessing.Rescaling`) keeps that name when
      // the new path starts with the same submodule: `layers.Rescaling`.
      const rootSpelling = kerasSpelling(rootCanonical);
      if (rootSpelling && rootSpelling.includes('.') && (replace === rootSpelling || replace.startsWith(rootSpelling + '.'))) {
        return { node: n, text: ctx.textOf(root) + replace.slice(rootSpelling.length) };
      }
      return null;
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
  let moved = movedModuleOf(normalised);
  let names = node.children.filter(c => c.field === 'name');
  // `from keras.engine.topology import Layer`: an entry for the name itself is more precise
  // than the one for its module.
  const nameOf = (n: SyntaxNode): string => ctx.textOf(n.type === 'aliased_import' ? (child(n, 'name') ?? n) : n);
  const single = names.length === 1 ? movedModuleOf(normalised + '.' + nameOf(names[0])) : undefined;
  if (single && moved && single.prefix.length > moved.prefix.length) {
    moved = single;
  }
  // `from keras.layers.experimental import preprocessing`: the imported name is the module.
  if (!moved) {
    const hits = names.filter(n => movedModuleOf(normalised + '.' + ctx.textOf(n.type === 'aliased_import' ? child(n, 'name') ?? n : n)));
    if (hits.length === 0) {
      return;
    }
    moved = movedModuleOf(normalised + '.' + ctx.textOf(hits[0].type === 'aliased_import' ? child(hits[0], 'name') ?? hits[0] : hits[0]));
    names = hits;
  }
  if (!moved) {
    return;
  }
  // The `tensorflow.` spelling is rewritten too: the new module path is a plain `keras` one.
  const privateApi = moduleName.startsWith('tensorflow.python.');
  let fix = null;
  if (moved.replace && normalised === moved.prefix) {
    // `tensorflow.python.keras` is TensorFlow's private copy of Keras 2, whose classes differ from
    // tf.keras's (tf_keras's fit refuses its Sequence too): the public module is a suggestion.
    fix = { title: `Import from \`${moved.replace}\``, safe: !privateApi, edits: [{ start: moduleNode.start, end: moduleNode.end, text: moved.replace }] };
  } else if (moved.replace && !privateApi && names.length === 1 && node.children.filter(c => c.field === 'name').length === 1) {
    // `from keras.layers.experimental import preprocessing` -> `from keras import layers as preprocessing`
    const item = names[0];
    const alias = item.type === 'aliased_import' ? ctx.textOf(child(item, 'alias') ?? item) : ctx.textOf(item);
    const dot = moved.replace.lastIndexOf('.');
    const leaf = moved.replace.slice(dot + 1);
    const statement = `from ${moved.replace.slice(0, dot)} import ${leaf}${leaf === alias ? '' : ' as ' + alias}`;
    fix = { title: `Use \`${statement}\``, safe: true, edits: [{ start: node.start, end: node.end, text: statement }] };
  } else if (!privateApi && /^keras\.(experimental|premade)$/.test(normalised)) {
    // `from tensorflow.keras.experimental import WideDeepModel`: the program defines the class instead.
    fix = premadeImportFix(node, ctx);
  }
  reportMoved(ctx, node, moved.prefix, moved.message, fix, keptUnderTfKeras(moduleName));
}

export const removedKerasModule: RuleDefinition = {
  code: 'KM165',
  name: 'removed-keras-module',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags imports and uses of Keras 2 modules that Keras 3 dropped: `layers.experimental.preprocessing`, `optimizers.legacy`, `keras.engine`, `wrappers.scikit_learn`, `ImageDataGenerator`; also Keras 2 helpers Keras 3 no longer makes public, such as `keras.applications.imagenet_utils.correct_pad` (keras.io MobileViT; the safe fix defines Keras\'s own padding arithmetic in the program and calls it, as the Keras team\'s conversion did) and `obtain_input_shape`.',
    why:
      'These imports fail with ModuleNotFoundError or ImportError ("`keras.optimizers.legacy` is not supported in Keras 3"), on every backend. One spelling still runs: TensorFlow\'s `tf.keras` (Keras 3 as `keras._tf_keras`) keeps the Keras 2 `preprocessing` modules (`tf.keras.preprocessing.image.ImageDataGenerator`, `tf.keras.preprocessing.text.Tokenizer`) on every backend while TensorFlow is installed, so those findings block no backend (checked on Keras 3.15). Not covered by the migration guide. Where the same classes live elsewhere under the same names the rewrite is safe. `keras.preprocessing.sequence.skipgrams` and `make_sampling_table` (word2vec / Node2Vec sampling, pure Python and NumPy) get a safe fix that defines Keras 2\'s own code for them in the notebook, so they keep working after the import becomes `import keras`. `keras.experimental.LinearModel` and `WideDeepModel` get a suggested fix that defines Keras 2\'s premade models in the program, written with Keras 3 layers (the same weights, zero-initialised, and `activation(linear(x) + dnn(x))`), and calls them: it runs on every backend; a `compile()` given Keras 2\'s list of two optimizers (one per part) trains both parts with the last one, since a Keras 3 model takes one.',
    example: 'from keras.layers.experimental.preprocessing import Rescaling\nopt = keras.optimizers.legacy.Adam()',
    useInstead: 'from keras.layers import Rescaling\nopt = keras.optimizers.Adam()'
  },
  // A moved module is a resolved name (kerasSpelling of `ctx.resolve`).
  attributes: { resolved: [''] },
  visitors: { attribute: visitAttribute, import_from_statement: visitImportFrom }
};
