/** TF op calls and their rewrite to keras.ops: arguments mapped by meaning, safety decided per call. Not a rule. */
import { child, enclosingFunctionDefinition, itemsOf, SyntaxNode } from '../ast';
import { kerasOpNamed, tfOp, type CallRewrite, type OpMapping } from '../knowledge';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { CellMemoKey } from '../rule';
import { appendArgument, argumentsByName, callParts, CallParts, lastAssignedValue, removeArgument, tfApiName, withKerasImport } from './calls';
import { shapeVectorTuple, staticSequence } from './static-sequence';
import { constrainedVariableParameter, constraintTensorStatement, enclosingConstraintFunction } from './constraint-functions';
import { plainAssignedValues } from './name-bindings';
import { complexFftAround } from './complex-fft';
import { isKnownFloat } from './float-values';
import { gatherNdConversion } from './gather-nd';
import { closingBracket } from './code-text';
import { signalStftConversion } from './signal-stft';
import { VARIABLE_ATTRIBUTES } from './keras-values';
import { applyOffsetEdits } from '../text';
import { isNumpyValue } from './array-values';

const TF_DTYPE = /^tensorflow\.(float16|float32|float64|bfloat16|int8|int16|int32|int64|uint8|uint16|uint32|uint64|bool|complex64|complex128|string)$/;

/**
 * `tf.float32` inside an argument's `or`, conditional or parentheses (`dtype=dtype or tf.float32`
 * in a cell's get_initial_state): JAX and PyTorch cannot read a TF dtype object, so it becomes
 * the dtype string there too.
 */
function nestedTfDtypes(arg: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  const visit = (n: SyntaxNode): void => {
    const dtype = n.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(n) ?? '') : null;
    if (dtype) {
      edits.push({ start: n.start, end: n.end, text: `"${dtype[1]}"` });
    } else if (n.type === 'boolean_operator' || n.type === 'conditional_expression' || n.type === 'parenthesized_expression') {
      n.children.forEach(visit);
    }
  };
  if (arg.type !== 'attribute') {
    visit(arg);
  }
  return edits;
}

/** Keywords that mean the same in TF and keras.ops calls. */
const SAME_NAMED = new Set(['axis', 'keepdims', 'dtype']);

function isCallableTarget(target: string | null): target is string {
  // Classes are not call-compatible with TF functions, except initializers (called the same way, then on a shape).
  // A Python builtin (`tuple` with firstArgTemplate `{}.shape`: K.int_shape(x) -> tuple(x.shape)) too.
  if (target !== null && /^(tuple|list|len)$/.test(target)) {
    return true;
  }
  return target !== null && /^keras\.[\w.]+$/.test(target) && (!/\.[A-Z]\w*$/.test(target) || target.startsWith('keras.initializers.'));
}

/** Argument texts that can go into an expression without parentheses. */
export const ATOMIC = new Set(['identifier', 'attribute', 'call', 'subscript', 'integer', 'float', 'parenthesized_expression', 'string']);

/** A `callTemplate` placeholder: `{param}`, or `{param=default}` for an argument the call may leave out. */
const TEMPLATE_PLACEHOLDER = /\{(\w+)(?:=([^{}]*))?\}/g;

/**
 * `tf.math.squared_difference(a, b)` -> `keras.ops.square((a) - (b))`: a TF op that keras.ops
 * spells as an expression (`callTemplate`, with `{param}` for each TF argument). Every
 * placeholder must be passed and nothing else (TF's `name` aside), else no rewrite.
 */
function templateCall(parts: CallParts, mapping: CallRewrite, safe: boolean, ctx: RuleContext): CallConversion {
  const template = mapping.callTemplate!;
  const tfParams = mapping.tfParams!;
  const call = parts.fn.parent;
  if (parts.splat || !call || call.type !== 'call') {
    return { fix: null, unmapped: parts.splat ? '`*args`/`**kwargs`' : null };
  }
  const values = new Map<string, SyntaxNode>();
  for (let i = 0; i < parts.positional.length; i++) {
    if (i >= tfParams.length) {
      return { fix: null, unmapped: `argument ${i + 1}` };
    }
    values.set(tfParams[i], parts.positional[i]);
  }
  for (const [name, kw] of parts.keywords) {
    if (!tfParams.includes(name)) {
      return { fix: null, unmapped: `\`${name}=\`` };
    }
    values.set(name, kw.value);
  }
  let missing: string | null = null;
  const text = template.replace(TEMPLATE_PLACEHOLDER, (placeholder: string, name: string, fallback: string | undefined, at: number) => {
    const value = values.get(name);
    if (!value) {
      if (fallback !== undefined) {
        return fallback; // `{axis=None}`: TF's default, spelled for keras.ops
      }
      missing ??= name;
      return '';
    }
    const written = ctx.textOf(value);
    if ((mapping.tensorArgs?.includes(name) && !isTensorValued(value, ctx)) || (mapping.arrayArgs?.includes(name) && mayBeArray(value, ctx))) {
      return `keras.ops.convert_to_tensor(${written})`;
    }
    // A whole argument of a call in the template (`f({x})`, `f(a, {x})`) needs no parentheses.
    const wholeArgument = /[(,]\s*$/.test(template.slice(Math.max(0, at - 2), at)) && /^\s*[),]/.test(template.slice(at + placeholder.length));
    return ATOMIC.has(value.type) || (wholeArgument && value.type !== 'generator_expression') ? written : `(${written})`;
  });
  if (missing) {
    // The expression needs it (`num_classes=`, the one-hot depth of a confusion matrix): "no counterpart for a call without ...".
    return { fix: null, unmapped: `a call without \`${missing}=\`` };
  }
  // An argument the expression leaves out (`conjugate=True`, `data_format="NCHW"`) must be TF's
  // `name` or a value the catalog says Keras's default means (`valueMaps` to null).
  const placed = new Set([...template.matchAll(TEMPLATE_PLACEHOLDER)].map(m => m[1]));
  for (const [name, value] of values) {
    const written = ctx.textOf(value).replace(/^'(.*)'$/, '"$1"');
    if (!placed.has(name) && name !== 'name' && mapping.valueMaps?.[name]?.[written] !== null) {
      return { fix: null, unmapped: `\`${name}=${written.length > 20 ? '...' : written}\`` };
    }
  }
  // An expression of several calls (`keras.ops.sum(...) + keras.ops.sum(...)`) in an operator, or subscripted, keeps its grouping.
  const grouped = !singleCall(text) && call.parent && OPERAND_PARENTS.has(call.parent.type) ? `(${text})` : text;
  return { fix: { title: `Use \`${text}\``, safe, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text: grouped }]) }, unmapped: null };
}

/** Parents where an expression written for a call needs parentheses unless it is one call. */
const OPERAND_PARENTS = new Set(['binary_operator', 'unary_operator', 'comparison_operator', 'boolean_operator', 'not_operator', 'attribute', 'subscript', 'call', 'await']);

/** Whether `text` is one call (`keras.ops.swapaxes(a, -1, -2)`), its outer parentheses matching. */
function singleCall(text: string): boolean {
  const open = /^[\w.]+\(/.exec(text);
  return !!open && closingBracket(text, open[0].length - 1) === text.length - 1;
}

/** A rewrite of a call, or why none is offered (an argument the Keras function has no counterpart for). */
export interface CallConversion {
  fix: RawFix | null;
  /** The TF arguments that cannot be written for the Keras function (`output_type=`, `beta`), when that is why there is no fix. */
  unmapped: string | null;
}

/**
 * Builds the rewrite of a call to `target`, renaming keywords; `safe` only when the mapping is
 * safe and this particular call satisfies its conditions. With the signatures of both sides
 * (`tfParams`, `kerasParams`) every argument is placed by meaning: positional arguments whose
 * position differs become keywords, TF-only hints are dropped, boolean flags become wrappers,
 * and a call with an argument the Keras function cannot take gets no rewrite at all (it would
 * raise a TypeError).
 */
/** A call other than `list(...)`/`tuple(...)`, or a name last assigned one: a tensor, not a Python sequence. */
/**
 * Whether an argument may hold a NumPy array rather than a tensor: an attribute (`self.y`, an array
 * the object keeps), or a value the code shows is one (helpers/array-values.ts).
 */
function mayBeArray(node: SyntaxNode, ctx: RuleContext): boolean {
  return node.type === 'attribute' ? ctx.resolve(node) === null : isNumpyValue(node, ctx);
}

function isTensorValued(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (node.type === 'call') {
    const fn = child(node, 'function');
    // A NumPy call makes an array (`np.ones(...)`), which is no tensor to keras.ops on PyTorch.
    return !!fn && !/^(list|tuple|range|sorted|reversed)$/.test(ctx.textOf(fn)) && !/^numpy\./.test(ctx.resolve(fn) ?? '');
  }
  if (node.type === 'identifier' && depth < 4) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isTensorValued(value, ctx, depth + 1);
  }
  return false;
}

/**
 * The TF parameters that take one tensor, where TF packs a Python list of tensors into one
 * (`tf.math.softmax([s1, s2, s3], axis=0)` stacks the scores on a new first axis). keras.ops
 * functions read such an argument's `.shape` while tracing (`'list' object has no attribute
 * 'shape'` in a Functional model, on every backend), so the list is stacked first.
 */
const PACKED_OPERANDS = new Set(['x', 'input', 'input_tensor', 'features', 'tensor', 'logits', 'a', 'data', 'params']);

const NOT_A_TENSOR_ITEM = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none', 'list', 'tuple', 'dictionary', 'set', 'unary_operator', 'lambda']);

/**
 * Whether an argument is a Python list of tensors: a list comprehension, a list display of
 * non-literal items (`[a, b]`, not `[1, 2]` nor nested lists), or a name assigned only one of those
 * (or `[]` that the function then fills with `.append(...)`).
 */
