import { readDiagnosis } from '../../explainui/diagnosis';

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
