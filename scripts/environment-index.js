// Writes generated/environments.ts: the registry of every environment file in environments/ (the
// folder holds nothing else), so adding an environment is adding its file. Each file exports one
// `const <name>: Environment = { name: '<file name>', ... }`. The build (scripts/build.cjs) rewrites the
// registry whenever the folder's files change; a test fails while it is stale.
//
// Environment files are data. Each is checked here, with TypeScript's parser, to hold nothing but type
// imports and `const` declarations of literals, objects, arrays, spreads and the file's own constants:
// no call, no assignment, no value import (so no file can reach another's values or the process), no
// function. A file that breaks this is not put into the registry's code at all: the registry records its
// problem instead, so a command that needs it says so in one line, and one that does not still runs.
// Each file is loaded only when its environment is first asked for (lib/environments.ts).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const INDEX_FILE = 'generated/environments.ts';

class EnvironmentFileError extends Error {}

/** Identifiers a data file may name without declaring them. */
const GLOBAL_VALUES = new Set(['undefined', 'NaN', 'Infinity']);

/** Where `node` is, as `environments/<file>:<line>`. */
function at(source, node, file) {
  return `environments/${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
}

/** The node's text, short and printable, for a problem line. */
function shown(source, node) {
  // eslint-disable-next-line no-control-regex
  const text = node.getText(source).replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Why `text` is not a data-only environment file, as `environments/<file>:<line>: ...`; undefined when it is.
 * Allowed: `import type`, interfaces and type aliases, `const` declarations whose values are literals,
 * templates, arrays, objects (plain properties, spreads), unary minus, arithmetic, type assertions and
 * references to the file's own top-level constants (and property reads of them).
 */
function dataOnlyProblem(text, file) {
  const ts = require('typescript');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared = new Set();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.add(d.name.text);
  }
  const problem = (node, what, why = 'write the value itself') => `${at(source, node, file)}: not data: ${what} (${shown(source, node)}); an environment file holds data only: ${why}`;
  const K = ts.SyntaxKind;
  const ARITHMETIC = new Set([K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken]);
  const LITERALS = new Set([K.StringLiteral, K.NumericLiteral, K.BigIntLiteral, K.NoSubstitutionTemplateLiteral, K.TrueKeyword, K.FalseKeyword, K.NullKeyword]);

  /** The first thing in an expression that is not data. */
  const expression = (node) => {
    if (LITERALS.has(node.kind)) return undefined;
    if (ts.isIdentifier(node)) return declared.has(node.text) || GLOBAL_VALUES.has(node.text) ? undefined : problem(node, `'${node.text}', which this file does not declare`, 'it may name only its own constants');
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) return expression(node.expression);
    if (ts.isPrefixUnaryExpression(node) && (node.operator === K.MinusToken || node.operator === K.PlusToken)) return expression(node.operand);
    if (ts.isBinaryExpression(node) && ARITHMETIC.has(node.operatorToken.kind)) return expression(node.left) ?? expression(node.right);
    if (ts.isTemplateExpression(node)) return node.templateSpans.map((s) => expression(s.expression)).find(Boolean);
    if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => (ts.isSpreadElement(e) ? expression(e.expression) : ts.isOmittedExpression(e) ? undefined : expression(e))).find(Boolean);
    if (ts.isPropertyAccessExpression(node) && !node.questionDotToken && ts.isIdentifier(node.name)) return expression(node.expression);
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        let found;
        if (ts.isPropertyAssignment(p)) {
          if (ts.isComputedPropertyName(p.name)) found = problem(p.name, 'a computed key');
          else if (ts.isPrivateIdentifier(p.name)) found = problem(p.name, 'a private name');
          else found = expression(p.initializer);
        } else if (ts.isShorthandPropertyAssignment(p)) found = expression(p.name);
        else if (ts.isSpreadAssignment(p)) found = expression(p.expression);
        else found = problem(p, 'a method or accessor');
        if (found) return found;
      }
      return undefined;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) return problem(node, 'a call');
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node)) return problem(node, 'a function');
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= K.FirstAssignment && node.operatorToken.kind <= K.LastAssignment) return problem(node, 'an assignment');
    return problem(node, `this ${ts.SyntaxKind[node.kind].replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`);
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly = clause && (clause.isTypeOnly || (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) return problem(statement, 'a value import', 'it may import types only, so that it can neither reach another environment\'s values nor run code');
      continue;
    }
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return problem(statement, 'a `let` or `var` (use `const`)');
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) return problem(d.name, 'a destructuring');
        if (!d.initializer) return problem(d, 'a constant without a value');
        const found = expression(d.initializer);
        if (found) return found;
      }
      continue;
    }
    return problem(statement, 'a statement that runs code');
  }
  return undefined;
}

/** The names the file exports as `export const <name>: Environment` (one, in a file the registry accepts). */
function exportedConstants(text) {
  return [...text.matchAll(/^export const (\w+)\s*:\s*Environment\b/gm)].map((m) => m[1]);
}

/** Every environment file as the registry lists it: name, file, exported constant, module, problem (if not data only). */
function environmentEntries() {
  const files = fs.readdirSync(path.join(root, 'environments')).filter((f) => f.endsWith('.ts')).sort();
  return files.map((file) => {
    const text = fs.readFileSync(path.join(root, 'environments', file), 'utf8');
    const exported = exportedConstants(text);
    if (exported.length !== 1) {
      throw new EnvironmentFileError(`environments/${file} must export exactly one \`const <name>: Environment = { ... }\` (found ${exported.length})`);
    }
    const name = file.slice(0, -'.ts'.length);
    return { name, file: `environments/${file}`, constant: exported[0], module: `../environments/${name}`, problem: dataOnlyProblem(text, file) };
  });
}

/** The registry's source text, from the environment files as they are now. */
function environmentIndex(entries = environmentEntries()) {
  return [
    '// Generated by scripts/environment-index.js from the files in environments/ (the build rewrites it); do not edit.',
    '// Each file is loaded on first use (lib/environments.ts); a file that is not data only is not loaded at all.',
    '/* eslint-disable @typescript-eslint/no-require-imports */',
    "import type { EnvironmentSource } from '../lib/environment-source';",
    '',
    '/** Every environment file, by the name of the file (which must also be its `name`). */',
    'export const environmentSources = {',
    ...entries.map((e) => (e.problem
      ? `  '${e.name}': { file: '${e.file}', problem: ${JSON.stringify(e.problem)} },`
      : `  '${e.name}': { file: '${e.file}', load: () => (require('${e.module}') as typeof import('${e.module}')).${e.constant} },`)),
    '} as const satisfies Record<string, EnvironmentSource>;',
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.mkdirSync(path.join(root, 'generated'), { recursive: true });
  fs.writeFileSync(path.join(root, INDEX_FILE), environmentIndex());
}

module.exports = { environmentEntries, exportedConstants, environmentIndex, dataOnlyProblem, EnvironmentFileError, INDEX_FILE };
