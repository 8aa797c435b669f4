/** Call anatomy, literals, small edits and `import keras` placement for rules. Not a rule. */
import { atModuleLevel, child, definedFunction, descendants, globalNamesOf, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';

export interface CallParts {
  fn: SyntaxNode;
  args: SyntaxNode | null;
  positional: SyntaxNode[];
  keywords: Map<string, { node: SyntaxNode; name: SyntaxNode; value: SyntaxNode }>;
  /** `*args` or `**kwargs` present: the argument list cannot be reasoned about fully. */
  splat: boolean;
}

/**
 * A rule's `calls.resolved` when its call visitor looks only at Keras callees
 * (`ctx.resolveKeras(fn)` not null): every such name starts with one of these.
 */
export const KERAS_CALLEES: readonly string[] = ['keras', 'tensorflow.'];

/** Call anatomy, computed once per call node and shared by every rule. */
/**
 * A call's arguments by the callee's parameter names, positional ones in `names` order (a
 * keyword given too replaces the positional one). Callers check splats and unknown names.
 */
export function argumentsByName(parts: CallParts, names: string[]): Map<string, SyntaxNode> {
  const byName = new Map<string, SyntaxNode>();
  parts.positional.forEach((node, i) => byName.set(names[i], node));
  for (const [name, kw] of parts.keywords) {
    byName.set(name, kw.value);
  }
  return byName;
}

export function callParts(call: SyntaxNode, ctx: RuleContext): CallParts | null {
  if (call.memo !== undefined) {
    return call.memo as CallParts | null;
  }
  const parts = computeCallParts(call, ctx);
  call.memo = parts;
  return parts;
}

/** The keywords of every call that has none: one shared map, never modified (most calls have no keywords). */
const NO_KEYWORDS: CallParts['keywords'] = new Map();

function computeCallParts(call: SyntaxNode, ctx: RuleContext): CallParts | null {
  const fn = child(call, 'function');
  if (!fn) {
    return null;
  }
  const args = child(call, 'arguments');
  const positional: SyntaxNode[] = [];
  let keywords = NO_KEYWORDS;
  let splat = false;
  if (args && args.type === 'argument_list') {
    for (const a of args.children) {
      if (a.type === 'keyword_argument') {
        const name = child(a, 'name');
        const value = child(a, 'value');
        if (name && value) {
          if (keywords === NO_KEYWORDS) {
            keywords = new Map();
          }
          keywords.set(ctx.textOf(name), { node: a, name, value });
        }
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        splat = true;
      } else if (a.type !== 'comment') {
        positional.push(a);
      }
    }
  } else if (args) {
    positional.push(args); // generator expression argument
  }
  return { fn, args, positional, keywords, splat };
}

/** The value of a plain string literal (no f-string fields, no implicit concatenation). */
export function stringValue(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (!node || node.type !== 'string') {
    return null;
  }
  const text = ctx.textOf(node);
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m || /[fF]/.test(m[1])) {
    return null;
  }
  return m[3];
}

/** The last identifier of a dotted callee: `Dense` for `keras.layers.Dense`, `save` for `m.save`. */
export function calleeName(fn: SyntaxNode, ctx: RuleContext): string {
  if (fn.type === 'identifier') {
    return ctx.textOf(fn);
  }
  if (fn.type === 'attribute') {
    const attr = child(fn, 'attribute');
    return attr ? ctx.textOf(attr) : '';
  }
  return '';
}

/** Edit that removes a keyword argument together with one neighbouring comma. */
export function removeArgument(arg: SyntaxNode, ctx: RuleContext): OffsetEdit {
  return removeSpan(arg.start, arg.end, ctx);
}

/**
 * Edits that remove several arguments of one call: each run of neighbouring ones as one span with one
 * comma (`save_format="tf", signatures=s` goes at once; removed one by one, their commas overlap).
 */
export function removeArguments(args: readonly SyntaxNode[], ctx: RuleContext): OffsetEdit[] {
  const sorted = [...new Set(args)].sort((a, b) => a.start - b.start);
  const edits: OffsetEdit[] = [];
  let runStart: SyntaxNode | null = null;
  sorted.forEach((arg, i) => {
    runStart ??= arg;
    const next = sorted[i + 1];
    const between = next ? ctx.text.slice(arg.end, next.start) : '';
    if (!next || !/^\s*,\s*$/.test(between)) {
      edits.push(removeSpan(runStart.start, arg.end, ctx));
      runStart = null;
    }
  });
  return edits;
}

