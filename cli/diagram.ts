import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import { diagramPage } from '../lib/diagram';
import { synthesizeEnvironment } from '../lib/synthesize';
import { Io, knownEnvironmentNames, parseCommand } from './command';

const usage = (names: readonly string[]) => `Usage: npm run diagram -- [--env <name>]...

Writes docs/<env>.md, a Mermaid picture of each environment (all by default).

Environments: ${names.join(', ')}`;

/** Runs `diagram`: writes docs/<env>.md for each environment (all by default). */
export function runDiagram(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('diagram', argv, io, { env: { type: 'string', multiple: true } }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const requested = args.env ?? names;
  if (!knownEnvironmentNames('diagram', requested, registry, io)) return 2;
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
