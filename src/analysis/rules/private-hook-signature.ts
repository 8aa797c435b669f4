import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/**
 * Keras-internal methods that Keras 2 examples override in a layer subclass and that Keras 3 calls
 * with more positional arguments: the base class (as `resolveKeras` names it), the method, the
 * parameters (after `self`) Keras 3 passes positionally, and the defaults of the ones Keras 2 did
 * not pass.
 */
const HOOKS: readonly { base: string; method: string; params: readonly string[]; added: Record<string, string> }[] = [
  {
    // keras/src/layers/attention/multi_head_attention.py: `self._compute_attention(query, key,
    // value, attention_mask, training, return_attention_scores)` (Keras 3.0 to 3.15).
    base: 'keras.layers.MultiHeadAttention',
    method: '_compute_attention',
    params: ['query', 'key', 'value', 'attention_mask', 'training', 'return_attention_scores'],
    added: { return_attention_scores: 'False' }
  }
];

const POSITIONAL = new Set(['identifier', 'typed_parameter', 'default_parameter', 'typed_default_parameter']);

/** The class's base classes as Keras names. */
function kerasBases(cls: SyntaxNode, ctx: RuleContext): string[] {
  const bases = child(cls, 'superclasses');
  return bases ? itemsOf(bases).map(b => ctx.resolveKeras(b) ?? '').filter(Boolean) : [];
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  const nameNode = child(node, 'name');
  if (!cls || !nameNode) {
    return;
  }
  const method = ctx.textOf(nameNode);
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const bases = kerasBases(cls.node, ctx);
  const hook = HOOKS.find(h => h.method === method && bases.includes(h.base));
  const parameters = child(node, 'parameters');
  if (!hook || !parameters) {
    return;
  }
  const all = itemsOf(parameters);
  // `*args` takes any further positional argument.
  if (all.some(p => p.type === 'list_splat_pattern' || (p.type !== 'identifier' && /^\*[^*]/.test(ctx.textOf(p))))) {
    return;
  }
  const positional = all.slice(1).filter(p => POSITIONAL.has(p.type));
  if (positional.length >= hook.params.length) {
    return;
  }
  const missing = hook.params.slice(positional.length);
  // Only parameters Keras 2 never passed get a default: the method then runs as Keras 2 ran it.
  const fixable = missing.every(p => p in hook.added) && !all.some(p => p.type === 'keyword_separator' || ctx.textOf(p).startsWith('**'));
  const last = all[all.length - 1];
  const fix = fixable
    ? {
        title: `Add ${missing.map(p => `\`${p}=${hook.added[p]}\``).join(', ')} to \`${method}()\``,
        safe: true,
        edits: [{ start: last.end, end: last.end, text: missing.map(p => `, ${p}=${hook.added[p]}`).join('') }]
      }
    : null;
  const base = hook.base.split('.').pop();
  ctx.report(
    nameNode,
    `Keras 3's \`${base}\` calls \`${method}()\` with ${hook.params.length} positional arguments (${hook.params.join(', ')}), so this override, written for Keras 2's ${positional.length}, raises "TypeError: ${method}() takes from ... positional arguments but ${hook.params.length + 1} were given" on every backend; add ${missing.map(p => `\`${p}\``).join(', ')}.`,
    fix
  );
}

export const privateHookSignature: RuleDefinition = {
  code: 'KM235',
  name: 'private-hook-signature',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError when the layer is first called (Keras 3.15, TF/JAX/PyTorch). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags overrides of Keras-internal layer methods that Keras 3 calls with more positional arguments than Keras 2 did: `_compute_attention` in a `MultiHeadAttention` subclass (keras.io\'s Locality Self-Attention and other custom attention scores) without the `return_attention_scores` parameter.',
    why:
      'Keras 2 called `self._compute_attention(query, key, value, attention_mask, training)`. Keras 3 passes `return_attention_scores` as a sixth positional argument, so an override with the Keras 2 signature raises TypeError the first time the layer is called, on every backend (checked by running Keras 3.15). The override still returns `(attention_output, attention_scores)` as Keras 3 expects; adding the parameter with its default keeps the method as Keras 2 ran it, so the fix is safe.',
    example:
      'import keras\nclass LSA(keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None):\n        return super()._compute_attention(query, key, value, attention_mask, training)',
    useInstead:
      'import keras\nclass LSA(keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None, return_attention_scores=False):\n        return super()._compute_attention(query, key, value, attention_mask, training)'
  },
  requires: ['_compute_attention'],
  visitors: { function_definition: visitFunction }
};
