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
 * - a TF op made from plain data only (`tf.constant([1, 1], dtype=tf.int32)`, `tf.range(4)`)
 *   whose value goes straight into a `keras.ops` call runs on every backend: keras.ops converts
 *   it like NumPy data, also inside a jit-compiled JAX function; so does a value made in
 *   `__init__`/`build` and kept in `self.w` when `self.w` only ever goes into keras.ops calls. Met by an operator instead
 *   (`x * tf.constant(2.0)`) it fails on JAX, and on PyTorch when `x` requires grad;
 * - a value made a NumPy array in `__init__`/`build` (`np.asarray(tf.signal.linear_to_mel_weight_matrix(...))`,
 *   `tf.linspace(...).numpy()`) is plain data: kept for keras.ops calls (or not kept) it runs on every
 *   backend; met by an operator, JAX still takes it, PyTorch refuses it beside a tensor that requires
 *   grad (claims/tf_op_numpy_array_in_eager_methods.py);
 * - on PyTorch a TF op fails only on a tensor that requires grad: in a layer's `call`, the
 *   layer's inputs require grad in training only when a layer with trainable weights comes
 *   before it. A layer used only on the model's inputs (right after `keras.Input` or layers
 *   without weights such as an augmentation `Sequential`), whose `call` makes no tensor that
 *   requires grad itself (no sublayer call, no weight in a keras.ops call or operator: a weight
 *   handed straight to the TF op is read as data), runs on PyTorch. Where the notebook uses
 *   the layer decides, so the PyTorch claim carries a notebook-wide condition
 *   (`layerInputFacts` notes the facts at each use of a notebook layer class).
 * - the same holds for a notebook function model code calls (a mask helper called from `call`):
 *   when every call of it passes shape values and plain data only and its result goes only
 *   into other calls, and it calls only TF and keras.ops functions, nothing in it requires grad;
 *   a TF op there blocks JAX only (`noteFunctionArguments` notes the facts at each call).
 * - a function given to a `Lambda` layer is like a layer's `call`: where every `Lambda` of it gets the
 *   model's inputs (right after `keras.Input`, weightless layers before it, first in a `Sequential`)
 *   and it calls no layer, its TF ops run on PyTorch in training (claims/tf_op_in_lambda_on_inputs.py);
 *   behind a Dense they fail there, and so where the model holding it is a layer of another model
 *   (claims/tf_op_in_lambda_nested_model.py; `nestedModelFact`). A named function carries a notebook-wide condition
 *   (`noteLambdaFunctions` notes its uses).
 * - on PyTorch, tensors require grad only where the program trains (`fit`, `train_on_batch`, a
 *   `GradientTape` loop) or calls a model or layer directly on data (`model(x)`, even with
 *   `training=False`): `predict`, `evaluate` and their `*_on_batch` forms run under
 *   `torch.no_grad()`, where a TF op on a layer's tensors runs (claims/tf_op_in_call_predict_only.py).
 *   Every PyTorch claim of a TF op on tensors therefore also needs `RUNS_WITH_GRAD` somewhere
 *   (`noteGradRuns` notes it).
 * (python_kernel_hooks/tests/claims/ keeps one program per case, run on all three backends.)
 */
import { child, descendants, enclosingStatement, identifiersIn, rootOf, SyntaxNode } from '../ast';
import { FUNCTION_LAYERS, INPUT_FACTORIES, kerasSpelling, PYTHON_BUILTINS, WEIGHTLESS_LAYER } from '../knowledge';
import type { RuleContext } from '../rule';
import type { Backend } from '../types';
import { classMethodDefinitions, eagerMethodCallsLayers, eagerMethodOf, inKerasClassMethod, kerasMethodName, modelFunctionArguments } from './model-code';
import { callParts, lastAssignedValue, parameterNames } from './calls';
import { callsOnData, constructorsOfCallee, layerCalledOnData } from './layer-calls';
import { tfOpCall } from './op-conversion';
import { backendsReaching } from './backend-branch';
import { enclosingConstraintFunction } from './constraint-functions';

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

/**
 * TF functions that run on every backend while TensorFlow is installed: `tf.print` of a torch
 * tensor that requires grad and of a JAX tracer (checked in a layer's `call()` under fit() on
 * Keras 3.15: the tensor is formatted, not converted), and `with tf.name_scope(self.name):` around
 * `add_weight` in `build()` (keras.io's debugging tips: it only names TensorFlow ops; the fixed
 * Antirectifier ran on JAX and PyTorch).
 */
const EVERY_BACKEND_TF = /^tf\.(print|name_scope)$/;

/** TF assertions comparing their arguments: on static sizes they compare Python integers on every backend. */
const TF_SIZE_ASSERTION = /^tf\.debugging\.assert_(equal|none_equal|less|less_equal|greater|greater_equal)$/;

/**
 * A size known without reading a tensor on every backend: an integer, `len(...)`,
 * `keras.ops.shape(x)[i]` or `x.shape[i]`, and arithmetic on them (`2 * keras.ops.shape(x)[-1]`).
 * `tfShape`: `tf.shape(x)[i]` too (KM131's safe fix makes it `keras.ops.shape(x)[i]`).
 */
export function isStaticSize(node: SyntaxNode, ctx: RuleContext, tfShape = false, depth = 0): boolean {
  if (depth > 20) {
    return false;
  }
  switch (node.type) {
    case 'integer':
      return true;
    case 'parenthesized_expression':
    case 'unary_operator':
    case 'binary_operator':
      return node.children.every(c => c.type === 'comment' || isStaticSize(c, ctx, tfShape, depth + 1));
    case 'call': {
      const fn = child(node, 'function');
      return !!fn && fn.type === 'identifier' && ctx.textOf(fn) === 'len' && ctx.lookup('len') === undefined;
    }
    case 'subscript': {
      const value = child(node, 'value');
      if (value?.type === 'attribute') {
        return ctx.textOf(child(value, 'attribute') ?? value) === 'shape';
      }
      const fn = value?.type === 'call' ? child(value, 'function') : null;
      const name = fn ? ctx.resolve(fn) : null;
      return name === 'keras.ops.shape' || (tfShape && name === 'tensorflow.shape');
    }
    default:
      return false;
  }
}

/** Calls that turn a TF result into a Python value: `int(tf.math.ceil(n / 2))`, `float(tf.sqrt(d).numpy())`. */
const TO_PYTHON = /^(int|float|bool|str|len)$/;

/** Whether the op's value becomes a Python value before it is kept: `int(tf.math.ceil(...))`, `float(tf.sqrt(x).numpy())`, `tf.reduce_sum(x).item()`. */
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
      if (attr && /^(item|tolist)$/.test(ctx.textOf(attr))) {
        return true;
      }
    } else if (/statement|^block$|^module$/.test(p.type) || p.type === 'assignment' || p.type === 'augmented_assignment') {
      return false;
    }
  }
  return false;
}

/** NumPy's conversions of a TF result: `np.asarray(...)`, `np.array(...)`, `np.asanyarray(...)`. */
const TO_NUMPY = /^numpy\.(asarray|array|asanyarray)$/;

/**
 * The expression that turns the op's value straight into a NumPy array, or null:
 * `np.asarray(tf.signal.linear_to_mel_weight_matrix(...))` (keras.io's audio layers),
 * `np.array(tf.linspace(0.0, 1.0, n))`, `tf.range(n).numpy()`.
 */
function numpyConversionOf(call: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const p = call.parent;
  if (p?.type === 'attribute' && child(p, 'object') === call && ctx.textOf(child(p, 'attribute') ?? p) === 'numpy' && p.parent?.type === 'call' && child(p.parent, 'function') === p) {
    return p.parent;
  }
  const outer = p?.type === 'argument_list' ? p.parent : null;
  const fn = outer?.type === 'call' ? child(outer, 'function') : null;
  return outer && fn && firstArgument(outer) === call && TO_NUMPY.test(ctx.resolve(fn) ?? '') ? outer : null;
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

const TF_DTYPE = /^tensorflow\.(u?int\d+|float\d+|bfloat16|bool|string|complex\d+)$/;

/** Literals, lists and tuples of them, and TF dtypes: `[1, 1]`, `-1`, `"VALID"`, `tf.int32`. */
function isPlainData(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 20) {
    return false;
  }
  switch (node.type) {
    case 'integer':
    case 'float':
    case 'string':
    case 'concatenated_string':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'unary_operator':
    case 'parenthesized_expression':
    case 'list':
    case 'tuple':
      return node.children.every(c => c.type === 'comment' || isPlainData(c, ctx, depth + 1));
    case 'keyword_argument': {
      const value = child(node, 'value');
      return !!value && isPlainData(value, ctx, depth + 1);
    }
    case 'attribute':
      return TF_DTYPE.test(ctx.resolve(node) ?? '');
    default:
      return false;
  }
}

/** The callee of the call that `node` is an argument of (directly, or in a list/tuple or keyword argument), or null. */
function receivingCallee(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode = node;
  while (n.parent && (n.parent.type === 'list' || n.parent.type === 'tuple' || n.parent.type === 'keyword_argument')) {
    n = n.parent;
  }
  const outer = n.parent?.type === 'argument_list' ? n.parent.parent : null;
  return outer?.type === 'call' ? child(outer, 'function') : null;
}

/** Whether a call's value is an argument of a `keras.ops` call (directly or in a list/tuple argument). */
function goesIntoKerasOps(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = receivingCallee(call);
  return !!fn && (ctx.resolveKeras(fn) ?? '').startsWith('keras.ops.');
}

/** A TF op of plain data handed to keras.ops: `keras.ops.concatenate([n, tf.constant([1, 1])], 0)`. */
function isConstantForKerasOps(call: SyntaxNode, ctx: RuleContext): boolean {
  const args = child(call, 'arguments');
  return !!args && args.type === 'argument_list' && args.children.every(a => a.type === 'comment' || isPlainData(a, ctx)) && goesIntoKerasOps(call, ctx);
}

