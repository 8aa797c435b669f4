import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import type { CallParts } from './calls';

/**
 * Keras 2's CTC functions (`keras.backend.ctc_batch_cost`, `keras.backend.ctc_decode`), gone from
 * Keras 3's keras.backend, written on `keras.ops.ctc_loss` / `keras.ops.ctc_decode` with Keras 2's
 * conventions, which the keras.ops functions do not share:
 * - Keras 2 takes softmax probabilities and feeds their log (plus epsilon) to TensorFlow's CTC
 *   ops as logits; keras.ops normalises what it gets with a log-softmax, which leaves that log
 *   as it is, so `keras.ops.log(y_pred + epsilon)` goes in.
 * - Keras 2's blank is the last class; keras.ops's `mask_index` defaults to 0.
 * - Keras 2 ends a label at its first value that is no class (the blank or above: keras.io pads
 *   labels with 99 and counts the padding in label_length); keras.ops passes such a value on, and
 *   PyTorch's CTC crashes on it (a segmentation fault), so the helper counts the label up to there.
 * - ctc_batch_cost takes lengths of shape (batch, 1) and returns shape (batch, 1);
 *   keras.ops.ctc_loss takes and returns shape (batch,), and its arguments come in another
 *   order (labels, outputs, label lengths, output lengths).
 * - ctc_decode returns a list of decoded paths; keras.ops.ctc_decode one stacked tensor.
 * Checked by running against Keras 2's own functions (kept in Keras 3 as keras.src.legacy.backend):
 * the loss agrees to float rounding and greedy decoding exactly, on TensorFlow, JAX and PyTorch;
 * beam search does not (Keras 2 ran TF1's decoder, which merges repeated labels).
 * The fix defines the function once in the cell, on keras.ops, and points every use at it
 * (calls and references alike: `self.loss_fn = keras.backend.ctc_batch_cost`).
 */
const HELPERS: Record<string, { keras: string; lines: string[] }> = {
  ctc_batch_cost: {
    keras: 'keras.ops.ctc_loss',
    lines: [
      'def ctc_batch_cost(y_true, y_pred, input_length, label_length):',
      '    # Keras 2\'s keras.backend.ctc_batch_cost on keras.ops: y_pred holds probabilities (their log',
      '    # goes in as logits), the blank is the last class, lengths and result have shape (batch, 1).',
      '    # A label ends at its first value that is no class (the blank or above: padding such as 99),',
      '    # as in Keras 2; PyTorch\'s CTC would read that padding as a class.',
      '    blank = keras.ops.shape(y_pred)[-1] - 1',
      '    labels = keras.ops.cast(y_true, "int32")',
      '    position = keras.ops.expand_dims(keras.ops.arange(keras.ops.shape(labels)[1]), 0)',
      '    kept = keras.ops.cumprod(keras.ops.cast(labels < blank, "int32"), axis=1)',
      '    kept = kept * keras.ops.cast(position < keras.ops.cast(label_length, "int32"), "int32")',
      '    loss = keras.ops.ctc_loss(',
      '        labels * kept,',
      '        keras.ops.log(y_pred + keras.backend.epsilon()),',
      '        keras.ops.sum(kept, axis=1),',
      '        keras.ops.squeeze(input_length, -1),',
      '        mask_index=blank,',
      '    )',
      '    return keras.ops.expand_dims(loss, 1)'
    ]
  },
  ctc_decode: {
    keras: 'keras.ops.ctc_decode',
    lines: [
      'def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):',
      '    # Keras 2\'s keras.backend.ctc_decode on keras.ops: y_pred holds probabilities, the blank is',
      '    # the last class, the result is a list of decoded paths and their log probabilities.',
      '    decoded, log_prob = keras.ops.ctc_decode(',
      '        keras.ops.log(y_pred + keras.backend.epsilon()),',
      '        input_length,',
      '        strategy="greedy" if greedy else "beam_search",',
      '        beam_width=beam_width,',
      '        top_paths=top_paths,',
      '        mask_index=keras.ops.shape(y_pred)[-1] - 1,',
      '    )',
      '    return [decoded[i] for i in range(top_paths)], log_prob'
    ]
  }
};

