import * as fs from 'node:fs';
import * as path from 'node:path';
import { UNSET_MARK } from '../constructs/rules';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { printable } from '../lib/printable';

const usage = (names: readonly string[]) => `Usage: npm run new-env -- <name> --from <environment>

Writes environments/<name>.ts, a copy of the environment --from with its name
changed and every value that must differ between two environments marked
"${UNSET_MARK}..." (load-balancer IPs, host names, the Vault path, the storage
class): synth refuses the environment, naming each one, until it is set.
Nothing else needs editing: the build finds every file in environments/.

Environments: ${names.join(', ')}`;

/** Fields whose value belongs to one environment only, and what to set instead. */
const OWN_VALUES: Record<string, string> = {
  ip: 'a static IPv4 address of the MetalLB pool, not used by another environment',
  host: 'a DNS name of this environment (its A record points at the IP beside it)',
  advertisedHost: 'the host clients reach the node ports on',
  vaultPathPrefix: 'the Vault path prefix of this environment (Phalanx vaultSecretsPath)',
  storageClass: 'a StorageClass of the cluster of this environment',
};

/** Lowercase words of letters and digits joined by single hyphens, at most 63 characters: a DNS label that maps one-to-one to an identifier. */
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Words that cannot name a constant in a strict-mode module (ECMAScript reserved words, and the names strict mode will not bind). */
const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
  'function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
  'implements interface package private protected public await arguments eval undefined NaN Infinity').split(' '));

/** `usdf-summit` → `usdfSummit`. */
const identifier = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[0-9]/, (d) => `env${d}`);

/** Runs `new-env`; returns the exit code (0 written, 2 usage). */
export function runNewEnv(argv: readonly string[], io: Io): number {
  const name = argv[0]?.startsWith('-') ? undefined : argv[0];
  const rest = name === undefined ? argv : argv.slice(1);
  const parsed = parseCommand('new-env', rest, io, { from: { type: 'string' } }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  if (!name || !args.from) {
    io.stderr(`new-env: a name and --from are required\n\n${usage(names)}\n`);
    return 2;
  }
  if (!NAME.test(name) || name.length > 63) {
    io.stderr(`new-env: '${printable(name, 100)}' is not a name for an environment: lowercase letters and digits in words joined by single '-' (no '--', none at either end), at most 63 characters; it names a folder, Kubernetes objects and the file's export\n`);
    return 2;
  }
  if (RESERVED.has(identifier(name))) {
    io.stderr(`new-env: '${name}' would export \`const ${identifier(name)}\`, a reserved word of JavaScript; choose another name (e.g. '${name}-alerts')\n`);
    return 2;
  }
  if (!knownEnvironmentNames('new-env', [args.from], registry, io)) return 2;
  const folder = path.join(io.root ?? process.cwd(), 'environments');
  const target = path.join(folder, `${name}.ts`);
  if (fs.existsSync(target) || Object.prototype.hasOwnProperty.call(registry, name)) {
    io.stderr(`new-env: environment '${name}' exists already (${path.relative(io.root ?? process.cwd(), target)})\n`);
    return 2;
  }
  const source = fs.readFileSync(path.join(folder, `${args.from}.ts`), 'utf8');
  const marked: string[] = [];
  const text = source
    .replace(/^export const \w+(\s*:\s*Environment\b)/m, `export const ${identifier(name)}$1`)
    .replace(new RegExp(`(\\bname:\\s*)'${args.from}'`), `$1'${name}'`)
    .replace(/(\b(ip|host|advertisedHost|vaultPathPrefix|storageClass)\s*:\s*)'([^']*)'/g, (_, prefix: string, field: string, old: string) => {
      marked.push(field);
      return `${prefix}'${`${UNSET_MARK}${OWN_VALUES[field]} (${args.from} has ${old})`.replace(/[\\']/g, '\\$&')}'`;
    });
  fs.writeFileSync(target, text);
  const file = path.relative(io.root ?? process.cwd(), target);
  io.stdout(`${file}: written from environments/${args.from}.ts, ${marked.length} values marked "${UNSET_MARK}..."

Next:
  1. set each marked value in ${file} (npm run synth -- --env ${name} lists the ones left);
  2. npm run synth -- --env ${name}      writes dist/${name}
  3. npm run validate -- --env ${name}   schemas and cross-object rules
  4. npm run secrets -- --env ${name}    the keys to put in Vault
  5. npm run plan -- --env ${name} --from main   (a new environment: everything added)
  6. commit ${file} and generated/environments.ts (the build adds it there)
`);
  return 0;
}
