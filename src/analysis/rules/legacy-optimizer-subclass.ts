/**
 * legacy-optimizer-subclass (KM228)
 *
 * What it does: flags a class deriving from a Keras optimizer (`keras.optimizers.Optimizer`,
 * `tf.keras.optimizers.legacy.Optimizer`, a built-in such as `Adam`) that implements the Keras 2
 * (OptimizerV2) optimizer API: it defines `_resource_apply_dense` / `_resource_apply_sparse` /
 * `_create_slots` / `_prepare_local` / `get_updates`, or calls `self._set_hyper`, `self._get_hyper`,
 * `self.add_slot`, `self.get_slot`, `self._decayed_lr` or `self._serialize_hyperparameter`.
 *
 * Why: Keras 3 optimizers have none of that API. The constructor takes `learning_rate` first (the
 * Keras 2 `super().__init__(name, **kwargs)` passes the name as the learning rate: "Argument
 * `learning_rate` should be float ..."), `_set_hyper`/`add_slot` do not exist, and the training
 * step never calls `_resource_apply_dense`: the optimizer fails on TensorFlow, JAX and PyTorch.
 * Renaming the base class (`keras.optimizers.legacy.Optimizer` to `keras.optimizers.Optimizer`,
 * KM165) does not make it run; the update rule has to be rewritten.
 * A subclass of a built-in optimizer (`Adam`) that only defines such hooks (its Keras 2 helper
 * calls all inside them, its constructor given keywords) runs instead, with the built-in update:
 * Keras 3 never calls the hooks, so the custom update is silently lost; that finding claims no
 * backend.
 *
 * Example:
 *   class MySGD(keras.optimizers.Optimizer):
 *       def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):
 *           super().__init__(name, **kwargs)
 *           self._set_hyper("learning_rate", learning_rate)
 *       def _resource_apply_dense(self, grad, var, apply_state=None):
 *           return var.assign_sub(self._get_hyper("learning_rate") * grad)
 *
 * Use instead: `build(var_list)` creating slots with `self.add_variable_from_reference(var,
 * "velocity")`, and `update_step(gradient, variable, learning_rate)` with `self.assign` /
 * `self.assign_sub` and keras.ops; hyperparameters as plain attributes; `learning_rate=` and
 * `name=` passed by keyword to `super().__init__`.
 *
 * Fix (suggestion, sometimes): for a class deriving from the abstract optimizer
 * (`keras.optimizers.legacy.Optimizer`, `OptimizerV2`) whose update is `_resource_apply_dense` and
 * which uses only `_set_hyper` / `_get_hyper` / `_create_slots` / `add_slot` / `get_slot` /
 * `_decayed_lr` / `_serialize_hyperparameter`: the base becomes `Keras2Optimizer`, added before the
 * class (helpers/legacy-optimizer.ts: that API on a Keras 3 optimizer, run by `build()` and
 * `update_step()`), and `x.dtype.base_dtype` becomes `x.dtype`. The class's own code is kept;
 * its TensorFlow ops get keras.ops by the other rules (optimizer methods are model code). A
 * built-in base (`Adam`, whose update the class extends through `super()`) gets no fix. The
 * message maps each Keras 2 name the class uses to its Keras 3 spelling (that mapping, applied by
 * hand to claims/legacy_optimizer_subclass.py, trains on TensorFlow, JAX and PyTorch).
 */
import { child, SyntaxNode } from '../ast';
import { LEGACY_OPTIMIZER_CLASS, LEGACY_OPTIMIZER_CODE, optimizerSubclass } from '../helpers/legacy-optimizer';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { lineStartAt, withKerasImport } from '../rule-helpers';

/** Methods only the Keras 2 optimizer (OptimizerV2 and the older keras.optimizers.Optimizer) calls. */
const LEGACY_METHODS = new Set(['_resource_apply_dense', '_resource_apply_sparse', '_create_slots', '_prepare_local', 'get_updates', '_resource_apply_sparse_duplicate_indices']);

