/**
 * numpy-attribute-in-call (KM272)
 *
 * What it does: flags an arithmetic operator (`+ - * / // % ** @`) in model code with a NumPy
 * array (not a NumPy scalar) on one side and a value that may be a tensor on the other:
 *  - an array made in a layer's `__init__` and kept as `self.X` that `call()` combines with
 *    tensors (keras.io Real NVP's coupling masks): reported at the assignment, as before;
 *  - any other such operator in a layer's or model's traced methods (and the own methods they call),
 *    a function a `Lambda` runs, a loss or metric function, a notebook function model code calls,
 *    a `tf.GradientTape` body: the array a local or module-level name (TF2 RL Cookbook's PPO
 *    `Lambda(lambda x: keras.ops.clip(x * action_bound, ...))` with `action_bound = np.array([160, 210])`),
 *    a `self.X` the class only assigns arrays (a positional encoding kept as NumPy and added in
 *    `call()`), or a constructor parameter every construction in the cell passes an array (SAC's
 *    `actions * self.action_bound + self.action_shift`).
 *
 * Why (checked by running Keras 3.15.1, torch 2.13; /work/og50c/km272, claims/numpy_array_operator_*.py):
 * TensorFlow and JAX convert the array. PyTorch does not: with the array on the left NumPy gives
 * up on the tensor ("unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'"), wherever
 * the code runs (building a Functional model around a Lambda, predict, fit); with the array on the
 * right the tensor is turned into NumPy, which fails for a tensor that requires grad ("Can't call
 * numpy() on Tensor that requires grad": fit, a tape, `model(x)`), so that claim holds where the
 * notebook runs a model with grad (`anywhere:runs-with-grad`); under predict/evaluate (torch.no_grad)
 * it runs but hands on a float64 NumPy array. NumPy scalars (`np.float64(2)`) run; 0-d arrays fail too.
 * Code Keras runs on configuration (`__init__`, `build` and the own methods only they call) and a
 * notebook helper's parameters (`positional_encoding(length, depth)`) are not taken for tensors.
 *
 * Fix: `keras.ops.convert_to_tensor(ARRAY, dtype=keras.ops.dtype(OTHER))` at the use site: the
 * tensor's own dtype, which is what TensorFlow converts the array to, so the result keeps TF's
 * dtype and values (float64, int64 and float32 arrays, both operand orders, float32 and
 * mixed_float16 policies; JAX then follows TF too: it promoted float16 with a float64 array to
 * float32). Safe where OTHER is a name or attribute (read twice); a suggestion otherwise (OTHER is
 * evaluated twice). Converting without the dtype is not safe: on TF a float64 tensor meets the
 * float32 one ("cannot compute Mul as input #1 was expected to be a float tensor").
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParts, stringValue, withKerasImport } from '../rule-helpers';
import { isNumpyArray, isNumpyValue, NUMPY_ARRAY_MAKERS } from '../helpers/array-values';
import { localNamesOf, lastAssignedValue, topLevelValueBefore } from '../helpers/calls';
import { inKerasClassMethod, inLambdaLayer, inLossFunction, isKerasMethodName, kerasMethodName, modelCodeCondition, PYTHON_VALUE_PARAMETERS } from '../helpers/model-code';
import { RUNS_WITH_GRAD } from '../helpers/tf-op-claims';

/** NumPy functions that make a new array from constants. */
const ARRAY_MAKERS = new Set(['array', 'asarray', 'zeros', 'ones', 'full', 'eye', 'identity', 'arange', 'linspace', 'tril', 'triu']);

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '@']);

/** `self.NAME` or `self.NAME[...]` (any depth of subscripts). */
function selfAttributeName(node: SyntaxNode, ctx: RuleContext): string | null {
  let n: SyntaxNode | null = node;
  while (n && n.type === 'subscript') {
    n = child(n, 'value');
  }
  if (!n || n.type !== 'attribute') {
    return null;
  }
  const object = child(n, 'object');
  const attribute = child(n, 'attribute');
  return object && attribute && ctx.textOf(object) === 'self' ? ctx.textOf(attribute) : null;
}

