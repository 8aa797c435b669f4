/**
 * Which layer a call in model code calls: the constructor calls behind `self.block(...)`,
 * `self.blocks[i](...)`, `for block in self.blocks: block(...)` (looked up in the class's
 * `self.<attr> = ...` assignments) and `block(...)` (a single assignment in the cell), and the
 * parameter names of that class's `call()`. Shared by the rules on `training` in layer calls.
 */
import { child, itemsOf, returnStatements, rootOf, SyntaxNode } from '../ast';
import { onlyVisibleDefinition } from './model-code';
import { backendsReaching } from './backend-branch';
import type { RuleContext } from '../rule';
import { callParts, calleeName } from './calls';
import type { CallParts } from './calls';

/**
 * Built-in Keras classes whose `call` takes `training` right after the inputs (Keras 2 and 3 alike),
 * so `layer(x, flag)` means `layer(x, training=flag)`. Models also take `mask` third.
 */
const TRAINING_SECOND: ReadonlyMap<string, readonly string[]> = new Map(
  [
    'Dropout',
    'SpatialDropout1D',
    'SpatialDropout2D',
    'SpatialDropout3D',
    'GaussianNoise',
    'GaussianDropout',
    'AlphaDropout',
    'BatchNormalization',
    'ActivityRegularization'
  ]
    .map(n => ['keras.layers.' + n, ['inputs', 'training']] as [string, readonly string[]])
    .concat(
      ['keras.Model', 'keras.models.Model', 'keras.Sequential', 'keras.models.Sequential'].map(
        n => [n, ['inputs', 'training', 'mask']] as [string, readonly string[]]
      )
    )
);

/** The class body holding `node`, if it is inside a method. */
/** Ancestors looked at from a call: enough for any real nesting, and linear time on deeply nested expressions. */
const MAX_ANCESTORS = 64;

export function enclosingClass(node: SyntaxNode): SyntaxNode | null {
  let steps = 0;
  for (let p = node.parent; p && steps < MAX_ANCESTORS; p = p.parent, steps++) {
    if (p.type === 'class_definition') {
      return p;
    }
  }
  return null;
}

/** Every node of `root` of the given type, breadth-first (bounded). */
export function* nodesOfType(root: SyntaxNode, type: string): Generator<SyntaxNode> {
  const queue: SyntaxNode[] = [root];
  for (let i = 0; i < queue.length && i < 200000; i++) {
    const n = queue[i];
    if (n.type === type) {
      yield n;
    }
    queue.push(...n.children);
  }
}

const ASSIGNMENTS = new WeakMap<SyntaxNode, Map<string, SyntaxNode[]>>();

/** The values of the `name = value` assignments of a cell, by name (computed once per cell tree). */
export function assignmentsByName(root: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode[]> {
  let byName = ASSIGNMENTS.get(root);
  if (!byName) {
    byName = new Map();
    for (const a of nodesOfType(root, 'assignment')) {
      const left = child(a, 'left');
      const right = child(a, 'right');
      if (left && right && left.type === 'identifier') {
        const name = ctx.textOf(left);
        const values = byName.get(name);
        if (values) {
          values.push(right);
        } else {
          byName.set(name, [right]);
        }
      }
    }
    ASSIGNMENTS.set(root, byName);
  }
  return byName;
}

/** `X` when `node` is `self.X`, else null. */
export function selfAttribute(node: SyntaxNode, ctx: RuleContext): string | null {
  const object = node.type === 'attribute' ? child(node, 'object') : null;
  const attr = object?.type === 'identifier' && ctx.textOf(object) === 'self' ? child(node, 'attribute') : null;
  return attr ? ctx.textOf(attr) : null;
}

/** Attributes a class assigns, anywhere in its methods, the result of a call whose function `isMaker` accepts (`self.acc = keras.metrics.Mean()`). */
export function selfAttributesMadeBy(cls: SyntaxNode, ctx: RuleContext, isMaker: (fn: SyntaxNode) => boolean): Set<string> {
  const names = new Set<string>();
  for (const a of nodesOfType(cls, 'assignment')) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    const attr = left ? selfAttribute(left, ctx) : null;
    const fn = right?.type === 'call' ? child(right, 'function') : null;
    if (attr && fn && isMaker(fn)) {
      names.add(attr);
    }
  }
  return names;
}

