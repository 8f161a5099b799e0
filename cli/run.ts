/**
 * Entry point of the command-line tools other than synth (`npm run secrets`, …):
 * picks the command and binds it to the process.
 */
import { runDiagram } from './diagram';
import { runDocs } from './docs';
import { runNewEnv } from './new-env';
import { runPhalanx } from './phalanx';
import { runPlan } from './plan';
import { runSecrets } from './secrets';
import { runValidate } from './validate';
import type { Io } from './command';
import { EnvironmentLoadError } from '../lib/environments';
import { terminalSafe } from '../lib/printable';

const commands: Record<string, (argv: readonly string[], io: Io) => number | Promise<number>> = {
  diagram: runDiagram,
  docs: runDocs,
  'new-env': runNewEnv,
  phalanx: runPhalanx,
  plan: runPlan,
  secrets: runSecrets,
  validate: runValidate,
};

// Every line the commands write passes terminalSafe: nothing from a file or a server reaches the terminal raw.
const io: Io = { stdout: (t) => process.stdout.write(terminalSafe(t)), stderr: (t) => process.stderr.write(terminalSafe(t)) };
const [command, ...argv] = process.argv.slice(2);
const run = commands[command];
const unexpected = (error: unknown) => {
  if (error instanceof EnvironmentLoadError) {
    // An environment file the command needed cannot be used: one line naming the file.
    io.stderr(`${command}: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  // Expected failures are reported by the commands; this is a bug, still said in one line.
  io.stderr(`${command}: unexpected error: ${(error as Error).message} (set ALERT_STREAM_DEBUG=1 for the stack)\n`);
  if (process.env.ALERT_STREAM_DEBUG) io.stderr(`${(error as Error).stack}\n`);
  process.exitCode = 1;
};
if (run) {
  try {
    const code = run(argv, io);
    if (typeof code === 'number') process.exitCode = code;
    // A command that talked to a server ends when it has answered: nothing it started (a credential plugin
    // that never finished, a socket) may keep the process alive after its one line was said.
    else code.then((c) => { process.exitCode = c; }, unexpected).finally(() => process.stdout.write('', () => process.exit()));
  } catch (error) {
    unexpected(error);
  }
} else {
  io.stderr(`unknown command '${command ?? ''}'; commands: ${Object.keys(commands).join(', ')}\n`);
  process.exitCode = 2;
}
