import { child, definedInPlainFunctionsFromModule, enclosingFunctionDefinition, identifiersIn, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { inKerasCallback, isEagerBackendTensor, requiresGradOnTorch } from '../helpers/eager-values';
import { isModelLayerLookup, kerasLayerClassOf } from '../helpers/layer-calls';
import { assignedBefore, callParts, calleeName, lastAssignedValue, localNamesOf, rootOf, tfApiName } from '../rule-helpers';

/** Facts a Layer subclass of the notebook gives its calls' outputs (`layer-class:tf-output:Linear`). */
const TF_OUTPUT = 'layer-class:tf-output:';
const WEIGHTLESS = 'layer-class:weightless:';

/** The nodes of a subtree, outside nested functions, classes and lambdas (their own scopes). */
function* ownNodes(node: SyntaxNode): Generator<SyntaxNode> {
  const stack = [...node.children];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
}

/**
 * A value `call()` returns that is a TensorFlow tensor on every backend: a TF op's result, a
 * `tf.Variable` attribute of the layer, or arithmetic of those (with plain numbers).
 */
function isTfValue(node: SyntaxNode, tfVariables: ReadonlySet<string>, ctx: RuleContext): boolean {
  switch (node.type) {
    case 'parenthesized_expression':
      return node.children.length === 1 && isTfValue(node.children[0], tfVariables, ctx);
    case 'binary_operator': {
      const sides = [child(node, 'left'), child(node, 'right')];
      return sides.every(n => !!n && (n.type === 'integer' || n.type === 'float' || isTfValue(n, tfVariables, ctx))) && sides.some(n => n!.type !== 'integer' && n!.type !== 'float');
    }
    case 'call': {
      const name = ctx.resolve(child(node, 'function') ?? node) ?? '';
      return name.startsWith('tensorflow.') && !name.startsWith('tensorflow.keras');
    }
    case 'attribute':
      return ctx.textOf(child(node, 'object') ?? node) === 'self' && tfVariables.has(ctx.textOf(child(node, 'attribute') ?? node));
    default:
      return false;
  }
}

/**
 * Notes what calling a Layer subclass defined here gives, for `.numpy()` on its output: a
 * TensorFlow tensor when every `return` of `call()` is a TF value (then `.numpy()` runs on every
 * backend), and no grad on PyTorch when the layer makes no Keras weights (no `add_weight`,
 * `keras.Variable` or sublayer: its `tf.Variable`s are no PyTorch parameters). Checked by
 * running Keras 3.15 (examples/runnable/tf_variable_layer.py, claims/numpy_tf_variable_layer.py).
 */
function noteLayerClass(node: SyntaxNode, ctx: RuleContext): void {
  noteSubLayers(node, ctx);
  const name = child(node, 'name');
  const bases = child(node, 'superclasses');
  const body = child(node, 'body');
  const baseList = bases ? bases.children.filter(c => c.type !== 'comment') : [];
  if (!name || !body || baseList.length !== 1 || ctx.resolveKeras(baseList[0]) !== 'keras.layers.Layer') {
    return;
  }
  const tfVariables = new Set<string>();
  // The layer's own Keras variables (`self.total = self.add_weight(...)`): returned as they are, they
  // have `.numpy()` on every backend (keras.io's subclassing guide's ComputeSum; checked on Keras 3.15).
  const kerasVariables = new Set<string>();
  let weights = false;
  const methods = body.children.filter(c => c.type === 'function_definition' || (c.type === 'decorated_definition' && child(c, 'definition')?.type === 'function_definition'));
  for (const method of methods) {
    for (const n of ownNodes(method.type === 'decorated_definition' ? child(method, 'definition')! : method)) {
      if (n.type === 'call') {
        const fn = child(n, 'function');
        const keras = fn ? ctx.resolveKeras(fn) : null;
        const kind = fn ? ctx.kerasKindOfClass(fn) : null;
        const callee = fn ? calleeName(fn, ctx) : '';
        // A Keras weight or sublayer, or a class of the notebook's own (whatever it holds).
        if (/^(add_weight|add_variable)$/.test(callee) || /^keras\.(Variable|backend\.Variable|variables\.Variable)$/.test(keras ?? '') || kind === 'layer' || kind === 'model' || (fn?.type === 'identifier' && ctx.lookup(ctx.textOf(fn))?.kind === 'class')) {
          weights = true;
        }
      } else if (n.type === 'assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (left?.type === 'attribute' && ctx.textOf(child(left, 'object') ?? left) === 'self' && right?.type === 'call' && ctx.resolve(child(right, 'function') ?? right) === 'tensorflow.Variable') {
          tfVariables.add(ctx.textOf(child(left, 'attribute') ?? left));
        }
        const made = right?.type === 'call' ? child(right, 'function') : null;
        if (left?.type === 'attribute' && ctx.textOf(child(left, 'object') ?? left) === 'self' && made && (/^(add_weight|add_variable)$/.test(calleeName(made, ctx)) || /^keras\.(Variable|backend\.Variable|variables\.Variable)$/.test(ctx.resolveKeras(made) ?? ''))) {
          kerasVariables.add(ctx.textOf(child(left, 'attribute') ?? left));
        }
      }
    }
  }
  const call = methods.map(m => (m.type === 'decorated_definition' ? child(m, 'definition')! : m)).find(m => ctx.textOf(child(m, 'name') ?? m) === 'call');
  const returns = call ? [...ownNodes(call)].filter(n => n.type === 'return_statement') : [];
  const cls = ctx.textOf(name);
  const ownKerasVariable = (n: SyntaxNode): boolean =>
    n.type === 'attribute' && ctx.textOf(child(n, 'object') ?? n) === 'self' && kerasVariables.has(ctx.textOf(child(n, 'attribute') ?? n));
  if (returns.length && returns.every(r => r.children.length === 1 && (isTfValue(r.children[0], tfVariables, ctx) || ownKerasVariable(r.children[0])))) {
    ctx.note(TF_OUTPUT + cls);
  }
  if (!weights) {
    ctx.note(WEIGHTLESS + cls);
  }
}

