/**
 * unused-tensorflow-import (KM014)
 *
 * What it does: flags `import tensorflow as tf` (or `import tensorflow`) at the top level of a
 * cell when no cell of the notebook uses the name it binds, typically once the other fixes have
 * moved every `tf.` use to `keras` and `keras.ops`.
 *
 * Why: Keras 3 runs on JAX or PyTorch without TensorFlow installed, but a program that still
 * imports it fails there at the import ("No module named 'tensorflow'"), although it needs
 * nothing from it. With TensorFlow installed the import only costs its start-up time, so the
 * finding claims no backend.
 *
 * Example:
 *   import tensorflow as tf
 *   import keras
 *   model = keras.Sequential([keras.layers.Dense(1)])
 *
 * Use instead:
 *   import keras
 *   model = keras.Sequential([keras.layers.Dense(1)])
 *
 * Fix (safe): deletes the import statement's line.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { statementLinesDeletion } from '../helpers/code-text';

/** Noted where a cell mentions NAME outside its top-level import statements, while NAME is bound to TensorFlow. */
const USES = 'uses-the-tensorflow-name:';

const WORD = /(?<![\w.])[A-Za-z_]\w*/g;

function isImport(node: SyntaxNode): boolean {
  return node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement';
}

/**
 * At the end of the cell (its own imports bound), notes the names bound to TensorFlow modules
 * that the cell mentions outside its top-level imports: as a word anywhere else, comments and
 * strings included, so that a name in doubt counts as used.
 */
function noteUses(root: SyntaxNode, ctx: RuleContext): void {
  if (root.parent) {
    return;
  }
  const seen = new Set<string>();
  let from = 0;
  const scan = (to: number): void => {
    for (const m of ctx.text.slice(from, to).matchAll(WORD)) {
      const word = m[0];
      if (seen.has(word)) {
        continue;
      }
      seen.add(word);
      const binding = ctx.lookup(word);
      if (binding?.kind === 'module' && /^tensorflow(\.|$)/.test(binding.canonical)) {
        ctx.note(USES + word);
      }
    }
  };
  for (const statement of root.children) {
    if (isImport(statement)) {
      scan(statement.start);
      from = statement.end;
    }
  }
  scan(ctx.text.length);
}

/** `import tensorflow as tf` / `import tensorflow`: the name it binds, when that is all the statement imports. */
function boundName(statement: SyntaxNode, ctx: RuleContext): string | null {
  const names = statement.children.filter(c => c.type === 'aliased_import' || c.type === 'dotted_name');
  if (names.length !== 1) {
    return null;
  }
  const item = names[0];
  if (item.type === 'aliased_import') {
    const module = child(item, 'name');
    const alias = child(item, 'alias');
    return module && alias && ctx.textOf(module) === 'tensorflow' ? ctx.textOf(alias) : null;
  }
  return ctx.textOf(item) === 'tensorflow' ? 'tensorflow' : null;
}

function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent?.type !== 'module') {
    return;
  }
  const name = boundName(node, ctx);
  if (!name) {
    return;
  }
  // The statement alone on its line(s), so that deleting the lines deletes nothing else.
  const deletion = statementLinesDeletion(node, ctx.text);
  if (!deletion) {
    return;
  }
  ctx.report(
    node,
    `\`${name}\` (TensorFlow) is imported but nothing uses it: on JAX or PyTorch without TensorFlow installed the import alone fails ("No module named 'tensorflow'"). Remove it.`,
    { title: 'Remove the unused TensorFlow import', safe: true, edits: [deletion] },
    undefined,
    `!anywhere:${USES}${name}`
  );
}

export const unusedTensorflowImport: RuleDefinition = {
  code: 'KM014',
  name: 'unused-tensorflow-import',
  slug: 'imports',
  severity: 'warning',
  // TensorFlow installed, the import runs on every backend.
  blocks: [],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `import tensorflow as tf` (or `import tensorflow`) at the top level of a cell when no cell of the notebook uses the name it binds, typically once the other fixes have moved every `tf.` use to `keras` and `keras.ops`.',
    why: 'Keras 3 runs on JAX or PyTorch without TensorFlow installed, but a program that still imports it fails there at the import ("No module named \'tensorflow\'"), although it needs nothing from it. With TensorFlow installed the import only costs its start-up time, so the finding claims no backend. The fix deletes the import statement\'s line.',
    example: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n'
  },
  requires: ['tensorflow'],
  visitors: { import_statement: visitImport, 'module:exit': noteUses }
};
