/**
 * mixed-tensor-call-argument (KM308)
 *
 * What it does: flags a call of a Functional Keras model (`keras.Model(inputs, outputs)`, made in
 * the notebook or by a function or method of it) whose list, tuple or dict input mixes an element
 * known to be a tensor (a `keras.ops` result or a model's output; a TensorFlow op's result such as
 * `tf.convert_to_tensor(...)`) with one known not to be (a NumPy array: a NumPy function's result,
 * `model.predict(...)`, or a name last assigned one): `critic([states, tf.convert_to_tensor(a)])`.
 * What each element is comes from the shared value-kind helpers (helpers/array-values.ts,
 * helpers/eager-values.ts, helpers/value-sources.ts): names bound by unpacking too (`states,
 * actions = [np.vstack(...).astype(...) for i in range(5)]`, `a, b = np.split(...)`, `s, _ =
 * model.predict(x)`, `next_actions, log_probs = self.process_actions(mean)` where the method returns
 * a TF op's result at that position: og50c, the TF2 RL Cookbook's SAC `replay()`, ValueError on
 * TensorFlow only, checked by running), and a subscript of a model output (`model(x)[0]`).
 *
 * Why: Keras 3 refuses a nested call() argument that holds tensors and non-tensors ("In a nested
 * call() argument, you cannot mix tensors and non-tensors", ValueError); Keras 2 converted the
 * arrays (og49c: the TF2 RL Cookbook's DDPG critic, `self.model([states, actions])` after
 * `actions = tf.convert_to_tensor(actions)`). What counts as a tensor is the backend's: a
 * TensorFlow tensor is one on TensorFlow only, and on JAX and PyTorch it is a non-tensor beside
 * their own tensors. So NumPy beside a TF tensor fails on TensorFlow, NumPy beside a `keras.ops`
 * value or a model output fails on all three, a TF tensor beside a `keras.ops` value fails on JAX
 * and PyTorch. Checked by running on Keras 3.15 (claims/mixed_tensor_call_argument.py); tf_keras
 * ran every one of these. Layers, subclassed models and Sequential models convert NumPy inputs
 * before the check and run on every backend; `predict()` runs too: none is flagged. A Python list
 * literal beside the arrays failed in Keras 2 already (it is read as more inputs), not flagged.
 *
 * Fix: wrap each element that is not already a Keras tensor in `keras.ops.convert_to_tensor(...)`:
 * every element is then the backend's tensor (a TF tensor converts on JAX and PyTorch; on
 * TensorFlow the conversion hands it back, so a gradient taken with respect to it still flows).
 * Safe when every element is known; with an element the code cannot tell, the fix wraps it too,
 * which needs it to be array data (unsafe).
 */
import { child, itemsOf, returnStatements, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParts, lastAssignedValue, valueBefore, withKerasImport } from '../helpers/calls';
import { isEagerBackendTensor } from '../helpers/eager-values';
import { isNumpyValue, isTfTensor } from '../helpers/array-values';
import { backendProse } from '../helpers/tf-op-claims';
import { enclosingClass, nodesOfType } from '../helpers/layer-calls';
import { classMethodDefinitions, onlyVisibleDefinition } from '../helpers/model-code';
import { moduleFunctionDefinition } from '../helpers/tape-context';

const FUNCTIONAL_MODEL = new Set(['keras.Model', 'keras.models.Model']);

/** The fact a module-level assignment of a Functional model notes for the name (calls in later cells read it). */
const functionalFact = (name: string): string => `functional-model:${name}`;

/** Whether `value` is a Functional model: `keras.Model(inputs, outputs)`, or what a function or method of the notebook returns that only returns one. */
function isFunctionalValue(value: SyntaxNode | null, ctx: RuleContext, depth = 0): boolean {
  if (!value || depth > 4) {
    return false;
  }
  if (value.type === 'identifier') {
    return isFunctionalValue(valueBefore(ctx.textOf(value), value, ctx), ctx, depth + 1);
  }
  const parts = value.type === 'call' ? callParts(value, ctx) : null;
  if (!parts) {
    return false;
  }
  if (FUNCTIONAL_MODEL.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return parts.positional.length > 0 || parts.keywords.has('inputs') || parts.keywords.has('outputs');
  }
  let def: SyntaxNode | null = null;
  if (parts.fn.type === 'identifier') {
    const name = ctx.textOf(parts.fn);
    def = onlyVisibleDefinition(value, 'function_definition', name, ctx) ?? moduleFunctionDefinition(name, value, ctx);
  } else if (parts.fn.type === 'attribute' && ctx.textOf(child(parts.fn, 'object') ?? parts.fn) === 'self') {
    // `self.model = self.nn_model()` (the cookbook's Actor/Critic classes): a method of the class.
    const cls = enclosingClass(value);
    def = cls ? classMethodDefinitions(cls, ctx).get(ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn)) ?? null : null;
  }
  const returned = def ? returnStatements(def).map(r => r.children.find(c => c.type !== 'comment') ?? null) : [];
  return (
    returned.length > 0 &&
    returned.every(r => !!r && isFunctionalValue(r.type === 'identifier' ? lastAssignedValue(ctx.textOf(r), r, ctx) : r, ctx, depth + 1))
  );
}

