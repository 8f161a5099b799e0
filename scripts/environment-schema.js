// Writes environments/environment.schema.json: the Environment interface as JSON Schema, so synth
// can check environments at run time too (a JavaScript caller, a cast, a value built in code).
// Run `npm run schema` after changing the interface; a test fails while the committed file is stale.
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');

/** The JSON Schema of the Environment interface, as the text committed in environments/. */
function environmentSchema(root = path.resolve(__dirname, '..')) {
  const schema = createGenerator({
    path: path.join(root, 'environments', 'environment.ts'),
    tsconfig: path.join(root, 'tsconfig.json'),
    type: 'Environment',
    topRef: false,
    skipTypeCheck: true,
    jsDoc: 'extended',
  }).createSchema('Environment');
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(path.resolve(__dirname, '..', 'environments', 'environment.schema.json'), environmentSchema());
}

module.exports = { environmentSchema };
