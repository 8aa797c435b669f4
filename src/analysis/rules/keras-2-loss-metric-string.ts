import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { KERAS2_IDENTIFIERS } from '../catalog';
import { callParts, calleeName, stringValue } from '../helpers/calls';

type Kind = 'loss' | 'metric';

/** The string literals of a compile() argument: itself, or inside its (nested) lists, tuples and dict values. */
function stringsIn(value: SyntaxNode, out: SyntaxNode[]): void {
  if (value.type === 'string') {
    out.push(value);
  } else if (value.type === 'list' || value.type === 'tuple') {
    value.children.forEach(item => stringsIn(item, out));
  } else if (value.type === 'dictionary') {
    for (const pair of value.children) {
      const v = pair.type === 'pair' ? child(pair, 'value') : null;
      if (v) {
        stringsIn(v, out);
      }
    }
  }
}

function check(value: SyntaxNode, kind: Kind, argument: string, ctx: RuleContext): void {
  const strings: SyntaxNode[] = [];
  stringsIn(value, strings);
  for (const literal of strings) {
    const name = stringValue(literal, ctx);
    if (name === null || !KERAS2_IDENTIFIERS[kind].has(name)) {
      continue;
    }
    const replacement = KERAS2_IDENTIFIERS[kind].get(name) ?? null;
    const quote = ctx.textOf(literal).match(/^[rRuU]?('|")/)?.[1] ?? '"';
    const history = kind === 'metric' ? ' (the history then logs it under the Keras 3 metric\'s name)' : '';
    const instead = replacement
      ? `Keras 3 calls the same ${kind} "${replacement}"${history}`
      : `Keras 3 has no string for it: pass the function itself (\`keras.${kind === 'loss' ? 'losses' : 'metrics'}.${name}\`)`;
    ctx.report(
      literal,
      `Keras 3 rejects the Keras 2 ${kind} name "${name}" in \`compile(${argument}=...)\` ("Could not interpret ${kind} identifier: ${name}") on every backend; ${instead}.`,
      replacement
        ? { title: `Use "${replacement}"`, safe: true, edits: [{ start: literal.start, end: literal.end, text: quote + replacement + quote }] }
        : null
    );
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  // compile(optimizer, loss, loss_weights, metrics, ...): the loss may be positional.
  const loss = parts.keywords.get('loss')?.value ?? parts.positional[1] ?? null;
  if (loss) {
    check(loss, 'loss', 'loss', ctx);
  }
  for (const argument of ['metrics', 'weighted_metrics']) {
    const metrics = parts.keywords.get(argument)?.value ?? (argument === 'metrics' ? parts.positional[3] : undefined);
    if (metrics) {
      check(metrics, 'metric', argument, ctx);
    }
  }
}

export const keras2LossMetricString: RuleDefinition = {
  code: 'KM225',
  name: 'keras-2-loss-metric-string',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError when compile() or the first fit() resolves the name, on TensorFlow, JAX and PyTorch (Keras 3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['compile'],
  calls: { names: ['compile'] },
  requires: ['compile'],
  docs: {
    whatItDoes:
      'Flags loss and metric names given to `compile()` as strings that Keras 2 accepted and Keras 3 does not: `loss="logcosh"`, `metrics=["kld"]`, `"kullback_leibler_divergence"`, `"binary_focal_crossentropy"` as a metric. The list is computed from Keras 2 (`tf_keras`) and Keras 3 (catalog `keras2_identifiers.json`).',
    why:
      'Keras 3 resolves these strings with its own `keras.losses.get` / `keras.metrics.get`, even through `tf.keras`, and raises "Could not interpret loss identifier" (or "metric identifier") on every backend. Where Keras 3 knows the same function by another string (`"log_cosh"`, `"kl_divergence"`, `"log_cosh_error"`), the rename is exact; a renamed metric is logged under the Keras 3 metric\'s name.',
    example: 'model.compile(optimizer="adam", loss="logcosh", metrics=["kld"])',
    useInstead: 'model.compile(optimizer="adam", loss="log_cosh", metrics=["kl_divergence"])'
  },
  visitors: { call: visit }
};
