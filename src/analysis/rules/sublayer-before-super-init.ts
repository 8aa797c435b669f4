import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { lineStartAt } from '../rule-helpers';
import { parameterNames } from '../helpers/calls';
import { buildsLayer, layerArgumentFact, noteLayerArguments } from '../helpers/layer-arguments';

/** Attributes Keras's Layer.__init__ sets itself: moving the base call above code that sets them changes which value wins. */
const BASE_ATTRIBUTES = /^(name|trainable|dtype|built|input_spec|supports_masking|autocast|dynamic|stateful|dtype_policy)$/;

/** The `super().__init__(...)` / `super(Cls, self).__init__(...)` / `Base.__init__(self, ...)` call of a statement, if it is one. */
function baseInitCall(statement: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const call = statement.type === 'expression_statement' ? statement.children[0] : null;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  if (fn?.type !== 'attribute' || ctx.textOf(child(fn, 'attribute') ?? fn) !== '__init__') {
    return null;
  }
  const owner = child(fn, 'object');
  if (owner?.type === 'call' && ctx.textOf(child(owner, 'function') ?? owner) === 'super') {
    return call;
  }
  return owner && ctx.kerasKindOfClass(owner) ? call : null;
}

/** `self.<attr> = value` of a statement: [attribute name, value]. */
function selfAssignment(statement: SyntaxNode, ctx: RuleContext): [string, SyntaxNode | null] | null {
  const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
  const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
  if (left?.type !== 'attribute' || ctx.textOf(child(left, 'object') ?? left) !== 'self') {
    return null;
  }
  return [ctx.textOf(child(left, 'attribute') ?? left), child(assignment!, 'right')];
}

/** The names a subtree reads or writes (identifiers). */
function identifiers(node: SyntaxNode, into: Set<string>, ctx: RuleContext): Set<string> {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      into.add(ctx.textOf(n));
    }
    stack.push(...n.children);
  }
  return into;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.textOf(child(node, 'name') ?? node) !== '__init__') {
    return;
  }
  const cls = node.parent?.type === 'block' ? node.parent.parent : node.parent?.type === 'decorated_definition' ? node.parent.parent?.parent ?? null : null;
  const bases = cls?.type === 'class_definition' ? child(cls, 'superclasses') : null;
  const kind = bases ? bases.children.map(b => ctx.kerasKindOfClass(b)).find(k => k) : null;
  const body = child(node, 'body');
  if ((kind !== 'layer' && kind !== 'model') || !body) {
    return;
  }
  const statements = body.children.filter(c => c.type !== 'comment');
  const superIndex = statements.findIndex(s => baseInitCall(s, ctx));
  if (superIndex <= 0) {
    return;
  }
  const before = statements.slice(0, superIndex);
  const sublayer = before.find(s => {
    const assigned = selfAssignment(s, ctx);
    return !!assigned && buildsLayer(assigned[1], ctx);
  });
  // `self.inner = inner` of a parameter: a layer where some call of the class passes one (og47b
  // repro_8, Géron's DenseTranspose(dense)); reported on that condition, noted at the calls (noteLayerArguments).
  const params = parameterNames(node, ctx) ?? [];
  const clsName = cls ? ctx.textOf(child(cls, 'name') ?? cls) : '';
  const fromParameter = sublayer
    ? undefined
    : before.find(s => {
        const value = selfAssignment(s, ctx)?.[1];
        return value?.type === 'identifier' && params.slice(1).includes(ctx.textOf(value));
      });
  const found = sublayer ?? fromParameter;
  if (!found) {
    return;
  }
  const onlyIf = fromParameter ? `anywhere:${layerArgumentFact(clsName, ctx.textOf(selfAssignment(fromParameter, ctx)![1]!))}` : undefined;
  // Move the base call above the first statement that sets an attribute of `self`.
  const targetIndex = before.findIndex(s => selfAssignment(s, ctx));
  const target = statements[targetIndex];
  const superStatement = statements[superIndex];
  const moved = before.slice(targetIndex);
  // Names the base call's arguments read (`super(Cls, self)` itself aside).
  const args = child(baseInitCall(superStatement, ctx)!, 'arguments');
  const read = args ? identifiers(args, new Set(), ctx) : new Set<string>();
  const setInMoved = new Set<string>();
  for (const s of moved) {
    const assignment = s.type === 'expression_statement' ? s.children[0] : null;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
    if (left) {
      identifiers(left, setInMoved, ctx);
    } else {
      // Anything else (a loop, a call) may set names or state the base call reads.
      identifiers(s, setInMoved, ctx);
    }
  }
  const readsMoved = [...read].some(name => name === 'self' || setInMoved.has(name));
  const setsBaseAttribute = moved.some(s => {
    const assigned = selfAssignment(s, ctx);
    return !assigned ? s.type !== 'expression_statement' : BASE_ATTRIBUTES.test(assigned[0]);
  });
  const text = ctx.text;
  const lineStart = lineStartAt(text, superStatement.start);
  const lineEnd = text.indexOf('\n', superStatement.end);
  const targetLineStart = lineStartAt(text, target.start);
  const indent = text.slice(targetLineStart, target.start);
  const edits: OffsetEdit[] = [
    { start: target.start, end: target.start, text: `${ctx.textOf(superStatement)}\n${indent}` },
    { start: lineStart, end: lineEnd === -1 ? superStatement.end : lineEnd + 1, text: '' }
  ];
  const fix = readsMoved ? null : { title: 'Call the base `__init__()` first', safe: !setsBaseAttribute, edits };
  ctx.report(
    found,
    `This \`__init__\` assigns a layer${fromParameter ? ' (the one the class is given)' : ''} to \`self\` before calling the base \`__init__()\`: on PyTorch a Keras layer is a \`torch.nn.Module\`, and the assignment raises "cannot assign module before Module.__init__() call" (TensorFlow and JAX accept it). Call \`super().__init__(...)\` first.`,
    fix,
    undefined,
    onlyIf
  );
}

