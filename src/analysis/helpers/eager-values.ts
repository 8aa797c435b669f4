/**
 * Eager backend tensors outside model code: values Keras hands back when a model, layer,
 * loss, metric or keras.ops function is called on concrete data (`probs = model(x)`). They are
 * a tf.Tensor on TensorFlow, a jax.Array on JAX and a torch.Tensor on PyTorch (one that
 * requires grad when it comes out of a model), so TensorFlow-only handling of them (`.numpy()`,
 * a TF op) works on TensorFlow alone.
 */
import { child, returnStatements, rootOf, SyntaxNode } from '../ast';
import { KERAS_TENSOR_FUNCTIONS, PYTHON_BUILTINS, WEIGHTLESS_LAYER } from '../knowledge';
import type { RuleContext } from '../rule';
import { CellMemoKey } from '../rule';
import { binds, calleeName, callParts, lastAssignedValue, moduleAssignedValues, parameterNames } from './calls';
import { VARIABLE_ATTRIBUTES, VARIABLE_FACTORIES } from './keras-values';
import { metricAttributes, selfAttribute } from './layer-calls';
import { classMethodDefinitions, methodCallsLayers, onlyVisibleDefinition } from './model-code';
import { stringLookupOfTfTensor } from './string-lookup';
import { everySource } from './value-sources';
import { moduleFunctionDefinition } from './tape-context';

/** keras.ops / keras.random functions that return something other than a backend tensor. */
const NOT_TENSOR = /^keras\.ops\.(convert_to_numpy|shape|dtype|is_tensor|ndim|size)$/;

/** Whether `fn` is a Keras loss or metric object (`keras.losses.MeanSquaredError()`), or a name last assigned one. */
function isComponentInstance(fn: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (fn.type === 'call') {
    const cls = child(fn, 'function');
    return !!cls && ctx.kerasKindOfClass(cls) === 'component';
  }
  if (fn.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(fn), fn, ctx);
    return !!value && isComponentInstance(value, ctx, false);
  }
  return false;
}

/**
 * A name a function's body calls that the cell binds only later, at module level, to a model or
 * layer (`def policy(state): ... actor_model(state)` above `actor_model = get_actor()`, keras.io
 * DDPG and PPO): the body runs after that binding, so it calls the model.
 */
function isModelBoundLater(fn: SyntaxNode, ctx: RuleContext): boolean {
  if (fn.type !== 'identifier' || !ctx.fn || ctx.lookup(ctx.textOf(fn)) !== undefined) {
    return false;
  }
  return boundToModelsAtModuleLevel(ctx.textOf(fn), fn, ctx);
}

/** Whether the cell's module-level statements assign NAME, and only models or layers. */
function boundToModelsAtModuleLevel(name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  const values = moduleAssignedValues(rootOf(at), name, ctx);
  return values.length > 0 && values.every(v => ctx.isLayerInstance(v));
}

/**
 * A parameter of the notebook function being visited that is called as a model: with `training=`
 * (`images = model(noise, training=False)`), or passed a model or layer at that position by a call
 * of the function in the cell (`generate_and_save_images(generator, epoch, seed)`, the TensorFlow
 * DCGAN tutorial). Its output is a backend tensor, one that requires grad on PyTorch.
 */
function isModelParameter(fn: SyntaxNode, ctx: RuleContext): boolean {
  const call = fn.parent;
  const args = call?.type === 'call' ? child(call, 'arguments') : null;
  if (parameterIndex(fn, ctx) >= 0 && args && args.children.some(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === 'training')) {
    return true;
  }
  return passedArguments(fn, ctx).some(arg => ctx.isLayerInstance(arg) || (arg.type === 'identifier' && boundToModelsAtModuleLevel(ctx.textOf(arg), arg, ctx)));
}

/** The position of `fn` among the parameters of the notebook function being visited, or -1. */
function parameterIndex(fn: SyntaxNode, ctx: RuleContext): number {
  const scope = fn.type === 'identifier' ? ctx.notebookFunction() : null;
  if (!scope || ctx.fn !== scope) {
    return -1;
  }
  const name = ctx.textOf(fn);
  const params = (child(scope.node, 'parameters')?.children ?? []).filter(p => p.type === 'identifier' || p.type === 'default_parameter' || p.type === 'typed_parameter');
  return params.findIndex(p => ctx.textOf(p.type === 'identifier' ? p : p.children[0] ?? p) === name);
}

const CALLS_BY_NAME = new CellMemoKey<Map<string, SyntaxNode[]>>('the calls of each plain name in the cell');

/** What the calls of the notebook function being visited in the cell pass for its parameter `fn` (positionally). */
function passedArguments(fn: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const index = parameterIndex(fn, ctx);
  const scope = ctx.notebookFunction();
  if (index < 0 || !scope) {
    return [];
  }
  // The cell's calls of plain names, found in one walk per cell (asked at every call in the function).
  const calls = ctx.cellMemo(CALLS_BY_NAME, () => {
    const byName = new Map<string, SyntaxNode[]>();
    const stack = [rootOf(fn)];
    while (stack.length) {
      const n = stack.pop()!;
      const callee = n.type === 'call' ? child(n, 'function') : null;
      if (callee?.type === 'identifier') {
        const name = ctx.textOf(callee);
        const known = byName.get(name);
        if (known) {
          known.push(n);
        } else {
          byName.set(name, [n]);
        }
      }
      stack.push(...n.children);
    }
    return byName;
  });
  return (calls.get(scope.name) ?? []).flatMap(call => {
    const positional = (child(call, 'arguments')?.children ?? []).filter(a => a.type !== 'keyword_argument' && a.type !== 'comment');
    return positional[index] ? [positional[index]] : [];
  });
}