function removeSpan(from: number, to: number, ctx: RuleContext): OffsetEdit {
  const text = ctx.text;
  let start = from;
  let end = to;
  const after = /^\s*,[ \t]*/.exec(text.slice(end));
  if (after) {
    end += after[0].length;
  } else {
    const before = /,\s*$/.exec(text.slice(Math.max(0, start - 200), start));
    if (before) {
      start -= before[0].length;
    }
  }
  return { start, end, text: '' };
}

/** Edit that appends `text` (e.g. `from_logits=True`) as the last argument of a call. */
export function appendArgument(args: SyntaxNode, addition: string, ctx: RuleContext, removed: readonly SyntaxNode[] = []): OffsetEdit {
  const inner = ctx.text.slice(args.start + 1, args.end - 1);
  const closing = args.end - 1;
  const kept = itemsOf(args).filter(c => !removed.includes(c));
  if (inner.trim() === '' || kept.length === 0) {
    return { start: closing, end: closing, text: addition };
  }
  const trailingComma = /,\s*$/.test(inner);
  // Insert right after the last argument that stays, before any trailing comma/whitespace.
  const last = kept[kept.length - 1];
  const at = last ? last.end : closing;
  return { start: at, end: at, text: trailingComma ? `, ${addition}` : `, ${addition}` };
}

/** A dotted `tensorflow.X` name that is a TF API (not tf.keras, not tf.data). */
export function tfApiName(canonical: string | null): string | null {
  if (!canonical || !canonical.startsWith('tensorflow.')) {
    return null;
  }
  if (/^tensorflow\.(python\.)?keras(\.|$)/.test(canonical)) {
    return null;
  }
  return 'tf.' + canonical.slice('tensorflow.'.length);
}

/**
 * The API a call calls, by its public name: `keras.ops.fft2` (tf.keras spellings folded into
 * `keras.`), `tf.signal.fft2d`, and with `numpy` also `numpy.arange`; null for other callees and
 * for nodes that are not calls.
 */
export function callApiName(call: SyntaxNode, ctx: RuleContext, numpy = false): string | null {
  const fn = call.type === 'call' ? child(call, 'function') : null;
  if (!fn) {
    return null;
  }
  const keras = ctx.resolveKeras(fn);
  if (keras && keras.startsWith('keras.')) {
    return keras;
  }
  const resolved = ctx.resolve(fn);
  return tfApiName(resolved) ?? (numpy && resolved && resolved.startsWith('numpy.') ? resolved : null);
}

/** Where `keras.X` can be written: adds the `import keras` edit when the notebook lacks one. */
export function withKerasImport(ctx: RuleContext, edits: OffsetEdit[]): OffsetEdit[] {
  const imp = ctx.kerasImportEdit();
  return imp ? [...edits, imp] : edits;
}

/** What an unpacking assignment gives for one of its names (see assignedBefore). */
export type Unpacked = boolean | 'any';

/**
 * The value the statements of `scope` (a block or module) last assign to `name` before `at`.
 * `unpacked`: also a call whose result the statement unpacks into `name` among other names
 * (`_, kernel = layer(x)` gives `layer(x)` for `kernel`), for callers asking what kind of value
 * each element is (an element of a layer's outputs is a layer output too); `'any'`: whatever the
 * statement unpacks (`a, b = [f(i) for i in range(2)]`, `a, b = x, y`), for callers that then
 * pick the element themselves (helpers/value-sources.ts).
 * At module level a function defined before `at` that declares `global name` assigns the module's
 * name (the wrapped style: `def step_1(): global model; model = ...` then `step_1()`); `skip`:
 * a function whose body is not read (the one `at` is in, when asking what it sees at its call).
 */
