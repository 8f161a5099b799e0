import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROCEDURES, renderOperationsDoc } from '../lib/operations-doc';
import type { Io } from './command';

/** The environment files the procedures edit, read from the project root. */
export function procedureSources(root: string): Record<string, string> {
  return Object.fromEntries([...new Set(PROCEDURES.map((p) => p.file))].map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
}

/** Runs `docs`: regenerates docs/operations.md. */
export function runDocs(_argv: readonly string[], io: Io): number {
  const root = io.root ?? process.cwd();
  const target = path.join(root, 'docs', 'operations.md');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, renderOperationsDoc(procedureSources(root)));
  io.stdout(`wrote ${path.relative(root, target)}\n`);
  return 0;
}
