import { child, identifiersIn, returnStatements, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { classMethodDefinitions } from './model-code';
import { applyOffsetEdits, lineStartAt } from '../text';
import { parameterNames, tfApiName } from './calls';
import { knownScalar } from './train-step-rewrite';
import { lossTrackerUpdateEdit, regularizationLossesEdit } from './loss-tracker';
import { BUILT_WHY, markBuiltEdit, markBuiltSublayerEdits, markBuiltUncalledEdit, neverBuilt, UNCALLED_BUILT_WHY } from './mark-built';

/**
 * A Keras 2 train_step whose gradient tapes each train a part of the model with an optimizer of
 * its own (a GAN: `self.d_optimizer` on the discriminator's tape, `self.g_optimizer` on the
 * generator's), rewritten into one train_step per backend, as the guides "Customizing what
 * happens in fit()" with TensorFlow / JAX / PyTorch do (Keras 3's fit() applies one optimizer to
 * one loss, so no compute_loss() override can express such a step). From the step as written:
 *
 * - TensorFlow: the step itself (`_tensorflow_train_step`).
 * - PyTorch: the step under `torch.no_grad()`, each tape's body under `torch.enable_grad()` (as on
 *   TensorFlow, only what a tape records is differentiated), `tape.gradient(loss, variables)` ->
 *   `torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True)`;
 *   `optimizer.apply_gradients(...)` as written (it runs under no_grad).
 * - JAX: un-jitted (a `make_train_function()` override sets `jit_compile = False` on JAX: the
 *   other optimizers' states are not part of the state fit() threads through a jitted step); the
 *   state fit() hands the step is assigned back into the variables first (fit() detaches their
 *   values during an epoch); each tape's body becomes a function of its variables' values,
 *   run under `keras.StatelessScope(state_mapping=...)` by `jax.value_and_grad`, returning the
 *   names the rest of the step reads and the variables the body updated (seed generators,
 *   BatchNormalization statistics), assigned after; the state is read back into the return value.
 * - A model with no call() (and no build()) is marked built in __init__() (fit() cannot build it
 *   from data on JAX and PyTorch: "Unable to automatically build the model").
 *
 * Checked by running the rewritten keras.io DCGAN and conditional GAN on all three backends.
 * - A persistent tape giving several gradients (CycleGAN): on PyTorch each gradient is a
 *   `torch.autograd.grad(..., retain_graph=True)`; on JAX the body is one function of every
 *   variable set the gradients take, run once under `jax.vjp`, and each gradient pulls back its
 *   loss (ones for it, zeros for the others). Checked on keras.io CycleGAN on all three backends.
 *
 * - Two or more tapes opened in one `with` statement over one forward pass (the TensorFlow DCGAN
 *   and pix2pix tutorials, keras.io MelGAN) record the same computation: rewritten as one
 *   persistent tape giving each its gradient. Checked on pix2pix and MelGAN on all three backends.
 * - Tapes in a `for` loop at the top level of the step (WGAN-GP's critic steps) are rewritten in
 *   place (the JAX tape function is defined in the loop's body).
 * - A method the step calls whose tape watches tensors and takes a gradient with respect to them
 *   (WGAN-GP's `gradient_penalty()`) gets `_torch_<name>` and `_jax_<name>` variants, called by the
 *   PyTorch and JAX steps (see rewriteTapeHelper). Checked on keras.io WGAN-GP on all three
 *   backends, and on a deterministic critic whose trained weights equal TensorFlow's.
 *   A method reaching such a method through others (the R-GCN WGAN-GP's `_loss_discriminator()`
 *   calling `_gradient_penalty()`) gets `_torch_`/`_jax_` variants calling the variants.
 *   Checked on keras.io's R-GCN WGAN-GP on all three backends.
 * - The batch is made tuples on JAX and PyTorch (`keras.tree.lists_to_tuples`), as TensorFlow hands
 *   it: their data loading gives lists, and steps test `isinstance(data[0], tuple)`.
 * - Tapes in methods the step calls, each training a part of the model with an optimizer of its
 *   own and returning values to the step (keras.io GauGAN's `train_discriminator()` /
 *   `train_generator()`, a DCGAN's `_d_step(real, fake)` / `_g_step(noise)`): each method gets
 *   `_torch_<name>` and `_jax_<name>` variants whose tapes are rewritten as the step's (see
 *   rewriteTrainingHelper), called by the PyTorch and JAX steps (the JAX step's state handling
 *   covers the optimizers they update in place). A `part.trainable = True` between a tape and its
 *   gradient over that part's variables (GauGAN unfreezes its discriminator there) moves before the
 *   tape on PyTorch: TensorFlow's tape watched the variables anyway, while a frozen part's torch
 *   parameters do not require grad (the part's layers then run unfrozen in the forward pass, which
 *   changes a BatchNormalization's mode there). Checked on GauGAN and
 *   examples/runnable/dcgan_step_helpers.py on all three backends.
 * - A model with a call() (and no build()) that the step never runs (GauGAN's call() is for
 *   predict()) is marked built in __init__() with the layer classes it makes that have no weights
 *   to build (GauGAN's GaussianSampler): while the model or one of its layers is unbuilt, fit() on
 *   JAX and PyTorch builds it by running call() on a symbolic batch's x, which the step unpacks
 *   its own way.
 *
 * - A loss taken from a container by a constant key (keras.io Zero-DCE's `losses = self.compute_losses(...)`
 *   in the tape, `tape.gradient(losses["total_loss"], ...)`): PyTorch differentiates it as written; on JAX
 *   the tape function returns it (summed) and the container comes back whole with the names the step
 *   reads after. Checked on a GAN taking dict and list entries, on plain and persistent tapes, on all
 *   three backends.
 *
 * - Gradients over a list of sub-models' variable lists (keras.io PatchConvNet's
 *   `tape.gradient(total_loss, [self.stem.trainable_variables, self.trunk.trainable_variables])`, the
 *   nested gradients then flattened into (gradient, variable) pairs): PyTorch and JAX differentiate
 *   the flattened variables (`keras.tree.flatten`) and the gradients are nested back as the list
 *   (`keras.tree.pack_sequence_as`), as tape.gradient returns them. The shims `self.compiled_loss` /
 *   `self.compiled_metrics` in methods the step calls (PatchConvNet's `_calculate_loss()`, run in the
 *   tape) become Keras's own calls there too. Checked on keras.io PatchConvNet on all three backends.
 *
 * Left to advice: tapes nested in tapes or under an `if`, `tape.watch` in the step itself, TF
 * calls besides the tapes still in the step (the fix is offered once the other fixes have
 * converted them).
 */
export interface MultiOptimizerRewrite {
  edits: OffsetEdit[];
  title: string;
}

/** Why a multi-optimizer step gets advice only. */
export interface NotRewritten {
  why: string;
}

/** One `grads = tape.gradient(loss, variables)` after a tape. */
interface Gradient {
  stmt: SyntaxNode;
  call: SyntaxNode;
  grads: string;
  /** The loss as written: a name (`d_loss`), or a constant key of one (`losses["total_loss"]`, keras.io Zero-DCE's dict of losses). */
  loss: string;
  /** The name the loss is or is taken from (`losses`). */
  lossName: string;
  /** A valid Python name for what the loss is (`d_loss`, `total_loss`), to name the JAX function. */
  lossLabel: string;
  variables: string;
  /**
   * The variables are a list of sub-models' variable lists (`[self.stem.trainable_variables,
   * self.head.trainable_variables]`): tape.gradient gives a list of gradient lists, the same nesting.
   */
  nested: boolean;
  scalar: boolean;
}

/** The gradient's variables as one flat sequence (a nested list flattened with keras.tree). */
function flatVariables(g: Gradient): string {
  return g.nested ? `keras.tree.flatten(${g.variables})` : g.variables;
}

/** `grads`, a flat sequence of gradients, nested as the gradient's variables are (as tape.gradient nests them). */
function nestedGradients(g: Gradient, grads: string): string {
  return g.nested ? `keras.tree.pack_sequence_as(${g.variables}, ${grads})` : grads;
}

interface Tape {
  stmt: SyntaxNode;
  clause: SyntaxNode;
  body: SyntaxNode;
  /** One for a plain tape; one or more for a persistent tape (`tf.GradientTape(persistent=True)`). */
  gradients: Gradient[];
  persistent: boolean;
  /** The losses the gradients take, each once, in order. */
  losses: string[];
  /** Names the tape's body binds that the step reads after it (the losses aside). */
  kept: string[];
  /** Names the tape's body binds that the step bound before it: the JAX function's defaulted parameters. */
  carried: string[];
  /**
   * `part.trainable = True` statements between the tape and a gradient over `part`'s variables
   * (GauGAN's discriminator, frozen while its tape recorded): moved before the tape on PyTorch.
   */
  unfrozen: SyntaxNode[];
}

const memo = new WeakMap<SyntaxNode, MultiOptimizerRewrite | NotRewritten | null>();

const GENERATED = ['_tensorflow_train_step', '_torch_train_step', '_jax_train_step', 'make_train_function'];

/**
 * The per-backend rewrite of a train_step with several tapes and optimizers, why there is none,
 * or null when the step is not one (fewer than two tapes, or one optimizer).
 */
export function rewriteMultiOptimizerStep(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): MultiOptimizerRewrite | NotRewritten | null {
  if (!memo.has(def)) {
    memo.set(def, rewrite(def, cls, ctx));
  }
  return memo.get(def)!;
}

export function nodesUnder(node: SyntaxNode, pred: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) {
      out.push(n);
    }
    stack.push(...n.children);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Identifiers a statement binds by plain assignment (`a = ...`, `a, b = ...`), or null for other targets. */
export function assignedNames(stmt: SyntaxNode, ctx: RuleContext): string[] | null {
  const e = stmt.type === 'expression_statement' && stmt.children.length === 1 ? stmt.children[0] : null;
  if (!e || e.type !== 'assignment') {
    return null;
  }
  const left = child(e, 'left');
  if (!left) {
    return null;
  }
  if (left.type === 'identifier') {
    return [ctx.textOf(left)];
  }
  if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.children.every(c => c.type === 'identifier')) {
    return left.children.map(c => ctx.textOf(c));
  }
  return null;
}

