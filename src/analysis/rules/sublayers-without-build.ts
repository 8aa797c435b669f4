import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/** Methods defined directly in a class body, by name. */
function methods(cls: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const body = child(cls, 'body');
  for (const stmt of body?.children ?? []) {
    const def = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
    if (def && def.type === 'function_definition') {
      const name = child(def, 'name');
      if (name) {
        out.set(ctx.textOf(name), def);
      }
    }
  }
  return out;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.cls?.node !== node || ctx.cls.keras !== 'layer') {
    return;
  }
  const defs = methods(node, ctx);
  const init = defs.get('__init__');
  const call = defs.get('call');
  if (!init || !call || defs.has('build')) {
    return;
  }
  // Sublayers created in __init__: `self.x = <Keras layer class>(...)`.
  const created: string[] = [];
  const stack = [init];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      const callee = right?.type === 'call' ? child(right, 'function') : null;
      if (left?.type === 'attribute' && callee && ctx.textOf(child(left, 'object') ?? left) === 'self' && ctx.kerasKindOfClass(callee) === 'layer') {
        created.push(ctx.textOf(child(left, 'attribute') ?? left));
      }
    }
    stack.push(...n.children);
  }
  const callText = ctx.textOf(call);
  const used = created.filter(name => new RegExp(`self\\.${name}\\b`).test(callText));
  if (used.length === 0) {
    return;
  }
  const name = child(node, 'name') ?? node;
  ctx.report(
    name,
    `\`${ctx.textOf(name)}\` creates sublayers (${used.map(u => 'self.' + u).join(', ')}) in __init__ and calls them in call() without a build() method; on JAX their weights must exist before tracing: add build() and build each sublayer.`
  );
}

export const sublayersWithoutBuild: RuleDefinition = {
  code: 'KM111',
  name: 'sublayers-without-build',
  slug: 'state-building',
  severity: 'warning',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags custom layers that create Keras sublayers in `__init__`, use them in `call()`, and define no `build()`.',
    why:
      'Such layers create their weights lazily on the first call. JAX needs all state before tracing, so Keras 3 warns that the layer "has unbuilt state" and then fails with "Unable to automatically build the model" (guide section "State-building issues").',
    example:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(8)\n    def call(self, x):\n        return self.dense(x)',
    useInstead:
      'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(8)\n    def build(self, input_shape):\n        self.dense.build(input_shape)\n    def call(self, x):\n        return self.dense(x)'
  },
  visitors: { class_definition: visit }
};
