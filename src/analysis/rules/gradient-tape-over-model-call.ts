import { child, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { moduleFunctionDefinition } from '../helpers/tape-context';
import { looksLikeModel } from '../helpers/model-code';
import { backendsReaching } from '../helpers/backend-branch';
import { ModuleTapeRefusal, ModuleTapeRewrite, rewriteInputGradientTape } from '../helpers/module-tape-step';
import { APPLY_GRADIENTS_CALL, callParts, GRADIENT_CALL, inKerasClassMethod, parameterNames, tfApiName, valueBefore, withStatementOpenedBy } from '../rule-helpers';

/**
 * `tape.jacobian(y, x)` / `tape.batch_jacobian(y, x)` (TensorFlow's advanced-autodiff guide): on JAX
 * the tape returns None ("'NoneType' object has no attribute 'shape'"), on PyTorch it cannot read the
 * tensors that require grad (Keras 3.15, /work/og44e). No rewrite: only `tape.gradient` is rewritten.
 */
const JACOBIAN_CALL = /\.(?:batch_)?jacobian\s*\(/;

/** Names in `keras.losses` that are not Loss classes. */
const NOT_LOSS_CLASSES = new Set(['Loss', 'Reduction', 'LossFunctionWrapper']);

/**
 * Whether `fn` is a Keras loss: a name bound to a `keras.losses` Loss instance (`mse =
 * keras.losses.MeanSquaredError()`, called under the tape as `mse(y_pred, y)`), a Loss class
 * constructed in place, or a `keras.losses` function. Keras computes it with the backend's arrays,
 * which a `tf.GradientTape` does not record on JAX and PyTorch.
 */
function isKerasLoss(fn: SyntaxNode, at: SyntaxNode, ctx: RuleContext): boolean {
  const direct = ctx.resolveKeras(fn);
  if (direct && /^keras\.losses\.[a-z]\w*$/.test(direct)) {
    return true;
  }
  const name = fn.type === 'identifier' ? ctx.textOf(fn) : null;
  const constructed = name ? valueBefore(name, at, ctx) : fn.type === 'call' ? fn : null;
  const ctor = constructed?.type === 'call' ? child(constructed, 'function') : null;
  const resolved = ctor ? ctx.resolveKeras(ctor) : null;
  const cls = resolved ? /^keras\.losses\.([A-Z]\w*)$/.exec(resolved) : null;
  return !!cls && !NOT_LOSS_CLASSES.has(cls[1]);
}


/**
 * A call in `node` of a Keras model or layer instance (`grad_model(img)`, `model(images)`), of a
 * Keras loss (`mse(y_pred, mean_acc)`, keras.io's learning-curve fit of two `tf.Variable`s), or of
 * a module-level function of this cell whose body makes one (keras.io's
 * `loss = compute_loss(img, filter_index)` under the tape, `compute_loss` calling the feature extractor).
 */
function callsModel(node: SyntaxNode, ctx: RuleContext, seen: Set<string> = new Set(), losses = true, params: ReadonlySet<string> = new Set()): boolean {
  if (node.type === 'call') {
    const fn = child(node, 'function');
    // A parameter named like a model, called in a function of the cell the tape's body calls (the
    // TensorFlow Deep Dream tutorial's `calc_loss(img, model)`, given `self.model`); not followed for a
    // training gradient over `trainable_variables` (the custom training walkthrough's `loss(model, x, y)`: KM175's).
    if (fn && fn.type === 'identifier' && params.has(ctx.textOf(fn)) && looksLikeModel(fn, ctx)) {
      return true;
    }
    if (losses && fn && (fn.type === 'identifier' || fn.type === 'attribute' || fn.type === 'call') && isKerasLoss(fn, node, ctx)) {
      return true;
    }
    // `self.model(img)` in a method of a plain class or `tf.Module` holding the model it was given
    // (the TensorFlow Deep Dream tutorial's `DeepDream(tf.Module)` with `self.model = model`).
    if (fn && fn.type === 'attribute' && ctx.textOf(child(fn, 'object') ?? fn) === 'self' && looksLikeModel(fn, ctx)) {
      return true;
    }
    if (fn && fn.type === 'identifier') {
      if (ctx.isLayerInstance(fn)) {
        return true;
      }
      const name = ctx.textOf(fn);
      if (!seen.has(name) && seen.size < 8) {
        seen.add(name);
        const def = moduleFunctionDefinition(name, node, ctx);
        const body = def ? child(def, 'body') : null;
        if (body && callsModel(body, ctx, seen, losses, losses ? new Set(parameterNames(def!, ctx) ?? []) : params)) {
          return true;
        }
      }
    }
  }
  return node.children.some(c => callsModel(c, ctx, seen, losses, params));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || tfApiName(ctx.resolve(parts.fn)) !== 'tf.GradientTape') {
    return;
  }
  const statement = withStatementOpenedBy(node);
  if (!statement || inKerasClassMethod(ctx)) {
    return;
  }
  if (/GradientTape\s*\(/.test(ctx.text.slice(statement.start, node.start))) {
    return;
  }
  const scopeEnd = ctx.fn ? ctx.fn.node.end : ctx.text.length;
  const rest = ctx.text.slice(statement.start, scopeEnd);
  // A training loop (apply_gradients over a model's trainable variables) is KM175's; an optimizer
  // applying the gradient to an input image (neural style transfer's variable) stays here.
  if ((!GRADIENT_CALL.test(rest) && !JACOBIAN_CALL.test(rest)) || (APPLY_GRADIENTS_CALL.test(rest) && /\btrainable_(variables|weights)\b/.test(rest))) {
    return;
  }
  // A function returning the gradient over a model's trainable variables to a caller that applies
  // gradients (`return tape.gradient(loss, model.trainable_variables)`, then `apply_gradients` at
  // module level): a training step, KM175's (og50b repro_3: both rules fired, this one explaining
  // input gradients).
  if (ctx.fn && /\.gradient\s*\([^)]*\btrainable_(variables|weights)\b/.test(rest) && APPLY_GRADIENTS_CALL.test(ctx.text)) {
    return;
  }
  // Code that branches on the Keras backend (`if keras.backend.backend() == "jax": return
  // jax.value_and_grad(...)` before the tape, or the tape under such an `if`) keeps the tape for
  // the backends that test lets through.
  const reaching = backendsReaching(statement, ctx);
  const blocks = (['jax', 'torch'] as const).filter(b => !reaching || reaching.includes(b));
  if (!blocks.length) {
    return;
  }
  const body = child(statement, 'body');
  // A Keras loss alone counts where the gradient is not a model's training gradient (the custom
  // training walkthrough's `grad(model, ...)` over `trainable_variables` is KM175's loop).
  const trainingGradient = /\btrainable_(variables|weights)\b/.test(rest);
  if (!body || !callsModel(body, ctx, new Set(), !trainingGradient)) {
    return;
  }
  // Code reaching one backend only keeps its tape for TensorFlow and is not rewritten.
  const rewrite = reaching ? { why: 'the code around the tape already branches on the Keras backend' } : rewriteInputGradientTape(statement, ctx);
  const tapes = tapesOf(rootOf(statement));
  tapes.rewritten.set(statement, !('why' in rewrite));
  const finding: TapeFinding = { at: parts.fn, statement, rewrite, blocks: [...blocks] };
  if ('sharedWith' in rewrite && rewrite.sharedWith) {
    // Decided at the end of the cell, once the other tapes reading the variable are known.
    tapes.pending.push(finding);
    return;
  }
  report(finding, ctx);
}

const MESSAGE =
  '`tf.GradientTape` over a Keras model or loss call (gradients with respect to inputs or layer outputs, as in Grad-CAM, saliency maps or integrated gradients, or a curve fitted through a Keras loss) works only on the TensorFlow backend: on JAX and PyTorch the model or loss computes with JAX arrays or torch tensors the tape does not record. Keep this code on TensorFlow, or take the gradient with the backend\'s own API (`jax.grad`, `torch.autograd.grad`).';

/** Why a tape gets no fix when another tape of the cell reading the variable it makes a `keras.Variable` gets none. */
const OTHER_TAPE_REFUSAL = (x: string): string =>
  `\`${x}\` is also read under another \`tf.GradientTape\` of the cell, which this rewrite does not cover: as a \`keras.Variable\` it would reach that one too`;

interface TapeFinding {
  at: SyntaxNode;
  statement: SyntaxNode;
  rewrite: ModuleTapeRewrite | ModuleTapeRefusal;
  blocks: ('jax' | 'torch')[];
}

/** Per cell: whether each flagged tape got a rewrite, and the findings waiting on other tapes. */
interface CellTapes {
  rewritten: Map<SyntaxNode, boolean>;
  pending: TapeFinding[];
}

const CELL_TAPES = new WeakMap<SyntaxNode, CellTapes>();

function tapesOf(root: SyntaxNode): CellTapes {
  let tapes = CELL_TAPES.get(root);
  if (!tapes) {
    tapes = { rewritten: new Map(), pending: [] };
    CELL_TAPES.set(root, tapes);
  }
  return tapes;
}

function report(finding: TapeFinding, ctx: RuleContext): void {
  const { rewrite } = finding;
  ctx.report(
    finding.at,
    MESSAGE + ('why' in rewrite ? ` No fix: ${rewrite.why}.` : ''),
    'why' in rewrite ? null : { title: rewrite.title, safe: false, edits: rewrite.edits },
    undefined,
    undefined,
    finding.blocks
  );
}

/**
 * A tape whose variable another tape of the cell also reads (the TensorFlow style-transfer
 * tutorial's second `train_step`, with total variation) keeps its rewrite when every such tape is
 * rewritten too: the variable becomes a `keras.Variable` for all of them, and a tape left as
 * written would get one it was not rewritten for.
 */
function visitModuleExit(root: SyntaxNode, ctx: RuleContext): void {
  const tapes = CELL_TAPES.get(root);
  if (!tapes) {
    return;
  }
  CELL_TAPES.delete(root);
  const shared = (f: TapeFinding) => ('sharedWith' in f.rewrite ? f.rewrite.sharedWith ?? [] : []);
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of tapes.pending) {
      if (tapes.rewritten.get(f.statement) && shared(f).some(s => tapes.rewritten.get(s.tape) !== true)) {
        tapes.rewritten.set(f.statement, false);
        changed = true;
      }
    }
  }
  for (const f of tapes.pending) {
    const blocking = shared(f).find(s => tapes.rewritten.get(s.tape) !== true);
    report(blocking ? { ...f, rewrite: { why: OTHER_TAPE_REFUSAL(blocking.variable) } } : f, ctx);
  }
}

