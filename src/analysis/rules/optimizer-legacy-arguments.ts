import { child, SyntaxNode } from '../ast';
import { CellMemoKey, OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { CallParts, callParts, removeArgument, withKerasImport, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  // Only these two keyword arguments are reported.
  if (!parts || (!parts.keywords.has('lr') && !parts.keywords.has('decay'))) {
    return;
  }
  // `tf.optimizers.Adam` is TensorFlow's alias of `tf.keras.optimizers.Adam`.
  const name = ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)?.replace(/^tensorflow\.optimizers\./, 'keras.optimizers.') ?? null;
  if (!name || !/^keras\.optimizers\.(legacy\.)?[A-Z]\w*$/.test(name)) {
    return;
  }
  const lr = parts.keywords.get('lr');
  if (lr) {
    const edits = parts.keywords.has('learning_rate') ? [removeArgument(lr.node, ctx)] : [{ start: lr.name.start, end: lr.name.end, text: 'learning_rate' }];
    ctx.report(lr.node, '`lr=` is not accepted by Keras 3 optimizers; use `learning_rate=`.', {
      title: 'Rename to `learning_rate=`',
      safe: !parts.keywords.has('learning_rate'),
      edits
    });
  }
  const decay = parts.keywords.get('decay');
  if (decay) {
    // Keras 3 warns "Argument `decay` is no longer supported and will be ignored" and trains with a
    // constant learning rate: a silent change that blocks no backend (checked by running Keras 3.15).
    ctx.report(
      decay.node,
      '`decay=` is ignored by Keras 3 optimizers (a warning, and the learning rate no longer decays); use a `keras.optimizers.schedules` learning-rate schedule.',
      decayFix(name, parts, decay, ctx),
      undefined,
      undefined,
      []
    );
  }
}

/** Keras 2's (and Keras 3's) default learning rates, for a `decay=` given without one. */
const DEFAULT_LEARNING_RATE: Record<string, string> = {
  SGD: '0.01',
  Adam: '0.001',
  AdamW: '0.001',
  RMSprop: '0.001',
  Adagrad: '0.001',
  Adadelta: '0.001',
  Adamax: '0.001',
  Nadam: '0.001',
  Ftrl: '0.001'
};

/**
 * Keras 2 decayed the rate as `lr / (1 + decay * iterations)`, which is
 * `keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)` (the same weights
 * after 50 SGD steps as tf_keras's legacy decay on all three backends, og48a repro_5). A suggestion:
 * the optimizer's `learning_rate` becomes a schedule, which code reading it as a number does not expect.
 * A literal zero decay is only dropped (safe: it never decayed).
 */
function decayFix(name: string, parts: CallParts, decay: { node: SyntaxNode; value: SyntaxNode }, ctx: RuleContext): RawFix {
  if (/^0*\.?0*$/.test(ctx.textOf(decay.value))) {
    return { title: 'Remove `decay=0`', safe: true, edits: [removeArgument(decay.node, ctx)] };
  }
  const rate = parts.keywords.get('learning_rate')?.value ?? parts.keywords.get('lr')?.value ?? parts.positional[0];
  const cls = name.slice(name.lastIndexOf('.') + 1);
  const initial = rate ? ctx.textOf(rate) : DEFAULT_LEARNING_RATE[cls];
  if (!initial) {
    return { title: 'Remove `decay=`', safe: false, edits: [removeArgument(decay.node, ctx)] };
  }
  const schedule = `keras.optimizers.schedules.InverseTimeDecay(${initial}, decay_steps=1, decay_rate=${ctx.textOf(decay.value)})`;
  const edits: OffsetEdit[] = rate
    ? [{ start: rate.start, end: rate.end, text: schedule }, removeArgument(decay.node, ctx)]
    : [{ start: decay.node.start, end: decay.node.end, text: `learning_rate=${schedule}` }];
  return { title: 'Decay the learning rate with `InverseTimeDecay`, as Keras 2 did', safe: false, edits: withKerasImport(ctx, edits) };
}

