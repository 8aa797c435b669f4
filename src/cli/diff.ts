/** A small unified diff (LCS on lines) for `keras-migrate fix --diff`. */

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  // Trim the common head and tail first: fixes touch few lines of large files.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) {
    lcs.push(new Uint32Array(m + 1));
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = a.slice(0, head).map(line => ({ kind: ' ' as const, line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ kind: ' ', line: x[i] });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', line: x[i++] }); // removals first, as diff(1) prints them
    } else {
      ops.push({ kind: '+', line: y[j++] });
    }
  }
  for (const line of a.slice(a.length - tail)) {
    ops.push({ kind: ' ', line });
  }
  return ops;
}

/** Index of the last op belonging to side `side` ('-' = before, '+' = after). */
function lastIndex(ops: Op[], side: '-' | '+'): number {
  for (let i = ops.length - 1; i >= 0; i--) {
    if (ops[i].kind === ' ' || ops[i].kind === side) {
      return i;
    }
  }
  return -1;
}

export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) {
    return '';
  }
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    // Grow a hunk until `context` unchanged lines separate it from the next change.
    let start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if (ops[end].kind !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].kind === ' ') {
        run++;
      }
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    let aLine = 1;
    let bLine = 1;
    for (let t = 0; t < start; t++) {
      if (ops[t].kind !== '+') aLine++;
      if (ops[t].kind !== '-') bLine++;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter(o => o.kind !== '+').length;
    const bCount = hunk.filter(o => o.kind !== '-').length;
    out.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@`);
    for (let h = 0; h < hunk.length; h++) {
      const o = hunk[h];
      out.push(o.kind + o.line);
      // Like diff(1): flag the last line of a side that has no trailing newline.
      const index = start + h;
      if (index === lastIndex(ops, '-') && o.kind !== '+' && !before.endsWith('\n')) {
        out.push('\\ No newline at end of file');
      } else if (index === lastIndex(ops, '+') && o.kind !== '-' && !after.endsWith('\n')) {
        out.push('\\ No newline at end of file');
      }
    }
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
