/**
 * Layers handed to the notebook's own layer classes (`DenseTranspose(dense)`, `Wrapper(keras.layers.Dense(2))`):
 * noted at each call of such a class, per `__init__` parameter, for the rules about what the class does
 * with that parameter (KM207 sets it before `super().__init__()`, KM174 reads Keras 2 members of it).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { callParts, parameterNames } from './calls';
import { classMethodDefinitions, onlyVisibleDefinition } from './model-code';
import { kerasLayerClassOf } from './layer-calls';

/** Whether `value` builds a Keras layer or model: a layer class (Keras's or the notebook's) or a notebook function returning one. */
export function buildsLayer(value: SyntaxNode | null, ctx: RuleContext): boolean {
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return false;
  }
  const kind = ctx.kerasKindOfClass(fn);
  return kind === 'layer' || kind === 'model' || (fn.type === 'identifier' && ctx.lookup(ctx.textOf(fn))?.kind === 'factory');
}

/** Fact: some call of the notebook's layer class CLS passes a layer for its `__init__` parameter PARAM. */
export function layerArgumentFact(cls: string, param: string): string {
  return `layer-given:${cls}:${param}`;
}

/** At `Cls(keras.layers.Dense(2))` (or a name holding a layer) of a notebook Layer/Model class: notes which parameters get layers. */
export function noteLayerArguments(call: SyntaxNode, ctx: RuleContext): void {
  const fn = child(call, 'function');
  const binding = fn?.type === 'identifier' ? ctx.lookup(ctx.textOf(fn)) : undefined;
  if (!fn || binding?.kind !== 'class' || (binding.keras !== 'layer' && binding.keras !== 'model')) {
    return;
  }
  const cls = onlyVisibleDefinition(fn, 'class_definition', ctx.textOf(fn), ctx);
  const init = cls ? classMethodDefinitions(cls, ctx).get('__init__') : undefined;
  const params = init ? (parameterNames(init, ctx) ?? []).slice(1) : [];
  const parts = callParts(call, ctx);
  if (!parts || !params.length) {
    return;
  }
  const isLayer = (value: SyntaxNode): boolean => buildsLayer(value, ctx) || ctx.isLayerInstance(value);
  // A built-in layer (not a model): `keras.layers.Dense(4)` in place, or a name holding one.
  const isBuiltInLayer = (value: SyntaxNode): boolean => {
    const ctor = value.type === 'call' ? child(value, 'function') : null;
    const cls = ctor ? ctx.resolveKeras(ctor) : kerasLayerClassOf(value, ctx);
    return /^keras\.layers\.[A-Z]\w*$/.test(cls ?? '');
  };
  const note = (param: string, value: SyntaxNode): void => {
    if (isLayer(value)) {
      ctx.note(layerArgumentFact(ctx.textOf(fn), param));
    }
    if (isBuiltInLayer(value)) {
      ctx.note(builtInLayerArgumentFact(ctx.textOf(fn), param));
    }
  };
  parts.positional.forEach((value, i) => params[i] && note(params[i], value));
  for (const [name, kw] of parts.keywords) {
    note(name, kw.value);
  }
}

/** Fact: some call of the notebook's layer class CLS passes a built-in Keras layer (not a model) for `__init__` parameter PARAM. */
export function builtInLayerArgumentFact(cls: string, param: string): string {
  return `builtin-layer-given:${cls}:${param}`;
}


/** The `__init__` parameter the class stores in `self.<attr>` (`self.dense = dense`), or null. */
export function selfAttributeParameter(cls: SyntaxNode, attr: string, ctx: RuleContext): string | null {
  const init = classMethodDefinitions(cls, ctx).get('__init__');
  const params = init ? (parameterNames(init, ctx) ?? []).slice(1) : [];
  const stack: SyntaxNode[] = init ? [init] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left && right?.type === 'identifier' && ctx.textOf(left).replace(/\s+/g, '') === `self.${attr}` && params.includes(ctx.textOf(right))) {
        return ctx.textOf(right);
      }
    }
    stack.push(...n.children);
  }
  return null;
}