/** Keras 2 optimizer helpers a subclass calls on itself. */
const LEGACY_SELF_CALLS = new Set(['_set_hyper', '_get_hyper', 'add_slot', 'get_slot', '_decayed_lr', '_serialize_hyperparameter']);

/** The Keras 2 API the class body uses, in source order (names only, each once). */
function legacyApiUsed(body: SyntaxNode, ctx: RuleContext): string[] {
  const found: string[] = [];
  const add = (name: string): void => {
    if (!found.includes(name)) {
      found.push(name);
    }
  };
  const visit = (node: SyntaxNode, depth: number): void => {
    if (node.type === 'class_definition') {
      return;
    }
    if (node.type === 'function_definition' && depth === 0) {
      const name = child(node, 'name');
      if (name && LEGACY_METHODS.has(ctx.textOf(name))) {
        add(ctx.textOf(name));
      }
    }
    if (node.type === 'call') {
      const fn = child(node, 'function');
      const object = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
      const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
      if (object && attr && ctx.textOf(object) === 'self' && LEGACY_SELF_CALLS.has(ctx.textOf(attr))) {
        add(ctx.textOf(attr));
      }
    }
    const nextDepth = node.type === 'function_definition' ? depth + 1 : depth;
    for (const c of node.children) {
      visit(c, nextDepth);
    }
  };
  for (const statement of body.children) {
    visit(statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement, 0);
  }
  return found;
}

/**
 * Whether a subclass of a built-in optimizer (`Adam`) only defines Keras 2 hooks that Keras 3
 * never calls: every Keras 2 helper call (`self.get_slot(...)`) sits inside such a hook, and its
 * `__init__`, if any, passes `super().__init__` keywords only (Keras 2's positional name would be
 * taken as the learning rate). Keras 3.15 trains it on TensorFlow, JAX and PyTorch with the
 * built-in update (hooks that raise when called were never called; checked by running).
 */
function overridesOnlyUncalledHooks(base: SyntaxNode, body: SyntaxNode, ctx: RuleContext): boolean {
  const baseName = ctx.resolveKeras(base) ?? ctx.resolve(base) ?? '';
  if (!/^keras\.optimizers\.(?!Optimizer$)[A-Z]\w*$/.test(baseName)) {
    return false;
  }
  for (const statement of body.children) {
    const def = statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement;
    const defName = def.type === 'function_definition' ? ctx.textOf(child(def, 'name') ?? def) : null;
    if (defName !== null && LEGACY_METHODS.has(defName)) {
      continue; // never called by Keras 3
    }
    if (legacyApiUsed(def.type === 'function_definition' ? child(def, 'body') ?? def : def, ctx).length > 0) {
      return false;
    }
    if (defName === '__init__' && /\bsuper\(\s*(\w+\s*,\s*\w+\s*)?\)\s*\.\s*__init__\s*\(\s*(?!\)|\*\*|\w+\s*=[^=])/.test(ctx.textOf(def))) {
      return false; // a positional argument to the optimizer's constructor
    }
  }
  return true;
}

/** Methods the fix can run through Keras 3 (anything else Keras 2 called, e.g. `get_updates`, `_resource_apply_sparse` alone, has no counterpart). */
const SHIMMED = new Set(['_resource_apply_dense', '_resource_apply_sparse', '_create_slots', '_set_hyper', '_get_hyper', 'add_slot', 'get_slot', '_decayed_lr', '_serialize_hyperparameter']);

/**
 * The suggested fix: the class derives from `Keras2Optimizer`, the Keras 2 subclass API written
 * on a Keras 3 optimizer (defined once in the cell, before the class), and `x.dtype.base_dtype`
 * (a TensorFlow DType attribute; Keras 3 variables have string dtypes) becomes `x.dtype`. Only
 * for a class whose update is `_resource_apply_dense` and which uses no other Keras 2 hook.
 */
