/**
 * What it does: flags `float(t)` / `int(t)` of a Keras backend tensor known to hold one element in
 * one or more dimensions: a Keras initializer's value for a literal shape of ones
 * (`float(keras.initializers.RandomNormal(seed=42)(shape=(1, 1)))`, also an instance of each class
 * of a `for` loop over a list of initializer classes), or `keras.ops.ones`/`zeros`/
 * `full` or `keras.random.*` with such a shape, directly or through a name assigned one.
 *
 * Why: with Keras 3 the value is a backend tensor. JAX refuses `float()` of an array with dimensions
 * ("Only scalar arrays can be converted to Python scalars"), and so does TensorFlow's tensor with
 * NumPy 2 ("only 0-dimensional arrays can be converted to Python scalars"); PyTorch takes any
 * one-element tensor (checked on Keras 3.15, NumPy 2.4). `.item()` of the NumPy value gives the
 * element on every backend.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import { callParts, lastAssignedValue, withKerasImport } from '../helpers/calls';
import type { RuleContext, RuleDefinition } from '../rule';

const TO_NUMBER = new Set(['float', 'int']);

/** keras.ops / keras.random constructors and where their shape is: [position, keyword]. */
const SHAPED: Record<string, [number, string]> = {
  'keras.ops.ones': [0, 'shape'],
  'keras.ops.zeros': [0, 'shape'],
  'keras.ops.full': [0, 'shape'],
  'keras.ops.empty': [0, 'shape'],
  'keras.random.normal': [0, 'shape'],
  'keras.random.uniform': [0, 'shape'],
  'keras.random.truncated_normal': [0, 'shape'],
  'keras.random.randint': [0, 'shape']
};

/** Whether `node` is a tuple or list literal of one or more integer literals, all 1. */
function singleElementShape(node: SyntaxNode | null | undefined, ctx: RuleContext): boolean {
  let n = node;
  while (n?.type === 'parenthesized_expression') {
    const inner = n.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
    n = inner.length === 1 ? inner[0] : null;
  }
  if (!n || (n.type !== 'tuple' && n.type !== 'list')) {
    return false;
  }
  const items = itemsOf(n);
  return items.length > 0 && items.every(i => i.type === 'integer' && ctx.textOf(i).replace(/_/g, '') === '1');
}

const INITIALIZER_CLASS = /^keras\.initializers\.[A-Za-z]\w*$/;

/**
 * Whether a name is the target of the `for` loop around it over a list or tuple of Keras
 * initializer classes (literal, or a name assigned one): `for initializer in initializers_list:`
 * with `initializers_list = [initializers.RandomNormal, ..., initializers.Orthogonal]` (the keras.io
 * reproducibility recipe).
 */
function loopsOverInitializerClasses(name: SyntaxNode, ctx: RuleContext): boolean {
  for (let p = name.parent; p; p = p.parent) {
    if (p.type === 'for_statement') {
      const left = child(p, 'left');
      if (left?.type === 'identifier' && ctx.textOf(left) === ctx.textOf(name)) {
        let items = child(p, 'right');
        if (items?.type === 'identifier') {
          items = lastAssignedValue(ctx.textOf(items), p, ctx);
        }
        if (!items || (items.type !== 'list' && items.type !== 'tuple')) {
          return false;
        }
        const classes = itemsOf(items);
        return (
          classes.length > 0 &&
          classes.every(c => {
            const cls = ctx.resolveKeras(c);
            return !!cls && INITIALIZER_CLASS.test(cls) && cls !== 'keras.initializers.get';
          })
        );
      }
    }
    if (p.type === 'function_definition' || p.type === 'class_definition') {
      return false;
    }
  }
  return false;
}

/** Whether `fn` (a callee) is a Keras initializer instance: `keras.initializers.X(...)` (or the class a loop goes through), or a name last assigned one. */
function isInitializer(fn: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (fn.type === 'call') {
    const inner = child(fn, 'function');
    if (inner?.type === 'identifier' && !ctx.resolveKeras(inner) && loopsOverInitializerClasses(inner, ctx)) {
      return true;
    }
    const name = inner ? ctx.resolveKeras(inner) : null;
    return !!name && INITIALIZER_CLASS.test(name) && name !== 'keras.initializers.get';
  }
  if (fn.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(fn), fn, ctx);
    return !!value && isInitializer(value, ctx, false);
  }
  return false;
}

