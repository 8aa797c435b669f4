/** Lookup and rewriting of TF ops and keras.backend functions through src/catalog/ops.json. */
import opsJson from '../../catalog/ops.json';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { appendArgument, CallParts, removeArgument, withKerasImport } from './util';

/** The conditions under which a call may be rewritten, shared by both tables. */
export interface CallRewrite {
  safe: boolean;
  renames: Record<string, string>;
  addKwargs?: Record<string, string>;
  requireKwargs?: string[];
  forbidKwargs?: string[];
  maxPositional?: number;
  minPositional?: number;
  /** Arguments the call must pass, by keyword or at the given position, for the rewrite to be safe. */
  requireArgs?: Array<[string, number]>;
  /** Wraps the first positional argument (`{}`) to keep a behaviour the Keras function lacks. */
  firstArgTemplate?: string;
}

export interface OpMapping extends CallRewrite {
  tf: string;
  keras: string | null;
  aliases?: string[];
  preferred?: boolean;
  skip?: boolean;
  layer?: boolean;
  method?: boolean;
  note?: string;
}

interface BackendMapping extends CallRewrite {
  name: string;
  keras: string | null;
  note?: string;
}

const table = opsJson as unknown as { ops: OpMapping[]; backend: BackendMapping[] };

/** `tensorflow.reduce_sum` -> mapping (preferred row when the guide lists two). */
const byCanonical = new Map<string, OpMapping>();
for (const op of table.ops) {
  if (op.skip || op.method) {
    continue;
  }
  for (const name of [op.tf, ...(op.aliases ?? [])]) {
    const canonical = 'tensorflow.' + name.slice(3);
    const existing = byCanonical.get(canonical);
    if (!existing || (op.preferred && !existing.preferred)) {
      byCanonical.set(canonical, op);
    }
  }
}

const backendByName = new Map(table.backend.map(b => [b.name, b]));

export function tfOp(canonical: string): OpMapping | undefined {
  return byCanonical.get(canonical);
}

export function backendFunction(name: string): BackendMapping | undefined {
  return backendByName.get(name);
}

const TF_DTYPE = /^tensorflow\.(float16|float32|float64|bfloat16|int8|int16|int32|int64|uint8|uint16|uint32|uint64|bool|complex64|complex128|string)$/;

/** Keywords that mean the same in TF and keras.ops calls. */
const SAME_NAMED = new Set(['axis', 'keepdims', 'dtype']);

function isCallableTarget(target: string | null): target is string {
  return target !== null && /^keras\.[\w.]+$/.test(target) && !/\.[A-Z]\w*$/.test(target);
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
  if (mapping.requireArgs?.some(([name, position]) => !parts.keywords.has(name) && parts.positional.length <= position)) {
    safe = false;
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
    }
  }
  if (mapping.addKwargs && parts.args) {
    for (const [k, v] of Object.entries(mapping.addKwargs)) {
      if (!parts.keywords.has(k)) {
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
