import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

export const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/**
 * The hand-written documentation: README.md, then docs/*.md in name order (the generated pages
 * included), so an example is checked wherever it lives.
 */
export const DOCUMENTATION: ReadonlyArray<{ readonly file: string; readonly text: string }> = [
  { file: 'README.md', text: README },
  ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort()
    .map((f) => ({ file: `docs/${f}`, text: fs.readFileSync(path.join(root, 'docs', f), 'utf8') })),
];

/** The text of one documentation file (`README.md`, `docs/<name>.md`). */
export function documentation(file: string): string {
  const found = DOCUMENTATION.find((d) => d.file === file);
  if (!found) throw new Error(`no documentation file ${file}`);
  return found.text;
}

/** The ```text blocks of a markdown text, each as its lines (indentation of the fence removed). */
function textBlocks(text: string): string[][] {
  return [...text.matchAll(/^( *)```text\n([\s\S]*?)^\1```$/gm)].map((m) => m[2].split('\n').map((l) => l.slice(m[1].length)).filter((l, i, all) => i < all.length - 1 || l !== ''));
}

/** Every ```text block of the documentation that starts with `$ <command>`, each as its lines after that one, in documentation order. */
export function readmeExamples(command: string): string[][] {
  return DOCUMENTATION.flatMap(({ text }) => textBlocks(text).filter((lines) => lines[0] === `$ ${command}`).map((lines) => lines.slice(1)));
}

/** The lines of the one ```text block of the documentation that starts with `$ <command>` (after that line). */
export function readmeExample(command: string): string[] {
  const blocks = readmeExamples(command);
  if (blocks.length === 0) throw new Error(`README.md and docs/*.md have no example of \`${command}\``);
  if (blocks.length > 1) throw new Error(`README.md and docs/*.md have ${blocks.length} examples of \`${command}\`: use readmeExamples`);
  return blocks[0];
}

/** The lines of the first ```text block after the first documentation sentence containing `words` (no `$ ` lines, no blank ones). */
export function exampleAfter(words: string): string[] {
  for (const { text } of DOCUMENTATION) {
    const at = text.indexOf(words);
    if (at < 0) continue;
    const block = textBlocks(text.slice(at))[0];
    if (!block) break;
    return block.filter((l) => l !== '').filter((l) => !l.startsWith('$ '));
  }
  throw new Error(`README.md and docs/*.md have no example after "${words}"`);
}

/** The part of a markdown text from the line `heading` to the next heading of the same or a higher level (fenced code skipped). */
export function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const level = /^(#+) /.exec(heading)?.[1].length;
  const start = lines.indexOf(heading);
  if (!level || start < 0) throw new Error(`no heading "${heading}"`);
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (/^ *```/.test(lines[end])) fenced = !fenced;
    const m = /^(#+) /.exec(lines[end]);
    if (!fenced && m && m[1].length <= level) break;
  }
  return lines.slice(start, end).join('\n');
}
