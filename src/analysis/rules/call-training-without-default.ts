import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParameters, callParts, constructorsOfCallee, enclosingClass, nodesOfType, rootOf } from '../rule-helpers';

/** Parameter kinds that may follow a defaulted one. */
const MAY_FOLLOW_DEFAULT = new Set(['default_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator']);

/** `def call(self, inputs, training)` in a Keras layer or model class. */
function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const cls = ctx.cls;
  if (!name || ctx.textOf(name) !== 'call' || !cls || (cls.keras !== 'layer' && cls.keras !== 'model')) {
    return;
  }
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const parameters = child(node, 'parameters');
  if (!parameters) {
    return;
  }
  const list = itemsOf(parameters);
  let keywordOnly = false;
  list.forEach((parameter, index) => {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator') {
      keywordOnly = true;
    }
    const isPlain = parameter.type === 'identifier' && ctx.textOf(parameter) === 'training';
    const typedName = parameter.type === 'typed_parameter' ? parameter.children.find(c => c.type === 'identifier') : undefined;
    const isTyped = !!typedName && ctx.textOf(typedName) === 'training';
    if (!isPlain && !isTyped) {
      return;
    }
    // A default is only valid when every later positional parameter has one too (or the
    // parameter is keyword-only, after `*`).
    const fixable = keywordOnly || list.slice(index + 1).every(p => MAY_FOLLOW_DEFAULT.has(p.type));
    ctx.report(
      parameter,
      `\`${cls.name}.call()\` requires \`training\`; Keras 3 passes it only when it has a value (not while building a Functional model, nor in predict), so a call of this layer without it raises "missing a required argument: 'training'" on every backend. Keras 2 always passed it.`,
      fixable ? { title: 'Default it: `training=None`', safe: true, edits: [{ start: parameter.end, end: parameter.end, text: isTyped ? ' = None' : '=None' }] } : null,
      undefined,
      undefined,
      undefined,
      // It fails only where an instance is called without `training` (or may be: untraced instances).
      { tensorflow: omitted(cls.name), jax: omitted(cls.name), torch: omitted(cls.name) }
    );
  });
}

/** Noted where a layer or model made in an earlier cell is called without `training`: its class is not known there. */
const UNRESOLVED_CALL = 'training-omitted-unresolved';

/**
 * The class's instances may be called without `training`: a call seen to omit it, or, in a later cell,
 * a call of an instance made elsewhere (`model = Net()` only trained in its cell, `model(x)` later).
 */
function omitted(className: string): string {
  return `anywhere:training-omitted:${className} | later:${UNRESOLVED_CALL}`;
}

/**
 * `self.<attr>` is only called in its class (`self.block(...)`, `self.blocks[i](...)`, `for b in
 * self.blocks: b(...)`), so every call of the instances it holds is seen by visitCall.
 */
function onlyCalledInClass(cls: SyntaxNode, attr: string, ctx: RuleContext): boolean {
  for (const a of nodesOfType(cls, 'attribute')) {
    const object = child(a, 'object');
    const name = child(a, 'attribute');
    if (!object || !name || object.type !== 'identifier' || ctx.textOf(object) !== 'self' || ctx.textOf(name) !== attr) {
      continue;
    }
    const parent = a.parent;
    if (!parent) {
      return false;
    }
    // `self.augmenter.trainable = False`, `self.augmenter.update(...)` (keras.io GAN-ADA): the layer is not called there.
    if (readsAttribute(a, ctx)) {
      continue;
    }
    const assigned = parent.type === 'assignment' && a.field === 'left';
    const called = parent.type === 'call' && a.field === 'function';
    const indexedCall = parent.type === 'subscript' && a.field === 'value' && parent.parent?.type === 'call' && parent.field === 'function';
    const iterated = parent.type === 'for_statement' && a.field === 'right';
    if (!assigned && !called && !indexedCall && !iterated) {
      return false;
    }
    if (iterated) {
      // the loop variable must only be called in the loop
      const left = child(parent, 'left');
      const body = child(parent, 'body');
      if (!left || left.type !== 'identifier' || !body) {
        return false;
      }
      const loopVar = ctx.textOf(left);
      for (const id of nodesOfType(body, 'identifier')) {
        if (ctx.textOf(id) === loopVar && !(id.parent?.type === 'call' && id.field === 'function')) {
          return false;
        }
      }
    }
  }
  return true;
}

