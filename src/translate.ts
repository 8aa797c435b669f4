/**
 * The untranslated bundle for models that take an optional TranslationBundle: models
 * are unit-tested in jest, which cannot load @jupyterlab/translation (an ES module), so
 * they import its types only. Substitutes %1, %2, ... as JupyterLab's nullTranslator does.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

function substitute(message: string, args: ReadonlyArray<unknown>): string {
  return message.replace(/%(\d+)/g, (whole, n: string) => (Number(n) - 1 < args.length ? String(args[Number(n) - 1]) : whole));
}

export const plainTranslation = {
  __: (message: string, ...args: unknown[]) => substitute(message, args),
  _n: (singular: string, plural: string, n: number, ...args: unknown[]) =>
    substitute(n === 1 ? singular : plural, [n, ...args])
} as unknown as TranslationBundle;
