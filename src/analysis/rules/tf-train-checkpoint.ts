import { child, enclosingFunctionDefinition, rootOf, SyntaxNode } from '../ast';
import { lastAssignedValue, parameterNames } from '../helpers/calls';
import { indentOf } from '../helpers/init-attribute';
import { isTfModuleInstance, looksLikeModel } from '../helpers/model-code';
import { rereadable } from '../helpers/paths';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

const CHECKPOINT = 'tensorflow.train.Checkpoint';
const MANAGER = 'tensorflow.train.CheckpointManager';
const LATEST = 'tensorflow.train.latest_checkpoint';
const OPTIMIZER_NAME = /optimi[sz]er|^opt$|^opt_|_opt$/i;
const MODEL_KEY = /model|net$|network|encoder|decoder|generator|discriminator|classifier|regressor|critic|actor/i;
/** Methods of a restore status that only check or silence it: dropping them with the restore changes no value. */
const STATUS_CHECKS = new Set(['expect_partial', 'assert_consumed', 'assert_existing_objects_matched', 'assert_nontrivial_match']);

/** The fact that `name` holds a checkpoint (or manager) this rule's fix turned into a dict (or a namespace). */
function checkpointFact(name: string): string {
  return `tf-checkpoint:${name}`;
}
function managerFact(name: string): string {
  return `tf-checkpoint-manager:${name}`;
}
/** The fact that a use of checkpoint `name` has no fix (its return value is read, a restore of another path...): the checkpoint stays. */
function keptFact(name: string): string {
  return `tf-checkpoint-kept:${name}`;
}
function managerKeptFact(name: string): string {
  return `tf-checkpoint-manager-kept:${name}`;
}
/** The condition of a fix of a use of checkpoint `name`: the checkpoint became a dict. */
function fixedCondition(name: string): string {
  return `anywhere:${checkpointFact(name)} & !anywhere:${keptFact(name)}`;
}
const CHECKPOINT_USES = new Set(['save', 'write', 'restore', 'read']);
const MANAGER_USES = new Set(['save', 'latest_checkpoint', 'directory']);

/**
 * Whether the cell uses `name` after `from` other than as `name.ATTR` with ATTR in `allowed` (or
 * as the checkpoint of a `tf.train.CheckpointManager`), up to a rebinding of the name.
 */
function otherUse(name: string, allowed: Set<string>, from: number, ctx: RuleContext, root: SyntaxNode): boolean {
  const found: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.end <= from) {
      continue;
    }
    if (n.type === 'identifier' && n.start >= from && ctx.textOf(n) === name) {
      found.push(n);
    }
    stack.push(...n.children);
  }
  found.sort((x, y) => x.start - y.start);
  for (const ident of found) {
    const parent = ident.parent;
    if (parent?.type === 'assignment' && child(parent, 'left') === ident) {
      return false; // rebound: later uses are of another value
    }
    if (parent?.type === 'attribute' && child(parent, 'object') === ident) {
      if (!allowed.has(ctx.textOf(child(parent, 'attribute') ?? parent))) {
        return true;
      }
      continue;
    }
    if (parent?.type === 'attribute') {
      continue; // `other.name`: another object's attribute
    }
    const call = parent?.type === 'argument_list' || parent?.type === 'keyword_argument' ? (parent.type === 'argument_list' ? parent.parent : parent.parent?.parent) : null;
    const fn = call?.type === 'call' ? child(call, 'function') : null;
    if (fn && ctx.resolve(fn) === MANAGER) {
      continue;
    }
    return true;
  }
  return false;
}

/** The names the cell assigns `tf.train.CheckpointManager(name, ...)` to. */
function managersOf(name: string, ctx: RuleContext, root: SyntaxNode): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call' && ctx.resolve(child(n, 'function') ?? n) === MANAGER) {
      const parts = callParts(n, ctx);
      const ckpt = parts?.positional[0] ?? parts?.keywords.get('checkpoint')?.value;
      const manager = assignedName(n, ctx);
      if (ckpt && ctx.textOf(ckpt) === name && manager) {
        out.push(manager);
      }
    }
    stack.push(...n.children);
  }
  return out;
}

