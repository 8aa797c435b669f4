/**
 * A `tf.GradientTape` training step outside Keras Model/Layer methods (at module level, in a
 * plain function such as keras.io's `@tf.function def train_step(x, y)`, or in a method of a
 * plain class such as DDPG's replay buffer), rewritten per backend in place: the tape statement
 * and its `grads = tape.gradient(loss, model.trainable_variables)` become
 *
 *     if keras.backend.backend() == "jax": ...     # jax.grad of the tape's body
 *     elif keras.backend.backend() == "torch": ... # the body as written, torch.autograd.grad
 *     else: ...                                    # the tape as written (TensorFlow)
 *
 * and what follows (`optimizer.apply_gradients(zip(grads, model.trainable_variables))`, metrics,
 * the return) is left as written: Keras 3's optimizer applies JAX arrays and torch tensors eagerly.
 *
 * - JAX: the tape's body is a function of the trained values, run under
 *   `keras.StatelessScope(state_mapping=..., collect_losses=True)` (so `model.losses`, the
 *   add_loss terms, are those of this forward pass), differentiated by `jax.grad(has_aux=True)`
 *   of the loss's sum (what tape.gradient takes); the loss, the names the code after the tape
 *   reads, and the model's non-trainable values the body updated (BatchNormalization statistics,
 *   seed generators) come out as the aux value; the updates are assigned after.
 * - PyTorch: the body as written, `torch.autograd.grad(loss, [v.value for v in variables],
 *   grad_outputs=torch.ones_like(loss), allow_unused=True)`; the loss and the kept names are
 *   detached after (later `.numpy()` calls would fail on grad-tracking tensors).
 * - TF ops in the body are converted (helpers/op-conversion.ts) on the JAX and PyTorch paths;
 *   `@tf.function` on the enclosing function is dropped (it would trace the JAX and PyTorch
 *   paths with TensorFlow tensors; TensorFlow runs the step eagerly), and on the cell's other
 *   functions calling the trained model (keras.io's `test_step`, PPO's `sample_action`).
 *
 * Refused (the finding stays, saying why): a tape with several items or `tape.watch` (inputs
 * differentiated), a tape nested in the body, a body with compound statements (an episode
 * recorded under the tape), a tape used other than in one `tape.gradient(loss, X.trainable_*)`,
 * TF calls in the body with no keras.ops conversion, functions the body calls that still hold TF
 * calls (the other fixes convert them first; a later pass offers this one), a module-level loop
 * over a model bound later in the file.
 * Not a rule.
 */
