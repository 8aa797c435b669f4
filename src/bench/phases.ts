/**
 * Where a full analysis spends its time: the notebook loop of NotebookAnalysisImpl.analyse()
 * rebuilt from the same building blocks, with a clock around each phase. It has none of the
 * notebook's caches (every cell is fresh, as in a cold analysis), so the sum is close to,
 * not equal to, the "full analysis" row; the point is the split. Used by run.ts.
 */
import { buildSyntaxTree } from '../analysis/ast';
import { applyEffects } from '../analysis/scope';
import { analyseCell } from '../analysis/walk';
import { maskIPython } from '../analysis/mask';
import type { PythonGrammar } from '../analysis/parser';
import { relevanceOf, ruleSetOf, statementFilter } from '../analysis/relevance';
import { ALL_RULES } from '../analysis/rules';
import type { Env } from '../analysis/scope';

export const PHASES = ['mask + relevance test', 'parse', 'tree copy', 'rules walk', 'tree delete'] as const;

/** Milliseconds per phase for one pass over the notebooks. */
export function timePhases(grammar: PythonGrammar, notebooks: ReadonlyArray<ReadonlyArray<string | null>>, now: () => number): number[] {
  const spent = PHASES.map(() => 0);
  const parser = grammar.sharedParser;
  const ruleSet = ruleSetOf(ALL_RULES);
  for (const cells of notebooks) {
    let env: Env = new Map();
    let relevance = relevanceOf(env, ruleSet);
    for (const source of cells) {
      if (source === null) {
        continue;
      }
      let t = now();
      const masked = maskIPython(source);
      const relevant = relevance.test(masked);
      let u = now();
      spent[0] += u - t;
      if (!relevant) {
        continue;
      }
      t = u;
      const tree = parser.parse(masked)!;
      u = now();
      spent[1] += u - t;
      t = u;
      const root = buildSyntaxTree(tree, grammar, statementFilter(masked, relevance), masked);
      u = now();
      spent[2] += u - t;
      t = u;
      const result = analyseCell(root, source, env, ALL_RULES);
      u = now();
      spent[3] += u - t;
      t = u;
      tree.delete();
      spent[4] += now() - t;
      if (result.effects.length) {
        env = applyEffects(env, result.effects);
        relevance = relevanceOf(env, ruleSet);
      }
    }
  }
  return spent;
}

/**
 * The masked texts of the cells a cold analysis parses (those the relevance test keeps), per
 * notebook: the same loop as timePhases without the clock. The benchmark parses exactly these
 * as its second floor, "bare parse of the cells analysis parses".
 */
export function cellsParsed(grammar: PythonGrammar, notebooks: ReadonlyArray<ReadonlyArray<string | null>>): string[][] {
  const parser = grammar.sharedParser;
  const ruleSet = ruleSetOf(ALL_RULES);
  return notebooks.map(cells => {
    const parsed: string[] = [];
    let env: Env = new Map();
    let relevance = relevanceOf(env, ruleSet);
    for (const source of cells) {
      if (source === null) {
        continue;
      }
      const masked = maskIPython(source);
      if (!relevance.test(masked)) {
        continue;
      }
      parsed.push(masked);
      const tree = parser.parse(masked)!;
      const root = buildSyntaxTree(tree, grammar, statementFilter(masked, relevance), masked);
      tree.delete();
      const result = analyseCell(root, source, env, ALL_RULES);
      if (result.effects.length) {
        env = applyEffects(env, result.effects);
        relevance = relevanceOf(env, ruleSet);
      }
    }
    return parsed;
  });
}