function isOptimizer(node: SyntaxNode, ctx: RuleContext): boolean {
  const resolved = ctx.resolveKeras(node);
  if (resolved?.startsWith('keras.optimizers.')) {
    return true;
  }
  const name = node.type === 'identifier' ? ctx.textOf(node) : node.type === 'attribute' ? ctx.textOf(child(node, 'attribute') ?? node) : '';
  return OPTIMIZER_NAME.test(name);
}

/**
 * A Keras optimizer (a constructor call such as `tf.keras.optimizers.Adam(1e-4)`, a name assigned
 * one, a name or keyword like `optimizer`) or a model/layer instance (known, or named like one, or
 * under a keyword named like one: `net=v6`).
 */
function kerasKind(key: string, value: SyntaxNode, ctx: RuleContext): 'model' | 'optimizer' | null {
  if (value.type === 'call') {
    const resolved = ctx.resolveKeras(child(value, 'function') ?? value);
    return resolved?.startsWith('keras.optimizers.') ? 'optimizer' : null;
  }
  if (value.type !== 'identifier' && value.type !== 'attribute') {
    return null;
  }
  const assigned = value.type === 'identifier' ? lastAssignedValue(ctx.textOf(value), value, ctx) : null;
  if (isOptimizer(value, ctx) || (assigned?.type === 'call' && kerasKind(key, assigned, ctx) === 'optimizer')) {
    return 'optimizer';
  }
  if (ctx.isLayerInstance(value)) {
    return 'model';
  }
  // A TensorFlow object (`step=tf.Variable(1)`, a tf.data iterator) under any keyword name.
  if (assigned?.type === 'call' && ctx.resolve(child(assigned, 'function') ?? assigned)?.startsWith('tensorflow.') && !ctx.resolveKeras(child(assigned, 'function') ?? assigned)) {
    return null;
  }
  if (OPTIMIZER_NAME.test(key)) {
    return 'optimizer';
  }
  // A `tf.Module` of the cell under `model=` (TensorFlow's checkpoint guide) stays TensorFlow's: no Keras weights to save.
  if (isTfModuleInstance(value, ctx)) {
    return null;
  }
  return looksLikeModel(value, ctx) || MODEL_KEY.test(key) ? 'model' : null;
}

/** The statement `NAME = <node>` (a plain assignment to one name) holding `node`, with the name. */
function assignedName(node: SyntaxNode, ctx: RuleContext): string | null {
  const assignment = node.parent;
  if (assignment?.type !== 'assignment' || child(assignment, 'right') !== node || assignment.parent?.type !== 'expression_statement') {
    return null;
  }
  const left = child(assignment, 'left');
  return left?.type === 'identifier' ? ctx.textOf(left) : null;
}

function importEdits(ctx: RuleContext, modules: string[]): OffsetEdit[] {
  return modules.map(m => ctx.importEdit(m)).filter((e): e is OffsetEdit => e !== null);
}

/** Replaces `statement` by `lines` (the first at the statement's column, the others indented alike). */
function statementFix(statement: SyntaxNode, lines: string[], title: string, modules: string[], ctx: RuleContext): RawFix {
  const indent = indentOf(statement, ctx);
  // The file's indentation step, as the enclosing block shows it (4 spaces at the top level).
  const header = statement.parent?.type === 'block' ? statement.parent.parent : null;
  const step = header && indent.startsWith(indentOf(header, ctx)) && indent.length > indentOf(header, ctx).length ? indent.slice(indentOf(header, ctx).length) : '    ';
  return {
    title,
    safe: false,
    edits: [{ start: statement.start, end: statement.end, text: lines.map(l => l.replace(/^( {4})+/, m => step.repeat(m.length / 4))).join('\n' + indent) }, ...importEdits(ctx, modules)]
  };
}

function saveLines(dict: string, prefix: string, folder: string): string[] {
  return [
    `os.makedirs(${folder}, exist_ok=True)`,
    `for _name, _model in ${dict}.items():`,
    `    _model.save_weights(${prefix} + "-" + _name + ".weights.h5")`
  ];
}

