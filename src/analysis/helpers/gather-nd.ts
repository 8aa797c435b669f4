import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { argumentsByName, type CallParts } from './calls';
import { helperDefinitionEdit } from './ctc';
import type { CallConversion } from './op-conversion';

/**
 * `tf.gather_nd(params, indices)` (batch_dims=0) as a helper defined once in the cell on keras.ops:
 * each last-axis row of `indices` holds the coordinates of one element or slice of `params`; the
 * helper makes them one index into `params` flattened over those axes (row-major, with
 * `keras.ops.shape(params)`, so a batch axis of unknown size traces on TensorFlow and JAX) and
 * takes it with `keras.ops.take(..., axis=0)`. keras.ops has no gather_nd (`take_along_axis`
 * gathers along one axis). Checked against tf.gather_nd on TensorFlow, JAX and PyTorch
 * (python_kernel_hooks/tests/test_ops_conversions.py: element and slice gathers, int32 and int64
 * indices, repeated coordinates): the same values. A suggestion: the depth of the coordinates
 * (`indices.shape[-1]`) must be known; out-of-range coordinates are not reported as TF's CPU
 * kernel reports them.
 */
export const GATHER_ND_HELPER = 'gather_nd';

const LINES = [
  'def gather_nd(params, indices, batch_dims=0, name=None):',
  '    # tf.gather_nd on keras.ops (batch_dims=0): each last-axis row of indices holds the coordinates of',
  '    # one element or slice of params, made one index into params flattened over those axes.',
  '    indices = keras.ops.convert_to_tensor(indices)',
  '    shape = keras.ops.shape(params)',
  '    depth = indices.shape[-1]',
  '    flat = keras.ops.zeros_like(indices[..., 0])',
  '    for axis in range(depth):',
  '        flat = flat * shape[axis] + indices[..., axis]',
  '    return keras.ops.take(keras.ops.reshape(params, (-1,) + tuple(shape[depth:])), flat, axis=0)'
];

const PARAMS = ['params', 'indices', 'batch_dims', 'name'];

/**
 * The conversion of a `tf.gather_nd(...)` call: its callee becomes the helper (inserted once, after
 * the cell's imports). No rewrite for `*args`, `batch_dims` other than 0, `bad_indices_policy=`,
 * or a notebook that already names `gather_nd`.
 */
export function gatherNdConversion(parts: CallParts, ctx: RuleContext): CallConversion {
  if (parts.splat) {
    return { fix: null, unmapped: '`*args`/`**kwargs`' };
  }
  if (parts.positional.length > PARAMS.length) {
    return { fix: null, unmapped: `argument ${PARAMS.length + 1}` };
  }
  for (const key of parts.keywords.keys()) {
    if (!PARAMS.includes(key)) {
      return { fix: null, unmapped: `\`${key}=\`` };
    }
  }
  const batchDims = argumentsByName(parts, PARAMS).get('batch_dims');
  if (batchDims && ctx.textOf(batchDims) !== '0') {
    return { fix: null, unmapped: `\`batch_dims=${ctx.textOf(batchDims)}\` (the helper gathers with batch_dims=0)` };
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: GATHER_ND_HELPER }];
  const defined = ctx.text.includes(LINES[0]);
  if (!defined && (ctx.lookup(GATHER_ND_HELPER) || new RegExp(`(?<![\\w.])${GATHER_ND_HELPER}\\b`).test(ctx.text))) {
    return { fix: null, unmapped: `a helper here: the notebook already names \`${GATHER_ND_HELPER}\`` };
  }
  if (!defined) {
    edits.push(helperDefinitionEdit(ctx.text, LINES));
  }
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  const fix: RawFix = {
    title: `Define \`${GATHER_ND_HELPER}\` on keras.ops (TensorFlow's coordinates, batch_dims=0: one flat index per row, keras.ops.take) and call it`,
    safe: false,
    edits
  };
  return { fix, unmapped: null };
}
