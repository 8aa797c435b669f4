import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';
import { parameterNames } from '../helpers/calls';

/** A model's or layer's variable lists: in Keras 3 they hold KerasVariables. */
const VARIABLE_LISTS = new Set([
  'variables', 'trainable_variables', 'non_trainable_variables', 'weights', 'trainable_weights', 'non_trainable_weights'
]);

const ASSIGN = new Set(['assign', 'assign_add', 'assign_sub']);

/** The `@tf.function` / `@tf.function(...)` decorator of a def, or null. */
function tfFunctionDecorator(def: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : null;
  for (const dec of decorated ? decorated.children : []) {
    if (dec.type !== 'decorator') {
      continue;
    }
    let expr = dec.children.find(c => c.type !== 'comment' && c.type !== '@') ?? null;
    if (expr && expr.type === 'call') {
      expr = child(expr, 'function');
    }
    if (expr && ctx.resolve(expr) === 'tensorflow.function') {
      return dec;
    }
  }
  return null;
}

/**
 * The parameters whose elements the body assigns to: `for a, b in zip(target, source): a.assign(...)`
 * or `for v in target: v.assign(...)` (the loop variable bound straight from a parameter).
 */
function assignedParameters(def: SyntaxNode, params: string[], ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  const body = child(def, 'body') ?? def.children.find(c => c.type === 'block');
  const stack = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    stack.push(...n.children);
    if (n.type !== 'for_statement') {
      continue;
    }
    const left = child(n, 'left');
    const right = child(n, 'right');
    const loopBody = child(n, 'body');
    if (!left || !right || !loopBody) {
      continue;
    }
    // Which loop variable comes from which parameter.
    const targets = left.type === 'identifier' ? [left] : left.children.filter(c => c.type === 'identifier');
    let sources: SyntaxNode[] = [];
    if (right.type === 'identifier') {
      sources = [right];
    } else if (right.type === 'call') {
      const parts = callParts(right, ctx);
      if (parts && parts.fn.type === 'identifier' && ctx.textOf(parts.fn) === 'zip' && !ctx.resolve(parts.fn)) {
        sources = parts.positional;
      }
    }
    if (targets.length !== sources.length && !(targets.length === 1 && sources.length === 1)) {
      continue;
    }
    const fromParam = new Map<string, string>();
    targets.forEach((t, i) => {
      const src = sources[i];
      if (src && src.type === 'identifier' && params.includes(ctx.textOf(src))) {
        fromParam.set(ctx.textOf(t), ctx.textOf(src));
      }
    });
    const inner = [loopBody];
    while (inner.length) {
      const m = inner.pop()!;
      inner.push(...m.children);
      if (m.type !== 'call') {
        continue;
      }
      const fn = child(m, 'function');
      const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
      const method = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
      if (object && method && object.type === 'identifier' && ASSIGN.has(ctx.textOf(method)) && fromParam.has(ctx.textOf(object))) {
        out.add(fromParam.get(ctx.textOf(object))!);
      }
    }
  }
  return out;
}

/** The last top-level `def name` of the cell before `at`, or null. */
function defBefore(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let root: SyntaxNode = at;
  while (root.parent) {
    root = root.parent;
  }
  let found: SyntaxNode | null = null;
  for (const statement of root.children) {
    if (statement.start >= at.start) {
      break;
    }
    const def = statement.type === 'decorated_definition' ? statement.children.find(c => c.type === 'function_definition') ?? null : statement;
    const defName = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (defName && ctx.textOf(defName) === name) {
      found = def;
    }
  }
  return found;
}

