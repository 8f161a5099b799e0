/**
 * Entry point of the command-line tools other than synth (`npm run secrets`, …):
 * picks the command and binds it to the process.
 */
import { runSecrets } from './secrets';
import type { Io } from './synth';

const commands: Record<string, (argv: readonly string[], io: Io) => number> = {
  secrets: runSecrets,
};

const io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
const [command, ...argv] = process.argv.slice(2);
const run = commands[command];
if (run) {
  process.exitCode = run(argv, io);
} else {
  io.stderr(`unknown command '${command ?? ''}'; commands: ${Object.keys(commands).join(', ')}\n`);
  process.exitCode = 2;
}