/** Facts a Keras model class of the notebook gives the attributes holding its parts (`model-part:gen_G`). */
const MODEL_PART = 'model-part:';

/**
 * Notes the attributes a Keras model class of the notebook sets in `__init__()` to a layer or
 * model (made there, or handed in as an argument the class trains or calls with `training=`:
 * keras.io CycleGAN's `self.gen_G = generator_G`)
 * and defines no method of that name: `model.gen_G(x)` (`self.model.gen_G(x)` in a callback) is a
 * sub-model's output, a tensor that requires grad on PyTorch and a JAX array on JAX.
 */
function noteSubLayers(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const body = child(node, 'body');
  const bases = child(node, 'superclasses');
  if (!name || !body || !bases?.children.some(b => ctx.kerasKindOfClass(b) === 'model')) {
    return;
  }
  const defs = body.children.map(c => (c.type === 'decorated_definition' ? child(c, 'definition') : c)).filter((d): d is SyntaxNode => d?.type === 'function_definition');
  const methods = new Set(defs.map(d => ctx.textOf(child(d, 'name') ?? d)));
  const init = defs.find(d => ctx.textOf(child(d, 'name') ?? d) === '__init__');
  const params = new Set((child(init ?? node, 'parameters')?.children ?? []).filter(p => p.type === 'identifier').map(p => ctx.textOf(p)));
  const initBody = init ? child(init, 'body') : null;
  for (const stmt of initBody?.children ?? []) {
    const e = stmt.type === 'expression_statement' ? stmt.children[0] : null;
    const left = e?.type === 'assignment' ? child(e, 'left') : null;
    const right = e ? child(e, 'right') : null;
    if (left?.type !== 'attribute' || !right || ctx.textOf(child(left, 'object') ?? left) !== 'self') {
      continue;
    }
    const attr = ctx.textOf(child(left, 'attribute') ?? left);
    const fn = right.type === 'call' ? child(right, 'function') : null;
    const kind = fn ? ctx.kerasKindOfClass(fn) : null;
    // An argument is a part when the class treats it as one: trains it or calls it with `training=`.
    const esc = attr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const used = new RegExp(`\\bself\\.${esc}\\.(trainable_|non_trainable_)?(variables|weights)\\b|\\bself\\.${esc}\\([^()]*(\\([^()]*\\)[^()]*)*\\btraining\\s*=`).test(ctx.textOf(body));
    const argument = right.type === 'identifier' && params.has(ctx.textOf(right)) && ctx.textOf(right) !== 'self';
    const part = (argument && used) || kind === 'layer' || kind === 'model';
    if (part && !methods.has(attr)) {
      ctx.note(MODEL_PART + attr);
    }
  }
}

/** The part of a model a call runs (`gen_G` in `model.gen_G(x)`, `self.model.gen_G(x)` in a callback), or null. */
function modelPartCalled(call: SyntaxNode, ctx: RuleContext): string | null {
  const fn = call.type === 'call' ? child(call, 'function') : null;
  const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
  const attr = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  if (!object || !attr || KERAS_METHODS.test(ctx.textOf(attr))) {
    return null;
  }
  if (object.type === 'identifier') {
    // An instance of a Keras model class of the notebook (`cycle_gan_model = CycleGan(...)`).
    const made = lastAssignedValue(ctx.textOf(object), object, ctx);
    const cls = made?.type === 'call' ? child(made, 'function') : null;
    const bound = cls?.type === 'identifier' ? ctx.lookup(ctx.textOf(cls)) : undefined;
    return bound?.kind === 'class' && bound.keras === 'model' ? ctx.textOf(attr) : null;
  }
  // `self.model` in a keras.callbacks.Callback subclass is the model being trained.
  return inKerasCallback(ctx) && ctx.textOf(object).replace(/\s+/g, '') === 'self.model' ? ctx.textOf(attr) : null;
}

