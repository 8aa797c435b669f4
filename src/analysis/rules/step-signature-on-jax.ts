/**
 * What it does: flags a `test_step(self, data)` or `predict_step(self, data)` override of a Keras
 * Model subclass (the TensorFlow/PyTorch signature), in a program that evaluates (`evaluate()`,
 * `test_on_batch()`, `fit(validation_data=...)`) or predicts (`predict()`, `predict_on_batch()`).
 * Why: Keras 3's JAX trainer is stateless: it calls `test_step(state, data)` and takes back
 * `(logs, state)`, and `predict_step(state, data)` returning `(outputs, non_trainable_values)`
 * (keras/src/backend/jax/trainer.py). A one-argument override raises "test_step() takes 2
 * positional arguments but 3 were given" on JAX, whatever the body does; TensorFlow and PyTorch
 * call it with the batch only.
 * Example: `def test_step(self, data): x, y = data; ...; return {m.name: m.result() for m in self.metrics}`.
 * Use instead: the step as written under another name, and a `test_step(self, *args, **kwargs)`
 * that on JAX assigns the state to the variables, runs it, and hands back the logs and the
 * variables' values (un-jitted: the body updates variables in place), as the fix writes.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, lineStartAt, withKerasImport } from '../rule-helpers';
import { isDefaultTestStep, rewriteTrainStepOnce } from '../helpers/train-step-rewrite';
import { classMethodDefinitions } from '../helpers/model-code';
import { indentedAfterFirst, jaxStepAdapterLines, jaxStepAdapterMethods, KerasStep } from '../helpers/jax-state-step';

/** Noted where the program runs a model's test_step: evaluate(), test_on_batch(), fit() with validation. */
const EVALUATES = 'runs-test-step';
/** Noted where the program runs a model's predict_step: predict(), predict_on_batch(). */
const PREDICTS = 'runs-predict-step';

const STEPS: Record<string, { fact: string; runner: string; returns: string }> = {
  test_step: { fact: EVALUATES, runner: 'evaluate()', returns: '(logs, state)' },
  predict_step: { fact: PREDICTS, runner: 'predict()', returns: '(outputs, non-trainable values)' }
};

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const attr = parts && parts.fn.type === 'attribute' ? child(parts.fn, 'attribute') : null;
  const name = attr ? ctx.textOf(attr) : '';
  if (name === 'evaluate' || name === 'test_on_batch') {
    ctx.note(EVALUATES);
  } else if (name === 'predict' || name === 'predict_on_batch') {
    ctx.note(PREDICTS);
  } else if (name === 'fit' && parts && (parts.keywords.has('validation_data') || parts.keywords.has('validation_split'))) {
    ctx.note(EVALUATES);
  }
}

/** Whether KM141's fix deletes this test_step (a default one, or one the compute_loss() rewrite makes Keras's own). */
function deletedByTrainStepFix(def: SyntaxNode, outer: SyntaxNode, cls: SyntaxNode, methods: Map<string, SyntaxNode>, ctx: RuleContext): boolean {
  if (isDefaultTestStep(def, ctx)) {
    return true;
  }
  const train = methods.get('train_step');
  if (!train || !/\bGradientTape\b/.test(ctx.textOf(train))) {
    return false;
  }
  const rewrite = rewriteTrainStepOnce(train, cls, ctx);
  return 'edits' in rewrite && rewrite.edits.some(e => e.start <= outer.start && e.end >= outer.end);
}

