/**
 * sparse-output-backend (KM289)
 *
 * What it does: flags `sparse=True` given to a Keras layer or Input whose sparse output Keras 3 makes
 * only on some backends: the lookup layers (`StringLookup`, `IntegerLookup`, `TextVectorization`) and
 * `Hashing` (TensorFlow only), `CategoryEncoding` and `keras.Input` (not PyTorch).
 *
 * Why: Keras 2 had TensorFlow's `SparseTensor` everywhere. Keras 3 raises "`sparse=True` can only be
 * used with the TensorFlow backend" when a lookup layer is made on JAX or PyTorch, fails `Hashing`'s
 * call there, and PyTorch has no sparse `CategoryEncoding` output or sparse `Input` (checked on Keras
 * 3.15; claims/sparse_output_backend.py; TensorFlow's feature-columns migration guide).
 *
 * Fix (a suggestion): `sparse=keras.backend.backend() == "tensorflow"`; other backends get dense
 * outputs, which code expecting a `SparseTensor` (`tf.sparse.to_dense`) must then take as they are.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParts } from '../rule-helpers';
import { backendProse } from '../helpers/tf-op-claims';

/** Per class, the backends where `sparse=True` fails (Keras 3.15). */
const FAILS_ON: ReadonlyMap<string, readonly Backend[]> = new Map<string, readonly Backend[]>([
  ['keras.layers.StringLookup', ['jax', 'torch']],
  ['keras.layers.IntegerLookup', ['jax', 'torch']],
  ['keras.layers.TextVectorization', ['jax', 'torch']],
  ['keras.layers.Hashing', ['jax', 'torch']],
  ['keras.layers.CategoryEncoding', ['torch']],
  ['keras.Input', ['torch']],
  ['keras.layers.Input', ['torch']]
]);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const sparse = parts?.keywords.get('sparse');
  if (!parts || !sparse || ctx.textOf(sparse.value) !== 'True') {
    return;
  }
  const cls = ctx.resolveKeras(parts.fn) ?? '';
  const own = FAILS_ON.get(cls);
  if (!own) {
    return;
  }
  // TensorFlow's sparse ops in the cell (`tf.sparse.to_dense(layer(x))`, TensorFlow's feature-columns
  // migration guide) take only a SparseTensor: JAX's BCOO array and any dense output fail there
  // ("Input must be a SparseTensor"), so JAX is claimed too and no dense output is offered.
  const tfSparse = /\b(?:tf|tensorflow)\s*\.\s*sparse\s*\./.test(ctx.text);
  const fails: Backend[] = tfSparse ? ['jax', 'torch'] : [...own];
  const keras = ctx.kerasImportEdit();
  ctx.report(
    child(sparse.node, 'name') ?? sparse.node,
    `\`${cls.split('.').pop()}(sparse=True)\`: Keras 3 makes this sparse output on TensorFlow${own.includes('jax') ? '' : ' and JAX'} only, and fails on ${backendProse(own)} (${own.includes('jax') ? '"`sparse=True` can only be used with the TensorFlow backend"' : 'no sparse tensors there'}); Keras 2 had TensorFlow's SparseTensor everywhere. ` +
      (tfSparse
        ? 'The cell\'s TensorFlow sparse ops (`tf.sparse.*`) take only a TensorFlow SparseTensor, which JAX and PyTorch never give: keep the sparse path on TensorFlow, and elsewhere ask for a dense output (`sparse=False`) without the `tf.sparse` ops.'
        : 'Ask for it on TensorFlow only (`sparse=keras.backend.backend() == "tensorflow"`), and take dense outputs elsewhere.'),
    tfSparse
      ? null
      : {
          title: 'Sparse on TensorFlow only',
          safe: false,
          edits: [{ start: sparse.value.start, end: sparse.value.end, text: 'keras.backend.backend() == "tensorflow"' }, ...(keras ? [keras] : [])]
        },
    undefined,
    undefined,
    fails
  );
}

export const sparseOutputBackend: RuleDefinition = {
  code: 'KM289',
  name: 'sparse-output-backend',
  slug: 'api-changes',
  severity: 'error',
  /** Checked on Keras 3.15 (claims/sparse_output_backend.py): the lookup layers fail on JAX and PyTorch; CategoryEncoding and Input on PyTorch. */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['sparse'],
  docs: {
    whatItDoes:
      'Flags `sparse=True` given to `StringLookup`, `IntegerLookup`, `TextVectorization` or `Hashing` (claims JAX and PyTorch), or to `CategoryEncoding` or `keras.Input` (claims PyTorch; JAX too where the cell uses TensorFlow\'s `tf.sparse` ops, which refuse JAX\'s sparse arrays, and then no fix).',
    why:
      'Keras 2 had TensorFlow\'s `SparseTensor` everywhere. Keras 3 raises "`sparse=True` can only be used with the TensorFlow backend" when a lookup layer is made on JAX or PyTorch and fails `Hashing`\'s call there; `CategoryEncoding` gives a JAX `BCOO` array on JAX and fails on PyTorch, and `keras.Input(sparse=True)` is refused on PyTorch (checked on Keras 3.15; TensorFlow\'s feature-columns migration guide). The fix (a suggestion) asks for sparse outputs on TensorFlow only, `sparse=keras.backend.backend() == "tensorflow"`: other backends get dense outputs, which Keras layers take, but code expecting a `SparseTensor` (`tf.sparse.to_dense`) must take them as they are.',
    example: 'import keras\nlookup = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot", sparse=True)',
    useInstead: 'import keras\nlookup = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot", sparse=keras.backend.backend() == "tensorflow")'
  },
  requires: ['sparse'],
  visitors: { call: visit }
};