/**
 * The branch for a model not built yet: Keras 3's `load_weights()` needs the model's variables, where
 * Keras 2's `tf.train.Checkpoint` restore was deferred until the model was built. Skipping the load
 * silently would run the rest on untrained weights, so the program says so.
 */
function notBuiltWarning(branch: string): string[] {
  return [
    `    ${branch}:`,
    `        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")`
  ];
}

function latestLoadLines(dict: string, folder: string): string[] {
  return [
    `for _name, _model in ${dict}.items():`,
    `    _saved = glob.glob(os.path.join(${folder}, "*-" + _name + ".weights.h5"))`,
    `    if _saved and _model.built:`,
    `        _model.load_weights(max(_saved, key=os.path.getmtime))`,
    ...notBuiltWarning('elif _saved')
  ];
}

const BLOCKED =
  'a Keras 3 model or optimizer is a TensorFlow `Trackable` only on the TensorFlow backend, so on JAX and PyTorch `tf.train.Checkpoint(...)` raises "ValueError: `Checkpoint` was expecting ... to be a trackable object"';

/** The entries of a dict made in place: `dict(model=m)` or `{"model": m}` (null for anything else). */
function dictEntries(value: SyntaxNode | null, ctx: RuleContext): Array<{ key: string; value: SyntaxNode }> | null {
  if (value?.type === 'call' && ctx.textOf(child(value, 'function') ?? value) === 'dict') {
    const parts = callParts(value, ctx);
    return parts && !parts.splat && parts.positional.length === 0 ? [...parts.keywords].map(([key, kw]) => ({ key, value: kw.value })) : null;
  }
  if (value?.type === 'dictionary') {
    const entries: Array<{ key: string; value: SyntaxNode }> = [];
    for (const pair of value.children.filter(c => c.type === 'pair')) {
      const key = child(pair, 'key');
      const item = child(pair, 'value');
      const literal = key?.type === 'string' ? /^[rbu]*(['"])(\w+)\1$/i.exec(ctx.textOf(key)) : null;
      if (!literal || !item) {
        return null;
      }
      entries.push({ key: literal[2], value: item });
    }
    return entries;
  }
  return null;
}

/**
 * What `tf.train.Checkpoint(**objs)` is given: the dict `objs` was assigned (`objs = dict(model=model)`),
 * or, for a parameter of a class's `__init__` (LynnHo's tf2lib `Checkpoint(checkpoint_kwargs, ...)`),
 * the dicts the cell's constructions of that class pass for it.
 */
function splattedEntries(node: SyntaxNode, ctx: RuleContext): Array<{ key: string; value: SyntaxNode }> {
  const args = child(node, 'arguments');
  const splats = (args?.children ?? []).filter(a => a.type === 'dictionary_splat');
  const found: Array<{ key: string; value: SyntaxNode }> = [];
  for (const splat of splats) {
    const name = splat.children[0];
    if (name?.type !== 'identifier') {
      continue;
    }
    const assigned = dictEntries(lastAssignedValue(ctx.textOf(name), name, ctx), ctx);
    if (assigned) {
      found.push(...assigned);
      continue;
    }
    const def = enclosingFunctionDefinition(node);
    const cls = def?.parent?.type === 'block' && def.parent.parent?.type === 'class_definition' ? def.parent.parent : null;
    const className = cls ? child(cls, 'name') : null;
    const params = def ? parameterNames(def, ctx) ?? [] : [];
    const index = params.indexOf(ctx.textOf(name));
    if (!className || ctx.textOf(child(def!, 'name') ?? def!) !== '__init__' || index < 1) {
      continue;
    }
    const stack = [rootOf(node)];
    while (stack.length) {
      const n = stack.pop()!;
      stack.push(...n.children);
      const fn = n.type === 'call' ? child(n, 'function') : null;
      const call = fn?.type === 'identifier' && ctx.textOf(fn) === ctx.textOf(className) ? callParts(n, ctx) : null;
      const given = call && !call.splat ? call.keywords.get(ctx.textOf(name))?.value ?? call.positional[index - 1] ?? null : null;
      const value = given?.type === 'identifier' ? lastAssignedValue(ctx.textOf(given), given, ctx) : given;
      found.push(...(dictEntries(value, ctx) ?? []));
    }
  }
  return found;
}

function visitCheckpoint(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const given = [...[...parts.keywords].map(([key, kw]) => ({ key, value: kw.value })), ...(parts.splat ? splattedEntries(node, ctx) : [])];
  const kinds = given.map(({ key, value }) => ({ key, value, kind: kerasKind(key, value, ctx) }));
  const keras = kinds.filter(k => k.kind !== null);
  if (keras.length === 0) {
    return; // tf.Variable step counters, tf.Modules: TensorFlow's own objects, on any backend
  }
  const models = kinds.filter(k => k.kind === 'model');
  const optimizers = kinds.filter(k => k.kind === 'optimizer');
  const name = assignedName(node, ctx);
  const fixable = name !== null && !parts.splat && parts.positional.length === 0 && keras.length === kinds.length && models.length > 0;
  const listed = keras.map(k => `\`${k.key}\``).join(', ');
  const message = `This checkpoint holds Keras objects (${listed}): ${BLOCKED}. On TensorFlow it saves and restores (into models already built: Keras 3 layers do not take a deferred restore).`;
  let fix: RawFix | null = null;
  let fixMessage = '';
  // A use the fixes do not rewrite (`ckpt.step`, `f(ckpt)`) keeps the checkpoint, and its managers.
  const kept = fixable && otherUse(name!, CHECKPOINT_USES, node.parent!.end, ctx, rootOf(node));
  if (kept) {
    ctx.note(keptFact(name!));
  }
  if (name && (!fixable || kept)) {
    for (const manager of managersOf(name, ctx, rootOf(node))) {
      ctx.note(managerKeptFact(manager));
    }
  }
  if (fixable) {
    ctx.note(checkpointFact(name!));
    const dict = '{' + models.map(m => `"${m.key}": ${ctx.textOf(m.value)}`).join(', ') + '}';
    fix = { title: 'Keep the models in a dict saved with `save_weights()`', safe: false, edits: [{ start: node.start, end: node.end, text: dict }] };
    fixMessage =
      ` Fix: a dict of the models, which its \`save()\`/\`restore()\` findings save as one \`.weights.h5\` file per model (\`save_weights(prefix + "-${models[0].key}.weights.h5")\`, overwritten by each save) and load back from the newest files` +
      (optimizers.length
        ? `; the optimizer's state (${optimizers.map(o => `\`${o.key}\``).join(', ')}: its step count and moment estimates) is not saved, so training resumed after a restore starts it afresh.`
        : '.');
  }
  if (!fix) {
    ctx.report(node, message);
    return;
  }
  ctx.report(node, message + fixMessage, fix, undefined, '!anywhere:' + keptFact(name!));
  ctx.report(
    node,
    message + ` No fix: \`${name}\` has a use that saving the models' weights does not pair with (a \`save()\` whose path is read, a restore of another path, another attribute, or the checkpoint passed on).`,
    null,
    undefined,
    'anywhere:' + keptFact(name!)
  );
}

