import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Schema, SchemaChecker } from "./json-schema.ts";

/** GitHub Enterprise Server's REST description, the API the App talks to when `GHE_HOST` is set. */
const SPEC = "@octokit/openapi/generated/ghes-3.19.json";

export type Operation = { operationId: string; template: string; pathParams: Record<string, string> };
export type CheckResult = { operation: Operation | undefined; problems: string[] };

type Route = { template: string; pattern: RegExp; names: string[]; methods: Schema };

/**
 * Checks a request the way GitHub's router and validator would, against `@octokit/openapi`: the
 * path and method must be an operation; required path and query parameters must be present, and
 * query values must fit their schema (type after string coercion, enum); a JSON body must validate
 * against the operation's `requestBody` schema, and a required body must be there.
 * Not checked: headers, response shapes, `format`s.
 */
export class OpenApiChecker {
  readonly #routes: Route[];
  readonly #schemas: SchemaChecker;

  constructor() {
    const path = createRequire(import.meta.url).resolve(SPEC);
    const spec = JSON.parse(readFileSync(path, "utf8")) as { paths: Record<string, Schema> };
    this.#schemas = new SchemaChecker(spec as unknown as Schema);
    this.#routes = Object.entries(spec.paths).map(([template, methods]) => {
      const names: string[] = [];
      const source = template
        .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
        .replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          // `{path}` in the contents API spans slashes, as do `{ref}`s like heads/main.
          return name === "path" || name === "ref" ? "(.+)" : "([^/]+)";
        });
      return { template, pattern: new RegExp(`^${source}$`), names, methods };
    });
    // Literal segments beat parameters: `/repos/{o}/{r}/issues/comments` before `.../issues/{issue_number}`.
    this.#routes.sort((a, b) => a.names.length - b.names.length);
  }

  check(method: string, path: string, query: URLSearchParams, body: unknown): CheckResult {
    const lower = method.toLowerCase();
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      const operation = route.methods[lower];
      if (operation === undefined) continue;
      const op = this.#schemas.resolve(operation);
      const pathParams = Object.fromEntries(
        route.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")]),
      );
      const found = { operationId: String(op.operationId), template: route.template, pathParams };
      return {
        operation: found,
        problems: [...this.#checkParameters(op, route, pathParams, query), ...this.#checkBody(op, body)],
      };
    }
    return {
      operation: undefined,
      problems: [`no operation ${method} ${path} in GitHub's OpenAPI description`],
    };
  }

  #checkParameters(
    op: Schema,
    route: Route,
    pathParams: Record<string, string>,
    query: URLSearchParams,
  ): string[] {
    const problems: string[] = [];
    const declared = [...asList(route.methods.parameters), ...asList(op.parameters)].map((p) =>
      this.#schemas.resolve(p),
    );
    for (const parameter of declared) {
      const name = String(parameter.name);
      const raw =
        parameter.in === "path" ? pathParams[name] : parameter.in === "query" ? query.get(name) : undefined;
      if (parameter.in !== "path" && parameter.in !== "query") continue;
      if (raw === undefined || raw === null || raw === "") {
        if (parameter.required === true) problems.push(`${parameter.in} parameter ${name}: required`);
        continue;
      }
      problems.push(
        ...this.#schemas.check(
          coerce(raw, this.#schemas.resolve(parameter.schema ?? {})),
          parameter.schema ?? {},
          `${parameter.in} ${name}`,
        ),
      );
    }
    const known = new Set(declared.filter((p) => p.in === "query").map((p) => String(p.name)));
    for (const name of query.keys())
      if (!known.has(name)) problems.push(`query parameter ${name}: not accepted here`);
    return problems;
  }

  #checkBody(op: Schema, body: unknown): string[] {
    if (op.requestBody === undefined) return [];
    const requestBody = this.#schemas.resolve(op.requestBody);
    if (body === undefined) return requestBody.required === true ? ["body: required"] : [];
    const content = requestBody.content as Record<string, { schema?: unknown }> | undefined;
    const schema = content?.["application/json"]?.schema;
    return schema === undefined ? [] : this.#schemas.check(body, schema);
  }
}

/** Query values arrive as strings; compare them as the type the parameter declares. */
function coerce(raw: string, schema: Schema): unknown {
  if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(raw))
    return Number(raw);
  if (schema.type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