/** The `call` method of a class, if the class body defines one. */
function callMethod(cls: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const body = child(cls, 'body');
  for (const statement of body?.children ?? []) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    if (name && ctx.textOf(name) === 'call') {
      return def;
    }
  }
  return null;
}

/** Whether `self.NAME` (or an element of it) is an operand of an arithmetic operator somewhere in `fn`. */
function usedInArithmetic(fn: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const stack = [...fn.children];
  while (stack.length) {
    const n = stack.pop()!;
    // The tree keeps named nodes only: the operator is the text between the two operands.
    if (n.type === 'binary_operator' && n.children.length === 2 && ARITHMETIC.has(ctx.text.slice(n.children[0].end, n.children[1].start).trim())) {
      if (selfAttributeName(n.children[0], ctx) === name || selfAttributeName(n.children[1], ctx) === name) {
        return true;
      }
    }
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return false;
}

/** `dtype="float32"` / `dtype=np.float32` / `dtype=tf.float32`: a float32 array, which the fix keeps float32. */
function isFloat32(node: SyntaxNode | undefined, ctx: RuleContext): boolean {
  if (!node) {
    return false;
  }
  return stringValue(node, ctx) === 'float32' || /(^|\.)float32$/.test(ctx.resolve(node) ?? ctx.textOf(node));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || ctx.fn?.name !== '__init__' || ctx.fn.classScope !== cls) {
    return;
  }
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || right.type !== 'call' || left.type !== 'attribute') {
    return;
  }
  const name = selfAttributeName(left, ctx);
  const parts = callParts(right, ctx);
  const callee = parts ? ctx.resolve(parts.fn) : null;
  if (!name || !parts || !callee || !callee.startsWith('numpy.') || !ARRAY_MAKERS.has(callee.slice('numpy.'.length))) {
    return;
  }
  const call = callMethod(cls.node, ctx);
  if (!call || !usedInArithmetic(call, name, ctx)) {
    return;
  }
  const fix = isFloat32(parts.keywords.get('dtype')?.value, ctx)
    ? {
        title: 'Store the array as a backend tensor (`keras.ops.convert_to_tensor`)',
        safe: false,
        edits: withKerasImport(ctx, [
          { start: right.start, end: right.start, text: 'keras.ops.convert_to_tensor(' },
          { start: right.end, end: right.end, text: ')' }
        ])
      }
    : null;
  ctx.report(
    right,
    `\`self.${name}\` is a NumPy array that \`call()\` combines with tensors by an arithmetic operator: PyTorch refuses that ("unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'" with the array on the left, "Can't call numpy() on Tensor that requires grad" on the right, in training), while TensorFlow and JAX convert the array. Store \`keras.ops.convert_to_tensor(...)\` of it, the backend's tensor${fix ? '' : ' (with the float dtype the layer computes in)'}.`,
    fix
  );
}


/** Methods of a Keras class that Keras runs eagerly on configuration and shapes. */
const EAGER_KERAS_METHODS = new Set(['__init__', 'build', 'get_config', 'from_config', 'get_build_config', 'build_from_config', 'get_compile_config', 'compile_from_config', 'compute_output_shape']);

const tracedMemo = new WeakMap<SyntaxNode, Set<string>>();

/** The methods of a Keras class Keras runs on tensors (a Keras method name, not EAGER_KERAS_METHODS) and the own methods they reach by `self.NAME`. */
function tracedMethods(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  const known = tracedMemo.get(cls);
  if (known) {
    return known;
  }
  const methods = new Map<string, SyntaxNode>();
  for (const statement of child(cls, 'body')?.children ?? []) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    if (def && name) {
      methods.set(ctx.textOf(name), def);
    }
  }
  const reached = new Set([...methods.keys()].filter(m => isKerasMethodName(m) && !EAGER_KERAS_METHODS.has(m)));
  const queue = [...reached];
  while (queue.length) {
    for (const m of ctx.textOf(methods.get(queue.pop()!)!).matchAll(/\bself\.(\w+)/g)) {
      if (methods.has(m[1]) && !reached.has(m[1]) && !EAGER_KERAS_METHODS.has(m[1])) {
        reached.add(m[1]);
        queue.push(m[1]);
      }
    }
  }
  tracedMemo.set(cls, reached);
  return reached;
}

