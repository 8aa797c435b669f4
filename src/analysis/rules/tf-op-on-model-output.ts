import { child, enclosingFunctionDefinition, rootOf, SyntaxNode } from '../ast';
import { inModelConstructorArgument } from '../helpers/model-constructor-argument';
import type { ValueParameter } from '../helpers/eager-values';
import { calleeKey, gradArgumentFacts, inKerasCallback, tapedCallFact, isEagerBackendTensor, noteGradArguments, readsTrainableVariable, requiresGradOnTorch } from '../helpers/eager-values';
import { eagerMethodOf, inModelCode } from '../helpers/model-code';
import { inWithStatement, runsUnderTapeOrTfFunction, tracedOnTensorflowOnly } from '../helpers/tape-context';
import { tfOpCall } from '../helpers/op-conversion';
import { runsInDatasetMap } from '../helpers/tf-data';
import { isTfOpName } from '../knowledge';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, inKerasClassMethod, nodesOfType, tfApiName } from '../rule-helpers';

/** TF ops whose first argument is a list of tensors (TensorFlow refuses one array there). */
const LIST_OPS = new Set(['tf.stack', 'tf.concat', 'tf.add_n', 'tf.math.add_n']);

const OPERATORS = ['binary_operator', 'comparison_operator'];
/** Operator tokens a comparison's children include beside its operands. */
const OPERATOR_WORDS = new Set(['in', 'not', 'is', 'and', 'or']);

function operandsOf(operator: SyntaxNode): SyntaxNode[] {
  return operator.children.filter(c => /^[a-z_]+$/.test(c.type) && !OPERATOR_WORDS.has(c.type) && c.type !== 'comment');
}

/**
 * The operands a TF op's tensor meets in an arithmetic or comparison operator: beside the call
 * itself, or beside the name the call is assigned to (`threshold = tf.constant(0.5)`), later in the
 * same function or at the cell's top level.
 */
function operatorPartners(call: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const parent = call.parent;
  if (parent && OPERATORS.includes(parent.type)) {
    return operandsOf(parent).filter(o => o !== call);
  }
  const left = parent?.type === 'assignment' && child(parent, 'right') === call ? child(parent, 'left') : null;
  if (!left || left.type !== 'identifier') {
    return [];
  }
  const name = ctx.textOf(left);
  const def = enclosingFunctionDefinition(call);
  const partners: SyntaxNode[] = [];
  for (const type of OPERATORS) {
    for (const operator of nodesOfType(def ?? rootOf(call), type)) {
      if (operator.start < call.end || enclosingFunctionDefinition(operator) !== def) {
        continue;
      }
      const operands = operandsOf(operator);
      if (operands.some(o => o.type === 'identifier' && ctx.textOf(o) === name)) {
        partners.push(...operands.filter(o => !(o.type === 'identifier' && ctx.textOf(o) === name)));
      }
    }
  }
  return partners;
}

/**
 * NumPy functions that convert their tensor arguments (`np.argmax`, `np.array`, `np.mean`), as
 * `np.x`: not `np.random.*` (no tensor arguments) nor those that only read attributes.
 */
function numpyFunctionName(canonical: string | null): string | null {
  if (canonical === 'numpy.random.choice') {
    return 'np.random.choice';
  }
  // NumPy's test assertions convert their arguments too (`np.testing.assert_allclose(model(x), y)`,
  // keras.io serialization guide).
  const testing = canonical ? /^numpy\.testing\.(assert_\w+)$/.exec(canonical) : null;
  if (testing) {
    return `np.testing.${testing[1]}`;
  }
  const m = canonical ? /^numpy\.(\w+)$/.exec(canonical) : null;
  return m && !/^(shape|ndim|size|isscalar|dtype|result_type|iterable)$/.test(m[1]) && /^[a-z]/.test(m[1]) ? `np.${m[1]}` : null;
}

/**
 * NumPy reductions that call a non-NumPy argument's own method with NumPy's keywords (`axis`,
 * `out`, `ddof`): a torch tensor refuses them ("mean() got an unexpected keyword argument 'axis'",
 * "max(): argument 'dim' must be int, not NoneType"), checked on Keras 3.15 with torch 2.13.
 */