export function isListOfTensors(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (node.type === 'list_comprehension') {
    // (Comprehensions carry no field names here: the body is the first child.)
    const body = node.children[0];
    return !!body && !NOT_A_TENSOR_ITEM.has(body.type);
  }
  if (node.type === 'list') {
    const items = itemsOf(node);
    return items.length > 0 && items.every(i => !NOT_A_TENSOR_ITEM.has(i.type));
  }
  if (node.type === 'identifier' && depth === 0) {
    const name = ctx.textOf(node);
    const values = plainAssignedValues(node, ctx);
    const scope = ctx.fn ? ctx.textOf(ctx.fn.node) : '';
    // `parts = []` then `parts.append(t)`: a statement the relevance filter may leave without a tree
    // (no Keras word in it), so read from the function's text.
    const filled = (): boolean => scope.includes(`${name}.append(`);
    if (values.length === 0) {
      const emptyList = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*\\[[ \\t]*\\][ \\t]*$`, 'm');
      return emptyList.test(scope) && (scope.match(new RegExp(`^[ \\t]*${name}[ \\t]*=(?!=)`, 'gm')) ?? []).length === 1 && filled();
    }
    if (values.length !== 1) {
      return false;
    }
    const [value] = values;
    if (value.type === 'list' && itemsOf(value).length === 0) {
      return filled();
    }
    return isListOfTensors(value, ctx, depth + 1);
  }
  return false;
}

/** `keras.ops.zeros_like(v)` -> `keras.ops.zeros`: the `_like` form fails on JAX when `v` is a Keras Variable. */
const LIKE_ON_VARIABLE: Record<string, string> = { 'keras.ops.zeros_like': 'keras.ops.zeros', 'keras.ops.ones_like': 'keras.ops.ones' };

const WEIGHT_LISTS = /(^|\.)(variables|weights|trainable_weights|non_trainable_weights|trainable_variables|non_trainable_variables)$/;

/**
 * Whether an expression surely holds a Keras (or TF) Variable: the target of a loop over a
 * layer's, metric's or model's variable list (`for v in self.variables`), or a `self` attribute
 * this class assigns from `add_weight(...)` or `Variable(...)`.
 */
function isVariableLike(node: SyntaxNode, ctx: RuleContext): boolean {
  return selfAttributeAssignedFrom(node, ctx, fn => /(^|\.)(add_weight|Variable)$/.test(ctx.textOf(fn)), true);
}

/**
 * Whether an expression is a `self` attribute this class assigns from `tf.Variable(...)`: a
 * TensorFlow ResourceVariable, which some keras.ops functions (`keras.ops.swapaxes`,
 * `keras.ops.moveaxis`) cannot take on the TensorFlow backend (`'ResourceVariable' object has no
 * attribute 'ndim'`; keras.ops.convert_to_tensor hands the variable back as it is).
 */
export function isTfVariableAttribute(node: SyntaxNode, ctx: RuleContext): boolean {
  return selfAttributeAssignedFrom(node, ctx, fn => ctx.resolve(fn) === 'tensorflow.Variable', false);
}

function selfAttributeAssignedFrom(node: SyntaxNode, ctx: RuleContext, isMaker: (fn: SyntaxNode) => boolean,
  loopTargets: boolean): boolean {
  const text = ctx.textOf(node);
  if (node.type === 'identifier') {
    if (!loopTargets) {
      return false;
    }
    for (let at: SyntaxNode | null = node.parent; at; at = at.parent) {
      if (at.type === 'for_statement') {
        const left = child(at, 'left');
        const right = child(at, 'right');
        if (left && right && ctx.textOf(left) === text && WEIGHT_LISTS.test(ctx.textOf(right).replace(/\s+/g, ''))) {
          return true;
        }
      }
      if (at.type === 'function_definition' || at.type === 'class_definition') {
        return false;
      }
    }
    return false;
  }
  if (node.type !== 'attribute' || !ctx.cls || ctx.textOf(child(node, 'object') ?? node) !== 'self') {
    return false;
  }
  const attr = ctx.textOf(child(node, 'attribute') ?? node);
  let found = false;
  const visit = (n: SyntaxNode): void => {
    if (found) {
      return;
    }
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      const fn = right?.type === 'call' ? child(right, 'function') : null;
      if (left && fn && ctx.textOf(left).replace(/\s+/g, '') === `self.${attr}` && isMaker(fn)) {
        found = true;
        return;
      }
    }
    n.children.forEach(visit);
  };
  visit(ctx.cls.node);
  return found;
}

/**
 * keras.ops functions whose JAX implementation hands its first argument to jax.numpy unconverted
 * (Keras 3.15 on JAX 0.10): given a Keras variable they fail with "Triggering __jax_array__()
 * during abstractification is no longer supported", even eagerly (measured; `keras.ops.mean`,
 * `var`, `sqrt`, `sum` and most others convert it first and take it).
 */
const UNCONVERTED_ON_JAX = new Set(['keras.ops.moments', 'keras.ops.where', 'keras.ops.top_k', 'keras.ops.image.resize', 'keras.ops.slice', 'keras.ops.unstack']);

/**
 * Whether an expression surely holds a Keras variable: isVariableLike's, a weight attribute a
 * built-in layer the class derives from makes (`self.kernel` in a `keras.layers.Conv2D`
 * subclass), or the kernel a convolution layer's call() hands its `convolution_op` (the
 * override's second parameter; a tensor there when the class's own call() passes one, which
 * `keras.ops.convert_to_tensor` hands back as it is).
 */
function isKerasVariable(node: SyntaxNode, ctx: RuleContext): boolean {
  if (isVariableLike(node, ctx)) {
    return true;
  }
  const bases = ctx.cls ? child(ctx.cls.node, 'superclasses') : null;
  const builtinLayer = !!bases && bases.children.some(b => /^keras\.layers\.(?!Layer$)[A-Z]\w*$/.test(ctx.resolveKeras(b) ?? ''));
  if (!builtinLayer) {
    return false;
  }
  if (node.type === 'attribute') {
    return ctx.textOf(child(node, 'object') ?? node) === 'self' && VARIABLE_ATTRIBUTES.has(ctx.textOf(child(node, 'attribute') ?? node));
  }
  const fn = ctx.fn;
  if (node.type !== 'identifier' || !fn || fn.name !== 'convolution_op' || !fn.classScope) {
    return false;
  }
  const params = (child(fn.node, 'parameters')?.children ?? []).filter(c => c.type === 'identifier' || c.type === 'default_parameter' || c.type === 'typed_parameter');
  const kernel = params[2];
  const name = kernel ? ctx.textOf(kernel.type === 'identifier' ? kernel : child(kernel, 'name') ?? kernel.children[0] ?? kernel) : null;
  return name === ctx.textOf(node) && !assignedAnywhere(name, fn.node, ctx);
}

/** `keras.ops.moments(self.kernel, ...)` -> `keras.ops.moments(keras.ops.convert_to_tensor(self.kernel), ...)` (see UNCONVERTED_ON_JAX). */
function variableArgumentConversion(parts: CallParts, target: string | null, conversion: CallConversion, tfFirst: string | undefined, ctx: RuleContext): CallConversion {
  const arg = parts.positional[0] ?? (tfFirst ? parts.keywords.get(tfFirst)?.value : undefined);
  const fix = conversion.fix;
  if (!fix || !target || !UNCONVERTED_ON_JAX.has(target) || !arg || !isKerasVariable(arg, ctx)) {
    return conversion;
  }
  if (fix.edits.some(e => e.start < arg.end && e.end > arg.start)) {
    return conversion;
  }
  const edits: OffsetEdit[] = [
    ...fix.edits,
    { start: arg.start, end: arg.start, text: 'keras.ops.convert_to_tensor(' },
    { start: arg.end, end: arg.end, text: ')' }
  ];
  return { ...conversion, fix: { ...fix, edits } };
}

function variableLikeConversion(parts: CallParts, target: string, mapping: CallRewrite, ctx: RuleContext): CallConversion | null {
  const replacement = LIKE_ON_VARIABLE[target];
  const arg = parts.positional[0] ?? parts.keywords.get('input')?.value;
  const onlyInput = parts.positional.length + parts.keywords.size === 1 && !parts.splat;
  if (!replacement || !arg || !onlyInput || !parts.args || !isVariableLike(arg, ctx)) {
    return null;
  }
  const v = ctx.textOf(arg);
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.args.end, text: `${replacement}(${v}.shape, dtype=${v}.dtype)` }];
  return { fix: { title: `Use \`${replacement}\``, safe: mapping.safe, edits: withKerasImport(ctx, edits) }, unmapped: null };
}

/** `list(self.strides)` / `tuple(self.strides)`: a builtin sequence of one attribute. */
function isSequenceOfAttribute(node: SyntaxNode, ctx: RuleContext): boolean {
  const fn = node.type === 'call' ? child(node, 'function') : null;
  const args = node.type === 'call' ? child(node, 'arguments') : null;
  const items = args ? itemsOf(args) : [];
  return !!fn && /^(list|tuple)$/.test(ctx.textOf(fn)) && items.length === 1 && items[0].type === 'attribute';
}

/** `tf.shape(x)` / `keras.ops.shape(x)` / `x.shape`: a shape, which keras.ops takes as it is. */
function isShapeCall(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'attribute') {
    return ctx.textOf(child(node, 'attribute') ?? node) === 'shape';
  }
  const fn = node.type === 'call' ? child(node, 'function') : null;
  const name = fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) : null;
  return name === 'tensorflow.shape' || name === 'keras.ops.shape';
}

/**
 * The value is surely a Python integer: an integer literal, or a name last assigned one in its
 * function, or a parameter of the function whose default is one and that nothing reassigns.
 */
function holdsInteger(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'integer') {
    return true;
  }
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  const assigned = lastAssignedValue(name, node, ctx);
  if (assigned) {
    return assigned.type === 'integer';
  }
  const p = enclosingFunctionDefinition(node);
  if (p) {
    const params = child(p, 'parameters');
    for (const param of params?.children ?? []) {
      if (param.type === 'default_parameter' && ctx.textOf(child(param, 'name') ?? param) === name) {
        const value = child(param, 'value');
        return !!value && value.type === 'integer' && !assignedAnywhere(name, p, ctx);
      }
    }
    return false;
  }
  return false;
}

