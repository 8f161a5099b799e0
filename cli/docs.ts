import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderArgoCdHealthValues } from '../lib/argocd-health';
import { PROCEDURES, renderOperationsDoc } from '../lib/operations-doc';
import { Io, parseCommand } from './command';

const usage = () => `Usage: npm run docs

Regenerates docs/operations.md (the manual's procedures as changes) and
docs/argocd-health.yaml (the Argo CD health checks). Takes no options.`;

/** The environment files the procedures edit, read from the project root. */
export function procedureSources(root: string): Record<string, string> {
  return Object.fromEntries([...new Set(PROCEDURES.map((p) => p.file))].map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
}

/** Runs `docs`: regenerates docs/operations.md and docs/argocd-health.yaml. */
export function runDocs(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('docs', argv, io, {}, usage);
  if (typeof parsed === 'number') return parsed;
  const root = io.root ?? process.cwd();
  const files: Array<[string, string]> = [
    ['operations.md', renderOperationsDoc(procedureSources(root))],
    ['argocd-health.yaml', renderArgoCdHealthValues()],
  ];
  for (const [name, text] of files) {
    const target = path.join(root, 'docs', name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    io.stdout(`wrote ${path.relative(root, target)}\n`);
  }
  return 0;
}
