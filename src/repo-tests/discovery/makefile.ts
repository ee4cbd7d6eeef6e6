const MAX_DEPTH = 4;

/**
 * The shell lines `make <target>` would run, read from a Makefile without running make: the
 * target's prerequisites first, then its recipe (continuation lines joined, `@`/`-` prefixes dropped,
 * `$(VAR)`/`${VAR}` expanded from plain assignments, `$(MAKE) x` followed). Enough for the test
 * targets of 2010s JavaScript projects (`test: ; ./node_modules/.bin/mocha $(TESTS)`).
 */
export function makeTargetLines(makefile: string, target: string): string[] {
  const lines = joinContinuations(makefile);
  const variables = new Map<string, string>();
  for (const line of lines) {
    const assignment = /^([A-Za-z_][\w.-]*)\s*(?:\?=|:=|::=|=)\s*(.*)$/.exec(line);
    if (assignment && !line.startsWith("\t")) variables.set(assignment[1] ?? "", assignment[2] ?? "");
  }
  const expand = (text: string, depth = 0): string =>
    depth > MAX_DEPTH
      ? text
      : text.replace(/\$[({]([A-Za-z_][\w.-]*)[)}]/g, (_, name: string) =>
          name === "MAKE" ? "make" : expand(variables.get(name) ?? "", depth + 1),
        );
  const out: string[] = [];
  const visit = (name: string, depth: number, seen: Set<string>) => {
    if (depth > MAX_DEPTH || seen.has(name)) return;
    seen.add(name);
    const start = lines.findIndex((line) => targetsOf(line).includes(name));
    if (start < 0) return;
    const header = lines[start] ?? "";
    const prerequisites =
      header
        .slice(header.indexOf(":") + 1)
        .split(";")[0]
        ?.trim()
        .split(/\s+/) ?? [];
    for (const prerequisite of prerequisites.filter(Boolean)) visit(prerequisite, depth + 1, seen);
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith("\t")) break;
      const command = expand(line.trim().replace(/^[@-]+/, ""));
      const nested = /^make\s+(?:-\S+\s+)*([\w.-]+)\s*$/.exec(command);
      if (nested?.[1] !== undefined) visit(nested[1], depth + 1, seen);
      else out.push(command);
    }
  };
  visit(target, 0, new Set());
  return out;
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n[ \t]*/g, " ").split(/\r?\n/);
}

function targetsOf(line: string): string[] {
  if (line.startsWith("\t") || /^[A-Za-z_][\w.-]*\s*(?:\?=|:=|::=|=)/.test(line)) return [];
  const colon = line.indexOf(":");
  return colon < 0 ? [] : line.slice(0, colon).trim().split(/\s+/);
}