/** Whether `name` is assigned anywhere in `scope` (a for target, an augmented assignment, a plain one). */
function assignedAnywhere(name: string, scope: SyntaxNode, ctx: RuleContext): boolean {
  const stack = [...scope.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
      const left = child(n, 'left');
      if (left && (ctx.textOf(left) === name || (left.type !== 'identifier' && left.children.some(c => c.type === 'identifier' && ctx.textOf(c) === name)))) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}

export function convertCall(parts: CallParts, target: string | null, mapping: CallRewrite, ctx: RuleContext): CallConversion {
  if (!isCallableTarget(target)) {
    return { fix: null, unmapped: null };
  }
  if (mapping.callTemplate && mapping.tfParams) {
    return templateCall(parts, mapping, mapping.safe, ctx);
  }
  const onVariable = variableLikeConversion(parts, target!, mapping, ctx);
  if (onVariable) {
    return onVariable;
  }
  if (!mapping.tfParams || !mapping.kerasParams) {
    return { fix: rewriteCall(parts, target, mapping, ctx), unmapped: null };
  }
  if (parts.splat) {
    return { fix: null, unmapped: '`*args`/`**kwargs`' };
  }
  const tfParams = mapping.tfParams;
  const kerasParams = mapping.kerasParams;
  const tfVarargs = tfParams.findIndex(p => p.startsWith('*') && !p.startsWith('**'));
  const kerasVarargs = kerasParams.findIndex(p => p.startsWith('*') && !p.startsWith('**'));
  const unmapped: string[] = [];
  let safe = mapping.safe || (mapping.safeWhenIndexed === true && (isIndexedByInteger(parts.fn.parent, ctx) || isLengthTaken(parts.fn.parent, ctx))) ||
    (mapping.safeWhenFloat === true && floatOperand(parts, mapping.tfParams, ctx));
  /** Per argument value: text written before and after it, or a replacement. */
  const around = new Map<SyntaxNode, { before: string; after: string; replace?: string }>();
  const wrap = (node: SyntaxNode, before: string, after: string): void => {
    const a = around.get(node) ?? { before: '', after: '' };
    a.before = a.before + before;
    a.after = after + a.after;
    around.set(node, a);
  };
  const removed: SyntaxNode[] = [];
  const renamed: OffsetEdit[] = [];
  /** The value passed for each TF parameter, and the Keras names the call ends up passing. */
  const byTfName = new Map<string, SyntaxNode>();
  const passed = new Set<string>();
  const wraps: Array<[string, SyntaxNode]> = [];
  /** The dtype string a `resultDtypeParams` argument names (the result is cast to it). */
  let resultDtype: string | null = null;
  const kerasNameOf = (tfName: string): string | 'drop' | 'wrap' | 'valueMap' | 'cast' | null => {
    if (tfName === 'name' || mapping.dropParams?.includes(tfName)) {
      return 'drop';
    }
    if (mapping.resultDtypeParams?.includes(tfName)) {
      return 'cast';
    }
    // A TF parameter Keras lacks whose default-equivalent values are left out (`direction="ASCENDING"`).
    if (mapping.valueMaps?.[tfName] && !kerasParams.includes(mapping.renames[tfName] ?? tfName)) {
      return 'valueMap';
    }
    if (mapping.booleanWraps?.[tfName]) {
      return 'wrap';
    }
    const renamedTo = mapping.renames[tfName];
    if (renamedTo !== undefined) {
      return kerasParams.includes(renamedTo) ? renamedTo : null;
    }
    return kerasParams.includes(tfName) && !tfName.startsWith('*') ? tfName : null;
  };
  // Positional arguments, in order: they stay positional while the Keras position matches.
  let keywordsFrom = false;
  let outPosition = 0;
  for (let i = 0; i < parts.positional.length; i++) {
    const node = parts.positional[i];
    if (tfVarargs >= 0 && i >= tfVarargs) {
      if (kerasVarargs !== tfVarargs || keywordsFrom || outPosition !== i) {
        unmapped.push(`argument ${i + 1}`);
      }
      outPosition++;
      continue;
    }
    const tfName = i < tfParams.length && !tfParams[i].startsWith('*') ? tfParams[i] : null;
    if (tfName === null) {
      unmapped.push(`argument ${i + 1}`);
      continue;
    }
    byTfName.set(tfName, node);
    const kerasName = kerasNameOf(tfName);
    if (kerasName === null) {
      unmapped.push(`\`${tfName}\` (argument ${i + 1})`);
    } else if (kerasName === 'drop') {
      removed.push(node);
    } else if (kerasName === 'valueMap') {
      continue;
    } else if (kerasName === 'cast') {
      resultDtype = dtypeString(node, ctx);
      if (resultDtype === null || i !== parts.positional.length - 1) {
        unmapped.push(`\`${tfName}\` (argument ${i + 1})`);
      }
      removed.push(node);
    } else if (kerasName === 'wrap') {
      wraps.push([tfName, node]);
      removed.push(node);
    } else {
      passed.add(kerasName);
      if (!keywordsFrom && kerasParams.indexOf(kerasName) === outPosition) {
        outPosition++;
      } else {
        keywordsFrom = true;
        wrap(node, `${kerasName}=`, '');
      }
    }
  }
  for (const [name, kw] of parts.keywords) {
    byTfName.set(name, kw.value);
    const kerasName = kerasNameOf(name);
    if (kerasName === null) {
      unmapped.push(`\`${name}=\``);
    } else if (kerasName === 'drop') {
      removed.push(kw.node);
    } else if (kerasName === 'valueMap') {
      continue;
    } else if (kerasName === 'cast') {
      resultDtype = dtypeString(kw.value, ctx);
      if (resultDtype === null) {
        unmapped.push(`\`${name}=${ctx.textOf(kw.value).length > 20 ? '...' : ctx.textOf(kw.value)}\``);
      }
      removed.push(kw.node);
    } else if (kerasName === 'wrap') {
      wraps.push([name, kw.value]);
      removed.push(kw.node);
    } else {
      passed.add(kerasName);
      if (kerasName !== name) {
        renamed.push({ start: kw.name.start, end: kw.name.end, text: kerasName });
      }
    }
  }
  // `transpose_b=True`: the flag goes, its operand is wrapped; only literal flags can be mapped.
  for (const [flag, value] of wraps) {
    const [operand, template] = mapping.booleanWraps![flag];
    const literal = ctx.textOf(value);
    const target = byTfName.get(operand);
    if (literal === 'False') {
      continue;
    }
    if (literal !== 'True' || !target) {
      unmapped.push(`\`${flag}=${literal.length > 20 ? '...' : literal}\``);
      continue;
    }
    const [before, after] = template.split('{}');
    // A tf.Variable attribute: keras.ops.swapaxes cannot take a ResourceVariable on TensorFlow
    // (`'ResourceVariable' object has no attribute 'ndim'`, keras.ops.convert_to_tensor hands the
    // variable back): the rewrite holds only once the variable is a keras.Variable, a suggestion.
    if (isTfVariableAttribute(target, ctx)) {
      safe = false;
    }
    wrap(target, before, after);
  }
  // `mode="CONSTANT"` -> `mode="constant"`: only the literal values the catalog knows are mapped.
  for (const [param, values] of Object.entries(mapping.valueMaps ?? {})) {
    const value = byTfName.get(param);
    if (!value) {
      continue;
    }
    const written = ctx.textOf(value).replace(/^'(.*)'$/, '"$1"');
    // Keys of sequences are written without spaces (`[1,1,1,1]`), matching any spacing.
    const mapped = written in values ? values[written] : values[written.replace(/\s+/g, '')];
    const literal = value.type === 'string' || value.type === 'integer' || value.type === 'float' || value.type === 'true' || value.type === 'false' || value.type === 'none' ||
      (value.type === 'attribute' && (ctx.resolve(value) ?? '').startsWith('tensorflow.'));
    if (mapped === undefined && !literal && mapping.valueMapsOpen?.includes(param)) {
      safe = false; // `method=interpolation`: passed on as it is
    } else if (mapped === undefined) {
      unmapped.push(`\`${param}=${written.length > 20 ? '...' : written}\``);
    } else if (mapped === null) {
      // Left out: a keyword, or the last positional argument (a later one would shift).
      const kw = [...parts.keywords.values()].find(k => k.value === value);
      if (kw) {
        removed.push(kw.node);
      } else if (parts.positional[parts.positional.length - 1] === value) {
        removed.push(value);
      } else {
        unmapped.push(`\`${param}=${written}\` (argument ${parts.positional.indexOf(value) + 1})`);
      }
    } else {
      const a = around.get(value) ?? { before: '', after: '' };
      a.replace = mapped;
      around.set(value, a);
    }
  }
  // `epsilon=1e-12` (a bound on the squared norm) -> `epsilon=1e-6` (a bound on the norm).
  for (const param of mapping.squareRootArgs ?? []) {
    const value = byTfName.get(param);
    if (!value) {
      continue;
    }
    const a = around.get(value) ?? { before: '', after: '' };
    const literal = value.type === 'float' || value.type === 'integer' ? Number(ctx.textOf(value).replace(/_/g, '')) : NaN;
    if (Number.isFinite(literal) && literal >= 0) {
      const root = Math.sqrt(literal);
      a.replace = root !== 0 && root < 1e-3 ? root.toExponential() : String(root);
    } else {
      a.before = '(' + a.before;
      a.after = a.after + ') ** 0.5';
    }
    around.set(value, a);
  }
  // `sizes=[1, 2, 2, 1]` -> `(2, 2)`: TF's four-entry window form (batch and channel entries of 1).
  for (const param of mapping.windowArgs ?? []) {
    const value = byTfName.get(param);
    if (!value) {
      continue;
    }
    if (value.type === 'list' || value.type === 'tuple') {
      const items = itemsOf(value);
      if (items.length === 4 && ctx.textOf(items[0]) === '1' && ctx.textOf(items[3]) === '1') {
        const a = around.get(value) ?? { before: '', after: '' };
        a.replace = `(${ctx.textOf(items[1])}, ${ctx.textOf(items[2])})`;
        around.set(value, a);
      } else if (items.length !== 2) {
        unmapped.push(`\`${param}=${ctx.textOf(value).length > 20 ? '...' : ctx.textOf(value)}\``);
      }
    } else if (value.type === 'attribute' || isSequenceOfAttribute(value, ctx)) {
      // `self.strides` (or `list(self.strides)`, keras.io's weight-standardized Conv2D) of a Conv2D
      // subclass is Keras's pair, though it may hold TF's four entries
      safe = false;
    } else if (value.type !== 'integer') {
      unmapped.push(`\`${param}=${ctx.textOf(value).length > 20 ? '...' : ctx.textOf(value)}\` (TF's four-entry form would raise in Keras)`);
    }
  }
  if (unmapped.length) {
    return { fix: null, unmapped: unmapped.join(', ') };
  }
  for (const [name, values] of Object.entries(mapping.unsafeValues ?? {})) {
    const value = byTfName.get(name);
    if (value && values.includes(ctx.textOf(value))) {
      safe = false;
    }
  }
  // `tf.math.softmax(scores, axis=0)` with `scores` a list of tensors: TF packs it, keras.ops needs
  // the tensor (`keras.ops.stack`, TF's packing).
  const operand = PACKED_OPERANDS.has(tfParams[0]) ? byTfName.get(tfParams[0]) : undefined;
  if (operand && isListOfTensors(operand, ctx)) {
    // A comprehension may be empty (`[reg(w) for w in weights if "kernel" in w.name]`): TF's sum of it
    // is 0.0, while keras.ops.stack of nothing fails on JAX and PyTorch (og47d repro_2).
    const mayBeEmpty = operand.type === 'list_comprehension' && target === 'keras.ops.sum';
    wrap(operand, 'keras.ops.stack(', mayBeEmpty ? ' or [0.0])' : ')');
  }
  // `tf.stack([lengths - 1, batch_range], axis=1)` with `batch_range` a Python list: TensorFlow
  // converted it beside the tensor; keras.ops.stack/concatenate on TensorFlow fails ("Invalid dtype:
  // list"), JAX and PyTorch take it (og47c repro_4): a suggestion where a list sits beside a non-list.
  const listed = target === 'keras.ops.stack' || target === 'keras.ops.concatenate' ? byTfName.get(tfParams[0]) : undefined;
  if (listed && (listed.type === 'list' || listed.type === 'tuple')) {
    const isList = (item: SyntaxNode): boolean => {
      if (item.type === 'list' || item.type === 'list_comprehension') {
        return true;
      }
      const values = item.type === 'identifier' ? plainAssignedValues(item, ctx) : [];
      return values.length > 0 && values.every(v => v.type === 'list' || v.type === 'list_comprehension');
    };
    const items = itemsOf(listed);
    if (items.some(isList) && !items.every(isList)) {
      safe = false;
      // Each list made a tensor of the first tensor's dtype, as TensorFlow converted it (og47c ColorBot).
      const first = items.find(i => !isList(i))!;
      const dtype = `keras.ops.dtype(${ctx.textOf(first)})`;
      items.filter(isList).forEach(i => wrap(i, 'keras.ops.convert_to_tensor(', `, dtype=${dtype})`));
    }
  }
  // A tensor where keras.ops wants a list (`keras.ops.tile(x, multiples)` with `multiples` from
  // tf.concat) fails on TensorFlow graphs and on JAX (checked by running): no rewrite at all.
  const tensorSequence = mapping.sequenceArgs?.find(name => {
    const v = byTfName.get(name);
    return v !== undefined && isTensorValued(v, ctx);
  });
  // Unless the tensor is a few scalars concatenated (`tf.concat([tf.expand_dims(batch, -1),
  // tf.constant([1, 1])], 0)`, keras.io's causal mask): then the tuple of those scalars.
  const sequenceEdits: OffsetEdit[] = [];
  if (tensorSequence) {
    const value = byTfName.get(tensorSequence)!;
    const literal = parts.fn.parent ? staticSequence(value, parts.fn.parent, ctx) : null;
    if (!literal) {
      return { fix: null, unmapped: `\`${tensorSequence}\` as a tensor (it takes a list or tuple; a tensor fails on TensorFlow graphs and JAX)` };
    }
    const a = around.get(value) ?? { before: '', after: '' };
    a.replace = literal.text;
    around.set(value, a);
    sequenceEdits.push(...literal.edits);
  } else if (mapping.sequenceArgs?.some(name => { const v = byTfName.get(name); return v !== undefined && v.type !== 'list' && v.type !== 'tuple'; })) {
    safe = false;
  }
  // `tf.fill(num_images, t)`: keras.ops.full needs the shape as a sequence, `(num_images,)`.
  for (const param of mapping.scalarShapeArgs ?? []) {
    const value = byTfName.get(param);
    if (!value || value.type === 'list' || value.type === 'tuple' || isShapeCall(value, ctx)) {
      continue;
    }
    if (holdsInteger(value, ctx)) {
      const a = around.get(value) ?? { before: '', after: '' };
      a.replace = `(${ctx.textOf(value)},)`;
      around.set(value, a);
    } else {
      safe = false;
    }
  }
  // `tf.repeat(x, repeats=[n])`: keras.ops.repeat takes an int or a tensor, never a list.
  for (const param of mapping.scalarOrTensorArgs ?? []) {
    const value = byTfName.get(param);
    if (!value || (value.type !== 'list' && value.type !== 'tuple')) {
      continue;
    }
    const a = around.get(value) ?? { before: '', after: '' };
    if (value.children.length === 1 && value.children[0].type !== 'list_splat') {
      a.replace = ctx.textOf(value.children[0]);
    } else {
      a.replace = `keras.ops.convert_to_tensor(${ctx.textOf(value)})`;
      safe = false;
    }
    around.set(value, a);
  }
  if (mapping.forbidKwargs?.some(k => byTfName.has(k))) {
    safe = false;
  }
  // An argument the call leaves out that `addKwargs` writes out (l2_normalize's axis=None) is kept.
  if (mapping.requireArgs?.some(([name]) => !byTfName.has(name) && mapping.addKwargs?.[name] === undefined)) {
    safe = false;
  }
  if (mapping.requireKwargs?.some(k => !byTfName.has(k))) {
    safe = false;
  }
  if (mapping.minPositional !== undefined && parts.positional.length < mapping.minPositional) {
    safe = false;
  }
  // `tf.float32` as an argument becomes the dtype string every backend understands.
  const nested: OffsetEdit[] = [];
  for (const arg of [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)]) {
    const dtype = arg.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(arg) ?? '') : null;
    if (dtype) {
      const a = around.get(arg) ?? { before: '', after: '' };
      a.replace = `"${dtype[1]}"`;
      around.set(arg, a);
    } else if (around.get(arg)?.replace === undefined) {
      nested.push(...nestedTfDtypes(arg, ctx));
    }
  }
  const call = parts.fn.parent;
  const cast = resultDtype !== null && call ? resultDtype : null;
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: cast ? `keras.ops.cast(${target}` : target! }, ...renamed, ...nested, ...sequenceEdits];
  if (cast) {
    // `tf.argmax(x, output_type=tf.int32)`: the Keras result cast to the dtype TF was asked for.
    edits.push({ start: call!.end, end: call!.end, text: `, ${cast})` });
  }
  for (const [node, a] of around) {
    if (a.replace !== undefined) {
      edits.push({ start: node.start, end: node.end, text: a.before + a.replace + a.after });
    } else {
      if (a.before) {
        edits.push({ start: node.start, end: node.start, text: a.before });
      }
      if (a.after) {
        edits.push({ start: node.end, end: node.end, text: a.after });
      }
    }
  }
  if (parts.args) {
    edits.push(...removeArguments(parts.args, removed));
    for (const [k, v] of Object.entries(mapping.addKwargs ?? {})) {
      if (!passed.has(k)) {
        edits.push(appendArgument(parts.args, `${k}=${v}`, ctx, removed));
      }
    }
  }
  return { fix: { title: cast ? `Use \`keras.ops.cast(${target}(...), ${cast})\`` : `Use \`${target}\``, safe, edits: withKerasImport(ctx, edits) }, unmapped: null };
}

