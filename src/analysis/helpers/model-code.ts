/** Where code runs on backend tensors: Keras class methods, losses, Lambda functions, patched methods. Not a rule. */
import { child, definedInPlainFunctionsFromModule, descendants, enclosingFunctionDefinition, rootOf, SyntaxNode } from '../ast';
import { FUNCTION_LAYERS, MODEL_FUNCTION_KEYWORDS } from '../knowledge';
import type { FunctionScope, RuleContext } from '../rule';
import { CellMemoKey, nodeMemo } from '../rule';
import { isTensorflowOnlyDecorator } from './backend-branch';
import { calleeName, CallParts, parameterNames, valueBefore } from './calls';
import { plainAssignedValues, skippedAssignment } from './name-bindings';
import { escapeRegExp } from '../text';

/** Whether the innermost function is a method of a Keras Layer/Model subclass (or nested in one). */
export function inKerasClassMethod(ctx: RuleContext): boolean {
  const fn = ctx.fn;
  if (!fn) {
    return false;
  }
  return ctx.cls !== null && ctx.cls.keras !== null && ctx.cls.node.start <= fn.node.start && fn.node.end <= ctx.cls.node.end;
}

/** The method of a Keras class the node is in (`call`, `build`, ...), or null. */
export function kerasMethodName(ctx: RuleContext): string | null {
  let fn = ctx.fn;
  if (!fn || !ctx.cls || ctx.cls.keras === null) {
    return null;
  }
  // Walk out to the function directly in the class body.
  while (fn && !fn.classScope) {
    fn = ctx.outerFunction(fn);
  }
  return fn && fn.classScope === ctx.cls ? fn.name : null;
}

const Y_TRUE = /^y_?true$/i;
const Y_PRED = /^y_?pred$/i;

/** Loss/metric functions are recognised by their conventional parameters (`y_true, y_pred`, `yTrue, yPred`). */
export function inLossFunction(ctx: RuleContext): boolean {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.locals.has('y_true') && fn.locals.has('y_pred')) {
      return true;
    }
    const params = [...fn.locals.keys()];
    if (params.some(p => Y_TRUE.test(p)) && params.some(p => Y_PRED.test(p))) {
      return true;
    }
  }
  return false;
}

/** Identifiers in a function-valued argument: `f`, `[f, g]`, `{"out": f}`. */
function functionNames(value: SyntaxNode, ctx: RuleContext, out: string[]): void {
  if (value.type === 'identifier') {
    out.push(ctx.textOf(value));
  } else if (value.type === 'attribute' && ctx.textOf(child(value, 'object') ?? value) === 'self' && ctx.cls && ctx.cls.keras === null) {
    // `Lambda(self.logp)` in a plain class (Atienza's policy-gradient agent): its method `.logp` (plainClassMethod's name).
    out.push('.' + ctx.textOf(child(value, 'attribute') ?? value));
  } else if (value.type === 'subscript' && child(value, 'value')?.type === 'identifier') {
    // `ACTIVATIONS["gauss"]`: a function held in a dict (or list) of the notebook's.
    out.push(ctx.textOf(child(value, 'value')!));
  } else if (value.type === 'list' || value.type === 'tuple' || value.type === 'dictionary') {
    for (const c of value.children) {
      const item = c.type === 'pair' ? child(c, 'value') : c;
      if (item && item.type === 'identifier') {
        out.push(ctx.textOf(item));
      }
    }
  }
}

/**
 * Initializer keywords (`kernel_initializer=`): Keras calls the function once, eagerly, to make the
 * variable's value (on JAX and PyTorch too, where a TF op's tensor is converted; checked on Keras
 * 3.15, /work/og46a variants/y_init_named.py), so a function given there runs as eager code.
 */
const INITIALIZER_KEYWORD = /^(\w+_)?initializer$/;

/** Keywords of a model's own compile() that hand it a loss function its train_step calls. */
const COMPILED_LOSS_FUNCTION = /^(\w+_)?loss(es)?(_fns?)?$|^\w+_fn$/;

/**
 * Names of functions a call hands to Keras to run on backend tensors: the function of a
 * `Lambda`/`Activation` layer, `compile(loss=, metrics=)` (also positionally), the loss functions
 * a GAN's own compile() keeps for its train_step (`compile(d_loss_fn=..., gen_loss_fn=...)`, or
 * positionally after its optimizers), and
 * activation, regularizer, constraint and initializer arguments.
 */

