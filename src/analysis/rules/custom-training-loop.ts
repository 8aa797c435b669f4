import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { tensorflowOnlyBranch } from '../helpers/backend-branch';
import { closingBracket, codeOnly, splitTopLevel } from '../helpers/code-text';
import { rewriteModuleTapeStep } from '../helpers/module-tape-step';
import { APPLY_GRADIENTS_CALL, callParts, GRADIENT_CALL, inKerasClassMethod, tfApiName, withStatementOpenedBy } from '../rule-helpers';

/** Variables of a Keras model handed to the tape (`tape.gradient(loss, model.trainable_variables)`). */
const MODEL_VARIABLES = /\btrainable_(variables|weights)\b/;

/**
 * A loop whose tape runs the model once and computes one loss object's value on the prediction
 * (plus `sum(model.losses)`, the add_loss terms), the gradient over all the model's variables
 * applied by one optimizer: what compile() and fit() do (the guide's VAE, converted by the Keras
 * team to fit()). The sentence saying so, or ''.
 */
function fitAdvice(statement: SyntaxNode, rest: string, ctx: RuleContext): string {
  const body = (child(statement, 'body')?.children ?? []).filter(c => c.type !== 'comment').map(c => ctx.textOf(c).replace(/\s+/g, ' ').trim());
  // `loss = loss_fn(y, model(x))`: the forward pass inside the loss call, as two statements.
  const inline = body[0] ? /^(\w+) = (\w+)\((\w+), (\w+)\((\w+)(?:, training=True)?\)\)$/.exec(body[0]) : null;
  if (inline) {
    body.splice(0, 1, `_pred = ${inline[4]}(${inline[5]})`, `${inline[1]} = ${inline[2]}(${inline[3]}, _pred)`);
  }
  const forward = body[0] ? /^(\w+) = (\w+)\((\w+)(?:, training=True)?\)$/.exec(body[0]) : null;
  if (!forward || body.length < 2 || body.length > 3) {
    return '';
  }
  const [, pred, model, x] = forward;
  const loss = new RegExp(`^(\\w+) = (\\w+)\\((\\w+), ${pred}\\)$`).exec(body[1]);
  if (!loss || loss[2] === model) {
    return '';
  }
  const [, lossName, lossFn, y] = loss;
  const addLoss = body.length === 3;
  if (addLoss && !new RegExp(`^${lossName} \\+= sum\\(${model}\\.losses\\)$`).test(body[2])) {
    return '';
  }
  const vars = `${model}\\.trainable_(?:variables|weights)`;
  const grads = new RegExp(`\\b(\\w+)\\s*=\\s*\\w+\\.gradient\\(\\s*${lossName}\\s*,\\s*${vars}\\s*\\)`).exec(rest);
  const applied = grads ? new RegExp(`\\b(\\w+)\\.apply_gradients\\(\\s*zip\\(\\s*${grads[1]}\\s*,\\s*${vars}\\s*\\)\\s*\\)`).exec(rest) : null;
  if (!applied) {
    return '';
  }
  const data = y === x ? ` with \`${x}\` as both x and y (\`${model}.fit(x_train, x_train)\`, or the dataset mapped to \`(x, x)\`)` : ` on batches of (\`${x}\`, \`${y}\`)`;
  return ` This loop is Keras's own training step: \`${model}.compile(optimizer=${applied[1]}, loss=${lossFn})\` then \`${model}.fit(...)\`${data} run it on every backend${addLoss ? ` (fit() adds \`sum(${model}.losses)\`, the add_loss terms, to the loss itself)` : ''}; metrics the loop updates by hand go to \`compile(metrics=[...])\`, and fit()'s history holds the mean loss per epoch.`;
}

/**
 * Whether a gradient taken by the `with` statement's tapes (their `NAME.gradient(...)` calls up to
 * the next tape bound to the same name) is over a Keras model's variables: `trainable_variables`
 * in its arguments, or its sources a name assigned from them (`variables = encoder.trainable_variables + ...`).
 * `rest`: the code from the statement to the end of its scope.
 */
