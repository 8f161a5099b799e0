'use strict';
// The fast path of an edit to one environment file (issue 26): the programs' bundles do not contain the
// environment files; each is a module of its own, build/env/<name>.js, recorded in build/manifest.json with
// the SHA-256 of the file it was compiled from. When the launcher finds that only environment files changed
// since the last build (every other input, the folders' listings and the build/env modules themselves as
// recorded), it comes here instead of type-checking and bundling everything again:
//
//   1. the file is parsed (Babel's TypeScript parser: the compiler itself takes longer to load than a synth runs)
//      and must be in the subset whose typing the JSON schema of the Environment type decides on its own:
//      `import type { Environment } from '../constructs/alert-stream-props'`, constants of plain data (no
//      object literal in a helper constant: the compiler would widen its literals), each declared before use and
//      used, and one `export const <the same name as before>: Environment = ...`;
//   2. its value is checked against generated/environment.schema.json (the compiled validator);
//   3. the module is that text with its import, `export` and annotation blanked (lines and columns kept).
//
// Anything else (a syntax error, a type the schema refuses, a file outside the subset, a renamed constant,
// a file that is not data only) is not decided here: the full build runs, and reports exactly what it
// always reported (the compiler's `file:line: message`), so a broken file is still refused before anything
// is written. Only a file the full build would accept is ever taken by this path.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TYPES_MODULE = '../constructs/alert-stream-props';
const GLOBAL_VALUES = new Set(['undefined', 'NaN', 'Infinity']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Writes a file so that no reader ever sees half of it. */
function writeAtomic(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/** The module text of an environment file, as the full build writes it (any TypeScript the compiler accepted). */
function compileWithEsbuild(text, file) {
  const esbuild = require('esbuild');
  return esbuild.transformSync(text, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file, logLevel: 'silent' }).code;
}

/**
 * The module text of an environment file when it is in the subset this path decides (see the top of the
 * file), else undefined. `constant` is the name the file must export.
 */
function fastModule(text, constant) {
  let ast;
  try {
    ast = require('@babel/parser').parse(text, { sourceType: 'module', plugins: ['typescript'], errorRecovery: false });
  } catch {
    return undefined;
  }
  const declared = new Map(); // name -> index of its statement
  const used = new Set();
  const blanks = [];
  let exported;
  const body = ast.program.body;

  /** Whether an expression is numbers and arithmetic only (the compiler refuses arithmetic on anything else). */
  const numeric = (node) => node.type === 'NumericLiteral'
    || (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+') && numeric(node.argument))
    || (node.type === 'BinaryExpression' && ARITHMETIC.has(node.operator) && numeric(node.left) && numeric(node.right));

  /** Whether an expression is data this path can type by the schema; `at` is the index of its statement. */
  const data = (node, at, local) => {
    switch (node.type) {
      case 'StringLiteral': case 'NumericLiteral': case 'BooleanLiteral': case 'NullLiteral':
        return true;
      case 'Identifier': {
        if (GLOBAL_VALUES.has(node.name)) return true;
        const index = declared.get(node.name);
        if (index === undefined || index >= at) return false; // undeclared, or used before its declaration
        used.add(node.name);
        return true;
      }
      case 'UnaryExpression': case 'BinaryExpression':
        return numeric(node);
      case 'TemplateLiteral':
        return node.expressions.every((e) => data(e, at, local));
      case 'ArrayExpression':
        return node.elements.every((e) => e !== null && (e.type === 'SpreadElement' ? data(e.argument, at, local) : data(e, at, local)));
      case 'ObjectExpression': {
        if (local) return false; // the compiler widens the literals of a helper constant's object
        const keys = new Set();
        let plainBefore = false;
        for (const p of node.properties) {
          if (p.type === 'SpreadElement') {
            if (plainBefore) return false; // the compiler refuses a property a later spread may overwrite
            if (!data(p.argument, at, local)) return false;
            continue;
          }
          if (p.type !== 'ObjectProperty' || p.computed) return false;
          const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : p.key.type === 'NumericLiteral' ? String(p.key.value) : undefined;
          if (key === undefined || key === '__proto__' || keys.has(key)) return false;
          keys.add(key);
          plainBefore = true;
          if (!data(p.value, at, local)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  };

  for (const [index, statement] of body.entries()) {
    if (statement.type === 'ImportDeclaration') {
      const [specifier, ...rest] = statement.specifiers;
      if (statement.importKind !== 'type' || statement.source.value !== TYPES_MODULE || rest.length > 0 || specifier?.type !== 'ImportSpecifier'
        || specifier.imported.name !== 'Environment' || specifier.local.name !== 'Environment') return undefined;
      blanks.push([statement.start, statement.end]);
      continue;
    }
    const isExport = statement.type === 'ExportNamedDeclaration';
    const declaration = isExport ? statement.declaration : statement;
    if (isExport && (statement.exportKind !== 'value' || statement.specifiers.length > 0 || statement.source)) return undefined;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const' || declaration.declarations.length !== 1 || declaration.declare) return undefined;
    const [d] = declaration.declarations;
    if (d.id.type !== 'Identifier' || !d.init || declared.has(d.id.name)) return undefined;
    if (isExport) {
      const annotation = d.id.typeAnnotation?.typeAnnotation;
      if (exported !== undefined || d.id.name !== constant || annotation?.type !== 'TSTypeReference' || annotation.typeName.type !== 'Identifier'
        || annotation.typeName.name !== 'Environment' || annotation.typeParameters) return undefined;
      exported = d.id.name;
      blanks.push([statement.start, declaration.start], [d.id.typeAnnotation.start, d.id.typeAnnotation.end]);
      if (!data(d.init, index, false)) return undefined;
    } else {
      if (d.id.typeAnnotation || d.definite) return undefined;
      if (!data(d.init, index, true)) return undefined;
    }
    declared.set(d.id.name, index);
  }
  if (exported === undefined) return undefined;
  // The compiler refuses an unused constant (noUnusedLocals).
  for (const name of declared.keys()) if (name !== exported && !used.has(name)) return undefined;
  let js = text;
  for (const [start, end] of blanks) js = js.slice(0, start) + js.slice(start, end).replace(/[^\n]/g, ' ') + js.slice(end);
  return `"use strict";${js}\nexports.${exported} = ${exported};\n`;
}

/** The environment a module text exports under `constant`, evaluated (it is data only: nothing else runs). */
function evaluate(code, constant, file) {
  const module_ = { exports: {} };
  const vm = require('node:vm');
  vm.runInThisContext(`(function (exports, module) {${code}\n})`, { filename: file })(module_.exports, module_);
  return module_.exports[constant];
}

/**
 * Compiles the changed environment files `stale` (paths `environments/<name>.ts`) into build/env and records
 * them in `manifest` (written last); returns the updated manifest, or undefined when any of them is not for
 * this path to decide (the caller then runs the full build).
 */
function refresh(manifest, stale) {
  // Node's own compile cache (Node 22.1 and later; keyed by each file's content) for the parser's code.
  require('node:module').enableCompileCache?.(path.join(ROOT, 'build', 'compile-cache'));
  const updates = [];
  let validate;
  for (const file of stale) {
    const m = /^environments\/([^/]+)\.ts$/.exec(file);
    const known = m && manifest.environments?.[m[1]];
    if (!known) return undefined;
    const text = fs.readFileSync(path.join(ROOT, file));
    // The registry finds the constant by this pattern (a renamed or second one rewrites it: the full build).
    const exported = require('./environment-index.js').exportedConstants(text.toString('utf8'));
    if (exported.length !== 1 || exported[0] !== known.constant) return undefined;
    const code = fastModule(text.toString('utf8'), known.constant);
    if (code === undefined) return undefined;
    let value;
    try {
      value = evaluate(code, known.constant, path.join(ROOT, file));
    } catch {
      return undefined;
    }
    validate ??= require(path.join(ROOT, 'generated', 'environment.validator.js'));
    if (value?.name !== m[1] || !validate(value)) return undefined;
    updates.push({ file, text, module: known.module, code });
  }
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const statKey = (file) => {
    const s = fs.statSync(path.join(ROOT, file), { bigint: true });
    return nowNs - s.mtimeNs < 2_000_000_000n || nowNs - s.ctimeNs < 2_000_000_000n ? null : `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  };
  const next = structuredClone(manifest);
  for (const { file, text, module, code } of updates) {
    writeAtomic(path.join(ROOT, module), code);
    next.files[module] = { sha256: sha256(code), stat: statKey(module) };
    next.files[file] = { sha256: sha256(text), stat: statKey(file) };
  }
  writeAtomic(path.join(ROOT, 'build', 'manifest.json'), `${JSON.stringify(next, null, 1)}\n`);
  return next;
}

module.exports = { compileWithEsbuild, fastModule, refresh };