function visitManager(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const ckpt = parts.positional[0] ?? parts.keywords.get('checkpoint')?.value ?? null;
  const folder = parts.positional[1] ?? parts.keywords.get('directory')?.value ?? null;
  const name = assignedName(node, ctx);
  // The manager's uses are rewritten only when its checkpoint is known to become a dict (made
  // before it, in this cell or an earlier one): a manager of a checkpoint that stays keeps them.
  // A use of the manager that keeps it (`save_path = manager.save()` read later: TensorFlow's fault-tolerance
  // guide) keeps its checkpoint too: the manager saves the checkpoint object, which a dict is not.
  if (ckpt?.type === 'identifier' && name) {
    ctx.note(`if:${managerKeptFact(name)}=>${keptFact(ctx.textOf(ckpt))}`);
  }
  if (!ckpt || ckpt.type !== 'identifier' || !folder || !name || parts.splat || !ctx.noted(checkpointFact(ctx.textOf(ckpt)))) {
    return;
  }
  if (otherUse(name, MANAGER_USES, node.parent!.end, ctx, rootOf(node))) {
    ctx.note(managerKeptFact(name));
    ctx.note(keptFact(ctx.textOf(ckpt)));
    return;
  }
  ctx.note(managerFact(name));
  ctx.report(
    node,
    `\`tf.train.CheckpointManager\` of \`${ctx.textOf(ckpt)}\`, a checkpoint of Keras objects whose fix is a dict of its models: the manager becomes a namespace of that dict and the folder, saved and restored as \`.weights.h5\` files by its \`save()\` and \`latest_checkpoint\` findings (one file per model, overwritten by each save: \`max_to_keep\` has nothing to keep).`,
    {
      title: 'Keep the checkpoint dict and the folder',
      safe: false,
      edits: [{ start: node.start, end: node.end, text: `types.SimpleNamespace(checkpoint=${ctx.textOf(ckpt)}, directory=${ctx.textOf(folder)})` }, ...importEdits(ctx, ['types'])]
    },
    undefined,
    fixedCondition(ctx.textOf(ckpt)) + ` & !anywhere:${managerKeptFact(name)}`,
    []
  );
}

