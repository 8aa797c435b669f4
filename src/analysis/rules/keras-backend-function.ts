import { child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { backendFunction, isRemovedBackendFunction, isTfKerasLegacyBackendFunction, kerasOpNamed, TF_KERAS_LEGACY_BACKEND_USE } from '../knowledge';
import { CallParts, callParts, modelCodeCondition, rewriteCall, KERAS_CALLEES, SHAPE_VECTOR_ADVICE, shapeVectorFix } from '../rule-helpers';
import { shapeVectorTuple } from '../helpers/static-sequence';
import { ctcDifference, ctcFix, ctcReplacement } from '../helpers/ctc';
import type { Backend } from '../types';


/**
 * `K.set_value(x, v)` assigned `v` (cast to x's dtype) to the variable `x`; a Keras 3
 * variable's `assign()` does the same, e.g. for `model.optimizer.learning_rate`.
 */
function setValueFix(parts: CallParts, ctx: RuleContext): RawFix | null {
  const [variable, value] = parts.positional;
  if (parts.positional.length !== 2 || parts.keywords.size > 0 || parts.splat || !['identifier', 'attribute', 'subscript'].includes(variable.type)) {
    return null;
  }
  return {
    title: 'Use `variable.assign(value)`',
    safe: true,
    edits: [{ start: parts.fn.start, end: parts.args!.end, text: `${ctx.textOf(variable)}.assign(${ctx.textOf(value)})` }]
  };
}

/**
 * The backends a removed backend function blocks: only JAX and PyTorch when reached through
 * `tf.keras` (in model code; in a notebook function, where the notebook uses it as model code,
 * `onlyIf`), none in code that runs eagerly (a callback, an own eager method of a model).
 */
function backendFunctionBlocks(
  node: SyntaxNode,
  fnName: string,
  ctx: RuleContext,
  firstArgument?: SyntaxNode
): { blocks: Backend[]; onlyIf?: Partial<Record<Backend, string>> } | undefined {
  const raw = ctx.resolve(node) ?? '';
  if (!/^tensorflow\.(compat\.v2\.)?keras\.backend\./.test(raw) || !isTfKerasLegacyBackendFunction(fnName)) {
    return undefined;
  }
  // tf.keras's legacy `set_value` only knows TF variables: on an optimizer's learning rate (a
  // Keras 3 variable) it raises AttributeError on every backend, TensorFlow included (checked by
  // running: python_kernel_hooks/tests/claims/tf_keras_set_value_learning_rate.py).
  if (fnName === 'set_value' && firstArgument?.type === 'attribute' && /^(learning_rate|lr)$/.test(ctx.textOf(child(firstArgument, 'attribute')!))) {
    return undefined;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return { blocks: [] };
  }
  return condition === true ? { blocks: ['jax', 'torch'] } : { blocks: ['jax', 'torch'], onlyIf: { jax: condition, torch: condition } };
}

/** tf.keras's legacy backend functions that ran on a KerasTensor (checked on Keras 3.15; the others are TF ops and failed). */
const READS_ATTRIBUTES_ONLY = new Set(['int_shape', 'is_keras_tensor', 'get_value']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  // `tf.compat.v1.keras.backend.get_session()` is the same Keras 2 function.
  const name = ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)?.replace(/^tensorflow\.compat\.v[12]\.keras\./, 'keras.') ?? null;
  if (!name || !name.startsWith('keras.backend.')) {
    return;
  }
  const fnName = name.slice('keras.backend.'.length);
  if (!isRemovedBackendFunction(fnName)) {
    return;
  }
  const mapping = backendFunction(fnName);
  const target = mapping?.keras ?? ctcReplacement(fnName);
  // How the replacement reads in the message: `tuple(x.shape)` for a builtin around the argument.
  const targetShown = target && mapping?.firstArgTemplate ? `${target}(${mapping.firstArgTemplate.replace('{}', 'x')})` : target;
  // `K.concatenate([K.shape(x)[:-1], [h, -1]])`: a shape vector, which Keras 3 writes as a tuple.
  const shapeTuple = fnName === 'concatenate' && parts.fn.parent ? shapeVectorTuple(parts.fn.parent, ctx) : null;
  const fix = shapeTuple
    ? shapeVectorFix(parts.fn.parent!, shapeTuple, ctx)
    : fnName === 'set_value'
      ? setValueFix(parts, ctx)
      : mapping
        ? rewriteCall(parts, target, mapping, ctx)
        : ctcFix(fnName, parts.fn, parts, ctx);
  const object = child(parts.fn, 'object');
  const shown = `${object ? ctx.textOf(object) : 'K'}.${fnName}`;
  // Not in the table: keras.ops often has the function under the same name (`K.logsumexp`).
  const sameName = target ? null : kerasOpNamed(fnName);
  // tf.keras's legacy function given a KerasTensor while a functional model is built
  // (`model.add_metric(keras.backend.std(x1))`, keras.io's built-in training guide): it is a TF op on a
  // symbolic tensor, which fails on every backend, TensorFlow too ("A KerasTensor cannot be used as input
  // to a TensorFlow function"; checked on Keras 3.15, /work/og46d repro_1).
  // `int_shape`, `is_keras_tensor` and `get_value` only read the tensor's Python attributes: they ran on one.
  const symbolic = !READS_ATTRIBUTES_ONLY.has(fnName) && parts.positional.some(a => ctx.isSymbolic(a));
  const legacyBlocks = backendFunctionBlocks(parts.fn, fnName, ctx, parts.positional[0]);
  const legacy = legacyBlocks && symbolic ? { blocks: ['tensorflow', 'jax', 'torch'] as Backend[] } : legacyBlocks;
  if (legacy && !fix?.safe) {
    ctx.note(TF_KERAS_LEGACY_BACKEND_USE);
  }
  const where = legacy
    ? symbolic
      ? ` (TensorFlow's \`tf.keras.backend\` still has it, but it is a TensorFlow op, and here it gets a symbolic Keras tensor, which fails on every backend, TensorFlow too)`
      : ` (TensorFlow's \`tf.keras.backend\` still has it, so it runs on the TensorFlow backend only)`
    : '';
  ctx.report(
    parts.fn,
    shapeTuple
      ? `\`${shown}\` is not in Keras 3's keras.backend${where}; ${SHAPE_VECTOR_ADVICE}.`
      : ctcDifference(fnName)
      ? `\`${shown}\` is not in Keras 3's keras.backend${where}; ${ctcDifference(fnName)}.`
      : target
      ? `\`${shown}\` is not in Keras 3's keras.backend${where}; use \`${targetShown}\`.`
      : sameName
        ? `\`${shown}\` is not in Keras 3's keras.backend${where}; use \`${sameName}\` (check its arguments).`
        : `\`${shown}\` is not in Keras 3's keras.backend${where} and has no direct replacement.`,
    fix,
    undefined,
    undefined,
    legacy?.blocks,
    legacy?.onlyIf
  );
}