const METRIC_ATTRIBUTES = new WeakMap<SyntaxNode, Set<string>>();

/** Attributes a class assigns a Keras metric object (`self.acc = keras.metrics.BinaryAccuracy()`). */
export function metricAttributes(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  let names = METRIC_ATTRIBUTES.get(cls);
  if (!names) {
    names = selfAttributesMadeBy(cls, ctx, fn => /^keras\.metrics\.[A-Z]\w*$/.test(ctx.resolveKeras(fn) ?? ''));
    METRIC_ATTRIBUTES.set(cls, names);
  }
  return names;
}

/** The right-hand sides of `self.<attr> = ...` in a class body. */
function selfAttributeValues(cls: SyntaxNode, attr: string, ctx: RuleContext): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  for (const a of nodesOfType(cls, 'assignment')) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left && right && left.type === 'attribute' && ctx.textOf(left).replace(/\s+/g, '') === 'self.' + attr) {
      values.push(right);
    }
  }
  return values;
}

/** Whether `name` is a method defined in the class (then `self.name(...)` is no layer call). */
function isMethodOf(cls: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const body = child(cls, 'body');
  if (!body) {
    return false;
  }
  return body.children.some(s => {
    const fn = s.type === 'decorated_definition' ? s.children.find(c => c.type === 'function_definition') : s;
    const n = fn && fn.type === 'function_definition' ? child(fn, 'name') : null;
    return n !== null && ctx.textOf(n) === name;
  });
}

/** The constructor calls an expression's value comes from: `C(...)`, or the items of a list / comprehension of them. */
function constructorsIn(value: SyntaxNode, ctx: RuleContext, depth = 0): SyntaxNode[] {
  if (value.type === 'call') {
    const fn = child(value, 'function');
    // `keras.models.clone_model(self.generator)`: a copy of the model it is given.
    if (fn && ctx.resolveKeras(fn) === 'keras.models.clone_model') {
      const source = callParts(value, ctx)?.positional[0];
      return source && depth < 3 ? constructorsOfCallee(source, ctx, depth + 1) ?? [] : [];
    }
    // `get_generator()`: a function of the cell whose every return builds the layer or model
    // (keras.io's model factories, `return keras.Model(inputs, outputs, name=...)`).
    const factory = fn?.type === 'identifier' && depth < 3 ? onlyVisibleDefinition(value, 'function_definition', ctx.textOf(fn), ctx) : null;
    if (factory) {
      // A bare `return` returns no constructor: it stays in the list, so the factory is not followed.
      const returned = returnStatements(factory).map(r => r.children.find(x => x.type !== 'return' && x.type !== 'comment') ?? r);
      const made = returned.every(r => r.type === 'call') ? returned.flatMap(r => constructorsIn(r, ctx, depth + 1)) : [];
      return returned.length > 0 && made.length === returned.length ? made : [];
    }
    return [value];
  }
  if (value.type === 'list' || value.type === 'tuple') {
    return itemsOf(value).filter(v => v.type === 'call');
  }
  if (value.type === 'list_comprehension') {
    const body = value.children[0];
    return body && body.type === 'call' ? [body] : [];
  }
  return [];
}

