/** Where code runs on backend tensors: Keras class methods, losses, Lambda functions, patched methods. Not a rule. */
import { child, SyntaxNode } from '../ast';
import { FUNCTION_LAYERS, MODEL_FUNCTION_KEYWORDS } from '../knowledge';
import type { FunctionScope, RuleContext } from '../rule';
import { calleeName, CallParts } from './calls';

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
 * Names of functions a call hands to Keras to run on backend tensors: the function of a
 * `Lambda`/`Activation` layer, `compile(loss=, metrics=)` (also positionally), and
 * activation, regularizer, constraint and initializer arguments.
 */
export function modelFunctionArguments(parts: CallParts, ctx: RuleContext): string[] {
  const out: string[] = [];
  for (const [name, kw] of parts.keywords) {
    if (MODEL_FUNCTION_KEYWORDS.test(name)) {
      functionNames(kw.value, ctx, out);
    }
  }
  const first = parts.positional[0];
  if (first) {
    const keras = ctx.resolveKeras(parts.fn);
    if (keras && FUNCTION_LAYERS.has(keras)) {
      functionNames(first, ctx, out);
    }
  }
  if (calleeName(parts.fn, ctx) === 'compile' && parts.fn.type === 'attribute') {
    parts.positional.slice(1, 3).forEach(arg => functionNames(arg, ctx, out));
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
    result = name !== null && MODEL_FUNCTION_KEYWORDS.test(ctx.textOf(name));
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
 * Whether code runs on backend tensors: true for model code, `model:NAME` when it is in the
 * notebook function NAME, whose being model code other cells may decide (a finding there is
 * reported with that condition), null otherwise.
 */
export function modelCodeCondition(node: SyntaxNode, ctx: RuleContext): true | string | null {
  if (inModelCode(node, ctx)) {
    return true;
  }
  const outer = ctx.notebookFunction();
  return outer ? 'model:' + outer.name : null;
}

/** Variable names people give models (`model`, `net`, `generator`, `clf`...). */
const MODEL_NAME = /model|net$|network|autoencoder|encoder|decoder|generator|discriminator|classifier|regressor|^clf$/i;

/** A receiver known to be a Keras model (or layer), or named like a model. */
export function looksLikeModel(receiver: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!receiver) {
    return false;
  }
  if (ctx.isLayerInstance(receiver)) {
    return true;
  }
  const name = receiver.type === 'identifier' ? ctx.textOf(receiver) : receiver.type === 'attribute' ? ctx.textOf(child(receiver, 'attribute') ?? receiver) : '';
  return MODEL_NAME.test(name);
}
