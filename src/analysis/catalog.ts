/**
 * The one reader of src/catalog/sections.json, backends.json, apis.json, tf_keras_only.json,
 * keras2_identifiers.json and (for the front end) signatures.json (typed access), and Keras version arithmetic.
 */
import backendsJson from '../catalog/backends.json';
import sectionsJson from '../catalog/sections.json';
import signaturesJson from '../catalog/signatures.json';
import apisJson from '../catalog/apis.json';
import tfKerasOnlyJson from '../catalog/tf_keras_only.json';
import keras2IdentifiersJson from '../catalog/keras2_identifiers.json';
import type { Backend } from './types';

/** The backends runs and the switcher offer, in run order (catalog: backends.json). */
export const TRAINING_BACKENDS = backendsJson.trainingBackends as ReadonlyArray<Backend>;
/** The environment variable that selects the Keras backend. */
export const BACKEND_ENV_VAR = backendsJson.environmentVariable;
/** Where a notebook's metadata keeps the backend chosen for it. */
export const NOTEBOOK_METADATA_KEY = backendsJson.notebookMetadataKey;

export interface SectionVersionRange {
  from: string;
  until?: string;
}

export interface Section {
  slug: string;
  part: 'tensorflow' | 'multi-backend' | 'beyond-guide';
  title: string;
  summary: string;
  explanation: string;
  fix: string;
  versions: SectionVersionRange[];
  blocks: Backend[];
  /** Optional explicit link; otherwise the guide URL with a text fragment. */
  url?: string;
}

interface SectionsFile {
  guideUrl: string;
  newestKnownKeras: string;
  sections: Section[];
}

const catalog = sectionsJson as unknown as SectionsFile;

export const GUIDE_URL = catalog.guideUrl;
export const NEWEST_KNOWN_KERAS = catalog.newestKnownKeras;
export const SECTIONS: readonly Section[] = catalog.sections;

const bySlug = new Map(SECTIONS.map(s => [s.slug, s]));

export function section(slug: string): Section {
  const s = bySlug.get(slug);
  if (!s) {
    throw new Error(`unknown guide slug: ${slug}`);
  }
  return s;
}

/**
 * What Keras 3 did to one API and since which version (catalog: apis.json), for findings and
 * cards whose guide section lists many unrelated APIs.
 */
export interface ApiExplanation {
  id: string;
  rules?: string[];
  match?: string;
  signatures?: string[];
  since: string;
  explanation: string;
}

const APIS = (apisJson as unknown as { apis: ApiExplanation[] }).apis;
const apiMatchers = APIS.map(api => (api.match ? new RegExp(api.match) : null));

/** The explanation of the API a finding of `rule` with this message is about, or null (then its section's). */
export function apiExplanation(rule: string, message: string): ApiExplanation | null {
  for (let i = 0; i < APIS.length; i++) {
    const api = APIS[i];
    if (api.rules?.includes(rule) && (!apiMatchers[i] || apiMatchers[i]!.test(message))) {
      return api;
    }
  }
  return null;
}

/**
 * Keras 2 names that TensorFlow's `tf.keras` keeps and Keras 3's `keras` lacks (`keras.losses.logcosh`),
 * each with the Keras 3 name of the very same object in the same module, or null where there is
 * none (catalog: tf_keras_only.json, computed from the installed Keras by its pytest).
 */
export const TF_KERAS_ONLY_NAMES: ReadonlyMap<string, string | null> = new Map(
  Object.entries((tfKerasOnlyJson as unknown as { names: Record<string, string | null> }).names)
);

/**
 * Keras 2 names (tf_keras) that neither Keras 3's `keras` nor its `tf.keras` has (`keras.models.model_from_yaml`,
 * `keras.utils.OrderedEnqueuer`): AttributeError or ImportError on every backend, however spelled
 * (catalog: tf_keras_only.json `removed_in_keras3`, computed from tf_keras and Keras).
 */
export const REMOVED_IN_KERAS3: ReadonlySet<string> = new Set(
  (tfKerasOnlyJson as unknown as { removed_in_keras3?: string[] }).removed_in_keras3 ?? []
);

/**
 * Keras 2 names that Keras 3's `tf.keras` (keras._tf_keras.keras) lacks while Keras 3's `keras` has
 * them (`keras.losses.mean_squared_error`): through `tf.keras` they raise AttributeError on every
 * backend (catalog: tf_keras_only.json `missing_from_tf_keras`, computed from tf_keras and Keras).
 */
export const MISSING_FROM_TF_KERAS: ReadonlySet<string> = new Set(
  (tfKerasOnlyJson as unknown as { missing_from_tf_keras?: string[] }).missing_from_tf_keras ?? []
);

/**
 * String identifiers Keras 2 took in `compile(loss=...)` / `compile(metrics=...)` that Keras 3
 * rejects ("Could not interpret metric identifier: kld"), each with the Keras 3 string for the
 * same function or null (catalog: keras2_identifiers.json, computed from tf_keras and Keras).
 */
export const KERAS2_IDENTIFIERS: { readonly loss: ReadonlyMap<string, string | null>; readonly metric: ReadonlyMap<string, string | null> } = {
  loss: new Map(Object.entries((keras2IdentifiersJson as unknown as { loss: Record<string, string | null> }).loss)),
  metric: new Map(Object.entries((keras2IdentifiersJson as unknown as { metric: Record<string, string | null> }).metric))
};

/** The section of a slug, or null when the slug is missing or unknown. */
export function findSection(slug: string | null | undefined): Section | null {
  return slug ? (bySlug.get(slug) ?? null) : null;
}

/** Parses "3", "3.4" or "3.4.1" into comparable numbers; null when it is not a version. */
export function parseVersion(v: string): number[] | null {
  const m = /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
  if (!m) {
    return null;
  }
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [0, 0, 0];
  const y = parseVersion(b) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) {
      return x[i] - y[i];
    }
  }
  return 0;
}

/** Whether a Keras version lies in one of the ranges (from <= v < until). */
export function versionInRanges(kerasVersion: string, ranges: readonly SectionVersionRange[]): boolean {
  return ranges.some(
    r => compareVersions(kerasVersion, r.from) >= 0 && (r.until === undefined || compareVersions(kerasVersion, r.until) < 0)
  );
}

/** Whether a guide section's problem exists on the given Keras version. */
export function sectionApplies(slug: string, kerasVersion: string): boolean {
  const s = bySlug.get(slug);
  return !s || versionInRanges(kerasVersion, s.versions);
}

/** Sections that only matter when the code must run on JAX or PyTorch too. */
export function isMultiBackendOnly(slug: string): boolean {
  return bySlug.get(slug)?.part === 'multi-backend';
}

let recognisedTypes: ReadonlySet<string> | null = null;

/**
 * Exception classes some recognizer signature names (catalog: signatures.json). Read on
 * first use, so bundles that never ask (the CLI, the analysis worker) drop the file.
 */
export function recognisedExceptionTypes(): ReadonlySet<string> {
  if (!recognisedTypes) {
    const signatures = signaturesJson.signatures as ReadonlyArray<{ exceptionTypes?: string[] }>;
    // Class names only ("logging" marks log-record warnings, not an exception).
    recognisedTypes = new Set(signatures.flatMap(s => s.exceptionTypes ?? []).filter(name => /^[A-Z]\w*$/.test(name)));
  }
  return recognisedTypes;
}
