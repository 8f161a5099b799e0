/**
 * `npm run phalanx` writes the Argo CD health checks into applications/argocd/values-<env>.yaml of the
 * environments it enables, and nowhere else (issue: health checks for the two USDF environments only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runPhalanx } from '../cli/phalanx';
import { healthConfigEntries } from '../lib/argocd-health';
import { withHealthChecks } from '../lib/phalanx/argocd-values';
import { runCommand } from './helpers';
import { filesUnder, scratchPhalanx } from './phalanx-tree';

// Shaped like Phalanx's argocd values of a USDF environment (proxy env, OIDC block literal, RBAC, comments).
const ARGOCD_VALUES = `argo-cd:
  global:
    env:
      - name: "HTTP_PROXY"
        value: "http://proxy.example:3128"

  configs:
    cm:
      url: "https://example.org/argo-cd"
      oidc.config: |
        name: Example
        # a comment inside a literal
        requestedIDTokenClaims: {"groups": {"essential": true}}
    rbac:
      policy.csv: |
        g, someone@example.org, role:admin
      scopes: "[email]"

  # the server's ingress
  server:
    ingress:
      hostname: "example.org"
`;

function checkout(): ReturnType<typeof scratchPhalanx> & { argocd: string } {
  const tree = scratchPhalanx();
  const argocd = path.join(tree.root, 'applications', 'argocd');
  fs.mkdirSync(argocd, { recursive: true });
  fs.writeFileSync(path.join(argocd, 'Chart.yaml'), 'apiVersion: v2\nname: argocd\nversion: 1.0.0\n');
  for (const env of ['usdfdev-prompt-processing', 'usdfprod-prompt-processing', 'summit']) {
    fs.writeFileSync(path.join(argocd, `values-${env}.yaml`), ARGOCD_VALUES);
  }
  return { ...tree, argocd };
}

const cmOf = (text: string) => parse(text)['argo-cd'].configs.cm as Record<string, string>;

test('each enabled environment gets every check under argo-cd.configs.cm; its other lines stay as they were', () => {
  const tree = checkout();
  try {
    const r = runCommand(runPhalanx, ['--phalanx', tree.root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const env of ['usdfdev-prompt-processing', 'usdfprod-prompt-processing']) {
      const text = fs.readFileSync(path.join(tree.argocd, `values-${env}.yaml`), 'utf8');
      expect(r.stdout).toContain(`../argocd/values-${env}.yaml`);
      const cm = cmOf(text);
      for (const [key, value] of healthConfigEntries()) expect([key, cm[key]]).toEqual([key, value]);
      // Only lines were added: every original line is still there, in order.
      const lines = text.split('\n');
      let at = 0;
      for (const line of ARGOCD_VALUES.split('\n')) {
        const found = lines.indexOf(line, at);
        expect([line, found >= at]).toEqual([line, true]);
        at = found + 1;
      }
      expect(cm.url).toBe('https://example.org/argo-cd');
    }
    // Not one of ours: untouched.
    expect(fs.readFileSync(path.join(tree.argocd, 'values-summit.yaml'), 'utf8')).toBe(ARGOCD_VALUES);
    const before = filesUnder(tree.root);
    const again = runCommand(runPhalanx, ['--phalanx', tree.root]);
    expect(again.code).toBe(0);
    expect(filesUnder(tree.root)).toEqual(before);
  } finally {
    tree.remove();
  }
});

test('--env writes that environment only; a missing values file is created', () => {
  const tree = checkout();
  try {
    fs.rmSync(path.join(tree.argocd, 'values-usdfdev-prompt-processing.yaml'));
    expect(runCommand(runPhalanx, ['--phalanx', tree.root, '--env', 'usdfdev-prompt-processing']).code).toBe(0);
    expect(fs.readFileSync(path.join(tree.argocd, 'values-usdfprod-prompt-processing.yaml'), 'utf8')).toBe(ARGOCD_VALUES);
    const created = cmOf(fs.readFileSync(path.join(tree.argocd, 'values-usdfdev-prompt-processing.yaml'), 'utf8'));
    expect(Object.keys(created).sort()).toEqual(healthConfigEntries().map(([k]) => k).sort());
  } finally {
    tree.remove();
  }
});

test('an argocd values file that cannot take the checks stops everything, naming the file: nothing is written', () => {
  for (const [bad, message] of [
    ['argo-cd:\n  configs: [1, 2]\n', 'applications/argocd/values-usdfprod-prompt-processing.yaml: argo-cd.configs is not a map'],
    ['argo-cd: {configs: {cm: "x"}}\n', 'applications/argocd/values-usdfprod-prompt-processing.yaml: argo-cd.configs.cm is not a map'],
    ['argo-cd:\n  configs:\n cm: [\n', 'applications/argocd/values-usdfprod-prompt-processing.yaml: not valid YAML'],
    ['- a list\n', 'applications/argocd/values-usdfprod-prompt-processing.yaml: not a map of values'],
  ]) {
    const tree = checkout();
    try {
      fs.writeFileSync(path.join(tree.argocd, 'values-usdfprod-prompt-processing.yaml'), bad);
      const before = filesUnder(tree.root);
      const r = runCommand(runPhalanx, ['--phalanx', tree.root]);
      expect([bad, r.code]).toEqual([bad, 1]);
      expect(r.stderr).toContain(message);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2);
      expect(filesUnder(tree.root)).toEqual(before);
    } finally {
      tree.remove();
    }
  }
});

test('without applications/argocd beside the chart, the run says the checks were not written', () => {
  const tree = scratchPhalanx();
  try {
    const r = runCommand(runPhalanx, ['--phalanx', tree.sasquatch, '--env', 'usdfprod-prompt-processing']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no applications/argocd beside it, so the Argo CD health checks were not written');
    expect(r.stdout).toContain('of usdfprod-prompt-processing');
  } finally {
    tree.remove();
  }
});

test('withHealthChecks replaces what an earlier run wrote (a changed script is updated, not duplicated)', () => {
  const [key] = healthConfigEntries()[0];
  const stale = `argo-cd:\n  configs:\n    cm:\n      ${key}: |\n        return {}\n`;
  const text = withHealthChecks(stale, 'values-x.yaml');
  expect(cmOf(text)[key]).toBe(healthConfigEntries()[0][1]);
  expect(text.split('\n').filter((l) => l.includes(key))).toHaveLength(1);
});
