/**
 * single-target-for-multi-output-model (KM229)
 *
 * What it does: flags `fit()`, `evaluate()`, `train_on_batch()` and `test_on_batch()` given one
 * target array (`y=labels`, a NumPy array, a `to_categorical` result or a tensor made by
 * `tf.ones` / `tf.constant` / `keras.ops.zeros` / `keras.random.normal` ...; also the target of a
 * `validation_data=(x, y)` tuple) for a Functional model built in the cell with a literal list of
 * N > 1 outputs (`keras.Model(inputs, outputs=[a, b])`, also returned by a function of the cell)
 * and compiled there with N losses (a list, or a dict of N keys) or with one loss.
 *
 * Why: Keras 2 used the one target for every output. Keras 3 matches the targets to the outputs'
 * structure: with a list or dict of losses it raises "y_true and y_pred have different
 * structures", with one loss "The path: (0,) in the `loss` argument, can't be found", on
 * TensorFlow, JAX and PyTorch alike (Keras 3.15: claims/single_target_for_multi_output_model.py).
 *
 * Example:
 *   model = keras.Model(inputs, outputs=[similarity, clusters])
 *   model.compile(optimizer="adam", loss=[consistency_loss, entropy_loss])
 *   model.fit(x, labels)
 *
 * Use instead: one target per output, the same array as Keras 2 used: `model.fit(x, [labels] * 2)`.
 *
 * Fix: safe. `[labels] * N` gives each output the target Keras 2 gave it (the same array): the
 * losses and the trained weights are those of Keras 2's single target (checked on Keras 2.21).
 */
import { child, enclosingFunctionDefinition, itemsOf, returnStatements, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, lastAssignedValue, moduleAssignments, rootOf } from '../rule-helpers';
import { modelOutputCount } from '../helpers/model-outputs';
import { yieldsOneTarget } from '../helpers/tf-data';
import { moduleFunctionDefinition } from '../helpers/tape-context';

const METHODS = new Set(['fit', 'evaluate', 'train_on_batch', 'test_on_batch']);
const FUNCTIONAL_MODEL = new Set(['keras.Model', 'keras.models.Model']);

/** NumPy functions that make one array (not a list or tuple of arrays). */
const NUMPY_ARRAY =
  /^numpy\.((array|asarray|asanyarray|ones|zeros|full|empty|arange|linspace|eye|identity|concatenate|stack|vstack|hstack|repeat|tile|reshape|expand_dims|squeeze|(ones|zeros|full|empty)_like|float32|float64|int32|int64)|random\.(rand|randn|randint|random|uniform|normal|choice|binomial|permutation))$/;
/**
 * TensorFlow and Keras 3 functions that make one tensor (keras.io's semantic image clustering:
 * `labels = tf.ones(shape=(n,))`), as `ctx.resolve` / `ctx.resolveKeras` name them.
 */
const TENSOR_MAKERS =
  /^(tensorflow|keras\.ops)\.(ones|zeros|full|fill|constant|convert_to_tensor|eye|range|arange|(ones|zeros)_like)$|^(tensorflow\.random|keras\.random)\.(uniform|normal|truncated_normal|randint)$/;
/** Array methods that return one array. */
const ARRAY_METHODS = new Set(['astype', 'reshape', 'copy', 'squeeze', 'flatten', 'ravel']);

/**
 * The value last assigned to `name` before `at`: in the function around `at`, else at the top of
 * the cell, where a statement the relevance filter left out (no Keras word in it, so no children:
 * `losses = ["mse", "mse"]`, `labels = np.ones(n)`) gives the text of its right-hand side.
 */