const NUMPY_REDUCTIONS = new Set(['np.mean', 'np.std', 'np.var', 'np.sum', 'np.max', 'np.min', 'np.amax', 'np.amin', 'np.prod', 'np.all', 'np.any']);

/** Matplotlib functions and Axes methods that convert the arrays they plot through NumPy. */
const PLOT_FUNCTIONS = ['plot', 'imshow', 'matshow', 'scatter', 'hist', 'bar', 'barh', 'pcolormesh', 'contour', 'contourf', 'stem', 'step', 'fill_between', 'errorbar', 'semilogy', 'semilogx', 'loglog'];
const PLOT_FUNCTION = new Set(PLOT_FUNCTIONS);
/**
 * Names people give an Axes (`fig, ax = plt.subplots()`, `axes[0, 1]`, `axs[i]`, `ax2`, and one Axes
 * of a row unpacked by role, `(ax_style, ax_content) = axis`): not resolvable to matplotlib.
 */
const AXES_NAME = /^(ax|axs|axes|axarr|subplot)(\d*|_\w+)$/;

/** Keras image utilities that convert the image they are given through NumPy (`np.asarray`). */
const IMAGE_FUNCTIONS = ['array_to_img', 'save_img'];
const IMAGE_FUNCTION = /^keras\.(utils|preprocessing\.image)\.(array_to_img|save_img)$/;

/** `keras.utils.array_to_img(...)` (also `keras.preprocessing.image.*` and the `tf.keras` spellings), as written; null for other calls. */
function imageFunctionName(fn: SyntaxNode, ctx: RuleContext): string | null {
  return IMAGE_FUNCTION.test(ctx.resolveKeras(fn) ?? '') ? ctx.textOf(fn) : null;
}

/**
 * `plt.imshow(...)` (resolved to matplotlib.pyplot) or `ax.plot(...)` on a name people give an Axes,
 * as written (`plt.imshow`, `axes[i].plot`); null for other calls.
 */
function plotFunctionName(fn: SyntaxNode, canonical: string | null, ctx: RuleContext): string | null {
  const m = canonical ? /^matplotlib\.pyplot\.(\w+)$/.exec(canonical) : null;
  if (m) {
    return PLOT_FUNCTION.has(m[1]) ? ctx.textOf(fn) : null;
  }
  if (fn.type !== 'attribute') {
    return null;
  }
  const method = child(fn, 'attribute');
  let receiver = child(fn, 'object');
  while (receiver?.type === 'subscript') {
    receiver = child(receiver, 'value');
  }
  return method && PLOT_FUNCTION.has(ctx.textOf(method)) && receiver?.type === 'identifier' && AXES_NAME.test(ctx.textOf(receiver)) ? ctx.textOf(fn) : null;
}

/** Types of comprehensions (a conversion wraps the element they make). */
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'generator_expression']);

/**
 * A finding's condition: `own` (the notebook function's, or none), and, for an argument read from
 * parameters, that some call passes a value requiring grad to one of them.
 */
function condition(own: string | null, parameters: ValueParameter[]): string | undefined {
  if (!parameters.length) {
    return own ?? undefined;
  }
  // (Not where a call under a tape passes it too: converting it there would cut the gradient.)
  const facts = [...new Set(parameters.flatMap(p => gradArgumentFacts(p).map(fact => `anywhere:${fact} & !anywhere:${tapedCallFact(p.key)}`)))];
  return facts.map(f => (own ? `${own} & ${f}` : f)).join(' | ');
}

/**
 * A call made under a GradientTape or in a `@tf.function`, directly or from a notebook function run
 * there (the TF DCGAN tutorial's `discriminator_loss(real_output, fake_output)` in its train step):
 * what it passes must stay a tensor: its callee's parameters are left alone (KM175/KM218 say what the step needs).
 */
