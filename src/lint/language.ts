/**
 * Is a notebook Python? Only Python notebooks get the analyser, the explain
 * action and the backend switcher; everything else is left alone.
 */
import { NotebookPanel } from '@jupyterlab/notebook';

export function notebookLanguage(panel: NotebookPanel): string | null {
  const session = panel.sessionContext;
  const kernelName = session.session?.kernel?.name;
  const specs = session.specsManager?.specs?.kernelspecs;
  if (kernelName && specs && specs[kernelName]) {
    return specs[kernelName]!.language.toLowerCase();
  }
  const model = panel.model;
  if (!model) {
    return null;
  }
  const languageInfo = model.getMetadata('language_info') as { name?: string } | undefined;
  if (languageInfo?.name) {
    return languageInfo.name.toLowerCase();
  }
  const kernelspec = model.getMetadata('kernelspec') as { language?: string; name?: string } | undefined;
  if (kernelspec?.language) {
    return kernelspec.language.toLowerCase();
  }
  const preferred = session.kernelPreference?.name;
  if (preferred && specs && specs[preferred]) {
    return specs[preferred]!.language.toLowerCase();
  }
  return null;
}

/** Unknown counts as Python: a fresh notebook has no metadata until its kernel starts. */
export function isPythonNotebook(panel: NotebookPanel): boolean {
  const language = notebookLanguage(panel);
  return language === null || language === 'python';
}
