import type { CodeIndex } from "../code-index/code-index.ts";
import type { CodeElement, IndexedFile } from "../code-index/types.ts";

export interface Definition {
  file: IndexedFile;
  element: CodeElement;
}

/** Where each name is defined: by simple name and by qualified-name suffix (`Class.method`). */
export class DefinitionTable {
  private readonly byName = new Map<string, Definition[]>();
  private readonly byPair = new Map<string, Definition[]>();

  constructor(index: CodeIndex) {
    for (const file of index.files) {
      for (const element of file.elements) {
        push(this.byName, element.name, { file, element });
        const segments = element.qualifiedName.split(".");
        if (segments.length >= 2) push(this.byPair, segments.slice(-2).join("."), { file, element });
      }
    }
  }

  /** Definitions of a simple name (`col_insert`). */
  named(name: string): readonly Definition[] {
    return this.byName.get(name) ?? [];
  }

  /** Definitions matching a dotted name by its last two segments (`Matrix.col_insert`, `res.send`). */
  qualified(dotted: string): readonly Definition[] {
    const segments = dotted.replace(/^(?:self|this|cls)\./, "").split(".");
    if (segments.length < 2) return [];
    return this.byPair.get(segments.slice(-2).join(".")) ?? [];
  }
}

function push(map: Map<string, Definition[]>, key: string, value: Definition): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