/** The expression statement a call's value goes to (through restore-status checks, or an assignment to a name the rest of the cell never reads), or null. */
function droppedValueStatement(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let top: SyntaxNode = node;
  while (top.parent?.type === 'attribute' && top.parent.parent?.type === 'call' && STATUS_CHECKS.has(ctx.textOf(child(top.parent, 'attribute') ?? top.parent))) {
    top = top.parent.parent;
  }
  let statement = top.parent;
  if (statement?.type === 'assignment' && child(statement, 'right') === top) {
    const left = child(statement, 'left');
    if (left?.type !== 'identifier' || new RegExp(`\\b${ctx.textOf(left)}\\b`).test(ctx.text.slice(statement.end))) {
      return null;
    }
    statement = statement.parent;
  }
  return statement?.type === 'expression_statement' ? statement : null;
}

/** The rewrite of `NAME.save(prefix)` / `write` / `restore(latest)` / `read(prefix)` of a checkpoint, or of `MANAGER.save()`: what the use becomes. */
function methodRewrite(name: string, method: string, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): { lines: string[]; modules: string[]; manager: boolean } | null {
  const count = parts.positional.length + parts.keywords.size;
  if (method === 'save' && count === 0) {
    return { lines: saveLines(`${name}.checkpoint`, `os.path.join(${name}.directory, "ckpt")`, `${name}.directory`), modules: ['os'], manager: true };
  }
  const arg = parts.positional[0] ?? parts.keywords.get(method === 'restore' ? 'save_path' : 'file_prefix')?.value ?? null;
  if (!arg || count !== 1) {
    return null;
  }
  if (method === 'save' || method === 'write') {
    return rereadable(arg, ctx) ? { lines: saveLines(name, ctx.textOf(arg), `os.path.dirname(${ctx.textOf(arg)}) or "."`), modules: ['os'], manager: false } : null;
  }
  const argParts = arg.type === 'call' ? callParts(arg, ctx) : null;
  if (argParts && ctx.resolve(argParts.fn) === LATEST && argParts.positional.length === 1 && argParts.keywords.size === 0 && rereadable(argParts.positional[0], ctx)) {
    return { lines: latestLoadLines(name, ctx.textOf(argParts.positional[0])), modules: ['glob', 'os', 'warnings'], manager: false };
  }
  if (arg.type === 'attribute' && ctx.textOf(child(arg, 'attribute') ?? arg) === 'latest_checkpoint' && child(arg, 'object')?.type === 'identifier') {
    return { lines: latestLoadLines(name, `${ctx.textOf(child(arg, 'object')!)}.directory`), modules: ['glob', 'os', 'warnings'], manager: false };
  }
  if (method === 'read' && rereadable(arg, ctx)) {
    return {
      lines: [
        `for _name, _model in ${name}.items():`,
        `    if _model.built:`,
        `        _model.load_weights(${ctx.textOf(arg)} + "-" + _name + ".weights.h5")`,
        ...notBuiltWarning('else')
      ],
      modules: ['os', 'warnings'],
      manager: false
    };
  }
  return null;
}

