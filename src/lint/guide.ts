/**
 * Guide sections for the UI parts: links and blocked backends, read through the analyser's
 * one catalog reader (src/analysis/catalog.ts).
 */
import { findSection, GUIDE_URL, Section } from '../analysis/catalog';

export type GuideSection = Section;
export { GUIDE_URL };

export function guideSection(slug: string | null | undefined): GuideSection | null {
  return findSection(slug);
}

/**
 * Link to a section of the keras.io guide. The guide has no stable anchors we can
 * rely on, so a text fragment on the section title lets the browser scroll there;
 * sections that are not in the guide (part "beyond-guide") link to the guide itself.
 * `base` replaces the catalog's guide URL (the kernel hook sends the one it read);
 * a base that already has a fragment is used as it is.
 */
export function guideLink(slug: string | null | undefined, base: string | null = null): string {
  const guide = base ?? GUIDE_URL;
  const section = guideSection(slug);
  if (!section || guide.includes('#')) {
    return guide;
  }
  if (section.url) {
    return section.url;
  }
  if (section.part === 'beyond-guide') {
    return guide;
  }
  return `${guide}#:~:text=${encodeURIComponent(section.title)}`;
}

/** The backends a finding in this section keeps from working. */
export function blockedBackends(slug: string): string[] {
  return guideSection(slug)?.blocks ?? [];
}
