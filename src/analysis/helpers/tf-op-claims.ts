/**
 * Which backends a TensorFlow op in model code really fails on. Not a rule.
 *
 * While TensorFlow is installed a TF op runs on any backend as long as what it makes never meets
 * the backend's tensors. Checked by running (Keras 3.15 on TensorFlow, JAX and PyTorch, CPU;
 * examples/runnable/tf_ops_plain_data.py keeps the cases):
 * - an op on the tensors reaching `call`, `train_step`, a loss, ... fails on JAX (the values are
 *   traced arrays) and on PyTorch while training (a tensor that requires grad refuses
 *   TensorFlow's conversion);
 * - so does a TF tensor made from plain data that then meets them: `x * tf.constant(2.0)` in
 *   `call`, `self.pe = tf.cast(np_table, tf.float32)` in `__init__` used in `call` (on PyTorch
 *   it fails once the tensor it meets requires grad, i.e. in training behind a trainable layer);
 * - in a learning rate schedule it meets the optimizer's step counter, which has no grad: it
 *   fails on JAX only (examples/runnable/lr_schedule_custom.py);
 * - in the methods Keras runs eagerly on configuration and shapes, an op whose value becomes a
 *   Python value (`int(tf.math.ceil(n / 2))` in `__init__`,
 *   `float(tf.sqrt(6 / fan_in))` in `build`, `tf.constant(r).numpy()` in `get_config`) runs on
 *   every backend, and so do the TF functions of shapes and configuration
 *   (`tf.compat.dimension_value`, `tf.is_tensor`): they block only running without TensorFlow,
 *   which is not a backend.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import type { Backend } from '../types';
import { inKerasClassMethod, kerasMethodName } from './model-code';
import { tfOpCall } from './op-conversion';

/** Methods of a Keras class that Keras runs eagerly on configuration and shapes, not on backend tensors. */
const EAGER_METHODS = new Set([
  '__init__',
  'build',
  'get_config',
  'from_config',
  'get_build_config',
  'build_from_config',
  'get_compile_config',
  'compile_from_config',
  'compute_output_shape'
]);

const ON_TENSORS: readonly Backend[] = ['jax', 'torch'];
const NOWHERE: readonly Backend[] = [];

/**
 * TF functions of shapes, configuration and state that give Python values on any input:
 * `tf.compat.dimension_value(input_shape[-1])` in `build`, `tf.is_tensor(x)` in `call`.
 */
const PYTHON_VALUED_TF =
  /^tf\.(compat\.dimension_value|compat\.dimension_at_index|is_tensor|executing_eagerly|TensorShape|Dimension|config\.[\w.]+|random\.set_seed|get_logger|version\.\w+)$/;

/** Calls that turn a TF result into a Python value: `int(tf.math.ceil(n / 2))`, `tf.sqrt(d).numpy()`. */
const TO_PYTHON = /^(int|float|bool|str|len)$/;

/** Whether the op's value becomes a Python value before it is kept: `int(tf.math.ceil(...))`, `tf.sqrt(x).numpy()`. */
function becomesPythonValue(call: SyntaxNode, ctx: RuleContext): boolean {
  for (let n: SyntaxNode = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (p.type === 'argument_list' && p.parent?.type === 'call') {
      const fn = child(p.parent, 'function');
      if (fn && fn.type === 'identifier' && TO_PYTHON.test(ctx.textOf(fn))) {
        return true;
      }
    } else if (p.type === 'attribute' && child(p, 'object') === n) {
      const attr = child(p, 'attribute');
      if (attr && /^(numpy|item|tolist)$/.test(ctx.textOf(attr))) {
        return true;
      }
    } else if (/statement|^block$|^module$/.test(p.type) || p.type === 'assignment' || p.type === 'augmented_assignment') {
      return false;
    }
  }
  return false;
}

const ON_TRACED: readonly Backend[] = ['jax'];

/**
 * Whether the class being walked derives from a learning rate schedule: the optimizer calls it
 * with its step counter, a variable without grad, which PyTorch hands to TensorFlow; JAX traces it.
 */
function inLearningRateSchedule(ctx: RuleContext): boolean {
  const bases = ctx.cls ? child(ctx.cls.node, 'superclasses') : null;
  return !!bases && bases.children.some(b => /\.LearningRateSchedule$/.test(ctx.resolveKeras(b) ?? ''));
}

/** The backends a TF op call in model code fails on (see the module comment). */
export function tfOpBlocks(call: SyntaxNode, ctx: RuleContext): readonly Backend[] {
  if (PYTHON_VALUED_TF.test(tfOpCall(call, ctx)?.name ?? '')) {
    return NOWHERE;
  }
  if (inKerasClassMethod(ctx) && inLearningRateSchedule(ctx)) {
    return ON_TRACED;
  }
  // In `call` or a loss the op sees tensors, and turning them into Python values fails there too.
  const method = inKerasClassMethod(ctx) ? kerasMethodName(ctx) : null;
  return method !== null && EAGER_METHODS.has(method) && becomesPythonValue(call, ctx) ? NOWHERE : ON_TENSORS;
}