/** TF ops that make a tensor from sizes and values alone (no tensor argument). */
const CONSTANT_MAKERS = /^tf\.(zeros|ones|fill|constant|eye|range)$/;

/** Plain data or a size known without reading a tensor (`(x.shape[0], 4)`, `units * 2`), in lists/tuples/keywords too. */
function isStaticData(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 20) {
    return false;
  }
  if (isPlainData(node, ctx) || isStaticSize(node, ctx)) {
    return true;
  }
  if (node.type === 'tuple' || node.type === 'list' || node.type === 'parenthesized_expression') {
    return node.children.every(c => c.type === 'comment' || isStaticData(c, ctx, depth + 1));
  }
  const value = node.type === 'keyword_argument' ? child(node, 'value') : null;
  return !!value && isStaticData(value, ctx, depth + 1);
}

/** Whether `node` is an argument (in a list or tuple too) of a keras.ops call or of a call of a Keras layer (`self.proj(state)`). */
function handedToKeras(node: SyntaxNode, ctx: RuleContext): boolean {
  const fn = receivingCallee(node);
  if (!fn) {
    return false;
  }
  if (goesIntoKerasOps(node, ctx) || ctx.isLayerInstance(fn)) {
    return true;
  }
  // `self.proj_state(state)`: an attribute the class makes a Keras layer.
  const made = constructorsOfCallee(fn, ctx);
  return !!made && made.length > 0 && made.every(c => {
    const maker = child(c, 'function');
    return !!maker && ctx.kerasKindOfClass(maker) !== null;
  });
}

/**
 * `state = tf.zeros((inputs.shape[0], 4))` then only `self.proj_state(state)` / `keras.ops.add(x, state)`:
 * made from sizes and values alone, the tensor is a constant TensorFlow computes eagerly on every
 * backend (a JAX trace and PyTorch's autograd never reach it), and Keras layers and keras.ops take
 * it as data. Handed to a Python operator with a JAX or PyTorch tensor it fails (both run: the
 * keras.io functional API guide's zero state in a layer's call() ran on the three backends).
 */
function isConstantForKeras(call: SyntaxNode, ctx: RuleContext): boolean {
  if (!CONSTANT_MAKERS.test(tfOpCall(call, ctx)?.name ?? '')) {
    return false;
  }
  const args = child(call, 'arguments');
  if (!args || args.type !== 'argument_list' || !args.children.every(a => a.type === 'comment' || isStaticData(a, ctx))) {
    return false;
  }
  if (handedToKeras(call, ctx)) {
    return true;
  }
  // Kept in a local name of the function: every read of it hands it to Keras.
  const assignment = call.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === call ? child(assignment, 'left') : null;
  const fn = ctx.fn;
  if (!left || left.type !== 'identifier' || !fn || fn.globals.has(ctx.textOf(left))) {
    return false;
  }
  const name = ctx.textOf(left);
  const body = child(fn.node, 'body');
  let reads = 0;
  for (const n of body ? descendants(body) : []) {
    if (n.type !== 'identifier' || n === left || ctx.textOf(n) !== name) {
      continue;
    }
    const parent = n.parent;
    if (parent?.type === 'attribute' && child(parent, 'attribute') === n) {
      continue; // `obj.state`: another name
    }
    if ((parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && child(parent, 'left') === n) {
      return false; // assigned again
    }
    if (parent?.type === 'keyword_argument' && child(parent, 'name') === n) {
      continue; // `f(state=...)`: a keyword's name
    }
    if (!handedToKeras(n, ctx)) {
      return false;
    }
    reads++;
  }
  return reads > 0;
}

/**
 * `self.w = tf.Variable(np.ones(...))` in `__init__`/`build` where every other use of `self.w`
 * in the class is an argument of a keras.ops call (`keras.ops.matmul(x, self.w)`): the value
 * only ever reaches keras.ops, which takes it as data.
 */
function isKeptForKerasOps(call: SyntaxNode, ctx: RuleContext): boolean {
  // Also through operators and TF ops (`self.scale = tf.range(n, dtype=tf.float32) / 10.0`): still a TF tensor.
  const left = selfAttributeTarget(call, ctx) ?? keptGraphTensor(call, ctx, false);
  if (!left || !ctx.cls) {
    return false;
  }
  const attr = ctx.textOf(child(left, 'attribute') ?? left);
  let uses = 0;
  let ok = true;
  const visit = (n: SyntaxNode): void => {
    if (!ok || n === left) {
      return;
    }
    if (isSelfAttribute(n, ctx) && ctx.textOf(child(n, 'attribute') ?? n) === attr) {
      uses++;
      ok = goesIntoKerasOps(n, ctx);
      return;
    }
    n.children.forEach(visit);
  };
  visit(ctx.cls.node);
  return ok && uses > 0;
}

/** The attribute of `self` that `value` is assigned to (`self.table = value`), or null. */
function selfAttributeTarget(value: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const assignment = value.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === value ? child(assignment, 'left') : null;
  return left && isSelfAttribute(left, ctx) ? left : null;
}

/**
 * `keras.Variable(tf.random.normal([1, d]))` in `__init__`/`build`: the value is the variable's
 * initial value, which the backend copies into its own array when the variable is made (checked
 * with keras.io's masked autoencoder mask token on TensorFlow, JAX and PyTorch).
 */
function isVariableInitialValue(call: SyntaxNode, ctx: RuleContext): boolean {
  // Through the ops that make the value from it (keras.io's NNCLR queue:
  // `keras.Variable(keras.ops.normalize(tf.random.normal(shape), axis=1))`): computed once, eagerly.
  let node = call;
  for (let steps = 0; steps < 4 && !isDirectVariableInitialValue(node, ctx); steps++) {
    const args = node.parent?.type === 'keyword_argument' ? node.parent.parent : node.parent;
    const outer = args?.type === 'argument_list' ? args.parent : null;
    const fn = outer?.type === 'call' ? child(outer, 'function') : null;
    if (!outer || !fn || !(/^keras\.ops\./.test(ctx.resolveKeras(fn) ?? '') || /^tensorflow\.(?!keras)/.test(ctx.resolve(fn) ?? ''))) {
      return false;
    }
    node = outer;
  }
  return isDirectVariableInitialValue(node, ctx);
}

function isDirectVariableInitialValue(call: SyntaxNode, ctx: RuleContext): boolean {
  const inner = call.parent?.type === 'keyword_argument' ? call.parent : call;
  if (inner !== call && !/^(initializer|value|initial_value)$/.test(ctx.textOf(child(inner, 'name') ?? inner))) {
    return false;
  }
  const args = inner.parent;
  const outer = args?.type === 'argument_list' ? args.parent : null;
  const fn = outer?.type === 'call' ? child(outer, 'function') : null;
  const first = args?.children.find(a => a.type !== 'comment' && a.type !== '(' && a.type !== ',');
  if (!fn || !(inner === call ? first === call : true)) {
    return false;
  }
  // A tf.Variable's initial value too, where the variable only ever reaches keras.ops (which take it
  // as data); used otherwise (`x * self.w` on a JAX tracer) it keeps the claim its uses make.
  return /^keras\.(variables\.)?Variable$/.test(ctx.resolveKeras(fn) ?? '') || (ctx.resolve(fn) === 'tensorflow.Variable' && /^(initial_value|value)$|^$/.test(inner === call ? '' : ctx.textOf(child(inner, 'name') ?? inner)) && isKeptForKerasOps(outer!, ctx));
}

/** The method node (a function directly in the class body) the walk is in. */
function methodNode(ctx: RuleContext): SyntaxNode | null {
  let fn = ctx.fn;
  while (fn && !fn.classScope) {
    fn = ctx.outerFunction(fn);
  }
  return fn && fn.classScope === ctx.cls ? fn.node : null;
}

/** Names of `self` attributes holding weights or sublayers: assigned from add_weight, a Variable or a Keras layer. */
function gradAttributes(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left?.type === 'attribute' && ctx.textOf(child(left, 'object') ?? left) === 'self' && right?.type === 'call') {
        const fn = child(right, 'function');
        const callee = fn ? ctx.textOf(fn) : '';
        const canonical = fn ? (ctx.resolve(fn) ?? '') : '';
        // A tf.Variable is TensorFlow's on every backend: PyTorch never tracks grad for it.
        const tfVariable = canonical === 'tensorflow.Variable';
        if (!tfVariable && (/(^|\.)add_weight$|(^|\.)Variable$/.test(callee) || (fn && ctx.kerasKindOfClass(fn) !== null) || !fn)) {
          out.add(ctx.textOf(child(left, 'attribute') ?? left));
        }
      }
    }
    n.children.forEach(visit);
  };
  visit(cls);
  return out;
}

/**
 * Whether a layer's `call` body makes no tensor that requires grad on PyTorch: it calls no
 * method or sublayer of `self` and uses the layer's weights only as direct arguments of TF
 * ops (which read them as data).
 */
function callMakesNoGrad(method: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): boolean {
  const weights = gradAttributes(cls, ctx);
  let clean = true;
  const visit = (n: SyntaxNode): void => {
    if (!clean) {
      return;
    }
    if (n.type === 'call') {
      const fn = child(n, 'function');
      if (fn?.type === 'attribute' && ctx.textOf(child(fn, 'object') ?? fn) === 'self') {
        clean = false;
        return;
      }
      // A weight handed straight to a TF op is read as data.
      if (fn && tfOpCall(n, ctx) && !(ctx.resolveKeras(fn) ?? '').startsWith('keras.')) {
        const args = child(n, 'arguments');
        for (const a of args?.children ?? []) {
          const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
          if (value && !isSelfAttribute(value, ctx)) {
            visit(value);
          }
        }
        return;
      }
    }
    if (isSelfAttribute(n, ctx) && weights.has(ctx.textOf(child(n, 'attribute') ?? n))) {
      clean = false;
      return;
    }
    n.children.forEach(visit);
  };
  const body = child(method, 'body');
  if (body) {
    visit(body);
  }
  return clean;
}

function isSelfAttribute(n: SyntaxNode, ctx: RuleContext): boolean {
  return n.type === 'attribute' && child(n, 'object')?.type === 'identifier' && ctx.textOf(child(n, 'object')!) === 'self';
}

