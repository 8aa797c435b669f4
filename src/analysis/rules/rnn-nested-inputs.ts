/**
 * What it does: flags a `keras.layers.RNN` layer called on a tuple or list of inputs
 * (`rnn((input_1, input_2))`), keras.io's "Working with RNNs" NestedCell, whose cell takes
 * nested inputs.
 * Why: Keras 2's RNN layer took nested input structures and handed the cell one step of each;
 * Keras 3's `RNN` takes one sequence tensor (it reads `sequences.shape`), so the cell is built
 * from the first input's shape only and the call fails on every backend (an IndexError in the
 * cell's build, or "'tuple' object has no attribute 'shape'").
 * Example: `outputs = keras.layers.RNN(NestedCell(10, 20, 30))((input_1, input_2))`
 * Use instead: one input sequence (concatenate the flattened inputs, split them in the cell's `call()`)
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../helpers/calls';
import { plainAssignedValues } from '../helpers/name-bindings';

function isRnnConstruction(node: SyntaxNode | null | undefined, ctx: RuleContext): boolean {
  const fn = node?.type === 'call' ? child(node, 'function') : null;
  return fn !== null && fn !== undefined && ctx.resolveKeras(fn) === 'keras.layers.RNN';
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const first = parts?.positional[0] ?? parts?.keywords.get('inputs')?.value ?? parts?.keywords.get('sequences')?.value;
  if (!parts || !first || (first.type !== 'tuple' && first.type !== 'list')) {
    return;
  }
  const fn = parts.fn;
  const rnn = isRnnConstruction(fn, ctx) || (fn.type === 'identifier' && (() => {
    const values = plainAssignedValues(fn, ctx);
    return values.length > 0 && values.every(v => isRnnConstruction(v, ctx));
  })());
  if (!rnn) {
    return;
  }
  ctx.report(
    first,
    'A Keras 3 `RNN` layer takes one input sequence: called on a tuple or list of inputs (nested inputs, which Keras 2 handed the cell step by step), it builds the cell from the first input only and fails on every backend. Feed one sequence (concatenate the flattened inputs and split them in the cell\'s `call()`), or run one RNN per input.'
  );
}

export const rnnNestedInputs: RuleDefinition = {
  code: 'KM324',
  name: 'rnn-nested-inputs',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: keras.io's NestedCell in
   * `keras.layers.RNN(cell)((input_1, input_2))` raises "tuple index out of range" in the cell's
   * build (it gets the first input's shape); a cell on one concatenated input runs
   * (examples/runnable/rnn_guide_states_nested.py, python_kernel_hooks/tests/claims/rnn_nested_inputs.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['RNN'],
  docs: {
    whatItDoes:
      'Flags a call of a `keras.layers.RNN` layer (made in place, or a name assigned one) on a tuple or list literal of inputs. No fix.',
    why:
      'Keras 2\'s `RNN` accepted nested input structures (a tuple of sequences) and gave the cell one time step of each (keras.io\'s "Working with RNNs" NestedCell). Keras 3\'s `RNN` takes a single sequence tensor: the cell is built from the first input\'s shape only, and the call fails on every backend. Concatenate the (flattened) inputs into one sequence and split them again in the cell, or use one RNN per input. Not covered by the migration guide.',
    example:
      'import keras\ndef nested_rnn(cell):\n    input_1 = keras.Input((None, 32))\n    input_2 = keras.Input((None, 64, 32))\n    outputs = keras.layers.RNN(cell)((input_1, input_2))\n    return keras.Model([input_1, input_2], outputs)\n',
    useInstead:
      'import keras\ndef nested_rnn(cell):\n    input_1 = keras.Input((None, 32))\n    input_2 = keras.Input((None, 64, 32))\n    flat_2 = keras.layers.Reshape((-1, 64 * 32))(input_2)\n    outputs = keras.layers.RNN(cell)(keras.layers.Concatenate()([input_1, flat_2]))\n    return keras.Model([input_1, input_2], outputs)\n'
  },
  visitors: { call: visitCall }
};