function underTape(call: SyntaxNode, ctx: RuleContext): boolean {
  const outer = ctx.fn !== null ? ctx.notebookFunction() : null;
  return inWithStatement(call) || ctx.inTfFunction() || (!!outer && runsUnderTapeOrTfFunction(outer, ctx));
}

/** The operands of nested arithmetic (`y - model(x)`, `(a + b) * c`), through parentheses and signs; the node itself otherwise. */
function arithmeticOperands(node: SyntaxNode, depth = 0): SyntaxNode[] {
  if (depth < 8 && node.type === 'parenthesized_expression') {
    const inner = node.children.find(c => c.type !== 'comment');
    return inner && inner.type === 'binary_operator' ? arithmeticOperands(inner, depth + 1) : [node];
  }
  if (depth < 8 && node.type === 'binary_operator') {
    const left = child(node, 'left');
    const right = child(node, 'right');
    return left && right ? [...arithmeticOperands(left, depth + 1), ...arithmeticOperands(right, depth + 1)] : [node];
  }
  return [node];
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // A callback's methods run eagerly between steps (keras.io's monitors call `self.model(x)` there);
  // in a plain class's method, only NumPy calls on parameters given model outputs (PPO's Buffer).
  const callback = inKerasCallback(ctx);
  const inPlainClass = ctx.cls !== null && !callback && !inKerasClassMethod(ctx) && ctx.fn !== null;
  // A Keras class's own method that Keras never runs and no model code calls runs eagerly too
  // (keras.io DDIM's `plot_images()`, a LambdaCallback's `on_epoch_end`, showing `self.generate(...)`):
  // NumPy and Matplotlib there (KM131 has its TF ops).
  const eagerMethod = ctx.cls !== null && !inPlainClass && !callback ? eagerMethodOf(node, ctx) : null;
  if ((ctx.cls && !inPlainClass && !callback && !eagerMethod) || inWithStatement(node) || inModelConstructorArgument(node, ctx)) {
    return;
  }
  // A function a `dataset.map()` runs (or one it calls): tf.data traces it with symbolic TF tensors
  // on every backend, the preprocessing layers there return them (keras.io image captioning's
  // `image_augmentation(img)` in `read_train_image`), and NumPy conversion fails there on every backend.
  if (ctx.fn !== null && runsInDatasetMap(node, ctx)) {
    return;
  }
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const canonical = ctx.resolve(parts.fn);
  const tfName = tfApiName(canonical);
  // Matplotlib converts what it plots through NumPy, the same way.
  // Keras's image utilities too (`array_to_img` calls `np.asarray` on what it is given).
  const numpyName = numpyFunctionName(canonical) ?? plotFunctionName(parts.fn, canonical, ctx) ?? imageFunctionName(parts.fn, ctx);
  // `tf.random.categorical(logits, 1)` (keras.io PPO's sample_action) converts its tensor arguments too.
  const name = tfName && (isTfOpName(tfName) || /^tf\.random\.\w+$/.test(tfName)) ? tfName : numpyName;
  // Model code gets its TF ops converted by KM131: eager code at the top of a cell and plain
  // helper functions here (keras.io's `decode_sequence()`, `infer()`). A TF op in a notebook
  // function holds only while no model code calls that function (KM131's `model:NAME` otherwise)
  // and no Functional-API construction does (`functional:NAME`: the layer calls there are symbolic).
  if (!name || (inModelCode(node, ctx) && !(eagerMethod && name === numpyName))) {
    return;
  }
  const outer = tfName && ctx.fn !== null && !callback ? ctx.notebookFunction() : null;
  if (tfName && ctx.fn !== null && !outer && !callback) {
    return;
  }
  // A helper run under a GradientTape or inside a `@tf.function` (keras.io's `compute_loss(img)`
  // called by a `@tf.function` gradient-ascent step): converting to NumPy there fails on the
  // symbolic tensors ("Cannot convert a symbolic tf.Tensor") and cuts the gradient. KM218 says
  // what the tape needs.
  // Except in a function traced on TensorFlow only (KM175's `@(tf.function if ... else ...)`): it
  // runs eagerly on PyTorch, where a TF op on a model output fails; keras.ops holds both ways.
  const tracedOnTf = !!outer && tracedOnTensorflowOnly(outer);
  if (outer && runsUnderTapeOrTfFunction(outer, ctx) && !(tracedOnTf && tfName)) {
    return;
  }
  const args = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)];
  // The output itself, a name holding it, a slice of it or arithmetic on it
  // (`np.argmax(predictions[0, -1])`, `tf.cast(output[0] * 255, tf.uint8)`): all require grad on PyTorch.
  if (inPlainClass && !numpyName) {
    return;
  }
  // An argument read from a parameter of the function holds what its calls pass: found where a
  // call passes a value that requires grad (the `grad-arg:` facts noteGradArguments records).
  const parameters: ValueParameter[] = [];
  const dependent: SyntaxNode[] = [];
  // `np.mean(keras.losses.mean_absolute_error(y, p))`: NumPy's reductions call the tensor's own method
  // with NumPy's arguments, which a torch tensor refuses, grad or not.
  const reducing = name === numpyName && NUMPY_REDUCTIONS.has(name) && !inPlainClass;
  let reduced: SyntaxNode | null = null;
  const outputs = args.filter(a => {
    if (reducing && !requiresGradOnTorch(a, ctx) && isEagerBackendTensor(a, ctx)) {
      reduced = reduced ?? a;
      return true;
    }
    const from: ValueParameter[] = [];
    // (An eager method's parameters are not followed: no call in a Keras class notes what it passes.)
    if (!inPlainClass && requiresGradOnTorch(a, ctx, 0, eagerMethod ? undefined : from)) {
      return true;
    }
    if (inPlainClass && numpyName === name) {
      requiresGradOnTorch(a, ctx, 0, from);
    }
    if (from.length) {
      parameters.push(...from);
      dependent.push(a);
    }
    return false;
  });
  // `(kernel - mean) / tf.sqrt(var)`: the TF op's result meets, in an arithmetic or comparison
  // operator, a tensor that requires grad (arithmetic on a layer's weight, `model(x) > threshold`
  // with `threshold = tf.constant(0.5)`); TensorFlow's operator converts it.
  const partners = !outputs.length && tfName && !inPlainClass ? operatorPartners(node, ctx) : [];
  const meets = partners.find(p => requiresGradOnTorch(p, ctx)) ?? null;
  if (meets) {
    outputs.push(meets);
  }
  // Only where a call passes such a value: the finding holds where one does.
  const givenByCalls = !outputs.length && dependent.length > 0;
  if (givenByCalls) {
    outputs.push(...dependent);
  }
  if (!outputs.length) {
    return;
  }
  if (tracedOnTf) {
    reportInTracedOnTensorflow(node, tfName!, outputs[0], ctx);
    return;
  }
  const edits: OffsetEdit[] = [];
  const convert = (arg: SyntaxNode): void => {
    edits.push({ start: arg.start, end: arg.start, text: 'keras.ops.convert_to_numpy(' }, { start: arg.end, end: arg.end, text: ')' });
  };
  // `mask = tf.one_hot(...)` met by `all_Q_values * mask` under a GradientTape (Géron's DQN step): a NumPy
  // copy of the model output there cuts the tape ("No gradients provided for any variable", og48b
  // repro_9). The TF op's own result becomes the backend's tensor instead, which the operator takes on
  // every backend and the gradient flows through.
  if (meets && (inWithStatement(meets) || underTape(meets, ctx))) {
    edits.push({ start: node.start, end: node.start, text: 'keras.ops.convert_to_tensor(' }, { start: node.end, end: node.end, text: ')' });
    const importEdit = ctx.kerasImportEdit();
    ctx.report(
      parts.fn,
      `\`${name}\` makes a TensorFlow tensor that an operator combines with \`${ctx.textOf(meets)}\`, the output of a Keras model or layer under a GradientTape: on PyTorch that is a tensor that requires grad, which TensorFlow cannot convert ("Can't call numpy() on Tensor that requires grad"). Make the TF op's result the backend's tensor with \`keras.ops.convert_to_tensor()\` (or use \`keras.ops\`); a NumPy copy of the output would cut the tape.`,
      { title: 'Wrap it in `keras.ops.convert_to_tensor(...)`', safe: true, edits: importEdit ? [...edits, importEdit] : edits },
      undefined,
      condition(outer ? `!model:${outer.name} & !functional:${outer.name}` : eagerMethod ? `!model:.${eagerMethod}` : null, [])
    );
    return;
  }
  for (const arg of outputs) {
    const body = COMPREHENSIONS.has(arg.type) ? arg.children[0] : null;
    if (tfName && LIST_OPS.has(tfName) && arg === parts.positional[0] && (arg.type === 'list' || arg.type === 'tuple')) {
      // Each tensor of the list (converting the list would stack it into one array).
      arg.children.filter(c => !['(', ')', '[', ']', ',', 'comment'].includes(c.type)).forEach(convert);
    } else if (body && body.type !== 'pair') {
      // `[scores[k] for k in keys]`: each element the comprehension makes.
      convert(body);
    } else if (tfName && LIST_OPS.has(tfName) && arg === parts.positional[0]) {
      // `tf.stack(cell.attn_scores, axis=1)`: a list of tensors held by a name or an attribute. Converting
      // the list would stack it into one array, which `tf.stack` / `tf.concat` refuse ("expected a
      // sequence for attr N"): each tensor is converted instead.
      edits.push({ start: arg.start, end: arg.end, text: `[keras.ops.convert_to_numpy(t) for t in ${ctx.textOf(arg)}]` });
    } else {
      // `y - model(x)` with `y` a NumPy array: on PyTorch the operator fails before any conversion
      // ("unsupported operand type(s) for -: 'numpy.ndarray' and 'Tensor'"). Two operands, one of
      // them requiring grad and neither a number: each is converted (a NumPy array stays itself,
      // the other backends' tensors become arrays) and the arithmetic runs on NumPy. Elsewhere
      // (`output[0] * 255`, longer expressions) the whole expression converts.
      const leaves = arithmeticOperands(arg);
      const split = leaves.length === 2 && leaves.some(l => requiresGradOnTorch(l, ctx)) && leaves.every(l => !['integer', 'float'].includes(l.type));
      (split ? leaves : [arg]).forEach(convert);
    }
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  if (reduced === outputs[0]) {
    ctx.report(
      parts.fn,
      `\`${name}\` is given \`${ctx.textOf(outputs[0])}\`, a tensor of the backend (the value of a Keras loss, metric or \`keras.ops\` function): NumPy's reductions call the tensor's own \`${name.slice(3)}()\` with NumPy's arguments, which a torch tensor refuses on PyTorch ("mean() got an unexpected keyword argument 'axis'"). Convert it with \`keras.ops.convert_to_numpy()\` first (or use \`keras.ops\`).`,
      { title: 'Pass `keras.ops.convert_to_numpy(...)`', safe: true, edits },
      undefined,
      condition(outer ? `!model:${outer.name} & !functional:${outer.name}` : eagerMethod ? `!model:.${eagerMethod}` : null, [])
    );
    return;
  }
  const source = givenByCalls
    ? `read from a parameter to which a call of \`${parameters[0].key.replace(/^\./, '')}()\` passes the output of calling a Keras model or layer (or a value computed from it)`
    : outputs[0].type !== 'subscript' && isEagerBackendTensor(outputs[0], ctx, true)
      ? 'the output of a Keras model or layer'
      : readsTrainableVariable(outputs[0], ctx)
        ? 'computed from a trainable `keras.Variable`'
        : 'computed from the output of calling a Keras model or layer';
  // `np.random.choice(n, p=np.squeeze(probs))`: NumPy checks a JAX array's probabilities at float64
  // precision, which a float32 softmax misses ("probabilities do not sum to 1"); a NumPy float32 array passes.
  const choiceCall = name === 'np.random.choice' ? node : node.parent?.type === 'keyword_argument' && ctx.textOf(child(node.parent, 'name') ?? node) === 'p' ? node.parent.parent?.parent ?? null : null;
  const choiceParts = choiceCall?.type === 'call' ? callParts(choiceCall, ctx) : null;
  const probabilities = choiceParts && ctx.resolve(choiceParts.fn) === 'numpy.random.choice' ? choiceParts.keywords.get('p')?.value : null;
  const onJax = !!probabilities && (probabilities === node || outputs.includes(probabilities));
  ctx.report(
    parts.fn,
    `\`${name}\` ${meets ? `makes a TensorFlow tensor that ${meets.parent?.type === 'comparison_operator' ? 'a comparison' : 'an arithmetic operator'} combines with` : 'is given'} \`${ctx.textOf(outputs[0])}\`, ${source}: on PyTorch that is a tensor that requires grad, which ${tfName ? 'TensorFlow' : 'NumPy'} cannot convert ("Can't call numpy() on Tensor that requires grad"). Convert it with \`keras.ops.convert_to_numpy()\` first (or use \`keras.ops\`${tfName ? '' : ', or `model.predict()`, which returns NumPy arrays'}).${onJax ? ' On JAX it fails too: `np.random.choice` checks the probabilities of a JAX array at float64 precision, which a float32 softmax misses ("probabilities do not sum to 1"); a NumPy float32 array passes.' : ''}`,
    { title: 'Pass `keras.ops.convert_to_numpy(...)`', safe: true, edits },
    undefined,
    condition(outer ? `!model:${outer.name} & !functional:${outer.name}` : eagerMethod ? `!model:.${eagerMethod}` : null, givenByCalls ? parameters : []),
    onJax ? ['jax', 'torch'] : undefined
  );
}