/**
 * Model methods that never call the model without `training`: Keras 3's fit/evaluate/predict steps
 * pass it (checked on TF, JAX and PyTorch), the others do not call the model at all.
 */
const TRAINER_USES = new Set([
  'compile', 'fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch', 'predict_on_batch', 'summary',
  'save', 'save_weights', 'load_weights', 'get_weights', 'set_weights', 'count_params', 'history', 'optimizer',
  'layers', 'weights', 'variables', 'trainable_weights', 'trainable_variables', 'metrics', 'stop_training'
]);

/**
 * `model = Net()` at notebook level whose name the cell uses only as `model.fit(...)`,
 * `model.predict(...)`, ... (or calls, which visitCall sees): Keras itself then always passes `training`.
 */
function onlyTrainedByKeras(construction: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = construction.parent;
  const left = assignment?.type === 'assignment' && construction.field === 'right' ? child(assignment, 'left') : null;
  if (!left || left.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(left);
  let root = construction;
  while (root.parent) {
    root = root.parent;
  }
  for (const id of nodesOfType(root, 'identifier')) {
    if (id === left || ctx.textOf(id) !== name) {
      continue;
    }
    const parent = id.parent;
    const called = parent?.type === 'call' && id.field === 'function';
    const method = parent?.type === 'attribute' && id.field === 'object' ? child(parent, 'attribute') : null;
    if (!called && !(method && TRAINER_USES.has(ctx.textOf(method)))) {
      return false;
    }
  }
  return true;
}

/** `self.<attr> = C(...)`, `self.<attr> = [C(...) for ...]` or `[C(...), ...]`: the attribute holding the new instance. */
function storedInSelfAttribute(construction: SyntaxNode, ctx: RuleContext): string | null {
  let n = construction;
  const parent = n.parent;
  if (parent && (parent.type === 'list' || (parent.type === 'list_comprehension' && parent.children[0] === n))) {
    n = parent;
  }
  const assignment = n.parent;
  if (!assignment || assignment.type !== 'assignment' || n.field !== 'right') {
    return null;
  }
  const left = child(assignment, 'left');
  const object = left?.type === 'attribute' ? child(left, 'object') : null;
  const attr = left?.type === 'attribute' ? child(left, 'attribute') : null;
  return object && attr && object.type === 'identifier' && ctx.textOf(object) === 'self' ? ctx.textOf(attr) : null;
}

/** Whether a call of an instance made by `ctor` passes `training` (by keyword, position or `**kwargs`). */
function passesTraining(call: SyntaxNode, ctor: SyntaxNode, ctx: RuleContext): boolean {
  const parts = callParts(call, ctx);
  if (!parts) {
    return false;
  }
  const params = callParameters(ctor, ctx);
  const at = params ? params.indexOf('training') : -1;
  return parts.splat || parts.keywords.has('training') || (at >= 0 && parts.positional.length > at);
}

/** `node.trainable_variables`, `node.trainable = False`: an attribute of the instance other than its `call`. */
function readsAttribute(node: SyntaxNode, ctx: RuleContext): boolean {
  const parent = node.parent;
  const name = parent?.type === 'attribute' && node.field === 'object' ? child(parent, 'attribute') : null;
  return !!name && !/^(call|__call__)$/.test(ctx.textOf(name));
}

/** Every `<anything>.<attr>` of the file is assigned or called with `training` (`caption_model.encoder(img, training=False)`). */
function attributeCallsPassTraining(root: SyntaxNode, attr: string, ctor: SyntaxNode, ctx: RuleContext): boolean {
  for (const a of nodesOfType(root, 'attribute')) {
    const name = child(a, 'attribute');
    if (!name || ctx.textOf(name) !== attr) {
      continue;
    }
    const parent = a.parent;
    const assigned = parent?.type === 'assignment' && a.field === 'left';
    const called = parent?.type === 'call' && a.field === 'function' && passesTraining(parent, ctor, ctx);
    if (!assigned && !called && !readsAttribute(a, ctx)) {
      return false;
    }
  }
  return true;
}

/** The attribute `__init__` of the class named `className` stores parameter `param` (or the `index`-th one) in: `self.encoder = encoder`. */
function attributeStoring(root: SyntaxNode, className: string, param: string | null, index: number, ctx: RuleContext): string | null {
  for (const cls of nodesOfType(root, 'class_definition')) {
    const name = child(cls, 'name');
    const body = child(cls, 'body');
    if (!name || !body || ctx.textOf(name) !== className) {
      continue;
    }
    for (const def of body.children) {
      const defName = def.type === 'function_definition' ? child(def, 'name') : null;
      if (!defName || ctx.textOf(defName) !== '__init__') {
        continue;
      }
      const params = itemsOf(child(def, 'parameters')!).map(p => (p.type === 'identifier' ? p : p.children.find(c => c.type === 'identifier')));
      const wanted = param ?? (params[index + 1] ? ctx.textOf(params[index + 1]!) : null);
      for (const statement of child(def, 'body')?.children ?? []) {
        const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
        const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
        const right = assignment?.type === 'assignment' ? child(assignment, 'right') : null;
        const object = left?.type === 'attribute' ? child(left, 'object') : null;
        if (object && right?.type === 'identifier' && ctx.textOf(object) === 'self' && ctx.textOf(right) === wanted) {
          return ctx.textOf(child(left!, 'attribute')!);
        }
      }
    }
  }
  return null;
}

/** `id` is in a function with a parameter of that name (`def __init__(self, encoder)`), or is that parameter. */
function shadowed(id: SyntaxNode, name: string, ctx: RuleContext): boolean {
  for (let p = id.parent; p; p = p.parent) {
    if (p.type === 'parameters' || p.type === 'lambda_parameters') {
      return true;
    }
    const params = p.type === 'function_definition' || p.type === 'lambda' ? child(p, 'parameters') : null;
    if (params && [...nodesOfType(params, 'identifier')].some(n => ctx.textOf(n) === name)) {
      return true;
    }
  }
  return false;
}

/**
 * `encoder = Block(...)` at the top of a file, then only called with `training` and handed to
 * constructors of its classes that keep it in `self.<attr>` (`Captioner(encoder=encoder)`, keras.io's
 * image captioning), every `.<attr>` of the file being called with `training` too.
 */
function handedOnWithTraining(construction: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = construction.parent;
  const left = assignment?.type === 'assignment' && construction.field === 'right' ? child(assignment, 'left') : null;
  if (!left || left.type !== 'identifier' || assignment!.parent?.parent?.type !== 'module') {
    return false;
  }
  const name = ctx.textOf(left);
  const root = rootOf(construction);
  for (const id of nodesOfType(root, 'identifier')) {
    if (id === left || ctx.textOf(id) !== name || id.field === 'attribute' || id.field === 'name' || shadowed(id, name, ctx)) {
      continue;
    }
    const parent = id.parent;
    if (readsAttribute(id, ctx)) {
      continue;
    }
    if (parent?.type === 'call' && id.field === 'function') {
      if (passesTraining(parent, construction, ctx)) {
        continue;
      }
      return false;
    }
    const keyword = parent?.type === 'keyword_argument' && id.field === 'value' ? parent : null;
    const args = keyword ? keyword.parent : parent;
    const call = args?.type === 'argument_list' ? args.parent : null;
    const fn = call?.type === 'call' ? child(call, 'function') : null;
    if (!fn || fn.type !== 'identifier' || (keyword && !child(keyword, 'name'))) {
      return false;
    }
    const position = keyword ? -1 : itemsOf(args!).indexOf(id);
    const attr = attributeStoring(root, ctx.textOf(fn), keyword ? ctx.textOf(child(keyword, 'name')!) : null, position, ctx);
    if (!attr || !attributeCallsPassTraining(root, attr, construction, ctx)) {
      return false;
    }
  }
  return true;
}

/**
 * Notes `training-omitted:<Class>` where a notebook layer class may be called without `training`:
 * a call of one of its instances that passes none, or an instance whose calls cannot all be seen.
 */
function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const fn = parts.fn;
  if (fn.type === 'identifier') {
    const binding = ctx.lookup(ctx.textOf(fn));
    if (binding && binding.kind === 'class' && (binding.keras === 'layer' || binding.keras === 'model')) {
      const attr = storedInSelfAttribute(node, ctx);
      const cls = enclosingClass(node);
      if (cls === null && ctx.fn === null && onlyTrainedByKeras(node, ctx)) {
        return;
      }
      const seen = attr !== null && cls !== null ? onlyCalledInClass(cls, attr, ctx) : attr === null && handedOnWithTraining(node, ctx);
      if (!seen) {
        ctx.note('training-omitted:' + ctx.textOf(fn));
      }
      return;
    }
  }
  const ctors = constructorsOfCallee(fn, ctx);
  if ((ctors === null || ctors.length === 0) && fn.type === 'identifier' && ctx.isLayerInstance(fn) && !parts.splat && !parts.keywords.has('training')) {
    ctx.note(UNRESOLVED_CALL);
  }
  for (const ctor of ctors ?? []) {
    const ctorFn = child(ctor, 'function');
    if (!ctorFn || ctorFn.type !== 'identifier') {
      continue;
    }
    const params = callParameters(ctor, ctx);
    const at = params ? params.indexOf('training') : -1;
    const passes = parts.splat || parts.keywords.has('training') || (at >= 0 && parts.positional.length > at);
    if (!passes) {
      ctx.note('training-omitted:' + ctx.textOf(ctorFn));
    }
  }
}