/** Whether the node is in the body of `with tf.GradientTape(...) as tape:`. */
function inTapeBody(node: SyntaxNode, ctx: RuleContext): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      const body = child(p, 'body');
      const calls = body && body.start <= node.start ? [...p.children].filter(c => c !== body) : [];
      const text = calls.map(c => ctx.textOf(c)).join(' ');
      if (/GradientTape\s*\(/.test(text)) {
        return true;
      }
    }
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') {
      return false;
    }
  }
  return false;
}

/** Where an operator runs on tensors: true, a `model:NAME` condition (see modelCodeCondition), or null. */
function modelCodeWhere(node: SyntaxNode, ctx: RuleContext): true | string | null {
  if (inTapeBody(node, ctx)) {
    return true;
  }
  const where = modelCodeCondition(node, ctx);
  if (where !== true || !ctx.cls || !inKerasClassMethod(ctx) || inLambdaLayer(node, ctx) || inLossFunction(ctx)) {
    return where;
  }
  // A Keras class's method: one Keras runs on tensors or one they call, not `__init__`/`build` and their helpers.
  const method = kerasMethodName(ctx);
  return method !== null && tracedMethods(ctx.cls.node, ctx).has(method) ? true : null;
}

/** Builtins and modules whose results are Python values. */
const PYTHON_VALUED = /^(len|int|float|str|bool|range|list|tuple|dict|set|round|sorted|enumerate|zip|isinstance|getattr|print)$/;

/** Whether `self.NAME` may hold a tensor: the class assigns it a call that is no NumPy or Python builtin (a weight, a layer's output, a keras.ops value). */
function attributeMayBeTensor(node: SyntaxNode, ctx: RuleContext): boolean {
  const name = ctx.textOf(child(node, 'attribute') ?? node);
  let cls: SyntaxNode | null = node.parent;
  while (cls && cls.type !== 'class_definition') {
    cls = cls.parent;
  }
  const stack = cls ? [cls] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left?.type === 'attribute' && ctx.textOf(left) === `self.${name}` && right?.type === 'call' && mayBeTensor(right, ctx, false, 5)) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}

/**
 * Whether a value may be a backend tensor: with `params`, a parameter (not `training`, `mask`, ...)
 * of model code that Keras hands tensors (a traced method, a Lambda's function, a loss),
 * a call that is not NumPy's or a Python builtin's (a layer, `keras.ops`, a TF op, a helper), a
 * tensor attribute of the class, or an expression of those. Not numbers, strings, displays,
 * shapes, NumPy values.
 */