export function modelFunctionArguments(parts: CallParts, ctx: RuleContext, which: 'traced' | 'initializers' = 'traced'): string[] {
  const out: string[] = [];
  for (const [name, kw] of parts.keywords) {
    if (MODEL_FUNCTION_KEYWORDS.test(name) && INITIALIZER_KEYWORD.test(name) === (which === 'initializers')) {
      functionNames(kw.value, ctx, out);
    }
  }
  if (which === 'initializers') {
    return out;
  }
  const first = parts.positional[0];
  if (first) {
    const keras = ctx.resolveKeras(parts.fn);
    if (keras && FUNCTION_LAYERS.has(keras)) {
      functionNames(first, ctx, out);
    }
  }
  if (calleeName(parts.fn, ctx) === 'compile' && parts.fn.type === 'attribute') {
    // Keras's loss and metrics; a GAN's own compile() takes its loss functions after its
    // optimizers (`compile(gen_optimizer, disc_optimizer, generator_loss, ...)`, keras.io MelGAN).
    parts.positional.slice(1).forEach(arg => functionNames(arg, ctx, out));
    // A GAN's own compile() keeps its loss functions for its train_step (`gen_loss_fn=`, `d_loss_fn=`).
    for (const [name, kw] of parts.keywords) {
      if (COMPILED_LOSS_FUNCTION.test(name) && !MODEL_FUNCTION_KEYWORDS.test(name)) {
        functionNames(kw.value, ctx, out);
      }
    }
  }
  return out;
}

/** Whether a lambda is a function Keras runs on tensors: a Lambda layer's, or a loss/activation/... argument. */
function isModelLambda(fn: FunctionScope, ctx: RuleContext): boolean {
  const known = modelLambdas.get(fn);
  if (known !== undefined) {
    return known;
  }
  let result = false;
  let arg: SyntaxNode = fn.node;
  let p = arg.parent;
  if (p && p.type === 'keyword_argument') {
    const name = child(p, 'name');
    result = name !== null && MODEL_FUNCTION_KEYWORDS.test(ctx.textOf(name)) && !INITIALIZER_KEYWORD.test(ctx.textOf(name));
    arg = p;
    p = p.parent;
  }
  if (!result && p && p.type === 'argument_list' && p.parent && p.parent.type === 'call') {
    const fnNode = child(p.parent, 'function');
    const keras = fnNode ? ctx.resolveKeras(fnNode) : null;
    result = keras !== null && FUNCTION_LAYERS.has(keras);
  }
  modelLambdas.set(fn, result);
  return result;
}

const modelLambdas = new WeakMap<FunctionScope, boolean>();

/** Inside a lambda given to a `Lambda(...)` layer (or as a loss, activation, ... argument). */
export function inLambdaLayer(_node: SyntaxNode, ctx: RuleContext): boolean {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.name === '<lambda>' && isModelLambda(fn, ctx)) {
      return true;
    }
  }
  return false;
}

/**
 * A notebook-level function installed as a method of a Keras class in the same cell
 * (`def call(self, inputs): ...` then `FeedBack.call = call`, as TensorFlow tutorials do).
 */
export function inPatchedMethod(ctx: RuleContext): boolean {
  let outer = ctx.fn;
  while (outer && ctx.outerFunction(outer)) {
    outer = ctx.outerFunction(outer);
  }
  if (!outer || outer.classScope || outer.name === '<lambda>' || !outer.name) {
    return false;
  }
  // Asked for every TF call in the function: decided once per function.
  const known = patchedMethods.get(outer);
  if (known !== undefined) {
    return known;
  }
  let patched = false;
  // The assignment names the function: a cell that never mentions it after the def (most
  // functions) has none, and the regular expression need not be built and run.
  if (ctx.text.includes(outer.name, outer.node.end)) {
    const pattern = new RegExp(`^[ \\t]*(\\w+)\\.(\\w+)[ \\t]*=[ \\t]*${outer.name}[ \\t]*(#.*)?$`, 'gm');
    for (const m of ctx.text.slice(outer.node.end).matchAll(pattern)) {
      const cls = ctx.lookup(m[1]);
      if (cls && cls.kind === 'class' && cls.keras !== null) {
        patched = true;
        break;
      }
    }
  }
  patchedMethods.set(outer, patched);
  return patched;
}

const patchedMethods = new WeakMap<FunctionScope, boolean>();

/** Code that runs on the backend's tensors: Keras layer/model methods, losses, metrics, Lambda layers. */
export function inModelCode(node: SyntaxNode, ctx: RuleContext): boolean {
  return inKerasClassMethod(ctx) || inLossFunction(ctx) || inLambdaLayer(node, ctx) || inPatchedMethod(ctx);
}

/**
 * A module-level function named like a loss (`y_true`, `y_pred`) that the cell only ever calls,
 * never hands to anything (aymericdamien's `cross_entropy(y_pred, y_true)`, called under a tape over
 * loose `tf.Variable`s): whether it runs on the backend's tensors depends on where it is called, as
 * for any notebook function (`model:NAME`); a `compile(loss=NAME)` anywhere makes it model code.
 * Its name, else null (a method, a Lambda's function, or a name passed as a value).
 */
function looseLossFunction(node: SyntaxNode, ctx: RuleContext): string | null {
  if (!inLossFunction(ctx) || inKerasClassMethod(ctx) || inLambdaLayer(node, ctx) || inPatchedMethod(ctx)) {
    return null;
  }
  const outer = ctx.notebookFunction();
  const holder = outer ? (outer.node.parent?.type === 'decorated_definition' ? outer.node.parent : outer.node) : null;
  if (!outer || holder?.parent?.type !== 'module' || ctx.fn !== outer) {
    return null;
  }
  return nodeMemo(ctx, ONLY_CALLED, outer.node, () => onlyCalled(outer.name, outer.node, ctx)) ? outer.name : null;
}

