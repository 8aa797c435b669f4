import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, classMethodDefinitions, kerasMethodName, lastAssignedValue, nodesOfType, rootOf, symbolicInputFact, KERAS_CALLEES } from '../rule-helpers';
import { inModelCode } from '../helpers/model-code';

/** keras.ops functions whose `shape` (or `reps`) must be concrete integers on JAX. */
const SHAPED = /^keras\.ops\.(ones|zeros|full|empty|reshape|broadcast_to|tile)$/;
/** What makes a tensor out of a shape element: on JAX, under jit, a traced value. */
const TENSOR_MAKER = /^(keras\.ops\.(cast|convert_to_tensor|minimum|maximum)|tensorflow\.(cast|convert_to_tensor|constant|minimum|maximum|math\.minimum|math\.maximum))$/;

/** `keras.ops.shape(x)[0]`, `tf.shape(x)[0]`, `x.shape[0]`: a dimension of a named tensor. */
const DIMENSION = /^(?:(?:keras\.ops|tensorflow)\.shape\((\w+)\)|(\w+)\.shape)\[-?\d+\]$/;

/**
 * The text of the dimension a cast shape element was made from (`keras.ops.cast(keras.ops.shape(y)[0], "int64")`
 * gives `keras.ops.shape(y)[0]`), when writing it at the shape gives the same integer: the tensor
 * it reads is not assigned again between the cast and the shape. Else null.
 */
function shapeElement(cast: SyntaxNode, element: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(cast, ctx);
  const arg = parts && !parts.splat ? (parts.positional[0] ?? parts.keywords.get('x')?.value ?? parts.keywords.get('value')?.value) : null;
  if (!arg || arg.type !== 'subscript' || cast.end > element.start) {
    return null;
  }
  const value = child(arg, 'value');
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const canonical = (fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) + ctx.textOf(value!).slice(ctx.textOf(fn).length) : ctx.textOf(value ?? arg)) + ctx.textOf(arg).slice(ctx.textOf(value ?? arg).length);
  const m = DIMENSION.exec(canonical.replace(/\s+/g, ''));
  const tensor = m ? m[1] ?? m[2] : null;
  if (!tensor) {
    return null;
  }
  const between = ctx.text.slice(cast.end, element.start);
  return new RegExp(`^\\s*${tensor}\\s*(=|\\+=)(?!=)`, 'm').test(between) ? null : ctx.textOf(arg);
}

/** `keras.ops.minimum` / `tf.minimum`: a group size never above the batch. */
const MINIMUM = /^(keras\.ops\.minimum|tensorflow\.(minimum|math\.minimum))$/;
/**
 * The stand-in sizes Keras's PyTorch backend gives an unknown (None) dimension when it runs a
 * layer's call() to infer its output (keras/src/backend/torch/core.py compute_output_spec).
 */
const TORCH_STAND_INS = [83, 89];

/** The assignment of `name` last before `at` in the function `fn` (its value, or its position in an unpacking). */
function assignmentIn(fn: SyntaxNode, name: string, at: SyntaxNode, ctx: RuleContext): { left: SyntaxNode; right: SyntaxNode } | null {
  let found: { left: SyntaxNode; right: SyntaxNode } | null = null;
  for (const a of nodesOfType(fn, 'assignment')) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (!left || !right || a.end > at.start) {
      continue;
    }
    if (((left.type === 'identifier' || left.type === 'attribute') && ctx.textOf(left) === name) || ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.children.some(c => c.type === 'identifier' && ctx.textOf(c) === name))) {
      found = { left, right };
    }
  }
  return found;
}

/** The named items of a pattern or an expression list (commas and brackets dropped). */
function items(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')' && c.type !== '[' && c.type !== ']' && c.type !== 'comment');
}

/**
 * The tensor and axis a value in function `fn` is a dimension of: `keras.ops.shape(x)[0]`,
 * `tf.shape(x)[0]`, `x.shape[0]`, `shape[0]` with `shape = keras.ops.shape(x)`, a name assigned
 * one of these, or unpacked from `keras.ops.shape(x)` (`n, h, w, c = ...`). Else null.
 */