export const sublayerBeforeSuperInit: RuleDefinition = {
  code: 'KM207',
  name: 'sublayer-before-super-init',
  slug: 'api-changes',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'sometimes',
  triggers: ['__init__'],
  docs: {
    whatItDoes: 'Flags a Layer or Model subclass whose `__init__` assigns a layer (a Keras layer, a layer class of the notebook, a function of the notebook that returns a layer or model, or a parameter that some call of the class, in any cell, passes a layer for: Géron\'s `DenseTranspose(dense)`) to `self` before it calls `super().__init__()`.',
    why:
      'Keras 2 and Keras 3 on TensorFlow and JAX track such an attribute anyway, but on PyTorch every Keras layer is a `torch.nn.Module`, and `torch.nn.Module.__setattr__` refuses a module before the base `__init__` has run ("cannot assign module before Module.__init__() call", checked on Keras 3.15 with the keras.io Switch Transformer\'s Router, which sets its Dense before `super().__init__()`). Plain values (numbers, lists of layers) are accepted. The fix moves the base call above the first line that sets an attribute of `self`: safe when those lines set no attribute Keras\'s own `__init__` sets (`name`, `trainable`, `dtype`, ...), a suggestion otherwise, and not offered when the base call\'s arguments read what those lines set.',
    example:
      'import keras\n\nclass Router(keras.layers.Layer):\n    def __init__(self, num_experts):\n        self.num_experts = num_experts\n        self.route = keras.layers.Dense(num_experts)\n        super().__init__()\n\n    def call(self, x):\n        return self.route(x)',
    useInstead:
      'import keras\n\nclass Router(keras.layers.Layer):\n    def __init__(self, num_experts):\n        super().__init__()\n        self.num_experts = num_experts\n        self.route = keras.layers.Dense(num_experts)\n\n    def call(self, x):\n        return self.route(x)'
  },
  visitors: { function_definition: visit, call: noteLayerArguments }
};