/** Fact: somewhere the notebook feeds layer class NAME tensors that may require grad (or uses it in a way not followed). */
export function gradInputFact(cls: string): string {
  return `layer-input:grad:${cls}`;
}

/** Fact: somewhere the notebook applies layer class NAME to inputs that need no grad. */
export function firstInputFact(cls: string): string {
  return `layer-input:first:${cls}`;
}

/**
 * The PyTorch condition of a TF op in a layer's `call` that makes no grad itself: the layer's
 * inputs may require grad somewhere it is used, or nowhere is it seen used on plain inputs.
 */
function torchCondition(ctx: RuleContext): string | null {
  if (!ctx.cls || ctx.cls.keras !== 'layer' || methodNode(ctx) === null) {
    return null;
  }
  // Values made in `__init__`/`build` meet only what `call` meets.
  const body = child(ctx.cls.node, 'body');
  const method = body?.children.map(s => (s.type === 'decorated_definition' ? child(s, 'definition') : s)).find(
    s => s?.type === 'function_definition' && ctx.textOf(child(s, 'name') ?? s) === 'call'
  );
  if (!method || !callMakesNoGrad(method, ctx.cls.node, ctx)) {
    return null;
  }
  return `anywhere:${gradInputFact(ctx.cls.name)} | !anywhere:${firstInputFact(ctx.cls.name)}`;
}

/** Fact: somewhere the notebook calls function NAME with shape values and plain data only, its result going only into calls. */
export function shapeArgumentsFact(name: string): string {
  return `fn-args:shape:${name}`;
}

/** Fact: somewhere the notebook calls function NAME otherwise. */
export function otherArgumentsFact(name: string): string {
  return `fn-args:other:${name}`;
}

/** Shape values and plain data: `keras.ops.shape(x)[0]`, `x.shape[1]`, `tf.shape(x)`, `n - 1`, `tf.bool`, or a name last assigned one. */
function isShapeValue(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 8) {
    return false;
  }
  if (isPlainData(node, ctx)) {
    return true;
  }
  switch (node.type) {
    case 'identifier': {
      if (ctx.isSymbolic(node)) {
        return false;
      }
      const value = lastAssignedValue(ctx.textOf(node), node, ctx);
      return !!value && isShapeValue(value, ctx, depth + 1);
    }
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && isShapeValue(value, ctx, depth + 1);
    }
    case 'attribute':
      return ctx.textOf(child(node, 'attribute') ?? node) === 'shape';
    case 'binary_operator':
    case 'parenthesized_expression':
      return node.children.every(c => c.type === 'comment' || isShapeValue(c, ctx, depth + 1));
    case 'call': {
      const fn = child(node, 'function');
      const name = fn ? (ctx.resolve(fn) ?? '') : '';
      // tf.shape on a tensor that requires grad fails on PyTorch, but that is its own finding.
      return /^(keras\.ops\.shape|tensorflow\.keras\.ops\.shape|tensorflow\.shape)$/.test(name);
    }
    default:
      return false;
  }
}

/** Whether a call's value only goes into other calls: an argument, or a name used only as arguments later in the block. */
function resultOnlyIntoCalls(call: SyntaxNode, ctx: RuleContext): boolean {
  const parent = call.parent;
  if (parent?.type === 'argument_list' || (parent?.type === 'keyword_argument' && child(parent, 'value') === call)) {
    return true;
  }
  const left = parent?.type === 'assignment' && child(parent, 'right') === call ? child(parent, 'left') : null;
  const statement = parent?.parent;
  const block = statement?.parent;
  if (!left || left.type !== 'identifier' || statement?.type !== 'expression_statement' || !block) {
    return false;
  }
  const name = ctx.textOf(left);
  let ok = true;
  const visit = (n: SyntaxNode): void => {
    if (!ok) {
      return;
    }
    if (n.type === 'identifier' && ctx.textOf(n) === name) {
      const p = n.parent;
      ok = p?.type === 'argument_list' || (p?.type === 'keyword_argument' && child(p, 'value') === n);
      return;
    }
    n.children.forEach(visit);
  };
  block.children.slice(block.children.indexOf(statement) + 1).forEach(visit);
  return ok;
}

/**
 * Notes how the notebook calls a function of its own (`causal_attention_mask(batch_size, n, n,
 * tf.bool)`): with shape values and plain data only, its result going only into other calls,
 * or otherwise. Called on every call node.
 */
export function noteFunctionArguments(call: SyntaxNode, ctx: RuleContext): void {
  const fn = child(call, 'function');
  if (!fn || fn.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(fn);
  // Once some call passes other values, the function's condition (`functionTorchCondition`) holds whatever the others pass.
  if (PYTHON_BUILTINS.has(name) || ctx.lookup(name) !== undefined || ctx.noted(otherArgumentsFact(name))) {
    return;
  }
  const args = child(call, 'arguments');
  const plain =
    !!args &&
    args.type === 'argument_list' &&
    args.children.every(a => {
      const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
      return a.type === 'comment' || (!!value && value.type !== 'list_splat' && value.type !== 'dictionary_splat' && isShapeValue(value, ctx));
    }) &&
    resultOnlyIntoCalls(call, ctx);
  ctx.note(plain ? shapeArgumentsFact(name) : otherArgumentsFact(name));
}

/**
 * The PyTorch condition of a TF op in a notebook function whose calls are all keras.ops and TF
 * calls: fed only shape values and plain data, nothing in it requires grad, and its result goes
 * only into other calls (a Keras layer or keras.ops converts it).
 */
function functionTorchCondition(ctx: RuleContext): string | null {
  const fn = ctx.notebookFunction();
  if (!fn || ctx.cls) {
    return null;
  }
  const body = child(fn.node, 'body');
  const clean = !body || makesNoGrad(body.children, ctx, false);
  return clean ? `anywhere:${otherArgumentsFact(fn.name)} | !anywhere:${shapeArgumentsFact(fn.name)}` : null;
}

/** Fact: the notebook trains or runs a model or layer on data outside predict/evaluate, where PyTorch tensors may require grad. */
export const RUNS_WITH_GRAD = 'runs-with-grad';

/** Methods that run a model with grad enabled on PyTorch (predict/evaluate and their batch forms run under no_grad). */
const GRAD_METHODS = /^(fit|fit_generator|train_on_batch|apply_gradients|minimize)$/;

/**
 * Notes `RUNS_WITH_GRAD` at a call that runs model code with grad enabled on PyTorch: a training
 * method, a `GradientTape`, or a layer or model instance called directly on values that are not
 * KerasTensors outside a Keras class (`model(x)`, `logits = model(x, training=True)` in a loop,
 * `vae.decoder(z)`; not `model.predict(x)` and the other methods in LAYER_METHODS).
 * Called on every call node; does nothing once RUNS_WITH_GRAD is known to hold (RuleContext.noted).
 */
export function noteGradRuns(call: SyntaxNode, ctx: RuleContext): void {
  const fn = child(call, 'function');
  if (fn) {
    noteGradRunOfName(call, fn, ctx);
  }
  // Every fact noted here (the layer arguments and implications too) only leads to RUNS_WITH_GRAD.
  if (!fn || ctx.noted(RUNS_WITH_GRAD)) {
    return;
  }
  const last = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : fn.type === 'identifier' ? ctx.textOf(fn) : '';
  if ((fn.type === 'attribute' && GRAD_METHODS.test(last)) || last === 'GradientTape') {
    ctx.note(RUNS_WITH_GRAD);
    return;
  }
  noteLayerArguments(call, fn, ctx);
  // `vae.decoder(z)` calls a sublayer; `model.predict(x)` and the other Model/Layer methods do not
  // run with grad (or are no calls of a layer at all).
  if (ctx.cls?.keras || (fn.type !== 'identifier' && !(fn.type === 'attribute' && !LAYER_METHODS.test(last)))) {
    return;
  }
  if (!callsOnData(call, ctx)) {
    return;
  }
  if (layerCalledOnData(call, fn, ctx)) {
    ctx.note(RUNS_WITH_GRAD);
    return;
  }
  // `def run(net, x): return net(x)`: runs with grad where the notebook passes `run` a layer or model.
  for (const key of parameterKeys(fn, ctx)) {
    ctx.note(implication(layerArgumentFact(key), RUNS_WITH_GRAD));
  }
}

/** Fact: somewhere the notebook passes a layer or model as argument KEY (`train:#0`, `train:model`) of notebook function NAME. */
function layerArgumentFact(key: string): string {
  return `layer-arg:${key}`;
}

/** A fact the notebook derives: `conclusion` holds wherever `premise` does (notebook.ts joins them). */
function implication(premise: string, conclusion: string): string {
  return `if:${premise}=>${conclusion}`;
}

/**
 * For a name that is a parameter of the notebook function the walk is in (`net` in `def run(net,
 * x)`): the keys of its position and name (`run:#0`, `run:net`), else none.
 */
function parameterKeys(name: SyntaxNode, ctx: RuleContext): string[] {
  const outer = ctx.notebookFunction();
  if (!outer || name.type !== 'identifier' || ctx.fn !== outer) {
    return [];
  }
  const text = ctx.textOf(name);
  const params = child(outer.node, 'parameters');
  let index = 0;
  for (const p of params?.children ?? []) {
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') {
      break;
    }
    const id = p.type === 'identifier' ? p : p.type === 'default_parameter' || p.type === 'typed_parameter' || p.type === 'typed_default_parameter' ? (child(p, 'name') ?? p.children.find(c => c.type === 'identifier') ?? null) : null;
    if (!id) {
      continue;
    }
    if (ctx.textOf(id) === text) {
      return [`${outer.name}:#${index}`, `${outer.name}:${text}`];
    }
    index++;
  }
  return [];
}

/**
 * At a call of a notebook function (`train(model, x)`, `train(model=model)`): notes which of its
 * arguments are layers or models, and, for a parameter of the enclosing function passed on
 * (`fit_loop(net)` in `train(net)`), that it is one wherever that parameter is.
 */
