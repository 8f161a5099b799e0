/**
 * `pulumi up` of the bootstrap stack in a process of its own, as the Node.js language host would
 * run the program: when the engine stops a failed update, the program's pending registrations are
 * refused, and (as the host does) that is not an error of the program. Used by the tests that
 * expect `pulumi up` to fail; prints one JSON line: { ok, message, seconds }.
 *   argv: <work dir> <stack> <pulumi root>; the engine's environment is inherited.
 */
import { LocalWorkspace, PulumiCommand } from '@pulumi/pulumi/automation';
import { bootstrapProgram } from './bootstrap-program';

process.on('unhandledRejection', (reason) => {
  if (!/resource monitor shut down|Resource monitor is terminating/.test(String((reason as Error)?.message ?? reason))) throw reason;
});

async function main(): Promise<void> {
  const [workDir, stackName, root] = process.argv.slice(2);
  const pulumiCommand = await PulumiCommand.get({ root });
  const stack = await LocalWorkspace.selectStack(
    { stackName, projectName: 'alert-stream-bootstrap', program: bootstrapProgram }, { workDir, pulumiCommand });
  const started = Date.now();
  const result = await stack.up().then(() => ({ ok: true, message: '' }), (e: Error) => ({ ok: false, message: e.message }));
  process.stdout.write(`${JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 })}\n`);
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ ok: false, message: `the runner failed: ${error.message}`, seconds: 0 })}\n`);
});
