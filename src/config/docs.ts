import { stringify } from "yaml";
import { configJsonSchema } from "./json-schema.ts";
import { configSchema } from "./schema.ts";

export const DOCS_PATH = "docs/config.md";

type SchemaNode = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
};

/** docs/config.md, generated from the zod schema (via its JSON Schema) so the docs cannot drift. */
export function renderConfigDocs(): string {
  const root = configJsonSchema() as SchemaNode;
  const rows: string[] = [];
  const sections: string[] = [];
  for (const [key, node] of Object.entries(root.properties ?? {})) {
    if (node.properties) {
      sections.push(`## \`${key}\`\n\n${node.description ?? ""}\n\n${table(key, node.properties)}`);
    } else {
      rows.push(row(key, node));
    }
  }
  return [
    "<!-- Generated from src/config/schema.ts by `npm run schema`; do not edit by hand. -->",
    "# `.github/autofix.yml`",
    "",
    "Every key is optional. Editors that read JSON Schema can complete and check this file with",
    "[`schema/autofix.schema.json`](../schema/autofix.schema.json): put",
    "`# yaml-language-server: $schema=<url of that file>` on its first line.",
    "Check a file locally with `npm run autofix -- config check .github/autofix.yml`.",
    "",
    "## Top-level keys",
    "",
    HEADER,
    ...rows,
    "",
    sections.join("\n\n"),
    "",
    "## Every default",
    "",
    "```yaml",
    stringify(configSchema.parse({})).trimEnd(),
    "```",
    "",
  ].join("\n");
}

const HEADER = "| key | type | default | allowed | meaning |\n| --- | --- | --- | --- | --- |";

function table(prefix: string, properties: Record<string, SchemaNode>): string {
  return [HEADER, ...Object.entries(properties).map(([key, node]) => row(`${prefix}.${key}`, node))].join(
    "\n",
  );
}

function row(key: string, node: SchemaNode): string {
  const value = node.default === undefined ? "—" : `\`${JSON.stringify(node.default)}\``;
  return `| \`${key}\` | ${typeName(node)} | ${value} | ${allowed(node)} | ${node.description ?? ""} |`;
}

function typeName(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeName).join(" or ");
  if (node.type === "array") return `list of ${typeName(node.items ?? {})}`;
  return Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
}

function allowed(node: SchemaNode): string {
  const inner = node.anyOf?.find((n) => n.type !== "null") ?? node;
  if (inner.minimum !== undefined && inner.maximum !== undefined)
    return `${inner.minimum} to ${inner.maximum}`;
  if (inner.minimum !== undefined) return `≥ ${inner.minimum}`;
  if (inner.pattern) return `\`${inner.pattern.replaceAll("|", "\\|")}\``;
  if (inner.minLength) return "non-empty";
  return "";
}