/** `model.optimizer.lr`, `self.model.optimizer.lr`, `optimizer.lr`: the Keras 2 alias of the learning rate. */
const OPTIMIZER_RECEIVER = /(^|\.)optimizer$/;
const KERAS_OPTIMIZER_CLASSES = 'SGD|Adam|AdamW|RMSprop|Adagrad|Adadelta|Adamax|Nadam|Ftrl';

/** Notebook facts: `optimizer-class:NAME`, a class deriving (directly or through notebook classes) from a Keras optimizer. */
const OPTIMIZER_CLASS = 'optimizer-class:';

/** The optimizer subclasses this cell defines (filled in source order by the class visitor). */
const CELL_OPTIMIZER_CLASSES = new CellMemoKey<Set<string>>('km161-optimizer-classes');

/** The base is a Keras optimizer class (`keras.optimizers.Optimizer`, `...legacy.Adam`, `tf.optimizers.SGD`). */
function isKerasOptimizerClass(base: SyntaxNode, ctx: RuleContext): boolean {
  const name = ctx.resolveKeras(base) ?? ctx.resolve(base)?.replace(/^tensorflow\.optimizers\./, 'keras.optimizers.') ?? '';
  return /^keras\.optimizers\.(legacy\.)?[A-Z]\w*$/.test(name);
}

/** Records `class X(keras.optimizers.Optimizer)` (or a subclass of a notebook optimizer class of this cell). */
function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const supers = child(node, 'superclasses');
  const name = child(node, 'name');
  if (!supers || !name) {
    return;
  }
  const cellClasses = ctx.cellMemo(CELL_OPTIMIZER_CLASSES, () => new Set<string>());
  const derives = supers.children.some(
    b => b.type !== 'keyword_argument' && (isKerasOptimizerClass(b, ctx) || (b.type === 'identifier' && cellClasses.has(ctx.textOf(b))))
  );
  if (derives) {
    cellClasses.add(ctx.textOf(name));
    ctx.note(OPTIMIZER_CLASS + ctx.textOf(name));
  }
}

/**
 * Whether a short receiver (`opt.lr`) is a Keras optimizer: the cell assigns it one (a Keras
 * optimizer class or `keras.optimizers.get(...)` called, `.from_config(...)` on one, or
 * `model.optimizer`). Without that, `opt` is as likely an argparse namespace, whose `lr` must
 * stay. A notebook class deriving from a Keras optimizer counts too: the answer is then
 * `anywhere:optimizer-class:NAME` (a condition), or null when nothing assigns an optimizer.
 */
