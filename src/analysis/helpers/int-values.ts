/**
 * Whether an expression is known to hold a Python integer, from how it is written: an integer
 * literal, `len(...)` / `int(...)`, an array's `.shape[i]`, integer arithmetic (`+ - * // % **`)
 * of such values, or a name every plain assignment of which (in its function, or at module
 * level for a module constant read inside a function that does not bind it) is such a value.
 * Not a rule.
 *
 * Used where Keras 2 accepted an integer and Keras 3 wants a tuple (`keras.Input(shape=n)`): the
 * rewrite `(n,)` is exact only when the value is an integer.
 */
import { child, definedInPlainFunctionsFromModule, globalNamesOf, identifiersIn, rootOf, SyntaxNode } from '../ast';
import type { RawFix, RuleContext } from '../rule';
import { lastAssignedValue } from './calls';
import { closingBracket } from './code-text';
import { classMethodDefinitions } from './model-code';
import { nameBindings } from './name-bindings';

const INT_OPERATORS = new Set(['+', '-', '*', '//', '%', '**']);

/** Whether `node` is known to be a Python int where it is read (see the file comment). */
export function isKnownInt(node: SyntaxNode | null | undefined, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'integer':
      return !/[jJ]$/.test(ctx.textOf(node)); // `3j` is complex
    case 'parenthesized_expression': {
      const inner = node.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
      return inner.length === 1 && isKnownInt(inner[0], ctx, depth + 1);
    }
    case 'unary_operator': {
      const operand = node.children[node.children.length - 1];
      const op = ctx.textOf(node).trim()[0];
      return (op === '-' || op === '+') && isKnownInt(operand, ctx, depth + 1);
    }
    case 'binary_operator': {
      // Its children carry no field names in this tree: the operands are the first and last.
      const operands = node.children.filter(c => c.type !== 'comment');
      const left = operands[0];
      const right = operands[operands.length - 1];
      if (operands.length !== 2) {
        return false;
      }
      const opText = ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim();
      return INT_OPERATORS.has(opText) && isKnownInt(left, ctx, depth + 1) && isKnownInt(right, ctx, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      const name = fn && fn.type === 'identifier' ? ctx.textOf(fn) : null;
      // Builtins only when not rebound in the file (`len = ...` would be odd, but not ours to guess).
      return (name === 'len' || name === 'int') && !ctx.resolve(fn!);
    }
    case 'subscript': {
      // `x.shape[1]`, `x.shape[-1]`: an int for NumPy arrays (a symbolic tensor's may be None,
      // which Keras 2's Input did not take either).
      const value = child(node, 'value');
      const index = child(node, 'subscript');
      return (
        !!value && value.type === 'attribute' && ctx.textOf(child(value, 'attribute') ?? value) === 'shape' &&
        !!index && (index.type === 'integer' || (index.type === 'unary_operator' && /^-\s*\d+$/.test(ctx.textOf(index))))
      );
    }
    case 'identifier':
      return nameIsInt(node, ctx, depth);
    default:
      return false;
  }
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') {
      return p;
    }
    if (p.type === 'class_definition') {
      return null;
    }
  }
  return null;
}

/** The right-hand sides a skipped statement's text is read for: integers in any Keras program. */
const INT_TEXT = /^(?:[+-]?\d+|[A-Za-z_][\w.]*\.shape\[\s*-?\d+\s*\]|len\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\))$/;

/** `(784)` -> `784` (parentheses around one value, as often as they are written); anything else as it is. */
function withoutOuterParentheses(text: string): string {
  // Only when the first `(` closes at the end: `(a) * (b)` stays.
  while (text.startsWith('(') && closingBracket(text, 0) === text.length - 1) {
    text = text.slice(1, -1).trim();
  }
  return text;
}