/**
 * `NAME.save(prefix)` / `NAME.write(prefix)` / `NAME.restore(...)` / `NAME.read(prefix)` of a
 * checkpoint the fix makes a dict, `MANAGER.save()` of its manager. No claim of its own (the
 * checkpoint already failed on JAX and PyTorch): the rewrite that goes with the dict. A use
 * without one keeps the checkpoint (and its managers) as it is.
 */
function visitMethod(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const receiver = child(parts.fn, 'object');
  const method = ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn);
  if (receiver?.type !== 'identifier' || !CHECKPOINT_USES.has(method)) {
    return;
  }
  const name = ctx.textOf(receiver);
  const statement = droppedValueStatement(node, ctx);
  const rewrite = statement && !parts.splat ? methodRewrite(name, method, parts, ctx) : null;
  if (!rewrite) {
    ctx.note(keptFact(name));
    ctx.note(managerKeptFact(name));
    // The checkpoint stays as it is (`checkpoint.restore(tf.train.latest_checkpoint(folder))`, the multi-worker
    // tutorial), so its managers keep saving it: their `save()` must not be rewritten for a dict.
    for (const manager of managersOf(name, ctx, rootOf(node))) {
      ctx.note(managerKeptFact(manager));
    }
    return;
  }
  const message = rewrite.manager
    ? `\`${name}.save()\` of a checkpoint manager whose checkpoint holds Keras objects (see the checkpoint's finding): save each model of the checkpoint dict to \`<directory>/ckpt-<key>.weights.h5\`, overwritten by each save.`
    : method === 'save' || method === 'write'
      ? `\`${name}.${method}()\` of a checkpoint holding Keras objects (see the checkpoint's finding): save each model of the checkpoint dict with \`save_weights(prefix + "-<key>.weights.h5")\`${method === 'save' ? ', overwritten by each save rather than numbered' : ''}.`
      : `\`${name}.${method}()\` of a checkpoint holding Keras objects (see the checkpoint's finding): load each model of the checkpoint dict from its ${method === 'read' ? '' : 'newest '}\`.weights.h5\` file${method === 'read' ? '' : ' (none when none was saved, as TensorFlow restores nothing from `None`)'}; the fix loads only into a model already built, as \`load_weights()\` raises on one not built yet: build it first (call it on a batch), as a TensorFlow restore into an unbuilt model waited for the build (Keras 2) and silently restores nothing (Keras 3).`;
  const condition = rewrite.manager ? `anywhere:${managerFact(name)} & !anywhere:${managerKeptFact(name)}` : fixedCondition(name);
  ctx.report(node, message, statementFix(statement!, rewrite.lines, "Save or load the models' `.weights.h5` files", rewrite.modules, ctx), undefined, condition, []);
}

/** `MANAGER.latest_checkpoint` outside a restore: the newest `.weights.h5` file of the folder, or None. */
function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const object = child(node, 'object');
  if (object?.type !== 'identifier' || ctx.textOf(child(node, 'attribute') ?? node) !== 'latest_checkpoint') {
    return;
  }
  // Inside `ckpt.restore(manager.latest_checkpoint)` the restore's fix rewrites it.
  const call = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  if (fn?.type === 'attribute' && ['restore', 'read'].includes(ctx.textOf(child(fn, 'attribute') ?? fn))) {
    return;
  }
  const name = ctx.textOf(object);
  ctx.report(
    node,
    `\`${name}.latest_checkpoint\` of a checkpoint manager whose fix keeps its folder (see its finding): the newest \`.weights.h5\` file its saves wrote, or None.`,
    {
      title: 'The newest `.weights.h5` file of the folder',
      safe: false,
      edits: [{ start: node.start, end: node.end, text: `max(glob.glob(os.path.join(${name}.directory, "ckpt-*.weights.h5")), key=os.path.getmtime, default=None)` }, ...importEdits(ctx, ['glob', 'os'])]
    },
    undefined,
    `anywhere:${managerFact(name)} & !anywhere:${managerKeptFact(name)}`,
    []
  );
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const resolved = ctx.resolve(parts.fn);
  if (resolved === CHECKPOINT) {
    visitCheckpoint(node, parts, ctx);
  } else if (resolved === MANAGER) {
    visitManager(node, parts, ctx);
  } else if (!resolved && parts.fn.type === 'attribute') {
    visitMethod(node, parts, ctx);
  }
}

