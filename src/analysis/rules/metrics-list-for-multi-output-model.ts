/**
 * metrics-list-for-multi-output-model (KM300)
 *
 * What it does: flags `model.compile(metrics=[...])` with a flat list of fewer metrics than the
 * Functional model has outputs (`metrics=["accuracy"]` or `metrics=[keras.metrics.MeanAbsoluteError()]`
 * for a model with side outputs), the model's outputs counted from the code that builds them (a
 * literal list, a list comprehension over one, a list grown by `.append(...)` /
 * `.extend(other_model.output)`, also in a function of the cell that returns the model).
 *
 * Why: Keras 2 applied every metric of a flat list to every output. Keras 3 matches the metrics
 * to the outputs' structure: a list of one metric for several outputs fails in `fit()` with
 * "tuple arity mismatch" (JAX), "Node arity mismatch" (PyTorch) or "Invalid `metrics`" (TensorFlow)
 * (Keras 3.15: claims/metrics_list_for_multi_output_model.py).
 *
 * Example:
 *   model = keras.Model(inputs, [mask_head, edge_head])
 *   model.compile(optimizer="adam", loss=["mse", "mse"], metrics=[keras.metrics.MeanAbsoluteError(name="mae")])
 *
 * Use instead: one entry per output, as keras.io's BASNet port does:
 *   metrics=[keras.metrics.MeanAbsoluteError(name="mae") for _ in model.outputs]
 *
 * Fix: safe, when every metric is a string or a constructor call: the list becomes a
 * comprehension over `model.outputs` (a list per output when there are several metrics), which
 * gives each output fresh metric objects of the kinds Keras 2 gave it.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { modelOutputCount } from '../helpers/model-outputs';
import { callParts, calleeName } from '../rule-helpers';

/**
 * The number of items of the list or tuple literal that `name` was last assigned at the start of a
 * line before `before` (`loss = ["bce", "cce", mi_loss, mi_loss]`), counted by its top-level commas
 * (brackets and strings skipped; at most 4000 characters read); 0 when it is no such literal.
 */
function listLengthAssigned(name: string, before: number, ctx: RuleContext): number {
  const matches = [...ctx.text.slice(0, before).matchAll(new RegExp(`^[ \\t]*${name}[ \\t]*=(?!=)[ \\t]*([\\[(])`, 'gm'))];
  const last = matches[matches.length - 1];
  if (!last) {
    return 0;
  }
  let depth = 0;
  let items = 0;
  let pending = false;
  let quote = '';
  const start = last.index! + last[0].length - 1;
  for (let i = start; i < Math.min(ctx.text.length, start + 4000); i++) {
    const c = ctx.text[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = '';
      }
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      const end = ctx.text.indexOf('\n', i);
      i = end < 0 ? ctx.text.length : end;
      continue;
    } else if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) {
        return items + (pending ? 1 : 0);
      }
    } else if (c === ',' && depth === 1) {
      items += pending ? 1 : 0;
      pending = false;
      continue;
    }
    if (depth >= 1 && i > start && !/\s/.test(c)) {
      pending = true;
    }
  }
  return 0;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.fn.type !== 'attribute' || ctx.resolve(parts.fn) || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  const receiver = child(parts.fn, 'object');
  const metrics = parts.keywords.get('metrics')?.value;
  if (!receiver || receiver.type !== 'identifier' || !metrics || (metrics.type !== 'list' && metrics.type !== 'tuple')) {
    return;
  }
  const items = itemsOf(metrics);
  if (!items.length || items.some(i => ['list', 'tuple', 'dictionary', 'list_splat', 'dictionary_splat', 'list_comprehension'].includes(i.type))) {
    return;
  }
  // Outputs the building code does not show (a builder that rebinds `outputs` under an `if`, `Model(z, d(z))`
  // of such a model: Atienza's InfoGAN, og48d repro_2): a literal list of two or more losses (or loss
  // weights) in the same compile says how many there are, as Keras 3 pairs them with the outputs.
  // Written there, or held by a name last assigned one (`loss = ["binary_crossentropy", ...]` above the compile,
  // read from the text: the relevance filter may leave a statement of strings out of the tree).
  const itemCount = (v: SyntaxNode | undefined): number => {
    if (v?.type === 'list' || v?.type === 'tuple') {
      return itemsOf(v).length;
    }
    return v?.type === 'identifier' ? listLengthAssigned(ctx.textOf(v), node.start, ctx) : 0;
  };
  const listed = Math.max(itemCount(parts.keywords.get('loss')?.value ?? parts.positional[1]), itemCount(parts.keywords.get('loss_weights')?.value));
  const fromCode = modelOutputCount(receiver, node, ctx);
  const count = fromCode ?? (listed >= 2 ? { min: listed, exact: true } : null);
  if (!count || count.min < 2) {
    return;
  }
  const k = items.length;
  if (!(k < count.min || (count.exact && k !== count.min))) {
    return;
  }
  const model = ctx.textOf(receiver);
  const outputs = count.exact ? `${count.min} outputs` : `at least ${count.min} outputs`;
  const fresh = items.every(i => i.type === 'string' || i.type === 'concatenated_string' || i.type === 'call');
  const entry = k === 1 ? ctx.textOf(items[0]) : `[${items.map(i => ctx.textOf(i)).join(', ')}]`;
  const replacement = fromCode ? `[${entry} for _ in ${model}.outputs]` : `[${entry} for _ in range(${count.min})]`;
  ctx.report(
    metrics,
    `\`${model}.compile(metrics=...)\` gets ${k === 1 ? 'one metric' : `${k} metrics`} for \`${model}\`, ${fromCode ? 'a Functional model' : 'a model'} with ${outputs}: Keras 2 applied every metric to every output, Keras 3 matches the metrics to the outputs and \`fit()\` fails ("arity mismatch" / "Invalid \`metrics\`") on every backend. Give one entry per output: \`metrics=${replacement}\`.` +
      (fresh ? '' : ' No fix: a metric given by name would be one object shared by every output; construct one per output.'),
    fresh ? { title: `Give every output its metrics: \`metrics=${replacement}\``, safe: true, edits: [{ start: metrics.start, end: metrics.end, text: replacement }] } : null
  );
}