/** Facts a module-level function of the notebook gives its calls (`function:backend-tensor:weighted_bce`). */
const FUNCTION_TENSOR = 'function:backend-tensor:';

/**
 * Whether `node`, returned by the module-level function `fn`, is an eager backend tensor, or
 * arithmetic with one (`per_sample_loss(y, p) * weights`): also the call of a loss or metric
 * object the module assigned before the function (`per_sample_loss = keras.losses.X(...)`).
 */
function isBackendValue(node: SyntaxNode, fn: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 4) {
    return false;
  }
  if (node.type === 'parenthesized_expression' || node.type === 'binary_operator' || node.type === 'unary_operator') {
    return node.children.some(c => isBackendValue(c, fn, ctx, depth + 1));
  }
  // `return rgb, depth_map`: what a caller unpacks or subscripts is one of them (each must be one).
  if (node.type === 'tuple' || node.type === 'expression_list') {
    return node.children.length > 0 && node.children.every(c => isBackendValue(c, fn, ctx, depth + 1));
  }
  if (isEagerBackendTensor(node, ctx)) {
    return true;
  }
  if (node.type === 'identifier') {
    // A name the function binds in branches (`if rand: depth = ... else: depth = ...`): each binding one.
    const name = ctx.textOf(node);
    const bindings = [...ownNodes(child(fn, 'body') ?? fn)].filter(n => /^(assignment|augmented_assignment|for_statement|for_in_clause|with_item|named_expression)$/.test(n.type) && identifiersIn(child(n, 'left') ?? n).some(i => ctx.textOf(i) === name));
    return bindings.length > 0 && bindings.every(b => b.type === 'assignment' && child(b, 'left')?.type === 'identifier' && isEagerBackendTensor(child(b, 'right') ?? b, ctx, false, false));
  }
  const callee = node.type === 'call' ? child(node, 'function') : null;
  if (callee?.type !== 'identifier' || !fn.parent || lastAssignedValue(ctx.textOf(callee), node, ctx)) {
    return false;
  }
  const instance = assignedBefore(fn.parent.type === 'module' ? fn.parent : fn.parent.parent!, ctx.textOf(callee), fn, ctx);
  const cls = instance?.type === 'call' ? child(instance, 'function') : null;
  return !!cls && ctx.kerasKindOfClass(cls) === 'component';
}

/**
 * Notes a module-level function of the notebook (or one nested in a plain function such as `main()`) that returns a backend tensor Keras computed (a
 * loss object's, a model's or a keras.ops function's value, or arithmetic with one): calling it
 * on concrete data gives a JAX array on JAX, which has no `.numpy()` (a weighted-loss helper
 * printed with `.numpy()`, examples/runnable/custom_loss_metric_classes.py).
 */
function noteFunction(node: SyntaxNode, ctx: RuleContext): void {
  const holder = node.parent?.type === 'decorated_definition' ? node.parent : node;
  const name = child(node, 'name');
  const body = child(node, 'body');
  if (name && body && holder.parent?.type === 'block' && holder.parent.parent?.type === 'class_definition') {
    noteModelMethod(ctx.textOf(name), body, ctx);
    return;
  }
  if (!name || !body || !definedInPlainFunctionsFromModule(holder)) {
    return;
  }
  const returns = [...ownNodes(body)].filter(n => n.type === 'return_statement');
  if (returns.some(r => r.children.length === 1 && isBackendValue(r.children[0], node, ctx))) {
    // A nested helper's fact names its enclosing function too: another function's local, or a
    // module-level function of the same name, is not it.
    const outer = holder.parent?.type === 'module' ? null : holder.parent?.parent;
    const enclosing = outer ? child(outer, 'name') : null;
    ctx.note(FUNCTION_TENSOR + (enclosing ? `${ctx.textOf(enclosing)}.` : '') + ctx.textOf(name));
  }
}

/** Facts a method of a Keras model or layer class of the notebook gives its calls (`model-method:backend-tensor:generate`). */
const METHOD_TENSOR = 'model-method:backend-tensor:';

/** Methods Keras calls or defines itself: their results are not what a user's helper method returns. */
// Keras's own getters only (`get_weights`, `get_layer`, ...): a user's `get_code_indices` (keras.io VQ-VAE's quantizer) is a helper.
const KERAS_METHODS = /^(__\w+__|call|build|compute_\w+|get_config|from_config|train_step|test_step|predict_step|fit|evaluate|predict|predict_on_batch|test_on_batch|train_on_batch|get_(config|weights|layer|build_config|compile_config|metrics_result|vocabulary|input_at|output_at|input_shape_at|output_shape_at|input_mask_at|output_mask_at|state_tree|losses_for|updates_for)|summary|save\w*|load\w*|to_json)$/;

