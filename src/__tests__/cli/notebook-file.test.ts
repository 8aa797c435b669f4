import { parseNotebook, replaceSources } from '../../cli/notebook-file';

function nbText(sources: unknown[], indent: number): string {
  return JSON.stringify({ cells: sources.map(source => ({ cell_type: 'code', metadata: {}, outputs: [], source })), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, indent) + '\n';
}

describe('replaceSources', () => {
  test.each([1, 2, 4])('keeps indentation %i, fills empty arrays, keeps string sources as strings', indent => {
    const text = nbText([[], 'a = 1\n', ['x\n', 'y']], indent);
    const nb = parseNotebook(text);
    expect(nb.cells.map(c => c.source)).toEqual(['', 'a = 1\n', 'x\ny']);
    const out = replaceSources(nb, ['import keras\nb = 2', 'a = 2\n', 'x\ny\nz']);
    expect(out).toBe(nbText([['import keras\n', 'b = 2'], 'a = 2\n', ['x\n', 'y\n', 'z']], indent));
  });

  test('unchanged sources leave the text byte-identical, odd spacing included', () => {
    const text = '{"cells": [ {"cell_type": "code", "source": ["a\\n",   "b"], "metadata": {"k": 1e-05}} ],\n "metadata": {}, "nbformat": 4, "nbformat_minor": 2}';
    const nb = parseNotebook(text);
    expect(replaceSources(nb, ['a\nb'])).toBe(text);
    expect(replaceSources(nb, ['a\nc'])).toBe(text.replace('["a\\n",   "b"]', '["a\\n", "c"]'));
  });

  test('rejects what is not a notebook', () => {
    expect(() => parseNotebook('[]')).toThrow();
    expect(() => parseNotebook('{"metadata": {}}')).toThrow(/no "cells"/);
    expect(() => parseNotebook('{"cells": [{"source": 3}]}')).toThrow();
  });
});