/**
 * A parameter of the notebook function being visited that every call of it in the cell passes a
 * name the module binds only to built-in layers without weights (keras.io's
 * `example_feature_space(dataset, feature_space, names)`, given FeatureSpaces): its output passes
 * on the grad of its input, none on eager data.
 */
export function isWeightlessLayerParameter(fn: SyntaxNode, ctx: RuleContext): boolean {
  const args = passedArguments(fn, ctx);
  return args.length > 0 && args.every(arg => {
    if (arg.type !== 'identifier') {
      return false;
    }
    const values = moduleAssignedValues(rootOf(arg), ctx.textOf(arg), ctx);
    return values.length > 0 && values.every(v => {
      const made = v.type === 'call' ? child(v, 'function') : null;
      return !!made && WEIGHTLESS_LAYER.test(ctx.resolveKeras(made) ?? '');
    });
  });
}

/** Whether calling `fn` gives a backend tensor: a layer or model (`layers` says whether only
 * those count), a loss or metric object or its `result()`, a keras.ops, keras.random, loss or
 * metric function. */
function returnsBackendTensor(fn: SyntaxNode, ctx: RuleContext, layersOnly: boolean): boolean {
  // `model.predict(x)`, `model.evaluate(...)`: a method of a model (NumPy or Python values), not a call of one.
  const owner = fn.type === 'attribute' ? child(fn, 'object') : null;
  if (owner && ctx.isLayerInstance(owner) && !/^(__call__|call)$/.test(calleeName(fn, ctx))) {
    return isSubModelOfCallbackModel(fn, owner, ctx) || isHeldSubModel(fn, ctx) || notebookMethodReturnsTensor(fn, owner, ctx);
  }
  if (ctx.isLayerInstance(fn) || isModelBoundLater(fn, ctx) || isModelParameter(fn, ctx)) {
    return true;
  }
  if (layersOnly) {
    return false;
  }
  if (isComponentInstance(fn, ctx)) {
    return true;
  }
  if (owner && calleeName(fn, ctx) === 'result') {
    // `self.keras_metric.result()`: a metric object the class holds (keras.io's scikit-learn
    // metric callback: `self.keras_metric = keras.metrics.Mean(...)`, then `.result().numpy()`).
    const attr = selfAttribute(owner, ctx);
    return isComponentInstance(owner, ctx) || (!!attr && !!ctx.cls && metricAttributes(ctx.cls.node, ctx).has(attr));
  }
  const name = ctx.resolveKeras(fn);
  return !!name && ((/^keras\.(ops|random)\.\w+$/.test(name) && !NOT_TENSOR.test(name)) || KERAS_TENSOR_FUNCTIONS.test(name));
}

/**
 * `g.generate(3)` where `g = Generator()` and the notebook's `Generator.generate` returns, at every
 * `return`, the model's own output (`self(z)`, `self.decoder(z)`) or a `keras.ops` value of one
 * (`keras.ops.clip(self(z), 0.0, 1.0)`, what KM131 makes of `tf.clip_by_value`): a backend tensor,
 * so a caller's `.numpy()` fails on JAX (og50a: Foster's diffusion and GAN models). A method
 * returning a TensorFlow op's value is a tf.Tensor and is not one.
 */
function notebookMethodReturnsTensor(fn: SyntaxNode, owner: SyntaxNode, ctx: RuleContext): boolean {
  if (owner.type !== 'identifier') {
    return false;
  }
  const made = lastAssignedValue(ctx.textOf(owner), owner, ctx, true);
  const cls = made?.type === 'call' && child(made, 'function')?.type === 'identifier' ? onlyVisibleDefinition(made, 'class_definition', ctx.textOf(child(made, 'function')!), ctx) : null;
  const methods = cls ? classMethodDefinitions(cls, ctx) : new Map<string, SyntaxNode>();
  const def = methods.get(calleeName(fn, ctx));
  if (!def) {
    return false;
  }
  const values = returnStatements(def).map(r => r.children.find(c => c.type !== 'comment') ?? null);
  const isTensor = (v: SyntaxNode | null, depth: number): boolean => {
    if (!v || v.type !== 'call' || depth > 3) {
      return false;
    }
    const callee = child(v, 'function')!;
    if (callee.type === 'identifier' && ctx.textOf(callee) === 'self') {
      return true;
    }
    const object = callee.type === 'attribute' ? child(callee, 'object') : null;
    // `self.decoder(z)`: an attribute of the model, not a method of its class (a sub-model or layer it holds).
    if (object && ctx.textOf(object) === 'self' && !methods.has(calleeName(callee, ctx))) {
      return true;
    }
    const name = ctx.resolveKeras(callee) ?? '';
    return /^keras\.ops\.\w+$/.test(name) && !NOT_TENSOR.test(name) && (callParts(v, ctx)?.positional ?? []).some(a => isTensor(a, depth + 1));
  };
  return values.length > 0 && values.every(v => isTensor(v, 0));
}

