import { child, identifiersIn, SyntaxNode } from '../ast';
import type { FunctionScope, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, kerasMethodName, tfApiName } from '../rule-helpers';
import { deleteDefaultTestStep, isDefaultTestStep, rewriteTrainStepOnce } from '../helpers/train-step-rewrite';
import { isTensorflowStepPath, rewriteMultiOptimizerStep, trainingMethods } from '../helpers/multi-optimizer-step';
import { classMethodDefinitions } from '../helpers/model-code';
import { watchTapeMethodFix } from '../helpers/watch-tape-method';
import { lossTrackerUpdateEdit, regularizationLossesEdit } from '../helpers/loss-tracker';

/** The guide's advice when the step does more than compute a loss. */
const PER_BACKEND =
  'write one train_step per backend as the guide shows: `train_step(self, *args, **kwargs)` returns `self._jax_train_step(...)`, `self._tensorflow_train_step(...)` or `self._torch_train_step(...)` depending on `keras.backend.backend()` (keras.io/guides/custom_train_step_in_jax/, _in_tensorflow/, _in_torch/)';

const STEPS = new Set(['train_step', 'test_step', 'predict_step']);

/**
 * The step the code is in: `train_step`, `test_step` or `predict_step`, or `_test_step` /
 * `_predict_step` as step-signature-on-jax's fix keeps a step under (it runs on every backend).
 */
function stepOf(ctx: RuleContext): string | null {
  const method = kerasMethodName(ctx);
  const step = method && /^_(test|predict)_step$/.test(method) ? method.slice(1) : method;
  return step && STEPS.has(step) && ctx.cls?.keras === 'model' ? step : null;
}

/**
 * `self.compiled_loss(y, y_pred, ...)` in a test or predict step: Keras 3's TensorFlow shim is
 * `self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=...)`, which every backend has (safe),
 * followed by the "loss" metric's update Keras 2's compiled_loss made (helpers/loss-tracker);
 * `self.compiled_metrics.update_state(y, y_pred, ...)` as `compute_metrics(None, y, y_pred, ...)`
 * updates the compiled metrics alike, but not the loss tracker the shim fed y_pred (a suggestion).
 * Only in a class without a method of that name, and as `super().`: the compute_loss() override
 * KM141's train_step rewrite may add would otherwise call itself (keras.io FixMatch's test_step
 * goes into it), while Keras's own is what the shim called.
 */
function shimCallFix(node: SyntaxNode, name: string, ctx: RuleContext): RawFix | null {
  const call = name === 'compiled_loss' ? node.parent : node.parent?.type === 'attribute' ? node.parent.parent : null;
  if (call?.type !== 'call' || (name === 'compiled_metrics' && ctx.textOf(child(node.parent!, 'attribute') ?? node) !== 'update_state')) {
    return null;
  }
  const method = name === 'compiled_loss' ? 'compute_loss' : 'compute_metrics';
  const methods = ctx.cls ? classMethodDefinitions(ctx.cls.node, ctx) : null;
  if (!ctx.cls || !methods || methods.has(method)) {
    return null;
  }
  // A train_step the compute_loss() rewrite takes takes its test_step along (as written).
  const train = methods.get('train_step');
  if (train && /\bGradientTape\b/.test(ctx.textOf(train)) && 'edits' in rewriteTrainStepOnce(train, ctx.cls.node, ctx)) {
    return null;
  }
  const parts = callParts(call, ctx);
  // `regularization_losses=self.losses` goes: Keras 3's compute_loss() adds the model's losses itself.
  const regularization = parts?.args && name === 'compiled_loss' ? regularizationLossesEdit(parts.args, ctx) : null;
  if (!parts || parts.splat || !parts.args || (parts.positional.length === 0 && !parts.keywords.has('y')) || (parts.keywords.has('regularization_losses') && !regularization) || regularization === 'other' || (parts.positional.length > 3)) {
    return null;
  }
  const open = parts.args.start + 1;
  const fn = child(call, 'function')!;
  const edits = [
    { start: fn.start, end: fn.end, text: `super().${method}` },
    { start: open, end: open, text: parts.positional.length || parts.keywords.size ? 'None, ' : 'None' }
  ];
  if (regularization) {
    edits.push(regularization);
  }
  // Keras 2's compiled_loss also fed the "loss" metric (what the step logs as "loss"); compute_loss() does not.
  const tracker = name === 'compiled_loss' ? lossTrackerUpdateEdit(call, ctx.cls.node, ctx) : null;
  if (tracker) {
    edits.push(tracker);
  }
  return name === 'compiled_loss'
    ? { title: `Use \`super().compute_loss(None, y, y_pred, ...)\` (Keras's own, which the shim calls)${tracker ? ' and update the "loss" metric with it, as Keras 2\'s compiled_loss did' : ''}`, safe: true, edits }
    : { title: "Use `super().compute_metrics(None, y, y_pred, ...)` (the compiled metrics; the loss tracker is not fed y_pred as the shim did)", safe: false, edits };
}