function shimFix(node: SyntaxNode, base: SyntaxNode, body: SyntaxNode, used: string[], ctx: RuleContext): RawFix | null {
  const baseName = ctx.resolveKeras(base) ?? ctx.resolve(base) ?? '';
  const abstractBase = /^keras\.optimizers\.(legacy\.)?Optimizer$/.test(baseName) || /OptimizerV2$/.test(baseName);
  // A built-in base (`Adam`) keeps its own update through `super()`: the fix would drop it.
  if (!abstractBase || !used.includes('_resource_apply_dense') || used.some(u => !SHIMMED.has(u)) || node.parent?.type !== 'module' || /\bsuper\(\)\._[a-z]/.test(ctx.textOf(body))) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: base.start, end: base.end, text: LEGACY_OPTIMIZER_CLASS }];
  const text = ctx.textOf(body);
  for (const m of text.matchAll(/\.dtype\.base_dtype\b/g)) {
    const start = body.start + m.index! + '.dtype'.length;
    edits.push({ start, end: start + '.base_dtype'.length, text: '' });
  }
  if (!new RegExp(`^class ${LEGACY_OPTIMIZER_CLASS}\\b`, 'm').test(ctx.text)) {
    const at = lineStartAt(ctx.text, node.start);
    edits.push({ start: at, end: at, text: `${LEGACY_OPTIMIZER_CODE}\n\n` });
  }
  return { title: 'Derive it from `Keras2Optimizer`, the Keras 2 optimizer API written on a Keras 3 optimizer (added to the program)', safe: false, edits: withKerasImport(ctx, edits) };
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const subclass = optimizerSubclass(node, ctx);
  if (!subclass) {
    return;
  }
  const { name, body, base } = subclass;
  if (ctx.textOf(name) === LEGACY_OPTIMIZER_CLASS) {
    return; // the fix's own class, which provides the Keras 2 API
  }
  const used = legacyApiUsed(body, ctx);
  if (used.length === 0) {
    return;
  }
  const fix = shimFix(node, base, body, used, ctx);
  const list = used.slice(0, 3).map(u => `\`${u}\``).join(', ') + (used.length > 3 ? ', ...' : '');
  const equivalents = used.map(u => KERAS3_EQUIVALENT[u]).filter((e): e is string => !!e);
  if (overridesOnlyUncalledHooks(base, body, ctx)) {
    ctx.report(
      name,
      `\`${ctx.textOf(name)}\` overrides Keras 2 optimizer hooks (${list}) that Keras 3 never calls: it trains with the built-in \`${ctx.textOf(base)}\` update on every backend, and its own update is silently not applied. ` +
        'Rewrite it as `update_step(gradient, variable, learning_rate)` (slots made in `build(var_list)` with `self.add_variable_from_reference`)' +
        (equivalents.length ? `. In Keras 3: ${equivalents.join('; ')}.` : '.'),
      null,
      undefined,
      undefined,
      []
    );
    return;
  }
  ctx.report(
    name,
    `\`${ctx.textOf(name)}\` implements the Keras 2 optimizer API (${list}), which Keras 3 optimizers do not have: it fails on every backend. ` +
      'Rewrite it with `build(var_list)` (slots from `self.add_variable_from_reference`) and `update_step(gradient, variable, learning_rate)`, passing `learning_rate=` and `name=` by keyword to `super().__init__` ' +
      '(callers pass `learning_rate=`, not `lr=`)' +
      (equivalents.length ? `. In Keras 3: ${equivalents.join('; ')}.` : '.') +
      (fix ? ' The suggested fix keeps the class as it is and derives it from `Keras2Optimizer`, an added Keras 3 optimizer that provides those methods (TensorFlow ops in the update still need their keras.ops spelling).' : ''),
    fix ?? undefined
  );
}

