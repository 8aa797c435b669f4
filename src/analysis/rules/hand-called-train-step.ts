/**
 * What it does: flags `model.train_step(batch)` called by hand on a model that runs Keras's own
 * train_step: a Sequential or functional model, or a Model subclass of the notebook that defines
 * no train_step (also once a fix has turned its TensorFlow train_step into a compute_loss()
 * override), and rewrites a batch written as `(x, y)` or `[x, y]` into
 * `model.train_on_batch(x, y, return_dict=True)` (loop variables, which may hold tf.data's TensorFlow
 * tensors, as NumPy arrays: JAX's train_on_batch takes no TensorFlow tensors).
 * Why: Keras 3's JAX trainer is stateless: its train_step takes `(state, data)` and returns
 * `(logs, state)`, so the hand call raises "train_step() missing 1 required positional argument:
 * 'data'" on JAX; TensorFlow and PyTorch run one step on the batch. `train_on_batch` runs one
 * step on every backend.
 * Example: `for x, y in dataset: logs = model.train_step([x, y])`
 * Use instead: `for x, y in dataset: logs = model.train_on_batch(x, y, return_dict=True)`
 */
import { child, identifiersIn, itemsOf, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, withKerasImport } from '../rule-helpers';
import { classMethodDefinitions, onlyVisibleDefinition } from '../helpers/model-code';

/** Noted for a notebook model class whose train_step is not Keras's own (it or a notebook base defines one, or a base is not seen). */
const OWN_STEP = 'model-class:own-train-step:';
/** Keras's model constructors: their instances run Keras's own train_step. */
const KERAS_MODELS = new Set(['keras.Sequential', 'keras.models.Sequential', 'keras.Model', 'keras.models.Model']);

/** Whether the class or a base of it defines train_step (a base that cannot be seen here counts as one that does). */
function definesStep(cls: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (classMethodDefinitions(cls, ctx).has('train_step')) {
    return true;
  }
  const bases = child(cls, 'superclasses');
  for (const base of bases ? itemsOf(bases) : []) {
    if (base.type === 'keyword_argument' || ctx.resolveKeras(base)) {
      continue; // keras.Model and its kin; metaclass= and the like
    }
    const def = base.type === 'identifier' && depth < 4 ? onlyVisibleDefinition(cls, 'class_definition', ctx.textOf(base), ctx) : null;
    if (!def || definesStep(def, ctx, depth + 1)) {
      return true;
    }
  }
  return false;
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  // Noted for any class of that name: the call site knows whether it is a Keras model.
  if (name && definesStep(node, ctx)) {
    ctx.note(OWN_STEP + ctx.textOf(name));
  }
}

/** The fix for a batch written as a tuple or list of x, y (and sample weights). */
function trainOnBatchFix(node: SyntaxNode, receiver: string, batch: SyntaxNode, ctx: RuleContext): RawFix | null {
  const literal = batch.type === 'parenthesized_expression' ? null : batch;
  const items = literal && (literal.type === 'tuple' || literal.type === 'list') ? itemsOf(literal) : [];
  if (items.length < 2 || items.length > 3 || items.some(i => i.type === 'list_splat' || i.type === 'comment')) {
    return null;
  }
  // A loop variable may hold tf.data's TensorFlow tensors, which JAX's train_on_batch cannot take:
  // NumPy arrays work on every backend.
  const args = items.map(i => (loopTarget(i, ctx) ? `keras.ops.convert_to_numpy(${ctx.textOf(i)})` : ctx.textOf(i)));
  const edits = [{ start: node.start, end: node.end, text: `${receiver}.train_on_batch(${args.join(', ')}, return_dict=True)` }];
  return {
    title: `Run the step with \`${receiver}.train_on_batch(...)\` (one step on every backend; it returns the logs as Python numbers)`,
    safe: false,
    edits: args.some(a => a.startsWith('keras.ops.')) ? withKerasImport(ctx, edits) : edits
  };
}