/** `self.a.trainable_weights`, `self.trainable_variables`, or a sum of such: safe to evaluate again. */
function plainVariables(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'list') {
    // A list of variable lists: tape.gradient returns the gradients nested the same way.
    const items = node.children.filter(c => c.type !== 'comment' && !['[', ']', ','].includes(c.type));
    return items.length > 0 && items.every(i => i.type !== 'list' && plainVariables(i, ctx));
  }
  if (node.type === 'binary_operator') {
    const operands = node.children.filter(c => c.type !== 'comment');
    return operands.length === 2 && ctx.text.slice(operands[0].end, operands[1].start).trim() === '+' && operands.every(o => plainVariables(o, ctx));
  }
  return node.type === 'attribute' && /^[\w.]+\.trainable_(weights|variables)$/.test(ctx.textOf(node).replace(/\s+/g, ''));
}

/**
 * What a local name given to `tape.gradient` stands for: the value of its one binding, a
 * statement of the step's own body before the use (`trainable_variables = self.nerf_model.trainable_variables`,
 * as keras.io's NeRF writes it). The generated steps differentiate where the tape was, which may
 * be before that binding: they use the value's text.
 */
function variablesBoundTo(name: SyntaxNode, def: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const text = ctx.textOf(name);
  const bindings = nodesUnder(def, n => ['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern', 'named_expression'].includes(n.type) && namesIn(child(n, 'left') ?? n, ctx).includes(text));
  const statement = bindings.length === 1 && bindings[0].type === 'assignment' ? bindings[0].parent : null;
  const value = bindings.length === 1 ? child(bindings[0], 'right') : null;
  // Bound once, before the use, in the block that holds it or one around it (a loop's body).
  const block = statement?.parent;
  if (!statement || statement.type !== 'expression_statement' || !block || name.start < block.start || name.end > block.end || statement.end > name.start || !value) {
    return null;
  }
  return child(bindings[0], 'left')?.type === 'identifier' ? value : null;
}

/** The identifiers of names an expression or statement reads or binds (not attribute names, not keyword names). */
export function nameNodes(node: SyntaxNode): SyntaxNode[] {
  return identifiersIn(node).filter(n => !(n.field === 'attribute' && n.parent?.type === 'attribute') && !(n.field === 'name' && n.parent?.type === 'keyword_argument'));
}

/** The names an expression or statement reads or binds (not attribute names, not keyword names). */
export function namesIn(node: SyntaxNode, ctx: RuleContext): string[] {
  return nameNodes(node).map(n => ctx.textOf(n));
}

export function indentOf(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartAt(text, offset)))![0];
}

/** A namer giving `name`, or `_name`, `__name`...: a name not in `used` (added to it). */
export function freshNamer(used: Set<string>): (name: string) => string {
  return (name: string): string => {
    let n = name;
    while (used.has(n)) {
      n = `_${n}`;
    }
    used.add(n);
    return n;
  };
}

/** `text` with every non-empty line after a line start moved right by `by`. */
export function indented(text: string, by: string): string {
  return text
    .split('\n')
    .map(l => (l.trim() ? by + l : l))
    .join('\n');
}

/** A method of the class the step calls that takes a gradient with respect to a watched tensor. */
interface TapeHelper {
  name: string;
  def: SyntaxNode;
  torch: string;
  jax: string;
  /** No tape of its own: it calls a method that has one. */
  relay?: boolean;
  /** Trains a part of the model: a tape and apply_gradients (rewriteTrainingHelper). */
  trains?: boolean;
  /** A part is unfrozen between a tape and its gradient (moved before the tape on PyTorch). */
  unfreezes?: boolean;
}

/**
 * WGAN-GP's `gradient_penalty()`: a method whose tapes each watch tensors (`tape.watch(x)`) and
 * give one gradient of a value the tape's body computes with respect to them
 * (`tape.gradient(pred, [x])[0]`), taken inside the step's tape (a gradient of a gradient).
 * - PyTorch (`_torch_<name>`): the tape's body under `torch.enable_grad()`, `x.requires_grad_(True)`
 *   for the watch, `torch.autograd.grad(pred, [x], grad_outputs=torch.ones_like(pred),
 *   create_graph=True)` (the step's tape differentiates it again).
 * - JAX (`_jax_<name>`): the tape's body a function of the watched tensors under a
 *   `keras.StatelessScope` mapping every variable to its current value (inside the step's tape
 *   function those are the traced values, so the outer gradient goes through it), `jax.grad`
 *   with respect to them; what the body updated (seed generators, statistics) is assigned after.
 * Null when the method has no tape; `why` when its tapes are of another form.
 */
