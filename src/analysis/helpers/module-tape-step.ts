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
 * A function handing the gradient to its caller with `return loss, tape.gradient(loss,
 * model.trainable_variables)` (the TensorFlow custom-training walkthrough's `grad()`) gets the
 * gradient bound to a fresh name on JAX and PyTorch, each branch returning the statement with
 * that name in place of the call. In a step function, `.numpy()` on what the cell's calls of it
 * bind becomes `keras.ops.convert_to_numpy()` (a JAX array has no `.numpy()`).
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
 *   `@tf.function` on the enclosing function applies on TensorFlow only (it would trace the JAX
 *   and PyTorch paths with TensorFlow tensors); on the cell's other functions calling a model the
 *   step runs (keras.io's `test_step`, PPO's `sample_action`) it is dropped, as other fixes may
 *   make them eager-only.
 *
 * Several tapes in one `with` (the TensorFlow DCGAN / pix2pix tutorials' `gen_tape, disc_tape`), or
 * a persistent tape, followed by one `grads = tape.gradient(loss, X.trainable_variables)` per
 * model: on JAX one `tape_fn(values, variables, index)` differentiated once per gradient over its
 * model's trainable values (the other models' read as constants), the non-trainable updates of
 * every model the body calls written back once; on PyTorch one `torch.autograd.grad` per loss
 * (`retain_graph=True` but for the last).
 *
 * Teacher forcing (the TensorFlow NMT-with-attention, image-captioning and seq2seq tutorials): a
 * `for t in range(...)` loop of simple statements in the body (no `.numpy()`, no NumPy call) runs
 * as written on every path (unrolled while JAX traces); a name the body reads before binding it
 * (`loss = 0` before the tape, `loss += loss_function(...)` in the loop; `enc_out, hidden =
 * encoder(x, hidden)`) becomes a parameter of the JAX function, passed its value from before the
 * tape; the gradient's variables may be a sum of several models' (`encoder.trainable_variables +
 * decoder.trainable_variables`, or a name the block binds to it), every one of them built,
 * differentiated and its non-trainable updates written back; simple statements between the tape
 * and its gradient (`batch_loss = loss / n`, `variables = ...`) follow the gradient on JAX and
 * PyTorch (their TF ops converted), as written on TensorFlow.
 *
 * With `dedentTail` (KM175), a body ending with the gradient and what follows it under non-persistent
 * tapes (aymericdamien's TensorFlow-Examples: `apply_gradients` under the tape too) is rewritten as if
 * that tail came after the `with` (tape-restructure.ts): a non-persistent tape records nothing once its
 * gradient is taken.
 *
 * Refused (the finding stays, saying why): a `with` item other than `tf.GradientTape() as name`, `tape.watch` (inputs
 * differentiated), a tape nested in the body, a body with other compound statements (an episode
 * recorded under the tape, a `while` loop), a loop appending to a list from before the tape, a statement between the tape and its gradient binding
 * the loss, the gradient or a model, a tape used other than in its `tape.gradient(loss, X.trainable_*)` (one, unless persistent),
 * TF calls in the body with no keras.ops conversion, functions the body calls that still hold TF
 * calls (the other fixes convert them first; a later pass offers this one), a module-level loop
 * over a model bound later in the file.
 * Not a rule.
 */
import { child, enclosingFunctionDefinition, identifiersIn, returnStatements, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { applyOffsetEdits, lineStartAt } from '../text';
import { assignedNames, freshNamer, indentOf, indented, nameNodes, namesIn, nodesUnder } from './multi-optimizer-step';
import { tensorflowOnlyDecoratorEdits } from './backend-branch';
import { callParts, parameterNames, tfApiName, valueBefore } from './calls';
import { skippedAssignment } from './name-bindings';
import { ATOMIC, tfOpCall } from './op-conversion';
import { tensorflowName } from './tf-data';
import { isTfFunctionDefinition, moduleFunctionDefinition, tfFunctionDecorators } from './tape-context';
import { classMethodDefinitions } from './model-code';
import { dedented, movedOut, statementsBeforeWatch, statementsFromGradient } from './tape-restructure';

export interface ModuleTapeRewrite {
  edits: OffsetEdit[];
  title: string;
  /**
   * Other tapes of the cell reading a `tf.Variable` this rewrite makes a `keras.Variable`: the
   * rewrite runs only where each of them is rewritten too.
   */
  sharedWith?: { tape: SyntaxNode; variable: string }[];
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
  return tfFunctionDecorators(def, ctx).map(d => {
    const end = ctx.text.indexOf('\n', d.end);
    return { start: lineStartAt(ctx.text, d.start), end: end < 0 ? d.end : end + 1, text: '' };
  });
}

/**
 * Edits making the `@tf.function` decorators of a function definition apply on TensorFlow only:
 * `@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))`. TensorFlow keeps
 * the compiled step the program wrote; on JAX and PyTorch the function runs eagerly (tf.function
 * would trace their paths with TensorFlow tensors).
 */
function tfFunctionOnTensorflowOnly(def: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  return tensorflowOnlyDecoratorEdits(tfFunctionDecorators(def, ctx), ctx);
}

/**
 * A name of TensorFlow's own API. `keras.losses.sparse_categorical_crossentropy` after `from tensorflow
 * import keras` is Keras's (tf.keras is Keras 3): it runs on every backend, nothing to convert.
 */
function isTensorflowOwn(canonical: string | null): boolean {
  return !!canonical && canonical.startsWith('tensorflow.') && !/^tensorflow\.(compat\.v2\.)?keras\./.test(canonical);
}

/** TensorFlow's random draws with a `keras.random` function of the same parameters, in the same order. */
const RANDOM_DRAWS: Record<string, string> = {
  'tf.random.normal': 'keras.random.normal',
  'tf.random.uniform': 'keras.random.uniform',
  'tf.random.categorical': 'keras.random.categorical'
};

/**
 * The `keras.random` function to call instead of an unseeded TensorFlow draw in the rewritten step,
 * or null. The rewrite runs the step eagerly on JAX (`jax.grad`, not jitted) and PyTorch, where an
 * unseeded `keras.random` draw gives new numbers each call (og50b: handson-ml3's policy gradients,
 * `tf.random.uniform` and `tf.random.categorical` in the tape, ran on all three so). Not for a
 * draw with `seed=` or `name=`, or an integer `tf.random.uniform` (keras.random.uniform draws floats).
 */
function kerasRandomDraw(call: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(call, ctx);
  const name = tfApiName(ctx.resolve(child(call, 'function') ?? call));
  const target = name && Object.prototype.hasOwnProperty.call(RANDOM_DRAWS, name) ? RANDOM_DRAWS[name] : null;
  if (!parts || !target || parts.splat || parts.keywords.has('seed') || parts.keywords.has('name')) {
    return null;
  }
  const maxPositional = name === 'tf.random.categorical' ? 3 : 4;
  const dtype = parts.keywords.get('dtype')?.value ?? (name === 'tf.random.uniform' ? parts.positional[3] : undefined);
  if (parts.positional.length > maxPositional || (name === 'tf.random.uniform' && dtype && /int/.test(ctx.textOf(dtype)))) {
    return null;
  }
  return target;
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
    const draw = kerasRandomDraw(c, ctx);
    if (draw) {
      edits.push({ start: fn.start, end: fn.end, text: draw });
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

/** One `grads = tape.gradient(loss, X.trainable_variables)` after the tape statement. */
interface TapeGradient {
  stmt: SyntaxNode;
  tape: string;
  grads: string;
  loss: string;
  /**
   * The variables as an expression the rewrite evaluates again: `X.trainable_variables` as written
   * (spaces removed), or a sum of several models' (`(enc.trainable_variables + dec.trainable_variables)`),
   * possibly written in the step as a name bound to that sum.
   */
  vars: string;
  /** The models whose trainable variables they are (`X`). */
  owners: string[];
}

/** `X.trainable_variables` or `A.trainable_variables + B.trainable_weights + ...`: the models, or null. */
function variableOwners(node: SyntaxNode | null | undefined, ctx: RuleContext): string[] | null {
  if (!node) {
    return null;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.children.filter(c => !['(', ')', 'comment'].includes(c.type));
    return inner.length === 1 ? variableOwners(inner[0], ctx) : null;
  }
  if (node.type === 'binary_operator') {
    const operands = node.children.filter(c => c.type !== 'comment');
    if (operands.length !== 2 || ctx.text.slice(operands[0].end, operands[1].start).trim() !== '+') {
      return null;
    }
    const left = variableOwners(operands[0], ctx);
    const right = variableOwners(operands[1], ctx);
    return left && right ? [...left, ...right] : null;
  }
  const m = node.type === 'attribute' ? VARIABLES.exec(ctx.textOf(node).replace(/\s+/g, '')) : null;
  return m ? [m[1]] : null;
}

/**
 * The variables argument of a gradient: `X.trainable_variables`, a sum of several models' (an
 * encoder's and a decoder's), or a name the enclosing block binds to one of those before the
 * gradient (`variables = encoder.trainable_variables + decoder.trainable_variables`, the
 * TensorFlow NMT and image-captioning tutorials). The expression to evaluate and its models, or null.
 */
function gradientVariables(arg: SyntaxNode, s: SyntaxNode, ctx: RuleContext): { vars: string; owners: string[] } | null {
  let expr: SyntaxNode | null = arg;
  if (arg.type === 'identifier') {
    const name = ctx.textOf(arg);
    const before = statementsOf(s.parent!).filter(b => b.end <= s.start);
    const binding = [...before].reverse().find(b => (boundBy(b, ctx) ?? []).includes(name));
    const e = binding?.type === 'expression_statement' && binding.children.length === 1 ? binding.children[0] : null;
    expr = e?.type === 'assignment' && child(e, 'left')?.type === 'identifier' && ctx.textOf(child(e, 'left')!) === name ? child(e, 'right') : null;
  }
  const owners = variableOwners(expr, ctx);
  if (!expr || !owners || new Set(owners).size !== owners.length) {
    return null;
  }
  const text = ctx.textOf(expr).replace(/\s+/g, ' ').replace(/^\((.*)\)$/, '$1');
  return { vars: owners.length === 1 ? text.replace(/\s+/g, '') : `(${text})`, owners };
}

/** `grads = alias.gradient(loss, X.trainable_variables)` for one of `aliases`, or null. */
function tapeGradient(s: SyntaxNode | undefined, aliases: string[], ctx: RuleContext): TapeGradient | null {
  const e = s?.type === 'expression_statement' && s.children.length === 1 ? s.children[0] : null;
  const call = e?.type === 'assignment' ? child(e, 'right') : null;
  const target = e?.type === 'assignment' ? child(e, 'left') : null;
  const args = call?.type === 'call' ? (child(call, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type)) : [];
  const callee = call?.type === 'call' ? /^(\w+)\.gradient$/.exec(ctx.textOf(child(call, 'function')!).replace(/\s+/g, '')) : null;
  const variables = s && args[1] ? gradientVariables(args[1], s, ctx) : null;
  if (!s || !callee || !aliases.includes(callee[1]) || target?.type !== 'identifier' || args.length !== 2 || args[0].type !== 'identifier' || !variables) {
    return null;
  }
  return { stmt: s, tape: callee[1], grads: ctx.textOf(target), loss: ctx.textOf(args[0]), vars: variables.vars, owners: variables.owners };
}

/**
 * A teacher-forcing loop in a tape's body (the TensorFlow NMT-with-attention, image-captioning and
 * seq2seq tutorials: `for t in range(1, targ.shape[1]):` calling the decoder and adding to the
 * loss): `for name in range(...)` with no `else`, its body simple statements (no nested compound
 * statement) with no `.numpy()` and no NumPy call (an episode recorded under the tape steps an
 * environment eagerly, which a JAX loss function cannot). Null when it is no such loop.
 */
function teacherForcingLoop(s: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const left = child(s, 'left');
  const right = child(s, 'right');
  const loopBody = child(s, 'body');
  if (s.type !== 'for_statement' || left?.type !== 'identifier' || right?.type !== 'call' || !loopBody || child(s, 'alternative')) {
    return null;
  }
  const fn = child(right, 'function');
  if (fn?.type !== 'identifier' || ctx.textOf(fn) !== 'range' || ctx.resolve(fn) !== null && ctx.resolve(fn) !== 'range' && ctx.resolve(fn) !== 'builtins.range') {
    return null;
  }
  const inner = statementsOf(loopBody);
  if (!inner.length || inner.some(i => COMPOUND.has(i.type))) {
    return null;
  }
  const eager = nodesUnder(loopBody, n => {
    if (n.type !== 'call') {
      return false;
    }
    const f = child(n, 'function');
    return (f?.type === 'attribute' && ctx.textOf(child(f, 'attribute')!) === 'numpy') || (!!f && /^numpy\./.test(ctx.resolve(f) ?? ''));
  });
  return eager.length ? null : inner;
}

/**
 * The checks a tape's body passes to become a function on JAX (and run as written on PyTorch):
 * no nested tape, no compound statement (with `loops`, but for a teacher-forcing `for ... in
 * range(...)` loop of simple statements), no lambda/yield/return/global/nonlocal, names bound only
 * by plain assignments (or `a += ...`), each bound before it is read. With `carry`, a name the
 * body reads before binding it (`loss += ...` after `loss = 0` before the tape, `enc_out, hidden =
 * encoder(x, hidden)`) is carried in: the JAX function takes its value as a parameter.
 * `stmts` are the body's statements the rewrite keeps (`tape.watch(x)` lines aside, and the statements
 * it moves out of the `with`: helpers/tape-restructure.ts). The names
 * they bind, in order, and the names carried in, or why not.
 */
function straightLineBody(stmts: SyntaxNode[], ctx: RuleContext, carry = false): { bound: string[]; carried: string[] } | ModuleTapeRefusal {
  if (stmts.some(s => identifiersIn(s).some(n => ctx.textOf(n) === 'GradientTape'))) {
    return { why: 'a tape is nested in the tape\'s body' };
  }
  // A teacher-forcing loop runs its statements in order on every backend (on JAX while tracing):
  // checked as the straight line of its header (binding the loop name) and its statements.
  const flat: { node: SyntaxNode; reads: SyntaxNode; names: string[] | null }[] = [];
  for (const s of stmts) {
    const loop = carry && s.type === 'for_statement' ? teacherForcingLoop(s, ctx) : null;
    if (loop) {
      flat.push({ node: s, reads: child(s, 'right')!, names: [ctx.textOf(child(s, 'left')!)] });
      for (const i of loop) {
        flat.push({ node: i, reads: i, names: boundBy(i, ctx) });
      }
      continue;
    }
    if (COMPOUND.has(s.type)) {
      return { why: `the tape's body holds a \`${s.type.replace(/_statement|_definition/, '')}\` statement${carry && s.type === 'for_statement' ? ' other than a `for name in range(...)` loop of simple statements with no `.numpy()` or NumPy call' : ''} (code such as an episode recorded under the tape runs eagerly between model calls, which a JAX loss function cannot)` };
    }
    flat.push({ node: s, reads: s, names: boundBy(s, ctx) });
  }
  if (stmts.some(s => nodesUnder(s, n => ['yield', 'global_statement', 'nonlocal_statement', 'lambda', 'return_statement'].includes(n.type)).length)) {
    return { why: 'the tape\'s body has a lambda, yield, return, global or nonlocal' };
  }
  // The body becomes a function on JAX: each name it binds is bound there before it is read, or
  // (with `carry`) comes in as a parameter holding the value it had before the tape.
  const bound: string[] = [];
  const carried: string[] = [];
  for (const { node: s, reads: r0, names } of flat) {
    // `outputs.append(pred)` on a list from before the tape would keep JAX's traced values.
    const mutated = s.parent?.parent?.type === 'for_statement' && s.type !== 'for_statement' ? nodesUnder(s, n => n.type === 'call' && child(n, 'function')?.type === 'attribute' && /^(append|extend|insert)$/.test(ctx.textOf(child(child(n, 'function')!, 'attribute')!)) && child(child(n, 'function')!, 'object')?.type === 'identifier').map(n => ctx.textOf(child(child(n, 'function')!, 'object')!)).find(n => !bound.includes(n)) : undefined;
    if (mutated) {
      return { why: `the loop in the tape's body adds to \`${mutated}\`, a list from before the tape (on JAX it would keep the traced values of the loss function)` };
    }
    if (s.type !== 'for_statement' && !names && nodesUnder(s, n => n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression').length) {
      return { why: 'the tape\'s body binds names other than by plain assignments' };
    }
    const e = s.children[0];
    const reads = namesIn(s.type !== 'for_statement' && names && e?.type === 'assignment' ? child(e, 'right')! : r0, ctx);
    for (const r of reads) {
      if (bound.includes(r) || carried.includes(r) || !flat.some(o => o.node.start >= s.start && (o.names ?? []).includes(r))) {
        continue;
      }
      if (!carry) {
        return { why: `the tape's body reads \`${r}\` before binding it again` };
      }
      carried.push(r);
    }
    bound.push(...(names ?? []).filter(n => !bound.includes(n)));
  }
  return { bound, carried };
}

/**
 * Functions of this cell the tape's body calls (and the functions those call, the style-transfer
 * losses under `compute_loss`): their TF calls would see JAX arrays and torch tensors, so they are
 * converted where they are defined (keras.ops runs on TensorFlow too). The edits and the names of
 * the functions converted, or why one keeps a TF call.
 */
function calledHelperConversions(body: SyntaxNode[], stmt: SyntaxNode, ctx: RuleContext): { edits: OffsetEdit[]; helpers: string[] } | ModuleTapeRefusal {
  const edits: OffsetEdit[] = [];
  const helpers: string[] = [];
  const seen = new Set<string>();
  const queue: SyntaxNode[] = [...body];
  // `self.compute_loss(pred, y)` in a method of a plain class (the TF2 RL cookbook's agents): that class's method.
  let cls: SyntaxNode | null = stmt.parent;
  while (cls && cls.type !== 'class_definition') {
    cls = cls.parent;
  }
  const methods = cls ? classMethodDefinitions(cls, ctx) : null;
  const helperOf = (c: SyntaxNode): { name: string; def: SyntaxNode | null } | null => {
    const fn = child(c, 'function');
    if (fn?.type === 'identifier') {
      const name = ctx.textOf(fn);
      return { name, def: moduleFunctionDefinition(name, stmt, ctx) };
    }
    const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
    if (methods && object?.type === 'identifier' && ctx.textOf(object) === 'self') {
      const name = ctx.textOf(child(fn!, 'attribute') ?? fn!);
      return { name: `self.${name}`, def: methods.get(name) ?? null };
    }
    return null;
  };
  while (queue.length) {
    const from = queue.shift()!;
    for (const c of nodesUnder(from, n => n.type === 'call' && (child(n, 'function')?.type === 'identifier' || child(n, 'function')?.type === 'attribute'))) {
      const helper = helperOf(c);
      const def = helper?.def ?? null;
      const name = helper?.name ?? '';
      if (!def || seen.has(name) || (def.start <= stmt.start && stmt.end <= def.end)) {
        continue;
      }
      seen.add(name);
      const own = tfConversions(def, ctx);
      if ('why' in own) {
        return { why: `${own.why} in \`${name}()\`, called in the tape's body` };
      }
      if (own.edits.length) {
        helpers.push(name);
        edits.push(...own.edits);
      }
      queue.push(def);
    }
  }
  return { edits, helpers };
}

/**
 * What the per-backend rewrite of a tape in a step function changes around it: the TF ops after
 * the gradient in the step become keras.ops (where they all convert), `@tf.function` on the step
 * applies on TensorFlow only, and is dropped from the cell's other `@tf.function` functions
 * calling one of `models`. The edits and the title's note on them.
 */
function stepSurroundings(stmt: SyntaxNode, lastGradient: SyntaxNode, models: string[], ctx: RuleContext, eager = false, following?: SyntaxNode[]): { edits: OffsetEdit[]; note: string } {
  // In a step function, what follows the gradient (PPO's `kl = tf.reduce_mean(...)` on the actor's
  // output) runs on every backend's tensors too: its TF ops become keras.ops where they all convert.
  // `following`: those statements, where the gradient sits in the tape's body (moved after the `with`).
  const edits: OffsetEdit[] = [];
  const siblings = statementsOf(stmt.parent!);
  let restConverted = '';
  if (ctx.fn && stmt.parent === child(ctx.fn.node, 'body')) {
    const after = (following ?? siblings.slice(siblings.indexOf(lastGradient) + 1)).map(r => tfConversions(r, ctx));
    if (after.length && after.every(r => !('why' in r))) {
      const restEdits = after.flatMap(r => ('edits' in r ? r.edits : []));
      edits.push(...restEdits);
      restConverted = restEdits.length ? '; the TF ops after it in the step become keras.ops' : '';
    }
  }
  // `@tf.function` would trace the JAX and PyTorch paths with TensorFlow tensors: TensorFlow only.
  let compiled = '';
  const def = ctx.fn?.node;
  if (def && isTfFunctionDefinition(def, ctx) && eager) {
    // A keras.Variable argument would reach the traced function as a tensor (no gradient on TensorFlow).
    edits.push(...tfFunctionDecoratorRemovals(def, ctx));
    compiled = `; \`@tf.function\` on \`${ctx.fn!.name}()\` is dropped (it would receive the variable as a tensor; every backend runs it eagerly)`;
  } else if (def && isTfFunctionDefinition(def, ctx)) {
    edits.push(...tfFunctionOnTensorflowOnly(def, ctx));
    compiled = `; \`@tf.function\` on \`${ctx.fn!.name}()\` applies on TensorFlow only (JAX and PyTorch run it eagerly)`;
  }
  // Other `@tf.function` functions of the cell calling a model the step runs (keras.io's
  // `test_step`, PPO's `sample_action`) would trace it with TensorFlow tensors on JAX and PyTorch
  // too: their decorator goes (other fixes may make them eager-only: PPO's `convert_to_numpy(logits)`).
  const roots = [...new Set(models.map(m => m.split('.')[0]))];
  const others: string[] = [];
  for (const c of rootOf(stmt).children) {
    const other = c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') ?? null : null;
    if (!other || other === def || !isTfFunctionDefinition(other, ctx) || identifiersIn(other).some(n => ctx.textOf(n) === 'GradientTape')) {
      continue;
    }
    const calls = roots.filter(r => nodesUnder(other, n => n.type === 'call' && ctx.textOf(child(n, 'function') ?? n) === r).length);
    if (!calls.length) {
      continue;
    }
    edits.push(...tfFunctionDecoratorRemovals(other, ctx));
    others.push(`\`${ctx.textOf(child(other, 'name')!)}()\` (calls ${calls.map(r => `\`${r}\``).join(', ')})`);
  }
  if (others.length) {
    compiled += `; \`@tf.function\` on ${others.join(', ')} is dropped`;
  }
  // A `@tf.function` of the cell calling the step (the TensorFlow integrated-gradients tutorial's
  // `integrated_gradients()` calling `compute_gradients()`) would give its JAX and PyTorch branches
  // symbolic TensorFlow tensors ("Cannot convert a symbolic tf.Tensor"): it applies on TensorFlow only.
  const callers: string[] = [];
  if (def && ctx.fn && (def.parent === rootOf(stmt) || def.parent?.parent === rootOf(stmt))) {
    for (const c of rootOf(stmt).children) {
      const caller = c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') ?? null : null;
      if (!caller || caller === def || !isTfFunctionDefinition(caller, ctx) || others.some(o => o.startsWith(`\`${ctx.textOf(child(caller, 'name')!)}()\``))) {
        continue;
      }
      if (nodesUnder(caller, n => n.type === 'call' && ctx.textOf(child(n, 'function') ?? n) === ctx.fn!.name).length) {
        edits.push(...tfFunctionOnTensorflowOnly(caller, ctx));
        callers.push(`\`${ctx.textOf(child(caller, 'name')!)}()\``);
      }
    }
  }
  if (callers.length) {
    compiled += `; \`@tf.function\` on ${callers.join(', ')}, which call${callers.length === 1 ? 's' : ''} it, applies on TensorFlow only`;
  }
  return { edits, note: restConverted + compiled };
}

/**
 * The step's array parameters and the names computed before the tape in the step (or, at module
 * level, in the loop body holding the tape) that the tape's body reads (`bound` aside, but for the
 * names carried into it), which the rewrite makes backend tensors. `body`: the nodes of the body
 * the rewrite keeps under the tape; `hoisted`: the names of the statements it moves before it.
 */
function stepArrays(stmt: SyntaxNode, body: SyntaxNode[], bound: string[], ctx: RuleContext, carried: string[] = [], hoisted: string[] = []): string[] {
  const siblings = statementsOf(stmt.parent!);
  const params = ctx.fn ? (child(ctx.fn.node, 'parameters')?.children ?? []).filter(c => c.type === 'identifier').map(c => ctx.textOf(c)) : [];
  // At module level, the names a loop's body computes before the tape (`x, y = x_all[b:b + 8], ...`),
  // bound afresh each iteration.
  const block = ctx.fn || stmt.parent !== rootOf(stmt);
  const before = block ? [...siblings.slice(0, siblings.indexOf(stmt)).flatMap(b => boundBy(b, ctx) ?? []), ...hoisted] : [];
  // The targets of the loops around the tape (`for x, y in data:`): a batch of NumPy data that the
  // PyTorch step would otherwise mix with torch tensors (`x + noise`: "Concatenation operation is not
  // implemented for NumPy arrays"; og50b, checked on Keras 3.15).
  const loopTargets: string[] = [];
  for (let n = stmt.parent; n && n !== ctx.fn?.node; n = n.parent) {
    const left = n.type === 'for_statement' ? child(n, 'left') : null;
    if (left) {
      loopTargets.push(...identifiersIn(left).sort((a, b) => a.start - b.start).map(i => ctx.textOf(i)));
    }
  }
  const read = new Set(body.flatMap(b => namesIn(b, ctx)));
  return [...new Set([...params, ...before, ...loopTargets])].filter(p => p !== 'self' && p !== 'cls' && read.has(p) && (!bound.includes(p) || carried.includes(p)));
}

/**
 * Where the gradients a function returns (`return grads`, `return loss, grads`, or the returned
 * `tape.gradient(...)` itself) meet a TensorFlow op in the cell: a statement that calls the function,
 * or reads a name bound from such a call, and calls a TensorFlow op (handson-ml3's policy gradients:
 * `all_grads = [play_one_step(...) ...]`, then `tf.reduce_mean([g[i] for g in all_grads], axis=0)`,
 * which fails on JAX and PyTorch with the rewrite's gradients; og50b). The statement's first line, or null.
 */
function gradientsMeetTensorflowOps(def: SyntaxNode, grads: string[], returnsGradient: boolean, ctx: RuleContext): string | null {
  const name = child(def, 'name');
  const returns = returnStatements(def).filter(r => returnsGradient || identifiersIn(r).some(n => grads.includes(ctx.textOf(n))));
  if (!name || !returns.length) {
    return null;
  }
  const fnName = ctx.textOf(name);
  const root = rootOf(def);
  const callsTf = (n: SyntaxNode): boolean => nodesUnder(n, c => c.type === 'call' && isTensorflowOwn(ctx.resolve(child(c, 'function') ?? c))).length > 0;
  const statements = nodesUnder(
    root,
    n =>
      n.parent !== null &&
      (n.parent.type === 'module' || n.parent.type === 'block') &&
      !(n.start >= def.start && n.end <= def.end) &&
      !['function_definition', 'class_definition', 'decorated_definition', 'if_statement', 'for_statement', 'while_statement', 'with_statement', 'try_statement'].includes(n.type)
  );
  // What holds the gradients, followed by name through the cell (a few rounds): names bound from a
  // call of a function handing them on, lists they are appended to, and functions that return any
  // of these (Géron's `play_multiple_episodes` collects `play_one_step`'s gradients and returns them).
  const sources = new Set([fnName]);
  const carriers = new Set<string>();
  const handsOn = (st: SyntaxNode): boolean =>
    nodesUnder(st, c => c.type === 'call' && sources.has(ctx.textOf(child(c, 'function') ?? c))).length > 0 || identifiersIn(st).some(n => carriers.has(ctx.textOf(n)));
  for (let round = 0; round < 4; round++) {
    const before = sources.size + carriers.size;
    for (const st of statements) {
      if (!handsOn(st)) {
        continue;
      }
      if (callsTf(st)) {
        return ctx.textOf(st).split(/\r\n|\r|\n/)[0];
      }
      const expr = st.type === 'expression_statement' ? st.children[0] ?? null : null;
      for (const target of expr?.type === 'assignment' || expr?.type === 'augmented_assignment' ? identifiersIn(child(expr, 'left') ?? expr) : []) {
        carriers.add(ctx.textOf(target));
      }
      // `all_grads.append(grads)`, `grads_list.extend(...)`: the list holds them.
      const fn = expr?.type === 'call' ? child(expr, 'function') : null;
      const owner = fn?.type === 'attribute' && /^(append|extend|insert)$/.test(ctx.textOf(child(fn, 'attribute') ?? fn)) ? child(fn, 'object') : null;
      if (owner?.type === 'identifier') {
        carriers.add(ctx.textOf(owner));
      }
      if (st.type === 'return_statement') {
        const holder = enclosingFunctionDefinition(st);
        const holderName = holder ? child(holder, 'name') : null;
        if (holderName) {
          sources.add(ctx.textOf(holderName));
        }
      }
    }
    if (sources.size + carriers.size === before) {
      break;
    }
  }
  return null;
}

/** Names as a tuple target or value: `a, b` or `a,`. */
function tuple(names: string[]): string {
  return `${names.join(', ')}${names.length === 1 ? ',' : ''}`;
}

/**
 * The names `scope` reads or binds outside `[from, to)`, the part of the tape's body the rewrite
 * keeps under the tape (after it, or anywhere else in the enclosing scope).
 */
function namesOutside(scope: SyntaxNode, from: number, to: number, ctx: RuleContext): Set<string> {
  return new Set(nameNodes(scope).filter(n => n.start < from || n.start >= to).map(n => ctx.textOf(n)));
}

/**
 * The keras.ops edits of the tape's body (`body`: the nodes of it the rewrite keeps under the tape)
 * and of the cell's functions it calls, or why one keeps a TF call.
 */
function tapeConversions(body: SyntaxNode[], stmt: SyntaxNode, ctx: RuleContext): { ops: OffsetEdit[]; helpers: string[]; helperEdits: OffsetEdit[] } | ModuleTapeRefusal {
  const ops: OffsetEdit[] = [];
  for (const b of body) {
    const converted = tfConversions(b, ctx);
    if ('why' in converted) {
      return { why: `${converted.why} in the tape's body` };
    }
    ops.push(...converted.edits);
  }
  const called = calledHelperConversions(body, stmt, ctx);
  if ('why' in called) {
    return called;
  }
  return { ops, helpers: called.helpers, helperEdits: called.edits };
}

/**
 * `x.numpy()` (or `x[0].numpy()`) on a name holding one of the rewrite's results, after `from` in
 * `scope`, as `keras.ops.convert_to_numpy(x)`: JAX arrays have no `.numpy()`. The results are the
 * gradient and the names kept after the tape (`names`, from the tape on) and, for a tape in a
 * module-level function, what the cell's calls of it bind (`loss, img = gradient_ascent_step(...)`
 * then `img[0].numpy()`, keras.io's filter visualization).
 * Also a result appended to a list that a TF op of that scope then converts as a whole
 * (`grads.append(grad[0])`, then `tf.convert_to_tensor(grads)`, keras.io's integrated gradients):
 * TensorFlow converts one JAX array or torch tensor through NumPy but not a list of them, so the
 * appended value becomes `keras.ops.convert_to_numpy(...)`.
 */
function numpyOfResults(stmt: SyntaxNode, names: string[], ctx: RuleContext): OffsetEdit[] {
  const targets: { names: string[]; from: number; scope: SyntaxNode }[] = [{ names, from: stmt.end, scope: ctx.fn ? ctx.fn.node : rootOf(stmt) }];
  if (ctx.fn && ctx.fn.node.parent && (ctx.fn.node.parent === rootOf(stmt) || ctx.fn.node.parent.parent === rootOf(stmt))) {
    for (const call of nodesUnder(rootOf(stmt), n => n.type === 'call' && child(n, 'function')?.type === 'identifier' && ctx.textOf(child(n, 'function')!) === ctx.fn!.name)) {
      const assignment = call.parent?.type === 'assignment' && child(call.parent, 'right') === call ? call.parent : null;
      const left = assignment ? child(assignment, 'left') : null;
      const bound = left?.type === 'identifier' ? [left] : (left?.children ?? []).filter(c => c.type === 'identifier');
      let scope: SyntaxNode = rootOf(stmt);
      for (let p = call.parent; p; p = p.parent) {
        if (p.type === 'function_definition') {
          scope = p;
          break;
        }
      }
      if (bound.length) {
        targets.push({ names: bound.map(b => ctx.textOf(b)), from: call.start, scope });
      }
    }
  }
  const edits: OffsetEdit[] = [];
  for (const target of targets) {
    for (const c of nodesUnder(target.scope, n => n.type === 'call' && child(n, 'function')?.type === 'attribute' && n.start > target.from)) {
      const fn = child(c, 'function')!;
      const obj = child(fn, 'object');
      const args = (child(c, 'arguments')?.children ?? []).filter(a => !['(', ')', 'comment'].includes(a.type));
      let root = obj;
      while (root && root.type === 'subscript') {
        root = child(root, 'value');
      }
      if (obj && root?.type === 'identifier' && !args.length && ctx.textOf(child(fn, 'attribute')!) === 'numpy' && target.names.includes(ctx.textOf(root)) && !edits.some(e => e.start === c.start)) {
        edits.push({ start: c.start, end: c.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(obj)})` });
      }
      // `grads.append(grad[0])` of a result, the list then given whole to a TF op.
      let value = args.length === 1 ? args[0] : null;
      while (value && value.type === 'subscript') {
        value = child(value, 'value');
      }
      if (obj?.type === 'identifier' && ctx.textOf(child(fn, 'attribute')!) === 'append' && value?.type === 'identifier' && target.names.includes(ctx.textOf(value)) && listGivenToTfOp(ctx.textOf(obj), c, target.scope, ctx)) {
        edits.push({ start: args[0].start, end: args[0].start, text: 'keras.ops.convert_to_numpy(' }, { start: args[0].end, end: args[0].end, text: ')' });
      }
    }
  }
  return edits;
}

/** TF ops that convert a Python list of tensors as a whole (its first argument). */
const TF_LIST_CONVERSIONS = new Set(['tf.convert_to_tensor', 'tf.stack', 'tf.concat', 'tf.constant']);

/** Whether the list `name`, appended to at `from`, is given whole to a TF op later in `scope` (its first argument). */
function listGivenToTfOp(name: string, from: SyntaxNode, scope: SyntaxNode, ctx: RuleContext): boolean {
  return nodesUnder(scope, n => n.type === 'call' && n.start > from.end).some(call => {
    const first = (child(call, 'arguments')?.children ?? []).find(a => !['(', ')', ',', 'comment'].includes(a.type));
    return first?.type === 'identifier' && ctx.textOf(first) === name && TF_LIST_CONVERSIONS.has(tfApiName(ctx.resolve(child(call, 'function')!)) ?? '');
  });
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '@']);

/**
 * Whether a left operand of an arithmetic operator whose right operand is a Keras variable is no
 * NumPy array: a number, a list or tuple literal, a list comprehension, or a name whose value is
 * one of those (followed through assignments and a function's one call). A NumPy array on the
 * left reads a `keras.Variable` through `__array__` (it has no `__array_priority__`, which made
 * NumPy defer to `tf.Variable`): a constant, no gradient.
 */
function noArrayOperand(node: SyntaxNode, at: SyntaxNode, ctx: RuleContext, hops = 0): boolean {
  if (node.type === 'integer' || node.type === 'float' || node.type === 'list' || node.type === 'tuple' || node.type === 'list_comprehension') {
    return true;
  }
  if (node.type === 'unary_operator' || node.type === 'parenthesized_expression') {
    const inner = node.children.filter(c => !['(', ')', '-', '+', 'comment'].includes(c.type));
    return inner.length === 1 && noArrayOperand(inner[0], at, ctx, hops);
  }
  if (node.type === 'identifier' && hops < 8) {
    const name = ctx.textOf(node);
    const value = valueBefore(name, at, ctx);
    if (value) {
      return noArrayOperand(value, value, ctx, hops + 1);
    }
    // A parameter of the function around: the argument of its one call in the cell.
    const passed = argumentAtOnlyCall(name, at, ctx);
    if (passed) {
      return noArrayOperand(passed.arg, passed.call, ctx, hops + 1);
    }
    // A plain `name = [165, 330]` of numbers is left out of the tree the analysis walks: its text.
    const skipped = skippedAssignment(name, at, ctx);
    return !!skipped && /^[[\d]/.test(skipped.text) && !lastAssignmentIsCall(ctx.text, skipped.start);
  }
  return false;
}

/** Whether the text from `start` is a number or a list literal of numbers and lists, not the start of an expression going on (`[1, 2] + np.ones(2)`). */
function lastAssignmentIsCall(text: string, start: number): boolean {
  const line = text.slice(start, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
  return /[A-Za-z_]\w*\s*\(/.test(line) && !/^\[[^\]]*\bfor\b/.test(line);
}

/** For a parameter `name` of the function around `at`: the argument its one call in the cell passes (null if several calls, or none passes it). */
function argumentAtOnlyCall(name: string, at: SyntaxNode, ctx: RuleContext): { arg: SyntaxNode; call: SyntaxNode } | null {
  const def = enclosingFunctionDefinition(at);
  const params = def ? parameterNames(def, ctx) : null;
  if (!def || !params || !params.includes(name)) {
    return null;
  }
  const fname = ctx.textOf(child(def, 'name')!);
  const calls = nodesUnder(rootOf(at), n => n.type === 'call' && child(n, 'function')?.type === 'identifier' && ctx.textOf(child(n, 'function')!) === fname && !(def!.start <= n.start && n.end <= def!.end));
  if (calls.length !== 1) {
    return null;
  }
  const args = (child(calls[0], 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  const keyword = args.find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name')!) === name);
  const positional = args[params.indexOf(name)];
  const arg = keyword ? child(keyword, 'value') : positional && positional.type !== 'keyword_argument' && !['list_splat', 'dictionary_splat'].includes(positional.type) && args.slice(0, params.indexOf(name)).every(a => a.type !== 'keyword_argument' && a.type !== 'list_splat') ? positional : null;
  return arg ? { arg, call: calls[0] } : null;
}

/** The definition of the function `name` a call at `at` reaches: in a block around it (a nested helper) or at module level; null if none or several. */
function reachableFunction(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const defs = nodesUnder(rootOf(at), n => n.type === 'function_definition' && ctx.textOf(child(n, 'name')!) === name).filter(d => {
    const statement = d.parent?.type === 'decorated_definition' ? d.parent : d;
    const block = statement.parent!;
    return block.type === 'module' || (block.start <= at.start && at.end <= block.end);
  });
  return defs.length === 1 ? defs[0] : null;
}

/**
 * Why a source variable turned `keras.Variable` might be read as a constant in the tape's body or
 * a function of the cell it passes the variable to: an arithmetic operator with the variable on
 * its right and possibly a NumPy array on its left, or a NumPy call on it. Null when none is seen.
 */
function variableAsConstant(body: SyntaxNode, variables: string[], ctx: RuleContext): string | null {
  const check = (scope: SyntaxNode, names: Set<string>, leftOk: (left: SyntaxNode) => boolean, where: string): string | null => {
    for (const op of nodesUnder(scope, n => n.type === 'binary_operator')) {
      const operands = op.children.filter(c => c.type !== 'comment');
      if (operands.length !== 2 || !ARITHMETIC.has(ctx.text.slice(operands[0].end, operands[1].start).trim())) {
        continue;
      }
      const [left, right] = operands;
      if (right.type === 'identifier' && names.has(ctx.textOf(right)) && !identifiersIn(left).some(n => names.has(ctx.textOf(n))) && !leftOk(left)) {
        return `\`${ctx.textOf(op)}\`${where} may have an array (NumPy or TensorFlow) on the left of the variable \`${ctx.textOf(right)}\`, which would read it as a \`keras.Variable\`'s constant value (no gradient)`;
      }
    }
    for (const call of nodesUnder(scope, n => n.type === 'call' && /^numpy\./.test(ctx.resolve(child(n, 'function')!) ?? ''))) {
      const read = identifiersIn(child(call, 'arguments') ?? call).find(n => names.has(ctx.textOf(n)));
      if (read) {
        return `\`${ctx.textOf(call)}\`${where} reads the variable \`${ctx.textOf(read)}\` with NumPy (a constant, no gradient)`;
      }
    }
    return null;
  };
  const own = check(body, new Set(variables), left => noArrayOperand(left, left, ctx), '');
  if (own) {
    return own;
  }
  for (const call of nodesUnder(body, n => n.type === 'call' && child(n, 'function')?.type === 'identifier')) {
    const def = reachableFunction(ctx.textOf(child(call, 'function')!), call, ctx);
    const params = def ? parameterNames(def, ctx) : null;
    if (!def || !params) {
      continue;
    }
    const args = (child(call, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
    const argOf = new Map<string, SyntaxNode>();
    args.forEach((arg, i) => {
      if (arg.type === 'keyword_argument') {
        argOf.set(ctx.textOf(child(arg, 'name')!), child(arg, 'value')!);
      } else if (params[i]) {
        argOf.set(params[i], arg);
      }
    });
    const sourceParams = new Set([...argOf].filter(([, arg]) => arg.type === 'identifier' && variables.includes(ctx.textOf(arg))).map(([p]) => p));
    if (!sourceParams.size) {
      continue;
    }
    const leftOk = (left: SyntaxNode): boolean => {
      const passed = left.type === 'identifier' ? argOf.get(ctx.textOf(left)) : undefined;
      return passed ? noArrayOperand(passed, call, ctx) : noArrayOperand(left, left, ctx);
    };
    const inHelper = check(child(def, 'body')!, sourceParams, leftOk, ` in \`${ctx.textOf(child(def, 'name')!)}()\``);
    if (inHelper) {
      return inHelper;
    }
  }
  return null;
}

/**
 * `.numpy()` on a value computed from a variable the fix turns from `tf.Variable` into
 * `keras.Variable` (`exp_func(x, a, b).numpy()` after fitting `a`, `b`): a JAX array has no
 * `.numpy()`, a torch tensor computed from a trainable variable refuses it (it requires grad).
 * `keras.ops.convert_to_numpy(...)` on every backend. The variable itself keeps `.numpy()`.
 */
function numpyOfVariableValues(assignments: SyntaxNode[], ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  for (const assignment of assignments) {
    const name = ctx.textOf(child(assignment, 'left')!);
    let scope: SyntaxNode = rootOf(assignment);
    for (let p = assignment.parent; p; p = p.parent) {
      if (p.type === 'function_definition') {
        scope = p;
        break;
      }
    }
    const given = variableGivenToArrays(name, assignment, scope, ctx);
    edits.push(...given);
    for (const c of nodesUnder(scope, n => n.type === 'call' && n.start > assignment.end && child(n, 'function')?.type === 'attribute')) {
      const fn = child(c, 'function')!;
      const obj = child(fn, 'object');
      const args = (child(c, 'arguments')?.children ?? []).filter(a => !['(', ')', 'comment'].includes(a.type));
      // A TF or NumPy function's result: its argument is converted instead (variableGivenToArrays).
      const objFn = obj?.type === 'call' ? child(obj, 'function') : null;
      const arrayResult = !!objFn && /^(tensorflow\.(?!keras)|numpy\.)/.test(ctx.resolve(objFn) ?? '');
      const computed = obj && !arrayResult && ['call', 'binary_operator', 'parenthesized_expression', 'unary_operator'].includes(obj.type);
      // A function of the cell now given the variable's values (the style-transfer tutorial's
      // `total_variation_loss(image).numpy()`) returns what TensorFlow gives, whose `.numpy()` stays.
      const reads = computed && readsName(obj!, name, ctx) && !given.some(e => e.start >= obj!.start && e.end <= obj!.end);
      if (reads && !args.length && ctx.textOf(child(fn, 'attribute')!) === 'numpy') {
        edits.push({ start: c.start, end: c.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(obj!)})` });
      }
    }
  }
  return edits;
}

/** Whether a node reads `name` (not as an attribute's name or a keyword). */
function readsName(node: SyntaxNode, name: string, ctx: RuleContext): boolean {
  return identifiersIn(node).some(n => ctx.textOf(n) === name && !(n.parent?.type === 'attribute' && child(n.parent, 'attribute') === n) && n.parent?.type !== 'keyword_argument');
}

/** A TensorFlow function that takes arrays (not Keras through TensorFlow, `tf.Variable`, `tf.function`, the tape). */
function isTensorflowFunction(resolved: string): boolean {
  return /^tensorflow\./.test(resolved) && !/^tensorflow\.(keras|Variable$|function$|GradientTape$)/.test(resolved);
}

/** Methods that change a variable in place: a function calling one on its parameter needs the variable itself. */
const UPDATES = /\.\s*(assign|assign_add|assign_sub|apply_gradients|apply)\s*\(|GradientTape/;

/**
 * The variable the fix turns from `tf.Variable` into `keras.Variable`, given outside the step
 * (after the training) to a TensorFlow or NumPy function, directly or in arithmetic
 * (`tf.image.total_variation(image)`, `np.clip(image * 255, 0, 255)`), or to a function of the cell
 * that applies them to it (the TensorFlow style-transfer tutorial's `tensor_to_image(image)`, which
 * does `np.array(tensor * 255, dtype=np.uint8)`): TensorFlow's ops call `get_shape()`, which a
 * `keras.Variable` lacks, and NumPy refuses a torch tensor that requires grad. Wrapped in
 * `keras.ops.convert_to_numpy(...)` (the variable's values, on every backend), unless the function
 * updates what it is given.
 */
function variableGivenToArrays(name: string, assignment: SyntaxNode, scope: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  const step = ctx.fn?.node ?? null;
  // Another step of the cell taking the variable's gradient (the style-transfer tutorial's second
  // `train_step`, with total variation) reads it under its own tape, which its own rewrite covers:
  // its values there would lose the gradient.
  const otherSteps = nodesUnder(scope, n => n !== step && (n.type === 'function_definition' || n.type === 'with_statement') && /GradientTape\s*\(/.test(ctx.textOf(n.type === 'with_statement' ? n.children[0] : child(n, 'body') ?? n)));
  for (const c of nodesUnder(scope, n => n.type === 'call' && n.start > assignment.end)) {
    if ((step && c.start >= step.start && c.end <= step.end) || otherSteps.some(o => c.start >= o.start && c.end <= o.end)) {
      continue;
    }
    const fn = child(c, 'function');
    const args = (child(c, 'arguments')?.children ?? []).filter(a => a.type !== 'comment' && a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
    if (!fn || !args.length) {
      continue;
    }
    const resolved = ctx.resolve(fn) ?? '';
    const arrayFunction = isTensorflowFunction(resolved) || /^numpy\./.test(resolved);
    let targets: SyntaxNode[] = [];
    // TensorFlow functions may read the shape before converting (`tf.image.total_variation` calls `get_shape()`): a tensor of the values.
    const [open, close] = /^tensorflow\./.test(resolved) ? [`${tensorflowName(ctx) ?? 'tf'}.convert_to_tensor(keras.ops.convert_to_numpy(`, '))'] : ['keras.ops.convert_to_numpy(', ')'];
    if (arrayFunction) {
      targets = args.filter(a => (a.type === 'identifier' && ctx.textOf(a) === name) || (['binary_operator', 'parenthesized_expression', 'unary_operator'].includes(a.type) && readsName(a, name, ctx)));
    } else if (fn.type === 'identifier') {
      // A function of the cell given the variable: wrapped where its body applies TF or NumPy functions and updates nothing.
      const def = moduleFunctionDefinition(ctx.textOf(fn), c, ctx);
      const body = def ? child(def, 'body') : null;
      if (def && body && def !== step && !UPDATES.test(ctx.textOf(body)) && /\b(?:np|numpy|tf|tensorflow)\.\w/.test(ctx.textOf(body))) {
        targets = args.filter(a => a.type === 'identifier' && ctx.textOf(a) === name);
      }
    }
    for (const a of targets) {
      edits.push({ start: a.start, end: a.start, text: open }, { start: a.end, end: a.end, text: close });
    }
  }
  return edits;
}

/**
 * The JAX/PyTorch/TensorFlow rewrite of the tape `stmt` (a with_statement), or why there is none.
 * `state` (an expression, `self.non_trainable_variables + self.metrics_variables` for a tape in a
 * layer's method) replaces the models' non-trainable variables as what the JAX path writes back
 * after the tape's function: variables the body updates besides the trained ones (a loss metric).
 * With `dedentTail`, a body ending with the gradient and what follows it (`grads = g.gradient(...)`
 * then `optimizer.apply_gradients(...)` under a non-persistent tape, aymericdamien's
 * TensorFlow-Examples) is rewritten as if that tail came after the `with` (tape-restructure.ts):
 * the TensorFlow branch too has it there.
 */
export function rewriteModuleTapeStep(stmt: SyntaxNode, ctx: RuleContext, state?: string, dedentTail = false): ModuleTapeRewrite | ModuleTapeRefusal {
  const text = ctx.text;
  const clause = stmt.children[0];
  const body = child(stmt, 'body');
  const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment' && c.type !== ',') : [clause];
  const tapes = items.map(i => TAPE_ITEM.exec(ctx.textOf(i).replace(/\s+/g, ' ').trim()));
  if (!tapes.length || tapes.some(t => !t) || !body) {
    return { why: `the \`with ${ctx.textOf(clause)}\` statement holds more than plain \`tf.GradientTape() as name\` items` };
  }
  const aliases = tapes.map(t => t![1]);
  const persistent = tapes.map(t => /persistent/.test(t![0]));
  // The gradient taken under a non-persistent tape: it and what follows it run after the `with`.
  const tail = dedentTail ? statementsFromGradient(stmt, aliases, persistent, ctx) : [];
  const all = statementsOf(body);
  const bodyStmts = all.slice(0, all.length - tail.length);
  // The part of the body kept under the tape: the whole block, or its statements up to the tail.
  const keptNodes = tail.length ? bodyStmts : [body];
  const keptEnd = tail.length ? bodyStmts[bodyStmts.length - 1].end : body.end;
  const inBody = aliases.find(alias => keptNodes.some(k => identifiersIn(k).some(n => ctx.textOf(n) === alias)));
  if (inBody) {
    const under = dedentTail ? 'the gradient taken under a persistent tape, or before more use of the tape' : 'or the gradient taken under the tape';
    return { why: `\`${inBody}\` is used in its own body (\`${inBody}.watch(x)\` on inputs, ${under}), which the rewrite does not carry` };
  }
  const checked = straightLineBody(bodyStmts, ctx, true);
  if ('why' in checked) {
    return checked;
  }
  const { bound, carried } = checked;

  // After the tape: its `grads = tape.gradient(loss, X.trainable_variables)` statements, first;
  // each tape used there once (a persistent one possibly more), nowhere else.
  const siblings = statementsOf(stmt.parent!);
  const after = [...tail, ...siblings.slice(siblings.indexOf(stmt) + 1)];
  // Simple statements between the tape and its gradients (the NMT tutorial's `batch_loss = loss /
  // int(targ.shape[1])` and `variables = encoder.trainable_variables + decoder.trainable_variables`)
  // run after the gradients on JAX and PyTorch, as written on TensorFlow.
  const skip = after.findIndex(a => a.type !== 'expression_statement' || !!tapeGradient(a, aliases, ctx) || identifiersIn(a).some(n => aliases.includes(ctx.textOf(n))));
  const between = skip > 0 && tapeGradient(after[skip], aliases, ctx) ? after.slice(0, skip) : [];
  const gradients: TapeGradient[] = [];
  for (let g = tapeGradient(after[between.length], aliases, ctx); g; g = tapeGradient(after[between.length + gradients.length], aliases, ctx)) {
    gradients.push(g);
  }
  // A function handing the gradient to its caller (the TensorFlow custom-training walkthrough's
  // `return loss_value, tape.gradient(loss_value, model.trainable_variables)`): the gradient gets a
  // name of its own on JAX and PyTorch, and each branch returns what the statement returns.
  const scope = ctx.fn ? ctx.fn.node : rootOf(stmt);
  const fresh = freshNamer(new Set(identifiersIn(scope).map(n => ctx.textOf(n))));
  const returned = !gradients.length && ctx.fn && aliases.length === 1 ? returnedGradient(after[0], aliases[0], fresh, ctx) : null;
  if (returned) {
    gradients.push(returned.gradient);
  }
  const misused = aliases.find((alias, i) => {
    const rebinds = (s: SyntaxNode): boolean => s.type === 'with_statement' && new RegExp(`\\bas\\s+${alias}\\b`).test(ctx.textOf(s.children[0]));
    const until = after.findIndex(rebinds);
    const uses = (until < 0 ? after : after.slice(0, until)).filter(s => identifiersIn(s).some(n => ctx.textOf(n) === alias));
    const own = gradients.filter(g => g.tape === alias);
    return !own.length || (own.length > 1 && !persistent[i]) || uses.length !== own.length || uses.some(u => !own.some(g => g.stmt === u));
  });
  if (misused) {
    return { why: `\`${misused}\` is used other than in \`grads = ${misused}.gradient(loss, model.trainable_variables)\` right after the tape (once, unless the tape is persistent)` };
  }
  const unbound = gradients.find(g => !bound.includes(g.loss));
  if (unbound) {
    return { why: `the loss \`${unbound.loss}\` is not computed in the tape's body` };
  }
  if (new Set(gradients.map(g => g.grads)).size !== gradients.length || gradients.some(g => bound.includes(g.grads))) {
    return { why: 'the gradients are not bound to distinct names of their own' };
  }
  const handedOn = ctx.fn ? gradientsMeetTensorflowOps(ctx.fn.node, gradients.map(g => g.grads), !!returned, ctx) : null;
  if (handedOn) {
    return { why: `the gradients \`${ctx.fn!.name}()\` returns reach TensorFlow ops in \`${handedOn}\` (JAX and PyTorch gradients are not TensorFlow tensors)` };
  }
  const lastGradient = gradients[gradients.length - 1].stmt;
  const owners = [...new Set(gradients.flatMap(g => g.owners))];
  // The statements moved after the gradients must not change what the gradients read.
  const clash = between.flatMap(b => nodesUnder(b, n => ['assignment', 'augmented_assignment', 'named_expression'].includes(n.type)).flatMap(a => namesIn(child(a, 'left') ?? child(a, 'name') ?? a, ctx))).find(n => gradients.some(g => g.loss === n || g.grads === n) || owners.some(o => o.split('.')[0] === n));
  if (clash) {
    return { why: `a statement between the tape and its gradient binds \`${clash}\`, which the gradient reads` };
  }
  if (!ctx.fn) {
    for (const root of owners.map(o => o.split('.')[0])) {
      const bindings = rootOf(stmt).children.filter(c => (boundBy(c, ctx) ?? []).includes(root));
      if (bindings.length && bindings.every(b => b.start > stmt.start)) {
        return { why: `\`${root}\` is bound later in the file than the tape` };
      }
    }
  }

  // TF calls in the body: converted on the JAX and PyTorch paths, or no fix.
  const converted = tapeConversions(keptNodes, stmt, ctx);
  if ('why' in converted) {
    return converted;
  }
  const { ops: opEdits, helpers, helperEdits } = converted;
  const betweenOps: OffsetEdit[] = [];
  for (const b of between) {
    const c = tfConversions(b, ctx);
    if ('why' in c) {
      return { why: `${c.why} between the tape and its gradient` };
    }
    betweenOps.push(...c.edits);
  }

  // Names the code outside the body reads (after it, or anywhere in the enclosing scope).
  const outside = namesOutside(scope, body.start, tail.length ? tail[0].start : body.end, ctx);
  const losses = [...new Set(gradients.map(g => g.loss))];
  const kept = bound.filter(n => !losses.includes(n) && outside.has(n));
  const single = gradients.length === 1;
  const fn = fresh(single ? `${losses[0]}_fn` : 'tape_fn');
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
    text.slice(from, keptEnd),
    opEdits.map(x => ({ start: x.start - from, end: x.end - from, text: x.text }))
  );
  // The body's lines sit at ti + u: on JAX at ti + 3u (if, def, with), on PyTorch at ti + u.
  const jaxBody = indented(bodyText, u + u);
  // Every model the body calls gets its non-trainable updates (BatchNormalization statistics, seed
  // generators) back: the trained ones, and others called in the body (a GAN's frozen half).
  const called = keptNodes.flatMap(k => nodesUnder(k, n => n.type === 'call' && child(n, 'function')?.type === 'identifier' && ctx.isLayerInstance(child(n, 'function')!))).map(c => ctx.textOf(child(c, 'function')!));
  const models = [...new Set([...owners, ...called])];
  const nonTrainable = state ?? models.map(m => `${m}.non_trainable_variables`).join(' + ');
  // The step's array parameters and the names computed before the tape that the body reads, as
  // backend tensors (a layer rejects TensorFlow tensors mixed with JAX or torch ones in one nested
  // input: DDPG's `critic([state_batch, actions])`; the DCGAN tutorial's `tf.random.normal` noise).
  // A model passed in (the walkthrough's `grad(model, inputs, targets)`) is no array.
  const arrays = stepArrays(stmt, keptNodes, bound, ctx, carried).filter(n => !models.some(m => m.split('.')[0] === n));
  const a = fresh('a');
  const inputs = arrays.length ? `${ti}${u}${tuple(arrays)} = (keras.ops.convert_to_tensor(${a}) if hasattr(${a}, "__array__") else ${a} for ${a} in (${tuple(arrays)}))\n` : '';
  const aux = [...losses, ...kept];
  const variables = single ? '' : fresh('variables');
  const index = single ? '' : fresh('index');
  const rest = single ? '' : fresh('_');
  // Names the body reads before binding them (`loss = 0` before the tape, `loss += ...` in it) come
  // into the JAX function as parameters holding their values from before the tape.
  // The targets of loops around the tape that the body reads (`for X_batch, y_batch in train_set:`) are bound as
  // defaults: AutoGraph, converting a `@tf.function` around the loop, refuses a nested def reading a loop
  // variable ("'X_batch' must be defined before the loop", og48b repro_1), even in the branch TF never runs.
  const read = new Set(keptNodes.flatMap(k => identifiersIn(k)).map(n => ctx.textOf(n)));
  const loopTargets: string[] = [];
  for (let p = stmt.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    const target = p.type === 'for_statement' ? child(p, 'left') : null;
    for (const id of target ? identifiersIn(target).sort((a, b) => a.start - b.start) : []) {
      const name = ctx.textOf(id);
      if (read.has(name) && !loopTargets.includes(name) && !carried.includes(name)) {
        loopTargets.push(name);
      }
    }
  }
  const carriedParams = carried.map(c => `, ${c}`).join('');
  const loopDefaults = loopTargets.map(n => `, ${n}=${n}`).join('');
  const built = owners.length === 1 ? `${owners[0]}.built` : `(${owners.map(o => `${o}.built`).join(' and ')})`;
  const betweenFrom = between.length ? lineStartAt(text, between[0].start) : 0;
  const betweenText = between.length
    ? indented(
        applyOffsetEdits(
          text.slice(betweenFrom, between[between.length - 1].end),
          betweenOps.map(x => ({ start: x.start - betweenFrom, end: x.end - betweenFrom, text: x.text }))
        ),
        u
      ) + '\n'
    : '';
  const jaxGrads = gradients
    .map((g, i) =>
      single
        ? `${ti}${u}${g.grads}, (${aux.join(', ')}, ${updates}) = jax.grad(${fn}, has_aux=True)([${v}.value for ${v} in ${g.vars}]${carriedParams})\n`
        : `${ti}${u}${g.grads}, ${i ? rest : `(${aux.join(', ')}, ${updates})`} = jax.grad(${fn}, has_aux=True)([${v}.value for ${v} in ${g.vars}], ${g.vars}, ${losses.indexOf(g.loss)}${carriedParams})\n`
    )
    .join('');
  const jax =
    `if keras.backend.backend() == "jax":\n` +
    `${ti}${u}import jax\n\n` +
    (single
      ? `${ti}${u}# The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n` +
        `${ti}${u}def ${fn}(${values}${carriedParams}${loopDefaults}):\n` +
        `${ti}${u}${u}with keras.StatelessScope(state_mapping=list(zip(${gradients[0].vars}, ${values})), collect_losses=True) as ${scopeName}:\n` +
        `${jaxBody}\n` +
        `${ti}${u}${u}return keras.ops.sum(${losses[0]}), (${aux.join(', ')}, [${scopeName}.get_current_value(${v}) for ${v} in ${nonTrainable}])\n\n`
      : `${ti}${u}# The tapes' body as a function of one model's trained values, the other models' values held constant\n` +
        `${ti}${u}# (add_loss terms and updated statistics collected); \`${index}\` picks the loss differentiated.\n` +
        `${ti}${u}def ${fn}(${values}, ${variables}, ${index}${carriedParams}${loopDefaults}):\n` +
        `${ti}${u}${u}with keras.StatelessScope(state_mapping=list(zip(${variables}, ${values})), collect_losses=True) as ${scopeName}:\n` +
        `${jaxBody}\n` +
        `${ti}${u}${u}return keras.ops.sum((${tuple(losses)})[${index}]), (${aux.join(', ')}, [${scopeName}.get_current_value(${v}) for ${v} in ${nonTrainable}])\n\n`) +
    inputs +
    `${ti}${u}if not ${built}:\n` +
    `${ti}${u}${u}${fn}(${single ? '[]' : '[], [], 0'}${carriedParams})  # builds the model${owners.length === 1 ? '' : 's'} on ${owners.length === 1 ? 'its' : 'their'} first call (${owners.length === 1 ? 'its' : 'their'} variables are created eagerly), updates discarded\n` +
    jaxGrads +
    `${ti}${u}for ${v}, ${value} in zip(${nonTrainable}, ${updates}):\n` +
    `${ti}${u}${u}if ${value} is not None:\n` +
    `${ti}${u}${u}${u}${v}.assign(${value})\n` +
    betweenText;
  const torchGrads = gradients
    .map(
      (g, i) =>
        `${ti}${u}${g.grads} = torch.autograd.grad(${g.loss}, [${v}.value for ${v} in ${g.vars}], grad_outputs=torch.ones_like(${g.loss}), allow_unused=True${i < gradients.length - 1 ? ', retain_graph=True' : ''})\n`
    )
    .join('');
  const torch =
    `${ti}elif keras.backend.backend() == "torch":\n` +
    `${ti}${u}import torch\n\n` +
    inputs +
    `${bodyText}\n` +
    torchGrads +
    `${ti}${u}# Values from here on, not part of the graph (\`.numpy()\` fails on grad-tracking tensors).\n` +
    `${ti}${u}${tuple(aux)} = (${t}.detach() if isinstance(${t}, torch.Tensor) else ${t} for ${t} in (${tuple(aux)}))\n` +
    betweenText;
  // A returned gradient: each of the JAX and PyTorch branches returns what the statement returns.
  const returns = returned ? `${ti}${u}${returned.text}\n` : '';
  // A tail under the tape (the gradient and what follows it) is written after the `with`, one level out.
  // (From the line after the last statement kept under the tape: the comments before the tail go with it.)
  const tailFrom = tail.length ? text.indexOf('\n', keptEnd) + 1 : lastGradient.end;
  const asWritten = text.slice(stmt.start, tailFrom) + (tail.length ? dedented(text.slice(tailFrom, lastGradient.end), u) : '');
  const tensorflow = `${ti}else:\n${ti}${u}` + indented(asWritten, u).slice(u.length);
  const end = tail.length ? stmt.end : lastGradient.end;
  let edits: OffsetEdit[] = [...helperEdits];
  const following = tail.length ? [...tail.slice(tail.indexOf(lastGradient) + 1), ...siblings.slice(siblings.indexOf(stmt) + 1)] : undefined;
  const { edits: around, note: aroundNote } = stepSurroundings(stmt, lastGradient, models, ctx, false, following);
  edits.push(...around);
  // A step function's callers in the cell get the backend's tensors: `.numpy()` on what they bind
  // (the walkthrough's `loss_value, grads = grad(...)` then `loss_value.numpy()`) becomes convert_to_numpy.
  const numpy = ctx.fn ? numpyOfResults(lastGradient, [], ctx).filter(e => !edits.some(x => x.start < e.end && e.start < x.end) && !(e.start < lastGradient.end && stmt.start < e.end)) : [];
  edits.push(...numpy);
  // The rest of the tail follows the branches, one level out, with the edits made in it.
  const tailRest = tail.length ? movedOut(text, lastGradient.end, stmt.end, u, edits, false) : { text: '', rest: edits };
  edits = [{ start: stmt.start, end, text: jax + returns + torch + returns + tensorflow + tailRest.text }, ...tailRest.rest];
  const imp = ctx.kerasImportEdit();
  const what = returned ? `the gradient \`${ctx.fn!.name}()\` returns` : gradients.map(g => `\`${g.grads}\``).join(', ');
  const moved = tail.length ? `; the gradient${tail.length > 1 ? ' and what follows it' : ''}, written under the tape, ${tail.length > 1 ? 'run' : 'runs'} after it (a non-persistent tape records nothing once its gradient is taken)` : '';
  return {
    edits: imp ? [...edits, imp] : edits,
    title: `Compute ${what} per backend: jax.grad of the ${single ? 'tape\'s' : 'tapes\''} body under keras.StatelessScope on JAX${single ? '' : ' (one loss function per gradient, over its model\'s trainable values)'}, torch.autograd.grad on PyTorch, the tape${single ? '' : 's'} as written on TensorFlow${moved}${aroundNote}${helpers.length ? `; the TF ops of ${helpers.map(h => `\`${h}()\``).join(', ')}, which the tape's body calls, become keras.ops` : ''}${numpy.length ? `; \`.numpy()\` on what the calls of \`${ctx.fn!.name}()\` bind becomes \`keras.ops.convert_to_numpy()\`` : ''}`
  };
}

/**
 * `return ..., alias.gradient(loss, X.trainable_variables)` right after the tape: the gradient as a
 * TapeGradient bound to a fresh name, and the return statement with the gradient call replaced by
 * that name. Null for any other statement, or for a return holding the tape otherwise.
 */
function returnedGradient(s: SyntaxNode | undefined, alias: string, fresh: (name: string) => string, ctx: RuleContext): { gradient: TapeGradient; text: string } | null {
  if (s?.type !== 'return_statement') {
    return null;
  }
  const calls = nodesUnder(s, n => n.type === 'call' && ctx.textOf(child(n, 'function')!).replace(/\s+/g, '') === `${alias}.gradient`);
  const uses = identifiersIn(s).filter(n => ctx.textOf(n) === alias);
  if (calls.length !== 1 || uses.length !== 1) {
    return null;
  }
  const call = calls[0];
  const args = (child(call, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  const variables = args[1] ? VARIABLES.exec(ctx.textOf(args[1]).replace(/\s+/g, '')) : null;
  if (args.length !== 2 || args[0].type !== 'identifier' || !variables) {
    return null;
  }
  const grads = fresh('grads');
  const text = ctx.text.slice(s.start, call.start) + grads + ctx.text.slice(call.end, s.end);
  return { gradient: { stmt: s, tape: alias, grads, loss: ctx.textOf(args[0]), vars: variables[0], owners: [variables[1]] }, text };
}

/**
 * `loss += term` in the tape's body written `loss = loss + term` for the JAX and PyTorch branches:
 * PyTorch adds in place, which fails where the term broadcasts the loss to another shape (a mean
 * plus `total_variation` of a batch of one, the TensorFlow style-transfer tutorial) and on a
 * tensor autograd still needs; TensorFlow's tensors never change in place, so both mean the same.
 */
function augmentedAssignmentsSpelledOut(stmts: SyntaxNode[], opEdits: OffsetEdit[], ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  for (const s of stmts) {
    const a = s.type === 'expression_statement' ? s.children[0] : null;
    const left = a?.type === 'augmented_assignment' ? child(a, 'left') : null;
    const right = a ? child(a, 'right') : null;
    // The tree keeps named nodes only: the operator is the text between the two sides.
    const between = left && right ? ctx.text.slice(left.end, right.start) : '';
    const op = /^(\s*)(\S+)=(\s*)$/.exec(between);
    if (!left || !right || !op || left.type !== 'identifier') {
      continue;
    }
    edits.push({ start: left.end, end: right.start, text: `${op[1]}= ${ctx.textOf(left)} ${op[2]}${op[3]}` });
    // A TF op the branch spells as an expression (`tf.image.total_variation`, a sum of two sums) needs them too.
    if (!ATOMIC.has(right.type) || opEdits.some(e => e.start >= right.start && e.end <= right.end)) {
      edits.push({ start: right.start, end: right.start, text: '(' }, { start: right.end, end: right.end, text: ')' });
    }
  }
  return edits;
}

/**
 * The variables (now `keras.Variable`s) given as such to TensorFlow functions under the tape, for
 * the TensorFlow branch: `.value` is the `tf.Variable` a Keras variable holds there, which the tape
 * records and TF ops take (`tf.image.total_variation` calls `get_shape()`, which a Keras variable lacks).
 */
function variableValuesForTensorflow(body: SyntaxNode, variables: string[], ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  for (const c of nodesUnder(body, n => n.type === 'call')) {
    const fn = child(c, 'function');
    const resolved = fn ? ctx.resolve(fn) ?? '' : '';
    if (!isTensorflowFunction(resolved)) {
      continue;
    }
    for (const arg of child(c, 'arguments')?.children ?? []) {
      const value = arg.type === 'keyword_argument' ? child(arg, 'value') : arg;
      if (value?.type === 'identifier' && variables.includes(ctx.textOf(value))) {
        edits.push({ start: value.end, end: value.end, text: '.value' });
      }
    }
  }
  return edits;
}

/** Whether the cell makes `name` a `keras.Variable` (another tape's rewrite did). */
function keptAsKerasVariable(name: string, stmt: SyntaxNode, ctx: RuleContext): boolean {
  return nodesUnder(rootOf(stmt), n => n.type === 'assignment' && ctx.textOf(child(n, 'left') ?? n) === name && child(n, 'right')?.type === 'call' && /^keras\.(?:\w+\.)*Variable$/.test(ctx.resolveKeras(child(child(n, 'right')!, 'function')!) ?? '')).length > 0;
}

/**
 * An input-gradient tape outside Keras Model/Layer methods (keras.io Deep Dream, visualizing
 * convnet filters, saliency and integrated gradients, FGSM, neural style transfer): one plain
 * `tf.GradientTape() as tape` whose body starts with `tape.watch(x)` lines and then only computes
 * (calling models), followed by `grads = tape.gradient(y, x)` (or a line adding it to a sum,
 * Deep Dream's tiles: computed under a name of its own, then that line) with respect to a watched tensor, or
 * to a variable read in the body and not watched (a `keras.Variable` image updated by an
 * optimizer). Rewritten in place, as KM175's training step:
 *
 *     if keras.backend.backend() == "jax": ...     # jax.grad of the body, a function of x
 *     elif keras.backend.backend() == "torch": ... # x.requires_grad_(True), torch.autograd.grad
 *     else: ...                                    # the tape as written (TensorFlow)
 *
 * - JAX: the body (watch lines aside) a function of x returning `keras.ops.sum(y)` (what
 *   tape.gradient takes) and, as aux, y and the names read after the tape; the models it calls
 *   read their variables as constants (inference). x is `keras.ops.convert_to_tensor(x)` (a
 *   variable: `x.value`).
 * - PyTorch: a watched x becomes a detached copy that requires grad (`convert_to_tensor(x)
 *   .detach().clone().requires_grad_(True)`: no aliasing of the caller's tensor, in-place updates
 *   after the tape allowed once detached); `torch.autograd.grad(y, [x], grad_outputs=
 *   torch.ones_like(y))`; y, the kept names and x are detached after.
 * - Around it, as KM175: TF ops in the body, in the cell's functions it calls (and the functions
 *   they call) and after the gradient in the step become keras.ops; `@tf.function` on the step
 *   applies on TensorFlow only.
 * - A list or tuple of names as sources (keras.io's learning-curve fit, `tape.gradient(cost, [a, b])`
 *   of two `tf.Variable`s): the JAX function takes one value per source (`argnums`), the variables
 *   reading theirs in a `keras.StatelessScope` (a Keras variable's operators kept: `x ** b` of a
 *   Python list x, which a JAX array refuses); a list again for a list; PyTorch differentiates with
 *   respect to all of them. `.numpy()` on values computed from a variable turned `keras.Variable`
 *   becomes `keras.ops.convert_to_numpy()`.
 * - Plain assignments before the first watch line that do not use the tape (Deep Learning with
 *   Python's Grad-CAM `out = last_conv_layer_model(img)` then `tape.watch(out)`; a saliency map's
 *   `x = tf.cast(img, tf.float32)`) run before the `with` when every source is a watched name
 *   (tape-restructure.ts): a TF gradient with respect to a watched tensor does not depend on how it
 *   was made. The branches are written after them, the TensorFlow one without them.
 * Refused (why): several `with` items, watch of an expression, a gradient with respect to a value
 * the body computes (Grad-CAM's layer output: JAX differentiates functions of their inputs only),
 * with respect to an expression other than a name or a list of names, a `tf.Variable` source
 * that may meet a NumPy array on the left of an operator (or a NumPy call) in the body or a cell
 * function it is passed to (NumPy reads a `keras.Variable` through `__array__`: a constant), of a value the body does not compute, a body with compound statements
 * (loops over the tape) or rebinding the watched tensor, the tape used elsewhere, TF calls with no
 * keras.ops conversion.
 *
 * A `tf.Variable` source another tape of the cell also reads is no refusal here: those tapes come
 * back in `sharedWith`, for the caller to check that each is rewritten as well.
 */
export function rewriteInputGradientTape(stmt: SyntaxNode, ctx: RuleContext): ModuleTapeRewrite | ModuleTapeRefusal {
  const text = ctx.text;
  const clause = stmt.children[0];
  const body = child(stmt, 'body');
  const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment' && c.type !== ',') : [clause];
  const tape = items.length === 1 ? TAPE_ITEM.exec(ctx.textOf(items[0]).replace(/\s+/g, ' ').trim()) : null;
  if (!tape || !body) {
    return { why: `the \`with ${ctx.textOf(clause)}\` statement holds more than one plain \`tf.GradientTape() as name\`` };
  }
  const alias = tape[1];
  // Statements making the watched tensor before `tape.watch(x)` (Grad-CAM's `out = last_conv_model(img)`,
  // a saliency map's `x = tf.cast(img, tf.float32)`) run before the `with` (tape-restructure.ts): only
  // where every gradient source is watched (checked below).
  const hoisted = statementsBeforeWatch(stmt, alias, ctx);
  const all = statementsOf(body).slice(hoisted.length);
  const watched: string[] = [];
  let w = 0;
  for (; w < all.length; w++) {
    const m = new RegExp(`^${alias}\\.watch\\((.*)\\)$`).exec(ctx.textOf(all[w]).replace(/\s+/g, ''));
    if (!m) {
      break;
    }
    if (!/^\w+$/.test(m[1])) {
      return { why: `\`${alias}.watch(${m[1]})\` watches an expression, not a name the rewrite can differentiate with respect to` };
    }
    watched.push(m[1]);
  }
  const stmts = all.slice(w);
  if (!stmts.length) {
    return { why: 'the tape\'s body computes nothing' };
  }
  if (stmts.some(s => identifiersIn(s).some(n => ctx.textOf(n) === alias))) {
    return { why: `\`${alias}\` is used in its body other than in \`${alias}.watch(x)\` lines first` };
  }
  // Grad-CAM's `tape.gradient(class_channel, last_conv_layer_output)`: a layer output the body computes.
  const next = statementsOf(stmt.parent!)[statementsOf(stmt.parent!).indexOf(stmt) + 1];
  const source = next ? new RegExp(`\\b${alias}\\.gradient\\(\\s*\\w+\\s*,\\s*(\\w+)\\s*\\)`).exec(ctx.textOf(next)) : null;
  if (source && stmts.some(s => (boundBy(s, ctx) ?? []).includes(source[1]))) {
    return { why: `the gradient is taken with respect to \`${source[1]}\`, a value the tape's body computes (a layer output, as in Grad-CAM): JAX differentiates functions of their inputs only, so the model would have to be split at that layer by hand` };
  }
  const checked = straightLineBody(stmts, ctx);
  if ('why' in checked) {
    return checked;
  }
  const bound = checked.bound;
  const rebound = watched.find(x => bound.includes(x));
  if (rebound) {
    return { why: `the tape's body binds the watched \`${rebound}\` again` };
  }

  // After the tape: `grads = tape.gradient(y, x)`, the tape used nowhere else.
  const siblings = statementsOf(stmt.parent!);
  const after = siblings.slice(siblings.indexOf(stmt) + 1);
  // Or, in a function, `return tape.gradient(y, x)` (keras.io's integrated gradients `get_gradients()`): the
  // same rewrite, each backend's branch returning the gradient it computes.
  const g = after[0]?.type === 'expression_statement' && after[0].children.length === 1 ? after[0].children[0] : null;
  const returned = after[0]?.type === 'return_statement' && !!ctx.fn ? after[0].children.filter(c => c.type !== 'return' && c.type !== 'comment') : null;
  const isGradientCall = (n: SyntaxNode | null | undefined): boolean => n?.type === 'call' && ctx.textOf(child(n, 'function')!).replace(/\s+/g, '') === `${alias}.gradient`;
  let call = g?.type === 'assignment' ? child(g, 'right') : returned?.length === 1 ? returned[0] : null;
  const target = g?.type === 'assignment' ? child(g, 'left') : null;
  // `gradients = gradients + tape.gradient(loss, img_rolled)` (the TensorFlow Deep Dream tutorial's tiles):
  // the branches compute the gradient under a name of their own, then run the line with that name in its place.
  const within = call && !isGradientCall(call) && target?.type === 'identifier' && !ctx.textOf(g!).includes('\n') ? nodesUnder(call, isGradientCall) : [];
  const combined = within.length === 1 ? { line: g!, call: within[0] } : null;
  if (combined) {
    call = combined.call;
  }
  const args = call?.type === 'call' ? (child(call, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type)) : [];
  const isGradient = isGradientCall(call);
  const until = after.findIndex(s => s.type === 'with_statement' && new RegExp(`\\bas\\s+${alias}\\b`).test(ctx.textOf(s.children[0])));
  const uses = (until < 0 ? after : after.slice(0, until)).filter(s => identifiersIn(s).some(n => ctx.textOf(n) === alias));
  if (!isGradient || (returned ? false : target?.type !== 'identifier') || args.length !== 2 || uses.length !== 1) {
    return { why: `\`${alias}\` is used other than in one \`grads = ${alias}.gradient(y, x)\` (or \`return ${alias}.gradient(y, x)\`) right after the tape` };
  }
  // The sources: one name, or a list / tuple of names (keras.io's learning-curve fit `tape.gradient(cost, [a, b])`).
  const listed = args[1].type === 'list' || args[1].type === 'tuple' ? args[1].children.filter(c => !['[', ']', '(', ')', ',', 'comment'].includes(c.type)) : null;
  const sourceNodes = listed ?? [args[1]];
  if (!sourceNodes.length || sourceNodes.some(n => n.type !== 'identifier')) {
    return { why: `the gradient is taken with respect to \`${ctx.textOf(args[1])}\`, not one name or a list of names` };
  }
  const sources = sourceNodes.map(n => ctx.textOf(n));
  if (new Set(sources).size !== sources.length) {
    return { why: `the gradient is taken with respect to \`${ctx.textOf(args[1])}\`, which names a source twice` };
  }
  // Statements moved before the tape keep the program's meaning only for gradients with respect to watched tensors.
  const unwatched = hoisted.length ? sources.find(x => !watched.includes(x)) : undefined;
  if (unwatched) {
    return { why: `\`${alias}\` is used in its body other than in \`${alias}.watch(x)\` lines first (the statements before them could run before the tape only for a gradient with respect to watched tensors, not \`${unwatched}\`)` };
  }
  const y = ctx.textOf(args[0]);
  const scopeNames = new Set(identifiersIn(ctx.fn ? ctx.fn.node : rootOf(stmt)).map(n => ctx.textOf(n)));
  const grads = target && !combined ? ctx.textOf(target) : freshNamer(scopeNames)('grads');
  // The line the gradient was part of, with the branch's gradient in place of the tape's.
  const combine = (indent: string): string =>
    combined ? `${indent}${ctx.textOf(combined.line).slice(0, combined.call.start - combined.line.start)}${grads}${ctx.textOf(combined.line).slice(combined.call.end - combined.line.start)}\n` : '';
  // The branches end with `return grads` where the tape's gradient was returned.
  const giveBack = (indent: string): string => (returned ? `${indent}return ${grads}\n` : '');
  const computed = sources.find(x => bound.includes(x));
  if (computed) {
    return { why: `the gradient is taken with respect to \`${computed}\`, a value the tape's body computes (a layer output, as in Grad-CAM): JAX differentiates functions of their inputs only, so the model would have to be split at that layer by hand` };
  }
  if (args[0].type !== 'identifier' || !bound.includes(y)) {
    return { why: `the gradient is of \`${y}\`, not a name the tape's body computes` };
  }
  if (bound.includes(grads) || sources.includes(grads)) {
    return { why: `the gradient is bound to \`${grads}\`, a name the tape's body or its source uses` };
  }
  const isVariable = (x: string): boolean => !watched.includes(x);
  const unread = sources.find(x => isVariable(x) && !namesIn(body, ctx).includes(x));
  if (unread) {
    return { why: `the gradient is taken with respect to \`${unread}\`, which the tape's body neither watches nor reads` };
  }
  // A tf.Variable (neural style transfer's image, a fitted curve's parameters) stays TensorFlow's, which the
  // Keras optimizer (or its assign_sub on a JAX array) cannot update on JAX or PyTorch: `x = tf.Variable(value)`
  // in the cell becomes `keras.Variable(value)`.
  const variableEdits: OffsetEdit[] = [];
  const madeVariables: SyntaxNode[] = [];
  const sharedWith: { tape: SyntaxNode; variable: string }[] = [];
  for (const x of sources.filter(isVariable)) {
    const tfVariables = nodesUnder(rootOf(stmt), n => n.type === 'assignment' && ctx.textOf(child(n, 'left') ?? n) === x && child(n, 'right')?.type === 'call' && ctx.resolve(child(child(n, 'right')!, 'function')!) === 'tensorflow.Variable');
    // Every `x = tf.Variable(...)` of the cell becomes a keras.Variable: another tape reading `x` (a second
    // step, the TensorFlow style-transfer tutorial's with total variation) gets one too, so the caller keeps
    // this rewrite only where that tape is rewritten as well (sharedWith).
    const otherTape = nodesUnder(rootOf(stmt), n => n.type === 'with_statement' && n !== stmt && /GradientTape\s*\(/.test(ctx.textOf(n.children[0])) && readsName(child(n, 'body') ?? n, x, ctx));
    if (tfVariables.length) {
      otherTape.forEach(tape => sharedWith.push({ tape, variable: x }));
    }
    for (const assignment of tfVariables) {
      const v = child(assignment, 'right')!;
      const vargs = (child(v, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
      if (vargs.length !== 1 || vargs[0].type === 'keyword_argument') {
        return { why: `the gradient is taken with respect to \`${x}\`, a \`tf.Variable(...)\` with arguments besides its value (TensorFlow's on every backend); as a \`keras.Variable\` it would be rewritten` };
      }
      const f = child(v, 'function')!;
      variableEdits.push({ start: f.start, end: f.end, text: 'keras.Variable' });
      madeVariables.push(assignment);
    }
  }
  const asConstant = madeVariables.length ? variableAsConstant(body, madeVariables.map(m => ctx.textOf(child(m, 'left')!)), ctx) : null;
  if (asConstant) {
    return { why: asConstant };
  }
  const x = sources[0];
  const variable = isVariable(x);
  const passed = !!ctx.fn && (child(ctx.fn.node, 'parameters')?.children ?? []).some(c => c.type === 'identifier' && sources.some(x => isVariable(x) && ctx.textOf(c) === x));

  // The part of the body kept under the tape: the whole block, or its statements from the first watch line.
  const keptNodes = hoisted.length ? all : [body];
  const converted = tapeConversions(keptNodes, stmt, ctx);
  if ('why' in converted) {
    return converted;
  }
  const { ops: opEdits, helpers, helperEdits } = converted;

  const scope = ctx.fn ? ctx.fn.node : rootOf(stmt);
  const outside = namesOutside(scope, hoisted.length ? all[0].start : body.start, body.end, ctx);
  const kept = bound.filter(n => n !== y && outside.has(n));
  const fresh = freshNamer(new Set(identifiersIn(scope).map(n => ctx.textOf(n))));
  const fn = fresh(`${y}_fn`);
  const a = fresh('a');
  const t = fresh('t');
  const ti = indentOf(text, stmt.start);
  const u = indentOf(text, stmts[0].start).slice(ti.length) || '    ';
  const from = lineStartAt(text, stmts[0].start);
  const bodyText = applyOffsetEdits(
    text.slice(from, body.end),
    [...opEdits, ...augmentedAssignmentsSpelledOut(stmts, opEdits, ctx)].filter(e => e.start >= from).map(e => ({ start: e.start - from, end: e.end - from, text: e.text }))
  );
  const hoistedNames = hoisted.flatMap(h => assignedNames(h, ctx) ?? []);
  const arrays = stepArrays(stmt, keptNodes, bound, ctx, [], hoistedNames).filter(n => !sources.includes(n));
  const inputs = arrays.length ? `${ti}${u}${tuple(arrays)} = (keras.ops.convert_to_tensor(${a}) if hasattr(${a}, "__array__") else ${a} for ${a} in (${tuple(arrays)}))\n` : '';
  const aux = [y, ...kept];
  let jax: string;
  let torch: string;
  if (!listed) {
    jax =
      `if keras.backend.backend() == "jax":\n` +
      `${ti}${u}import jax\n\n` +
      `${ti}${u}# The tape's body as a function of \`${x}\` (the models it calls read their variables as constants).\n` +
      `${ti}${u}def ${fn}(${x}):\n` +
      `${indented(bodyText, u)}\n` +
      `${ti}${u}${u}return keras.ops.sum(${y}), (${tuple(aux)})\n\n` +
      inputs +
      (variable ? '' : `${ti}${u}${x} = keras.ops.convert_to_tensor(${x})\n`) +
      `${ti}${u}${grads}, (${tuple(aux)}) = jax.grad(${fn}, has_aux=True)(${variable ? `${x}.value` : x})\n` +
      combine(`${ti}${u}`) +
      giveBack(`${ti}${u}`);
    const detached = variable ? aux : [...aux, x];
    torch =
      `${ti}elif keras.backend.backend() == "torch":\n` +
      `${ti}${u}import torch\n\n` +
      inputs +
      (variable ? '' : `${ti}${u}${x} = keras.ops.convert_to_tensor(${x}).detach().clone().requires_grad_(True)\n`) +
      `${bodyText}\n` +
      `${ti}${u}${grads} = torch.autograd.grad(${y}, [${variable ? `${x}.value` : x}], grad_outputs=torch.ones_like(${y}))[0]\n` +
      `${ti}${u}# Values from here on, not part of the graph (\`.numpy()\` fails on grad-tracking tensors).\n` +
      `${ti}${u}${tuple(detached)} = (${t}.detach() if isinstance(${t}, torch.Tensor) else ${t} for ${t} in (${tuple(detached)}))\n` +
      combine(`${ti}${u}`) +
      giveBack(`${ti}${u}`);
  } else {
    // Several sources: one parameter each (a variable's its value, read by the variable in a
    // keras.StatelessScope, so that it keeps a Keras variable's operators: `x ** b` of a Python list x).
    const watchedSources = sources.filter(s => !isVariable(s));
    const params = sources.map(s => (isVariable(s) ? fresh(`${s}_value`) : s));
    const mapping = sources.flatMap((s, i) => (isVariable(s) ? [`(${s}, ${params[i]})`] : []));
    const scoped = mapping.length ? `${ti}${u}${u}with keras.StatelessScope(state_mapping=[${mapping.join(', ')}]):\n${indented(bodyText, u + u)}\n` : `${indented(bodyText, u)}\n`;
    const names = sources.map(s => `\`${s}\``).join(', ');
    const asList = args[1].type === 'list';
    jax =
      `if keras.backend.backend() == "jax":\n` +
      `${ti}${u}import jax\n\n` +
      `${ti}${u}# The tape's body as a function of ${names}${mapping.length ? ' (the variables read these values in a keras.StatelessScope)' : ''}; the models it calls read their variables as constants.\n` +
      `${ti}${u}def ${fn}(${params.join(', ')}):\n` +
      scoped +
      `${ti}${u}${u}return keras.ops.sum(${y}), (${tuple(aux)})\n\n` +
      inputs +
      watchedSources.map(s => `${ti}${u}${s} = keras.ops.convert_to_tensor(${s})\n`).join('') +
      `${ti}${u}${grads}, (${tuple(aux)}) = jax.grad(${fn}, argnums=(${tuple(sources.map((_, i) => String(i)))}), has_aux=True)(${sources.map(s => (isVariable(s) ? `${s}.value` : s)).join(', ')})\n` +
      (asList ? `${ti}${u}${grads} = list(${grads})\n` : '') +
      combine(`${ti}${u}`) +
      giveBack(`${ti}${u}`);
    const detached = [...aux, ...watchedSources];
    const grad = `torch.autograd.grad(${y}, [${sources.map(s => (isVariable(s) ? `${s}.value` : s)).join(', ')}], grad_outputs=torch.ones_like(${y}))`;
    torch =
      `${ti}elif keras.backend.backend() == "torch":\n` +
      `${ti}${u}import torch\n\n` +
      inputs +
      watchedSources.map(s => `${ti}${u}${s} = keras.ops.convert_to_tensor(${s}).detach().clone().requires_grad_(True)\n`).join('') +
      `${bodyText}\n` +
      `${ti}${u}${grads} = ${asList ? `list(${grad})` : grad}\n` +
      `${ti}${u}# Values from here on, not part of the graph (\`.numpy()\` fails on grad-tracking tensors).\n` +
      `${ti}${u}${tuple(detached)} = (${t}.detach() if isinstance(${t}, torch.Tensor) else ${t} for ${t} in (${tuple(detached)}))\n` +
      combine(`${ti}${u}`) +
      giveBack(`${ti}${u}`);
  }
  // Keras variables (made here, or by another tape's rewrite) reach TensorFlow's functions under the tape as their tf.Variable.
  const kerasVariables = sources.filter(x => isVariable(x) && (madeVariables.some(m => ctx.textOf(child(m, 'left')!) === x) || keptAsKerasVariable(x, stmt, ctx)));
  // The statements moved out of the tape are written before the branches (and no longer in the TensorFlow one).
  const hoistFrom = hoisted.length ? lineStartAt(text, hoisted[0].start) : stmt.start;
  const hoistTo = hoisted.length ? lineStartAt(text, all[0].start) : stmt.start;
  const asWritten = applyOffsetEdits(
    text.slice(stmt.start, after[0].end),
    [...variableValuesForTensorflow(body, kerasVariables, ctx), ...(hoisted.length ? [{ start: hoistFrom, end: hoistTo, text: '' }] : [])].map(e => ({ start: e.start - stmt.start, end: e.end - stmt.start, text: e.text }))
  );
  const tensorflow = `${ti}else:\n${ti}${u}` + indented(asWritten, u).slice(u.length);
  let edits: OffsetEdit[] = [...helperEdits];
  const models = [...new Set(keptNodes.flatMap(k => nodesUnder(k, n => n.type === 'call' && child(n, 'function')?.type === 'identifier' && ctx.isLayerInstance(child(n, 'function')!))).map(c => ctx.textOf(child(c, 'function')!)))];
  const { edits: around, note } = stepSurroundings(stmt, after[0], models, ctx, passed);
  edits.push(...around, ...variableEdits);
  const numpy = [...numpyOfResults(after[0], [grads, ...aux], ctx), ...numpyOfVariableValues(madeVariables, ctx)].filter(e => !edits.some(x => x.start < e.end && e.start < x.end) && !(e.start < after[0].end && stmt.start < e.end));
  edits.push(...numpy.filter((e, i) => numpy.findIndex(o => o.start === e.start) === i));
  const before = hoisted.length ? movedOut(text, hoistFrom, hoistTo, u, edits) : { text: '', rest: edits };
  // The first moved line takes the place of the `with` (its indentation is already there).
  const beforeText = before.text ? before.text.slice(ti.length) + ti : '';
  edits = [{ start: stmt.start, end: after[0].end, text: beforeText + jax + torch + tensorflow }, ...before.rest];
  const imp = ctx.kerasImportEdit();
  const hoistNote = hoisted.length ? `; ${hoisted.map(h => `\`${(assignedNames(h, ctx) ?? []).join(', ')} = ...\``).join(', ')}, before \`${alias}.watch(...)\` under the tape, ${hoisted.length === 1 ? 'runs' : 'run'} before it (a gradient with respect to a watched tensor does not depend on how it was made)` : '';
  if (listed) {
    const names = sources.map(s => `\`${s}\``).join(', ');
    const made = madeVariables.map(m => `\`${ctx.textOf(child(m, 'left')!)}\``);
    return {
      edits: imp ? [...edits, imp] : edits,
      ...(sharedWith.length ? { sharedWith } : {}),
      title: `Compute \`${grads}\` (the gradients with respect to ${names}) per backend: jax.grad of the tape's body as a function of ${sources.length === 1 ? 'that value' : 'their values'} on JAX${sources.some(isVariable) ? ' (variables read in a keras.StatelessScope)' : ''}, torch.autograd.grad on PyTorch, the tape as written on TensorFlow${hoistNote}${made.length ? `; \`tf.Variable(...)\` becomes \`keras.Variable(...)\` for ${made.join(', ')} (assign_sub and the Keras optimizer update it on every backend)` : ''}${note}${helpers.length ? `; the TF ops of ${helpers.map(h => `\`${h}()\``).join(', ')}, which the tape's body calls, become keras.ops` : ''}${numpy.length ? '; `.numpy()` on its results and on values computed from the variables becomes `keras.ops.convert_to_numpy()`' : ''}`
    };
  }
  return {
    edits: imp ? [...edits, imp] : edits,
    ...(sharedWith.length ? { sharedWith } : {}),
    title: `Compute \`${grads}\` (the gradient with respect to ${variable ? 'the variable' : 'the watched'} \`${x}\`) per backend: jax.grad of the tape's body as a function of \`${x}\` on JAX, torch.autograd.grad on PyTorch (\`${x}\` ${variable ? 'read as its value' : 'a copy that requires grad'}), the tape as written on TensorFlow${hoistNote}${variableEdits.length ? `; \`${x} = tf.Variable(...)\` becomes \`keras.Variable(...)\` (the Keras optimizer updates it on every backend)` : ''}${note}${helpers.length ? `; the TF ops of ${helpers.map(h => `\`${h}()\``).join(', ')}, which the tape's body calls, become keras.ops` : ''}${numpy.length ? '; `.numpy()` on its results becomes `keras.ops.convert_to_numpy()`' : ''}`
  };
}