/** Whether `value` is a Keras backend tensor of one element in one or more dimensions. */
function isOneElementTensor(value: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (value.type === 'identifier' && follow) {
    const assigned = lastAssignedValue(ctx.textOf(value), value, ctx);
    return !!assigned && isOneElementTensor(assigned, ctx, false);
  }
  if (value.type !== 'call') {
    return false;
  }
  const parts = callParts(value, ctx);
  if (!parts || parts.splat) {
    return false;
  }
  const shape = (position: number, keyword: string): SyntaxNode | undefined => parts.keywords.get(keyword)?.value ?? parts.positional[position];
  if (isInitializer(parts.fn, ctx)) {
    return singleElementShape(shape(0, 'shape'), ctx);
  }
  const name = ctx.resolveKeras(parts.fn);
  const where = name ? SHAPED[name] : undefined;
  return !!where && singleElementShape(shape(...where), ctx);
}

/** TF / NumPy constructors of a value with a shape: where that shape is. */
const SHAPED_DATA: Record<string, [number, string]> = {
  'tf.ones': [0, 'shape'],
  'tf.zeros': [0, 'shape'],
  'tf.fill': [0, 'dims'],
  'tf.random.normal': [0, 'shape'],
  'tf.random.uniform': [0, 'shape'],
  'tf.random.truncated_normal': [0, 'shape'],
  'numpy.ones': [0, 'shape'],
  'numpy.zeros': [0, 'shape'],
  'numpy.full': [0, 'shape'],
  'numpy.empty': [0, 'shape']
};

/** A nested list literal holding one number in one or more dimensions (`[[0.5]]`). */
function oneElementLiteral(node: SyntaxNode, ctx: RuleContext): boolean {
  let n: SyntaxNode | undefined = node;
  let depth = 0;
  while (n?.type === 'list' || n?.type === 'tuple') {
    const items: SyntaxNode[] = itemsOf(n).filter(c => c.type !== '[' && c.type !== ']' && c.type !== '(' && c.type !== ')' && c.type !== ',');
    if (items.length !== 1) {
      return false;
    }
    n = items[0];
    depth++;
  }
  return depth > 0 && !!n && (n.type === 'integer' || n.type === 'float' || (n.type === 'unary_operator' && /^-\s*[\d.]+$/.test(ctx.textOf(n))));
}

/** Whether an initial value makes one element in one or more dimensions (Keras, TF or NumPy maker; a literal). */
function oneElementInitialValue(value: SyntaxNode, ctx: RuleContext): boolean {
  if (oneElementLiteral(value, ctx) || isOneElementTensor(value, ctx)) {
    return true;
  }
  const parts = value.type === 'call' ? callParts(value, ctx) : null;
  const name = parts ? (ctx.resolve(parts.fn) ?? '').replace(/^tensorflow\./, 'tf.') : '';
  const where = SHAPED_DATA[name];
  if (parts && where) {
    return singleElementShape(parts.keywords.get(where[1])?.value ?? parts.positional[where[0]], ctx);
  }
  // `tf.constant([[0.5]])`, `np.array([[1.0]])`
  if (parts && /^(tf\.constant|tf\.convert_to_tensor|numpy\.(array|asarray))$/.test(name) && parts.positional[0]) {
    return oneElementLiteral(parts.positional[0], ctx);
  }
  return false;
}

/**
 * Whether `value` is a variable of one element in one or more dimensions: `self.w` or a name
 * assigned `self.add_weight(shape=(1, 1), ...)`, `tf.Variable(tf.zeros((1, 1)))` or
 * `keras.Variable(...)` of such a value or shape. Every backend refuses `float()` of it: a Keras
 * variable accepts only scalars, a TF variable goes through NumPy 2 (checked on Keras 3.15).
 */