export function constructorsOfCallee(fn: SyntaxNode, ctx: RuleContext, depth = 0): SyntaxNode[] | null {
  const cls = enclosingClass(fn);
  let target = fn.type === 'subscript' ? child(fn, 'value') : fn;
  if (!target) {
    return null;
  }
  if (target.type === 'identifier') {
    // a loop variable over a container, or a name assigned in this cell
    const name = ctx.textOf(target);
    let steps = 0;
    for (let p = fn.parent; p && steps < MAX_ANCESTORS; p = p.parent, steps++) {
      if (p.type === 'for_statement') {
        const left = child(p, 'left');
        const right = child(p, 'right');
        if (left && right && left.type === 'identifier' && ctx.textOf(left) === name) {
          target = right;
          break;
        }
      }
      if (p.type === 'function_definition' || p.type === 'module') {
        break;
      }
    }
  }
  if (target.type === 'attribute') {
    const object = child(target, 'object');
    const attr = child(target, 'attribute');
    if (!cls || !object || !attr || object.type !== 'identifier' || ctx.textOf(object) !== 'self') {
      return null;
    }
    const name = ctx.textOf(attr);
    if (isMethodOf(cls, name, ctx)) {
      return null;
    }
    const values = selfAttributeValues(cls, name, ctx);
    return values.length === 1 ? constructorsIn(values[0], ctx, depth) : null;
  }
  if (target.type === 'identifier') {
    // Only names bound to a layer instance: the cell's assignments are indexed once per cell.
    const name = ctx.textOf(target);
    if (ctx.lookup(name)?.kind !== 'layer') {
      return null;
    }
    const values = assignmentsByName(rootOf(fn), ctx).get(name) ?? [];
    return values.length === 1 ? constructorsIn(values[0], ctx, depth) : null;
  }
  return null;
}

/** `model.layers[3]` or `model.get_layer("dense")`: a layer of a model, looked up. */
export function isModelLayerLookup(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'subscript') {
    const value = child(node, 'value');
    return value?.type === 'attribute' && ctx.textOf(child(value, 'attribute') ?? value) === 'layers';
  }
  const fn = node.type === 'call' ? child(node, 'function') : null;
  return fn?.type === 'attribute' && calleeName(fn, ctx) === 'get_layer';
}

/** A name bound by a loop over a `.layers` list (`for layer in model.layers:`, or a comprehension's): a layer of a model. */
export function isLayersLoopVariable(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  let steps = 0;
  for (let p = node.parent; p && steps < MAX_ANCESTORS; p = p.parent, steps++) {
    if (p.type === 'for_statement' || p.type === 'for_in_clause') {
      const left = child(p, 'left');
      const right = child(p, 'right');
      if (left && right && ctx.textOf(left) === name && /\.layers(\[[^\]]*\])?$/.test(ctx.textOf(right).replace(/\s+/g, ''))) {
        return true;
      }
    }
  }
  return false;
}

/** The Keras class (`keras.layers.StringLookup`) of the one layer a name holds (its constructor, see constructorsOfCallee), else null. */
export function kerasLayerClassOf(name: SyntaxNode, ctx: RuleContext): string | null {
  const constructors = name.type === 'identifier' ? constructorsOfCallee(name, ctx) : null;
  const fn = constructors?.length === 1 ? child(constructors[0], 'function') : null;
  return fn ? ctx.resolveKeras(fn) : null;
}

/**
 * The Keras class of the layer a call's function is: a constructor called in place
 * (`keras.layers.IntegerLookup(...)(x)`) or a name holding one layer (kerasLayerClassOf), else null.
 */
export function calledLayerClass(fn: SyntaxNode, ctx: RuleContext): string | null {
  if (fn.type === 'call') {
    const ctor = child(fn, 'function');
    return ctor ? ctx.resolveKeras(ctor) : null;
  }
  return kerasLayerClassOf(fn, ctx);
}