function dimensionOf(node: SyntaxNode, fn: SyntaxNode, ctx: RuleContext, depth = 0): { tensor: string; axis: number } | null {
  if (depth > 4) {
    return null;
  }
  if (node.type === 'subscript') {
    const value = child(node, 'value');
    const index = child(node, 'subscript');
    const axis = index && /^\d+$/.test(ctx.textOf(index)) ? Number(ctx.textOf(index)) : null;
    const tensor = value && axis !== null ? shapeOf(value, node, fn, ctx) : null;
    return tensor && axis !== null ? { tensor, axis } : null;
  }
  if (node.type !== 'identifier') {
    return null;
  }
  const found = assignmentIn(fn, ctx.textOf(node), node, ctx);
  if (!found) {
    return null;
  }
  if (found.left.type === 'identifier') {
    return dimensionOf(found.right, fn, ctx, depth + 1);
  }
  const position = items(found.left).findIndex(c => ctx.textOf(c) === ctx.textOf(node));
  if (found.right.type === 'expression_list' || found.right.type === 'tuple') {
    const item = items(found.right)[position];
    return item ? dimensionOf(item, fn, ctx, depth + 1) : null;
  }
  const tensor = shapeOf(found.right, node, fn, ctx);
  return tensor ? { tensor, axis: position } : null;
}

/** The tensor whose shape `node` is: `keras.ops.shape(x)`, `tf.shape(x)`, `x.shape`, or a name assigned one. */
function shapeOf(node: SyntaxNode, at: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): string | null {
  if (node.type === 'attribute' && ctx.textOf(child(node, 'attribute') ?? node) === 'shape' && child(node, 'object')?.type === 'identifier') {
    return ctx.textOf(child(node, 'object')!);
  }
  if (node.type === 'call') {
    const parts = callParts(node, ctx);
    const name = parts ? (ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)) : null;
    const arg = parts && !parts.splat && parts.positional.length === 1 ? parts.positional[0] : null;
    return name && /^(keras\.ops|tensorflow)\.shape$/.test(name) && arg?.type === 'identifier' ? ctx.textOf(arg) : null;
  }
  if (node.type === 'identifier') {
    const found = assignmentIn(fn, ctx.textOf(node), at, ctx);
    return found && found.left.type === 'identifier' && found.right.type !== 'identifier' ? shapeOf(found.right, at, fn, ctx) : null;
  }
  return null;
}

/**
 * The integer `self.<attr>` holds, set in the class's `__init__` to a literal or to a parameter's
 * literal default that no constructor call in the cell overrides (no positional argument, no keyword of that name). Else null.
 */
function initInteger(attr: string, cls: SyntaxNode, ctx: RuleContext): number | null {
  const init = classMethodDefinitions(cls, ctx).get('__init__');
  const found = init ? assignmentIn(init, `self.${attr}`, { start: init.end } as SyntaxNode, ctx) : null;
  if (!init || !found || found.left.type !== 'attribute') {
    return null;
  }
  if (found.right.type === 'integer') {
    return Number(ctx.textOf(found.right));
  }
  if (found.right.type !== 'identifier') {
    return null;
  }
  const param = ctx.textOf(found.right);
  const parameter = (child(init, 'parameters')?.children ?? []).find(p => p.type === 'default_parameter' && ctx.textOf(child(p, 'name') ?? p) === param);
  const value = parameter ? child(parameter, 'value') : null;
  if (!value || value.type !== 'integer') {
    return null;
  }
  const className = ctx.textOf(child(cls, 'name') ?? cls);
  for (const call of nodesOfType(rootOf(cls), 'call')) {
    const f = child(call, 'function');
    const parts = f && f.type === 'identifier' && ctx.textOf(f) === className ? callParts(call, ctx) : null;
    if (parts && (parts.splat || parts.positional.length || parts.keywords.has(param))) {
      return null;
    }
  }
  return Number(ctx.textOf(value));
}

