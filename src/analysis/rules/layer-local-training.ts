/**
 * What it does: flags a `tf.GradientTape` in a method of a Keras Layer/Model subclass other than
 * its steps (`call`, `train_step`, ...) that trains a part of the layer with an optimizer of the
 * layer's own (`tape.gradient(loss, self.dense.trainable_weights)` then
 * `self.optimizer.apply_gradients(...)`), called from a model's `train_step()` that holds no tape
 * of its own: layer-local training, as keras.io's Forward-Forward example does in
 * `FFDense.forward_forward()`.
 * Why: the tape records TensorFlow operations only (on JAX and PyTorch the layer computes with JAX
 * arrays or torch tensors and the gradient fails), and on JAX fit() calls the model's
 * `train_step(state, data)`, jitted. No compute_loss() override expresses layers training
 * themselves inside the step.
 * Example: `def forward_forward(self, x): with tf.GradientTape() as tape: loss = ...;
 * grads = tape.gradient(loss, self.dense.trainable_weights); self.optimizer.apply_gradients(...)`.
 * Use instead: the gradient taken per backend (jax.grad of the tape's body under
 * keras.StatelessScope, torch.autograd.grad, the tape as written on TensorFlow), and on JAX a
 * train_step(state, data) running the step un-jitted on the model's variables, as the fix writes.
 */
