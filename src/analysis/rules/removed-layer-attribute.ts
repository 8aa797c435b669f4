import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { isModelLayerLookup, kerasLayerClassOf } from '../helpers/layer-calls';

/** `model.layers[3]`, `model.get_layer("dense")`, `layer`: expressions that are layers, not models. */
function isLayerExpression(node: SyntaxNode, ctx: RuleContext): boolean {
  const text = ctx.textOf(node).replace(/\s+/g, '');
  if (isModelLayerLookup(node, ctx)) {
    return true;
  }
  if (node.type !== 'identifier') {
    return false;
  }
  // `for layer in model.layers:` (or any loop over a `.layers` list).
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'for_in_clause') {
      const left = child(p, 'left');
      const right = child(p, 'right');
      if (left && right && ctx.textOf(left) === text && /\.layers(\[[^\]]*\])?$/.test(ctx.textOf(right).replace(/\s+/g, ''))) {
        return true;
      }
    }
  }
  return /^(layer|lyr|l)\d*$|_layer$/i.test(text);
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!attr || !object || ctx.resolve(node)) {
    return;
  }
  const name = ctx.textOf(attr);
  if ((name !== 'output_shape' && name !== 'input_shape') || !isLayerExpression(object, ctx)) {
    return;
  }
  // Assigning it (`layer.input_shape = ...`) is not the Keras 2 read.
  if (node.parent?.type === 'assignment' && node.field === 'left') {
    return;
  }
  const replacement = name === 'output_shape' ? 'output.shape' : 'input.shape';
  ctx.report(attr, `Keras 3 layers have no \`${name}\` (models still do); use \`${ctx.textOf(object)}.${replacement}\` for a layer of a built model.`, {
    title: `Use \`.${replacement}\``,
    safe: false,
    edits: [{ start: attr.start, end: attr.end, text: replacement }]
  });
}

/** The lookup layers whose Keras 2 `vocab_size()` (a deprecated alias) Keras 3 dropped for `vocabulary_size()`. */
const LOOKUP_LAYERS = /(?:^|\.)(StringLookup|IntegerLookup|TextVectorization)$/;

/** `lookup.vocab_size()` on a name holding a lookup layer. */
function visitVocabSize(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const receiver = child(parts.fn, 'object');
  const layer = receiver ? LOOKUP_LAYERS.exec(kerasLayerClassOf(receiver, ctx) ?? '') : null;
  const attr = child(parts.fn, 'attribute');
  if (!layer || !attr || parts.positional.length || parts.keywords.size) {
    return;
  }
  ctx.report(attr, `Keras 3's \`${layer[1]}\` has no \`vocab_size()\` (Keras 2's deprecated alias): "'${layer[1]}' object has no attribute 'vocab_size'". Use \`vocabulary_size()\`.`, {
    title: 'Use `vocabulary_size()`',
    safe: true,
    edits: [{ start: attr.start, end: attr.end, text: 'vocabulary_size' }]
  });
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (parts && parts.fn.type === 'attribute' && calleeName(parts.fn, ctx) === 'vocab_size') {
    visitVocabSize(node, parts, ctx);
    return;
  }
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'add_update') {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || ctx.textOf(receiver) !== 'self' || !ctx.cls?.keras) {
    return;
  }
  ctx.report(parts.fn, 'Keras 3 layers have no `add_update()`; assign the new value to the variable directly (`self.moving_mean.assign(...)`).');
}

export const removedLayerAttribute: RuleDefinition = {
  code: 'KM174',
  name: 'removed-layer-attribute',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['output_shape', 'input_shape', 'add_update', 'vocab_size'],
  docs: {
    whatItDoes:
      'Flags `output_shape`/`input_shape` read from a layer (`model.layers[i]`, `model.get_layer(...)`, a loop over `model.layers`) `self.add_update(...)` in custom layers, and `vocab_size()` of a `StringLookup`, `IntegerLookup` or `TextVectorization` layer (the name last assigned one).',
    why:
      'Keras 3 layers dropped these Keras 2 members (Sequential and Functional models keep `output_shape`), so the code raises AttributeError. Not covered by the migration guide. `layer.output.shape` gives the same tuple for a layer used once in a built model, so it is offered as a suggestion. `vocab_size()` was Keras 2\'s deprecated alias of `vocabulary_size()` on lookup layers (TensorFlow\'s CSV tutorial; "\'StringLookup\' object has no attribute \'vocab_size\'" on Keras 3.15): renaming it is safe.',
    example: 'for layer in model.layers:\n    print(layer.name, layer.output_shape)',
    useInstead: 'for layer in model.layers:\n    print(layer.name, layer.output.shape)'
  },
  calls: { names: ['add_update', 'vocab_size'] },
  // Findings are on `.output_shape`, `.input_shape`, `add_update(...)` and `vocab_size()`.
  requires: ['output_shape', 'input_shape', 'add_update', 'vocab_size'],
  attributes: { names: ['output_shape', 'input_shape'] },
  visitors: { attribute: visitAttribute, call: visitCall }
};
