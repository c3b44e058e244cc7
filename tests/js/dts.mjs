// Checks JSON values against the types a `.d.ts` declares (a vendor client's,
// or our own package's), read with the TypeScript compiler: every required
// member present, every member of the declared type. Nothing here names a
// field; the declarations do.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const ts = require(process.env.SAMLKIT_TYPESCRIPT ?? "typescript");

function dtsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dtsFiles(path);
    return name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The declarations of every `.d.ts` under `dirs`, by name. */
export function loadTypes(...dirs) {
  const types = new Map();
  for (const file of dirs.flatMap(dtsFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
        if (!types.has(statement.name.text)) types.set(statement.name.text, statement);
      }
    }
  }
  return types;
}

const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * The problems of `value` as the named interface (an empty list when it conforms).
 * An optional member may be `null`: the vendors' own APIs answer unset members so.
 */
export function problems(types, name, value, at = "") {
  const declaration = types.get(name);
  if (!declaration) return [`${at}: ${name} is not declared`];
  if (ts.isTypeAliasDeclaration(declaration)) return check(types, declaration.type, value, at);
  const interfaces = [declaration];
  for (const parent of declaration.heritageClauses?.flatMap((h) => h.types) ?? []) {
    const base = types.get(parent.expression.getText());
    if (base && ts.isInterfaceDeclaration(base)) interfaces.push(base);
  }
  return checkMembers(types, interfaces.flatMap((d) => [...d.members]), value, at, name);
}

function checkMembers(types, declared, value, at, name) {
  if (kind(value) !== "object") return [`${at}: expected ${name}, got ${kind(value)}`];
  const out = [];
  const members = new Map();
  for (const member of declared) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const key = member.name.getText().replace(/^['"]|['"]$/g, "");
    members.set(key, { type: member.type, optional: Boolean(member.questionToken) });
  }
  for (const [key, { type, optional }] of members) {
    const v = value[key];
    if (v === undefined) {
      if (!optional) out.push(`${at}/${key}: required member missing`);
    } else if (!(optional && v === null)) {
      out.push(...check(types, type, v, `${at}/${key}`));
    }
  }
  return out;
}

function check(types, node, value, at) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword: {
      const want = { [ts.SyntaxKind.StringKeyword]: "string", [ts.SyntaxKind.NumberKeyword]: "number", [ts.SyntaxKind.BooleanKeyword]: "boolean" }[node.kind];
      return kind(value) === want ? [] : [`${at}: expected ${want}, got ${kind(value)}`];
    }
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return [];
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
      return value === null || value === undefined ? [] : [`${at}: expected null`];
    case ts.SyntaxKind.LiteralType: {
      const literal = node.literal;
      if (literal.kind === ts.SyntaxKind.NullKeyword) return value === null ? [] : [`${at}: expected null`];
      const expected = literal.kind === ts.SyntaxKind.StringLiteral ? literal.text : literal.getText();
      return String(value) === expected ? [] : [`${at}: expected ${expected}, got ${JSON.stringify(value)}`];
    }
    case ts.SyntaxKind.ParenthesizedType:
      return check(types, node.type, value, at);
    case ts.SyntaxKind.UnionType: {
      const each = node.types.map((t) => check(types, t, value, at));
      return each.some((p) => p.length === 0) ? [] : [`${at}: matches none of ${node.getText()} (${each.flat().join("; ")})`];
    }
    case ts.SyntaxKind.ArrayType:
      return kind(value) === "array"
        ? value.flatMap((item, i) => check(types, node.elementType, item, `${at}/${i}`))
        : [`${at}: expected an array, got ${kind(value)}`];
    case ts.SyntaxKind.TypeLiteral: {
      if (kind(value) !== "object") return [`${at}: expected an object, got ${kind(value)}`];
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) return Object.entries(value).flatMap(([k, v]) => check(types, index.type, v, `${at}/${k}`));
      return checkMembers(types, [...node.members], value, at, "an object");
    }
    case ts.SyntaxKind.MappedType:
      // `{ [key in string]: T }`
      if (kind(value) !== "object") return [`${at}: expected an object, got ${kind(value)}`];
      return Object.entries(value).flatMap(([k, v]) => check(types, node.type, v, `${at}/${k}`));
    case ts.SyntaxKind.IndexedAccessType:
    case ts.SyntaxKind.TypeQuery:
      // `typeof Enum[keyof typeof Enum]`: the generated clients' string enums.
      return kind(value) === "string" ? [] : [`${at}: expected an enum string, got ${kind(value)}`];
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      const args = node.typeArguments ?? [];
      if (name === "Array") return check(types, ts.factory.createArrayTypeNode(args[0]), value, at);
      if (name === "Record" || name === "Map") {
        if (kind(value) !== "object") return [`${at}: expected an object, got ${kind(value)}`];
        return Object.entries(value).flatMap(([k, v]) => check(types, args[1], v, `${at}/${k}`));
      }
      if (name === "Date") return kind(value) === "string" ? [] : [`${at}: expected a date string`];
      // An undeclared name is a problem too: a missing declaration must not pass as "anything".
      return problems(types, name, value, at);
    }
    default:
      return [];
  }
}

/** Throws with every problem when `value` does not conform to `name`. */
export function assertConforms(types, name, value) {
  const found = problems(types, name, value);
  if (found.length) throw new Error(`not a ${name}:\n  ${found.join("\n  ")}\n${JSON.stringify(value, null, 1).slice(0, 2000)}`);
}