/**
 * A removed backend function used as a value, not called (`self.loss_fn = K.ctc_batch_cost`,
 * `Lambda(K.l2_normalize)`): the attribute lookup itself raises AttributeError in Keras 3 on
 * every backend (checked by running). The replacement's arguments may differ, so no rewrite.
 */
function visitReference(node: SyntaxNode, ctx: RuleContext): void {
  const parent = node.parent;
  if (!parent || (parent.type === 'call' && node.field === 'function') || parent.type === 'attribute') {
    return;
  }
  const name = ctx.resolveKeras(node) ?? ctx.resolve(node)?.replace(/^tensorflow\.compat\.v[12]\.keras\./, 'keras.') ?? null;
  if (!name || !name.startsWith('keras.backend.')) {
    return;
  }
  const fnName = name.slice('keras.backend.'.length);
  if (!isRemovedBackendFunction(fnName)) {
    return;
  }
  const target = backendFunction(fnName)?.keras ?? ctcReplacement(fnName) ?? kerasOpNamed(fnName);
  const fix = ctcFix(fnName, node, null, ctx);
  const object = child(node, 'object');
  const shown = `${object ? ctx.textOf(object) : 'K'}.${fnName}`;
  const legacy = backendFunctionBlocks(node, fnName, ctx);
  if (legacy && !fix?.safe) {
    ctx.note(TF_KERAS_LEGACY_BACKEND_USE);
  }
  const lookup = legacy
    ? ` (TensorFlow's \`tf.keras.backend\` still has it: a TF function, for the TensorFlow backend only)`
    : ': looking it up raises AttributeError on every backend';
  ctx.report(
    node,
    `\`${shown}\` is not in Keras 3's keras.backend${lookup}${
      ctcDifference(fnName) ? `; ${ctcDifference(fnName)}` : target ? `; use \`${target}\` (check its arguments: this code passes the function on)` : ''
    }.`,
    fix,
    undefined,
    undefined,
    legacy?.blocks,
    legacy?.onlyIf
  );
}

export const kerasBackendFunction: RuleDefinition = {
  code: 'KM132',
  name: 'keras-backend-function',
  slug: 'keras-ops',
  severity: 'error',
  // Unlike TF ops, the removed keras.backend functions are missing on every backend.
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags calls of Keras 2 backend functions (`K.mean`, `K.sum`, `K.dot`, `keras.backend.cast`, ...) that Keras 3 removed from `keras.backend`, with the `keras.ops` replacement where one exists, and references to them that are not calls (`self.loss_fn = K.ctc_batch_cost`), whose lookup alone raises AttributeError. `ctc_batch_cost` and `ctc_decode` (called or passed on) get a same-named function defined on `keras.ops.ctc_loss`/`keras.ops.ctc_decode` with Keras 2\'s conventions (blank = last class, probabilities in, (batch, 1) lengths and loss).',
    why:
      'Keras 3 keeps only a handful of configuration helpers in `keras.backend`; the tensor functions moved to `keras.ops`, which works on every backend (guide section "Switching to Keras ops"). Rewrites that change defaults (for example `K.concatenate` uses axis=-1, `keras.ops.concatenate` axis=0) are suggestions, not safe fixes.',
    example: 'from keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(K.square(y_true - y_pred), axis=-1)',
    useInstead: 'import keras\ndef loss(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)'
  },
  calls: { resolved: KERAS_CALLEES },
  // A `keras.backend.` name comes from `ctx.resolveKeras` or a `tensorflow.compat` spelling.
  attributes: { resolved: ['keras', 'tensorflow.'] },
  visitors: { call: visit, attribute: visitReference }
};
