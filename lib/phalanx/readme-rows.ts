/**
 * The umbrella's README.md values table as helm-docs (with --document-dependency-values, as
 * Phalanx's pre-commit runs it) writes it once the sub-chart is there: the umbrella's own rows
 * come first (globals, then sorted by key), then each sub-chart's rows, sub-charts sorted by
 * name. Only the sub-chart's rows are inserted; every other line stays. A test runs the real
 * helm-docs on the result.
 */

const keyOf = (row: string) => row.split('|')[1].trim();

/** Rows of the values table of a README.md written by helm-docs. */
export function valueRows(readme: string): string[] {
  return readme.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Key |'));
}

/**
 * `readme` with `parentRows` (the umbrella's own values of the sub-chart, e.g. `<name>.enabled`)
 * and `subchartRows` (the sub-chart's non-global rows, keys prefixed with `<name>.`) in place;
 * rows of `<name>.` from an earlier run are replaced.
 */
export function withSubchartRows(readme: string, name: string, parentRows: readonly string[], subchartRows: readonly string[], file: string): string {
  const lines = readme.split('\n');
  const header = lines.indexOf('| Key | Type | Default | Description |');
  if (header === -1 || lines[header + 1] !== '|-----|------|---------|-------------|') throw new Error(`${file}: has no helm-docs values table; run helm-docs (Phalanx's pre-commit) instead`);
  let end = header + 2;
  while (end < lines.length && lines[end].startsWith('| ')) end++;
  const rows = lines.slice(header + 2, end).filter((row) => !keyOf(row).startsWith(`${name}.`));

  let parentEnd = rows.findIndex((row, i) => i > 0 && !keyOf(rows[i - 1]).startsWith('global.') && keyOf(row) < keyOf(rows[i - 1]));
  if (parentEnd === -1) parentEnd = rows.length;
  for (const row of [...parentRows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))) {
    const start = rows.findIndex((r) => !keyOf(r).startsWith('global.'));
    let at = start === -1 ? parentEnd : start;
    while (at < parentEnd && keyOf(rows[at]) < keyOf(row)) at++;
    rows.splice(at, 0, row);
    parentEnd++;
  }
  const section = (row: string) => keyOf(row).split('.')[0];
  let at = parentEnd;
  while (at < rows.length && section(rows[at]) < name) at++;
  rows.splice(at, 0, ...subchartRows);
  return [...lines.slice(0, header + 2), ...rows, ...lines.slice(end)].join('\n');
}