/** The parameter names of `call` (after self) of a class defined in the same cell, or of a known built-in. */
export function callParameters(ctor: SyntaxNode, ctx: RuleContext): readonly string[] | null {
  const fn = child(ctor, 'function');
  if (!fn) {
    return null;
  }
  const builtin = ctx.resolveKeras(fn);
  if (builtin) {
    return TRAINING_SECOND.get(builtin) ?? null;
  }
  if (fn.type !== 'identifier') {
    return null;
  }
  const className = ctx.textOf(fn);
  for (const cls of nodesOfType(rootOf(ctor), 'class_definition')) {
    const name = child(cls, 'name');
    if (!name || ctx.textOf(name) !== className) {
      continue;
    }
    const body = child(cls, 'body');
    for (const s of body ? body.children : []) {
      const def = s.type === 'decorated_definition' ? s.children.find(c => c.type === 'function_definition') : s;
      const defName = def && def.type === 'function_definition' ? child(def, 'name') : null;
      if (!def || !defName || ctx.textOf(defName) !== 'call') {
        continue;
      }
      const params = child(def, 'parameters');
      const names: string[] = [];
      for (const p of params ? itemsOf(params) : []) {
        if (p.type === 'identifier') {
          names.push(ctx.textOf(p));
        } else if (p.type === 'default_parameter' || p.type === 'typed_parameter' || p.type === 'typed_default_parameter') {
          const n = p.children.find(c => c.type === 'identifier');
          if (!n) {
            return null;
          }
          names.push(ctx.textOf(n));
        } else {
          break; // *args, **kwargs, `*`, `/`: what follows is not positional
        }
      }
      return names.slice(1);
    }
    return null;
  }
  return null;
}

/**
 * Whether a call passes positional arguments (splats included) and none is a KerasTensor: a
 * layer called so runs on data, not in a Functional model's construction.
 */
export function callsOnData(call: SyntaxNode, ctx: RuleContext): boolean {
  const args = child(call, 'arguments');
  const positional = args?.children.filter(a => a.type !== 'comment' && a.type !== 'keyword_argument') ?? [];
  return positional.length > 0 && !positional.some(a => ctx.isSymbolic(a));
}

/**
 * A layer or model instance called on data (`model(x)`, `vae.decoder(z, training=False)`): the
 * notebook runs a model there, with grad on PyTorch (tf-op-claims noteGradRuns) and on whatever
 * data it is given (string-tensors-in-model).
 */
export function layerCalledOnData(call: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): boolean {
  return callsOnData(call, ctx) && ctx.isLayerInstance(fn);
}

/**
 * `self.add_weight(...)` in a Keras layer, model or metric class, or `layer.add_weight(...)` on a
 * layer instance: the call's parts (and whether it is on `self`), else null. `nameFirst`: a string in first place, Keras 2's
 * positional order `add_weight(name, shape, ...)` (Keras 3 code may pass the shape first).
 */
export function addWeightCall(node: SyntaxNode, ctx: RuleContext, methods: readonly string[] = ['add_weight']): { parts: CallParts; onSelf: boolean; nameFirst: boolean } | null {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || !methods.includes(calleeName(parts.fn, ctx) ?? '')) {
    return null;
  }
  const receiver = child(parts.fn, 'object');
  const onSelf = receiver !== null && ctx.textOf(receiver) === 'self' && ctx.cls !== null && ctx.cls.keras !== null;
  if (!onSelf && !(receiver && ctx.isLayerInstance(receiver))) {
    return null;
  }
  const first = parts.positional[0];
  return { parts, onSelf, nameFirst: first !== undefined && (first.type === 'string' || first.type === 'concatenated_string') };
}

/**
 * The test KM124's tracker fixes write around a metric update in `call()`: JAX runs `call()`
 * statelessly without the metrics' state, so there the model trains without the metric.
 */
export const OFF_JAX = 'keras.backend.backend() != "jax"';

/** Whether `node` runs only when the backend is not JAX (inside the body of an `if` testing that, as OFF_JAX does). */
export function offJaxOnly(node: SyntaxNode, ctx: RuleContext): boolean {
  const reaching = backendsReaching(node, ctx);
  return reaching !== null && !reaching.includes('jax');
}