/** A dtype argument as the string every backend reads (`tf.int32` -> `"int32"`, `"int64"` kept), or null. */
function dtypeString(node: SyntaxNode, ctx: RuleContext): string | null {
  const tf = node.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(node) ?? '') : null;
  if (tf) {
    return `"${tf[1]}"`;
  }
  const literal = /^["'](u?int(8|16|32|64)|float(16|32|64)|bfloat16|bool)["']$/.exec(ctx.textOf(node));
  return literal ? `"${literal[1]}"` : null;
}

/** What a TF call in model code is and how it converts: shared by the rules that report TF ops. */
export interface TfOpCall {
  /** `tf.x` as written canonically. */
  name: string;
  mapping: OpMapping | undefined;
  /** The keras function to use (the table's, else the keras.ops function of the same name), or null. */
  target: string | null;
  conversion: CallConversion;
  /** What to use instead when it is not simply `target` (a helper the fix defines). */
  advice?: string;
}

/** The TF op a call makes and its conversion (once per call node), or null for anything else. */
/**
 * A converted op given a constraint's variable itself (`tf.zeros_like(w)` in `kernel_constraint=`):
 * Keras passes the variable, and some keras.ops functions refuse one on JAX (`zeros_like`, `where`;
 * checked on Keras 3.15). The function first makes it a tensor, as Keras's own constraints do; a
 * lambda gets `keras.ops.convert_to_tensor(w)` at each such argument.
 */
function constraintVariableConversion(parts: CallParts, conversion: CallConversion, ctx: RuleContext): CallConversion {
  const fix = conversion.fix;
  const fn = fix ? enclosingConstraintFunction(parts.fn, ctx) : null;
  const variable = fn ? constrainedVariableParameter(fn, ctx) : null;
  if (!fix || !fn || !variable) {
    return conversion;
  }
  const direct = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)].filter(a => a.type === 'identifier' && ctx.textOf(a) === variable);
  if (!direct.length) {
    return conversion;
  }
  const statement = constraintTensorStatement(fn, ctx);
  // Inner insertions: the closing one listed before the fix's own edits, the opening one after, so that
  // a wrap the fix puts around the same argument stays outside.
  const edits = statement
    ? [...fix.edits, ...statement]
    : [
        ...direct.map(a => ({ start: a.end, end: a.end, text: ')' })),
        ...fix.edits,
        ...direct.map(a => ({ start: a.start, end: a.start, text: 'keras.ops.convert_to_tensor(' }))
      ];
  return { ...conversion, fix: { ...fix, edits } };
}

export const SHAPE_VECTOR_ADVICE =
  'build the shape as a tuple, `(*keras.ops.shape(x)[:-1], h, -1)` (`keras.ops.shape` returns a tuple: `keras.ops.concatenate` of it fails on TensorFlow, and PyTorch\'s reshape refuses a tensor shape)';

/**
 * `tf.concat([tf.shape(x)[:-1], [h, -1]], 0)` (or `K.concatenate`): the shape vector as a tuple.
 * A suggestion: a tuple is no tensor (`shape * 2` would repeat it).
 */
export function shapeVectorFix(call: SyntaxNode, tuple: string, ctx: RuleContext): RawFix {
  return { title: `Use the tuple \`${tuple.length > 60 ? '(*keras.ops.shape(x)[:-1], ...)' : tuple}\``, safe: false, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text: tuple }]) };
}


export function tfOpCall(node: SyntaxNode, ctx: RuleContext): TfOpCall | null {
  // Per walk: the answer depends on the bindings the cell is analysed under.
  const memo = ctx.cellMemo(TF_OP_CALLS, () => new Map<SyntaxNode, TfOpCall | null>());
  const known = memo.get(node);
  if (known !== undefined) {
    return known;
  }
  const parts = callParts(node, ctx);
  const canonical = parts ? ctx.resolve(parts.fn) : null;
  const name = tfApiName(canonical);
  let result: TfOpCall | null = null;
  let advice: string | undefined;
  if (parts && name && !name.startsWith('tf.data.')) {
    const mapping = tfOp(canonical!);
    let target = mapping?.keras ?? kerasOpNamed(name);
    let conversion: CallConversion = mapping ? convertCall(parts, target, mapping, ctx) : { fix: null, unmapped: null };
    const hint = name === 'tf.gather' && !conversion.fix ? gatherBatchDimsHint(parts, ctx) : null;
    const fft = complexFftAround(node, ctx);
    if (fft) {
      // One piece of a complex FFT of real data: KM198 rewrites the whole expression.
      conversion = { fix: null, unmapped: `a complex tensor (keras.ops FFTs take a (real, imaginary) pair: \`${fft.text}\` replaces the whole expression)` };
    } else if (hint) {
      const known = gatherBatchDimsRewrite(parts, ctx) ?? gatherPerRowRewrite(parts, ctx);
      conversion = known ? { fix: known, unmapped: null } : { fix: null, unmapped: hint };
    } else if (name === 'tf.gather' && !conversion.fix && gatherPerRowRewrite(parts, ctx)) {
      conversion = { fix: gatherPerRowRewrite(parts, ctx), unmapped: null };
    } else if ((name === 'tf.linalg.band_part' || name === 'tf.matrix_band_part') && !conversion.fix) {
      const band = bandPartRewrite(parts, ctx);
      target = 'keras.ops.tril';
      conversion = band
        ? { fix: band, unmapped: null }
        : { fix: null, unmapped: '`num_lower`/`num_upper` other than integer literals (`keras.ops.tril(x, k)` / `keras.ops.triu(x, k)` write a band with literal bounds)' };
    } else if (name === 'tf.signal.stft') {
      // keras.ops.stft centers frames and windows and returns a (real, imag) pair: a helper with TF's meaning.
      conversion = signalStftConversion(parts, ctx);
      advice = conversion.fix
        ? 'use `signal_stft`, a helper on keras.ops with TF\'s arguments and meaning that the fix defines (`keras.ops.stft` centers frames and windows, has no `pad_end` and returns a (real, imaginary) pair)'
        : undefined;
    } else if (name === 'tf.signal.inverse_stft') {
      // Measured: keras.ops.istft normalises by the window overlap (TF only with inverse_stft_window_fn), and on JAX also at the ends.
      conversion = {
        fix: null,
        unmapped:
          'a complex `stfts` nor TF\'s windowing (`keras.ops.istft((keras.ops.real(stfts), keras.ops.imag(stfts)), frame_length, frame_step, fft_length, center=False)` ' +
          'gives `tf.signal.inverse_stft(..., window_fn=tf.signal.inverse_stft_window_fn(frame_step))` when fft_length equals frame_length, ' +
          'except on JAX near both ends of the signal, where it also divides by the window overlap; TF\'s default window_fn, a plain Hann window, has no counterpart)'
      };
    } else if ((name === 'tf.sort' || name === 'tf.argsort') && mapping && !conversion.fix) {
      conversion = descendingSortConversion(name, parts, mapping, ctx) ?? conversion;
    } else if ((name === 'tf.math.cumsum' || name === 'tf.cumsum') && mapping && !conversion.fix) {
      conversion = cumulativeFlagsConversion('cumsum', parts, mapping, ctx) ?? conversion;
    } else if ((name === 'tf.math.cumprod' || name === 'tf.cumprod') && mapping && !conversion.fix) {
      conversion = cumulativeFlagsConversion('cumprod', parts, mapping, ctx) ?? conversion;
    } else if (name === 'tf.pad' && conversion.fix) {
      conversion = padModeConversion(parts, conversion, ctx);
    } else if (name === 'tf.gather_nd') {
      // keras.ops has no gather_nd (take_along_axis gathers along one axis): a helper on keras.ops.take.
      conversion = gatherNdConversion(parts, ctx);
      advice = conversion.fix
        ? 'use `gather_nd`, a helper on keras.ops with TF\'s meaning (batch_dims=0) that the fix defines (`keras.ops.take_along_axis` gathers along one axis, not by coordinate tuples)'
        : undefined;
    } else if (name === 'tf.split' && conversion.fix) {
      conversion = splitConversion(parts, conversion, ctx);
    } else if (name === 'tf.where' && parts.positional.length + parts.keywords.size === 1 && !parts.splat) {
      // tf.where(cond): the coordinates of the true entries; keras.ops.where(cond) returns them per axis.
      const cond = parts.positional[0] ?? parts.keywords.get('condition')?.value;
      const call = parts.fn.parent;
      if (cond && call) {
        const text = `keras.ops.stack(keras.ops.nonzero(${ctx.textOf(cond)}), axis=-1)`;
        conversion = { fix: { title: `Use \`${text}\``, safe: false, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }]) }, unmapped: null };
        advice =
          `use \`${text.length > 60 ? 'keras.ops.stack(keras.ops.nonzero(condition), axis=-1)' : text}\` (one row of coordinates per true entry, int32 where TF gives int64; ` +
          '`keras.ops.where(condition)` returns them per axis instead); its shape depends on the values, so JAX cannot trace it: keep it out of traced code';
      }
    } else if ((name === 'tf.eye' || name === 'tf.linalg.eye') && mapping && !conversion.fix) {
      conversion = eyeBatchRewrite(parts, mapping, ctx) ?? conversion;
    } else if (conversion.fix && mapping?.namedFields) {
      conversion = namedFieldConversion(node, parts, mapping, conversion, ctx);
    }
    const shapeTuple = name === 'tf.concat' ? shapeVectorTuple(node, ctx) : null;
    if (shapeTuple) {
      conversion = { fix: shapeVectorFix(node, shapeTuple, ctx), unmapped: null };
      advice = SHAPE_VECTOR_ADVICE;
    }
    if (name === 'tf.range') {
      const axes = reductionAxesConversion(node, parts, ctx);
      if (axes) {
        conversion = axes;
        advice = `as the axes of a reduction, use \`${axes.fix!.edits[0].text}\` (the rank is static in Keras 3; \`keras.ops\` takes the axes as a Python tuple, and a tensor \`axis\` fails on JAX and PyTorch)`;
      }
    }
    conversion = variableArgumentConversion(parts, target, conversion, mapping?.tfParams?.[0], ctx);
    conversion = constraintVariableConversion(parts, conversion, ctx);
    if (conversion.fix && readWithNumpy(node, ctx)) {
      // `tf.argmax(x, 1).numpy()`: a JAX array has no `.numpy()` (and a torch tensor that requires
      // grad refuses it), so the read becomes `keras.ops.convert_to_numpy(keras.ops.argmax(x, 1))`;
      // another use of `.numpy` is left to the hand.
      conversion = numpyReadConversion(node, conversion.fix, ctx) ?? { fix: null, unmapped: '`.numpy()` on its value (JAX arrays have none; use `keras.ops.convert_to_numpy()`)' };
    }
    if (conversion.fix && name === 'tf.shape' && shapeAttributeRead(node, ctx)) {
      // `tf.shape(x).shape[0]`, the rank (keras.io's CCT StochasticDepth): keras.ops.shape returns a
      // tuple, which has no `.shape`, so the read becomes `len(keras.ops.shape(x))`; another use of
      // the shape tensor's own shape is left to the hand.
      conversion = rankReadConversion(node, conversion.fix, ctx) ?? {
        fix: null,
        unmapped: '`.shape` read on its value (`keras.ops.shape` returns a tuple, which has none; the rank is `len(keras.ops.shape(x))`)'
      };
    }
    result = { name, mapping, target, conversion, ...(advice ? { advice } : {}) };
  }
  memo.set(node, result);
  return result;
}