export function assignedBefore(scope: SyntaxNode, name: string, at: SyntaxNode, ctx: RuleContext, unpacked: Unpacked = false, skip: SyntaxNode | null = null): SyntaxNode | null {
  // Read backwards from the last statement before `at` that may bind the name: the first one
  // that decides is the value (a cell asking at each of its thousands of statements does not
  // rescan everything above each one).
  const candidates = statementsNaming(scope, ctx).get(name) ?? [];
  let moduleLevel: boolean | null = null;
  for (let i = lastBefore(candidates, at.start); i >= 0; i--) {
    const statement = candidates[i];
    // `def NAME(...)` binds the name anew: a function, no assigned value (the TF data-augmentation
    // tutorial's `resize_and_rescale`, a Sequential and then a function of the same name).
    if ((statement.type === 'function_definition' || statement.type === 'decorated_definition') && definedName(statement, ctx) === name) {
      return null;
    }
    const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
    const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
    const right = assignment && assignment.type === 'assignment' ? child(assignment, 'right') : null;
    // `kernel = tf.reduce_sum(kernel)`: the name read on the right holds the earlier value.
    if (right && right.start <= at.start && at.end <= right.end) {
      continue;
    }
    if (left && left.type === 'identifier' && ctx.textOf(left) === name) {
      return right;
    } else if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.children.some(c => c.type === 'identifier' && ctx.textOf(c) === name)) {
      return unpacked === 'any' || (unpacked && right?.type === 'call') ? right : null;
    } else if ((statement.type === 'for_statement' || statement.type === 'with_statement') && statement.end <= at.start) {
      // A loop or `with` body that ran before `at` and assigned the name there (the TF tutorials'
      // `for x, y in dataset.take(1): predictions = model(x)`, read after the loop): its last value.
      // A loop variable of that name rebinds it to what is iterated (not followed).
      const body = child(statement, 'body');
      const inBody = body ? assignedBefore(body, name, at, ctx, unpacked) : null;
      if (inBody) {
        return inBody;
      }
      if (statement.type === 'for_statement' && binds(child(statement, 'left'), name, ctx)) {
        return null;
      }
    } else if (statement.type === 'function_definition' || statement.type === 'decorated_definition') {
      const def = definedFunction(statement);
      if (def && def !== skip && globalNamesOf(def, ctx.text).has(name) && (moduleLevel ??= atModuleLevel(scope))) {
        // Its assignments up to `at` (all of them when `at` comes after it).
        const body = child(def, 'body');
        const inBody = body ? assignedBefore(body, name, at, ctx, unpacked) : null;
        if (inBody) {
          return inBody;
        }
      }
    }
  }
  return null;
}

/** The index of the last of `statements` (in source order) that starts before `offset`, or -1. */
function lastBefore(statements: readonly SyntaxNode[], offset: number): number {
  let low = 0;
  let high = statements.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (statements[mid].start < offset) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low - 1;
}

const STATEMENTS_NAMING = new WeakMap<SyntaxNode, Map<string, SyntaxNode[]>>();

/**
 * The statements of a block or module that may bind each name, in source order, made once per
 * block: an assignment under the names on its left; a loop, `with` or function definition under
 * every name written inside it (more than it binds: assignedBefore decides).
 */
function statementsNaming(scope: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode[]> {
  let index = STATEMENTS_NAMING.get(scope);
  if (index) {
    return index;
  }
  index = new Map();
  const add = (name: string, statement: SyntaxNode): void => {
    const list = index!.get(name);
    if (!list) {
      index!.set(name, [statement]);
    } else if (list[list.length - 1] !== statement) {
      list.push(statement);
    }
  };
  for (const statement of scope.children) {
    const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
    const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
    if (left) {
      for (const n of left.type === 'identifier' ? [left] : left.children) {
        if (n.type === 'identifier') {
          add(ctx.textOf(n), statement);
        }
      }
    } else if (statement.type === 'for_statement' || statement.type === 'with_statement' || statement.type === 'function_definition' || statement.type === 'decorated_definition') {
      for (const n of descendants(statement)) {
        if (n.type === 'identifier') {
          add(ctx.textOf(n), statement);
        }
      }
    }
  }
  STATEMENTS_NAMING.set(scope, index);
  return index;
}

/** Whether `name` is among the names a for-loop target or an unpacking pattern (`x`, `x, y`, `(x, [y, z])`) binds. */
export function binds(target: SyntaxNode | null, name: string, ctx: RuleContext): boolean {
  if (!target) {
    return false;
  }
  if (target.type === 'identifier') {
    return ctx.textOf(target) === name;
  }
  if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'parenthesized_expression') {
    return target.children.some(c => binds(c, name, ctx));
  }
  return false;
}