function noteLayerArguments(call: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): void {
  if (fn.type !== 'identifier') {
    return;
  }
  const callee = ctx.textOf(fn);
  if (PYTHON_BUILTINS.has(callee) || ctx.lookup(callee) !== undefined) {
    return;
  }
  const args = child(call, 'arguments');
  // `apply(layer, inputs)` on KerasTensors builds a Functional model: no run on data.
  const values = (args?.children ?? []).map(a => (a.type === 'keyword_argument' ? child(a, 'value') : a));
  if (values.some(v => v && ctx.isSymbolic(v))) {
    return;
  }
  let index = 0;
  for (const a of args?.children ?? []) {
    if (a.type === 'comment') {
      continue;
    }
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      break;
    }
    const keyword = a.type === 'keyword_argument' ? child(a, 'name') : null;
    const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
    const key = keyword ? `${callee}:${ctx.textOf(keyword)}` : `${callee}:#${index++}`;
    if (!value || value.type !== 'identifier') {
      continue;
    }
    if (ctx.isLayerInstance(value)) {
      ctx.note(layerArgumentFact(key));
    } else {
      for (const param of parameterKeys(value, ctx)) {
        ctx.note(implication(layerArgumentFact(param), layerArgumentFact(key)));
      }
    }
  }
}

/** Methods of Keras models and layers that are no call of a (sub)layer on data with grad. */
const LAYER_METHODS =
  /^(predict|evaluate|predict_on_batch|test_on_batch|predict_step|test_step|summary|compile|save|save_weights|load_weights|export|get_layer|get_config|from_config|get_weights|set_weights|build|count_params|to_json|add|pop|reset_states|reset_metrics|compute_output_shape|compute_output_spec|get_build_config|stateless_call|quantize|add_weight|add_loss|add_metric|trainable_variables|variables|weights|layers)$/;

/** `condition` (alternatives joined by ` | `) with `fact` required in every alternative. */
export function alsoNeeds(condition: string, fact: string): string {
  return condition
    .split(' | ')
    .map(part => `${part} & ${fact}`)
    .join(' | ');
}

/** Fact: the model or layer bound to `name` is trained (`name.fit(...)`) or called directly (`name(x)`), so it may run with grad on PyTorch. */
export function runsWithGradFact(name: string): string {
  return `${RUNS_WITH_GRAD}:${name}`;
}

/**
 * Notes runsWithGradFact for the name a training method is called on, and for a name called with
 * arguments (any name but Python's builtins: noting too many only keeps a claim).
 */
function noteGradRunOfName(call: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): void {
  if (fn.type === 'attribute') {
    const object = child(fn, 'object');
    const method = child(fn, 'attribute');
    if (object?.type === 'identifier' && method && GRAD_METHODS.test(ctx.textOf(method))) {
      ctx.note(runsWithGradFact(ctx.textOf(object)));
    }
  } else if (fn.type === 'identifier' && (child(call, 'arguments')?.children.length ?? 0) > 0) {
    const name = ctx.textOf(fn);
    if (!PYTHON_BUILTINS.has(name)) {
      ctx.note(runsWithGradFact(name));
    }
  }
}

const LAMBDA_LAYER = /^keras\.layers\.(core\.)?Lambda$/;
const FUNCTIONAL_MODEL = /^keras\.(models\.)?Model$/;

/**
 * The names of the functional models built, at the top level of the cell, on the output of the
 * `Lambda` layer whose function holds `call` (`layer = Lambda(lambda t: ...)`, `y = layer(x)`,
 * names made from `y` by further calls, `sampler = keras.Model(inputs, y)`); null where the call is
 * in no such function or no model is found. On PyTorch that function gets tensors that require
 * grad only where one of those models is trained or called directly (keras.io's VQ-VAE sampler,
 * only ever given to `predict`, runs a TF op there).
 */
function lambdaLayerModels(call: SyntaxNode, ctx: RuleContext): string[] | null {
  let lambda: SyntaxNode | null = call.parent;
  for (let steps = 0; lambda && lambda.type !== 'lambda' && steps < 200; lambda = lambda.parent, steps++) {
    if (lambda.type === 'function_definition' || lambda.type === 'class_definition') {
      return null;
    }
  }
  const layerCall = lambda?.parent?.type === 'argument_list' ? lambda.parent.parent : null;
  const callee = layerCall ? child(layerCall, 'function') : null;
  if (!layerCall || !callee || !LAMBDA_LAYER.test(kerasSpelling(ctx.resolve(callee)) ?? '')) {
    return null;
  }
  const assignment = layerCall.parent;
  const statement = assignment?.type === 'assignment' ? assignment.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  if (!statement || statement.parent?.type !== 'module' || target?.type !== 'identifier') {
    return null;
  }
  const reached = new Set([ctx.textOf(target)]);
  const models: string[] = [];
  for (const later of statement.parent.children) {
    if (later.start <= statement.start || later.type !== 'expression_statement') {
      continue;
    }
    const e = later.children[0];
    const left = e?.type === 'assignment' ? child(e, 'left') : null;
    const value = e?.type === 'assignment' ? child(e, 'right') : null;
    if (!left || left.type !== 'identifier' || value?.type !== 'call') {
      continue;
    }
    if (!identifiersIn(value).some(id => reached.has(ctx.textOf(id)))) {
      continue;
    }
    const f = child(value, 'function');
    if (f && FUNCTIONAL_MODEL.test(kerasSpelling(ctx.resolve(f)) ?? '')) {
      models.push(ctx.textOf(left));
    } else {
      reached.add(ctx.textOf(left));
    }
  }
  return models.length ? models : null;
}

/** The `Lambda(...)` (or `Activation(...)`) call whose function argument (first positional or `function=`) is NODE, or null. */
function functionLayerCallOf(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let arg: SyntaxNode = node;
  if (arg.parent?.type === 'keyword_argument') {
    if (ctx.textOf(child(arg.parent, 'name') ?? arg.parent) !== 'function') {
      return null;
    }
    arg = arg.parent;
  }
  const list = arg.parent;
  const layerCall = list?.type === 'argument_list' ? list.parent : null;
  const callee = layerCall?.type === 'call' ? child(layerCall, 'function') : null;
  if (!layerCall || !callee || !FUNCTION_LAYERS.has(ctx.resolveKeras(callee) ?? '')) {
    return null;
  }
  return arg.type === 'keyword_argument' || firstArgument(layerCall) === node ? layerCall : null;
}

/**
 * Whether code makes no tensor that requires grad itself: every call in it is a TensorFlow or
 * `keras.ops` call (no layer or model), with `plainCalls` NumPy and Python builtin calls too, and it
 * holds no nested function (with `plainCalls`, no class either). Fed tensors that need no grad, its
 * TF ops then run on PyTorch.
 */
function makesNoGrad(nodes: readonly SyntaxNode[], ctx: RuleContext, plainCalls: boolean): boolean {
  const modules = plainCalls ? /^(tensorflow|keras|numpy)\./ : /^(tensorflow|keras)\./;
  let clean = true;
  const visit = (n: SyntaxNode): void => {
    if (!clean) {
      return;
    }
    if (n.type === 'call') {
      const f = child(n, 'function');
      const name = f ? (ctx.resolve(f) ?? '') : '';
      const builtin = plainCalls && f?.type === 'identifier' && PYTHON_BUILTINS.has(ctx.textOf(f)) && ctx.lookup(ctx.textOf(f)) === undefined;
      if (!builtin && (!modules.test(name) || /^(tensorflow\.)?keras\.(layers|models|Model|Sequential)/.test(name))) {
        clean = false;
        return;
      }
    }
    if (n.type === 'lambda' || n.type === 'function_definition' || (plainCalls && n.type === 'class_definition')) {
      clean = false;
      return;
    }
    n.children.forEach(visit);
  };
  nodes.forEach(visit);
  return clean;
}

/** Whether a function body makes no tensor that requires grad itself (makesNoGrad, NumPy and builtins allowed). */
function bodyMakesNoGrad(body: SyntaxNode, ctx: RuleContext): boolean {
  return makesNoGrad([body], ctx, true);
}

/**
 * A TF op in a lambda given straight to a `Lambda` layer (`keras.layers.Lambda(lambda t: tf.math.square(t))`)
 * whose every use feeds it tensors that need no grad (`Lambda(...)(inputs)` on `keras.Input`, first in
 * a `Sequential`, after weightless layers only; layerGetsNoGrad), the lambda making none itself:
 * PyTorch runs it in training too (checked on Keras 3.15; behind a Dense it fails).
 */
function inlineLambdaGetsNoGrad(call: SyntaxNode, ctx: RuleContext): string[] | null {
  let lambda: SyntaxNode | null = call.parent;
  for (let steps = 0; lambda && lambda.type !== 'lambda' && steps < 200; lambda = lambda.parent, steps++) {
    if (lambda.type === 'function_definition' || lambda.type === 'class_definition') {
      return null;
    }
  }
  const layerCall = lambda ? functionLayerCallOf(lambda, ctx) : null;
  const body = lambda ? child(lambda, 'body') : null;
  return layerCall && body && bodyMakesNoGrad(body, ctx) && layerGetsNoGrad(layerCall, ctx) ? containerModels(layerCall, ctx) : null;
}

/** Fact: the model or layer bound to NAME is used as a layer of another model (in a `Sequential` list, called on KerasTensors, handed to a call). */
export function nestedModelFact(name: string): string {
  return `layer-nested:${name}`;
}

/** The `keras.Input(...)` names a layer input comes from, through layers called on them (`Rescaling(0.5)(inputs)`), or null. */
function inputNames(node: SyntaxNode, ctx: RuleContext, depth = 0): string[] | null {
  if (depth > 8) {
    return null;
  }
  if (node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    if (value?.type === 'call' && INPUT_FACTORIES.has(ctx.resolveKeras(child(value, 'function')!) ?? '')) {
      return [ctx.textOf(node)];
    }
    return value ? inputNames(value, ctx, depth + 1) : null;
  }
  const arg = node.type === 'call' ? firstArgument(node) : null;
  return arg ? inputNames(arg, ctx, depth + 1) : null;
}