/** Whether a value a method returns is a backend tensor Keras computed: a layer's, a keras.ops function's, arithmetic of those, through the names assigned in the method. */
function isKerasValue(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  if (node.type === 'parenthesized_expression' || node.type === 'binary_operator' || node.type === 'unary_operator') {
    return node.children.some(c => isKerasValue(c, ctx, depth + 1));
  }
  if (node.type === 'call') {
    return isEagerBackendTensor(node, ctx, false, false);
  }
  if (node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx, true);
    return !!value && value !== node && isKerasValue(value, ctx, depth + 1);
  }
  return false;
}

/**
 * Notes a method of a Keras model or layer class (not one Keras calls itself: a helper such as
 * keras.io's `generate()` for greedy decoding) that returns a backend tensor Keras computed:
 * `model.generate(x).numpy()` in a callback then fails on JAX.
 */
function noteModelMethod(name: string, body: SyntaxNode, ctx: RuleContext): void {
  if (KERAS_METHODS.test(name) || (ctx.cls?.keras !== 'model' && ctx.cls?.keras !== 'layer')) {
    return;
  }
  const returns = [...ownNodes(body)].filter(n => n.type === 'return_statement');
  if (returns.length && returns.every(r => r.children.length === 1 && isKerasValue(r.children[0], ctx))) {
    ctx.note(METHOD_TENSOR + name);
  }
}

/** The method whose call gives `receiver` (`model.generate(x)`, or `y` assigned one in the same block), unless Keras defines it. */
function methodCalled(receiver: SyntaxNode, ctx: RuleContext): string | null {
  const call = receiver.type === 'identifier' ? lastAssignedValue(ctx.textOf(receiver), receiver, ctx) : receiver;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  const method = fn?.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : null;
  return method && !KERAS_METHODS.test(method) && !ctx.resolve(fn!) ? method : null;
}

/**
 * The notebook function whose call gives `receiver` (`f(x)`, `f(x)[0]`, or `y`
 * assigned `f(x)` in the same block, also by unpacking: `rgb, depth = render(...)`).
 */
function functionCalled(receiver: SyntaxNode, ctx: RuleContext): string | null {
  const base = subscriptBase(receiver);
  const call = base.type === 'identifier' ? lastAssignedValue(ctx.textOf(base), base, ctx, true) : base;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  if (fn?.type !== 'identifier' || ctx.isSymbolic(call!)) {
    return null;
  }
  const name = ctx.textOf(fn);
  const binding = ctx.lookup(name);
  // A notebook function leaves no binding of its own kind: anything Keras or imported is something else.
  if (binding && binding.kind !== 'value') {
    return null;
  }
  // A helper nested in the enclosing plain function (a script's `main()`), called there or in a
  // class or function nested in it: its fact names that function (noteFunction).
  const outer = ctx.functionBinding(name);
  return outer ? `${outer.name}.${name}` : name;
}

/** The notebook class of the layer whose call gives `receiver` (`s(x)`, `ComputeSum(3)(x)`, `y` assigned one), when it can be seen here. */
function layerClassOf(receiver: SyntaxNode, ctx: RuleContext): string | null {
  const call = receiver.type === 'identifier' ? lastAssignedValue(ctx.textOf(receiver), receiver, ctx) : receiver;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  const instance = fn?.type === 'identifier' ? lastAssignedValue(ctx.textOf(fn), fn, ctx) : fn;
  const cls = instance?.type === 'call' ? child(instance, 'function') : null;
  return cls?.type === 'identifier' && ctx.lookup(ctx.textOf(cls))?.kind === 'class' ? ctx.textOf(cls) : null;
}

/**
 * `model(x, training=True)`, directly or through a name assigned in the same block: a call with a
 * `training=` argument is a Keras model or layer call (the TensorFlow pix2pix tutorial's
 * `generate_images(model, ...)`, whose `model` is a parameter), its output a tensor that requires
 * grad on PyTorch and a JAX array on JAX.
 */
function trainingCallOutput(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' && !ctx.isSymbolic(node) ? lastAssignedValue(ctx.textOf(node), node, ctx, true) : node;
  const parts = value?.type === 'call' ? callParts(value, ctx) : null;
  return !!parts && parts.keywords.has('training') && !tfApiName(ctx.resolve(parts.fn)) && !ctx.isSymbolic(value!);
}

/** Strips subscripts: `prediction[0]` -> `prediction`. */
function subscriptBase(node: SyntaxNode): SyntaxNode {
  let base = node;
  while (base.type === 'subscript' && child(base, 'value')) {
    base = child(base, 'value')!;
  }
  return base;
}

/**
 * `v` of `for k, v in out.items()` or `for v in out.values()` where `out` is the eager dict output of
 * a layer (a FeatureSpace with `output_mode="dict"`: keras.io's FeatureSpace advanced example prints
 * `[{k: v.numpy()} for k, v in preprocessed_x.items()]`): each value is a backend tensor.
 */
