import * as fs from 'node:fs';
import * as path from 'node:path';

export const README = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');

/** The lines of the README's ```text block that starts with `$ <command>` (after that line). */
export function readmeExample(command: string): string[] {
  const blocks = [...README.matchAll(/^( *)```text\n([\s\S]*?)^\1```$/gm)].map((m) => m[2].split('\n').map((l) => l.slice(m[1].length)).filter((l, i, all) => i < all.length - 1 || l !== ''));
  const block = blocks.find((lines) => lines[0] === `$ ${command}`);
  if (!block) throw new Error(`README has no example of \`${command}\``);
  return block.slice(1);
}