function takesModelGradient(statement: SyntaxNode, rest: string, ctx: RuleContext): boolean {
  const body = child(statement, 'body');
  const header = ctx.text.slice(statement.start, body ? body.start : statement.end);
  const names = [...header.matchAll(/GradientTape\s*\([^)]*\)\s+as\s+(\w+)/g)].map(m => m[1]);
  if (!names.length) {
    return true;
  }
  const code = codeOnly(rest);
  let program: string | null = null;
  for (const name of names) {
    const rebound = new RegExp(`GradientTape\\s*\\([^)]*\\)\\s+as\\s+${name}\\b`, 'g');
    rebound.lastIndex = header.length;
    const own = code.slice(0, rebound.exec(code)?.index ?? code.length);
    for (const call of own.matchAll(new RegExp(`\\b${name}\\.gradient\\s*\\(`, 'g'))) {
      const open = call.index + call[0].length - 1;
      const args = own.slice(open + 1, closingBracket(own, open));
      if (MODEL_VARIABLES.test(args)) {
        return true;
      }
      const sources = splitTopLevel(args, ',')?.[1]?.trim().replace(/^sources\s*=\s*/, '');
      if (sources && /^\w+$/.test(sources) && new RegExp(`\\b${sources}\\s*=[^=\\n][^\\n]*${MODEL_VARIABLES.source}`).test((program ??= codeOnly(ctx.text)))) {
        return true;
      }
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || tfApiName(ctx.resolve(parts.fn)) !== 'tf.GradientTape') {
    return;
  }
  // Inside Keras Model/Layer methods the tape is KM141's business (train_step).
  const statement = withStatementOpenedBy(node);
  if (!statement || inKerasClassMethod(ctx)) {
    return;
  }
  // On a path only TensorFlow runs (the fix's own `else:` branch, a hand conversion's) it runs as written.
  if (tensorflowOnlyBranch(statement, ctx)) {
    return;
  }
  // `with tf.GradientTape() as g, tf.GradientTape() as d:` is one loop: report its first tape only.
  if (/GradientTape\s*\(/.test(ctx.text.slice(statement.start, node.start))) {
    return;
  }
  // The rest of the enclosing function (or cell) is where the gradients are taken and applied.
  const scopeEnd = ctx.fn ? ctx.fn.node.end : ctx.text.length;
  const rest = ctx.text.slice(statement.start, scopeEnd);
  // A plain function returning the gradients (the TensorFlow custom-training walkthrough's
  // `grad(model, inputs, targets)`) applied by the cell's loop: the same training step.
  const gradName = /\b(\w+)\s*=\s*\w+\.gradient\s*\(/.exec(rest)?.[1];
  const returnsGradients =
    !!ctx.fn &&
    APPLY_GRADIENTS_CALL.test(codeOnly(ctx.text)) &&
    (/\breturn\b[^\n]*\.gradient\s*\(/.test(rest) || (!!gradName && new RegExp(`\\breturn\\b[^\\n]*\\b${gradName}\\b`).test(rest)));
  if (!GRADIENT_CALL.test(rest) || !MODEL_VARIABLES.test(rest) || !(APPLY_GRADIENTS_CALL.test(rest) || returnsGradients)) {
    return;
  }
  // A tape over plain TF tensors (`tape.watch(a)`, `tape.gradient(c, a)`: keras.io's researchers
  // guide) runs on every backend with TensorFlow installed, even with a Keras loop further on.
  if (!takesModelGradient(statement, rest, ctx)) {
    return;
  }
  const rewrite = rewriteModuleTapeStep(statement, ctx, undefined, true);
  // A function handing the gradients to its caller: rewritten per backend, it returns the backend's
  // tensors, which the caller's `optimizer.apply_gradients` applies (and `.numpy()` on what the
  // cell's calls bind becomes `keras.ops.convert_to_numpy()`).
  if (!APPLY_GRADIENTS_CALL.test(rest)) {
    ctx.report(
      parts.fn,
      'A GradientTape in a function that returns the gradients (applied by its caller with `optimizer.apply_gradients`) runs only on the TensorFlow backend; rewrite the step with the backend\'s own gradient API (`jax.value_and_grad`, `torch.autograd.grad`), converting what it returns for its callers, or use `fit()` with a `compute_loss()` override.' + ('why' in rewrite ? ` No fix: ${rewrite.why}.` : ''),
      'why' in rewrite ? null : { title: rewrite.title, safe: false, edits: rewrite.edits }
    );
    return;
  }
  const refused = 'why' in rewrite ? ` No fix: ${rewrite.why}.` : '';
  ctx.report(
    parts.fn,
    'A custom training loop with `tf.GradientTape` and `optimizer.apply_gradients` runs only on the TensorFlow backend; keep this program on TensorFlow, or rewrite the loop with the backend\'s own gradient API (`jax.value_and_grad` + `optimizer.stateless_apply`, or `loss.backward()` + `optimizer.apply`), or use `fit()` with a `compute_loss()` override.' + fitAdvice(statement, rest, ctx) + refused,
    'why' in rewrite ? null : { title: rewrite.title, safe: false, edits: rewrite.edits }
  );
}

export const customTrainingLoop: RuleDefinition = {
  code: 'KM175',
  name: 'custom-training-loop',
  slug: 'custom-train-step',
  severity: 'warning',
  /** Checked by running: on JAX the tape sees no JAX arrays and apply_gradients raises; on PyTorch it cannot read the grad-tracking tensors. */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['GradientTape'],
  docs: {
    whatItDoes:
      'Flags `with tf.GradientTape() as tape:` outside the methods of Keras Model/Layer subclasses (at module level, in a plain function or a plain class\'s method) when the code takes the gradient over `model.trainable_variables`/`trainable_weights` and calls `optimizer.apply_gradients` (or in a plain function returning the gradient, as the TensorFlow custom-training walkthrough\'s `grad(model, inputs, targets)` does with `return loss_value, tape.gradient(loss_value, model.trainable_variables)`, when the cell applies gradients); a tape on a path only TensorFlow runs (the `else:` of a backend test) is not flagged. When the tape only runs the model once and computes one loss object\'s value on its prediction (plus `sum(model.losses)`), the gradient over all the model\'s variables applied by one optimizer, the message says that `model.compile(optimizer=..., loss=...)` and `fit()` are that step (fit() adds the add_loss terms itself), as the Keras team converted the subclassing guide\'s VAE loop. Fix (a suggestion): the tape and its `grads = tape.gradient(loss, model.trainable_variables)` (or, for several tapes in one `with` as in the TensorFlow DCGAN and pix2pix tutorials, or a persistent tape, one such gradient per model; the variables may be several models\' summed, `encoder.trainable_variables + decoder.trainable_variables`, also through a name bound to that sum, as in the TensorFlow NMT-with-attention and image-captioning tutorials) become a branch per backend (`if keras.backend.backend() == "jax": ... elif ... == "torch": ... else:` the tape as written). On JAX the tape\'s body is a function of the trained values run under `keras.StatelessScope(state_mapping=..., collect_losses=True)` (so `model.losses`, the add_loss terms, are this pass\'s) and differentiated by `jax.grad(has_aux=True)` (with several gradients, one call per gradient over its model\'s trainable values, the other models\' values held constant); the losses, the names read after the tape and the updated non-trainable values (BatchNormalization statistics, seed generators) of every model the body calls come back and the updates are assigned; the step\'s array parameters and the names computed before the tape (a GAN\'s `tf.random.normal` noise; at module level, those a loop computes before it) become backend tensors; a name the body reads before binding it (`loss = 0` before the tape and `loss += ...` in a teacher-forcing `for t in range(...)` loop, `enc_out, hidden = encoder(x, hidden)`) comes into the JAX function as a parameter holding its value from before the tape; simple statements between the tape and its gradient (`batch_loss = loss / n`, `variables = ...`) run after the gradient on JAX and PyTorch; a body ending with the gradient and what follows it under non-persistent tapes (`gradients = g.gradient(loss, model.trainable_variables)` then `optimizer.apply_gradients(...)` indented under the tape, aymericdamien\'s TensorFlow-Examples v2 notebooks) is rewritten as if that tail came after the `with`, on TensorFlow too (a non-persistent tape records nothing once its gradient is taken; /work/og49b repro_1, the fixed text run on TensorFlow, JAX and PyTorch), and a model not built yet is built by one call first. On PyTorch the body runs as written and `torch.autograd.grad` gives the gradients (one call per loss, the graph retained between them); the loss and the kept names are detached after. `optimizer.apply_gradients(...)` and what follows stay as written (Keras 3\'s optimizer applies JAX arrays and torch tensors eagerly). A function returning the gradient (`return loss, tape.gradient(loss, model.trainable_variables)`) returns it from each branch (the JAX and PyTorch ones return the statement with the gradient bound to a name), and the caller\'s `optimizer.apply_gradients` applies the backend\'s tensors; in a step function, `.numpy()` on what the cell\'s calls of it bind (`loss_value, grads = grad(...)` then `loss_value.numpy()`) becomes `keras.ops.convert_to_numpy()` (a JAX array has no `.numpy()`). TF ops in the body, and in functions of the cell it calls, become keras.ops (`tf.add_n(model.losses)` becomes `sum(...)`); `@tf.function` on the step, which would trace the JAX and PyTorch paths with TensorFlow tensors, becomes `@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))`: TensorFlow keeps the compiled step; on the cell\'s other functions calling a model it runs (a `test_step`, a `sample_action`) it is dropped. No fix (the message says why) for a `with` holding anything but `tf.GradientTape() as name` items, a tape used in its own body other than by the gradients its body ends with (`tape.watch`, the gradient taken under a persistent tape, which goes on recording, or before more use of the tape; an episode recorded under the tape is refused for its loop), nested tapes, a body with branches, `while` loops or loops other than `for name in range(...)` over simple statements with no `.numpy()` or NumPy call (an episode stepping an environment) and no `append` to a list from before the tape, a statement between the tape and its gradient rebinding the loss or a model, a tape used other than in its gradients right after it (one, unless persistent), TF calls with no keras.ops conversion, or a module-level loop over a model bound later in the file.',
    why:
      'A GradientTape training loop only records TensorFlow operations: on the JAX and PyTorch backends the model computes with JAX arrays or torch tensors, the tape sees none of them, and the step fails (guide section "Custom train_step() methods"). Each backend has its own gradient API: `jax.grad` of a pure function of the variables\' values, `torch.autograd.grad` of the eager loss. Checked by running the rewritten keras.io training loop, DQN, VAE (add_loss) and DDPG steps, a BatchNormalization + add_loss step, the TensorFlow DCGAN and pix2pix tutorial steps (two tapes in one `with`) and the NMT-with-attention tutorial\'s teacher-forcing step (examples/runnable/nmt_bahdanau_attention.py) with an image-captioning-like and a module-level seq2seq variant on TensorFlow, JAX and PyTorch. Fix safety: a suggestion (`@tf.function` applies on TensorFlow only, so JAX and PyTorch run the step eagerly; on JAX the tapes\' body runs once per gradient, and a teacher-forcing loop is unrolled eagerly (no jit: slower than TensorFlow\'s compiled step); it returns the gradient of the loss\'s sum, as tape.gradient does; functions the step calls get keras.ops for their TF ops; and drops `@tf.function` from the cell\'s other functions calling a model the step runs, which TensorFlow then runs eagerly).',
    example:
      'import tensorflow as tf\nfor x, y in dataset:\n    with tf.GradientTape() as tape:\n        loss = loss_fn(y, model(x, training=True))\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))',
    useInstead:
      'import keras\nclass Net(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))\nmodel.fit(dataset, epochs=1)'
  },
  calls: { resolved: ['tensorflow.GradientTape'] },
  // Findings are on calls resolving to `tf.GradientTape`.
  requires: ['GradientTape'],
  visitors: { call: visit }
};
