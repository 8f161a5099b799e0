/**
 * The cdk8s app: `npm run synth` and `npx cdk8s synth` both run this file.
 * Everything it does is in cli/synth.ts; this file only binds it to the process.
 */
import { runSynth } from './cli/synth';

try {
  process.exitCode = runSynth(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    defaultOutdir: process.env.CDK8S_OUTDIR,
  });
} catch (error) {
  // runSynth reports every expected failure itself; anything else is a bug, still said in one line.
  process.stderr.write(`synth: unexpected error: ${(error as Error).message} (set ALERT_STREAM_DEBUG=1 for the stack)\n`);
  if (process.env.ALERT_STREAM_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
}
