/** File paths of saves and loads, and the save/load pairs of a cell: the renames both sides agree on. Not a rule. */
import { child, definedFunction, descendants, enclosingFunctionDefinition, globalNamesOf, itemsOf, rootOf, SyntaxNode } from '../ast';
import { CellMemoKey } from '../rule';
import type { OffsetEdit, RuleContext } from '../rule';
import { argumentsByName, bindingScopeStart, callParts, calleeName, lastAssignedValue, removeArgument, removeArguments, stringValue } from './calls';
import type { CallParts } from './calls';
import { looksLikeModel } from './model-code';
import { parameterArguments, topLevelDefinitions } from './tf-data';
import { nameOffsetsFollowedBy } from './code-text';
import { escapeRegExp, lineBreakOf, lineStartAt } from '../text';
import type { Backend } from '../types';

/**
 * The string a path argument holds: a literal, or a name whose last assignment earlier in the
 * same cell is a plain literal (`MODEL_DIR = "saved/model"` ... `model.save(MODEL_DIR)`).
 * Anything else (f-strings, joins, other cells) is unknown.
 */
export function pathValue(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (!node) {
    return null;
  }
  if (node.type !== 'identifier') {
    return stringValue(node, ctx);
  }
  const name = ctx.textOf(node);
  // A parameter or local of an enclosing function: only assignments inside that function count.
  const from = bindingScopeStart(name, ctx);
  const before = ctx.text.slice(0, node.start);
  const assignment = new RegExp(`^[ \\t]*${name}[ \\t]*(\\*\\*|//|>>|<<|[-+*/%@&|^])?=(?!=)[ \\t]*(.*)$`, 'gm');
  let last: string | null = null;
  for (const m of before.matchAll(assignment)) {
    if (m.index !== undefined && m.index >= from) {
      last = m[1] ? '' : m[2]; // `x += ...` makes the value unknown
    }
  }
  if (last === null) {
    return null;
  }
  const literal = /^([rR]?)('|")([^'"\\\n]*)\2[ \t]*(#.*)?$/.exec(last.trimEnd());
  return literal ? literal[3] : null;
}

/**
 * A file path argument: `key` names the same path wherever it stands in the cell (the literal's
 * value, or the expression's text: `os.path.join(workdir, "w.h5")`), and `tail` is the plain
 * string literal that ends it, where a file extension can be changed (null when the path ends
 * in something else). A name is followed to its last assignment before the use.
 */
export interface PathArg {
  key: string;
  tail: SyntaxNode | null;
  tailValue: string | null;
  /** The variable the path was passed in, if any. */
  via?: string;
  /** For a path read from an assignment: where the assignment's text ends (before its line break). */
  valueEnd?: number;
  /** For an assignment inside a function (of a name it declares `global`): the indentation of its line. */
  indent?: string;
}

/** The string literal a path expression ends with: `"w.h5"` in `os.path.join(d, "w.h5")`, `d + "/w.h5"`, `Path(d) / "w.h5"`. */
function tailLiteral(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  for (let depth = 0; n && depth < 8; depth++) {
    if (n.type === 'string') {
      return stringValue(n, ctx) !== null ? n : null;
    }
    if (n.type === 'parenthesized_expression') {
      n = n.children[0] ?? null;
    } else if (n.type === 'binary_operator') {
      n = child(n, 'right');
    } else if (n.type === 'call') {
      const args: SyntaxNode[] = (child(n, 'arguments')?.children ?? []).filter(a => a.type !== 'comment' && a.type !== 'keyword_argument');
      n = args[args.length - 1] ?? null;
    } else {
      return null;
    }
  }
  return null;
}

/**
 * A name's path from its last assignment before `use` (at module level, or in the enclosing
 * function when it is a local there), read from the text: the relevance filter may have left
 * the assignment's statement out of the tree. Its value is the expression's text; the literal it
 * ends with becomes the tail (as a node of its own range, for edits).
 */
function assignedPath(name: SyntaxNode, ctx: RuleContext): PathArg | null {
  return assignedPathBefore(ctx.textOf(name), name.start, ctx, 0);
}

/**
 * The path `id` holds at `position`, from its last assignment before it. A value that ends in
 * another name (`os.path.join(folder, model_name)`) takes that name's tail, and a name last
 * extended by a literal (`model_name += "-{epoch:03d}.h5"`) ends with that literal.
 */
function assignedPathBefore(id: string, position: number, ctx: RuleContext, depth: number): PathArg | null {
  const from = bindingScopeStart(id, ctx);
  const assignment = new RegExp(`^[ \\t]*${id}[ \\t]*(\\*\\*|//|>>|<<|[-+*/%@&|^])?=(?!=)[ \\t]*(.*)$`, 'gm');
  let last: RegExpMatchArray | null = null;
  for (const m of ctx.text.slice(0, position).matchAll(assignment)) {
    if (m.index !== undefined && m.index >= from) {
      last = m;
    }
  }
  if (!last || last.index === undefined || (last[1] && last[1] !== '+')) {
    return null; // never assigned here, or changed in place other than by appending
  }
  const valueStart = last.index + last[0].length - last[2].length;
  const path = assignedValuePath(wholeValue(ctx.text, valueStart, last[2]), valueStart, id);
  if (last[1]) {
    // `path += ".h5"`: the literal appended last ends it; anything else appended leaves it unknown.
    return path.tail && path.key.startsWith('s:') ? { ...path, key: `e:${id}+=${path.tailValue}` } : null;
  }
  if (!path.tail && depth < 3) {
    // `os.path.join(folder, model_name)`, `base + suffix`: the tail of the name it ends with.
    const value = withoutTrailingComment(wholeValue(ctx.text, valueStart, last[2]));
    const end = /(^|[,(+/]\s*)([A-Za-z_]\w*)\s*(,\s*)?\)?$/.exec(value);
    if (end && !/^(True|False|None)$/.test(end[2])) {
      // `path = os.path.join(folder, path)`: the name's value before this assignment.
      const inner = assignedPathBefore(end[2], end[2] === id ? last.index : valueStart, ctx, depth + 1);
      if (inner?.tail && inner.tailValue !== null) {
        return { ...path, tail: inner.tail, tailValue: inner.tailValue };
      }
    }
  }
  return path;
}

/**
 * The right-hand side of an assignment that starts at `start` with `firstLine`: continued over
 * the next lines while a bracket it opens is still open (`EXPORT_DIR = os.path.join(\n    BASE,\n    "m",\n)`).
 */
function wholeValue(text: string, start: number, firstLine: string): string {
  // Comments inside are blanked out, keeping every offset.
  const comments: Array<[number, number]> = [];
  const blank = (value: string): string =>
    comments.reduce((v, [from, to]) => v.slice(0, from - start) + ' '.repeat(to - from) + v.slice(to - start), value);
  let depth = 0;
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote || c === '\n' || c === '\r') {
        quote = '';
      }
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      // The comment ends at the line break (CR LF, CR only or LF).
      const found = /[\r\n]/g;
      found.lastIndex = i;
      const eol = found.exec(text)?.index ?? -1;
      comments.push([i, eol < 0 ? text.length : eol]);
      i = eol < 0 ? text.length : eol - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if ((c === '\n' || c === '\r') && depth <= 0) {
      return i - start <= firstLine.length ? firstLine : blank(text.slice(start, i));
    }
  }
  return depth > 0 ? firstLine : blank(text.slice(start));
}

