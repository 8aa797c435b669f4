import { describeLocation, readDiagnosis, targetCellIndex } from '../../explainui/diagnosis';
import { GUIDE_URL } from '../../analysis/catalog';
import { guideLink } from '../../lint/guide';

describe('readDiagnosis', () => {
  it('reads the kernel hook payload', () => {
    const diagnosis = readDiagnosis({
      guide: 'kerastensor-tf-op',
      title: 'Calling TF ops with a KerasTensor',
      explanation: 'why',
      fix: 'how',
      line: 4,
      cell_line_text: 'outputs = tf.nn.relu(inputs)',
      names: { op: 'tf.nn.relu', nested: { no: 1 } },
      exception_type: 'ValueError',
      message: 'A KerasTensor cannot be used as input to a TensorFlow function.',
      kind: 'error'
    });
    expect(diagnosis).toMatchObject({
      guide: 'kerastensor-tf-op',
      line: 4,
      cellLineText: 'outputs = tf.nn.relu(inputs)',
      names: { op: 'tf.nn.relu' },
      exceptionType: 'ValueError',
      kind: 'error'
    });
  });

  it('fills missing texts from the catalog and drops values of the wrong type', () => {
    const diagnosis = readDiagnosis({ guide: 'imports', title: 42, line: '3', kind: 'nope' });
    expect(diagnosis!.title).toBe('Replace your imports');
    expect(diagnosis!.explanation).toContain('Keras 3 is its own package');
    expect(diagnosis!.line).toBeNull();
    expect(diagnosis!.kind).toBe('error');
  });

  it('is null for data that names no problem', () => {
    expect(readDiagnosis(null)).toBeNull();
    expect(readDiagnosis('text')).toBeNull();
    expect(readDiagnosis([1, 2])).toBeNull();
    expect(readDiagnosis({ guide: null, title: null })).toBeNull();
  });
});