/** The function definition a statement is in (through the blocks of compound statements), or null at module or class level. */
function enclosingFunction(statement: SyntaxNode): SyntaxNode | null {
  for (let p = statement.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      return p;
    }
    if (p.type === 'class_definition' || p.type === 'module' || p.type === 'lambda') {
      return null;
    }
  }
  return null;
}

/**
 * Where the assignments that give `name` its value at the walk's position can start: the start of
 * the innermost enclosing function that has the name as a local (a parameter, or assigned there),
 * else 0 (a module name). Text searches for `name = ...` read from there on.
 */
export function bindingScopeStart(name: string, ctx: RuleContext): number {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.locals.has(name)) {
      return fn.node.start;
    }
  }
  return 0;
}

/** The value last assigned to `name` by a plain statement before `at`, in the blocks around it (`unpacked`: see assignedBefore). */
export function lastAssignedValue(name: string, at: SyntaxNode, ctx: RuleContext, unpacked: Unpacked = false): SyntaxNode | null {
  for (let scope = at.parent; scope; scope = scope.parent) {
    const loopBody = scope.type === 'for_statement' ? child(scope, 'body') : null;
    if (loopBody && loopBody.start <= at.start && at.end <= loopBody.end && binds(child(scope, 'left'), name, ctx)) {
      return null; // `for label in y:` binds the name in its body to what is iterated (not followed)
    }
    if (scope.type !== 'block' && scope.type !== 'module') {
      continue;
    }
    const found = assignedBefore(scope, name, at, ctx, unpacked);
    if (found) {
      return found;
    }
    if (scope.parent && (scope.parent.type === 'function_definition' || scope.parent.type === 'class_definition')) {
      const def = scope.parent;
      const statement = def.parent?.type === 'decorated_definition' ? def.parent : def;
      if (def.type === 'function_definition' && statement.parent?.type === 'block' && enclosingFunction(statement) && !localNamesOf(def, ctx).has(name)) {
        // A function nested in a function (directly, or under its `if` / `for` blocks) reads the enclosing
        // function's names as a closure (a script's helpers inside `main()`): the value assigned there before the `def`.
        at = statement;
        scope = statement;
        continue;
      }
      // Names assigned outside a function are not looked through, except at the one call of a
      // module-level function that does not bind the name itself (or declares it `global`).
      return def.type === 'function_definition' ? moduleValueAtCall(def, name, ctx, unpacked) : null;
    }
  }
  return null;
}

/**
 * What a module-level function reads for `name` when the name is not its own (never bound in it,
 * or declared `global`) and the module calls it once, as a statement of its own (`step_2()`, the
 * wrapped style; `main()`): the module's value before that call. Null otherwise (a function called
 * several times, or from elsewhere, may see different values).
 */
function moduleValueAtCall(def: SyntaxNode, name: string, ctx: RuleContext, unpacked: Unpacked): SyntaxNode | null {
  const statement = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const module = statement.parent;
  if (!module || module.type !== 'module' || (localNamesOf(def, ctx).has(name) && !globalNamesOf(def, ctx.text).has(name))) {
    return null;
  }
  const fnName = child(def, 'name');
  const call = fnName ? bareCallsOf(module, ctx).get(ctx.textOf(fnName)) : undefined;
  if (!call || call.start < def.end) {
    return null;
  }
  return assignedBefore(module, name, call, ctx, unpacked, def);
}

const bareCallsMemo = new WeakMap<SyntaxNode, Map<string, SyntaxNode | null>>();

