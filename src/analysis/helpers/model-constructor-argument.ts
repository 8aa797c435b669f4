import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';

const MODEL_CONSTRUCTORS = new Set(['keras.Model', 'keras.models.Model']);

/**
 * Whether `node` is (inside) an argument of a Functional `keras.Model(inputs, outputs)` call,
 * through containers and nested calls only. What a model is built from is symbolic, so a layer
 * call there returns a KerasTensor even where the analysis cannot follow its input (the keras.io
 * pattern `d_in, d_hidden = body(...)`, then `keras.Model(d_in, tf.squeeze(layers.Dense(1)(d_hidden), -1))`).
 */
export function inModelConstructorArgument(node: SyntaxNode, ctx: RuleContext): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'call') {
      const fn = child(p, 'function');
      if (fn && MODEL_CONSTRUCTORS.has(ctx.resolveKeras(fn) ?? '')) {
        return true;
      }
      continue;
    }
    if (!['argument_list', 'keyword_argument', 'list', 'tuple', 'dictionary', 'pair', 'parenthesized_expression'].includes(p.type)) {
      return false;
    }
  }
  return false;
}