describe('where the line is', () => {
  const base = {
    guide: 'autograph',
    title: 'Python control flow on tensors',
    line: 6,
    cell_line_text: 'if tf.reduce_sum(x) > 0:',
    kind: 'error'
  };

  it('reads cell, file and guide_url', () => {
    const diagnosis = readDiagnosis({ ...base, cell: 1, file: null, guide_url: 'https://keras.io/guides/migrating_to_keras_3/' })!;
    expect(diagnosis.cell).toBe(1);
    expect(diagnosis.file).toBeNull();
    expect(diagnosis.guideUrl).toBe('https://keras.io/guides/migrating_to_keras_3/');
  });

  it('keeps only web guide links and whole positive cell numbers', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'not a url',
      42,
      'https://evil.example/guides/migrating_to_keras_3/',
      'https://keras.io.evil.example/',
      'http://keras.io/guides/migrating_to_keras_3/'
    ]) {
      expect(readDiagnosis({ ...base, guide_url: url })!.guideUrl).toBeNull();
      // The card then links the catalog's own URL.
      expect(guideLink('autograph', readDiagnosis({ ...base, guide_url: url })!.guideUrl)).toContain(GUIDE_URL);
    }
    expect(readDiagnosis({ ...base, guide_url: 'https://keras.io/api/' })!.guideUrl).toBe('https://keras.io/api/');
    for (const cell of [0, -1, 1.5, '1', null]) {
      expect(readDiagnosis({ ...base, cell })!.cell).toBeNull();
    }
  });

  it('names the line in an imported module after the cell line', () => {
    const diagnosis = readDiagnosis({ ...base, cell: 4, origin: { file: '/home/me/helpers.py', line: 5, text: 'x' } })!;
    expect(diagnosis.origin).toEqual({ file: '/home/me/helpers.py', line: 5, text: 'x' });
    expect(describeLocation(diagnosis, { index: 2, own: true, matched: true })).toBe('Cell line 6, in /home/me/helpers.py, line 5');
    expect(readDiagnosis({ ...base, origin: 'nonsense' })!.origin).toBeNull();
  });

  it('drops the cell when the line is in a file', () => {
    const diagnosis = readDiagnosis({ ...base, cell: 3, file: '/home/me/layers.py' })!;
    expect(diagnosis.file).toBe('/home/me/layers.py');
    expect(diagnosis.cell).toBeNull();
  });

  it('targets the cell whose execution count is `cell`', () => {
    // The layer was defined in In[1] (notebook cell 0); the traceback shows in cell 2.
    expect(targetCellIndex({ cell: 1, file: null }, [1, null, 2], 2)).toBe(0);
  });

  it('falls back to the output’s own cell', () => {
    expect(targetCellIndex({ cell: null, file: null }, [1, 2, 3], 2)).toBe(2);
    expect(targetCellIndex({ cell: 7, file: null }, [1, 2, 3], 1)).toBe(1);
    expect(targetCellIndex({ cell: 4, file: null }, [], 0)).toBe(0);
  });

  it('prefers the own cell, then the nearest cell above, when prompts repeat after a restart', () => {
    expect(targetCellIndex({ cell: 1, file: null }, [1, 1, 1], 1)).toBe(1);
    expect(targetCellIndex({ cell: 1, file: null }, [1, null, 1, 5], 3)).toBe(2);
    expect(targetCellIndex({ cell: 1, file: null }, [5, 2, 1], 0)).toBe(2);
  });

  it('has no cell target for a line in a file', () => {
    expect(targetCellIndex({ cell: null, file: 'layers.py' }, [1], 0)).toBeNull();
  });

  it('names the line by cell, or by file', () => {
    const own = { cell: 2, file: null, line: 4 };
    expect(describeLocation(own, { index: 1, own: true, matched: true })).toBe('Cell line 4');
    expect(describeLocation({ cell: null, file: null, line: 4 }, null)).toBe('Cell line 4');
    expect(describeLocation({ cell: 1, file: null, line: 6 }, { index: 0, own: false, matched: true })).toBe(
      'Cell 1 (In [1]), line 6'
    );
    expect(describeLocation({ cell: null, file: 'src/layers.py', line: 12 }, null)).toBe('src/layers.py, line 12');
    expect(describeLocation({ cell: 1, file: null, line: null }, null)).toBe('');
  });

  it('names the prompt when no cell shows it', () => {
    // Still running (its count comes with the reply), or the defining cell ran again.
    expect(describeLocation({ cell: 1, file: null, line: 6 }, { index: 1, own: true, matched: false })).toBe(
      'In [1], line 6'
    );
    expect(describeLocation({ cell: 1, file: null, line: 6 }, null)).toBe('In [1], line 6');
  });
});

describe('guide link', () => {
  it('uses the base the kernel sent, with the section fragment', () => {
    expect(guideLink('autograph', 'https://example.org/guide/')).toMatch(/^https:\/\/example\.org\/guide\/#:~:text=/);
    expect(guideLink('autograph', null)).toMatch(/^https:\/\/keras\.io\/guides\/migrating_to_keras_3\/#:~:text=/);
  });

  it('keeps a base that already points into the page', () => {
    expect(guideLink('autograph', 'https://example.org/guide/#autograph')).toBe('https://example.org/guide/#autograph');
  });
});

describe('card wording', () => {
  it('goes through the translator it is given', () => {
    const seen: string[] = [];
    const trans = {
      __: (message: string, ...args: unknown[]) => {
        seen.push(message);
        return `«${message.replace(/%(\d)/g, (_, n) => String(args[Number(n) - 1]))}»`;
      }
    } as any;
    const where = describeLocation({ cell: 3, file: null, line: 4, origin: { file: 'helpers.py', line: 5, text: null } }, { index: 1, own: false, matched: true }, trans);
    expect(where).toBe('«Cell 2 (In [3]), line 4»«, in helpers.py, line 5»');
    expect(seen).toEqual(['Cell %1 (In [%2]), line %3', ', in %1, line %2']);
  });
});
