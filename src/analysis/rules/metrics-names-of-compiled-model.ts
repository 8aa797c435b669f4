/**
 * KM260 metrics-names-of-compiled-model.
 * What it does: flags `model.metrics_names`, as Keras 2 code pairs it with `evaluate()`'s results
 * (`zip(model.metrics_names, results)`, the TensorFlow imbalanced-data tutorial).
 * Why: Keras 3 groups the compiled metrics: `metrics_names` is `['loss', 'compile_metrics']` while
 * `evaluate()` returns the loss and every metric's value, so the pairs get the wrong names and
 * `zip` drops the rest, silently (checked on Keras 3.15, every backend).
 * Example: `for name, value in zip(model.metrics_names, results):`
 * Use instead: `results = model.evaluate(..., return_dict=True)` and `results.items()`.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { appendArgument, applyOffsetEdits, callParts, calleeName, lastAssignedValue, stringValue } from '../rule-helpers';

/**
 * `zip(M.metrics_names, R)` where `R = M.evaluate(...)` (no `return_dict`) and the cell reads `R`
 * nowhere else: `R = M.evaluate(..., return_dict=True)` and `R.items()`. A suggestion: another
 * cell may read `R` as a list.
 */
function pairingFix(attribute: SyntaxNode, ctx: RuleContext): RawFix | null {
  const zipCall = attribute.parent?.type === 'argument_list' ? attribute.parent.parent : null;
  const zip = zipCall ? callParts(zipCall, ctx) : null;
  const receiver = child(attribute, 'object');
  if (!zipCall || !zip || !receiver || zip.splat || zip.keywords.size || zip.positional.length !== 2 || zip.positional[0] !== attribute) {
    return null;
  }
  const fn = child(zipCall, 'function');
  const results = zip.positional[1];
  if (fn?.type !== 'identifier' || ctx.textOf(fn) !== 'zip' || ctx.lookup('zip') !== undefined) {
    return null;
  }
  if (results.type === 'call') {
    // `zip(model.metrics_names, model.evaluate(ds))` (keras.io feature engineering examples, in
    // `dict(...)`): the results are read nowhere else, so the pairs become `evaluate(ds,
    // return_dict=True).items()`, iterated the same way (safe).
    const inline = callParts(results, ctx);
    const inlineFn = child(results, 'function');
    const inlineOwner = inlineFn?.type === 'attribute' ? child(inlineFn, 'object') : null;
    if (!inline || !inline.args || inline.splat || !inlineOwner || calleeName(inlineFn!, ctx) !== 'evaluate' || ctx.textOf(inlineOwner) !== ctx.textOf(receiver) || inline.keywords.has('return_dict')) {
      return null;
    }
    const added = appendArgument(inline.args, 'return_dict=True', ctx);
    const text = applyOffsetEdits(ctx.textOf(results), [{ start: added.start - results.start, end: added.end - results.start, text: added.text }]);
    return { title: '`evaluate(..., return_dict=True).items()`', safe: true, edits: [{ start: zipCall.start, end: zipCall.end, text: `${text}.items()` }] };
  }
  if (results.type !== 'identifier') {
    return null;
  }
  const evaluate = lastAssignedValue(ctx.textOf(results), zipCall, ctx);
  const evaluateParts = evaluate?.type === 'call' ? callParts(evaluate, ctx) : null;
  const evaluateFn = evaluate ? child(evaluate, 'function') : null;
  const owner = evaluateFn?.type === 'attribute' ? child(evaluateFn, 'object') : null;
  if (!evaluate || !evaluateParts || !evaluateParts.args || evaluateParts.splat || !owner || calleeName(evaluateFn!, ctx) !== 'evaluate' || ctx.textOf(owner) !== ctx.textOf(receiver) || evaluateParts.keywords.has('return_dict')) {
    return null;
  }
  // Read only in this zip (after the assignment).
  const name = ctx.textOf(results);
  const reads: SyntaxNode[] = [];
  const stack = [...(evaluate.parent?.parent?.parent?.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && n.start > evaluate.end && ctx.textOf(n) === name && !(n.parent?.type === 'attribute' && child(n.parent, 'attribute') === n)) {
      reads.push(n);
    }
    stack.push(...n.children);
  }
  if (reads.length !== 1 || reads[0] !== results) {
    return null;
  }
  const edits: OffsetEdit[] = [appendArgument(evaluateParts.args, 'return_dict=True', ctx), { start: zipCall.start, end: zipCall.end, text: `${name}.items()` }];
  return { title: '`evaluate(..., return_dict=True)` and its `.items()`', safe: false, edits };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const attr = child(node, 'attribute');
  const receiver = child(node, 'object');
  if (!attr || !receiver || ctx.textOf(attr) !== 'metrics_names' || ctx.resolve(node) !== null) {
    return;
  }
  // An assignment to it (a class of the program's own) is not a read.
  if (node.parent?.type === 'assignment' && child(node.parent, 'left') === node) {
    return;
  }
  // `model.metrics_names.index("mean_absolute_error")`: a compiled metric's name is not in the list.
  const method = node.parent?.type === 'attribute' && child(node.parent, 'object') === node ? child(node.parent, 'attribute') : null;
  const call = method && ctx.textOf(method) === 'index' && node.parent!.parent?.type === 'call' ? node.parent!.parent : null;
  const args = call ? child(call, 'arguments') : null;
  const looked = args?.children.length === 1 && args.children[0].type === 'string' ? stringValue(args.children[0], ctx) : null;
  if (looked !== null && looked !== 'loss' && looked !== 'compile_metrics') {
    ctx.report(
      node,
      `In Keras 3 \`metrics_names\` of a compiled model is \`['loss', 'compile_metrics']\` (the compiled metrics are grouped), so \`.index(${JSON.stringify(looked)})\` raises "'${looked}' is not in list" on every backend. \`list(${ctx.textOf(receiver)}.get_metrics_result())\` names the values \`evaluate()\` returns, in their order (or read the value by its name from \`evaluate(..., return_dict=True)\`).`,
      // Keras 3's evaluate() orders its list as the keys of get_metrics_result() (Trainer._flatten_metrics_in_order):
      // checked on TensorFlow, JAX and PyTorch with string and object metrics. Safe: the lookup raised before.
      { title: `Use \`list(${ctx.textOf(receiver)}.get_metrics_result())\``, safe: true, edits: [{ start: node.start, end: node.end, text: `list(${ctx.textOf(receiver)}.get_metrics_result())` }] }
    );
    return;
  }
  ctx.report(
    node,
    "In Keras 3 `metrics_names` of a compiled model is `['loss', 'compile_metrics']` (the compiled metrics are grouped), while `evaluate()` returns the loss and each metric's value: paired with those results, the names are wrong and `zip` drops the rest, silently. Use `evaluate(..., return_dict=True)`, which names every value.",
    pairingFix(node, ctx),
    undefined,
    undefined,
    []
  );
}

