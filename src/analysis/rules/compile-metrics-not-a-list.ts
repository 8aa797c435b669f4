import { child, classDefinitionsInPlainFunctionsFromModule, itemsOf, rootOf, SyntaxNode } from '../ast';
import { classMethodDefinitions } from '../helpers/model-code';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { lastAssignedValue, moduleAssignments, removeArgument } from '../helpers/calls';
import { parameterArguments } from '../helpers/tf-data';
import { callParts, calleeName } from '../rule-helpers';

/** The `compile()` arguments Keras 3 wants as a list, tuple or dict. */
const LIST_ARGUMENTS = ['metrics', 'weighted_metrics'];

/**
 * Whether `value` is certainly one metric, not a collection: a string, a call of a Keras
 * metric class, or a name resolving into `keras.metrics` / `keras.losses`. A plain variable
 * or any other call may well hold a list, so it is left alone.
 */
function isSingleMetric(value: SyntaxNode, ctx: RuleContext): boolean {
  if (value.type === 'string' || value.type === 'concatenated_string') {
    return true;
  }
  const target = value.type === 'call' ? child(value, 'function') : value;
  if (!target || (target.type !== 'attribute' && target.type !== 'identifier')) {
    return false;
  }
  const name = ctx.resolveKeras(target);
  // `tf.metrics.BinaryAccuracy`: TensorFlow's `tf.metrics`/`tf.losses` are `tf.keras`'s modules.
  const tfName = name === null ? ctx.resolve(target) : null;
  return (name !== null && (name.startsWith('keras.metrics.') || name.startsWith('keras.losses.'))) || /^tensorflow\.(metrics|losses)\.[A-Za-z]/.test(tfName ?? '');
}

/** Fact: a module-level name bound to one metric object (`auc = keras.metrics.AUC()`), for later cells' compile(). */
const SINGLE_METRIC = 'single-metric:';

/** A quoted string literal as a statement's text gives it (a statement the relevance filter left out). */
const STRING_TEXT = /^[rRuUbBfF]{0,2}("[^"\\\r\n]*"|'[^'\\\r\n]*')$/;

/**
 * Whether the name handed to compile() holds one metric where the call runs: `'here'` when the
 * cell's last assignment of it before the call is one (`auc = keras.metrics.AUC()`, `metric =
 * "accuracy"`), `'earlier'` when the cell does not bind it and it is a module name an earlier cell
 * may have bound to one (the finding then holds if that cell noted SINGLE_METRIC), else null.
 */
function singleMetricName(name: SyntaxNode, ctx: RuleContext): 'here' | 'earlier' | null {
  const text = ctx.textOf(name);
  const value = lastAssignedValue(text, name, ctx);
  if (value) {
    return value.type !== 'identifier' && isSingleMetric(value, ctx) ? 'here' : null;
  }
  if (ctx.fn) {
    // A parameter without a default of a top-level function of the cell that every call hands one
    // metric (`def build(metrics): ... compile(metrics=metrics)` called as `build(auc)`).
    const parameters = child(ctx.fn.node, 'parameters');
    const required = !!parameters && parameters.children.some(p => p.type === 'identifier' && ctx.textOf(p) === text);
    const given = required ? parameterArguments(text, name, ctx) : null;
    return given && given.length > 0 && given.every(g => g.value.type !== 'identifier' && isSingleMetric(g.value, ctx)) ? 'here' : null;
  }
  const assignments = (moduleAssignments(rootOf(name), ctx).get(text) ?? []).filter(a => a.statement.start < name.start);
  if (assignments.length === 0) {
    return 'earlier';
  }
  const last = assignments[assignments.length - 1].value;
  return typeof last === 'string' && STRING_TEXT.test(last) ? 'here' : null;
}

/**
 * The model class of the cell behind `NAME.compile(...)` (`NAME = Cls(...)`, the only binding of
 * NAME, then `NAME.fit(...)`) when its own train_step never updates the compiled metrics (no
 * `self.compiled_metrics`, `compute_metrics`, `super().train_step`), and no `metrics` property
 * leaves them out nor a compile() override keeps them from Keras; else null.
 */