function dictValueOf(name: SyntaxNode, left: SyntaxNode, right: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  right = unwrapOrdering(right, ctx);
  const fn = right.type === 'call' && itemsOf(child(right, 'arguments') ?? right).length === 0 ? child(right, 'function') : null;
  const method = fn?.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : null;
  const owner = fn?.type === 'attribute' ? child(fn, 'object') : null;
  if (!owner || (method !== 'items' && method !== 'values')) {
    return null;
  }
  const names = method === 'items' && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? itemsOf(left) : [left];
  const value = method === 'items' ? names[1] : names[0];
  if (names.length !== (method === 'items' ? 2 : 1) || !value || value.type !== 'identifier' || ctx.textOf(value) !== ctx.textOf(name)) {
    return null;
  }
  // A dict of them inside another (`results["style"].items()`, a model returning nested dicts).
  return isEagerBackendTensor(owner, ctx) ? owner : owner.type === 'subscript' && isEagerBackendTensor(subscriptBase(owner), ctx) ? subscriptBase(owner) : null;
}

/** Builtins that hand on the items of an iterable in some order: `sorted(d.items())`, `list(outputs)`. */
const ORDERING = new Set(['sorted', 'list', 'tuple', 'reversed']);

/** The iterable inside `sorted(...)`, `list(...)`, `tuple(...)`, `reversed(...)` (builtins), else the node itself. */
function unwrapOrdering(node: SyntaxNode, ctx: RuleContext): SyntaxNode {
  for (let depth = 0; depth < 4 && node.type === 'call'; depth++) {
    const fn = child(node, 'function');
    const args = itemsOf(child(node, 'arguments') ?? node);
    if (!fn || fn.type !== 'identifier' || !ORDERING.has(ctx.textOf(fn)) || ctx.lookup(ctx.textOf(fn)) !== undefined || args.length < 1 || args[0].type === 'keyword_argument') {
      break;
    }
    node = args[0];
  }
  return node;
}

/**
 * The iterable whose items `name` takes in a loop or comprehension clause: the right side for
 * `for name in X`, the matching argument of `zip(A, B)` for `for a, name in zip(A, B)`, `X` of
 * `enumerate(X)` for `for i, name in enumerate(X)` (through `sorted`/`list`/... around them); null otherwise.
 */
function iterableOf(name: SyntaxNode, left: SyntaxNode, right: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  right = unwrapOrdering(right, ctx);
  if (left.type === 'identifier') {
    return ctx.textOf(left) === ctx.textOf(name) ? right : null;
  }
  if (left.type !== 'pattern_list' && left.type !== 'tuple_pattern') {
    return null;
  }
  const names = itemsOf(left);
  const index = names.findIndex(n => n.type === 'identifier' && ctx.textOf(n) === ctx.textOf(name));
  const fn = right.type === 'call' ? child(right, 'function') : null;
  const callee = fn?.type === 'identifier' && ctx.lookup(ctx.textOf(fn)) === undefined ? ctx.textOf(fn) : null;
  const args = right.type === 'call' ? itemsOf(child(right, 'arguments') ?? right).filter(a => a.type !== 'keyword_argument') : [];
  if (index < 0 || (callee !== 'zip' && callee !== 'enumerate')) {
    return null;
  }
  if (callee === 'zip') {
    return args.length === names.length ? unwrapOrdering(args[index], ctx) : null;
  }
  return index === 1 && names.length === 2 && args.length >= 1 ? unwrapOrdering(args[0], ctx) : null;
}

/** The `for` loops and comprehension `for` clauses around a node, innermost first, up to its function. */
function enclosingForClauses(node: SyntaxNode): SyntaxNode[] {
  const clauses: SyntaxNode[] = [];
  for (let p = node.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    if (p.type === 'for_statement') {
      clauses.push(p);
    } else if (/comprehension|generator_expression/.test(p.type)) {
      clauses.push(...p.children.filter(c => c.type === 'for_in_clause'));
    }
  }
  return clauses;
}

/** The dict of backend tensors whose values a name is drawn from in the comprehension or loop around it (see dictValueOf), or null. */
function dictOfBackendTensors(name: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (name.type !== 'identifier') {
    return null;
  }
  for (const clause of enclosingForClauses(name)) {
    const left = child(clause, 'left');
    const right = child(clause, 'right');
    const owner = left && right ? dictValueOf(name, left, right, ctx) : null;
    if (owner) {
      return owner;
    }
  }
  return null;
}

/**
 * `image` of `[image.numpy() for image in display_list]` (or a for loop) where `display_list` is a
 * list or tuple assigned in the same block holding a model output (or a subscript of one).
 */