/** The module's statements that are a bare call of a name (`step_1()`), by the name; null for a name called so more than once. */
function bareCallsOf(module: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode | null> {
  let calls = bareCallsMemo.get(module);
  if (calls === undefined) {
    calls = new Map();
    for (const statement of module.children) {
      const call = statement.type === 'expression_statement' && statement.children.length === 1 ? statement.children[0] : null;
      const fn = call && call.type === 'call' ? child(call, 'function') : null;
      if (fn && fn.type === 'identifier') {
        const name = ctx.textOf(fn);
        calls.set(name, calls.has(name) ? null : statement);
      }
    }
    bareCallsMemo.set(module, calls);
  }
  return calls;
}

const localNamesMemo = new WeakMap<SyntaxNode, ReadonlySet<string>>();

/**
 * The names a function binds in its own scope (parameters, assignment and loop targets, `as`,
 * `:=`, imports, nested definitions, `nonlocal`), remembered per function. A name that is not
 * among them (nor a builtin) is read from the module. Generous: a name it may bind counts.
 */
export function localNamesOf(def: SyntaxNode, ctx: RuleContext): ReadonlySet<string> {
  const known = localNamesMemo.get(def);
  if (known !== undefined) {
    return known;
  }
  const names = new Set<string>();
  const addTargets = (target: SyntaxNode | null): void => {
    if (!target) {
      return;
    }
    if (target.type === 'identifier') {
      names.add(ctx.textOf(target));
    } else if (target.type !== 'attribute' && target.type !== 'subscript') {
      target.children.forEach(addTargets);
    }
  };
  const params = child(def, 'parameters');
  if (params) {
    for (const id of identifiersInParameters(params)) {
      names.add(ctx.textOf(id));
    }
  }
  const body = child(def, 'body');
  const stack = body ? [...body.children] : [];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'function_definition':
      case 'class_definition':
        addTargets(child(n, 'name'));
        continue; // their bodies are their own scopes
      case 'lambda':
        continue;
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        addTargets(child(n, 'left'));
        break;
      case 'as_pattern':
        addTargets(child(n, 'alias'));
        break;
      case 'named_expression':
        addTargets(child(n, 'name'));
        break;
      case 'nonlocal_statement':
      case 'import_statement':
      case 'import_from_statement':
      case 'except_clause':
        // Generous: every name there may be bound.
        for (const c of n.children) {
          if (c.type === 'identifier' || c.type === 'dotted_name' || c.type === 'aliased_import') {
            const alias = c.type === 'aliased_import' ? child(c, 'alias') : null;
            const id = alias ?? (c.type === 'dotted_name' ? c.children[0] : c);
            if (id) {
              names.add(ctx.textOf(id));
            }
          }
        }
        break;
    }
    for (const c of n.children) {
      stack.push(c);
    }
  }
  localNamesMemo.set(def, names);
  return names;
}

/** The identifiers a parameter list binds (not those of defaults or annotations). */
function identifiersInParameters(params: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const p of params.children) {
    if (p.type === 'identifier') {
      out.push(p);
    } else {
      const name = child(p, 'name') ?? p.children.find(c => c.type === 'identifier');
      if (name && name.type === 'identifier') {
        out.push(name);
      }
    }
  }
  return out;
}

/** Names of a def's plain positional parameters, in order ('' for `*args`, `**kwargs` and separators: positions after them are not followed); null for a def without parameters. */
export function parameterNames(def: SyntaxNode, ctx: RuleContext): string[] | null {
  const params = child(def, 'parameters') ?? def.children.find(c => c.type === 'parameters');
  if (!params) {
    return null;
  }
  const names: string[] = [];
  for (const p of params.children) {
    if (p.type === 'identifier') {
      names.push(ctx.textOf(p));
    } else if (p.type === 'default_parameter' || p.type === 'typed_parameter' || p.type === 'typed_default_parameter') {
      const name = child(p, 'name') ?? p.children.find(c => c.type === 'identifier');
      names.push(name ? ctx.textOf(name) : '');
    } else if (p.type !== 'comment' && p.type !== '(' && p.type !== ')' && p.type !== ',') {
      names.push('');
    }
  }
  return names;
}

/**
 * The value a top-level statement of the cell last assigned to `name` before `at` (seen from inside
 * functions too). Code in a function or class body runs when it is called, not where it is written:
 * a script's helpers come first and the names they read are assigned below them (`def prepare(ds):
 * ... data_augmentation(x)` above `data_augmentation = keras.Sequential(...)`). With nothing
 * assigned above the definition, the value is the one assigned before the first top-level statement
 * after the definition that names it (its first call, or the first place it is handed on).
 */
export function topLevelValueBefore(name: string, at: SyntaxNode, ctx: RuleContext, unpacked: Unpacked = false): SyntaxNode | null {
  let root = at;
  let statement = at;
  while (root.parent) {
    statement = root;
    root = root.parent;
  }
  const before = assignedBefore(root, name, at, ctx, unpacked);
  if (before !== null || statement === at) {
    return before;
  }
  const defined = definedName(statement, ctx);
  const firstUse = defined === null ? null : firstTopLevelMention(root, statement, defined, ctx);
  return firstUse === null ? null : assignedBefore(root, name, firstUse, ctx, unpacked);
}

