/**
 * A small JSON-Schema (OpenAPI 3.0/3.1 dialect) validator for the subset GitHub's OpenAPI description
 * uses in request bodies and parameters: `$ref` (local), `type` (string or list, `nullable`), `enum`,
 * `const`, `required`, `properties`, `additionalProperties` (false or a schema), `items`, `oneOf`/
 * `anyOf` (at least one branch), `allOf`, `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/
 * `maxItems` and `pattern`. Formats, `not` and discriminators are not checked.
 */
export type Schema = Record<string, unknown>;

export class SchemaChecker {
  readonly #root: Schema;

  constructor(root: Schema) {
    this.#root = root;
  }

  /** Follow a local `$ref` (`#/components/...`) to the object it names. */
  resolve(node: unknown): Schema {
    let current = asSchema(node);
    for (let hops = 0; typeof current.$ref === "string"; hops++) {
      if (hops > 20) throw new Error(`$ref cycle at ${current.$ref}`);
      const pointer = current.$ref.replace(/^#\//, "").split("/");
      let target: unknown = this.#root;
      for (const part of pointer) target = (target as Schema | undefined)?.[part.replace(/~1/g, "/")];
      if (target === undefined) throw new Error(`unresolvable $ref ${current.$ref}`);
      current = asSchema(target);
    }
    return current;
  }

  /** Every way `value` breaks `schema`, as `where: what` lines; empty when it conforms. */
  check(value: unknown, schemaNode: unknown, where = "body"): string[] {
    const schema = this.resolve(schemaNode);
    const problems: string[] = [];
    if (value === null && (schema.nullable === true || typeOk(schema.type, "null"))) return problems;
    if (schema.type !== undefined && !typeOk(schema.type, typeOf(value))) {
      return [`${where}: expected ${JSON.stringify(schema.type)}, got ${typeOf(value)}`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
      problems.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if ("const" in schema && schema.const !== value)
      problems.push(`${where}: must be ${JSON.stringify(schema.const)}`);
    problems.push(...this.#checkNumberAndString(value, schema, where));
    if (Array.isArray(value)) problems.push(...this.#checkArray(value, schema, where));
    if (isObject(value)) problems.push(...this.#checkObject(value, schema, where));
    for (const part of asList(schema.allOf)) problems.push(...this.check(value, part, where));
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const branches = asList(schema[keyword]);
      if (branches.length > 0 && !branches.some((b) => this.check(value, b, where).length === 0)) {
        problems.push(`${where}: matches none of the ${keyword} alternatives`);
      }
    }
    return problems;
  }

  #checkNumberAndString(value: unknown, schema: Schema, where: string): string[] {
    const problems: string[] = [];
    if (typeof value === "number") {
      if (typeof schema.minimum === "number" && value < schema.minimum)
        problems.push(`${where}: below ${schema.minimum}`);
      if (typeof schema.maximum === "number" && value > schema.maximum)
        problems.push(`${where}: above ${schema.maximum}`);
    }
    if (typeof value === "string") {
      if (typeof schema.minLength === "number" && value.length < schema.minLength) {
        problems.push(`${where}: shorter than ${schema.minLength}`);
      }
      if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
        problems.push(`${where}: longer than ${schema.maxLength}`);
      }
      if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
        problems.push(`${where}: does not match /${schema.pattern}/`);
      }
    }
    return problems;
  }

  #checkArray(value: unknown[], schema: Schema, where: string): string[] {
    const problems: string[] = [];
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      problems.push(`${where}: too few items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      problems.push(`${where}: too many items`);
    if (schema.items !== undefined) {
      value.forEach((item, i) => {
        problems.push(...this.check(item, schema.items, `${where}[${i}]`));
      });
    }
    return problems;
  }

  #checkObject(value: Record<string, unknown>, schema: Schema, where: string): string[] {
    const problems: string[] = [];
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const name of asList(schema.required)) {
      if (typeof name === "string" && !(name in value)) problems.push(`${where}.${name}: required`);
    }
    for (const [name, item] of Object.entries(value)) {
      if (name in properties) problems.push(...this.check(item, properties[name], `${where}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${where}.${name}: not allowed`);
      else if (isObject(schema.additionalProperties)) {
        problems.push(...this.check(item, schema.additionalProperties, `${where}.${name}`));
      }
    }
    return problems;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeOk(declared: unknown, actual: string): boolean {
  const types = Array.isArray(declared) ? declared : [declared];
  return types.some((t) => t === actual || (t === "number" && actual === "integer"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): Schema {
  if (typeof value === "boolean") return value ? {} : { not: {} };
  if (!isObject(value)) throw new Error(`not a schema: ${JSON.stringify(value)}`);
  return value;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
