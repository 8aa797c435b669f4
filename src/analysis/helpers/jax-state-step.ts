/**
 * The JAX adapter a fix writes around a Keras step kept as written: Keras 3's JAX trainer calls
 * `train_step(state, data)` / `test_step(state, data)` / `predict_step(state, data)` (jitted) and
 * takes back the state, while a TensorFlow-style step takes the batch only and updates variables in
 * place. The adapter dispatches on the backend, and on JAX assigns the state to the model's
 * variables, runs the step as written (renamed `_<step>`) un-jitted, and hands the values back.
 * One owner for that text: step-signature-on-jax (test/predict) and layer-local-training (train).
 */

export type KerasStep = 'train_step' | 'test_step' | 'predict_step';

/** The methods the adapter adds for a step, besides the renamed `_<step>`. */
export function jaxStepAdapterMethods(step: KerasStep): string[] {
  const made = { train_step: 'make_train_function', test_step: 'make_test_function', predict_step: 'make_predict_function' }[step];
  return [step, made, `_jax_${step}`];
}

/**
 * The adapter's lines, unindented (`unit` is one indentation level), blank lines as ''.
 * `jitNote` replaces the one-line reason for turning jit off.
 */
export function jaxStepAdapterLines(step: KerasStep, unit: string, jitNote?: string[]): string[] {
  const kind = step.slice(0, -'_step'.length);
  const runner = { train_step: 'fit()', test_step: 'evaluate()', predict_step: 'predict()' }[step];
  const predict = step === 'predict_step';
  const dispatch = predict
    ? [
        `def predict_step(self, *args, **kwargs):`,
        `${unit}# On JAX, Keras 3 calls predict_step(state, data) and takes back (outputs, non-trainable values);`,
        `${unit}# called directly on a batch (model.predict_step(x)), the step runs as written.`,
        `${unit}if keras.backend.backend() == "jax" and len(args) + len(kwargs) == 2:`
      ]
    : [`def ${step}(self, *args, **kwargs):`, `${unit}# On JAX, Keras 3 calls ${step}(state, data) and takes back (logs, state).`, `${unit}if keras.backend.backend() == "jax":`];
  const variables = predict
    ? null
    : step === 'train_step'
      ? ['train_variables', 'self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables']
      : ['test_variables', 'self.trainable_variables, self.non_trainable_variables, self.metrics_variables'];
  const body = variables
    ? [
        `${unit}# The state ${runner} hands the step goes into the variables (it detaches their values),`,
        `${unit}# the step runs as written and the variables' values go back.`,
        `${unit}${variables[0]} = (${variables[1]})`,
        `${unit}for variables, values in zip(${variables[0]}, state):`,
        `${unit}${unit}for v, value in zip(variables, values):`,
        `${unit}${unit}${unit}v.assign(value)`,
        `${unit}data = jax.tree_util.tree_map(jax.numpy.asarray, data)`,
        `${unit}logs = self._${step}(data)`,
        `${unit}return logs, tuple([v.value for v in variables] for variables in ${variables[0]})`
      ]
    : [
        `${unit}# The state predict() hands the step goes into the variables (it detaches their values),`,
        `${unit}# the step runs as written and the non-trainable variables' values go back.`,
        `${unit}for variables, values in zip((self.trainable_variables, self.non_trainable_variables), state):`,
        `${unit}${unit}for v, value in zip(variables, values):`,
        `${unit}${unit}${unit}v.assign(value)`,
        `${unit}data = jax.tree_util.tree_map(jax.numpy.asarray, data)`,
        `${unit}outputs = self._predict_step(data)`,
        `${unit}return outputs, [v.value for v in self.non_trainable_variables]`
      ];
  return [
    ...dispatch,
    `${unit}${unit}return self._jax_${step}(*args, **kwargs)`,
    `${unit}return self._${step}(*args, **kwargs)`,
    ``,
    `def make_${kind}_function(self, force=False):`,
    ...(jitNote ?? [`# On JAX the step runs as written, on the model's variables: un-jitted.`]).map(l => unit + l),
    `${unit}if keras.backend.backend() == "jax":`,
    `${unit}${unit}self.jit_compile = False`,
    `${unit}return super().make_${kind}_function(force)`,
    ``,
    `def _jax_${step}(self, state, data):`,
    `${unit}import jax`,
    ``,
    ...body
  ];
}

/** The lines indented for a class body at `indent`, the first line's indentation left out. */
export function indentedAfterFirst(lines: string[], indent: string): string {
  return lines.map(l => (l ? indent + l : '')).join('\n').slice(indent.length);
}
