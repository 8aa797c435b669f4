/**
 * The backend switcher's model (what the sidebar and status bar draw): it always
 * describes the active notebook, switches through the service and saves the choice,
 * offers the backend that worked after a failed switch, asks again after a run, and
 * knows why the kernel has no hook. The service and the notebook are fakes; the
 * model is the real one.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { BackendModel, METADATA_KEY } from '../../backend/model';
import { RecordError } from '../../backend/service';
import type { Backend, Finding } from '../../analysis/types';
import type { IBackendService, IHookStatus, IKernelEnvironment, INotebookFindingsTracker } from '../../tokens';

// The model schedules with window timers, as in the browser.
(globalThis as any).window = globalThis;

function environment(backend: string, extra: Partial<IKernelEnvironment> = {}): IKernelEnvironment {
  return {
    backend,
    keras_version: '3.11.0',
    backends: { jax: { installed: true, version: '0.4' }, tensorflow: { installed: true, version: '2.18' }, torch: { installed: true, version: '2.13' } },
    hook_loaded: true,
    keras_imported: true,
    ...extra
  };
}

function fakePanel(language: string, kernelId = 'k1') {
  const metadata = new Map<string, unknown>([['kernelspec', { name: 'x', language }]]);
  const sessionContext = {
    ready: Promise.resolve(),
    session: { kernel: { id: kernelId, name: 'x' } },
    specsManager: null,
    kernelPreference: {},
    statusChanged: new Signal<unknown, string>({}),
    kernelChanged: new Signal<unknown, unknown>({}),
    kernelDisplayStatus: 'idle'
  };
  return {
    content: {},
    sessionContext,
    context: { path: 'nb.ipynb', localPath: 'nb.ipynb' },
    model: { getMetadata: (key: string) => metadata.get(key), setMetadata: (key: string, value: unknown) => metadata.set(key, value) }
  } as unknown as NotebookPanel;
}

class FakeService implements IBackendService {
  reports: IKernelEnvironment[] = [];
  described = 0;
  hookAsked = 0;
  hook: IHookStatus | null = null;
  switchError: Error | null = null;
  current = environment('tensorflow');

  async getRecorded(): Promise<string | null> {
    return null;
  }
  async record(): Promise<void> {}
  async describe(): Promise<IKernelEnvironment> {
    this.described++;
    return this.reports.shift() ?? this.current;
  }
  async switchBackend(_: NotebookPanel, backend: Backend): Promise<IKernelEnvironment> {
    if (this.switchError) {
      throw this.switchError;
    }
    this.current = environment(backend);
    return this.current;
  }
  async hookStatus(): Promise<IHookStatus | null> {
    this.hookAsked++;
    return this.hook;
  }
}

async function settle(model: BackendModel): Promise<void> {
  for (let i = 0; i < 20 && (model.status === 'loading' || model.status === 'switching'); i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('BackendModel', () => {
  it('describes the active notebook, and a non-Python notebook keeps nothing of the previous one', async () => {
    const service = new FakeService();
    const model = new BackendModel(service, null);
    const python = fakePanel('python');
    model.setPanel(python);
    expect(model.status).toBe('loading');
    await settle(model);
    expect(model.status).toBe('ready');
    expect(model.environment?.backend).toBe('tensorflow');

    model.setPanel(fakePanel('r'));
    expect(model.status).toBe('not-python');
    expect(model.environment).toBeNull();
    expect(model.previousBackend).toBeNull();
    model.setPanel(null);
    expect(model.status).toBe('none');
  });

  it('a switch goes through the service and saves the choice in the notebook', async () => {
    const service = new FakeService();
    const model = new BackendModel(service, null);
    const panel = fakePanel('python');
    model.setPanel(panel);
    await settle(model);
    const statuses: string[] = [];
    model.changed.connect(() => statuses.push(model.status));
    expect(await model.switchTo('jax')).toBe(true);
    expect(statuses).toEqual(['switching', 'ready']);
    expect(model.environment?.backend).toBe('jax');
    expect(panel.model!.getMetadata(METADATA_KEY)).toEqual({ backend: 'jax' });
  });

  it('a failed switch says why and offers the backend that worked; a refused record offers nothing', async () => {
    const service = new FakeService();
    const model = new BackendModel(service, null);
    model.setPanel(fakePanel('python'));
    await settle(model);
    service.switchError = new Error('Keras could not start on torch');
    expect(await model.switchTo('torch')).toBe(false);
    expect(model.status).toBe('error');
    expect(model.error).toContain('Keras could not start on torch');
    expect(model.previousBackend).toBe('tensorflow');

    service.switchError = new RecordError('The server did not record the backend choice');
    expect(await model.switchTo('jax')).toBe(false);
    expect(model.previousBackend).toBeNull();
  });

  it('asks the server about the hook only when the kernel did not load it', async () => {
    const service = new FakeService();
    const model = new BackendModel(service, null);
    model.setPanel(fakePanel('python'));
    await settle(model);
    expect(service.hookAsked).toBe(0);
    expect(model.hook).toBeNull();

    service.current = environment('tensorflow', { hook_loaded: false });
    service.hook = { available: false, python: '/opt/conda/bin/python', install: '/opt/conda/bin/python -m pip install jupyterlab-keras-migrate' };
    await model.refresh();
    expect(service.hookAsked).toBe(1);
    expect(model.hook).toEqual(service.hook);

    service.current = environment('tensorflow');
    await model.refresh();
    expect(model.hook).toBeNull();
  });

  it('after a cell ran, asks again while Keras was not imported yet, and not once it is', async () => {
    jest.useFakeTimers();
    try {
      const service = new FakeService();
      const executed = new Signal<unknown, { notebook: unknown }>({});
      const model = new BackendModel(service, null, executed);
      const panel = fakePanel('python');
      service.current = environment('tensorflow', { keras_imported: false });
      model.setPanel(panel);
      await jest.runAllTimersAsync();
      const before = service.described;
      service.current = environment('jax', { keras_imported: true });
      executed.emit({ notebook: panel.content });
      await jest.runAllTimersAsync();
      expect(service.described).toBe(before + 1);
      expect(model.environment?.backend).toBe('jax');
      executed.emit({ notebook: panel.content });
      await jest.runAllTimersAsync();
      expect(service.described).toBe(before + 1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('readiness lists each finding under the backends it says it blocks', async () => {
    const panel = fakePanel('python');
    const findings = [
      { rule: 'KM1', guide: 'kerastensor-tf-op', blocks: ['jax', 'torch'] },
      { rule: 'KM2', guide: 'api-changes', blocks: [] }
    ] as unknown as Finding[];
    const tracker = {
      changed: new Signal<unknown, { panel: unknown }>({}),
      get: (p: unknown) => (p === panel ? { panel, findings } : null)
    } as unknown as INotebookFindingsTracker;
    const model = new BackendModel(new FakeService(), tracker);
    model.setPanel(panel);
    await settle(model);
    const readiness = model.readiness;
    expect(readiness.get('jax')!.map(f => f.rule)).toEqual(['KM1']);
    expect(readiness.get('torch')!.map(f => f.rule)).toEqual(['KM1']);
    expect(readiness.get('tensorflow')).toEqual([]);
    let emitted = 0;
    model.changed.connect(() => emitted++);
    (tracker.changed as Signal<unknown, { panel: unknown }>).emit({ panel });
    expect(emitted).toBe(1);
  });
});
