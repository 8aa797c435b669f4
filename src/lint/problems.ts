/**
 * The notebook's findings as the problems panel and the keyboard commands see
 * them: ordered, filtered, grouped; the next one after the cursor; the
 * suppression comment for a line. Pure functions (no DOM), tested in jest.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Backend, Finding, Severity } from '../analysis/types';
import { plainTranslation } from '../translate';
import { blockedBackends, guideSection } from './guide';

export type GroupBy = 'section' | 'cell';

export interface ProblemFilter {
  /** Severities shown; all when empty. */
  severities: ReadonlySet<Severity>;
  /** Only findings that block this backend (null: all findings). */
  backend: Backend | null;
}

export interface ProblemGroup {
  key: string;
  title: string;
  findings: Finding[];
}

/** The backends a finding keeps from running: its own list (older analysers: its section's). */
export function findingBlocks(finding: Finding): string[] {
  return finding.blocks ?? blockedBackends(finding.guide);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Notebook order: cell, line, column, then rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.cell ?? -1) - (b.cell ?? -1) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule)
  );
}

export function filterFindings(findings: ReadonlyArray<Finding>, filter: ProblemFilter): Finding[] {
  return findings.filter(
    f =>
      (filter.severities.size === 0 || filter.severities.has(f.severity)) &&
      (filter.backend === null || findingBlocks(f).includes(filter.backend))
  );
}

export function groupFindings(
  findings: ReadonlyArray<Finding>,
  by: GroupBy,
  trans: TranslationBundle = plainTranslation
): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const finding of [...findings].sort(compareFindings)) {
    const key = by === 'cell' ? `cell-${finding.cell ?? 0}` : finding.guide;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        title: by === 'cell' ? trans.__('Cell %1', (finding.cell ?? 0) + 1) : guideSection(finding.guide)?.title ?? finding.guide,
        findings: []
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  const list = [...groups.values()];
  if (by === 'section') {
    // Worst first, then the largest sections.
    const worst = (g: ProblemGroup) => Math.min(...g.findings.map(f => SEVERITY_ORDER[f.severity]));
    list.sort((a, b) => worst(a) - worst(b) || b.findings.length - a.findings.length || a.title.localeCompare(b.title));
  }
  return list;
}

export interface CursorPosition {
  cell: number;
  /** 1-based, as in findings. */
  line: number;
  column: number;
}

/** The finding after (or before) the cursor, wrapping around the notebook. */
export function adjacentFinding(
  findings: ReadonlyArray<Finding>,
  at: CursorPosition,
  direction: 1 | -1
): Finding | null {
  const sorted = findings.filter(f => f.cell !== null).sort(compareFindings);
  if (!sorted.length) {
    return null;
  }
  const cmp = (f: Finding) => (f.cell! - at.cell) || f.line - at.line || f.column - at.column;
  if (direction === 1) {
    return sorted.find(f => cmp(f) > 0) ?? sorted[0];
  }
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (cmp(sorted[i]) < 0) {
      return sorted[i];
    }
  }
  return sorted[sorted.length - 1];
}

/** Findings of a cell whose range holds the cursor (or that start on its line). */
export function findingsAtCursor(findings: ReadonlyArray<Finding>, at: CursorPosition): Finding[] {
  const inCell = findings.filter(f => f.cell === at.cell);
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  const covering = inCell.filter(
    f => before(f.line, f.column, at.line, at.column) && before(at.line, at.column, f.endLine, f.endColumn)
  );
  return covering.length ? covering : inCell.filter(f => f.line === at.line);
}

const SUPPRESSION = /#\s*keras-migrate:\s*ignore(\[([^\]]*)\])?/;

/**
 * The line with a `# keras-migrate: ignore[...]` comment naming `codes`, merged
 * into a suppression comment the line already has.
 */
export function lineWithSuppression(line: string, codes: ReadonlyArray<string>): string | null {
  if (/\\\s*$/.test(line)) {
    return null; // a comment after a line continuation would end the statement
  }
  const existing = SUPPRESSION.exec(line);
  if (existing) {
    if (existing[1] === undefined) {
      return line; // already ignores every rule
    }
    const names = existing[2].split(',').map(s => s.trim()).filter(Boolean);
    for (const code of codes) {
      if (!names.includes(code)) {
        names.push(code);
      }
    }
    return line.slice(0, existing.index) + `# keras-migrate: ignore[${names.join(', ')}]` + line.slice(existing.index + existing[0].length);
  }
  const unique = [...new Set(codes)];
  return `${line.replace(/\s+$/, '')}  # keras-migrate: ignore[${unique.join(', ')}]`;
}

export interface MigrationSummary {
  total: number;
  /** Findings per guide section, most first. */
  sections: Array<{ slug: string; count: number }>;
  /** Findings with a fix, and those whose fix is safe (what "Fix all" applies). */
  fixable: number;
  safe: number;
  /** Findings that keep each backend from running the notebook. */
  blocks: Record<Backend, number>;
  /**
   * Layers, model classes and model functions that stay TensorFlow-only after the safe fixes
   * (KM190 findings that block a backend): a layer is multi-backend only once all its TF calls are converted.
   */
  tfOnly: number;
}

/** The notebook's migration at a glance: what is where, what fixes itself, what blocks each backend. */
export function summarize(findings: ReadonlyArray<Finding>): MigrationSummary {
  const sections = new Map<string, number>();
  const blocks: Record<Backend, number> = { jax: 0, tensorflow: 0, torch: 0 };
  let fixable = 0;
  let safe = 0;
  let tfOnly = 0;
  for (const finding of findings) {
    sections.set(finding.guide, (sections.get(finding.guide) ?? 0) + 1);
    if (finding.fix) {
      fixable++;
      if (finding.fix.safe) {
        safe++;
      }
    }
    const blocked = findingBlocks(finding);
    for (const backend of blocked) {
      if (backend in blocks) {
        blocks[backend as Backend]++;
      }
    }
    if (finding.rule === 'KM190' && blocked.length) {
      tfOnly++;
    }
  }
  return {
    total: findings.length,
    sections: [...sections.entries()].map(([slug, count]) => ({ slug, count })).sort((a, b) => b.count - a.count),
    fixable,
    safe,
    blocks,
    tfOnly
  };
}
