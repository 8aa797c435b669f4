/**
 * Registering a function or class with Keras's serialization registry: the rules that add
 * `@keras.saving.register_keras_serializable()` (Lambda functions, custom objects of a cloned
 * compiled model) share how they recognise a registered definition and how they spell the decorator.
 */
import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { indentOf } from './init-attribute';

/** The decorators' text of a function or class definition. */
export function decoratorsOf(def: SyntaxNode, ctx: RuleContext): string[] {
  const parent = def.parent;
  if (!parent || parent.type !== 'decorated_definition') {
    return [];
  }
  return parent.children.filter(c => c.type === 'decorator').map(c => ctx.textOf(c));
}

/** Whether the definition already carries a Keras registration decorator. */
export function isRegistered(def: SyntaxNode, ctx: RuleContext): boolean {
  return decoratorsOf(def, ctx).some(d => /register_keras_serializable|register_serializable/.test(d));
}

/**
 * The edit that puts the registration decorator above the definition (and above its other
 * decorators), at its indentation.
 */
export function registrationDecoratorEdit(def: SyntaxNode, ctx: RuleContext): OffsetEdit {
  const first = def.parent && def.parent.type === 'decorated_definition' ? def.parent : def;
  const indent = indentOf(first, ctx);
  // `keras` bound to `tensorflow.keras` (kept by the safe fixes while Keras 2 backend functions are
  // called through it) is Keras 3's tf_keras shim, which has no `saving` module; its
  // `keras.utils.register_keras_serializable` is the same function in Keras 2 and 3.
  const bound = ctx.lookup('keras');
  const module = bound && bound.kind === 'module' && bound.canonical === 'tensorflow.keras' ? 'keras.utils' : 'keras.saving';
  return { start: first.start, end: first.start, text: `@${module}.register_keras_serializable()\n${indent}` };
}
