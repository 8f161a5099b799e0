'use strict';
// The bundle's copy of cdk8s-plus-28's Kubernetes classes (lib/imports/k8s.js, compiled from what
// `cdk8s import k8s` generates): only what constructs/k8s.ts exports, what the L2 modules constructs/plus.ts
// imports reference (they require the same module as `./imports/k8s`), and what that needs. The module
// defines 141 classes and 440 functions, and evaluating all of them was the largest single part of
// loading the synth bundle, every run, for the few the project uses. scripts/bundle-patches.cjs applies it;
// test/build.test.ts holds the pruned module's exports equal to the shipped module's.
const fs = require('node:fs');
const path = require('node:path');

/** The value names constructs/k8s.ts re-exports from cdk8s-plus-28 (its `export { … } from` list; types are not values). */
function exportedNames(k8sTs) {
  const match = /export\s*\{([^}]*)\}\s*from\s*'cdk8s-plus-28\/lib\/imports\/k8s'/.exec(k8sTs);
  if (!match) return undefined;
  return match[1].split(',').map((name) => name.trim()).filter((name) => name.length > 0);
}

/** The cdk8s-plus-28 modules constructs/plus.ts imports from (`from 'cdk8s-plus-28/lib/<module>'`). */
function l2Modules(plusTs) {
  return [...plusTs.matchAll(/from\s*'cdk8s-plus-28\/lib\/([\w-]+)'/g)].map((m) => m[1]);
}

/**
 * Every Kubernetes class (`k8s.<Name>`) that the given modules of cdk8s-plus-28's lib/, and the modules of lib/
 * they require, reference: each must survive the pruning, whether or not a synth reaches the code that uses it.
 */
function kubeReferences(libDir, modules) {
  const seen = new Set();
  const names = new Set();
  const pending = [...modules];
  while (pending.length > 0) {
    const name = pending.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const text = fs.readFileSync(path.join(libDir, `${name}.js`), 'utf8');
    for (const [, required] of text.matchAll(/require\("\.\/([\w-]+)"\)/g)) pending.push(required);
    for (const [, kube] of text.matchAll(/\bk8s\.([A-Z]\w*)/g)) names.add(kube);
  }
  return [...names].sort();
}

/** What the bundle keeps of the module: the classes constructs/k8s.ts names, then those the L2 modules of constructs/plus.ts reference. */
function pruneRoots(root) {
  const roots = exportedNames(fs.readFileSync(path.join(root, 'constructs', 'k8s.ts'), 'utf8'));
  if (!roots) return undefined;
  const plus = path.join(root, 'constructs', 'plus.ts');
  const l2 = fs.existsSync(plus) ? kubeReferences(path.join(root, 'node_modules', 'cdk8s-plus-28', 'lib'), l2Modules(fs.readFileSync(plus, 'utf8'))) : [];
  return [...new Set([...roots, ...l2])];
}

/** The identifier a top-level statement is about (the class, function or enum it defines or extends), if any. */
function subject(ts, statement) {
  if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) return statement.name.text;
  if (ts.isVariableStatement(statement)) {
    const [declaration] = statement.declarationList.declarations;
    return statement.declarationList.declarations.length === 1 && ts.isIdentifier(declaration.name) && !declaration.initializer ? declaration.name.text : undefined;
  }
  if (!ts.isExpressionStatement(statement)) return undefined;
  const expression = statement.expression;
  // (function (Enum) { … })(Enum || (exports.Enum = Enum = {}));
  if (ts.isCallExpression(expression) && ts.isParenthesizedExpression(expression.expression) && ts.isFunctionExpression(expression.expression.expression)) {
    const [parameter] = expression.expression.expression.parameters;
    return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
  }
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const target = expression.left;
  // exports.Name = Name;
  if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'exports' && ts.isIdentifier(expression.right)) {
    return target.name.text === expression.right.text ? target.name.text : undefined;
  }
  // Name[_a] = { … }; Name.GVK = { … };
  if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && ts.isIdentifier(target.expression)) return target.expression.text;
  return undefined;
}

/** `exports.A = exports.B = … = void 0;`: the module's first statement, naming every export before it is defined. */
function isExportsPrelude(ts, statement) {
  if (!ts.isExpressionStatement(statement)) return false;
  let expression = statement.expression;
  while (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    && ts.isPropertyAccessExpression(expression.left) && ts.isIdentifier(expression.left.expression) && expression.left.expression.text === 'exports') {
    expression = expression.right;
  }
  return expression !== statement.expression && ts.isVoidExpression(expression);
}

/** `_a = JSII_RTTI_SYMBOL_1;`: a temporary the next statement (`Name[_a] = …`) reads. */
function isTemporary(ts, statement) {
  return ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)
    && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(statement.expression.left)
    && /^_[a-z0-9]+$/.test(statement.expression.left.text);
}

/**
 * The module's text with only the definitions `roots` need, in their order; undefined when the text is not
 * shaped as expected (a root it does not define), so the caller bundles the module whole.
 */
function pruneK8s(ts, text, roots) {
  const file = ts.createSourceFile('k8s.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const statements = file.statements;
  // Each statement's subject; a temporary belongs to the statement after it.
  const subjects = statements.map((s) => subject(ts, s));
  for (let i = statements.length - 2; i >= 0; i--) if (isTemporary(ts, statements[i])) subjects[i] = subjects[i + 1];
  const defined = new Set(subjects.filter((s) => s !== undefined));
  if (!roots.every((root) => defined.has(root))) return undefined;
  // What each subject's statements name; any other statement (requires, helpers) is kept, with what it names.
  const names = new Map();
  const always = new Set();
  statements.forEach((statement, i) => {
    if (isExportsPrelude(ts, statement)) return;
    const found = subjects[i] === undefined ? always : (names.get(subjects[i]) ?? names.set(subjects[i], new Set()).get(subjects[i]));
    const visit = (node) => {
      if (ts.isIdentifier(node) && defined.has(node.text)) found.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(statement);
  });
  const needed = new Set();
  const pending = [...roots, ...always];
  while (pending.length > 0) {
    const name = pending.pop();
    if (needed.has(name)) continue;
    needed.add(name);
    pending.push(...(names.get(name) ?? []));
  }
  const kept = statements.filter((statement, i) => !isExportsPrelude(ts, statement) && (subjects[i] === undefined || needed.has(subjects[i])));
  return kept.map((statement) => text.slice(statement.getFullStart(), statement.getEnd())).join('');
}

module.exports = { exportedNames, kubeReferences, l2Modules, pruneK8s, pruneRoots };