/** The method itself (the function directly in the class body) around the node. */
function methodOf(ctx: RuleContext): FunctionScope | null {
  let fn = ctx.fn;
  while (fn && fn.classScope !== ctx.cls) {
    fn = ctx.outerFunction(fn);
  }
  return fn;
}

/**
 * A tape in a method the train_step calls to train a part of the model with an optimizer of its
 * own (keras.io GauGAN's `train_discriminator()` / `train_generator()`), the step itself holding
 * none: reported once, at the first such method's first tape, with the per-backend rewrite.
 */
function visitTrainingMethodTape(node: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): void {
  const method = methodOf(ctx);
  const cls = ctx.cls;
  const train = cls?.keras === 'model' ? classMethodDefinitions(cls.node, ctx).get('train_step') : undefined;
  if (!method || !cls || !train || /\bGradientTape\b/.test(ctx.textOf(train))) {
    return;
  }
  const name = ctx.textOf(child(method.node, 'name') ?? method.node);
  // Already one step per backend: the TensorFlow step calls the method as written.
  if (isTensorflowStepPath(cls.node, name, ctx)) {
    return;
  }
  const trainers = trainingMethods(train, cls.node, ctx);
  const firstTape = (m: SyntaxNode): SyntaxNode | undefined =>
    identifiersIn(m).find(n => ctx.textOf(n) === 'GradientTape');
  const first = trainers.length ? firstTape(classMethodDefinitions(cls.node, ctx).get(trainers[0])!) : undefined;
  if (trainers[0] !== name || !first || first.start < fn.start || first.end > fn.end) {
    return;
  }
  const listed = trainers.map(t => `\`${t}()\``).join(', ');
  const lead = `\`tf.GradientTape\` in \`${name}()\`, which \`train_step()\` calls, ties training to TensorFlow. The step trains ${trainers.length === 1 ? 'a part of the model in a method with a tape and an optimizer of its own' : 'parts of the model in methods with tapes and optimizers of their own'} (${listed}), which no \`compute_loss()\` override expresses`;
  const perBackend = rewriteMultiOptimizerStep(train, cls.node, ctx);
  if (perBackend && 'edits' in perBackend) {
    ctx.report(fn, `${lead}: ${PER_BACKEND}; the fix writes them, with PyTorch and JAX variants of ${trainers.length === 1 ? 'that method' : 'those methods'}, from the code as written.`, { title: perBackend.title, safe: false, edits: perBackend.edits });
    return;
  }
  ctx.report(fn, `${lead}: ${PER_BACKEND}.${perBackend ? ` The per-backend step is not written automatically: ${perBackend.why}.` : ''}`);
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const step = stepOf(ctx);
  const fn = child(node, 'function');
  if (!step && fn && ctx.cls?.keras === 'model' && tfApiName(ctx.resolve(fn)) === 'tf.GradientTape') {
    visitTrainingMethodTape(node, fn, ctx);
    return;
  }
  if (!step || !fn) {
    return;
  }
  const tf = tfApiName(ctx.resolve(fn));
  if (tf === 'tf.GradientTape') {
    const method = methodOf(ctx);
    if (step !== 'train_step' || !method || !ctx.cls) {
      ctx.report(fn, `\`tf.GradientTape\` in \`${step}()\` ties training to TensorFlow; override \`compute_loss()\` instead, or write one ${step} per backend.`);
      return;
    }
    const rewrite = rewriteTrainStepOnce(method.node, ctx.cls.node, ctx);
    if ('reason' in rewrite) {
      // A GAN: its tapes train parts of the model with optimizers of their own.
      const perBackend = rewriteMultiOptimizerStep(method.node, ctx.cls.node, ctx);
      if (perBackend && 'edits' in perBackend) {
        const fix: RawFix = { title: perBackend.title, safe: false, edits: perBackend.edits };
        ctx.report(fn, `\`tf.GradientTape\` in \`train_step()\` ties training to TensorFlow. This step cannot become a \`compute_loss()\` override (${rewrite.reason}): ${PER_BACKEND}; the fix writes them from the step as written.`, fix);
        return;
      }
      const why = perBackend ? ` The per-backend step is not written automatically: ${perBackend.why}.` : '';
      // A tape watching tensors for a gradient penalty, inline in the step: into a method of its own first.
      const moved = perBackend && /not at the top level|\.watch`\)/.test(perBackend.why) ? watchTapeMethodFix(node, method.node, ctx.cls.node, ctx) : null;
      const movedWhy = moved ? ` This tape watches tensors for a gradient (a gradient penalty): the fix moves it into a method \`${moved.method}()\` returning that gradient, which the per-backend rewrite then gives PyTorch and JAX variants.` : '';
      ctx.report(fn, `\`tf.GradientTape\` in \`train_step()\` ties training to TensorFlow. This step cannot become a \`compute_loss()\` override (${rewrite.reason}): ${rewrite.hint ? `${rewrite.hint} ` : ''}${PER_BACKEND}.${why}${movedWhy}`, moved?.fix);
      return;
    }
    const fix: RawFix = { title: rewrite.title, safe: rewrite.safe, edits: rewrite.edits };
    ctx.report(
      fn,
      rewrite.message ??
      (rewrite.safe
        ? '`tf.GradientTape` in `train_step()` ties training to TensorFlow; this step is what Keras\'s `fit()` does by default, so it can go (`fit()` then runs on every backend).'
        : rewrite.besides
          ? `\`tf.GradientTape\` in \`train_step()\` ties training to TensorFlow; the step computes a loss, and ${rewrite.besides}: move the loss into a \`compute_loss()\` override and the rest to Keras (\`fit()\` then runs the step on every backend).`
          : '`tf.GradientTape` in `train_step()` ties training to TensorFlow; the step only computes a loss, so move that into a `compute_loss()` override (`fit()` then runs the step on every backend).'),
      fix
    );
    return;
  }
  if (fn.type === 'attribute' && calleeName(fn, ctx) === 'apply_gradients') {
    ctx.report(fn, `\`optimizer.apply_gradients\` in \`${step}()\` is TensorFlow-style training; on JAX/PyTorch use a \`compute_loss()\` override or the backend's own step.`);
  }
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const step = stepOf(ctx);
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!step || !attr || !object || ctx.textOf(object) !== 'self') {
    return;
  }
  const name = ctx.textOf(attr);
  if (name === 'compiled_loss' || name === 'compiled_metrics') {
    // A test_step that is Keras's default one goes: Keras 3's own test_step calls compute_loss().
    const method = step === 'test_step' ? methodOf(ctx) : null;
    const outer = method && method.node.parent?.type === 'decorated_definition' ? method.node.parent : method?.node;
    const fix: RawFix | null =
      method && outer && ctx.cls && isDefaultTestStep(method.node, ctx)
        ? { title: "Delete test_step() (it is Keras's default step)", safe: true, edits: deleteDefaultTestStep(ctx.cls.node, outer, ctx) }
        : step !== 'train_step'
          ? shimCallFix(node, name, ctx)
          : null;
    ctx.report(node, `\`self.${name}\` is a deprecated TensorFlow-backend shim in Keras 3 (early 3.x releases lack it); use \`self.compute_loss(...)\` and \`self.compute_metrics(...)\` (or iterate \`self.metrics\`).`, fix);
  }
}