/**
 * The names of the models that hold this `Lambda(...)` layer: the `Sequential` it is an entry of
 * (`disc = keras.Sequential([keras.Input(...), keras.layers.Lambda(...), ...])`), or the functional
 * models built in the same block on the `keras.Input` it gets (`model = keras.Model(inputs, ...)`).
 * Used as a layer of another model (a GAN's `Sequential([generator, disc])`), they get tensors that
 * require grad: the PyTorch claim then holds. Null where no holder is found (the claim is kept).
 */
function containerModels(layerCall: SyntaxNode, ctx: RuleContext): string[] | null {
  const parent = layerCall.parent;
  const assignedName = (value: SyntaxNode | null | undefined): string | null => {
    const a = value?.parent;
    const left = a?.type === 'assignment' && child(a, 'right') === value ? child(a, 'left') : null;
    return left?.type === 'identifier' ? ctx.textOf(left) : null;
  };
  if (parent?.type === 'list' || parent?.type === 'tuple') {
    const seq = parent.parent?.type === 'argument_list' ? parent.parent.parent : null;
    const name = assignedName(seq);
    return name ? [name] : null;
  }
  // `Lambda(f)(x)` or `layer = Lambda(f)` then `layer(x)`: the models built on x's inputs.
  const use = parent?.type === 'call' && child(parent, 'function') === layerCall ? parent : null;
  let arg = use ? firstArgument(use) : null;
  if (!arg) {
    const name = assignedName(layerCall);
    const block = layerCall.parent?.parent?.parent;
    const calls: SyntaxNode[] = [];
    const visit = (n: SyntaxNode): void => {
      if (n.type === 'call' && child(n, 'function')?.type === 'identifier' && ctx.textOf(child(n, 'function')!) === name) {
        calls.push(n);
      }
      n.children.forEach(visit);
    };
    if (name && block) {
      visit(block);
    }
    arg = calls.length === 1 ? firstArgument(calls[0]) : null;
  }
  const inputs = arg ? inputNames(arg, ctx) : null;
  const statement = layerCall.parent ? enclosingStatement(layerCall) : null;
  const block = statement?.parent;
  if (!inputs || !block) {
    return null;
  }
  const models: string[] = [];
  const factory = block.parent?.type === 'function_definition' ? block.parent : null;
  const factoryName = factory && (factory.parent?.type === 'module' || factory.parent?.parent?.type === 'module') ? child(factory, 'name') : null;
  for (const later of block.children) {
    const e = later.type === 'expression_statement' ? later.children[0] : null;
    // `return keras.Model([images, noise_variances], x)` in a model factory (keras.io DDIM's
    // get_network): the holders are what its calls return (factoryModelName, noteNestedModels).
    const returned = later.type === 'return_statement' && factoryName ? later.children.find(c => c.type === 'call') ?? null : null;
    const value = e?.type === 'assignment' ? child(e, 'right') : returned;
    const f = value?.type === 'call' ? child(value, 'function') : null;
    const name = returned && value === returned ? factoryModelName(ctx.textOf(factoryName!)) : assignedName(value);
    if (f && name && /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(f) ?? '') && identifiersIn(value!).some(id => inputs.includes(ctx.textOf(id)))) {
      models.push(name);
    }
  }
  return models.length ? models : null;
}

/** The holder name (nestedModelFact) of the models a notebook function returns (`get_network()`). */
function factoryModelName(fn: string): string {
  return `${fn}()`;
}

/** `self.network` (a name, or an attribute of `self`): the holder names noteNestedModels follows; else null. */
function holderName(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (node?.type === 'identifier') {
    return ctx.textOf(node);
  }
  const obj = node?.type === 'attribute' ? child(node, 'object') : null;
  return obj?.type === 'identifier' && ctx.textOf(obj) === 'self' && child(node!, 'attribute') ? ctx.textOf(node!) : null;
}

/**
 * Notes nestedModelFact for layer and model instances used as layers of another model: an entry of
 * a `Sequential` list, called on KerasTensors or on another layer's output, or handed to any call
 * (a GAN class, `clone_model`).
 * Called on every call node.
 */
function noteNestedModels(call: SyntaxNode, ctx: RuleContext): void {
  const fn = child(call, 'function');
  const self = fn?.type === 'attribute' ? holderName(fn, ctx) : null;
  if ((fn?.type === 'identifier' && ctx.isLayerInstance(fn)) || self) {
    // On KerasTensors, or on what another layer returns (`discriminator(generator(z))`, `fake = generator(z)`,
    // `self.network(self.encoder(x))`); for `self.X(...)` a list of inputs is looked into too.
    const first = firstArgument(call);
    const args = self && first?.type === 'list' ? first.children : [first];
    for (const arg of args) {
      const value = arg?.type === 'identifier' && !ctx.isSymbolic(arg) ? lastAssignedValue(ctx.textOf(arg), arg, ctx) : arg;
      const maker = value?.type === 'call' ? child(value, 'function') : null;
      if (arg && (ctx.isSymbolic(arg) || (maker?.type === 'identifier' && ctx.isLayerInstance(maker)) || (maker?.type === 'attribute' && madeBySelfLayer(maker, ctx)))) {
        ctx.note(nestedModelFact(self ?? ctx.textOf(fn!)));
        break;
      }
    }
  }
  // A model a notebook function returns (`self.network = get_network(...)`): nested where the name
  // or attribute it is bound to is, or wherever else its call's result goes (a list, a call, ...).
  if (fn?.type === 'identifier' && ctx.lookup(ctx.textOf(fn))?.kind === 'factory') {
    const made = nestedModelFact(factoryModelName(ctx.textOf(fn)));
    const parent = call.parent;
    const target = parent?.type === 'assignment' && child(parent, 'right') === call ? holderName(child(parent, 'left'), ctx) : null;
    if (target) {
      ctx.note(`if:${nestedModelFact(target)}=>${made}`);
    } else if (parent?.type !== 'expression_statement') {
      ctx.note(made);
    }
  }
  // `keras.models.clone_model(self.network)`: the clone holds the same layers, nested where the clone is.
  const callee = fn ? ctx.resolveKeras(fn) : null;
  const cloned = callee === 'keras.models.clone_model' ? holderName(firstArgument(call), ctx) : null;
  if (cloned) {
    const parent = call.parent;
    const target = parent?.type === 'assignment' && child(parent, 'right') === call ? holderName(child(parent, 'left'), ctx) : null;
    ctx.note(target ? `if:${nestedModelFact(target)}=>${nestedModelFact(cloned)}` : nestedModelFact(cloned));
  }
  const args = child(call, 'arguments');
  for (const a of args?.type === 'argument_list' ? args.children : []) {
    const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
    const items = value && (value.type === 'list' || value.type === 'tuple') ? value.children : value ? [value] : [];
    for (const item of items) {
      if (item.type === 'identifier' && (ctx.isLayerInstance(item) || madeAsModel(item, ctx)) && !(cloned && item === firstArgument(call))) {
        ctx.note(nestedModelFact(ctx.textOf(item)));
      } else if (item.type === 'attribute' && !cloned && holderName(item, ctx)) {
        ctx.note(nestedModelFact(ctx.textOf(item)));
      }
    }
  }
}

/** A name last assigned a clone (`keras.models.clone_model(...)`) or what a model factory of the notebook returns. */
function madeAsModel(name: SyntaxNode, ctx: RuleContext): boolean {
  const value = lastAssignedValue(ctx.textOf(name), name, ctx);
  const f = value?.type === 'call' ? child(value, 'function') : null;
  return !!f && (ctx.resolveKeras(f) === 'keras.models.clone_model' || (f.type === 'identifier' && ctx.lookup(ctx.textOf(f))?.kind === 'factory'));
}

/** `self.encoder` in `self.encoder(x)`: an attribute of `self` that is no method of the class around (a layer, probably). */
function madeBySelfLayer(maker: SyntaxNode, ctx: RuleContext): boolean {
  const attr = child(maker, 'attribute');
  if (!holderName(maker, ctx) || !attr) {
    return false;
  }
  const cls = ctx.cls?.node;
  return !cls || !classMethodDefinitions(cls, ctx).has(ctx.textOf(attr));
}

/** Fact: somewhere the notebook gives function NAME to a `Lambda` layer whose inputs need no grad. */
export function lambdaNoGradFact(name: string): string {
  return `lambda-fn:first:${name}`;
}

/** Fact: somewhere the notebook gives function NAME to a `Lambda` layer whose inputs may require grad. */
export function lambdaGradFact(name: string): string {
  return `lambda-fn:grad:${name}`;
}

/** Fact: somewhere the notebook passes function NAME to another call (a loss, `tf.map_fn`, ...) than a `Lambda` layer. */
export function functionPassedFact(name: string): string {
  return `fn-passed:${name}`;
}

/**
 * Notes how the notebook uses its functions as `Lambda` functions (`keras.layers.Lambda(pixel_norm)(inputs)`):
 * on inputs that need no grad or otherwise, and where it passes a name to any other call inside a
 * function or as a loss, activation, ... argument. Called on every call node.
 */
export function noteLambdaFunctions(call: SyntaxNode, ctx: RuleContext): void {
  noteNestedModels(call, ctx);
  const args = child(call, 'arguments');
  if (!args || args.type !== 'argument_list') {
    return;
  }
  const fn = child(call, 'function');
  const functionLayer = !!fn && FUNCTION_LAYERS.has(ctx.resolveKeras(fn) ?? '');
  const parts = ctx.fn === null ? callParts(call, ctx) : null;
  // Outside functions only what Keras runs: a loss, metric, activation, ... (`compile("adam", my_loss)` too).
  const handed = new Set(parts ? modelFunctionArguments(parts, ctx) : []);
  for (const a of args.children) {
    const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
    if (!value || value.type !== 'identifier') {
      continue;
    }
    const name = ctx.textOf(value);
    if (functionLayer && functionLayerCallOf(value, ctx) === call) {
      const holders = layerGetsNoGrad(call, ctx) ? containerModels(call, ctx) : null;
      ctx.note(holders ? lambdaNoGradFact(name) : lambdaGradFact(name));
      // A holder used as a layer of another model feeds the function tensors that require grad.
      holders?.forEach(m => ctx.note(`if:${nestedModelFact(m)}=>${lambdaGradFact(name)}`));
    } else if ((ctx.fn !== null || handed.has(name)) && ctx.lookup(name) === undefined && ctx.functionBinding(name) === null && !PYTHON_BUILTINS.has(name) && !ctx.isSymbolic(value)) {
      // A global name (not a parameter or local of the functions around): maybe a notebook function.
      ctx.note(functionPassedFact(name));
    }
  }
}