/** TF reductions whose `axis` (`axes` for moments) keras.ops takes as a tuple of Python integers, by the argument's position. */
const TUPLE_AXIS_REDUCTIONS: Record<string, { position: number; keyword: string }> = Object.fromEntries([
  ...['reduce_sum', 'reduce_mean', 'reduce_max', 'reduce_min', 'reduce_prod', 'reduce_std', 'reduce_variance', 'reduce_any', 'reduce_all', 'reduce_logsumexp'].flatMap(op => [
    [`tf.${op}`, { position: 1, keyword: 'axis' }],
    [`tf.math.${op}`, { position: 1, keyword: 'axis' }]
  ]),
  ['tf.nn.moments', { position: 1, keyword: 'axes' }]
]);

/** The expression whose rank `node` reads, when it reads one: `tf.rank(x)`, `tf.size(tf.shape(x))`, `len(x.shape)`, `x.shape.rank`, `keras.ops.ndim(x)`, `len(keras.ops.shape(x))`. */
function rankOf(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (node.type === 'attribute') {
    // `x.shape.rank` / `x.shape.ndims`
    const shape = child(node, 'object');
    const field = ctx.textOf(child(node, 'attribute') ?? node);
    return (field === 'rank' || field === 'ndims') && shape?.type === 'attribute' && ctx.textOf(child(shape, 'attribute') ?? shape) === 'shape' ? child(shape, 'object') : null;
  }
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  if (!parts || parts.splat || parts.positional.length !== 1 || parts.keywords.size) {
    return null;
  }
  const arg = parts.positional[0];
  const name = parts.fn.type === 'identifier' && ctx.textOf(parts.fn) === 'len' && !ctx.lookup('len') ? 'len' : (ctx.resolve(parts.fn) ?? '');
  if (name === 'tensorflow.rank' || name === 'keras.ops.ndim' || name === 'keras.ops.numpy.ndim') {
    return arg;
  }
  if (name === 'len' && arg.type === 'attribute' && ctx.textOf(child(arg, 'attribute') ?? arg) === 'shape') {
    return child(arg, 'object');
  }
  const inner = (name === 'tensorflow.size' || name === 'len') && arg.type === 'call' ? callParts(arg, ctx) : null;
  const shapeOf = inner && !inner.splat && inner.positional.length === 1 && !inner.keywords.size ? (ctx.resolve(inner.fn) ?? '') : '';
  if ((name === 'tensorflow.size' && shapeOf === 'tensorflow.shape') || (name === 'len' && shapeOf === 'keras.ops.shape')) {
    return inner!.positional[0];
  }
  return null;
}

/**
 * `tf.range(1, tf.rank(x))` (or `tf.size(tf.shape(x))`, `len(x.shape)`) as the axes of a TF reduction
 * (`tf.reduce_mean(tf.square(x), axis=tf.range(1, tf.rank(x)), keepdims=True)`, keras.io StyleGAN's
 * pixel norm) -> `tuple(range(1, len(x.shape)))`: in Keras 3 every tensor a layer gets has a static rank,
 * so the axes are Python integers, which keras.ops takes on every backend (a tensor `axis` fails on JAX,
 * which needs static axes, and on PyTorch). Exact: the same axes. The limit may be the rank less or more
 * an integer (`len(x.shape) - 1`). Only for a start that is an integer and a tensor named by an
 * identifier or attribute; null otherwise.
 */
function reductionAxesConversion(call: SyntaxNode, parts: CallParts, ctx: RuleContext): CallConversion | null {
  let arg: SyntaxNode = call;
  let keyword: string | null = null;
  if (call.parent?.type === 'keyword_argument') {
    keyword = ctx.textOf(child(call.parent, 'name') ?? call.parent);
    arg = call.parent;
  }
  const outer = arg.parent?.type === 'argument_list' ? arg.parent.parent : null;
  const outerParts = outer?.type === 'call' ? callParts(outer, ctx) : null;
  const reduction = outerParts ? TUPLE_AXIS_REDUCTIONS[tfApiName(ctx.resolve(outerParts.fn)) ?? ''] : undefined;
  if (!outerParts || !reduction || (keyword === null ? outerParts.positional[reduction.position] !== call : keyword !== reduction.keyword)) {
    return null;
  }
  if (parts.splat || parts.keywords.size || parts.positional.length < 1 || parts.positional.length > 2 || ctx.lookup('tuple') || ctx.lookup('range') || ctx.lookup('len')) {
    return null;
  }
  const start = parts.positional.length === 2 ? parts.positional[0] : null;
  // The limit: the rank, or the rank less (or more) an integer (`len(x.shape) - 1`, all axes but the batch and channels).
  let limit = parts.positional[parts.positional.length - 1];
  let offset = '';
  const operands = limit.type === 'binary_operator' ? limit.children.filter(c => c.type !== 'comment') : [];
  const op = operands.length === 2 ? ctx.textOf(limit).slice(operands[0].end - limit.start, operands[1].start - limit.start).trim() : '';
  if ((op === '-' || op === '+') && operands[1].type === 'integer') {
    offset = ` ${op} ${ctx.textOf(operands[1])}`;
    limit = operands[0];
  }
  const tensor = rankOf(limit, ctx);
  if ((start && start.type !== 'integer') || !tensor || (tensor.type !== 'identifier' && tensor.type !== 'attribute')) {
    return null;
  }
  const text = `tuple(range(${start ? `${ctx.textOf(start)}, ` : ''}len(${ctx.textOf(tensor)}.shape)${offset}))`;
  return { fix: { title: `Use \`${text}\``, safe: true, edits: [{ start: call.start, end: call.end, text }] }, unmapped: null };
}

/**
 * `tf.math.top_k(x, k).values` -> `keras.ops.top_k(x, k)[0]`: keras.ops returns a plain tuple
 * where TF returns a namedtuple (JAX's has no `.values`). Exact for a field the catalog lists
 * as exact when every parameter keras.ops requires is passed and none it lacks.
 */
function namedFieldConversion(node: SyntaxNode, parts: CallParts, mapping: OpMapping, conversion: CallConversion, ctx: RuleContext): CallConversion {
  const fix = conversion.fix!;
  const attr = node.parent;
  const field = attr?.type === 'attribute' && child(attr, 'object') === node ? child(attr, 'attribute') : null;
  const name = field ? ctx.textOf(field) : null;
  const index = name !== null ? mapping.namedFields![name] : undefined;
  if (!attr || name === null || index === undefined) {
    // `result = tf.math.top_k(x, k)` read later as `result.values`: JAX's tuple has no field names.
    const assigned = attr?.type === 'assignment' && child(attr, 'right') === node ? child(attr, 'left') : null;
    const scope = assigned?.type === 'identifier' ? enclosingScope(attr!) : null;
    if (assigned && scope) {
      const fields = Object.keys(mapping.namedFields!).join('|');
      const read = new RegExp(`\\b${ctx.textOf(assigned)}\\.(${fields})\\b`).exec(ctx.textOf(scope));
      if (read) {
        return {
          fix: null,
          unmapped: `\`.${read[1]}\` read later on its result (keras.ops returns a plain tuple: index it, \`[${mapping.namedFields![read[1]]}]\`)`
        };
      }
    }
    return conversion;
  }
  const passedAt = (arg: string, position: number): boolean => parts.keywords.has(arg) || parts.positional.length > position;
  const exact =
    !!mapping.exactFields?.includes(name) &&
    !parts.splat &&
    (mapping.requireArgs ?? []).every(([arg, position]) => passedAt(arg, position) || mapping.addKwargs?.[arg] !== undefined) &&
    !(mapping.forbidKwargs ?? []).some(k => parts.keywords.has(k)) &&
    (mapping.maxPositional === undefined || parts.positional.length <= mapping.maxPositional);
  return {
    fix: { ...fix, safe: fix.safe || exact, edits: [...fix.edits, { start: node.end, end: attr.end, text: `[${index}]` }] },
    unmapped: conversion.unmapped
  };
}