/** Whether `item` is a name a `for` loop around it binds (`for inp, target in dataset:`). */
function loopTarget(item: SyntaxNode, ctx: RuleContext): boolean {
  if (item.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(item);
  for (let p = item.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    const left = p.type === 'for_statement' ? child(p, 'left') : null;
    if (left && identifiersIn(left).some(id => ctx.textOf(id) === name)) {
      return true;
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const fn = parts?.fn;
  const method = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
  if (!parts || !method || !object || ctx.textOf(method) !== 'train_step' || object.type !== 'identifier' || ctx.textOf(object) === 'self') {
    return;
  }
  if (parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return;
  }
  const receiver = ctx.textOf(object);
  const made = lastAssignedValue(receiver, node, ctx);
  const ctor = made?.type === 'call' ? child(made, 'function') : null;
  if (!ctor) {
    return;
  }
  let onlyIf: string | undefined;
  if (KERAS_MODELS.has(ctx.resolveKeras(ctor) ?? '')) {
    onlyIf = undefined;
  } else if (ctor.type === 'identifier' && ctx.lookup(ctx.textOf(ctor))?.kind === 'class' && ctx.kerasKindOfClass(ctor) === 'model') {
    onlyIf = `!anywhere:${OWN_STEP}${ctx.textOf(ctor)}`;
  } else {
    return;
  }
  const fix = trainOnBatchFix(node, receiver, parts.positional[0], ctx);
  ctx.report(
    node,
    `\`${receiver}.train_step(...)\` called by hand runs Keras's own train_step, which on JAX takes \`(state, data)\` and returns \`(logs, state)\`: it raises "train_step() missing 1 required positional argument: 'data'" there (TensorFlow and PyTorch run one step on the batch). \`${receiver}.train_on_batch(x, y, return_dict=True)\` runs one step on every backend.`,
    fix,
    undefined,
    onlyIf
  );
}

export const handCalledTrainStep: RuleDefinition = {
  code: 'KM216',
  name: 'hand-called-train-step',
  slug: 'custom-train-step',
  severity: 'warning',
  // Checked by running Keras 3.15: a compiled Sequential's `model.train_step((x, y))` runs on
  // TensorFlow and PyTorch and raises TypeError on JAX; `train_on_batch(x, y, return_dict=True)` runs on all three.
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: ['train_step'],
  docs: {
    whatItDoes:
      'Flags `model.train_step(batch)` called by hand on a model that runs Keras\'s own train_step: a Sequential or functional model, or a Model subclass of the notebook that neither defines train_step nor derives from a notebook class that does (a subclass whose TensorFlow train_step KM141\'s fix turned into a `compute_loss()` override is such a model). A batch written as `(x, y)` or `[x, y]` (or with sample weights) becomes `model.train_on_batch(x, y, return_dict=True)`, with loop variables passed through `keras.ops.convert_to_numpy()` (a loop over a tf.data dataset gives TensorFlow tensors, which JAX\'s train_on_batch rejects: "Cannot interpret \'tf.float32\' as a data type").',
    why:
      'Keras 3\'s JAX trainer is stateless: its train_step takes `(state, data)` and returns `(logs, state)`, so a hand call with the batch raises "train_step() missing 1 required positional argument: \'data\'" on JAX, while TensorFlow and PyTorch run one step (checked by running Keras 3.15). `train_on_batch` runs one step on every backend; it resets the metrics before the step and returns the logs as Python numbers (not tensors: no `.numpy()` on them), so the fix is a suggestion. A model whose own train_step takes the batch (a notebook class defining `train_step(self, data)`) runs the hand call on every backend and is not flagged.',
    example:
      'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nfor x, y in batches:\n    logs = model.train_step([x, y])',
    useInstead:
      'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nfor x, y in batches:\n    logs = model.train_on_batch(x, y, return_dict=True)'
  },
  calls: { names: ['train_step'] },
  // Findings are on `.train_step(` calls; the facts only matter where there is one.
  requires: ['train_step'],
  visitors: { call: visit, class_definition: visitClass }
};
