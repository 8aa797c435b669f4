import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { isImportAlias } from './tf-keras-import';

/** Every spelling of "Keras through TensorFlow" as a canonical module path. */
const TF_KERAS = new Set(['tensorflow.keras', 'tensorflow.compat.v2.keras', 'tensorflow.compat.v1.keras', 'tensorflow.python.keras']);

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
  if (canonical === null || !TF_KERAS.has(canonical)) {
    return;
  }
  // tf.compat.v1.keras is the TF1-era API surface: the rewrite may not mean the same.
  const safe = canonical !== 'tensorflow.compat.v1.keras';
  const chain = outermostChain(node);
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
  const suggestion = 'keras' + used.slice(ctx.textOf(node).replace(/\s+/g, '').length);
  const edits = [{ start: node.start, end: node.end, text: 'keras' }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(chain, `\`${used}\` reaches Keras through TensorFlow; use \`${suggestion}\`.`, {
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
  fixAvailability: 'always',
  docs: {
    whatItDoes: 'Flags every `tf.keras.X` (or `tensorflow.keras.X`, `tf.compat.v2.keras.X`, `tf.compat.v1.keras.X`) attribute use, one finding per occurrence.',
    why:
      'Each `tf.keras` reference ties the code to TensorFlow and, with TensorFlow 2.16 and later, to a compatibility shim that can resolve to Keras 2. The guide section "Replace your imports" asks for `keras.X` throughout.',
    example: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])'
  },
  visitors: { attribute: visit }
};
