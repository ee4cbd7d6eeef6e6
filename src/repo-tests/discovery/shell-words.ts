/**
 * A word as the shell reads it: its text with quotes removed and, when a `*`, `?` or `[` stands
 * outside quotes, the pattern sh expands it with (quoted and escaped characters backslash-escaped).
 */
export type ShellWord = { text: string; glob: string | null };

const GLOB_CHAR = /[*?[]/;
const ESCAPED = /[*?[\]\\{}()!+@]/;

/**
 * A package.json script split the way a POSIX shell would, enough to read test commands: commands
 * separated by `&&`, `||`, `;` and `|`, each a list of words with quotes removed. Environment
 * assignments before a command (`NODE_ENV=test mocha`) are dropped; `$(…)` and backticks are kept as
 * plain text.
 */
export function shellCommands(script: string): string[][] {
  return shellWordLists(script).map((words) => words.map((word) => word.text));
}

/** shellCommands, keeping for each word the glob sh would expand (see ShellWord). */
export function shellWordLists(script: string): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let word = "";
  let pattern = "";
  let globbed = false;
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const literal = (char: string) => {
    word += char;
    pattern += ESCAPED.test(char) ? `\\${char}` : char;
  };
  const endWord = () => {
    if (inWord) words.push({ text: word, glob: globbed ? pattern : null });
    word = "";
    pattern = "";
    globbed = false;
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    const withoutAssignments = dropAssignments(words);
    if (withoutAssignments.length > 0) commands.push(withoutAssignments);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const char = script[i] ?? "";
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && i + 1 < script.length) literal(script[++i] ?? "");
      else literal(char);
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < script.length) {
      literal(script[++i] ?? "");
      inWord = true;
    } else if (/\s/.test(char)) endWord();
    else if (char === "&" || char === "|" || char === ";") {
      endCommand();
      if (script[i + 1] === char) i++;
    } else {
      word += char;
      const raw = GLOB_CHAR.test(char) || char === "]" || (char === "!" && pattern.endsWith("["));
      pattern += raw || !ESCAPED.test(char) ? char : `\\${char}`;
      globbed ||= GLOB_CHAR.test(char);
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function dropAssignments(words: readonly ShellWord[]): ShellWord[] {
  const isAssignment = (index: number) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[index]?.text ?? "");
  let start = 0;
  while (start < words.length && isAssignment(start)) start++;
  const command = words[start]?.text;
  if (command === "cross-env" || command === "env") {
    start++;
    while (start < words.length && isAssignment(start)) start++;
  }
  return words.slice(start);
}