export const tensorflowTrainStep: RuleDefinition = {
  code: 'KM141',
  name: 'tensorflow-train-step',
  slug: 'custom-train-step',
  severity: 'warning',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'In `train_step()`/`test_step()` overrides of Keras Model subclasses, flags `tf.GradientTape`, `optimizer.apply_gradients` and `self.compiled_loss`/`self.compiled_metrics`. A train_step that only computes a loss (one tape, the gradient over all trainable variables applied with `self.optimizer`, metric updates, a return of metric results) is rewritten into a `compute_loss()` override, with a `call()` made of the forward pass when the model has none and a `compute_metrics()` returning what the step returned; a step that trains one sub-model only (`tape.gradient(loss, self.student.trainable_variables)`, as in knowledge distillation) gets `call()` = that sub-model\'s forward pass and the other sub-models it calls (the teacher) frozen in `__init__()`; a test_step that only evaluates goes with it (Keras 3\'s own test_step calls `compute_loss()`); a step that is exactly Keras\'s default (and a default test_step) is deleted. Gradients clipped before they are applied (`[tf.clip_by_norm(g, c) for g in grads]`, `[tf.clip_by_value(g, -c, c) for g in grads]`, `tf.clip_by_global_norm(grads, c)` with a constant `c`) become the optimizer\'s `clipnorm=`/`clipvalue=`/`global_clipnorm=`, set in a `compile()` override (the same clipping, done by Keras 3\'s own step on every backend). A step training the one sub-model that holds every layer of a model with its own `call()` (Zero-DCE) trains the whole model: its forward pass and losses go into `compute_loss()` as written, and a `test_step()` doing the same without training is deleted. A step running the model or one sub-model on several parts of the batch (a triplet or a pair unpacked or indexed from `data`, each through an embedding network), or handing the batch to a helper method that runs a layer on it (keras.io\'s Siamese network), takes the whole batch as x: a `batch_as_x()` function mapped over the tf.data datasets given to fit()/evaluate() makes each batch `(batch,)` (fit() would read a tuple as x, y, sample_weight), call() runs the forward part and returns its outputs (or is the model\'s own call() when that is the same sub-model call), compute_loss() unpacks y_pred and computes the loss (summed, as the tape did, unless it is the compiled loss, a scalar), `self.compiled_metrics.update_state(labels, logits)` becomes a compute_metrics() handing the two (returned by call()) to Keras\'s own, the helper and a test_step doing the same go (one returning `{m.name: m.result() for m in self.metrics}` counts as returning the train_step\'s dict of tracker results); after keras.io\'s `if isinstance(data, tuple): data = data[0]` the helper gets the batch\'s x, which fit() hands call() as it is, so no function is mapped over the datasets (a beta-VAE\'s `compute_losses(data)`); a functional model (whose call() is the graph predict() uses) or a different call() of its own is left with advice. The helper may return a tuple (`total_loss, loss_patch, loss_output = self.calculate_loss(images)`) and take a True/False flag the test_step flips (`test=True`), which becomes `test = not training` in call() (keras.io\'s masked autoencoder). The step may pass the helper flags by keyword (ELECTRA\'s `self.compute_losses(inputs, training=True)`, the test_step `training=False`: call()\'s own `training`) and combine the losses it returns in the tape (`loss = mlm_loss + w * disc_loss`, a test_step adding them inline counting as the same); a helper running layers on what a method of the model made of the batch (ELECTRA\'s `self.mask_tokens(inputs)`) counts, and a loss it computes between two layer calls (read by no later layer call) moves after them into compute_loss(). Gradients over a list of sub-models\' variables (`[self.encoder.trainable_variables, self.decoder.trainable_variables]`, their sum, or `[stage.trainable_variables for stage in self.stages]`), applied directly or flattened into (gradient, variable) pairs, train the whole model; the sub-models the list leaves out (called by the model, so holding variables fit() would train) are frozen in `__init__()` (an attribute used only in arithmetic, such as an EMA rate `self.tau`, holds none). A step whose tape only hands the batch to a helper that unpacks `(x, y)`, runs the forward pass and returns `self.compiled_loss(y, pred)` with y and pred (keras.io ShiftViT), the gradient applied over every sub-model\'s variables and the compiled metrics updated on y and pred, is Keras 3\'s own step: train_step, a test_step doing the same without training, and the helper are deleted, and call(self, x, training=False) becomes the helper\'s forward pass (a suggestion); a call() the model already has must compute the same in inference, up to `training=` arguments and local names (it is what predict() runs), else advice says why. A model without call() running each part of a pair batch through a layer of its own takes the whole batch as x too. After the optimizer step, values computed only for metric updates go into compute_loss() with those updates, and loops assigning the variables of a sub-model the step does not train (BYOL\'s moving average of the online network into the target) run there when training, the assigned value under `keras.ops.stop_gradient` (from the weights before the step: one step behind). A step unpacking a nested batch (`(x_l, y_l), (x_u_weak, x_u_strong) = data`, or `clean, noisy = data` then `clean_images, _ = clean`: datasets zipped together) whose datasets are given to fit() in the cell takes the whole batch as x: `batch_as_x()` is mapped over the data given to fit() (not the validation or evaluation data), call() tells a training batch by its structure (a tuple of the unpacked length, with tuples where the step unpacked further) and runs the unpacking, the statements before the tape and the tape\'s forward part on it, returning what the loss and metrics read, and on other inputs runs the test_step\'s forward pass (or the model\'s own call()); compute_loss() runs the unpacking and the size computations again from x, computes the loss (`self.compiled_loss(a, b)` as `super().compute_loss(x=None, y=a, y_pred=b)`) and the tracker updates, and on evaluation batches the test_step\'s loss (none: zero); compute_metrics() gives the compiled metrics what the step gave them; sub-models the step did not train are frozen; `self.optimizer.iterations` read by the step or a method it calls becomes a `keras.Variable` step counter of the model\'s own, incremented in compute_loss() when training (compute_loss() cannot read the optimizer\'s on JAX); logs the step added with `results.update(...)` are no longer logged. Checked on keras.io consistency training and a FixMatch-like program on TensorFlow, JAX and PyTorch. Other nested batches get advice on mapping them to `(x, y)`, and a step reading `self.optimizer.iterations` the warning that compute_loss() cannot read it on JAX. A step whose tapes each train a part of the model with an optimizer of its own (a GAN: `self.d_optimizer`, `self.g_optimizer`) becomes, once the other fixes have converted its other TF calls, one train_step per backend dispatching on `keras.backend.backend()` (a suggestion): TensorFlow\'s as written; PyTorch\'s under `torch.no_grad()` with each tape\'s body under `torch.enable_grad()` and `tape.gradient(loss, variables)` as `torch.autograd.grad`; JAX\'s un-jitted (a `make_train_function()` override), the state fit() hands it assigned into the variables and read back, each tape\'s body a function of its variables under `keras.StatelessScope` and `jax.value_and_grad`; a model with no call() is marked built in `__init__()`. A persistent tape giving several gradients (CycleGAN) is rewritten too: on PyTorch each `torch.autograd.grad` retains the graph, on JAX one forward pass runs under `jax.vjp` and each gradient pulls back its own loss. Two or more tapes opened in one `with` statement over one forward pass (the TensorFlow DCGAN and pix2pix tutorials) are one persistent tape giving two gradients and are rewritten so. Tapes in a `for` loop at the top level of the step (WGAN-GP\'s critic steps) are rewritten in place, and a method the step calls whose tape watches a tensor and takes a gradient with respect to it (WGAN-GP\'s `gradient_penalty()`: `tape.watch(interpolated)`, `tape.gradient(pred, [interpolated])`) gets a PyTorch variant (`interpolated.requires_grad_(True)` under `torch.enable_grad()`, `torch.autograd.grad(pred, [interpolated], grad_outputs=torch.ones_like(pred), create_graph=True)`: the step\'s tape differentiates it again) and a JAX one (the tape\'s body a function of the watched tensor under `jax.grad`, inside the step\'s tape function, so the critic\'s gradient goes through it). A step with one optimizer that cannot become a `compute_loss()` override (keras.io metric learning: a functional model run on two parts of the batch) is rewritten the same way when it has one tape at its top level whose gradient goes to `apply_gradients()` as it is (over sub-models\' variables, directly or through a local name bound to them once, as keras.io\'s NeRF writes `trainable_variables = self.nerf_model.trainable_variables`; a test_step of the class\'s own is left to the rules on test_step), a flat batch (a nested one, from datasets zipped together, keeps the advice), and a model built when fit() starts (functional, or with no call()): fit()\'s symbolic build of the compiled loss and metrics (a call of the model on the batch\'s x, which the step does not hand the model) is skipped on JAX and PyTorch (a `_symbolic_build()` override; the step\'s own calls build them), the PyTorch step makes the batch\'s lists tuples, and `self.compiled_loss(y, y_pred)` / `self.compiled_metrics.update_state(y, y_pred)` (TensorFlow-only shims) become `self.compute_loss(None, y, y_pred)` / `self.compute_metrics(None, y, y_pred)` in all three steps (`regularization_losses=self.losses` dropped: compute_loss() adds the model\'s losses), and after `loss = self.compute_loss(...)` the step updates the metric named "loss" with it, as Keras 2\'s compiled_loss did (Keras 3\'s compute_loss() does not, and the TensorFlow shim fed that metric y_pred; not where the class makes a "loss" metric of its own). Checked on keras.io metric learning, NeRF and GAT on TensorFlow, JAX and PyTorch. In that per-backend step, gradients over a list of sub-models\' variable lists (`tape.gradient(loss, [self.stem.trainable_variables, self.head.trainable_variables])`, then flattened into (gradient, variable) pairs, as keras.io PatchConvNet writes it) are taken over the flattened variables and nested back as the list (`keras.tree.flatten` / `keras.tree.pack_sequence_as`), and `self.compiled_loss(...)` / `self.compiled_metrics.update_state(...)` in methods the step calls (PatchConvNet\'s `_calculate_loss()` in the tape) become `self.compute_loss(None, ...)` / `self.compute_metrics(None, ...)` as in the step (checked on keras.io PatchConvNet and a two-part model on TensorFlow, JAX and PyTorch). A model with a call() or build() of its own makes its variables at its first call, inside the step: its JAX step runs the tape\'s body once first under a `keras.StatelessScope` (what it computes and updates discarded) and builds the optimizer, so that the tape function differentiates the model\'s variables, and fit()\'s `_symbolic_build()` leaves the optimizer to that (keras.io GAT, whose step runs the model on the graph it holds). In a test_step (or the `_test_step` the step-signature fix keeps it under), `self.compiled_loss(y, y_pred, ...)` becomes `super().compute_loss(None, y, y_pred, ...)`, what the TensorFlow shim calls (safe; `regularization_losses=self.losses` dropped, and the "loss" metric updated with the result as above), and `self.compiled_metrics.update_state(y, y_pred, ...)` becomes `super().compute_metrics(None, y, y_pred, ...)` (a suggestion: the shim also fed y_pred to the loss tracker); not in a class with a compute_loss()/compute_metrics() of its own, nor where the compute_loss() rewrite takes the test_step. A step whose tapes sit in methods it calls, each training a part of the model with an optimizer of its own and returning values to the step (keras.io GauGAN\'s `train_discriminator()` / `train_generator()`, a DCGAN\'s `self._d_step(real, fake)` / `self._g_step(noise)`), is reported at the first such method\'s first tape and rewritten the same way: those methods get `_torch_<name>` / `_jax_<name>` variants with their tapes rewritten as the step\'s, called by the PyTorch and JAX steps; on PyTorch a `part.trainable = True` set between a tape and its gradient over that part\'s variables moves before the tape (a frozen part\'s torch parameters do not require grad, while TensorFlow\'s tape watched them anyway); a model with a call() the step never runs is marked built, with the weightless layer classes it makes (fit() on JAX and PyTorch would run call() on a batch\'s x). Checked on keras.io GauGAN and a DCGAN with `_d_step`/`_g_step` helpers on TensorFlow, JAX and PyTorch. A tape in the step that watches tensors and gives one gradient with respect to them (a gradient penalty written inline, nested in the critic\'s tape: `with tf.GradientTape() as gp_tape: gp_tape.watch(x); ...` then `gp_tape.gradient(pred, x)`) gets a fix moving it into a method of the model (`_gp_tape_gradient(self, <the step\'s names its body reads>)`) returning that gradient and the names its body binds that the step reads after it; the step calls it where the tape was (the same computation on TensorFlow), and the next fix pass writes the per-backend step with that method\'s PyTorch and JAX variants. Checked on two such steps (one with the penalty tape in a critic loop) on TensorFlow, JAX and PyTorch. Other tapes nested in tapes or under an `if` keep the advice. Other steps get the guide\'s one-train_step-per-backend skeleton as advice. A `compute_loss()` override is the portable way and is not flagged.',
    why:
      'A GradientTape training step only runs on TensorFlow, and Keras 3 keeps `compiled_loss`/`compiled_metrics` only as deprecated TensorFlow-backend shims (guide section "Custom train_step() methods"). With the loss in `compute_loss()`, Keras 3\'s own `fit()` step takes the gradient and applies it on every backend (checked by running the rewritten programs on TensorFlow, JAX and PyTorch). Fix safety: deleting a step identical to Keras\'s default is safe; the `compute_loss()` rewrite is a suggestion (it adds `call()`/`compute_metrics()` methods and returns the sum of a loss not known to be one number, such as a `keras.losses.<function>()` result, since `tape.gradient` of a tensor differentiates its sum and JAX and PyTorch take the gradient of a scalar only).',
    example:
      'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x))\n        ...',
    useInstead:
      'import keras\nclass M(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))'
  },
  calls: { resolved: ['tensorflow.'], names: ['apply_gradients'] },
  attributes: { names: ['compiled_loss', 'compiled_metrics'] },
  visitors: { call: visitCall, attribute: visitAttribute }
};