/**
 * A TF op given a model output in a function KM175 made `@(tf.function if ... else ...)`: a NumPy
 * conversion would fail in TensorFlow's graph, so the fix is the op's keras.ops conversion (safe
 * where the conversion is exact), which runs traced on TensorFlow and eagerly on JAX and PyTorch.
 */
function reportInTracedOnTensorflow(node: SyntaxNode, tfName: string, output: SyntaxNode, ctx: RuleContext): void {
  const op = tfOpCall(node, ctx);
  const fix = op?.conversion.fix ?? null;
  ctx.report(
    child(node, 'function') ?? node,
    `\`${tfName}\` is given \`${ctx.textOf(output)}\`, the output of a Keras model or layer, in a function traced by \`tf.function\` on TensorFlow only: on PyTorch it runs eagerly and that output is a tensor that requires grad, which TensorFlow cannot convert ("Can't call numpy() on Tensor that requires grad"), and a NumPy conversion would fail in TensorFlow's graph. ${op?.target ? `Use \`${op.target}\`, which runs both ways.` : 'Use the matching `keras.ops` function, which runs both ways.'}`,
    fix
  );
}

export const tfOpOnModelOutput: RuleDefinition = {
  code: 'KM191',
  name: 'tf-op-on-model-output',
  slug: 'keras-ops',
  severity: 'warning',
  /** RuntimeError on PyTorch (the output requires grad); TensorFlow converts a JAX array through NumPy. */
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a TensorFlow op applied, outside model code, to the output of calling a Keras model or layer on data (`tf.argmax(model(x), axis=-1)`), directly or through a name assigned in the same block (also one element of an unpacked output, `_, kernel = layer(x)`, and the output of a sub-model a model holds as an attribute it sets, `distiller.student(x)`), at the top level or in a plain helper function (`infer()`), and a NumPy function given that output or a slice of or arithmetic on it (`np.argmax(predictions[0, -1])`, greedy decoding), and a Matplotlib function or Axes method that plots it (`plt.imshow(generator(noise)[0])`, `ax.plot(model(x)[0])` on a name people give an Axes: `ax`, `axes[i]`, `axs`, `ax_style`), and a Keras image utility that converts it (`keras.utils.array_to_img(decoder(z)[0])`, `save_img`). Also a model the helper calls that the cell binds later at module level (keras.io DDPG\'s `policy()` above `actor_model = get_actor()`), either branch of a conditional expression (`0 if done else critic(obs)`), a Matplotlib or NumPy call in a Keras model\'s own method that runs eagerly (one Keras never runs and no model code calls, run from a `LambdaCallback` or the top level: keras.io DDIM\'s `plot_images()`) given what an own method returns after calling the model\'s layers (`self.generate(...)`, followed through the own methods it calls and a layer attribute given a local name; not one whose every `return` hands back NumPy already: `keras.ops.convert_to_numpy(out)`, `.numpy()`, `predict()`), and a NumPy function in a plain (non-Keras) class\'s method given a parameter that a call passes such a value (keras.io PPO\'s `buffer.finish_trajectory(last_value)` into `np.append`). Outputs are followed through list and dict comprehensions, `for` loops (`enumerate`, `zip`, `.items()`), and into a notebook function\'s parameters when a call in any cell passes one (keras.io ViT representations: `attention_rollout_map(scores_by_block)` stacking the dict\'s values with `tf.stack`). Also arithmetic on a trainable `keras.Variable` of the program (a curve a tape loop fits: `a * xs`, or a one-line function of the program returning arithmetic on the variables it is given, `curve(xs, a, b)`), and arithmetic on a layer\'s weight read outside model code (`kernel = model.layers[0].kernel`; `kernel * 2` given to a TF op, or `(kernel - mean) / tf.sqrt(var)`, a TF op\'s result an arithmetic operator combines with it; the weight itself converts). Code under a `with` statement (a GradientTape) is left alone, and so is a function that a `tf.data` `dataset.map()` runs or one it calls (traced with symbolic TensorFlow tensors on every backend, where the preprocessing layers it calls return those and a NumPy conversion fails), and a helper function called under one or from a `@tf.function` (or decorated with it); `model.predict()` returns NumPy arrays and is not flagged.',
    why:
      'The output of an eager model call is the backend\'s tensor. TensorFlow converts a JAX array through NumPy, but on PyTorch the output requires grad and the conversion raises "Can\'t call numpy() on Tensor that requires grad". Given as the probabilities of `np.random.choice(n, p=...)` (keras.io actor-critic sampling), a JAX array fails too: NumPy checks it at float64 precision, which a float32 softmax misses ("probabilities do not sum to 1"), so that finding claims JAX as well. NumPy converts through the same `__array__` and fails the same way (checked by running a Transformer\'s greedy decoding, `np.argmax(model([src, tokens])[0, i])`, on Keras 3 with PyTorch; JAX arrays and TF tensors convert); so do Keras\'s `array_to_img` and `save_img`, which call `np.asarray` on the image (checked on Keras 3.15: given a Dense output they raise on PyTorch and run on TensorFlow and JAX). `keras.ops.convert_to_numpy()` gives the same values on every backend and the TF op or NumPy function returns the same result for them, so the fix is safe.',
    example:
      'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprobs = model(np.ones((2, 4)))\nprint(tf.argmax(probs, axis=-1).numpy())',
    useInstead:
      'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprobs = model(np.ones((2, 4)))\nprint(tf.argmax(keras.ops.convert_to_numpy(probs), axis=-1).numpy())'
  },
  calls: { resolved: ['tensorflow.', 'numpy.', 'matplotlib.'], names: [...PLOT_FUNCTIONS, ...IMAGE_FUNCTIONS] },
  visitors: {
    call: visit,
    // Every call (the `calls` filter is the TF/NumPy visitor's): what it passes to the notebook's functions.
    argument_list: (node, ctx) => {
      const call = node.parent;
      if (call?.type !== 'call' || (inKerasClassMethod(ctx) && !inKerasCallback(ctx))) {
        return;
      }
      // Only calls of what may be a notebook function or method note anything: the key first (cheap),
      // then whether the call runs under a tape (walks up the tree and the notebook's functions).
      const key = calleeKey(call, ctx);
      if (!key) {
        return;
      }
      if (!underTape(call, ctx)) {
        noteGradArguments(call, ctx, key);
        return;
      }
      ctx.note(tapedCallFact(key));
    }
  }
};
