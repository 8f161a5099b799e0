/**
 * The real Pulumi engine for cluster tests: the `pulumi` CLI and the Kubernetes provider plugin
 * built from Go modules (tools/pulumi, tools/pulumi-kubernetes, at the versions of @pulumi/pulumi
 * and @pulumi/kubernetes in package.json), with a local file backend, a passphrase and a
 * PULUMI_HOME of its own in a temporary folder: no Pulumi Cloud, no update check, no plugin
 * download (the provider is installed from the build with `pulumi plugin install --file`).
 *
 * The Node.js language host (`pulumi-language-nodejs`) is not served by the Go module proxy, so the
 * bootstrap program runs as an Automation API inline program: @pulumi/pulumi's own language
 * server in this process, which the CLI connects to instead of starting the host.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toolFolder } from '../../lib/helm-binary';
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from '@pulumi/pulumi/automation';

const ROOT = path.resolve(__dirname, '..', '..');
const BOOTSTRAP = path.join(ROOT, 'bootstrap');

/** The version of a package the project pins (package.json), e.g. the provider the SDK asks for. */
function pinned(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

export interface PulumiEngine {
  /** Environment of every CLI run: backend, passphrase, PULUMI_HOME, PATH, KUBECONFIG. */
  readonly env: Record<string, string>;
  /** The CLI's installation root (`<root>/bin/pulumi`), for PulumiCommand.get. */
  readonly cliRoot: string;
  /** A copy of bootstrap/'s Pulumi.yaml, stack files and entry: the project folder of the runs. */
  readonly projectDir: string;
  /** The bootstrap stack `stackName` (config from Pulumi.<stackName>.yaml), running `program`. */
  stack(stackName: string, program: PulumiFn): Promise<Stack>;
  /** Runs the CLI in the project folder, as an operator would type it. */
  cli(args: string[]): { status: number; output: string };
  /** Removes the folder (state, plugins, project copy). */
  stop(): Promise<void>;
}

export async function startPulumiEngine(kubeconfigPath: string): Promise<PulumiEngine> {
  const cliFolder = toolFolder('pulumi');
  const providerFolder = toolFolder('pulumi-kubernetes');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-pulumi-'));
  const stop = async () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // PulumiCommand looks for <root>/bin/pulumi.
    fs.mkdirSync(path.join(dir, 'cli', 'bin'), { recursive: true });
    fs.symlinkSync(path.join(cliFolder, 'pulumi'), path.join(dir, 'cli', 'bin', 'pulumi'));
    fs.mkdirSync(path.join(dir, 'state'));
    // The Kubernetes provider writes the kubeconfig it is given to a temporary file (kubeconfig<random>) and
    // leaves it: its temporary folder is this one, removed by stop().
    fs.mkdirSync(path.join(dir, 'tmp'));
    const projectDir = path.join(dir, 'project');
    fs.mkdirSync(projectDir);
    // The project and stack files, and the entry the project names (the CLI checks it exists;
    // the inline program is what runs).
    for (const f of fs.readdirSync(BOOTSTRAP).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f) || f === 'index.ts')) {
      fs.copyFileSync(path.join(BOOTSTRAP, f), path.join(projectDir, f));
    }
    const env: Record<string, string> = {
      PATH: `${path.join(dir, 'cli', 'bin')}:${process.env.PATH}`,
      HOME: dir,
      PULUMI_HOME: path.join(dir, 'home'),
      PULUMI_BACKEND_URL: `file://${path.join(dir, 'state')}`,
      PULUMI_CONFIG_PASSPHRASE: 'cluster-test-passphrase',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      KUBECONFIG: kubeconfigPath,
      TMPDIR: path.join(dir, 'tmp'),
    };
    const cli = (args: string[]) => {
      const r = spawnSync(path.join(dir, 'cli', 'bin', 'pulumi'), [...args, '--non-interactive'], {
        cwd: projectDir, env: { ...env }, encoding: 'utf8', timeout: 600_000,
      });
      return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
    };
    const install = cli(['plugin', 'install', 'resource', 'kubernetes', pinned('@pulumi/kubernetes'),
      '--file', path.join(providerFolder, 'pulumi-resource-kubernetes')]);
    if (install.status !== 0) throw new Error(`pulumi plugin install failed:\n${install.output}`);
    const command = await PulumiCommand.get({ root: path.join(dir, 'cli') });
    const stack = (stackName: string, program: PulumiFn) => LocalWorkspace.createOrSelectStack(
      { stackName, projectName: 'alert-stream-bootstrap', program },
      { workDir: projectDir, envVars: env, pulumiCommand: command },
    );
    return { env, cliRoot: path.join(dir, 'cli'), projectDir, stack, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
