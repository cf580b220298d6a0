import { parser } from '@prometheus-io/lezer-promql';

// The Prometheus project's own PromQL grammar (the one its web UI's editor parses with). Strict:
// lezer otherwise recovers from a syntax error with an error node and carries on, which is right
// for an editor and wrong for CI.
const strictParser = parser.configure({ strict: true });

/** The parse tree of a PromQL expression; throws an error naming where it stops making sense. */
export function parsePromQL(expr: string): ReturnType<typeof parser.parse> {
  try {
    return strictParser.parse(expr);
  } catch (err) {
    const at = Number(/at (\d+)/.exec(String((err as Error).message))?.[1] ?? NaN);
    if (Number.isNaN(at)) throw err;
    const line = expr.slice(0, at).split('\n').length;
    const column = at - expr.lastIndexOf('\n', at - 1);
    const near = expr.slice(Math.max(0, at - 20), at + 20).replace(/\s+/g, ' ').trim();
    const where = at >= expr.trimEnd().length ? 'the expression ends too soon, after' : 'near';
    throw new SyntaxError(`PromQL syntax error at line ${line}, column ${column}: ${where} "${near}"`);
  }
}

/** Metric names an expression selects: the identifier of each vector selector (`name{...}`, `name[5m]`). */
export function metricsIn(expr: string): string[] {
  const names = new Set<string>();
  parsePromQL(expr).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      if (id) names.add(expr.slice(id.from, id.to));
    },
  });
  return [...names];
}
