import { MAX_EXPRESSION_DEPTH, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

function containsNone(node: SyntaxNode, depth = 0): SyntaxNode | null {
  if (depth > MAX_EXPRESSION_DEPTH) {
    return null;
  }
  for (const c of node.children) {
    const value = c.type === 'pair' ? c.children.find(p => p.field === 'value') ?? null : c;
    if (!value) {
      continue;
    }
    if (value.type === 'none') {
      return value;
    }
    if (value.type === 'list' || value.type === 'tuple' || value.type === 'dictionary') {
      const inner = containsNone(value, depth + 1);
      if (inner) {
        return inner;
      }
    }
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  // The shape of the argument first: it rules out most calls before the callee's type is asked.
  const first = parts.positional[0];
  if (!first || (first.type !== 'list' && first.type !== 'tuple' && first.type !== 'dictionary') || !ctx.isLayerInstance(parts.fn)) {
    return;
  }
  const none = containsNone(first);
  if (none) {
    ctx.report(none, '`None` inside a nested layer input is rejected by Keras 3.0 to 3.3; pass the optional part as a keyword argument instead.');
  }
}

export const noneInNestedLayerInput: RuleDefinition = {
  code: 'KM101',
  name: 'none-in-nested-layer-input',
  slug: 'none-in-nested-call',
  severity: 'error',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags a `None` inside a list, tuple or dict passed as the first argument of a layer call, e.g. `layer({"x": x, "mask": None})`.',
    why:
      'Keras 3.0 to 3.3 require every leaf of a nested call argument to be a tensor and fail with "Only input tensors may be passed as positional arguments"; 3.4 accepts None leaves (guide section "None entries are not allowed as part of nested (e.g. list/tuples) tensor arguments in Layer.call()").',
    example: 'import keras\nblock = keras.layers.Dense(4)\noutputs = block([tokens, None])',
    useInstead: 'import keras\nblock = keras.layers.Dense(4)\noutputs = block(tokens, mask=None)'
  },
  visitors: { call: visit }
};