/**
 * The PyTorch condition of a TF op in a notebook function given to a `Lambda` layer
 * (`def pixel_norm(t): ...`, `keras.layers.Lambda(pixel_norm)(inputs)`) that makes no grad itself:
 * the op meets tensors that require grad where a `Lambda` of it gets such inputs, where the notebook
 * calls it (`fn-args:other`; `fn-args:shape` too unless functionTorchCondition clears such calls) or
 * passes it elsewhere, or where it is seen neither in such a `Lambda` nor (where cleared) in such calls.
 * Null in a function that makes grad itself, or outside notebook functions.
 */
function lambdaFunctionTorchCondition(ctx: RuleContext): string | null {
  const fn = ctx.notebookFunction();
  const body = fn ? child(fn.node, 'body') : null;
  if (!fn || !body || ctx.cls || !bodyMakesNoGrad(body, ctx)) {
    return null;
  }
  const name = fn.name;
  // Calls with shape values only are safe uses too where functionTorchCondition holds (its stricter test).
  const unused = functionTorchCondition(ctx) !== null
    ? [`!anywhere:${shapeArgumentsFact(name)} & !anywhere:${lambdaNoGradFact(name)}`]
    : [`anywhere:${shapeArgumentsFact(name)}`, `!anywhere:${lambdaNoGradFact(name)}`];
  return [`anywhere:${lambdaGradFact(name)}`, `anywhere:${functionPassedFact(name)}`, `anywhere:${otherArgumentsFact(name)}`, ...unused].join(' | ');
}

/** What a TF op call in model code fails on, and why (see the module comment). */
export interface TfOpClaim {
  blocks: readonly Backend[];
  /** Per backend, the notebook-wide condition under which that claim holds (ctx.report's blocksOnlyIf). */
  blocksOnlyIf?: Partial<Record<Backend, string>>;
  /**
   * 'python': becomes a Python value; 'constant': data only keras.ops gets; 'traced': JAX only;
   * 'tensors': JAX and PyTorch; 'eager': in a method run eagerly (PyTorch only behind a direct layer call);
   * 'numpy': made a NumPy array where Keras runs eagerly, met by the tensors other than in keras.ops (PyTorch only);
   * 'condition': made of Python values and read only by a Python `if` in traced code (no backend; JAX
   * computes it once, when it traces the step).
   */
  reason: 'python' | 'constant' | 'traced' | 'tensors' | 'eager' | 'numpy' | 'condition';
  /** A backend tensor's `.dtype` is an argument: a `torch.dtype` on PyTorch, which TensorFlow refuses whatever the grad. */
  backendDtype?: boolean;
  /** On PyTorch the op fails only behind a layer with weights (the layer's own inputs may need no grad). */
  weightsMatter?: boolean;
  /** In `build()`: the tensor kept in this `self.attr` also fails on TensorFlow where the layer is built in another layer's traced call (withBuildGraph). */
  buildGraph?: string;
  /** In `compute_mask`: also fails on every backend where the layer is called on KerasTensors (withFunctionalMask). */
  functionalMask?: boolean;
  /**
   * Set when tests of `keras.backend.backend()` around the call keep it from some backend whose
   * claim it would otherwise carry: the backends that still run it (`blocks` is already narrowed).
   */
  reaching?: readonly Backend[];
}

/** The backends a TF op call in model code fails on, narrowed to those the `keras.backend.backend()` tests around it let through. */
export function tfOpClaim(call: SyntaxNode, ctx: RuleContext, eager = false): TfOpClaim {
  const claim = withBuildGraph(withFunctionalMask(unbranchedTfOpClaim(call, ctx, eager), ctx), call, ctx);
  if (!claim.blocks.length) {
    return claim;
  }
  // A constraint runs after the optimizer's step, without grad: PyTorch's tensors reach TF ops there
  // as they reach eager code (checked on Keras 3.15, /work/og46a repro_7: `kernel_constraint=lambda w: tf.clip_by_value(...)`).
  if (enclosingConstraintFunction(call, ctx)) {
    const blocks: Backend[] = claim.blocks.filter(b => b !== 'torch');
    const blocksOnlyIf = claim.blocksOnlyIf && Object.fromEntries(Object.entries(claim.blocksOnlyIf).filter(([b]) => blocks.includes(b as Backend)));
    return { ...claim, blocks, blocksOnlyIf, reason: blocks.length ? 'traced' : claim.reason, weightsMatter: false };
  }
  const reaching = backendsReaching(call, ctx);
  if (!reaching || claim.blocks.every(b => reaching.includes(b))) {
    return claim;
  }
  const blocks = claim.blocks.filter(b => reaching.includes(b));
  const blocksOnlyIf = claim.blocksOnlyIf && Object.fromEntries(Object.entries(claim.blocksOnlyIf).filter(([b]) => blocks.includes(b as Backend)));
  return { ...claim, blocks, blocksOnlyIf, reaching };
}

/**
 * A TF op in a layer's `build()` whose tensor is kept in `self.attr` (`self.scale = tf.range(n) / 10.0`)
 * and read elsewhere in the class: where the layer is a sublayer first built inside another layer's
 * call on KerasTensors (builtInSymbolicCallFact) or a sublayer of a subclassed Model that `fit`
 * builds (modelSublayerFact), TensorFlow builds it inside the graph Keras traces to infer the
 * parent's output, and the kept tensor is "out of scope" at every later use, also in a
 * `keras.ops` call (checked on Keras 3.15; claims/tf_op_tensor_in_sublayer_build.py). JAX and PyTorch
 * keep their own claims (a TF tensor is concrete there: keras.ops calls take it, operators with the
 * backend's tensors fail).
 */
function withBuildGraph(claim: TfOpClaim, call: SyntaxNode, ctx: RuleContext): TfOpClaim {
  if (claim.reason === 'python' || claim.reason === 'numpy' || claim.blocks.includes('tensorflow') || !ctx.cls || ctx.cls.keras !== 'layer' || !inKerasClassMethod(ctx) || kerasMethodName(ctx) !== 'build') {
    return claim;
  }
  const kept = keptGraphTensor(call, ctx);
  if (!kept || !maybeSublayer(ctx.cls.name, ctx)) {
    return claim;
  }
  const attr = ctx.textOf(child(kept, 'attribute') ?? kept);
  let read = false;
  const visit = (n: SyntaxNode): void => {
    if (read || n === kept) {
      return;
    }
    if (isSelfAttribute(n, ctx) && ctx.textOf(child(n, 'attribute') ?? n) === attr) {
      const a = n.parent;
      read = !(a?.type === 'assignment' && child(a, 'left') === n);
      return;
    }
    n.children.forEach(visit);
  };
  visit(ctx.cls.node);
  if (!read) {
    return claim;
  }
  const blocksOnlyIf = { ...claim.blocksOnlyIf, tensorflow: `anywhere:${builtInSymbolicCallFact(ctx.cls.name)} | anywhere:${modelSublayerFact(ctx.cls.name)}` };
  return { ...claim, blocks: ['tensorflow', ...claim.blocks], blocksOnlyIf, buildGraph: ctx.textOf(kept) };
}

/**
 * Whether layer class CLS may be a sublayer: made as `self.attr = CLS(...)` somewhere in this cell,
 * or so noted by an earlier cell (the facts withBuildGraph's claim is conditioned on).
 */
