/**
 * A package.json script split the way a POSIX shell would, enough to read test commands: commands
 * separated by `&&`, `||`, `;` and `|`, each a list of words with quotes removed. Environment
 * assignments before a command (`NODE_ENV=test mocha`) are dropped; `$(…)` and backticks are kept as
 * plain text.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
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
      else if (char === "\\" && quote === '"' && i + 1 < script.length) word += script[++i];
      else word += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < script.length) {
      word += script[++i];
      inWord = true;
    } else if (/\s/.test(char)) endWord();
    else if (char === "&" || char === "|" || char === ";") {
      endCommand();
      if (script[i + 1] === char) i++;
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function dropAssignments(words: readonly string[]): string[] {
  let start = 0;
  while (start < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start] ?? "")) start++;
  if (words[start] === "cross-env" || words[start] === "env") {
    start++;
    while (start < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start] ?? "")) start++;
  }
  return words.slice(start);
}