export const callTrainingWithoutDefault: RuleDefinition = {
  code: 'KM187',
  name: 'call-training-without-default',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError when the model is built or called without `training` (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags a `training` parameter without a default in the `call()` method of a Keras layer or model class.',
    why: 'Keras 2 always passed `training` to `call()`. Keras 3 passes it only when it has a value, so building a Functional model, `predict()` and plain calls raise "missing a required argument: \'training\'" on every backend. Not covered by the migration guide. It blocks a backend only where an instance may be called without `training`: instances kept in `self.<attr>` of another layer and only called there with `training` run (checked on TF, JAX and PyTorch), and so do instances made at the top of a file that are only called with `training` and handed to constructors of the file\'s classes keeping them in `self.<attr>`, when every `.<attr>` of the file is called with `training` (or only has its attributes read, `.trainable_variables`) (keras.io\'s image captioning, checked on TF), and so does a model assigned to a name the program only trains and evaluates (`model.fit()`, `evaluate()`, `predict()` pass `training`; checked on TF, JAX and PyTorch). With `training=None` Keras still passes the real value whenever there is one (`fit` passes True), and calls that pass it explicitly are unchanged, so the fix is safe. No fix when a later parameter has no default either.',
    example: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, inputs, training):\n        return inputs',
    useInstead: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, inputs, training=None):\n        return inputs'
  },
  // Findings are on a `training` parameter (the calls only note facts for them).
  requires: ['training'],
  visitors: { function_definition: visitFunction, call: visitCall }
};