/**
 * Whether the callee of a call is a Functional model: `true`, `false`, or the condition (a fact an
 * earlier cell notes) under which it is one, for a name bound in an earlier cell.
 */
function functionalCallee(fn: SyntaxNode, ctx: RuleContext): boolean | string {
  if (fn.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === '__call__') {
    const object = child(fn, 'object');
    return object ? functionalCallee(object, ctx) : false;
  }
  if (fn.type === 'identifier') {
    const name = ctx.textOf(fn);
    const value = valueBefore(name, fn, ctx);
    if (value) {
      return isFunctionalValue(value, ctx);
    }
    return ctx.lookup(name)?.kind === 'layer' && !ctx.fn?.locals.has(name) ? `earlier:${functionalFact(name)}` : false;
  }
  const object = fn.type === 'attribute' ? child(fn, 'object') : null;
  const attr = fn.type === 'attribute' ? child(fn, 'attribute') : null;
  const cls = object && attr && ctx.textOf(object) === 'self' ? enclosingClass(fn) : null;
  if (!cls || !attr) {
    return false;
  }
  // `self.model(...)`: every `self.model = ...` of the class makes a Functional model.
  const target = 'self.' + ctx.textOf(attr);
  const values = [...nodesOfType(cls, 'assignment')].filter(a => ctx.textOf(child(a, 'left') ?? a).replace(/\s+/g, '') === target).map(a => child(a, 'right'));
  return values.length > 0 && values.every(v => isFunctionalValue(v, ctx));
}

/** What an element of a model's input is on every backend, as far as the code tells. */
type Kind = 'backend' | 'tf' | 'numpy' | 'unknown';

function kindOf(node: SyntaxNode, ctx: RuleContext): Kind {
  if (isEagerBackendTensor(node, ctx)) {
    return 'backend';
  }
  if (isTfTensor(node, ctx)) {
    return 'tf';
  }
  return isNumpyValue(node, ctx) ? 'numpy' : 'unknown';
}

/** The elements of a list, tuple or dict literal (a dict's values), or null for anything else or one with a splat. */
function elementsOf(arg: SyntaxNode): SyntaxNode[] | null {
  if (arg.type === 'list' || arg.type === 'tuple') {
    const items = itemsOf(arg);
    return items.some(i => i.type === 'list_splat' || i.type === 'parenthesized_list_splat') ? null : items;
  }
  if (arg.type === 'dictionary') {
    const items = itemsOf(arg);
    if (items.some(i => i.type !== 'pair')) {
      return null;
    }
    return items.map(p => child(p, 'value')).filter((v): v is SyntaxNode => !!v);
  }
  return null;
}


