/**
 * What a name means at a point in the notebook. Only what the rules need is tracked:
 * module aliases (`tf` -> `tensorflow`), classes that derive from Keras Layer/Model,
 * and variables holding symbolic Functional-API tensors.
 */
import { child, SyntaxNode } from './ast';

/**
 * What a Keras class is: a layer, a model, or another component that runs on backend
 * tensors (metric, loss, constraint, regularizer, initializer).
 */
export type KerasKind = 'layer' | 'model' | 'component';

export type Binding =
  /** A module or a module attribute, by canonical dotted name. */
  | { kind: 'module'; canonical: string }
  /** A class defined in the notebook; `keras` says whether it derives from Layer/Model. */
  | { kind: 'class'; keras: KerasKind | null }
  /** A variable holding a KerasTensor (from keras.Input or a layer call). */
  | { kind: 'symbolic' }
  /** An instance of a Keras layer or model (calling it on a KerasTensor gives a KerasTensor). */
  | { kind: 'layer'; multiOutput?: boolean }
  /** A notebook function that returns a Keras layer or model. */
  | { kind: 'factory' }
  /** A literal structure of KerasTensors nested more than one level deep. */
  | { kind: 'nested' }
  /** Anything else: a plain value that shadows an earlier binding. */
  | { kind: 'value' };

export type Env = Map<string, Binding>;

export function bindingKey(b: Binding | undefined): string {
  if (!b) {
    return '-';
  }
  switch (b.kind) {
    case 'module':
      return 'm:' + b.canonical;
    case 'class':
      return 'c:' + (b.keras ?? '');
    case 'layer':
      return b.multiOutput ? 'lm' : 'l';
    default:
      return b.kind[0];
  }
}

/** `a.b.c` as ['a','b','c'] when the expression is a plain dotted name, else null. */
export function dottedParts(node: SyntaxNode, text: string): string[] | null {
  const parts: string[] = [];
  let cur: SyntaxNode | null = node;
  while (cur && cur.type === 'attribute') {
    const attr = child(cur, 'attribute');
    if (!attr) {
      return null;
    }
    parts.push(text.slice(attr.start, attr.end));
    cur = child(cur, 'object');
  }
  if (!cur || cur.type !== 'identifier') {
    return null;
  }
  parts.push(text.slice(cur.start, cur.end));
  return parts.reverse();
}

/** Canonical dotted name of a dotted expression, if its root is a known module alias. */
export function resolveParts(parts: string[], env: Env): string | null {
  const root = env.get(parts[0]);
  if (!root || root.kind !== 'module') {
    return null;
  }
  return parts.length === 1 ? root.canonical : root.canonical + '.' + parts.slice(1).join('.');
}

export function resolve(node: SyntaxNode, text: string, env: Env): string | null {
  const parts = dottedParts(node, text);
  return parts ? resolveParts(parts, env) : null;
}

/** Canonical Keras name with the `tensorflow.` prefix removed: both spellings mean the same API. */
export function kerasName(canonical: string | null): string | null {
  if (!canonical) {
    return null;
  }
  if (canonical === 'keras' || canonical.startsWith('keras.')) {
    return canonical;
  }
  if (canonical === 'tensorflow.keras' || canonical.startsWith('tensorflow.keras.')) {
    return canonical.slice('tensorflow.'.length);
  }
  if (canonical.startsWith('tensorflow.python.keras')) {
    return canonical.slice('tensorflow.python.'.length);
  }
  return null;
}

/** Keras names that live in two places; map to the one the rules compare against. */
export function normaliseKeras(name: string): string {
  if (!name.startsWith('keras.src.') && !name.startsWith('keras.api.') && !name.startsWith('keras.engine.')) {
    return name;
  }
  return name
    .replace(/^keras\.src\./, 'keras.')
    .replace(/^keras\.api\._v2\.keras\./, 'keras.')
    .replace(/^keras\.engine\.(base_layer|topology)\./, 'keras.layers.')
    .replace(/^keras\.engine\.(training|functional|sequential)\./, 'keras.models.');
}