/** The Keras 3 spelling of each Keras 2 optimizer API name, for the message (in the order found). */
const KERAS3_EQUIVALENT: Record<string, string> = {
  _set_hyper: '`self._set_hyper("m", m)` becomes `self.m = m` (the learning rate goes to `super().__init__(learning_rate=...)`)',
  _get_hyper: '`self._get_hyper("m", dtype)` becomes `keras.ops.cast(self.m, dtype)`',
  _decayed_lr: '`self._decayed_lr(dtype)` becomes `keras.ops.cast(learning_rate, dtype)` (the argument of `update_step`)',
  _create_slots: '`_create_slots(var_list)` becomes `build(var_list)` (call `super().build(var_list)` first)',
  add_slot: '`self.add_slot(var, "v")` becomes `self.v = [self.add_variable_from_reference(var, "v") for var in var_list]`',
  get_slot: '`self.get_slot(var, "v")` becomes `self.v[self._get_variable_index(var)]`',
  _resource_apply_dense: '`_resource_apply_dense(grad, var, apply_state)` becomes `update_step(gradient, variable, learning_rate)`, with `self.assign(v, x)` / `self.assign_add(v, x)` for `v.assign(x)` / `v.assign_add(x)` and `keras.ops` for TF ops',
  _serialize_hyperparameter: '`self._serialize_hyperparameter("m")` becomes `self.m`',
  get_updates: '`get_updates(loss, params)` becomes `update_step(gradient, variable, learning_rate)`'
};

export const legacyOptimizerSubclass: RuleDefinition = {
  code: 'KM228',
  name: 'legacy-optimizer-subclass',
  slug: 'api-changes',
  severity: 'error',
  /** Constructing it fails on TensorFlow, JAX and PyTorch (Keras 3.15): claims/legacy_optimizer_subclass.py. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['_resource_apply_dense', '_resource_apply_sparse', '_create_slots', '_set_hyper', 'get_updates'],
  docs: {
    whatItDoes:
      'Flags an optimizer subclass (of `keras.optimizers.Optimizer`, `tf.keras.optimizers.legacy.Optimizer` or a built-in optimizer) written against the Keras 2 optimizer API: it defines `_resource_apply_dense`, `_create_slots` or `get_updates`, or calls `self._set_hyper`, `self._get_hyper`, `self.add_slot`, `self.get_slot` or `self._decayed_lr`.',
    why: 'Keras 3 optimizers have none of that API: the constructor takes `learning_rate` first (Keras 2\'s `super().__init__(name, **kwargs)` passes the name as the learning rate), `_set_hyper` and `add_slot` do not exist, and training never calls `_resource_apply_dense`, so the optimizer fails on TensorFlow, JAX and PyTorch. Renaming the base class does not help. A subclass of a built-in optimizer (`Adam`) that only defines such hooks (every Keras 2 helper call inside them, `super().__init__` given keywords) trains instead, with the built-in update, on every backend: Keras 3 never calls the hooks, so its own update is silently lost; that finding claims no backend (checked by running hooks that raise). Not covered by the migration guide. Suggested (unsafe) fix, for a class deriving from the abstract optimizer (`keras.optimizers.legacy.Optimizer`) whose update is `_resource_apply_dense` and which uses only `_set_hyper`, `_get_hyper`, `_create_slots`, `add_slot`, `get_slot`, `_decayed_lr` and `_serialize_hyperparameter`: the class derives from `Keras2Optimizer`, added to the program, a Keras 3 optimizer that provides that API (`super().__init__(name, **kwargs)` with `lr=` / `decay=` taken as Keras 2 did, slots made with `add_variable_from_reference` in `build()`, `_resource_apply_dense` run by `update_step()` with the step\'s learning rate), and `var.dtype.base_dtype` becomes `var.dtype` (Keras 3 dtypes are strings); TensorFlow ops in the update get their keras.ops spelling from the other rules. Checked on Keras 3.15 on TensorFlow, JAX and PyTorch (training, get_config/from_config). A built-in base (`Adam`) whose update the class extends through `super()` gets no fix.',
    example:
      'import keras\nclass MySGD(keras.optimizers.Optimizer):\n    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper("learning_rate", learning_rate)\n    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return var.assign_sub(self._get_hyper("learning_rate", var.dtype) * grad)',
    useInstead:
      'import keras\nclass MySGD(keras.optimizers.Optimizer):\n    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(learning_rate=learning_rate, name=name, **kwargs)\n    def update_step(self, gradient, variable, learning_rate):\n        self.assign_sub(variable, keras.ops.cast(learning_rate, variable.dtype) * gradient)'
  },
  visitors: { class_definition: visitClass }
};
