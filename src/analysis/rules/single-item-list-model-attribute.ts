/**
 * single-item-list-model-attribute (KM301)
 *
 * What it does: flags `model.output` (and `model.input`) used as one tensor when the Functional
 * model was built with a list of one output (`keras.Model(inputs=[x_in], outputs=[x])`, also in a
 * function of the cell that returns the model).
 *
 * Why: Keras 2 returned the one tensor for a model with one output (or input), whatever the list
 * around it. Keras 3 keeps the structure the model was built with: `model.output` is a list of
 * one tensor, so `[refine_model.output] + ...` nests a list in the outputs of a new model (keras.io
 * BASNet: the loss then gets a stacked `(1, batch, ...)` prediction), and a layer or an op applied
 * to it gets a list.
 *
 * Example:
 *   refine_model = keras.Model(inputs=[x_in], outputs=[x])
 *   output = [refine_model.output]
 *
 * Use instead: `refine_model.outputs[0]`, the same tensor in Keras 2 and Keras 3.
 *
 * Fix: safe (the same tensor on both versions).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName } from '../rule-helpers';
import { modelOutputCount } from '../helpers/model-outputs';

/** Whether the attribute is read as a list: subscripted, iterated, unpacked, or handed to a function that takes a sequence. */
function readAsList(node: SyntaxNode, ctx: RuleContext): boolean {
  const parent = node.parent;
  if (!parent) {
    return false;
  }
  if (parent.type === 'subscript' && child(parent, 'value') === node) {
    return true;
  }
  if (parent.type === 'list_splat' || (parent.type === 'for_statement' && child(parent, 'right') === node) || (parent.type === 'for_in_clause' && child(parent, 'right') === node)) {
    return true;
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const fn = child(parent.parent, 'function');
    return !!fn && ['extend', 'len', 'list', 'tuple', 'zip', 'enumerate', 'map', 'flatten'].includes(calleeName(fn, ctx));
  }
  return false;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'attribute');
  const receiver = child(node, 'object');
  const attr = name ? ctx.textOf(name) : '';
  if ((attr !== 'output' && attr !== 'input') || !receiver || receiver.type !== 'identifier' || readAsList(node, ctx)) {
    return;
  }
  const which = attr === 'output' ? 'outputs' : 'inputs';
  const count = modelOutputCount(receiver, node, ctx, which);
  if (!count || !count.exact || count.min !== 1) {
    return;
  }
  const model = ctx.textOf(receiver);
  const replacement = `${model}.${which}[0]`;
  ctx.report(
    node,
    `\`${model}\` was built with a list of one ${attr} (\`${which}=[...]\`): Keras 2's \`${model}.${attr}\` was that tensor, Keras 3's is a list of one tensor (a new model built on it gets nested ${which}, a layer or an op gets a list). \`${replacement}\` is the tensor on both.`,
    { title: `Use \`${replacement}\``, safe: true, edits: [{ start: node.start, end: node.end, text: replacement }] }
  );
}

export const singleItemListModelAttribute: RuleDefinition = {
  code: 'KM301',
  name: 'single-item-list-model-attribute',
  slug: 'api-changes',
  severity: 'warning',
  /** What fails depends on the use (keras.io BASNet's loss gets a stacked prediction): no backend is claimed. */
  blocks: [],
  fixAvailability: 'always',
  triggers: ['output', 'input'],
  docs: {
    whatItDoes:
      'Flags `model.output` and `model.input` read as one tensor (not subscripted, iterated, unpacked or extended) when the Functional model was built with a list of exactly one output or input (`keras.Model(inputs=[x_in], outputs=[x])`, a list literal, a comprehension over one, a name bound to one; also when a function of the cell builds and returns the model).',
    why:
      'Keras 2 gave the one tensor for a model with a single output or input, whatever list it was built with. Keras 3 keeps the structure: `model.output` is a list of one tensor. Code written for Keras 2 then nests lists (keras.io BASNet\'s `output = [refine_model.output]` becomes `[[x], ...]`, and the loss gets a stacked `(1, batch, ...)` prediction: "Arguments `target` and `output` must have the same shape", checked on Keras 3.15) or hands a list to a layer or an op. `model.outputs[0]` (`model.inputs[0]`) is the tensor on both versions, so the fix is safe. Not covered by the migration guide.',
    example:
      'import keras\nx_in = keras.Input((8,))\nrefine_model = keras.Model(inputs=[x_in], outputs=[keras.layers.Dense(1)(x_in)])\nhead = keras.layers.Activation("sigmoid")(refine_model.output)',
    useInstead:
      'import keras\nx_in = keras.Input((8,))\nrefine_model = keras.Model(inputs=[x_in], outputs=[keras.layers.Dense(1)(x_in)])\nhead = keras.layers.Activation("sigmoid")(refine_model.outputs[0])'
  },
  attributes: { names: ['output', 'input'] },
  // Findings are on `.output` / `.input` attributes.
  requires: ['output', 'input'],
  visitors: { attribute: visitAttribute }
};