/**
 * An f-string that ends `text` (alone, or as the last argument/operand: `os.path.join(d, f"{n}.h5")`)
 * and the plain text after its last field (`/model` in `f"{BASE}/model"`): the file name part a
 * rename can change. Its range is relative to `text`, shifted by `offset`.
 */
function fStringTail(text: string, offset: number): { start: number; end: number; suffix: string } | null {
  const m = /([fF][rR]?|[rR][fF])(["'])([^"'\\\n]*)\2[ \t]*\)?$/.exec(text);
  if (!m || m.index === undefined || (m.index > 0 && !/[,(+/\s][ \t]*$/.test(text.slice(0, m.index)))) {
    return null;
  }
  const cut = lastFieldEnd(m[3]);
  // Raw text: escaped braces stay doubled (`f"{d}/ckpt-{{epoch}}"` ends in `/ckpt-{{epoch}}`, the
  // `/ckpt-{epoch}` ModelCheckpoint formats), so a rename appends to what the source spells.
  const suffix = m[3].slice(cut + 1);
  if (cut < 0 || !suffix) {
    return null;
  }
  return { start: offset + m.index, end: offset + m.index + m[1].length + m[3].length + 2, suffix };
}

/**
 * A path formatted from a plain string template, `"model_%d" % epoch` or `"weights_{}".format(i)`:
 * the template and its raw text after the last conversion or field (`%%`, `{{`, `}}` literal),
 * which names the file. Null for anything else, or a template ending in a field.
 */
function formattedTemplate(node: SyntaxNode, ctx: RuleContext): { template: SyntaxNode; suffix: string } | null {
  let template: SyntaxNode | null = null;
  let percent = false;
  if (node.type === 'binary_operator') {
    const left = child(node, 'left');
    const right = child(node, 'right');
    percent = !!left && !!right && ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim() === '%';
    template = percent ? left : null;
  } else if (node.type === 'call') {
    const fn = child(node, 'function');
    template = fn?.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === 'format' ? child(fn, 'object') : null;
  }
  const body = template?.type === 'string' ? stringValue(template, ctx) : null;
  if (!template || body === null || /^[^'"]*[fF]/.test(ctx.textOf(template))) {
    return null;
  }
  const raw = ctx.textOf(template);
  const quote = /('''|""")$/.test(raw) ? 3 : 1;
  const inner = raw.slice(raw.length - quote - body.length, raw.length - quote);
  if (inner !== body) {
    return null; // escapes in the literal: its source text is not its value
  }
  const cut = percent ? lastConversionEnd(body) : lastFieldEnd(body);
  const suffix = body.slice(cut + 1);
  return cut >= 0 && suffix ? { template, suffix } : null;
}

/**
 * formattedTemplate read from an assignment's text (the relevance filter may have left the
 * statement out of the tree): a plain literal template the whole value formats, its range in
 * `value` and the text after its last conversion or field.
 */
function formattedTemplateText(value: string): { start: number; end: number; text: string; suffix: string } | null {
  const m = /^([uU]?)(["'])([^"'\\\n]*)\2\s*(%|\.\s*format\s*\()/.exec(value);
  if (!m) {
    return null;
  }
  const body = m[3];
  const percent = m[4] === '%';
  const cut = percent ? lastConversionEnd(body) : lastFieldEnd(body);
  const suffix = body.slice(cut + 1);
  if (cut < 0 || !suffix) {
    return null;
  }
  const end = m[1].length + body.length + 2;
  return { start: 0, end, text: value.slice(0, end), suffix };
}

/** One `%` conversion specifier, matched where `lastIndex` puts it (`%(name)` keys stop at 64 characters). */
const CONVERSION = /%(\([^)]{0,64}\))?[-#0 +]{0,8}(\*|\d{1,8})?(\.(\*|\d{1,8}))?[hlL]?[diouxXeEfFgGcrsa]/y;

/** Where the last `%` conversion of a %-template ends (`%d`, `%05.2f`, `%(name)s`; `%%` is a literal percent); -1 for none. */
function lastConversionEnd(body: string): number {
  let end = -1;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '%') {
      continue;
    }
    if (body[i + 1] === '%') {
      i++;
      continue;
    }
    // Sticky, read in place: no copy of the rest of the text per conversion (linear on long templates).
    CONVERSION.lastIndex = i;
    const m = CONVERSION.exec(body);
    if (!m) {
      return -1;
    }
    end = i + m[0].length - 1;
    i = end;
  }
  return end;
}

/** Where the last replacement field of an f-string's body ends (its `}`), `{{` and `}}` being literal braces; -1 for none. */
function lastFieldEnd(body: string): number {
  let end = -1;
  for (let i = 0; i < body.length; i++) {
    if ((body[i] === '{' || body[i] === '}') && body[i + 1] === body[i]) {
      i++;
    } else if (body[i] === '{') {
      const close = body.indexOf('}', i + 1);
      if (close < 0) {
        return -1;
      }
      end = close;
      i = close;
    }
  }
  return end;
}

/**
 * `raw.replace(/[ \t]*(#.*)?$/, '')` without a regular expression (tried at every position, it
 * was the costliest part of reading assignments): the last line's first `#` and what follows,
 * with the blanks before it, or else the trailing blanks.
 */
function withoutTrailingComment(raw: string): string {
  // `.` stops at these line terminators, so a comment never spans them.
  let lineStart = 0;
  for (let i = raw.length - 1; i >= 0; i--) {
    const c = raw.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      lineStart = i + 1;
      break;
    }
  }
  const hash = raw.indexOf('#', lineStart);
  let cut = hash < 0 ? raw.length : hash;
  while (cut > lineStart && (raw.charCodeAt(cut - 1) === 32 || raw.charCodeAt(cut - 1) === 9)) {
    cut--;
  }
  return cut === raw.length ? raw : raw.slice(0, cut);
}

/**
 * The path an assignment's right-hand side (its text, starting at `valueStart` in the cell)
 * gives the name `id`: the literal it ends with becomes the tail (as a node of its own range,
 * for edits); the key is the literal for a plain literal, else the expression's text.
 */
function assignedValuePath(raw: string, valueStart: number, id: string): PathArg {
  // A value over several lines keeps its line breaks (offsets stay those of the cell); a comma
  // before the closing bracket is allowed.
  const value = withoutTrailingComment(raw);
  const formatted = fStringTail(value, 0);
  if (formatted) {
    const start = valueStart + formatted.start;
    const node: SyntaxNode = { type: 'string', start, end: valueStart + formatted.end, field: null, parent: null, children: [] };
    return { key: 'e:' + value.replace(/\s+/g, ''), tail: node, tailValue: formatted.suffix, via: id, valueEnd: valueStart + raw.length };
  }
  const template = formattedTemplateText(value);
  if (template) {
    // `"actor_weights-%s.h5" % fileid`, `"w-{}.h5".format(i)`: keyed by the template, as pathArg keys one.
    const node: SyntaxNode = { type: 'string', start: valueStart + template.start, end: valueStart + template.end, field: null, parent: null, children: [] };
    return { key: 't:' + template.text, tail: node, tailValue: template.suffix, via: id, valueEnd: valueStart + raw.length };
  }
  // The literal the value ends with: the whole value, or the last argument/operand.
  const tail = /([rRuU]?)(["'])([^"'\\\n]*)\2\s*(,\s*)?\)?$/.exec(value);
  if (!tail || tail.index === undefined || (tail.index > 0 && !/[,(+/]\s*$/.test(value.slice(0, tail.index)))) {
    return { key: 'e:' + value.replace(/\s+/g, ''), tail: null, tailValue: null, via: id };
  }
  const start = valueStart + tail.index;
  const node: SyntaxNode = { type: 'string', start, end: start + tail[1].length + tail[3].length + 2, field: null, parent: null, children: [] };
  const whole = tail.index === 0 && !value.endsWith(')');
  return { key: whole ? 's:' + tail[3] : 'e:' + value.replace(/\s+/g, ''), tail: node, tailValue: tail[3], via: id, valueEnd: valueStart + raw.length };
}

/**
 * Whether the analysis walks this cell whatever its shortcuts: it imports something or defines a
 * class (words the scope tracking always needs), or names something bound to Keras/TensorFlow.
 * A cell of plain assignments (`MODEL_DIR = "saved/model"`) is skipped unseen, so findings read
 * from its text would differ between the quick and the exhaustive analysis.
 */
function surelyAnalysed(ctx: RuleContext): boolean {
  if (/\b(import|class)\b/.test(ctx.text)) {
    return true;
  }
  // Every name once (`\b[A-Za-z_]\w*`: a run of word characters that starts with a letter or `_`).
  const text = ctx.text;
  const asked = new Set<string>();
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isWordChar(text.charCodeAt(i))) {
      i++;
    }
    if (c >= 48 && c <= 57) {
      continue;
    }
    const name = text.slice(start, i);
    if (asked.has(name)) {
      continue;
    }
    asked.add(name);
    const binding = ctx.lookup(name);
    if (binding && (binding.kind !== 'module' || /^(tensorflow|keras|tf_keras)(\.|$)/.test(binding.canonical))) {
      return true;
    }
  }
  return false;
}

/** ASCII letters, digits and `_` (what `\w` matches). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The names the top level of the cell last assigns a path ending in a string literal
 * (`MODEL_DIR = "saved/model"`, `CKPT = os.path.join(BASE, "ckpt")`), read from the text: a
 * later cell that saves or loads through the name (`model.save(MODEL_DIR)`) cannot see the
 * value, so the rename both sides need is made here, where the value is. A module-level function
 * that declares the name `global` assigns the module's name too (`def step_1(): global CKPT; CKPT = ...`).
 * `root`: the cell's tree.
 */
export function topLevelPathAssignments(root: SyntaxNode, ctx: RuleContext): ReadonlyMap<string, PathArg> {
  // Per walk (several rules ask at the module node): the answer depends on the cell's text and entry bindings only.
  return ctx.cellMemo(TOP_LEVEL_PATHS, () => findTopLevelPathAssignments(root, ctx));
}

const TOP_LEVEL_PATHS = new CellMemoKey<Map<string, PathArg>>('top-level path assignments');

/** `name = value` statements of the cell in text order: [where, name, value start, value's first line, indentation]. */
type PathAssignment = [number, string, number, string, string];

function findTopLevelPathAssignments(root: SyntaxNode, ctx: RuleContext): Map<string, PathArg> {
  const found = new Map<string, PathArg>();
  const text = ctx.text;
  const assignments: PathAssignment[] = [];
  for (const m of text.matchAll(/^([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*(.*)$/gm)) {
    if (m.index !== undefined) {
      assignments.push([m.index, m[1], m.index + m[0].length - m[2].length, m[2], '']);
    }
  }
  const inFunctions = globalAssignments(root, ctx);
  if (inFunctions.length) {
    assignments.push(...inFunctions);
    assignments.sort((a, b) => a[0] - b[0]);
  }
  for (const [, name, valueStart, firstLine, indent] of assignments) {
    // Most assignments (`x = model.fit(...)` aside) end in no literal: without a quote or an
    // opening bracket up to the line's end the value is that line and has no string in it.
    if (!quoteOrBracketBefore(text, valueStart, text.indexOf('\n', valueStart))) {
      found.delete(name); // reassigned to something else
      continue;
    }
    const path = assignedValuePath(wholeValue(text, valueStart, firstLine), valueStart, name);
    if (path.tail) {
      found.set(name, indent ? { ...path, indent } : path);
    } else {
      found.delete(name); // reassigned to something else
    }
  }
  // Asked last: it looks up every name of the cell, and most cells assign no path.
  return found.size === 0 || surelyAnalysed(ctx) ? found : new Map();
}

/**
 * The plain `name = value` statements, each on a line of its own, of the module-level functions
 * that declare `name` global (not in branches or loops: those may not run).
 */
function globalAssignments(root: SyntaxNode, ctx: RuleContext): PathAssignment[] {
  const out: PathAssignment[] = [];
  const text = ctx.text;
  for (const statement of root.children) {
    const def = definedFunction(statement);
    const globals = def ? globalNamesOf(def, text) : null;
    const body = def && globals && globals.size ? child(def, 'body') : null;
    for (const s of body ? body.children : []) {
      const assignment = s.type === 'expression_statement' ? s.children[0] : null;
      const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
      const right = assignment ? child(assignment, 'right') : null;
      if (!left || !right || left.type !== 'identifier' || !globals!.has(ctx.textOf(left))) {
        continue;
      }
      const lineStart = lineStartAt(text, s.start);
      const indent = text.slice(lineStart, s.start);
      if (!/^[ \t]+$/.test(indent)) {
        continue;
      }
      const eol = text.indexOf('\n', right.start);
      const firstLine = text.slice(right.start, eol < 0 ? text.length : eol).replace(/\r$/, '');
      out.push([s.start, ctx.textOf(left), right.start, firstLine, indent]);
    }
  }
  return out;
}

/** Whether text[from, to) (to the end when `to` is negative) holds a quote or an opening bracket. */
function quoteOrBracketBefore(text: string, from: number, to: number): boolean {
  const end = to < 0 ? text.length : to;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    // " ' ( [ {
    if (c === 34 || c === 39 || c === 40 || c === 91 || c === 123) {
      return true;
    }
  }
  return false;
}

/**
 * The path a parameter of the cell's top-level function holds (`def train_and_save(m, name): m.save(name)`):
 * the string literal the cell's one call of the function passes for it (`train_and_save(model, "s2s")`),
 * or, where no call passes it, the literal default (`def save_it(m, d="export")`). The literal is the
 * tail, so a rename edits it where it is written. Null for several calls (one tail per path) or any other value.
 */
function parameterPath(name: SyntaxNode, ctx: RuleContext): PathArg | null {
  // Read from the tree, not from where the walk is: the cell's path uses are found once, from its first call.
  const def = enclosingFunctionDefinition(name);
  const given = def ? parameterArguments(ctx.textOf(name), name, ctx) : null;
  if (!given || given.length > 1) {
    return null;
  }
  let literal: SyntaxNode | null = given.length === 1 ? given[0].argument : null;
  if (!literal) {
    const parameter = (child(def!, 'parameters')?.children ?? []).find(p => p.type === 'default_parameter' && ctx.textOf(child(p, 'name') ?? p) === ctx.textOf(name));
    const fallback = parameter ? child(parameter, 'value') : null;
    // `def save_it(m, d=SAVE_DIR)`: the default's own path, a name assigned above the definition.
    if (fallback?.type === 'identifier' && ctx.textOf(fallback) !== ctx.textOf(name)) {
      const assigned = assignedPath(fallback, ctx);
      return assigned?.tailValue ? assigned : null;
    }
    literal = fallback;
  }
  const value = literal ? stringValue(literal, ctx) : null;
  return literal && value !== null ? { key: 's:' + value, tail: literal, tailValue: value } : null;
}

export function pathArg(node: SyntaxNode | null | undefined, ctx: RuleContext): PathArg | null {
  if (!node) {
    return null;
  }
  if (node.type === 'identifier') {
    return assignedPath(node, ctx) ?? parameterPath(node, ctx) ?? { key: 'v:' + ctx.textOf(node), tail: null, tailValue: null };
  }
  const literal = stringValue(node, ctx);
  if (literal !== null) {
    return { key: 's:' + literal, tail: node, tailValue: literal };
  }
  if (node.type === 'string') {
    // `f"{workdir}/model"`: the text after the last field names the file.
    const formatted = fStringTail(ctx.textOf(node), node.start);
    if (formatted && formatted.start === node.start && formatted.end === node.end) {
      return { key: 'e:' + ctx.textOf(node).replace(/\s+/g, ''), tail: node, tailValue: formatted.suffix };
    }
  }
  // `checkpoint_path.format(epoch=0)`: one file of the family the name's template names (as a
  // literal template's format is, below): the same path as the name, renamed at its assignment.
  const format = node.type === 'call' ? child(node, 'function') : null;
  const templateName = format?.type === 'attribute' && ctx.textOf(child(format, 'attribute') ?? format) === 'format' ? child(format, 'object') : null;
  if (templateName?.type === 'identifier') {
    const assigned = assignedPath(templateName, ctx);
    if (assigned?.tailValue) {
      return assigned;
    }
  }
  const formatted = formattedTemplate(node, ctx);
  if (formatted) {
    // Keyed by the template: `"w_%02d.h5" % epoch` saved in a loop and `"w_%02d.h5" % 1` loaded name one family of files.
    return { key: 't:' + ctx.textOf(formatted.template), tail: formatted.template, tailValue: formatted.suffix };
  }
  if (node.type === 'string' || node.type === 'concatenated_string' || node.type === 'call' || node.type === 'binary_operator') {
    const tail = tailLiteral(node, ctx);
    return { key: 'e:' + ctx.textOf(node).replace(/\s+/g, ''), tail, tailValue: tail ? stringValue(tail, ctx) : null };
  }
  return null;
}

export type PathUseKind = 'save-model' | 'load-model' | 'save-weights' | 'load-weights' | 'checkpoint-weights' | 'checkpoint-model';

export interface PathUse {
  kind: PathUseKind;
  call: SyntaxNode;
  path: PathArg;
}

/**
 * The callees (`calleeName`) of every path use `pathUses` finds. A callee's last name is always
 * literal in the source (an import names it too), so a notebook that mentions none of these words
 * has no path use: the path rules require them (RuleDefinition.requires).
 */
export const PATH_WORDS = ['save', 'save_weights', 'load_weights', 'load_model', 'save_model', 'ModelCheckpoint'] as const;

const PATH_METHODS = new RegExp(`^(${PATH_WORDS.join('|')})$`);

/**
 * Every save/load of a path in the cell (model.save, save_model, load_model, save_weights,
 * load_weights, ModelCheckpoint), found in one walk of the cell and kept for the cell's tree:
 * a fix on one side of a save/load pair must agree with the fix on the other side.
 */
export function pathUses(anyNode: SyntaxNode, ctx: RuleContext): PathUse[] {
  let root = anyNode;
  while (root.parent) {
    root = root.parent;
  }
  const known = pathUseMemo.get(root);
  if (known) {
    return known;
  }
  const uses: PathUse[] = [];
  // Every method PATH_METHODS names contains one of these words: a cell without them has no
  // path uses, and its tree need not be walked again.
  const text = ctx.text;
  if (!text.includes('save') && !text.includes('load_') && !text.includes('ModelCheckpoint')) {
    pathUseMemo.set(root, uses);
    return uses;
  }
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const parts = callParts(n, ctx);
      const method = parts ? calleeName(parts.fn, ctx) : '';
      if (parts && PATH_METHODS.test(method)) {
        const kw = parts.keywords.get('filepath')?.value;
        let kind: PathUseKind | null = null;
        let arg: SyntaxNode | undefined = parts.positional[0] ?? kw;
        if (method === 'save' && parts.fn.type === 'attribute' && parts.positional.length <= 1) {
          kind = 'save-model';
        } else if (method === 'save_model') {
          kind = 'save-model';
          arg = parts.positional[1] ?? kw;
        } else if (method === 'load_model') {
          kind = 'load-model';
        } else if (method === 'save_weights') {
          kind = 'save-weights';
        } else if (method === 'load_weights') {
          kind = 'load-weights';
        } else if (method === 'ModelCheckpoint') {
          const only = parts.keywords.get('save_weights_only');
          kind = only && ctx.textOf(only.value) === 'True' ? 'checkpoint-weights' : 'checkpoint-model';
        }
        const path = kind ? pathArg(arg, ctx) : null;
        if (kind && path) {
          uses.push({ kind, call: n, path });
        }
      }
    }
    for (const c of n.children) {
      stack.push(c);
    }
  }
  pathUseMemo.set(root, uses);
  return uses;
}

const pathUseMemo = new WeakMap<SyntaxNode, PathUse[]>();

/** How often `needle` stands in `text`. */
function countOf(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); needle && i >= 0; i = text.indexOf(needle, i + needle.length)) {
    count++;
  }
  return count;
}

/** A use that writes the file (a save or a checkpoint callback). */
export function writesPath(use: PathUse): boolean {
  return use.kind.startsWith('save') || use.kind.startsWith('checkpoint');
}

/**
 * The uses among `sameKey` (the uses of one path, `use`'s among them) that read or write what
 * `use`'s save wrote: a path written twice (the keras.io serialization guide saves a functional
 * model, then a subclassed one, to "my_model") holds the second model after the second save. A
 * save's group runs from it to the next save; a load belongs to the nearest save before it (or,
 * where none precedes it, to the first one: a load in a function defined above the save). Loads
 * before the first save belong to it. Uses that share a literal (a path name), or that a checkpoint
 * callback writes, stay one group.
 */
export function pathSegment(use: PathUse, sameKey: readonly PathUse[]): PathUse[] {
  const ordered = [...sameKey].sort((a, b) => a.call.start - b.call.start);
  const saves = ordered.filter(writesPath);
  // Uses through one name share its literal: a rename there renames them all. A checkpoint
  // callback writes whenever fit() runs, not where it is made: no order to follow.
  const sharedLiteral = new Set(ordered.map(u => u.path.tail?.start)).size < ordered.length;
  if (saves.length < 2 || sharedLiteral || saves.some(u => u.kind.startsWith('checkpoint'))) {
    return [...sameKey];
  }
  const before = saves.filter(s => s.call.start <= use.call.start);
  const save = writesPath(use) ? use : before[before.length - 1] ?? saves[0];
  const next = saves.find(s => s.call.start > save.call.start);
  const first = save === saves[0];
  // In the order given (the order every caller's edits come in).
  return sameKey.filter(u => u === save || (!writesPath(u) && (next === undefined || u.call.start < next.call.start) && (u.call.start > save.call.start || first)));
}

/**
 * The uses of the same path as `use` in the cell, and whether renaming the file consistently
 * on all of them is safe: every use is one of `kinds` (so each gets the same rename), each
 * ends in an editable literal, and the file name appears nowhere else in the cell (nothing
 * else reads the old name).
 */
export function pathGroup(use: PathUse, kinds: readonly PathUseKind[], ctx: RuleContext): { members: PathUse[]; complete: boolean } {
  const all = pathUses(use.call, ctx).filter(u => u.path.key === use.path.key);
  const members = pathSegment(use, all);
  const value = use.path.tailValue;
  // A variable holding the path is read by the uses and written once; any other mention reads the old name.
  const viaUses = new Map<string, number>();
  for (const m of members) {
    if (m.path.via) {
      viaUses.set(m.path.via, (viaUses.get(m.path.via) ?? 0) + 1);
    }
  }
  // Checked over every use of the path: the other saves' groups get the same rename from their own findings.
  const complete =
    value !== null &&
    all.every(m => kinds.includes(m.kind) && m.path.tail !== null && m.path.tailValue === value) &&
    countOf(ctx.text, value) === new Set(all.map(m => m.path.tail?.start)).size &&
    [...viaUses].every(([name, n]) => (ctx.text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0) === n + 1);
  return { members, complete };
}

/**
 * Whether `file` is one of the files a checkpoint template writes: `m-{epoch:03d}.h5` writes
 * `m-001.h5` (each `{field}` stands for a part of a name). A template known only by its tail
 * (`model_name += "-{epoch:03d}.h5"`) matches the end of the file name.
 */
export function writtenByTemplate(template: PathArg, file: string): boolean {
  const value = template.tailValue;
  if (!value || !/\{[^{}]*\}/.test(value)) {
    return false;
  }
  const body = value.split(/\{[^{}]*\}/).map(escapeRegExp).join('[^/{}]+?');
  return new RegExp(`${template.key.startsWith('s:') ? '^' : ''}${body}$`).test(file);
}

/** The edit that changes the file name a path ends with (its tail literal's value) to `renamed`, keeping the quotes. */
export function renameTail(path: PathArg, renamed: string, ctx: RuleContext): OffsetEdit | null {
  if (!path.tail || path.tailValue === null) {
    return null;
  }
  const text = ctx.textOf(path.tail);
  const quote = /('''|""")$/.test(text) ? 3 : 1;
  const end = path.tail.end - quote;
  return { start: end - path.tailValue.length, end, text: renamed };
}

/**
 * The edits that rename the file on every use of the path in `group` (each tail literal once),
 * so that one fix, applied alone, keeps a save and its load pointing at the same file; null when
 * a use ends in something that cannot be renamed.
 */
export function renameGroup(group: readonly PathUse[], rename: (value: string) => string, ctx: RuleContext): OffsetEdit[] | null {
  const edits: OffsetEdit[] = [];
  const seen = new Set<number>();
  for (const member of group) {
    const edit = member.path.tailValue !== null ? renameTail(member.path, rename(member.path.tailValue), ctx) : null;
    if (!edit) {
      return null;
    }
    if (!seen.has(edit.start)) {
      seen.add(edit.start);
      edits.push(edit);
    }
  }
  return edits;
}

/**
 * The `.keras` file that replaces a SavedModel directory: `saved_model/my_model/` ->
 * `saved_model_my_model.keras`. Keras 2 created the SavedModel's folders; Keras 3 writes a
 * `.keras` file only into a folder that exists ("No such file or directory" otherwise, checked
 * by running), so a relative path's folders become part of the file name unless the code
 * creates folders itself. `acrossCells`: the other side of the pair is in another cell, which
 * must make the same name whatever either cell creates, so the folders always go.
 */
export function kerasFileFor(path: string, ctx: RuleContext, acrossCells = false): string {
  const bare = path.replace(/[\\/]+$/, '');
  const relativeWithFolders = !/^([\\/~]|[A-Za-z]:)/.test(bare) && /[\\/]/.test(bare);
  const flatten = relativeWithFolders && (acrossCells || !/\b(makedirs|mkdir)\s*\(/.test(ctx.text));
  return (flatten ? bare.replace(/[\\/]+/g, '_') : bare) + '.keras';
}

/** The fact a cell notes for a save or load of a path: `path:load-model:s:my_model`. */
export function pathFact(kind: PathUseKind, key: string): string {
  return `path:${kind}:${key}`;
}

/**
 * The opening every path rule's call visitor shares: the call's parts and callee name, once the
 * cell's saves and loads are noted (any call of the cell may be the one that notes them). Null for
 * what is no call.
 */
export function pathRuleCall(node: SyntaxNode, ctx: RuleContext): { parts: CallParts; method: string } | null {
  const parts = callParts(node, ctx);
  if (!parts) {
    return null;
  }
  notePathUses(node, ctx);
  return { parts, method: calleeName(parts.fn, ctx) };
}

const PATH_USES_NOTED = new CellMemoKey<{ next: number }>('path uses noted, up to which');

/**
 * Notes every save/load of the cell as a fact, so that a save in one cell and a load of the same
 * path in another are fixed alike: findings on either side come in two variants, for
 * `later:`/`earlier:` the other side, and for `!` it. Each use is noted when the walk has reached
 * it (every path call is visited), not before: whether `base.save(path)` saves a model depends on
 * what `base` is bound to there, which an assignment above it in the cell decides.
 */
export function notePathUses(node: SyntaxNode, ctx: RuleContext): void {
  const noted = ctx.cellMemo(PATH_USES_NOTED, () => ({ next: 0 }));
  const uses = pathUses(node, ctx);
  while (noted.next < uses.length && uses[noted.next].call.start <= node.start) {
    const use = uses[noted.next++];
    // `save_format="h5"` with a bare name writes a file the other side cannot pair with by name.
    if (use.kind === 'save-model' && /save_format\s*=\s*["'](h5|keras)["']/i.test(ctx.textOf(use.call))) {
      continue;
    }
    // `checkpoint.save(prefix)` of a tf.train.Checkpoint (or any receiver not named like a model) is no model save.
    const fn = child(use.call, 'function');
    if (use.kind === 'save-model' && fn?.type === 'attribute' && !ctx.resolveKeras(fn) && !looksLikeModel(child(fn, 'object'), ctx)) {
      continue;
    }
    // A ModelCheckpoint of weights is a save of weights to its later `load_weights()`.
    ctx.note(pathFact(use.kind === 'checkpoint-weights' ? 'save-weights' : use.kind, use.path.key));
  }
}

/**
 * A TensorFlow checkpoint path: no extension, or a `.ckpt`/`.tf` prefix. Other extensions
 * (`.weights` of Darknet ports, `.pth`, `.npy`) belong to loaders of the user's own.
 */
export function isCheckpointPrefix(path: string): boolean {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  return /\.(ckpt|tf)(-\d+)?$/i.test(last) || !/\.[A-Za-z]\w*$/.test(last);
}

/** A path expression that can be read twice without side effects: a name, a string, or `os.path.join` of those. */
export function rereadable(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'identifier' || node.type === 'attribute') {
    return true;
  }
  if (node.type === 'string') {
    // An f-string with calls inside would run them twice.
    return !/^[rRbB]*[fF]/.test(ctx.textOf(node)) || !ctx.textOf(node).includes('(');
  }
  // `checkpoint_path.format(epoch=0)`: a template's format with names and literals has no side effects.
  const fn = node.type === 'call' ? child(node, 'function') : null;
  if (fn?.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === 'format') {
    const template = child(fn, 'object');
    const args = child(node, 'arguments');
    const simple = (a: SyntaxNode): boolean =>
      a.type === 'comment' || a.type === 'integer' || a.type === 'float' || rereadable(a, ctx) || (a.type === 'keyword_argument' && simple(child(a, 'value') ?? a));
    return !!template && !!args && (template.type === 'identifier' || template.type === 'string') && args.children.filter(a => !['(', ')', ','].includes(a.type)).every(simple);
  }
  if (node.type !== 'call' || ctx.resolve(child(node, 'function') ?? node) !== 'os.path.join') {
    return false;
  }
  const args = child(node, 'arguments');
  return args !== null && args.children.every(a => a.type === 'comment' || rereadable(a, ctx));
}

/** `os.makedirs(os.path.dirname(PATH) or ".", exist_ok=True)`: creates the folder a file path names (none for a bare file name). */
function makeFolderOf(pathText: string): string {
  return `os.makedirs(os.path.dirname(${pathText}) or ".", exist_ok=True)`;
}

/** The edits that make `os` importable where a folder-creating line uses it: none, or the `import os` edit. */
function osImport(ctx: RuleContext): OffsetEdit[] | null {
  const os = ctx.lookup('os');
  if (os && (os.kind !== 'module' || os.canonical !== 'os')) {
    return null; // `os` names something else here
  }
  const edit = ctx.importEdit('os');
  return edit ? [edit] : [];
}

/**
 * Whether `text` creates a folder (`os.makedirs(d)`, `Path(d).mkdir()`, `tf.io.gfile.makedirs(...)`)
 * on a line naming `folder` or one of `names`: then the code is left to create the save's folder.
 * A folder created for another path does not count (the TensorFlow save-and-load tutorial makes
 * `saved_model` after saving weights into `checkpoints`).
 */
function makesFolderNamed(text: string, folder: string, names: readonly string[]): boolean {
  for (const m of text.matchAll(/\b(?:makedirs|mkdir)\s*\(/g)) {
    const start = lineStartAt(text, m.index!);
    const end = text.indexOf('\n', m.index!);
    const line = text.slice(start, end < 0 ? text.length : end);
    if ((folder && line.includes(folder)) || names.some(n => new RegExp(`\\b${n}\\b`).test(line))) {
      return true;
    }
  }
  return false;
}

/** The folder part of a path literal (`./checkpoints/w` -> `checkpoints`), empty for none. */
function folderOf(path: string | null): string {
  return (path ?? '').replace(/[\\/]*[^\\/]*$/, '').replace(/^\.[\\/]/, '').replace(/^\.$/, '');
}

/**
 * Whether the code creates the save's folder itself before the save: on a line naming the folder
 * of the path's literal, or, where the path is a file right inside a folder held by a name
 * (`os.path.join(save_dir, "m")`, `f"{save_dir}/m"`, one literal without a folder of its own), that name.
 */
function makesFolderFor(use: PathUse, arg: SyntaxNode, ctx: RuleContext): boolean {
  const text = ctx.textOf(arg);
  const literals = text.match(/["']/g)?.length ?? 0;
  const fileInNamedFolder = literals <= 2 && !/[\\/]/.test((use.path.tailValue ?? '').replace(/^[\\/]/, ''));
  const names = fileInNamedFolder ? [...text.matchAll(/[A-Za-z_]\w*/g)].map(m => m[0]).filter(w => !/^(os|path|join|dirname|pathlib|Path|str|f)$/.test(w)) : [];
  return makesFolderNamed(ctx.text.slice(0, use.call.start), folderOf(use.path.tailValue), names);
}

/**
 * The edits that create the folder a renamed save writes into, put before the save's statement:
 * `os.makedirs(os.path.dirname(path) or ".", exist_ok=True)`, and `import os` when the program
 * has not imported it (placed once per notebook, before the first use, by the fixer). Keras 2
 * created the folders of a TensorFlow checkpoint prefix and of a SavedModel (and Keras 2 and 3
 * those of a legacy `.h5` model); Keras 3 writes a `.weights.h5` or `.keras` file only into a
 * folder that exists (FileNotFoundError otherwise, checked by running Keras 3.15 on TensorFlow,
 * JAX and PyTorch), so renaming the save's file alone breaks a save into a new folder.
 * `renamed`: the file name the save's tail gets. Empty when nothing is needed (a plain literal
 * whose new name has no folder, or the code creates folders itself) or cannot be done plainly
 * (a path with calls in it, which would run twice; a save that does not start its line; `os`
 * bound to something else).
 */
export function folderCreationEdits(use: PathUse, renamed: string, ctx: RuleContext): OffsetEdit[] {
  if (use.path.tailValue === null || (use.path.key.startsWith('s:') && !/[\\/]/.test(renamed))) {
    return [];
  }
  const parts = callParts(use.call, ctx);
  const arg = parts ? (use.kind === 'save-model' && parts.positional.length > 1 ? parts.positional[1] : (parts.positional[0] ?? parts.keywords.get('filepath')?.value)) : undefined;
  const imports = osImport(ctx);
  if (!arg || !rereadable(arg, ctx) || imports === null || makesFolderFor(use, arg, ctx)) {
    return [];
  }
  let statement: SyntaxNode | null = use.call;
  while (statement && statement.type !== 'expression_statement') {
    statement = statement.parent;
  }
  if (!statement) {
    return [];
  }
  const lineStart = lineStartAt(ctx.text, statement.start);
  const indent = ctx.text.slice(lineStart, statement.start);
  if (!/^[ \t]*$/.test(indent)) {
    return [];
  }
  const eol = lineBreakOf(ctx.text);
  return [{ start: statement.start, end: statement.start, text: makeFolderOf(ctx.textOf(arg)) + eol + indent }, ...imports];
}

/**
 * The edits that create the folder of a path assigned to a name at the top of the cell (see
 * topLevelPathAssignments), put after the assignment: a later cell saves through the name into
 * it, and the rename made at the value (`.weights.h5`, `.keras`) needs the folder Keras 2 created
 * at the save. Empty as for folderCreationEdits (the name is read, so calls in the value do not
 * run twice).
 */
export function folderCreationAfterAssignment(name: string, path: PathArg, renamed: string, ctx: RuleContext): OffsetEdit[] {
  if (path.valueEnd === undefined || makesFolderNamed(ctx.text, folderOf(path.tailValue), [name]) || (path.key.startsWith('s:') && !/[\\/]/.test(renamed))) {
    return [];
  }
  const imports = osImport(ctx);
  if (imports === null) {
    return [];
  }
  return [{ start: path.valueEnd, end: path.valueEnd, text: lineBreakOf(ctx.text) + (path.indent ?? '') + makeFolderOf(name) }, ...imports];
}

/** `ckpt/model`, `w.h5`, `w.hdf5`, `model.ckpt` -> `....weights.h5`. */
export function weightsName(path: string): string {
  return path.replace(/(\.weights)?(\.h5|\.hdf5|\.ckpt)?$/, '') + '.weights.h5';
}


/** `later:path:KIND:v:NAME`: a later cell saves or loads through the name, whose value it cannot see. */
export function laterThroughName(kind: PathUseKind, name: string): string {
  return 'later:' + pathFact(kind, 'v:' + name);
}

/**
 * Reports the rename of a path assigned to a name (from `topLevelPathAssignments`) at its value,
 * under `condition` (what later cells do through the name): made once, where the value is, it
 * keeps every save and load through the name consistent. A suggestion: every later use of the
 * name reads the new file name, and the notebook may use the name otherwise too. `more`: edits
 * made with the rename (the creation of the path's folder); `blocksOnlyIf`: the claim's per-backend
 * conditions (ctx.report's).
 */
export function reportPathVariableRename(
  path: PathArg,
  renamed: string,
  message: string,
  condition: string,
  ctx: RuleContext,
  more: readonly OffsetEdit[] = [],
  blocksOnlyIf?: Partial<Record<Backend, string>>
): void {
  const edit = renameTail(path, renamed, ctx);
  if (edit && path.tail) {
    ctx.report(path.tail, message, { title: `Name the file \`${renamed}\``, safe: false, edits: [edit, ...more] }, undefined, condition, undefined, blocksOnlyIf);
  }
}

/**
 * The `load_model(...)` call whose model a `NAME.fit(...)` / `NAME.train_on_batch(...)` trains
 * (`NAME` last assigned that call in the blocks around the training call) when no
 * `NAME.compile(` stands between the two, else null. Keras 3 restores a legacy `.h5` model's
 * training configuration only in part, so such a model trains only once compiled again.
 */
export function uncompiledLoadedModel(call: SyntaxNode, ctx: RuleContext, methods: readonly string[] = ['fit', 'train_on_batch']): SyntaxNode | null {
  const parts = callParts(call, ctx);
  const method = parts ? calleeName(parts.fn, ctx) : '';
  const receiver = parts && parts.fn.type === 'attribute' && methods.includes(method) ? child(parts.fn, 'object') : null;
  if (!receiver || receiver.type !== 'identifier') {
    return null;
  }
  const name = ctx.textOf(receiver);
  const value = lastAssignedValue(name, call, ctx);
  const loader = value && value.type === 'call' ? callParts(value, ctx) : null;
  if (!loader || !/^keras\.(models|saving)\.load_model$/.test(ctx.resolveKeras(loader.fn) ?? '')) {
    return null;
  }
  return compilesBetween(name, value!.end, call.start, ctx) ? null : value;
}

const COMPILE_OFFSETS = new CellMemoKey<Map<string, number[]>>('offsets of NAME.compile( in the cell');

/**
 * Whether `NAME.compile(` stands in the cell's text between two offsets. The offsets are found
 * once per name and cell: a cell that trains one model many times is not scanned once per call.
 */
export function compilesBetween(name: string, from: number, to: number, ctx: RuleContext): boolean {
  const memo = ctx.cellMemo(COMPILE_OFFSETS, () => new Map());
  let offsets = memo.get(name);
  if (!offsets) {
    offsets = nameOffsetsFollowedBy(name, ctx.text, /^\s*\.\s*compile\s*\(/);
    memo.set(name, offsets);
  }
  // The first offset at or after `from` (offsets ascend).
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < from) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low < offsets.length && offsets[low] < to;
}

/** The negation of `later:A | later:B` as a finding condition: `!later:A & !later:B`. */
export function noneOf(condition: string): string {
  return condition.split(' | ').map(part => '!' + part).join(' & ');
}

/**
 * The path of a `load_model` call when it reads a legacy `.h5` model file with its training
 * configuration (no `compile=False`): the path's key (as pathFact takes it) and its file name.
 */
export function legacyH5ModelLoad(loader: SyntaxNode, ctx: RuleContext): { key: string; file: string } | null {
  const use = pathUses(loader, ctx).find(u => u.call === loader && u.kind === 'load-model');
  const file = use?.path.tailValue ?? '';
  if (!use || !/\.(h5|hdf5)$/i.test(file) || /\.weights\.(h5|hdf5)$/i.test(file)) {
    return null;
  }
  const parts = callParts(loader, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  const compile = argumentsByName(parts, ['filepath', 'custom_objects', 'compile']).get('compile');
  return compile && ctx.textOf(compile) === 'False' ? null : { key: use.path.key, file };
}

/**
 * The finding condition that the program saves no model to the path of KEY itself (with `save`
 * or a model checkpoint, in any cell): a load of a file the program writes is a round trip, KM031's.
 */
export function savesNoModelTo(key: string): string {
  return `!anywhere:${pathFact('save-model', key)} & !anywhere:${pathFact('checkpoint-model', key)}`;
}

/** What reads a path as a TensorFlow SavedModel (a `.keras` file is none). */
export const SAVEDMODEL_READERS = /\b(saved_model\s*\.\s*load|TFSMLayer|from_saved_model|saved_model_cli)\b/;

/**
 * Whether the path (a literal, or a name) is also handed to a function of the cell whose body has a
 * SavedModel reader (TensorFlow's saved_model migration guide: `def load_tf2(path, x):
 * tf.saved_model.load(path)` called as `load_tf2('keras-model', x)`): renaming the save to a `.keras`
 * file would break that reader.
 */
export function readThroughCellFunction(pathNode: SyntaxNode, ctx: RuleContext): boolean {
  const root = rootOf(pathNode);
  const defs = topLevelDefinitions(root, ctx);
  const text = ctx.textOf(pathNode);
  for (const n of descendants(root)) {
    const fn = n.type === 'call' ? child(n, 'function') : null;
    const def = fn?.type === 'identifier' ? defs.get(ctx.textOf(fn)) : undefined;
    if (def && SAVEDMODEL_READERS.test(ctx.textOf(def)) && itemsOf(child(n, 'arguments')!).some(a => ctx.textOf(a.type === 'keyword_argument' ? child(a, 'value') ?? a : a) === text)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether the name holding a path is read by a SavedModel reader somewhere in the cell
 * (`tf.saved_model.load(keras_model_path)`): renaming its literal to a `.keras` file breaks that reader.
 */
export function nameReadAsSavedModel(name: string | undefined, ctx: RuleContext): boolean {
  return !!name && new RegExp(`${SAVEDMODEL_READERS.source}\\s*\\(\\s*(?:export_dir\\s*=\\s*)?${escapeRegExp(name)}\\s*[,)]`).test(ctx.text);
}

/**
 * Removals of the SavedModel-only arguments from the saves and loads a `.keras` rename moves:
 * `options=` (a `tf.saved_model.SaveOptions` / `LoadOptions`), and on a save `signatures=` and
 * `save_traces=`. Keras 3's `save()` rejects them ("The following argument(s) are not supported:
 * ['signatures']", checked on Keras 3.15; TensorFlow's distributed save-and-load tutorial and
 * saved_model migration guide) and `load_model()` has no `options` parameter. A `.keras` file has no
 * serving signatures: `model.export()` writes those.
 */
export function savedModelOptionsRemovals(members: readonly PathUse[], ctx: RuleContext, alsoRemoved: readonly SyntaxNode[] = []): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  for (const m of members) {
    const keywords = m.kind === 'save-model' || m.kind === 'load-model' ? callParts(m.call, ctx)?.keywords : undefined;
    const names = m.kind === 'save-model' ? ['options', 'signatures', 'save_traces'] : ['options'];
    const removed = names.map(name => keywords?.get(name)?.node).filter((n): n is SyntaxNode => !!n);
    // The caller's own removals in this call (`save_format=`) go with them: one span per run of neighbours.
    const also = alsoRemoved.filter(n => m.call.start <= n.start && n.end <= m.call.end);
    if (removed.length) {
      edits.push(...removeArguments([...removed, ...also], ctx));
    } else {
      edits.push(...also.map(n => removeArgument(n, ctx)));
    }
  }
  return edits;
}