function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  noteFunctionalModel(node, ctx);
  const input = parts.positional[0] ?? parts.keywords.get('inputs')?.value ?? null;
  const elements = input ? elementsOf(input) : null;
  if (!input || !elements || elements.length < 2 || ctx.isSymbolic(input)) {
    return;
  }
  const kinds = elements.map(e => kindOf(e, ctx));
  const has = (k: Kind): boolean => kinds.includes(k);
  const blocks: Backend[] = [];
  if ((has('backend') || has('tf')) && has('numpy')) {
    blocks.push('tensorflow');
  }
  if (has('backend') && (has('numpy') || has('tf'))) {
    blocks.push('jax', 'torch');
  }
  if (!blocks.length) {
    return;
  }
  const functional = functionalCallee(parts.fn, ctx);
  if (functional === false) {
    return;
  }
  const describe = (k: Kind, what: string): string => {
    const named = elements.filter((_, i) => kinds[i] === k).map(e => `\`${ctx.textOf(e)}\``);
    return named.length ? `${what} (${named.join(', ')})` : '';
  };
  const tensors = [describe('backend', 'Keras tensors'), has('numpy') ? describe('tf', 'TensorFlow tensors') : ''].filter(Boolean).join(' and ');
  const mix = `${tensors} with ${has('numpy') ? describe('numpy', 'NumPy arrays') : describe('tf', 'TensorFlow tensors')}`;
  const where = backendProse(blocks);
  const tfNote = has('tf')
    ? ' A TensorFlow tensor is a tensor on TensorFlow only; on JAX and PyTorch it counts as a non-tensor beside their own.'
    : '';
  const wrapped = elements.filter((_, i) => kinds[i] !== 'backend');
  const unknown = kinds.includes('unknown');
  const edits = withKerasImport(
    ctx,
    wrapped.map(e => ({ start: e.start, end: e.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(e)})` }))
  );
  const fix = {
    title: `Wrap ${wrapped.map(e => `\`${ctx.textOf(e)}\``).join(', ')} in \`keras.ops.convert_to_tensor(...)\``,
    safe: !unknown,
    edits
  };
  const message =
    `This Functional model's input mixes ${mix}: Keras 3 refuses a nested call() argument that holds tensors and non-tensors ` +
    `("you cannot mix tensors and non-tensors", ValueError) on ${where}; Keras 2 converted the arrays.${tfNote} ` +
    `Make every element a tensor with \`keras.ops.convert_to_tensor(...)\`.`;
  ctx.report(input, message, fix, undefined, functional === true ? undefined : functional, blocks);
}

/** `critic = get_critic()` at module level: notes that the name holds a Functional model, for calls in later cells. */
function noteFunctionalModel(node: SyntaxNode, ctx: RuleContext): void {
  const assignment = node.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === node ? child(assignment, 'left') : null;
  if (ctx.fn || left?.type !== 'identifier' || assignment?.parent?.parent !== rootOf(node) || !isFunctionalValue(node, ctx)) {
    return;
  }
  ctx.note(functionalFact(ctx.textOf(left)));
}

export const mixedTensorCallArgument: RuleDefinition = {
  code: 'KM308',
  name: 'mixed-tensor-call-argument',
  slug: 'api-changes',
  severity: 'error',
  /** Per finding: TensorFlow for NumPy beside a TF tensor, JAX and PyTorch for a TF tensor beside a Keras tensor, all three for NumPy beside a Keras tensor (checked by running). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a call of a Functional Keras model whose list, tuple or dict input mixes an element known to be a tensor (a `keras.ops` result, a model output, a TensorFlow op\'s result such as `tf.convert_to_tensor(...)`) with one known to be a NumPy array (a NumPy function\'s result, `model.predict(...)`, or a name assigned one). Names bound by unpacking count too (`states, actions = [np.vstack(...).astype(...) for i in range(2)]`, `a, b = np.split(...)`, `s, _ = model.predict(x)`, `next_actions, log_probs = self.process_actions(mean)` where the method returns a TensorFlow op\'s result at that position), and so does a subscript of a model output (`model(x)[0]`).',
    why:
      'Keras 3 refuses a nested call() argument that holds tensors and non-tensors ("In a nested call() argument, you cannot mix tensors and non-tensors", ValueError); Keras 2 converted the arrays. What counts as a tensor is the backend\'s: NumPy beside a TensorFlow tensor fails on TensorFlow only, NumPy beside a `keras.ops` value or a model output fails on all three backends, a TensorFlow tensor beside a `keras.ops` value fails on JAX and PyTorch (checked on Keras 3.15). Layers, subclassed and Sequential models convert NumPy inputs first, and `predict()` converts them too: those run everywhere and are not flagged. Not covered by the migration guide. The fix wraps every element that is not a Keras tensor in `keras.ops.convert_to_tensor(...)`, which runs on all three backends and on TensorFlow hands a TF tensor back unchanged (gradients with respect to it still flow): safe when the code tells what every element is.',
    example:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\ns_in = keras.Input((3,))\na_in = keras.Input((1,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in]))\ncritic = keras.Model([s_in, a_in], out)\n\nstates = np.random.rand(4, 3).astype("float32")\nactions = tf.convert_to_tensor(np.random.rand(4, 1).astype("float32"))\nq = critic([states, actions])',
    useInstead:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\ns_in = keras.Input((3,))\na_in = keras.Input((1,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in]))\ncritic = keras.Model([s_in, a_in], out)\n\nstates = np.random.rand(4, 3).astype("float32")\nactions = tf.convert_to_tensor(np.random.rand(4, 1).astype("float32"))\nq = critic([keras.ops.convert_to_tensor(states), keras.ops.convert_to_tensor(actions)])'
  },
  requires: ['Model'],
  visitors: { call: visitCall }
};
