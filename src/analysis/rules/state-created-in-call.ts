import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName } from '../rule-helpers';

/** Calls that create a weight of the layer. */
const WEIGHT_MAKERS = /^self\.(add_weight|add_variable)$/;

/** The `call` method defined directly in a class body. */
function callMethod(cls: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  for (const stmt of child(cls, 'body')?.children ?? []) {
    const def = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
    if (def && def.type === 'function_definition' && ctx.textOf(child(def, 'name') ?? def) === 'call') {
      return def;
    }
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.cls?.node !== node || (ctx.cls.keras !== 'layer' && ctx.cls.keras !== 'model')) {
    return;
  }
  const call = callMethod(node, ctx);
  if (!call) {
    return;
  }
  // State made while call() runs: `self.x = <Keras layer>(...)` or a weight (`self.add_weight(...)`).
  const stack = [...(child(call, 'body')?.children ?? [])];
  const found: Array<{ node: SyntaxNode; what: string }> = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue; // a nested function is not run by call() itself
    }
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const name = fn ? ctx.textOf(fn).replace(/\s+/g, '') : '';
      if (fn && (WEIGHT_MAKERS.test(name) || (isSelfAssigned(n, ctx) && ctx.kerasKindOfClass(fn) === 'layer'))) {
        found.push({ node: n, what: WEIGHT_MAKERS.test(name) ? `a weight (\`${name}\`)` : `the sublayer \`${calleeName(fn, ctx)}\`` });
      }
    }
    stack.push(...n.children);
  }
  for (const { node: n, what } of found.sort((a, b) => a.node.start - b.node.start)) {
    ctx.report(
      n,
      `\`call()\` creates ${what}: Keras 3 locks a layer's state once it is built, so this raises "You cannot add new elements of state (variables or sub-layers) to a layer that is already built" (on TensorFlow, JAX and PyTorch alike). Create it in \`__init__()\` or in \`build(self, input_shape)\`.`
    );
  }
}

/** `self.x = <call>`: the call's value becomes an attribute of the layer. */
function isSelfAssigned(callNode: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = callNode.parent;
  if (!assignment || assignment.type !== 'assignment' || callNode.field !== 'right') {
    return false;
  }
  const left = child(assignment, 'left');
  return left?.type === 'attribute' && ctx.textOf(child(left, 'object') ?? left) === 'self';
}

export const stateCreatedInCall: RuleDefinition = {
  code: 'KM111',
  name: 'state-created-in-call',
  slug: 'state-building',
  severity: 'error',
  /** Checked by running Keras 3.15: the same ValueError on TensorFlow, JAX and PyTorch. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['add_weight', 'add_variable'],
  docs: {
    whatItDoes:
      'Flags the `call()` method of a Keras Layer or Model subclass that creates state: assigns a new Keras layer to `self.<name>`, or creates a weight (`self.add_weight`), typically behind `if self.dense is None:`. Sublayers created in `__init__()` and used in `call()` are not flagged: Keras 3 builds them by tracing `call()` (checked by running on TensorFlow, JAX and PyTorch).',
    why:
      'Keras 2 let a layer create weights lazily on its first call. Keras 3 (since 3.0) locks the state of a layer once it is built, and builds it before the first real call, so state created inside `call()` raises "You cannot add new elements of state (variables or sub-layers) to a layer that is already built" on every backend (guide section "State-building issues"). Where the state goes depends on the input shape, so there is no automatic fix.',
    example:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = None\n    def call(self, x):\n        if self.dense is None:\n            self.dense = keras.layers.Dense(8)\n        return self.dense(x)',
    useInstead:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(8)\n    def call(self, x):\n        return self.dense(x)'
  },
  visitors: { class_definition: visit }
};