function stepIgnoringCompiledMetrics(fn: SyntaxNode, ctx: RuleContext): { clsName: string; cls: SyntaxNode; compileOverride: boolean } | null {
  const object = child(fn, 'object');
  if (!object || object.type !== 'identifier') {
    return null;
  }
  const name = ctx.textOf(object);
  const root = rootOf(fn);
  const text = ctx.text;
  // Indented too: a function that declares the name `global` (or a `main()`) builds the model.
  const bindings = [...text.matchAll(new RegExp(`^[ \\t]*${name}\\s*=\\s*(\\w+)\\(`, 'gm'))];
  if (bindings.length !== 1 || !new RegExp(`\\b${name}\\.fit\\(`).test(text)) {
    return null;
  }
  const clsName = bindings[0][1];
  // At module level or in a script's `main()`.
  const classes = classDefinitionsInPlainFunctionsFromModule(root).filter(c => ctx.textOf(child(c, 'name') ?? c) === clsName);
  const cls = classes.length === 1 ? classes[0] : null;
  const methods = cls ? classMethodDefinitions(cls, ctx) : null;
  // A train_step dispatching on the backend (KM141's per-backend rewrite): TensorFlow runs `_tensorflow_train_step`.
  const dispatch = methods?.get('train_step');
  const step = dispatch && /\bself\._tensorflow_train_step\(/.test(ctx.textOf(dispatch)) ? methods?.get('_tensorflow_train_step') : dispatch;
  if (!cls || !methods || !step) {
    return null;
  }
  // A `metrics` property that leaves out `super().metrics` keeps fit() from reading them, and a
  // compile() override that does not hand `metrics=` on to Keras compiles none; one that extends
  // `super().metrics` and forwards them (keras.io distillation) keeps both.
  const property = methods.get('metrics');
  if (property && !/\bsuper\(\s*(\w+\s*,\s*self\s*)?\)\.metrics\b/.test(ctx.textOf(property))) {
    return null;
  }
  const compile = methods.get('compile');
  if (compile && !/\.compile\([^)]*\bmetrics\s*=/.test(ctx.textOf(compile))) {
    return null;
  }
  return /\bcompiled_metrics\b|\bcompute_metrics\b|\.train_step\(/.test(ctx.textOf(step)) ? null : { clsName, cls, compileOverride: !!compile };
}

/**
 * The fix dropping `metrics=[...]` from `compile()` when nothing of the class reads the compiled
 * metrics (no `compiled_metrics`, `compute_metrics`, `super().train_step` / `test_step`, no
 * compile() override that may need them): Keras 2 left them out of fit()'s logs, so the logs stay
 * Keras 2's. Safe where nothing else would report them (no `evaluate()` or `validation_data` in the
 * cell runs Keras's default test_step on them), else unsafe (evaluate() would no longer report them).
 */
function dropMetricsFix(keyword: { node: SyntaxNode }, found: { cls: SyntaxNode; compileOverride: boolean }, ctx: RuleContext): RawFix | null {
  if (found.compileOverride || /\bcompiled_metrics\b|\bcompute_metrics\b|\.(train|test)_step\(/.test(ctx.textOf(found.cls))) {
    return null;
  }
  const text = ctx.text;
  const lineStart = text.lastIndexOf('\n', keyword.node.start - 1) + 1;
  const rest = /^[ \t]*,?[ \t]*(#[^\r\n]*)?(\r\n|\r|\n)/.exec(text.slice(keyword.node.end));
  // On a line of its own: the whole line goes; else the argument with one neighbouring comma.
  const edit: OffsetEdit =
    /^[ \t]*$/.test(text.slice(lineStart, keyword.node.start)) && rest
      ? { start: lineStart, end: keyword.node.end + rest[0].length, text: '' }
      : removeArgument(keyword.node, ctx);
  const reported = /\.evaluate\(|\bvalidation_data\s*=/.test(text);
  return {
    title: 'Drop the compiled metrics the train_step never updates (`metrics=`)',
    safe: !reported,
    edits: [edit]
  };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  // `auc = keras.metrics.AUC(...)` at module level: a later cell may compile with `metrics=auc`.
  const target = node.parent?.type === 'assignment' && node.field === 'right' ? child(node.parent, 'left') : null;
  if (target?.type === 'identifier' && (!ctx.fn || ctx.fn.globals.has(ctx.textOf(target))) && isSingleMetric(node, ctx)) {
    ctx.note(SINGLE_METRIC + ctx.textOf(target));
    return;
  }
  if (parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  // `model.compile(metrics=[...])` on a model whose train_step ignores them (keras.io Forward-Forward).
  const metrics = parts.keywords.get('metrics');
  const found = metrics && metrics.value.type === 'list' && itemsOf(metrics.value).length > 0 ? stepIgnoringCompiledMetrics(parts.fn, ctx) : null;
  if (metrics && found) {
    const fix = dropMetricsFix(metrics, found, ctx);
    ctx.report(
      metrics.value,
      `\`${found.clsName}.train_step()\` never updates the compiled metrics (no \`self.compiled_metrics\` or \`compute_metrics()\`), which the model's \`metrics\` include: on TensorFlow Keras 3's fit() reads every metric's result at the end of the epoch and raises "Cannot get result() since the metric has not yet been built" (Keras 2 left them out of the logs; on JAX and PyTorch fit() builds them first). ${
        fix ? 'Drop the unused `metrics=`, as the fix does (the logs stay Keras 2\'s)' : 'Drop the unused `metrics=` or update them in the step'
      }.`,
      fix,
      undefined,
      undefined,
      ['tensorflow']
    );
  }
  for (const argument of LIST_ARGUMENTS) {
    const keyword = parts.keywords.get(argument);
    // A name bound to one metric (keras.io's TFRecord recipe: `auc = keras.metrics.AUC(...)`, `metrics=auc`).
    const named = keyword && keyword.value.type === 'identifier' && ctx.resolve(keyword.value) === null ? singleMetricName(keyword.value, ctx) : null;
    if (!keyword || (!named && !isSingleMetric(keyword.value, ctx))) {
      continue;
    }
    const text = ctx.textOf(keyword.value);
    ctx.report(
      keyword.value,
      `Keras 3 \`compile(${argument}=...)\` takes a list, tuple or dict and raises "Expected \`${argument}\` argument to be a list, tuple, or dict" for a single metric; Keras 2 accepted \`${argument}=${text.length > 40 ? text.slice(0, 37) + '...' : text}\`.`,
      {
        title: `Wrap the metric in a list: \`${argument}=[...]\``,
        safe: true,
        edits: [
          { start: keyword.value.start, end: keyword.value.start, text: '[' },
          { start: keyword.value.end, end: keyword.value.end, text: ']' }
        ]
      },
      undefined,
      named === 'earlier' ? 'earlier:' + SINGLE_METRIC + ctx.textOf(keyword.value) : undefined
    );
  }
}

export const compileMetricsNotAList: RuleDefinition = {
  code: 'KM185',
  name: 'compile-metrics-not-a-list',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError at compile() on TensorFlow, JAX and PyTorch (Keras 3.0.5 and 3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  // `model.compile(...)` on a model the analysis cannot type (returned by a helper, loaded).
  triggers: ['compile'],
  docs: {
    whatItDoes: 'Flags `compile(metrics=...)` and `compile(weighted_metrics=...)` given one metric (a name string, a metric object or function, or a name last bound to one: in the cell, by a module-level assignment a function reads at its one call, by an earlier cell\'s module-level `auc = keras.metrics.AUC()`, or a parameter of a cell function every call hands one) instead of a list; and `model.compile(metrics=[...])` then `model.fit(...)` on a model class of the cell whose train_step never updates the compiled metrics (no `self.compiled_metrics`, `compute_metrics()` or `super().train_step`) and whose `metrics` include them: no `metrics` property, or one extending `super().metrics`, and no compile() override, or one handing `metrics=` on to Keras (keras.io Forward-Forward, and the distillation guide, whose test_step alone updates them).',
    why: 'Keras 2 accepted a single metric there. Keras 3 checks the type and raises "Expected `metrics` argument to be a list, tuple, or dict" on every backend. Not covered by the migration guide. A one-element list means the same metric, so the fix is safe. Compiled metrics a custom train_step never updates stay unbuilt; Keras 3\'s fit() reads every metric\'s result at the end of an epoch, which raises "Cannot get result() since the metric has not yet been built" on TensorFlow (checked on Keras 3.15; on JAX and PyTorch fit() builds them symbolically first), where Keras 2 left them out of the logs: that finding blocks TensorFlow only. Its fix drops the unused `metrics=` where nothing of the class reads the compiled metrics (no `compiled_metrics`, `compute_metrics()`, `super().train_step()`/`test_step()`, no compile() override), which keeps the logs Keras 2 wrote: safe, or unsafe where `evaluate()` or `validation_data=` would run the default test_step on them (which reports them); elsewhere update them in the step or drop them by hand.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics="mae")',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae"])'
  },
  // compile(), and the metric classes a module-level name may be bound to (noted for later cells).
  calls: { names: ['compile'], resolved: ['keras.metrics.', 'keras.losses.', 'tensorflow.keras.metrics.', 'tensorflow.keras.losses.', 'tensorflow.metrics.', 'tensorflow.losses.'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['compile'],
  visitors: { call: visit }
};