function isOneElementVariable(value: SyntaxNode, ctx: RuleContext): boolean {
  let made: SyntaxNode | null = null;
  if (value.type === 'identifier') {
    made = lastAssignedValue(ctx.textOf(value), value, ctx);
  } else if (value.type === 'attribute' && ctx.textOf(child(value, 'object') ?? value) === 'self' && ctx.cls) {
    // The one value the class assigns to `self.X`.
    const attr = ctx.textOf(child(value, 'attribute') ?? value);
    const found: SyntaxNode[] = [];
    const visit = (n: SyntaxNode): void => {
      const left = n.type === 'assignment' ? child(n, 'left') : null;
      if (left?.type === 'attribute' && ctx.textOf(left) === `self.${attr}`) {
        const right = child(n, 'right');
        if (right) {
          found.push(right);
        }
      }
      n.children.forEach(visit);
    };
    visit(ctx.cls.node);
    made = found.length === 1 ? found[0] : null;
  }
  const parts = made?.type === 'call' ? callParts(made, ctx) : null;
  if (!parts || parts.splat) {
    return false;
  }
  const fn = parts.fn;
  const method = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : null;
  if (method === 'add_weight') {
    // Keras 2's first parameter is the name: only a literal shape counts there.
    return singleElementShape(parts.keywords.get('shape')?.value ?? parts.positional.find(p => p.type === 'tuple' || p.type === 'list'), ctx);
  }
  const name = ctx.resolveKeras(fn) ?? (ctx.resolve(fn) ?? '').replace(/^tensorflow\./, 'tf.');
  if (name === 'keras.Variable' || name === 'keras.variables.Variable') {
    const shape = parts.keywords.get('shape')?.value;
    if (shape) {
      return singleElementShape(shape, ctx);
    }
    const init = parts.keywords.get('initializer')?.value ?? parts.positional[0];
    return !!init && oneElementInitialValue(init, ctx);
  }
  if (name === 'tf.Variable') {
    const init = parts.keywords.get('initial_value')?.value ?? parts.positional[0];
    return !!init && oneElementInitialValue(init, ctx);
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  if (!fn || fn.type !== 'identifier' || !TO_NUMBER.has(ctx.textOf(fn)) || ctx.lookup(ctx.textOf(fn))) {
    return;
  }
  const args = child(node, 'arguments');
  const items = args ? itemsOf(args) : [];
  if (items.length !== 1 || items[0].type === 'keyword_argument' || items[0].type === 'list_splat') {
    return;
  }
  const value = items[0];
  const variable = !isOneElementTensor(value, ctx) && isOneElementVariable(value, ctx);
  if (!variable && !isOneElementTensor(value, ctx)) {
    return;
  }
  const text = `keras.ops.convert_to_numpy(${ctx.textOf(value)}).item()`;
  const what = variable ? 'variable' : 'tensor';
  const fails = variable
    ? 'every backend refuses it: a Keras variable converts only scalars ("Only scalar arrays can be converted to Python scalars"), a TensorFlow variable goes through NumPy, which since NumPy 2 refuses the same'
    : 'JAX refuses it ("Only scalar arrays can be converted to Python scalars"), and so does TensorFlow with NumPy 2 ("only 0-dimensional arrays"); PyTorch takes it';
  ctx.report(
    node,
    `\`${ctx.textOf(fn)}()\` of ${ctx.textOf(value).length > 60 ? `a Keras ${what}` : `\`${ctx.textOf(value)}\`, a ${variable ? '' : 'Keras '}${what}`} with dimensions: ${fails}. Use \`${ctx.textOf(fn)}(keras.ops.convert_to_numpy(...).item())\`, its one element on every backend.`,
    {
      title: `Take its one element: \`keras.ops.convert_to_numpy(...).item()\``,
      safe: true,
      edits: withKerasImport(ctx, [{ start: value.start, end: value.end, text }])
    },
    undefined,
    undefined,
    variable ? ['tensorflow', 'jax', 'torch'] : ['tensorflow', 'jax']
  );
}

export const floatOfNonscalarTensor: RuleDefinition = {
  code: 'KM292',
  name: 'float-of-nonscalar-tensor',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError on JAX, and on TensorFlow with NumPy 2; PyTorch converts a one-element tensor (Keras 3.15, NumPy 2.4); a one-element variable fails on all three. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `float()` or `int()` of a Keras tensor that holds one element in one or more dimensions: the value of a Keras initializer (also `initializer(seed=42)(shape=(1, 1))` where a `for` loop goes through a list of initializer classes), `keras.ops.ones`/`zeros`/`full` or `keras.random.*` for a literal shape of ones (`(1, 1)`), directly or through a name assigned one; and of a variable of such a shape: `self.w` or a name assigned `self.add_weight(shape=(1, 1), ...)`, `tf.Variable(tf.zeros((1, 1)))` or `keras.Variable(...)` of a one-element value or shape.',
    why: 'In Keras 3 these are backend tensors. JAX converts only arrays without dimensions to Python numbers ("Only scalar arrays can be converted to Python scalars"), and TensorFlow tensors go through NumPy, which since NumPy 2 refuses the same ("only 0-dimensional arrays can be converted to Python scalars"); PyTorch converts any one-element tensor. A variable fails on every backend: a Keras variable (`add_weight`, `keras.Variable`) converts only scalars whatever the backend, and a `tf.Variable` goes through NumPy 2 (checked on Keras 3.15). Keras 2 with NumPy 1 converted it. `keras.ops.convert_to_numpy(t).item()` is the one element on every backend, so the fix is safe. Not covered by the migration guide.',
    example: 'import keras\nw = float(keras.initializers.RandomNormal(seed=42)(shape=(1, 1)))',
    useInstead: 'import keras\nw = float(keras.ops.convert_to_numpy(keras.initializers.RandomNormal(seed=42)(shape=(1, 1))).item())'
  },
  calls: { names: ['float', 'int'] },
  visitors: { call: visit }
};