/** The function (or module) a statement is in. */
function enclosingScope(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode = node;
  while (n.parent && n.type !== 'function_definition') {
    n = n.parent;
  }
  return n;
}

/**
 * `tf.X(...).numpy()` as `keras.ops.convert_to_numpy(keras.ops.X(...))`: the conversion's edits
 * applied to the call, the `.numpy()` read replaced (on TensorFlow the same NumPy array; JAX arrays
 * have no `.numpy()`, torch tensors that require grad refuse it, convert_to_numpy detaches them).
 * A suggestion. Null when `.numpy` is not called with no arguments.
 */
function numpyReadConversion(call: SyntaxNode, fix: RawFix, ctx: RuleContext): CallConversion | null {
  const attr = call.parent!;
  const read = attr.parent;
  const args = read?.type === 'call' && child(read, 'function') === attr ? child(read, 'arguments') : null;
  if (!read || !args || args.children.some(c => !['(', ')'].includes(c.type))) {
    return null;
  }
  const inner = fix.edits.filter(e => !e.addsImport);
  if (inner.some(e => e.start < call.start || e.end > call.end)) {
    return null;
  }
  const text = applyOffsetEdits(ctx.text.slice(call.start, call.end), inner.map(e => ({ ...e, start: e.start - call.start, end: e.end - call.start })));
  return {
    fix: { ...fix, safe: false, title: `${fix.title}, read with \`keras.ops.convert_to_numpy()\``, edits: [...fix.edits.filter(e => e.addsImport), { start: read.start, end: read.end, text: `keras.ops.convert_to_numpy(${text})` }] },
    unmapped: null
  };
}

/** `call.shape`: the attribute `.shape` is read on the call's value (`tf.shape(x).shape`). */
function shapeAttributeRead(call: SyntaxNode, ctx: RuleContext): boolean {
  const p = call.parent;
  const attribute = p && p.type === 'attribute' && child(p, 'object') === call ? child(p, 'attribute') : null;
  return !!attribute && ctx.textOf(attribute) === 'shape';
}

/**
 * `tf.shape(x).shape[0]` (or `[-1]`): the length of the 1-D shape tensor, the rank, as
 * `len(keras.ops.shape(x))` (the converted call, applied to the call's text); exact, as
 * `len(tf.shape(x))` is. Null for another read of `.shape`.
 */
function rankReadConversion(call: SyntaxNode, fix: RawFix, ctx: RuleContext): CallConversion | null {
  const attr = call.parent!;
  const sub = attr.parent;
  if (!sub || sub.type !== 'subscript' || child(sub, 'value') !== attr) {
    return null;
  }
  const index = sub.children.filter(c => c !== attr && c.type !== '[' && c.type !== ']' && c.type !== 'comment');
  if (index.length !== 1 || !/^-?\s*[01]$/.test(ctx.textOf(index[0])) || ctx.textOf(index[0]).replace(/\s/g, '') === '1') {
    return null;
  }
  const inner = fix.edits.filter(e => !e.addsImport);
  if (inner.some(e => e.start < call.start || e.end > call.end) || ctx.lookup('len')) {
    return null;
  }
  const text = applyOffsetEdits(ctx.text.slice(call.start, call.end), inner.map(e => ({ ...e, start: e.start - call.start, end: e.end - call.start })));
  return {
    fix: { ...fix, safe: true, title: `${fix.title}, its rank read with \`len()\``, edits: [...fix.edits.filter(e => e.addsImport), { start: sub.start, end: sub.end, text: `len(${text})` }] },
    unmapped: null
  };
}

/** `call.numpy()`: the call's value is read with TensorFlow's `.numpy()`. */
function readWithNumpy(call: SyntaxNode, ctx: RuleContext): boolean {
  const p = call.parent;
  const attribute = p && p.type === 'attribute' && child(p, 'object') === call ? child(p, 'attribute') : null;
  return !!attribute && ctx.textOf(attribute) === 'numpy';
}

const TF_OP_CALLS = new CellMemoKey<Map<SyntaxNode, TfOpCall | null>>('TF op calls');

/**
 * Why `tf.gather(params, indices, batch_dims=b)` (axis left out or equal to b) gets no rewrite,
 * with the keras.ops forms that give its values: which one depends on the rank of `indices`,
 * which the code does not show (a rank-1 label vector picked per row is as common as a 2-D
 * index table), so neither can be written unseen (test_ops_conversions.py runs both forms on
 * TensorFlow, JAX and PyTorch). Null for other calls (another axis, b not a literal positive integer).
 */
function gatherBatchDimsHint(parts: CallParts, ctx: RuleContext): string | null {
  if (parts.splat || parts.positional.length > 5) {
    return null;
  }
  const order = ['params', 'indices', 'validate_indices', 'axis', 'batch_dims', 'name'];
  const byName = argumentsByName(parts, order);
  const batchDims = byName.get('batch_dims');
  const axis = byName.get('axis');
  if (!batchDims || !/^[1-9]\d*$/.test(ctx.textOf(batchDims))) {
    return null;
  }
  const b = ctx.textOf(batchDims);
  if (axis && ctx.textOf(axis) !== b && ctx.textOf(axis) !== 'None') {
    return null;
  }
  return (
    `\`batch_dims=\` (when \`indices\` has ${Number(b) + 1} dimensions and \`params\` as many, \`keras.ops.take_along_axis(params, indices, axis=${b})\` gives the same values; ` +
    `with one index per row (\`indices\` of ${b} dimensions), \`keras.ops.squeeze(keras.ops.take_along_axis(params, keras.ops.expand_dims(indices, ${b}), axis=${b}), ${b})\`)`
  );
}

/** Calls whose result has the rank of their first argument. */
const SAME_RANK = /^(tf\.(cast|dtypes\.cast|identity|stop_gradient|convert_to_tensor)|keras\.ops\.(cast|convert_to_tensor|stop_gradient|numpy\.cast))$/;
const RESHAPE = /^(tf\.reshape|keras\.ops\.reshape|keras\.ops\.numpy\.reshape)$/;

/**
 * The rank an expression surely has, as the code shows it: a reshape to a written shape
 * (`tf.reshape(y, [-1])` is 1-D), through casts and the names last assigned such a value; else null.
 */
function knownRank(node: SyntaxNode, ctx: RuleContext, depth = 0): number | null {
  if (depth > 4) {
    return null;
  }
  if (node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return value ? knownRank(value, ctx, depth + 1) : null;
  }
  if (node.type !== 'call') {
    return null;
  }
  const parts = callParts(node, ctx);
  const fn = parts ? child(node, 'function') : null;
  const name = fn ? (ctx.resolveKeras(fn)?.startsWith('keras.') ? ctx.resolveKeras(fn) : tfApiName(ctx.resolve(fn))) : null;
  if (!parts || !name || parts.splat) {
    return null;
  }
  const first = parts.positional[0] ?? parts.keywords.get('x')?.value ?? parts.keywords.get('tensor')?.value ?? parts.keywords.get('value')?.value;
  if (SAME_RANK.test(name)) {
    return first ? knownRank(first, ctx, depth + 1) : null;
  }
  if (RESHAPE.test(name)) {
    const shape = parts.positional[1] ?? parts.keywords.get('shape')?.value ?? parts.keywords.get('newshape')?.value;
    return shape && (shape.type === 'list' || shape.type === 'tuple') ? itemsOf(shape).length : null;
  }
  return null;
}

/**
 * `tf.gather(params, indices, batch_dims=b)` (axis b) whose `indices` surely have b or b + 1
 * dimensions: the keras.ops form that gives its values when `params` has b + 1 dimensions
 * (a suggestion: the rank of `params` is not known here; a longer one makes take_along_axis fail).
 */
function gatherBatchDimsRewrite(parts: CallParts, ctx: RuleContext): RawFix | null {
  const call = parts.fn.parent;
  const order = ['params', 'indices', 'validate_indices', 'axis', 'batch_dims', 'name'];
  const byName = argumentsByName(parts, order);
  const params = byName.get('params');
  const indices = byName.get('indices');
  const b = Number(ctx.textOf(byName.get('batch_dims')!));
  if (!call || !params || !indices || byName.has('validate_indices')) {
    return null;
  }
  const rank = knownRank(indices, ctx);
  const p = ATOMIC.has(params.type) ? ctx.textOf(params) : `(${ctx.textOf(params)})`;
  const i = ctx.textOf(indices);
  let text: string;
  if (rank === b) {
    text = `keras.ops.squeeze(keras.ops.take_along_axis(${p}, keras.ops.expand_dims(${i}, ${b}), axis=${b}), axis=${b})`;
  } else if (rank === b + 1) {
    text = `keras.ops.take_along_axis(${p}, ${i}, axis=${b})`;
  } else {
    return null;
  }
  return { title: `Use \`${text}\` (for \`${ctx.textOf(params)}\` of ${b + 1} dimensions)`, safe: false, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }]) };
}

/**
 * `tf.gather(params, indices, axis=a, batch_dims=1)` (a left out, None or a literal other than
 * 0) whatever the ranks: row by row, the gather of row i of `params` at row i of `indices` along
 * axis a - 1 (a negative axis counts from the end in both), which is what batch_dims=1 means.
 * `keras.ops.vectorized_map` maps it over the batch on every backend (tf.vectorized_map,
 * jax.vmap, torch.vmap). A suggestion: the same values (test_ops_conversions.py checks them on
 * the three backends), but a mapped function rather than one gather.
 */
function gatherPerRowRewrite(parts: CallParts, ctx: RuleContext): RawFix | null {
  const call = parts.fn.parent;
  if (!call || parts.splat || parts.positional.length > 5) {
    return null;
  }
  const order = ['params', 'indices', 'validate_indices', 'axis', 'batch_dims', 'name'];
  const byName = argumentsByName(parts, order);
  const params = byName.get('params');
  const indices = byName.get('indices');
  const batchDims = byName.get('batch_dims');
  const axis = byName.get('axis');
  const validate = byName.get('validate_indices');
  if (!params || !indices || !batchDims || ctx.textOf(batchDims) !== '1' || (validate && ctx.textOf(validate) !== 'None')) {
    return null;
  }
  const axisText = axis ? ctx.textOf(axis).replace(/\s+/g, '') : 'None';
  const a = axisText === 'None' ? 1 : /^-?\d+$/.test(axisText) ? Number(axisText) : null;
  if (a === null || a === 0) {
    return null;
  }
  const inner = a > 0 ? a - 1 : a;
  const text = `keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=${inner}), (${ctx.textOf(params)}, ${ctx.textOf(indices)}))`;
  return {
    title: `Use \`${text}\` (batch_dims=1: each row of \`${ctx.textOf(params)}\` gathered at its row of \`${ctx.textOf(indices)}\`)`,
    safe: false,
    edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }])
  };
}

/**
 * `tf.linalg.band_part(x, num_lower, num_upper)` with integer literal bounds, as keras.ops.tril /
 * triu (the TF tutorials' look-ahead mask `band_part(ones, -1, 0)` is `tril(ones)`): band_part
 * keeps (i, j) with i - j <= num_lower and j - i <= num_upper, a negative bound keeping that
 * whole triangle; tril(x, k) keeps j - i <= k, triu(x, k) keeps j - i >= k. Exact.
 */