function mayBeTensor(node: SyntaxNode, ctx: RuleContext, params: boolean, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression':
    case 'unary_operator':
    case 'binary_operator':
    case 'conditional_expression':
      return node.children.some(c => c.type !== 'comment' && mayBeTensor(c, ctx, params, depth + 1)) && !isNumpyValue(node, ctx);
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && mayBeTensor(value, ctx, params, depth + 1);
    }
    case 'attribute': {
      const object = child(node, 'object');
      const attr = ctx.textOf(child(node, 'attribute') ?? node);
      if (!object || /^(shape|ndim|size|dtype|name|rank)$/.test(attr)) {
        return false;
      }
      return ctx.textOf(object) === 'self' ? attributeMayBeTensor(node, ctx) : ctx.resolve(node) === null && mayBeTensor(object, ctx, params, depth + 1);
    }
    case 'identifier': {
      const name = ctx.textOf(node);
      if (ctx.isSymbolic(node) || isNumpyValue(node, ctx) || PYTHON_VALUE_PARAMETERS.has(name)) {
        return false;
      }
      const value = lastAssignedValue(name, node, ctx);
      if (value) {
        return mayBeTensor(value, ctx, params, depth + 1);
      }
      for (let p = node.parent; p; p = p.parent) {
        if ((p.type === 'function_definition' || p.type === 'lambda') && localNamesOf(p, ctx).has(name)) {
          return params; // a parameter (or a name bound otherwise: a loop target, unpacked)
        }
      }
      const top = topLevelValueBefore(name, node, ctx);
      return !!top && mayBeTensor(top, ctx, params, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      const resolved = ctx.resolve(fn);
      if (resolved !== null) {
        // A TF op, keras.ops, a Keras layer made inline; not NumPy, math, random, ...
        return /^(tensorflow|keras|tf_keras|jax|torch)\./.test(resolved);
      }
      if (fn.type === 'identifier') {
        // A notebook function or a layer held by a name; not a Python builtin.
        return !(PYTHON_VALUED.test(ctx.textOf(fn)) && ctx.lookup(ctx.textOf(fn)) === undefined);
      }
      const object = fn.type === 'attribute' ? child(fn, 'object') : null;
      const method = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : '';
      if (!object || /^(item|numpy|tolist|predict|predict_on_batch|count_params|get_weights)$/.test(method)) {
        return false;
      }
      // `self.dense(x)`, `self.encode(x)`, `model(x)`-like layer attributes, or a method of a tensor (`x.sum()`).
      return ctx.textOf(object) === 'self' || ctx.isLayerInstance(fn) || mayBeTensor(object, ctx, params, depth + 1);
    }
    default:
      return false;
  }
}

/**
 * Whether the array operand reads a `self.NAME` that the assignment finding covers (an array made in
 * `__init__` by a NumPy function and used in `call()`): `self.mask`, `(1 - self.mask)`, `self.masks[i]`.
 */
function coveredByAssignmentFinding(operand: SyntaxNode, ctx: RuleContext): boolean {
  const cls = ctx.cls;
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || ctx.fn?.name !== 'call' || ctx.fn.classScope !== cls) {
    return false;
  }
  const init = [...(child(cls.node, 'body')?.children ?? [])].find(s => s.type === 'function_definition' && ctx.textOf(child(s, 'name') ?? s) === '__init__');
  const names = [...ctx.textOf(operand).matchAll(/\bself\.(\w+)/g)].map(m => m[1]);
  return !!init && names.some(name => usedInArithmetic(ctx.fn!.node, name, ctx) && new RegExp(`\\bself\\.${name}\\s*=\\s*(np|numpy)\\.(${[...ARRAY_MAKERS].join('|')})\\s*\\(`).test(ctx.textOf(init)));
}

/** A name or attribute chain (`x`, `self.h`): read twice by the fix without running anything. */
function isPlainReference(node: SyntaxNode): boolean {
  return node.type === 'identifier' || (node.type === 'attribute' && !!child(node, 'object') && isPlainReference(child(node, 'object')!));
}

function visitBinary(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right) {
    return;
  }
  const operator = ctx.text.slice(left.end, right.start).replace(/#[^\n]*/g, '').replace(/[\s\\()]/g, '');
  if (!ARITHMETIC.has(operator)) {
    return;
  }
  const leftArray = isNumpyArray(left, ctx);
  const array = leftArray ? left : isNumpyArray(right, ctx) ? right : null;
  const other = array === left ? right : left;
  if (!array || isNumpyValue(other, ctx) || isNumpyArray(other, ctx) || coveredByAssignmentFinding(array, ctx)) {
    return;
  }
  const where = modelCodeWhere(node, ctx);
  // Parameters are tensors where Keras calls the code; a notebook helper's (`positional_encoding(length, depth)`) may be numbers.
  if (where === null || !mayBeTensor(other, ctx, where === true && !inTapeBody(node, ctx))) {
    return;
  }
  const a = ctx.textOf(array);
  const o = ctx.textOf(other);
  const safe = isPlainReference(other);
  const edits = withKerasImport(ctx, [{ start: array.start, end: array.end, text: `keras.ops.convert_to_tensor(${a}, dtype=keras.ops.dtype(${o}))` }]);
  const failure = leftArray
    ? `with the array on the left PyTorch raises "unsupported operand type(s) for ${operator}: 'numpy.ndarray' and 'Tensor'" wherever it runs (building a Functional model, predict, fit)`
    : `with the array on the right PyTorch turns the tensor into NumPy, which fails in training ("Can't call numpy() on Tensor that requires grad"; predict hands on a float64 NumPy array)`;
  const blocksOnlyIf: Partial<Record<Backend, string>> | undefined = leftArray ? undefined : { torch: `anywhere:${RUNS_WITH_GRAD}` };
  ctx.report(
    node,
    `\`${a}\` is a NumPy array combined with \`${o}\`, a tensor in model code, by \`${operator}\`: TensorFlow and JAX convert the array, but ${failure}. ` +
      `Convert it to a tensor of the other operand's dtype, as TensorFlow does: \`keras.ops.convert_to_tensor(${a}, dtype=keras.ops.dtype(${o}))\`.`,
    { title: 'Convert the NumPy array to a tensor of the other operand\'s dtype', safe, edits },
    undefined,
    where === true ? undefined : where,
    ['torch'],
    blocksOnlyIf
  );
}