export const metricsNamesOfCompiledModel: RuleDefinition = {
  code: 'KM260',
  name: 'metrics-names-of-compiled-model',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Paired with evaluate()'s results, no error: wrong names, silently (reported blocking nothing).
   * `.index(NAME)` of a compiled metric's name raises ValueError on TensorFlow, JAX and PyTorch
   * (Keras 3.15, claims/metrics_names_index.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['metrics_names'],
  docs: {
    whatItDoes: 'Flags reads of `model.metrics_names`, which Keras 2 code pairs with the results of `evaluate()` (`zip(model.metrics_names, results)`) or searches for a metric\'s name (`model.metrics_names.index("mean_absolute_error")`, TensorFlow\'s time-series tutorial).',
    why: "Keras 3 groups the compiled metrics: after `compile(metrics=[...])` a model's `metrics_names` is `['loss', 'compile_metrics']`, while `evaluate()` still returns the loss and every metric's value, so `zip` names the second value `compile_metrics` and drops the others, with no error (checked on Keras 3.15 on TensorFlow, JAX and PyTorch). `.index()` of a compiled metric's name raises \"'mean_absolute_error' is not in list\" on every backend: that read claims all three, and its safe fix reads the names from `list(model.get_metrics_result())`, whose keys come in the order of `evaluate()`'s list (checked on the three backends). `evaluate(..., return_dict=True)` returns the values by their names. Suggested fix, where the results of `evaluate()` are read only in that `zip`: `return_dict=True` and `results.items()` (a suggestion: another cell may read the results as a list); where `evaluate()` is called inside the `zip` (`dict(zip(model.metrics_names, model.evaluate(ds)))`), a safe fix: `model.evaluate(ds, return_dict=True).items()`. Not covered by the migration guide.",
    example: 'results = model.evaluate(x, y, verbose=0)\nfor name, value in zip(model.metrics_names, results):\n    print(name, value)',
    useInstead: 'results = model.evaluate(x, y, verbose=0, return_dict=True)\nfor name, value in results.items():\n    print(name, value)'
  },
  requires: ['metrics_names'],
  attributes: { names: ['metrics_names'] },
  visitors: { attribute: visit }
};