/** The methods of a Keras model that return NumPy or Python values, or nothing (not a tensor). */
const MODEL_METHODS = /^(predict|predict_on_batch|evaluate|fit|train_on_batch|test_on_batch|save|save_weights|load_weights|get_weights|set_weights|get_layer|summary|compile|get_config|to_json|count_params|export|build|reset_metrics|reset_states|get_metrics_result|stateless_call|make_predict_function|make_train_function|make_test_function|compute_output_shape|compute_output_spec)$/;

/**
 * `distiller.student(x_test, training=False)`: a model or layer a model class holds as an
 * attribute it sets (`self.student = student` in a Distiller, keras.io's knowledge distillation),
 * called on data: not a Keras Model or Layer method, not a method the code defines, set as
 * `self.<name> = ...` somewhere in the program, and used as a model (its variables or
 * trainability read, or called with `training=`).
 */
function isHeldSubModel(fn: SyntaxNode, ctx: RuleContext): boolean {
  const name = calleeName(fn, ctx);
  if (!/^\w+$/.test(name) || MODEL_METHODS.test(name) || /^(add_\w+|get_\w+|set_\w+|compute_\w+|build\w*|quantize\w*|load_own_variables|save_own_variables)$/.test(name)) {
    return false;
  }
  if (new RegExp(`\\bdef\\s+${name}\\s*\\(`).test(ctx.text) || !new RegExp(`\\bself\\.${name}\\s*=[^=]`).test(ctx.text)) {
    return false;
  }
  // A model or layer, not a plain function kept as an attribute: the code reads its variables or
  // trainability, or calls it with `training=` (`self.student(x, training=True)`).
  return (
    new RegExp(`\\bself\\.${name}\\.(trainable\\w*|non_trainable\\w*|layers|weights|variables)\\b`).test(ctx.text) ||
    new RegExp(`\\.${name}\\((?:[^()]|\\([^()]*\\))*\\btraining\\s*=`).test(ctx.text)
  );
}

/**
 * `self.model.generator(noise)` in a callback: a sub-model of the trained model (keras.io's
 * GANMonitor), unless the name is a Keras Model method or a method the code defines itself.
 */
function isSubModelOfCallbackModel(fn: SyntaxNode, owner: SyntaxNode, ctx: RuleContext): boolean {
  const object = child(owner, 'object');
  const attr = child(owner, 'attribute');
  if (!object || !attr || ctx.textOf(object) !== 'self' || ctx.textOf(attr) !== 'model') {
    return false;
  }
  const name = calleeName(fn, ctx);
  return !MODEL_METHODS.test(name) && !new RegExp(`\\bdef\\s+${name}\\s*\\(`).test(ctx.text);
}

/**
 * Whether `node` is the eager output of calling a Keras model or layer (`model(x)`), a loss or
 * metric, or a keras.ops function, a subscript of one (`model(x)[0]`: an output of a model with
 * several, or a slice of one), or a name bound to one (helpers/value-sources.ts: also by
 * unpacking, `q, _ = model(x)`, or from a function of the program that returns one at that
 * position), symbolic Functional-API tensors excluded. `layersOnly`: only model and layer outputs
 * (the ones that require grad on PyTorch). `follow`: false to ask of the expression itself, not
 * of what a name holds.
 */
export function isEagerBackendTensor(node: SyntaxNode, ctx: RuleContext, layersOnly = false, follow = true, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'call': {
      const fn = child(node, 'function');
      return !!fn && returnsBackendTensor(fn, ctx, layersOnly) && !ctx.isSymbolic(node) && !stringLookupOfTfTensor(node, ctx);
    }
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && isEagerBackendTensor(value, ctx, layersOnly, follow, depth + 1);
    }
    case 'parenthesized_expression': {
      const inner = node.children.find(c => c.type !== 'comment');
      return !!inner && isEagerBackendTensor(inner, ctx, layersOnly, follow, depth + 1);
    }
    case 'identifier':
      return follow && !ctx.isSymbolic(node) && everySource(node, ctx, s => isEagerBackendTensor(s, ctx, layersOnly, true, depth + 1));
    default:
      return false;
  }
}

/** Whether the code being visited is in a method of a `keras.callbacks.Callback` subclass (eager code around `self.model`). */
export function inKerasCallback(ctx: RuleContext): boolean {
  const bases = ctx.cls ? child(ctx.cls.node, 'superclasses') : null;
  return !!bases && bases.children.some(b => /^keras\.callbacks\.\w*Callback$/.test(ctx.resolveKeras(b) ?? ''));
}

/**
 * What a call of a top-level function of the cell (`train_step(x)`, `generate()`) hands `name`, the
 * name it is assigned to or one unpacked from it (`loss, images = train_step(x)`): each `return`'s
 * value, or its element at that position; null for other callees, or a return that cannot say.
 */
