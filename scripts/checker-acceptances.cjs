'use strict';
// The checker findings accepted in dist/<env>/ must each carry their reason, on the object (scripts/checkers.sh):
//   kube-score: `kube-score/ignore: <test>[,<test>]` and, for each test, `kube-score.alert-stream.lsst.io/<test>: <reason>`;
//               at most MAX_KUBE_SCORE_TESTS distinct tests ignored over all environments
//   checkov:    `checkov.io/skip<n>: <CHECK_ID>=<reason>` (checkov ignores a skip without `=`: "No comment provided")
// Prints one line per problem (`<env>: <Kind>/<name> metadata.annotations.<key>: ...`) and the accepted
// findings (`--list`); exit 1 on a problem, 2 when a file cannot be read.
// Usage: node scripts/checker-acceptances.cjs [--list] <dist>/<env> ...
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const MAX_KUBE_SCORE_TESTS = 3;
const REASON_PREFIX = 'kube-score.alert-stream.lsst.io/';
const CHECKOV_SKIP = /^(checkov|bridgecrew|cortex)\.io\/skip/;

const args = process.argv.slice(2);
const list = args[0] === '--list';
const dirs = list ? args.slice(1) : args;
const problems = [];
const accepted = [];
const ignoredTests = new Map();

for (const dir of dirs) {
  const env = path.basename(dir);
  let files;
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch (error) {
    process.stderr.write(`checker-acceptances: ${dir}: cannot be read (${error.code ?? error.message}); run npm run synth first\n`);
    process.exit(2);
  }
  for (const file of files) {
    let docs;
    try {
      docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS());
    } catch (error) {
      process.stderr.write(`checker-acceptances: ${dir}/${file}: cannot be read as YAML: ${error.message.split('\n')[0]}\n`);
      process.exit(2);
    }
    for (const doc of docs) {
      if (!doc || typeof doc !== 'object') continue;
      const object = `${doc.kind}/${doc.metadata?.name}`;
      const annotations = doc.metadata?.annotations ?? {};
      const at = (key) => `${env}: ${object} metadata.annotations.${key}`;
      const ignore = annotations['kube-score/ignore'];
      if (ignore !== undefined) {
        for (const test of String(ignore).split(',').map((t) => t.trim()).filter(Boolean)) {
          const reason = annotations[`${REASON_PREFIX}${test}`];
          if (typeof reason !== 'string' || reason.trim() === '') {
            problems.push(`${at('kube-score/ignore')}: kube-score test ${test} is ignored without a reason: add annotation ${REASON_PREFIX}${test} saying why`);
          } else {
            accepted.push(`${env}: ${object}: kube-score ${test}: ${reason}`);
          }
          if (!ignoredTests.has(test)) ignoredTests.set(test, `${env}: ${object}`);
        }
      }
      for (const [key, value] of Object.entries(annotations)) {
        if (!CHECKOV_SKIP.test(key)) continue;
        const text = String(value);
        const cut = text.indexOf('=');
        if (cut <= 0 || text.slice(cut + 1).trim() === '') {
          problems.push(`${at(key)}: checkov skip ${JSON.stringify(text)} has no reason: write <CHECK_ID>=<reason>`);
        } else if (text.indexOf('=', cut + 1) >= 0) {
          problems.push(`${at(key)}: checkov skip reason contains '=', which checkov cannot read: reword it`);
        } else {
          accepted.push(`${env}: ${object}: checkov ${text.slice(0, cut)}: ${text.slice(cut + 1)}`);
        }
      }
    }
  }
}

if (ignoredTests.size > MAX_KUBE_SCORE_TESTS) {
  problems.push(`kube-score: ${ignoredTests.size} distinct tests are ignored (${[...ignoredTests.keys()].join(', ')}), at most ${MAX_KUBE_SCORE_TESTS} are allowed: fix the findings instead`);
}
if (list) accepted.forEach((line) => process.stdout.write(`accepted: ${line}\n`));
problems.forEach((line) => process.stdout.write(`${line}\n`));
process.exit(problems.length > 0 ? 1 : 0);
