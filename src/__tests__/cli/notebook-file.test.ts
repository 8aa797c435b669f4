import { parseNotebook, parseValidNotebook, replaceSources, scanNotebook } from '../../cli/notebook-file';

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

describe('parseNotebook fast path', () => {
  // Valid notebooks take JSON.parse plus a trusting scan; the checking scanner must agree on
  // every span, source, cell type and language.
  const texts = [
    nbText(['a = 1\n', ['x\n', 'y'], []], 1),
    nbText(['s = "q\\"uote\\\\"\n', ['\\\\', '"\\"']], 0),
    '{"cells":[{"cell_type":"markdown","source":"# t"},{"source":["p"],"outputs":[{"data":{"image/png":"AAAA\\\\","text/plain":["\\"]\\"", "}"]},"execution_count":12}],"cell_type":"code","execution_count":null}],"metadata":{"kernelspec":{"language":"Python"}},"nbformat":4,"nbformat_minor":5}',
    '{ "nbformat" : 4 , "metadata" : { "language_info" : { "name" : "R" } } , "cells" : [ { "source" : "a" , "source" : [ "b" , "c" ] , "cell_type" : "raw" } , { "cell_type" : "code" } ] , "x" : [ true , false , null , -1.5e+3 ] }\r\n',
    '{"cells": [], "metadata": {}}',
    '{"cells": [{"cell_type": "code", "source": "\\u00e9\\ud83d\\ude00 = 1"}], "metadata": {"kernelspec": {"language": 3}}}'
  ];
  test.each(texts.map((t, i) => [i, t]))('text %i: same result as the checking scanner', (_i, text) => {
    const fast = parseValidNotebook(text as string);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(scanNotebook(text as string));
  });

  test('texts the fast path leaves to the scanner still parse', () => {
    // A BOM, NaN and two "cells" lists are not for JSON.parse; the scanner reads them.
    expect(parseValidNotebook('{"cells": [{"source": "a"}], "cells": []}')).toBeNull();
    expect(parseNotebook('\ufeff{"cells": [{"source": "a"}]}').cells[0].source).toBe('a');
    expect(parseNotebook('{"cells": [{"source": "a", "outputs": [NaN]}]}').cells[0].source).toBe('a');
    expect(parseNotebook('{"cells": [{"source": "a"}], "cells": [{"source": "b"}]}').cells.map(c => c.source)).toEqual(['a', 'b']);
    // The same second key spelt with escapes: JSON.parse reads it as "cells" too.
    expect(parseValidNotebook('{"cells": [{"source": "a"}], "c\\u0065lls": []}')).toBeNull();
    expect(parseNotebook('{"cells": [{"source": "a"}], "c\\u0065lls": [{"source": "b"}]}').cells.map(c => c.source)).toEqual(['a', 'b']);
  });

  test('sources, spans and rewrites agree with the checking scanner', () => {
    for (const text of texts) {
      const fast = parseValidNotebook(text)!;
      const scanned = scanNotebook(text);
      expect(fast.cells.map(c => c.source)).toEqual(scanned.cells.map(c => c.source));
      expect(fast.cells.map(c => [c.start, c.end, c.isArray, c.cellType])).toEqual(scanned.cells.map(c => [c.start, c.end, c.isArray, c.cellType]));
      expect(replaceSources(parseValidNotebook(text)!, fast.cells.map(c => c.source + 'x'))).toEqual(replaceSources(scanned, scanned.cells.map(c => c.source + 'x')));
    }
  });
});