/** The name a top-level `def` or `class` statement (decorated or not) binds, or null. */
function definedName(statement: SyntaxNode, ctx: RuleContext): string | null {
  const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
  const name = def && (def.type === 'function_definition' || def.type === 'class_definition') ? child(def, 'name') : null;
  return name ? ctx.textOf(name) : null;
}

/** The first top-level statement after `after` whose text names `name` as a word (a rebinding def ends the search). */
function firstTopLevelMention(root: SyntaxNode, after: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  const word = new RegExp(`(?<![\\w.])${name}\\b`);
  for (const statement of root.children) {
    if (statement.start < after.end || statement.type === 'comment') {
      continue;
    }
    if (definedName(statement, ctx) === name) {
      return null;
    }
    if (word.test(ctx.textOf(statement))) {
      return statement;
    }
  }
  return null;
}

/** `.gradient(` in code text: a GradientTape's gradient call. */

/** The value `name` holds at `at`: its last assignment in the scope there, else the cell's top-level value before it (topLevelValueBefore). */
export function valueBefore(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  return lastAssignedValue(name, at, ctx) ?? topLevelValueBefore(name, at, ctx);
}
export const GRADIENT_CALL = /\.gradient\s*\(/;
/** `apply_gradients(` in code text: an optimizer step. */
export const APPLY_GRADIENTS_CALL = /\bapply_gradients\s*\(/;

/** The with-statement a call opens (`with tf.GradientTape() as tape:`), or null. */
export function withStatementOpenedBy(call: SyntaxNode): SyntaxNode | null {
  let p = call.parent;
  if (p && p.type === 'as_pattern') {
    p = p.parent;
  }
  if (!p || p.type !== 'with_item') {
    return null;
  }
  for (let q: SyntaxNode | null = p.parent; q; q = q.parent) {
    if (q.type === 'with_statement') {
      return q;
    }
  }
  return null;
}

/**
 * TF activation functions and their Keras 3 equivalents with the same defaults (`tf.nn.gelu` is
 * exact, approximate=False, as `keras.activations.gelu`; `keras.ops.gelu` defaults to True).
 */
export const TF_ACTIVATION_EQUIVALENTS: Readonly<Record<string, string>> = {
  'tf.nn.relu': 'keras.activations.relu',
  'tf.nn.sigmoid': 'keras.activations.sigmoid',
  'tf.sigmoid': 'keras.activations.sigmoid',
  'tf.math.sigmoid': 'keras.activations.sigmoid',
  'tf.nn.tanh': 'keras.activations.tanh',
  'tf.tanh': 'keras.activations.tanh',
  'tf.math.tanh': 'keras.activations.tanh',
  'tf.nn.softmax': 'keras.activations.softmax',
  'tf.nn.elu': 'keras.activations.elu',
  'tf.nn.selu': 'keras.activations.selu',
  'tf.nn.gelu': 'keras.activations.gelu',
  'tf.nn.silu': 'keras.activations.silu',
  'tf.nn.swish': 'keras.activations.silu',
  'tf.nn.softplus': 'keras.activations.softplus',
  'tf.nn.relu6': 'keras.activations.relu6',
  'tf.nn.leaky_relu': 'keras.activations.leaky_relu'
};

/**
 * The keyword argument a function value is passed as: directly (`activation=tf.nn.gelu`), or as
 * a branch of a conditional expression there, parenthesized or not
 * (`activation=tf.nn.gelu if idx == 0 else None`, the keras.io CaiT mlp helper). Null elsewhere.
 */
export function keywordArgumentOfValue(node: SyntaxNode): SyntaxNode | null {
  let at: SyntaxNode = node;
  // A conditional expression's children: consequence, `if`, condition, `else`, alternative.
  const isBranch = (n: SyntaxNode, cond: SyntaxNode): boolean => cond.children.filter(c => c.type !== 'comment')[2] !== n;
  while (at.parent && (at.parent.type === 'parenthesized_expression' ||
    (at.parent.type === 'conditional_expression' && isBranch(at, at.parent)))) {
    at = at.parent;
  }
  return at.field === 'value' && at.parent?.type === 'keyword_argument' ? at.parent : null;
}

/**
 * Whether an assignment to `name` where the walk is binds the module's name: at module level, or
 * in a function that declares it `global` (`def step_1(): global y; y = to_categorical(...)`).
 */
export function bindsModuleName(name: string, ctx: RuleContext): boolean {
  return ctx.fn === null || ctx.fn.globals.has(name);
}

/** Where the uses of `name` bound where the walk is can be: the enclosing function, or the whole cell for a module name. */
export function bindingScope(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode {
  if (ctx.fn && !ctx.fn.globals.has(name)) {
    return ctx.fn.node;
  }
  let root = at;
  while (root.parent) {
    root = root.parent;
  }
  return root;
}

/** A module-level assignment of a name: the statement, and the value (its text when the relevance filter left the statement out). */
export interface ModuleAssignment {
  statement: SyntaxNode;
  value: SyntaxNode | string;
}

const MODULE_ASSIGNMENTS = new WeakMap<SyntaxNode, Map<string, ModuleAssignment[]>>();

/**
 * The plain assignments (`name = value`) of each name among the statements that bind names of the
 * module when they run, in order: the module's own, and in place of the definition of a
 * module-level function that declares the name global, that function's top statements (the
 * wrapped style: `def step_2(): global actor_model; actor_model = get_actor()`). A statement the
 * relevance filter left out (no children: `losses = ["mse", "mse"]`) gives the text of its
 * right-hand side. Found in one pass per cell, for every name.
 */
export function moduleAssignments(root: SyntaxNode, ctx: RuleContext): ReadonlyMap<string, readonly ModuleAssignment[]> {
  let index = MODULE_ASSIGNMENTS.get(root);
  if (index) {
    return index;
  }
  const found = new Map<string, ModuleAssignment[]>();
  const add = (statement: SyntaxNode, only?: ReadonlySet<string>): void => {
    const assigned = plainAssignment(statement, ctx);
    if (assigned && (!only || only.has(assigned.name))) {
      const list = found.get(assigned.name);
      const entry = { statement, value: assigned.value };
      if (list) {
        list.push(entry);
      } else {
        found.set(assigned.name, [entry]);
      }
    }
  };
  for (const statement of root.children) {
    const def = statement.type === 'function_definition' || statement.type === 'decorated_definition' ? definedFunction(statement) : null;
    const globals = def ? globalNamesOf(def, ctx.text) : null;
    const body = def && globals && globals.size ? child(def, 'body') : null;
    if (body) {
      body.children.forEach(s => add(s, globals!));
    } else {
      add(statement);
    }
  }
  index = found;
  MODULE_ASSIGNMENTS.set(root, index);
  return index;
}

/** `name = value` as a statement: the name and the value (its text for a statement without children). */
function plainAssignment(statement: SyntaxNode, ctx: RuleContext): { name: string; value: SyntaxNode | string } | null {
  if (statement.type !== 'expression_statement') {
    return null;
  }
  if (statement.children.length === 0) {
    const m = statement.end > statement.start ? /^([^\s=]+)\s*=(?!=)\s*([^]*)$/.exec(ctx.textOf(statement).replace(/\s+#[^\n]*$/, '').trim()) : null;
    return m ? { name: m[1], value: m[2].trim() } : null;
  }
  const assignment = statement.children[0];
  const left = assignment.type === 'assignment' ? child(assignment, 'left') : null;
  const right = assignment.type === 'assignment' ? child(assignment, 'right') : null;
  return left && right && left.type === 'identifier' ? { name: ctx.textOf(left), value: right } : null;
}

/** The values the module-level statements assign to `name` (see moduleAssignments), those the analysis reads (not left out). */
export function moduleAssignedValues(root: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] {
  return (moduleAssignments(root, ctx).get(name) ?? []).flatMap(a => (typeof a.value === 'string' || a.statement.children.length !== 1 ? [] : [a.value]));
}

/**
 * The `tf.Variable(...)` call whose initial value `node` is (its first positional argument or
 * `initial_value=`), else null.
 */
export function tfVariableOfInitialValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const holder = node.parent?.type === 'keyword_argument' && node.field === 'value' ? node.parent : node;
  if (holder !== node && ctx.textOf(child(holder, 'name') ?? holder) !== 'initial_value') {
    return null;
  }
  const args = holder.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  const parts = call?.type === 'call' ? callParts(call, ctx) : null;
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow.Variable') {
    return null;
  }
  return parts.positional[0] === node || parts.keywords.get('initial_value')?.value === node ? call : null;
}