/**
 * Whether `keras.ops.reshape(x, [group, -1, <x's other dimensions>])` in a Keras layer's `call()`
 * on its own input `x`, with `group = keras.ops.minimum(K, <x's batch size>)` for a constant K
 * in 2..82, fails on PyTorch wherever the layer is called on KerasTensors of unknown batch size:
 * without a `compute_output_shape()`/`compute_output_spec()`, Keras runs call() on stand-in
 * batches of 83 and 89 samples, which K does not divide (keras.io StyleGAN's minibatch standard
 * deviation; ran: "shape '[4, -1, 4, 4, 16]' is invalid for input of size 21248"). The condition
 * under which it holds, or null.
 */
function torchStandInCondition(node: SyntaxNode, group: SyntaxNode, shape: SyntaxNode, ctx: RuleContext): string | null {
  const cls = ctx.cls;
  const fn = ctx.fn?.node;
  if (!cls || cls.keras !== 'layer' || !fn || kerasMethodName(ctx) !== 'call' || ctx.fn?.classScope !== cls) {
    return null;
  }
  const methods = classMethodDefinitions(cls.node, ctx);
  if (methods.has('compute_output_shape') || methods.has('compute_output_spec')) {
    return null;
  }
  const inputs = (child(fn, 'parameters')?.children ?? []).filter(p => p.type === 'identifier' || p.type === 'typed_parameter' || p.type === 'default_parameter')[1];
  const input = inputs ? ctx.textOf(inputs.type === 'identifier' ? inputs : (child(inputs, 'name') ?? inputs.children[0] ?? inputs)) : null;
  const tensor = callParts(node, ctx)?.positional[0];
  if (!input || !tensor || tensor.type !== 'identifier' || ctx.textOf(tensor) !== input) {
    return null;
  }
  const value = lastAssignedValue(ctx.textOf(group), node, ctx);
  const parts = value?.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || parts.splat || parts.positional.length !== 2 || !MINIMUM.test(ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn) ?? '')) {
    return null;
  }
  const batch = parts.positional.find(a => {
    const d = dimensionOf(a, fn, ctx);
    return d !== null && d.tensor === input && d.axis === 0;
  });
  const constant = parts.positional.find(a => a !== batch);
  const attr = constant?.type === 'attribute' && ctx.textOf(child(constant, 'object') ?? constant) === 'self' ? ctx.textOf(child(constant, 'attribute') ?? constant) : null;
  const k = !batch || !constant ? null : constant.type === 'integer' ? Number(ctx.textOf(constant)) : attr ? initInteger(attr, cls.node, ctx) : null;
  if (k === null || k < 2 || TORCH_STAND_INS.some(n => k >= n || n % k === 0)) {
    return null;
  }
  // The group first, then -1 or the input's other dimensions: the product leaves the batch to divide by K.
  const [first, ...rest] = items(shape);
  const restOk = rest.every(e => ctx.textOf(e) === '-1' || (dimensionOf(e, fn, ctx)?.tensor === input && dimensionOf(e, fn, ctx)!.axis > 0));
  if (first !== group || !restOk || !rest.some(e => ctx.textOf(e) === '-1')) {
    return null;
  }
  return `anywhere:${symbolicInputFact(cls.name)}`;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !name || !SHAPED.test(name) || !inModelCode(node, ctx)) {
    return;
  }
  const shape = parts.keywords.get('shape')?.value ?? parts.keywords.get('reps')?.value ?? parts.keywords.get('newshape')?.value ?? parts.positional[/reshape|broadcast_to|tile/.test(name) ? 1 : 0];
  if (!shape || (shape.type !== 'tuple' && shape.type !== 'list')) {
    return;
  }
  for (const element of shape.children) {
    if (element.type !== 'identifier') {
      continue;
    }
    const value = lastAssignedValue(ctx.textOf(element), node, ctx);
    const fn = value && value.type === 'call' ? callParts(value, ctx)?.fn : null;
    const maker = fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) : null;
    if (maker && TENSOR_MAKER.test(maker)) {
      const dimension = shapeElement(value!, element, ctx);
      const torch = name === 'keras.ops.reshape' ? torchStandInCondition(node, element, shape, ctx) : null;
      const onTorch = torch
        ? ` On PyTorch too, wherever the layer is called on KerasTensors of unknown batch size (a functional model being built): without a \`compute_output_shape()\` Keras infers the layer's output by running \`call()\` on stand-in batches of ${TORCH_STAND_INS.join(' and ')} samples, which these groups do not divide ("shape '[...]' is invalid for input of size ..."); define \`compute_output_shape()\` for the layer.`
        : '';
      ctx.report(
        element,
        `\`${ctx.textOf(element)}\` is a tensor (\`${ctx.textOf(fn!)}(...)\`) used as a shape in \`${name}\`: on JAX, inside a compiled step or a model being built, it is a traced value and JAX needs concrete integers ("Shapes must be 1D sequences of concrete values of integer type"). Use the shape element itself (\`keras.ops.shape(x)[0]\` is a Python int on JAX and PyTorch) and cast the result instead.${onTorch}`,
        dimension ? { title: `Use \`${dimension}\` as the shape element`, safe: true, edits: [{ start: element.start, end: element.end, text: dimension }] } : null,
        undefined,
        undefined,
        torch ? ['jax', 'torch'] : ['jax'],
        torch ? { torch } : undefined
      );
    }
  }
}

