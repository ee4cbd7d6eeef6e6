/** Mocha options (2.x–11) that take a value: the next word is theirs, not a spec. */
const WITH_VALUE = new Set([
  "-r",
  "--require",
  "-u",
  "--ui",
  "-R",
  "--reporter",
  "-O",
  "--reporter-options",
  "--reporter-option",
  "-g",
  "--grep",
  "-f",
  "--fgrep",
  "-t",
  "--timeout",
  "-s",
  "--slow",
  "--compilers",
  "--globals",
  "--opts",
  "--config",
  "--package",
  "--extension",
  "--spec",
  "--file",
  "--ignore",
  "--exclude",
  "-j",
  "--jobs",
  "--retries",
  "--watch-files",
  "--watch-ignore",
  "--watch-extensions",
  "-n",
  "--node-option",
  "--require-main",
]);
/** Options that change what runs or how it is reported: our runner sets these itself. */
const DROPPED = new Set([
  "-R",
  "--reporter",
  "-O",
  "--reporter-options",
  "--reporter-option",
  "-g",
  "--grep",
  "-f",
  "--fgrep",
  "-i",
  "--invert",
  "-w",
  "--watch",
  "--watch-files",
  "--watch-ignore",
  "--watch-extensions",
  "-c",
  "--colors",
  "--color",
  "-C",
  "--no-colors",
  "-b",
  "--bail",
  "--forbid-only",
  "--forbid-pending",
  "-p",
  "--parallel",
  "-j",
  "--jobs",
  "--spec",
  "--extension",
  "--ignore",
  "--exclude",
  "--recursive",
  "-S",
  "--sort",
  "--growl",
  "-G",
  "--list-reporters",
  "--list-interfaces",
  "--reporters",
  "--interfaces",
]);

export type MochaOptions = {
  specs: string[];
  extensions: string[];
  recursive: boolean;
  /** `--opts FILE` (mocha < 8 reads `test/mocha.opts` without it). */
  opts: string | null;
  /** What every run passes on: `--require x`, `--ui tdd`, `--compilers …`, `--timeout 5000`. */
  kept: string[];
};

export function emptyMochaOptions(): MochaOptions {
  return { specs: [], extensions: [], recursive: false, opts: null, kept: [] };
}

/** Reads mocha command-line words into `into` (later words win, as in mocha). */
export function readMochaArgs(words: readonly string[], into: MochaOptions): MochaOptions {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const [flag = word, inline] = word.startsWith("--") && word.includes("=") ? splitOnce(word) : [word];
    if (!flag.startsWith("-") || flag === "-") {
      into.specs.push(word);
      continue;
    }
    const takesValue = WITH_VALUE.has(flag) && inline === undefined;
    const value = inline ?? (takesValue ? words[++i] : undefined);
    if (flag === "--recursive") into.recursive = true;
    if (flag === "--spec" && value !== undefined) into.specs.push(...value.split(","));
    if ((flag === "--extension" || flag === "--watch-extensions") && value !== undefined) {
      into.extensions.push(...value.split(",").map((ext) => ext.replace(/^\./, "")));
    }
    if (flag === "--compilers" && value !== undefined) {
      into.extensions.push(
        ...value
          .split(",")
          .map((pair) => pair.split(":")[0] ?? "")
          .filter(Boolean),
      );
    }
    if (flag === "--opts" && value !== undefined) into.opts = value;
    if (DROPPED.has(flag)) continue;
    into.kept.push(flag, ...(value === undefined ? [] : [value]));
  }
  return into;
}

/** The words of a `mocha.opts` file: one or more options a line, `#` comments (mocha ≥ 4). */
export function mochaOptsWords(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/^\s*#.*$/, "").trim())
    .filter((line) => line !== "")
    .flatMap((line) => line.split(/\s+/));
}

function splitOnce(word: string): [string, string] {
  const at = word.indexOf("=");
  return [word.slice(0, at), word.slice(at + 1)];
}
