import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';

/** The methods Keras 3 calls with one `<arg>_shape` keyword per tensor argument of `call()`. */
const SHAPE_METHODS = new Set(['build', 'compute_output_shape']);

/** Parameter kinds Keras counts (plain, typed, defaulted; not `*args`/`**kwargs`). */
const COUNTED = new Set(['identifier', 'typed_parameter', 'default_parameter', 'typed_default_parameter']);

function parameterName(parameter: SyntaxNode, ctx: RuleContext): string {
  if (parameter.type === 'identifier') {
    return ctx.textOf(parameter);
  }
  const name = child(parameter, 'name') ?? parameter.children.find(c => c.type === 'identifier');
  return name ? ctx.textOf(name) : '';
}

/** The parameter names of a method (without `self`), or null when there is none. */
function parametersOf(def: SyntaxNode): SyntaxNode[] {
  const parameters = child(def, 'parameters');
  return parameters ? itemsOf(parameters) : [];
}

/** The `call()` argument names of the class, or null when the class defines no call(). */
function callArguments(cls: SyntaxNode, ctx: RuleContext): Set<string> | null {
  for (const statement of child(cls, 'body')?.children ?? []) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const name = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (name && ctx.textOf(name) === 'call') {
      return new Set(parametersOf(def!).slice(1).map(p => parameterName(p, ctx)));
    }
  }
  return null;
}

/** Whether `name` is read in the method's body. */
function usedInBody(def: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const body = child(def, 'body');
  return body !== null && new RegExp(`\\b${name}\\b`).test(ctx.textOf(body));
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const cls = ctx.cls;
  const method = nameNode ? ctx.textOf(nameNode) : '';
  if (!SHAPE_METHODS.has(method) || !cls || (cls.keras !== 'layer' && cls.keras !== 'model')) {
    return;
  }
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const all = parametersOf(node);
  const counted = all.slice(1).filter(p => COUNTED.has(p.type));
  if (counted.length < 2) {
    return; // one argument: Keras passes the first input's shape whatever its name
  }
  const callArgs = callArguments(cls.node, ctx);
  const wrong = counted.filter(p => {
    const name = parameterName(p, ctx);
    return !name.endsWith('_shape') || (callArgs !== null && !callArgs.has(name.slice(0, -'_shape'.length)));
  });
  if (wrong.length === 0) {
    return;
  }
  // Keras 2 called `build(input_shape)`: the other parameters always took their defaults. Dropping
  // defaulted ones the body never reads keeps what the method does, and Keras 3 then passes one shape.
  const extra = counted.slice(1);
  const droppable = extra.every(p => (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && !usedInBody(node, parameterName(p, ctx), ctx));
  let fix = null;
  if (droppable && extra.length > 0) {
    const edits: OffsetEdit[] = extra.map(p => {
      // From the end of the previous parameter (its comma included) to the end of this one.
      const previous = all[all.indexOf(p) - 1];
      return { start: previous.end, end: p.end, text: '' };
    });
    fix = { title: `Drop the extra \`${method}()\` parameters (Keras never passed them)`, safe: true, edits };
  }
  const first = wrong[0];
  ctx.report(
    first,
    `Keras 3 calls \`${method}()\` with one \`<name>_shape\` keyword per tensor argument of \`call()\` as soon as it has more than one parameter, so \`${parameterName(first, ctx)}\` raises "For a \`${method}()\` method with more than one argument, all arguments should have a \`_shape\` suffix and match an argument from \`call()\`" on every backend. Keras 2 passed only \`input_shape\`.`,
    fix
  );
}

export const buildExtraArgument: RuleDefinition = {
  code: 'KM182',
  name: 'build-extra-argument',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError when the layer is first called (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `build()`/`compute_output_shape()` methods of Keras layer and model classes that take more than one argument where an argument is not named `<call argument>_shape` (`def build(self, input_shape, extra=None)`).',
    why:
      'Keras 2 called `build(input_shape)` and left other parameters to their defaults. Keras 3 passes one shape per tensor argument of `call()` by keyword (`build(self, query_shape, value_shape)` for `call(self, query, value)`), and with more than one parameter it checks every name first: any other name raises ValueError when the layer is first called, on every backend (checked by running Keras 3.15, defaulted parameters included). Dropping defaulted parameters the body never reads keeps the method as Keras 2 ran it, so that fix is safe; otherwise rename the parameters after `call()`\'s arguments.',
    example: 'import keras\nclass Pair(keras.layers.Layer):\n    def build(self, input_shape, extra=None):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))',
    useInstead: 'import keras\nclass Pair(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))'
  },
  // Findings are on a `def build` or `def compute_output_shape`.
  requires: ['build', 'compute_output_shape'],
  visitors: { function_definition: visitFunction }
};