/**
 * Checked by running Keras 3.15.1 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13 (keras.io's
 * Real NVP keeps its coupling masks as `self.masks = np.array(..., dtype="float32")`):
 * `np_array * tensor` raises TypeError on PyTorch even without grad, `tensor * np_array` raises
 * when the tensor requires grad; TensorFlow and JAX run both.
 */
export const numpyAttributeInCall: RuleDefinition = {
  code: 'KM272',
  name: 'numpy-attribute-in-call',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'sometimes',
  triggers: [...NUMPY_ARRAY_MAKERS],
  docs: {
    whatItDoes:
      'Flags a NumPy array (not a NumPy scalar) combined with a tensor by an arithmetic operator (`+ - * / // % ** @`) in model code: a layer\'s or model\'s `call()`/`train_step()` and the methods they call, a `Lambda`\'s function, a loss or metric function, a helper model code calls, a `GradientTape` body. An array made in `__init__` and kept as an attribute that `call()` uses (`self.masks = np.array([[0, 1], [1, 0]], dtype="float32")`, keras.io Real NVP) is reported where it is made; any other at the operator: a module-level array read in a Lambda (`Lambda(lambda x: x * action_bound)` with `action_bound = np.array([160, 210])`, TF2 RL Cookbook), a positional encoding kept as NumPy and added in `call()`, an attribute set from a constructor argument every construction passes an array.',
    why:
      'TensorFlow and JAX convert a NumPy operand to a tensor. PyTorch does not: an operator with the NumPy array on the left raises "unsupported operand type(s)" (NumPy gives up on the tensor), and with the array on the right the tensor is turned into NumPy, which fails for a tensor that requires grad (in training). Storing `keras.ops.convert_to_tensor(...)` of the array gives the backend\'s tensor, which every backend combines with its own. The fix at the assignment (a suggestion: the attribute changes type) is offered for a float32 array (`dtype="float32"`), whose tensor keeps its dtype. At an operator the fix converts the array to the other operand\'s dtype, `keras.ops.convert_to_tensor(arr, dtype=keras.ops.dtype(x))`, which is what TensorFlow does, so results keep TensorFlow\'s dtype and values on every backend (checked with float64, int64 and float32 arrays, both operand orders, float32 and mixed_float16): safe where the other operand is a name or attribute, a suggestion where it is an expression (evaluated twice). Converting without the dtype is not safe: TensorFlow then refuses float32 with float64. With the array on the right PyTorch fails only with grad (fit, a tape, `model(x)`), not under predict().',
    example:
      'import keras\nimport numpy as np\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mask = np.array([1.0, 0.0], dtype="float32")\n    def call(self, x):\n        return x * self.mask',
    useInstead:
      'import keras\nimport numpy as np\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mask = keras.ops.convert_to_tensor(np.array([1.0, 0.0], dtype="float32"))\n    def call(self, x):\n        return x * self.mask'
  },
  requires: ['numpy'],
  visitors: { assignment: visit, binary_operator: visitBinary }
};