import { child, identifiersIn, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { applyOffsetEdits, lineStartAt } from '../text';
import { assignedNames, freshNamer, indentOf, indented, nameNodes, namesIn, nodesUnder } from './multi-optimizer-step';
import { tfApiName } from './calls';
import { tfOpCall } from './op-conversion';
import { isTfFunctionDefinition, moduleFunctionDefinition } from './tape-context';

export interface ModuleTapeRewrite {
  edits: OffsetEdit[];
  title: string;
}

/** Why a module-level tape step gets no fix. */
export interface ModuleTapeRefusal {
  why: string;
}

const TAPE_ITEM = /^(?:\w+\.)*GradientTape\(\s*(?:persistent\s*=\s*True\s*)?\)\s+as\s+(\w+)$/;
const VARIABLES = /^([\w.]+)\.trainable_(?:weights|variables)$/;
const COMPOUND = new Set(['for_statement', 'while_statement', 'if_statement', 'with_statement', 'try_statement', 'function_definition', 'class_definition', 'decorated_definition', 'match_statement']);

/** The statements of a block, comments aside. */
function statementsOf(block: SyntaxNode): SyntaxNode[] {
  return block.children.filter(c => c.type !== 'comment');
}

/** Names a top-level statement binds: plain assignments, and `a += ...` on a name. */
function boundBy(stmt: SyntaxNode, ctx: RuleContext): string[] | null {
  const names = assignedNames(stmt, ctx);
  if (names) {
    return names;
  }
  const e = stmt.type === 'expression_statement' && stmt.children.length === 1 ? stmt.children[0] : null;
  const left = e?.type === 'augmented_assignment' ? child(e, 'left') : null;
  return left?.type === 'identifier' ? [ctx.textOf(left)] : null;
}

/** Edits deleting the `@tf.function` decorator lines of a function definition. */
function tfFunctionDecoratorRemovals(def: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  for (const d of def.parent!.children.filter(c => c.type === 'decorator')) {
    let expr = d.children.find(c => c.type !== 'comment') ?? null;
    if (expr?.type === 'call') {
      expr = child(expr, 'function');
    }
    if (expr && ctx.resolve(expr) === 'tensorflow.function') {
      const end = ctx.text.indexOf('\n', d.end);
      edits.push({ start: lineStartAt(ctx.text, d.start), end: end < 0 ? d.end : end + 1, text: '' });
    }
  }
  return edits;
}

/**
 * A name of TensorFlow's own API. `keras.losses.sparse_categorical_crossentropy` after `from tensorflow
 * import keras` is Keras's (tf.keras is Keras 3): it runs on every backend, nothing to convert.
 */
function isTensorflowOwn(canonical: string | null): boolean {
  return !!canonical && canonical.startsWith('tensorflow.') && !/^tensorflow\.(compat\.v2\.)?keras\./.test(canonical);
}

/** The keras.ops edits of the TF calls under `node`, or why one stays TensorFlow. */
function tfConversions(node: SyntaxNode, ctx: RuleContext): { edits: OffsetEdit[] } | ModuleTapeRefusal {
  const edits: OffsetEdit[] = [];
  const tfCalls = nodesUnder(node, n => n.type === 'call' && isTensorflowOwn(ctx.resolve(child(n, 'function') ?? n)));
  for (const c of tfCalls) {
    // `tf.add_n(model.losses)`: Python's sum adds a list of tensors on every backend.
    const fn = child(c, 'function')!;
    if (/^tf\.(math\.)?add_n$/.test(tfApiName(ctx.resolve(fn)) ?? '') && (child(c, 'arguments')?.children ?? []).filter(a => !['(', ')', ',', 'comment'].includes(a.type)).length === 1) {
      edits.push({ start: fn.start, end: fn.end, text: 'sum' });
      continue;
    }
    const op = tfOpCall(c, ctx);
    if (!op?.conversion.fix) {
      return { why: `\`${op?.name ?? ctx.textOf(child(c, 'function')!)}\` has no keras.ops conversion the fix can write` };
    }
    edits.push(...op.conversion.fix.edits.filter(x => !x.addsImport && x.start >= node.start && x.end <= node.end));
  }
  const covered = (n: SyntaxNode): boolean => edits.some(x => x.start <= n.start && n.end <= x.end);
  const stray = nodesUnder(node, n => n.type === 'attribute' && n.parent?.type !== 'attribute' && isTensorflowOwn(ctx.resolve(n)) && !covered(n));
  return stray.length ? { why: `\`${ctx.textOf(stray[0])}\` stays TensorFlow` } : { edits };
}

/** The JAX/PyTorch/TensorFlow rewrite of the tape `stmt` (a with_statement), or why there is none. */
export function rewriteModuleTapeStep(stmt: SyntaxNode, ctx: RuleContext): ModuleTapeRewrite | ModuleTapeRefusal {
  const text = ctx.text;
  const clause = stmt.children[0];
  const body = child(stmt, 'body');
  const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment') : [clause];
  const m = items.length === 1 ? TAPE_ITEM.exec(ctx.textOf(items[0]).replace(/\s+/g, ' ').trim()) : null;
  if (!m || !body) {
    return { why: `the tape \`with ${ctx.textOf(clause)}\` is not one plain \`tf.GradientTape()\` (several tapes in one \`with\`)` };
  }
  const alias = m[1];
  const bodyStmts = statementsOf(body);
  if (identifiersIn(body).some(n => ctx.textOf(n) === alias)) {
    return { why: `\`${alias}\` is used in its own body (\`${alias}.watch(x)\` on inputs, or the gradient taken under the tape), which the rewrite does not carry` };
  }
  if (identifiersIn(body).some(n => ctx.textOf(n) === 'GradientTape')) {
    return { why: 'a tape is nested in the tape\'s body' };
  }
  const compound = bodyStmts.find(s => COMPOUND.has(s.type));
  if (compound) {
    return { why: `the tape's body holds a \`${compound.type.replace(/_statement|_definition/, '')}\` statement (code such as an episode recorded under the tape runs eagerly between model calls, which a JAX loss function cannot)` };
  }
  if (nodesUnder(body, n => ['yield', 'global_statement', 'nonlocal_statement', 'lambda', 'return_statement'].includes(n.type)).length) {
    return { why: 'the tape\'s body has a lambda, yield, return, global or nonlocal' };
  }
  // The body becomes a function on JAX: each name it binds is bound there before it is read.
  const bound: string[] = [];
  for (const s of bodyStmts) {
    const names = boundBy(s, ctx);
    if (!names && nodesUnder(s, n => n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression').length) {
      return { why: 'the tape\'s body binds names other than by plain assignments' };
    }
    const e = s.children[0];
    const reads = namesIn(names && e?.type === 'assignment' ? child(e, 'right')! : s, ctx);
    const late = reads.find(r => !bound.includes(r) && bodyStmts.some(o => o.start >= s.start && (boundBy(o, ctx) ?? []).includes(r)));
    if (late) {
      return { why: `the tape's body reads \`${late}\` before binding it again` };
    }
    bound.push(...(names ?? []).filter(n => !bound.includes(n)));
  }

  // After the tape: one `grads = tape.gradient(loss, X.trainable_variables)`, first.
  const siblings = statementsOf(stmt.parent!);
  const after = siblings.slice(siblings.indexOf(stmt) + 1);
  const rebinds = (s: SyntaxNode): boolean => s.type === 'with_statement' && new RegExp(`\\bas\\s+${alias}\\b`).test(ctx.textOf(s.children[0]));
  const until = after.findIndex(rebinds);
  const uses = (until < 0 ? after : after.slice(0, until)).filter(s => identifiersIn(s).some(n => ctx.textOf(n) === alias));
  const gradient = after[0];
  const e = gradient?.type === 'expression_statement' && gradient.children.length === 1 ? gradient.children[0] : null;
  const call = e?.type === 'assignment' ? child(e, 'right') : null;
  const target = e?.type === 'assignment' ? child(e, 'left') : null;
  const args = call?.type === 'call' ? (child(call, 'arguments')?.children ?? []).filter(c => c.type !== 'comment') : [];
  const callee = call?.type === 'call' ? ctx.textOf(child(call, 'function')!).replace(/\s+/g, '') : '';
  const variables = args[1] ? VARIABLES.exec(ctx.textOf(args[1]).replace(/\s+/g, '')) : null;
  if (uses.length !== 1 || uses[0] !== gradient || callee !== `${alias}.gradient` || target?.type !== 'identifier' || args.length !== 2 || args[0].type !== 'identifier' || !variables) {
    return { why: `\`${alias}\` is used other than in one \`grads = ${alias}.gradient(loss, model.trainable_variables)\` right after the tape` };
  }
  const loss = ctx.textOf(args[0]);
  if (!bound.includes(loss)) {
    return { why: `the loss \`${loss}\` is not computed in the tape's body` };
  }
  const grads = ctx.textOf(target);
  const vars = ctx.textOf(args[1]).replace(/\s+/g, '');
  const owner = variables[1];
  const root = owner.split('.')[0];
  if (!ctx.fn) {
    const bindings = rootOf(stmt).children.filter(c => (boundBy(c, ctx) ?? []).includes(root));
    if (bindings.length && bindings.every(b => b.start > stmt.start)) {
      return { why: `\`${root}\` is bound later in the file than the tape` };
    }
  }

  // TF calls in the body: converted on the JAX and PyTorch paths, or no fix.
  const converted = tfConversions(body, ctx);
  if ('why' in converted) {
    return { why: `${converted.why} in the tape's body` };
  }
  const opEdits = converted.edits;
  // Functions of this cell the body calls: their TF calls would see JAX arrays and torch tensors,
  // so they are converted where they are defined (keras.ops runs on TensorFlow too).
  const helperEdits: OffsetEdit[] = [];
  const helpers: string[] = [];
  for (const c of nodesUnder(body, n => n.type === 'call' && child(n, 'function')?.type === 'identifier')) {
    const name = ctx.textOf(child(c, 'function')!);
    const def = moduleFunctionDefinition(name, stmt, ctx);
    if (!def || helpers.includes(name) || def.start <= stmt.start && stmt.end <= def.end) {
      continue;
    }
    const own = tfConversions(def, ctx);
    if ('why' in own) {
      return { why: `${own.why} in \`${name}()\`, called in the tape's body` };
    }
    if (own.edits.length) {
      helpers.push(name);
      helperEdits.push(...own.edits);
    }
  }

  // Names the code outside the body reads (after it, or anywhere in the enclosing scope).
  const scope = ctx.fn ? ctx.fn.node : rootOf(stmt);
  const outside = new Set(nameNodes(scope).filter(n => n.start < body.start || n.start >= body.end).map(n => ctx.textOf(n)));
  const kept = bound.filter(n => n !== loss && outside.has(n));
  const used = new Set(identifiersIn(scope).map(n => ctx.textOf(n)));
  const fresh = freshNamer(used);
  const fn = fresh(`${loss}_fn`);
  const values = fresh('values');
  const scopeName = fresh('scope');
  const updates = fresh('updates');
  const v = fresh('v');
  const value = fresh('value');
  const t = fresh('t');

  const ti = indentOf(text, stmt.start);
  const u = indentOf(text, bodyStmts[0].start).slice(ti.length) || '    ';
  const from = lineStartAt(text, bodyStmts[0].start);
  const bodyText = applyOffsetEdits(
    text.slice(from, body.end),
    opEdits.map(x => ({ start: x.start - from, end: x.end - from, text: x.text }))
  );
  // The body's lines sit at ti + u: on JAX at ti + 3u (if, def, with), on PyTorch at ti + u.
  const jaxBody = indented(bodyText, u + u);
  const nonTrainable = `${owner}.non_trainable_variables`;
  // The step's array parameters the body reads, as backend tensors (a layer rejects TensorFlow
  // tensors mixed with JAX or torch ones in one nested input: DDPG's `critic([state_batch, actions])`).
  const params = ctx.fn ? (child(ctx.fn.node, 'parameters')?.children ?? []).filter(c => c.type === 'identifier').map(c => ctx.textOf(c)) : [];
  const read = new Set(namesIn(body, ctx));
  const arrays = params.filter(p => p !== 'self' && p !== 'cls' && read.has(p) && !bound.includes(p));
  const a = fresh('a');
  const tuple = (names: string[]): string => `${names.join(', ')}${names.length === 1 ? ',' : ''}`;
  const inputs = arrays.length
    ? `${ti}${u}${tuple(arrays)} = (keras.ops.convert_to_tensor(${a}) if hasattr(${a}, "__array__") else ${a} for ${a} in (${tuple(arrays)}))\n`
    : '';
  const aux = [loss, ...kept];
  const jax =
    `if keras.backend.backend() == "jax":\n` +
    `${ti}${u}import jax\n\n` +
    `${ti}${u}# The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n` +
    `${ti}${u}def ${fn}(${values}):\n` +
    `${ti}${u}${u}with keras.StatelessScope(state_mapping=list(zip(${vars}, ${values})), collect_losses=True) as ${scopeName}:\n` +
    `${jaxBody}\n` +
    `${ti}${u}${u}return keras.ops.sum(${loss}), (${aux.join(', ')}, [${scopeName}.get_current_value(${v}) for ${v} in ${nonTrainable}])\n\n` +
    inputs +
    `${ti}${u}if not ${owner}.built:\n` +
    `${ti}${u}${u}${fn}([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n` +
    `${ti}${u}${grads}, (${aux.join(', ')}, ${updates}) = jax.grad(${fn}, has_aux=True)([${v}.value for ${v} in ${vars}])\n` +
    `${ti}${u}for ${v}, ${value} in zip(${nonTrainable}, ${updates}):\n` +
    `${ti}${u}${u}if ${value} is not None:\n` +
    `${ti}${u}${u}${u}${v}.assign(${value})\n`;
  const torch =
    `${ti}elif keras.backend.backend() == "torch":\n` +
    `${ti}${u}import torch\n\n` +
    inputs +
    `${bodyText}\n` +
    `${ti}${u}${grads} = torch.autograd.grad(${loss}, [${v}.value for ${v} in ${vars}], grad_outputs=torch.ones_like(${loss}), allow_unused=True)\n` +
    `${ti}${u}# Values from here on, not part of the graph (\`.numpy()\` fails on grad-tracking tensors).\n` +
    `${ti}${u}${aux.join(', ')}${aux.length === 1 ? ',' : ''} = (${t}.detach() if isinstance(${t}, torch.Tensor) else ${t} for ${t} in (${aux.join(', ')}${aux.length === 1 ? ',' : ''}))\n`;
  const tensorflow = `${ti}else:\n${ti}${u}` + indented(text.slice(stmt.start, gradient.end), u).slice(u.length);
  const edits: OffsetEdit[] = [{ start: stmt.start, end: gradient.end, text: jax + torch + tensorflow }, ...helperEdits];
  // In a step function, what follows the gradient (PPO's `kl = tf.reduce_mean(...)` on the actor's
  // output) runs on every backend's tensors too: its TF ops become keras.ops where they all convert.
  let restConverted = '';
  if (ctx.fn && stmt.parent === child(ctx.fn.node, 'body')) {
    const rest = siblings.slice(siblings.indexOf(gradient) + 1).map(r => tfConversions(r, ctx));
    if (rest.length && rest.every(r => !('why' in r))) {
      const restEdits = rest.flatMap(r => ('edits' in r ? r.edits : []));
      edits.push(...restEdits);
      restConverted = restEdits.length ? '; the TF ops after it in the step become keras.ops' : '';
    }
  }
  // `@tf.function` would trace the JAX and PyTorch paths with TensorFlow tensors.
  let dropped = '';
  const def = ctx.fn?.node;
  if (def && isTfFunctionDefinition(def, ctx)) {
    edits.push(...tfFunctionDecoratorRemovals(def, ctx));
    dropped = `; \`@tf.function\` on \`${ctx.fn!.name}()\` is dropped (TensorFlow runs it eagerly)`;
  }
  // Other `@tf.function` functions of the cell calling the trained model (keras.io's `test_step`,
  // PPO's `sample_action`) would trace it with TensorFlow tensors on JAX and PyTorch too.
  const others: string[] = [];
  for (const c of rootOf(stmt).children) {
    const other = c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') ?? null : null;
    if (!other || other === def || !isTfFunctionDefinition(other, ctx) || identifiersIn(other).some(n => ctx.textOf(n) === 'GradientTape')) {
      continue;
    }
    if (!nodesUnder(other, n => n.type === 'call' && ctx.textOf(child(n, 'function') ?? n) === root).length) {
      continue;
    }
    edits.push(...tfFunctionDecoratorRemovals(other, ctx));
    others.push(`\`${ctx.textOf(child(other, 'name')!)}()\``);
  }
  if (others.length) {
    dropped += `; so is \`@tf.function\` on ${others.join(', ')}, which call${others.length === 1 ? 's' : ''} \`${root}\``;
  }
  const imp = ctx.kerasImportEdit();
  return {
    edits: imp ? [...edits, imp] : edits,
    title: `Compute \`${grads}\` per backend: jax.grad of the tape's body under keras.StatelessScope on JAX, torch.autograd.grad on PyTorch, the tape as written on TensorFlow${restConverted}${dropped}${helpers.length ? `; the TF ops of ${helpers.map(h => `\`${h}()\``).join(', ')}, which the tape's body calls, become keras.ops` : ''}`
  };
}