function bandPartRewrite(parts: CallParts, ctx: RuleContext): RawFix | null {
  const call = parts.fn.parent;
  const order = ['input', 'num_lower', 'num_upper', 'name'];
  const byName = argumentsByName(parts, order);
  const input = byName.get('input');
  const bound = (name: string): number | null => {
    const node = byName.get(name);
    const text = node ? ctx.textOf(node).replace(/\s+/g, '') : '';
    return /^-?\d+$/.test(text) ? Number(text) : null;
  };
  const lower = bound('num_lower');
  const upper = bound('num_upper');
  // Both bounds negative keep the whole tensor: no band to write (left to the hand).
  if (!call || parts.splat || !input || lower === null || upper === null || (lower < 0 && upper < 0) || [...byName.keys()].some(k => !order.includes(k))) {
    return null;
  }
  // The input's text stays in place (a TF op inside it, `tf.ones(...)`, is fixed by its own edit).
  let before = '';
  let after = '';
  if (upper >= 0) {
    before = 'keras.ops.tril(' + before;
    after += `${upper === 0 ? '' : `, ${upper}`})`;
  }
  if (lower >= 0) {
    before = 'keras.ops.triu(' + before;
    after += `${lower === 0 ? '' : `, ${-lower}`})`;
  }
  const text = `${before}${ctx.textOf(input)}${after}`;
  return {
    title: `Use \`${text.length > 60 ? 'keras.ops.tril/triu' : text}\``,
    safe: true,
    edits: withKerasImport(
      ctx,
      parts.positional[0] === input
        ? [
            // `keras.ops.tril` for `tf.linalg.band_part`, its `(` kept: no edit touches the input's own.
            { start: parts.fn.start, end: parts.fn.end, text: before.slice(0, -1) },
            { start: input.end, end: call.end, text: after }
          ]
        : [{ start: call.start, end: call.end, text }]
    )
  };
}

/**
 * `tf.eye(n, batch_shape=[b, 1])` -> `keras.ops.broadcast_to(keras.ops.eye(n), (b, 1, n, n))`:
 * keras.ops.eye has no batch_shape, but TF's batch of identities is the one identity broadcast to
 * `batch_shape + [num_rows, num_columns]` (keras.io SimCLR's RandomColorAffine). `batch_shape` as a
 * list or tuple is written out (exact, as far as the row's dtype default allows); any other value
 * as `(*batch_shape, n, m)`, a suggestion (a tensor cannot be unpacked in a traced function).
 * Null when the call passes something else (`*args`, a dtype that is not a literal dtype).
 */
function eyeBatchRewrite(parts: CallParts, mapping: CallRewrite, ctx: RuleContext): CallConversion | null {
  const call = parts.fn.parent;
  const order = ['num_rows', 'num_columns', 'batch_shape', 'dtype', 'name'];
  if (!call || parts.splat || parts.positional.length > order.length) {
    return null;
  }
  const byName = argumentsByName(parts, order);
  const rows = byName.get('num_rows');
  const columns = byName.get('num_columns');
  const batch = byName.get('batch_shape');
  const dtype = byName.get('dtype');
  if (!rows || !batch || ctx.textOf(batch) === 'None' || [...byName.keys()].some(k => !order.includes(k))) {
    return null;
  }
  const dtypeText = dtype ? dtypeString(dtype, ctx) : null;
  if (dtype && dtypeText === null) {
    return { fix: null, unmapped: `\`dtype=${ctx.textOf(dtype).length > 20 ? '...' : ctx.textOf(dtype)}\` with \`batch_shape=\`` };
  }
  const n = ctx.textOf(rows);
  const m = columns && ctx.textOf(columns) !== 'None' ? ctx.textOf(columns) : null;
  const eye = `keras.ops.eye(${n}${m ? `, ${m}` : ''}${dtypeText ? `, dtype=${dtypeText}` : ''})`;
  const literal = batch.type === 'list' || batch.type === 'tuple';
  const lead = literal ? itemsOf(batch).map(i => ctx.textOf(i)) : [`*${ctx.textOf(batch)}`];
  const text = `keras.ops.broadcast_to(${eye}, (${[...lead, n, m ?? n].join(', ')}))`;
  return {
    fix: {
      title: `Use \`${text.length > 70 ? 'keras.ops.broadcast_to(keras.ops.eye(...), batch_shape + (rows, columns))' : text}\``,
      safe: mapping.safe && literal,
      edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }])
    },
    unmapped: null
  };
}

/**
 * `tf.split(x, [2, 1], axis=1)`: TF's list gives the sizes of the pieces, keras.ops.split's the
 * indices where they start (numpy's meaning), so a list is rewritten as its running sums without
 * the last (`[2]`; integer literals are added up, exact; other entries written as sums, a
 * suggestion). A number of equal pieces means the same on both sides: exact for an integer (a
 * literal, or a name surely holding one). A name last assigned a list is refused (its sizes would
 * be read as indices); any other value stays a suggestion.
 */
function splitConversion(parts: CallParts, conversion: CallConversion, ctx: RuleContext): CallConversion {
  const fix = conversion.fix!;
  const sizes = argumentsByName(parts, ['value', 'num_or_size_splits', 'axis', 'num', 'name']).get('num_or_size_splits');
  if (!sizes) {
    return conversion;
  }
  if (holdsInteger(sizes, ctx)) {
    return { fix: { ...fix, safe: true }, unmapped: null };
  }
  if (sizes.type === 'list' || sizes.type === 'tuple') {
    const items = itemsOf(sizes);
    if (items.some(i => i.type === 'list_splat') || items.slice(0, -1).some(i => /^-\s*1$/.test(ctx.textOf(i)))) {
      return { fix: null, unmapped: '`num_or_size_splits` with an inferred size (-1) before the last (keras.ops.split takes the indices where pieces start)' };
    }
    const literal = items.every(i => i.type === 'integer');
    const starts: string[] = [];
    let sum = 0;
    let terms: string[] = [];
    for (const item of items.slice(0, -1)) {
      sum += literal ? Number(ctx.textOf(item).replace(/_/g, '')) : 0;
      terms = [...terms, ATOMIC.has(item.type) ? ctx.textOf(item) : `(${ctx.textOf(item)})`];
      starts.push(literal ? String(sum) : terms.join(' + '));
    }
    return {
      fix: { ...fix, safe: fix.safe || literal, edits: [...fix.edits, { start: sizes.start, end: sizes.end, text: `[${starts.join(', ')}]` }] },
      unmapped: null
    };
  }
  if (sizes.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(sizes), sizes, ctx);
    if (value && (value.type === 'list' || value.type === 'tuple')) {
      return { fix: null, unmapped: `\`num_or_size_splits\` as a list of sizes in \`${ctx.textOf(sizes)}\` (keras.ops.split takes the indices where pieces start: the running sums without the last)` };
    }
  }
  return conversion;
}

/**
 * `tf.pad(x, paddings, mode="REFLECT" | "SYMMETRIC")` where keras.ops.pad (Keras 3.15) does not do
 * what TF does on PyTorch, measured: torch pads at most the last rank - 1 axes in these modes, so a
 * tensor of 3 or more dimensions whose first axis is padded raises there ("Padding size 6 is not
 * supported"); and "symmetric" is torch's "replicate", which repeats the edge value: the same only
 * for pads of at most 1. Such calls get no rewrite; a `paddings` that is not written out leaves
 * the rewrite a suggestion.
 */
function padModeConversion(parts: CallParts, conversion: CallConversion, ctx: RuleContext): CallConversion {
  const byName = argumentsByName(parts, ['tensor', 'paddings', 'mode', 'constant_values', 'name']);
  const mode = byName.get('mode');
  const modeText = mode ? ctx.textOf(mode).replace(/['"]/g, '').toUpperCase() : 'CONSTANT';
  if (modeText !== 'REFLECT' && modeText !== 'SYMMETRIC') {
    return conversion;
  }
  const paddings = byName.get('paddings');
  const rows = paddings && (paddings.type === 'list' || paddings.type === 'tuple') ? itemsOf(paddings) : null;
  const pairs = rows?.map(r => (r.type === 'list' || r.type === 'tuple' ? itemsOf(r).map(v => ctx.textOf(v).replace(/\s+/g, '')) : null));
  if (!rows || !pairs || pairs.some(p => p === null || p.length !== 2)) {
    return { fix: { ...conversion.fix!, safe: false }, unmapped: null };
  }
  if (rows.length >= 3 && pairs[0]!.some(v => v !== '0')) {
    return {
      fix: null,
      unmapped: `\`mode="${modeText}"\` with the first of ${rows.length} axes padded (keras.ops.pad raises on PyTorch there: torch pads at most the last rank - 1 axes in this mode)`
    };
  }
  if (modeText === 'SYMMETRIC' && pairs.some(p => p!.some(v => !/^[01]$/.test(v)))) {
    return {
      fix: null,
      unmapped: '`mode="SYMMETRIC"` with pads wider than 1 (keras.ops.pad(mode="symmetric") repeats the edge value on PyTorch, where Keras 3.15 uses torch\'s "replicate")'
    };
  }
  return conversion;
}

/** `x` indexed with `sl` along a literal axis: `[:, 1:]` for axis 1, `[..., :-1]` for axis -1. */
function alongAxis(x: string, axis: number, sl: string): string {
  return axis >= 0 ? `${x}[${':, '.repeat(axis)}${sl}]` : `${x}[..., ${':, '.repeat(-axis - 1)}${sl}]`;
}

/** An integer literal argument (`-1`, `2`), the default when left out, or null for anything else. */
function literalInt(node: SyntaxNode | undefined, fallback: number, ctx: RuleContext): number | null {
  if (!node) {
    return fallback;
  }
  const text = ctx.textOf(node).replace(/\s+/g, '');
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

/**
 * `tf.sort(x, direction="DESCENDING")` -> `keras.ops.flip(keras.ops.sort(x, axis=a), axis=a)`
 * (the same values; exact as the row is), `tf.argsort(x, direction="DESCENDING")` ->
 * `keras.ops.argsort(-x, axis=a)` (a suggestion: ties and unsigned integers may order otherwise).
 * Needs a literal axis; null for other calls.
 */
function descendingSortConversion(name: string, parts: CallParts, mapping: CallRewrite, ctx: RuleContext): CallConversion | null {
  const call = parts.fn.parent;
  const order = name === 'tf.sort' ? ['values', 'axis', 'direction', 'name'] : ['values', 'axis', 'direction', 'stable', 'name'];
  if (!call || parts.splat || parts.positional.length > order.length) {
    return null;
  }
  const byName = argumentsByName(parts, order);
  const values = byName.get('values');
  const direction = byName.get('direction');
  const axis = literalInt(byName.get('axis'), -1, ctx);
  if (!values || !direction || axis === null || ctx.textOf(direction).replace(/['"]/g, '') !== 'DESCENDING' || [...byName.keys()].some(k => !order.includes(k))) {
    return null;
  }
  const x = ctx.textOf(values);
  const text =
    name === 'tf.sort'
      ? `keras.ops.flip(keras.ops.sort(${x}, axis=${axis}), axis=${axis})`
      : `keras.ops.argsort(-${ATOMIC.has(values.type) ? x : `(${x})`}, axis=${axis})`;
  return {
    fix: { title: `Use \`${text}\``, safe: mapping.safe && name === 'tf.sort', edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }]) },
    unmapped: null
  };
}

/**
 * `tf.math.cumsum(x, axis, exclusive=True, reverse=True)` (and `tf.math.cumprod`, keras.io NeRF's
 * exclusive transmittance product) on keras.ops with a literal axis: reverse is the cumulative op
 * of the flipped tensor flipped back; exclusive is the identity (zero for a sum, one for a
 * product) followed by the cumulative op of all but the last entry (not `cumsum(x) - x`, which
 * loses small entries after large ones, nor `cumprod(x) / x`, which divides by zero). The same
 * operations in the same order as TF; a suggestion as the plain row is.
 */
function cumulativeFlagsConversion(op: 'cumsum' | 'cumprod', parts: CallParts, mapping: CallRewrite, ctx: RuleContext): CallConversion | null {
  const call = parts.fn.parent;
  const order = ['x', 'axis', 'exclusive', 'reverse', 'name'];
  if (!call || parts.splat || parts.positional.length > order.length) {
    return null;
  }
  const byName = argumentsByName(parts, order);
  const input = byName.get('x');
  const axis = literalInt(byName.get('axis'), 0, ctx);
  const flag = (n: string): boolean | null => {
    const v = byName.get(n);
    return !v || ctx.textOf(v) === 'False' ? false : ctx.textOf(v) === 'True' ? true : null;
  };
  const exclusive = flag('exclusive');
  const reverse = flag('reverse');
  if (!input || axis === null || exclusive === null || reverse === null || [...byName.keys()].some(k => !order.includes(k))) {
    return null;
  }
  const flip = (t: string): string => `keras.ops.flip(${t}, axis=${axis})`;
  let x = ATOMIC.has(input.type) ? ctx.textOf(input) : `(${ctx.textOf(input)})`;
  if (reverse) {
    x = flip(x);
  }
  const identity = op === 'cumsum' ? 'keras.ops.zeros_like' : 'keras.ops.ones_like';
  let text = exclusive
    ? `keras.ops.concatenate([${identity}(${alongAxis(x, axis, ':1')}), keras.ops.${op}(${alongAxis(x, axis, ':-1')}, axis=${axis})], axis=${axis})`
    : `keras.ops.${op}(${x}, axis=${axis})`;
  if (reverse) {
    text = flip(text);
  }
  return {
    fix: { title: `Use \`${text.length > 70 ? `keras.ops.${op} (exclusive/reverse written out)` : text}\``, safe: mapping.safe, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }]) },
    unmapped: null
  };
}