function returnedByCellFunction(call: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] | null {
  const fn = child(call, 'function');
  if (!fn || fn.type !== 'identifier') {
    return null;
  }
  const def = moduleFunctionDefinition(ctx.textOf(fn), call, ctx);
  if (!def) {
    return null;
  }
  const assignment = call.parent?.type === 'assignment' && child(call.parent, 'right') === call ? call.parent : null;
  const left = assignment ? child(assignment, 'left') : null;
  if (!left) {
    return null;
  }
  let index: number | null = null;
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
    const targets = left.children.filter(c => c.type !== 'comment');
    if (targets.some(t => t.type !== 'identifier')) {
      return null; // a starred or nested target: positions unknown
    }
    index = targets.findIndex(t => ctx.textOf(t) === name);
  } else if (left.type !== 'identifier') {
    return null;
  }
  const values: SyntaxNode[] = [];
  for (const r of returnStatements(def)) {
    const expr = r.children.find(c => c.type !== 'comment') ?? null;
    if (!expr) {
      continue;
    }
    if (index === null) {
      values.push(expr);
      continue;
    }
    const items = expr.type === 'expression_list' || expr.type === 'tuple' ? expr.children.filter(c => c.type !== 'comment') : null;
    if (!items || items.length !== left.children.filter(c => c.type !== 'comment').length) {
      return null;
    }
    values.push(items[index]);
  }
  return values;
}

/**
 * Whether an eager backend tensor requires grad on PyTorch, where `.numpy()` and TensorFlow's
 * conversion then raise ("Can't call numpy() on Tensor that requires grad"): the output of
 * calling a model or layer, or of a `keras.ops`/activation/loss function or a loss object given
 * such a value (directly, through arithmetic or a subscript, or through a name assigned in the
 * same block). Everything else Keras hands back eagerly (a `keras.ops` value of NumPy data, a
 * metric's `result()`, `keras.random` draws) converts on PyTorch (checked on a CPU build; on a
 * GPU every such tensor lives on the device and refuses `.numpy()` too).
 */
