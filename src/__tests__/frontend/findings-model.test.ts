/**
 * The findings tracker's per-notebook model: it analyses through the async analyser
 * interface (the worker's, here on the calling thread), keeps the last answer, says
 * which cells changed, and applies a quick fix exactly as previewed.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import type { Finding } from '../../analysis/types';
import { InProcessAnalyzer } from '../../lint/inprocess';
import { findingsJsonByCell, FINDINGS_PER_CHUNK } from '../../lint/protocol';
import { NotebookFindings, replaceCellText } from '../../lint/model';
import { applyQuickFix } from '../../lint/quickfix';
import { getAnalyzer } from '../analysis/helpers';

class FakeCell {
  constructor(
    public type: string,
    private _source: string
  ) {}
  readonly sharedModel = {
    changed: new Signal<unknown, { sourceChange?: unknown }>(this),
    getSource: () => this._source,
    setSource: (text: string) => this.sharedModel.updateSource(0, this._source.length, text),
    updateSource: (from: number, to: number, text: string) => {
      this._source = this._source.slice(0, from) + text + this._source.slice(to);
      this.sharedModel.changed.emit({ sourceChange: [{ insert: text }] });
    },
    transact: (f: () => void) => f()
  };
}

function fakePanel(cells: FakeCell[]): NotebookPanel {
  const list = { length: cells.length, get: (i: number) => cells[i], changed: new Signal<unknown, unknown>({}) };
  return { model: { cells: list } } as unknown as NotebookPanel;
}

async function open(sources: Array<[string, string]>) {
  const cells = sources.map(([type, text]) => new FakeCell(type, text));
  const analyzer = new InProcessAnalyzer(await getAnalyzer());
  const findings = new NotebookFindings(fakePanel(cells), { analyzer: async () => analyzer }, {});
  await findings.ready;
  return { cells: cells as unknown as ICellModel[], findings };
}

describe('NotebookFindings', () => {
  it('analyses the notebook with what earlier cells import, skipping non-code cells', async () => {
    const { cells, findings } = await open([
      ['code', 'import tensorflow as tf'],
      ['markdown', 'tf.keras in prose'],
      ['code', 'layer = tf.keras.layers.Dense(3)']
    ]);
    expect(findings.findingsFor(cells[1])).toEqual([]);
    const below = findings.findingsFor(cells[2])!;
    expect(below.length).toBeGreaterThan(0);
    expect(below.every(f => f.cell === 2)).toBe(true);
    expect(findings.analysedSource(cells[2])).toBe('layer = tf.keras.layers.Dense(3)');
    findings.dispose();
  });

  it('after an edit, refresh() gives the findings of the new text and names the changed cells', async () => {
    const { cells, findings } = await open([['code', 'import tensorflow as tf\nlayer = tf.keras.layers.Dense(3)']]);
    expect(findings.findings.length).toBeGreaterThan(0);
    const changed: ICellModel[][] = [];
    findings.cellsChanged.connect((_, list) => changed.push(list));
    cells[0].sharedModel.setSource('import keras\nlayer = keras.layers.Dense(3)');
    expect(findings.upToDate).toBe(false);
    await findings.refresh();
    expect(findings.upToDate).toBe(true);
    expect(findings.findings).toEqual([]);
    expect(changed).toEqual([[cells[0]]]);
    findings.dispose();
  });

  it('a quick fix is found again in the current text and written exactly as previewed', async () => {
    const { cells, findings } = await open([['code', 'import tensorflow as tf\nlayer = tf.keras.layers.Dense(3)']]);
    const stale = findings.findingsFor(cells[0])!.find(f => f.fix && f.line === 2)!;
    // The user typed above the finding since the analysis: the old position is wrong now.
    cells[0].sharedModel.setSource('import tensorflow as tf\n# note\nlayer = tf.keras.layers.Dense(3)');
    let previewed = '';
    const outcome = await applyQuickFix(findings, cells[0], stale, async preview => {
      previewed = preview.after;
      return true;
    });
    expect(outcome).toBe('applied');
    const now = cells[0].sharedModel.getSource();
    expect(now).toContain('# note\nlayer = keras.layers.Dense(3)');
    if (previewed) {
      expect(now).toBe(previewed);
    }
    findings.dispose();
  });

  it('a fix that is not safe is shown before it is applied; cancelled, nothing is written', async () => {
    // The receiver's type is unknown here, so renaming the call needs review.
    const source = 'import keras\ndef reset(metric):\n    metric.reset_states()';
    const { cells, findings } = await open([['code', source]]);
    const review = findings.findingsFor(cells[0])!.find(f => f.fix && !f.fix.safe)!;
    expect(review.fix!.title).toContain('reset_state()');
    const previews: string[] = [];
    const cancelled = await applyQuickFix(findings, cells[0], review, async preview => {
      previews.push(preview.after);
      return false;
    });
    expect(cancelled).toBe('cancelled');
    expect(cells[0].sharedModel.getSource()).toBe(source);
    const applied = await applyQuickFix(findings, cells[0], review, async preview => {
      previews.push(preview.after);
      return true;
    });
    expect(applied).toBe('applied');
    expect(previews).toHaveLength(2);
    expect(previews[1]).toContain('metric.reset_state()');
    expect(cells[0].sharedModel.getSource()).toBe(previews[1]);
    // What the fix left is not flagged again.
    await findings.refresh();
    expect(findings.findingsFor(cells[0])!.filter(f => f.rule === review.rule)).toEqual([]);
    findings.dispose();
  });
});

describe('findings of a big cell', () => {
  it('an edit on one line parses again only the chunk it changed; the others stay the same objects', async () => {
    const lines = ['import tensorflow as tf'];
    for (let i = 0; i < 3 * FINDINGS_PER_CHUNK; i++) {
      lines.push(`layer${i} = tf.keras.layers.Dense(3)`);
    }
    const { cells, findings } = await open([
      ['code', lines.join('\n')],
      ['code', 'other = tf.keras.layers.Dense(4)']
    ]);
    const before = findings.findingsFor(cells[0])!;
    expect(before.length).toBeGreaterThan(2 * FINDINGS_PER_CHUNK);
    const otherBefore = findings.findingsFor(cells[1])!;
    const changed: ICellModel[][] = [];
    findings.cellsChanged.connect((_, list) => changed.push(list));
    // Typing at the start of line 2 moves only the findings on that line.
    cells[0].sharedModel.updateSource(lines[0].length + 1, lines[0].length + 1, 'abc');
    await findings.refresh();
    const after = findings.findingsFor(cells[0])!;
    expect(after.length).toBe(before.length);
    expect(after[0].line).toBe(2);
    expect(after[0].column).toBe(before[0].column + 3);
    expect(after[0]).not.toBe(before[0]);
    // The last chunk was not parsed again, and the cell below did not change.
    expect(after[after.length - 1]).toBe(before[before.length - 1]);
    expect(findings.findingsFor(cells[1])![0]).toBe(otherBefore[0]);
    expect(changed).toEqual([[cells[0]]]);
    // The flat list is the cells' lists in order.
    expect(findings.findings.length).toBe(after.length + otherBefore.length);
    findings.dispose();
  });

  it('the worker groups findings per cell in chunks of JSON', () => {
    const finding = (cell: number | null, line: number) => ({ cell, line }) as unknown as Finding;
    const list = [finding(0, 1), finding(2, 1), finding(null, 1)];
    for (let i = 0; i < FINDINGS_PER_CHUNK + 1; i++) {
      list.push(finding(2, i + 2));
    }
    const json = findingsJsonByCell(list, 3);
    expect(json.cells.map(chunks => chunks.length)).toEqual([1, 0, 2]);
    expect(JSON.parse(json.cells[2][0])).toHaveLength(FINDINGS_PER_CHUNK);
    expect(JSON.parse(json.cells[2][1])).toEqual([finding(2, FINDINGS_PER_CHUNK + 1), finding(2, FINDINGS_PER_CHUNK + 2)]);
    expect(JSON.parse(json.unplaced)).toEqual([finding(null, 1)]);
  });
});

describe('replaceCellText', () => {
  it('writes only when the cell still holds the previewed text', () => {
    const cell = new FakeCell('code', 'a = 1\nb = 2') as unknown as ICellModel;
    expect(replaceCellText(cell, 'other', 'x')).toBe(false);
    expect(cell.sharedModel.getSource()).toBe('a = 1\nb = 2');
    expect(replaceCellText(cell, 'a = 1\nb = 2', 'a = 1\nb = 3\nc = 4')).toBe(true);
    expect(cell.sharedModel.getSource()).toBe('a = 1\nb = 3\nc = 4');
  });
});