const ONLY_CALLED = new CellMemoKey<Map<SyntaxNode, boolean>>('module functions the cell only calls');

/** Whether every mention of `name` in the cell other than its definition's is the callee of a call. */
function onlyCalled(name: string, def: SyntaxNode, ctx: RuleContext): boolean {
  const defName = child(def, 'name');
  let calls = 0;
  for (const m of ctx.text.matchAll(new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?!\\w)`, 'g'))) {
    if (defName && m.index === defName.start) {
      continue;
    }
    if (!/^\s*\(/.test(ctx.text.slice(m.index! + name.length, m.index! + name.length + 40))) {
      return false;
    }
    calls++;
  }
  return calls > 0;
}

/** Inside a lambda given inline as a layer's initializer (`kernel_initializer=lambda shape, dtype=None: ...`): eager code. */
function inInitializerLambda(ctx: RuleContext): boolean {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.name === '<lambda>' && fn.node.parent?.type === 'keyword_argument' && fn.node.field === 'value') {
      const name = child(fn.node.parent, 'name');
      if (name && INITIALIZER_KEYWORD.test(ctx.textOf(name))) {
        return true;
      }
    }
  }
  return false;
}

/**
 * The name an enclosing lambda is bound to (`act = lambda z: ...`, or the default of a parameter
 * `act=lambda z: ...`), innermost first; null when no enclosing lambda is held by a name.
 */
function heldLambdaName(ctx: RuleContext): string | null {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.name !== '<lambda>') {
      continue;
    }
    let parent = fn.node.parent;
    let held: SyntaxNode = fn.node;
    // A value of a dict display assigned to a name (`ACTS = {"gauss": lambda z: ...}`): the dict's name.
    if (parent?.type === 'pair' && fn.node.field === 'value' && parent.parent?.type === 'dictionary') {
      held = parent.parent;
      parent = held.parent;
    }
    if (parent?.type === 'assignment' && held.field === 'right') {
      const left = child(parent, 'left');
      if (left?.type === 'identifier') {
        return ctx.textOf(left);
      }
    }
    if ((parent?.type === 'default_parameter' || parent?.type === 'typed_default_parameter') && held.field === 'value') {
      const name = child(parent, 'name');
      if (name?.type === 'identifier') {
        return ctx.textOf(name);
      }
    }
  }
  return null;
}

/**
 * Parameters of a layer's or loss's methods that are Python values by convention, not tensors
 * (`training`, `mask`, an RNN cell's `states`/`constants`): KM061 and KM295 leave them alone.
 */
export const PYTHON_VALUE_PARAMETERS: ReadonlySet<string> = new Set(['self', 'cls', 'training', 'mask', 'kwargs', 'args', 'states', 'constants', 'initial_state']);

/**
 * Whether code runs on backend tensors: true for model code, `model:NAME` when it is in the
 * notebook function NAME (or the method `.NAME` of a plain class), whose being model code other
 * cells may decide (a finding there is reported with that condition), null otherwise. A Keras
 * class's own method that Keras never runs and that no method of its class calls
 * (`generate_images`, `plot_images` run from a callback) is model code only where model code
 * elsewhere calls it (`model:.generate_images`); otherwise it runs eagerly (modelCodeVariants).
 */
export function modelCodeCondition(node: SyntaxNode, ctx: RuleContext): true | string | null {
  const loose = looseLossFunction(node, ctx);
  if (loose) {
    return 'model:' + loose;
  }
  if (inModelCode(node, ctx)) {
    const eager = eagerMethodOf(node, ctx);
    return eager ? 'model:.' + eager : true;
  }
  // A lambda held by a name (`act = lambda z: tf.math.exp(-z**2)`, a parameter's default) runs where
  // that name is handed to Keras (`Dense(4, activation=act)`), as a def of that name would.
  const held = heldLambdaName(ctx);
  if (held) {
    return 'model:' + held;
  }
  const method = plainClassMethod(ctx);
  if (method) {
    return 'model:' + method;
  }
  const outer = ctx.notebookFunction();
  return outer && !redefinedLater(outer.node, ctx) ? 'model:' + outer.name : null;
}

/**
 * A top-level `def` that a later top-level `def` of the same name in the cell replaces (Géron's
 * ch. 13 `preprocess` for `dataset.map`, then another `preprocess` that a layer's `call()` runs):
 * model code calls the name when the model runs, after both, so the later one is what it runs.
 */
const REDEFINED = new CellMemoKey<Map<SyntaxNode, boolean>>('top-level defs a later def of the same name replaces');

function redefinedLater(def: SyntaxNode, ctx: RuleContext): boolean {
  return nodeMemo(ctx, REDEFINED, def, () => redefinedLaterNow(def, ctx));
}

function redefinedLaterNow(def: SyntaxNode, ctx: RuleContext): boolean {
  const holder = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const module = holder.parent;
  const name = child(def, 'name');
  if (module?.type !== 'module' || !name) {
    return false;
  }
  const text = ctx.textOf(name);
  return module.children.some(s => {
    const later = s.type === 'decorated_definition' ? child(s, 'definition') : s;
    return s.start > holder.end && later?.type === 'function_definition' && ctx.textOf(child(later, 'name') ?? later) === text;
  });
}

/** One way a finding on model code is reported: its notebook-wide condition, and whether the code there runs eagerly. */
export interface ModelCodeVariant {
  condition: string | undefined;
  /**
   * The code runs eagerly, outside any traced function. There TensorFlow takes every backend's
   * arrays (JAX's concrete arrays, PyTorch tensors that need no grad), so a TF op runs on every
   * backend while TensorFlow is installed, yet a `keras.ops` rewrite keeps the program free of
   * TensorFlow and keeps what it hands on the backend's tensors.
   */
  eager: boolean;
  /** The own eager method of a Keras class the code is in (see eagerMethods). */
  method?: string;
}

/**
 * The variants of a finding on model code (exclusive conditions): traced model code (true or
 * `model:NAME`), and eager model code: an own eager method of a Keras class that no model code
 * calls (`!model:.NAME`), or a helper only eager code calls (`!model:NAME & eager:NAME`, the
 * `eager:` links followed from the own eager methods). Empty outside model code.
 */
export function modelCodeVariants(node: SyntaxNode, ctx: RuleContext): ModelCodeVariant[] {
  if (inInitializerLambda(ctx)) {
    return [{ condition: undefined, eager: true }];
  }
  const traced = modelCodeCondition(node, ctx);
  if (traced === true) {
    return [{ condition: undefined, eager: false }];
  }
  if (traced === null) {
    return [];
  }
  if (inModelCode(node, ctx) && !looseLossFunction(node, ctx)) {
    const method = traced.slice('model:.'.length);
    return [
      { condition: traced, eager: false },
      { condition: '!' + traced, eager: true, method }
    ];
  }
  return [
    { condition: traced, eager: false },
    { condition: `!${traced} & eager:${traced.slice('model:'.length)}`, eager: true }
  ];
}

/** How a finding names eager model code: `(`plot_images` is no method Keras runs and no traced method calls it)`. */
export function eagerPlace(variant: ModelCodeVariant): string {
  if (variant.method !== undefined) {
    return ` (\`${variant.method}\` is no method Keras runs and no traced method calls it)`;
  }
  const name = variant.condition?.split('eager:')[1] ?? '';
  return ` (\`${name.startsWith('.') ? name.slice(1) : name}()\` is called only from code that runs eagerly)`;
}

/**
 * Public method names Keras defines on its layers, models, metrics, losses, optimizers,
 * schedules, regularizers, constraints, initializers, RNN cells and callbacks (Keras 3.15's, and
 * Keras 2's `get_updates`/`compute_output_signature`...): Keras may run an override of them, traced.
 * `convolution_op` too: the convolution layers' call() runs it (keras.io "Customizing the
 * convolution operation of a Conv2D layer" overrides it with weight standardization).
 */
const KERAS_METHOD_NAMES = new Set(
  (
    'add_loss add_metric add_optimizer_variables add_update add_variable add_variable_from_reference add_weight apply apply_gradients ' +
    'assign assign_add assign_sub build build_from_config call clone compile compile_from_config compute_loss ' +
    'compute_loss_and_updates compute_mask compute_metrics convolution_op compute_output_shape compute_output_signature compute_output_spec ' +
    'count_params evaluate exclude_from_weight_decay export finalize_variable_values fit from_config get_build_config ' +
    'get_compile_config get_config get_dropout_mask get_gradients get_initial_state get_layer get_metrics_result ' +
    'get_quantization_layer_structure get_recurrent_dropout_mask get_state_tree get_updates get_weights inner_loop jax_state_sync ' +
    'load_own_variables load_weights make_predict_function make_test_function make_train_function on_batch_begin on_batch_end ' +
    'on_epoch_begin on_epoch_end on_predict_batch_begin on_predict_batch_end on_predict_begin on_predict_end ' +
    'on_test_batch_begin on_test_batch_end on_test_begin on_test_end on_train_batch_begin on_train_batch_end on_train_begin ' +
    'on_train_end predict predict_on_batch predict_step quantize quantized_build quantized_call rematerialized_call ' +
    'reset_dropout_mask reset_metrics reset_recurrent_dropout_mask reset_state reset_states result save save_own_variables ' +
    'save_weights scale_loss set_model set_params set_state_tree set_weights stateless_apply stateless_call stateless_compute_loss ' +
    'stateless_reset_state stateless_result stateless_update_state states summary symbolic_call test_on_batch test_step to_json ' +
    'train_on_batch train_step update_state update_step get_losses_for get_updates_for minimize'
  ).split(' ')
);

/** Whether Keras defines a method of this name (so it may run an override of it, traced). */
export function isKerasMethodName(name: string): boolean {
  return KERAS_METHOD_NAMES.has(name);
}

/**
 * The own methods of a Keras class that run eagerly: public, undecorated (or decorated on TensorFlow only), not a name Keras
 * defines (so Keras never runs them), and not referenced as `self.NAME` from any other method
 * (followed through the own methods). keras.io DDPM's `generate_images`/`plot_images`, run from
 * a LambdaCallback: fit() traces only `train_step` and what it calls. Memoised per class.
 */
function eagerMethods(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  const known = eagerMethodMemo.get(cls);
  if (known) {
    return known;
  }
  const body = child(cls, 'body');
  const methods = new Map<string, SyntaxNode>();
  const roots: SyntaxNode[] = [];
  for (const statement of body?.children ?? []) {
    const fn = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const nameNode = fn?.type === 'function_definition' ? child(fn, 'name') : null;
    if (!fn || !nameNode) {
      continue;
    }
    const name = ctx.textOf(nameNode);
    // A decorator the fixes made TensorFlow-only (`@(tf.function if ... else (lambda f: f))`) leaves
    // the method as written on JAX and PyTorch: eager there, as TF's text-generation sampler runs.
    const decorated = statement.type === 'decorated_definition' && !statement.children.filter(c => c.type === 'decorator').every(d => isTensorflowOnlyDecorator(d, ctx));
    if (decorated || name.startsWith('_') || KERAS_METHOD_NAMES.has(name)) {
      roots.push(fn);
    } else {
      methods.set(name, fn);
    }
  }
  // Anything but a method body (class attributes, `fn = helper` aliases) counts as a root too.
  const reached = new Set<string>();
  const queue = roots.map(r => ctx.textOf(r));
  for (const statement of body?.children ?? []) {
    if (statement.type !== 'function_definition' && statement.type !== 'decorated_definition') {
      queue.push(ctx.textOf(statement));
    }
  }
  while (queue.length) {
    for (const m of queue.pop()!.matchAll(/\bself\.(\w+)/g)) {
      const fn = methods.get(m[1]);
      if (fn && !reached.has(m[1])) {
        reached.add(m[1]);
        queue.push(ctx.textOf(fn));
      }
    }
  }
  const out = new Set([...methods.keys()].filter(n => !reached.has(n)));
  eagerMethodMemo.set(cls, out);
  return out;
}

const eagerMethodMemo = new WeakMap<SyntaxNode, Set<string>>();

/** The own eager method of a Keras class the node is in (see eagerMethods), not in a Lambda function or loss nested there; else null. */
export function eagerMethodOf(node: SyntaxNode, ctx: RuleContext): string | null {
  const name = kerasMethodName(ctx);
  return name !== null && ctx.cls !== null && eagerMethods(ctx.cls.node, ctx).has(name) && !inLambdaLayer(node, ctx) && !inLossFunction(ctx) ? name : null;
}

/** Model methods that run no layer with grad (`predict` runs under `torch.no_grad()`). */
const NO_GRAD_METHODS =
  /^(predict|predict_on_batch|predict_step|evaluate|test_on_batch|test_step|summary|get_weights|set_weights|save|save_weights|load_weights|get_config|count_params|compile|get_layer|add_loss|add_metric)$/;

/**
 * Whether an own eager method calls, itself or through the methods of its class it calls
 * (`self.denoise(...)`), the model or one of its attributes directly on data (see methodCallsLayers):
 * on PyTorch that runs with grad, and a TF op meeting what it returns fails.
 */
export function eagerMethodCallsLayers(ctx: RuleContext): boolean {
  const name = kerasMethodName(ctx);
  return name !== null && ctx.cls !== null && methodCallsLayers(ctx.cls.node, name, ctx);
}

/**
 * Whether the method NAME of the class `cls` calls, itself or through the methods of its class it
 * calls (`self.denoise(...)`), the model or one of its attributes directly on data (`self(x)`,
 * `self.network(x)`, not `self.network.predict(x)`; also a layer of a list or dict attribute through a
 * local name, `layer = self.layers_list[i]; layer(h)`, or an attribute given a local name first,
 * `network = self.ema_network` then `network([x, t])`, keras.io DDIM's denoise()). False for a
 * name the class does not define.
 */
export function methodCallsLayers(cls: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const methods = classMethodDefinitions(cls, ctx);
  if (!methods.has(name)) {
    return false;
  }
  const seen = new Set<string>([name]);
  const queue = [name];
  while (queue.length) {
    const text = ctx.textOf(methods.get(queue.pop()!)!);
    // A layer the instance keeps in a list or dict, or as an attribute, called through a local name:
    // `for layer in self.blocks: h = layer(h)`, `layer = self.layer_list[i]` (keras.io Forward-Forward),
    // `network = self.network` (an attribute alone on its line: not a method's result).
    const held = new Set(
      [...text.matchAll(/\bfor\s+(\w+)\s+in\s+self\.\w+\b(?![.(])|\b(\w+)\s*=\s*self\.\w+\s*\[|^[ \t]*(\w+)[ \t]*=[ \t]*self\.(\w+)[ \t]*(?:#.*)?$/gm)]
        .filter(m => m[4] === undefined || (!methods.has(m[4]) && !NO_GRAD_METHODS.test(m[4])))
        .map(m => m[1] ?? m[2] ?? m[3])
    );
    if (held.size && new RegExp(`(?<![.\\w])(?:${[...held].join('|')})\\s*\\(`).test(text)) {
      return true;
    }
    for (const m of text.matchAll(/\bself(?:\.(\w+))?\s*\(/g)) {
      const callee = m[1];
      if (callee === undefined || (!methods.has(callee) && !NO_GRAD_METHODS.test(callee))) {
        return true;
      }
      if (!seen.has(callee) && methods.has(callee)) {
        seen.add(callee);
        queue.push(callee);
      }
    }
  }
  return false;
}

/**
 * In a method of a module-level class that is not a Keras class (keras.io DDPM's
 * GaussianDiffusion utility), or of one nested in a script's `main()`: `.NAME`, the link model
 * code makes by calling `anything.NAME(...)` (`self.gdf_util.q_sample(...)` in train_step), or null.
 */
export function plainClassMethod(ctx: RuleContext): string | null {
  const cls = ctx.cls;
  const holder = cls?.node.parent?.type === 'decorated_definition' ? cls.node.parent : cls?.node;
  if (!cls || cls.keras !== null || !holder || !definedInPlainFunctionsFromModule(holder)) {
    return null;
  }
  let fn = ctx.fn;
  while (fn && !fn.classScope) {
    fn = ctx.outerFunction(fn);
  }
  if (fn && fn.classScope === cls && fn.name === '__call__') {
    // A callable object's body runs where its instances are called: `.NAME.__call__` (instanceCallLink).
    const name = child(cls.node, 'name');
    return name ? `.${ctx.textOf(name)}.__call__` : null;
  }
  return fn && fn.classScope === cls && fn.name && fn.name !== '<lambda>' ? '.' + fn.name : null;
}

const INSTANCE_LINKS = new WeakMap<SyntaxNode, Map<string, string | null>>();

/**
 * A call of a class named in the notebook (`Name(...)`, capitalised, not a TF/Keras name): the name.
 * With `followNames` (at a call, where the name's scope is the context's), a name bound to one such
 * call (`penalty = Penalty()` then `Owner(penalty=penalty)`) counts too: the statement, with no Keras word, is read from its text when the relevance filter
 * left it out, and the class must be defined in the notebook.
 */
function instantiatedPlainName(value: SyntaxNode | null, ctx: RuleContext, followNames = false): string | null {
  const maker = value?.type === 'call' ? child(value, 'function') : null;
  if (maker?.type === 'identifier' && /^[A-Z]/.test(ctx.textOf(maker)) && ctx.resolve(maker) === null) {
    return ctx.textOf(maker);
  }
  if (!followNames || value?.type !== 'identifier') {
    return null;
  }
  const values = plainAssignedValues(value, ctx);
  if (values.length) {
    return values.length === 1 && values[0].type === 'call' ? instantiatedPlainName(values[0], ctx) : null;
  }
  const skipped = skippedAssignment(ctx.textOf(value), value, ctx);
  const name = skipped ? /^([A-Z]\w*)\s*\(/.exec(skipped.text)?.[1] : undefined;
  return name && onlyVisibleDefinition(value, 'class_definition', name, ctx) ? name : null;
}

/**
 * `self.X(...)` where the class assigns `self.X` only instances of one class named in the notebook
 * (`self.spatial_loss = SpatialLoss()` in compile(), keras.io Zero-DCE): `.SpatialLoss.__call__`,
 * the link that makes that plain class's `__call__` model code where model code calls it. When the
 * class assigns `self.X` a parameter of the method (`self.penalty = penalty` in `__init__`, DDPM's
 * style of handing utilities in), `=Owner:penalty`: constructorArgumentLinks ties it to the
 * classes of the instances the constructor calls pass there. Null for an attribute assigned
 * anything else (a Keras layer, a TF/Keras object, two different values).
 */
export function instanceCallLink(fn: SyntaxNode, ctx: RuleContext): string | null {
  const cls = ctx.cls?.node;
  const object = fn.type === 'attribute' ? child(fn, 'object') : null;
  const attr = object?.type === 'identifier' && ctx.textOf(object) === 'self' ? child(fn, 'attribute') : null;
  const owner = cls ? child(cls, 'name') : null;
  if (!cls || !attr || !owner) {
    return null;
  }
  let byAttr = INSTANCE_LINKS.get(cls);
  if (!byAttr) {
    byAttr = new Map();
    for (const a of descendants(cls)) {
      if (a.type !== 'assignment') {
        continue;
      }
      const left = child(a, 'left');
      const right = child(a, 'right');
      const leftObject = left?.type === 'attribute' ? child(left, 'object') : null;
      const leftAttr = leftObject?.type === 'identifier' && ctx.textOf(leftObject) === 'self' ? child(left!, 'attribute') : null;
      if (!leftAttr) {
        continue;
      }
      const made = instantiatedPlainName(right, ctx);
      let link = made ? `.${made}.__call__` : null;
      if (!link && right?.type === 'identifier' && positionalParameterNames(enclosingFunctionDefinition(a), ctx).includes(ctx.textOf(right))) {
        link = `=${ctx.textOf(owner)}:${ctx.textOf(right)}`;
      }
      const key = ctx.textOf(leftAttr);
      byAttr.set(key, byAttr.has(key) && byAttr.get(key) !== link ? null : link);
    }
    INSTANCE_LINKS.set(cls, byAttr);
  }
  return byAttr.get(ctx.textOf(attr)) ?? null;
}


const MODULE_INSTANCES = new WeakMap<SyntaxNode, Map<string, string | null>>();

/**
 * `roughness(y_pred)` in a function, where `roughness` is not the function's own and the module binds
 * it once, to an instance of a class the module defines (`roughness = Roughness()`): `.Roughness.__call__`,
 * the link that makes that class's `__call__` model code where model code calls the instance. The
 * module's statements are read once per tree (the assignment, with no Keras word, is often one the
 * relevance filter left out: then from its text).
 */
export function moduleInstanceCallLink(fn: SyntaxNode, ctx: RuleContext): string | null {
  if (fn.type !== 'identifier') {
    return null;
  }
  const name = ctx.textOf(fn);
  for (let scope = ctx.fn; scope; scope = ctx.outerFunction(scope)) {
    if (scope.globals.has(name)) {
      break;
    }
    if (scope.locals.has(name)) {
      return null;
    }
  }
  const root = rootOf(fn);
  let byName = MODULE_INSTANCES.get(root);
  if (!byName) {
    byName = moduleInstances(root, ctx);
    MODULE_INSTANCES.set(root, byName);
  }
  const made = byName.get(name);
  return made ? `.${made}.__call__` : null;
}

const PLAIN_INSTANCE = /^([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*([A-Z]\w*)[ \t]*\(/;

/** Module-level names bound exactly once, to `Class(...)` of a class the module defines once: name -> class (null where bound otherwise too). */
function moduleInstances(root: SyntaxNode, ctx: RuleContext): Map<string, string | null> {
  const classes = new Map<string, number>();
  const bound = new Map<string, string | null>();
  const bind = (name: string, made: string | null): void => {
    bound.set(name, bound.has(name) && bound.get(name) !== made ? null : made);
  };
  for (const statement of root.children) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const defName = def && (def.type === 'class_definition' || def.type === 'function_definition') ? child(def, 'name') : null;
    if (defName) {
      const name = ctx.textOf(defName);
      classes.set(name, def!.type === 'class_definition' ? (classes.get(name) ?? 0) + 1 : 2);
      bind(name, null);
      continue;
    }
    if (statement.type !== 'expression_statement') {
      continue;
    }
    if (statement.children.length === 0) {
      const m = PLAIN_INSTANCE.exec(ctx.textOf(statement));
      if (m) {
        bind(m[1], m[2]);
      }
      continue;
    }
    const assignment = statement.children[0];
    const left = assignment.type === 'assignment' ? child(assignment, 'left') : null;
    if (left?.type === 'identifier') {
      const right = child(assignment, 'right');
      const maker = right?.type === 'call' ? child(right, 'function') : null;
      bind(ctx.textOf(left), maker?.type === 'identifier' && /^[A-Z]/.test(ctx.textOf(maker)) ? ctx.textOf(maker) : null);
    }
  }
  for (const [name, made] of bound) {
    if (made !== null && classes.get(made) !== 1) {
      bound.set(name, null);
    }
  }
  return bound;
}

/** The parameter names of a def (`self` included) that take positional arguments: those before a `*`, `*args` or `**kwargs`. */
function positionalParameterNames(def: SyntaxNode | null, ctx: RuleContext): string[] {
  const names = (def ? parameterNames(def, ctx) : null) ?? [];
  const splat = names.indexOf('');
  return splat < 0 ? names : names.slice(0, splat);
}

/**
 * For a call `Owner(..., penalty=Penalty(...))` (or positionally, when the class `Owner` defined in
 * this cell names the parameter): `=Owner:penalty` -> `.Penalty.__call__`, so that where the owner's
 * model code calls what it keeps of that parameter (instanceCallLink), the plain class's
 * `__call__` is model code.
 */
export function constructorArgumentLinks(parts: CallParts, ctx: RuleContext): Array<[string, string]> {
  if (parts.fn.type !== 'identifier' || !/^[A-Z]/.test(ctx.textOf(parts.fn)) || ctx.resolve(parts.fn) !== null) {
    return [];
  }
  const owner = ctx.textOf(parts.fn);
  const out: Array<[string, string]> = [];
  for (const [name, kw] of parts.keywords) {
    const made = instantiatedPlainName(kw.value, ctx, true);
    if (made) {
      out.push([`=${owner}:${name}`, `.${made}.__call__`]);
    }
  }
  const made = parts.positional.map(a => instantiatedPlainName(a, ctx, true));
  if (made.some(m => m)) {
    const cls = onlyVisibleDefinition(parts.fn, 'class_definition', owner, ctx);
    const init = cls ? classMethodDefinitions(cls, ctx).get('__init__') ?? null : null;
    const params = positionalParameterNames(init, ctx).slice(1);
    made.forEach((m, i) => {
      if (m && params[i]) {
        out.push([`=${owner}:${params[i]}`, `.${m}.__call__`]);
      }
    });
  }
  return out;
}

/** Variable names people give models (`model`, `net`, `generator`, `clf`...). */
const MODEL_NAME = /model|net$|network|autoencoder|encoder|decoder|generator|discriminator|classifier|regressor|^clf$/i;

/**
 * Whether a name holds an instance of a class of the cell that derives from `tf.Module` and not from
 * Keras (TensorFlow's intro-to-modules and checkpoint guides: `my_model = Dense()` with
 * `class Dense(tf.Module)`): it has no `save_weights` or `export`, whatever its name says.
 */
export function isTfModuleInstance(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' ? valueBefore(ctx.textOf(node), node, ctx) : null;
  const cls = value?.type === 'call' ? child(value, 'function') : null;
  if (!cls || cls.type !== 'identifier' || ctx.kerasKindOfClass(cls) !== null) {
    return false;
  }
  const name = ctx.textOf(cls);
  return [...descendants(rootOf(node))].some(d => {
    if (d.type !== 'class_definition' || ctx.textOf(child(d, 'name') ?? d) !== name) {
      return false;
    }
    const bases = (child(d, 'superclasses')?.children ?? []).filter(b => b.type === 'identifier' || b.type === 'attribute');
    return bases.some(b => ctx.resolve(b) === 'tensorflow.Module');
  });
}

/** A receiver known to be a Keras model (or layer), or named like a model (not an instance of a `tf.Module` class of the cell). */
export function looksLikeModel(receiver: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!receiver) {
    return false;
  }
  if (ctx.isLayerInstance(receiver)) {
    return true;
  }
  if (isTfModuleInstance(receiver, ctx)) {
    return false;
  }
  const name = receiver.type === 'identifier' ? ctx.textOf(receiver) : receiver.type === 'attribute' ? ctx.textOf(child(receiver, 'attribute') ?? receiver) : '';
  return MODEL_NAME.test(name);
}

/** The method definitions directly in a class body, by name: the definition and the statement holding it (with its decorators). */
export function classMethods(cls: SyntaxNode, ctx: RuleContext): Map<string, { def: SyntaxNode; outer: SyntaxNode }> {
  const out = new Map<string, { def: SyntaxNode; outer: SyntaxNode }>();
  for (const stmt of child(cls, 'body')?.children ?? []) {
    const def = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
    const name = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (def && name) {
      out.set(ctx.textOf(name), { def, outer: stmt });
    }
  }
  return out;
}

/** The method definitions directly in a class body, by name. */
export function classMethodDefinitions(cls: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode> {
  return new Map([...classMethods(cls, ctx)].map(([name, { def }]) => [name, def]));
}

const DEFINITIONS = new WeakMap<SyntaxNode, Map<string, SyntaxNode[]>>();

/** The function and class definitions directly in a block or module, by name (read once per body: asked at every call). */
function definitionsIn(body: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode[]> {
  let byName = DEFINITIONS.get(body);
  if (!byName) {
    byName = new Map();
    for (const statement of body.children) {
      const d = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
      if (d && (d.type === 'function_definition' || d.type === 'class_definition')) {
        const name = ctx.textOf(child(d, 'name') ?? d);
        byName.set(name, [...(byName.get(name) ?? []), d]);
      }
    }
    DEFINITIONS.set(body, byName);
  }
  return byName;
}

/**
 * The function or class named `name` that code at `at` sees: the definition in the innermost
 * enclosing function body that defines the name (a script's `main()`; class bodies are skipped,
 * as Python's scoping does), else at the top level of the cell, when it is the only definition of
 * that name there; otherwise null (a name defined twice is not followed).
 */
export function onlyVisibleDefinition(at: SyntaxNode, type: 'function_definition' | 'class_definition', name: string, ctx: RuleContext): SyntaxNode | null {
  for (let scope = at.parent; scope; scope = scope.parent) {
    const body = scope.type === 'module' ? scope : scope.type === 'function_definition' ? child(scope, 'body') : null;
    if (!body) {
      continue;
    }
    const found = definitionsIn(body, ctx).get(name);
    if (found) {
      return found.length === 1 && found[0].type === type ? found[0] : null;
    }
  }
  return null;
}