export function requiresGradOnTorch(node: SyntaxNode, ctx: RuleContext, depth = 0, parameters?: ValueParameter[]): boolean {
  if (depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression':
    case 'subscript': {
      const inner = node.type === 'subscript' ? child(node, 'value') : node.children.find(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
      return !!inner && requiresGradOnTorch(inner, ctx, depth + 1, parameters);
    }
    case 'binary_operator':
      // Arithmetic on a layer's weight (`layer.kernel - mean`) gives a torch tensor that requires
      // grad; the variable alone converts (TensorFlow reads it through the variable's __array__).
      // So does arithmetic on a trainable `keras.Variable` of the program (a curve fitted by a tape loop).
      return node.children.some(c => requiresGradOnTorch(c, ctx, depth + 1, parameters) || isLayerWeight(c, ctx) || isTrainableVariable(c, ctx));
    case 'conditional_expression': {
      // `0 if done else critic(obs)`: either branch (named children: value, condition, value).
      const parts = node.children.filter(c => c.type !== 'comment');
      return [parts[0], parts[2]].some(c => !!c && requiresGradOnTorch(c, ctx, depth + 1, parameters));
    }
    case 'identifier': {
      if (ctx.isSymbolic(node)) {
        return false;
      }
      // A comprehension's variable, then an assignment, then a `for` loop's variable, then a parameter.
      const comprehended = drawnInComprehension(node, ctx);
      if (comprehended) {
        return comprehended.some(s => requiresGradOnTorch(s, ctx, depth + 1, parameters));
      }
      const value = lastAssignedValue(ctx.textOf(node), node, ctx, true);
      // `d_loss, images = train_step(x)`: what that element of the cell function's returns holds.
      const returned = value?.type === 'call' ? returnedByCellFunction(value, ctx.textOf(node), ctx) : null;
      if (returned) {
        return returned.some(r => requiresGradOnTorch(r, ctx, depth + 1));
      }
      if (value) {
        return requiresGradOnTorch(value, ctx, depth + 1, parameters);
      }
      const looped = drawnInLoop(node, ctx);
      if (looped) {
        return looped.some(s => requiresGradOnTorch(s, ctx, depth + 1, parameters));
      }
      const parameter = parameters ? parameterOf(node, ctx) : null;
      if (parameter) {
        parameters!.push(parameter);
      }
      return false;
    }
    case 'list':
    case 'tuple':
      return node.children.some(c => requiresGradOnTorch(c, ctx, depth + 1, parameters));
    case 'list_comprehension':
    case 'set_comprehension':
    case 'generator_expression':
    case 'dictionary_comprehension': {
      // The elements it makes (`[scores[k] for k in keys]`, `{name: s for name, s in ...}`'s values).
      // (Comprehensions carry no field names here: the body is the first child.)
      const body = node.children[0];
      const element = body?.type === 'pair' ? child(body, 'value') : body;
      return !!element && requiresGradOnTorch(element, ctx, depth + 1, parameters);
    }
    case 'attribute':
      return isStoredForwardTensor(node, ctx);
    case 'call': {
      const fn = child(node, 'function');
      if (!fn || ctx.isSymbolic(node)) {
        return false;
      }
      // A built-in layer without weights (`vectorize_layer(texts)`, `upsampler(x)`) passes on the
      // grad of what it is given: on eager data nothing requires grad.
      const bound = fn.type === 'identifier' ? ctx.lookup(ctx.textOf(fn)) : undefined;
      // `Patches(patch_size)(images)`: a notebook layer class without weights, made and called at once.
      const made = fn.type === 'call' ? child(fn, 'function') : null;
      const madeClass = made?.type === 'identifier' ? ctx.lookup(ctx.textOf(made)) : undefined;
      if ((bound?.kind === 'layer' && bound.weightless === true) || (madeClass?.kind === 'class' && madeClass.weightless === true) || isWeightlessLayerParameter(fn, ctx)) {
        const args = child(node, 'arguments');
        return !!args && args.children.some(a => requiresGradOnTorch(a, ctx, depth + 1, parameters));
      }
      if (returnsBackendTensor(fn, ctx, true) || ownMethodReturnsLayerOutput(fn, ctx)) {
        return true;
      }
      const through = fn.type === 'identifier' ? arithmeticParameters(node, ctx) : null;
      if (through) {
        // A function of the program returning arithmetic on its parameters (`exp_func(x, a, b)`):
        // what requires grad among the arguments it computes with.
        const positional = callParts(node, ctx)?.positional ?? [];
        return positional.some((a, i) => through.has(i) && (requiresGradOnTorch(a, ctx, depth + 1, parameters) || isLayerWeight(a, ctx) || isTrainableVariable(a, ctx)));
      }
      if (!passesGradThrough(fn, ctx)) {
        return false;
      }
      const args = child(node, 'arguments');
      return !!args && args.children.some(a => {
        const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
        return !!value && requiresGradOnTorch(value, ctx, depth + 1, parameters);
      });
    }
    default:
      return false;
  }
}

/**
 * `self.generate(...)` in a method of a Keras class (or callback): an own method that returns a
 * value and runs the model's layers on data, itself or through the own methods it calls (keras.io
 * DDIM's `plot_images()` showing `self.generate(...)`, which runs the EMA network through
 * `reverse_diffusion()` and `denoise()`). What it returns comes out of those layers.
 */
function ownMethodReturnsLayerOutput(fn: SyntaxNode, ctx: RuleContext): boolean {
  const object = fn.type === 'attribute' ? child(fn, 'object') : null;
  const method = fn.type === 'attribute' ? child(fn, 'attribute') : null;
  if (!object || !method || ctx.textOf(object) !== 'self' || !ctx.cls || ctx.cls.keras === null) {
    return false;
  }
  const name = ctx.textOf(method);
  const def = classMethodDefinitions(ctx.cls.node, ctx).get(name);
  if (!def) {
    return false;
  }
  // What it returns: not when every `return` hands back NumPy or a Python value already
  // (`keras.ops.convert_to_numpy(out)`, `out.numpy()`, `np.array(out)`, `self.decoder.predict(z)`).
  const values = returnStatements(def).map(r => r.children.find(c => c.type !== 'return' && c.type !== 'comment'));
  if (values.every(v => !v || NUMPY_RETURN.test(ctx.textOf(v).trim()))) {
    return false;
  }
  return methodCallsLayers(ctx.cls.node, name, ctx);
}

/** A returned expression that is NumPy or a Python value already (`x.numpy()`, `np.array(x)`, `keras.ops.convert_to_numpy(x)`, `model.predict(x)`). */
const NUMPY_RETURN = /(?:\.numpy\(\)|\.tolist\(\)|\.item\(\))$|^(?:np|numpy)\.\w+\(|^(?:keras\.ops\.|ops\.)?convert_to_numpy\(|\.predict(?:_on_batch)?\(|^(?:int|float|bool|str|len)\(|^(?:None|True|False)$|^[\d'"]/;

/** `a` bound to `keras.Variable(...)` (trainable: its value requires grad on PyTorch), not `trainable=False`. */
function isTrainableVariable(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : null;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn || !VARIABLE_FACTORIES.has(ctx.resolveKeras(fn) ?? '')) {
    return false;
  }
  const args = child(value!, 'arguments');
  return !(args && /\btrainable\s*=\s*False\b/.test(ctx.textOf(args)));
}

/** A `def` whose body is one `return` of an expression: name, parameters, expression. */
const RETURNING_DEF = /^def[ \t]+(\w+)[ \t]*\(([^()]*)\)[ \t]*(?:->[^:\n]*)?:[ \t]*(?:#[^\n]*)?\n?[ \t]*return[ \t]+([^\n#]+?)[ \t]*(?:#[^\n]*)?\s*$/;

/** Whether `node` reads a trainable `keras.Variable` of the program (for messages: the value is not a model output). */
export function readsTrainableVariable(node: SyntaxNode, ctx: RuleContext): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && isTrainableVariable(n, ctx)) {
      return true;
    }
    stack.push(...n.children);
  }
  return false;
}

/**
 * For a call of a `def` of the program whose body is one `return` of arithmetic (`return a * x ** b`,
 * a curve a tape loop fits): the positions of the parameters that arithmetic reads; null for other
 * calls. Read from the text: such a def has no Keras word and no children in the filtered tree.
 * The last such def before the call in the innermost block around it that has one, as Python's
 * closures find it.
 */
function arithmeticParameters(call: SyntaxNode, ctx: RuleContext): Set<number> | null {
  const fn = child(call, 'function');
  const name = fn ? ctx.textOf(fn) : '';
  const scopes: SyntaxNode[] = [];
  for (let p = name ? call.parent : null; p; p = p.parent) {
    if (p.type === 'block' || p.type === 'module') {
      scopes.push(p);
    }
  }
  // `name` is an identifier's text: no regular-expression characters.
  const head = new RegExp(`^def[ \\t]+${name}\\b`);
  for (const scope of scopes) {
    let found: RegExpExecArray | null = null;
    for (const statement of scope.children) {
      if (statement.start >= call.start) {
        break;
      }
      // The name checked on the def's first characters before its whole text is read: this runs for
      // every call of a name that requiresGradOnTorch meets, against every def around it.
      const named = statement.type === 'function_definition' && head.test(ctx.text.slice(statement.start, statement.start + name.length + 12));
      const m = named ? RETURNING_DEF.exec(ctx.textOf(statement)) : null;
      if (m && m[1] === name) {
        found = m;
      }
    }
    if (!found) {
      continue;
    }
    const expression = found[3];
    if (!/[-+*/@%]/.test(expression.replace(/(["'])(?:\\.|(?!\1).)*\1/g, ''))) {
      return null;
    }
    const read = new Set(expression.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? []);
    const names = found[2].split(',').map(p => (/^\s*\*/.test(p) ? '' : p.split(/[:=]/)[0].trim()));
    return new Set(names.flatMap((n, i) => (n && read.has(n) ? [i] : [])));
  }
  return null;
}

/**
 * A parameter a value is read from: of a notebook-level function (`key` its name) or of a
 * method of a class (`.name`, `index` not counting `self`), by its position among a call's
 * positional arguments and by its `name` for keyword arguments. What the value is depends on the
 * calls: `grad-arg:KEY:INDEX` and `grad-arg:KEY:=NAME` facts.
 */
export interface ValueParameter {
  key: string;
  index: number;
  name?: string;
}

/** The fact a call notes when it passes a value that requires grad on PyTorch at that position. */
export function gradArgumentFact(parameter: ValueParameter): string {
  return `grad-arg:${parameter.key}:${parameter.index}`;
}

/** The fact a call notes when it passes a value that requires grad on PyTorch by keyword (`display(gates=gates)`). */
export function gradKeywordFact(key: string, name: string): string {
  return `grad-arg:${key}:=${name}`;
}

/** The facts that say some call passes a value requiring grad to this parameter, by position or by keyword. */
export function gradArgumentFacts(parameter: ValueParameter): string[] {
  return parameter.name ? [gradArgumentFact(parameter), gradKeywordFact(parameter.key, parameter.name)] : [gradArgumentFact(parameter)];
}

/** The parameter of the function around `node` that the name `node` reads, or null (a nested function's, a lambda's, a keyword-only one's). */
export function parameterOf(node: SyntaxNode, ctx: RuleContext): ValueParameter | null {
  let def = node.parent;
  while (def && def.type !== 'function_definition') {
    if (def.type === 'lambda') {
      return null;
    }
    def = def.parent;
  }
  const name = def ? child(def, 'name') : null;
  const index = def ? parameterNames(def, ctx)?.indexOf(ctx.textOf(node)) ?? -1 : -1;
  if (!def || !name || index < 0) {
    return null;
  }
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : null;
  const holder = (decorated ?? def).parent;
  const parameter = ctx.textOf(node);
  if (holder?.type === 'module') {
    return { key: ctx.textOf(name), index, name: parameter };
  }
  if (holder?.type === 'block' && holder.parent?.type === 'class_definition') {
    const unbound = !!decorated && /@staticmethod\b/.test(ctx.textOf(decorated).slice(0, def.start - decorated.start));
    const key = '.' + ctx.textOf(name);
    return unbound ? { key, index, name: parameter } : index > 0 ? { key, index: index - 1, name: parameter } : null;
  }
  return null;
}

/** Positional arguments of a call (keywords, splats and punctuation left out). */
function positionalArguments(call: SyntaxNode): SyntaxNode[] {
  return (child(call, 'arguments')?.children ?? []).filter(a => !['(', ')', ',', 'comment', 'keyword_argument', 'list_splat', 'dictionary_splat'].includes(a.type));
}

/**
 * Where the part of each element bound to `name` by `for TARGET in ITERABLE` comes from: the
 * iterables it is an element of (`for i, s in enumerate(outputs)`: `s` from `outputs`, `i` from
 * nothing; `for a, b in zip(xs, ys)`; `for k, v in d.items()`: `v` from `d`).
 */
function drawnFrom(target: SyntaxNode, iterable: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] {
  if (target.type === 'identifier') {
    return ctx.textOf(target) === name ? [iterable] : [];
  }
  const parts = target.children.filter(c => !['(', ')', '[', ']', ',', 'comment'].includes(c.type));
  const at = parts.findIndex(p => binds(p, name, ctx));
  if (at < 0) {
    return [];
  }
  const fn = iterable.type === 'call' ? child(iterable, 'function') : null;
  const args = iterable.type === 'call' ? positionalArguments(iterable) : [];
  const builtin = fn?.type === 'identifier' && ctx.lookup(ctx.textOf(fn)) === undefined ? ctx.textOf(fn) : null;
  if (builtin === 'enumerate' && parts.length === 2 && args.length === 1) {
    return at === 1 ? drawnFrom(parts[1], args[0], name, ctx) : [];
  }
  if (builtin === 'zip' && parts.length === args.length) {
    return drawnFrom(parts[at], args[at], name, ctx);
  }
  const object = fn?.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === 'items' ? child(fn, 'object') : null;
  if (object && parts.length === 2) {
    return at === 1 ? [object] : [];
  }
  // Unpacking each element (`for x, y in batches`): a part of an element.
  return [iterable];
}

/** Comprehension node types (their `for ... in` clauses bind names for the body). */
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** What a name read in a comprehension is drawn from, where a `for ... in` clause of one around it binds it, else null. */
function drawnInComprehension(node: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const name = ctx.textOf(node);
  for (let p = node.parent; p && p.type !== 'block' && p.type !== 'module' && p.type !== 'lambda'; p = p.parent) {
    if (!COMPREHENSIONS.has(p.type)) {
      continue;
    }
    for (const clause of p.children) {
      const left = clause.type === 'for_in_clause' ? child(clause, 'left') : null;
      const right = clause.type === 'for_in_clause' ? child(clause, 'right') : null;
      // (The first clause's iterable is read outside: `[s for s in s]`.)
      if (left && right && binds(left, name, ctx) && !(right.start <= node.start && node.end <= right.end)) {
        return drawnFrom(left, right, name, ctx);
      }
    }
  }
  return null;
}

/** What a name read in a `for` loop's body is drawn from, where the loop (in the same function) binds it, else null. */
function drawnInLoop(node: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const name = ctx.textOf(node);
  for (let p = node.parent; p && p.type !== 'function_definition' && p.type !== 'class_definition'; p = p.parent) {
    const body = p.type === 'for_statement' ? child(p, 'body') : null;
    const left = p.type === 'for_statement' ? child(p, 'left') : null;
    const right = p.type === 'for_statement' ? child(p, 'right') : null;
    if (body && left && right && body.start <= node.start && node.end <= body.end && binds(left, name, ctx)) {
      return drawnFrom(left, right, name, ctx);
    }
  }
  return null;
}

/**
 * The key of the notebook function (`f`) or plain-class method (`.m`) a call calls, as
 * ValueParameter keys it, or null for a built-in, a Keras or TF callee, or a layer or model call.
 */
export function calleeKey(call: SyntaxNode, ctx: RuleContext): string | null {
  const fn = child(call, 'function');
  if (!fn || ctx.isLayerInstance(fn)) {
    return null;
  }
  if (fn.type === 'identifier') {
    const binding = ctx.lookup(ctx.textOf(fn));
    return (binding === undefined || binding.kind === 'value') && !PYTHON_BUILTINS.has(ctx.textOf(fn)) ? ctx.textOf(fn) : null;
  }
  if (fn.type === 'attribute' && ctx.resolve(fn) === null && !ctx.isLayerInstance(child(fn, 'object') ?? fn)) {
    return '.' + ctx.textOf(child(fn, 'attribute') ?? fn);
  }
  return null;
}

/** The fact a call made under a GradientTape or in a `@tf.function` notes for its callee: what it passes must stay a tensor. */
export function tapedCallFact(key: string): string {
  return `taped-call:${key}`;
}

/**
 * What a call passes to a function of the notebook or a method of one of its classes that
 * requires grad on PyTorch, as the facts `grad-arg:KEY:INDEX` / `grad-arg:KEY:=NAME` (see ValueParameter): the function
 * may hand it to a TF op or NumPy (`attention_rollout_map(scores_by_block)`, the scores of a
 * feature-extracting model).
 */
export function noteGradArguments(call: SyntaxNode, ctx: RuleContext, known?: string): void {
  const key = known ?? calleeKey(call, ctx);
  if (!key) {
    return;
  }
  positionalArguments(call).forEach((arg, index) => {
    if (VALUE_ARGUMENT.test(arg.type) && requiresGradOnTorch(arg, ctx)) {
      ctx.note(gradArgumentFact({ key, index }));
    }
  });
  // `display_grid(images, gates=gates)`: by keyword, for the parameter of that name.
  for (const arg of child(call, 'arguments')?.children ?? []) {
    const name = arg.type === 'keyword_argument' ? child(arg, 'name') : null;
    const value = arg.type === 'keyword_argument' ? child(arg, 'value') : null;
    if (name && value && VALUE_ARGUMENT.test(value.type) && requiresGradOnTorch(value, ctx)) {
      ctx.note(gradKeywordFact(key, ctx.textOf(name)));
    }
  }
}

/** Argument node types that may hold a value needing grad (literals, lambdas and the like cannot). */
const VALUE_ARGUMENT =
  /^(identifier|subscript|call|attribute|list|tuple|list_comprehension|dictionary_comprehension|generator_expression|conditional_expression|binary_operator|parenthesized_expression)$/;

/** `model.layers[0]`, `model.get_layer("conv")`, a layer instance, or a name last assigned one of them. */
function isLayerValue(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (ctx.isLayerInstance(node)) {
    return true;
  }
  if (node.type === 'identifier' && depth < 3) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isLayerValue(value, ctx, depth + 1);
  }
  const list = node.type === 'subscript' ? child(node, 'value') : null;
  if (list?.type === 'attribute' && ctx.textOf(child(list, 'attribute') ?? list) === 'layers') {
    return true;
  }
  return node.type === 'call' && calleeName(child(node, 'function') ?? node, ctx) === 'get_layer';
}

/**
 * A weight of a layer read outside model code (`layer.kernel`, or a name last assigned it):
 * a Keras variable holding a torch Parameter on PyTorch.
 */
function isLayerWeight(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (node.type === 'identifier' && depth < 3) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isLayerWeight(value, ctx, depth + 1);
  }
  const object = node.type === 'attribute' ? child(node, 'object') : null;
  const attr = node.type === 'attribute' ? child(node, 'attribute') : null;
  return !!object && !!attr && VARIABLE_ATTRIBUTES.has(ctx.textOf(attr)) && ctx.textOf(object) !== 'self' && isLayerValue(object, ctx);
}

/**
 * `self.model.stage.block.modulation.modulator` (keras.io's FocalNet callback): an attribute read
 * through a layer or model instance whose name a `call()` of the program assigns (`self.modulator =
 * self.modulator_proj(x)`, `q, k, self.gates = ...`). The layer keeps a tensor of its last forward
 * pass there, which requires grad on PyTorch after a direct call of the model.
 */
function isStoredForwardTensor(node: SyntaxNode, ctx: RuleContext): boolean {
  const attr = child(node, 'attribute');
  if (!attr || ctx.isSymbolic(node)) {
    return false;
  }
  let throughLayer = false;
  for (let object = child(node, 'object'); object && !throughLayer; ) {
    throughLayer = ctx.isLayerInstance(object);
    object = object.type === 'attribute' || object.type === 'subscript' ? child(object, object.type === 'attribute' ? 'object' : 'value') : null;
  }
  return throughLayer && callAssignedAttributes(node, ctx).has(ctx.textOf(attr));
}

const CALL_ASSIGNED = new WeakMap<SyntaxNode, Set<string>>();

/** The attribute names a `def call(self, ...)` of the program assigns on `self`, or appends to (cached per tree). */
function callAssignedAttributes(node: SyntaxNode, ctx: RuleContext): ReadonlySet<string> {
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  const cached = CALL_ASSIGNED.get(root);
  if (cached) {
    return cached;
  }
  const names = new Set<string>();
  // The targets of assignment statements in `def call(self, ...)` bodies: `self.x = ...`, `q, k, self.gates = ...`.
  const targets = (left: SyntaxNode): void => {
    if (left.type === 'attribute' && ctx.textOf(child(left, 'object') ?? left) === 'self') {
      names.add(ctx.textOf(child(left, 'attribute') ?? left));
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      left.children.forEach(targets);
    }
  };
  const visit = (n: SyntaxNode, inCall: boolean): void => {
    if (n.type === 'function_definition') {
      inCall = ctx.textOf(child(n, 'name') ?? n) === 'call' && n.parent?.parent?.type === 'class_definition';
    }
    if (inCall && n.type === 'assignment') {
      const left = child(n, 'left');
      if (left) {
        targets(left);
      }
    }
    // `self.attn_scores.append(scores)` (keras.io Temporal Latent Bottleneck's cell): a list of the forward pass's tensors.
    const fn = inCall && n.type === 'call' ? child(n, 'function') : null;
    const list = fn?.type === 'attribute' && /^(append|extend)$/.test(ctx.textOf(child(fn, 'attribute') ?? fn)) ? child(fn, 'object') : null;
    if (list?.type === 'attribute') {
      targets(list);
    }
    n.children.forEach(c => visit(c, inCall));
  };
  visit(root, false);
  CALL_ASSIGNED.set(root, names);
  return names;
}

/** keras.ops functions whose integer or boolean result has no grad (`keras.ops.argmax(model(x))` converts on PyTorch). */
const NO_GRAD_OPS =
  /^keras\.ops\.(argmax|argmin|argsort|argpartition|top_k|one_hot|equal|not_equal|greater|greater_equal|less|less_equal|logical_\w+|isnan|isinf|isfinite|isclose|count_nonzero|nonzero|bincount|digitize|searchsorted|any|all|stop_gradient)$/;

/** Whether calling `fn` gives a tensor that keeps its arguments' grad: keras.ops, activation and loss functions, loss objects. */
function passesGradThrough(fn: SyntaxNode, ctx: RuleContext): boolean {
  const name = ctx.resolveKeras(fn);
  if (name) {
    return /^keras\.(ops|activations|losses)\.[a-z]\w*$/.test(name) && !NOT_TENSOR.test(name) && !NO_GRAD_OPS.test(name);
  }
  let instance: SyntaxNode | null = fn;
  if (fn.type === 'identifier') {
    instance = lastAssignedValue(ctx.textOf(fn), fn, ctx);
  }
  const cls = instance && instance.type === 'call' ? child(instance, 'function') : null;
  return !!cls && /^keras\.losses\.[A-Z]\w*$/.test(ctx.resolveKeras(cls) ?? '');
}