function assignedOptimizer(name: string, ctx: RuleContext): true | string | null {
  const pattern = new RegExp(
    `^[ \\t]*${name}[ \\t]*=[ \\t]*(([\\w.]*optimizers\\.\\w+|(${KERAS_OPTIMIZER_CLASSES}))(\\.from_config)?\\(|[\\w.]*\\.optimizer[ \\t]*(#.*)?$)`,
    'm'
  );
  if (pattern.test(ctx.text)) {
    return true;
  }
  // `opt = MyOptimizer(...)` / `opt = MyOptimizer.from_config(config)` with a notebook optimizer class.
  const notebookClass = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*([A-Za-z_]\\w*)(\\.from_config)?\\(`, 'gm');
  const conditions: string[] = [];
  for (const m of ctx.text.matchAll(notebookClass)) {
    if (ctx.cellMemo(CELL_OPTIMIZER_CLASSES, () => new Set<string>()).has(m[1])) {
      return true;
    }
    // The condition is the check: a class of that name noted as an optimizer subclass in some cell.
    if (!conditions.includes(OPTIMIZER_CLASS + m[1])) {
      conditions.push(OPTIMIZER_CLASS + m[1]);
    }
  }
  return conditions.length ? conditions.map(c => 'anywhere:' + c).join(' | ') : null;
}

/**
 * Whether the read sits behind `if hasattr(<receiver>, "lr"):` (or `... if hasattr(...) else ...`):
 * False on Keras 3, so the read never runs and nothing fails (KM201 reports the hasattr).
 */
function guardedByHasattr(node: SyntaxNode, receiver: string, ctx: RuleContext): boolean {
  const guard = (condition: SyntaxNode | null): boolean => {
    const text = condition ? ctx.textOf(condition).replace(/\s+/g, '') : '';
    return !text.startsWith('not') && (text.includes(`hasattr(${receiver},"lr")`) || text.includes(`hasattr(${receiver},'lr')`));
  };
  for (let n: SyntaxNode | null = node; n && n.parent; n = n.parent) {
    const parent: SyntaxNode = n.parent;
    if (parent.type === 'if_statement' && n.field === 'consequence' && guard(child(parent, 'condition'))) {
      return true;
    }
    // `a if cond else b`: named children are the value taken when the condition holds, the condition, the other value.
    if (parent.type === 'conditional_expression' && parent.children[0] === n && guard(parent.children[1] ?? null)) {
      return true;
    }
    if (parent.type === 'function_definition' || parent.type === 'class_definition') {
      return false;
    }
  }
  return false;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!attr || !object || ctx.textOf(attr) !== 'lr' || ctx.resolve(node)) {
    return;
  }
  const receiver = ctx.textOf(object).replace(/\s+/g, '');
  const traced = OPTIMIZER_RECEIVER.test(receiver) || (object.type === 'identifier' ? assignedOptimizer(receiver, ctx) : null);
  if (!traced) {
    return;
  }
  // Assigning `optimizer.lr = ...` runs and changes nothing (a silent change, no backend blocked);
  // reading it raises AttributeError on every backend (checked by running Keras 3.15).
  const left = node.parent?.type === 'assignment' ? child(node.parent, 'left') : null;
  const assigned = left !== null && left.start === node.start && left.end === node.end;
  const guarded = !assigned && guardedByHasattr(node, receiver, ctx);
  ctx.report(
    attr,
    assigned
      ? 'Keras 3 optimizers have no `lr` attribute: assigning it runs but changes nothing (the learning rate stays); use `learning_rate`.'
      : guarded
        ? 'Keras 3 optimizers have no `lr` attribute: behind `hasattr(..., "lr")`, which is False on Keras 3, this read never runs; use `learning_rate`.'
        : 'Keras 3 optimizers have no `lr` attribute (reading it fails with AttributeError); use `learning_rate`.',
    { title: 'Use `learning_rate`', safe: true, edits: [{ start: attr.start, end: attr.end, text: 'learning_rate' }] },
    undefined,
    traced === true ? undefined : traced,
    assigned || guarded ? [] : undefined
  );
}

export const optimizerLegacyArguments: RuleDefinition = {
  code: 'KM161',
  name: 'optimizer-legacy-arguments',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `lr=` and `decay=` passed to Keras optimizers, and the `lr` attribute of an optimizer: `model.optimizer.lr`, `optimizer.lr`, or `opt.lr` where the cell assigns `opt` a Keras optimizer (a built-in or notebook optimizer class called or rebuilt with `.from_config(...)`, `keras.optimizers.get(...)`, `model.optimizer`).',
    why:
      'Keras 3 optimizers accept only `learning_rate=` and raise "Argument(s) not recognized" for `lr`; `decay` is ignored with a warning (the learning rate stays constant: a silent change, no backend blocked) and replaced by learning-rate schedules; assigning `optimizer.lr` runs and changes nothing (no backend blocked), reading it fails, except behind `if hasattr(optimizer, "lr"):`, which is False on Keras 3 (no backend blocked; checked on Keras 3.15). Not covered by the migration guide. Renaming `lr` (argument or attribute; Keras 2 made it an alias of `learning_rate`) is safe; dropping `decay` changes training and is only a suggestion.',
    example: 'import keras\nopt = keras.optimizers.Adam(lr=1e-3, decay=1e-6)',
    useInstead:
      'import keras\nschedule = keras.optimizers.schedules.InverseTimeDecay(1e-3, decay_steps=1, decay_rate=1e-6)\nopt = keras.optimizers.Adam(learning_rate=schedule)'
  },
  calls: { resolved: KERAS_CALLEES },
  attributes: { names: ['lr'] },
  visitors: { call: visit, attribute: visitAttribute, class_definition: visitClass }
};
