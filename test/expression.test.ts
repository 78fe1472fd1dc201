/**
 * Expressions known by their parse tree (the config cache's, shared/expression.ts knowTrees): read from the
 * tree alone, compiled by jsonata only when evaluated, and then exactly what jsonata would compute.
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { BAIL, fieldReader } from '../src/map/fast.js';
import { compileExpression, knowTrees, recordExpressions } from '../src/shared/expression.js';

describe('known trees', () => {
  it('answer compileExpression with the tree, and evaluate as jsonata does once asked', async () => {
    const text = 'known.path[0]';
    const tree = JSON.parse(JSON.stringify(jsonata(text).ast()));
    knowTrees({ [text]: tree });
    const expr = compileExpression(text, 'fields.x');
    expect(expr.ast()).toBe(tree);
    expect(fieldReader(expr)?.({ known: { path: ['first', 'second'] } })).toBe('first');
    // What the fast path leaves to jsonata (an array mid-path) is jsonata's answer, as a plain list.
    const input = { known: [{ path: ['a'] }, { path: ['b'] }] };
    expect(fieldReader(expr)?.(input)).toBe(BAIL);
    expect([...(await expr.evaluate(input))]).toEqual([...(await jsonata(text).evaluate(input))]);
  });

  it('never replace an expression already compiled, and are recorded like any other', () => {
    const real = compileExpression('already.here', 'fields.x');
    knowTrees({ 'already.here': { type: 'path', steps: [] } as unknown as jsonata.ExprNode });
    const { result, expressions } = recordExpressions(() => compileExpression('already.here', 'fields.x'));
    expect(result).toBe(real);
    expect([...expressions.keys()]).toEqual(['already.here']);
  });
});
