import type { SyntaxNode } from '../ast';
import { child, descendants, rootOf } from '../ast';
import type { RuleContext } from '../rule';
import { calleeName, lastAssignedValue } from './calls';
import { nodesOfType } from './layer-calls';

/** Attributes of Keras layers that hold Keras variables. */
export const VARIABLE_ATTRIBUTES = new Set(['kernel', 'bias', 'embeddings', 'recurrent_kernel', 'gamma', 'beta', 'moving_mean', 'moving_variance']);
export const VARIABLE_FACTORIES = new Set(['keras.Variable', 'keras.backend.Variable', 'keras.variables.Variable']);

/** `model.layers[i]`: a layer, even where the model's binding is not known as one. */
function isLayerExpression(node: SyntaxNode, ctx: RuleContext): boolean {
  if (ctx.isLayerInstance(node)) {
    return true;
  }
  // `self.conv` that the class assigns a Keras layer (`self.conv = layers.Conv2D(**kwargs)`), and nothing else.
  const object = node.type === 'attribute' ? child(node, 'object') : null;
  const attribute = node.type === 'attribute' ? child(node, 'attribute') : null;
  if (object?.type === 'identifier' && attribute && ctx.textOf(object) === 'self' && ctx.cls) {
    const values = selfAssignments(ctx.cls.node, ctx.textOf(attribute), ctx);
    return values.length > 0 && values.every(v => v.type === 'call' && /^keras\.layers\.[A-Z]\w*$/.test(ctx.resolveKeras(child(v, 'function') ?? v) ?? ''));
  }
  const value = node.type === 'subscript' ? child(node, 'value') : null;
  const attr = value && value.type === 'attribute' ? child(value, 'attribute') : null;
  return !!attr && ctx.textOf(attr) === 'layers';
}

/** Whether the receiver is known to be a Keras variable or KerasTensor (neither has `get_shape()`). */
export function isKerasVariableOrTensor(receiver: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (ctx.isSymbolic(receiver)) {
    return true;
  }
  if (receiver.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(receiver), receiver, ctx);
    return (!!value && isKerasVariableOrTensor(value, ctx, false)) || passedToModel(receiver, ctx);
  }
  if (receiver.type === 'attribute') {
    const object = child(receiver, 'object');
    const attr = child(receiver, 'attribute');
    if (!object || !attr) {
      return false;
    }
    const name = ctx.textOf(attr);
    // `self.w` that the class assigns `self.add_weight(...)` or `keras.Variable(...)` (and nothing else).
    if (follow && object.type === 'identifier' && ctx.textOf(object) === 'self' && ctx.cls) {
      const values = selfAssignments(ctx.cls.node, name, ctx);
      if (values.length > 0 && values.every(v => isKerasVariableOrTensor(v, ctx, false))) {
        return true;
      }
    }
    // `layer.output`, `model.get_layer("x").output`: the KerasTensor of a functional graph.
    const isLayer = isLayerExpression(object, ctx) || (object.type === 'call' && calleeName(child(object, 'function') ?? object, ctx) === 'get_layer');
    return isLayer && (VARIABLE_ATTRIBUTES.has(name) || name === 'output' || name === 'input');
  }
  if (receiver.type === 'call') {
    const fn = child(receiver, 'function');
    if (!fn) {
      return false;
    }
    const name = ctx.resolveKeras(fn);
    return (name !== null && VARIABLE_FACTORIES.has(name)) || (fn.type === 'attribute' && calleeName(fn, ctx) === 'add_weight');
  }
  return false;
}


/** The right-hand sides of `self.NAME = ...` in a class. */
function selfAssignments(cls: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  for (const a of nodesOfType(cls, 'assignment')) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left && right && left.type === 'attribute' && ctx.textOf(left).replace(/\s+/g, '') === 'self.' + name) {
      values.push(right);
    }
  }
  return values;
}

const MODELS = new Set(['keras.Model', 'keras.models.Model']);

/** Whether this cell passes the name, as a whole argument, to `keras.Model(...)`: it holds the graph's KerasTensors. */
function passedToModel(name: SyntaxNode, ctx: RuleContext): boolean {
  const text = ctx.textOf(name);
  for (const n of descendants(rootOf(name))) {
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const args = child(n, 'arguments');
      if (fn && args && MODELS.has(ctx.resolveKeras(fn) ?? '')) {
        for (const a of args.children) {
          const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
          if (value && value.type === 'identifier' && ctx.textOf(value) === text) {
            return true;
          }
        }
      }
    }
  }
  return false;
}
