/**
 * Keys of one section of an INI file (pytest.ini, tox.ini, setup.cfg) or of a TOML table
 * (pyproject.toml `[tool.pytest.ini_options]`), as lists of words: INI values split on whitespace
 * (continuation lines included), TOML strings and arrays of strings. Null when the section is absent.
 */
export function iniSection(text: string, section: string): Map<string, string[]> | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `[${section}]`);
  if (start < 0) return null;
  const values = new Map<string, string[]>();
  let key: string | null = null;
  for (const line of lines.slice(start + 1)) {
    if (/^\[.*\]\s*$/.test(line)) break;
    if (/^\s*[#;]/.test(line) || line.trim() === "") continue;
    const assignment = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (assignment && !/^\s/.test(line)) {
      key = assignment[1] ?? "";
      values.set(key, words(assignment[2] ?? ""));
    } else if (key !== null && /^\s/.test(line)) {
      values.get(key)?.push(...words(line));
    }
  }
  return values;
}

export function tomlTable(text: string, table: string): Map<string, string[]> | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `[${table}]`);
  if (start < 0) return null;
  const values = new Map<string, string[]>();
  let pending: { key: string; text: string } | null = null;
  for (const line of lines.slice(start + 1)) {
    if (pending === null && /^\s*\[/.test(line)) break;
    const content = line.replace(/\s#.*$/, "");
    if (pending !== null) {
      pending.text += ` ${content}`;
      if (content.includes("]")) {
        values.set(pending.key, tomlStrings(pending.text));
        pending = null;
      }
      continue;
    }
    const assignment = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.*)$/.exec(content);
    if (!assignment) continue;
    const [, key = "", value = ""] = assignment;
    if (value.startsWith("[") && !value.includes("]")) pending = { key, text: value };
    else
      values.set(key, value.startsWith("[") ? tomlStrings(value) : tomlStrings(`[${value}]`).flatMap(words));
  }
  return values;
}

function tomlStrings(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");
}

function words(text: string): string[] {
  return text
    .replace(/\s[#;].*$/, "")
    .split(/\s+/)
    .map((word) => word.replace(/^["']|["']$/g, ""))
    .filter((word) => word !== "");
}