/** What differs between a Keras 2 CTC function and its keras.ops replacement, for messages. */
export function ctcDifference(fnName: string): string | null {
  return HELPERS[fnName]
    ? `\`${HELPERS[fnName].keras}\` replaces it with other conventions (blank at index 0 by default, logits in, ${
        fnName === 'ctc_batch_cost' ? 'lengths and loss of shape (batch,), labels before outputs' : 'a stacked tensor of paths out'
      })`
    : null;
}

/** The keras.ops function that replaces a Keras 2 CTC backend function, or null for other names. */
export function ctcReplacement(fnName: string): string | null {
  return HELPERS[fnName]?.keras ?? null;
}

/**
 * Where a module-level helper goes: the start of the cell's first line that is not part of its
 * preamble (blank lines, comments, a docstring, imports, IPython magics). Found on the text, so
 * that every use in the cell gets the same insertion (identical edits apply once).
 */
export function helperInsertion(text: string): number {
  const line = /[^\r\n]*(\r\n|\r|\n|$)/g;
  let quote: string | null = null; // inside a docstring opened with this quote
  let open = 0; // unclosed brackets of an import
  let continued = false;
  let seenCode = false;
  while (line.lastIndex < text.length) {
    const start = line.lastIndex;
    const m = line.exec(text)!;
    const body = m[0].replace(/[\r\n]+$/, '');
    if (quote !== null) {
      if (body.includes(quote)) {
        quote = null;
      }
    } else if (open > 0 || continued) {
      open += (body.match(/[([{]/g)?.length ?? 0) - (body.match(/[)\]}]/g)?.length ?? 0);
    } else if (/^\s*(#|$)/.test(body) || /^[%!]/.test(body)) {
      // blank, comment, magic
    } else if (/^(import|from)\s/.test(body)) {
      open = (body.match(/[([{]/g)?.length ?? 0) - (body.match(/[)\]}]/g)?.length ?? 0);
    } else if (!seenCode && /^[rRuUbB]?("""|\'\'\')/.test(body)) {
      const q = /("""|\'\'\')/.exec(body)![1];
      quote = body.indexOf(q, body.indexOf(q) + 3) >= 0 ? null : q;
    } else {
      return start;
    }
    seenCode = seenCode || !/^\s*(#|$)/.test(body);
    continued = /\\$/.test(body);
    if (m[0] === '') {
      break;
    }
  }
  return text.length;
}

/**
 * The edit writing a module-level helper (its source `lines`) into the cell at helperInsertion(),
 * two blank lines around it as around any top-level def, in the cell's own line endings. Every
 * use in the cell gets the same edit (identical edits apply once).
 */
export function helperDefinitionEdit(text: string, lines: readonly string[]): OffsetEdit {
  const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
  const at = helperInsertion(text);
  const head = text.slice(0, at);
  const before = at === 0 ? '' : (/[\r\n]$/.test(head) ? '' : eol) + (/(^|[\r\n])[ \t]*(\r\n|\r|\n)$/.test(head) ? '' : eol + eol);
  const after = at === text.length ? '' : eol + eol;
  return { start: at, end: at, text: before + lines.join(eol) + eol + after };
}

/**
 * The fix pointing a use of `keras.backend.<fnName>` (`node`: the attribute, called or not) at
 * a helper of the same name defined on keras.ops, or null when `fnName` is not a CTC function.
 * `call` holds the call's arguments when the use is a call. Safe when the helper does exactly
 * what Keras 2 did: always for ctc_batch_cost, for ctc_decode when the call decodes greedily.
 */
export function ctcFix(fnName: string, node: SyntaxNode, call: CallParts | null, ctx: RuleContext): RawFix | null {
  const helper = HELPERS[fnName];
  if (!helper) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: fnName }];
  if (!new RegExp(`^def ${fnName}\\(`, 'm').test(ctx.text)) {
    edits.push(helperDefinitionEdit(ctx.text, helper.lines));
  }
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  let safe = true;
  let title = `Define \`${fnName}\` on \`${helper.keras}\` with Keras 2's conventions (blank = last class, probabilities in)`;
  if (fnName === 'ctc_decode') {
    const greedy = call ? (call.keywords.get('greedy')?.value ?? call.positional[2] ?? null) : undefined;
    const greedyText = greedy ? ctx.textOf(greedy) : greedy === null ? 'True' : null;
    if (greedyText !== 'True' || call?.splat) {
      safe = false;
      title += '; beam search (greedy=False) decodes differently from Keras 2 (TF1 merged repeated labels)';
    }
  }
  return { title, safe, edits };
}