export const gradientTapeOverModelCall: RuleDefinition = {
  code: 'KM218',
  name: 'gradient-tape-over-model-call',
  slug: 'custom-train-step',
  severity: 'warning',
  /** Checked by running (claims/gradient_tape_over_model_call.py): Keras 3.15 on JAX raises "'ArrayImpl' object has no attribute '_id'" in tape.gradient, on PyTorch "Cannot convert the argument `type_value`: tensor(...) to a TensorFlow DType". */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['GradientTape'],
  docs: {
    whatItDoes:
      'Flags `with tf.GradientTape() as tape:` outside the methods of Keras Model/Layer subclasses when a Keras model or a Keras loss (a `keras.losses` Loss instance or function, as in keras.io\'s learning-curve fit `cost = mse(exp_func(x, a, b), mean_acc)` of two `tf.Variable`s) is called inside the block (directly, by a function of the cell called there, also through its parameter named like a model, or as `self.<model>(...)` in a method of a plain class or `tf.Module` holding a model under a model-like name: the TensorFlow Deep Dream tutorial\'s `calc_loss(img, self.model)`) and `tape.gradient(...)` is taken (or `tape.jacobian(...)` / `tape.batch_jacobian(...)`, TensorFlow\'s advanced-autodiff guide, which get no rewrite), unless the code applies the gradients to a model\'s `trainable_variables` with `optimizer.apply_gradients` (a training loop is KM175\'s; an optimizer applying it to an image variable, as in neural style transfer, stays here), or branches on `keras.backend.backend()` there (a per-backend gradient function keeping the tape for TensorFlow): gradients with respect to the inputs or an intermediate layer output, as in keras.io Grad-CAM, saliency maps, integrated gradients, Deep Dream, filter visualization and FGSM. Fix (a suggestion) for a tape whose body starts with `tape.watch(x)` lines (after plain assignments that do not use the tape, when every gradient source is a watched name: they run before the tape, since a TensorFlow gradient with respect to a watched tensor does not depend on how it was made; Deep Learning with Python\'s Grad-CAM `last_conv_layer_output = last_conv_layer_model(img_array)` then `tape.watch(last_conv_layer_output)`, a saliency map\'s `x = tf.cast(img, tf.float32)` then `tape.watch(x)`, /work/og49a repro_2 and repro_2b, the fixed text run on TensorFlow, JAX and PyTorch) and then only assigns, followed by `grads = tape.gradient(y, x)` (or a line adding it to a sum, the TensorFlow Deep Dream tutorial\'s `gradients = gradients + tape.gradient(loss, img_rolled)`: the branches compute it under a name of their own and run that line with it; or, in a function, `return tape.gradient(y, x)`, keras.io integrated gradients\' `get_gradients()`: each backend\'s branch returns its gradient) with respect to a watched name or to a variable the body reads (`x = tf.Variable(value)` in the cell becomes `keras.Variable(value)`, which the Keras optimizer updates on every backend, and `@tf.function` on a step it is passed to is dropped: it would receive the variable as a tensor): the tape and that line become a branch per backend (as KM175\'s, sharing its helpers): on JAX the body is a function of x returning `keras.ops.sum(y)` (and y and the names read after as aux), differentiated by `jax.grad(has_aux=True)` at `keras.ops.convert_to_tensor(x)` (a variable: `x.value`), the models it calls reading their variables as constants; on PyTorch x becomes `keras.ops.convert_to_tensor(x).detach().clone().requires_grad_(True)`, the body runs as written, `torch.autograd.grad(y, [x], grad_outputs=torch.ones_like(y))[0]` gives the gradient and y, the kept names and x are detached after; the tape stays as written on TensorFlow. A list or tuple of names as sources (keras.io\'s learning-curve fit `tape.gradient(cost, [a, b])` of two `tf.Variable`s) gets the same rewrite over all of them: on JAX the body is a function of their values (`jax.grad(..., argnums=(0, 1), has_aux=True)`, a list again for a list), the variables reading those values in a `keras.StatelessScope` (so they keep a Keras variable\'s operators, `x ** b` of a Python list x); on PyTorch `torch.autograd.grad(y, [a.value, b.value], ...)`; `.numpy()` on values computed from a variable it turns into a `keras.Variable` (`exp_func(x, a, b).numpy()`) becomes `keras.ops.convert_to_numpy()`; after the step, the variable given to a TensorFlow function becomes `tf.convert_to_tensor(keras.ops.convert_to_numpy(x))` (TF image ops call `get_shape()`, which a `keras.Variable` lacks) and given to a NumPy function, or to a function of the cell applying them that does not update it, `keras.ops.convert_to_numpy(x)` (the TensorFlow style-transfer tutorial\'s `tf.image.total_variation(image)` and `tensor_to_image(image)`); a result a caller appends to a list that a TF op then converts whole (`grads.append(grad[0])`, then `tf.convert_to_tensor(grads)`: TensorFlow converts one JAX array or torch tensor but not a list of them) becomes `keras.ops.convert_to_numpy(...)` there. TF ops in the body, in the functions of the cell it calls (and those they call) and after the gradient in the step become keras.ops; `@tf.function` on the step, and on a function of the cell calling the step (the integrated-gradients tutorial\'s `integrated_gradients()` calling `compute_gradients()`), applies on TensorFlow only. A variable also read under another tape of the cell (the style-transfer tutorial\'s second step, with total variation) is rewritten only where that tape is rewritten too: every `tf.Variable` assignment of it becomes a `keras.Variable`, and the TensorFlow branch gives TF functions under the tape its `.value`; `loss += term` in the body is `loss = loss + term` on JAX and PyTorch (PyTorch adds in place, which fails where the term broadcasts). No fix (the message says why) for a variable also read under another tape of the cell that gets no rewrite, for a gradient with respect to a value the body computes (Grad-CAM\'s layer output: JAX differentiates functions of their inputs only), a `tf.Variable(...)` source with arguments besides its value, a watched expression, statements before the first `tape.watch(x)` other than plain assignments or with a gradient also with respect to something not watched (recorded from the start of the tape), sources other than a name or a list or tuple of names, a `tf.Variable` source that may meet a NumPy array on the left of an operator or a NumPy call in the body or a function of the cell it is passed to (as a `keras.Variable` NumPy reads it as a constant), a body with loops or branches, a tape used elsewhere, TF calls with no keras.ops conversion.',
    why:
      'The tape records only TensorFlow operations. On the JAX and PyTorch backends the model computes with JAX arrays or torch tensors: `tape.gradient` fails (JAX: "\'ArrayImpl\' object has no attribute \'_id\'"; PyTorch: "Cannot convert the argument `type_value`: tensor(...) to a TensorFlow DType", checked on Keras 3.15). The Keras team kept such keras.io examples (Grad-CAM, integrated gradients) on the TensorFlow backend. Checked by running the fix on the keras.io Deep Dream, filter visualization, neural style transfer and FGSM programs (examples/runnable/deep_dream.py, visualizing_convnet_filters.py, neural_style_transfer.py, fgsm_adversarial.py) on TensorFlow, JAX and PyTorch. Fix safety: a suggestion (JAX and PyTorch run the step eagerly, and TensorFlow too when a variable is passed to it; the gradient is that of the sum of y, as tape.gradient takes; on PyTorch x is a copy from the tape on, so the caller\'s tensor is not updated in place; functions the body calls get keras.ops for their TF ops).',
    example:
      'import keras\nimport tensorflow as tf\ngrad_model = keras.Model(inputs, [conv, preds])\nwith tf.GradientTape() as tape:\n    conv_out, preds = grad_model(img)\n    score = preds[:, 0]\ngrads = tape.gradient(score, conv_out)',
    useInstead:
      '# On PyTorch (jax.grad of a function of the layer output on JAX; tf.GradientTape stays for TensorFlow)\nimport torch\nconv_out, preds = grad_model(img)\ngrads = torch.autograd.grad(preds[:, 0].sum(), conv_out)[0]'
  },
  calls: { resolved: ['tensorflow.GradientTape'] },
  // Findings are on calls resolving to `tf.GradientTape`.
  requires: ['GradientTape'],
  visitors: { call: visit, 'module:exit': visitModuleExit }
};
