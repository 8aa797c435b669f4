/** Output formats of `keras-migrate check`: json (the finding contract), text, sarif. */
import { ALL_RULES, GUIDE_URL, section } from '../analysis';
import type { Finding } from '../analysis/types';

export interface FileFinding extends Finding {
  path: string;
}

const RULE_BLOCKS = new Map(ALL_RULES.map(r => [r.code, r.blocks]));

/** The backends on which the flagged code is claimed to fail: the rule's own list, else its guide section's. */
export function blockedBackends(f: Finding): string[] {
  return [...(RULE_BLOCKS.get(f.rule) ?? section(f.guide).blocks)];
}

/** Exactly the fields of the finding contract, in contract order, plus the backends it claims to block. */
export function toJsonFinding(f: FileFinding): object {
  return {
    path: f.path,
    cell: f.cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    rule: f.rule,
    guide: f.guide,
    severity: f.severity,
    message: f.message,
    fix: f.fix
      ? {
          title: f.fix.title,
          safe: f.fix.safe,
          edits: f.fix.edits.map(e => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, text: e.text }))
        }
      : null,
    blocks: blockedBackends(f)
  };
}

export function formatJson(findings: FileFinding[]): string {
  return JSON.stringify(findings.map(toJsonFinding), null, 2) + '\n';
}

export function formatText(findings: FileFinding[], fileCount: number): string {
  const out: string[] = [];
  const byPath = new Map<string, FileFinding[]>();
  for (const f of findings) {
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  for (const [p, list] of byPath) {
    out.push(p);
    for (const f of list) {
      const where = (f.cell === null ? '' : `cell ${f.cell}, `) + `${f.line}:${f.column}`;
      const fix = f.fix ? (f.fix.safe ? ' [safe fix]' : ' [suggested fix]') : '';
      out.push(`  ${where}  ${f.rule} ${f.severity}: ${f.message}${fix}`);
      out.push(`      guide: ${f.guide}: ${section(f.guide).title} (${GUIDE_URL})`);
    }
    out.push('');
  }
  const bySlug = new Map<string, number>();
  for (const f of findings) {
    bySlug.set(f.guide, (bySlug.get(f.guide) ?? 0) + 1);
  }
  if (findings.length) {
    out.push('Summary by guide section:');
    const rows = [...bySlug].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = Math.max(...rows.map(([s]) => s.length));
    for (const [slug, n] of rows) {
      out.push(`  ${slug.padEnd(width)}  ${String(n).padStart(5)}  ${section(slug).title}`);
    }
  }
  const safe = findings.filter(f => f.fix?.safe).length;
  out.push(
    `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${byPath.size} of ${fileCount} file${fileCount === 1 ? '' : 's'}` +
      (safe ? ` (${safe} fixable with \`keras-migrate fix\`)` : '')
  );
  return out.join('\n') + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(findings: FileFinding[], version: string): string {
  const rules = ALL_RULES.map(r => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.docs.whatItDoes },
    fullDescription: { text: r.docs.why },
    helpUri: GUIDE_URL,
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { guide: r.slug, fixAvailability: r.fixAvailability }
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map(f => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.path.split('\\').join('/') },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn }
        },
        ...(f.cell === null ? {} : { logicalLocations: [{ name: `cell ${f.cell}`, kind: 'notebookCell' }] })
      }
    ],
    properties: { guide: f.guide, cell: f.cell, fixable: f.fix !== null, safeFix: f.fix?.safe ?? false }
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'keras-migrate', version, informationUri: GUIDE_URL, rules } }, results }]
  };
  return JSON.stringify(log, null, 2) + '\n';
}
