import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/**
 * The string literal a name is written as: `"enc/ffn"`, `f"enc_{i}/ffn"` or
 * `"encoder_{}/ffn".format(i)` (the template string), or null.
 */
function nameLiteral(value: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (value.type === 'string') {
    return value;
  }
  if (value.type === 'call') {
    const fn = child(value, 'function');
    const obj = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
    const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
    if (obj && attr && obj.type === 'string' && ctx.textOf(attr) === 'format') {
      return obj;
    }
  }
  return null;
}

/**
 * The literal with every `/` of its written text replaced by `_`, or null when it has none:
 * slashes inside the `{...}` fields of an f-string are code (a division), not name text.
 */
function withoutSlashes(literal: SyntaxNode, ctx: RuleContext): string | null {
  const text = ctx.textOf(literal);
  const prefix = /^[A-Za-z]*/.exec(text)![0].toLowerCase();
  const fString = prefix.includes('f');
  let depth = 0;
  let changed = false;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (fString && c === '{') {
      // `{{` is a literal brace outside a field.
      if (depth === 0 && text[i + 1] === '{') {
        out += '{{';
        i++;
        continue;
      }
      depth++;
    } else if (fString && c === '}' && depth > 0) {
      depth--;
    } else if (c === '/' && depth === 0) {
      out += '_';
      changed = true;
      continue;
    }
    out += c;
  }
  return changed ? out : null;
}

function report(literal: SyntaxNode, ctx: RuleContext, what: string): void {
  const fixed = withoutSlashes(literal, ctx);
  if (fixed === null) {
    return;
  }
  ctx.report(
    literal,
    `${what} contains \`/\`, which Keras 3 rejects in layer and model names on every backend ("Argument \`name\` must be a string and cannot contain character \`/\`"); use \`_\` (and the same name in \`get_layer()\`).`,
    { title: 'Replace `/` with `_` in the name', safe: true, edits: [{ start: literal.start, end: literal.end, text: fixed }] }
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  // `model.get_layer("encoder_0/ffn")`: no Keras 3 layer can have that name.
  if (parts.fn.type === 'attribute') {
    const attr = child(parts.fn, 'attribute');
    const arg = parts.positional[0] ?? parts.keywords.get('name')?.value;
    if (attr && ctx.textOf(attr) === 'get_layer' && arg) {
      const literal = nameLiteral(arg, ctx);
      if (literal) {
        report(literal, ctx, 'The name given to `get_layer()`');
      }
      return;
    }
  }
  const name = parts.keywords.get('name');
  if (!name) {
    return;
  }
  const kind = ctx.kerasKindOfClass(parts.fn);
  if (kind !== 'layer' && kind !== 'model') {
    return;
  }
  const literal = nameLiteral(name.value, ctx);
  if (literal) {
    report(literal, ctx, 'This layer name');
  }
}

export const slashInLayerName: RuleDefinition = {
  code: 'KM220',
  name: 'slash-in-layer-name',
  slug: 'api-changes',
  severity: 'error',
  /** Checked by running Keras 3.15: `Dense(2, name="a/b")` raises ValueError on TensorFlow, JAX and PyTorch. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['get_layer'],
  docs: {
    whatItDoes:
      'Flags a layer or model created with a `name=` string containing `/` (`name="encoder_{}/ffn".format(i)`, f-strings included) and `get_layer()` called with such a name.',
    why:
      'Keras 2 allowed `/` in layer names (TensorFlow name scopes); Keras 3 raises "Argument `name` must be a string and cannot contain character `/`" when the layer is created, on every backend, and `get_layer()` can never find such a name. Replacing `/` with `_` in both places keeps the names matched. Not covered by the migration guide.',
    example: 'import keras\nlayer = keras.layers.Dense(8, name="encoder_0/ffn")\n',
    useInstead: 'import keras\nlayer = keras.layers.Dense(8, name="encoder_0_ffn")\n'
  },
  visitors: { call: visit }
};
