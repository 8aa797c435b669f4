/**
 * inplace-update-of-layer-output (KM303)
 *
 * What it does: flags an augmented assignment (`s *= mask`, `x += t`) in a Keras layer's or
 * model's `call()` (or `train_step()`) whose target is a name that the method last bound to what a
 * layer or sub-model computed (`s, t = self.coupling[i](x)`, `h = self.dense(x)`,
 * `h = layers.Dense(8, activation="tanh")(x)`), and writes it as `s = s * mask`.
 *
 * Why: TensorFlow tensors (and JAX arrays) cannot change, so in Keras 2 `s *= mask` made a new
 * tensor and rebound `s`. A PyTorch tensor's `*=` changes the tensor in place. When the layer's
 * last operation keeps its output for the backward pass (tanh, sigmoid, relu, softmax, exp),
 * training on the PyTorch backend raises "one of the variables needed for gradient computation
 * has been modified by an inplace operation". `s = s * mask` is what the augmented assignment
 * meant in Keras 2, on every backend.
 *
 * Example:
 *   def call(self, x):
 *       s = self.scale(x)
 *       s *= self.mask
 *
 * Use instead:
 *   def call(self, x):
 *       s = self.scale(x)
 *       s = s * self.mask
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { binds } from '../helpers/calls';
import { kerasMethodName } from '../helpers/model-code';

const METHODS = new Set(['call', 'train_step', 'test_step']);
const OPERATORS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=']);
/** Right-hand sides that need no parentheses after the operator. */
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression', 'integer', 'float']);

/** The function definition directly around `node`. */
function enclosingDef(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') {
      return p;
    }
  }
  return null;
}

/**
 * A call of a layer or model: `self.attr(...)`, `self.attr[i](...)`, or a layer made and called
 * at once (`layers.Dense(8)(x)`, a call whose callee is a call).
 */
function isLayerCall(value: SyntaxNode, ctx: RuleContext): boolean {
  if (value.type !== 'call') {
    return false;
  }
  let fn = child(value, 'function');
  if (!fn) {
    return false;
  }
  if (fn.type === 'call') {
    return true;
  }
  if (fn.type === 'subscript') {
    fn = child(fn, 'value');
  }
  if (!fn || fn.type !== 'attribute') {
    return false;
  }
  const object = child(fn, 'object');
  return !!object && object.type === 'identifier' && ctx.textOf(object) === 'self';
}

/** The value last bound to `name` before `at` in `fn` (plain assignments only), and whether anything else binds it. */
function lastBinding(fn: SyntaxNode, name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let last: SyntaxNode | null = null;
  let other = false;
  const stack = [...fn.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.start < at.start) {
      if (n.type === 'assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (left && binds(left, name, ctx)) {
          if (!last || n.start > last.start) {
            last = n;
          }
          other = other || !right;
        }
      } else if (n.type === 'for_statement' || n.type === 'with_item' || n.type === 'named_expression') {
        const left = child(n, n.type === 'named_expression' ? 'name' : n.type === 'for_statement' ? 'left' : 'alias');
        if (left && binds(left, name, ctx)) {
          other = true;
        }
      }
    }
    stack.push(...n.children);
  }
  if (!last || other) {
    return null;
  }
  // A loop between the binding and the update could carry another value in: the binding must be in the same block.
  return last.parent?.parent === at.parent?.parent || last.parent === at.parent ? child(last, 'right') : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const method = kerasMethodName(ctx);
  if (!method || !METHODS.has(method)) {
    return;
  }
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || left.type !== 'identifier') {
    return;
  }
  // Punctuation is not a child here: the operator is the text between the two sides.
  const operator = ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim();
  if (!OPERATORS.has(operator)) {
    return;
  }
  const fn = enclosingDef(node);
  if (!fn || fn.type !== 'function_definition') {
    return;
  }
  const name = ctx.textOf(left);
  const value = lastBinding(fn, name, node, ctx);
  if (!value || !isLayerCall(value, ctx)) {
    return;
  }
  const op = operator.slice(0, -1);
  const rhs = ctx.textOf(right);
  const operand = PRIMARY.has(right.type) ? rhs : `(${rhs})`;
  ctx.report(
    node,
    `\`${name} ${operator} ...\` changes \`${name}\` in place on PyTorch, and \`${name}\` is what a layer computed: where that layer's last op keeps its output for the backward pass (tanh, sigmoid, relu, softmax, exp), training on PyTorch raises "one of the variables needed for gradient computation has been modified by an inplace operation". TensorFlow tensors cannot change, so in Keras 2 this made a new tensor; write \`${name} = ${name} ${op} ${operand}\`.`,
    {
      title: `Write \`${name} = ${name} ${op} ...\` (a new tensor, as on TensorFlow)`,
      safe: true,
      edits: [{ start: node.start, end: node.end, text: `${name} = ${name} ${op} ${operand}` }]
    }
  );
}

export const inplaceUpdateOfLayerOutput: RuleDefinition = {
  code: 'KM303',
  name: 'inplace-update-of-layer-output',
  slug: 'keras-ops',
  severity: 'warning',
  /** Only a layer whose last op keeps its output for the backward pass fails (on PyTorch, in training): no backend is claimed. */
  blocks: [],
  fixAvailability: 'always',
  triggers: ['call', 'train_step', 'test_step'],
  docs: {
    whatItDoes:
      'Flags an augmented assignment (`s *= mask`, `x += t`, any arithmetic operator) in a Keras layer\'s or model\'s `call()`, `train_step()` or `test_step()` whose target the method last bound, in the same block, to the result of a layer or sub-model call (`s, t = self.blocks[i](x)`, `h = self.dense(x)`, `h = layers.Dense(8)(x)`). The fix writes `s = s * mask`.',
    why:
      'TensorFlow tensors and JAX arrays cannot change: in Keras 2 `s *= mask` made a new tensor and rebound the name. On the PyTorch backend the layer\'s output is a torch tensor whose `*=` changes it in place; when the op that made it keeps its output for the backward pass (tanh, sigmoid, relu, softmax, exp), `fit()` raises "one of the variables needed for gradient computation has been modified by an inplace operation" (checked on Keras 3.15 with a Dense layer with tanh activation; a linear Dense output survives, so no backend is claimed). The rewrite is what the statement did on TensorFlow, so the fix is safe on every backend. Not covered by the migration guide.',
    example:
      'import keras\nclass Flow(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = keras.layers.Dense(2, activation="tanh")\n    def call(self, x):\n        s = self.scale(x)\n        s *= 0.5\n        return x * keras.ops.exp(s)',
    useInstead:
      'import keras\nclass Flow(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = keras.layers.Dense(2, activation="tanh")\n    def call(self, x):\n        s = self.scale(x)\n        s = s * 0.5\n        return x * keras.ops.exp(s)'
  },
  visitors: { augmented_assignment: visit }
};