/**
 * Checked by running Keras 3.15 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13:
 * `tf.train.Checkpoint(optimizer=opt, model=model)` raises "`Checkpoint` was expecting model to be
 * a trackable object" on JAX and PyTorch; on TensorFlow save, `tf.train.latest_checkpoint` and
 * restore (optimizer state included) work, and CheckpointManager too, but a restore into a model
 * built after it restores nothing.
 */
export const tfTrainCheckpoint: RuleDefinition = {
  code: 'KM241',
  name: 'tf-train-checkpoint',
  slug: 'savedmodel-save',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['save', 'write', 'restore', 'read', 'latest_checkpoint'],
  docs: {
    whatItDoes:
      'Flags `tf.train.Checkpoint(...)` of Keras models, layers or optimizers, and, when its fix applies, the `save()`/`write()`/`restore()`/`read()` calls of that checkpoint and the `tf.train.CheckpointManager` of it (`save()`, `latest_checkpoint`).',
    why:
      'A TensorFlow checkpoint tracks TensorFlow `Trackable` objects. A Keras 3 model or optimizer is one only on the TensorFlow backend: on JAX and PyTorch `tf.train.Checkpoint(model=model)` raises "`Checkpoint` was expecting model to be a trackable object". On TensorFlow it still saves and restores (but a restore into a model that is built afterwards restores nothing: Keras 3 layers take no deferred restore). Keras 3 saves weights with `save_weights(path.weights.h5)` on every backend. The unsafe fix, when the checkpoint is assigned to a name and holds only named Keras models and optimizers: the checkpoint becomes a dict of its models; each `save(prefix)` becomes `save_weights(prefix + "-<key>.weights.h5")` per model (one file per model, overwritten by each save instead of numbered `ckpt-1`, `ckpt-2`), each `restore(tf.train.latest_checkpoint(folder))` loads every model from the newest such file in the folder (none when nothing was saved, as a TensorFlow restore of `None`; only into a model already built, since `load_weights()` raises on one not built yet, where a TensorFlow restore into an unbuilt model waited for the build on Keras 2 and restores nothing on Keras 3: the fixed code skips such a model as Keras 3 did, and a comment says to build it first), and a `CheckpointManager` becomes a namespace of that dict and its `directory` whose `save()` and `latest_checkpoint` follow the same naming. Optimizer state (step count, Adam moments) is not saved: the message says so; restoring for inference, as the tutorials do, loses nothing, but a training resumed from the checkpoint restarts the optimizer. A `save()` whose return value is read, or a restore status that is read, gets no fix (what a later line gets back would change).',
    example:
      'import os\nimport tensorflow as tf\ncheckpoint = tf.train.Checkpoint(optimizer=optimizer, encoder=encoder, decoder=decoder)\ncheckpoint.save(file_prefix=os.path.join(checkpoint_dir, "ckpt"))\ncheckpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))',
    useInstead:
      'import glob\nimport os\nimport warnings\ncheckpoint = {"encoder": encoder, "decoder": decoder}\nos.makedirs(checkpoint_dir, exist_ok=True)\nfor _name, _model in checkpoint.items():\n    _model.save_weights(os.path.join(checkpoint_dir, "ckpt") + "-" + _name + ".weights.h5")\nfor _name, _model in checkpoint.items():\n    _saved = glob.glob(os.path.join(checkpoint_dir, "*-" + _name + ".weights.h5"))\n    if _saved and _model.built:\n        _model.load_weights(max(_saved, key=os.path.getmtime))\n    elif _saved:\n        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")'
  },
  calls: { resolved: ['tensorflow.train.'], names: ['save', 'write', 'restore', 'read'] },
  attributes: { names: ['latest_checkpoint'] },
  visitors: { call: visitCall, attribute: visitAttribute }
};