/**
 * A top-level statement the relevance filter left out (no Keras word in it) keeps its range but
 * no children: `num_states = 3` before a model is built is one. Its text says whether it binds
 * `name`, and to what: 'int' for `name = 3` / `name = x.shape[0]` / `name = len(xs)`, 'other'
 * for any other binding of the name, null when it does not bind it.
 */
function skippedBinding(n: SyntaxNode, name: string, ctx: RuleContext): 'int' | 'other' | null {
  const text = ctx.textOf(n).replace(/\s+#[^\n]*$/, '').trim();
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const plain = new RegExp(`^${escaped}\\s*=(?!=)\\s*(.*)$`, 's').exec(text);
  if (plain) {
    return INT_TEXT.test(withoutOuterParentheses(plain[1].trim())) ? 'int' : 'other';
  }
  // Any other statement naming it before an `=` (unpacking, chained or augmented assignment).
  const eq = text.search(/(?<![=!<>])=(?!=)/);
  const head = eq >= 0 ? text.slice(0, eq) : '';
  return new RegExp(`\\b${escaped}\\b`).test(head) ? 'other' : null;
}

interface Bindings {
  /** Right-hand sides of `name = <value>` (null: a skipped statement whose text is an int). */
  values: Array<SyntaxNode | null>;
  /** Where the first binding starts. */
  first: number;
  other: boolean;
}

const NESTED_REBINDING = new Set(['global_statement', 'nonlocal_statement']);
const NO_REBINDING = new Set<string>();

/** How `name` is bound in `scope`: the values of its plain assignments, or `other` for any other binding (`+=` included). */
function bindings(scope: SyntaxNode, name: string, ctx: RuleContext, nested: boolean): Bindings {
  const found = nameBindings(scope, name, ctx, {
    skipped: n => {
      const binding = skippedBinding(n, name, ctx);
      return binding === 'int' ? 'value' : binding;
    },
    nestedRebinding: nested ? NESTED_REBINDING : NO_REBINDING
  });
  return { values: found.values, first: found.first, other: found.other || found.augmented };
}

function allInt(values: Array<SyntaxNode | null>, ctx: RuleContext, depth: number): boolean {
  return values.length > 0 && values.every(v => v === null || isKnownInt(v, ctx, depth + 1));
}

function nameIsInt(name: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const text = ctx.textOf(name);
  const fn = enclosingFunction(name);
  if (fn) {
    const params = fn.children.find(c => c.type === 'parameters' || c.type === 'lambda_parameters');
    if (params && identifiersIn(params).some(p => ctx.textOf(p) === text)) {
      return false;
    }
    const body = fn.type === 'function_definition' ? fn.children.find(c => c.type === 'block') : null;
    if (!body) {
      return false; // a lambda: not followed
    }
    if (globalNamesOf(fn, ctx.text).has(text)) {
      // `global name`: the module's name, bound there and in the functions declaring it global.
      const module = enclosingFunction(fn) ? null : bindings(rootOf(name), text, ctx, true);
      return module !== null && !module.other && allInt(module.values, ctx, depth);
    }
    const local = bindings(body, text, ctx, false);
    if (local.other) {
      return false;
    }
    if (local.values.length) {
      // A local: assigned before the read, every assignment an int.
      return !!lastAssignedValue(text, name, ctx) && allInt(local.values, ctx, depth);
    }
    // A closure's free name, or a module constant read inside a function.
    return enclosingScopesBindInt(name, fn, ctx, depth);
  }
  // At module (cell) level: bound before the read in this cell (a name read before any
  // assignment holds what an earlier cell left there), every binding an int.
  const module = bindings(rootOf(name), text, ctx, true);
  return !module.other && module.first < name.start && allInt(module.values, ctx, depth);
}

/**
 * Whether `node` is `(expr)`: parentheses around one expression, no comma (so not a tuple), where
 * `expr` reads as a count rather than a shape although its value is not known: a parameter of
 * the enclosing function (without a tuple or list default), `self.attr` (never assigned a tuple,
 * a list or a `.shape` in the file), or integer arithmetic of those and known integers. Keras 2
 * code wrote `Input((atom_dim))` or `add_weight(shape=(self.units * 2))` meaning a 1-tuple; a
 * rewrite to `(expr,)` is then right unless the value is in fact a tuple, so it is a suggestion.
 * Names that say "shape" are left alone.
 */
export function looksLikeParenthesizedCount(node: SyntaxNode | null | undefined, ctx: RuleContext): boolean {
  if (!node || node.type !== 'parenthesized_expression') {
    return false;
  }
  const inner = node.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
  return inner.length === 1 && countLike(inner[0], ctx, 0);
}

/**
 * Whether `node` is integer arithmetic of count-like values written without parentheses
 * (`self.atom_dim * self.atom_dim`): what `(self.atom_dim * self.atom_dim)` becomes once a
 * formatter or `ast.unparse` drops the parentheses. `+` is left out, as `a + b` also joins two
 * shape tuples; a product of two non-literal values is an integer whenever it is a valid shape at
 * all (two tuples do not multiply). A suggestion, like the parenthesised case.
 */
export function looksLikeCountArithmetic(node: SyntaxNode | null | undefined, ctx: RuleContext): boolean {
  if (!node || node.type !== 'binary_operator') {
    return false;
  }
  const operands = node.children.filter(c => c.type !== 'comment');
  if (operands.length !== 2) {
    return false;
  }
  const [left, right] = operands;
  const op = ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim();
  // `(n,) * 2` repeats a tuple: with a literal operand only a known integer counts.
  const literal = (n: SyntaxNode) => n.type === 'integer' || n.type === 'unary_operator';
  if (!['*', '//', '%', '**', '-'].includes(op) || (op === '*' && (literal(left) || literal(right)))) {
    return false;
  }
  return countLike(left, ctx, 1) && countLike(right, ctx, 1);
}

function countLike(node: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  if (depth > 6) {
    return false;
  }
  if (isKnownInt(node, ctx)) {
    return true;
  }
  const text = ctx.textOf(node);
  if (/shape/i.test(text)) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression':
      return looksLikeParenthesizedCount(node, ctx);
    case 'binary_operator': {
      const operands = node.children.filter(c => c.type !== 'comment');
      if (operands.length !== 2) {
        return false;
      }
      const [left, right] = operands;
      const op = text.slice(left.end - node.start, right.start - node.start).trim();
      return INT_OPERATORS.has(op) && countLike(left, ctx, depth + 1) && countLike(right, ctx, depth + 1);
    }
    case 'identifier': {
      const fn = enclosingFunction(node);
      const params = fn?.children.find(c => c.type === 'parameters' || c.type === 'lambda_parameters');
      if (!params) {
        return false;
      }
      const param = params.children.find(p => {
        const id = p.type === 'identifier' ? p : p.children.find(c => c.type === 'identifier');
        return !!id && ctx.textOf(id) === text;
      });
      if (!param) {
        return false;
      }
      // A default that is a tuple or list says the parameter is a shape.
      const value = child(param, 'value');
      if (value && (value.type === 'tuple' || value.type === 'list')) {
        return false;
      }
      // Not rebound in the function body.
      const body = fn!.type === 'function_definition' ? fn!.children.find(c => c.type === 'block') : null;
      return !body || bindings(body, text, ctx, false).values.length === 0;
    }
    case 'attribute': {
      const object = child(node, 'object');
      const attr = child(node, 'attribute');
      if (!object || !attr || ctx.textOf(object) !== 'self') {
        return false;
      }
      const name = ctx.textOf(attr).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // Every `self.name = value` in the file: none a tuple, a list or a whole `.shape`.
      const assigned = new RegExp(`\\bself\\.${name}\\s*=(?!=)\\s*([^\\n]*)`, 'g');
      for (const m of ctx.text.matchAll(assigned)) {
        const value = m[1].trim();
        if (/^[([]/.test(value) && !/^\(\s*[\w.]+(\s*[-+*/%]+\s*[\w.]+)*\s*\)$/.test(value)) {
          return false;
        }
        if (/shape\s*$/.test(value)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Whether `node` is a bare parameter of the enclosing function whose default is a known integer
 * (`def build_generator(mask_shape, latent_dim=LATENT_DIM): ... Input(shape=latent_dim)`), not
 * rebound in the body and not named like a shape. The default says the function was written for
 * a count; a caller could still pass a tuple, so a rewrite to `(name,)` is a suggestion.
 */
export function isIntDefaultedParameter(node: SyntaxNode | null | undefined, ctx: RuleContext, shapeNamedWithLiteral = false): boolean {
  if (!node || node.type !== 'identifier') {
    return false;
  }
  const text = ctx.textOf(node);
  // A name that says "shape" counts only when asked and its default is an integer literal
  // (keras.io StyleGAN's `def Mapping(num_stages, input_shape=512)`, read as `Input(shape=(input_shape))`).
  const shapeNamed = /shape/i.test(text);
  if (shapeNamed && !shapeNamedWithLiteral) {
    return false;
  }
  const fn = enclosingFunction(node);
  const params = fn?.children.find(c => c.type === 'parameters' || c.type === 'lambda_parameters');
  const param = params?.children.find(
    p => (p.type === 'default_parameter' || p.type === 'typed_default_parameter') && ctx.textOf(child(p, 'name') ?? p) === text
  );
  const value = param ? child(param, 'value') : null;
  if (!value || !(value.type === 'identifier' ? defaultNameIsInt(value, fn!, ctx) : isKnownInt(value, ctx))) {
    return false;
  }
  if (shapeNamed && !(value.type === 'integer' || /^\d+$/.test(ctx.textOf(value)))) {
    return false;
  }
  const body = fn!.type === 'function_definition' ? fn!.children.find(c => c.type === 'block') : null;
  return !body || bindings(body, text, ctx, false).values.length === 0;
}

/**
 * Whether `node` is a bare parameter of a top-level function (or one nested in `main()`; not rebound in its body, not named
 * like a shape unless `shapeNamedToo`) to which every call of the function in this text passes a known integer (or
 * leaves an integer default): `def MPNNModel(atom_dim): layers.Input(atom_dim)` called as
 * `MPNNModel(atom_dim=x.shape[-1])`. A caller elsewhere could still pass a tuple: suggestions only.
 */
export function isIntFromEveryCaller(node: SyntaxNode | null | undefined, ctx: RuleContext, shapeNamedToo = false): boolean {
  if (node?.type === 'attribute') {
    return isSelfAttributeIntFromEveryConstruction(node, ctx);
  }
  if (!node || node.type !== 'identifier' || (!shapeNamedToo && /shape/i.test(ctx.textOf(node)))) {
    return false;
  }
  const text = ctx.textOf(node);
  const fn = enclosingFunction(node);
  if (!fn || fn.type !== 'function_definition') {
    return false;
  }
  // A parameter of a class's `__init__()` comes from the class's constructions: `CustomLayer(5)`.
  const cls = constructedClassOf(fn, ctx);
  if (!cls && !definedInPlainFunctionsFromModule(fn.parent?.type === 'decorated_definition' ? fn.parent : fn)) {
    return false;
  }
  const plain = cls ? plainParameters(fn, ctx).slice(1) : plainParameters(fn, ctx);
  const index = plain.findIndex(p => p.name === text);
  if (index < 0 || plain.slice(0, index).some(p => !p.positional)) {
    return false;
  }
  const body = fn.children.find(c => c.type === 'block');
  if (body && bindings(body, text, ctx, false).values.length > 0) {
    return false;
  }
  return everyCallPassesInt(cls ?? ctx.textOf(child(fn, 'name') ?? fn), plain[index].node, index, text, fn, rootOf(node), ctx);
}

/** The class name an `__init__(self, ...)` defined directly in a top-level class constructs, else null. */
function constructedClassOf(fn: SyntaxNode, ctx: RuleContext): string | null {
  if (ctx.textOf(child(fn, 'name') ?? fn) !== '__init__') {
    return null;
  }
  const outer = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = outer.parent?.type === 'block' ? outer.parent.parent : null;
  const name = cls?.type === 'class_definition' ? child(cls, 'name') : null;
  const clsOuter = cls?.parent?.type === 'decorated_definition' ? cls.parent : cls;
  return name && clsOuter && definedInPlainFunctionsFromModule(clsOuter) ? ctx.textOf(name) : null;
}

/**
 * `self.latent_dim` in a method, where `__init__()` only ever sets it from its parameter
 * `latent_dim` (`self.latent_dim = latent_dim`, no other assignment in the class), and every
 * construction of the class in this text passes that parameter a known integer (or leaves an
 * integer default): keras.io GauGAN's `keras.Input(shape=self.latent_dim)` once the parentheses
 * of `(self.latent_dim)` are gone. Another module could construct it with a tuple: suggestions only.
 */
function isSelfAttributeIntFromEveryConstruction(node: SyntaxNode, ctx: RuleContext): boolean {
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  if (!object || !attr || ctx.textOf(object) !== 'self' || /shape/i.test(ctx.textOf(attr))) {
    return false;
  }
  let cls: SyntaxNode | null = null;
  for (let p = node.parent; p && !cls; p = p.parent) {
    cls = p.type === 'class_definition' ? p : null;
  }
  const clsName = cls ? child(cls, 'name') : null;
  const init = cls ? classMethodDefinitions(cls, ctx).get('__init__') : undefined;
  if (!cls || !clsName || !init) {
    return false;
  }
  const name = ctx.textOf(attr);
  const assigned = [...ctx.textOf(cls).matchAll(new RegExp(`\\bself\\.${name}\\s*(?:[-+*/%@&|^]|//|\\*\\*|<<|>>)?=(?!=)\\s*([^\\n]*)`, 'g'))];
  if (assigned.length !== 1 || !/^\w+$/.test(assigned[0][1].trim()) || !/\bself\.\w+\s*=(?!=)/.test(assigned[0][0])) {
    return false;
  }
  const param = assigned[0][1].trim();
  const plain = plainParameters(init, ctx).slice(1); // after self
  const index = plain.findIndex(p => p.name === param);
  if (index < 0 || plain.slice(0, index).some(p => !p.positional)) {
    return false;
  }
  const body = child(init, 'body');
  if (!body || bindings(body, param, ctx, false).values.length > 0 || !ctx.textOf(body).includes(`self.${name} = ${param}`)) {
    return false;
  }
  return everyCallPassesInt(ctx.textOf(clsName), plain[index].node, index, param, init, rootOf(node), ctx);
}

interface PlainParameter {
  node: SyntaxNode;
  name: string;
  /** Can be passed by position (a plain or defaulted parameter before any `*`). */
  positional: boolean;
}

/** A function's parameters in order (splats and the `*` separator too: they end the positional ones). */
function plainParameters(fn: SyntaxNode, ctx: RuleContext): PlainParameter[] {
  const params = fn.children.find(c => c.type === 'parameters');
  const kept = params ? params.children.filter(p => p.type === 'identifier' || p.type === 'default_parameter' || p.type === 'typed_parameter' || p.type === 'typed_default_parameter' || p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') : [];
  return kept.map(p => ({
    node: p,
    name: ctx.textOf(p.type === 'identifier' ? p : child(p, 'name') ?? p.children.find(c => c.type === 'identifier') ?? p),
    positional: p.type === 'identifier' || p.type === 'default_parameter' || p.type === 'typed_parameter' || p.type === 'typed_default_parameter'
  }));
}

/**
 * Whether every call of `callee` (a name) in `root` passes a known integer as the parameter
 * `name` (by keyword, or at `index` among the positional arguments), or leaves the parameter's
 * integer default; false without any call.
 */
function everyCallPassesInt(callee: string, param: SyntaxNode, index: number, name: string, fn: SyntaxNode, root: SyntaxNode, ctx: RuleContext): boolean {
  const calls: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const called = child(n, 'function');
      if (called && called.type === 'identifier' && ctx.textOf(called) === callee) {
        calls.push(n);
      }
    }
    stack.push(...n.children);
  }
  const fallback = param.type === 'default_parameter' || param.type === 'typed_default_parameter' ? child(param, 'value') : null;
  return calls.length > 0 && calls.every(call => {
    const args = child(call, 'arguments');
    const items = args ? args.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment') : [];
    if (items.some(a => a.type === 'list_splat' || a.type === 'dictionary_splat')) {
      return false;
    }
    const keyword = items.find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === name);
    const positional = items.filter(a => a.type !== 'keyword_argument');
    const value = keyword ? child(keyword, 'value') : positional[index] ?? null;
    return value ? isKnownInt(value, ctx) : !!fallback && defaultNameIsIntOrLiteral(fallback, fn, ctx);
  });
}

function defaultNameIsIntOrLiteral(value: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): boolean {
  return value.type === 'identifier' ? defaultNameIsInt(value, fn, ctx) : isKnownInt(value, ctx);
}

/**
 * A default read where the function is defined (its own parameters are not in scope there): a
 * module constant for a top-level function, the enclosing function's value for a nested one.
 */
function defaultNameIsInt(value: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): boolean {
  return enclosingScopesBindInt(value, fn, ctx, 0);
}

/**
 * Whether the name `name` that code in `fn` reads without binding it is an integer in the scopes
 * around `fn`: the innermost enclosing function that binds it (a constant of a script's `main()`
 * read by a helper nested there; every assignment there an integer, none of its parameters), or
 * else the module, every binding an integer.
 */
function enclosingScopesBindInt(name: SyntaxNode, fn: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const text = ctx.textOf(name);
  for (let outer = enclosingFunction(fn); outer; outer = enclosingFunction(outer)) {
    const body = outer.type === 'function_definition' ? outer.children.find(c => c.type === 'block') : null;
    const params = outer.children.find(c => c.type === 'parameters' || c.type === 'lambda_parameters');
    if (!body || (params && identifiersIn(params).some(p => ctx.textOf(p) === text))) {
      return false; // a lambda's or the enclosing function's parameter: not followed
    }
    if (globalNamesOf(outer, ctx.text).has(text)) {
      break; // the module's name
    }
    const local = bindings(body, text, ctx, false);
    if (local.other) {
      return false;
    }
    if (local.values.length) {
      return allInt(local.values, ctx, depth);
    }
  }
  const module = bindings(rootOf(name), text, ctx, true);
  return !module.other && allInt(module.values, ctx, depth);
}

/**
 * An integer written where Keras 3 wants a shape tuple (`Input(shape=(n))`, `add_weight(shape=n * n)`):
 * the text, the value inside one pair of parentheses, and the fix that writes the 1-tuple Keras 2
 * built from it (safe when the value is known to be an integer, else a suggestion).
 */
export function integerShapeTuple(shape: SyntaxNode, known: boolean, ctx: RuleContext): { text: string; inner: string; fix: RawFix } {
  const text = ctx.textOf(shape);
  const inner = shape.type === 'parenthesized_expression' ? text.replace(/^\(\s*/, '').replace(/\s*\)$/, '') : text;
  const replacement = `(${inner},)`;
  return {
    text,
    inner,
    fix: { title: `Write the shape as the tuple \`${replacement}\``, safe: known, edits: [{ start: shape.start, end: shape.end, text: replacement }] }
  };
}