function maybeSublayer(cls: string, ctx: RuleContext): boolean {
  if (ctx.noted(builtInSymbolicCallFact(cls)) || ctx.noted(modelSublayerFact(cls))) {
    return true;
  }
  for (const n of descendants(rootOf(ctx.cls!.node))) {
    if (n.type === 'call') {
      const f = child(n, 'function');
      const a = n.parent;
      const left = a?.type === 'assignment' && child(a, 'right') === n ? child(a, 'left') : null;
      if (f?.type === 'identifier' && ctx.textOf(f) === cls && left && isSelfAttribute(left, ctx)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The `self.attr` a TF op's tensor is assigned to, through operators, indexing and other TF calls
 * (`self.scale = tf.range(n, dtype=tf.float32) / 10.0`) and with `viaKerasOps` keras.ops calls,
 * else null (a NumPy or Python value, a variable's initial value).
 */
function keptGraphTensor(call: SyntaxNode, ctx: RuleContext, viaKerasOps = true): SyntaxNode | null {
  let node = call;
  for (let steps = 0; steps < 12; steps++) {
    const parent = node.parent;
    if (!parent) {
      return null;
    }
    if (parent.type === 'assignment') {
      const left = child(parent, 'right') === node ? child(parent, 'left') : null;
      return left && isSelfAttribute(left, ctx) ? left : null;
    }
    if (parent.type === 'parenthesized_expression' || parent.type === 'binary_operator' || parent.type === 'unary_operator' || (parent.type === 'subscript' && child(parent, 'value') === node)) {
      node = parent;
      continue;
    }
    const args = parent.type === 'keyword_argument' ? parent.parent : parent;
    const outer = args?.type === 'argument_list' ? args.parent : null;
    const fn = outer?.type === 'call' ? child(outer, 'function') : null;
    const name = fn ? ctx.resolve(fn) ?? '' : '';
    if (!outer || !fn || /Variable$/.test(name) || !((viaKerasOps && /^keras\.ops\./.test(ctx.resolveKeras(fn) ?? '')) || /^tensorflow\.(?!keras)/.test(name))) {
      return null;
    }
    node = outer;
  }
  return null;
}

/** Fact: somewhere the notebook applies layer class NAME to KerasTensors (a functional model's construction). */
export function symbolicInputFact(cls: string): string {
  return `layer-input:symbolic:${cls}`;
}

/**
 * A TF op in a layer's `compute_mask` on its inputs: Keras 3 calls compute_mask on the KerasTensors
 * of a functional model's construction, outside any tracing, so there it fails on every backend,
 * TensorFlow included ("A KerasTensor cannot be used as input to a TensorFlow function"; the masking
 * & padding guide's CustomEmbedding, claims/tf_op_in_compute_mask_functional.py). Where the notebook
 * calls the layer on KerasTensors, every backend is claimed.
 */
function withFunctionalMask(claim: TfOpClaim, ctx: RuleContext): TfOpClaim {
  if (claim.reason !== 'tensors' || !ctx.cls || ctx.cls.keras !== 'layer' || !inKerasClassMethod(ctx) || kerasMethodName(ctx) !== 'compute_mask') {
    return claim;
  }
  const symbolic = `anywhere:${symbolicInputFact(ctx.cls.name)}`;
  const blocksOnlyIf: Partial<Record<Backend, string>> = {};
  for (const b of ['tensorflow', 'jax', 'torch'] as const) {
    if (!claim.blocks.includes(b)) {
      blocksOnlyIf[b] = symbolic;
    } else if (claim.blocksOnlyIf?.[b] !== undefined) {
      blocksOnlyIf[b] = `${claim.blocksOnlyIf[b]} | ${symbolic}`;
    }
  }
  return { ...claim, blocks: ['tensorflow', 'jax', 'torch'], blocksOnlyIf, functionalMask: true };
}

/** The backends' names in prose: "TensorFlow", "TensorFlow and PyTorch". */
export function backendProse(backends: readonly Backend[]): string {
  const names = backends.map(b => BACKEND_PROSE[b]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no backend');
}

const BACKEND_PROSE: Record<Backend, string> = { tensorflow: 'TensorFlow', jax: 'JAX', torch: 'PyTorch' };

/** The backends a TF op call in model code fails on (see the module comment); `eager` for eager model code (modelCodeVariants). */
function unbranchedTfOpClaim(call: SyntaxNode, ctx: RuleContext, eager = false): TfOpClaim {
  // `with tf.device("/gpu:0"):` (keras.io Dual Encoder's call()) only sets TensorFlow's device
  // scope: the body runs on JAX and PyTorch too (checked by running the fixed program on both).
  if (tfOpCall(call, ctx)?.name === 'tf.device' && call.parent?.type === 'with_item') {
    return { blocks: NOWHERE, reason: 'python' };
  }
  const opName = tfOpCall(call, ctx)?.name ?? '';
  if (PYTHON_VALUED_TF.test(opName) || EVERY_BACKEND_TF.test(opName)) {
    return { blocks: NOWHERE, reason: 'python' };
  }
  // `tf.debugging.assert_equal(keras.ops.shape(x)[-1], 2 * units)`: ran on all three backends in a layer's call().
  const compared = TF_SIZE_ASSERTION.test(opName) ? (child(call, 'arguments')?.children ?? []).filter(a => a.type !== 'comment' && a.type !== 'keyword_argument') : [];
  if (compared.length >= 2 && compared.slice(0, 2).every(a => isStaticSize(a, ctx))) {
    return { blocks: NOWHERE, reason: 'python' };
  }
  if (isConstantForKerasOps(call, ctx) || isConstantForKeras(call, ctx)) {
    return { blocks: NOWHERE, reason: 'constant' };
  }
  // `if tf.random.uniform([]) < p:` (the TensorFlow data-augmentation tutorial's helpers): a draw of
  // Python values read only by Python's `if` is an eager TensorFlow tensor on JAX and PyTorch, where
  // it runs; TensorFlow's symbolic build refuses the `if` (KM061's claim). Checked on Keras 3.15.
  if (isPlainArguments(call, ctx) && onlyInPythonCondition(call, ctx)) {
    return { blocks: NOWHERE, reason: 'condition' };
  }
  // PyTorch has no string tensors: a `tf.strings` op gets TensorFlow's strings there, never a
  // tensor that requires grad (TF's text-generation tutorial's sampler runs on PyTorch); run
  // eagerly, TensorFlow takes them on JAX too.
  if (opName.startsWith('tf.strings.')) {
    return eager ? { blocks: NOWHERE, reason: 'eager' } : { blocks: ['jax'], reason: 'traced' };
  }
  // Eager model code (a Keras model's own method run from a callback or the notebook's top level,
  // and the helpers only it calls): TensorFlow converts JAX's concrete arrays and PyTorch tensors
  // that need no grad; only a direct layer call in the method makes one that requires grad.
  if (eager) {
    return { blocks: eagerMethodOf(call, ctx) !== null && eagerMethodCallsLayers(ctx) ? ['torch'] : NOWHERE, reason: 'eager' };
  }
  if (inKerasClassMethod(ctx) && inLearningRateSchedule(ctx)) {
    return { blocks: ON_TRACED, reason: 'traced' };
  }
  // In `call` or a loss the op sees tensors, and turning them into Python values fails there too.
  const method = inKerasClassMethod(ctx) ? kerasMethodName(ctx) : null;
  if (method !== null && EAGER_METHODS.has(method) && becomesPythonValue(call, ctx)) {
    return { blocks: NOWHERE, reason: 'python' };
  }
  if (method !== null && EAGER_METHODS.has(method) && (isKeptForKerasOps(call, ctx) || isVariableInitialValue(call, ctx))) {
    return { blocks: NOWHERE, reason: 'constant' };
  }
  // Made into a NumPy array where Keras runs eagerly, the value is plain data: JAX takes it
  // anywhere, a PyTorch tensor that requires grad refuses an operator with it (keras.ops calls
  // convert it). Checked by claims/tf_op_numpy_array_in_eager_methods.py.
  const asNumpy = method !== null && EAGER_METHODS.has(method) ? numpyConversionOf(call, ctx) : null;
  if (asNumpy && (!selfAttributeTarget(asNumpy, ctx) || isKeptForKerasOps(asNumpy, ctx))) {
    return { blocks: NOWHERE, reason: 'constant' };
  }
  // A function run by a `Lambda` layer that gets only the model's inputs (right after `keras.Input`
  // or weightless layers) sees tensors that need no grad on PyTorch (claims/tf_op_in_lambda_on_inputs.py).
  const holders = inKerasClassMethod(ctx) ? null : inlineLambdaGetsNoGrad(call, ctx);
  if (holders) {
    // Unless a model holding it is used as a layer of another model (behind its layers with weights).
    const nested = holders.map(m => `anywhere:${nestedModelFact(m)}`).join(' | ');
    return { blocks: ON_TENSORS, blocksOnlyIf: { torch: alsoNeeds(nested, `anywhere:${RUNS_WITH_GRAD}`) }, reason: 'tensors', weightsMatter: true };
  }
  // `tf.cast(n, x.dtype)` of a tensor Keras hands the code: on PyTorch its dtype is a `torch.dtype`,
  // which TensorFlow cannot convert ("Cannot convert the argument `type_value`: torch.float32 to a
  // TensorFlow DType"), in a functional model's build too, grad or not (checked on Keras 3.15).
  if (backendDtypeArgument(call, ctx)) {
    return { blocks: ON_TENSORS, reason: 'tensors', backendDtype: true };
  }
  const lambdaFn = inKerasClassMethod(ctx) ? null : lambdaFunctionTorchCondition(ctx);
  const torch = inKerasClassMethod(ctx) ? torchCondition(ctx) : (lambdaFn ?? functionTorchCondition(ctx));
  const models = torch === null && !inKerasClassMethod(ctx) ? lambdaLayerModels(call, ctx) : null;
  const grad = models ? models.map(m => `anywhere:${runsWithGradFact(m)}`).join(' | ') : `anywhere:${RUNS_WITH_GRAD}`;
  return { blocks: asNumpy ? ['torch'] : ON_TENSORS, blocksOnlyIf: { torch: torch ? alsoNeeds(torch, grad) : grad }, reason: asNumpy ? 'numpy' : 'tensors', weightsMatter: torch !== null };
}

/**
 * Whether an argument of the call is `NAME.dtype` of a name the function got from its caller or
 * computed other than by a TF op (a TF tensor's dtype is TensorFlow's own): a backend tensor's dtype.
 */
function backendDtypeArgument(call: SyntaxNode, ctx: RuleContext): boolean {
  const params = ctx.fn ? new Set(parameterNames(ctx.fn.node, ctx) ?? []) : new Set<string>();
  for (const a of child(call, 'arguments')?.children ?? []) {
    const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
    const object = value?.type === 'attribute' && ctx.textOf(child(value, 'attribute') ?? value) === 'dtype' ? child(value, 'object') : null;
    if (!object || object.type !== 'identifier' || ctx.textOf(object) === 'self') {
      continue;
    }
    const name = ctx.textOf(object);
    const assigned = lastAssignedValue(name, call, ctx);
    if (!assigned) {
      if (params.has(name)) {
        return true;
      }
      continue;
    }
    // Computed from what the code got: a keras.ops or layer call, an item of an input, arithmetic.
    const fn = assigned.type === 'call' ? child(assigned, 'function') : null;
    const byTensorflow = !!fn && /^tensorflow\./.test(ctx.resolve(fn) ?? '');
    if (!byTensorflow && /^(call|subscript|binary_operator|identifier)$/.test(assigned.type)) {
      return true;
    }
  }
  return false;
}

/** Whether every argument of a call is plain data (literals, lists of them, TF dtypes). */
function isPlainArguments(call: SyntaxNode, ctx: RuleContext): boolean {
  const args = child(call, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [];
  return args.every(a => isPlainData(a, ctx));
}

/**
 * Whether a value is read only as the condition of a Python `if`, `elif`, `while` or conditional
 * expression, through comparisons, `not`, `and`/`or` and parentheses, or converted from such a
 * comparison by `keras.ops.convert_to_tensor`.
 */
function onlyInPythonCondition(call: SyntaxNode, ctx: RuleContext): boolean {
  let node = call;
  for (let steps = 0; steps < 12 && node.parent; steps++) {
    const parent = node.parent;
    // `keras.ops.cond(keras.ops.convert_to_tensor(tf.random.uniform([]) < p), ...)` (KM061's fix):
    // converted as NumPy data would be, on every backend.
    if (parent.type === 'argument_list' && node !== call && parent.parent?.type === 'call' && ctx.resolveKeras(child(parent.parent, 'function') ?? parent.parent) === 'keras.ops.convert_to_tensor') {
      return true;
    }
    if (parent.type === 'parenthesized_expression' || parent.type === 'comparison_operator' || parent.type === 'not_operator' || parent.type === 'boolean_operator') {
      node = parent;
      continue;
    }
    if (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') {
      return child(parent, 'condition') === node;
    }
    if (parent.type === 'conditional_expression') {
      // Children: value, condition, alternative.
      return parent.children.filter(c => c.type !== 'comment')[1] === node;
    }
    return false;
  }
  return false;
}

/** The first positional argument of a call, or null. */
function firstArgument(call: SyntaxNode): SyntaxNode | null {
  const args = child(call, 'arguments');
  const first = args?.children.find(a => a.type !== 'comment');
  return first && first.type !== 'keyword_argument' && first.type !== 'list_splat' && first.type !== 'dictionary_splat' ? first : null;
}

/** Eager data outside a model: a literal, or a `tf.*`/`np.*` call such as `tf.ones((2, 3))`, or a name last assigned one. */
function isEagerData(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (isPlainData(node, ctx) || depth > 4) {
    return isPlainData(node, ctx);
  }
  if (node.type === 'call') {
    const fn = child(node, 'function');
    const canonical = fn ? (ctx.resolve(fn) ?? '') : '';
    return /^(tensorflow|numpy)\./.test(canonical) && !/^tensorflow\.keras/.test(canonical);
  }
  if (node.type === 'identifier' && !ctx.isSymbolic(node)) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isEagerData(value, ctx, depth + 1);
  }
  return false;
}

/** Whether what a layer gets here needs no grad: a model input (or from one through weightless layers), or eager data. */
function inputNeedsNoGrad(arg: SyntaxNode | null, ctx: RuleContext): boolean {
  return !!arg && (ctx.isSymbolic(arg) ? ctx.needsNoGrad(arg) : isEagerData(arg, ctx));
}

/**
 * Notes where the notebook applies a layer class it defines (`Patches(4)(augmented)`, an entry
 * of `keras.Sequential([...])`, `layer = Linear(); layer(x)`): on inputs that need no grad, or
 * anything else (see torchCondition). Called on every call node.
 */
export function noteLayerInputs(call: SyntaxNode, ctx: RuleContext): void {
  const fn = child(call, 'function');
  if (!fn || fn.type !== 'identifier') {
    return;
  }
  const binding = ctx.lookup(ctx.textOf(fn));
  if (!binding || binding.kind !== 'class' || binding.keras !== 'layer') {
    return;
  }
  const name = ctx.textOf(fn);
  if (!ctx.noted(symbolicInputFact(name)) && layerGetsKerasTensors(call, ctx)) {
    ctx.note(symbolicInputFact(name));
  }
  noteSublayerBuiltInCall(call, name, ctx);
  // Once a use may feed it tensors that require grad, the layer's condition (`torchCondition`) holds whatever the others do.
  if (ctx.noted(gradInputFact(name))) {
    return;
  }
  ctx.note(layerGetsNoGrad(call, ctx) ? firstInputFact(name) : gradInputFact(name));
}

/** Fact: some instance of layer class NAME is first built inside another layer's call on KerasTensors (see noteSublayerBuiltInCall). */
export function builtInSymbolicCallFact(cls: string): string {
  return `layer-built-in-symbolic-call:${cls}`;
}

/**
 * `self.attr = Cls(...)` in the `__init__` (or `build`) of a notebook layer class that does not build
 * it in its own `build()`: the sublayer is built the first time the parent's `call` calls it. Where the parent
 * is called on KerasTensors (or is itself built that way), that is inside the graph Keras 3 traces
 * to infer the parent's output, so TensorFlow tensors made in the sublayer's `build()` belong to that
 * graph (KM091). A subclassed Model holding it is not counted for variables (checked by running: they
 * are lifted out), but its symbolic build in `fit` leaves a plain TF tensor out of scope
 * (modelSublayerFact, KM131). Noted as implications the notebook joins across cells.
 */
function noteSublayerBuiltInCall(call: SyntaxNode, cls: string, ctx: RuleContext): void {
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && child(assignment, 'right') === call ? child(assignment, 'left') : null;
  if (!target || target.type !== 'attribute' || ctx.textOf(child(target, 'object') ?? target) !== 'self') {
    return;
  }
  if (!ctx.cls || (ctx.cls.keras !== 'layer' && ctx.cls.keras !== 'model') || !/^(__init__|build)$/.test(kerasMethodName(ctx) ?? '')) {
    return;
  }
  const attr = ctx.textOf(child(target, 'attribute') ?? target);
  const build = classMethodDefinitions(ctx.cls.node, ctx).get('build');
  const buildsIt = build && new RegExp(`\\bself\\.${attr}\\.build\\(`).test(ctx.textOf(build));
  if (buildsIt) {
    return;
  }
  const parent = ctx.cls.name;
  if (ctx.cls.keras === 'model') {
    ctx.note(modelSublayerFact(cls));
    return;
  }
  ctx.note(`if:${symbolicInputFact(parent)}=>${builtInSymbolicCallFact(cls)}`);
  ctx.note(`if:${builtInSymbolicCallFact(parent)}=>${builtInSymbolicCallFact(cls)}`);
  ctx.note(`if:${modelSublayerFact(parent)}=>${modelSublayerFact(cls)}`);
}

/**
 * Fact: some instance of layer class NAME is a sublayer (`self.attr = Cls(...)` in `__init__`/`build`,
 * not built there) of a subclassed Model, or of a layer that is one: `fit` builds such a model inside
 * a graph it traces on TensorFlow (its symbolic build), where the sublayer's `build()` then runs; a TF
 * tensor it keeps is out of scope afterwards (KM131, checked on Keras 3.15). Variables are lifted out
 * of that graph (KM091 does not use this fact).
 */
export function modelSublayerFact(cls: string): string {
  return `layer-in-model:${cls}`;
}

/**
 * Whether this instance of a notebook layer class is called on KerasTensors: `Cls(...)(inputs)` on a
 * symbolic value, or an entry of `keras.Sequential([keras.Input(...), ...])` (built at construction).
 */
function layerGetsKerasTensors(instance: SyntaxNode, ctx: RuleContext): boolean {
  const parent = instance.parent;
  if (parent?.type === 'call' && child(parent, 'function') === instance) {
    const arg = firstArgument(parent);
    return !!arg && ctx.isSymbolic(arg);
  }
  if (parent?.type === 'list') {
    const outer = parent.parent?.type === 'argument_list' ? parent.parent.parent : null;
    const seq = outer?.type === 'call' ? ctx.resolveKeras(child(outer, 'function')!) : null;
    const first = parent.children.find(c => c.type !== 'comment' && c.type !== '[');
    const f = first?.type === 'call' ? child(first, 'function') : null;
    return (seq === 'keras.Sequential' || seq === 'keras.models.Sequential') && !!f && INPUT_FACTORIES.has(ctx.resolveKeras(f) ?? '');
  }
  return false;
}

function layerGetsNoGrad(instance: SyntaxNode, ctx: RuleContext): boolean {
  const parent = instance.parent;
  if (!parent) {
    return false;
  }
  // `Patches(4)(augmented)`
  if (parent.type === 'call' && child(parent, 'function') === instance) {
    return inputNeedsNoGrad(firstArgument(parent), ctx);
  }
  // `keras.Sequential([keras.Input((3,)), Linear(4, 3), ...])`: only inputs and weightless layers before it.
  if (parent.type === 'list' || parent.type === 'tuple') {
    const outer = parent.parent?.type === 'argument_list' ? parent.parent.parent : null;
    const seq = outer?.type === 'call' ? ctx.resolveKeras(child(outer, 'function')!) : null;
    if (seq !== 'keras.Sequential' && seq !== 'keras.models.Sequential') {
      return false;
    }
    const before = parent.children.slice(0, parent.children.indexOf(instance)).filter(c => c.type !== 'comment');
    return before.every(c => {
      const f = c.type === 'call' ? child(c, 'function') : null;
      const n = f ? ctx.resolveKeras(f) : null;
      return !!n && (INPUT_FACTORIES.has(n) || WEIGHTLESS_LAYER.test(n));
    });
  }
  // `layer = Linear(4, 3)` then only `layer(x)` on such inputs in the rest of that block.
  if (parent.type === 'assignment' && child(parent, 'right') === instance && child(parent, 'left')?.type === 'identifier') {
    const target = ctx.textOf(child(parent, 'left')!);
    const statement = parent.parent?.type === 'expression_statement' ? parent.parent : null;
    const block = statement?.parent;
    if (!statement || !block) {
      return false;
    }
    let calls = 0;
    let ok = true;
    const visit = (n: SyntaxNode): void => {
      if (!ok) {
        return;
      }
      if (n.type === 'identifier' && ctx.textOf(n) === target) {
        const use = n.parent;
        if (use?.type === 'call' && child(use, 'function') === n && inputNeedsNoGrad(firstArgument(use), ctx)) {
          calls++;
        } else if (!(use?.type === 'assignment' && child(use, 'left') === n)) {
          ok = false;
        }
        return;
      }
      n.children.forEach(visit);
    };
    block.children.slice(block.children.indexOf(statement) + 1).forEach(visit);
    return ok && calls > 0;
  }
  return false;
}