function valueOf(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | string | null {
  const inFunction = lastAssignedValue(name, at, ctx);
  if (inFunction && inFunction.start >= (enclosingFunctionDefinition(at)?.start ?? Infinity)) {
    return inFunction;
  }
  // The last module-level assignment before `at`.
  const assignments = moduleAssignments(rootOf(at), ctx).get(name) ?? [];
  let low = 0;
  let high = assignments.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (assignments[mid].statement.start < at.start) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low > 0 ? assignments[low - 1].value : null;
}


/** The items of a list, tuple or dict written as text (`["mse", keras.losses.MAE()]`): how many, or null. */
function textItemCount(text: string, open: string): number | null {
  const close = { '[': ']', '(': ')', '{': '}' }[open];
  if (!close || !text.startsWith(open) || !text.endsWith(close) || /\*/.test(text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""'))) {
    return null;
  }
  let depth = 0;
  let items = 0;
  let pending = false;
  const body = text.slice(1, -1).replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
  for (const c of body) {
    if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
    }
    if (depth === 0 && c === ',') {
      items += pending ? 1 : 0;
      pending = false;
    } else if (!/\s/.test(c)) {
      pending = true;
    }
  }
  return items + (pending ? 1 : 0);
}


/** A list or tuple literal of N items (no `*splat`), the list or tuple a name is bound to, else null. */
function literalItems(node: SyntaxNode | null, ctx: RuleContext, types = ['list', 'tuple']): SyntaxNode[] | null {
  const value = node && node.type === 'identifier' ? valueOf(ctx.textOf(node), node, ctx) : node;
  if (!value || typeof value === 'string' || !types.includes(value.type)) {
    return null;
  }
  const items = itemsOf(value);
  return items.some(i => i.type === 'list_splat' || i.type === 'dictionary_splat') ? null : items;
}

/**
 * The number of outputs of the Functional model `value` builds: `keras.Model(inputs, outputs=[a, b])`
 * with a literal list (or a name bound to one), or a call of a function of the cell that returns one.
 */
function outputCount(value: SyntaxNode | null, ctx: RuleContext, depth = 0): number | null {
  if (!value || value.type !== 'call' || depth > 2) {
    return null;
  }
  const parts = callParts(value, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  if (FUNCTIONAL_MODEL.has(ctx.resolveKeras(parts.fn) ?? '')) {
    const items = literalItems(parts.keywords.get('outputs')?.value ?? parts.positional[1] ?? null, ctx);
    return items && items.length > 1 ? items.length : null;
  }
  const def = parts.fn.type === 'identifier' ? moduleFunctionDefinition(ctx.textOf(parts.fn), value, ctx) : null;
  const returned = def ? returnStatements(def).map(r => r.children.find(c => c.type !== 'comment') ?? r) : [];
  if (returned.length !== 1) {
    return null;
  }
  const r = returned[0];
  return outputCount(r.type === 'identifier' ? lastAssignedValue(ctx.textOf(r), r, ctx) : r, ctx, depth + 1);
}

/**
 * How many losses `compile()` was given: the items of a list or tuple, the keys of a dict, 1 for
 * one loss (a string, a call, an attribute, a function of the cell); null when unknown.
 */
function lossCount(compile: SyntaxNode, ctx: RuleContext): number | null {
  const parts = callParts(compile, ctx);
  const loss = parts && !parts.splat ? (parts.keywords.get('loss')?.value ?? parts.positional[1] ?? null) : null;
  if (!loss) {
    return null;
  }
  const value = loss.type === 'identifier' ? valueOf(ctx.textOf(loss), loss, ctx) : loss;
  if (!value) {
    return loss.type === 'identifier' && moduleFunctionDefinition(ctx.textOf(loss), loss, ctx) ? 1 : null;
  }
  if (typeof value === 'string') {
    return /^["']/.test(value) || /^[\w.]+\([^]*\)$/.test(value) ? 1 : textItemCount(value, value[0]);
  }
  if (value.type === 'list' || value.type === 'tuple' || value.type === 'dictionary') {
    const items = itemsOf(value);
    // `loss=[loss_fn, None]` (keras.io's miniature GPT): an output without a loss takes no target,
    // and Keras 3 trains on the one target; not this rule's.
    const isNone = (i: SyntaxNode) => (i.type === 'pair' ? child(i, 'value') : i)?.type === 'none';
    if (items.some(isNone)) {
      return null;
    }
    return items.every(i => i.type !== 'list_splat' && i.type !== 'dictionary_splat') ? items.length : null;
  }
  return value.type === 'string' || value.type === 'call' || value.type === 'attribute' ? 1 : null;
}

/** The last `name.compile(...)` of the cell before `at`. */
function lastCompile(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  const stack = [rootOf(at)];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.start >= at.start) {
      continue;
    }
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
      if (object && ctx.textOf(object) === name && calleeName(fn!, ctx) === 'compile' && (!found || n.start > found.start)) {
        found = n;
      }
    }
    stack.push(...n.children);
  }
  return found;
}