/** Removes the decorator's line (the def keeps its indentation). */
function decoratorLine(decorator: SyntaxNode, ctx: RuleContext): { start: number; end: number } {
  const text = ctx.text;
  let start = decorator.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) {
    start--;
  }
  let end = decorator.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) {
    end++;
  }
  if (text[end] === '\r') {
    end++;
  }
  if (text[end] === '\n') {
    end++;
  }
  return { start, end };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.fn.type !== 'identifier') {
    return;
  }
  // A Keras model's or layer's variable list among the arguments (checked where the call is,
  // once the names it reads are bound).
  const passesVariables = (arg: SyntaxNode): boolean => {
    const attr = arg.type === 'attribute' ? child(arg, 'attribute') : null;
    const object = arg.type === 'attribute' ? child(arg, 'object') : null;
    return !!attr && !!object && VARIABLE_LISTS.has(ctx.textOf(attr)) && ctx.isLayerInstance(object);
  };
  if (!parts.positional.some(passesVariables) && ![...parts.keywords.values()].some(kw => passesVariables(kw.value))) {
    return;
  }
  const name = ctx.textOf(parts.fn);
  const def = defBefore(name, node, ctx);
  const decorator = def ? tfFunctionDecorator(def, ctx) : null;
  const params = def && decorator ? parameterNames(def, ctx) : null;
  if (!def || !decorator || !params) {
    return;
  }
  const assigned = assignedParameters(def, params, ctx);
  const given: Array<[string, SyntaxNode]> = parts.positional.map((a, i) => [params[i] ?? '', a]);
  for (const [kw, v] of parts.keywords) {
    given.push([kw, v.value]);
  }
  if (!given.some(([param, arg]) => assigned.has(param) && passesVariables(arg))) {
    return;
  }
  const line = decoratorLine(decorator, ctx);
  ctx.report(
    decorator,
    `\`${name}()\` is a \`@tf.function\` that calls \`.assign()\` on the variables it is passed, and it is passed a model's variable list: in Keras 3 those are KerasVariables, which tf.function turns into tensors ("'SymbolicTensor' object has no attribute 'assign'", on every backend). Without the decorator the assignments run eagerly on every backend.`,
    { title: 'Remove `@tf.function` (the assignments run eagerly)', safe: true, edits: [{ start: line.start, end: line.end, text: '' }] }
  );
}

export const tfFunctionAssignToVariableList: RuleDefinition = {
  code: 'KM227',
  name: 'tf-function-assign-to-variable-list',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: a @tf.function soft update `for (a, b) in zip(target, source):
   * a.assign(b * tau + a * (1 - tau))` called with `target_model.variables` raises
   * "'SymbolicTensor' object has no attribute 'assign'" on TensorFlow, JAX and PyTorch; without the
   * decorator it runs on all three; tf_keras 2.21 runs the decorated one.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `@tf.function` whose body loops over one of its parameters (directly or through `zip(...)`) and calls `.assign()` / `.assign_add()` / `.assign_sub()` on the loop variable, when the cell calls it with a Keras model\'s or layer\'s `.variables` / `.trainable_variables` / `.weights` for that parameter: the soft target update of keras.io\'s DDPG and of most actor-critic code. The fix removes the decorator.',
    why:
      'In Keras 2 a model\'s variables were tf.Variables, which a tf.function receives as variables. Keras 3\'s are KerasVariables: tf.function converts the list it is passed into tensors, and `.assign` fails with "\'SymbolicTensor\' object has no attribute \'assign\'" on every backend. Run eagerly, the same loop assigns the KerasVariables on TensorFlow, JAX and PyTorch, so removing the decorator is safe (only slower on TensorFlow). Not covered by the migration guide.',
    example:
      'import tensorflow as tf\nimport keras\n\nactor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\ntarget_actor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n\n\n@tf.function\ndef update_target(target_weights, weights, tau):\n    for (a, b) in zip(target_weights, weights):\n        a.assign(b * tau + a * (1 - tau))\n\n\nupdate_target(target_actor.variables, actor.variables, 0.005)',
    useInstead:
      'import tensorflow as tf\nimport keras\n\nactor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\ntarget_actor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n\n\ndef update_target(target_weights, weights, tau):\n    for (a, b) in zip(target_weights, weights):\n        a.assign(b * tau + a * (1 - tau))\n\n\nupdate_target(target_actor.variables, actor.variables, 0.005)'
  },
  // Findings need a parameter the function calls `.assign()` (`assign_add`, `assign_sub`) on.
  requires: ['assign', 'assign_add', 'assign_sub'],
  visitors: { call: visit }
};