import { child, classDefinitionsInPlainFunctionsFromModule, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { tensorflowOnlyBranch } from '../helpers/backend-branch';
import { rewriteModuleTapeStep } from '../helpers/module-tape-step';
import { classMethodDefinitions } from '../helpers/model-code';
import { indentedAfterFirst, jaxStepAdapterLines, jaxStepAdapterMethods } from '../helpers/jax-state-step';
import { indentOf, nodesUnder } from '../helpers/multi-optimizer-step';
import { APPLY_GRADIENTS_CALL, callParts, GRADIENT_CALL, kerasMethodName, tfApiName, withStatementOpenedBy } from '../rule-helpers';

/** Methods Keras runs itself (or KM141 rewrites): a tape there is another rule's. */
const KERAS_METHODS = new Set(['call', 'build', '__init__', '__call__', 'train_step', 'test_step', 'predict_step', 'compute_loss', 'get_config']);
/** The methods the model-side fix adds or renames to. */
const GENERATED = ['_train_step', ...jaxStepAdapterMethods('train_step').slice(1), '_symbolic_build'];

/** Whether a class definition is a Keras model: by its binding where visible, else by its bases. */
function isModelClass(cls: SyntaxNode, ctx: RuleContext): boolean {
  const binding = ctx.lookup(ctx.textOf(child(cls, 'name')!));
  if (binding?.kind === 'class' && binding.keras === 'model') {
    return true;
  }
  const bases = child(cls, 'superclasses')?.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment') ?? [];
  return bases.some(b => ctx.kerasKindOfClass(b) === 'model');
}

/** `train_step(self, data)`: two plain parameters. */
function plainStep(def: SyntaxNode, ctx: RuleContext): string | null {
  const params = (child(def, 'parameters')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  return params.length === 2 && params.every(p => p.type === 'identifier') ? ctx.textOf(params[1]) : null;
}

/**
 * The model-side edits: on JAX fit() calls `train_step(state, data)` (jitted), so the step as
 * written becomes `_train_step(data)`, a `train_step(*args, **kwargs)` dispatches, and JAX's runs
 * it un-jitted on the variables (the layers' own optimizers update theirs in place); a model with
 * no call() skips fit()'s symbolic build (a call of the model on a batch) on JAX and PyTorch.
 */
function modelEdits(cls: SyntaxNode, step: SyntaxNode, ctx: RuleContext): { edits: OffsetEdit[]; noCall: boolean } {
  const text = ctx.text;
  const outer = step.parent?.type === 'decorated_definition' ? step.parent : step;
  const indent = indentOf(text, outer.start);
  const bodyIndent = indentOf(text, child(step, 'body')!.start);
  const unit = bodyIndent.slice(indent.length) || '    ';
  const inside = indent + unit;
  const methods = classMethodDefinitions(cls, ctx);
  const noCall = !['call', '__call__'].some(m => methods.has(m));
  const jitNote = [
    `# On JAX the step runs as written, on the model's variables (its layers' own optimizers`,
    `# update theirs in place, which no state handed through a jitted step holds): un-jitted.`
  ];
  const lines =
    indentedAfterFirst(jaxStepAdapterLines('train_step', unit, jitNote), indent) +
    '\n\n' +
    (noCall
      ? `${indent}def _symbolic_build(self, *args, **kwargs):\n` +
        `${inside}# No call(): before the first step fit() builds the model, its compiled loss and metrics by\n` +
        `${inside}# calling it on a batch; on JAX and PyTorch the step's own layer calls build the layers.\n` +
        `${inside}if keras.backend.backend() == "tensorflow":\n` +
        `${inside}${unit}return super()._symbolic_build(*args, **kwargs)\n` +
        `${inside}if self.optimizer is not None and not self.optimizer.built:\n` +
        `${inside}${unit}self.optimizer.build(self.trainable_variables)\n\n`
      : '') +
    `${indent}def _train_step`;
  const name = child(step, 'name')!;
  return { edits: [{ start: outer.start, end: name.end, text: text.slice(outer.start, step.start) + lines }], noCall };
}

/**
 * The `with tf.GradientTape()` statement's method, when it trains with the layer's own optimizer:
 * the rest of the method takes `tape.gradient(..., self[.part].trainable_*)` and calls
 * `self[.part].<optimizer>.apply_gradients(...)`.
 */
function trainsItself(statement: SyntaxNode, method: SyntaxNode, ctx: RuleContext): boolean {
  const rest = ctx.text.slice(statement.start, method.end);
  return GRADIENT_CALL.test(rest) && /\bself(\.\w+)*\.trainable_(variables|weights)\b/.test(rest) && APPLY_GRADIENTS_CALL.test(rest) && /\bself(\.\w+)+\.apply_gradients\s*\(/.test(rest);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || tfApiName(ctx.resolve(parts.fn)) !== 'tf.GradientTape' || !ctx.cls || ctx.cls.keras === null) {
    return;
  }
  const name = kerasMethodName(ctx);
  const statement = withStatementOpenedBy(node);
  if (!name || KERAS_METHODS.has(name) || !statement || !ctx.fn || ctx.fn.name !== name) {
    return;
  }
  // On a path only TensorFlow runs (the fix's own `else:` branch, a hand conversion's) it runs as written.
  if (tensorflowOnlyBranch(statement, ctx)) {
    return;
  }
  // One finding per `with`: its first tape.
  if (/GradientTape\s*\(/.test(ctx.text.slice(statement.start, node.start))) {
    return;
  }
  // A model's own method its train_step calls (GauGAN's `train_discriminator()`) is KM141's.
  const own = classMethodDefinitions(ctx.cls.node, ctx);
  if (ctx.cls.keras === 'model' && own.has('train_step')) {
    return;
  }
  if (!trainsItself(statement, ctx.fn.node, ctx)) {
    return;
  }
  // The models whose tape-less train_step calls `<something>.<name>(...)`.
  const callers = classDefinitionsInPlainFunctionsFromModule(rootOf(node)).flatMap(cls => {
    const step = isModelClass(cls, ctx) ? classMethodDefinitions(cls, ctx).get('train_step') : undefined;
    if (!step || /\bGradientTape\b/.test(ctx.textOf(step))) {
      return [];
    }
    const calls = nodesUnder(step, n => n.type === 'call' && child(n, 'function')?.type === 'attribute' && ctx.textOf(child(child(n, 'function')!, 'attribute')!) === name);
    return calls.length ? [{ cls, step }] : [];
  });
  if (!callers.length) {
    return;
  }
  const lead = `\`tf.GradientTape\` in \`${ctx.cls.name}.${name}()\`, which \`train_step()\` calls, trains a part of the layer with an optimizer of its own (layer-local training, which no \`compute_loss()\` override expresses): the tape records TensorFlow operations only, and on JAX fit() calls \`train_step(state, data)\`, jitted. Take the gradient per backend (\`jax.grad\` of the tape's body under \`keras.StatelessScope\`, \`torch.autograd.grad\`), and on JAX run the step un-jitted on the model's variables`;
  const refuse = (why: string): void => ctx.report(parts.fn, `${lead}. No fix: ${why}.`);
  if (callers.length > 1) {
    refuse(`several models' train_step() call \`${name}()\``);
    return;
  }
  const { cls, step } = callers[0];
  const methods = classMethodDefinitions(cls, ctx);
  const clash = GENERATED.find(m => methods.has(m));
  if (clash) {
    refuse(`the model defines \`${clash}()\` already`);
    return;
  }
  if (!plainStep(step, ctx)) {
    refuse('the model\'s train_step() takes other than `(self, data)`');
    return;
  }
  const rewrite = rewriteModuleTapeStep(statement, ctx, 'self.non_trainable_variables + self.metrics_variables');
  if ('why' in rewrite) {
    refuse(rewrite.why);
    return;
  }
  const model = modelEdits(cls, step, ctx);
  const modelName = ctx.textOf(child(cls, 'name')!);
  ctx.report(parts.fn, `${lead}, as the fix writes.`, {
    title: `${rewrite.title}; \`${modelName}.train_step()\` becomes \`_train_step()\`, which on JAX a \`train_step(state, data)\` runs un-jitted on the model's variables${model.noCall ? `; fit()'s symbolic build of \`${modelName}\` (which has no call()) is skipped on JAX and PyTorch` : ''}`,
    safe: false,
    edits: [...rewrite.edits, ...model.edits]
  });
}

export const layerLocalTraining: RuleDefinition = {
  code: 'KM234',
  name: 'layer-local-training',
  slug: 'custom-train-step',
  severity: 'warning',
  /** Checked by running examples/runnable/forward_forward.py: the tape's gradient fails on JAX and PyTorch. */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['GradientTape'],
  docs: {
    whatItDoes:
      'Flags `with tf.GradientTape() as tape:` in a method of a Keras Layer/Model subclass other than the methods Keras runs (`call`, `build`, `train_step`, `test_step`, `predict_step`, `compute_loss`) when the method takes the gradient over `self.trainable_*` or a part\'s (`self.dense.trainable_weights`) and applies it with an optimizer it holds (`self.optimizer.apply_gradients(...)`), and a keras.Model subclass of the cell whose `train_step(self, data)` holds no tape calls that method (layer-local training: keras.io\'s Forward-Forward `FFDense.forward_forward()`). A model\'s own method its train_step calls is KM141\'s. Fix (a suggestion): the tape and its gradient become a branch per backend, as KM175 rewrites a training loop (jax.grad of the tape\'s body under `keras.StatelessScope` on JAX, what the body updates in the layer\'s non-trainable and metric variables written back; the body as written and `torch.autograd.grad` on PyTorch; the tape as written on TensorFlow), and the model\'s `train_step` becomes `_train_step`, dispatched to by a `train_step(*args, **kwargs)` that on JAX takes fit()\'s `(state, data)`, assigns the state into the variables, runs the step un-jitted (a `make_train_function()` override) and hands back the logs and the variables\' values; a model with no call() gets a `_symbolic_build()` override skipping fit()\'s build (a call of the model on a batch) on JAX and PyTorch. No fix (the message says why) when several models call the method, the model already defines one of the methods the fix adds, its train_step takes other than `(self, data)`, or the tape is one KM175\'s rewrite refuses.',
    why:
      'A GradientTape records TensorFlow operations only: on JAX and PyTorch the layer computes with JAX arrays or torch tensors and the gradient fails; and on JAX fit() calls `train_step(state, data)` in a jitted function, which the layers\' own optimizers, updating their variables in place, cannot run in (guide section "Custom train_step() methods"). Checked by running examples/runnable/forward_forward.py after `fix --unsafe` on TensorFlow, JAX and PyTorch. Fix safety: a suggestion (the JAX step runs un-jitted, the per-backend gradient is of the loss\'s sum, as tape.gradient takes it).',
    example:
      'import tensorflow as tf\nfrom tensorflow import keras\nclass FFDense(keras.layers.Layer):\n    def forward_forward(self, x):\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(self.dense(x))\n        grads = tape.gradient(loss, self.dense.trainable_weights)\n        self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))\nclass FFNetwork(keras.Model):\n    def train_step(self, data):\n        for layer in self.layers:\n            layer.forward_forward(data[0])\n        return {}',
    useInstead:
      'if keras.backend.backend() == "jax":\n    grads = jax.grad(loss_fn)(...)  # under keras.StatelessScope\nelif keras.backend.backend() == "torch":\n    grads = torch.autograd.grad(loss, ...)\nelse:\n    ...  # the tape as written'
  },
  calls: { resolved: ['tensorflow.GradientTape'] },
  requires: ['GradientTape'],
  visitors: { call: visit }
};
