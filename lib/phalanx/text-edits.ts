import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';

/**
 * Textual edits of YAML files a person maintains (Phalanx's Chart.yaml and
 * values-<env>.yaml): the yaml parser only locates things, the text is
 * changed in place, so every other byte (comments, anchors, blank lines,
 * quoting) stays as it was. Each edit is idempotent.
 */

function parsed(text: string, file: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix it first`);
  return doc;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

function withTrailingNewline(text: string): string {
  return text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Sets the scalar at `path` to `value` (a YAML scalar's text): replaces it if
 * present, else inserts the missing keys as the first entries of the deepest
 * block mapping on the path (or at the end of the file).
 */
export function setScalar(text: string, path: readonly string[], value: string, file: string): string {
  const doc = parsed(text, file);
  const node = doc.getIn(path, true);
  if (node !== undefined) {
    if (!isScalar(node) || !node.range) throw new Error(`${file}: ${path.join('.')} is not a plain value; set it to ${value} by hand`);
    return text.slice(0, node.range[0]) + value + text.slice(node.range[1]);
  }
  let depth = path.length - 1;
  while (depth > 0 && !isMap(doc.getIn(path.slice(0, depth), true))) depth--;
  const missing = path.slice(depth);
  const nested = (indent: string) => missing.map((key, i) => `${indent}${'  '.repeat(i)}${key}:${i === missing.length - 1 ? ` ${value}` : ''}`).join('\n');
  if (depth === 0) {
    if (doc.getIn([path[0]], true) !== undefined) throw new Error(`${file}: ${path[0]} is not a mapping; set ${path.join('.')}: ${value} by hand`);
    return `${withTrailingNewline(text)}\n${nested('')}\n`;
  }
  const parent = doc.getIn(path.slice(0, depth), true) as YAMLMap;
  if (parent.flow || !parent.range || parent.items.length === 0) throw new Error(`${file}: ${path.slice(0, depth).join('.')} is a flow mapping; set ${path.join('.')}: ${value} by hand`);
  const first = parent.range[0];
  const indent = text.slice(lineStart(text, first), first);
  if (indent.trim() !== '') throw new Error(`${file}: ${path.slice(0, depth).join('.')} does not start on its own line; set ${path.join('.')}: ${value} by hand`);
  return text.slice(0, lineStart(text, first)) + `${nested(indent)}\n` + text.slice(lineStart(text, first));
}

const topLevelLine = (lines: readonly string[], key: string) => lines.findIndex((l) => l === `${key}:` || l.startsWith(`${key}: `) || l.startsWith(`${key}:#`));

/**
 * Replaces the top-level block `key:` (its line and every following indented
 * or blank line, trailing blank lines excluded) with `block`. When there is
 * none, inserts `block` and a blank line before the top-level key `before`,
 * or appends it after a blank line.
 */
export function replaceTopLevelBlock(text: string, key: string, block: string, file: string, before?: string): string {
  parsed(text, file);
  const lines = text.split('\n');
  const start = topLevelLine(lines, key);
  if (start === -1) {
    const at = before === undefined ? -1 : topLevelLine(lines, before);
    if (at === -1) return `${withTrailingNewline(text)}\n${block}`;
    return [...lines.slice(0, at), ''].join('\n') + `${block}\n` + lines.slice(at).join('\n');
  }
  let end = start + 1;
  while (end < lines.length && (lines[end].startsWith(' ') || lines[end] === '')) end++;
  while (end > start + 1 && lines[end - 1] === '') end--;
  const after = lines.slice(end).join('\n');
  return [...lines.slice(0, start), ''].join('\n') + block + after;
}

/**
 * Ensures the Chart.yaml dependency `name` exists with `condition`: adds the
 * condition to an existing entry that has none, or appends the entry
 * `{ name, condition, version }` after the last dependency.
 */
export function ensureDependency(text: string, name: string, condition: string, version: string, file: string): string {
  const doc = parsed(text, file);
  const dependencies = doc.get('dependencies', true);
  if (!isSeq(dependencies) || !dependencies.range || dependencies.flow) throw new Error(`${file}: has no block list of dependencies; add { name: ${name}, condition: ${condition}, version: ${version} } by hand`);
  const entry = dependencies.items.find((item) => isMap(item) && item.get('name') === name);
  if (isMap(entry)) {
    const existing = entry.get('condition');
    if (existing === condition) return text;
    if (existing !== undefined) throw new Error(`${file}: dependency ${name} has condition ${String(existing)}; change it to ${condition} by hand`);
    const nameNode = entry.get('name', true);
    if (!isScalar(nameNode) || !nameNode.range) throw new Error(`${file}: dependency ${name} has no plain name; add condition: ${condition} by hand`);
    const at = lineEnd(text, nameNode.range[1]);
    const keyStart = (entry.items[0].key as { range?: [number, number, number] }).range?.[0] ?? nameNode.range[0];
    const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
    return `${text.slice(0, at)}${indent}condition: ${condition}\n${text.slice(at)}`;
  }
  const last = dependencies.items[dependencies.items.length - 1];
  if (!isMap(last) || !last.range) throw new Error(`${file}: the last dependency is not a mapping; add ${name} by hand`);
  const firstKey = (last.items[0].key as { range?: [number, number, number] }).range?.[0] ?? last.range[0];
  const dash = text.slice(lineStart(text, firstKey), firstKey).replace(/- *$/, '');
  const keyIndent = ' '.repeat(firstKey - lineStart(text, firstKey));
  const at = lineEnd(text, last.range[1] - 1);
  const block = `${dash}- name: ${name}\n${keyIndent}condition: ${condition}\n${keyIndent}version: ${version}\n`;
  return text.slice(0, at) + block + text.slice(at);
}

/**
 * Removes the top-level block `key:` (its line and every following indented
 * or blank line, trailing blank lines excluded), and the comment lines right
 * above it that are indented like its children or less and directly attached
 * (no blank line between). Nothing when there is none.
 */
export function removeTopLevelBlock(text: string, key: string, file: string): string {
  parsed(text, file);
  const lines = text.split('\n');
  let start = topLevelLine(lines, key);
  if (start === -1) return text;
  let end = start + 1;
  while (end < lines.length && (lines[end].startsWith(' ') || lines[end] === '' || lines[end].startsWith('#') && lines.slice(end).find((l) => l !== '' && !l.startsWith('#'))?.startsWith(' '))) end++;
  while (end > start + 1 && lines[end - 1] === '') end--;
  while (start > 0 && lines[start - 1].startsWith('#')) start--;
  const kept = [...lines.slice(0, start), ...lines.slice(end)];
  // Collapse the blank lines the removal leaves side by side, and any at the top.
  const out = kept.filter((line, i) => !(line === '' && (i === 0 || kept[i - 1] === '')));
  return out.join('\n');
}
