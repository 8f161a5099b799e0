import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EnvironmentError } from '../constructs/rules';
import { Environment, environments as knownEnvironments } from '../environments';
import { diagramPage } from '../lib/diagram';
import { synthesizeEnvironment } from '../lib/synthesize';
import type { Io } from './synth';

/** Runs `diagram`: writes docs/<env>.md for each environment (all by default). */
export function runDiagram(argv: readonly string[], io: Io & { readonly root?: string }): number {
  const registry: Readonly<Record<string, Environment>> = io.environments ?? knownEnvironments;
  const names = Object.keys(registry);
  let args;
  try {
    args = parseArgs({ args: [...argv], options: { env: { type: 'string', multiple: true } } }).values;
  } catch (error) {
    io.stderr(`diagram: ${(error as Error).message}\n\nUsage: npm run diagram -- [--env <name>]...\n`);
    return 2;
  }
  const requested = args.env ?? names;
  const unknown = requested.filter((n) => !Object.prototype.hasOwnProperty.call(registry, n));
  if (unknown.length > 0) {
    io.stderr(`diagram: unknown environment ${unknown.map((n) => `'${n}'`).join(', ')}; known environments: ${names.join(', ')}\n`);
    return 2;
  }
  const docs = path.join(io.root ?? process.cwd(), 'docs');
  for (const name of requested) {
    let page;
    try {
      page = diagramPage(registry[name], synthesizeEnvironment(registry[name]));
    } catch (error) {
      io.stderr(`diagram: ${error instanceof EnvironmentError ? error.message : (error as Error).message}\n`);
      return 1;
    }
    fs.mkdirSync(docs, { recursive: true });
    fs.writeFileSync(path.join(docs, `${name}.md`), page);
    io.stdout(`wrote docs/${name}.md\n`);
  }
  return 0;
}