/** The adapter methods written before the renamed step, at the class body's indentation. */
function adapter(step: KerasStep, indent: string, unit: string): string {
  return indentedAfterFirst(jaxStepAdapterLines(step, unit), indent) + '\n\n' + indent;
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const cls = ctx.cls;
  const step = nameNode ? ctx.textOf(nameNode) : '';
  const info = STEPS[step];
  if (!info || !cls || cls.keras !== 'model' || !nameNode) {
    return;
  }
  const outer = node.parent?.type === 'decorated_definition' ? node.parent : node;
  if (outer.parent !== child(cls.node, 'body')) {
    return;
  }
  const parameters = child(node, 'parameters');
  const params = parameters ? itemsOf(parameters) : [];
  // `(self, data)` only: `*args` (a per-backend dispatch) or `(self, state, data)` (JAX's own) run on JAX.
  if (params.length !== 2 || !params.every(p => p.type === 'identifier' || p.type === 'typed_parameter')) {
    return;
  }
  const methods = classMethodDefinitions(cls.node, ctx);
  if (step === 'test_step' && deletedByTrainStepFix(node, outer, cls.node, methods, ctx)) {
    return; // KM141's fix deletes it: Keras 3's own test_step runs on every backend
  }
  const renamed = `_${step}`;
  const clash = [renamed, ...jaxStepAdapterMethods(step as KerasStep).slice(1)].find(m => methods.has(m));
  let fix: RawFix | null = null;
  if (!clash) {
    const indent = ctx.text.slice(lineStartAt(ctx.text, outer.start), outer.start);
    const body = child(node, 'body');
    const bodyIndent = body ? ctx.text.slice(lineStartAt(ctx.text, body.start), body.start) : '';
    const unit = bodyIndent.startsWith(indent) && bodyIndent.length > indent.length ? bodyIndent.slice(indent.length) : '    ';
    if (/^[ \t]*$/.test(indent) && /^[ \t]+$/.test(unit)) {
      const edits: OffsetEdit[] = [
        { start: outer.start, end: outer.start, text: adapter(step as KerasStep, indent, unit) },
        { start: nameNode.start, end: nameNode.end, text: renamed }
      ];
      fix = {
        title: `Rename ${step}() to ${renamed}() and add a ${step}() that runs it on TensorFlow and PyTorch and, on JAX, on the state Keras hands the step (un-jitted)`,
        safe: true,
        edits: withKerasImport(ctx, edits)
      };
    }
  }
  ctx.report(
    nameNode,
    `\`${step}(self, ${ctx.textOf(params[1])})\` does not run on JAX: Keras 3's JAX trainer calls \`${step}(state, data)\` and takes back ${info.returns}, so ${info.runner} raises "${step}() takes 2 positional arguments but 3 were given" (TensorFlow and PyTorch pass the batch only).${
      fix ? '' : ` Write one ${step} per backend: on JAX \`${step}(self, state, data)\` (keras.io/guides/custom_train_step_in_jax/).`
    }`,
    fix,
    undefined,
    undefined,
    undefined,
    { jax: `anywhere:${info.fact}` }
  );
}

export const stepSignatureOnJax: RuleDefinition = {
  code: 'KM243',
  name: 'step-signature-on-jax',
  slug: 'custom-train-step',
  severity: 'warning',
  // Checked by running Keras 3.15: evaluate() / predict() of a model with such an override raise
  // TypeError on JAX and run on TensorFlow and PyTorch.
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: ['test_step', 'predict_step', 'evaluate', 'test_on_batch', 'predict', 'predict_on_batch', 'validation_data', 'validation_split'],
  docs: {
    whatItDoes:
      'Flags a `test_step(self, data)` or `predict_step(self, data)` override of a Keras Model subclass (the TensorFlow/PyTorch signature). It blocks JAX where the program runs that step (`evaluate()`, `test_on_batch()`, `fit(validation_data=...)` / `validation_split=`; `predict()`, `predict_on_batch()`). A test_step that KM141\'s fix deletes (Keras\'s default, or one the `compute_loss()` rewrite of the train_step makes Keras\'s own) is left to KM141.',
    why:
      'Keras 3\'s JAX trainer is stateless: it calls `test_step(state, data)` and takes back `(logs, state)`, and `predict_step(state, data)` returning `(outputs, non_trainable_variables)` (keras/src/backend/jax/trainer.py). A one-argument override raises "test_step() takes 2 positional arguments but 3 were given" on JAX whatever its body does (checked by running Keras 3.15: evaluate() and predict() fail on JAX, run on TensorFlow and PyTorch). The fix keeps the step as written under `_test_step` / `_predict_step` and adds a `test_step(self, *args, **kwargs)` dispatching on `keras.backend.backend()`: TensorFlow and PyTorch run the step as before; on JAX a `_jax_test_step(state, data)` assigns the state to the trainable, non-trainable and metrics variables, runs the step (which updates the metrics in place) and returns its logs with the variables\' values, and `make_test_function()` turns jit off on JAX (the body updates variables in place, which a traced step cannot). The predict_step adapter takes the JAX path only when given (state, data): a program calling `model.predict_step(x)` itself (keras.io EDSR) runs the step as written. Safe: on TensorFlow and PyTorch the same code runs; on JAX the step failed before.',
    example:
      'import keras\nclass M(keras.Model):\n    def test_step(self, data):\n        x, y = data\n        self.tracker.update_state(self.compute_loss(x, y, self(x)))\n        return {"loss": self.tracker.result()}',
    useInstead:
      'import keras\nclass M(keras.Model):\n    def test_step(self, *args, **kwargs):\n        if keras.backend.backend() == "jax":\n            return self._jax_test_step(*args, **kwargs)\n        return self._test_step(*args, **kwargs)\n\n    def _jax_test_step(self, state, data):\n        ...  # assign state, run self._test_step(data), return (logs, state)'
  },
  calls: { names: ['evaluate', 'test_on_batch', 'predict', 'predict_on_batch', 'fit'] },
  visitors: { function_definition: visitFunction, call: visitCall }
};