function iteratesOverModelOutputs(name: SyntaxNode, ctx: RuleContext): boolean {
  if (name.type !== 'identifier') {
    return false;
  }
  for (const clause of enclosingForClauses(name)) {
    const left = child(clause, 'left');
    const right = child(clause, 'right');
    const iterable = left && right ? iterableOf(name, left, right, ctx) : null;
    if (!iterable) {
      continue;
    }
    // The outputs of a model with several outputs (a list of tensors, or one of them: `outputs["style"]`).
    if (isEagerBackendTensor(subscriptBase(iterable), ctx) || trainingCallOutput(subscriptBase(iterable), ctx)) {
      return true;
    }
    if (iterable.type !== 'identifier') {
      return false;
    }
    const items = lastAssignedValue(ctx.textOf(iterable), iterable, ctx, true);
    if (!items || (items.type !== 'list' && items.type !== 'tuple')) {
      return false;
    }
    return items.children.some(item => {
      const base = subscriptBase(item);
      return isEagerBackendTensor(base, ctx) || trainingCallOutput(base, ctx);
    });
  }
  return false;
}

/**
 * The call a name's value comes from through arithmetic with numbers: `g` last bound to
 * `(g * 127.5) + 127.5`, where that `g` is bound to `self.model.generator(z)`, gives the call.
 * Null when the name is bound to a call directly (the other checks see it) or to anything else.
 */
function arithmeticOrigin(name: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (name.type !== 'identifier' || ctx.isSymbolic(name)) {
    return null;
  }
  const value = lastAssignedValue(ctx.textOf(name), name, ctx, true);
  if (!value || !['binary_operator', 'parenthesized_expression', 'unary_operator'].includes(value.type)) {
    return null;
  }
  const origin = (node: SyntaxNode, depth: number): SyntaxNode | null => {
    if (depth > 6) {
      return null;
    }
    switch (node.type) {
      case 'call':
        return node;
      case 'identifier': {
        if (ctx.isSymbolic(node)) {
          return null;
        }
        const bound = lastAssignedValue(ctx.textOf(node), node, ctx, true);
        return bound && bound !== node ? origin(bound, depth + 1) : null;
      }
      case 'parenthesized_expression':
      case 'unary_operator':
      case 'binary_operator': {
        // Each operand a number or one value of a call (`(g - mean) / std` of two tensors: not followed).
        const operands = node.children.filter(c => !['(', ')', 'comment'].includes(c.type) && c !== child(node, 'operator'));
        const values = operands.filter(c => c.type !== 'integer' && c.type !== 'float' && !/^[-+*/%@]+$/.test(ctx.textOf(c)));
        return values.length === 1 ? origin(values[0], depth + 1) : null;
      }
      default:
        return null;
    }
  };
  return origin(value, 0);
}

const TORCH_MESSAGE =
  '`.numpy()` on what a Keras model or layer computed works only on TensorFlow: a JAX array has no `.numpy()` and on PyTorch that tensor requires grad, which `.numpy()` refuses. `keras.ops.convert_to_numpy()` works on every backend.';
const JAX_MESSAGE =
  '`.numpy()` on a Keras result (a `keras.ops`, `keras.random`, loss or metric value, or a layer without weights) fails on JAX (a JAX array has no `.numpy()`; PyTorch runs it on the CPU, not on a GPU tensor). `keras.ops.convert_to_numpy()` works on every backend.';

/** Reports `.numpy()` on `receiver` with the fix, on JAX and (when it requires grad) PyTorch. */
function report(node: SyntaxNode, receiver: SyntaxNode, onTorch: boolean, ctx: RuleContext, onlyIf?: string): void {
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(receiver)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const fix = { title: 'Use `keras.ops.convert_to_numpy(...)`', safe: true, edits };
  ctx.report(node, onTorch ? TORCH_MESSAGE : JAX_MESSAGE, fix, undefined, onlyIf, onTorch ? ['jax', 'torch'] : ['jax']);
}

/**
 * The value of a module-level name a function or method reads but the module assigns only after the
 * `def` (keras.io masked language modeling: a callback's `on_epoch_end` reads `sample_tokens`, set
 * below the class; Python looks it up when the method runs, after that assignment). Only a name the
 * function does not bind and the module binds once, by `name = value`. Else null.
 */
function laterModuleValue(name: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const def = enclosingFunctionDefinition(name);
  const module = rootOf(name);
  if (!def || module.type !== 'module' || localNamesOf(def, ctx).has(ctx.textOf(name))) {
    return null;
  }
  let value: SyntaxNode | null = null;
  let bindings = 0;
  for (const statement of module.children) {
    const node = statement.type === 'expression_statement' ? statement.children[0] : statement;
    const left = node && (node.type === 'assignment' || node.type === 'augmented_assignment') ? child(node, 'left') : node?.type === 'for_statement' ? child(node, 'left') : null;
    if (!left || !identifiersIn(left).some(i => ctx.textOf(i) === ctx.textOf(name))) {
      continue;
    }
    bindings += 1;
    value = node!.type === 'assignment' && left.type === 'identifier' && statement.start > def.end ? child(node!, 'right') : null;
  }
  return bindings === 1 ? value : null;
}

