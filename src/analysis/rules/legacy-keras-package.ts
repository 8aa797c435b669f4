import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { stringValue } from '../rule-helpers';

function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  const items =
    node.type === 'import_from_statement'
      ? [child(node, 'module_name')].filter((n): n is SyntaxNode => n !== null)
      : node.children.filter(c => c.type === 'aliased_import' || c.type === 'dotted_name');
  for (const item of items) {
    const name = item.type === 'aliased_import' ? child(item, 'name') : item;
    if (!name) {
      continue;
    }
    const text = ctx.textOf(name).replace(/\s+/g, '');
    if (text === 'tf_keras' || text.startsWith('tf_keras.')) {
      const target = 'keras' + text.slice('tf_keras'.length);
      const alias = item.type === 'aliased_import' ? child(item, 'alias') : null;
      // `import tf_keras as keras` becomes plain `import keras`.
      const edit =
        alias && ctx.textOf(alias) === target
          ? { start: item.start, end: item.end, text: target }
          : { start: name.start, end: name.end, text: target };
      ctx.report(name, `\`${text}\` is the Keras 2 package kept for TensorFlow 2.16+; migrate to Keras 3 (\`${target}\`).`, {
        title: `Use \`${target}\``,
        // Keras 2 code rarely runs unchanged on Keras 3: the other findings say what else to change.
        safe: false,
        edits: [edit]
      });
    }
  }
}

function visitAssignment(node: SyntaxNode, ctx: RuleContext): void {
  // os.environ["TF_USE_LEGACY_KERAS"] = "1"
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || left.type !== 'subscript') {
    return;
  }
  const key = left.children.find(c => c.field === 'subscript');
  if (stringValue(key, ctx) === 'TF_USE_LEGACY_KERAS' && ctx.resolve(child(left, 'value') ?? left) === 'os.environ') {
    const value = stringValue(right, ctx);
    if (value === null || /^(1|true|yes)$/i.test(value)) {
      ctx.report(node, '`TF_USE_LEGACY_KERAS` makes `tf.keras` load Keras 2 (tf_keras); remove it and migrate to Keras 3.');
    }
  }
}

export const legacyKerasPackage: RuleDefinition = {
  code: 'KM013',
  name: 'legacy-keras-package',
  slug: 'imports',
  severity: 'warning',
  /**
   * None: Keras 2 code on `tf_keras` (imported, or through `TF_USE_LEGACY_KERAS`) runs on TensorFlow
   * whatever KERAS_BACKEND says, wherever tf_keras is installed, and fails everywhere where it is
   * not (checked by running TensorFlow 2.21 with and without tf_keras 2.21 under all three
   * settings). It needs migrating to run on JAX or PyTorch at all, which the other findings say.
   */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['TF_USE_LEGACY_KERAS'],
  docs: {
    whatItDoes: 'Flags imports of `tf_keras` (the Keras 2 package) and setting `TF_USE_LEGACY_KERAS` to turn it on.',
    why:
      'With TensorFlow 2.16 and later, `tf_keras` and `TF_USE_LEGACY_KERAS=1` keep a notebook on Keras 2, which only runs on TensorFlow: whatever KERAS_BACKEND says, the code still trains on TensorFlow (it runs where tf_keras is installed), so the finding blocks no backend by itself; it never uses JAX or PyTorch until migrated. The guide section "Replace your imports" describes moving to the `keras` package; the import rewrite is offered as a suggestion because the rest of the code may need the other migrations too.',
    example: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tf_keras as keras',
    useInstead: 'import keras'
  },
  visitors: { import_statement: visitImport, import_from_statement: visitImport, assignment: visitAssignment }
};
