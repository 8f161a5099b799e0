import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentNames, environments } from '../lib/environments';
import { diagramPage, environmentDiagram } from '../lib/diagram';
import { synthesizeEnvironment } from '../lib/synthesize';
import { documentation } from './readme-examples';

const root = path.resolve(__dirname, '..');

describe.each(environmentNames)('%s', (name) => {
  const env = environments[name];
  const manifests = synthesizeEnvironment(env);

  test('every synthesized object appears in the diagram, in its stage', () => {
    const diagram = environmentDiagram(env, manifests);
    for (const m of manifests) {
      const stage = diagram.slice(diagram.indexOf(`subgraph stage${m.stage}[`), diagram.indexOf('  end', diagram.indexOf(`subgraph stage${m.stage}[`)));
      for (const o of m.objects) expect(stage).toContain(`["${o.kind} ${o.metadata.name}"]`);
    }
  });

  test(`docs/${name}.md is up to date (run \`npm run diagram\`)`, () => {
    expect(fs.readFileSync(path.join(root, 'docs', `${name}.md`), 'utf8')).toBe(diagramPage(env, manifests));
  });
});

test('community brokers read their topics and their password Secret; the ingester reads what Strimzi and Vault create', () => {
  const diagram = environmentDiagram(environments['usdfdev-prompt-processing'], synthesizeEnvironment(environments['usdfdev-prompt-processing']));
  const idOf = (label: string) => new RegExp(`(n\\d+)[\\[(]+"${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(diagram)![1];
  const edge = (from: string, to: string, label?: string) =>
    expect(diagram).toContain(`  ${idOf(from)} -->${label ? `|"${label}"|` : ''} ${idOf(to)}\n`);
  edge('KafkaUser fink-usdf', 'KafkaTopic lsst-alerts-v11', 'topic');
  edge('KafkaUser fink-usdf', 'topic lsst-alerts-v10.0 (external)', 'topic');
  edge('KafkaUser fink-usdf', 'Secret sasquatch', 'fink-usdf-password');
  edge('VaultSecret sasquatch', 'Secret sasquatch', 'creates');
  edge('Deployment alert-database-ingester-1.0.0', 'Secret sasquatch-cluster-ca-cert');
  edge('Kafka sasquatch', 'Secret sasquatch-cluster-ca-cert', 'creates');
  edge('ScaledObject alert-database-ingester-1.0.0', 'Deployment alert-database-ingester-1.0.0');
});

test('docs/pictures.md shows the local environment diagram as generated', () => {
  const readme = documentation('docs/pictures.md');
  const env = environments['local-bootstrap'];
  expect(readme).toContain(`\`\`\`mermaid\n${environmentDiagram(env, synthesizeEnvironment(env))}\`\`\``);
});