export const tensorAsShape: RuleDefinition = {
  code: 'KM183',
  name: 'tensor-as-shape',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'In model code (layer and model methods, losses, Lambda functions), flags an element of the shape given to `keras.ops.ones`/`zeros`/`full`/`empty`/`reshape`/`broadcast_to`/`tile` that was made a tensor by `keras.ops.cast`/`convert_to_tensor` (or `tf.cast`), as `tf.cast(tf.shape(x)[0], "int64")` becomes when converted to keras.ops, or by `keras.ops.minimum`/`maximum` (`tf.minimum`), as keras.io StyleGAN\'s minibatch standard deviation writes its group size `tf.minimum(group_size, tf.shape(x)[0])` (no fix: Python\'s `min()` would fail on TensorFlow, where a dynamic dimension is a tensor). Such a group size given to `keras.ops.reshape(x, [group, -1, ...])` in a layer\'s `call()` on its own input `x`, with `group = keras.ops.minimum(K, <x\'s batch size>)` for a constant K from 2 to 82 and the other elements -1 or dimensions of `x`, also claims PyTorch when the layer has no `compute_output_shape()`/`compute_output_spec()` and the notebook calls it on KerasTensors.',
    why:
      'JAX traces model code (in `fit()` and when a functional model is built) and needs a shape of concrete integers: a cast shape element is a traced array and the call fails with "Shapes must be 1D sequences of concrete values of integer type" (checked by running the converted keras.io CTC example, and a minibatch-std layer\'s `keras.ops.minimum(4, n)` group size given to `keras.ops.reshape`: TensorFlow and PyTorch accept it, JAX does not). `keras.ops.shape(x)[i]` is a Python int on JAX and PyTorch. When the cast value is a dimension (`keras.ops.shape(y)[0]`, `y.shape[0]`) of a tensor not assigned again before the shape, the safe fix writes that dimension at the shape: the same integer, and the cast value keeps its dtype where else it is used (dropping the cast itself would change dtypes on TensorFlow, where a dynamic dimension is an int32 tensor). On PyTorch, a layer called on KerasTensors of unknown batch size (a functional model being built) and defining no `compute_output_shape()` has its output inferred by running `call()` on stand-in batches of 83 and 89 samples (keras/src/backend/torch/core.py), both prime: splitting the batch into groups of K fails there ("shape \'[4, -1, 4, 4, 16]\' is invalid for input of size 21248", checked by running the minibatch-std layer; it runs on TensorFlow, and on PyTorch once the layer defines `compute_output_shape()`, as examples/runnable/converted/stylegan_progressive.py does). No fix: the output shape is the layer\'s own.',
    example:
      'import keras\nclass Lengths(keras.layers.Layer):\n    def call(self, y):\n        batch = keras.ops.cast(keras.ops.shape(y)[0], "int64")\n        return keras.ops.ones(shape=(batch, 1), dtype="int64")',
    useInstead:
      'import keras\nclass Lengths(keras.layers.Layer):\n    def call(self, y):\n        batch = keras.ops.shape(y)[0]\n        return keras.ops.ones(shape=(batch, 1), dtype="int64")'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