/** Whether `node` surely holds one array: a NumPy array, a `to_categorical` result, a slice or method of one, a name bound to one. */
function isSingleArray(node: SyntaxNode | string | null, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 4) {
    return false;
  }
  if (typeof node === 'string') {
    return isSingleArrayText(node, ctx);
  }
  switch (node.type) {
    case 'identifier':
      return isSingleArray(valueOf(ctx.textOf(node), node, ctx), ctx, depth + 1);
    case 'subscript':
      return isSingleArray(child(node, 'value'), ctx, depth + 1);
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      const keras = ctx.resolveKeras(fn) ?? '';
      if (keras === 'keras.utils.to_categorical' || NUMPY_ARRAY.test(ctx.resolve(fn) ?? '') || TENSOR_MAKERS.test(ctx.resolve(fn) ?? '') || TENSOR_MAKERS.test(keras)) {
        return true;
      }
      return fn.type === 'attribute' && !ctx.resolve(fn) && ARRAY_METHODS.has(calleeName(fn, ctx)) && isSingleArray(child(fn, 'object'), ctx, depth + 1);
    }
    default:
      return false;
  }
}

/**
 * The text of a skipped statement's value that surely makes one array: a NumPy call
 * (`np.ones((n,))`, through the cell's NumPy import), maybe followed by array methods or a subscript.
 */
function isSingleArrayText(text: string, ctx: RuleContext): boolean {
  const m = /^([A-Za-z_]\w*)((?:\.\w+)+)\(/.exec(text);
  const binding = m ? ctx.lookup(m[1]) : undefined;
  const made = binding?.kind === 'module' && ((binding.canonical === 'numpy' && NUMPY_ARRAY.test('numpy' + m![2])) || TENSOR_MAKERS.test(binding.canonical + m![2]));
  if (!m || !made) {
    return false;
  }
  // The call's closing parenthesis, then nothing but array methods and subscripts.
  let depth = 0;
  let end = -1;
  for (let i = m[0].length - 1; i < text.length; i++) {
    const c = text[i];
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth === 0) {
      end = i + 1;
      break;
    }
  }
  const rest = end < 0 ? null : text.slice(end);
  return rest !== null && new RegExp(`^(\\.(${[...ARRAY_METHODS].join('|')})\\([^()]*\\)|\\[[^\\[\\]]*\\])*$`).test(rest);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.fn.type !== 'attribute' || ctx.resolve(parts.fn)) {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  if (!METHODS.has(method) || !receiver || receiver.type !== 'identifier') {
    return;
  }
  const modelName = ctx.textOf(receiver);
  const model = valueOf(modelName, node, ctx);
  const exactOutputs = typeof model === 'string' ? null : outputCount(model, ctx);
  // Outputs counted from a list the code grows (at least N, keras.io BASNet's side outputs).
  const counted = exactOutputs === null ? modelOutputCount(receiver, node, ctx) : null;
  if (exactOutputs === null && (!counted || counted.min < 2)) {
    return;
  }
  const outputs = exactOutputs ?? (counted!.exact ? counted!.min : null);
  const compile = lastCompile(modelName, node, ctx);
  const losses = compile ? lossCount(compile, ctx) : null;
  if (losses !== 1 && (outputs === null || losses !== outputs)) {
    return;
  }
  const targets: Array<{ node: SyntaxNode; where: string; dataset: boolean }> = [];
  const x = parts.keywords.get('x')?.value ?? parts.positional[0];
  const y = parts.keywords.get('y')?.value ?? parts.positional[1];
  if (y && isSingleArray(y, ctx)) {
    targets.push({ node: y, where: `\`${method}()\``, dataset: false });
  } else if (!y && x && (method === 'fit' || method === 'evaluate') && yieldsOneTarget(x, ctx)) {
    targets.push({ node: x, where: `\`${method}()\``, dataset: true });
  }
  const validation = method === 'fit' ? parts.keywords.get('validation_data')?.value : undefined;
  const validationItems = validation && validation.type === 'tuple' ? itemsOf(validation) : [];
  if (validationItems.length === 2 && isSingleArray(validationItems[1], ctx)) {
    targets.push({ node: validationItems[1], where: '`fit(validation_data=...)`', dataset: false });
  } else if (validation && validation.type !== 'tuple' && validation.type !== 'list' && yieldsOneTarget(validation, ctx)) {
    targets.push({ node: validation, where: '`fit(validation_data=...)`', dataset: true });
  }
  const compiled = losses === 1 ? 'one loss' : `${losses} losses`;
  const error = losses === 1 ? 'KeyError "The path: (0,) in the `loss` argument, can\'t be found"' : 'ValueError "y_true and y_pred have different structures"';
  const described = outputs !== null ? `${outputs} outputs` : `at least ${counted!.min} outputs`;
  const times = outputs !== null ? `${outputs}` : `len(${modelName}.outputs)`;
  for (const target of targets) {
    const text = ctx.textOf(target.node);
    const replacement = target.dataset ? `${text}.map(lambda x, y: (x, (y,) * ${times}))` : `[${text}] * ${times}`;
    const given = target.dataset ? `a dataset of (input, target) pairs (\`${text}\`)` : `one target array (\`${text}\`)`;
    ctx.report(
      target.node,
      `${target.where} gets ${given} for \`${modelName}\`, a Functional model with ${described} compiled with ${compiled}: Keras 2 used the one target for every output, Keras 3 fails with ${error} on every backend. Pass one target per output: \`${replacement}\`.`,
      { title: `Give each output the target: \`${replacement}\``, safe: true, edits: [{ start: target.node.start, end: target.node.end, text: replacement }] }
    );
  }
}

