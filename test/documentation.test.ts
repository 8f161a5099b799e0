/**
 * The documentation's shape: the README stays short enough for a newcomer (≤ 350 lines, "Adding an
 * environment" within its first 150), and every relative link and anchor in README.md and docs/*.md
 * resolves, by GitHub's anchor rules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENTATION, README } from './readme-examples';

const root = path.resolve(__dirname, '..');

/** GitHub's anchor of a heading: lowercase, punctuation and symbols dropped, each space a '-'. */
export function slug(heading: string): string {
  return heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').trim().toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Markdown with fenced code blocks blanked (their lines kept, so line numbers hold). */
const withoutFences = (text: string) => text.replace(/^( *)(```|~~~)[\s\S]*?^\1\2 *$/gm, (block) => block.replace(/[^\n]/g, ''));

/** The anchors of a markdown text's headings; a repeated one gets -1, -2, … as on GitHub. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutFences(text).matchAll(/^#{1,6} +(.+?)(?: +#+)? *$/gm)) {
    const s = slug(m[1]);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    out.add(n === 0 ? s : `${s}-${n}`);
  }
  return out;
}

/** One line per link of `file` (repository-relative) whose file or anchor does not exist; `read` gives a file's text. */
export function brokenLinks(file: string, text: string, exists: (f: string) => boolean, read: (f: string) => string): string[] {
  const problems: string[] = [];
  withoutFences(text).split('\n').forEach((line, i) => {
    for (const m of line.replace(/`[^`]*`/g, (c) => c.replace(/[[\]()]/g, ' ')).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      const [pathPart, anchor] = target.split('#') as [string, string | undefined];
      const linked = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
      if (pathPart !== '' && !exists(linked)) {
        problems.push(`${file}:${i + 1}: ${target}: no file ${linked}`);
      } else if (anchor !== undefined && linked.endsWith('.md') && !anchors(read(linked)).has(anchor)) {
        problems.push(`${file}:${i + 1}: ${target}: ${linked} has no heading with anchor #${anchor}`);
      }
    }
  });
  return problems;
}

test('README.md is at most 350 lines, and "Adding an environment" starts within its first 150', () => {
  const lines = README.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(350);
  const at = lines.indexOf('## Adding an environment');
  expect(at).toBeGreaterThanOrEqual(0);
  expect(at).toBeLessThan(150);
});

test('every relative link and anchor of README.md and docs/*.md resolves', () => {
  const exists = (f: string) => fs.existsSync(path.join(root, f));
  const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
  expect(DOCUMENTATION.map((d) => d.file)).toEqual(expect.arrayContaining(['README.md', 'docs/design.md', 'docs/testing.md']));
  expect(DOCUMENTATION.flatMap((d) => brokenLinks(d.file, d.text, exists, read))).toEqual([]);
});

describe('the link check', () => {
  const files: Record<string, string> = {
    'README.md': '# Title\n\n## Change → plan → pull request → sync\n\n### Against your cluster: `--server`\n\n## Notes\n\n## Notes\n',
    'docs/a.md': '# A\n\n```sh\n# not a heading\n```\n',
  };
  const exists = (f: string) => f in files;
  const read = (f: string) => files[f];

  test("follows GitHub's anchor rules", () => {
    expect([...anchors(files['README.md'])]).toEqual(['title', 'change--plan--pull-request--sync', 'against-your-cluster---server', 'notes', 'notes-1']);
    expect([...anchors(files['docs/a.md'])]).toEqual(['a']);
  });

  test('accepts links that resolve, from the root and from docs/', () => {
    expect(brokenLinks('README.md', '[x](#change--plan--pull-request--sync) [y](docs/a.md#a) [z](https://example.org/#nope) `[no](#link)`', exists, read)).toEqual([]);
    expect(brokenLinks('docs/a.md', '[x](../README.md#notes-1) [y](#a) [z](a.md)', exists, read)).toEqual([]);
  });

  test('names each link whose file or anchor is missing, with its line', () => {
    expect(brokenLinks('docs/a.md', 'fine\n[x](#plan) [y](README.md#title)\n[z](../README.md#not-here)', exists, read)).toEqual([
      'docs/a.md:2: #plan: docs/a.md has no heading with anchor #plan',
      'docs/a.md:2: README.md#title: no file docs/README.md',
      'docs/a.md:3: ../README.md#not-here: README.md has no heading with anchor #not-here',
    ]);
  });
});