/** Whether one of the first two operands (by position or by their TF keyword) is known to be floating. */
function floatOperand(parts: CallParts, tfParams: string[], ctx: RuleContext): boolean {
  return tfParams.slice(0, 2).some((name, i) => isKnownFloat(parts.positional[i] ?? parts.keywords.get(name)?.value, ctx));
}

/** Whether a call's result is subscripted with an integer literal: `tf.shape(x)[0]`, `[-1]`. */
function isIndexedByInteger(call: SyntaxNode | null, ctx: RuleContext): boolean {
  const sub = call?.parent;
  if (!call || !sub || sub.type !== 'subscript' || child(sub, 'value') !== call) {
    return false;
  }
  const index = sub.children.filter(c => c !== call && c.type !== '[' && c.type !== ']' && c.type !== 'comment');
  return index.length === 1 && /^-?\s*\d+$/.test(ctx.textOf(index[0]));
}

/**
 * Whether a call's result is the only argument of the builtin `len()`: `len(tf.shape(x))`, the
 * rank, which `len(keras.ops.shape(x))` gives as well (and, unlike `len()` of a symbolic tensor,
 * also where Keras 3 traces the layer without autograph on TensorFlow).
 */
function isLengthTaken(call: SyntaxNode | null, ctx: RuleContext): boolean {
  const args = call?.parent;
  const outer = args?.parent;
  const fn = outer?.type === 'call' ? child(outer, 'function') : null;
  return !!call && !!args && args.type === 'argument_list' && itemsOf(args).length === 1 && !!fn && fn.type === 'identifier' && ctx.textOf(fn) === 'len' && !ctx.lookup('len');
}

/** Edits that remove the given arguments of a call, each run of neighbours with its commas. */
function removeArguments(args: SyntaxNode, removed: SyntaxNode[]): OffsetEdit[] {
  if (removed.length === 0) {
    return [];
  }
  const gone = new Set(removed);
  const items = itemsOf(args);
  const edits: OffsetEdit[] = [];
  for (let i = 0; i < items.length; ) {
    if (!gone.has(items[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < items.length && gone.has(items[j + 1])) {
      j++;
    }
    if (j + 1 < items.length) {
      edits.push({ start: items[i].start, end: items[j + 1].start, text: '' });
    } else if (i > 0) {
      edits.push({ start: items[i - 1].end, end: items[j].end, text: '' });
    } else {
      edits.push({ start: items[i].start, end: items[j].end, text: '' });
    }
    i = j + 1;
  }
  return edits;
}

/**
 * Builds the rewrite of a call to `target`, renaming keywords; `safe` only when the mapping is
 * safe and this particular call satisfies its conditions.
 */
export function rewriteCall(
  parts: CallParts,
  target: string | null,
  mapping: CallRewrite,
  ctx: RuleContext
): RawFix | null {
  if (!isCallableTarget(target)) {
    return null;
  }
  let safe = mapping.safe && !parts.splat;
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: target }];
  for (const [name, kw] of parts.keywords) {
    if (name === 'name') {
      edits.push(removeArgument(kw.node, ctx)); // graph op names mean nothing to Keras
    } else if (mapping.renames[name] !== undefined) {
      if (mapping.renames[name] !== name) {
        edits.push({ start: kw.name.start, end: kw.name.end, text: mapping.renames[name] });
      }
    } else if (!SAME_NAMED.has(name)) {
      safe = false;
    }
  }
  if (mapping.forbidKwargs?.some(k => parts.keywords.has(k))) {
    safe = false;
  }
  if (mapping.requireKwargs?.some(k => !parts.keywords.has(k))) {
    safe = false;
  }
  if (mapping.maxPositional !== undefined && parts.positional.length > mapping.maxPositional) {
    safe = false;
  }
  if (mapping.minPositional !== undefined && parts.positional.length < mapping.minPositional) {
    safe = false;
  }
  // An argument the call leaves out that `addKwargs` writes out (K.concatenate's axis=-1) is kept.
  const passedAt = (name: string, position: number | undefined): boolean =>
    parts.keywords.has(name) || (position !== undefined && parts.positional.length > position);
  const requiredPosition = (name: string): number | undefined => mapping.requireArgs?.find(([n]) => n === name)?.[1];
  if (mapping.requireArgs?.some(([name, position]) => !passedAt(name, position) && mapping.addKwargs?.[name] === undefined)) {
    safe = false;
  }
  // A parameter keras.ops iterates as a sequence (`keras.ops.tile`'s repeats): a list or tuple is
  // exact; a tensor made of a few scalars (`K.stack([batch, 1, 1])`) becomes their tuple; any other
  // tensor fails in TensorFlow graphs, so the rewrite is only a suggestion.
  for (const name of mapping.sequenceArgs ?? []) {
    const value = parts.keywords.get(name)?.value ?? parts.positional[requiredPosition(name) ?? 1];
    if (!value || value.type === 'list' || value.type === 'tuple') {
      continue;
    }
    const literal = isTensorValued(value, ctx) && parts.fn.parent ? staticSequence(value, parts.fn.parent, ctx) : null;
    if (literal) {
      edits.push({ start: value.start, end: value.end, text: literal.text }, ...literal.edits);
    } else {
      safe = false;
    }
  }
  const first = parts.positional[0];
  if (mapping.firstArgTemplate && first) {
    const [before, after] = mapping.firstArgTemplate.split('{}');
    edits.push({ start: first.start, end: first.start, text: before }, { start: first.end, end: first.end, text: after });
  } else if (mapping.firstArgTemplate) {
    safe = false;
  }
  // `tf.float32` as an argument becomes the dtype string every backend understands.
  for (const arg of [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)]) {
    const dtype = arg.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(arg) ?? '') : null;
    if (dtype) {
      edits.push({ start: arg.start, end: arg.end, text: `"${dtype[1]}"` });
    } else {
      edits.push(...nestedTfDtypes(arg, ctx));
    }
  }
  if (mapping.addKwargs && parts.args) {
    for (const [k, v] of Object.entries(mapping.addKwargs)) {
      if (!passedAt(k, requiredPosition(k))) {
        edits.push(appendArgument(parts.args, `${k}=${v}`, ctx));
      }
    }
  }
  return {
    title: `Use \`${target}\``,
    safe,
    edits: withKerasImport(ctx, edits)
  };
}

/** The parameters a `callTemplate` uses, in the TF signature's order. */
function templateParams(template: string, tfParams: readonly string[]): string[] | null {
  const used = [...template.matchAll(TEMPLATE_PLACEHOLDER)].map(m => m[1]);
  const params = tfParams.filter(p => used.includes(p));
  return used.every(u => params.includes(u)) ? params : null;
}

/**
 * A Keras replacement for a TF op held as a function value (`{"sum": tf.math.unsorted_segment_sum}`,
 * `activation=tf.math.sin`), or null when its calls cannot be known to fit: the `keras.ops` function
 * itself where its parameters match TensorFlow's by name and place, else a lambda of the call rewrite.
 */
export function heldOpReplacement(canonical: string): { text: string; lambda: boolean } | null {
  const op = tfOp(canonical);
  if (!op || !op.keras) {
    return null;
  }
  const tfParams = (op.tfParams ?? []).filter(p => p !== 'name');
  if (op.callTemplate) {
    const params = templateParams(op.callTemplate, tfParams);
    if (!params || params.length === 0) {
      return null;
    }
    // `lambda data, segment_ids, num_segments, name=None: ...`: called as the TF function was
    // (positionally or by TF's keyword names), it computes what the call rewrite would.
    // A parameter keras.ops needs as a tensor (`segment_ids`, which TF also takes as a list) is converted.
    const defaults = new Map([...op.callTemplate.matchAll(TEMPLATE_PLACEHOLDER)].filter(m => m[2] !== undefined).map(m => [m[1], m[2]]));
    const body = op.callTemplate.replace(TEMPLATE_PLACEHOLDER, (_, p: string) => (op.tensorArgs?.includes(p) ? `keras.ops.convert_to_tensor(${p})` : p));
    // A parameter with a default keeps it, and so do those after it (Python's order).
    const firstDefault = params.findIndex(p => defaults.has(p));
    if (firstDefault >= 0 && params.slice(firstDefault).some(p => !defaults.has(p))) {
      return null;
    }
    const signature = params.map(p => (defaults.has(p) ? `${p}=${defaults.get(p)}` : p)).join(', ');
    return { text: `(lambda ${signature}, name=None: ${body})`, lambda: true };
  }
  // The Keras function itself, when every TF parameter has the same name at the same place; the
  // first may be named otherwise (`tf.identity(input)` is `keras.ops.copy(x)`): a held function
  // gets its tensor positionally.
  const kerasParams = op.kerasParams ?? [];
  const renamed = Object.keys(op.renames ?? {});
  const plain =
    renamed.every(p => p === tfParams[0]) &&
    !op.addKwargs &&
    !op.firstArgTemplate &&
    !op.booleanWraps &&
    !op.valueMaps &&
    !op.windowArgs &&
    tfParams.length > 0 &&
    tfParams.every((p, i) => kerasParams[i] === (i === 0 ? op.renames?.[p] ?? p : p));
  return plain ? { text: op.keras, lambda: false } : null;
}