/** A layer's trainable weights, which Keras 3 keeps as variables: reading part of one gives a backend tensor. */
const TRAINABLE_WEIGHTS = /^(kernel|bias|embeddings|recurrent_kernel|gamma|beta|depthwise_kernel|pointwise_kernel)$/;

/**
 * `.numpy()` read from a layer's weights through an operation: `dense.kernel[:, 0]` or
 * `(dense.kernel * 2.0)` is a backend tensor (the variable itself has `.numpy()` on every backend),
 * requiring grad on PyTorch; `normalizer.mean` of an adapted `Normalization` is a backend tensor
 * already, without grad (TensorFlow's time-series and regression tutorials; checked on Keras 3.15).
 * The backends it fails on, else null.
 */
function layerWeightRead(receiver: SyntaxNode, ctx: RuleContext): Backend[] | null {
  let base = receiver;
  let operated = false;
  for (let depth = 0; depth < 8; depth++) {
    if (base.type === 'subscript' && child(base, 'value')) {
      base = child(base, 'value')!;
      operated = true;
    } else if (base.type === 'parenthesized_expression' && base.children.length === 1) {
      base = base.children[0];
    } else if (base.type === 'binary_operator') {
      const operands = [child(base, 'left'), child(base, 'right')].filter((o): o is SyntaxNode => !!o);
      const values = operands.filter(o => o.type !== 'integer' && o.type !== 'float');
      if (values.length !== 1) {
        return null;
      }
      base = values[0];
      operated = true;
    } else {
      break;
    }
  }
  const attr = base.type === 'attribute' ? child(base, 'attribute') : null;
  const owner = base.type === 'attribute' ? child(base, 'object') : null;
  if (!attr || !owner) {
    return null;
  }
  const name = ctx.textOf(attr);
  if (name === 'mean' || name === 'variance') {
    return /(?:^|\.)Normalization$/.test(kerasLayerClassOf(owner, ctx) ?? '') ? ['jax'] : null;
  }
  return operated && TRAINABLE_WEIGHTS.test(name) && (isModelLayerLookup(owner, ctx) || ctx.isLayerInstance(owner)) ? ['jax', 'torch'] : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'numpy') {
    return;
  }
  if (parts.positional.length || parts.keywords.size || parts.splat) {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver) {
    return;
  }
  const weightRead = layerWeightRead(receiver, ctx);
  if (weightRead) {
    report(node, receiver, weightRead.includes('torch'), ctx);
    return;
  }
  // `model(x)[0].numpy()`: a subscript of a backend tensor is one.
  let base = receiver;
  while (base.type === 'subscript' && child(base, 'value')) {
    base = child(base, 'value')!;
  }
  if (base !== receiver && isEagerBackendTensor(base, ctx)) {
    report(node, receiver, requiresGradOnTorch(base, ctx), ctx);
    return;
  }
  // A module-level name assigned only below the function reading it: its value when the function runs.
  const later = base.type === 'identifier' && !lastAssignedValue(ctx.textOf(base), base, ctx, true) ? laterModuleValue(base, ctx) : null;
  if (later && isEagerBackendTensor(later, ctx)) {
    report(node, receiver, requiresGradOnTorch(later, ctx), ctx);
    return;
  }
  // `g = (g * 127.5) + 127.5` after `g = self.model.generator(z)` (keras.io WGAN-GP's GANMonitor),
  // then `g[i].numpy()`: arithmetic of a backend tensor with numbers is one too.
  const origin = arithmeticOrigin(base, ctx);
  if (origin) {
    if (isEagerBackendTensor(origin, ctx)) {
      // Arithmetic with numbers keeps a tensor's grad: the call it comes from tells.
      report(node, receiver, requiresGradOnTorch(origin, ctx), ctx);
      return;
    }
    const originPart = modelPartCalled(origin, ctx);
    if (originPart) {
      report(node, receiver, true, ctx, `anywhere:${MODEL_PART}${originPart}`);
      return;
    }
  }
  const part = isEagerBackendTensor(base, ctx) ? null : modelPartCalled(base, ctx);
  if (part) {
    // What the attribute holds was seen where the model class is defined (any cell): a layer or model.
    report(node, receiver, true, ctx, `anywhere:${MODEL_PART}${part}`);
    return;
  }
  // A value of a dict of backend tensors (a FeatureSpace's dict output) drawn with `.items()`/`.values()`: grad as its owner's.
  const dict = isEagerBackendTensor(base, ctx) ? null : dictOfBackendTensors(base, ctx);
  if (dict) {
    report(node, receiver, requiresGradOnTorch(dict, ctx), ctx);
    return;
  }
  // A call with `training=` (a model held in a parameter) or an element of a list of model outputs.
  if (!isEagerBackendTensor(base, ctx) && (trainingCallOutput(base, ctx) || iteratesOverModelOutputs(base, ctx))) {
    report(node, receiver, true, ctx);
    return;
  }
  const helper = isEagerBackendTensor(receiver, ctx) ? null : functionCalled(receiver, ctx);
  // `images[i].numpy()` after `images = self.generate(n)`: the subscript of a method's value too.
  const method = helper || isEagerBackendTensor(receiver, ctx) ? null : (methodCalled(receiver, ctx) ?? (base !== receiver ? methodCalled(base, ctx) : null));
  if (!helper && !method && !isEagerBackendTensor(receiver, ctx)) {
    return;
  }
  // JAX arrays have no `.numpy()`; a PyTorch tensor refuses it only when it requires grad.
  const onTorch = requiresGradOnTorch(receiver, ctx);
  if (method) {
    // What the method returns was seen where its class is defined (any cell); PyTorch converts it unless it requires grad
    // (an own method of the class that runs the model's layers: `self.generate(n)` in an eager `plot_images()`).
    report(node, receiver, onTorch, ctx, `anywhere:${METHOD_TENSOR}${method}`);
    return;
  }
  if (helper) {
    // What the function returns was seen where it is defined (any cell); PyTorch converts it unless a model computed it.
    report(node, receiver, false, ctx, `anywhere:${FUNCTION_TENSOR}${helper}`);
    return;
  }
  // A layer class of the notebook: what its output is depends on its class (noted where it is defined).
  const cls = onTorch ? layerClassOf(receiver, ctx) : null;
  if (cls) {
    // A TF tensor (a TF op's result, a tf.Variable) or the layer's own Keras variable has `.numpy()` on every backend: nothing to report.
    const tfOutput = `anywhere:${TF_OUTPUT}${cls}`;
    const weightless = `anywhere:${WEIGHTLESS}${cls}`;
    report(node, receiver, true, ctx, `!${tfOutput} & !${weightless}`);
    report(node, receiver, false, ctx, `!${tfOutput} & ${weightless}`);
    return;
  }
  report(node, receiver, onTorch, ctx);
}