function rewriteTapeHelper(name: string, def: SyntaxNode, ctx: RuleContext, unit: string): TapeHelper | NotRewritten {
  const text = ctx.text;
  const body = child(def, 'body');
  const stmts = (body?.children ?? []).filter(c => c.type !== 'comment');
  const tapeNames = identifiersIn(def).filter(n => ctx.textOf(n) === 'GradientTape');
  const tapeStmts = stmts.filter(s => s.type === 'with_statement' && /GradientTape/.test(ctx.textOf(s.children[0])));
  const what = `\`self.${name}()\`, called in the step, takes a gradient`;
  const byHand = (why: string): NotRewritten => ({ why: `${why} (by hand, a gradient of y with respect to a watched x: on PyTorch \`x.requires_grad_(True)\` under \`torch.enable_grad()\` and \`torch.autograd.grad(y, [x], grad_outputs=torch.ones_like(y), create_graph=True)\`; on JAX \`jax.grad\` of a function of x returning \`keras.ops.sum(y)\`, called inside the step's tape function)` });
  if (!body || def.parent?.type === 'decorated_definition' || tapeStmts.length !== tapeNames.length) {
    return byHand(`${what} in a form the fix does not rewrite (a tape not at the top level of the method, or a decorated method)`);
  }
  if (nodesUnder(def, n => ['yield', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition', 'lambda'].includes(n.type) && n !== def).length) {
    return byHand(`${what} and defines functions or uses yield/global/nonlocal`);
  }
  const tfLeft = new Set<string>();
  for (const n of nodesUnder(def, x => x.type === 'attribute' && x.parent?.type !== 'attribute')) {
    const api = tfApiName(ctx.resolve(n));
    if (api && api !== 'tf.GradientTape') {
      tfLeft.add(api);
    }
  }
  if (tfLeft.size) {
    return { why: `TF calls besides the tapes remain in \`self.${name}()\` (${[...tfLeft].slice(0, 4).map(n => `\`${n}\``).join(', ')}), which the step calls; once they are converted, a fix writes the per-backend step` };
  }
  const used = new Set(identifiersIn(def).map(n => ctx.textOf(n)));
  const fresh = freshNamer(used);
  const stateful = fresh('stateful');
  const torchEdits: OffsetEdit[] = [];
  const jaxEdits: OffsetEdit[] = [];
  for (let i = 0; i < tapeStmts.length; i++) {
    const stmt = tapeStmts[i];
    const clause = stmt.children[0];
    const tapeBody = child(stmt, 'body');
    const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment') : [clause];
    const m = items.length === 1 ? /^(?:\w+\.)*GradientTape\(\s*(?:persistent\s*=\s*True\s*)?\)\s+as\s+(\w+)$/.exec(ctx.textOf(items[0]).replace(/\s+/g, ' ').trim()) : null;
    const tapeCall = nodesUnder(clause, n => n.type === 'call')[0];
    if (!m || !tapeBody || !tapeCall || tfApiName(ctx.resolve(child(tapeCall, 'function') ?? tapeCall)) !== 'tf.GradientTape') {
      return byHand(`${what} with a tape \`with ${ctx.textOf(clause)}\` that is not one plain \`tf.GradientTape()\``);
    }
    const alias = m[1];
    // `tape.watch(x)` statements first, then the body, which does not use the tape.
    const bodyStmts = tapeBody.children.filter(c => c.type !== 'comment');
    const watched: string[] = [];
    const watchStmts: SyntaxNode[] = [];
    for (const s of bodyStmts) {
      const w = /^(\w+)\.watch\(\s*(\w+)\s*\)$/.exec(ctx.textOf(s).replace(/\s+/g, ''));
      if (!w || w[1] !== alias || watchStmts.length !== bodyStmts.indexOf(s)) {
        break;
      }
      watched.push(w[2]);
      watchStmts.push(s);
    }
    const rest = bodyStmts.slice(watchStmts.length);
    if (!watched.length || !rest.length || rest.some(s => identifiersIn(s).some(n => ctx.textOf(n) === alias))) {
      return byHand(`${what} whose tape does not watch tensors (\`${alias}.watch(x)\`) first and then only compute`);
    }
    const next = tapeStmts[i + 1]?.start ?? def.end;
    const uses = stmts.filter(s => s.start > stmt.end && s.start < next && identifiersIn(s).some(n => ctx.textOf(n) === alias));
    const calls = uses.flatMap(u => nodesUnder(u, n => n.type === 'call' && ctx.textOf(child(n, 'function') ?? n).replace(/\s+/g, '') === `${alias}.gradient`));
    const aliasUses = uses.flatMap(u => identifiersIn(u).filter(n => ctx.textOf(n) === alias));
    const args = calls.length === 1 ? (child(calls[0], 'arguments')?.children ?? []).filter(c => c.type !== 'comment') : [];
    const sourceList = args[1]?.type === 'list' ? args[1].children.filter(c => c.type !== 'comment') : args[1] ? [args[1]] : [];
    if (uses.length !== 1 || aliasUses.length !== 1 || args.length !== 2 || args[0].type !== 'identifier' || !sourceList.length || !sourceList.every(x => x.type === 'identifier' && watched.includes(ctx.textOf(x)))) {
      return byHand(`${what} other than one \`${alias}.gradient(value, [watched tensors])\` after its tape`);
    }
    const call = calls[0];
    const target = ctx.textOf(args[0]);
    const sources = sourceList.map(x => ctx.textOf(x));
    const isList = args[1].type === 'list';
    // The body runs in a function on JAX: each name it binds must be bound there before it is read.
    const bound = new Set<string>();
    for (const s of rest) {
      const names = assignedNames(s, ctx);
      const reads = namesIn(names ? child(s.children[0], 'right')! : s, ctx);
      if (reads.some(r => !bound.has(r) && nodesUnder(tapeBody, n => (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') && namesIn(child(n, 'left') ?? n, ctx).includes(r)).length)) {
        return byHand(`${what} whose tape's body reads a name before binding it again`);
      }
      if (!names && nodesUnder(s, n => n.type === 'assignment' || n.type === 'augmented_assignment').length) {
        return byHand(`${what} whose tape's body binds names other than by top-level assignments`);
      }
      (names ?? []).forEach(n => bound.add(n));
    }
    if (!bound.has(target) || sources.some(x => bound.has(x))) {
      return byHand(`${what} of \`${target}\`, which its tape's body does not compute from the watched tensors`);
    }
    // What the body binds that the method reads after the tape (outside the gradient call), the
    // differentiated value too (`return grads, pred`): the JAX function hands them back as aux.
    const kept = [...bound].filter(n => nameNodes(def).some(x => x.start > stmt.end && ctx.textOf(x) === n && !(x.start >= call.start && x.end <= call.end)));

    // PyTorch: the watched tensors require grad; the gradient keeps its graph (differentiated again).
    torchEdits.push({ start: clause.start, end: clause.end, text: 'torch.enable_grad()' });
    watchStmts.forEach((w, k) => torchEdits.push({ start: w.start, end: w.end, text: `${watched[k]}.requires_grad_(True)` }));
    const torchGrad = `torch.autograd.grad(${target}, [${sources.join(', ')}], grad_outputs=torch.ones_like(${target}), create_graph=True, allow_unused=True)`;
    torchEdits.push({ start: call.start, end: call.end, text: isList ? `list(${torchGrad})` : `${torchGrad}[0]` });

    // JAX: the tape's body a function of the watched tensors, differentiated with jax.grad.
    const ti = indentOf(text, stmt.start);
    const fn = fresh(`${alias}_fn`);
    const scope = fresh('scope');
    const grads = fresh(`${alias}_grads`);
    const updates = fresh('updates');
    const v = fresh('v');
    const value = fresh('value');
    const bodyText = indented(text.slice(lineStartAt(text, rest[0].start), tapeBody.end), unit);
    const auxOut = `(${[...kept, `[${scope}.get_current_value(${v}) for ${v} in ${stateful}]`].join(', ')}${kept.length ? '' : ','})`;
    const auxIn = `(${[...kept, updates].join(', ')}${kept.length ? '' : ','})`;
    jaxEdits.push({
      start: stmt.start,
      end: stmt.end,
      text:
        `def ${fn}(${sources.join(', ')}):\n` +
        `${ti}${unit}with keras.StatelessScope(state_mapping=[(${v}, ${v}.value) for ${v} in ${stateful}]) as ${scope}:\n` +
        `${bodyText}\n` +
        `${ti}${unit}return keras.ops.sum(${target}), ${auxOut}\n\n` +
        `${ti}${grads}, ${auxIn} = jax.grad(${fn}, argnums=${isList ? `(${sources.map((_, k) => k).join(', ')},)` : '0'}, has_aux=True)(${sources.join(', ')})\n` +
        `${ti}for ${v}, ${value} in zip(${stateful}, ${updates}):\n` +
        `${ti}${unit}${v}.assign(${value})`
    });
    jaxEdits.push({ start: call.start, end: call.end, text: isList ? `list(${grads})` : grads });
  }
  return {
    name,
    def,
    ...backendVariants(def, name, torchEdits, jaxEdits, `# What the tape's body updates (seed generators, statistics), assigned after its gradient.`, stateful, text)
  };
}

/**
 * `_torch_<name>` and `_jax_<name>`: copies of a method (`def`, whose body is `body`) with their
 * edits applied, each importing its backend first; the JAX one also binds `stateful` (with
 * `comment` saying what it holds) to the variables its tapes' bodies may update.
 */
function backendVariants(def: SyntaxNode, name: string, torchEdits: OffsetEdit[], jaxEdits: OffsetEdit[], comment: string, stateful: string, text: string): { torch: string; jax: string } {
  const nameNode = child(def, 'name')!;
  const first = child(def, 'body')!.children[0];
  const bodyStart = lineStartAt(text, first.start);
  const inside = indentOf(text, first.start);
  const variant = (prefix: string, prelude: string, edits: OffsetEdit[]): string =>
    text.slice(def.start, nameNode.start) +
    `_${prefix}_${name}` +
    text.slice(nameNode.end, bodyStart) +
    prelude +
    applyOffsetEdits(
      text.slice(bodyStart, def.end),
      edits.map(e => ({ start: e.start - bodyStart, end: e.end - bodyStart, text: e.text }))
    );
  return {
    torch: variant('torch', `${inside}import torch\n\n`, torchEdits),
    jax: variant('jax', `${inside}import jax\n\n${inside}${comment}\n${inside}${stateful} = self.variables + self.metrics_variables\n`, jaxEdits)
  };
}

/**
 * A method without a tape of its own that calls, from the step, one that takes a gradient
 * (`_loss_discriminator()` calling `_gradient_penalty()`): `_torch_<name>` and `_jax_<name>`
 * variants calling the variants of those methods.
 */
function relayVariants(name: string, def: SyntaxNode, calls: SyntaxNode[], ctx: RuleContext): TapeHelper | NotRewritten {
  const text = ctx.text;
  const body = child(def, 'body');
  if (!body || def.parent?.type === 'decorated_definition') {
    return { why: `\`self.${name}()\`, called in the step, calls a method taking a gradient and is decorated (by hand)` };
  }
  const tfLeft = new Set<string>();
  for (const n of nodesUnder(def, x => x.type === 'attribute' && x.parent?.type !== 'attribute')) {
    const api = tfApiName(ctx.resolve(n));
    if (api) {
      tfLeft.add(api);
    }
  }
  if (tfLeft.size) {
    return { why: `TF calls remain in \`self.${name}()\` (${[...tfLeft].slice(0, 4).map(n => `\`${n}\``).join(', ')}), which the step calls; once they are converted, a fix writes the per-backend step` };
  }
  const nameNode = child(def, 'name')!;
  const variant = (prefix: string): string =>
    text.slice(def.start, nameNode.start) +
    `_${prefix}_${name}` +
    applyOffsetEdits(
      text.slice(nameNode.end, def.end),
      calls.map(c => {
        const attr = child(child(c, 'function')!, 'attribute')!;
        return { start: attr.start - nameNode.end, end: attr.end - nameNode.end, text: `_${prefix}_${ctx.textOf(attr)}` };
      })
    );
  return { name, def, torch: variant('torch'), jax: variant('jax'), relay: true };
}

/** Calls of `self.<method>(...)` under `node`. */
function selfCalls(node: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return nodesUnder(node, n => n.type === 'call' && /^self\.\w+$/.test(ctx.textOf(child(n, 'function') ?? n).replace(/\s+/g, '')));
}

/** The method a `self.<method>(...)` call calls. */
function calledName(c: SyntaxNode, ctx: RuleContext): string {
  return ctx.textOf(child(child(c, 'function')!, 'attribute')!);
}

function hasTape(m: SyntaxNode, ctx: RuleContext): boolean {
  return identifiersIn(m).some(n => ctx.textOf(n) === 'GradientTape');
}

/** A method with a tape that applies gradients with an optimizer: it trains a part of the model. */
function trains(m: SyntaxNode, ctx: RuleContext): boolean {
  return hasTape(m, ctx) && nodesUnder(m, n => n.type === 'call' && /\.apply_gradients$/.test(ctx.textOf(child(n, 'function') ?? n))).length > 0;
}

/**
 * The methods of the class the step reaches (calling them, or through methods it calls) that
 * take a gradient (a tape of their own) or call such a method, in the order the step reaches
 * them. A method taking a gradient with respect to watched tensors (WGAN-GP's gradient_penalty())
 * is not looked into; one training a part of the model (`train_discriminator()`: a tape and
 * apply_gradients) is, as are the methods without a tape.
 */
function methodsNeedingVariants(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): string[] {
  const methods = classMethodDefinitions(cls, ctx);
  const reaches = new Map<string, boolean>();
  const reachesTape = (name: string): boolean => {
    const method = methods.get(name);
    if (!method || name === ctx.textOf(child(def, 'name')!)) {
      return false;
    }
    if (!reaches.has(name)) {
      reaches.set(name, false); // a cycle reaches no tape through itself
      reaches.set(name, hasTape(method, ctx) || selfCalls(method, ctx).some(c => reachesTape(calledName(c, ctx))));
    }
    return reaches.get(name)!;
  };
  const needed: string[] = [];
  const visit = (node: SyntaxNode): void => {
    for (const c of selfCalls(node, ctx)) {
      const name = calledName(c, ctx);
      if (!needed.includes(name) && reachesTape(name)) {
        needed.push(name);
        const method = methods.get(name)!;
        if (!hasTape(method, ctx) || trains(method, ctx)) {
          visit(method);
        }
      }
    }
  };
  visit(def);
  return needed;
}

/**
 * The methods the step reaches that train a part of the model with a tape and an optimizer of
 * their own (`self.train_discriminator(...)`, `self._g_step(noise)`), in the order it reaches them.
 */
export function trainingMethods(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): string[] {
  const methods = classMethodDefinitions(cls, ctx);
  return methodsNeedingVariants(def, cls, ctx).filter(n => trains(methods.get(n)!, ctx));
}

/**
 * A method the step calls that trains a part of the model (keras.io GauGAN's
 * `train_discriminator()` / `train_generator()`: a forward pass and a loss in a tape, the gradient
 * applied with an optimizer of its own, values returned to the step): `_torch_<name>` and
 * `_jax_<name>` variants whose tapes are rewritten as the step's are (PyTorch: the tape's body
 * under `torch.enable_grad()`, the gradient `torch.autograd.grad`; JAX: the tape's body a function
 * of its variables' values under `jax.value_and_grad`, what it updated assigned after), calling
 * the variants of the methods in `variants` it calls. The PyTorch and JAX steps call them; the
 * TensorFlow step calls the method as written.
 */
function rewriteTrainingHelper(name: string, def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, unit: string, variants: Set<string>): TapeHelper | NotRewritten {
  const text = ctx.text;
  const body = child(def, 'body');
  const what = `\`self.${name}()\`, which the step calls, trains with a tape of its own`;
  if (!body || def.parent?.type === 'decorated_definition') {
    return { why: `${what} and is decorated` };
  }
  if (nodesUnder(def, n => ['yield', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition'].includes(n.type) && n !== def).length) {
    return { why: `${what} and defines functions or uses yield/global/nonlocal` };
  }
  const annotations = nodesUnder(def, x => x.type === 'type');
  const tfLeft = new Set<string>();
  for (const n of nodesUnder(def, x => x.type === 'attribute' && x.parent?.type !== 'attribute' && !annotations.some(a => x.start >= a.start && x.end <= a.end))) {
    const api = tfApiName(ctx.resolve(n));
    if (api && api !== 'tf.GradientTape') {
      tfLeft.add(api);
    }
  }
  if (tfLeft.size) {
    return { why: `TF calls besides the tapes remain in \`self.${name}()\` (${[...tfLeft].slice(0, 4).map(n => `\`${n}\``).join(', ')}), which the step calls; once they are converted, a fix writes the per-backend step` };
  }
  const tapeStmts = tapeStatements(def, ctx);
  if ('why' in tapeStmts) {
    return tapeStmts;
  }
  const tapes = collectTapes(def, tapeStmts, cls, ctx);
  if ('why' in tapes) {
    return tapes;
  }
  const renames = (prefix: string): OffsetEdit[] =>
    selfCalls(def, ctx)
      .filter(c => variants.has(calledName(c, ctx)))
      .map(c => {
        const attr = child(child(c, 'function')!, 'attribute')!;
        return { start: attr.start, end: attr.end, text: `_${prefix}_${ctx.textOf(attr)}` };
      });
  const fresh = freshNamer(new Set(identifiersIn(def).map(n => ctx.textOf(n))));
  const names: JaxNames = { unit, fresh, stateful: fresh('stateful'), updates: fresh('updates'), scope: fresh('scope'), values: fresh('values'), v: fresh('v'), value: fresh('value') };
  const torchEdits = [...renames('torch'), ...torchTapeEdits(tapes, ctx)];
  const jaxRenames = renames('jax');
  const jaxEdits = [...jaxRenames.filter(e => !tapes.some(t => e.start >= t.stmt.start && e.end <= t.stmt.end)), ...jaxTapeEdits(tapes, names, jaxRenames, () => '', ctx)];
  return {
    name,
    def,
    ...backendVariants(def, name, torchEdits, jaxEdits, `# What the tapes' bodies update besides the trained variables (seed generators, statistics).`, names.stateful, text),
    trains: true,
    unfreezes: tapes.some(t => t.unfrozen.length > 0)
  };
}