export const metricsListForMultiOutputModel: RuleDefinition = {
  code: 'KM300',
  name: 'metrics-list-for-multi-output-model',
  slug: 'api-changes',
  severity: 'error',
  /** fit() fails on TensorFlow, JAX and PyTorch (Keras 3.15): claims/metrics_list_for_multi_output_model.py. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['compile'],
  docs: {
    whatItDoes:
      'Flags `model.compile(metrics=[...])` given a flat list of fewer metrics than the Functional model has outputs (or of another number than its exactly known outputs), the outputs counted from the code that builds them: a literal list, a list comprehension over one, a name bound to a list and grown by `.append(...)` or `.extend(other_model.output)` before the model is made (keras.io BASNet\'s side outputs), also when a function of the cell builds and returns the model.',
    why:
      'Keras 2 applied every metric of a flat list to every output of the model. Keras 3 matches the metrics to the structure of the outputs: one metric for several outputs makes `fit()` fail with "tuple arity mismatch" on JAX, "Node arity mismatch" on PyTorch and "Invalid `metrics`" on TensorFlow (checked by running Keras 3.15 on each backend). The Keras team\'s BASNet port passes one metric per output, `[keras.metrics.MeanAbsoluteError(name="mae") for _ in model.outputs]`. The fix (safe, offered when every metric is a string or a constructor call, so each output gets its own objects) writes that comprehension, with a list per output when there are several metrics. Not covered by the migration guide.',
    example:
      'import keras\ninputs = keras.Input((4,))\noutputs = [keras.layers.Dense(1)(inputs)]\noutputs.append(keras.layers.Dense(1)(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="adam", loss=["mse", "mse"], metrics=[keras.metrics.MeanAbsoluteError(name="mae")])',
    useInstead:
      'import keras\ninputs = keras.Input((4,))\noutputs = [keras.layers.Dense(1)(inputs)]\noutputs.append(keras.layers.Dense(1)(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="adam", loss=["mse", "mse"], metrics=[keras.metrics.MeanAbsoluteError(name="mae") for _ in model.outputs])'
  },
  calls: { names: ['compile'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['compile'],
  visitors: { call: visit }
};