export const tensorNumpyMethod: RuleDefinition = {
  code: 'KM186',
  name: 'tensor-numpy-method',
  slug: 'keras-ops',
  severity: 'warning',
  /**
   * AttributeError on JAX; on PyTorch a RuntimeError ("Can't call numpy() on Tensor that requires grad")
   * only for a model or layer output (or a value computed from one): each finding says which.
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `.numpy()` on a backend tensor Keras returns: the output of calling a Keras model or layer (`model(x).numpy()`), a loss or metric object or its `result()`, a `keras.ops`, `keras.random`, loss or metric function, directly or through a name assigned in the same block (also one rebound to arithmetic of such a value with numbers: keras.io WGAN-GP\'s `images = (images * 127.5) + 127.5`), or the value of a module-level function of the notebook that returns one (`weighted_loss(y, p).numpy()` where the function returns a loss object\'s value times weights); also a subscript of such a value (`model(x)[0].numpy()`) and the output of a part of a notebook model called through the model (`cycle_gan_model.gen_G(x)`, `self.model.gen_G(x)` in a callback: an attribute the class sets in `__init__()` to a layer or model, or to an argument it trains or calls with `training=`); the output of a call with a `training=` argument (a model held in a parameter: `prediction = model(x, training=True)`), the items of a list holding such outputs iterated in a comprehension or loop (the TensorFlow pix2pix tutorial\'s `[image.numpy() for image in display_list]`), and the values of a dict of such outputs drawn with `.items()` or `.values()` (a FeatureSpace called eagerly with `output_mode="dict"`: keras.io\'s `[{k: v.numpy()} for k, v in preprocessed_x.items()]`; a FeatureSpace is a layer without weights, so PyTorch converts its output and only JAX is claimed). Not a `StringLookup` called on a TensorFlow tensor (`lookup(tf.ragged.constant(terms)).numpy()`, keras.io multi-label classification): Keras 3 hands that one back as a TensorFlow tensor on every backend.',
    why: 'The output of a model call (and of a loss, metric or `keras.ops` function) is the backend\'s tensor. TensorFlow tensors have `.numpy()`; JAX arrays do not (AttributeError), and PyTorch refuses it on a tensor that requires grad (RuntimeError): the output of a layer with Keras weights, not that of a layer without any (whose `tf.Variable`s are no PyTorch parameters). The output of a layer class whose `call()` returns TensorFlow values (a TF op\'s result, a `tf.Variable`) is a TensorFlow tensor on every backend, where `.numpy()` runs: not flagged. `keras.ops.convert_to_numpy()` gives the same NumPy array on every backend, so the rewrite is safe.',
    example: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(model(np.ones((1, 2))).numpy())',
    useInstead: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(keras.ops.convert_to_numpy(model(np.ones((1, 2)))))'
  },
  calls: { names: ['numpy'] },
  visitors: { call: visit, class_definition: noteLayerClass, function_definition: noteFunction }
};
