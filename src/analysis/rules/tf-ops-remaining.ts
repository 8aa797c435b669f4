/** KM190: which layers and model functions stay TensorFlow-only after the safe fixes (no fix: a summary). */
import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import { isTfOpName } from '../knowledge';
import { idsForStringLookup, withinStoredConversion } from '../helpers/string-lookup';
import { isTensorflowStepPath } from '../helpers/multi-optimizer-step';
import { tensorflowOnlyBranch } from '../helpers/backend-branch';
import type { RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { inKerasClassMethod, kerasMethodName, modelCodeVariants, noteFunctionArguments, noteGradRuns, noteLambdaFunctions, noteLayerInputs, suppressedOnLine, tfOpCall, tfOpClaim } from '../rule-helpers';
import type { Backend } from '../types';

/** TF calls that stay after the safe fixes, per owner (a class or a notebook function node). */
interface Remaining {
  /** Method (or '' for the function itself) -> TF names in order of appearance. */
  byPlace: Map<string, string[]>;
  count: number;
  condition: string | undefined;
  /** The backends the remaining calls fail on (each call's own claim, as KM131 makes it). */
  blocks: Set<Backend>;
  /** Per backend, the calls' notebook-wide conditions (any holding is enough); a backend claimed without one is absent. */
  conditions: Map<Backend, Set<string>>;
  /** Backends some call claims without a condition. */
  always: Set<Backend>;
  /** Some call is in an own eager method (a Keras model's `generate_images`). */
  eager: boolean;
}

const REMAINING = new CellMemoKey<Map<SyntaxNode, Remaining>>('remaining TF ops');

function remainingOf(ctx: RuleContext): Map<SyntaxNode, Remaining> {
  return ctx.cellMemo(REMAINING, () => new Map());
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  // Where the notebook applies its layer classes decides KM131's and this rule's PyTorch claims.
  noteLayerInputs(node, ctx);
  noteFunctionArguments(node, ctx);
  noteLambdaFunctions(node, ctx);
  // Where it trains or calls a model directly decides whether tensors require grad on PyTorch.
  noteGradRuns(node, ctx);
  // The rest is about TF calls only (tfOpCall answers null for any other callee): the cheap test first.
  const fn = child(node, 'function');
  if (!fn || !(ctx.resolve(fn) ?? '').startsWith('tensorflow.')) {
    return;
  }
  // Asked first: most TF calls are outside model code, and tfOpCall works out their rewrite.
  // A helper only eager code calls is left to KM131 (its traced variant alone is summarised here).
  const variants = modelCodeVariants(node, ctx).filter(v => !v.eager || v.method !== undefined);
  if (!variants.length) {
    return;
  }
  const op = tfOpCall(node, ctx);
  if (!op || op.name.startsWith('tf.keras')) {
    return;
  }
  // Converted by a safe fix: nothing remains of it. Silenced for KM131 on its line (as the
  // TensorFlow-only branch of the fix's own signal_stft helper is): not counted either.
  if ((isTfOpName(op.name) && op.conversion.fix?.safe) || suppressedOnLine(ctx.text, node.start, ['KM131', 'KM190', 'keras-ops'])) {
    return;
  }
  // The TF tensor of ids an inverted StringLookup needs, and a constant made in `__init__` and stored
  // as the backend's tensor (KM131's suggestion applied): neither keeps the class on TensorFlow.
  if (idsForStringLookup(node, ctx) || withinStoredConversion(node, ctx)) {
    return;
  }
  // Under `if keras.backend.backend() == "tensorflow":` (or after the other backends returned):
  // TensorFlow's own path, which keeps nothing else on TensorFlow.
  if (tensorflowOnlyBranch(node, ctx)) {
    return;
  }
  let owner: SyntaxNode | null = null;
  let place = '';
  if (inKerasClassMethod(ctx)) {
    owner = ctx.cls!.node;
    place = kerasMethodName(ctx) ?? '';
    if (isTensorflowStepPath(owner, place, ctx)) {
      return; // the TensorFlow path of a step that dispatches on the backend
    }
  } else {
    owner = ctx.notebookFunction()?.node ?? null;
  }
  if (!owner) {
    return; // a module-level lambda: its own findings say it all
  }
  // An own eager method is summarised as it runs from a callback or the top level (its eager
  // variant); where model code calls it too, its KM131 findings claim the traced backends.
  const variant = variants.find(v => v.method !== undefined) ?? variants[0];
  const condition = variant.method !== undefined ? true : (variant.condition ?? true);
  const map = remainingOf(ctx);
  let entry = map.get(owner);
  if (!entry) {
    entry = {
      byPlace: new Map(),
      count: 0,
      condition: condition === true ? undefined : condition,
      blocks: new Set(),
      conditions: new Map(),
      always: new Set(),
      eager: false
    };
    map.set(owner, entry);
  } else if (condition === true) {
    entry.condition = undefined;
  }
  entry.count++;
  const claim = tfOpClaim(node, ctx, variant.eager);
  entry.eager ||= claim.reason === 'eager';
  for (const backend of claim.blocks) {
    entry.blocks.add(backend);
    const only = claim.blocksOnlyIf?.[backend];
    if (only === undefined) {
      entry.always.add(backend);
    } else {
      entry.conditions.set(backend, (entry.conditions.get(backend) ?? new Set()).add(only));
    }
  }
  const names = entry.byPlace.get(place) ?? [];
  if (!names.includes(op.name)) {
    names.push(op.name);
  }
  entry.byPlace.set(place, names);
}

function report(node: SyntaxNode, ctx: RuleContext, owner: string): void {
  const entry = remainingOf(ctx).get(node);
  const nameNode = child(node, 'name');
  if (!entry || !nameNode) {
    return;
  }
  const shown = (names: string[]): string => names.slice(0, 6).map(n => `\`${n}\``).join(', ') + (names.length > 6 ? ', ...' : '');
  const places = [...entry.byPlace].map(([place, names]) => (place ? `${owner}.${place}: ${shown(names)}` : shown(names))).join('; ');
  const calls = entry.count === 1 ? '1 TF call remains' : `${entry.count} TF calls remain`;
  const blocks = (['jax', 'torch'] as const).filter(b => entry.blocks.has(b));
  const effect = blocks.length
    ? `it runs only on ${blocks.length === 2 ? 'TensorFlow' : blocks[0] === 'jax' ? 'TensorFlow and PyTorch' : 'TensorFlow and JAX'} until they are converted`
    : entry.eager
      ? 'they only run eagerly, compute Python values, print, name scopes or make data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend, but only while TensorFlow is installed, until they are converted'
      : 'they only compute Python values, print, name scopes or make data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend, but only while TensorFlow is installed, until they are converted';
  const blocksOnlyIf: Partial<Record<Backend, string>> = {};
  for (const backend of blocks) {
    if (!entry.always.has(backend)) {
      blocksOnlyIf[backend] = [...entry.conditions.get(backend)!].join(' | ');
    }
  }
  const conditional = Object.keys(blocksOnlyIf).length > 0;
  ctx.report(
    nameNode,
    `${calls} in \`${owner}\` after the safe fixes (${places}); ${effect}${conditional ? ' (on PyTorch only where tensors that require grad reach them: in training or a direct model call, not in `predict` or `evaluate`)' : ''} (suggested fixes or by hand).`,
    null,
    undefined,
    entry.condition,
    blocks,
    conditional ? blocksOnlyIf : undefined
  );
}

function exitClass(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.cls && ctx.cls.node === node && ctx.cls.keras !== null) {
    report(node, ctx, ctx.cls.name);
  }
}

function exitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const outer = ctx.notebookFunction();
  if (outer && outer.node === node) {
    report(node, ctx, outer.name + '()');
  }
}

export const tfOpsRemaining: RuleDefinition = {
  code: 'KM190',
  name: 'tf-ops-remaining',
  slug: 'keras-ops',
  severity: 'info',
  blocks: ['jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['fit', 'fit_generator', 'train_on_batch', 'apply_gradients', 'minimize', 'GradientTape'],
  docs: {
    whatItDoes:
      'Reports, once per Keras layer/model class and per model-code function (Lambda function, loss, metric, activation, helper called from model code), the TensorFlow calls that no safe fix converts, grouped by method. Not counted: `tf.convert_to_tensor(ids)` given to an inverted StringLookup (the TensorFlow tensor it needs), and the TF calls of a constant made in `__init__` and stored as `keras.ops.convert_to_tensor(...)` of it (KM131\'s suggestion applied).',
    why:
      'A layer runs on JAX and PyTorch only when all of its TF ops are converted to `keras.ops` (guide section "Switching to Keras ops"); one call without an exact conversion keeps the whole layer TensorFlow-only. The per-call findings say how to convert each call; this one says which layers are still TF-only.',
    example:
      'import keras\nimport tensorflow as tf\nclass Swish(keras.layers.Layer):\n    def call(self, x):\n        return tf.nn.silu(x, beta=2.0)',
    useInstead:
      'import keras\nclass Swish(keras.layers.Layer):\n    def call(self, x):\n        return x * keras.ops.sigmoid(2.0 * x)'
  },
  visitors: { call: visitCall, 'class_definition:exit': exitClass, 'function_definition:exit': exitFunction }
};