function rewrite(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): MultiOptimizerRewrite | NotRewritten | null {
  const body = child(def, 'body');
  if (!body) {
    return null;
  }
  const methods = classMethodDefinitions(cls, ctx);
  // The step's tapes and optimizers, and those of the methods it calls that train a part of the
  // model each (keras.io GauGAN's `train_discriminator()` and `train_generator()`).
  const trainers = trainingMethods(def, cls, ctx);
  const trainingDefs = [def, ...trainers.map(n => methods.get(n)!)];
  const tapeNames = trainingDefs.flatMap(d => identifiersIn(d).filter(n => ctx.textOf(n) === 'GradientTape'));
  const applies = trainingDefs.flatMap(d => nodesUnder(d, n => n.type === 'call' && /\.apply_gradients$/.test(ctx.textOf(child(n, 'function') ?? n))));
  const optimizers = new Set(applies.map(c => ctx.textOf(child(child(c, 'function')!, 'object')!).replace(/\s+/g, '')));
  const persistentTape = (n: SyntaxNode): boolean => /\bpersistent\s*=\s*True\b/.test(ctx.textOf(n.parent?.parent ?? n));
  // One optimizer: a step KM141 could not make a compute_loss() override (its reason comes first).
  const single = optimizers.size === 1 && tapeNames.length >= 1;
  if (!single && (optimizers.size < 2 || (tapeNames.length < 2 && !tapeNames.some(persistentTape)))) {
    return null;
  }
  if (single && trainers.length) {
    return { why: `its one optimizer is applied in \`self.${trainers[0]}()\`, which it calls (by hand)` };
  }
  const stmts = body.children.filter(c => c.type !== 'comment');
  // Tapes at the top level of the step, or of a `for` loop there (WGAN-GP's critic loop).
  const tapeStmts = tapeStatements(def, ctx);
  if ('why' in tapeStmts) {
    return tapeStmts;
  }
  if (def.parent?.type === 'decorated_definition') {
    return { why: 'the step is decorated' };
  }
  const params = (child(def, 'parameters')?.children ?? []).filter(c => c.type !== 'comment');
  // `batch: tf.Tensor` names the data as well (the generated steps take it unannotated).
  const paramName = (p: SyntaxNode): SyntaxNode | null => (p.type === 'identifier' ? p : p.type === 'typed_parameter' && p.children[0]?.type === 'identifier' ? p.children[0] : null);
  if (params.length !== 2 || !params.every(p => paramName(p))) {
    return { why: 'its signature is not `train_step(self, data)`' };
  }
  const last = stmts[stmts.length - 1];
  const returns = returnStatements(def);
  if (returns.length !== 1 || returns[0] !== last || !last.children.length) {
    return { why: 'it does not end with its only return statement' };
  }
  if (nodesUnder(def, n => ['yield', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition'].includes(n.type) && n !== def).length) {
    return { why: 'it defines functions or uses yield/global/nonlocal' };
  }
  // TF calls besides the tapes: the other fixes convert them first (a later pass offers this one).
  // Annotations (`batch: tf.Tensor`) are not run by the step (the generated steps drop them).
  const annotations = nodesUnder(def, x => x.type === 'type');
  const tfLeft = new Set<string>();
  for (const n of nodesUnder(def, x => x.type === 'attribute' && x.parent?.type !== 'attribute' && !annotations.some(a => x.start >= a.start && x.end <= a.end))) {
    const name = tfApiName(ctx.resolve(n));
    if (name && name !== 'tf.GradientTape') {
      tfLeft.add(name);
    }
  }
  if (tfLeft.size) {
    return { why: `TF calls besides the tapes remain in it (${[...tfLeft].slice(0, 4).map(n => `\`${n}\``).join(', ')}); once they are converted, a fix writes the per-backend step` };
  }
  const clash = [...GENERATED, ...(single ? ['_symbolic_build'] : [])].find(m => methods.has(m));
  if (clash) {
    return { why: `its class already defines \`${clash}()\`` };
  }
  // Methods the step calls that take gradients of their own (WGAN-GP's gradient_penalty()), that
  // call such a method (keras.io's R-GCN WGAN: `_loss_discriminator()` calls `_gradient_penalty()`),
  // or that train a part of the model (GauGAN's `train_discriminator()`).
  const needed = methodsNeedingVariants(def, cls, ctx);
  const variantNames = new Set(needed);
  const helperCalls = selfCalls(def, ctx);
  // A method training a part of the model runs at the step's top level, not in one of its tapes.
  const seen = new Set<string>();
  const reachesTrainer = (name: string): boolean => {
    if (trainers.includes(name)) {
      return true;
    }
    const method = methods.get(name);
    if (!method || seen.has(name)) {
      return false;
    }
    seen.add(name);
    return selfCalls(method, ctx).some(c => reachesTrainer(calledName(c, ctx)));
  };
  const inTape = helperCalls.find(c => tapeStmts.some(t => c.start >= t.start && c.end <= t.end) && reachesTrainer(calledName(c, ctx)));
  if (inTape) {
    return { why: `it calls \`${ctx.textOf(child(inTape, 'function')!)}()\`, which trains with a tape and an optimizer of its own, in its tape (by hand)` };
  }
  const helpers = new Map<string, TapeHelper>();
  for (const name of needed) {
    const method = methods.get(name)!;
    const taken = [`_torch_${name}`, `_jax_${name}`].find(m => methods.has(m));
    if (taken) {
      return { why: `its class already defines \`${taken}()\`` };
    }
    const unitOf = indentOf(ctx.text, child(method, 'body')?.children[0]?.start ?? method.start).slice(indentOf(ctx.text, method.start).length) || '    ';
    if (trainers.includes(name)) {
      const trainer = rewriteTrainingHelper(name, method, cls, ctx, unitOf, variantNames);
      if ('why' in trainer) {
        return trainer;
      }
      helpers.set(name, trainer);
    } else if (hasTape(method, ctx)) {
      const inner = selfCalls(method, ctx).find(c => needed.includes(calledName(c, ctx)));
      if (inner) {
        return { why: `\`self.${name}()\`, which takes a gradient, calls \`self.${calledName(inner, ctx)}()\`, which takes one too (by hand)` };
      }
      const helper = rewriteTapeHelper(name, method, ctx, unitOf);
      if ('why' in helper) {
        return helper;
      }
      helpers.set(name, helper);
    } else {
      const relay = relayVariants(name, method, selfCalls(method, ctx).filter(c => needed.includes(calledName(c, ctx))), ctx);
      if ('why' in relay) {
        return relay;
      }
      helpers.set(name, relay);
    }
  }
  // `self.compiled_loss`/`self.compiled_metrics` are TensorFlow-backend shims: Keras 3's own calls elsewhere.
  const compiled = compiledShimEdits(def, ctx);
  if ('why' in compiled) {
    return compiled;
  }
  const helperCallEdits = (prefix: string): OffsetEdit[] =>
    helperCalls
      .filter(c => helpers.has(calledName(c, ctx)))
      .map(c => {
        const attr = child(child(c, 'function')!, 'attribute')!;
        return { start: attr.start, end: attr.end, text: `_${prefix}_${ctx.textOf(attr)}` };
      });
  const tapes = collectTapes(def, tapeStmts, cls, ctx);
  if ('why' in tapes) {
    return tapes;
  }
  if (single) {
    // Checked only for the step as keras.io writes it: one tape at the top level, its gradients
    // applied as they are (no surgery between). A test_step of the class's own runs as written
    // (step-signature-on-jax adapts its signature on JAX).
    const grads = tapes.flatMap(t => t.gradients.map(g => g.grads));
    const applied = (n: SyntaxNode): boolean => nodesUnder(def, x => x.type === 'call' && /\.apply_gradients$/.test(ctx.textOf(child(x, 'function') ?? x))).some(c => n.start >= c.start && n.end <= c.end);
    // The tape at the top level, or in a `for` loop there (keras.io image captioning: one step per caption).
    const holder = tapes.length === 1 ? tapes[0].stmt.parent : null;
    const topLevel = holder === body || (holder?.parent?.type === 'for_statement' && holder.parent.parent === body);
    // Read after the tape (printed, as keras.io's debugging tips do under run_eagerly=True): a value on every
    // backend; bound again (clipped, filtered) before apply_gradients(): surgery the rewrite does not follow.
    const rebinds = (n: SyntaxNode): boolean => n.parent?.type === 'assignment' || n.parent?.type === 'augmented_assignment' || n.parent?.type === 'pattern_list' || n.parent?.type === 'for_statement';
    if (tapes.length !== 1 || !topLevel || nameNodes(def).some(n => grads.includes(ctx.textOf(n)) && n.start > tapes[0].gradients[0].stmt.end && !applied(n) && (rebinds(n) || n.field === 'left'))) {
      return { why: 'with one optimizer, only a step with one tape at its top level whose gradient goes to apply_gradients() as it is gets one step per backend' };
    }
  }
  // A model with a call() or build() of its own makes its variables when the step first calls it,
  // while JAX's step differentiates the variables that exist before: its first step runs the tape's
  // body once before (discarding what it computes and updates), and its optimizer is built then.
  const buildsFirst = single && methods.has('__init__') && !neverBuilt(cls, ctx);
  // A model with no call() (marked built below) holds parts that may make their variables at their
  // first call in the step (keras.io image captioning's encoder and decoder): the same first run,
  // while its optimizer is unbuilt (fit()'s symbolic build builds it only once every part is).
  const partsFirst = single && methods.has('__init__') && neverBuilt(cls, ctx);

  const text = ctx.text;
  const indent = indentOf(text, def.start);
  const first = body.children[0];
  const inside = indentOf(text, first.start);
  const unit = inside.slice(indent.length) || '    ';
  // From the line after the def's header: a comment above the first statement comes along.
  const paramsEnd = child(def, 'parameters')!.end;
  const headerEnd = text.indexOf('\n', paramsEnd);
  const bodyStart = headerEnd >= 0 && headerEnd < first.start ? headerEnd + 1 : lineStartAt(text, first.start);
  const used = new Set(identifiersIn(def).map(n => ctx.textOf(n)));
  const fresh = freshNamer(used);
  const data = ctx.textOf(paramName(params[1])!);
  const slice = (edits: OffsetEdit[]): string =>
    applyOffsetEdits(
      text.slice(bodyStart, def.end),
      edits.map(e => ({ start: e.start - bodyStart, end: e.end - bodyStart, text: e.text }))
    );

  // PyTorch: only what the tapes record is differentiated (the gradient of a loss not known to be
  // one number is that of its sum, as tape.gradient takes it: ones as the output gradient).
  const torchEdits: OffsetEdit[] = [...helperCallEdits('torch'), ...compiled.edits, ...torchTapeEdits(tapes, ctx)];
  const torchStep =
    `def _torch_train_step(self, ${data}):\n` +
    `${inside}import torch\n\n` +
    `${inside}# Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n${inside}${data} = keras.tree.lists_to_tuples(${data})\n` +
    `${inside}# Only what the tapes recorded is differentiated, as on TensorFlow.\n` +
    `${inside}with torch.no_grad():\n` +
    indented(slice(torchEdits), unit);

  // JAX: un-jitted, state in the variables, each tape a function of its variables' values.
  const fitVariables = fresh('fit_variables');
  const stateful = fresh('stateful');
  const updates = fresh('updates');
  const scope = fresh('scope');
  const values = fresh('values');
  const variables = fresh('variables');
  const v = fresh('v');
  const value = fresh('value');
  const logs = fresh('logs');
  // Helper calls in a tape's body are renamed in the body's text (the tape statement is replaced).
  const jaxRenames = [...helperCallEdits('jax'), ...compiled.edits];
  const jaxEdits: OffsetEdit[] = jaxRenames.filter(e => !tapes.some(t => e.start >= t.stmt.start && e.end <= t.stmt.end));
  // The step is single (one tape at its top level) where the model builds at its first call.
  const preRun = (bodyText: string, inside: string): string =>
    buildsFirst || partsFirst
      ? (buildsFirst
          ? `if not self.built:\n` +
            `${inside}${unit}# The model makes its variables at its first call, and this step differentiates those that\n` +
            `${inside}${unit}# exist before it: the tape's body runs once first (what it computes and updates discarded).\n`
          : `if not self.optimizer.built:\n` +
            `${inside}${unit}# Parts of the model may make their variables at their first call, and this step differentiates\n` +
            `${inside}${unit}# those that exist before it: the tape's body runs once first (what it computes and updates discarded).\n`) +
        `${inside}${unit}with keras.StatelessScope():\n` +
        `${bodyText}\n` +
        `${inside}${unit}if self.optimizer is not None and not self.optimizer.built:\n` +
        `${inside}${unit}${unit}self.optimizer.build(self.trainable_variables)\n` +
        `${inside}${unit}${stateful} = self.variables + self.metrics_variables\n` +
        `${inside}${unit}${fitVariables} = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n`
      : '';
  jaxEdits.push(...jaxTapeEdits(tapes, { unit, fresh, stateful, updates, scope, values, v, value }, jaxRenames, preRun, ctx));
  const returned = last.children[0];
  jaxEdits.push({
    start: last.start,
    end: last.end,
    text: `${logs} = ${text.slice(returned.start, last.end)}\n${inside}return ${logs}, tuple([v.value for v in ${variables}] for ${variables} in ${fitVariables})`
  });
  const jaxStep =
    `def _jax_train_step(self, state, ${data}):\n` +
    `${inside}import jax\n\n` +
    `${inside}# Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n` +
    `${inside}# variables (fit() detaches their values during an epoch), the step updates them in place\n` +
    `${inside}# and returns them read back; each tape becomes a function of its variables' values.\n` +
    `${inside}${fitVariables} = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n` +
    `${inside}for ${variables}, ${values} in zip(${fitVariables}, state):\n` +
    `${inside}${unit}for ${v}, ${value} in zip(${variables}, ${values}):\n` +
    `${inside}${unit}${unit}${v}.assign(${value})\n` +
    `${inside}# What the tapes' bodies update besides the trained variables (seed generators, statistics).\n` +
    `${inside}${stateful} = self.variables + self.metrics_variables\n` +
    `${inside}# Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n` +
    `${inside}# in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n` +
    `${inside}${data} = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, ${data}))\n` +
    slice(jaxEdits);

  const nameNode = child(def, 'name')!;
  const tfStep = applyOffsetEdits(
    text.slice(def.start, def.end),
    [{ start: nameNode.start, end: nameNode.end, text: '_tensorflow_train_step' }, ...compiled.edits].map(e => ({ start: e.start - def.start, end: e.end - def.start, text: e.text }))
  );
  const dispatch =
    'def train_step(self, *args, **kwargs):\n' +
    (single
      ? `${inside}# A step that cannot be a compute_loss() override: one step per backend.\n`
      : `${inside}# Each tape trains a part of the model with its own optimizer: one step per backend.\n`) +
    `${inside}if keras.backend.backend() == "jax":\n` +
    `${inside}${unit}return self._jax_train_step(*args, **kwargs)\n` +
    `${inside}if keras.backend.backend() == "torch":\n` +
    `${inside}${unit}return self._torch_train_step(*args, **kwargs)\n` +
    `${inside}return self._tensorflow_train_step(*args, **kwargs)\n\n` +
    (single
      ? `${indent}def _symbolic_build(self, *args, **kwargs):\n` +
        `${inside}# Before the first step, fit() builds the compiled loss and metrics by calling the model on\n` +
        `${inside}# the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n` +
        `${inside}# own compute_loss()/compute_metrics() calls build them (the model is built already).\n` +
        `${inside}if keras.backend.backend() == "tensorflow":\n` +
        `${inside}${unit}return super()._symbolic_build(*args, **kwargs)\n` +
        `${inside}if self.optimizer is not None and not self.optimizer.built${buildsFirst ? ' and self.built' : partsFirst ? ' and all(layer.built for layer in self._flatten_layers())' : ''}:\n` +
        `${inside}${unit}self.optimizer.build(self.trainable_variables)\n\n`
      : '') +
    `${indent}def make_train_function(self, force=False):\n` +
    `${inside}# On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n` +
    `${inside}if keras.backend.backend() == "jax":\n` +
    `${inside}${unit}self.jit_compile = False\n` +
    `${inside}return super().make_train_function(force)`;
  const edits: OffsetEdit[] = [{ start: def.start, end: def.end, text: [dispatch, tfStep, torchStep, jaxStep].join(`\n\n${indent}`) }];
  // Each helper taking a gradient of its own gets a PyTorch and a JAX variant after it (the
  // TensorFlow step calls it as written).
  for (const h of helpers.values()) {
    const at = indentOf(text, h.def.start);
    edits.push({ start: h.def.end, end: h.def.end, text: `\n\n${at}${h.torch}\n\n${at}${h.jax}` });
  }
  const training = [...helpers.values()].filter(h => h.trains).map(h => `\`${h.name}()\``);
  const trainingTitle = training.length
    ? `; ${training.join(', ')}, training ${training.length === 1 ? 'a part of the model with a tape and an optimizer of its own, gets PyTorch and JAX variants' : 'parts of the model with tapes and optimizers of their own, get PyTorch and JAX variants'} whose tapes are rewritten the same way, called by those steps`
    : '';
  const unfreezes = tapes.some(t => t.unfrozen.length > 0) || [...helpers.values()].some(h => h.unfreezes)
    ? "; on PyTorch, where a frozen part's variables do not require grad, a part unfrozen between a tape and its gradient is unfrozen before the tape"
    : '';
  const taking = [...helpers.values()].filter(h => !h.relay && !h.trains).map(h => `\`${h.name}()\``);
  const relays = [...helpers.values()].filter(h => h.relay).map(h => `\`${h.name}()\``);
  const penalty = taking.length
    ? `; ${taking.join(', ')}, taking a gradient of its own, gets a PyTorch variant (torch.autograd.grad with create_graph=True) and a JAX one (jax.grad of its tape's body)${relays.length ? `, called through ${relays.join(', ')}, which ${relays.length === 1 ? 'gets variants' : 'get variants'} too` : ''}`
    : '';

  // fit() cannot build a model with no call() from data on JAX and PyTorch.
  let built = '';
  if (neverBuilt(cls, ctx) && !(single && !methods.has('__init__'))) {
    const mark = markBuiltEdit(cls, BUILT_WHY, ctx);
    if (!mark) {
      return { why: 'its model has no call() and no __init__() calling super().__init__() to mark it built in' };
    }
    edits.push(mark);
    built = '; the model, which has no call(), is marked built';
    // Layers of the cell it makes that stay unbuilt until called (state made in __init__): built too.
    const subs = markBuiltSublayerEdits(cls, ctx);
    if (subs.length) {
      edits.push(...subs);
      built += `, as ${subs.length === 1 ? 'is the layer class' : 'are the layer classes'} of the cell it makes whose state __init__() creates`;
    }
  } else if (!single) {
    // A model with a call() the step never runs (it trains the parts): fit() on JAX and PyTorch
    // would build it by running call() on a batch's x, while it or a layer it holds is unbuilt.
    const reached = new Set<string>();
    const reach = (node: SyntaxNode): void => {
      for (const c of selfCalls(node, ctx)) {
        const name = calledName(c, ctx);
        const method = methods.get(name);
        if (method && !reached.has(name)) {
          reached.add(name);
          reach(method);
        }
      }
    };
    reach(def);
    const callsModel = [def, ...[...reached].map(n => methods.get(n)!)].some(m => /\bself\s*\(|\bself\.call\s*\(/.test(ctx.textOf(m)));
    const mark = callsModel ? null : markBuiltUncalledEdit(cls, UNCALLED_BUILT_WHY, ctx);
    if (mark) {
      edits.push(mark);
      built = '; the model, whose call() the step never runs, is marked built';
      const subs = markBuiltSublayerEdits(cls, ctx);
      if (subs.length) {
        edits.push(...subs);
        built += `, as ${subs.length === 1 ? 'is the layer class' : 'are the layer classes'} of the cell it makes whose state __init__() creates`;
      }
    }
  }
  // The shims in methods the step calls (a PatchConvNet-style `_calculate_loss()` returning
  // `self.compiled_loss(labels, logits)` into the step's tape): JAX and PyTorch models have neither,
  // so there too they become Keras's own calls, the same on TensorFlow (what the shims call).
  const shimMethods: string[] = [];
  const visited = new Set<string>([ctx.textOf(child(def, 'name')!)]);
  const visitCalled = (node: SyntaxNode): void => {
    for (const c of selfCalls(node, ctx)) {
      const name = calledName(c, ctx);
      const method = methods.get(name);
      if (!method || visited.has(name) || helpers.has(name)) {
        continue;
      }
      visited.add(name);
      const shims = compiledShimEdits(method, ctx);
      if ('edits' in shims && shims.edits.length) {
        edits.push(...shims.edits);
        shimMethods.push(`\`${name}()\``);
      }
      visitCalled(method);
    }
  };
  visitCalled(def);
  const shimsElsewhere = shimMethods.length
    ? `; \`self.compiled_loss\`/\`self.compiled_metrics\` in ${shimMethods.join(', ')}, which the step calls, become \`self.compute_loss\`/\`self.compute_metrics\` (JAX and PyTorch models have neither shim)`
    : '';
  const imp = ctx.kerasImportEdit();
  return {
    edits: imp ? [...edits, imp] : edits,
    title: `Write one train_step per backend: TensorFlow's as written${compiled.edits.length ? ' (but for the compiled shims)' : ''}; PyTorch's with the tapes as torch.enable_grad() and torch.autograd.grad; JAX's un-jitted with each tape a function of its variables under jax.value_and_grad${trainingTitle}${unfreezes}${penalty}${built}${single ? "; fit()'s symbolic build of the compiled loss and metrics (a call of the model on the batch's x) is skipped on JAX and PyTorch" : ''}${compiled.edits.length ? '; `self.compiled_loss`/`self.compiled_metrics` (deprecated TensorFlow-only shims) become `self.compute_loss` followed by the "loss" metric\'s update Keras 2\'s compiled_loss made / `self.compute_metrics` in all three' : ''}${shimsElsewhere}`
  };
}

/**
 * Whether `method` of the class is the TensorFlow path of a step dispatching on the backend (the
 * rewrite above, or the guide's hand-written form): `_tensorflow_train_step` called from a
 * `train_step` that tests `keras.backend.backend()`, or a method that step calls which has
 * `_torch_<method>` and `_jax_<method>` variants. Its TF calls run on TensorFlow only.
 */
export function isTensorflowStepPath(cls: SyntaxNode, method: string, ctx: RuleContext): boolean {
  // A helper the rewrite gave PyTorch and JAX variants (`gradient_penalty`): TensorFlow's path calls it.
  const methods = classMethodDefinitions(cls, ctx);
  if (methods.has(`_torch_${method}`) && methods.has(`_jax_${method}`) && isTensorflowStepPath(cls, '_tensorflow_train_step', ctx)) {
    return true;
  }
  const m = /^_tensorflow_(train|test|predict)_step$/.exec(method);
  const step = m ? classMethodDefinitions(cls, ctx).get(`${m[1]}_step`) : undefined;
  if (!step) {
    return false;
  }
  const text = ctx.textOf(step);
  // `keras.backend.backend() == ...`, or a name bound to it tested (`backend = keras.backend.backend()`).
  const bound = /\b(\w+)\s*=\s*(?:[\w.]+\.)?backend\(\)/.exec(text);
  const tests = /\bbackend\(\)\s*==/.test(text) || (!!bound && new RegExp(`\\b${bound[1]}\\s*==`).test(text));
  return tests && new RegExp(`\\bself\\.${method}\\(`).test(text);
}

/** Simple statements a tape's body may hold besides assignments: they bind nothing. */
const PLAIN_STATEMENTS = new Set(['expression_statement', 'pass_statement', 'assert_statement', 'comment']);

/** Names the JAX rewrite of a function's tapes uses (fresh in that function). */
interface JaxNames {
  unit: string;
  fresh: (name: string) => string;
  stateful: string;
  updates: string;
  scope: string;
  values: string;
  v: string;
  value: string;
}

/**
 * The tape statements of a function (the step, or a method it calls that trains a part of the
 * model): at the top level of its body or of a `for` loop there (WGAN-GP's critic loop); `why`
 * when a tape is elsewhere (nested in another tape, or under an `if`).
 */
function tapeStatements(def: SyntaxNode, ctx: RuleContext): SyntaxNode[] | NotRewritten {
  const body = child(def, 'body')!;
  const tapeNames = identifiersIn(def).filter(n => ctx.textOf(n) === 'GradientTape');
  const stmts = body.children.filter(c => c.type !== 'comment');
  const loops = stmts.filter(s => s.type === 'for_statement' && !child(s, 'alternative'));
  const blocks = [body, ...loops.map(l => child(l, 'body')).filter((b): b is SyntaxNode => !!b)];
  const isTape = (s: SyntaxNode): boolean => s.type === 'with_statement' && /GradientTape/.test(ctx.textOf(child(s, 'body') ? s.children[0] : s));
  const tapeStmts = blocks.flatMap(b => b.children.filter(isTape)).sort((a, b) => a.start - b.start);
  // Two tapes may open in one `with` statement over one forward pass (the TF DCGAN/pix2pix tutorials).
  const tapesOpened = tapeStmts.reduce((n, s) => n + identifiersIn(s.children[0]).filter(x => ctx.textOf(x) === 'GradientTape').length, 0);
  if (tapesOpened !== tapeNames.length) {
    const where = ctx.textOf(child(def, 'name')!) === 'train_step' ? 'the step' : `\`self.${ctx.textOf(child(def, 'name')!)}()\``;
    return { why: `a tape is not at the top level of ${where} or of a \`for\` loop in it (nested in another tape, or under an \`if\`)` };
  }
  return tapeStmts;
}

/** The tapes of `def` (see tapeStatements) with their gradients, or why they are of another form. */
function collectTapes(def: SyntaxNode, tapeStmts: SyntaxNode[], cls: SyntaxNode, ctx: RuleContext): Tape[] | NotRewritten {
  const body = child(def, 'body')!;
  const blockOf = (s: SyntaxNode): SyntaxNode[] => s.parent!.children.filter(c => c.type !== 'comment');
  const tapes: Tape[] = [];
  for (let i = 0; i < tapeStmts.length; i++) {
    const stmt = tapeStmts[i];
    const tapeBody = child(stmt, 'body');
    const clause = stmt.children[0];
    const header = ctx.textOf(clause);
    // Each item of the `with` is a plain tape; two or more tapes in one `with` record the same
    // forward pass: one persistent tape giving each its gradient.
    const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment') : [clause];
    const aliases: Array<{ alias: string; persistent: boolean }> = [];
    for (const item of items) {
      const m = /^(?:\w+\.)*GradientTape\(\s*(persistent\s*=\s*True\s*)?\)\s+as\s+(\w+)$/.exec(ctx.textOf(item).replace(/\s+/g, ' ').trim());
      const tapeCall = nodesUnder(item, n => n.type === 'call')[0];
      if (!m || !tapeCall || tfApiName(ctx.resolve(child(tapeCall, 'function') ?? tapeCall)) !== 'tf.GradientTape') {
        return { why: `its tape \`with ${header}\` is not a plain \`tf.GradientTape()\` or \`tf.GradientTape(persistent=True)\`` };
      }
      aliases.push({ alias: m[2], persistent: !!m[1] });
    }
    if (!tapeBody || !aliases.length || new Set(aliases.map(a => a.alias)).size !== aliases.length) {
      return { why: `its tape \`with ${header}\` is not a plain \`tf.GradientTape()\` or \`tf.GradientTape(persistent=True)\`` };
    }
    const persistent = aliases.length > 1 || aliases[0].persistent;
    const named = (n: SyntaxNode): string | undefined => aliases.find(a => a.alias === ctx.textOf(n))?.alias;
    const watched = identifiersIn(tapeBody).find(n => named(n));
    if (watched) {
      return { why: `the tape's body uses \`${ctx.textOf(watched)}\` (\`${ctx.textOf(watched)}.watch\`)` };
    }
    const siblings = blockOf(stmt);
    const next = tapeStmts.find(s => s.start > stmt.end && s.parent === stmt.parent)?.start ?? stmt.parent!.end;
    const uses = siblings.filter(s => s.start > stmt.end && s.start < next && identifiersIn(s).some(n => named(n)));
    // Up to the next tape (the next one may reuse the name), the tape is used in its gradients only.
    const until = tapeStmts[i + 1]?.start ?? def.end;
    const elsewhere = identifiersIn(def).find(n => named(n) && n.start > stmt.children[0].end && n.start < until && !uses.some(u => n.start >= u.start && n.end <= u.end));
    if (elsewhere) {
      return { why: `\`${ctx.textOf(elsewhere)}\` is used other than in \`grads = ${ctx.textOf(elsewhere)}.gradient(loss, variables)\` statements after its tape` };
    }
    const gradients: Gradient[] = [];
    for (const { alias, persistent: kept } of aliases) {
      const mine = uses.filter(s => identifiersIn(s).some(n => ctx.textOf(n) === alias));
      if (!mine.length || (!kept && mine.length !== 1)) {
        return { why: `\`${alias}\` is used other than in one \`grads = ${alias}.gradient(loss, variables)\`` };
      }
    }
    for (const gradient of uses) {
      const e = gradient.type === 'expression_statement' ? gradient.children[0] : null;
      const call = e?.type === 'assignment' ? child(e, 'right') : null;
      const target = e ? child(e, 'left') : null;
      const args = call?.type === 'call' ? (child(call, 'arguments')?.children ?? []).filter(c => c.type !== 'comment') : [];
      const callee = call?.type === 'call' ? /^(\w+)\.gradient$/.exec(ctx.textOf(child(call, 'function')!).replace(/\s+/g, '')) : null;
      const alias = callee && aliases.find(a => a.alias === callee[1]);
      if (!call || !alias || target?.type !== 'identifier' || args.length !== 2 || identifiersIn(gradient).filter(n => named(n)).length !== 1) {
        const a = alias ? alias.alias : aliases[0].alias;
        return { why: persistent ? `\`${a}\` is used other than in \`grads = ${a}.gradient(loss, variables)\` statements` : `\`${a}\` is used other than in one \`grads = ${a}.gradient(loss, variables)\`` };
      }
      const variables = args[1].type === 'identifier' ? variablesBoundTo(args[1], def, ctx) : args[1];
      const lossName = lossNameOf(args[0]);
      if (!lossName || !variables || !plainVariables(variables, ctx)) {
        return { why: `\`${ctx.textOf(call)}\` is not the gradient of a loss name over sub-models' trainable variables` };
      }
      const key = args[0].type === 'subscript' ? ctx.textOf(child(args[0], 'subscript')!).replace(/^['"]|['"]$/g, '') : '';
      gradients.push({
        stmt: gradient,
        call,
        grads: ctx.textOf(target),
        loss: ctx.textOf(args[0]),
        lossName: ctx.textOf(lossName),
        lossLabel: args[0].type === 'identifier' ? ctx.textOf(args[0]) : /^[A-Za-z_]\w*$/.test(key) ? key : `${ctx.textOf(lossName)}_${key}`,
        variables: ctx.textOf(variables),
        nested: variables.type === 'list',
        scalar: knownScalar(args[0], def, cls, ctx)
      });
    }
    // The body runs in a function on JAX, where each name it binds is local: one it binds that the
    // step bound before the tape and that the body reads before binding it (`loss_style = 0.0`,
    // then `loss_style += ...` in a loop of the body) or binds only in a loop or a branch comes in
    // as a parameter defaulting to that value.
    const flow = bodyFlow(tapeBody, ctx);
    if ('why' in flow) {
      return flow;
    }
    const bound = flow.bound;
    const before = boundBeforeAtTopLevel(def, body, stmt, ctx);
    const late = [...flow.readFirst].find(r => bound.has(r) && !before.has(r));
    if (late) {
      return { why: `the tape's body reads \`${late}\` before binding it again` };
    }
    const carried = [...bound.keys()].filter(n => before.has(n) && (flow.readFirst.has(n) || flow.maybeUnbound.has(n)));
    const losses = [...new Set(gradients.map(g => g.loss))];
    const unbound = gradients.find(g => !bound.has(g.lossName))?.loss;
    if (unbound) {
      return { why: `the loss \`${unbound}\` is not computed in the tape` };
    }
    // A persistent tape's losses are rebound by its gradients' targets only if read after: keep it simple.
    if (persistent && gradients.some(g => bound.has(g.grads) || losses.includes(g.grads))) {
      return { why: 'a gradient of the persistent tape rebinds a name its body binds' };
    }
    // Names the step reads outside the tape's body (after it; in a loop, also before it).
    const loop = stmt.parent !== body ? stmt.parent!.parent! : null;
    const outside = nameNodes(def).filter(n => n.start > tapeBody.end || (loop && n.start >= loop.start && n.end <= loop.end && !(n.start >= tapeBody.start && n.end <= tapeBody.end))).map(n => ctx.textOf(n));
    const kept = [...bound.keys()].filter(n => !losses.includes(n) && outside.includes(n));
    // A part unfrozen after the tape recorded and before its gradient: TensorFlow's tape watched
    // its variables anyway (trainable when made); on PyTorch a frozen part's variables do not
    // require grad, so nothing would reach them.
    const lastGradient = Math.max(...gradients.map(g => g.stmt.start));
    const unfrozen = siblings.filter(s => {
      const m = s.start > stmt.end && s.start < lastGradient ? /^(self(?:\.\w+)+)\.trainable\s*=\s*True$/.exec(ctx.textOf(s).replace(/\s+/g, ' ').trim()) : null;
      return !!m && gradients.some(g => new RegExp(`(^|[^\\w.])${m[1].replace(/\./g, '\\.')}\\.trainable_(variables|weights)\\b`).test(g.variables.replace(/\s+/g, '')));
    });
    tapes.push({ stmt, clause, body: tapeBody, gradients, persistent, losses, kept, carried, unfrozen });
  }
  return tapes;
}

/**
 * PyTorch's edits for the tapes: only what a tape records is differentiated (the gradient of a
 * loss not known to be one number is that of its sum, as tape.gradient takes it: ones as the
 * output gradient).
 */
function torchTapeEdits(tapes: Tape[], ctx: RuleContext): OffsetEdit[] {
  const torchEdits: OffsetEdit[] = [];
  for (const t of tapes) {
    torchEdits.push({ start: t.clause.start, end: t.clause.end, text: 'torch.enable_grad()' });
    // A part unfrozen between the tape and its gradient is unfrozen before the tape records.
    const at = indentOf(ctx.text, t.stmt.start);
    for (const s of t.unfrozen) {
      torchEdits.push({ start: t.stmt.start, end: t.stmt.start, text: `# Its variables require grad on PyTorch only when trainable: unfrozen before the tape records.\n${at}${ctx.textOf(s)}\n${at}` });
      torchEdits.push({ start: lineStartAt(ctx.text, s.start), end: ctx.text[s.end] === '\n' ? s.end + 1 : s.end, text: '' });
    }
    // A persistent tape's graph serves several gradients: it is retained.
    for (const g of t.gradients) {
      torchEdits.push({
        start: g.call.start,
        end: g.call.end,
        text: nestedGradients(g, `torch.autograd.grad(${g.loss}, [v.value for v in ${flatVariables(g)}]${g.scalar ? '' : `, grad_outputs=torch.ones_like(${g.loss})`}${t.persistent ? ', retain_graph=True' : ''}, allow_unused=True)`)
      });
    }
  }
  return torchEdits;
}

/**
 * JAX's edits for the tapes: each tape's body a function of its variables' values under a
 * `keras.StatelessScope`, differentiated with jax.value_and_grad (jax.vjp for a persistent tape),
 * what the body updated assigned after. `renames` apply in the tapes' bodies; `preRun` gives what
 * runs before a tape function (the single step's first run).
 */
function jaxTapeEdits(tapes: Tape[], names: JaxNames, renames: OffsetEdit[], preRun: (bodyText: string, inside: string) => string, ctx: RuleContext): OffsetEdit[] {
  const text = ctx.text;
  const { unit, fresh, stateful, updates, scope, values, v, value } = names;
  const edits: OffsetEdit[] = [];
  const lossArg = (g: Gradient): string => (g.scalar ? g.loss : `keras.ops.sum(${g.loss})`);
  const defaults = (t: Tape): string => t.carried.map(n => `, ${n}=${n}`).join('');
  const updatesList = `[${scope}.get_current_value(v) for v in ${stateful}]`;
  const assignUpdates = (inside: string): string =>
    `${inside}for ${v}, ${value} in zip(${stateful}, ${updates}):\n` +
    `${inside}${unit}if ${value} is not None:\n` +
    `${inside}${unit}${unit}${v}.assign(${value})`;
  tapes.forEach(t => {
    // A tape in a loop is rewritten at its own indentation.
    const inside = indentOf(text, t.stmt.start);
    const from = lineStartAt(text, t.body.children[0].start);
    const bodyRenames = renames.filter(e => e.start >= from && e.end <= t.body.end);
    const bodyText = indented(applyOffsetEdits(text.slice(from, t.body.end), bodyRenames.map(e => ({ start: e.start - from, end: e.end - from, text: e.text }))), unit);
    const buildFirst = preRun(bodyText, inside);
    if (!t.persistent) {
      const g = t.gradients[0];
      const fn = fresh(`${g.lossLabel}_fn`);
      // A loss taken from a dict or list (`losses["total_loss"]`) comes back with its container, which the step reads after (kept).
      const taken = g.loss !== g.lossName;
      const aux = [...(g.scalar || taken ? [] : [g.loss]), ...t.kept];
      const auxOut = aux.length ? `(${[...aux, updatesList].join(', ')})` : updatesList;
      const auxIn = aux.length ? `(${[...aux, updates].join(', ')})` : updates;
      const fnText =
        `def ${fn}(${values}${defaults(t)}):\n` +
        `${inside}${unit}with keras.StatelessScope(state_mapping=list(zip(${flatVariables(g)}, ${values}))) as ${scope}:\n` +
        `${bodyText}\n` +
        `${inside}${unit}return ${lossArg(g)}, ${auxOut}\n`;
      edits.push({
        start: t.stmt.start,
        end: t.stmt.end,
        // With defaulted parameters, defined before the pre-run: the defaults are the values before the tape.
        text: (t.carried.length ? [fnText, buildFirst] : [buildFirst, fnText]).filter(Boolean).join(`\n${inside}`)
      });
      const call = `(${fn}, has_aux=True)([v.value for v in ${flatVariables(g)}])`;
      edits.push({
        start: g.stmt.start,
        end: g.stmt.end,
        text:
          (g.scalar && !taken ? `(${g.loss}, ${auxIn}), ${g.grads} = jax.value_and_grad${call}\n` : `${g.grads}, ${auxIn} = jax.grad${call}\n`) +
          (g.nested ? `${inside}${g.grads} = ${nestedGradients(g, g.grads)}\n` : '') +
          assignUpdates(inside)
      });
      return;
    }
    // A persistent tape: one forward pass, a function of every variable set its gradients take,
    // returns all its losses; jax.vjp keeps its pullback, and each gradient pulls back one loss
    // (ones for it, zeros for the others: the gradient of its sum, as tape.gradient takes it).
    const fn = fresh('tape_fn');
    const tapeVariables = fresh('tape_variables');
    const losses = fresh('losses');
    const pullback = fresh('pullback');
    const vs = fresh('vs');
    const xs = fresh('xs');
    const x = fresh('x');
    const j = fresh('j');
    const l = fresh('l');
    const variableSets = [...new Set(t.gradients.map(flatVariables))];
    const auxOut = t.kept.length ? `(${[...t.kept, updatesList].join(', ')})` : updatesList;
    const auxIn = t.kept.length ? `(${[...t.kept, updates].join(', ')})` : updates;
    const mapping = `[(${v}, ${x}) for ${vs}, ${xs} in zip(${tapeVariables}, ${values}) for ${v}, ${x} in zip(${vs}, ${xs})]`;
    edits.push({
      start: t.stmt.start,
      end: t.stmt.end,
      text:
        `${tapeVariables} = [${variableSets.join(', ')}]\n\n` +
        `${inside}def ${fn}(${values}${defaults(t)}):\n` +
        `${inside}${unit}with keras.StatelessScope(state_mapping=${mapping}) as ${scope}:\n` +
        `${bodyText}\n` +
        `${inside}${unit}return (${t.losses.join(', ')}${t.losses.length === 1 ? ',' : ''}), ${auxOut}\n\n` +
        `${inside}${losses}, ${pullback}, ${auxIn} = jax.vjp(${fn}, [[v.value for v in ${vs}] for ${vs} in ${tapeVariables}], has_aux=True)\n` +
        // A loss taken from a container (`losses["total"]`) is in that container, which comes back whole (kept).
        (t.losses.every(isName)
          ? `${inside}${t.losses.join(', ')}${t.losses.length === 1 ? ',' : ''} = ${losses}\n`
          : t.losses.map((l, i) => (isName(l) ? `${inside}${l} = ${losses}[${i}]\n` : '')).join('')) +
        assignUpdates(inside)
    });
    for (const g of t.gradients) {
      const k = t.losses.indexOf(g.loss);
      edits.push({
        start: g.stmt.start,
        end: g.stmt.end,
        text: `${g.grads} = ${nestedGradients(g, `${pullback}(tuple(keras.ops.ones_like(${l}) if ${j} == ${k} else keras.ops.zeros_like(${l}) for ${j}, ${l} in enumerate(${losses})))[0][${variableSets.indexOf(flatVariables(g))}]`)}`
      });
    }
  });
  return edits;
}

const isName = (text: string): boolean => /^[A-Za-z_]\w*$/.test(text);

/** The name a gradient's loss is (`d_loss`) or is taken from by a constant key (`losses["total_loss"]`, `losses[0]`), else null. */
function lossNameOf(loss: SyntaxNode): SyntaxNode | null {
  if (loss.type === 'identifier') {
    return loss;
  }
  const value = loss.type === 'subscript' ? child(loss, 'value') : null;
  const key = loss.type === 'subscript' ? child(loss, 'subscript') : null;
  return value && value.type === 'identifier' && key && (key.type === 'integer' || (key.type === 'string' && !key.children.some(c => c.type === 'interpolation'))) ? value : null;
}

/** The identifiers an assignment target binds, or null when it holds anything else (`self.x`, `d[k]`, `*rest`). */
function targetNames(left: SyntaxNode, ctx: RuleContext): string[] | null {
  if (left.type === 'identifier') {
    return [ctx.textOf(left)];
  }
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
    const parts = left.children.filter(c => c.type !== 'comment').map(c => targetNames(c, ctx));
    return parts.every(p => p !== null) ? (parts as string[][]).flat() : null;
  }
  return null;
}

/**
 * What a tape's body binds (each name with its first binding) and the names it reads before its
 * own first binding of them, in the order Python runs it: plain and augmented assignments to
 * names, `for` loops and `if` statements (their bodies in order), expression statements, and
 * assignments into an item of a container the body bound before (`losses["gen"] = ...` after
 * `losses = {}`). `why` for anything else (a `with`, `try`, `while`, a definition, a `return`, an
 * assignment to an attribute or to an item of anything else, a walrus).
 */
function bodyFlow(block: SyntaxNode, ctx: RuleContext): { bound: Map<string, SyntaxNode>; readFirst: Set<string>; maybeUnbound: Set<string> } | NotRewritten {
  const bound = new Map<string, SyntaxNode>();
  const readFirst = new Set<string>();
  // First bound in a loop or a branch: possibly unbound after it.
  const maybeUnbound = new Set<string>();
  let depth = 0;
  const read = (node: SyntaxNode | null): void => {
    for (const n of node ? namesIn(node, ctx) : []) {
      if (!bound.has(n)) {
        readFirst.add(n);
      }
    }
  };
  const bind = (names: string[], at: SyntaxNode): void =>
    names.forEach(n => {
      if (!bound.has(n)) {
        bound.set(n, at);
        if (depth > 0) {
          maybeUnbound.add(n);
        }
      }
    });
  const refused = { why: 'the tape\'s body binds names other than by assignments to names, `for` loops and `if` statements' };
  const walk = (stmts: SyntaxNode[]): NotRewritten | null => {
    for (const s of stmts) {
      if (s.type === 'for_statement') {
        const targets = child(s, 'left') ? targetNames(child(s, 'left')!, ctx) : null;
        if (!targets || s.children.some(c => c.type === 'async')) {
          return refused;
        }
        read(child(s, 'right'));
        depth++;
        bind(targets, s);
        const inner = walk(blockStatements(child(s, 'body')));
        const orElse = child(s, 'alternative');
        const why = inner ?? (orElse ? walk(blockStatements(child(orElse, 'body'))) : null);
        depth--;
        if (why) {
          return why;
        }
        continue;
      }
      if (s.type === 'if_statement') {
        read(child(s, 'condition'));
        depth++;
        const branches = [child(s, 'consequence'), ...s.children.filter(c => c.type === 'elif_clause' || c.type === 'else_clause')];
        for (const branch of branches) {
          if (branch?.type === 'elif_clause') {
            read(child(branch, 'condition'));
          }
          const why = walk(blockStatements(branch?.type === 'block' ? branch : child(branch!, branch?.type === 'elif_clause' ? 'consequence' : 'body')));
          if (why) {
            return why;
          }
        }
        depth--;
        continue;
      }
      if (!PLAIN_STATEMENTS.has(s.type)) {
        return refused;
      }
      const e = s.type === 'expression_statement' && s.children.length === 1 ? s.children[0] : null;
      const left = e && (e.type === 'assignment' || e.type === 'augmented_assignment') ? child(e, 'left') : null;
      // `losses["gen"] = ...` into a container the body made itself (`losses = {}` earlier in it): on
      // JAX the body's function returns the container among the names it binds, on PyTorch it runs as
      // written. Into one made before the tape, the JAX function would fill the step's object with
      // traced values: refused, saying how to write it.
      const container = left?.type === 'subscript' ? child(left, 'value') : null;
      if (e && left && container) {
        const right = child(e, 'right');
        if (container.type !== 'identifier' || (right && nodesUnder(right, n => n.type === 'assignment' || n.type === 'named_expression').length)) {
          return refused;
        }
        const name = ctx.textOf(container);
        if (!bound.has(name)) {
          return {
            why: `the tape's body assigns into \`${ctx.textOf(left)}\`, and \`${name}\` is not made in the tape: on JAX the body becomes a function whose results are the names it binds, so it would fill the step's \`${name}\` with traced values (make it in the tape, \`${name} = {}\` as its first statement, and the rewrite keeps it)`
          };
        }
        read(right);
        read(child(left, 'subscript'));
        read(container);
        continue;
      }
      if (e && left) {
        const names = targetNames(left, ctx);
        const right = child(e, 'right');
        if (!names || (e.type === 'augmented_assignment' && left.type !== 'identifier') || (right && nodesUnder(right, n => n.type === 'assignment' || n.type === 'named_expression').length)) {
          return refused;
        }
        read(right);
        if (e.type === 'augmented_assignment') {
          read(left);
        }
        bind(names, s);
        continue;
      }
      if (nodesUnder(s, n => n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression').length) {
        return refused;
      }
      read(s);
    }
    return null;
  };
  const why = walk(blockStatements(block));
  return why ?? { bound, readFirst, maybeUnbound };
}

function blockStatements(block: SyntaxNode | null): SyntaxNode[] {
  return block ? block.children.filter(c => c.type !== 'comment') : [];
}

/** The names `def`'s parameters and the top-level statements of its body before `stmt` bind by plain assignment. */
function boundBeforeAtTopLevel(def: SyntaxNode, body: SyntaxNode, stmt: SyntaxNode, ctx: RuleContext): Set<string> {
  const names = new Set((parameterNames(def, ctx) ?? []).filter(Boolean));
  // The top-level statement of the step that holds the tape (a tape in a loop: the loop).
  let top: SyntaxNode = stmt;
  while (top.parent && top.parent !== body) {
    top = top.parent;
  }
  for (const s of blockStatements(body)) {
    if (s.start >= top.start) {
      break;
    }
    (assignedNames(s, ctx) ?? []).forEach(n => names.add(n));
  }
  return names;
}

/**
 * The steps' edits for Keras 3's TensorFlow-only shims (what they call on TensorFlow):
 * `self.compiled_loss(y, y_pred, ...)` -> `self.compute_loss(None, y, y_pred, ...)`, followed by the
 * "loss" tracker's update Keras 2's compiled_loss made (helpers/loss-tracker), and
 * `self.compiled_metrics.update_state(y, y_pred, ...)` -> `self.compute_metrics(None, y, y_pred, ...)`
 * (the shim fed the trackers y_pred); `why` for other uses of them.
 */
function compiledShimEdits(def: SyntaxNode, ctx: RuleContext): { edits: OffsetEdit[] } | NotRewritten {
  const edits: OffsetEdit[] = [];
  for (const n of nodesUnder(def, x => x.type === 'attribute' && /^self\.compiled_(loss|metrics)$/.test(ctx.textOf(x).replace(/\s+/g, '')))) {
    const loss = ctx.textOf(n).endsWith('loss');
    const callee = loss ? n : n.parent?.type === 'attribute' && ctx.textOf(child(n.parent, 'attribute') ?? n) === 'update_state' ? n.parent : null;
    const call = callee?.parent?.type === 'call' && callee.field === 'function' ? callee.parent : null;
    const args = call ? child(call, 'arguments') : null;
    const regularization = args?.type === 'argument_list' && loss ? regularizationLossesEdit(args, ctx) : null;
    if (!callee || !args || args.type !== 'argument_list' || regularization === 'other') {
      return { why: `it uses \`${ctx.textOf(loss ? n : n.parent ?? n)}\` other than as \`self.compiled_loss(y, y_pred)\` (\`regularization_losses=self.losses\` at most: compute_loss() adds them) or \`self.compiled_metrics.update_state(y, y_pred)\`` };
    }
    if (regularization) {
      edits.push(regularization);
    }
    edits.push({ start: callee.start, end: callee.end, text: loss ? 'self.compute_loss' : 'self.compute_metrics' });
    edits.push({ start: args.start + 1, end: args.start + 1, text: 'None, ' });
    const tracker = loss ? lossTrackerUpdateEdit(call!, def.parent?.parent ?? null, ctx) : null;
    if (tracker) {
      edits.push(tracker);
    }
  }
  return { edits };
}
