import { describeVerified, IRunClient, RunModel, verifiedReadiness } from '../../runner/model';
import type { BackendRun, RunCell, RunJob } from '../../runner/types';

function cell(index: number, status: RunCell['status'], extra: Partial<RunCell> = {}): RunCell {
  return {
    index,
    status,
    seconds: 0.1,
    error: null,
    environment: null,
    consequence_of: null,
    diagnosis: null,
    reason: null,
    static: [],
    verdict: null,
    ...extra
  };
}

function run(backend: string, status: BackendRun['status'], cells: RunCell[], first: number | null, text: string | null = null): BackendRun {
  return {
    backend,
    status,
    reason: status === 'not-installed' ? `${backend} is not installed` : null,
    cells,
    summary: {
      cells: cells.length,
      ok: cells.filter(c => c.status === 'ok').length,
      first_failure: first === null ? null : { cell: first, status: 'error', text, guide: null }
    }
  };
}

function job(status: RunJob['status'], backends: Record<string, BackendRun> | null, id = 'a'.repeat(32)): RunJob {
  return {
    id,
    path: 'nb.ipynb',
    backends: ['tensorflow', 'jax', 'torch'],
    status,
    error: null,
    started: 100,
    finished: status === 'running' ? null : 130,
    progress: { total: 3, done: status === 'running' ? 1 : 3, running: {} },
    kernel_pids: [],
    kernels_left: [],
    exit_code: null,
    file_last_modified: 90,
    report: backends
      ? { path: 'nb.ipynb', error: null, status: 'failed', cells: [{ index: 0, head: 'x' }], variants: { original: { backends, status: 'failed' } } }
      : null
  };
}

const FINISHED = {
  tensorflow: run('tensorflow', 'ok', [cell(0, 'ok'), cell(2, 'ok')], null),
  jax: run('jax', 'failed', [cell(0, 'ok'), cell(2, 'error')], 2, 'KerasTensor passed to tf.nn.relu'),
  torch: run('torch', 'not-installed', [cell(0, 'skipped'), cell(2, 'skipped')], null)
};

describe('verified readiness', () => {
  it('says per backend what the last finished run proved, cells 1-based', () => {
    const lines = verifiedReadiness(job('done', FINISHED)).map(v => `${v.backend}: ${describeVerified(v)}`);
    expect(lines).toEqual([
      'tensorflow: Verified: runs the whole notebook',
      'jax: Verified: fails at cell 3 (KerasTensor passed to tf.nn.relu)',
      'torch: Not installed (torch is not installed)'
    ]);
  });

  it('claims nothing while a run is going on or after a cancel', () => {
    expect(verifiedReadiness(job('running', null))).toEqual([]);
    expect(verifiedReadiness(job('cancelled', FINISHED))).toEqual([]);
    expect(verifiedReadiness(null)).toEqual([]);
  });
});

describe('RunModel', () => {
  it('polls a running job until it is done, then stops asking', async () => {
    const answers = [job('running', null), job('done', FINISHED)];
    const calls: string[] = [];
    const client: IRunClient = {
      start: async () => (calls.push('start'), job('running', null)),
      get: async () => (calls.push('get'), answers.shift() ?? job('done', FINISHED)),
      cancel: async () => (calls.push('cancel'), job('cancelled', null))
    };
    const model = new RunModel(client, 1);
    const seen: string[] = [];
    model.changed.connect((_, path) => seen.push(`${path}:${model.job(path)?.status}`));
    await model.start('nb.ipynb', ['tensorflow', 'jax', 'torch']);
    expect(model.isRunning('nb.ipynb')).toBe(true);
    for (let i = 0; i < 50 && model.isRunning('nb.ipynb'); i++) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect(model.job('nb.ipynb')?.status).toBe('done');
    expect(calls).toEqual(['start', 'get', 'get']);
    expect(seen).toEqual(['nb.ipynb:running', 'nb.ipynb:running', 'nb.ipynb:done']);
    await model.cancel('nb.ipynb'); // finished jobs are not cancelled
    expect(calls).not.toContain('cancel');
    model.dispose();
  });

  it('keeps the server’s refusal as the notebook’s error', async () => {
    const client: IRunClient = {
      start: async () => {
        throw new Error('No such notebook: nb.ipynb');
      },
      get: async () => job('done', FINISHED),
      cancel: async () => job('cancelled', null)
    };
    const model = new RunModel(client, 1);
    await model.start('nb.ipynb', ['jax']);
    expect(model.error('nb.ipynb')).toBe('No such notebook: nb.ipynb');
    expect(model.job('nb.ipynb')).toBeNull();
    model.dispose();
  });
});