export const singleTargetForMultiOutputModel: RuleDefinition = {
  code: 'KM229',
  name: 'single-target-for-multi-output-model',
  slug: 'api-changes',
  severity: 'error',
  /** fit() fails on TensorFlow, JAX and PyTorch (Keras 3.15): claims/single_target_for_multi_output_model.py. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['fit', 'evaluate', 'train_on_batch', 'test_on_batch'],
  docs: {
    whatItDoes:
      'Flags `fit()`, `evaluate()`, `train_on_batch()` and `test_on_batch()` given one target array (a NumPy array, a `to_categorical` result, or one tensor made by TensorFlow or Keras 3, `tf.ones(...)` as keras.io\'s semantic image clustering makes its labels; also the target of `fit(validation_data=(x, y))`), and `fit()` / `evaluate()` given a tf.data dataset surely yielding `(input, target)` pairs of one target (a chain of `batch` / `prefetch` / `cache` / `shuffle` ... over a `map` whose function returns a pair, directly or through a function of the cell, keras.io BASNet\'s pipeline; also as `validation_data`), for a Functional model built with a literal list of several outputs (`keras.Model(inputs, outputs=[a, b])`, or a list grown by `.append` / `.extend(model.output)` and mapped by a comprehension, also when a function of the cell returns it) and compiled with one loss per output (a list, or a dict with one key per output) or with a single loss.',
    why:
      'Keras 2 used the one target for every output. Keras 3 matches the targets to the structure of the outputs: with a list or dict of losses it raises "y_true and y_pred have different structures", with a single loss "The path: (0,) in the `loss` argument, can\'t be found", on TensorFlow, JAX and PyTorch alike (checked by running Keras 3.15 on each backend). The fix passes the same array once per output, `[y] * N` (a dataset: `ds.map(lambda x, y: (x, (y,) * N))`, N written `len(model.outputs)` when only a lower bound is known), which is what Keras 2 trained on: the losses and the trained weights match (checked on Keras 2.21). Not covered by the migration guide.',
    example:
      'import keras\nimport numpy as np\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, outputs=[keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)])\nmodel.compile(optimizer="adam", loss=["mse", "mse"])\nlabels = np.ones((16, 3))\nmodel.fit(np.ones((16, 4)), labels)',
    useInstead:
      'import keras\nimport numpy as np\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, outputs=[keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)])\nmodel.compile(optimizer="adam", loss=["mse", "mse"])\nlabels = np.ones((16, 3))\nmodel.fit(np.ones((16, 4)), [labels] * 2)'
  },
  calls: { names: ['fit', 'evaluate', 'train_on_batch', 'test_on_batch'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['fit', 'evaluate', 'train_on_batch', 'test_on_batch'],
  visitors: { call: visit }
};
